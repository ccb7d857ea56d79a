"""Run-to-run spread of fine-tuning one CNN detector, and what averaging the runs' scores does.

    python scripts/seed_spread.py train --size 256 --quality 50 --seed 1 [--runs runs/seed-spread]
    python scripts/seed_spread.py report --size 256 --quality 50 --seeds 1 2 [--with-shipped]

``train`` fine-tunes the first-edition weights (``RUNS/init/detector-S-qQ.safetensors``: the
start of ``build_detectors.py --fine-tune``, copy them there) with exactly the schedule of
``build_detectors.py --fine-tune`` (its :func:`config_for`, ``--lr``), changing only the seed
(crop order, augmentation, initial shuffles), into ``RUNS/s{SIZE}-q{QF}-seed{SEED}/``. Runs of
different seeds can go side by side (one thread each). Nothing is shipped.

``report`` scores the corpus's calibration and test parts with every run (and with the shipped
detector, trained with seed 0, if ``--with-shipped``), and prints for each run and for the mean
of the runs' scores: the threshold at 5% false positives fitted on the calibration part, then the
test part's AUC (originals vs their JPEGs) and false-positive rate at that threshold. The test
part is only measured, never used for a choice.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np

from jpegaf.data.corpus import read_corpus_parts
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.metrics import calibrate_threshold, rate_interval, roc_auc
from jpegaf.pretrained import PRETRAINED_DIR
from jpegaf.train.detector import held_out_set, train_detector

REPO = Path(__file__).resolve().parent.parent


def _build_detectors():
    """build_detectors.py's schedule, so that a seed run differs from the shipped one by the seed."""
    spec = importlib.util.spec_from_file_location("build_detectors", REPO / "scripts" / "build_detectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_dir(runs: Path, size: int, quality: int, seed: int) -> Path:
    return runs / f"s{size}-q{quality}-seed{seed}"


def train(args) -> None:
    init = args.runs / "init" / f"detector-{args.size}-q{args.quality}.safetensors"
    if not init.exists():
        sys.exit(f"{init}: missing (copy the first-edition pair there: "
                 f"git show 105df5e:src/jpegaf/pretrained/{init.name} and its .json)")
    bd = _build_detectors()
    config = dataclasses.replace(bd.config_for(args.size, args.quality, args.runs / "cache", init, args.lr),
                                 seed=args.seed)
    out = run_dir(args.runs, args.size, args.quality, args.seed)
    train_detector(config, args.corpus, out, resume=(out / "checkpoint.pt").exists(), progress=False)


def _scores(detectors: list[CnnDetector], config, files: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    held = held_out_set(dataclasses.replace(config, cache_dir=None), files, None)
    neg = np.stack([d.score_batch(held.originals) for d in detectors])
    pos = np.stack([d.score_batch(held.jpegs) for d in detectors])
    return neg, pos


def report(args) -> None:
    named = [(f"seed {s}", run_dir(args.runs, args.size, args.quality, s) / "detector.safetensors")
             for s in args.seeds]
    if args.with_shipped:
        named.insert(0, ("shipped (seed 0)", PRETRAINED_DIR / f"detector-{args.size}-q{args.quality}.safetensors"))
    detectors = [CnnDetector.load(path) for _, path in named]
    parts = read_corpus_parts(args.corpus)
    config = _build_detectors().config_for(args.size, args.quality, args.runs / "cache", None)
    cal_neg, _ = _scores(detectors, config, parts.calibration)
    test_neg, test_pos = _scores(detectors, config, parts.test)
    print(f"CNN-{args.size}-q{args.quality}: threshold at 5% on {cal_neg.shape[1]} calibration crops, "
          f"figures on {test_neg.shape[1]} test crops")
    print("| run | test AUC | test false positives [95% CI] |\n|---|---|---|")
    rows = [(name, cal_neg[i], test_neg[i], test_pos[i]) for i, (name, _) in enumerate(named)]
    rows.append((f"mean of the {len(named)} runs' scores", cal_neg.mean(0), test_neg.mean(0), test_pos.mean(0)))
    for name, cal, neg, pos in rows:
        threshold = calibrate_threshold(cal, 0.05)
        fp = int(np.sum(neg > threshold))
        lo, hi = rate_interval(fp, len(neg))
        print(f"| {name} | {roc_auc(neg, pos):.4f} | {100 * fp / len(neg):.1f}% [{100 * lo:.1f}, {100 * hi:.1f}] |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("train", "report"))
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--quality", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1, help="train: the run's seed")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2], help="report: the runs to compare")
    ap.add_argument("--with-shipped", action="store_true", help="report: the shipped detector as a run")
    ap.add_argument("--lr", type=float, default=5e-4, help="train: the fine-tuning rate (as shipped)")
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--runs", type=Path, default=Path("runs/seed-spread"))
    args = ap.parse_args(argv)
    if args.mode == "train":
        train(args)
    else:
        report(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
