"""CNN detector training cost per image size on this CPU: seconds per SGD step of the full MISLnet
(batch 64: 32 originals + their 32 JPEGs) at 64, 128 and 256 pixels, and what a run on the training
corpus then costs.

Per step: median of ``--repeat`` steps after one warm-up step, on random images (the cost of a
convolution does not depend on the pixel values). Per corpus epoch: the corpus's train part gives
(256 / size)^2 non-overlapping crops per 256x256 crop (`TrainPairs`), so an epoch is
train_crops * (256 / size)^2 / 32 steps; printed for the 264 training crops of `make corpus`.
Data preparation (JPEG of each crop, cached after the first epoch) and the held-out evaluation
after each epoch come on top.

    python benchmarks/bench_detector_training.py [--repeat 3] [--sizes 64 128 256] [--train-crops 264]
"""

import argparse
import os

import torch

from bench_training import median_step  # same folder: run as `python benchmarks/bench_detector_training.py`
from jpegaf.models import DetectorCNN, DetectorCNNConfig
from jpegaf.train.detector import detector_step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 128, 256])
    ap.add_argument("--train-crops", type=int, default=264, help="256x256 crops of the corpus's train part")
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    batch = 64
    base = None
    for size in args.sizes:
        model = DetectorCNN(DetectorCNNConfig(input_size=size))
        opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.95, weight_decay=5e-4)
        images = torch.rand(batch, 1, size, size) * 2 - 1
        labels = torch.cat([torch.zeros(batch // 2), torch.ones(batch // 2)])
        t = median_step(lambda: detector_step(model, model, opt, images, labels), args.repeat)
        base = base or t
        steps = args.train_crops * (256 // size) ** 2 // (batch // 2)
        params = sum(p.numel() for p in model.parameters())
        print(f"{size:3d}x{size:<3d} {params / 1e6:5.2f} M parameters: {t:6.2f} s/step ({t / base:4.1f}x the "
              f"first size), {steps} steps per corpus epoch -> {steps * t / 60:5.1f} min per epoch")


if __name__ == "__main__":
    main()
