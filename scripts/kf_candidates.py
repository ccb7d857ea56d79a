"""Ways to make K_F aware of its own histogram noise, compared on never-compressed photographs and
their JPEGs: the design record of K_F^n (:func:`jpegaf.detectors.blocking.blocking_kf_normalised`).

    python scripts/kf_candidates.py --calibration data/corpus/calibration --sets DIR [DIR ...]

For each side 64, 128 and 256 (the centre crop of every image at least that large) and each
candidate, a threshold is set at the plain 95th percentile of the ``--calibration`` images'
scores; the script prints the share of each ``--sets`` folder's originals above it, of all of them
pooled, and the ROC AUC of the sets' originals against their JPEGs at QF 25, 50 and 75 (pinned
libjpeg). A design figure, not a calibration: the shipped thresholds are fitted by scene
(``scripts/calibrate_detectors.py``), and every folder passed here has been seen.

The candidates, all built from the histograms of K_F's second difference |A - B - C + D| at one
offset of every 8x8 block (H_p at offset p; R the nine odd in-block offsets of K_F^n, H_S the mean
of H_p over S, D_k = |H_k - H_{R minus k}|_1 for k in R):

* ``K_F``: |H_(3,3) - H_(7,7)|_1, the published measure;
* ``pooled``: |H_(7,7) - H_R|_1, K_F with a nine-offset reference (less noise on one side);
* ``minus floor``: K_F minus the mean of |H_(3,3) - H_k|_1 over the other eight offsets of R;
* ``difference``: pooled minus the mean of D_k;
* ``z``: that difference over the standard deviation of D_k;
* ``ratio``: pooled over the mean of D_k;
* ``K_F^n``: pooled over the largest D_k (the shipped one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from jpegaf.data import centre_crop_position, crop, load_luma
from jpegaf.detectors.blocking import (CORNER, INNER, REFERENCE_OFFSETS, blocking_kf_normalised,
                                      second_difference_histogram)
from jpegaf.jpeg import compress, decompress
from jpegaf.metrics import roc_auc

LOSSLESS = (".png", ".pgm", ".ppm", ".tif", ".tiff", ".bmp")
SIZES = (64, 128, 256)
QUALITIES = (25, 50, 75)


def candidates(img: np.ndarray) -> dict[str, float]:
    """Every candidate of the module doc on one uint8 gray image."""
    x = np.asarray(img).astype(np.int32)
    ref = np.stack([second_difference_histogram(x, *p) for p in REFERENCE_OFFSETS])
    n, total = len(REFERENCE_OFFSETS), ref.sum(axis=0)
    corner, inner = second_difference_histogram(x, *CORNER), ref[REFERENCE_OFFSETS.index(INNER)]
    pooled = float(np.abs(corner - total / n).sum())
    d = np.array([np.abs(ref[k] - (total - ref[k]) / (n - 1)).sum() for k in range(n)])
    floor = np.mean([np.abs(inner - ref[k]).sum() for k in range(n) if REFERENCE_OFFSETS[k] != INNER])
    kf = float(np.abs(inner - corner).sum())
    tiny = 1e-12
    return {"K_F": kf, "pooled": pooled, "minus floor": kf - floor, "difference": pooled - d.mean(),
            "z": (pooled - d.mean()) / max(d.std(ddof=1), tiny), "ratio": pooled / max(d.mean(), tiny),
            "K_F^n": blocking_kf_normalised(img)}


def folder_scores(folder: Path, size: int, qualities: tuple[int, ...]) -> dict[int, list[dict[str, float]]]:
    """{0: candidates of each original's centre crop of ``size``, q: of its JPEG at q}."""
    out: dict[int, list[dict[str, float]]] = {q: [] for q in (0, *qualities)}
    for f in sorted(p for p in folder.iterdir() if p.suffix.lower() in LOSSLESS):
        img = load_luma(f)
        if min(img.shape) < size:
            continue
        c = crop(img, *centre_crop_position(*img.shape, size), size)
        out[0].append(candidates(c))
        for q in qualities:
            out[q].append(candidates(decompress(compress(c, q))))
    return out


def table(calibration: dict[int, list[dict]], sets: dict[str, dict[int, list[dict]]], size: int) -> list[str]:
    """Markdown rows of the module doc's figures at one side."""
    names = list(calibration[0][0])
    lines = [f"{size} px: share of originals above the calibration images' 95th percentile, and AUC against "
             "the JPEGs (every set pooled)", "",
             "| candidate | " + " | ".join(sets) + " | pooled | " + " | ".join(f"AUC QF {q}" for q in QUALITIES) + " |",
             "|---|" + "---|" * (len(sets) + 1 + len(QUALITIES))]
    for name in names:
        threshold = np.quantile([s[name] for s in calibration[0]], 0.95)
        cells, above, count = [], 0, 0
        for scores in sets.values():
            k = sum(s[name] > threshold for s in scores[0])
            cells.append(f"{k}/{len(scores[0])}")
            above, count = above + k, count + len(scores[0])
        neg = [s[name] for scores in sets.values() for s in scores[0]]
        aucs = [roc_auc(neg, [s[name] for scores in sets.values() for s in scores[q]]) for q in QUALITIES]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {100 * above / max(count, 1):.1f}% | "
                     + " | ".join(f"{a:.3f}" for a in aucs) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=Path, required=True, help="never-compressed images the thresholds come from")
    ap.add_argument("--sets", type=Path, nargs="+", required=True, help="folders of never-compressed images to judge")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = ap.parse_args(argv)
    for folder in (args.calibration, *args.sets):
        if not folder.is_dir():
            print(f"{folder}: not a folder", file=sys.stderr)
            return 2
    out = []
    for size in args.sizes:
        calibration = folder_scores(args.calibration, size, ())
        if not calibration[0]:
            print(f"{args.calibration}: no lossless image of at least {size} px", file=sys.stderr)
            return 2
        sets = {f.name: folder_scores(f, size, QUALITIES) for f in args.sets}
        out += [*table(calibration, sets, size), ""]
    print("\n".join(out), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
