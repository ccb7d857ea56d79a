"""PyTorch datasets of (never-compressed crop, JPEG of that crop) pairs.

Each item is made from a source image file on demand: the luma of the file is cropped (and, for
training, transformed by one of the 8 dihedral symmetries), then compressed and decoded by the
project's real libjpeg (:func:`jpegaf.jpeg.jpeg_roundtrip`). Tensors are float32 of shape
(1, S, S) scaled to [-1, 1] by ``x = pixel / 127.5 - 1``.

Reproducibility: every random choice comes from a ``numpy.random.default_rng`` seeded by explicit
integers (crop positions by ``[seed, image_index]``, augmentations by ``[seed, epoch, index]``);
no global random state is used and ``__getitem__`` changes nothing that affects results, so an item
is the same in the main process and in any DataLoader worker.

Optional disk cache: the decoded JPEG crop is stored as a lossless PNG named by a hash of
everything it depends on (source file path, size and modification time; crop box; augmentation;
quality; libjpeg and jpegaf versions). Files are written to a temporary name and renamed, so
concurrent DataLoader workers never read a partial file.
"""

from __future__ import annotations

import functools
import io
import operator
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from .. import __version__, jpeg
from .crops import augment as apply_augmentation
from .crops import (centre_crop_position, crop, grid_cells, random_augmentation, random_content_variation,
                    train_crop_positions, vary_content)
from ..determinism import stable_hash
from ..imageio import atomic_write_bytes
from .conditioning import qtable_plane
from .folder import image_size, load_luma

#: Decoded source images kept per process. Small on purpose: each DataLoader worker holds its own
#: copy, and 16 images of 512x512 take 4 MiB. With a shuffled loader the 5 crops of one image are
#: rarely fetched close together, so the cache mostly helps in-order passes (evaluation, caching).
IMAGE_CACHE_SIZE = 16


def unit_range(pixels: np.ndarray) -> np.ndarray:
    """uint8 pixels of any shape -> float32 in [-1, 1]: ``x = pixel / 127.5 - 1``, the scale of
    every network here (the one place it is written; :func:`from_unit_range` is its inverse)."""
    return pixels.astype(np.float32) / np.float32(127.5) - np.float32(1.0)


def to_unit_range(img: np.ndarray) -> torch.Tensor:
    """uint8 (S, S) pixels -> float32 tensor (1, S, S) in [-1, 1]: :func:`unit_range`."""
    if img.dtype != np.uint8 or img.ndim != 2:
        raise ValueError(f"expected a uint8 (H, W) image, got {img.dtype} of shape {img.shape}")
    return torch.from_numpy(unit_range(img)[None])


def unit_range_grey(x: torch.Tensor | np.ndarray) -> np.ndarray:
    """Values in [-1, 1] -> grey levels in [0, 255], float64, not rounded (for a stage that rounds
    itself). Shape is kept except a leading channel axis of 1, which is dropped."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 3 and x.shape[0] == 1:
        x = x[0]
    return np.clip((x + 1.0) * 127.5, 0.0, 255.0)


def from_unit_range(x: torch.Tensor | np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_unit_range`: values in [-1, 1] -> uint8 pixels, rounded half up and
    clipped. Shape is kept except a leading channel axis of 1, which is dropped: (1, S, S) -> (S, S).
    """
    return np.floor(unit_range_grey(x) + 0.5).astype(np.uint8)


@functools.lru_cache(maxsize=IMAGE_CACHE_SIZE)
def _decoded_luma(path: str, st_size: int, st_mtime_ns: int) -> np.ndarray:
    # Size and mtime are part of the key so that a file replaced on disk is decoded again.
    img = load_luma(path)
    img.flags.writeable = False  # shared between calls: a caller must not change it
    return img


def _source_luma(path: Path) -> tuple[np.ndarray, os.stat_result]:
    st = os.stat(path)
    return _decoded_luma(os.fspath(path), st.st_size, st.st_mtime_ns), st


@dataclass(frozen=True)
class CropSpec:
    """What defines one pair: the crop box in the source image and the transform applied to it.

    The original of the pair is ``augment(crop(luma(file), top, left, size), k_rot, flip)``,
    then, when ``gamma`` or ``noise_sigma`` say so, :func:`vary_content` of it; shape
    (size, size). Its JPEG is that array compressed at the dataset's quality.
    """

    file: Path
    top: int
    left: int
    size: int
    k_rot: int = 0
    flip: bool = False
    gamma: float = 1.0
    noise_sigma: float = 0.0
    noise_seed: int = 0


