"""How each lattice stage on the generator's unrounded output moves the lattice detector's score,
and what it costs: the measurements behind :mod:`jpegaf.antiforensics.lattice`'s defaults (issue 14).

    python scripts/lattice_smoothing.py --quality 75 [--n 16] [--corpus data/corpus] [--diagnose VARIANT]

For ``n`` calibration photographs (evenly spaced in name order; the calibration part is where the
project chooses settings, never where it reports them), the central 256x256 crop is compressed at
``--quality`` and restored by the shipped generator, unrounded; each variant below then makes the
output. Printed per variant: the mean PSNR gain over the JPEG, and the lattice detector's z (its
score: :func:`jpegaf.detectors.history.jpeg_history_scores`) as mean, median and maximum over the
crops and the share above the shipped 256-px threshold. The z is continuous, so 16 crops separate
variants that detection rates (``scripts/hybrid_stages.py``) cannot.

Variants: ``round`` (the generator, rounded), ``dither`` (:func:`~jpegaf.antiforensics.lattice.
dither_lattice`), ``noise`` (Gaussian noise of 1.5 on the DC and the nonzero bins, reflected into
each bin, then rounded), ``smooth`` (:func:`~jpegaf.antiforensics.lattice.smooth_lattice`: AC
sigma 1.5, DC 2, dithered rounding), ``smooth-round`` (the same, plainly rounded), and with
dithered rounding: ``smooth-ac1``, ``smooth-ac2``, ``smooth-ac3`` (other AC sigmas),
``smooth-dc1``, ``smooth-dc3``, ``smooth-dc4`` and ``smooth-no-dc`` (DC sigma 1, 3, 4, or 1e-6:
the DC left where it is, to within the histogram's resolution of 0.05), ``smooth-ac2-dc3`` and
``smooth-all-ac`` (the zero bins smoothed too).

``--diagnose VARIANT`` also prints, for that variant, the subbands whose lattice excess on the
codec's grid most exceeds its mean over four other offsets, with the steps that carry the excess
(how the notes in the module found the pile just below each bin's centre: steps q - 1, 2q - 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.hybrid import restored_luma_plane
from jpegaf.antiforensics.lattice import (dither_lattice, dithered_round, smooth_coefficient_histograms,
                                          smooth_lattice, smooth_values)
from jpegaf.data import centre_crop_position
from jpegaf.data.corpus import is_corpus
from jpegaf.detectors import calibration_for, load_calibrations
from jpegaf.detectors import history
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.jpeg.dct import block_dct, block_idct
from jpegaf.metrics import psnr
from jpegaf.pretrained import shipped_generators

from hybrid_stages import calibration_sample  # the same crops as its tables (scripts/ is on the path)

SIZE = 256


def _round(x: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(x + 0.5), 0.0, 255.0)


def _smooth_dithered(x: np.ndarray, coef: np.ndarray, rng: np.random.Generator, **sigmas: float) -> np.ndarray:
    return dithered_round(smooth_coefficient_histograms(x, coef, rng, **sigmas), rng)


def reflected_noise(x: np.ndarray, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator,
                    sigma: float = 1.5) -> np.ndarray:
    """Gaussian noise of ``sigma`` on the DC and the nonzero bins' coefficients, reflected at the
    bin's edges so that each stays in its bin; unrounded pixels."""
    k = np.asarray(coef)
    g = block_dct(x)
    centre, half = k * table, np.asarray(table, dtype=np.float64) / 2.0
    chosen = k != 0
    chosen[:, :, 0, 0] = True
    y = g + rng.standard_normal(g.shape) * sigma
    y = np.where(y < centre - half, 2 * (centre - half) - y, y)
    y = np.where(y > centre + half, 2 * (centre + half) - y, y)
    return block_idct(np.where(chosen, y, g))


