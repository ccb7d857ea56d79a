"""Which of F3's later stages, run after the generator (``gan+f3``), costs the PSNR and which trace
each one removes: an ablation on the corpus's calibration part (issue 14).

    python scripts/hybrid_stages.py --quality 50 [--n 16] [--size 256] [--corpus data/corpus] [--workers 2]
        [--generators G25,G50,G75]

For ``n`` calibration crops (256 px, or their central ``--size`` part; evenly spaced in name order; the calibration part is where
the project chooses methods, never where it reports them), each is compressed at ``--quality``,
restored by the shipped generator of that quality (or the one ``--generators`` names for it), then run through F3's stages after its first
(:func:`jpegaf.antiforensics.fan.fan_plane` with ``start``) with one stage left out or its
targets moved. Printed per variant: mean PSNR and SSIM gain over the JPEG, and the share of
outputs each classical detector and the shipped CNN of that size and quality call JPEG at their
shipped thresholds for the crop size (the calibration part is also where those thresholds were fitted, so the
"original" row is near 5% by construction).

Variants: ``gan`` (the generator alone), ``full`` (gan+f3 as shipped), ``no-smooth`` (no
histogram smoothing), ``no-tv2`` (no second TV round), ``no-decal`` (no de-calibration),
``decal-only``, ``kf-median`` (the second round stops at the median K_F of never-compressed 256
crops, 0.139, instead of F3's 0.075), ``kf-median-kl-median`` (and de-calibration at their
median K_L, 0.077, instead of 0.0533); lighter settings of the two costly stages:
``decal-step1`` and ``decal-step0.5`` (de-calibration steps of 1 and 0.5 grey levels instead of
2), ``tv2-5-iterations`` (5 instead of 30), ``tv2-mu0.5`` (each coefficient kept in its own bin,
mu 0.5, instead of within 1.5 bins of it), ``tv2-alpha0.3`` (block term weight 0.3 instead of
0.9), ``no-perturb`` (no hfPerturb), ``tv2-offset10`` (TV steps 1/(k + 10) instead of 1/(k + 1)),
and combinations; ``no-smooth-decal-step1-offset10`` is F3's part of ``gan+f3-light``
(:data:`jpegaf.antiforensics.hybrid.LIGHT_STAGES`), ``decal-step1-offset10`` the same with the
histogram smoothing, ``no-smooth-offset10-no-decal`` and ``decal-step1-only`` its two stages
alone. Any of them may end with ``+corners`` (:func:`jpegaf.antiforensics.borders.
match_corner_differences`), ``+borders`` (:func:`jpegaf.antiforensics.borders.
smooth_block_borders`), ``+corners+borders``, ``+borders+decal`` or ``+corners+borders+decal``
(``+decal``: de-calibration with steps of 1 again), run after F3's stages in that order:
``no-smooth-decal-step1-offset10+borders+decal`` is ``gan+f3-light`` and
``decal-step1-only+corners+borders+decal`` is ``gan+targeted``. Two stages against the quantization
lattice, measured worse and kept in this script only: ``coupled`` (:func:`coupled_dither`),
``spread`` and ``spreadbin`` (:func:`spread_bin_centres`, moves of at most 3 or across the
whole bin), each alone, with ``-decal`` (de-calibration with steps of 1) and the suffixes above;
they ran on the generator's output *rounded* to grey levels, which undoes most moves of less than
a grey level's worth. Lattice stages on the unrounded output (:data:`DITHER_STAGES`:
``rounded``, ``round-dithered``, ``dither``, ``dither-plain-round``, ``dither-dc4``,
``dither-ac1.5-near1``; histogram smoothing, :func:`jpegaf.antiforensics.lattice.smooth_lattice`:
``smooth`` as gan+lattice runs it, ``smooth-round`` with plain rounding, ``smooth-ac2-round`` the
same with an AC sigma of 2, ``smooth-ac1``, ``smooth-ac1.25``, ``smooth-ac2`` and ``smooth-ac3`` are ``smooth`` with an AC sigma of 1, 1.25, 2 and 3, ``smooth-half-dither`` with a dither of half the amplitude, ``smooth-reflect`` and ``smooth-ac1.25-reflect`` with the coefficients that left their bin mirrored back into it (:func:`reflect_into_bins`), ``smooth-clip`` with them clipped to its edge), ``smooth-blockdither1.5`` and ``-3`` with the
dither only in blocks whose values spread less than 1.5 or 3 grey levels (:func:`block_dithered_round`),
``smooth-z0.3-round``, ``smooth-z0.5-round`` and ``smooth-z0.3`` with the zero bins' AC coefficients
spread too (``zero_sigma`` of :func:`~jpegaf.antiforensics.lattice.smooth_coefficient_histograms`, 0.3 or 0.5) and plain or dithered rounding), each alone or with ``+targeted`` (gan+targeted's stages) or
``+critic`` (gan+critic's).
``--only NAME ...`` runs some of them (``gan`` and the JPEG always; by default every variant
without a suffix). The generator's output is projected onto the file's quantization bins, as
:class:`~jpegaf.antiforensics.gan.GanEraser` does by default; ``--no-project`` leaves it as the
network gives it (every table of ``results/antiforensic/hybrid-stages.md`` before 2026-12-03 was
measured so; ``results/antiforensic/projection.md``).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from jpegaf.antiforensics.borders import match_corner_differences, smooth_block_borders
from jpegaf.antiforensics.common import clip_to_bins, decode_plane
from jpegaf.antiforensics.critic import TARGET_FRACTION, critic_target_logit, tile_logits, tile_origins
from jpegaf.antiforensics.fan import FanConfig, de_calibrate, dither_reference, fan_plane
from jpegaf.antiforensics.gan import ENSEMBLES, GanEraser
from jpegaf.antiforensics.hybrid import F3_KL_THRESHOLD, LIGHT_KL_QUANTILE, decalibration_limit, restored_luma_plane, targeted_stages
from jpegaf.antiforensics.lattice import dither_lattice, dithered_round, smooth_coefficient_histograms, smooth_lattice
from jpegaf.antiforensics.lattice import spread_bin_centres as lattice_spread
from jpegaf.data import centre_crop_position, crop
from jpegaf.data.corpus import is_corpus, read_corpus_parts
from jpegaf.detectors import calibration_for, classical_detectors, load_calibrations, verdict
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.jpeg.dct import block_dct, block_idct
from jpegaf.metrics import psnr, ssim
from jpegaf.pretrained import PRETRAINED_DIR, shipped_critics, shipped_generators

SIZE = 256  # the corpus's crops; --size 128 measures their central part
# Medians over the corpus's train + calibration 256-px crops (runs/corpus-scores.csv).
KF_MEDIAN, KL_MEDIAN = 0.139, 0.077
VARIANTS: dict[str, FanConfig | None] = {
    "gan": None,
    "full": FanConfig(),
    "no-smooth": FanConfig(smoothing=False),
    "no-tv2": FanConfig(iterations2=0),
    "no-decal": FanConfig(decalibrate=False),
    "decal-only": FanConfig(smoothing=False, iterations2=0),
    "kf-median": FanConfig(kf_threshold=KF_MEDIAN),
    "kf-median-kl-median": FanConfig(kf_threshold=KF_MEDIAN, kl_threshold=KL_MEDIAN),
    # lighter settings of the two costly stages
    "decal-step1": FanConfig(decal_step=1.0),
    "decal-step0.5": FanConfig(decal_step=0.5),
    "tv2-5-iterations": FanConfig(iterations2=5),
    "tv2-mu0.5": FanConfig(mu2=0.5),
    "tv2-alpha0.3": FanConfig(alpha2=0.3),
    "no-perturb": FanConfig(perturb=False),
    "tv2-offset10": FanConfig(step_offset2=10),
    "tv2-offset10-decal-step1": FanConfig(step_offset2=10, decal_step=1.0),
    "no-smooth-decal-step1": FanConfig(smoothing=False, decal_step=1.0),
    "no-smooth-decal-step1-offset10": FanConfig(smoothing=False, decal_step=1.0, step_offset2=10),
    "no-smooth-decal-step1-offset3": FanConfig(smoothing=False, decal_step=1.0, step_offset2=3),
    "no-smooth-decal-step1-5-iterations": FanConfig(smoothing=False, decal_step=1.0, iterations2=5),
    "no-smooth-decal-step1-offset20": FanConfig(smoothing=False, decal_step=1.0, step_offset2=20),
    # light settings with histogram smoothing back on (the lattice at QF 75)
    "decal-step1-offset10": FanConfig(decal_step=1.0, step_offset2=10),
    # the light settings' stages one at a time
    "no-smooth-offset10-no-decal": FanConfig(smoothing=False, step_offset2=10, decalibrate=False),
    "decal-step1-only": FanConfig(smoothing=False, iterations2=0, decal_step=1.0),
}
#: Stages after F3's that a variant's name may end with, run in the order named:
#: ``+corners`` (:func:`jpegaf.antiforensics.borders.match_corner_differences`) and ``+borders``
#: (:func:`jpegaf.antiforensics.borders.smooth_block_borders`).
VARIANTS.update({name + post: config for name, config in list(VARIANTS.items()) if config is not None
                 for post in ("+borders", "+corners", "+corners+borders", "+borders+decal", "+corners+borders+decal")})
#: Lattice stages run on the generator's output instead of F3's (defined below; measured worse):
#: name -> stage; ``NAME-decal`` adds de-calibration with steps of 1.
LATTICE_STAGES = {"coupled": lambda *a: coupled_dither(*a), "spread": lambda *a: spread_bin_centres(*a),
                  "spreadbin": lambda *a: spread_bin_centres(*a, width=64.0)}
LATTICE_VARIANTS = tuple(name + decal for name in LATTICE_STAGES for decal in ("", "-decal"))
VARIANTS.update({name + post: None for name in LATTICE_VARIANTS for post in ("", "+corners+borders", "+borders")})
#: Lattice stages (:mod:`jpegaf.antiforensics.lattice`) on the generator's *unrounded* output:
#: name -> stage(raw plane, coef, table, rng) -> integer-valued plane. ``rounded`` is the plain
#: generator; ``dither`` lattice dithering, and the ``dither-*`` variants take one of its parts
#: away or widen it; ``smooth`` histogram smoothing as gan+lattice runs it.
DITHER_STAGES = {
    "rounded": lambda x, coef, table, rng: np.clip(np.floor(x + 0.5), 0, 255),
    "round-dithered": lambda x, coef, table, rng: dithered_round(x, rng),
    "dither": dither_lattice,
    "dither-plain-round": lambda x, coef, table, rng: np.clip(np.floor(lattice_spread(x, coef, table, rng) + 0.5), 0, 255),
    "dither-dc4": lambda x, coef, table, rng: dithered_round(lattice_spread(x, coef, table, rng, dc_width=4.0), rng),
    "dither-ac1.5-near1": lambda x, coef, table, rng: dithered_round(
        lattice_spread(x, coef, table, rng, ac_width=1.5, near=1.0), rng),
    "smooth": lambda x, coef, table, rng: smooth_lattice(x, coef, rng),
    "smooth-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng) + 0.5), 0, 255),
    "smooth-ac2-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=2.0) + 0.5), 0, 255),
    # narrower AC smoothing than gan+lattice's 1.5 (chosen at QF 75 only), dithered rounding as it
    "smooth-ac1": lambda x, coef, table, rng: dithered_round(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=1.0), rng),
    "smooth-ac1.25": lambda x, coef, table, rng: dithered_round(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=1.25), rng),
    # narrower AC smoothing with plain rounding: two of the cheaper departures from gan+lattice's
    # stage at QF 75, together (hybrid-stages.md, "The critic steps' cost at QF 75")
    "smooth-ac1.25-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=1.25) + 0.5), 0, 255),
    "smooth-ac1-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=1.0) + 0.5), 0, 255),
    # wider AC smoothing, dithered rounding as it: for the self-ensemble's output, whose piles below
    # the bins' centres are narrower (results/antiforensic/self-ensemble.md)
    "smooth-ac2": lambda x, coef, table, rng: dithered_round(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=2.0), rng),
    "smooth-ac3": lambda x, coef, table, rng: dithered_round(
        smooth_coefficient_histograms(x, coef, rng, ac_sigma=3.0), rng),
    # the smoothing's coefficients that left their bin folded back into it (reflect_into_bins) or
    # clipped to its edge (clip_to_bins), before the dithered rounding
    "smooth-reflect": lambda x, coef, table, rng: dithered_round(
        reflect_into_bins(smooth_coefficient_histograms(x, coef, rng), coef, table), rng),
    "smooth-clip": lambda x, coef, table, rng: dithered_round(
        clip_to_bins(smooth_coefficient_histograms(x, coef, rng), coef, table), rng),
    "smooth-ac1.25-reflect": lambda x, coef, table, rng: dithered_round(
        reflect_into_bins(smooth_coefficient_histograms(x, coef, rng, ac_sigma=1.25), coef, table), rng),
    # half the dither's amplitude: floor(x + 1/4 + u/2), rounding error between plain (1/12) and
    # fully dithered (1/6) in variance
    "smooth-half-dither": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng) + 0.25 + 0.5 * rng.random(np.shape(x))), 0, 255),
    # dithered rounding only in the blocks whose smoothed values spread less than T grey levels
    # (standard deviation), plain rounding elsewhere: see block_dithered_round
    "smooth-blockdither1.5": lambda x, coef, table, rng: block_dithered_round(
        smooth_coefficient_histograms(x, coef, rng), rng, 1.5),
    "smooth-blockdither3": lambda x, coef, table, rng: block_dithered_round(
        smooth_coefficient_histograms(x, coef, rng), rng, 3.0),
    # the zero bins' AC coefficients spread too, by a narrow blur (smooth_coefficient_histograms'
    # zero_sigma: what Fan-de Queiroz still reads at QF 75 is its step-3 bias on the generator's
    # too narrow zero bins; hybrid-stages.md), then plain or dithered rounding
    "smooth-z0.3-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng, zero_sigma=0.3) + 0.5), 0, 255),
    "smooth-z0.5-round": lambda x, coef, table, rng: np.clip(np.floor(
        smooth_coefficient_histograms(x, coef, rng, zero_sigma=0.5) + 0.5), 0, 255),
    "smooth-z0.3": lambda x, coef, table, rng: dithered_round(
        smooth_coefficient_histograms(x, coef, rng, zero_sigma=0.3), rng),
}
#: ``+targeted``: gan+targeted's stages after it (so ``rounded+targeted`` is gan+targeted);
#: ``+critic``: the same with the shipped critic of the quality (``rounded+critic`` is gan+critic,
#: ``smooth+critic`` gan+lattice's stages, with another random stream).
VARIANTS.update({name + post: None for name in DITHER_STAGES for post in ("", "+targeted", "+critic")})
#: ``+targeted-f3kl`` / ``+critic-f3kl``: the same with de-calibration stopping at F3's K_L limit,
#: 0.0533 (as every stage did before 2026-12-03), instead of the plane's
#: :func:`jpegaf.antiforensics.hybrid.decalibration_limit`; ``+decal``, ``+decal-f3kl`` and
#: ``+corners+borders``: single parts of the targeted stages. (The F3 variants' ``+decal`` suffix,
#: :func:`_post_stages`, keeps F3's limit: those tables predate the change.)
VARIANTS.update({name + post: None for name in DITHER_STAGES
                 for post in ("+targeted-f3kl", "+critic-f3kl", "+decal", "+decal-f3kl", "+corners+borders")})
#: ``+targeted-klq75`` / ``+critic-klq75``: the same de-calibrating only to the upper quartile of
#: never-compressed K_L of the plane's size instead of its median (decalibration_limit).
VARIANTS.update({name + post: None for name in DITHER_STAGES for post in ("+targeted-klq75", "+critic-klq75")})
#: ``+critic-tF-klq75``: ``+critic-klq75`` with the critic steps' target at F times the critic's
#: threshold instead of half of it (lighter steps).
CRITIC_FRACTIONS = ("0.75", "1")
VARIANTS.update({f"{name}+critic-t{f}-klq75": None for name in DITHER_STAGES for f in CRITIC_FRACTIONS})
#: ``descent``: histogram smoothing, then critic descent on the unrounded plane
#: (:func:`critic_descent`, below; measured worse than critic steps) with the dither it is then rounded with.
VARIANTS.update({"descent" + post: None for post in ("", "+targeted", "+critic")})


def block_dithered_round(x: np.ndarray, rng: np.random.Generator, spread: float) -> np.ndarray:
    """Dithered rounding (:func:`dithered_round`) in the 8x8 blocks of the file's grid whose values
    have a standard deviation below ``spread`` grey levels, plain rounding in the others.

    Why: in a near-flat block plain rounding moves every pixel the same way, so the block's mean,
    hence its DC, lands on a whole grey level -- a multiple of QF 75's DC step of 8, which the
    Fan-de Queiroz estimate reads; in a textured block the rounding errors of its pixels are
    already unrelated, and the dither only adds noise (before the targeted stages, at QF 75 on 159
    calibration crops of 128 px: 0.03-0.08 dB on the more textured half, 0.67 dB on the flattest
    quarter; hybrid-stages.md, "Where the stages' cost falls")."""
    x = np.asarray(x, dtype=np.float64)
    h, w = x.shape
    blocks = x.reshape(h // 8, 8, w // 8, 8)
    flat = blocks.std(axis=(1, 3)) < spread
    mask = np.repeat(np.repeat(flat, 8, axis=0), 8, axis=1)
    dithered = dithered_round(x, rng)
    return np.where(mask, dithered, np.clip(np.floor(x + 0.5), 0.0, 255.0))


def reflect_into_bins(plane: np.ndarray, coef: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Each DCT coefficient of ``plane`` outside its bin [k q - q/2, k q + q/2] mirrored at the edge
    it crossed (then clipped, for one that crossed by more than the bin's width). Like
    clip_to_bins it never moves a coefficient away from the original's, which lies in the bin;
    unlike it, it leaves no pile at the bins' edges. Float64 pixels, not rounded."""
    k = np.asarray(coef).astype(np.float64)
    q = np.asarray(table, dtype=np.float64)
    lo, hi = k * q - q / 2, k * q + q / 2
    g = block_dct(np.asarray(plane, dtype=np.float64))
    g = np.where(g > hi, 2 * hi - g, g)
    g = np.where(g < lo, 2 * lo - g, g)
    return block_idct(np.clip(g, lo, hi))


