"""How much of K_F is the noise of its own histograms: K_F of each never-compressed image beside the
same statistic between two positions that both lie inside the blocks (no block boundary at all).

    python scripts/kf_floor.py DIR [DIR ...] [--threshold T] [--quality Q]

K_F (Fan & de Queiroz 2003, :func:`jpegaf.detectors.blocking.blocking_kf`) is the L1 distance
between the integer histograms of ``Z' = |A - B - C + D|`` at the four central pixels of each
block and ``Z''`` across each block corner. On a 256-px image each histogram has 31 x 31 = 961
values; where the differences spread over tens of grey levels (high-contrast textures) the two
histograms differ by sampling noise alone. The *floor* printed here is the same L1 distance
between ``Z'`` and the same difference at pixels (1,1), (1,2), (2,1), (2,2) of each block: two
in-block positions, so no JPEG grid can separate them. A K_F near its floor says the image's K_F
is noise, whatever the threshold. Prints one line per image (sorted by K_F) and the correlation
of K_F with the floor; runs no other detector. A diagnosis, not part of any detector.

``--quality Q`` also compresses each image at Q (the pinned libjpeg) and prints the ROC AUC of the
originals against their JPEGs for K_F and for K_F minus its floor: whether subtracting the floor
keeps what K_F detects (a probe for a floor-aware K_F; nothing ships it), and the same AUC of
K_F^n, the floor-aware K_F the project ships (:func:`jpegaf.detectors.blocking.blocking_kf_normalised`:
the corner against nine in-block offsets pooled, divided by the largest distance of one of them
from the other eight), which the one-line-per-image output prints too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from jpegaf.data import load_luma
from jpegaf.detectors import blocking
from jpegaf.detectors.blocking import blocking_kf, blocking_kf_normalised
from jpegaf.jpeg import compress, decompress
from jpegaf.metrics import roc_auc

LOSSLESS = (".png", ".pgm", ".ppm", ".tif", ".tiff", ".bmp")


def second_differences(img: np.ndarray, row: int, col: int) -> np.ndarray:
    """K_F's second differences at offset (row, col) of each block of a uint8 image
    (:func:`jpegaf.detectors.blocking.second_differences`), as a flat int array."""
    return blocking.second_differences(np.asarray(img).astype(np.int32), row, col)


def kf_floor(img: np.ndarray) -> float:
    """L1 distance of the normalised histograms of the second differences at block offsets (3, 3)
    (K_F's in-block one) and (1, 1): K_F's statistic with no block boundary in it."""
    a, b = second_differences(img, 3, 3), second_differences(img, 1, 1)
    n = max(int(a.max()), int(b.max())) + 1
    return float(np.abs(np.bincount(a, minlength=n) / a.size - np.bincount(b, minlength=n) / b.size).sum())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, nargs="+", help="folders of never-compressed gray or colour images")
    ap.add_argument("--threshold", type=float, help="K_F's threshold, to mark the images above it")
    ap.add_argument("--quality", type=int, help="also compare with the images' JPEGs at this quality (AUCs)")
    args = ap.parse_args(argv)
    files = [p for d in args.data if d.is_dir() for p in sorted(d.iterdir()) if p.suffix.lower() in LOSSLESS]
    if not files:
        print(f"{', '.join(map(str, args.data))}: no lossless images", file=sys.stderr)
        return 2
    rows, jpegs = [], []
    for f in files:
        img = load_luma(f)
        rows.append((blocking_kf(img), kf_floor(img), float(np.median(second_differences(img, 3, 3))),
                     f"{f.parent.name}/{f.name}", blocking_kf_normalised(img)))
        if args.quality is not None:
            j = decompress(compress(img, args.quality))
            jpegs.append((blocking_kf(j), kf_floor(j), blocking_kf_normalised(j)))
    for kf, floor, median, name, kfn in sorted(rows):
        mark = "  above the threshold" if args.threshold is not None and kf > args.threshold else ""
        print(f"K_F {kf:.3f}  floor {floor:.3f}  K_F^n {kfn:.3f}  median |Z'| {median:5.1f}  {name}{mark}")
    if len(rows) > 2:
        print(f"correlation of K_F with its floor over {len(rows)} images: "
              f"{np.corrcoef([r[0] for r in rows], [r[1] for r in rows])[0, 1]:.2f}")
    if jpegs:
        kf_o, floor_o = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
        kf_j, floor_j = np.array([j[0] for j in jpegs]), np.array([j[1] for j in jpegs])
        print(f"QF {args.quality}, {len(rows)} originals against their JPEGs: AUC of K_F {roc_auc(kf_o, kf_j):.3f}, "
              f"of K_F minus its floor {roc_auc(kf_o - floor_o, kf_j - floor_j):.3f}; spread (sd) over the "
              f"originals {kf_o.std():.3f} and {(kf_o - floor_o).std():.3f}; AUC of K_F^n "
              f"{roc_auc([r[4] for r in rows], [j[2] for j in jpegs]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
