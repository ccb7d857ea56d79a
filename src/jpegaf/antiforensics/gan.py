"""The GAN anti-forensic method (Luo et al. 2018): a trained generator behind the common signature.

:func:`tiled_generate` runs a generator on an image of any size in overlapping tiles, so memory
stays bounded; :class:`GanEraser` wraps one or more trained generators (one per JPEG quality) as
``method(coefs, seed) -> uint8 pixels``, like F1-F3.

Tiling is exact: the generator is a stack of 3x3, stride-1 convolutions, so an output pixel depends
only on input pixels within the receptive-field radius (one pixel per convolution). Each tile is
extended by a margin of at least that radius with real image content (at the image's own borders
there is nothing to extend and the convolutions' zero padding applies exactly as for the whole
image), and only the tile's central part is kept. The result equals the untiled one up to
floating-point differences (convolution kernels may sum in a different order on another size).

A generator conditioned on the quantization table (one model for several qualities, not in the
paper; :mod:`jpegaf.data.conditioning`) gets the plane of the file's own luma table as a second
input channel; the plane is built for the whole image and cut into tiles with it, so tiling stays
exact.

Colour: the generator was trained on gray images (the paper's luma). For a colour JPEG only the
luma (BT.601 Y) goes through the generator; Cb and Cr are taken unchanged from the decoded JPEG, so
**the chroma keeps its JPEG traces** (blocking, quantized DCT histograms of Cb/Cr).
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import torch

from ..determinism import derived_seed
from ..errors import InputError
from ..imageio import to_luma
from ..jpeg import JpegCoefficients, decompress, estimate_quality, from_coefficients, to_uint8
from ..data.pairs import from_unit_range, unit_range, unit_range_grey
from ..data.conditioning import qtable_plane
from ..models import noise_channels_of, noise_planes
from . import ENSEMBLES
from .common import check_tables, clip_to_bins, decode_plane, ycbcr_to_rgb


def receptive_radius(generator: torch.nn.Module) -> int:
    """Receptive-field radius in pixels: the sum over the generator's convolutions of
    dilation * (kernel - 1) / 2 (one pixel per 3x3 stride-1 convolution)."""
    radius = 0
    for m in generator.modules():
        if isinstance(m, torch.nn.Conv2d):
            if m.stride != (1, 1):
                raise ValueError("tiled generation needs stride-1 convolutions")
            radius += max(d * (k - 1) // 2 for k, d in zip(m.kernel_size, m.dilation))
    return radius


def _starts(n: int, tile: int) -> list[int]:
    return list(range(0, n, tile)) if n > 0 else []


def tile_count(h: int, w: int, tile: int) -> int:
    """How many tiles :func:`tiled_generate` runs the generator on for an (h, w) image."""
    return len(_starts(h, tile)) * len(_starts(w, tile))


def tiled_generate(generator: torch.nn.Module, img: np.ndarray, tile: int = 512,
                   overlap: int | None = None, device: str | torch.device = "cpu",
                   bf16: bool = False, table: np.ndarray | None = None, rounded: bool = True,
                   progress: Callable[[], None] | None = None, seed: int = 0,
                   noise_scale: float = 1.0) -> np.ndarray:
    """Run ``generator`` on a uint8 gray image in overlapping tiles; returns uint8 (H, W), or with
    ``rounded=False`` the same grey levels before rounding, float64 in [0, 255].

    Each ``tile`` x ``tile`` output region is computed from the input extended by ``overlap``
    pixels on every side (clipped at the image's borders), and only the central region is kept.
    ``overlap`` defaults to the receptive-field radius rounded up to a multiple of 8; with
    ``overlap`` >= that radius the result equals the untiled one up to floating-point rounding.
    The input is scaled as in training, x = img / 127.5 - 1, and the output mapped back with
    floor((y + 1) * 127.5 + 0.5), clipped to [0, 255]. ``bf16`` runs under bfloat16 autocast
    (faster on recent hardware, no longer equal to the fp32 result bit for bit). ``table``: the
    file's (8, 8) luma quantization table, for a generator conditioned on it (None otherwise).
    ``progress``: called after each tile (:func:`tile_count` calls). A stochastic generator (its
    config's ``noise_channels``) gets noise planes drawn once for the whole image from ``seed``
    (:func:`jpegaf.models.noise_planes`) and multiplied by ``noise_scale``, so tiles agree where
    they overlap and the same seed gives the same output; a deterministic one ignores both.
    ``noise_scale`` < 1 is meant to trade the sample's noise floor for PSNR (the energy score
    trains a sampler, whose error is about twice the average's); measured, the spread shrinks
    about in proportion for the block score's sampler but not for the per-coefficient one, whose
    dependable dial is a card's blend with a deterministic estimate (:attr:`TrainedGenerator.blend`;
    ``results/antiforensic/stochastic-q25.md``).
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a uint8 gray image, got {img.dtype} of shape {img.shape}")
    if not (isinstance(tile, int) and tile >= 1):
        raise ValueError(f"tile must be a positive int, got {tile!r}")
    radius = receptive_radius(generator)
    if overlap is None:
        overlap = 8 * math.ceil(radius / 8)
    if not (isinstance(overlap, int) and overlap >= 0):
        raise ValueError(f"overlap must be a non-negative int, got {overlap!r}")
    torch.set_flush_denormal(True)
    device = torch.device(device)
    generator = generator.to(device).eval()
    h, w = img.shape
    x = torch.from_numpy(unit_range(img))[None]
    if table is not None:
        x = torch.cat([x, torch.from_numpy(qtable_plane(table, h, w))[None]])
    n_noise = noise_channels_of(generator)
    if n_noise:
        x = torch.cat([x, noise_scale * noise_planes(1, n_noise, h, w, seed)[0]])
    out = np.empty((h, w), np.float32)
    with torch.no_grad(), torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=bf16):
        for y0 in _starts(h, tile):
            y1 = min(y0 + tile, h)
            ey0, ey1 = max(0, y0 - overlap), min(h, y1 + overlap)
            for x0 in _starts(w, tile):
                x1 = min(x0 + tile, w)
                ex0, ex1 = max(0, x0 - overlap), min(w, x1 + overlap)
                inp = x[:, ey0:ey1, ex0:ex1][None].to(device).contiguous(memory_format=torch.channels_last)
                y = generator(inp)[0, 0].float().cpu().numpy()
                out[y0:y1, x0:x1] = y[y0 - ey0:y1 - ey0, x0 - ex0:x1 - ex0]
                if progress is not None:
                    progress()
    if not rounded:  # for a later stage that rounds itself (jpegaf.antiforensics.lattice)
        return unit_range_grey(out)
    return from_unit_range(out)


