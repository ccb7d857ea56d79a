"""Train, test and ship the CNN JPEG detectors: one per size (64, 128, 256) and quality (25, 50, 75).

Each detector is trained on the training corpus's train part (``make corpus``), its threshold is
fitted at 5% false positives on the calibration part (never trained on), by scene
(:func:`threshold_by_scene`: training exports the plain quantile, which did not hold on new
scenes; ``--refit-thresholds`` fits the shipped ones again without training), and it is then measured
on the test part, which neither training nor the threshold has seen: ROC AUC of never-compressed
crops against their JPEGs at the detector's quality, the detection rate of those JPEGs, and the
false-positive rate at the shipped threshold with its 95% interval. Weights and model card (with
those test figures) go to ``src/jpegaf/pretrained/detector-{size}-q{quality}.*``.

Schedule (the `quick` preset's network and optimizer; MISLnet width): the corpus gives
(256 / size)^2 non-overlapping crops per training crop, so an epoch has 16x fewer steps at 256
than at 64. Epochs are set per size so that each detector costs about the same time on 2 CPU
cores (``benchmarks/bench_detector_training.py``): 64 px 12 epochs, 128 px 24, 256 px 48, with the
learning rate halved every quarter of the run.

Every run is resumable: run the script again after an interruption; finished detectors are
skipped (delete the shipped pair to retrain one). ``--only 64-50 128-50`` limits the set.

``--fine-tune`` (used when the corpus's second edition was added): each shipped detector is copied
to ``RUNS/init/`` and trained further from those weights on the (larger) train part, a shorter
schedule at half the learning rate (64 px 2 epochs, 128 px 4, 256 px 6: about 4, 8 and 15
minutes), then its threshold is fitted again on the calibration part and its test figures
measured, and it replaces the shipped pair. The epoch with the best calibration-part AUC is
exported (``keep_best``). ``--fine-tune-lr`` sets the rate: at QF 75 the calibration AUC swung
by up to 0.16 between epochs at 5e-4 (CNN-256-q75: 0.96 → 0.80), so the shipped QF 75 ones at 128
and 256 px were fine-tuned at 2.5e-4 too and the run with the better calibration-part AUC was
kept (README, "Thresholds and CNN detectors"). A detector whose card already names the present
corpus's train part size and the asked rate is skipped, so the run is resumable in the same way.

    python scripts/build_detectors.py [--corpus data/corpus] [--runs runs/detectors] [--only SIZE-QF ...]
    python scripts/build_detectors.py --fine-tune --runs runs/detectors-ed2
    python scripts/build_detectors.py --fine-tune --fine-tune-lr 2.5e-4 --runs runs/detectors-lr --only 128-75
    python scripts/build_detectors.py --refit-thresholds   # thresholds by scene, test figures again (4 min)
    python scripts/build_detectors.py --refit-thresholds --extra DIR ... [--extra-exclude STEM ...]
        # the same with never-compressed photographs beyond the corpus among the calibration crops
        # (calibrate_detectors.py's --extra; how the shipped thresholds were fitted: README)
    python scripts/build_detectors.py --summary     # the table of the shipped ones (README)
    python scripts/build_detectors.py --compare runs/detectors-ed2/init   # earlier ones, same test crops
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from jpegaf.data.corpus import CorpusParts, is_corpus, read_corpus_parts
from jpegaf.detectors.base import verdict
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import atomic_write_bytes
from jpegaf.metrics import calibrate_threshold_by_scene, rate_interval, roc_auc
from jpegaf.pretrained import PRETRAINED_DIR
from jpegaf.train.checkpoint import CHECKPOINT
from jpegaf.train.detector import DetectorTrainConfig, held_out_set, quick_preset, train_detector

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_detectors import centre_crops, extra_photos  # noqa: E402 - the same extra photographs

SIZES = (64, 128, 256)
QUALITIES = (50, 25, 75)  # QF 50 first: the middle column, and the one the README leads with
EPOCHS = {64: 12, 128: 24, 256: 48}
FINE_TUNE_EPOCHS = {64: 2, 128: 4, 256: 6}
FINE_TUNE_LR = 5e-4  # half the from-scratch rate; --fine-tune-lr changes it


def config_for(size: int, quality: int, cache_dir: Path, init_weights: Path | None = None,
               fine_tune_lr: float = FINE_TUNE_LR):
    """The corpus schedule; with ``init_weights``, the fine-tuning one (module doc)."""
    if init_weights is None:
        epochs = EPOCHS[size]
        return quick_preset(size, quality, crops_per_image=(256 // size) ** 2, epochs=epochs,
                            lr_decay_every=max(1, epochs // 4), eval_crops_per_image=(256 // size) ** 2,
                            checkpoint_every=50, cache_dir=str(cache_dir), preset="corpus")
    epochs = FINE_TUNE_EPOCHS[size]
    return quick_preset(size, quality, crops_per_image=(256 // size) ** 2, epochs=epochs, lr=fine_tune_lr,
                        lr_decay_every=max(1, epochs // 2), eval_crops_per_image=(256 // size) ** 2,
                        checkpoint_every=50, cache_dir=str(cache_dir), init_weights=str(init_weights),
                        keep_best=True, preset="corpus-fine-tune")


def test_figures(det: CnnDetector, config, test_files: list[Path]) -> dict:
    """The detector on the corpus's test part: AUC, detection rate, FPR with its interval."""
    held = held_out_set(dataclasses.replace(config, cache_dir=None), test_files, None)
    neg, pos = det.score_batch(held.originals), det.score_batch(held.jpegs)
    cal = det.calibration
    fp = int(sum(verdict(s, cal) for s in neg))
    lo, hi = rate_interval(fp, len(neg))
    return {"part": "test (corpus; never trained or calibrated on)", "n_crops": len(neg),
            "n_images": held.files, "auc_jpeg": roc_auc(neg, pos),
            "det_jpeg": float(np.mean([verdict(s, cal) for s in pos])),
            "fpr": fp / len(neg), "fpr_95ci": [lo, hi]}


