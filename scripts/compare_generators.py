"""Which generator restores better, judged on the corpus's calibration part (never trained on by any
generator; the held-out photographs in src/jpegaf/heldout stay untouched for the final figures).
Used to choose between a shipped generator and the checkpoints of a corpus fine-tune (issue 14).

    python scripts/compare_generators.py --quality 50 WEIGHTS [WEIGHTS ...] [--size 128]
        [--corpus data/corpus] [--limit N]

WEIGHTS: an exported generator (``.safetensors`` with its model card) or a training run's
``checkpoint.pt`` (the generator at that step). Crops: the centre ``--size`` crop of each
calibration photograph (the training's own validation crops), compressed at ``--quality`` by
libjpeg. Printed per generator: mean PSNR and SSIM of its output and gain over the JPEG, and the
per-crop PSNR difference to the first WEIGHTS with a 95 % bootstrap interval (paired: the same
crops), so that a difference of a few hundredths of a dB is not read as a win.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

from jpegaf.data import CentreCropPairs, from_unit_range
from jpegaf.data.corpus import read_corpus_parts
from jpegaf.metrics import psnr, ssim
from jpegaf.models import Generator
from jpegaf.train.checkpoint import load_checkpoint
from jpegaf.train.config import GanTrainConfig
from jpegaf.train.loop import generator_input
from jpegaf.weights import load_generator


def load_any(path: Path) -> tuple[torch.nn.Module, str]:
    """The generator in eval mode and a label saying where it comes from."""
    if path.suffix == ".safetensors":
        generator, _ = load_generator(path)
        return generator, str(path)
    state = load_checkpoint(path)
    config = GanTrainConfig.from_dict(json.loads(state["config"]))
    if config.conditioned:
        raise SystemExit(f"{path}: a conditioned generator; this script compares one-quality ones")
    generator = Generator(config.generator)
    generator.load_state_dict(state["models"]["generator"])
    return generator.eval(), f"{path} (step {state['position']['global_step']})"


def per_crop(generator: torch.nn.Module, pairs: CentreCropPairs, limit: int | None) -> np.ndarray:
    """Rows (PSNR JPEG, PSNR output, SSIM JPEG, SSIM output), one per crop."""
    n = len(pairs) if limit is None else min(limit, len(pairs))
    rows = []
    with torch.no_grad():
        for i in range(n):
            original, jpeg_img = pairs.pair_uint8(i)
            out = from_unit_range(generator(generator_input(jpeg_img, None)).clamp(-1, 1)[0, 0].numpy())
            rows.append((psnr(original, jpeg_img), psnr(original, out), ssim(original, jpeg_img), ssim(original, out)))
    return np.array(rows, dtype=np.float64)


def bootstrap_mean(values: np.ndarray, seed: int = 0, n: int = 10_000) -> tuple[float, float]:
    """95 % percentile interval of the mean."""
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("weights", nargs="+", type=Path)
    parser.add_argument("--quality", type=int, required=True)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--limit", type=int, default=None, help="first N calibration photographs only")
    parser.add_argument("--cache-dir", default=".cache/crops")
    args = parser.parse_args(argv)
    torch.set_grad_enabled(False)
    pairs = CentreCropPairs(read_corpus_parts(args.corpus).calibration, args.quality, args.size,
                            cache_dir=args.cache_dir)
    first = None
    print(f"corpus calibration part, centre {args.size}-px crops, QF {args.quality}")
    for path in args.weights:
        generator, label = load_any(path)
        rows = per_crop(generator, pairs, args.limit)
        finite = np.isfinite(rows[:, 0]) & np.isfinite(rows[:, 1])
        gain = rows[finite, 1] - rows[finite, 0]
        line = (f"{label}: n {int(finite.sum())}, PSNR {rows[finite, 1].mean():.2f} dB, gain {gain.mean():+.3f} dB, "
                f"SSIM {rows[:, 3].mean():.4f} (JPEG {rows[:, 2].mean():.4f})")
        if first is None:
            first = rows
        else:
            both = finite & np.isfinite(first[:, 1])
            diff = rows[both, 1] - first[both, 1]
            lo, hi = bootstrap_mean(diff)
            line += f"; vs first {diff.mean():+.3f} dB (95 % {lo:+.3f} to {hi:+.3f}), better on {np.mean(diff > 0):.0%}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
