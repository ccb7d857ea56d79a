"""Stamm et al.'s anti-forensic dither (ICASSP 2010, "F1") and dither + deblocking (Stamm & Liu,
TIFS 2011, "F2").

F1 fills the comb-shaped histograms that quantization leaves in every DCT subband: each AC
subband is modelled as Laplacian, f(x) = (lambda/2) exp(-lambda |x|), lambda is estimated by maximum
likelihood from the quantized values, and every coefficient gets a dither drawn from the model
restricted to its own quantization bin. If the model holds, the dithered coefficients are exactly
Laplace(lambda) again (S10 eq. 9) and stay within one step of the original (|X - Z| <= Q).

Corrections to the printed paper (see algorithms.md, section 1):
- the zero-bin normaliser is c0 = (2 / lambda)(1 - exp(-lambda Q / 2)), not 1 - exp(-lambda Q / 2);
- negative bins use the mirror image of the positive-bin density (S10's exp(-sgn(y) lambda (d + Q/2))
  is only normalised for y > 0);
- all-zero subbands (lambda = infinity) are left untouched, as Stamm does;
- DC gets a uniform dither on [-Q/2, Q/2) (no model).

F2 adds Stamm & Liu's deblocking: a median filter and additive Gaussian noise,
u = med_s(v) + w, w ~ N(0, sigma^2), with (s, sigma^2) searched on a documented grid until Fan & de
Queiroz's blocking measure K_F falls to the level of never-compressed images.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.ndimage

from ..detectors.blocking import blocking_kf
from ..jpeg import JpegCoefficients, block_idct, to_uint8
from .common import apply_per_component
from .references import reference_digest, reference_quantile, save_reference


def laplacian_lambda(k: np.ndarray, q: np.ndarray) -> np.ndarray:
    """ML estimate of the Laplacian rate of each subband from its quantization indices.

    Price & Rabbani's estimator (S10 eqs. 3-4): with N coefficients, N0 zeros, N1 = N - N0 and
    S = Q sum |k| (the sum of dequantized magnitudes),

        gamma = (-N0 Q + sqrt(N0^2 Q^2 - (2 N1 Q - 4 S)(2 N Q + 4 S))) / (2 N Q + 4 S)
        lambda = -(2 / Q) ln gamma

    (gamma = exp(-lambda Q / 2) is the positive root of gamma^2 (N Q + 2 S) + N0 Q gamma - (2 S - N1 Q)).
    An all-zero subband gives gamma = 0 and lambda = inf.

    Shape: ``k`` (..., N) integer indices, ``q`` (...) steps -> lambda (...) float64.
    """
    k = np.asarray(k)
    q = np.asarray(q, dtype=np.float64)
    n = k.shape[-1]
    n0 = np.count_nonzero(k == 0, axis=-1).astype(np.float64)
    n1 = n - n0
    s = q * np.abs(k).sum(axis=-1, dtype=np.float64)
    denom = 2 * n * q + 4 * s
    gamma = (-n0 * q + np.sqrt(n0**2 * q**2 - (2 * n1 * q - 4 * s) * denom)) / denom
    with np.errstate(divide="ignore"):
        return -(2.0 / q) * np.log(gamma)


def _dither_ac(y_index: np.ndarray, lam: float, q: float, u: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Dither of one AC subband: D with density proportional to the Laplacian inside the bin.

    Inverse-CDF sampling (as Fan's ``addRndAdaptDither.m``), with u ~ U(0, 1):
    - zero bin, support (-Q/2, Q/2): |d| = -ln(1 - u (1 - exp(-lambda Q/2))) / lambda, random sign;
    - bin k > 0, support [-Q/2, Q/2): t = -ln(1 - u (1 - exp(-lambda Q))) / lambda, d = t - Q/2, so
      the density exp(-lambda (d + Q/2)) decays away from zero; k < 0 is the mirror image.
    ``-expm1(-x)`` and ``log1p`` keep 1 - exp(-x) accurate when lambda Q is small (flat subbands).
    """
    zero = y_index == 0
    d = np.empty(y_index.shape, dtype=np.float64)
    half = -np.log1p(-u[zero] * -np.expm1(-lam * q / 2)) / lam
    d[zero] = np.where(sign[zero], half, -half)
    t = -np.log1p(-u[~zero] * -np.expm1(-lam * q)) / lam
    d[~zero] = np.sign(y_index[~zero]) * (t - q / 2)
    return d