class JpegCropCache:
    """Decoded JPEG crops on disk, one PNG per (source, box, transform, quality, codec) key."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(spec: CropSpec, st: os.stat_result, quality: int) -> str:
        """Hex SHA-256 of everything the decoded JPEG crop depends on."""
        fields = {
            "file": os.path.abspath(spec.file),
            "bytes": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "box": [spec.top, spec.left, spec.size],
            "k_rot": spec.k_rot % 4,
            "flip": bool(spec.flip),
            # Only when used, so that the keys of unvaried crops stay those of earlier versions.
            **({"vary": [spec.gamma, spec.noise_sigma, spec.noise_seed]}
               if (spec.gamma, spec.noise_sigma) != (1.0, 0.0) else {}),
            "quality": quality,
            "libjpeg": jpeg.LIBJPEG_VERSION,
            "codec": jpeg.libjpeg_version(),
            "jpegaf": __version__,
        }
        return stable_hash(fields)

    def path(self, key: str) -> Path:
        # Two-level layout: 80,000 training crops in one folder slow down some file systems.
        return self.directory / key[:2] / f"{key}.png"

    def load(self, key: str, size: int) -> np.ndarray | None:
        """The cached (size, size) uint8 crop, or None when absent or unreadable."""
        path = self.path(key)
        try:
            with Image.open(path) as im:
                im.load()
                if im.mode != "L" or im.size != (size, size):
                    return None
                return np.asarray(im).copy()
        except FileNotFoundError:
            return None
        except (OSError, SyntaxError, ValueError):
            # A damaged entry (e.g. left by a machine crash) is recomputed and overwritten.
            return None

    def store(self, key: str, img: np.ndarray) -> None:
        """Write ``img`` under ``key`` atomically (temporary file in the same folder, then rename)."""
        path = self.path(key)
        path.parent.mkdir(exist_ok=True)
        buf = io.BytesIO()
        # Level 1: these files are read far more often than written, and level 1 decodes as fast.
        Image.fromarray(np.asarray(img, dtype=np.uint8)).save(buf, format="PNG", compress_level=1)
        # No fsync: the rename makes the file appear whole to other workers, and a file torn by a
        # crash fails PNG's CRC check on load and is simply recomputed.
        atomic_write_bytes(path, buf.getvalue(), fsync=False)


def _original_and_stat(spec: CropSpec) -> tuple[np.ndarray, os.stat_result]:
    img, st = _source_luma(spec.file)
    original = apply_augmentation(crop(img, spec.top, spec.left, spec.size), spec.k_rot, spec.flip)
    return vary_content(original, spec.gamma, spec.noise_sigma, spec.noise_seed), st


def make_original(spec: CropSpec) -> np.ndarray:
    """The never-compressed uint8 (size, size) original of ``spec``."""
    return _original_and_stat(spec)[0]


def make_pair(spec: CropSpec, quality: int,
              cache: JpegCropCache | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The (original, jpeg) uint8 (size, size) arrays of ``spec`` at ``quality``.

    The JPEG is compressed from the transformed original (never transformed after compression);
    with a cache, a hit returns exactly the array a fresh computation would give.
    """
    original, st = _original_and_stat(spec)
    if cache is None:
        return original, jpeg.jpeg_roundtrip(original, quality)
    # The stat that keyed the decoded image also keys the cache entry, so both describe the
    # same version of the file.
    key = cache.key(spec, st, quality)
    compressed = cache.load(key, spec.size)
    if compressed is None:
        compressed = jpeg.jpeg_roundtrip(original, quality)
        cache.store(key, compressed)
    return original, compressed


def _check_seed(name: str, value: int) -> int:
    value = operator.index(value)
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return value


def _item_index(index: int, length: int) -> int:
    index = operator.index(index)
    if index < 0:
        index += length
    if not 0 <= index < length:
        raise IndexError(f"index {index} out of range for a dataset of {length} pairs")
    return index


