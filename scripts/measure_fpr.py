"""False-positive rates of the detectors' thresholds on never-compressed images they were not fitted on.

For every image of a folder's test part (``--split all``: every image; a corpus's test part by
default), the centre crop at each size is scored by every classical detector and by the shipped
CNN detectors of that size; the rate of crops called "JPEG" is printed per detector and size, with
its count and a 95% Clopper-Pearson interval, for each calibration file given (default: the
shipped one), so that two sets of thresholds are compared on the same crops.

    python scripts/measure_fpr.py data/corpus [--sizes 64 128 256] [--calibrations A.json B.json]

To compare with the thresholds the project shipped before the corpus (fitted on the bundled
samples): ``git show 33fd58a:src/jpegaf/detectors/calibrations.json > /tmp/old.json`` and pass both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jpegaf.data import centre_crop_position, crop, dataset_parts, load_luma
from jpegaf.detectors import classical_detectors, load_calibrations
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS, calibration_for, verdict
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.metrics import rate_interval
from jpegaf.pretrained import shipped_detectors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--split", choices=("test", "all"), default="test")
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 128, 256])
    ap.add_argument("--calibrations", type=Path, nargs="+", default=[DEFAULT_CALIBRATIONS])
    args = ap.parse_args(argv)
    parts = dataset_parts(args.data)
    files = sorted(set(parts.train) | set(parts.held_out) | set(parts.test)) if args.split == "all" else parts.test
    cal_sets = [(p, load_calibrations(p)) for p in args.calibrations]
    cnns = [CnnDetector.load(w) for w in shipped_detectors()]
    print(f"{args.data} ({args.split}): {len(files)} never-compressed images; centre crops")
    for size in args.sizes:
        images = [load_luma(f) for f in files]
        crops = [crop(img, *centre_crop_position(*img.shape, size), size) for img in images if min(img.shape) >= size]
        for det in classical_detectors():
            scores = [det.score(c) for c in crops]
            cells = []
            for _, cals in cal_sets:
                cal = calibration_for(cals, det.name, size)
                k = sum(verdict(s, cal) for s in scores)
                lo, hi = rate_interval(k, len(scores))
                cells.append(f"{100 * k / len(scores):5.1f}% [{100 * lo:4.1f}, {100 * hi:4.1f}]")
            print(f"{size:4d} {det.name:13s} n={len(scores):3d}  " + "   ".join(cells), flush=True)
        for det in (d for d in cnns if d.size == size):
            scores = det.score_batch(crops)
            k = sum(verdict(s, det.calibration) for s in scores)
            lo, hi = rate_interval(k, len(scores))
            print(f"{size:4d} {det.name:13s} n={len(scores):3d}  {100 * k / len(scores):5.1f}% "
                  f"[{100 * lo:4.1f}, {100 * hi:4.1f}] (its own threshold)", flush=True)
    print("columns: " + " | ".join(str(p) for p, _ in cal_sets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
