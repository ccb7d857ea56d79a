"""Per crop, what each part of ``gan+lattice-light``'s stages costs in PSNR, and how that depends
on how flat the crop is (issue 14; results/antiforensic/hybrid-stages.md, "Where the stages'
cost falls: flat crops and the rounding").

    python scripts/stage_costs_by_crop.py --quality 75 --size 128 --n 160 [--ensemble 8] [--json OUT]

For each of ``--n`` crops of the corpus's calibration part (the sample ``hybrid_stages.py`` takes;
central ``--size`` part, JPEG at ``--quality``), the MSE against the original of: the JPEG; the
generator's unrounded output (``antiforensic-d10`` generators, projected onto the file's bins,
``--ensemble`` symmetries); it rounded; after the histogram smoothing, unrounded, then rounded
plainly or with the random dither ``gan+lattice`` uses; and after ``gan+lattice-light``'s targeted
stages on either rounding. Prints the mean PSNR gain of each over the JPEG, overall and by quarter
of the JPEG's own PSNR (the flattest crops last). Detectors are not run: ``hybrid_stages.py``
measures them.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.gan import ENSEMBLES, GanEraser
from jpegaf.antiforensics.hybrid import (LIGHT_CRITIC_FRACTION, LIGHT_KL_QUANTILE, restored_luma_plane,
                                        targeted_stages)
from jpegaf.antiforensics.lattice import dithered_round, smooth_coefficient_histograms
from jpegaf.data import centre_crop_position, crop
from jpegaf.data.corpus import is_corpus
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.pretrained import PRETRAINED_DIR, shipped_critics

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hybrid_stages import calibration_sample  # noqa: E402  (the same crops as hybrid_stages.py)

#: The generators of the erase policy's entries (antiforensic-d10, d10b2 at QF 50).
GENERATORS = {25: PRETRAINED_DIR / "antiforensic-d10-q25.safetensors",
              50: PRETRAINED_DIR / "antiforensic-d10b2-q50.safetensors",
              75: PRETRAINED_DIR / "antiforensic-d10-q75.safetensors"}
STAGES = ("raw", "rounded", "smoothed", "smoothed+dither", "smoothed+round", "light (dither)", "light (round)")

_ERASER: GanEraser | None = None
_CRITIC: dict[int, CnnDetector] = {}


def stage_mses(path: Path, quality: int, size: int, ensemble: int) -> dict[str, float]:
    """MSE against the original of the JPEG and of every stage of STAGES, for one crop."""
    global _ERASER
    if _ERASER is None:  # one per worker process
        _ERASER = GanEraser(GENERATORS, ensemble=ensemble)
    if quality not in _CRITIC:
        _CRITIC[quality] = CnnDetector.load(shipped_critics()[quality])
    x = read_image(path)
    x = crop(x, *centre_crop_position(*x.shape[:2], size), size)
    data = compress(x, quality)
    coefs = read_coefficients(data)
    raw = restored_luma_plane(_ERASER, coefs, rounded=False)
    rng = np.random.default_rng(0)  # the stages' stream, as hybrid_stages.py's
    smoothed = smooth_coefficient_histograms(raw, coefs.coef[0], rng)
    out = {"raw": raw, "rounded": np.clip(np.floor(raw + 0.5), 0, 255), "smoothed": smoothed,
           "smoothed+dither": dithered_round(smoothed, rng), "smoothed+round": np.clip(np.floor(smoothed + 0.5), 0, 255)}
    for name, start in (("light (dither)", out["smoothed+dither"]), ("light (round)", out["smoothed+round"])):
        out[name] = targeted_stages(start, np.random.default_rng(0), (_CRITIC[quality],),
                                    kl_quantile=LIGHT_KL_QUANTILE, critic_fraction=LIGHT_CRITIC_FRACTION)
    original = x.astype(np.float64)
    mse = lambda y: float(np.mean((np.asarray(y, dtype=np.float64)[:size, :size] - original) ** 2))
    return {"file": path.name, "jpeg": mse(decompress(data)), **{k: mse(v) for k, v in out.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--size", type=int, choices=(128, 256), default=128)
    ap.add_argument("--n", type=int, default=160)
    ap.add_argument("--ensemble", type=int, choices=ENSEMBLES, default=8)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write every crop's MSEs here")
    args = ap.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    files = calibration_sample(args.corpus, args.n)
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(stage_mses, files, [args.quality] * len(files), [args.size] * len(files),
                             [args.ensemble] * len(files)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    rows = [r for r in rows if r["jpeg"] > 0]  # a crop the JPEG gives back unchanged has no gain to measure
    jpeg_db = np.array([10 * np.log10(255.0 ** 2 / r["jpeg"]) for r in rows])
    gains = {s: np.array([10 * np.log10(r["jpeg"] / r[s]) for r in rows]) for s in STAGES}
    print(f"QF {args.quality}, {len(rows)} calibration crops of {args.size} px, ensemble {args.ensemble}: "
          "mean PSNR gain over the JPEG (dB)\n")
    print("| crops | JPEG PSNR (dB) | " + " | ".join(STAGES) + " |\n|" + "---|" * (len(STAGES) + 2))
    parts = [("all", np.arange(len(rows)))] + [
        (f"quarter {i + 1}", part) for i, part in enumerate(np.array_split(np.argsort(jpeg_db), 4))]
    for label, part in parts:
        print(f"| {label} ({len(part)}) | {jpeg_db[part].min():.1f}–{jpeg_db[part].max():.1f} | "
              + " | ".join(f"{gains[s][part].mean():+.2f}" for s in STAGES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
