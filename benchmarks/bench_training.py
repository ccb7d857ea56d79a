"""GAN training throughput on this CPU: images/s of a phase-1 step (generator, L1) and of a phase-2
step (discriminator step + generator step) at batch 16 with 64x64 and 128x128 crops, against the
compute bound measured in the same run.

The bound: a training step costs about 3x the forward FLOPs (forward + backward for the input and
the weights) of the generator, 2.51 MFLOP/pixel forward; the CPU's rate is a large fp32 torch.mm.
Median of `--repeat` steps after one warm-up step.

    python benchmarks/bench_training.py [--repeat 3]
"""

import argparse
import os
import statistics
import time

import torch

from jpegaf.models import Discriminator, DiscriminatorConfig, Generator, GeneratorConfig, flops_per_pixel
from jpegaf.train.steps import GanNets, LossWeights, gan_step, generator_only_step


def matmul_gflops(n: int = 2048) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    return 2 * n**3 / statistics.median(times) / 1e9


def median_step(step, repeat: int) -> float:
    step()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    rate = matmul_gflops()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}; "
          f"fp32 torch.mm {rate:.1f} GFLOP/s")
    batch = 16
    for crop in (64, 128):
        g = Generator(GeneratorConfig())
        d = Discriminator(DiscriminatorConfig(input_size=crop))
        opt_g = torch.optim.Adam(g.parameters(), lr=5e-4)
        opt_d = torch.optim.Adam(d.parameters(), lr=5e-6)
        original = torch.rand(batch, 1, crop, crop) * 2 - 1
        compressed = (original + 0.02 * torch.randn_like(original)).clamp(-1, 1)
        bound = rate * 1e9 / (3 * flops_per_pixel() * crop * crop)  # images/s if G ran at mm speed
        t1 = median_step(lambda: generator_only_step(g, opt_g, compressed, original), args.repeat)
        nets = GanNets(g, d, opt_g, opt_d)
        t2 = median_step(lambda: gan_step(nets, compressed, original, LossWeights(1.0, 0.0, 1e-2)), args.repeat)
        print(f"{crop}x{crop}, batch {batch}: phase 1 {batch / t1:6.2f} images/s ({t1:.2f} s/step), "
              f"phase 2 {batch / t2:6.2f} images/s ({t2:.2f} s/step); generator-only bound "
              f"{bound:.2f} images/s -> phase 1 at {batch / t1 / bound:.0%} of it")


if __name__ == "__main__":
    main()
