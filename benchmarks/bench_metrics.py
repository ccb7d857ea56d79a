"""Time jpegaf.metrics' PSNR and SSIM against scikit-image's on 512x512 images.

Usage:  PYTHONPATH=src .venv/bin/python benchmarks/bench_metrics.py [--runs 20]

Both implementations are timed in the same run, on the same images (scikit-image's camera and
a quality-30 JPEG of it; astronaut for colour), and the ratio is printed, so the figures are
comparable whatever machine this runs on. scikit-image is needed here only as the baseline.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image

from jpegaf.metrics import psnr, ssim


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        return np.asarray(im).copy()


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 3) -> float:
    """Median wall time of fn() in milliseconds over `runs` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per function")
    args = parser.parse_args()

    from skimage import data
    from skimage.metrics import peak_signal_noise_ratio, structural_similarity

    gray = data.camera()
    gray_j = _jpeg(gray, 30)
    colour = data.astronaut()
    colour_j = _jpeg(colour, 30)
    sk_kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)

    cases = [
        (
            "psnr  512x512 gray",
            lambda: psnr(gray, gray_j),
            lambda: peak_signal_noise_ratio(gray, gray_j, data_range=255),
        ),
        (
            "ssim  512x512 gray",
            lambda: ssim(gray, gray_j),
            lambda: structural_similarity(gray, gray_j, **sk_kw),
        ),
        (
            "ssim  512x512x3 colour",
            lambda: ssim(colour, colour_j),
            lambda: structural_similarity(colour, colour_j, channel_axis=-1, **sk_kw),
        ),
    ]
    print(f"median of {args.runs} runs after warm-up (ms); ratio = scikit-image / jpegaf")
    print(f"{'case':24s} {'jpegaf':>9s} {'skimage':>9s} {'ratio':>7s}  |difference|")
    for name, ours, theirs in cases:
        diff = abs(float(ours()) - float(theirs()))
        t_ours = median_ms(ours, args.runs)
        t_theirs = median_ms(theirs, args.runs)
        print(
            f"{name:24s} {t_ours:9.2f} {t_theirs:9.2f} {t_theirs / t_ours:6.2f}x  {diff:.1e}"
        )


if __name__ == "__main__":
    main()