#: The symmetries of the square as (transpose, flip rows, flip columns), applied in that order:
#: :data:`ENSEMBLES` [n] are the first n. The first four (the identity and the flips) keep every
#: block's DCT magnitudes, so the quantization table; a transpose swaps the table's rows and
#: columns, which the generator saw in training only through its dihedral augmentation (done
#: before compression, so never with a transposed table).
DIHEDRAL_TRANSFORMS: tuple[tuple[bool, bool, bool], ...] = (
    (False, False, False), (False, False, True), (False, True, False), (False, True, True),
    (True, False, False), (True, False, True), (True, True, False), (True, True, True))


def grid_preserving(transform: tuple[bool, bool, bool], h: int, w: int) -> bool:
    """Whether ``transform`` maps the JPEG's 8x8 block grid of an (h, w) image onto the grid of
    the transformed image (whose blocks start at its top-left corner). A transpose always does;
    a flip does when the side it reverses is a multiple of 8 (else the partial blocks at the
    bottom or right would move to the top or left, a grid the codec never made)."""
    transpose, flip_rows, flip_cols = transform
    rows, cols = (w, h) if transpose else (h, w)
    return not (flip_rows and rows % 8) and not (flip_cols and cols % 8)


def apply_symmetry(a: np.ndarray, transform: tuple[bool, bool, bool]) -> np.ndarray:
    """``a`` (H, W) under one of :data:`DIHEDRAL_TRANSFORMS`: transposed, then rows and columns
    reversed as it says (a contiguous copy)."""
    transpose, flip_rows, flip_cols = transform
    a = a.T if transpose else a
    a = a[::-1] if flip_rows else a
    return np.ascontiguousarray(a[:, ::-1] if flip_cols else a)


