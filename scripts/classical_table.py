"""Table I rows for the classical methods on the bundled photographs: mean PSNR/SSIM of the JPEG (J),
F1, F2 and F3 against the never-compressed originals, at QF 25/50/75 and centre crops of 128, 256
and 512, next to the seed paper's Table I rows for J, F1 and F2 (BOSSBase + BOWS2, 4,000 images).

Usage: python scripts/classical_table.py [--sizes 128 256 512] [--qualities 25 50 75] [--no-f3]
Prints a Markdown table; per-image rows go to --csv if given. Seed 0 for every method.
A second table gives the detection rate of K_F and K_L at their thresholds calibrated on the
bundled never-compressed photographs (5% false positives, calibrations.json) at the same size.
"""

from __future__ import annotations

import argparse
import csv
import sys

import numpy as np

from jpegaf import jpeg
from jpegaf.antiforensics import FanVariational, StammDeblocking, StammDither
from jpegaf.data import centre_crop_position, crop, load_luma
from jpegaf.detectors import BlockingDetector, CalibrationDetector, calibration_for, load_calibrations
from jpegaf.evaluation.paper import TABLE1 as PAPER  # the paper's Table I, keyed (size, 'J'|'F1'|'F2'|'F')
from jpegaf.metrics import psnr, ssim, summarize_psnr
from jpegaf.samples import sample_paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512])
    ap.add_argument("--qualities", type=int, nargs="+", default=[25, 50, 75])
    ap.add_argument("--no-f3", action="store_true")
    ap.add_argument("--csv")
    args = ap.parse_args(argv)
    methods = [("F1", StammDither()), ("F2", StammDeblocking())]
    if not args.no_f3:
        methods.append(("F3", FanVariational()))
    images = [(p.name, load_luma(p)) for p in sample_paths()]
    detectors = (BlockingDetector(), CalibrationDetector())
    calibrations = load_calibrations()
    rows = []
    for size in args.sizes:
        for name, img in images:
            if min(img.shape) < size:
                continue
            original = crop(img, *centre_crop_position(*img.shape, size), size)
            for q in args.qualities:
                data = jpeg.compress(original, q)
                coefs = jpeg.read_coefficients(data)
                outputs = [("J", jpeg.decompress(data))] + [(m, f(coefs, 0)) for m, f in methods]
                for m, out in outputs:
                    row = {"size": size, "quality": q, "method": m, "image": name,
                           "psnr": psnr(original, out), "ssim": ssim(original, out)}
                    for det in detectors:
                        cal = calibration_for(calibrations, det.name, size)
                        row[det.name] = int(det.score(out) > cal.threshold)
                    rows.append(row)
            print(f"size {size}: {name} done", file=sys.stderr)
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    head = " | ".join(f"QF {q} PSNR / SSIM (paper)" for q in args.qualities)
    print(f"| size | method | n | {head} |")
    print("|---|---|---|" + "---|" * len(args.qualities))
    for size in args.sizes:
        for m in ["J"] + [m for m, _ in methods]:
            cells, n = [], 0
            for q in args.qualities:
                sel = [r for r in rows if r["size"] == size and r["method"] == m and r["quality"] == q]
                n = len(sel)
                s = summarize_psnr([r["psnr"] for r in sel])
                inf = f" ({s.n_infinite} inf)" if s.n_infinite else ""
                ours = f"{s.mean:.2f}{inf} / {np.mean([r['ssim'] for r in sel]):.3f}"
                paper = PAPER.get((size, m), {}).get(q)
                cells.append(ours + (f" ({paper[0]:.2f} / {paper[1]:.3f})" if paper else ""))
            print(f"| {size} | {m} | {n} | " + " | ".join(cells) + " |")
    print()
    print("| size | method | " + " | ".join(f"QF {q} K_F / K_L detected" for q in args.qualities) + " |")
    print("|---|---|" + "---|" * len(args.qualities))
    for size in args.sizes:
        for m in ["J"] + [m for m, _ in methods]:
            cells = []
            for q in args.qualities:
                sel = [r for r in rows if r["size"] == size and r["method"] == m and r["quality"] == q]
                cells.append(" / ".join(f"{np.mean([r[d.name] for r in sel]):.0%}" for d in detectors))
            print(f"| {size} | {m} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