def smooth_every_ac(x: np.ndarray, coef: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The smoothing on every coefficient of every subband, zero bins included."""
    g = block_dct(x)
    flat = g.reshape(-1, 64)
    for s in range(64):
        flat[:, s] = smooth_values(flat[:, s], 2.0 if s == 0 else 1.5, rng)
    return block_idct(flat.reshape(g.shape))


#: name -> stage(unrounded plane, coef, table, rng) -> integer-valued plane.
VARIANTS = {
    "round": lambda x, coef, table, rng: _round(x),
    "dither": dither_lattice,
    "noise": lambda x, coef, table, rng: _round(reflected_noise(x, coef, table, rng)),
    "smooth": lambda x, coef, table, rng: smooth_lattice(x, coef, rng),
    "smooth-round": lambda x, coef, table, rng: _round(smooth_coefficient_histograms(x, coef, rng)),
    "smooth-ac1": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, ac_sigma=1.0),
    "smooth-ac2": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, ac_sigma=2.0),
    "smooth-ac3": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, ac_sigma=3.0),
    "smooth-dc1": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, dc_sigma=1.0),
    "smooth-dc3": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, dc_sigma=3.0),
    "smooth-dc4": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, dc_sigma=4.0),
    "smooth-ac2-dc3": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, ac_sigma=2.0, dc_sigma=3.0),
    "smooth-no-dc": lambda x, coef, table, rng: _smooth_dithered(x, coef, rng, dc_sigma=1e-6),
    "smooth-all-ac": lambda x, coef, table, rng: dithered_round(smooth_every_ac(x, coef, rng), rng),
}

_ERASER: GanEraser | None = None


def restore(path: Path, quality: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(original crop, decoded JPEG, generator's unrounded plane, quantized luma coefficients, table)."""
    global _ERASER
    if _ERASER is None:  # one per worker process
        _ERASER = GanEraser(shipped_generators())
    img = read_image(path)
    top, left = centre_crop_position(*img.shape, SIZE)
    x = img[top:top + SIZE, left:left + SIZE]
    data = compress(x, quality)
    coefs = read_coefficients(data)
    return x, decompress(data), restored_luma_plane(_ERASER, coefs, rounded=False), coefs.coef[0], coefs.qt[0]


def subband_excess(img: np.ndarray, dy: int, dx: int) -> tuple[np.ndarray, int]:
    """The lattice statistic's parts on the grid at (dy, dx): (64 subbands, steps) weighted excess,
    and the count of nonzero rounded coefficients (history._lattice_value, kept apart)."""
    mags = np.minimum(np.abs(np.rint(history.grid_coefficients(img, dy, dx))), history.MAX_ABS_COEF - 1)
    mags = mags.astype(np.intp).reshape(-1, 64)
    excess = np.zeros((64, len(history.LATTICE_STEPS)))
    nonzero = 0
    for s in range(64):
        h = np.bincount(mags[:, s], minlength=history.MAX_ABS_COEF).astype(np.float64)
        nonzero += len(mags) - int(h[0])
        second = np.zeros_like(h)
        second[1:-1] = h[1:-1] - 0.5 * (h[:-2] + h[2:])
        excess[s] = [second[m].sum() for m in history._MULTIPLES]
    return excess * history._EVIDENCE, nonzero


def diagnose(outputs: list[np.ndarray], tables: list[np.ndarray]) -> None:
    """Subbands whose best excess on the codec's grid most exceeds four other offsets'."""
    others = [(2, 3), (4, 4), (5, 1), (3, 6)]
    by_step = np.zeros((64, len(history.LATTICE_STEPS)))
    best = np.zeros(64)
    for y in outputs:
        e0, n0 = subband_excess(y, 0, 0)
        rest = [subband_excess(y, dy, dx) for dy, dx in others]
        by_step += e0 - np.mean([e for e, _ in rest], axis=0)
        best += np.maximum(e0.max(1), 0) / n0 - np.mean([np.maximum(e.max(1), 0) / n for e, n in rest], axis=0)
    print(f"\nexcess of the grid over four other offsets, x 1e3 per crop: {best.sum() / len(outputs) * 1e3:.2f}; "
          f"DC's share {best[0] / best.sum():.2f}")
    print("| subband | table step | excess x 1e3 | steps carrying it (summed excess) |\n|---|---|---|---|")
    for s in np.argsort(-best)[:10]:
        steps = np.argsort(-by_step[s])[:3]
        carried = ", ".join(f"{history.LATTICE_STEPS[i]} ({by_step[s, i] / len(outputs):.1f})" for i in steps)
        print(f"| ({s // 8}, {s % 8}) | {int(tables[0].ravel()[s])} | {best[s] / len(outputs) * 1e3:.2f} | {carried} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", nargs="+", choices=sorted(VARIANTS), help="the variants to run (default all)")
    ap.add_argument("--diagnose", choices=sorted(VARIANTS), help="print where that variant's lattice excess lies")
    args = ap.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    files = calibration_sample(args.corpus, args.n)
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        restored = list(pool.map(restore, files, [args.quality] * len(files)))
    threshold = calibration_for(load_calibrations(DEFAULT_CALIBRATIONS), "lattice", SIZE).threshold
    print(f"QF {args.quality}, {len(files)} calibration crops of {SIZE} px of {args.corpus}; lattice threshold "
          f"z {threshold:.2f} (shipped, fitted on the calibration and train parts)\n")
    print("| variant | PSNR gain (dB) | mean z | median z | max z | above threshold |\n|---|---|---|---|---|---|")
    for name in args.only or VARIANTS:
        gains, zs, outs = [], [], []
        for x, jpeg_img, raw, coef, table in restored:
            y = VARIANTS[name](raw, coef, table, np.random.default_rng(0))[:SIZE, :SIZE].astype(np.uint8)
            gains.append(psnr(x, y) - psnr(x, jpeg_img))
            zs.append(history.jpeg_history_scores(y).lattice_z)
            outs.append(y)
        z = np.array(zs)
        print(f"| {name} | {np.mean(gains):+.2f} | {z.mean():.1f} | {np.median(z):.1f} | {z.max():.1f} | "
              f"{int((z > threshold).sum())}/{len(z)} |", flush=True)
        if name == args.diagnose:
            diag_outputs = outs
    if args.diagnose:
        if args.diagnose not in (args.only or VARIANTS):
            diag_outputs = [VARIANTS[args.diagnose](raw, coef, table, np.random.default_rng(0))[:SIZE, :SIZE]
                            .astype(np.uint8) for _, _, raw, coef, table in restored]
        diagnose(diag_outputs, [table for *_, table in restored])
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
