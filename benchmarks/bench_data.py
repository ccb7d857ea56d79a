"""Throughput of jpegaf.data: TrainPairs samples per second, and folder checking files per second.

Run: ``.venv/bin/python benchmarks/bench_data.py``. Uses the bundled samples that are 512x512 (the
BOSSBase size), written as PGM files like BOSSBase's, in a temporary folder. Each figure is the
median over ``--repeats`` passes of a DataLoader (``num_workers=0``, batch 16, shuffled) over the
whole dataset:

- no cache: every item crops, compresses and decodes with libjpeg;
- cache, cold: first pass with an empty cache folder (compress, decode and write a PNG);
- cache, warm: later passes of the same epoch (read the PNG instead of compressing).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader

import jpegaf
from jpegaf.data import TrainPairs, image_size, load_luma, scan_folder
from jpegaf.imageio import write_image


def source_images(folder: Path) -> list[Path]:
    """The bundled 512x512 samples, written as PGM into ``folder``."""
    samples = sorted(Path(jpegaf.__file__).parent.joinpath("samples").glob("*.png"))
    files = []
    for src in samples:
        if image_size(src) == (512, 512):
            dst = folder / f"{src.stem}.pgm"
            write_image(dst, load_luma(src))
            files.append(dst)
    if not files:
        raise SystemExit("no 512x512 sample images found in the package")
    return files


def one_pass(ds: TrainPairs, seed: int) -> float:
    """Samples per second of one shuffled pass over ``ds``."""
    loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=0,
                        generator=torch.Generator().manual_seed(seed))
    start = time.perf_counter()
    n = sum(batch[0].shape[0] for batch in loader)
    return n / (time.perf_counter() - start)


def bench_pairs(files: list[Path], crop_size: int, quality: int, repeats: int, tmp: Path) -> dict:
    plain = TrainPairs(files, quality, crop_size=crop_size)
    no_cache = []
    for r in range(repeats):
        plain.set_epoch(r)  # new augmentations each pass, as in training
        no_cache.append(one_pass(plain, r))
    cold, warm = [], []
    for r in range(repeats):
        cache_dir = tmp / f"cache-{crop_size}-{r}"
        cached = TrainPairs(files, quality, crop_size=crop_size, cache_dir=cache_dir)
        cold.append(one_pass(cached, r))
        warm.append(one_pass(cached, r + repeats))
    return {"n": len(plain), "no cache": statistics.median(no_cache),
            "cache, cold": statistics.median(cold), "cache, warm": statistics.median(warm)}


def bench_scan(files: list[Path], copies: int, tmp: Path) -> dict:
    """Files per second of scan_folder over ``copies`` PGM files, with 1 and 2 processes."""
    folder = tmp / "scan"
    folder.mkdir()
    data = [f.read_bytes() for f in files]
    for i in range(copies):
        (folder / f"{i:05d}.pgm").write_bytes(data[i % len(data)])
    rates = {}
    for workers in (1, 2):
        start = time.perf_counter()
        scan = scan_folder(folder, workers=workers, progress=False)
        rates[workers] = len(scan.usable) / (time.perf_counter() - start)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scan-files", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory(prefix="jpegaf-bench-") as t:
        tmp = Path(t)
        files = source_images(tmp)
        print(f"{len(files)} images of 512x512, quality {args.quality}, num_workers=0, "
              f"median of {args.repeats} passes; libjpeg {jpegaf.jpeg.libjpeg_version()}")
        for crop_size in (128, 64):
            r = bench_pairs(files, crop_size, args.quality, args.repeats, tmp)
            print(f"crop {crop_size:3d} ({r['n']} samples): "
                  + ", ".join(f"{k} {v:7.0f} samples/s" for k, v in r.items() if k != "n"))
        rates = bench_scan(files, args.scan_files, tmp)
        print(f"scan_folder over {args.scan_files} 512x512 PGM files: "
              + ", ".join(f"{w} process{'es' if w > 1 else ''} {v:.0f} files/s" for w, v in rates.items()))


if __name__ == "__main__":
    main()
