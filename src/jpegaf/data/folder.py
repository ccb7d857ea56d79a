"""Folders of never-compressed images: scanning, checking, loading as luma, train/test split.

A data set folder (BOSSBase, BOWS2, or the user's own) is checked file by file before training:
every candidate is actually decoded with :func:`jpegaf.imageio.read_image`, so a truncated PNG or a
JPEG hiding behind a ``.png`` name is reported up front, with its reason, instead of crashing a
DataLoader worker hours into a run.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Iterable

import numpy as np
from PIL import Image
from tqdm import tqdm

from ..errors import InputError
from .corpus.layout import is_corpus, read_corpus_parts
from ..imageio import LOSSLESS_FORMATS, LOSSLESS_SUFFIXES, read_image, to_luma

#: JPEG suffixes are scanned too, only so that they can be reported as refused (a training or test
#: original must never have been JPEG-compressed).
JPEG_SUFFIXES = (".jpg", ".jpeg")
#: Every suffix :func:`scan_folder` looks at (case-insensitive); other files are ignored.
IMAGE_SUFFIXES = LOSSLESS_SUFFIXES + JPEG_SUFFIXES
#: The paper's smallest test resolution: an image smaller than this yields no usable crop.
DEFAULT_MIN_SIZE = 64
#: Images at least this large take part in a plain folder's split (one 8x8 block); each tool then
#: leaves out those smaller than its crop size, so that an image's part never depends on the size.
SPLIT_MIN_SIZE = 8


@dataclass
class FolderScan:
    """What :func:`scan_folder` found in a folder.

    Attributes:
        root: the folder scanned.
        usable: image files that decode as 8-bit gray or RGB never-compressed images at least
            ``min_size`` pixels on each side, sorted by relative path (POSIX form, code-point
            order, so the order is the same on every OS and locale).
        refused: (file, reason) for each file with an image suffix that cannot be used, in the
            same order.
        ignored: files whose suffix is not an image suffix, in the same order (only counted in
            the report).
        min_size: the minimum side length that was required.
        recursive: whether sub-folders were scanned.
    """

    root: Path
    usable: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    min_size: int = DEFAULT_MIN_SIZE
    recursive: bool = False

    @property
    def n_checked(self) -> int:
        """Number of files with an image suffix that were checked."""
        return len(self.usable) + len(self.refused)


def _list_entries(root: Path, recursive: bool) -> tuple[list[Path], list[Path]]:
    """Candidate files (image suffix) and other files under ``root``, both unsorted.

    Symbolic links to folders are not followed when recursing, so a link loop cannot hang a scan;
    hidden folders (name starting with ".") are skipped.
    Entries that are neither folders nor regular files (broken links, pipes, devices) are kept as
    candidates when their suffix matches, so that the check reports them instead of blocking on
    them.
    """
    candidates: list[Path] = []
    others: list[Path] = []

    def visit(folder: Path) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as e:
            raise InputError(folder, f"cannot list folder ({e.strerror})") from None
        for entry in entries:
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                # Hidden folders (caches, a corpus build in progress) are not part of a data set.
                if recursive and not entry.name.startswith("."):
                    visit(path)
            elif entry.is_dir():
                continue  # a link to a folder: not followed (see above)
            elif path.suffix.lower() in IMAGE_SUFFIXES:
                candidates.append(path)
            else:
                others.append(path)

    visit(root)
    return candidates, others


def _sort_key(root: Path):
    def key(path: Path) -> str:
        return path.relative_to(root).as_posix()
    return key


def check_image_file(path: Path, min_size: int = DEFAULT_MIN_SIZE) -> str | None:
    """Why ``path`` cannot serve as a never-compressed original, or None when it can.

    The file is decoded in full (a header check would miss truncated pixel data).
    """
    if not path.is_file():
        if path.exists():
            return "not a regular file"
        return "broken link" if path.is_symlink() else "no such file"
    try:
        img = read_image(path)
    except InputError as e:
        return e.problem
    height, width = img.shape[:2]
    if height < min_size or width < min_size:
        return f"image of {width}x{height} pixels is smaller than the {min_size}x{min_size} minimum"
    return None


def scan_folder(directory: str | os.PathLike, *, recursive: bool = False,
                min_size: int = DEFAULT_MIN_SIZE, workers: int = 1,
                progress: bool | None = None) -> FolderScan:
    """Find and check the image files of a folder.

    Args:
        directory: the folder.
        recursive: also scan sub-folders (links to folders are not followed).
        min_size: smallest accepted height and width, in pixels.
        workers: processes that decode files in parallel; 1 decodes in this process. The result
            does not depend on it (files are sorted before checking and results kept in order).
        progress: show a progress bar on stderr; None shows it only when stderr is a terminal.

    Returns:
        A :class:`FolderScan`. A folder that does not exist or cannot be listed raises
        :class:`InputError`; a bad file is never an exception, it is listed in ``refused``.
    """
    root = Path(directory)
    if not root.exists():
        raise InputError(root, "no such folder")
    if not root.is_dir():
        raise InputError(root, "not a folder")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, got {min_size}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")

    candidates, others = _list_entries(root, recursive)
    key = _sort_key(root)
    candidates.sort(key=key)
    others.sort(key=key)

    # tqdm's disable=None means "disable when the stream is not a terminal".
    bar = tqdm(total=len(candidates), desc=f"checking {root}", unit="file", file=sys.stderr,
               disable=None if progress is None else not progress)
    try:
        if workers == 1 or len(candidates) < 2:
            reasons = []
            for path in candidates:
                reasons.append(check_image_file(path, min_size))
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                reasons = []
                # Executor.map yields in input order, so the result is the same as with 1 worker.
                for reason in pool.map(check_image_file, candidates, repeat(min_size),
                                       chunksize=max(1, min(256, len(candidates) // (4 * workers)))):
                    reasons.append(reason)
                    bar.update()
    finally:
        bar.close()

    scan = FolderScan(root=root, ignored=others, min_size=min_size, recursive=recursive)
    for path, reason in zip(candidates, reasons):
        if reason is None:
            scan.usable.append(path)
        else:
            scan.refused.append((path, reason))
    return scan


def format_corpus_parts(corpus: str | os.PathLike, min_size: int) -> str:
    """The line ``jpegaf data check`` adds for a corpus: its parts' sizes (its own split)."""
    parts = dataset_parts(corpus, min_size=min_size)
    return (f"corpus: train {len(parts.train)}, calibration {len(parts.held_out)}, test {len(parts.test)} "
            f"images of at least {min_size} px (its own split, by scene; see PROVENANCE.csv)")


