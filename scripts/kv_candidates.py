"""Ways to keep K_V from reading sensor noise as a JPEG history, compared on never-compressed
photographs and on F1's outputs: a design probe after unseen set 6 (``results/unseen6/``), where
K_V flagged 7 of 13 noise-dominated science frames.

    python scripts/kv_candidates.py --calibration data/corpus/calibration --sets DIR [DIR ...]
        [--qualities 50 75] [--every 2] [--size 256]

K_V (Valenzise et al., :func:`jpegaf.detectors.tv.max_delta_tv`) is the largest rise of the total
variation TV(q) of the image recompressed at quality q, between neighbouring qualities, per pixel:
F1's dither survives recompression from its own quality up, so TV jumps there. Where noise is a
large part of an image, TV(q) rises steeply near the top of the range with no jump, and the
largest rise is large too. The candidates, from the same TV curve (d(q) = TV(q) - TV(q - 1)):

* ``K_V``: max d(q) / (H W), the published measure;
* ``relative``: max d(q) / TV(q), the rise against the curve's level;
* ``over local slope``: max (d(q) - the median of d over the three qualities on each side) / (H W):
  a jump against the curve's own local slope (the analogue of K_F^n, which compares the block
  corners with the blocks' interiors); shipped as K_V^s
  (:func:`jpegaf.detectors.tv.max_delta_tv_detrended`);
* ``local ratio``: max d(q) / that median (floored at 1).

For each candidate a threshold is set at the plain 95th percentile of the ``--calibration``
images' scores (the centre 256x256 crop of every ``--every``-th image); the script prints the
share of each ``--sets`` folder's originals above it, and, against F1's outputs (Stamm's dither
on each set image's JPEG at each ``--qualities``), the ROC AUC and the share above the
threshold; the same against the plain JPEGs (decoded, no dither). A design figure on photographs that have been seen, not a calibration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from jpegaf.antiforensics import StammDither
from jpegaf.data import centre_crop_position, crop, load_luma
from jpegaf.detectors.tv import local_slope, tv_curve
from jpegaf.jpeg import compress, jpeg_roundtrip, read_coefficients
from jpegaf.metrics import roc_auc

LOSSLESS = (".png", ".pgm", ".ppm", ".tif", ".tiff", ".bmp")
SIZE = 256


def candidates(img: np.ndarray) -> dict[str, float]:
    """Every candidate of the module doc on one uint8 gray image."""
    tv = tv_curve(img)
    d = np.diff(tv)
    local = local_slope(d)  # K_V^s's, jpegaf.detectors.tv
    return {"K_V": float(d.max() / img.size), "relative": float((d / tv[1:]).max()),
            "over local slope": float((d - local).max() / img.size),
            "local ratio": float((d / np.maximum(local, 1.0)).max())}


def centre_crops(folder: Path, every: int = 1, size: int = SIZE) -> list[np.ndarray]:
    """The centre ``size`` crop of every ``every``-th lossless image of ``folder`` at least SIZE large
    (the same images at every size)."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in LOSSLESS)[::every]
    out = []
    for f in files:
        img = load_luma(f)
        if min(img.shape) >= SIZE:
            out.append(crop(img, *centre_crop_position(*img.shape, size), size))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=Path, required=True)
    ap.add_argument("--sets", type=Path, nargs="+", required=True)
    ap.add_argument("--qualities", type=int, nargs="+", default=[50, 75], help="F1's JPEG qualities")
    ap.add_argument("--every", type=int, default=1, help="use every n-th calibration image")
    ap.add_argument("--size", type=int, default=SIZE, choices=(64, 128, 256), help="centre crop side")
    args = ap.parse_args(argv)
    for folder in (args.calibration, *args.sets):
        if not folder.is_dir():
            print(f"{folder}: not a folder", file=sys.stderr)
            return 2
    calibration = [candidates(c) for c in centre_crops(args.calibration, args.every, args.size)]
    if not calibration:
        print(f"{args.calibration}: no lossless image of at least {SIZE} px", file=sys.stderr)
        return 2
    originals, f1, jpegs = {}, [], []
    for folder in args.sets:
        crops = centre_crops(folder, size=args.size)
        originals[folder.name] = [candidates(c) for c in crops]
        f1 += [candidates(StammDither()(read_coefficients(compress(c, q)), seed=i))
               for i, c in enumerate(crops) for q in args.qualities]
        jpegs += [candidates(jpeg_roundtrip(c, q)) for c in crops for q in args.qualities]
    qs = "/".join(map(str, args.qualities))
    lines = [f"{args.size} px, {len(calibration)} calibration images: share of originals above their 95th percentile, "
             f"and F1's outputs (QF {qs}) against all the sets' originals", "",
             "| candidate | " + " | ".join(originals) + " | F1: AUC | F1: above | JPEG: AUC | JPEG: above |",
             "|---|" + "---|" * (len(originals) + 4)]
    for name in calibration[0]:
        threshold = np.quantile([s[name] for s in calibration], 0.95)
        cells = [f"{sum(s[name] > threshold for s in scores)}/{len(scores)}" for scores in originals.values()]
        neg = [s[name] for scores in originals.values() for s in scores]
        rows = []
        for positives in (f1, jpegs):
            pos = [s[name] for s in positives]
            rows.append(f"{roc_auc(neg, pos):.3f} | {100 * np.mean(np.array(pos) > threshold):.0f}%")
        lines.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(rows) + " |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