def undo_symmetry(a: np.ndarray, transform: tuple[bool, bool, bool]) -> np.ndarray:
    """The inverse of :func:`apply_symmetry` (a view)."""
    transpose, flip_rows, flip_cols = transform
    a = a[:, ::-1] if flip_cols else a
    a = a[::-1] if flip_rows else a
    return a.T if transpose else a


def ensemble_members(h: int, w: int, ensemble: int) -> list[tuple[bool, bool, bool]]:
    """The symmetries :func:`ensemble_generate` averages for an (h, w) image: the first ``ensemble``
    of :data:`DIHEDRAL_TRANSFORMS` that keep its block grid."""
    if ensemble not in ENSEMBLES:
        raise ValueError(f"ensemble must be one of {ENSEMBLES}, got {ensemble!r}")
    return [t for t in DIHEDRAL_TRANSFORMS[:ensemble] if grid_preserving(t, h, w)]


def generator_passes(h: int, w: int, tile: int, ensemble: int) -> int:
    """How many tiles the generator runs on for an (h, w) image with a self-ensemble of
    ``ensemble``: what a progress report over :func:`ensemble_generate` counts to."""
    return len(ensemble_members(h, w, ensemble)) * tile_count(h, w, tile)


def ensemble_generate(generator: torch.nn.Module, img: np.ndarray, ensemble: int, *, tile: int = 512,
                      device: str | torch.device = "cpu", table: np.ndarray | None = None,
                      progress: Callable[[], None] | None = None, seed: int = 0,
                      noise_scale: float = 1.0) -> np.ndarray:
    """The generator's unrounded output (float64 in [0, 255], (H, W)) averaged over a self-ensemble
    (not in the paper): the uint8 gray JPEG ``img`` is transformed by each of the first
    ``ensemble`` :data:`DIHEDRAL_TRANSFORMS` that keep its block grid (:func:`grid_preserving`),
    run through :func:`tiled_generate`, transformed back, and the results averaged.

    The generator was trained on all eight orientations, so each member is an estimate of the same
    original with partly independent errors; their mean is closer to it at ``ensemble`` times the
    cost: on 256-px crops of the corpus's calibration part, +0.03 dB for the restorer
    ``generator-q50`` and +0.10 to +0.15 dB for ``antiforensic-d-q{25,50,75}``, of which
    anti-forensic stages keep part (``results/antiforensic/self-ensemble.md``). ``table`` (a
    conditioned generator's luma table) is transposed with the image. ``ensemble=1`` is
    ``tiled_generate(..., rounded=False)`` itself. ``progress``: called after each tile of each
    member (:func:`generator_passes` calls). A stochastic generator's members draw their noise
    from ``seed``, ``seed + 1``, ...: their mean tends to the average of its samples, so an
    ensemble takes back the noise floor it was trained to draw.
    """
    h, w = np.shape(img)
    members = ensemble_members(h, w, ensemble)
    total = np.zeros((h, w), np.float64)
    for i, t in enumerate(members):
        t_table = None if table is None else (np.asarray(table).T if t[0] else table)
        out = tiled_generate(generator, apply_symmetry(np.asarray(img), t), tile=tile, device=device,
                             table=t_table, rounded=False, progress=progress, seed=seed + i,
                             noise_scale=noise_scale)
        total += undo_symmetry(out, t)
    return total / len(members)