def format_report(scan: FolderScan) -> str:
    """The text of ``jpegaf data check DIR``: counts, then one ``path: reason`` line per refused file."""
    where = f"{scan.root}{' (with sub-folders)' if scan.recursive else ''}"
    lines = [
        f"{where}: {scan.n_checked} image files checked: {len(scan.usable)} usable, "
        f"{len(scan.refused)} refused (minimum size {scan.min_size}x{scan.min_size}); "
        f"{len(scan.ignored)} other files ignored",
    ]
    lines.extend(f"{path}: {reason}" for path, reason in scan.refused)
    return "\n".join(lines)


def load_luma(path: str | os.PathLike) -> np.ndarray:
    """A never-compressed image file as uint8 (H, W) luma (BT.601 for RGB); JPEG files are refused."""
    return to_luma(read_image(path))


def image_size(path: str | os.PathLike) -> tuple[int, int]:
    """(height, width) of a never-compressed image file, from its header only (no decoding).

    Raises :class:`InputError` for a file that is unreadable, not an image, or not one of the
    lossless formats (a JPEG is refused here already).
    """
    path = Path(path)
    try:
        with warnings.catch_warnings():
            # The pixel limit is enforced when the image is decoded (read_image), not here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt, (width, height) = im.format, im.size
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except Image.DecompressionBombError:
        raise InputError(path, "image exceeds Pillow's pixel limit "
                               "(a guard against decompression bombs)") from None
    except OSError as e:
        if isinstance(e, Image.UnidentifiedImageError):
            raise InputError(path, "not an image (unrecognised format)") from None
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    if fmt == "JPEG":
        raise InputError(path, "is a JPEG file, but a never-compressed image is required")
    if fmt not in LOSSLESS_FORMATS:
        raise InputError(path, f"unsupported format {fmt} (use PNG, PGM/PPM, TIFF or BMP)")
    return height, width


@dataclass(frozen=True)
class Split:
    """A train/test partition of image files; each part sorted by path (as POSIX strings)."""

    train: list[Path]
    test: list[Path]


#: A folder may carry its own split: a CSV with columns ``file`` (path relative to the folder) and
#: ``part`` (``train`` or ``test``), as the bundled samples do to keep the split their shipped
#: generators were trained and validated on.
SPLIT_FILE = "SPLIT.csv"