def dither_coefficients(coef: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """F1 on one component: dequantized coefficients plus the anti-forensic dither, Z = Y + D.

    Shape: ``coef`` (bh, bw, 8, 8) quantization indices, ``table`` (8, 8) -> Z (bh, bw, 8, 8) float64.
    """
    q = np.asarray(table, dtype=np.float64)
    k = coef.reshape(-1, 64).astype(np.int64)  # (n_blocks, 64), subband index u * 8 + v
    lam = laplacian_lambda(k.T, q.ravel())
    z = k * q.ravel()[None, :]
    n_blocks = k.shape[0]
    # Draw every random number up front in a fixed order, so that the result does not depend on
    # which subbands happen to be all-zero (a change in one subband must not reshuffle the others).
    u = rng.random((64, n_blocks))
    sign = rng.random((64, n_blocks)) < 0.5
    z[:, 0] += (u[0] - 0.5) * q[0, 0]  # DC: uniform on [-Q/2, Q/2)
    for band in range(1, 64):
        if not np.isfinite(lam[band]):
            continue  # all-zero subband: untouched (Stamm; confirmed by Fan et al. 2014)
        z[:, band] += _dither_ac(k[:, band], float(lam[band]), float(q.flat[band]), u[band], sign[band])
    return z.reshape(coef.shape)


def _f1_plane(coef: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return block_idct(dither_coefficients(coef, table, rng))


@dataclass(frozen=True)
class StammDither:
    """F1 (Stamm, Tjoa, Lin, Liu, ICASSP 2010): anti-forensic dither of the DCT coefficients."""

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        return apply_per_component(coefs, _f1_plane, seed)


# --- F2 ------------------------------------------------------------------------------------

#: Default (median window s, noise variance sigma^2) candidates, tried in this order; the first whose
#: output has K_F at or below the target wins. The published setting is s = 3, sigma^2 = 2
#: (Stamm's ICIP 2010, as used by Fan et al. 2013); Jiang et al. 2013 report (3, 3), (3, 2),
#: (2, 2) at different qualities, lower qualities needing more noise. Odd windows only (an even
#: median window has no centre pixel and shifts the image by half a pixel). Larger windows come
#: last because they cost the most quality.
DEFAULT_DEBLOCKING_GRID: tuple[tuple[int, float], ...] = (
    (3, 0.5), (3, 1.0), (3, 2.0), (3, 3.0), (3, 4.0), (5, 1.0), (5, 2.0), (5, 4.0),
)


@dataclass(frozen=True)
class StammDeblockingConfig:
    """F2 parameters.

    Attributes:
        grid: (s, sigma^2) candidates tried in order; stop at the first with K_F <= target. If none
            reaches the target, the candidate with the smallest K_F is kept.
        kf_target: the K_F to reach. None: ``kf_quantile`` of K_F over never-compressed crops of
            the image's size (:func:`never_compressed_kf`: the shipped reference from the training
            corpus's calibration part; K_F of an original depends on its size: fewer blocks,
            noisier histograms, larger K_F).
        kf_quantile: which quantile of never-compressed K_F values is the target (0.5: a typical
            never-compressed image, stricter than a detector's 5%-false-positive threshold).
        median_mode: border handling of the median filter (scipy's name; Stamm's is unknown).
    """

    grid: tuple[tuple[int, float], ...] = DEFAULT_DEBLOCKING_GRID
    kf_target: float | None = None
    kf_quantile: float = 0.5
    median_mode: str = "reflect"

    def __post_init__(self):
        if not self.grid or any(s < 1 or var < 0 for s, var in self.grid):
            raise ValueError("grid must hold (window >= 1, variance >= 0) pairs")
        if not 0.0 < self.kf_quantile < 1.0:
            raise ValueError("kf_quantile must be in (0, 1)")


#: K_F of never-compressed crops per side, from the training corpus's calibration and train parts
#: (written by scripts/calibrate_detectors.py; :mod:`jpegaf.antiforensics.references`): where F2's
#: target comes from.
KF_REFERENCE = Path(__file__).resolve().with_name("kf_reference.json")


def save_kf_reference(path: str | os.PathLike, values: dict[int, Sequence[float]],
                      sources: dict[int, str]) -> None:
    """Write the K_F reference: per side, the sorted K_F values and where they come from."""
    save_reference(path, "K_F of never-compressed crops, F2's target (Stamm & Liu 2011)", values, sources)


def never_compressed_kf(height: int, width: int, quantile: float,
                        reference: str | os.PathLike = KF_REFERENCE) -> float:
    """``quantile`` of K_F over never-compressed crops of the largest reference side that fits in
    ``height`` x ``width`` (the smallest side for a smaller image).

    The reference holds 64, 128 and 256 (the corpus's crops): K_F of a larger original is a little
    smaller (more blocks, a steadier histogram), so for 512 px the 256-px target is a little
    lenient, never too strict.
    """
    return reference_quantile(reference, height, width, quantile)


def kf_reference_digest(reference: str | os.PathLike = KF_REFERENCE) -> str:
    """sha256 of the K_F reference file: part of F2's parameters in evaluation cache keys."""
    return reference_digest(reference)


def deblock(plane: np.ndarray, window: int, variance: float, rng: np.random.Generator,
            mode: str = "reflect") -> np.ndarray:
    """Stamm & Liu's deblocking: s x s median filter of the rounded image plus N(0, sigma^2) noise.

    Shape: (H, W) real pixels -> (H, W) real pixels (rounded and clipped by the caller).
    """
    smoothed = scipy.ndimage.median_filter(to_uint8(plane), size=window, mode=mode).astype(np.float64)
    return smoothed + rng.normal(0.0, np.sqrt(variance), size=plane.shape)


def deblocking_search(plane: np.ndarray, config: StammDeblockingConfig, kf_target: float,
                      rng: np.random.Generator) -> tuple[np.ndarray, int, float, float]:
    """Try ``config.grid`` in order on a dithered plane; return (pixels, s, sigma^2, K_F) of the
    first candidate at or below ``kf_target``, else of the one with the smallest K_F.

    Every candidate draws its noise from a child of ``rng`` so results do not depend on how many
    candidates were tried before.
    """
    seeds = rng.integers(0, 2**63, size=len(config.grid))
    best = None
    for (window, variance), s in zip(config.grid, seeds):
        out = deblock(plane, window, variance, np.random.default_rng(int(s)), config.median_mode)
        kf = blocking_kf(out)
        if best is None or kf < best[3]:
            best = (out, window, variance, kf)
        if kf <= kf_target:
            return out, window, variance, kf
    return best


@dataclass(frozen=True)
class StammDeblocking:
    """F2 (Stamm & Liu, TIFS 2011): F1's dither, then median filtering and noise, with the
    deblocking strength searched until K_F reaches never-compressed levels."""

    config: StammDeblockingConfig = StammDeblockingConfig()

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        target = self.config.kf_target
        if target is None:
            target = never_compressed_kf(coefs.height, coefs.width, self.config.kf_quantile)

        def step(coef: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
            dithered = block_idct(dither_coefficients(coef, table, rng))
            return deblocking_search(dithered, self.config, target, rng)[0]

        return apply_per_component(coefs, step, seed)
