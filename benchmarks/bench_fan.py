"""Speed of F3 (Fan et al. TIFS 2014 variational anti-forensics) per 512x512 gray image.

Usage:  .venv/bin/python benchmarks/bench_fan.py [--images 3] [--quality 50]

Times :class:`jpegaf.antiforensics.fan.FanVariational` (published parameters) on the first
``--images`` bundled 512x512 photographs compressed at ``--quality``, and decoding the same JPEGs
with :func:`jpegaf.jpeg.decompress` in the same run, so that the ratio is comparable across
machines. Also prints the time of each stage on the first image, to show where it goes. Fan's
MATLAB code takes about 3.6 minutes per 512x384 image (paper).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from jpegaf import jpeg
from jpegaf.antiforensics.common import decode_plane
from jpegaf.antiforensics.fan import (
    FanConfig,
    FanVariational,
    de_calibrate,
    smooth_histograms,
    tv_deblock,
)
from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


def best_of(func, *args, repeat: int) -> float:
    """Shortest wall time of ``repeat`` calls of func(*args), in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def stage_times(coefs: jpeg.JpegCoefficients, config: FanConfig) -> dict[str, float]:
    """Seconds spent in each F3 stage on one gray JPEG (the pipeline of ``fan_plane``)."""
    c = config
    k = coefs.coef[0].astype(np.int64)
    table = coefs.qt[0].astype(np.float64)
    rng = np.random.default_rng(0)
    times = {}
    start = time.perf_counter()
    x = np.clip(np.floor(decode_plane(k, table) + 0.5), 0, 255)
    x = tv_deblock(x, k, table, rng, alpha=c.alpha1, iterations=c.iterations1,
                   step_offset=c.step_offset1, mu=c.mu1)
    times["TV round 1"] = time.perf_counter() - start
    start = time.perf_counter()
    x = smooth_histograms(x, table.astype(np.int64), rng, dim_max=c.dim_max)
    times["histogram smoothing"] = time.perf_counter() - start
    start = time.perf_counter()
    x = tv_deblock(x, k, table, rng, alpha=c.alpha2, iterations=c.iterations2,
                   step_offset=c.step_offset2, mu=c.mu2, kf_threshold=c.kf_threshold,
                   perturb=(c.p3_trigger, c.p3_target))
    times["TV round 2 + hfPerturb"] = time.perf_counter() - start
    start = time.perf_counter()
    de_calibrate(x, threshold=c.kl_threshold, tolerance=c.kl_tolerance, step=c.decal_step,
                 iterations=c.decal_iterations)
    times["de-calibration"] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=3, help="number of 512x512 images")
    parser.add_argument("--quality", type=int, default=50, help="JPEG quality")
    args = parser.parse_args()

    images = [img for img in (read_image(p) for p in sample_paths()) if img.shape == (512, 512)]
    files = [jpeg.compress(img, args.quality) for img in images[:args.images]]
    coefs = [jpeg.read_coefficients(d) for d in files]
    method = FanVariational()

    decode = statistics.median(best_of(jpeg.decompress, d, repeat=20) for d in files)
    f3 = [best_of(method, c, 0, repeat=1) for c in coefs]
    t = statistics.median(f3)
    print(f"512x512 gray, QF {args.quality}, {len(files)} images")
    print(f"decode (libjpeg): {decode * 1e3:8.2f} ms per image")
    print(f"F3 (FanVariational): {t:8.2f} s per image (median; "
          f"{', '.join(f'{x:.2f}' for x in f3)} s)  = {t / decode:,.0f} x decoding")
    print("stages on the first image:")
    for name, secs in stage_times(coefs[0], method.config).items():
        print(f"  {name:24s} {secs:6.2f} s")


if __name__ == "__main__":
    main()
