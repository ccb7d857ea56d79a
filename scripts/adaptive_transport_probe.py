"""A probe (issue 14): does matching the originals' block-DCT coefficient distributions hide a
method's outputs from an analyst who retrains on them?

    python scripts/adaptive_transport_probe.py --strength S --maps OUT.npz -- ADAPTIVE_AUC_ARGS...

``scripts/realism_cost.py`` found that the adaptive CNN trained against the QF 25 erase default
stops separating the generator's estimate from originals (AUC 0.97 → 0.56 on 40 calibration crops)
once each subband's coefficients are mapped monotonically onto the originals' pooled distribution,
at about 1.5 dB. That detector was trained on the untransported outputs; this probe retrains it
on transported ones. Steps:

1. **Fit** (once, written to ``--maps``): the run's own training crops — the corpus's train part,
   crops and seeds exactly as ``scripts/adaptive_auc.py`` makes them, the method's outputs read
   from its cache — give, per subband of the 8x8 block DCT, the pooled quantiles of the outputs'
   coefficients and of the originals'. Nothing of the calibration or test parts is used.
2. **Train and test**: ``scripts/adaptive_auc.py`` with the given arguments, every output of the
   method replaced by ``output + S (T(output) - output)`` (``T``: the subband maps; ``S``:
   ``--strength``), rounded to grey levels. The method's outputs stay cached untransported, so a
   run folder whose ``cache`` points at an earlier run's reuses them.

A probe, not a method: the transport runs on the finished outputs (after the lattice stages,
whose work it can undo), and ``--maps`` is fit for one method and quality. Its PSNR cost is
``realism_cost.py``'s. Printed: ``adaptive_auc.py``'s result, then the mean PSNR gain over the
JPEG of the test part's outputs, untransported and transported; with ``--fixed-detectors``, also
each classical detector's (``jpegaf detect``'s default set) and the shipped CNN's of the size and
quality detection rate on the test part's originals and both outputs, at the shipped thresholds.
Run again once trained, it skips the training.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import adaptive_auc  # noqa: E402  (puts the repository's src/ on the path too)
from realism_cost import apply_pooled  # noqa: E402

from jpegaf.data import TrainPairs  # noqa: E402
from jpegaf.data.corpus import read_corpus_parts  # noqa: E402
from jpegaf.detectors import (calibration_for_image, classical_detectors, load_calibrations,  # noqa: E402
                              select_detectors, verdict)
from jpegaf.detectors.cnn import CnnDetector  # noqa: E402
from jpegaf.jpeg.dct import block_dct, block_idct, to_uint8  # noqa: E402
from jpegaf.metrics import psnr, rate_interval  # noqa: E402
from jpegaf.pretrained import PRETRAINED_DIR  # noqa: E402
from jpegaf.train import detector as detector_training  # noqa: E402

QUANTILES = 4001


def fit_maps(auc_args: list[str], out: Path) -> tuple[np.ndarray, np.ndarray]:
    """Pooled per-subband quantiles of the method's outputs and of the originals over the run's
    training crops (``adaptive_auc.py``'s configuration, read back from its parser)."""
    args = adaptive_auc.parse(auc_args)
    config, negatives = adaptive_auc.configuration(args)[:2]
    parts = read_corpus_parts(Path(args.corpus))
    pairs = TrainPairs(detector_training.prepare_data(config, Path(args.corpus))[0], config.quality,
                       crop_size=config.size, crops_per_image=config.crops_per_image, seed=config.seed,
                       augment=config.augment, cache_dir=config.cache_dir)
    items = detector_training.DetectorPairs(pairs, negatives)
    outputs, originals = [], []
    for i in range(len(pairs)):
        original, output = items.crop_pair(i)
        originals.append(block_dct(original).reshape(-1, 64))
        outputs.append(block_dct(output).reshape(-1, 64))
    q = np.linspace(0.0, 1.0, QUANTILES)
    g_q, x_q = np.quantile(np.concatenate(outputs), q, axis=0), np.quantile(np.concatenate(originals), q, axis=0)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, output_quantiles=g_q, original_quantiles=x_q)
    print(f"maps fit on {len(pairs)} training crops -> {out}", flush=True)
    return g_q, x_q


def transported(img: np.ndarray, strength: float, g_q: np.ndarray, x_q: np.ndarray) -> np.ndarray:
    """``img`` (uint8) moved ``strength`` of the way to its subband transport, rounded."""
    c = block_dct(img)
    t = c + strength * (apply_pooled(c, g_q, x_q) - c)
    return to_uint8(block_idct(t))


def fixed_detector_rates(sets: dict[str, list[np.ndarray]], quality: int, size: int) -> None:
    """Print each fixed detector's detection rate (with its 95 % interval) on every set of crops."""
    calibrations = load_calibrations()
    cnn = CnnDetector.load(PRETRAINED_DIR / f"detector-{size}-q{quality}.safetensors")
    detectors = [(d.name, d.score, calibration_for_image(calibrations, d.name, (size, size)))
                 for d in select_detectors(classical_detectors(), "default")]
    detectors.append((f"CNN-{size}-q{quality}", cnn.score, cnn.calibration))
    print("| crops | " + " | ".join(name for name, _, _ in detectors) + " |")
    print("|---|" + "---|" * len(detectors))
    for label, crops in sets.items():
        cells = []
        for _, score, cal in detectors:
            hits = sum(verdict(score(c), cal) for c in crops)
            lo, hi = rate_interval(hits, len(crops))
            cells.append(f"{hits / len(crops):.1%} [{lo:.0%}–{hi:.0%}]")
        print(f"| {label} ({len(crops)}) | " + " | ".join(cells) + " |", flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strength", type=float, required=True)
    ap.add_argument("--maps", type=Path, required=True, help="the fitted maps (.npz; fit and written if missing)")
    ap.add_argument("--fixed-detectors", action="store_true",
                    help="also the fixed detectors' rates on the test part (originals and both outputs)")
    args = ap.parse_args(argv[:split])
    auc_args = argv[split + 1:]
    if args.maps.exists():
        maps = np.load(args.maps)
        g_q, x_q = maps["output_quantiles"], maps["original_quantiles"]
    else:
        g_q, x_q = fit_maps(auc_args, args.maps)

    plain_get = detector_training.Negatives.get

    def get(self, key, original, decoded, seed):  # the cache keeps the untransported outputs
        return transported(plain_get(self, key, original, decoded, seed), args.strength, g_q, x_q)

    detector_training.Negatives.get = get
    parsed = adaptive_auc.parse(auc_args)
    status = adaptive_auc.run(parsed)
    if status == 0:  # the PSNR the transport costs on the test part
        config, negatives = adaptive_auc.configuration(parsed)[:2]
        test = detector_training.held_out_set(config, read_corpus_parts(Path(parsed.corpus)).test, negatives)
        detector_training.Negatives.get = plain_get
        plain = detector_training.held_out_set(config, read_corpus_parts(Path(parsed.corpus)).test, negatives)
        for label, outs in (("untransported", plain.processed), (f"transported x{args.strength:g}", test.processed)):
            gain = np.mean([psnr(x, y) - psnr(x, j) for x, y, j in zip(test.originals, outs, test.jpegs)
                            if not np.array_equal(x, j)])
            print(f"test part, {label}: mean PSNR gain over the JPEG {gain:+.2f} dB")
        if args.fixed_detectors:
            fixed_detector_rates({"originals": test.originals, "untransported": plain.processed,
                                  f"transported x{args.strength:g}": test.processed}, config.quality, config.size)
    return status


if __name__ == "__main__":
    sys.exit(main())