def identity_fraction(identity: str, seed: int) -> float:
    """A number in [0, 1) fixed by an image's identity and the seed, uniform over identities: the
    first 8 bytes of SHA-256(``"<seed>:<identity>"``) over 2**64."""
    digest = hashlib.sha256(f"{seed}:{identity}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0 ** 64


def split_files(files: Iterable[str | os.PathLike], *, root: str | os.PathLike | None = None,
                test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Split files into train and test by identity, reproducibly.

    A file's identity is its path relative to ``root`` as a POSIX string (the path itself when
    ``root`` is None); it is in the test part when :func:`identity_fraction` of its identity and
    ``seed`` is below ``test_fraction``. So a file's part depends on nothing but its name and the
    seed: not on the other files of the folder (adding or removing images moves no other image
    between parts), not on the order they are listed in, not on the crop size a tool uses, and
    it is the same for every tool. The test share is ``test_fraction`` on average rather than
    exactly (the paper's 20,000 images give 4,000 +- 57).

    Args:
        files: the image files; duplicates are an error (a file in both parts would leak).
        root: the data folder the identities are relative to.
        test_fraction: in [0, 1]. The paper: 4,000 of 20,000, i.e. 0.2.
        seed: salts the hash; another seed gives another split.
    """
    paths = sorted((Path(f) for f in files), key=lambda p: p.as_posix())
    if len(set(paths)) != len(paths):
        dupes = sorted(p.as_posix() for p, n in Counter(paths).items() if n > 1)
        raise ValueError(f"duplicate files in the list: {', '.join(dupes[:5])}")
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"test_fraction must lie in [0, 1], got {test_fraction}")
    base = None if root is None else Path(root)
    test, train = [], []
    for path in paths:
        identity = (path.relative_to(base) if base is not None else path).as_posix()
        (test if identity_fraction(identity, seed) < test_fraction else train).append(path)
    return Split(train=train, test=test)


def read_split_file(root: Path, usable: Iterable[Path]) -> Split:
    """The split a folder's own :data:`SPLIT_FILE` gives its ``usable`` images.

    Every usable image must be listed and every listed file must exist, else :class:`InputError`
    naming the problem: a stale split file must not silently train on a test image.
    """
    path = root / SPLIT_FILE
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})") from None
    parts: dict[str, str] = {}
    for row in rows:
        name, part = row.get("file"), row.get("part")
        if not name or part not in ("train", "test"):
            raise InputError(path, f"expected columns file,part with part train or test (row {row!r:.80})")
        parts[name] = part
    identities = {p.relative_to(root).as_posix(): p for p in usable}
    unlisted = sorted(set(identities) - set(parts))
    if unlisted:
        raise InputError(path, f"does not list {len(unlisted)} image(s) of the folder (first: {unlisted[0]})")
    missing = sorted(n for n in parts if not (root / n).is_file())
    if missing:
        raise InputError(path, f"lists {len(missing)} missing file(s) (first: {missing[0]})")
    ordered = sorted(identities)
    return Split(train=[identities[n] for n in ordered if parts[n] == "train"],
                 test=[identities[n] for n in ordered if parts[n] == "test"])


@dataclass(frozen=True)
class DatasetParts:
    """The images of a data folder as every tool uses them.

    Attributes:
        root: the folder; an image's identity is its path relative to it.
        train: what models are trained on.
        held_out: what training validates on and thresholds are fitted on.
        test: what evaluation reports.
        corpus: True when the folder is a built corpus (``jpegaf data build-corpus``), whose own
            three-part split is used (``held_out`` is its calibration part, disjoint from
            ``test``). A plain folder is scanned recursively and split in two by its
            :data:`SPLIT_FILE` or by :func:`split_files`; its held-out images then serve as
            both ``held_out`` and ``test``.
    """

    root: Path
    train: list[Path]
    held_out: list[Path]
    test: list[Path]
    corpus: bool


def dataset_parts(directory: str | os.PathLike, *, min_size: int = DEFAULT_MIN_SIZE,
                  test_fraction: float = 0.2, seed: int = 0) -> DatasetParts:
    """Split a data folder (a corpus or a plain folder) into its parts; images smaller than
    ``min_size`` on a side are left out of every part.

    ``test_fraction`` and ``seed`` apply to plain folders only: a corpus carries its split, and
    so does a folder with a :data:`SPLIT_FILE`; any other folder is split by identity
    (:func:`split_files`).
    Raises :class:`InputError` for a missing folder or a damaged corpus.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InputError(root, "no such folder" if not root.exists() else "not a folder")

    def large_enough(files: Iterable[Path]) -> list[Path]:
        return [f for f in files if min(image_size(f)) >= min_size]

    if is_corpus(root):
        parts = read_corpus_parts(root)
        return DatasetParts(root=root, train=large_enough(parts.train),
                            held_out=large_enough(parts.calibration), test=large_enough(parts.test),
                            corpus=True)
    # Split every readable image first, then leave out the small ones: an image's part must not
    # depend on the crop size, or a 256-px detector would train on images that the evaluation
    # grid tests at 64 px.
    scan = scan_folder(root, recursive=True, min_size=SPLIT_MIN_SIZE, progress=False)
    if (root / SPLIT_FILE).is_file():
        split = read_split_file(root, scan.usable)
    else:
        split = split_files(scan.usable, root=root, test_fraction=test_fraction, seed=seed)
    test = large_enough(split.test)
    return DatasetParts(root=root, train=large_enough(split.train), held_out=test, test=test, corpus=False)
