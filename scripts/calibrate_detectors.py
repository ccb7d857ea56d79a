"""Calibrate the classical detectors' thresholds, and F2's K_F target, out of sample.

Thresholds at image sides 64, 128 and 256 are fitted on the **calibration part of the training
corpus** (``jpegaf data build-corpus``; default ``data/corpus``, built by ``make corpus``): its
256x256 crops, and their non-overlapping 128x128 and 64x64 sub-crops (4 and 16 per crop). That
part is never used for training and never evaluated (the corpus's split is by scene), so the
"original" rows of an evaluation on the corpus's test part, or on any other photographs, measure
a real false-positive rate. For each detector the threshold is chosen so that at most ``--fpr``
(default 5%) of those never-compressed crops score above it
(:func:`jpegaf.detectors.base.calibrate_threshold`).

The corpus has no 512x512 crops: 512 is calibrated on the bundled samples' centre crops as
before (14 photographs), and its ``source`` says so — those thresholds are not held out from an
evaluation of the bundled samples.

F2 (Stamm & Liu) deblocks until K_F reaches a never-compressed level: the K_F values of the same
calibration crops are written to ``jpegaf/antiforensics/kf_reference.json``, from which F2 takes
its target quantile (:func:`jpegaf.antiforensics.stamm.never_compressed_kf`).

Usage: python scripts/calibrate_detectors.py [--corpus data/corpus] [--fpr 0.05] [--output PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.stamm import KF_REFERENCE, save_kf_reference
from jpegaf.data.corpus import MANIFEST, PROVENANCE, is_corpus, read_corpus_parts
from jpegaf.detectors import classical_detectors
from jpegaf.detectors.blocking import blocking_kf
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS, Calibration, calibrate_threshold, save_calibrations
from jpegaf.imageio import read_image
from jpegaf.jpeg import libjpeg_version
from jpegaf.samples import sample_paths

BLOCK = 8
#: Sides calibrated on the corpus (sub-crops of its 256x256 crops) and on the bundled samples.
CORPUS_SIZES = (64, 128, 256)
SAMPLE_SIZES = {512: 1}  # side -> crops per photograph (the centre crop)

DETECTORS = classical_detectors()


def sub_crops(crops: list[np.ndarray], size: int) -> list[np.ndarray]:
    """Every non-overlapping ``size`` sub-crop of each crop (8-aligned when size is), row-major."""
    out = []
    for c in crops:
        for top in range(0, c.shape[0] - size + 1, size):
            for left in range(0, c.shape[1] - size + 1, size):
                out.append(np.ascontiguousarray(c[top:top + size, left:left + size]))
    return out


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


def calibrate_crops(crops: list[np.ndarray], size: int, fpr: float, source: str) -> list[Calibration]:
    """One Calibration per detector for ``crops`` of side ``size``, printing each threshold."""
    results = []
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
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"),
                        help="a corpus built by `jpegaf data build-corpus` (default data/corpus)")
    parser.add_argument("--fpr", type=float, default=0.05, help="false-positive rate (default 0.05)")
    parser.add_argument("--output", type=Path, default=DEFAULT_CALIBRATIONS,
                        help=f"JSON file to write (default {DEFAULT_CALIBRATIONS})")
    parser.add_argument("--kf-reference", type=Path, default=KF_REFERENCE,
                        help=f"F2's K_F reference to write (default {KF_REFERENCE})")
    args = parser.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus` or `jpegaf data build-corpus DIR`)",
              file=sys.stderr)
        return 2
    manifest = json.loads((args.corpus / MANIFEST).read_text(encoding="utf-8"))
    digest = hashlib.sha256((args.corpus / PROVENANCE).read_bytes()).hexdigest()[:16]
    calibration_part = read_corpus_parts(args.corpus).calibration
    crops = [read_image(p) for p in calibration_part]
    scenes = sum(1 for part in manifest.get("scenes", {}).values() if part == "calibration")
    results, kf_values = [], {}
    for size in CORPUS_SIZES:
        part = sub_crops(crops, size)
        source = (f"jpegaf training corpus, calibration part (PROVENANCE.csv sha256 {digest}...): "
                  f"{len(part)} never-compressed {size}x{size} crops ({len(crops)} crops of 256 from "
                  f"{scenes} scenes, non-overlapping sub-crops); never trained on, never evaluated; "
                  f"K_V recompresses with {libjpeg_version()}")
        results += calibrate_crops(part, size, args.fpr, source)
        kf_values[size] = ([blocking_kf(c) for c in part], source)
    photos = [read_image(p) for p in sample_paths()]
    for size, per_photo in SAMPLE_SIZES.items():
        part, used = calibration_crops(photos, size, per_photo)
        source = (f"jpegaf bundled samples: {len(part)} never-compressed {size}x{size} centre crops of "
                  f"{used} gray photographs (the corpus has no {size}x{size} crops); NOT held out from "
                  f"an evaluation of the bundled samples; K_V recompresses with {libjpeg_version()}")
        results += calibrate_crops(part, size, args.fpr, source)
    save_calibrations(args.output, results)
    save_kf_reference(args.kf_reference, {size: v for size, (v, _) in kf_values.items()},
                      {size: src for size, (_, src) in kf_values.items()})
    print(f"wrote {args.output} and {args.kf_reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