def threshold_by_scene(det: CnnDetector, card: dict, parts: CorpusParts,
                       extra: list[tuple[str, np.ndarray]] = (), extra_source: str = "") -> dict:
    """Fit ``det``'s threshold again on the calibration part, by scene, and say so in ``card``.

    Training exports the plain 5% quantile of the calibration crops' scores; with 16 crops of 64
    px (4 of 128) per 256 crop and 160 crops of 30 scenes, that quantile did not hold on the test
    part's scenes (CNN-256-q50: 17.7% false positives). :func:`jpegaf.metrics.calibrate_threshold_by_scene`
    lowers the share of calibration crops above it until thresholds fitted without a scene flag
    at most 5% of that scene's crops. The card's ``held_out`` figures are recomputed at the new
    threshold; ``calibration.plain_threshold`` keeps the one training exported.

    ``extra``: never-compressed photographs beyond the corpus (``(scene, luma)``,
    ``calibrate_detectors.extra_photos``) whose centre crop of the detector's side joins the
    calibration crops, each its own scene (``extra_source`` says where they come from, in the card).
    """
    config = DetectorTrainConfig.from_dict(card["train_config"])
    held = held_out_set(dataclasses.replace(config, cache_dir=None), parts.calibration, None)
    neg, pos = det.score_batch(held.originals), det.score_batch(held.jpegs)
    scenes = [parts.scenes[f] for f in held.sources]
    if extra:
        neg = np.concatenate([neg, det.score_batch(centre_crops(extra, det.size))])
        scenes += [scene for scene, _ in extra]
    threshold, rate = calibrate_threshold_by_scene(neg, scenes, config.fpr)
    card = dict(card)
    card["calibration"] = {**card["calibration"], "rule": (
        "by scene (jpegaf.metrics.calibrate_threshold_by_scene): the largest share of calibration crops "
        "above the threshold, at most fpr, at which thresholds fitted without a scene flag at most fpr of "
        "that scene's crops"), "share_above": rate, "scenes": len(set(scenes)),
        "plain_threshold": card["calibration"].get("plain_threshold", card["threshold"])}
    card["calibration"].pop("extra", None)
    if extra:
        card["calibration"]["extra"] = {
            "photographs": len(extra), "source": extra_source,
            "rule": "the centre crop of the detector's side of each, each its own scene, beside the calibration part's crops"}
    card["threshold"] = threshold
    card["held_out"] = {**card["held_out"], "det_jpeg": float(np.mean(pos > threshold)),
                        "fpr_held_out": float(np.mean(neg > threshold))}
    det.threshold = threshold
    return card