def split_variant(name: str) -> tuple[str, list[str]]:
    """A variant's F3 settings name and its post stages: 'a+corners+borders' -> ('a', ['+corners', '+borders'])."""
    base, *posts = name.split("+")
    return base, ["+" + p for p in posts]


# --------------------------------------------------------------------------------------------
# Two stages tried against the quantization lattice and measured worse (hybrid-stages.md):
# ``coupled`` and ``spread`` variants. Kept here, not in the package, as the record of the
# experiment.
# --------------------------------------------------------------------------------------------

def _couple(values: np.ndarray, bins: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Within each bin, the k-th smallest of ``values`` gets the k-th smallest of ``draws``
    (draws of that bin). All (n,); returns (n,)."""
    out = np.empty_like(draws)
    by_value = np.lexsort((values, bins))
    by_draw = np.lexsort((draws, bins))
    out[by_value] = draws[by_draw]
    return out


def coupled_dither(img: np.ndarray, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator,
                   zero_bin_border: float = 3.0, zero_bin: bool = False) -> np.ndarray:
    """The generator's coefficients of each subband and bin (nonzero bins only unless
    ``zero_bin``), sorted, given sorted draws of F3's per-bin Laplacian model
    (:func:`jpegaf.antiforensics.fan.dither_reference`): the monotone coupling, the least squared
    change that gives each bin the model's distribution. Measured: 0.6–1.0 dB below the
    generator, K_L back to 100%, the lattice not removed. Pixels (8 bh, 8 bw), not rounded.
    """
    k = np.asarray(coef).astype(np.int64)
    table = np.asarray(table, dtype=np.float64)
    if np.shape(img) != (8 * k.shape[0], 8 * k.shape[1]):
        raise ValueError(f"img must have shape {(8 * k.shape[0], 8 * k.shape[1])}, got {np.shape(img)}")
    g = block_dct(img)
    out = np.empty_like(g)
    for u in range(8):
        for v in range(8):
            q = float(table[u, v])
            ks = k[:, :, u, v].ravel()
            gs = g[:, :, u, v].ravel()
            if not ks.any():
                out[:, :, u, v] = np.clip(gs, -q / 2, q / 2).reshape(k.shape[:2])
                continue
            draws = dither_reference(ks * q, int(table[u, v]), u == 0 and v == 0, rng, zero_bin_border)
            coupled = _couple(gs, ks, draws)
            if not zero_bin:
                coupled = np.where(ks == 0, gs, coupled)
            out[:, :, u, v] = coupled.reshape(k.shape[:2])
    return block_idct(out)


def spread_bin_centres(img: np.ndarray, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator, *,
                       near: float = 1.0, width: float = 3.0) -> np.ndarray:
    """Coefficients of nonzero bins that the generator left within ``near`` of the bin centre
    k Q (on calibration crops at QF 75: 67% of the DC ones and 26–35% of the lowest AC ones,
    against 12–17% for never-compressed crops) moved to k Q + e, e uniform on (-w, w),
    w = min(width, Q / 2 - 1/2). Measured: 0.02–0.24 dB (0.5 dB with the whole bin), the
    lattice and JPEG-history detectors unmoved. Pixels (8 bh, 8 bw), not rounded.
    """
    k = np.asarray(coef).astype(np.int64)
    table = np.asarray(table, dtype=np.float64)
    if np.shape(img) != (8 * k.shape[0], 8 * k.shape[1]):
        raise ValueError(f"img must have shape {(8 * k.shape[0], 8 * k.shape[1])}, got {np.shape(img)}")
    g = block_dct(img)
    centre = k * table
    w = np.minimum(width, table / 2.0 - 0.5)[None, None]
    move = (np.abs(g - centre) < near) & (k != 0) & (table[None, None] > 2)
    e = (2.0 * rng.random(g.shape) - 1.0) * w
    return block_idct(np.where(move, centre + e, g))


# --------------------------------------------------------------------------------------------
# Critic descent (``descent`` variants): critic steps' aim on the unrounded plane, measured worse
# (results/antiforensic/projection.md) and kept here as the record of the experiment.
#
# Why it was tried: critic steps move pixels of an already rounded plane by whole grey levels, and
# a move of one grey level costs its full square in MSE. Before the plane is rounded, a change of
# a fraction of a grey level costs only its own square: the rounding that follows adds its own
# error whatever the change. Critic descent therefore changes the *unrounded* plane by small
# real amounts, each step of a fixed root-mean-square size along the critic's gradient, and sees
# the plane as it will be rounded (with the dither that rounding will use, passed in: the
# forward pass is floor(y + delta + u), the backward pass goes straight through the floor).

DESCENT_STEPS, DESCENT_RMS = 20, 0.05


def critic_descent(plane: np.ndarray, dither: np.ndarray, critic: CnnDetector, *, target: float | None = None,
                   steps: int = DESCENT_STEPS, rms: float = DESCENT_RMS) -> np.ndarray:
    """Critic descent on one unrounded plane (notes above).

    plane: (H, W) real grey levels, not rounded; dither: (H, W) in [0, 1), the dither the plane
    will be rounded with (``floor(plane + dither)``). Returns the changed plane, float64, not
    rounded: each step moves it by ``rms`` grey levels root-mean-square along the gradient of the
    tiles' softplus excess over ``target`` (default: half the critic's own threshold), until
    every tile of the rounded plane scores below it or ``steps`` steps are done. A plane smaller
    than the critic's input comes back unchanged.
    """
    y = np.asarray(plane, dtype=np.float64)
    u = np.asarray(dither, dtype=np.float64)
    if y.shape != u.shape:
        raise ValueError(f"dither must have the plane's shape {y.shape}, got {u.shape}")
    size = critic.size
    rows, cols = tile_origins(y.shape[0], size), tile_origins(y.shape[1], size)
    if not rows or not cols:
        return y.copy()
    target_logit = critic_target_logit(critic, target)
    delta = np.zeros_like(y)
    model = critic.model
    was_training = model.training
    model.eval()
    try:
        for _ in range(steps):
            soft = y + delta
            rounded = np.clip(np.floor(soft + u), 0.0, 255.0)
            t_soft = torch.tensor(soft / 127.5 - 1.0, dtype=torch.float32, requires_grad=True)
            # Straight through: the network sees the rounded plane, the gradient reaches the soft one.
            t = t_soft + (torch.tensor(rounded / 127.5 - 1.0, dtype=torch.float32) - t_soft).detach()
            logits = tile_logits(model, t, rows, cols, size)
            if float(logits.detach().max()) < target_logit:
                break
            F.softplus(logits - target_logit).sum().backward()
            g = t_soft.grad.numpy().astype(np.float64)
            norm = float(np.sqrt(np.mean(g * g)))
            if norm == 0.0:
                break
            delta -= rms * g / norm
    finally:
        model.train(was_training)
    return y + delta


_ERASER: GanEraser | None = None


def _post_stages(y: np.ndarray, posts: list[str]) -> np.ndarray:
    """The stages named by a variant's suffixes, in order."""
    for post in posts:
        if post == "+corners":
            y = match_corner_differences(y, np.random.default_rng(1))
        elif post == "+borders":
            y = smooth_block_borders(y)
        else:  # "+decal": de-calibration again (a no-op where K_L is already below F3's limit)
            y = de_calibrate(y, step=1.0)
    return y


