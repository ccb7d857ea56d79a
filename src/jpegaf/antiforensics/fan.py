r"""Fan, Wang, Cayre & Xiong (TIFS 2014): variational JPEG anti-forensics ("F3").

Starting from the decoded JPEG, four stages hide the traces that the detectors of
:mod:`jpegaf.detectors` read:

1. **First TV round** (:func:`tv_deblock`): subgradient descent on a block-aware total variation
   (:func:`tv_energy`), each step projected back onto the set of images that compress to the same
   quantization indices (:func:`project_qcs`, :math:`\mu = 1/2`); the iterate with the smallest
   blocking measure K_F is kept.
2. **Perceptual DCT histogram smoothing** (:func:`smooth_histograms`): per subband, a dithered
   reference with a locally fitted Laplacian model per quantization bin
   (:func:`dither_reference`) gives the target integer histogram; the surplus entries of each bin
   are moved to the missing values by a minimum-cost assignment whose cost is the SSIM loss.
3. **Second TV round** (:func:`tv_deblock` with :math:`\mu = 3/2`), with :func:`hf_perturb`
   before every step, until K_F falls below a threshold.
4. **De-calibration** (:func:`de_calibrate`): subgradient descent on
   :math:`\sum_{HF_{28}} |\mathrm{var}(D_k X) - \mathrm{var}(D_k X_{cal})|` until the calibration
   feature K_L falls below a threshold.

Sources: the TIFS 2014 paper and Fan's MATLAB code (``demo.m``, ``TVsubGradJPEGDeblk.m``,
``randPOQCS.m``, ``PerDCThistSMTH.m``, ``addRndAdaptDither.m``, ``hfPerturb.m``,
``deCalibration.m``), summarised in the project's algorithms reference, section 3. Where this
file departs from the MATLAB code it says so at the place, with the reason. In short:

- the projection resets outliers of bin 0 with a *symmetric* draw (the code's ``rand*Q/2`` is
  one-sided, a bug the paper's text does not have);
- the TV subgradient is the exact subgradient of the energy with replicated borders (the code's
  formula differs on the outermost rows and columns only);
- the per-bin Laplacian fits solve the same bounded weighted least-squares problem as
  ``lsqcurvefit``, with a bounded scalar minimiser; the assignment problems are solved on the
  real-valued costs (the code rounds them to integers for ``munkres``);
- degenerate cases the code does not handle (a subband with no coefficient at +-1..+-5 in
  ``hfPerturb``, planes too small for the detectors) get the documented fallbacks below.

Planes are processed whole, including the blocks that pad the image to whole MCUs (their
content is the encoder's edge replication); :func:`~jpegaf.antiforensics.common.apply_per_component`
crops the result. Every random draw comes from the generator passed in, so a seed fixes the
output.

Paper symbols -> code: F-hat_b (first-round output) -> ``tv_img``; alpha -> ``alpha``;
t_k -> ``1 / (k + step_offset)``; mu -> ``mu``; U -> :func:`project_qcs`; K_F ->
:func:`~jpegaf.detectors.blocking.blocking_kf`; K_L ->
:func:`~jpegaf.detectors.calibration.calibration_kl`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.ndimage import correlate1d
from scipy.optimize import linear_sum_assignment, minimize_scalar

from ..detectors.blocking import blocking_kf
from ..detectors.calibration import (
    HF28,
    calibration_pair,
    kl_from_variances,
    subband_variances,
)
from ..jpeg import JpegCoefficients
from ..jpeg.dct import block_dct, block_idct, idct_8x8, round_half_away
from ..jpeg.tables import ZIGZAG
from .common import apply_per_component, decode_plane
from .references import reference_quantile, save_reference

__all__ = [
    "FanConfig", "FanVariational", "de_calibrate", "dither_reference", "fan_plane",
    "hf_perturb", "laplacian_bin_pmf", "project_coefficients", "project_qcs",
    "smooth_histograms", "tv_deblock", "tv_energy", "tv_subgradient",
]


@dataclass(frozen=True)
class FanConfig:
    """Parameters of the F3 pipeline; the defaults are the published ones (``demo.m``).

    Attributes:
        alpha1, iterations1, mu1: first TV round: weight of the block term C, number of
            iterations (all are run; the one with the smallest K_F is kept), constraint width.
        step_offset1: first-round step size t_k = 1 / (k + step_offset1), k = 1, 2, ...
        smoothing: run the perceptual histogram smoothing (stage 2).
        dim_max: largest assignment sub-problem of the smoothing (``dimMAX``).
        skip_border: an AC subband is left alone when max(N_-1, N_+1) / Q is below this
            (``borderTMAX`` of ``PerDCThistSMTH.m``).
        zero_bin_border: the zero bin's Laplacian parameter is bounded only when
            max(N_-1, N_+1) / Q reaches this (``borderTMAX`` of ``addRndAdaptDither.m``).
        alpha2, iterations2, mu2, step_offset2: second TV round (at most ``iterations2``).
        kf_threshold: the second round stops once K_F is below this (the paper draws it per
            image from genuine-image K_F values; ``demo.m`` uses 0.075). K_F of genuine images
            grows as they shrink (its two histograms have one sample per block): 0.075 suits
            512x512 photographs, while genuine 256x256 crops of the bundled samples measure
            0.04-0.46 (median 0.19), so smaller images need a threshold drawn at their size.
        perturb: run ``hfPerturb`` before each second-round step.
        p3_trigger, p3_target: ``hfPerturb`` acts on subbands where the share of rounded
            coefficients that are multiples of 3 exceeds ``p3_trigger`` and brings it to about
            ``p3_target``.
        decalibrate: run the de-calibration (stage 4).
        decal_iterations, decal_step: its iteration budget and step length.
        kl_threshold, kl_tolerance: it stops once K_L < kl_threshold + kl_tolerance.
    """

    alpha1: float = 1.5
    iterations1: int = 50
    step_offset1: int = 0
    mu1: float = 0.5
    smoothing: bool = True
    dim_max: int = 200
    skip_border: float = 2.0
    zero_bin_border: float = 3.0
    alpha2: float = 0.9
    iterations2: int = 30
    step_offset2: int = 1
    mu2: float = 1.5
    kf_threshold: float = 0.075
    perturb: bool = True
    p3_trigger: float = 0.6
    p3_target: float = 0.5
    decalibrate: bool = True
    decal_iterations: int = 100
    decal_step: float = 2.0
    kl_threshold: float = 0.0533
    kl_tolerance: float = 0.005

    def __post_init__(self) -> None:
        for name in ("mu1", "mu2"):
            _check_mu(getattr(self, name))
        for name in ("iterations1", "iterations2", "decal_iterations"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.dim_max < 1:
            raise ValueError("dim_max must be >= 1")
        if min(self.step_offset1, self.step_offset2) < 0:
            raise ValueError("step offsets must be >= 0")
        if not 0.0 < self.p3_target < self.p3_trigger <= 1.0:
            raise ValueError("need 0 < p3_target < p3_trigger <= 1")
        if self.decal_step <= 0:
            raise ValueError("decal_step must be positive")


def _check_mu(mu: float) -> None:
    # The projection finds outliers by their rounded bin, |round(c/Q) - k| > mu - 1/2, which is
    # the interval [(k - mu)Q, (k + mu)Q] exactly when mu - 1/2 is a whole number of bins.
    if mu < 0.5 or (mu - 0.5) != int(mu - 0.5):
        raise ValueError(f"mu must be 1/2 plus a whole number (0.5, 1.5, ...), got {mu}")


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

def _pixels_round(x: np.ndarray) -> np.ndarray:
    """MATLAB's ``double(uint8(x))``: round half up, clip to [0, 255], stay float64."""
    return np.clip(np.floor(x + 0.5), 0.0, 255.0)