def refit_threshold(size: int, quality: int, parts: CorpusParts,
                    extra: list[tuple[str, np.ndarray]] = (), extra_source: str = "") -> None:
    """The shipped detector's threshold by scene (with ``extra`` photographs: threshold_by_scene),
    and its test figures at it (card rewritten)."""
    shipped = PRETRAINED_DIR / f"detector-{size}-q{quality}.safetensors"
    det = CnnDetector.load(shipped)
    card = threshold_by_scene(det, det.card, parts, extra, extra_source)
    config = DetectorTrainConfig.from_dict(card["train_config"])
    card["test"] = test_figures(det, config, parts.test)
    report(card)
    atomic_write_bytes(shipped.with_suffix(".json"), (json.dumps(card, indent=1) + "\n").encode())


def report(card: dict) -> None:
    t, c = card["test"], card["calibration"]
    print(f"{card['name']}: threshold {card['threshold']:.4g} ({100 * c.get('share_above', c['fpr']):.2f}% of the "
          f"calibration crops above); test AUC {t['auc_jpeg']:.4f}, JPEG detected {100 * t['det_jpeg']:.1f}%, FPR "
          f"{100 * t['fpr']:.1f}% [{100 * t['fpr_95ci'][0]:.1f}, {100 * t['fpr_95ci'][1]:.1f}] "
          f"on {t['n_crops']} crops of {t['n_images']}", flush=True)


def _starting_point(shipped: Path, runs: Path) -> Path:
    """A copy of the shipped pair under ``runs/init/`` (the shipped one is replaced at the end)."""
    init = runs / "init" / shipped.name
    if not init.exists():
        init.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped.with_suffix(".json"), init.with_suffix(".json"))
        shutil.copyfile(shipped, init)
    return init


def _fine_tuned_as_asked(card: dict, train_images: int, fine_tune_lr: float) -> bool:
    """Whether a shipped card comes from fine-tuning on this train part at this rate."""
    return (card.get("data", {}).get("train_images") == train_images
            and card.get("train_config", {}).get("lr") == fine_tune_lr)


def build_one(size: int, quality: int, corpus: Path, runs: Path, parts: CorpusParts,
              fine_tune: bool = False, fine_tune_lr: float = FINE_TUNE_LR) -> None:
    name = f"detector-{size}-q{quality}"
    shipped = PRETRAINED_DIR / f"{name}.safetensors"
    done = shipped.exists() and shipped.with_suffix(".json").exists()
    if done and (not fine_tune or _fine_tuned_as_asked(json.loads(shipped.with_suffix(".json").read_text()),
                                                       len(parts.train), fine_tune_lr)):
        print(f"{name}: shipped already, skipped", flush=True)
        return
    if fine_tune and not done:
        print(f"{name}: nothing shipped to fine-tune, skipped", flush=True)
        return
    run = runs / f"cnn-{size}-q{quality}"
    config = config_for(size, quality, runs / "cache", _starting_point(shipped, runs) if fine_tune else None,
                        fine_tune_lr)
    resume = (run / CHECKPOINT).exists()
    if not (run / "detector.safetensors").exists():
        train_detector(config, corpus, run, resume=resume, progress=sys.stderr.isatty())
    det = CnnDetector.load(run / "detector.safetensors")
    card = threshold_by_scene(det, json.loads((run / "detector.json").read_text()), parts)
    card["test"] = test_figures(det, config, parts.test)
    card["data"]["corpus"] = ("jpegaf training corpus (`make corpus`): train part for training, calibration "
                              "part for the threshold, test part for the figures under 'test'")
    report(card)
    tmp = shipped.with_name(f".{shipped.name}.tmp")
    shutil.copyfile(run / "detector.safetensors", tmp)
    atomic_write_bytes(shipped.with_suffix(".json"), (json.dumps(card, indent=1) + "\n").encode())
    tmp.replace(shipped)  # weights last: a pair is complete once the weights are there


def summary_markdown() -> str:
    """The shipped detectors' test figures as a Markdown table (what the README shows)."""
    lines = ["| detector | steps | wall time | test AUC, originals vs JPEG | JPEGs detected | "
             "false positives [95% CI] | test crops |", "|---|---|---|---|---|---|---|"]
    for card_path in sorted(PRETRAINED_DIR.glob("detector-*.json"),
                            key=lambda p: (int(p.stem.split("-")[1]), p.stem)):
        card = json.loads(card_path.read_text())
        t = card["test"]
        lines.append(f"| {card['name']} | {card['steps']} | {card['wall_time_s'] / 60:.0f} min | "
                     f"{t['auc_jpeg']:.4f} | {100 * t['det_jpeg']:.1f}% | {100 * t['fpr']:.1f}% "
                     f"[{100 * t['fpr_95ci'][0]:.1f}, {100 * t['fpr_95ci'][1]:.1f}] | "
                     f"{t['n_crops']} of {t['n_images']} images |")
    return "\n".join(lines)