_CRITIC: dict[int, CnnDetector] = {}


def _dithered(coefs, quality: int, name: str, raw: np.ndarray) -> np.ndarray:
    """A DITHER_STAGES variant with its suffix (``+targeted``, ``+critic``) on one file; ``raw``:
    the generator's unrounded output on the file's block plane (restored_luma_plane)."""
    base, posts = split_variant(name)
    rng = np.random.default_rng(0)
    if base == "descent":
        y = smooth_coefficient_histograms(raw, coefs.coef[0], rng)
        u = rng.random(y.shape)  # dithered_round's draw, in its order
        y = np.clip(np.floor(critic_descent(y, u, _critic(quality)) + u), 0.0, 255.0)
    else:
        y = DITHER_STAGES[base](raw, coefs.coef[0], coefs.qt[0], rng)
    if posts == ["+targeted"]:
        y = targeted_stages(y, rng)
    elif posts == ["+critic"]:
        y = targeted_stages(y, rng, _critic(quality))
    elif len(posts) == 1 and posts[0].endswith("-klq75"):  # +targeted-klq75, +critic-klq75, +critic-tF-klq75
        kind = posts[0].removesuffix("-klq75")
        if kind == "+targeted":
            y = targeted_stages(y, rng, kl_quantile=LIGHT_KL_QUANTILE)
        else:
            fraction = TARGET_FRACTION if kind == "+critic" else float(kind.removeprefix("+critic-t"))
            y = targeted_stages(y, rng, _critic(quality), kl_quantile=LIGHT_KL_QUANTILE, critic_fraction=fraction)
    elif posts == ["+targeted-f3kl"]:
        y = targeted_stages(y, rng, kl_threshold=F3_KL_THRESHOLD)
    elif posts == ["+critic-f3kl"]:
        y = targeted_stages(y, rng, _critic(quality), kl_threshold=F3_KL_THRESHOLD)
    elif posts == ["+decal"]:
        y = de_calibrate(y, threshold=decalibration_limit(*y.shape), step=1.0)
    elif posts == ["+decal-f3kl"]:
        y = de_calibrate(y, threshold=F3_KL_THRESHOLD, step=1.0)
    elif posts == ["+corners", "+borders"]:  # the stage's own stream, as targeted_stages (not _post_stages')
        y = smooth_block_borders(match_corner_differences(y, rng))
    return y


