"""Does a 256-px critic help ``gan+lattice``? (issue 14; results/antiforensic/critic-256.md)

On the 25 calibration photographs that every critic held out (results/antiforensic/critics-split.json),
QF ``--quality``: ``gan+lattice`` as shipped (critic steps against the 64-px critic) against the
same with a 256-px critic pushed at once (:func:`jpegaf.antiforensics.critic.critic_steps` with
both), each photograph's PSNR, the shipped CNN-256's score (the detector that limits
``gan+lattice`` at 256 px), the critic's own score and the lattice detector's z (its shipped
threshold at 256 px). Then, with ``--held-out``, how well the critic itself separates the 87 bundled
held-out crops (src/jpegaf/heldout, never trained or calibrated on) from ``gan+lattice``'s
outputs of their JPEGs: for an *adaptive* critic (``scripts/train_critics.py --size 256``) that is
an adaptive detector's AUC.

    PYTHONPATH=src python scripts/critic_256.py --quality 50 \\
        [--critic runs/critics/critic-256-q50-gan+lattice/detector.safetensors] [--held-out]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from jpegaf import jpeg
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.hybrid import GanTargeted
from jpegaf.detectors.base import calibration_for, load_calibrations
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.detectors.history import jpeg_history_scores
from jpegaf.heldout import HELDOUT_DIR
from jpegaf.imageio import read_image
from jpegaf.metrics import psnr, rate_interval, roc_auc
from jpegaf.pretrained import PRETRAINED_DIR, shipped_generators

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--critic", type=Path)
    ap.add_argument("--held-out", action="store_true")
    args = ap.parse_args(argv)
    q = args.quality
    lattice_threshold = calibration_for(load_calibrations(), "lattice", 256).threshold  # the shipped one
    critic_path = args.critic or REPO / "runs" / "critics" / f"critic-256-q{q}-gan+lattice" / "detector.safetensors"
    c64 = CnnDetector.load(PRETRAINED_DIR / f"critic-64-q{q}.safetensors")
    c256 = CnnDetector.load(critic_path)
    judge = CnnDetector.load(PRETRAINED_DIR / f"detector-256-q{q}.safetensors")
    eraser = GanEraser({q: shipped_generators()[q]})
    shipped = GanTargeted(eraser, {q: (c64,)}, lattice=True)
    both = GanTargeted(eraser, {q: (c64, c256)}, lattice=True)
    held = json.loads((REPO / "results" / "antiforensic" / "critics-split.json").read_text())["held_out"]
    print("photograph | JPEG dB | gain shipped / +256 | CNN-256 shipped / +256 | critic shipped / +256 | lattice z")
    rows = []
    for path in held:
        x = read_image(REPO / path)
        data = jpeg.compress(x, q)
        coefs = jpeg.read_coefficients(data)
        base = psnr(x, jpeg.decompress(data))
        a, b = shipped(coefs, 0), both(coefs, 0)
        r = [psnr(x, a) - base, psnr(x, b) - base, judge.score(a), judge.score(b), c256.score(a), c256.score(b),
             jpeg_history_scores(a).lattice_z, jpeg_history_scores(b).lattice_z]
        rows.append(r)
        print(f"{Path(path).stem[:40]} | {base:.2f} | {r[0]:+.3f} / {r[1]:+.3f} | {r[2]:.3f} / {r[3]:.3f} | "
              f"{r[4]:.3f} / {r[5]:.3f} | {r[6]:.2f} / {r[7]:.2f}", flush=True)
    r = np.array(rows)
    n = len(r)
    for name, gain, cnn, lat in (("shipped", 0, 2, 6), ("+256 critic", 1, 3, 7)):
        k_cnn, k_lat = int((r[:, cnn] > judge.threshold).sum()), int((r[:, lat] > lattice_threshold).sum())
        print(f"QF {q} {name}: PSNR gain {r[:, gain].mean():+.3f} dB, CNN-256-q{q} {k_cnn}/{n}, "
              f"lattice {k_lat}/{n}, mean CNN-256 score {r[:, cnn].mean():.3f}")
    if args.held_out:
        originals, outputs = [], []
        for path in sorted(HELDOUT_DIR.rglob("*.png")):
            x = read_image(path)
            if min(x.shape[:2]) < 256:
                continue
            x = x[:256, :256]
            originals.append(c256.score(x))
            outputs.append(c256.score(shipped(jpeg.read_coefficients(jpeg.compress(x, q)), 0)))
        o, p = np.array(originals), np.array(outputs)
        k = int((p > c256.threshold).sum())
        lo, hi = rate_interval(k, len(p))
        print(f"held out: {len(o)} crops, AUC of originals vs gan+lattice {roc_auc(o, p):.3f}; at the critic's "
              f"threshold {k}/{len(p)} outputs flagged ({lo:.0%}-{hi:.0%}), {int((o > c256.threshold).sum())}/{len(o)} originals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
