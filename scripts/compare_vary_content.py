"""Does training the CNN detector on varied originals (``--vary-content``) make it hold on photographs
unlike the corpus? An experiment, not a build: nothing is shipped.

    python scripts/compare_vary_content.py [--size 64] [--quality 50] [--runs runs/exp-vary]

Trains one detector exactly as ``scripts/build_detectors.py`` does (same corpus parts, schedule and
seed) but with ``vary_content=True`` (resumable), then prints, for it and for the shipped detector
of the same size and quality:

* the corpus test part (as in the model cards): AUC originals vs JPEG, false positives;
* the bundled samples (src/jpegaf/samples: 29 photographs from other sources -- scikit-image,
  Kodak, Waterloo, OpenCV, libjxl -- that no CNN was trained or calibrated on; a shift of domain):
  false positives at each detector's own threshold and AUC vs their JPEGs, on every grid-aligned
  crop of the size (crops of one photograph are correlated: the interval is too narrow).

The unseen photographs of ``scripts/unseen_sources.py`` are deliberately not used here: they judge
the shipped detectors, and a recipe chosen on them would no longer be judged on unseen data.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from build_detectors import config_for, test_figures  # noqa: E402

from jpegaf import jpeg  # noqa: E402
from jpegaf.data import crop, dataset_parts, grid_cells, load_luma  # noqa: E402
from jpegaf.detectors.base import verdict  # noqa: E402
from jpegaf.detectors.cnn import CnnDetector  # noqa: E402
from jpegaf.metrics import rate_interval, roc_auc  # noqa: E402
from jpegaf.pretrained import PRETRAINED_DIR  # noqa: E402
from jpegaf.samples import sample_paths  # noqa: E402
from jpegaf.train.checkpoint import CHECKPOINT  # noqa: E402
from jpegaf.train.detector import train_detector  # noqa: E402


def sample_crops(size: int) -> list[np.ndarray]:
    """Every grid-aligned size x size crop of every bundled sample."""
    out = []
    for path in sample_paths():
        img = load_luma(path)
        rows, cols = grid_cells(img.shape[0], img.shape[1], size)
        out += [crop(img, r * size, c * size, size) for r in range(rows) for c in range(cols)]
    return out


def figures(det: CnnDetector, originals: list[np.ndarray], quality: int) -> str:
    neg = det.score_batch(originals)
    pos = det.score_batch([jpeg.jpeg_roundtrip(o, quality) for o in originals])
    cal = det.calibration
    fp = int(sum(verdict(s, cal) for s in neg))
    lo, hi = rate_interval(fp, len(neg))
    det_rate = float(np.mean([verdict(s, cal) for s in pos]))
    return (f"AUC {roc_auc(neg, pos):.4f}, JPEGs detected {100 * det_rate:.1f}%, false positives "
            f"{fp} of {len(neg)} = {100 * fp / len(neg):.1f}% [{100 * lo:.1f}, {100 * hi:.1f}]")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--quality", type=int, default=50)
    ap.add_argument("--runs", type=Path, default=REPO / "runs" / "exp-vary")
    args = ap.parse_args(argv)

    config = dataclasses.replace(config_for(args.size, args.quality, args.runs / "cache"), vary_content=True)
    run = args.runs / f"cnn-{args.size}-q{args.quality}-vary"
    if not (run / "detector.safetensors").exists():
        train_detector(config, args.corpus, run, resume=(run / CHECKPOINT).exists(),
                       progress=sys.stderr.isatty())
    candidates = {"shipped": PRETRAINED_DIR / f"detector-{args.size}-q{args.quality}.safetensors",
                  "vary_content": run / "detector.safetensors"}
    test_files = dataset_parts(args.corpus).test
    crops = sample_crops(args.size)
    for label, weights in candidates.items():
        det = CnnDetector.load(weights)
        t = test_figures(det, config, test_files)
        print(f"{det.name} ({label}):")
        print(f"  corpus test part: AUC {t['auc_jpeg']:.4f}, JPEGs detected {100 * t['det_jpeg']:.1f}%, "
              f"false positives {100 * t['fpr']:.1f}% [{100 * t['fpr_95ci'][0]:.1f}, "
              f"{100 * t['fpr_95ci'][1]:.1f}] on {t['n_crops']} crops")
        print(f"  bundled samples ({len(crops)} crops of {len(sample_paths())} photographs): "
              + figures(det, crops, args.quality), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