def compare_markdown(earlier: Path, corpus: Path) -> str:
    """The detectors in ``earlier`` (e.g. the copies ``--fine-tune`` started from) against the
    shipped ones of the same name, both measured now on the corpus's present test part."""
    test_files = read_corpus_parts(corpus).test
    lines = [f"Test part of {corpus}: {len(test_files)} crops of 256 px; each detector at its own threshold.", "",
             "| detector | test AUC: earlier → shipped | JPEGs detected | false positives [95% CI] |",
             "|---|---|---|---|"]
    for old_path in sorted(earlier.glob("detector-*.safetensors"),
                           key=lambda p: (int(p.stem.split("-")[1]), p.stem)):
        size, quality = int(old_path.stem.split("-")[1]), int(old_path.stem.split("-q")[1])
        config = config_for(size, quality, Path("unused"))
        old = test_figures(CnnDetector.load(old_path), config, test_files)
        new = test_figures(CnnDetector.load(PRETRAINED_DIR / old_path.name), config, test_files)
        lines.append(f"| CNN-{size}-q{quality} | {old['auc_jpeg']:.4f} → **{new['auc_jpeg']:.4f}** | "
                     f"{100 * old['det_jpeg']:.1f}% → **{100 * new['det_jpeg']:.1f}%** | "
                     f"{100 * old['fpr']:.1f}% → **{100 * new['fpr']:.1f}%** "
                     f"[{100 * new['fpr_95ci'][0]:.1f}, {100 * new['fpr_95ci'][1]:.1f}] |")
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--runs", type=Path, default=Path("runs/detectors"))
    ap.add_argument("--only", nargs="+", metavar="SIZE-QF", help="e.g. 64-50 128-50")
    ap.add_argument("--fine-tune", action="store_true",
                    help="continue the shipped detectors on the present corpus (module doc)")
    ap.add_argument("--fine-tune-lr", type=float, default=FINE_TUNE_LR,
                    help=f"learning rate of --fine-tune (default {FINE_TUNE_LR:g})")
    ap.add_argument("--refit-thresholds", action="store_true",
                    help="fit the shipped detectors' thresholds again by scene, measure them, and stop")
    ap.add_argument("--extra", type=Path, nargs="+", default=[], metavar="DIR",
                    help="with --refit-thresholds: folders of never-compressed photographs (>= 256 px) whose "
                         "centre crops join the calibration crops, each its own scene (calibrate_detectors.py's)")
    ap.add_argument("--extra-exclude", nargs="+", default=[], metavar="STEM",
                    help="leave these images of the --extra folders out")
    ap.add_argument("--summary", action="store_true", help="print the shipped detectors' table and stop")
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="measure the detectors in DIR and the shipped ones on the test part, and stop")
    args = ap.parse_args(argv)
    if args.summary:
        print(summary_markdown())
        return 0
    if args.compare:
        print(compare_markdown(args.compare, args.corpus))
        return 0
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    parts = read_corpus_parts(args.corpus)
    if args.extra and not args.refit_thresholds:
        ap.error("--extra applies to --refit-thresholds only")
    extra = extra_photos(args.extra, set(args.extra_exclude)) if args.extra else []
    extra_source = (f"{len(extra)} never-compressed photographs from {', '.join(sorted({f.name for f in args.extra}))}"
                    + (f" (left out: {', '.join(sorted(args.extra_exclude))})" if args.extra_exclude else ""))
    wanted = [(s, q) for q in QUALITIES for s in SIZES]
    if args.only:
        wanted = [(s, q) for s, q in wanted if f"{s}-{q}" in args.only]
    for size, quality in wanted:
        if args.refit_thresholds:
            refit_threshold(size, quality, parts, extra, extra_source)
        else:
            build_one(size, quality, args.corpus, args.runs, parts, args.fine_tune, args.fine_tune_lr)
    print(summary_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
