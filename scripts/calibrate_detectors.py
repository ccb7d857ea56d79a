"""Calibrate the classical detectors' thresholds, and F2's K_F target, out of sample.

Thresholds at image sides 64, 128 and 256 are fitted on the **training corpus minus its test
part** (``jpegaf data build-corpus``; default ``data/corpus``, built by ``make corpus``): the
256x256 crops of its calibration and train parts, and their non-overlapping 128x128 sub-crops
(4 per crop) and 64x64 sub-crops (8 per crop, every other cell of the 4x4 grid). The test part
is never used here, nor by any training (the corpus's split is by scene), so the "original" rows
of an evaluation on it, or on any other photographs, measure a real false-positive rate.
Why the train part too: thresholds fitted on the calibration part alone (87 crops of 16 scenes)
did not hold on the test part's scenes (K_F at 256 px: 20.7% false positives instead of 5%);
what decides whether a threshold transfers is the number of scenes, and fitting a threshold on
images a network was trained on takes nothing from the held-out test. ``--parts calibration``
restores the stricter choice.

For each detector the threshold is chosen **by scene** (:func:`jpegaf.metrics.calibrate_threshold_by_scene`):
at most ``--fpr`` (default 5%) of the crops score above it, and fewer where that is what it takes
for thresholds fitted without a scene to flag at most ``--fpr`` of that scene's crops
(leave-one-scene-out over the 67 scenes). Crops of one scene are not independent: the plain 5%
quantile of the crops flagged up to 12.7% of the test part's crops (K_U^2 at 256 px) and 20.5%
scene by scene (Q_FdQ at 256 px); ``--plain`` restores it. The source of every threshold says
which share of the calibration crops lies above it.

Scoring the 606 crops' 7,878 sub-crops takes about 16 minutes on 2 cores; ``--scores CSV`` fits
on the table ``scripts/corpus_scores.py`` wrote instead (the same detectors on the same
sub-crops; every crop of the fitted parts must be in it).

The corpus has no 512x512 crops: 512 is calibrated on the bundled samples' centre crops as
before (14 photographs), and its ``source`` says so — those thresholds are not held out from an
evaluation of the bundled samples.

F2 (Stamm & Liu) deblocks until K_F reaches a never-compressed level: the K_F values of the same
calibration crops are written to ``jpegaf/antiforensics/kf_reference.json``, from which F2 takes
its target quantile (:func:`jpegaf.antiforensics.stamm.never_compressed_kf`); their K_L values to
``jpegaf/antiforensics/kl_reference.json``, from which the generator methods take the K_L their
de-calibration stops at (:func:`jpegaf.antiforensics.hybrid.decalibration_limit`).
``--kl-reference-only`` scores K_L alone and writes that file only (about a minute).

**Never-compressed photographs beyond the corpus** (``--extra DIR ...``, ``--extra-exclude STEM
...``): every lossless image in those folders (at least 256 px a side) adds its centre crop of
each side to that side's calibration crops, as its own scene, for the thresholds only (F2's K_F
and the K_L references stay the corpus's). Why: on the four unseen sets, photographs of kinds the
corpus lacks (textures, night scenes, microscopy, satellite views), K_F and the 128-px CNNs of
QF 25 and 75 flagged 14-15 % of 86 originals at thresholds fitted on the corpus alone; fitted on
the corpus plus three of the sets they flagged 6-10 % of the fourth (leave one set out,
``scripts/unseen_pooled.py``; ``results/thresholds/broadened.md``). The shipped thresholds are
fitted so, on unseen sets 1 to 4 (``scripts/unseen_sources.py``), which are therefore no longer
unseen: a claim about them needs a set they did not see.

Usage: python scripts/calibrate_detectors.py [--corpus data/corpus] [--fpr 0.05] [--output PATH]
                                            [--scores runs/corpus-scores.csv] [--plain]
                                            [--extra DIR ... [--extra-exclude STEM ...]]
                                            [--kl-reference-only]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.fan import KL_REFERENCE, save_kl_reference
from jpegaf.antiforensics.stamm import KF_REFERENCE, save_kf_reference
from jpegaf.data.corpus import MANIFEST, PROVENANCE, is_corpus, read_corpus_parts
from jpegaf.detectors import classical_detectors
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS, Calibration, save_calibrations
from jpegaf.metrics import calibrate_threshold, calibrate_threshold_by_scene
from jpegaf.data import centre_crop_position, crop, load_luma
from jpegaf.errors import JpegafError
from jpegaf.imageio import read_image
from jpegaf.jpeg import libjpeg_version
from jpegaf.samples import sample_paths

BLOCK = 8
#: Sides calibrated on the corpus (sub-crops of its 256x256 crops) and on the bundled samples.
CORPUS_SIZES = (64, 128, 256)
SAMPLE_SIZES = {512: 1}  # side -> crops per photograph (the centre crop)

DETECTORS = classical_detectors()


def sub_crops(crops: list[np.ndarray], size: int, checkerboard: bool = False) -> list[np.ndarray]:
    """The non-overlapping ``size`` sub-crops of each crop (8-aligned when size is), row-major;
    ``checkerboard`` keeps every other cell (half the cost, still spread over the crop)."""
    out = []
    for c in crops:
        for i, top in enumerate(range(0, c.shape[0] - size + 1, size)):
            for j, left in enumerate(range(0, c.shape[1] - size + 1, size)):
                if not checkerboard or (i + j) % 2 == 0:
                    out.append(np.ascontiguousarray(c[top:top + size, left:left + size]))
    return out


def centre_tiles(height: int, width: int, size: int, n: int) -> list[tuple[int, int]]:
    """Top-left corners of up to ``n`` non-overlapping ``size`` crops, nearest the centre first.

    The grid of whole ``size`` cells is centred on the image (its origin rounded down to a
    multiple of 8); cells are sorted by the distance of their centre to the image's centre
    (ties by position, so the result is deterministic). n = 1 gives the centre crop.
    """
    rows, cols = height // size, width // size
    top0 = (height - rows * size) // 2 // BLOCK * BLOCK
    left0 = (width - cols * size) // 2 // BLOCK * BLOCK
    cells = [(top0 + r * size, left0 + c * size) for r in range(rows) for c in range(cols)]
    cy, cx = height / 2, width / 2
    cells.sort(key=lambda tl: ((tl[0] + size / 2 - cy) ** 2 + (tl[1] + size / 2 - cx) ** 2, tl))
    return cells[:n]


def calibration_crops(photos: list[np.ndarray], size: int, per_photo: int) -> tuple[list[np.ndarray], int]:
    """Crops of side ``size`` of every photograph large enough, and how many photographs gave one."""
    crops, used = [], 0
    for img in photos:
        tiles = centre_tiles(img.shape[0], img.shape[1], size, per_photo)
        used += bool(tiles)
        crops += [np.ascontiguousarray(img[t:t + size, l:l + size]) for t, l in tiles]
    return crops, used


#: The lossless formats ``--extra`` reads (as scripts/measure_unseen.py does).
EXTRA_SUFFIXES = (".png", ".pgm", ".ppm", ".tif", ".tiff", ".bmp")


def extra_photos(folders: list[Path], exclude: set[str] = frozenset(), min_side: int = 256) -> list[tuple[str, np.ndarray]]:
    """``(scene, uint8 luma)`` of every lossless image in ``folders`` (sorted by folder, then name)
    whose stem is not in ``exclude``: never-compressed photographs beyond the corpus, each its own
    scene (``folder name/stem``). SystemExit with a one-line message for a missing or empty
    folder, an image below ``min_side`` a side, or a stem of ``exclude`` found nowhere."""
    listed = []
    for folder in folders:
        if not folder.is_dir():
            raise SystemExit(f"{folder}: no such folder of extra calibration photographs")
        listed.append((folder, sorted(f for f in folder.iterdir() if f.suffix.lower() in EXTRA_SUFFIXES)))
    unknown = sorted(set(exclude) - {f.stem for _, files in listed for f in files})
    if unknown:
        raise SystemExit(f"--extra-exclude: no image named {', '.join(unknown)} in {', '.join(map(str, folders))}")
    out = []
    for folder, files in listed:
        files = [f for f in files if f.stem not in exclude]
        if not files:
            raise SystemExit(f"{folder}: no lossless image to calibrate on")
        for f in files:
            try:
                img = load_luma(f)
            except JpegafError as e:  # unreadable, a JPEG, not an image: one line, no traceback
                raise SystemExit(str(e)) from None
            if min(img.shape) < min_side:
                raise SystemExit(f"{f}: {img.shape[1]}x{img.shape[0]} is smaller than {min_side}x{min_side}")
            out.append((f"{folder.name}/{f.stem}", img))
    return out


def centre_crops(photos: list[tuple[str, np.ndarray]], size: int) -> list[np.ndarray]:
    """The grid-aligned centre crop of side ``size`` of each photograph (what `jpegaf detect`'s
    CNN of that side reads of an image larger than its input)."""
    return [np.ascontiguousarray(crop(img, *centre_crop_position(*img.shape, size), size)) for _, img in photos]


def score_crops(crops: list[np.ndarray], names: tuple[str, ...] | None = None) -> dict[str, list[float]]:
    """Every classical detector's score (those ``names`` only, when given) of every crop, by
    detector name."""
    return {det.name: [float(det.score(c)) for c in crops] for det in DETECTORS if names is None or det.name in names}


def read_scores(table: Path, root: Path, files: list[Path], size: int) -> dict[str, list[float]]:
    """The scores of ``files``' sub-crops of side ``size`` from a ``scripts/corpus_scores.py``
    table, in the order :func:`sub_crops` gives them; a crop missing there is an error."""
    with open(table, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if int(r["size"]) == size]
    by_crop: dict[str, list[dict]] = {}
    for r in rows:
        by_crop.setdefault(r["file"], []).append(r)
    out: dict[str, list[float]] = {det.name: [] for det in DETECTORS}
    per_crop = len(sub_crops([np.zeros((256, 256))], size, checkerboard=size == 64))
    for path in files:
        name = path.relative_to(root).as_posix()
        cells = sorted(by_crop.get(name, []), key=lambda r: int(r["cell"]))
        if [int(r["cell"]) for r in cells] != list(range(per_crop)):
            raise SystemExit(f"{table}: no complete scores of {name} at {size} px; run scripts/corpus_scores.py again")
        for det in DETECTORS:
            out[det.name] += [float(r[det.name]) for r in cells]
    return out


def fit_calibrations(scores: dict[str, list[float]], scenes: list[str] | None, size: int, fpr: float,
                     source: str) -> list[Calibration]:
    """One Calibration per detector, by scene unless ``scenes`` is None (then the plain quantile),
    printing each threshold and the share of the crops above it."""
    results = []
    for det in DETECTORS:
        if scenes is None:
            threshold, rate, rule = calibrate_threshold(scores[det.name], fpr), fpr, "the plain quantile"
        else:
            threshold, rate = calibrate_threshold_by_scene(scores[det.name], scenes, fpr)
            rule = "leave-one-scene-out (jpegaf.metrics.calibrate_threshold_by_scene)"
        above = float(np.mean(np.asarray(scores[det.name]) > threshold))
        results.append(Calibration(detector=det.name, threshold=threshold, fpr=fpr, n_images=len(scores[det.name]),
                                   size=size, source=f"{source}; threshold by {rule}: {100 * above:.2f}% of these "
                                                     f"crops above it"))
        print(f"{size:4d}  {det.name:18s} n={len(scores[det.name]):4d}  threshold={threshold:10.5g}  "
              f"rate {100 * rate:5.2f}%  above {100 * above:5.2f}%", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"),
                        help="a corpus built by `jpegaf data build-corpus` (default data/corpus)")
    parser.add_argument("--parts", nargs="+", choices=("calibration", "train"), default=["calibration", "train"],
                        help="corpus parts to fit on (default both; never the test part)")
    parser.add_argument("--fpr", type=float, default=0.05, help="false-positive rate (default 0.05)")
    parser.add_argument("--output", type=Path, default=DEFAULT_CALIBRATIONS,
                        help=f"JSON file to write (default {DEFAULT_CALIBRATIONS})")
    parser.add_argument("--scores", type=Path, default=None,
                        help="fit on this scripts/corpus_scores.py table instead of scoring the crops again")
    parser.add_argument("--plain", action="store_true",
                        help="the plain quantile of the crops, not the threshold by scene")
    parser.add_argument("--extra", type=Path, nargs="+", default=[], metavar="DIR",
                        help="folders of never-compressed photographs (>= 256 px) whose centre crops join the "
                             "calibration crops, each its own scene (thresholds only; module doc)")
    parser.add_argument("--extra-exclude", nargs="+", default=[], metavar="STEM",
                        help="leave these images of the --extra folders out (file names without extension)")
    parser.add_argument("--kf-reference", type=Path, default=KF_REFERENCE,
                        help=f"F2's K_F reference to write (default {KF_REFERENCE})")
    parser.add_argument("--kl-reference", type=Path, default=KL_REFERENCE,
                        help=f"the generator methods' K_L reference to write (default {KL_REFERENCE})")
    parser.add_argument("--kl-reference-only", action="store_true",
                        help="score K_L alone and write the K_L reference only (no thresholds, no K_F reference)")
    args = parser.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus` or `jpegaf data build-corpus DIR`)",
              file=sys.stderr)
        return 2
    manifest = json.loads((args.corpus / MANIFEST).read_text(encoding="utf-8"))
    digest = hashlib.sha256((args.corpus / PROVENANCE).read_bytes()).hexdigest()[:16]
    parts = read_corpus_parts(args.corpus)
    files = sorted(parts.calibration * ("calibration" in args.parts) + parts.train * ("train" in args.parts))
    crops = [read_image(p) for p in files]
    n_scenes = sum(1 for part in manifest.get("scenes", {}).values() if part in args.parts)
    crop_scenes = [parts.scenes[p] for p in files]
    results, kf_values, kl_values = [], {}, {}
    extra = extra_photos(args.extra, set(args.extra_exclude)) if args.extra and not args.kl_reference_only else []
    extra_note = (f"; plus {len(extra)} never-compressed photographs beyond the corpus (the centre crop of each, "
                  f"each its own scene) from {', '.join(sorted({f.name for f in args.extra}))}"
                  + (f" (left out: {', '.join(sorted(args.extra_exclude))})" if args.extra_exclude else "")
                  if extra else "")
    for size in CORPUS_SIZES:
        part = sub_crops(crops, size, checkerboard=size == 64)
        per_crop = len(part) // len(crops)
        scenes = None if args.plain else [g for g in crop_scenes for _ in range(per_crop)]
        source = (f"jpegaf training corpus, {' + '.join(args.parts)} part{'s' if len(args.parts) > 1 else ''} "
                  f"(never its test part; PROVENANCE.csv sha256 {digest}...): {len(part)} never-compressed "
                  f"{size}x{size} crops ({len(crops)} crops of 256 from {n_scenes} scenes, non-overlapping "
                  f"sub-crops); never evaluated; K_V recompresses with {libjpeg_version()}")
        start = time.perf_counter()
        if args.kl_reference_only:
            scores = score_crops(part, ("K_L",))
        else:
            scores = read_scores(args.scores, args.corpus, files, size) if args.scores else score_crops(part)
        print(f"{size:4d}  scores of {len(part)} crops in {time.perf_counter() - start:.0f} s", flush=True)
        kl_values[size] = (scores["K_L"], source.removesuffix(f"; K_V recompresses with {libjpeg_version()}"))
        if args.kl_reference_only:
            continue
        # F2's K_F target and the K_L reference stay the corpus's (they are methods' settings,
        # not thresholds); the extra photographs join the thresholds only.
        kf_values[size] = (scores["K_F"], source)
        if extra:
            more = score_crops(centre_crops(extra, size))
            scores = {name: values + more[name] for name, values in scores.items()}
            scenes = None if scenes is None else scenes + [scene for scene, _ in extra]
        results += fit_calibrations(scores, scenes, size, args.fpr, source + extra_note)
    save_kl_reference(args.kl_reference, {size: v for size, (v, _) in kl_values.items()},
                      {size: src for size, (_, src) in kl_values.items()})
    if args.kl_reference_only:
        print(f"wrote {args.kl_reference}")
        return 0
    photos = [read_image(p) for p in sample_paths()]
    for size, per_photo in SAMPLE_SIZES.items():
        part, used = calibration_crops(photos, size, per_photo)
        source = (f"jpegaf bundled samples: {len(part)} never-compressed {size}x{size} centre crops of "
                  f"{used} gray photographs (the corpus has no {size}x{size} crops); NOT held out from "
                  f"an evaluation of the bundled samples; K_V recompresses with {libjpeg_version()}")
        # one crop per photograph: every crop is its own scene, where the rule by scene is the plain one
        results += fit_calibrations(score_crops(part), None, size, args.fpr, source)
    save_calibrations(args.output, results)
    save_kf_reference(args.kf_reference, {size: v for size, (v, _) in kf_values.items()},
                      {size: src for size, (_, src) in kf_values.items()})
    print(f"wrote {args.output}, {args.kf_reference} and {args.kl_reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