def rgb_to_ycbcr(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """JFIF RGB -> YCbCr (ITU-R BT.601 full range), float64 planes, not rounded."""
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128.0 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128.0 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return y, cb, cr


@dataclass
class TrainedGenerator:
    """A trained generator with its model card: what the method needs to apply it to a file."""

    module: torch.nn.Module
    card: dict[str, Any]
    path: Path
    #: A stochastic generator's anchor (its card's ``blend``): the deterministic generator whose
    #: estimate its sample is blended with, loaded by :func:`load_trained_generator`.
    anchor: "TrainedGenerator | None" = None

    @property
    def blend(self) -> float:
        """The sample's weight w in ``(1 - w) anchor + w sample`` (the card's ``blend``; 1: the
        sample alone). A sampler's error is the average's plus its own spread; the blend keeps a
        fraction w of the spread, at w^2 of its cost in squared error (``results/antiforensic/
        stochastic-q25.md``), where scaling the noise input does not shrink it in proportion."""
        return float(self.card["blend"]["weight"]) if "blend" in self.card else 1.0

    @property
    def noise_scale(self) -> float:
        """A stochastic generator's noise multiplier at inference (:func:`tiled_generate`): the
        card's ``noise_scale``, chosen after training and recorded there, else 1 (the sampler as
        trained)."""
        return float(self.card.get("noise_scale", 1.0))

    @property
    def conditioned(self) -> bool:
        """Whether the generator takes the quantization table's plane (one model, several QFs)."""
        return self.card.get("conditioning") == "qtable_plane"

    @property
    def qualities(self) -> tuple[int, ...]:
        """The JPEG qualities it was trained on."""
        return tuple(int(q) for q in (self.card.get("qualities") or [self.card["quality"]]))

    def apply(self, img: np.ndarray, table: np.ndarray, tile: int = 1024, device: str = "cpu",
              rounded: bool = True, ensemble: int = 1, progress: Callable[[], None] | None = None,
              seed: int = 0) -> np.ndarray:
        """The generator on a decoded uint8 gray JPEG whose luma table is ``table`` (uint8, or
        float64 unrounded with ``rounded=False``), averaged over ``ensemble`` symmetries
        (:func:`ensemble_generate`; 1: the network once); ``progress`` called after each tile;
        ``seed``: a stochastic generator's noise (ignored by a deterministic one). A blended
        stochastic generator (:attr:`anchor`): its anchor's estimate over the ensemble, blended
        with one sample of its own, ``(1 - blend) anchor + blend sample``."""
        if self.anchor is not None:  # the ensemble averages estimates; averaging samples takes their noise back
            mean = self.anchor.apply(img, table, tile=tile, device=device, rounded=False, ensemble=ensemble,
                                     progress=progress)
            sample = self._own(img, table, tile, device, False, 1, None, seed)
            out = (1.0 - self.blend) * mean + self.blend * sample
            return out if not rounded else np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)
        return self._own(img, table, tile, device, rounded, ensemble, progress, seed)

    def _own(self, img: np.ndarray, table: np.ndarray, tile: int, device: str, rounded: bool, ensemble: int,
             progress: Callable[[], None] | None, seed: int) -> np.ndarray:
        """This network's own output (no anchor), as :meth:`apply` describes it."""
        table = table if self.conditioned else None
        if ensemble == 1:
            return tiled_generate(self.module, img, tile=tile, device=device, table=table, rounded=rounded,
                                  progress=progress, seed=seed, noise_scale=self.noise_scale)
        out = ensemble_generate(self.module, img, ensemble, tile=tile, device=device, table=table,
                                progress=progress, seed=seed, noise_scale=self.noise_scale)
        return out if not rounded else np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def load_trained_generator(path: str | os.PathLike, device: str = "cpu", fast: bool = True) -> TrainedGenerator:
    """Load exported weights and their card (:func:`jpegaf.weights.load_generator`).

    On CPU with ``fast`` (the default, what ``jpegaf erase`` and the evaluation run) the network is
    :func:`jpegaf.models.inference.fast_cpu_generator`: BatchNorm folded, oneDNN fused convolutions,
    bfloat16 inside where the CPU has native bf16 — about 4x the plain fp32 forward, outputs within
    1 grey level and 0.001 dB PSNR of it on real photographs (benchmarks/bench_generator.py).
    ``fast=False`` keeps the fp32 network as trained.
    """
    from ..models.inference import fast_cpu_generator
    from ..weights import load_generator

    module, card = load_generator(path)
    module = fast_cpu_generator(module) if (fast and torch.device(device).type == "cpu") else module.to(device)
    anchor = None
    if "blend" in card:
        anchor_path = blend_anchor(path, card)
        anchor = load_trained_generator(anchor_path, device, fast)
        if anchor.anchor is not None or anchor.qualities != tuple(int(q) for q in (card.get("qualities") or [card["quality"]])):
            raise InputError(anchor_path, f"not a deterministic generator of {path}'s qualities (its card's blend)")
    return TrainedGenerator(module, card, Path(path), anchor)


