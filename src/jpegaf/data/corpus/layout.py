"""The on-disk form of a built corpus, and reading its split.

::

    OUT/
      corpus.json        how it was built: options, packages and sha256, library versions, counts
      PROVENANCE.csv     one row per crop: file, part, source package/version/path, licence, author,
                         route, scale, crop position, vetting scores
      REJECTED.csv       the crops that were tiled but dropped, with the reason
      LICENSES/          the licence texts of the packages
      train/  calibration/  test/   the gray 256x256 PNG crops, one folder per part

A crop's identity is its path relative to OUT (``train/mate-Aqua_y0000_x0256.png``); the split is
by source scene, so the crops of one photograph (or of one scene's photographs) are all in one
part. ``train`` is for training, ``calibration`` for anything fitted on held-out data (thresholds,
validation), ``test`` is never used by training or calibration.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError

MANIFEST = "corpus.json"
PROVENANCE = "PROVENANCE.csv"
REJECTED = "REJECTED.csv"
LICENSES = "LICENSES"
PARTS = ("train", "calibration", "test")


@dataclass(frozen=True)
class CorpusParts:
    """The crops of a corpus folder by part, each list sorted by relative path, and the scene of
    every crop (PROVENANCE.csv's ``scene``: crops of one scene are not independent draws, which a
    threshold meant for new photographs must know; a row without one is its own scene)."""

    root: Path
    train: list[Path]
    calibration: list[Path]
    test: list[Path]
    scenes: dict[Path, str] = field(default_factory=dict)


def is_corpus(root: str | os.PathLike) -> bool:
    """True when ``root`` holds a built corpus (its manifest and provenance)."""
    root = Path(root)
    return (root / MANIFEST).is_file() and (root / PROVENANCE).is_file()


def read_corpus_parts(root: str | os.PathLike) -> CorpusParts:
    """The parts of a corpus folder, from its PROVENANCE.csv.

    A listed crop that is missing, or a part name that is not one of :data:`PARTS`, is an
    :class:`InputError` naming the corpus: a damaged corpus must not silently shrink a split.
    """
    root = Path(root)
    parts: dict[str, list[Path]] = {p: [] for p in PARTS}
    try:
        with open(root / PROVENANCE, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise InputError(root / PROVENANCE, f"cannot read ({e.strerror})") from None
    missing, scenes = [], {}
    for row in rows:
        part, name = row.get("part"), row.get("file")
        if part not in parts or not name:
            raise InputError(root / PROVENANCE, f"not a corpus provenance file (row {row!r:.80})")
        path = root / name
        if not path.is_file():
            missing.append(name)
        parts[part].append(path)
        scenes[path] = row.get("scene") or name
    if missing:
        raise InputError(root, f"incomplete corpus: {len(missing)} crops of {PROVENANCE} are missing "
                               f"(first: {missing[0]}); rebuild it with `jpegaf data build-corpus`")
    for files in parts.values():
        files.sort(key=lambda p: p.relative_to(root).as_posix())
    return CorpusParts(root=root, train=parts["train"], calibration=parts["calibration"],
                       test=parts["test"], scenes=scenes)
