"""Calibrate the classical detectors' thresholds on the bundled never-compressed photographs.

For each image side 64, 128, 256 and 512, every detector scores square crops of the bundled
samples (``jpegaf.samples``, never-compressed gray photographs), and the threshold is chosen so
that at most ``--fpr`` (default 5%) of them score above it
(:func:`jpegaf.detectors.base.calibrate_threshold`). Crops are 8-aligned and non-overlapping:
the cells of a ``size`` grid centred on the photograph, nearest the centre first; one per photo
at 256 and 512 (the centre crop), several per photo at 64 and 128 so that those sizes have a few
hundred images. Photographs smaller than the crop are skipped.

These thresholds rest on few images (tens of scenes, 14 of them at 512), not on the paper's
BOSSBase/BOWS2; where n_images * fpr < 1 the threshold is simply the largest score seen. They are
fit for the tests, the demo and first experiments, not for published figures: recalibrate on a
large never-compressed set with this script's functions for those.

Usage: python scripts/calibrate_detectors.py [--fpr 0.05] [--output PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from jpegaf.detectors import classical_detectors
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS, Calibration, calibrate_threshold, save_calibrations
from jpegaf.imageio import read_image
from jpegaf.jpeg import libjpeg_version
from jpegaf.samples import sample_paths

BLOCK = 8
#: Crop sides and how many non-overlapping crops to take per photograph at most.
CROPS_PER_PHOTO = {64: 16, 128: 8, 256: 1, 512: 1}

DETECTORS = classical_detectors()


def centre_tiles(height: int, width: int, size: int, n: int) -> list[tuple[int, int]]:
    """Top-left corners of up to ``n`` non-overlapping ``size`` crops, nearest the centre first.

    The grid of whole ``size`` cells is centred on the image (its origin rounded down to a
    multiple of 8); cells are sorted by the distance of their centre to the image's centre
    (ties by position, so the result is deterministic). n = 1 gives the centre crop.
    """
    rows, cols = height // size, width // size
    top0 = (height - rows * size) // 2 // BLOCK * BLOCK
    left0 = (width - cols * size) // 2 // BLOCK * BLOCK
    cells = [(top0 + r * size, left0 + c * size) for r in range(rows) for c in range(cols)]
    cy, cx = height / 2, width / 2
    cells.sort(key=lambda tl: ((tl[0] + size / 2 - cy) ** 2 + (tl[1] + size / 2 - cx) ** 2, tl))
    return cells[:n]


def calibration_crops(photos: list[np.ndarray], size: int, per_photo: int) -> tuple[list[np.ndarray], int]:
    """Crops of side ``size`` of every photograph large enough, and how many photographs gave one."""
    crops, used = [], 0
    for img in photos:
        tiles = centre_tiles(img.shape[0], img.shape[1], size, per_photo)
        used += bool(tiles)
        crops += [np.ascontiguousarray(img[t:t + size, l:l + size]) for t, l in tiles]
    return crops, used


def calibrate(photos: list[np.ndarray], fpr: float) -> list[Calibration]:
    """One Calibration per (detector, size), printing each threshold as it is found."""
    results = []
    for size, per_photo in CROPS_PER_PHOTO.items():
        crops, used = calibration_crops(photos, size, per_photo)
        source = (f"jpegaf bundled samples: {len(crops)} never-compressed {size}x{size} crops "
                  f"(8-aligned, non-overlapping, nearest the centre, at most {per_photo} per photo) "
                  f"of {used} gray photographs; K_V recompresses with {libjpeg_version()}")
        for det in DETECTORS:
            start = time.perf_counter()
            scores = [det.score(c) for c in crops]
            threshold = calibrate_threshold(scores, fpr)
            results.append(Calibration(detector=det.name, threshold=threshold, fpr=fpr,
                                       n_images=len(crops), size=size, source=source))
            print(f"{size:4d}  {det.name:18s} n={len(crops):4d}  threshold={threshold:10.5g}  "
                  f"({time.perf_counter() - start:5.1f} s)", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fpr", type=float, default=0.05, help="false-positive rate (default 0.05)")
    parser.add_argument("--output", type=Path, default=DEFAULT_CALIBRATIONS,
                        help=f"JSON file to write (default {DEFAULT_CALIBRATIONS})")
    args = parser.parse_args(argv)
    photos = [read_image(p) for p in sample_paths()]
    save_calibrations(args.output, calibrate(photos, args.fpr))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