def blend_anchor(path: str | os.PathLike, card: dict[str, Any]) -> Path:
    """The anchor weights a blended card names (``blend.anchor``, relative to the card's folder),
    checked against the SHA-256 it records: a missing or changed file is an :class:`InputError`."""
    from ..weights import file_sha256

    blend = card["blend"]
    anchor = (Path(path).parent / blend["anchor"]).resolve()
    if not anchor.is_file():
        raise InputError(path, f"its blend's anchor {anchor} is missing (put the generator there)")
    if file_sha256(anchor) != blend["anchor_sha256"]:
        raise InputError(anchor, f"not the anchor {path} was blended with (SHA-256 differs)")
    return anchor


#: What :class:`GanEraser` does to the network's output by default (part of the methods' cache keys).
PROJECTION = "generator luma clipped to the file's quantization bins (clip_to_bins), then to [0, 255]"


def project_luma(luma: np.ndarray, coefs: JpegCoefficients) -> np.ndarray:
    """A restored luma (H, W), real-valued, projected onto the JPEG's quantization constraint set
    (:func:`jpegaf.antiforensics.common.clip_to_bins`) and then onto [0, 255]; float64 (H, W).

    The blocks run over the file's whole-block luma plane: where a partial edge block reaches past
    the image it is filled with the decoded JPEG, and that part is cut away again. Both
    projections are onto convex sets that hold the original, so neither moves the image away
    from it (for whole blocks; a partial block's outside part is the codec's padding there).
    """
    plane = decode_plane(np.asarray(coefs.coef[0]).astype(np.int64), coefs.qt[0])
    h, w = luma.shape
    plane[:h, :w] = luma
    return np.clip(clip_to_bins(plane, coefs.coef[0], coefs.qt[0])[:h, :w], 0.0, 255.0)