def _critic(quality: int) -> CnnDetector:
    """The shipped critic of ``quality``, loaded once per worker."""
    if quality not in _CRITIC:
        _CRITIC[quality] = CnnDetector.load(shipped_critics()[quality])
    return _CRITIC[quality]


def _pixels(y: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(y + 0.5), 0, 255)


def outputs(path: Path, quality: int, names: tuple[str, ...], project: bool = True, size: int = SIZE,
            generators: dict[int, Path] | None = None, ensemble: int = 1) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The original crop (its central ``size`` part), and its JPEG and every variant's output
    (uint8); ``project``: the generator's output projected onto the file's quantization bins, as
    GanEraser does by default; ``generators``: quality -> weights (default: the shipped ones);
    ``ensemble``: the generator's self-ensemble (GanEraser's)."""
    global _ERASER
    if _ERASER is None:  # one per worker process
        _ERASER = GanEraser(generators or shipped_generators(), project=project, ensemble=ensemble)
    x = read_image(path)
    x = crop(x, *centre_crop_position(*x.shape[:2], size), size)
    data = compress(x, quality)
    coefs = read_coefficients(data)
    luma, _ = _ERASER.restore_luma(coefs)
    start = decode_plane(coefs.coef[0].astype(np.int64), coefs.qt[0])
    start[:luma.shape[0], :luma.shape[1]] = luma
    out = {"jpeg": decompress(data)}
    staged: dict[str, np.ndarray] = {}  # each variant's output before its suffix stages
    raw = None  # the generator's unrounded plane, computed once for the DITHER_STAGES variants
    for name in names:
        base, posts = split_variant(name)
        config = VARIANTS[base]
        if base in DITHER_STAGES or base == "descent":
            if raw is None:
                raw = restored_luma_plane(_ERASER, coefs, rounded=False)
            y = _dithered(coefs, quality, name, raw)
        elif base in LATTICE_VARIANTS:
            if base not in staged:
                stage = LATTICE_STAGES[base.removesuffix("-decal")]
                y = _pixels(stage(start, coefs.coef[0], coefs.qt[0], np.random.default_rng(0)))
                if base.endswith("-decal"):
                    y = de_calibrate(y, step=1.0)
                staged[base] = y
            y = staged[base]
            y = _post_stages(y, posts)
        elif config is None:
            y = luma
        else:
            if base not in staged:
                staged[base] = fan_plane(coefs.coef[0], coefs.qt[0], np.random.default_rng(0), config, start=start)
            y = staged[base]
            y = _post_stages(y, posts)
        out[name] = np.clip(np.round(y), 0, 255).astype(np.uint8)
    return x, out


def calibration_sample(corpus: Path, n: int) -> list[Path]:
    """``n`` files of the corpus's calibration part, evenly spaced in name order: the crops this
    script and ``scripts/lattice_smoothing.py`` measure, so that their tables compare."""
    files = read_corpus_parts(corpus).calibration
    return files[::max(1, len(files) // n)][:n]


def psnr_gain(x: np.ndarray, y: np.ndarray, jpeg: np.ndarray) -> float:
    """PSNR of ``y`` minus that of ``jpeg`` against ``x`` (dB), for a JPEG that differs from ``x``;
    an output identical to ``x`` counts as 99 dB (finite, so a mean stays a number)."""
    return min(psnr(x, y), 99.0) - psnr(x, jpeg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", nargs="+", metavar="NAME", help="the variants to run (default all; names above)")
    ap.add_argument("--size", type=int, choices=(128, 256), default=SIZE,
                    help="measure the central part of this size of each 256-px crop")
    ap.add_argument("--generators", metavar="G25,G50,G75",
                    help="the generators of QF 25, 50 and 75, comma-separated (default: the shipped ones)")
    ap.add_argument("--no-project", action="store_true",
                    help="the generator's output as the network gives it, not projected onto the file's bins")
    ap.add_argument("--ensemble", type=int, choices=ENSEMBLES, default=1,
                    help="the generator's output averaged over this many symmetries (GanEraser's ensemble)")
    args = ap.parse_args(argv)
    unknown = sorted(set(args.only or ()) - set(VARIANTS))
    if unknown:
        ap.error(f"unknown variant(s) {', '.join(unknown)}; see the script's doc for the names")
    names = tuple(dict.fromkeys(["gan", *(args.only or [n for n in VARIANTS if "+" not in n])]))
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    generators = None
    if args.generators:
        paths = [Path(p) for p in args.generators.split(",")]
        if len(paths) != 3 or not all(p.is_file() for p in paths):
            ap.error(f"--generators needs three existing files (QF 25, 50, 75), got {args.generators}")
        generators = dict(zip((25, 50, 75), paths))
    files = calibration_sample(args.corpus, args.n)
    start = time.perf_counter()
    n = len(files)
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(outputs, files, [args.quality] * n, [names] * n, [not args.no_project] * n,
                                [args.size] * n, [generators] * n, [args.ensemble] * n))
    cals = load_calibrations(DEFAULT_CALIBRATIONS)
    detectors = classical_detectors()
    cnn = CnnDetector.load(PRETRAINED_DIR / f"detector-{args.size}-q{args.quality}.safetensors")
    header = ["variant", "PSNR gain (dB)", "SSIM gain", *(d.name for d in detectors), cnn.name]
    print(f"QF {args.quality}, {len(files)} calibration crops of {args.size} px of {args.corpus} "
          f"({'shipped generators' if generators is None else 'generators ' + args.generators}"
          f"{'' if args.ensemble == 1 else f', self-ensemble of {args.ensemble}'}) "
          f"({time.perf_counter() - start:.0f} s), generator output {'not ' if args.no_project else ''}"
          f"projected onto the file's bins; share called JPEG at the shipped thresholds\n")
    # A flat crop (saturated sky) can come back from the JPEG unchanged: its PSNR is infinite and
    # no method can gain on it, so the PSNR gains are means over the other crops (said below).
    lossy = [(x, out) for x, out in results if not np.array_equal(x, out["jpeg"])]
    if len(lossy) < len(results):
        print(f"PSNR gains over the {len(lossy)} crops whose JPEG differs from the original "
              f"({len(results) - len(lossy)} came back unchanged); SSIM gains and rates over all {len(results)}\n")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for name in ["jpeg", *names, "original"]:
        images = [x if name == "original" else out[name] for x, out in results]
        gains = ("", "") if name == "original" else (
            f"{np.mean([psnr_gain(x, out[name], out['jpeg']) for x, out in lossy]):+.2f}",
            f"{np.mean([ssim(x, out[name]) - ssim(x, out['jpeg']) for x, out in results]):+.4f}")
        rates = [np.mean([verdict(d.score(im), calibration_for(cals, d.name, args.size)) for im in images])
                 for d in detectors]
        rates.append(np.mean(cnn.score_batch(images) > cnn.threshold))
        print(f"| {name} | {gains[0]} | {gains[1]} | " + " | ".join(f"{100 * r:.0f}%" for r in rates) + " |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
