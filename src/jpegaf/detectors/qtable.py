"""Fan & de Queiroz (2003) maximum-likelihood estimation of the JPEG quantization table.

Reference: Z. Fan and R. L. de Queiroz, "Identification of bitmap compression history: JPEG
detection and quantizer estimation", IEEE TIP 12(2), 2003, as implemented in Fan et al.'s
``qtable_est.m`` (TIFS 2014 code). algorithms.md section 4.2.

A decoded JPEG's block DCT coefficient of subband k is Y = q k' + e: a multiple of the step q plus
the error that rounding (and clipping) the pixels made, which is bounded by B_k (below) and nearly
Gaussian with variance 1/12 (the variance of a uniform rounding error, kept by the orthonormal
DCT). The residual i = Y - q round(Y / q) therefore concentrates on |i| <= B, and q is chosen to
maximise the likelihood of the observed residuals.

Steps, per image:

1. Tile the image (cropped to whole blocks) into 8x8 blocks; drop blocks containing 0 or 255
   (clipping breaks the error bound) and flat blocks (all coefficients 0 say nothing).
2. DCT each block without the -128 level shift (as ``qtable_est.m``) and round half away from
   zero (MATLAB ``round``). Without the shift the DC lattice sits at 1024 + q k', so the DC
   histogram is re-centred on its main lobe (its most frequent value is moved to 0).
3. Error bound B_k = D(u) D(v), D = 2 for u in {0, 4}, 2 cos(pi/4) for u in {2, 6},
   2 cos(pi/4) cos(pi/8) otherwise.
4. Find the highest histogram bin at offset o >= floor(B) + 2 above the histogram's mode. None
   (no coefficient that far out) -> the entry is *undetermined* (reported as 0).
5. Candidates: every divisor of o - 2, o - 1 and o (the code's Q - 1, Q, Q + 1 with Q = o - 1).
6. ML(q) = sum_i N(i) W(i) + N log q, N(i) the number of coefficients with residual i, N the
   number of blocks used, and
   W(i) = log( sigma sqrt(2 pi) sum_j [Phi((i + j q + 1/2) / sigma) - Phi((i + j q - 1/2) / sigma)] ),
   sigma^2 = 1/12, over every integer j with |i + j q| <= B - 1/2; W(i) = -100 when that set is
   empty. W is computed for i >= 0 and mirrored (W(-i) = W(i)), as the code does. The N log q
   term is the uniform density 1/q of the lattice position: it makes large steps pay for
   explaining fewer coefficients.

   ``qtable_est.m`` draws j from ``ceil(-(B - 1/2 - i)/q) : floor((B - 1/2 - i)/q)``, which for
   q < 2B misses the j < 0 terms that reach back into [-(B - 1/2), 0); this module sums over the
   full set stated in algorithms.md (the likelihood the paper describes). The two differ only
   for steps below 2B (<= 7).

Decision (Stamm 2010; Fan et al. 2014): "never compressed" iff every entry is 1 or undetermined.
Known bias (Fan et al. 2014): a true step of 1 is read as 3 when more than 67.28% of the rounded
values are multiples of 3.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from ..jpeg.dct import dct_8x8, round_half_away

BLOCK = 8
#: Table entry meaning "undetermined" (no coefficient beyond the error bound).
UNDETERMINED = 0
# The rounding error of one pixel is uniform on [-1/2, 1/2): variance 1/12.
_SIGMA = math.sqrt(1.0 / 12.0)
# log-weight of a residual that no error within the bound can produce (qtable_est.m's INF_neg).
_IMPOSSIBLE = -100.0


def _bound_factor(u: int) -> float:
    """D(u), the 1-D factor of the error bound B = D(u) D(v) (``qtable_est.m``'s get_D)."""
    if u in (0, 4):
        return 2.0
    if u in (2, 6):
        return 2.0 * math.cos(math.pi / 4)
    return 2.0 * math.cos(math.pi / 4) * math.cos(math.pi / 8)


#: Error bound B[u, v] = D(u) D(v) of every subband, (8, 8).
ERROR_BOUND = np.array([[_bound_factor(u) * _bound_factor(v) for v in range(BLOCK)] for u in range(BLOCK)])


def usable_coefficients(img: np.ndarray) -> np.ndarray:
    """Rounded, unshifted block-DCT coefficients of the blocks the estimator may use.

    Blocks containing 0 or 255 (possibly clipped) and flat blocks are dropped.

    img: (H, W) uint8, H, W >= 8 -> (N, 8, 8) int64, N the number of usable blocks (may be 0).
    """
    h, w = img.shape[0] // BLOCK * BLOCK, img.shape[1] // BLOCK * BLOCK
    blocks = img[:h, :w].reshape(h // BLOCK, BLOCK, w // BLOCK, BLOCK).swapaxes(1, 2)
    blocks = blocks.reshape(-1, BLOCK, BLOCK)
    clipped = ((blocks == 0) | (blocks == 255)).any(axis=(1, 2))
    flat = blocks.max(axis=(1, 2)) == blocks.min(axis=(1, 2))
    kept = blocks[~clipped & ~flat].astype(np.float64)
    return round_half_away(dct_8x8(kept)).astype(np.int64)


def _divisors(n: int) -> list[int]:
    """Every positive divisor of n >= 1."""
    return [d for d in range(1, n + 1) if n % d == 0]


def residual_log_weights(q: int, bound: float) -> np.ndarray:
    """W(i) for i = -floor(q/2) .. floor(q/2) (see the module docstring, step 6).

    Returns (2 floor(q/2) + 1,) float64; index i + floor(q/2) holds W(i).
    """
    half = q // 2
    i = np.arange(half + 1)[:, None]
    reach = int(math.ceil(bound / q)) + 1  # |j| beyond this cannot satisfy |i + j q| <= B - 1/2
    j = np.arange(-reach, reach + 1)[None, :]
    centre = i + j * q
    inside = np.abs(centre) <= bound - 0.5
    mass = (ndtr((centre + 0.5) / _SIGMA) - ndtr((centre - 0.5) / _SIGMA)) * inside
    total = mass.sum(axis=1) * _SIGMA * math.sqrt(2.0 * math.pi)
    with np.errstate(divide="ignore"):
        w = np.where(total > 0, np.log(np.where(total > 0, total, 1.0)), _IMPOSSIBLE)
    return np.concatenate([w[:0:-1], w])  # mirror: W(-i) = W(i)


def log_likelihood(values: np.ndarray, counts: np.ndarray, q: int, bound: float, n_blocks: int) -> float:
    """ML(q) = sum_i N(i) W(i) + N log q of one subband.

    values, counts: the subband's histogram, (K,) integer values and (K,) their counts.
    """
    half = q // 2
    residual = values - q * round_half_away(values / q).astype(np.int64)
    n_i = np.bincount(residual + half, weights=counts, minlength=2 * half + 1)
    return float(n_i @ residual_log_weights(q, bound) + n_blocks * math.log(q))


def estimate_step(subband: np.ndarray, bound: float, *, recentre: bool = False) -> int:
    """ML quantization step of one subband, or UNDETERMINED.

    subband: (N,) rounded coefficients of one frequency over the usable blocks, N >= 1.
    recentre: shift the values so that the histogram's mode is 0 (for DC, whose lattice is offset
    by the missing level shift).
    """
    lo = int(subband.min())
    counts = np.bincount(subband - lo)
    if recentre:
        lo = -int(np.argmax(counts))  # the mode moves to 0; the histogram's shape is unchanged
    mode = int(np.argmax(counts))  # first maximum, as MATLAB's max
    start = mode + int(math.floor(bound)) + 2
    if start >= counts.size:
        return UNDETERMINED
    offset = start - mode + int(np.argmax(counts[start:]))  # o >= floor(B) + 2
    candidates = sorted(set(_divisors(offset - 2)) | set(_divisors(offset - 1)) | set(_divisors(offset)))
    values = lo + np.arange(counts.size)
    n_blocks = subband.size
    scores = [log_likelihood(values, counts, q, bound, n_blocks) for q in candidates]
    return candidates[int(np.argmax(scores))]


def estimate_qtable(img: np.ndarray) -> np.ndarray:
    """Fan & de Queiroz estimate of the quantization table a gray image was compressed with.

    img: (H, W) uint8, H, W >= 8. Returns (8, 8) int64 in natural order (``[u, v]``, u vertical
    frequency): the estimated step of each subband, UNDETERMINED (0) where no coefficient lies
    beyond the error bound. An image without usable blocks gives an all-undetermined table.
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8 or min(img.shape) < BLOCK:
        raise ValueError(f"expected a uint8 gray image of at least 8x8, got {img.dtype} {img.shape}")
    coefs = usable_coefficients(img).reshape(-1, BLOCK * BLOCK)
    table = np.full(BLOCK * BLOCK, UNDETERMINED, dtype=np.int64)
    if coefs.shape[0] == 0:
        return table.reshape(BLOCK, BLOCK)
    bounds = ERROR_BOUND.ravel()
    for k in range(BLOCK * BLOCK):
        table[k] = estimate_step(coefs[:, k], float(bounds[k]), recentre=k == 0)
    return table.reshape(BLOCK, BLOCK)


def is_never_compressed(table: np.ndarray) -> bool:
    """Fan & de Queiroz's decision: every estimated step is 1 or undetermined."""
    return bool(np.all((table == 1) | (table == UNDETERMINED)))


def step_count(table: np.ndarray) -> int:
    """Number of estimated steps greater than 1 (0..64): the detector score."""
    return int(np.count_nonzero(np.asarray(table) > 1))


class QuantizationStepDetector:
    """Fan & de Queiroz's quantizer estimation as a detector.

    Score: the number of subbands whose estimated step exceeds 1, in 0..64 (F14's K^Q variant
    of Luo's estimator counts the same way). It is monotone in the evidence the decision rule
    uses: score 0 is exactly Fan & de Queiroz's "never compressed", and a JPEG at quality q
    typically shows as many steps > 1 as the table has in the subbands that carry coefficients
    beyond the error bound. Being an integer, it ties a lot; calibrated thresholds are one of
    the observed counts (see :func:`jpegaf.metrics.calibrate_threshold`).
    """

    name = "Q_FdQ"

    def score(self, img: np.ndarray) -> float:
        return float(step_count(estimate_qtable(img)))