class GanEraser:
    """The GAN method with the common signature ``eraser(coefs, seed=0) -> uint8 pixels``.

    ``generators`` maps a JPEG quality factor to the safetensors weights of a generator trained
    for it (the model card beside them describes the network; a generator conditioned on the
    quantization table appears under each of its qualities). For each file the quality nearest the
    file's estimated luma quality is used (ties go to the higher quality); when it is not an exact
    match, :attr:`last_note` says so (the library does not print). A conditioned generator is given
    the file's own table, so it is told the file's real steps even then. Each weights file is
    loaded once, when first needed.

    The JPEG is decoded with the real codec. Gray: the generator runs on the image. Colour: the
    luma (BT.601) goes through the generator and the chroma is kept from the decoded JPEG (RGB ->
    YCbCr, Y replaced, back to RGB, rounded and clipped), so the chroma keeps its JPEG traces.

    On CPU the networks run on the fast inference path (:func:`load_trained_generator`;
    ``fast=False``: plain fp32). Tiles of 1024 px: the faster of the sizes measured, with a
    12-megapixel image still well within memory (results/inference.md).

    With ``project`` (the default) the generator's luma, before rounding, is projected onto the
    file's quantization constraint set (:func:`project_luma`): never farther from the original,
    +0.02 to +0.04 dB on 256-px crops of the corpus's calibration part at QF 25/50/75
    (``results/antiforensic/projection.md``). ``project=False`` gives the network's output as is.

    ``ensemble`` (1, 4 or 8; not in the paper): the generator's output averaged over that many
    symmetries of the square (:func:`ensemble_generate`), before the projection; 1 runs the
    network once, as the paper does.

    ``progress(done, total)``, if given, is called after each tile the generator runs on, ``total``
    being the file's :func:`generator_passes` (``jpegaf erase``'s progress bar for one file: the
    generator is most of the time a large photograph takes, and the later stages are not counted).

    ``seed`` is accepted for the common signature and unused: the generator is deterministic.
    """

    def __init__(self, generators: Mapping[int, str | os.PathLike], tile: int = 1024,
                 device: str = "cpu", fast: bool = True, project: bool = True, ensemble: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> None:
        if not generators:
            raise ValueError("give at least one generator (quality -> weights path)")
        if ensemble not in ENSEMBLES:
            raise ValueError(f"ensemble must be one of {ENSEMBLES}, got {ensemble!r}")
        self.ensemble = ensemble
        self.paths = {int(q): Path(p) for q, p in generators.items()}
        self.tile = tile
        self.device = device
        self.fast = fast
        self.project = project
        self.progress = progress
        self.last_note: str | None = None
        self._loaded: dict[Path, TrainedGenerator] = {}

    @classmethod
    def of(cls, generator: TrainedGenerator, ensemble: int = 1) -> "GanEraser":
        """An eraser around one generator already loaded (for each quality it was trained on)."""
        eraser = cls({q: generator.path for q in generator.qualities}, ensemble=ensemble)
        eraser._loaded[generator.path] = generator
        return eraser

    def select(self, quality: int) -> int:
        """The trained quality used for a file of estimated ``quality``."""
        return min(self.paths, key=lambda q: (abs(q - quality), -q))

    def trained(self, quality: int) -> TrainedGenerator:
        """The generator trained for ``quality`` (a key of ``generators``), loaded once."""
        path = self.paths[quality]
        if path not in self._loaded:
            self._loaded[path] = load_trained_generator(path, self.device, self.fast)
        return self._loaded[path]

    def restore_luma(self, coefs: JpegCoefficients, rounded: bool = True,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The generator's output for the luma of the JPEG ``coefs`` (uint8 (H, W); float64 before
        rounding with ``rounded=False``) and the decoded JPEG it was computed from (gray or RGB);
        sets :attr:`last_note`. ``seed``: a stochastic generator's noise, drawn from it and the
        file's luma coefficients (:func:`file_noise_seed`)."""
        check_tables(coefs)
        quality = estimate_quality(coefs.qt[0]).quality
        chosen = self.select(quality)
        g = self.trained(chosen)
        self.last_note = None
        if chosen != quality:
            self.last_note = (f"quality {quality} is not one the generator was trained on; conditioning "
                              f"it on the file's own table (trained on QF {', '.join(map(str, g.qualities))})"
                              if g.conditioned else
                              f"quality {quality} has no trained generator; using the QF {chosen} one")
        decoded = decompress(from_coefficients(coefs))
        luma = to_luma(decoded)
        if noise_channels_of(g.module):  # hashing the coefficients is for a sampler only
            seed = file_noise_seed(seed, coefs)
        tick = None if self.progress is None else _counter(self.progress, generator_passes(
            *luma.shape, self.tile, self.ensemble))
        if not self.project:
            return g.apply(luma, np.asarray(coefs.qt[0]), tile=self.tile, device=self.device,
                           rounded=rounded, ensemble=self.ensemble, progress=tick, seed=seed), decoded
        raw = g.apply(luma, np.asarray(coefs.qt[0]), tile=self.tile, device=self.device,
                      rounded=False, ensemble=self.ensemble, progress=tick, seed=seed)
        luma = project_luma(raw, coefs)
        return (to_uint8(luma) if rounded else luma), decoded

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        out, decoded = self.restore_luma(coefs, seed=seed)  # seed: a stochastic generator's noise
        if decoded.ndim == 2:
            return out
        _, cb, cr = rgb_to_ycbcr(decoded)
        return ycbcr_to_rgb(out.astype(np.float64), cb, cr)


def file_noise_seed(seed: int, coefs: JpegCoefficients) -> int:
    """The noise seed of a stochastic generator for one file: ``seed`` mixed with a digest of the
    file's quantized luma. The same seed and file give the same output; two files never share a
    noise field, which would leave one pattern common to every same-size output of a batch run
    (``jpegaf erase --seed 0`` on a folder) for an analyst to average out and match."""
    digest = hashlib.sha256(np.ascontiguousarray(coefs.coef[0]).tobytes()).digest()
    return derived_seed(seed, int.from_bytes(digest[:8], "little"))


def _counter(report: Callable[[int, int], None], total: int) -> Callable[[], None]:
    """A callable that, at its n-th call, calls ``report(n, total)``."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        report(done, total)

    return tick


__all__ = ["DIHEDRAL_TRANSFORMS", "ENSEMBLES", "PROJECTION", "GanEraser", "TrainedGenerator", "apply_symmetry",
           "ensemble_generate", "ensemble_members", "generator_passes", "grid_preserving", "load_trained_generator",
           "project_luma", "receptive_radius", "rgb_to_ycbcr", "tile_count", "tiled_generate", "undo_symmetry"]
