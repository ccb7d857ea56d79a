"""An adaptive detector against an anti-forensic method: a CNN trained on originals vs the
method's outputs, then tested on photographs it never saw — how well a forensic analyst who knows
the method could still tell its outputs from never-compressed images.

Training: the Bayar-Stamm CNN (``quick`` preset network and optimizer, the corpus schedule of
``scripts/build_detectors.py``: (256 / size)^2 crops per corpus crop, ``--epochs`` epochs) on the
corpus's train part, positives = the method applied to the JPEG of each crop at ``--quality``
(``jpegaf train detector --negatives``); its threshold at 5 % FPR on the calibration part. Test:
the corpus's test part (never trained on, and not used for the threshold): ROC AUC of originals
vs the method's outputs, the detection rate of the outputs and the false-positive rate at the
threshold, with counts. The generator methods use the shipped generator of the quality unless
``--generator`` names another.

    python scripts/adaptive_auc.py --method gan+f3 --quality 50 --size 64 [--epochs 6]
        [--generator runs/af-q50/generator.safetensors] [--runs runs/adaptive] [--corpus data/corpus]
        [--init-widened] [--no-augment] [--ensemble 8]

``--init-widened`` starts the network from the shipped 64-px JPEG detector of the quality widened
to ``--size`` (:func:`jpegaf.train.detector.widen_detector`): an analyst starts from the JPEG
detector they have (how much this saves over a random start was not measured).

Resumable: run it again after an interruption (the run folder's checkpoint is continued).
Results (the AUC, detection and false-positive rates with their intervals, and the test part's mean
PSNR gain over the JPEG: the method's point on the quality–AUC front): printed, and written to
``<run>/adaptive_test.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.antiforensics import GENERATOR_METHODS, METHODS  # noqa: E402
from jpegaf.data.corpus import is_corpus, read_corpus_parts  # noqa: E402
from jpegaf.detectors.base import verdict  # noqa: E402
from jpegaf.detectors.cnn import CnnDetector  # noqa: E402
from jpegaf.metrics import psnr, rate_interval, roc_auc  # noqa: E402
from jpegaf.pretrained import PRETRAINED_DIR, shipped_generator  # noqa: E402
from jpegaf.train.checkpoint import CHECKPOINT  # noqa: E402
from jpegaf.train.detector import (DetectorTrainConfig, Negatives, export_widened, held_out_set, quick_preset,  # noqa: E402
                                   train_detector)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--method", choices=METHODS, required=True)
    ap.add_argument("--quality", type=int, required=True)
    ap.add_argument("--size", type=int, choices=(64, 128, 256), default=64)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--generator", help="generator weights for gan / gan+f3 (default: the shipped one)")
    ap.add_argument("--init-widened", action="store_true",
                    help="start from the shipped 64-px detector of --quality widened to --size (widen_detector) "
                         "instead of a random initialisation")
    ap.add_argument("--no-augment", action="store_true",
                    help="no dihedral variants: one processed version per crop (the slow methods at 256 px)")
    ap.add_argument("--ensemble", type=int, choices=(1, 4, 8), default=1,
                    help="the generator methods' self-ensemble (jpegaf erase --ensemble)")
    ap.add_argument("--corpus", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--runs", default=str(REPO / "runs" / "adaptive"))
    return ap.parse_args(argv)


def configuration(args: argparse.Namespace) -> tuple[DetectorTrainConfig, Negatives, Path]:
    """The analyst's training configuration, the method's outputs (cached in the runs folder's
    ``cache``) and the run folder, from :func:`parse`'s arguments."""
    generator = None
    if args.method in GENERATOR_METHODS:
        generator = args.generator or str(shipped_generator(args.quality))
    tag = Path(generator).parent.name if args.generator else "shipped"
    run = Path(args.runs) / f"{args.method}-{tag}-{args.size}-q{args.quality}" \
        f"{'' if args.ensemble == 1 else f'-x{args.ensemble}'}"
    cache = Path(args.runs) / "cache"
    init = None
    if args.init_widened:
        init = str(export_widened(PRETRAINED_DIR / f"detector-64-q{args.quality}.safetensors", args.size,
                                  run / "init" / "detector.safetensors"))
    config = quick_preset(args.size, args.quality, crops_per_image=(256 // args.size) ** 2, epochs=args.epochs,
                          lr_decay_every=max(1, args.epochs // 4), eval_crops_per_image=(256 // args.size) ** 2,
                          checkpoint_every=50, cache_dir=str(cache), preset="adaptive", negatives=args.method,
                          generator_weights=generator, init_weights=init, augment=not args.no_augment,
                          negatives_ensemble=args.ensemble)
    return config, Negatives(args.method, args.quality, generator, str(cache), args.ensemble), run


def psnr_gain(originals: list[np.ndarray], outputs: list[np.ndarray], jpegs: list[np.ndarray]) -> float:
    """Mean over crops of the outputs' PSNR gain over the JPEG (dB), the crops whose JPEG is
    lossless (infinite PSNR: a flat crop) left out: the quality side of a method's point."""
    gains = [psnr(x, y) - psnr(x, j) for x, y, j in zip(originals, outputs, jpegs) if not np.array_equal(x, j)]
    return float(np.mean(gains))


def run(args: argparse.Namespace) -> int:
    """Train (or resume) the analyst, then test it on the corpus's test part."""
    corpus = Path(args.corpus)
    if not is_corpus(corpus):
        print(f"{corpus}: not a built corpus (make corpus)", file=sys.stderr)
        return 2
    config, negatives, run_dir = configuration(args)
    if not (run_dir / "detector.safetensors").exists():
        train_detector(config, corpus, run_dir, resume=(run_dir / CHECKPOINT).exists())

    det = CnnDetector.load(run_dir / "detector.safetensors")
    test = held_out_set(dataclasses.replace(config), read_corpus_parts(corpus).test, negatives)
    neg, pos = det.score_batch(test.originals), det.score_batch(test.processed)
    cal = det.calibration
    fp, tp = sum(verdict(s, cal) for s in neg), sum(verdict(s, cal) for s in pos)
    result = {"method": args.method, "quality": args.quality, "size": args.size,
              "generator": config.generator_weights, "ensemble": args.ensemble,
              "epochs": args.epochs, "test_crops": len(neg), "test_images": test.files,
              "psnr_gain_db": psnr_gain(test.originals, test.processed, test.jpegs),
              "auc": roc_auc(neg, pos), "detection_rate": tp / len(pos),
              "detection_interval": rate_interval(tp, len(pos)), "fpr": fp / len(neg),
              "fpr_interval": rate_interval(fp, len(neg)), "threshold": cal.threshold}
    (run_dir / "adaptive_test.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


def main() -> int:
    return run(parse())


if __name__ == "__main__":
    sys.exit(main())
