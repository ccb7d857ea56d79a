"""Train the frozen CNN critics of ``gan+critic`` (issue 14): one 64-px JPEG detector per quality,
on the corpus's *calibration* part with seed 11, so that no detector that judges the result
(the shipped CNNs: the corpus's train part, seed 0) shares its training photographs or seed.

    python scripts/train_critics.py [--corpus data/corpus] [--out runs/critics] [--qualities 50 25 75]

Each critic is the shipped detectors' network (MISLnet, 64 px) with the quick preset's optimizer,
16 grid-aligned crops per photograph, 8 epochs (rate halved every 3); the calibration part's
photographs are split by file identity with the seed (80% train, 20% for the critic's own
threshold). Resumable: a rerun continues each unfinished run from its checkpoint. The exported
critics are copied to ``src/jpegaf/pretrained/critic-64-q<QF>.safetensors`` with their cards.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from jpegaf.pretrained import PRETRAINED_DIR
from jpegaf.train.detector import quick_preset, train_detector

SEED = 11
SIZE = 64


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--out", type=Path, default=Path("runs/critics"))
    ap.add_argument("--qualities", type=int, nargs="+", default=[50, 25, 75])
    args = ap.parse_args(argv)
    data = args.corpus / "calibration"
    if not data.is_dir():
        print(f"{data}: missing (run `make corpus`)", file=sys.stderr)
        return 2
    for q in args.qualities:
        run = args.out / f"critic-{SIZE}-q{q}"
        config = quick_preset(SIZE, q, crops_per_image=16, epochs=8, lr_decay_every=3, eval_crops_per_image=16,
                              checkpoint_every=50, seed=SEED, cache_dir=str(args.out / "cache"), preset="critic")
        start = time.perf_counter()
        train_detector(config, data, run, resume=(run / "checkpoint.pt").exists(), device="cpu", progress=False)
        print(f"critic QF {q}: {time.perf_counter() - start:.0f} s", flush=True)
        for ext in ("safetensors", "json"):
            shutil.copyfile(run / f"detector.{ext}", PRETRAINED_DIR / f"critic-{SIZE}-q{q}.{ext}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
