"""Which of F3's later stages, run after the generator (``gan+f3``), costs the PSNR and which trace
each one removes: an ablation on the corpus's calibration part (issue 14).

    python scripts/hybrid_stages.py --quality 50 [--n 16] [--corpus data/corpus] [--workers 2]

For ``n`` calibration crops (256 px, evenly spaced in name order; the calibration part is where
the project chooses methods, never where it reports them), each is compressed at ``--quality``,
restored by the shipped generator of that quality, then run through F3's stages after its first
(:func:`jpegaf.antiforensics.fan.fan_plane` with ``start``) with one stage left out or its
targets moved. Printed per variant: mean PSNR and SSIM gain over the JPEG, and the share of
outputs each classical detector and the shipped CNN-256 of that quality call JPEG at their
shipped thresholds (the calibration part is also where those thresholds were fitted, so the
"original" row is near 5% by construction).

Variants: ``gan`` (the generator alone), ``full`` (gan+f3 as shipped), ``no-smooth`` (no
histogram smoothing), ``no-tv2`` (no second TV round), ``no-decal`` (no de-calibration),
``decal-only``, ``kf-median`` (the second round stops at the median K_F of never-compressed 256
crops, 0.139, instead of F3's 0.075), ``kf-median-kl-median`` (and de-calibration at their
median K_L, 0.077, instead of 0.0533); lighter settings of the two costly stages:
``decal-step1`` and ``decal-step0.5`` (de-calibration steps of 1 and 0.5 grey levels instead of
2), ``tv2-5-iterations`` (5 instead of 30), ``tv2-mu0.5`` (each coefficient kept in its own bin,
mu 0.5, instead of within 1.5 bins of it), ``tv2-alpha0.3`` (block term weight 0.3 instead of
0.9), ``no-perturb`` (no hfPerturb), ``tv2-offset10`` (TV steps 1/(k + 10) instead of 1/(k + 1)),
and combinations; ``no-smooth-decal-step1-offset10`` is what ``gan+f3-light`` ships
(:data:`jpegaf.antiforensics.hybrid.LIGHT_STAGES`).
``--only NAME ...`` runs some of them (``gan`` and the JPEG always).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.common import decode_plane
from jpegaf.antiforensics.fan import FanConfig, fan_plane
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.data.corpus import is_corpus, read_corpus_parts
from jpegaf.detectors import calibration_for, classical_detectors, load_calibrations, verdict
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.metrics import psnr, ssim
from jpegaf.pretrained import PRETRAINED_DIR, shipped_generators

SIZE = 256
# Medians over the corpus's train + calibration 256-px crops (runs/corpus-scores.csv).
KF_MEDIAN, KL_MEDIAN = 0.139, 0.077
VARIANTS: dict[str, FanConfig | None] = {
    "gan": None,
    "full": FanConfig(),
    "no-smooth": FanConfig(smoothing=False),
    "no-tv2": FanConfig(iterations2=0),
    "no-decal": FanConfig(decalibrate=False),
    "decal-only": FanConfig(smoothing=False, iterations2=0),
    "kf-median": FanConfig(kf_threshold=KF_MEDIAN),
    "kf-median-kl-median": FanConfig(kf_threshold=KF_MEDIAN, kl_threshold=KL_MEDIAN),
    # lighter settings of the two costly stages
    "decal-step1": FanConfig(decal_step=1.0),
    "decal-step0.5": FanConfig(decal_step=0.5),
    "tv2-5-iterations": FanConfig(iterations2=5),
    "tv2-mu0.5": FanConfig(mu2=0.5),
    "tv2-alpha0.3": FanConfig(alpha2=0.3),
    "no-perturb": FanConfig(perturb=False),
    "tv2-offset10": FanConfig(step_offset2=10),
    "tv2-offset10-decal-step1": FanConfig(step_offset2=10, decal_step=1.0),
    "no-smooth-decal-step1": FanConfig(smoothing=False, decal_step=1.0),
    "no-smooth-decal-step1-offset10": FanConfig(smoothing=False, decal_step=1.0, step_offset2=10),
    "no-smooth-decal-step1-offset3": FanConfig(smoothing=False, decal_step=1.0, step_offset2=3),
    "no-smooth-decal-step1-5-iterations": FanConfig(smoothing=False, decal_step=1.0, iterations2=5),
    "no-smooth-decal-step1-offset20": FanConfig(smoothing=False, decal_step=1.0, step_offset2=20),
}

_ERASER: GanEraser | None = None


def outputs(path: Path, quality: int, names: tuple[str, ...]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The original crop, and its JPEG and every variant's output (uint8)."""
    global _ERASER
    if _ERASER is None:  # one per worker process
        _ERASER = GanEraser(shipped_generators())
    x = read_image(path)
    data = compress(x, quality)
    coefs = read_coefficients(data)
    luma, _ = _ERASER.restore_luma(coefs)
    start = decode_plane(coefs.coef[0].astype(np.int64), coefs.qt[0])
    start[:luma.shape[0], :luma.shape[1]] = luma
    out = {"jpeg": decompress(data)}
    for name in names:
        config = VARIANTS[name]
        y = luma if config is None else fan_plane(coefs.coef[0], coefs.qt[0], np.random.default_rng(0), config,
                                                   start=start)
        out[name] = np.clip(np.round(y), 0, 255).astype(np.uint8)
    return x, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", nargs="+", choices=list(VARIANTS), help="the variants to run (default all)")
    args = ap.parse_args(argv)
    names = tuple(dict.fromkeys(["gan", *(args.only or VARIANTS)]))
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    cal_files = read_corpus_parts(args.corpus).calibration
    files = cal_files[::max(1, len(cal_files) // args.n)][:args.n]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(outputs, files, [args.quality] * len(files), [names] * len(files)))
    cals = load_calibrations(DEFAULT_CALIBRATIONS)
    detectors = classical_detectors()
    cnn = CnnDetector.load(PRETRAINED_DIR / f"detector-{SIZE}-q{args.quality}.safetensors")
    header = ["variant", "PSNR gain (dB)", "SSIM gain", *(d.name for d in detectors), cnn.name]
    print(f"QF {args.quality}, {len(files)} calibration crops of {SIZE} px of {args.corpus} "
          f"({time.perf_counter() - start:.0f} s); share called JPEG at the shipped thresholds\n")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for name in ["jpeg", *names, "original"]:
        images = [x if name == "original" else out[name] for x, out in results]
        gains = ("", "") if name == "original" else (
            f"{np.mean([psnr(x, out[name]) - psnr(x, out['jpeg']) for x, out in results]):+.2f}",
            f"{np.mean([ssim(x, out[name]) - ssim(x, out['jpeg']) for x, out in results]):+.4f}")
        rates = [np.mean([verdict(d.score(im), calibration_for(cals, d.name, SIZE)) for im in images])
                 for d in detectors]
        rates.append(np.mean(cnn.score_batch(images) > cnn.threshold))
        print(f"| {name} | {gains[0]} | {gains[1]} | " + " | ".join(f"{100 * r:.0f}%" for r in rates) + " |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