def _block_view(img: np.ndarray) -> np.ndarray:
    """(8 bh, 8 bw) -> (bh, 8, bw, 8) *view*, so that ``v[i, :, j, :]`` is block (i, j)."""
    return img.reshape(img.shape[0] // 8, 8, img.shape[1] // 8, 8)


def _measurable(img: np.ndarray) -> bool:
    """Whether K_F and K_L are defined on this plane (both need 16x16 pixels)."""
    return min(img.shape) >= 16


# SSIM of Wang et al. (2004) as Fan's code computes it (``ssim_index.m``): 11x11 Gaussian window
# with sigma 1.5, K = (0.01, 0.03), L = 255, statistics over 'valid' windows only.
_SSIM_RADIUS = 5
_SSIM_TAPS = np.exp(-0.5 * (np.arange(-_SSIM_RADIUS, _SSIM_RADIUS + 1) / 1.5) ** 2)
_SSIM_TAPS /= _SSIM_TAPS.sum()
_SSIM_C1 = (0.01 * 255.0) ** 2
_SSIM_C2 = (0.03 * 255.0) ** 2


@functools.lru_cache(maxsize=8)
def _vertical_band(h: int) -> sparse.csr_matrix:
    """(h - 10, h) banded matrix applying the window's taps down the columns ('valid')."""
    n = h - 2 * _SSIM_RADIUS
    return sparse.diags([np.full(n, t) for t in _SSIM_TAPS], offsets=list(range(_SSIM_TAPS.size)),
                        shape=(n, h), format="csr")


def _gauss_valid(x: np.ndarray) -> np.ndarray:
    """Separable Gaussian window over the last two axes, 'valid' part: (..., H, W) ->
    (..., H - 10, W - 10).

    Along rows ``correlate1d``; down the columns of a whole image a sparse banded product,
    several times faster than ``correlate1d`` along the strided axis (batches of small patches
    use ``correlate1d`` for both).
    """
    r = _SSIM_RADIUS
    y = correlate1d(x, _SSIM_TAPS, axis=-1, mode="nearest")[..., r:-r]
    if x.ndim == 2:
        return _vertical_band(x.shape[0]) @ y
    return correlate1d(y, _SSIM_TAPS, axis=-2, mode="nearest")[..., r:-r, :]


def _ssim_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """SSIM map over the 'valid' window positions of the last two axes: (..., H, W) ->
    (..., H - 10, W - 10); H, W >= 11."""
    mu1, mu2 = _gauss_valid(a), _gauss_valid(b)
    s11 = _gauss_valid(a * a) - mu1 * mu1
    s22 = _gauss_valid(b * b) - mu2 * mu2
    s12 = _gauss_valid(a * b) - mu1 * mu2
    return ((2 * mu1 * mu2 + _SSIM_C1) * (2 * s12 + _SSIM_C2)) / (
        (mu1 * mu1 + mu2 * mu2 + _SSIM_C1) * (s11 + s22 + _SSIM_C2))


class _BlockSsim:
    """Block sums of the SSIM map of images against one fixed reference.

    Both users compare many images with the same reference (the smoothing: the first-round
    output, once per subband; ``hfPerturb``: its input, once per perturbed subband), so the
    reference's local mean and second moment are filtered once.

    The 'valid' map is 10 pixels smaller than the image; like the code (``PadOrCrop``) it is
    padded back to the image size by mirroring (symmetric padding; the code's bottom/right
    padding is shifted by one row, which we do not copy). Planes under 11 pixels fall back to
    the block variance, the code's own criterion for the first subband.
    """

    def __init__(self, ref: np.ndarray):
        self.ref = ref
        self.ok = min(ref.shape) >= 2 * _SSIM_RADIUS + 1
        if self.ok:
            self.mu1 = _gauss_valid(ref)
            self.m11 = _gauss_valid(ref * ref)

    def block_sums(self, img: np.ndarray) -> np.ndarray:
        """Sum of the SSIM map (ref vs img) over each 8x8 block, raster order -> (bh * bw,)."""
        if not self.ok:
            return _block_variances(img)
        mu1, mu2 = self.mu1, _gauss_valid(img)
        s11 = self.m11 - mu1 * mu1
        s22 = _gauss_valid(img * img) - mu2 * mu2
        s12 = _gauss_valid(self.ref * img) - mu1 * mu2
        m = ((2 * mu1 * mu2 + _SSIM_C1) * (2 * s12 + _SSIM_C2)) / (
            (mu1 * mu1 + mu2 * mu2 + _SSIM_C1) * (s11 + s22 + _SSIM_C2))
        m = np.pad(m, _SSIM_RADIUS, mode="symmetric")
        return _block_view(m).sum(axis=(1, 3)).ravel()


def _block_variances(img: np.ndarray) -> np.ndarray:
    """Population variance of the 64 pixels of each block, raster order -> (bh * bw,)."""
    return _block_view(img).var(axis=(1, 3)).ravel()


# --------------------------------------------------------------------------------------------
# TV energy, its subgradient, and the projection onto the quantization constraint set
# --------------------------------------------------------------------------------------------

# Fan's ``get_S``: +1 on set A (the block's outer ring plus (1,1), (1,6), (6,1), (6,6): 32
# pixels), -1 on set B (the other 32).
_S_BLOCK = -np.ones((8, 8))
_S_BLOCK[[0, -1], :] = 1.0
_S_BLOCK[:, [0, -1]] = 1.0
_S_BLOCK[[1, 1, 6, 6], [1, 6, 1, 6]] = 1.0


def _second_differences(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a_ij = x_{i-1,j} + x_{i+1,j} - 2 x_ij and b_ij = x_{i,j-1} + x_{i,j+1} - 2 x_ij with
    replicated borders (shapes as x)."""
    a = -2.0 * x
    a[1:] += x[:-1]
    a[:-1] += x[1:]
    a[0] += x[0]
    a[-1] += x[-1]
    b = -2.0 * x
    b[:, 1:] += x[:, :-1]
    b[:, :-1] += x[:, 1:]
    b[:, 0] += x[:, 0]
    b[:, -1] += x[:, -1]
    return a, b


def _second_differences_adjoint(ga: np.ndarray, gb: np.ndarray) -> np.ndarray:
    """Adjoint of :func:`_second_differences`: D_v^T ga + D_h^T gb.

    The operator is symmetric in the interior; a replicated border pixel enters its own second
    difference with weight -1 instead of -2, hence the ``+= g[0]`` / ``+= g[-1]`` terms. Fan's
    code uses -2 there (the gradient of a zero-padded operator), which differs on the outermost
    rows and columns only; we use the exact adjoint so that the subgradient is one of the
    energy that :func:`tv_energy` evaluates.
    """
    out = -2.0 * ga
    out[1:] += ga[:-1]
    out[:-1] += ga[1:]
    out[0] += ga[0]
    out[-1] += ga[-1]
    out -= 2.0 * gb
    out[:, 1:] += gb[:, :-1]
    out[:, :-1] += gb[:, 1:]
    out[:, 0] += gb[:, 0]
    out[:, -1] += gb[:, -1]
    return out


@functools.lru_cache(maxsize=8)
def _block_sign_map(shape: tuple[int, int]) -> np.ndarray:
    """S tiled over an (8 bh, 8 bw) plane (cached and read-only: every iteration uses it)."""
    s = np.tile(_S_BLOCK, (shape[0] // 8, shape[1] // 8))
    s.flags.writeable = False
    return s


def tv_energy(img: np.ndarray, alpha: float) -> float:
    r"""Block-aware total variation :math:`E(X) = TV_b(X) + \alpha C(X)` (F14 eqs. 4-6).

    .. math::

        \nu_{ij} = \sqrt{a_{ij}^2 + b_{ij}^2},\quad TV_b = \sum_{ij} \nu_{ij},\quad
        C = \Big|\sum_{A} \nu_{ij} - \sum_{B} \nu_{ij}\Big|

    with a, b the vertical and horizontal second differences (replicated borders) and A, B the
    two 32-pixel halves of every block (``get_S``). C is large when the variation concentrates
    on block borders, i.e. when the image is blocky.

    Shape: (8 bh, 8 bw) real -> float.
    """
    x = np.asarray(img, dtype=np.float64)
    a, b = _second_differences(x)
    nu = np.hypot(a, b)
    return float(nu.sum() + alpha * abs((_block_sign_map(x.shape) * nu).sum()))


def tv_subgradient(img: np.ndarray, alpha: float) -> np.ndarray:
    r"""A subgradient of :func:`tv_energy` at ``img``.

    With :math:`g^a = a/\nu`, :math:`g^b = b/\nu` (0 where :math:`\nu = 0`, the code's choice
    of subgradient) and :math:`w = 1 + \alpha\,\mathrm{sgn}(\sum S\nu)\,S`:

    .. math:: \partial E = D_v^\top (w\, g^a) + D_h^\top (w\, g^b)

    Not normalised (as in ``TVsubGradJPEGDeblk.m``). Shape: (8 bh, 8 bw) -> same.
    """
    x = np.asarray(img, dtype=np.float64)
    a, b = _second_differences(x)
    nu = np.hypot(a, b)
    s = _block_sign_map(x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(nu > 0, 1.0 / nu, 0.0)
    w = inv * (1.0 + alpha * np.sign((s * nu).sum()) * s)
    return _second_differences_adjoint(a * w, b * w)


def project_coefficients(coef: np.ndarray, k: np.ndarray, table: np.ndarray, mu: float,
                         rng: np.random.Generator) -> np.ndarray:
    r"""Randomised projection onto the quantization constraint set, in the DCT domain.

    A coefficient c of index k is an *outlier* when :math:`|\mathrm{round}(c/Q) - k| > \mu - 1/2`
    (mu = 1/2: it left its bin; mu = 3/2: it left the bin and both neighbours). Outliers are reset
    to kQ plus uniform noise *in the original bin* (``randPOQCS.m``, also for mu = 3/2):
    :math:`[-Q/2, Q/2)` for k > 0, :math:`(-Q/2, Q/2]` for k < 0, and for k = 0 the open interval
    :math:`(-Q/2, Q/2)`, drawn symmetrically (|d| uniform in [0, Q/2), random sign). **Bug
    corrected:** the code draws ``rand*Q/2`` for k = 0, which only ever moves zeros upwards.

    Shapes: coef (bh, bw, 8, 8) real, k (bh, bw, 8, 8) int, table (8, 8) -> (bh, bw, 8, 8).
    """
    _check_mu(mu)
    q = np.broadcast_to(np.asarray(table, dtype=np.float64), coef.shape)
    out = np.abs(round_half_away(coef / q) - k) > mu - 0.5
    n = int(out.sum())
    result = np.array(coef, dtype=np.float64, copy=True)
    if n == 0:
        return result
    kk = k[out].astype(np.float64)
    qq = q[out]
    u = rng.random(n)
    flip = rng.random(n) < 0.5
    # k > 0: Q (u - 1/2) in [-Q/2, Q/2); k < 0: its mirror; k = 0: +-(Q/2) u, |d| in [0, Q/2).
    d = np.where(kk > 0, u - 0.5, np.where(kk < 0, 0.5 - u, np.where(flip, -0.5, 0.5) * u)) * qq
    result[out] = kk * qq + d
    return result


def project_qcs(img: np.ndarray, k: np.ndarray, table: np.ndarray, mu: float,
                rng: np.random.Generator) -> np.ndarray:
    """P_U: project pixels onto the constraint set U (:func:`project_coefficients`), then inverse
    DCT, +128, round half up and clip (``randPOQCS.m``).

    Shapes: img (8 bh, 8 bw), k (bh, bw, 8, 8), table (8, 8) -> float64 (8 bh, 8 bw) with integer
    values in [0, 255].
    """
    coef = project_coefficients(block_dct(np.asarray(img, dtype=np.float64)), k, table, mu, rng)
    return _pixels_round(block_idct(coef))


def tv_deblock(img: np.ndarray, k: np.ndarray, table: np.ndarray, rng: np.random.Generator, *,
               alpha: float, iterations: int, step_offset: int, mu: float,
               kf_threshold: float | None = None, perturb: tuple[float, float] | None = None,
               select_by_kf: bool = True) -> np.ndarray:
    r"""Projected subgradient descent on :func:`tv_energy` (``TVsubGradJPEGDeblk.m``).

    For k = 1 .. iterations: (optionally :func:`hf_perturb`), then
    :math:`X \leftarrow P_U(X - t_k \partial E(X))` with :math:`t_k = 1/(k + \text{step\_offset})`.
    Returns the first iterate with K_F below ``kf_threshold`` if one is given and reached, else
    the iterate with the smallest K_F (``select_by_kf``; the last iterate when False, for planes
    too small for K_F). With 0 iterations the input comes back.

    Args:
        perturb: ``(p3_trigger, p3_target)`` to run :func:`hf_perturb` before each step.
    Shapes: img (8 bh, 8 bw); k (bh, bw, 8, 8) int; table (8, 8) -> float64 (8 bh, 8 bw).
    """
    x = np.asarray(img, dtype=np.float64)
    best, best_kf = x, np.inf
    for it in range(1, iterations + 1):
        if perturb is not None:
            x = hf_perturb(x, rng, trigger=perturb[0], target=perturb[1])
        x = project_qcs(x - tv_subgradient(x, alpha) / (it + step_offset), k, table, mu, rng)
        if not select_by_kf:
            best = x
            continue
        kf = blocking_kf(x)
        if kf_threshold is not None and kf < kf_threshold:
            return x
        if kf < best_kf:
            best, best_kf = x, kf
    return best


# --------------------------------------------------------------------------------------------
# Perceptual DCT histogram smoothing
# --------------------------------------------------------------------------------------------

# The code searches lambda on the grid {1e-3, 0.005, 0.010, ..., 1}.
_LAMBDA_GRID = np.concatenate([[1e-3], 0.005 * np.arange(1, 201)])
_LAMBDA_MIN = 1e-3


def laplacian_bin_pmf(q: int, side: int, lambdas: np.ndarray) -> np.ndarray:
    r"""pmf over the integers of one quantization bin of the dither density (``get_pmf``).

    The dither d of a coefficient quantized to bin kQ has density (F14 eqs. 13-15):
    :math:`\propto e^{-\lambda|d|}` on (-Q/2, Q/2) for k = 0 (side 0),
    :math:`\propto e^{-\lambda(d + Q/2)}` on [-Q/2, Q/2) for k > 0 (side 1), and the mirror for
    k < 0 (side -1). Column j is the probability that d rounds to the integer offset
    o_j = -floor(Q/2) + j: Q columns for odd Q; Q + 1 for even Q, whose two end columns are the
    half-integer pieces [-Q/2, -Q/2 + 1/2) and (Q/2 - 1/2, Q/2) shared with the neighbouring bins.

    Shape: lambdas (L,) -> (L, Q) for odd Q, (L, Q + 1) for even Q.
    """
    if side < 0:  # mirror image of the positive bin: P(d rounds to o) = P_pos(-o)
        return laplacian_bin_pmf(q, 1, lambdas)[:, ::-1]
    lam = np.asarray(lambdas, dtype=np.float64)[:, None]
    half = q // 2
    o = np.arange(-half, half + 1, dtype=np.float64)[None, :]
    lo = np.maximum(o - 0.5, -q / 2.0)   # the piece of the bin that rounds to o
    hi = np.minimum(o + 0.5, q / 2.0)
    if side == 0:
        c = -np.expm1(-lam * q / 2.0)

        def cdf(t):
            return 0.5 + np.sign(t) * (-np.expm1(-lam * np.abs(t))) / (2.0 * c)
    else:
        c = -np.expm1(-lam * q)

        def cdf(t):
            return -np.expm1(-lam * (t + q / 2.0)) / c
    return cdf(hi) - cdf(lo)


def _integer_laplacian_pmf(lam: float, x: np.ndarray) -> np.ndarray:
    """Discrete Laplacian on the integers (``pmfLaplacian.m``): P(0) = 1 - e^{-lam/2},
    P(x) = e^{-lam |x|} sinh(lam/2)."""
    p = np.exp(-lam * np.abs(x)) * np.sinh(0.5 * lam)
    p[x == 0] = -np.expm1(-0.5 * lam)
    return p


def _fit_lambda(x: np.ndarray, hist: np.ndarray, weights: np.ndarray, lo: float,
                hi: float) -> float:
    r"""argmin over :math:`\lambda \in [lo, hi]` of :math:`\sum_x w_x (p_\lambda(x) - h_x)^2`.

    The code solves this with ``lsqcurvefit`` (trust-region reflective, started at the middle
    of the interval); it is a one-dimensional bounded least-squares problem, solved here with a
    bounded scalar minimiser.
    """
    if hi <= lo:
        return lo

    def loss(lam: float) -> float:
        r = _integer_laplacian_pmf(lam, x) - hist
        return float((weights * r * r).sum())

    return float(minimize_scalar(loss, bounds=(lo, hi), method="bounded",
                                 options={"xatol": 1e-6}).x)


def _bin_laplacian_parameters(coefs: np.ndarray, q: int, is_dc: bool,
                              zero_bin_border: float) -> tuple[int, np.ndarray]:
    r"""Per-bin dither model of one subband (``addRndAdaptDither.m``).

    Returns (r, lam): bins are -r..r and ``lam[b + r]`` is the Laplacian parameter of bin b, or
    NaN for the uniform model. DC is uniform everywhere. For AC, bins are visited 0, 1, .., r,
    then -1, .., -r; lambda_b is fitted to the subband's integer histogram with weights
    :math:`w_x = 1/(|\mathrm{round}(x/Q) - b| + 1)`, in [1e-3, lambda_prev] further restricted
    by the monotone-decay constraints between neighbouring bins (F14 eq. 17): the pmf's count
    at the bin's inner edge must not exceed the previous bin's outer-edge count, and its outer
    edge must reach the next bin's uniform level N_{b+1}/Q. When no lambda of the search grid
    satisfies them, this bin and every bin further out are uniform.
    """
    k = round_half_away(coefs / q).astype(np.int64)
    m = float(np.abs(coefs).max())
    r = int(round_half_away(m / q))
    lam = np.full(2 * r + 1, np.nan)
    if is_dc:
        return r, lam
    counts = np.bincount(k + r, minlength=2 * r + 1).astype(np.float64)  # N_b at index b + r
    coef_max = r * q + (q + 1) // 2 - 1  # largest integer of bin r
    x = np.arange(-coef_max, coef_max + 1)
    # MATLAB's hist puts values beyond the outer centres into the end bins: clip likewise.
    hist = np.bincount(np.clip(round_half_away(coefs).astype(np.int64), -coef_max, coef_max)
                       + coef_max, minlength=x.size).astype(np.float64)
    hist /= hist.sum()
    x_bin = round_half_away(x / q)
    odd = q % 2 == 1

    def fit(b: int, lo: float, hi: float) -> float:
        return _fit_lambda(x, hist, 1.0 / (np.abs(x_bin - b) + 1.0), lo, hi)

    # Bin 0.
    lam_t = 1.0
    if r >= 1:
        border = max(counts[r - 1], counts[r + 1]) / q
        if border >= zero_bin_border:
            h = counts[r] * laplacian_bin_pmf(q, 0, _LAMBDA_GRID)
            ok = h[:, 0] >= border if odd else h[:, 1] >= h[:, 0] + border / 2.0
            lam_t = float(_LAMBDA_GRID[ok].max()) if ok.any() else 1.0
    lam0 = lam_t if lam_t == _LAMBDA_MIN else fit(0, _LAMBDA_MIN, lam_t)
    lam[r] = lam0
    pmf0 = laplacian_bin_pmf(q, 0, np.array([lam0]))[0]

    for side in (1, -1):
        lam_prev, pmf_prev, n_prev = lam0, pmf0, counts[r]
        for b in range(side, side * (r + 1), side):
            n_b = counts[r + b]
            n_next = counts[r + b + side] / q if abs(b) < r else 0.0
            # Outer-edge count of the previous bin, on this bin's side.
            prev_edge = (pmf_prev[-1] if side > 0 else pmf_prev[0]) * n_prev
            if prev_edge <= n_next:
                break  # uniform is better here and further out
            grid = _LAMBDA_GRID[_LAMBDA_GRID <= lam_prev + 1e-12]
            h = n_b * laplacian_bin_pmf(q, side, grid)
            if side < 0:
                h = h[:, ::-1]  # inner edge first, as for the positive side
            if odd:
                ok = (h[:, 0] <= prev_edge) & (h[:, -1] >= n_next)
            else:
                ok = (h[:, 1] <= h[:, 0] + prev_edge) & (h[:, -2] >= h[:, -1] + n_next / 2.0)
            if not ok.any():
                break
            lo, hi = float(grid[ok].min()), float(grid[ok].max())
            lam_b = lo if lo == hi else fit(b, lo, hi)
            lam[r + b] = lam_b
            lam_prev, n_prev = lam_b, n_b
            pmf_prev = laplacian_bin_pmf(q, side, np.array([lam_b]))[0]
    return r, lam


def dither_reference(coefs: np.ndarray, q: int, is_dc: bool, rng: np.random.Generator,
                     zero_bin_border: float = 3.0) -> np.ndarray:
    r"""Dithered re-quantized subband, the reference histogram of the smoothing.

    Every coefficient c is re-quantized to kQ (k = round(c/Q)) and gets dither d drawn in its
    bin from that bin's model (:func:`_bin_laplacian_parameters`): the Laplacian densities of
    F14 eqs. 13-15 (inverse-CDF sampling as ``get_dither``; zero bin
    :math:`|d| = -\ln(1 - u(1 - e^{-\lambda Q/2}))/\lambda` with a random sign, positive bins
    :math:`d = -\ln(1 - u(1 - e^{-\lambda Q}))/\lambda - Q/2`, negative bins mirrored) or
    uniform on the bin. The result stays in its bin: round(out/Q) == round(c/Q).

    Shape: coefs (n,) real -> (n,).
    """
    coefs = np.asarray(coefs, dtype=np.float64)
    r, lam_bins = _bin_laplacian_parameters(coefs, q, is_dc, zero_bin_border)
    k = round_half_away(coefs / q)
    lam = lam_bins[k.astype(np.int64) + r]
    n = coefs.size
    u = rng.random(n)
    flip = rng.random(n) < 0.5
    uniform = np.isnan(lam)
    lam_safe = np.where(uniform, 1.0, lam)
    # Laplacian draws (computed everywhere, used where the model is Laplacian). Rounding can put
    # a draw with u near 1 exactly on the far edge Q/2, which belongs to the next bin: keep it
    # one ulp inside.
    inside = np.nextafter(q / 2.0, 0.0)
    t_zero = -np.log1p(u * np.expm1(-lam_safe * q / 2.0)) / lam_safe           # |d| in [0, Q/2)
    t_side = -np.log1p(u * np.expm1(-lam_safe * q)) / lam_safe - q / 2.0       # [-Q/2, Q/2)
    d_zero = np.minimum(np.where(uniform, 0.5 * q * u, t_zero), inside) * np.where(flip, -1.0, 1.0)
    d_side = np.minimum(np.where(uniform, q * (u - 0.5), t_side), inside)
    d = np.where(k == 0, d_zero, np.sign(k) * d_side)   # k < 0: the mirror, (-Q/2, Q/2]
    return k * q + d


def _dct_basis(s: int) -> np.ndarray:
    """Pixel pattern (8, 8) of a unit coefficient in subband s (natural order), orthonormal."""
    e = np.zeros(64)
    e[s] = 1.0
    return idct_8x8(e.reshape(8, 8))


class _PatchGeometry:
    """Where each block's SSIM patch lies: the 3x3 blocks around it, shifted inwards at the
    image border (``PerDCThistSMTH.m`` with ``ssimOffset = 8``), or the whole extent of a plane
    with fewer than 3 blocks in a direction."""

    def __init__(self, bh: int, bw: int):
        self.bh, self.bw = bh, bw
        self.ph, self.pw = 8 * min(3, bh), 8 * min(3, bw)
        self.ok = min(self.ph, self.pw) >= 2 * _SSIM_RADIUS + 1

    def patches(self, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(rows (m, ph), cols (m, pw), block row offset in patch (m,), column offset (m,))."""
        i, j = np.divmod(blocks, self.bw)
        i0 = np.clip(i - 1, 0, max(self.bh - 3, 0))
        j0 = np.clip(j - 1, 0, max(self.bw - 3, 0))
        rows = 8 * i0[:, None] + np.arange(self.ph)[None, :]
        cols = 8 * j0[:, None] + np.arange(self.pw)[None, :]
        return rows, cols, 8 * (i - i0), 8 * (j - j0)


def _assignment_cost(img: np.ndarray, coef: np.ndarray, s: int, basis: np.ndarray,
                     blocks: np.ndarray, targets: np.ndarray, geo: _PatchGeometry) -> np.ndarray:
    r"""Cost of giving coefficient s of block ``blocks[i]`` the value ``targets[j]``.

    As in ``PerDCThistSMTH.m``: per block, add the largest change it could get,
    :math:`n_i = \max_j |t_j - c_i|`, to its coefficient, measure the SSIM of its 24x24 patch
    against the current image, and interpolate linearly between (0, SSIM 1) and
    (n_i, SSIM_i): :math:`\mathrm{cost}_{ij} = (1 - \mathrm{SSIM}_i)\,|t_j - c_i| / n_i`.
    Where the patch is smaller than SSIM's 11x11 window (planes of one block row or column),
    SSIM_i = 0 and the cost is the normalised distance.

    Shapes: img (8 bh, 8 bw) current pixels; coef (nb, 64) current coefficients; blocks (m,);
    targets (m,) -> (m, m).
    """
    cur = coef[blocks, s]
    dist = np.abs(targets[None, :] - cur[:, None])
    noise = dist.max(axis=1)
    m = blocks.size
    if geo.ok:
        rows, cols, oi, oj = geo.patches(blocks)
        ref = img[rows[:, :, None], cols[:, None, :]]
        real = idct_8x8(coef[blocks].reshape(m, 8, 8)) + 128.0
        changed = _pixels_round(real + noise[:, None, None] * basis[None])
        test = ref.copy()
        r8 = np.arange(8)
        test[np.arange(m)[:, None, None], (oi[:, None] + r8)[:, :, None],
             (oj[:, None] + r8)[:, None, :]] = changed
        ssim_max = _ssim_map(ref, test).mean(axis=(1, 2))
    else:
        ssim_max = np.zeros(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(noise > 0, (1.0 - ssim_max) / noise, 0.0)
    return scale[:, None] * dist


def _group_first(values: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """Mask over ``values`` (already sorted, non-negative ints) keeping the first ``quota[v]``
    entries of each run of equal values v."""
    first = np.searchsorted(values, values, side="left")
    return np.arange(values.size) - first < quota[values]


def smooth_histograms(img: np.ndarray, table: np.ndarray, rng: np.random.Generator, *,
                      dim_max: int = 200, skip_border: float = 2.0,
                      zero_bin_border: float = 3.0) -> np.ndarray:
    r"""Perceptual DCT histogram smoothing (``PerDCThistSMTH.m``).

    Per subband, in zigzag order, with c the DCT of the input (F-hat_b) and Q the step:

    - skip the subband if it spans a single bin, or (AC) if max(N_-1, N_+1)/Q < ``skip_border``;
    - make the dithered reference z (:func:`dither_reference`);
    - rank blocks by how much distortion they tolerate: local variance for DC (processed first,
      when nothing has changed yet), else the block sums of the SSIM map between the input and
      the current image (unchanged blocks score highest);
    - in each bin b, compare the integer histograms of round(c) and round(z) over the bin: for
      every integer v with a surplus, the surplus blocks with the highest rank are moved; the
      deficit values of z (first ones in block order) are the targets, shuffled;
    - match blocks to targets by minimum-cost assignment (``scipy.optimize.linear_sum_assignment``,
      the Hungarian method) in consecutive sub-problems of at most ``dim_max``, with the SSIM-loss
      cost of :func:`_assignment_cost`; after each, the image is updated.

    Coefficients only move within their bin, so the quantization indices are unchanged.

    Shapes: img (8 bh, 8 bw) integer-valued; table (8, 8) -> float64 (8 bh, 8 bw) in [0, 255].
    """
    tv_img = np.asarray(img, dtype=np.float64)
    bh, bw = tv_img.shape[0] // 8, tv_img.shape[1] // 8
    nb = bh * bw
    tv = block_dct(tv_img).reshape(nb, 64)
    coef = tv.copy()
    out = tv_img.copy()
    out_blocks = _block_view(out)
    table = np.asarray(table).reshape(64)
    geo = _PatchGeometry(bh, bw)
    tv_ssim = _BlockSsim(tv_img)
    bi, bj = np.divmod(np.arange(nb), bw)

    for s in ZIGZAG:
        q = int(table[s])
        c = tv[:, s]
        r = int(round_half_away(np.abs(c).max() / q))
        if r == 0:
            continue  # a single bin: nothing to smooth
        kc = round_half_away(c / q).astype(np.int64)
        if s != 0 and max(np.sum(kc == -1), np.sum(kc == 1)) / q < skip_border:
            continue  # (nearly) empty neighbours of bin 0: left alone, as in the code
        z = dither_reference(c, q, s == 0, rng, zero_bin_border)
        rank = _block_variances(out) if s == 0 else tv_ssim.block_sums(out)
        basis = _dct_basis(s)
        kz = round_half_away(z / q).astype(np.int64)
        c_int = round_half_away(c).astype(np.int64)
        z_int = round_half_away(z).astype(np.int64)
        from_order = np.argsort(kc, kind="stable")
        to_order = np.argsort(kz, kind="stable")
        from_edges = np.searchsorted(kc[from_order], np.arange(-r, r + 2))
        to_edges = np.searchsorted(kz[to_order], np.arange(-r, r + 2))
        for b in range(2 * r + 1):
            src = from_order[from_edges[b]:from_edges[b + 1]]
            dst = to_order[to_edges[b]:to_edges[b + 1]]
            if src.size == 0 or dst.size == 0:
                continue
            vs, vd = c_int[src], z_int[dst]
            lo = min(vs.min(), vd.min())
            hi = max(vs.max(), vd.max())
            if lo == hi:
                continue
            n_vals = hi - lo + 1
            diff = np.bincount(vs - lo, minlength=n_vals) - np.bincount(vd - lo, minlength=n_vals)
            if not (diff > 0).any():
                continue
            # Surplus blocks: per value, the highest-ranked first (ties in block order).
            o = np.lexsort((-rank[src], vs))
            keep = _group_first(vs[o] - lo, np.maximum(diff, 0))
            movers = src[o][keep]
            # Targets: per deficit value, the first dithered values in block order; shuffled.
            o = np.argsort(vd, kind="stable")
            keep = _group_first(vd[o] - lo, np.maximum(-diff, 0))
            targets = z[dst[o][keep]]
            targets = targets[rng.permutation(targets.size)]
            n = min(movers.size, targets.size)
            for start in range(0, n, dim_max):
                mv = movers[start:start + dim_max]
                tg = targets[start:start + dim_max]
                cost = _assignment_cost(out, coef, s, basis, mv, tg, geo)
                row, col = linear_sum_assignment(cost)
                mv = mv[row]
                coef[mv, s] = tg[col]
                blocks = idct_8x8(coef[mv].reshape(-1, 8, 8))
                out_blocks[bi[mv], :, bj[mv], :] = _pixels_round(blocks + 128.0)
    return out


# --------------------------------------------------------------------------------------------
# hfPerturb and de-calibration
# --------------------------------------------------------------------------------------------

_PERTURB_LEVELS = np.arange(1, 6)  # zeros move to +-1 .. +-5


def hf_perturb(img: np.ndarray, rng: np.random.Generator, *, trigger: float = 0.6,
               target: float = 0.5) -> np.ndarray:
    r"""Break up subbands whose rounded coefficients are mostly multiples of 3 (``hfPerturb.m``).

    Fan & de Queiroz's quantization-step estimator (``qtable_est.m``) reads a step of 3 once
    more than 67.28 % of the rounded coefficients of a subband are multiples of 3 (P_3), which
    TV-smoothed high frequencies (mostly 0) reach easily. For each subband with
    P_3 > ``trigger``: with p_m the share of the rounded values +-1..+-5 among themselves and
    p_3 = p_{-3} + p_{+3},

    .. math::

        N_m = \mathrm{round}\Big(
              \frac{N\,T - \#\{3 \mid r, |r| \ge 3\} - \#\{r = 0\}}{p_3 - 1}\Big)

    coefficients (zeros first, highest-tolerance blocks first: block variance while the image is
    unchanged, else the block sums of the SSIM map against the input) are *replaced* by values
    uniform in [m - 1/2, m + 1/2) with m = 5..1 in proportions round(N_m (p_{-m} + p_{+m})), of
    which round(N_m p_{-m}) chosen at random get a minus sign. This keeps the shape of the small
    values and brings P_3 to about ``target`` (T).

    Fallbacks where the code would fail: if no coefficient rounds to +-1..+-5 the proportions
    are undefined (0/0 in the code) and the zeros go to +-1 with equal probability, the smallest
    change that lowers P_3; N_m is capped at the number of blocks.

    Shape: (8 bh, 8 bw) integer-valued -> float64, same shape.
    """
    x = _pixels_round(np.asarray(img, dtype=np.float64))
    bh, bw = x.shape[0] // 8, x.shape[1] // 8
    nb = bh * bw
    coef = block_dct(x).reshape(nb, 64)
    rounded = round_half_away(coef).astype(np.int64)
    out = x.copy()
    out_blocks = _block_view(out)
    bi, bj = np.divmod(np.arange(nb), bw)
    dcoef = coef.copy()
    x_ssim = _BlockSsim(x)
    for s in range(64):
        rs = rounded[:, s]
        mult3 = rs % 3 == 0
        if mult3.mean() <= trigger:
            continue
        neg = np.array([np.sum(rs == -m) for m in _PERTURB_LEVELS], dtype=np.float64)
        pos = np.array([np.sum(rs == m) for m in _PERTURB_LEVELS], dtype=np.float64)
        total = neg.sum() + pos.sum()
        if total == 0:
            neg = np.array([0.5, 0, 0, 0, 0])
            pos = neg.copy()
        else:
            neg, pos = neg / total, pos / total
        p3 = neg[2] + pos[2]
        excess = nb * target - np.sum(mult3 & (np.abs(rs) >= 3)) - np.sum(rs == 0)
        n_mod = int(round_half_away(excess / (p3 - 1.0))) if p3 < 1 else nb
        n_mod = min(n_mod, nb)
        if n_mod <= 0:
            continue
        if np.array_equal(out, x):
            tol = _block_variances(x)
        else:
            tol = x_ssim.block_sums(out)
        with np.errstate(divide="ignore"):
            key = np.where(rs == 0, tol, -1.0 / tol)
        order = np.argsort(-key, kind="stable")
        values = []
        for i in range(len(_PERTURB_LEVELS) - 1, -1, -1):  # m = 5, 4, .., 1 as in the code
            m = _PERTURB_LEVELS[i]
            n_m = int(round_half_away(n_mod * (neg[i] + pos[i])))
            n_neg = min(int(round_half_away(n_mod * neg[i])), n_m)
            v = rng.random(n_m) - 0.5 + m
            v[rng.permutation(n_m)[:n_neg]] *= -1.0
            values.append(v)
        v = np.concatenate(values)[:nb]
        mv = order[:v.size]
        dcoef[mv, s] = v
        blocks = idct_8x8(dcoef[mv].reshape(-1, 8, 8))
        out_blocks[bi[mv], :, bj[mv], :] = _pixels_round(blocks + 128.0)
    return out


def _decalibration_step(x: np.ndarray) -> tuple[float, np.ndarray]:
    r"""K_L of x and a subgradient of :math:`\sum_{HF_{28}} |\mathrm{var}(D_k X) -
    \mathrm{var}(D_k X_{cal})|`.

    With :math:`y_b` the coefficient of block b (L blocks),
    :math:`\partial \mathrm{var}/\partial x_b = (2/L)(y_b - \bar y)\, d_k` (``subGrHFSVar``),
    which for all subbands at once is the inverse block DCT of :math:`(2/L)(Y - \bar Y)` masked
    to HF28 and signed by sgn(var_X - var_cal).
    """
    xa, xc = calibration_pair(x)
    ya, yc = block_dct(xa), block_dct(xc)
    va, vc = subband_variances(ya), subband_variances(yc)
    kl = kl_from_variances(va, vc)
    sgn = np.sign(va - vc) * HF28

    def grad(y: np.ndarray) -> np.ndarray:
        n = y.shape[0] * y.shape[1]
        g = (2.0 / n) * (y - y.mean(axis=(0, 1))) * sgn
        return block_idct(g) - 128.0

    gr = np.zeros_like(x)
    gr[:-8, :-8] += grad(ya)
    gr[4:-4, 4:-4] -= grad(yc)
    return kl, gr


#: K_L of never-compressed crops per side, from the training corpus's calibration and train parts
#: (written by scripts/calibrate_detectors.py; :mod:`jpegaf.antiforensics.references`): the limit
#: the generator methods de-calibrate to (:func:`jpegaf.antiforensics.hybrid.decalibration_limit`).
KL_REFERENCE = Path(__file__).resolve().with_name("kl_reference.json")


def save_kl_reference(path: str | os.PathLike, values: dict[int, Sequence[float]],
                      sources: dict[int, str]) -> None:
    """Write the K_L reference: per side, the sorted K_L values and where they come from."""
    save_reference(path, "K_L of never-compressed crops, the generator methods' de-calibration limit",
                   values, sources)


def never_compressed_kl(height: int, width: int, quantile: float,
                        reference: str | os.PathLike = KL_REFERENCE) -> float:
    """``quantile`` of K_L over never-compressed crops of the largest reference side that fits in
    ``height`` x ``width`` (the smallest side for a smaller image)."""
    return reference_quantile(reference, height, width, quantile)


def de_calibrate(img: np.ndarray, *, threshold: float = 0.0533, tolerance: float = 0.005,
                 step: float = 2.0, iterations: int = 100) -> np.ndarray:
    r"""Lower the calibration feature K_L (``deCalibration.m``).

    Subgradient descent :math:`X \leftarrow \mathrm{round}(X - s\, g / \max|g|)`, clipped to
    [0, 255] every step, on :math:`\sum_{HF_{28}} |\mathrm{var}(D_k X) - \mathrm{var}(D_k X_{cal})|`
    (:func:`_decalibration_step`). Returns the first iterate with K_L < threshold + tolerance,
    else the iterate (input included) with the smallest K_L. An input already below the limit
    comes back unchanged (the code always takes at least one step, which can only add noise).

    The step is the published one; on very smooth images, whose high-frequency variances are
    near the rounding noise's, steps of up to 2 grey levels overshoot and the best iterate may
    stay above the threshold.

    Shape: (8 bh, 8 bw) with bh, bw >= 2 -> float64 (8 bh, 8 bw) integer-valued.
    """
    x = _pixels_round(np.asarray(img, dtype=np.float64))
    kl, gr = _decalibration_step(x)
    best, best_kl = x, kl
    if kl < threshold + tolerance:
        return x
    for _ in range(iterations):
        scale = np.abs(gr).max()
        if scale == 0:
            break
        x = _pixels_round(x - step * gr / scale)
        kl, gr = _decalibration_step(x)
        if kl < threshold + tolerance:
            return x
        if kl < best_kl:
            best, best_kl = x, kl
    return best


# --------------------------------------------------------------------------------------------
# The pipeline
# --------------------------------------------------------------------------------------------

def fan_plane(coef: np.ndarray, table: np.ndarray, rng: np.random.Generator,
              config: FanConfig = FanConfig(), start: np.ndarray | None = None) -> np.ndarray:
    """F3 on one component: quantization indices (bh, bw, 8, 8) and table (8, 8) -> float64
    pixel plane (8 bh, 8 bw), integer-valued in [0, 255].

    Planes under 16x16 pixels (tiny chroma) have no K_F or K_L: both TV rounds then keep their
    last iterate and de-calibration is skipped.

    ``start`` (not in F3): a restored plane (8 bh, 8 bw) that takes the place of F3's first stage,
    the TV deblocking of the decoded JPEG (the ``gan+f3`` method gives the generator's output);
    the later stages run on it unchanged, still constrained by the file's own coefficients.
    """
    c = config
    k = np.asarray(coef).astype(np.int64)
    table = np.asarray(table, dtype=np.float64)
    x = _pixels_round(decode_plane(k, table))
    measurable = _measurable(x)
    if start is not None:
        if np.shape(start) != x.shape:
            raise ValueError(f"start must have the plane's shape {x.shape}, got {np.shape(start)}")
        x = _pixels_round(np.asarray(start, dtype=np.float64))
    else:
        x = tv_deblock(x, k, table, rng, alpha=c.alpha1, iterations=c.iterations1,
                       step_offset=c.step_offset1, mu=c.mu1, select_by_kf=measurable)
    if c.smoothing:
        x = smooth_histograms(x, table.astype(np.int64), rng, dim_max=c.dim_max,
                              skip_border=c.skip_border, zero_bin_border=c.zero_bin_border)
    x = tv_deblock(x, k, table, rng, alpha=c.alpha2, iterations=c.iterations2,
                   step_offset=c.step_offset2, mu=c.mu2,
                   kf_threshold=c.kf_threshold if measurable else None,
                   perturb=(c.p3_trigger, c.p3_target) if c.perturb else None,
                   select_by_kf=measurable)
    if c.decalibrate and measurable:
        x = de_calibrate(x, threshold=c.kl_threshold, tolerance=c.kl_tolerance,
                         step=c.decal_step, iterations=c.decal_iterations)
    return x


class FanVariational:
    """Fan et al. (TIFS 2014) variational anti-forensics as an anti-forensic method:
    ``FanVariational(config)(coefs, seed) -> uint8 image`` (see :mod:`.common`).

    Colour JPEGs are processed component by component, each with its own table.
    """

    def __init__(self, config: FanConfig = FanConfig()):
        self.config = config

    def _step(self, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return fan_plane(coef, table, rng, self.config)

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        return apply_per_component(coefs, self._step, seed)