class _CropPairs(Dataset):
    """What both datasets share: uint8 access to item ``index`` through its :class:`CropSpec`
    (``spec``), compressed at ``self.quality`` with the optional ``self.cache``."""

    # Each subclass sets ``quality`` and ``cache`` and defines ``spec(index)`` (where its crops lie).
    quality: int
    cache: "JpegCropCache | None"

    def original_uint8(self, index: int) -> np.ndarray:
        """The never-compressed crop of item ``index``: uint8 (S, S)."""
        return make_original(self.spec(index))

    def jpeg_uint8(self, index: int) -> np.ndarray:
        """The decoded JPEG of item ``index``: uint8 (S, S)."""
        return make_pair(self.spec(index), self.quality, self.cache)[1]

    def pair_uint8(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """(original, jpeg) of item ``index`` as uint8 (S, S) arrays."""
        return make_pair(self.spec(index), self.quality, self.cache)


class TrainPairs(_CropPairs):
    """Training pairs: ``crops_per_image`` non-overlapping crops of every image, augmented.

    Item ``i`` maps to (image, crop) in file order: the crops of ``files[0]`` first, then those of
    ``files[1]``... Crop positions are fixed for the dataset, drawn for image ``j`` from
    ``default_rng([seed, j])`` (so they depend on the order of ``files``: pass a sorted list, as
    :func:`split_files` returns). An image with room for fewer crops than requested contributes
    the crops that fit; one smaller than ``crop_size`` contributes none and is listed in
    ``skipped``. The augmentation of item ``i`` is drawn from ``default_rng([seed, epoch, i])``:
    it changes with :meth:`set_epoch` and is reproducible for a given (seed, epoch, i).

    ``__getitem__`` returns ``(original, jpeg)``, float32 tensors of shape (1, crop_size,
    crop_size) in [-1, 1].

    Image sizes are read from file headers at construction; pixels are decoded only when an item
    is fetched. With DataLoader workers, call :meth:`set_epoch` before iterating and do not use
    ``persistent_workers=True``: persistent workers keep the dataset copy of the first epoch.

    Args:
        files: never-compressed image files (gray or RGB; RGB is converted to BT.601 luma).
        quality: JPEG quality, an integer in 1..100.
        crop_size: side of the crops, a multiple of 8 (paper: 128).
        crops_per_image: crops per image (paper: 5).
        seed: seed of crop positions and augmentations.
        augment: draw one of the 8 rotations/flips per item (not in the paper); False gives the
            raw crops.
        cache_dir: folder of the on-disk JPEG cache, or None for no cache. With ``augment``, up to
            8 variants of each crop may be stored.
        epoch: initial epoch number (see :meth:`set_epoch`).
        vary_content: also give each item a random tone curve and sensor-like noise before
            compression (:func:`jpegaf.data.crops.random_content_variation`, not in the paper;
            for detectors that must hold on photographs unlike the training set), drawn from
            ``default_rng([seed, epoch, index, 1])``.
    """

    def __init__(self, files: Sequence[str | os.PathLike], quality: int, crop_size: int = 128,
                 crops_per_image: int = 5, seed: int = 0, augment: bool = True,
                 cache_dir: str | os.PathLike | None = None, epoch: int = 0, vary_content: bool = False):
        self.files = [Path(f) for f in files]
        self.quality = jpeg.check_quality(quality)
        grid_cells(0, 0, crop_size)  # validates crop_size
        if crops_per_image < 1:
            raise ValueError(f"crops_per_image must be at least 1, got {crops_per_image}")
        self.crop_size = crop_size
        self.crops_per_image = crops_per_image
        self.seed = _check_seed("seed", seed)
        self.augment = bool(augment)
        self.vary_content = bool(vary_content)
        self.epoch = _check_seed("epoch", epoch)
        self.cache = JpegCropCache(cache_dir) if cache_dir is not None else None

        #: per image, the (top, left) corners of its crops
        self.positions: list[list[tuple[int, int]]] = []
        #: (file, reason) of images that yield no crop
        self.skipped: list[tuple[Path, str]] = []
        for j, path in enumerate(self.files):
            height, width = image_size(path)
            pos = train_crop_positions(height, width, crop_size, crops_per_image,
                                       rng=np.random.default_rng([self.seed, j]))
            if not pos:
                self.skipped.append((path, f"image of {width}x{height} pixels is smaller than "
                                           f"the {crop_size}x{crop_size} crop"))
            self.positions.append(pos)
        # _starts[j] is the index of the first crop of image j; _starts[-1] the dataset length.
        self._starts = np.concatenate([[0], np.cumsum([len(p) for p in self.positions])]).astype(np.int64)

    def __len__(self) -> int:
        return int(self._starts[-1])

    def set_epoch(self, epoch: int) -> None:
        """Select the augmentations of epoch ``epoch`` (crop positions do not change)."""
        self.epoch = _check_seed("epoch", epoch)

    def spec(self, index: int) -> CropSpec:
        """The crop box and transform of item ``index`` in the current epoch."""
        index = _item_index(index, len(self))
        j = int(np.searchsorted(self._starts, index, side="right")) - 1
        top, left = self.positions[j][index - int(self._starts[j])]
        k_rot, flip = 0, False
        if self.augment:
            k_rot, flip = random_augmentation(np.random.default_rng([self.seed, self.epoch, index]))
        gamma, sigma, noise_seed = 1.0, 0.0, 0
        if self.vary_content:  # its own stream: the dihedral draws stay those of augment alone
            gamma, sigma, noise_seed = random_content_variation(
                np.random.default_rng([self.seed, self.epoch, index, 1]))
        return CropSpec(self.files[j], top, left, self.crop_size, k_rot, flip, gamma, sigma, noise_seed)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        original, compressed = self.pair_uint8(index)
        return to_unit_range(original), to_unit_range(compressed)


class CentreCropPairs(_CropPairs):
    """Evaluation pairs: the central ``size`` x ``size`` crop of every image (paper: 64, 128, 256, 512).

    No randomness is involved: the crop is at :func:`centre_crop_position`. Images smaller than
    ``size`` are left out and listed in ``skipped`` with the reason; ``files`` holds the images
    kept, and item ``i`` comes from ``files[i]``.

    ``__getitem__`` returns ``(original, jpeg, index)``: float32 tensors (1, size, size) in
    [-1, 1] and the item index (``dataset.files[index]`` names the source file).

    Args:
        files: never-compressed image files (gray or RGB; RGB is converted to BT.601 luma).
        quality: JPEG quality, an integer in 1..100 (paper: 25, 50, 75).
        size: side of the central crop, a multiple of 8.
        cache_dir: folder of the on-disk JPEG cache, or None for no cache.
    """

    def __init__(self, files: Sequence[str | os.PathLike], quality: int, size: int,
                 cache_dir: str | os.PathLike | None = None):
        self.quality = jpeg.check_quality(quality)
        grid_cells(0, 0, size)  # validates size
        self.size = size
        self.cache = JpegCropCache(cache_dir) if cache_dir is not None else None
        #: the images used, in the order given
        self.files: list[Path] = []
        #: (top, left) of the crop of each image in ``files``
        self.positions: list[tuple[int, int]] = []
        #: (file, reason) of images left out
        self.skipped: list[tuple[Path, str]] = []
        for f in files:
            path = Path(f)
            height, width = image_size(path)
            try:
                pos = centre_crop_position(height, width, size)
            except ValueError as e:
                self.skipped.append((path, str(e)))
                continue
            self.files.append(path)
            self.positions.append(pos)

    def __len__(self) -> int:
        return len(self.files)

    def file(self, index: int) -> Path:
        """The source file of item ``index``."""
        return self.files[_item_index(index, len(self))]

    def spec(self, index: int) -> CropSpec:
        """The crop box of item ``index``."""
        index = _item_index(index, len(self))
        top, left = self.positions[index]
        return CropSpec(self.files[index], top, left, self.size)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, int]:
        index = _item_index(index, len(self))
        original, compressed = self.pair_uint8(index)
        return to_unit_range(original), to_unit_range(compressed), index


