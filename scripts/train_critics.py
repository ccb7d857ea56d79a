"""Train the frozen CNN critics of ``gan+critic`` / ``gan+lattice`` (issue 14): JPEG detectors per
quality on the corpus's *calibration* part with seed 11, so that no detector that judges the
result (the shipped CNNs: the corpus's train part, seed 0) shares its training photographs or seed.

    python scripts/train_critics.py [--size 64|256] [--corpus data/corpus] [--out runs/critics]
                                    [--qualities 50 25 75]

Each critic is the shipped detectors' network (MISLnet) with the quick preset's optimizer; the
calibration part's photographs are split by file identity with the seed (80% train, 20% for the
critic's own threshold; the same split at every size: results/antiforensic/critics-split.json).

* 64 px (shipped): 16 grid-aligned crops per photograph, 8 epochs (rate halved every 3), from
  scratch; copied to ``src/jpegaf/pretrained/critic-64-q<QF>.safetensors`` with their cards.
* 256 px (an experiment, not shipped: results/antiforensic/critic-256.md): the calibration
  photographs are 256 x 256, one crop each; 135 photographs are too few to train a 256-px
  network from scratch on 2 CPU cores, so it starts from the 64-px critic of its quality widened
  to 256 px (:func:`jpegaf.train.detector.widen_detector`), then trains EPOCHS_256 epochs at rate
  LR_256 (halved every DECAY_256), by default on originals against ``gan+lattice``'s outputs (an
  *adaptive* critic, in ``critic-256-q<QF>-gan+lattice``; ``--against jpeg``: against JPEGs with
  the dihedral augmentation, in ``critic-256-q<QF>``, which passes ``gan+lattice``'s outputs
  already: the 64-px critic's steps fool its widened start too). Stays in ``--out``;
  ``scripts/critic_256.py`` measures it.

Resumable: a rerun continues each unfinished run from its checkpoint.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import time
from pathlib import Path

from jpegaf.pretrained import PRETRAINED_DIR, shipped_generators
from jpegaf.train.detector import export_widened, quick_preset, train_detector

SEED = 11
# The 256-px schedule: about 4 steps of 32 pairs per epoch on 135 photographs.
EPOCHS_256, LR_256, DECAY_256 = 24, 5e-4, 8


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, choices=(64, 256), default=64)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--out", type=Path, default=Path("runs/critics"))
    ap.add_argument("--qualities", type=int, nargs="+", default=[50, 25, 75])
    ap.add_argument("--against", choices=("jpeg", "gan+lattice"), default=None,
                    help="what the critic tells originals from (default: jpeg at 64 px, gan+lattice at 256 px)")
    args = ap.parse_args(argv)
    data = args.corpus / "calibration"
    if not data.is_dir():
        print(f"{data}: missing (run `make corpus`)", file=sys.stderr)
        return 2
    against = args.against or ("jpeg" if args.size == 64 else "gan+lattice")
    if args.size == 64 and against != "jpeg":
        ap.error("the 64-px critics are trained against JPEGs")
    for q in args.qualities:
        run = args.out / (f"critic-{args.size}-q{q}" + ("" if against == "jpeg" else f"-{against}"))
        common = dict(checkpoint_every=50, seed=SEED, cache_dir=str(args.out / "cache"), preset="critic")
        if args.size == 64:
            config = quick_preset(64, q, crops_per_image=16, epochs=8, lr_decay_every=3, eval_crops_per_image=16,
                                  **common)
        else:
            init = export_widened(PRETRAINED_DIR / f"critic-64-q{q}.safetensors", 256,
                                  args.out / f"critic-256-q{q}-init" / "detector.safetensors")
            config = quick_preset(256, q, crops_per_image=1, epochs=EPOCHS_256, lr=LR_256, lr_decay_every=DECAY_256,
                                  eval_crops_per_image=1, init_weights=str(init), **common)
            if against == "gan+lattice":
                # gan+lattice's outputs as shipped (its 64-px critics' steps included), one per
                # photograph: the dihedral variants would each need the method run again.
                config = dataclasses.replace(config, augment=False, negatives="gan+lattice",
                                             generator_weights=str(shipped_generators()[q]))
        start = time.perf_counter()
        train_detector(config, data, run, resume=(run / "checkpoint.pt").exists(), device="cpu", progress=False)
        print(f"critic {args.size} px QF {q}: {time.perf_counter() - start:.0f} s", flush=True)
        if args.size == 64:
            for ext in ("safetensors", "json"):
                shutil.copyfile(run / f"detector.{ext}", PRETRAINED_DIR / f"critic-64-q{q}.{ext}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
