"""Generator inference speed on this CPU, against the CPU's own fp32 matmul rate.

Prints, for the paper's generator (random weights, eval, no_grad) on one 512x512 crop of a bundled
photograph: the median time of 5 runs after warm-up and megapixels/s in fp32, channels-last fp32
and bf16 autocast (with the largest difference from fp32, in [-1, 1] units and grey levels); the
network's FLOPs per pixel; a large fp32 torch.mm's GFLOP/s measured in the same run; and the
fraction of that rate the generator achieves. The variants are timed with 3 runs to keep the whole
under about 2 minutes on 2 idle cores (one 512x512 fp32 pass is about 660 GFLOP).

The load average and this process's CPU time per wall second are printed too: on a shared machine
other processes take cores, and every rate here then falls with them (the ratio to the matmul
rate, measured in the same run, is the more stable figure).

    python benchmarks/bench_generator.py [--size 512] [--repeat 5]
"""

import argparse
import os
import statistics
import time

import numpy as np
import torch

from jpegaf.imageio import read_image
from jpegaf.models import Generator, GeneratorConfig, count_parameters, flops_per_pixel
from jpegaf.samples import sample_paths


def timed(func, repeat: int, warmup: int = 1):
    """(median seconds of `repeat` runs after `warmup` runs, the warm-up's result)."""
    out = None
    for _ in range(warmup):
        out = func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def median_s(func, warmup: int = 1, repeat: int = 5) -> float:
    return timed(func, repeat, warmup)[0]


def matmul_gflops(n: int = 2048) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    return 2 * n ** 3 / median_s(lambda: torch.mm(a, b), warmup=2) / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=512, help="square input side (default 512)")
    ap.add_argument("--repeat", type=int, default=5, help="timed fp32 runs after warm-up (default 5)")
    args = ap.parse_args()
    size = args.size
    load0 = os.getloadavg()[0]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    torch.set_flush_denormal(True)   # denormals once made one fp32 run ~3x slower
    torch.manual_seed(0)
    img = next(im for im in map(read_image, sample_paths()) if min(im.shape[:2]) >= size)
    x = torch.from_numpy(img[:size, :size].astype(np.float32) / 127.5 - 1.0)[None, None]
    cfg = GeneratorConfig()
    g = Generator(cfg).eval()
    fpp = flops_per_pixel(cfg)
    pixels = size * size
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"generator {count_parameters(g):,} parameters, {fpp / 1e6:.3f} MFLOP/pixel "
          f"({fpp * pixels / 1e9:.1f} GFLOP per {size}x{size} image)")

    peak = matmul_gflops()
    print(f"fp32 torch.mm 2048x2048: {peak:.1f} GFLOP/s")

    with torch.no_grad():
        t, ref = timed(lambda: g(x), args.repeat)
        rows = [("fp32", t, 0.0)]

        g_cl = Generator(cfg).eval()
        g_cl.load_state_dict(g.state_dict())
        g_cl = g_cl.to(memory_format=torch.channels_last)
        x_cl = x.contiguous(memory_format=torch.channels_last)
        t, out = timed(lambda: g_cl(x_cl), 3)
        rows.append(("fp32 channels-last", t, (out - ref).abs().max().item()))

        def bf16():
            with torch.autocast("cpu", dtype=torch.bfloat16):
                return g(x)
        t, out = timed(bf16, 3)
        rows.append(("bf16 autocast", t, (out.float() - ref).abs().max().item()))

    print(f"{'variant':20s} {'median s':>9s} {'MP/s':>7s} {'GFLOP/s':>8s} {'/mm fp32':>9s} "
          f"{'max|diff| (grey levels)':>24s}")
    for name, s, diff in rows:
        gflops = fpp * pixels / s / 1e9
        print(f"{name:20s} {s:9.3f} {pixels / s / 1e6:7.3f} {gflops:8.1f} {gflops / peak:9.2f} "
              f"{diff:12.2e} ({diff * 127.5:6.3f})")
    print(f"speed-up over fp32: channels-last {rows[0][1] / rows[1][1]:.2f}x, "
          f"bf16 {rows[0][1] / rows[2][1]:.2f}x (bf16's ratio is against the fp32 matmul rate)")
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"load average (1 min) {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end; this process "
          f"used {cpu / wall:.2f} CPU-seconds per second over {wall:.0f} s")


if __name__ == "__main__":
    main()