class MixedQualityPairs(Dataset):
    """Training pairs at several JPEG qualities for a generator conditioned on the quantization
    table (one model for all qualities; not in the paper, see :mod:`jpegaf.data.conditioning`).

    Item ``i`` is item ``i`` of a :class:`TrainPairs` (same crops, same augmentation), compressed
    at a quality drawn from ``qualities`` by ``default_rng([seed, epoch, i, 1])`` (uniformly, so
    each epoch mixes the qualities in about equal parts, reproducibly).

    ``__getitem__`` returns ``(original, conditioned_jpeg)``: float32 tensors (1, S, S) and
    (2, S, S), the second holding the JPEG in [-1, 1] and its table's plane (:func:`qtable_plane`).
    """

    def __init__(self, files: Sequence[str | os.PathLike], qualities: Sequence[int], crop_size: int = 128,
                 crops_per_image: int = 5, seed: int = 0, augment: bool = True,
                 cache_dir: str | os.PathLike | None = None, epoch: int = 0):
        if not qualities:
            raise ValueError("give at least one quality")
        self.qualities = tuple(jpeg.check_quality(q) for q in qualities)
        self.seed = _check_seed("seed", seed)
        self.by_quality = {q: TrainPairs(files, q, crop_size=crop_size, crops_per_image=crops_per_image,
                                         seed=seed, augment=augment, cache_dir=cache_dir, epoch=epoch)
                           for q in self.qualities}
        first = self.by_quality[self.qualities[0]]
        self.files, self.skipped, self.crop_size = first.files, first.skipped, crop_size
        self.epoch = first.epoch
        self._planes = {q: torch.from_numpy(qtable_plane(jpeg.quality_to_table(q), crop_size, crop_size))[None]
                        for q in self.qualities}

    def __len__(self) -> int:
        return len(self.by_quality[self.qualities[0]])

    def set_epoch(self, epoch: int) -> None:
        self.epoch = _check_seed("epoch", epoch)
        for pairs in self.by_quality.values():
            pairs.set_epoch(epoch)

    def quality(self, index: int) -> int:
        """The quality of item ``index`` in the current epoch."""
        index = _item_index(index, len(self))
        k = np.random.default_rng([self.seed, self.epoch, index, 1]).integers(len(self.qualities))
        return self.qualities[int(k)]

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        q = self.quality(index)
        original, compressed = self.by_quality[q][index]
        return original, torch.cat([compressed, self._planes[q]])
