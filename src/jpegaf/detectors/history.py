"""JPEG-history check: has this 8-bit luma image ever been through a JPEG codec?

A decoded JPEG carries two traces in the 8x8 block DCT taken on the codec's own grid:

* lattice: every coefficient of subband k was a multiple of the quantisation step Q[k] before
  the inverse DCT, and rounding the pixels to integers moves it by only about 0.29 (the standard
  deviation of a uniform rounding error, kept by the orthonormal transform). Seen for Q[k] >= 2,
  i.e. at every quality below 100 with the standard tables.
* integer: at quality 100 every step is 1, so there is no lattice left to see, but coefficients
  still sit closer to integers than chance would put them.

The grid position is unknown (the image may have been cropped after decoding), so both
measures are taken at all 64 offsets of the 8x8 grid. On a never-compressed image they vary only
by noise from offset to offset; on a decoded JPEG one offset stands out. Each measure is scored
as a robust z of the best offset against the other 63, which removes any dependence on the
image's content (smooth or textured, stretched histogram, low bit depth) that is shared by all
offsets.

Calibration on real photographs (the bundled samples and Pillow re-encodes of them) is given
next to ``DEFAULT_THRESHOLD``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..jpeg.dct import block_dct

BLOCK = 8
# Quantisation steps searched by the lattice test. 1 is left out (it is the integer test's job);
# 40 covers the AC steps of IJG qualities down to about 30 in the low and middle frequencies,
# which carry most of the non-zero coefficients at such qualities.
LATTICE_STEPS = np.arange(2, 41)
# Rounded coefficient magnitudes are histogrammed up to this value. An orthonormal 8x8 DCT of
# values in [-128, 127] is bounded by 8 * 128 = 1024; two more bins give every tested multiple
# of a step a right-hand neighbour.
MAX_ABS_COEF = 1026
# Half-width of the "near an integer" window in the integer test. Chance gives 0.5.
INTEGER_TOLERANCE = 0.25
# An AC coefficient below this is treated as an exact 0 (flat block). Float64 rounding leaves
# about 1e-13 where the exact value is 0; a real non-zero coefficient of an integer-valued
# block is rarely anywhere near this small.
FLAT_COEF = 1e-9
# Consistency factor that turns a median absolute deviation into a Gaussian standard deviation.
MAD_TO_SIGMA = 1.4826
# Floor on the robust spread so that a MAD of 0 (e.g. a constant image, where every offset gives
# the same value) does not divide by zero. It is far below the offset-to-offset noise of any
# image with a few hundred coefficients (about 1e-3 for fractions), so it never changes a real
# score, and a difference of 0 still scores 0.
MIN_SPREAD = 1e-6

# Decision threshold on max(lattice_z, integer_z), from this calibration (grayscale images,
# Pillow 13's libjpeg encoder):
#   never-compressed: the 29 bundled samples score at most 4.1 (lattice) and 3.6 (integer);
#     380 random 64-256 px crops of them, rotated and flipped, at most 5.5;
#   JPEG: the samples encoded at qualities 50, 75, 95 and 100, decoded, aligned or cropped by
#     (3, 5), score at least 32 (lattice z >= 32 for quality <= 95; quality 100 only through
#     the integer test, z 39-265); random 128-256 px crops of them at least 11.5.
# 8 sits half-way between 5.5 and 11.5 on a log scale: about 45% above the largest clean
# score seen and 30% below the smallest compressed one. Below 128 px the check loses power
# (a flat 64 px crop at quality 95 scored 4.8), so images that small should not be vetted by it.
DEFAULT_THRESHOLD = 8.0


@dataclass(frozen=True)
class HistoryScores:
    """Robust z-scores of the best grid offset, and where that offset is.

    Offsets are (dy, dx): the block grid starts at row dy and column dx of the image.
    """

    lattice_z: float
    integer_z: float
    lattice_offset: tuple[int, int]
    integer_offset: tuple[int, int]


def _check_image(img: np.ndarray) -> None:
    """Reject anything but a 2-D uint8 array of at least 16x16 (two blocks per side, so every
    offset still leaves at least one full block)."""
    if not isinstance(img, np.ndarray):
        raise ValueError(f"expected a numpy array, got {type(img).__name__}")
    if img.ndim != 2:
        raise ValueError(f"expected a 2-D luma image, got shape {img.shape}")
    if img.dtype != np.uint8:
        raise ValueError(f"expected dtype uint8, got {img.dtype}")
    if img.shape[0] < 2 * BLOCK or img.shape[1] < 2 * BLOCK:
        raise ValueError(f"image must be at least 16x16, got {img.shape[0]}x{img.shape[1]}")


def grid_coefficients(img: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Block DCT of ``img - 128`` on the 8x8 grid that starts at (dy, dx): the whole blocks of
    img[dy:, dx:], (bh, bw, 8, 8) with bh = (H - dy) // 8, bw = (W - dx) // 8."""
    bh, bw = (img.shape[0] - dy) // BLOCK, (img.shape[1] - dx) // BLOCK
    return block_dct(img[dy:dy + bh * BLOCK, dx:dx + bw * BLOCK])


def _lattice_weights(steps: np.ndarray, nbins: int) -> np.ndarray:
    """Weights that turn a histogram of rounded magnitudes into "excess at multiples of q".

    For each step q, W[q] is +1 on the multiples m*q (m >= 1) and -1/2 on each of their two
    neighbours m*q - 1 and m*q + 1, so W[q] @ hist = sum_m (h[mq] - (h[mq-1] + h[mq+1]) / 2):
    the count at the multiples minus the count a locally linear histogram would put there.
    This is the chance level used for normalisation: a never-compressed coefficient
    distribution is smooth (Laplacian-like, so if anything convex and the excess is slightly
    negative), while a quantised one is empty next to the multiples and the excess approaches
    the whole count. Estimating chance from the neighbours, rather than as 1/q of the count,
    keeps large steps honest: a peaked distribution has far less than 1/q of its mass near
    multiples of 40.

    steps: (S,) ints >= 2. Returns (S, nbins) float64.
    """
    weights = np.zeros((len(steps), nbins))
    for i, q in enumerate(steps):
        multiples = np.arange(q, nbins - 1, q)
        weights[i, multiples] += 1.0
        # np.add.at, since for q = 2 the odd bins are the neighbour of two multiples.
        np.add.at(weights[i], multiples - 1, -0.5)
        np.add.at(weights[i], multiples + 1, -0.5)
    return weights


# _lattice_weights in sparse form, which is what _lattice_value uses: W[q] @ hist equals the sum,
# over the multiples m*q, of the "second difference" d = h - (left + right neighbour) / 2. All
# the multiples of all steps laid end to end (about 3,400 bins instead of 39 x 1,026 dense
# weights) and summed per step by one np.add.reduceat. Every term is a multiple of 1/2 far below
# 2**52, so both forms give exactly the same floats; the dense product was most of the cost of a
# check (benchmarks/bench_history.py measures it).
_MULTIPLES = [np.arange(q, MAX_ABS_COEF - 1, q) for q in LATTICE_STEPS]
_MULTIPLE_BINS = np.concatenate(_MULTIPLES)
_STEP_STARTS = np.cumsum([0] + [len(m) for m in _MULTIPLES[:-1]])


# Evidence carried by one coefficient found on a lattice of step q, relative to the largest
# step: landing on a multiple of q by chance has probability about 1/q, so a hit is worth
# log(q) nats. Weighting the excess by it matters on heavily compressed smooth images: there
# most blocks end up nearly flat, and at the 63 wrong offsets such blocks still sit on small
# accidental lattices (a flat block's DC is 8x its grey level, a multiple of 2, 4 and 8),
# while on the codec's own grid the lattice has the table's large steps (16, 11, 10, ... at
# quality 50). Unweighted, a motion-blurred clock at quality 50 scored z = 7; weighted, 34.
# Never-compressed images are not affected (their excess is about 0 at every step).
_EVIDENCE = np.log(LATTICE_STEPS) / np.log(LATTICE_STEPS[-1])


def _lattice_value(rounded: np.ndarray) -> float:
    """Share of the non-zero rounded coefficients explained by a quantisation lattice, weighted
    by how unlikely that lattice is by chance.

    For each of the 64 subbands, the excess count at multiples of q (see _lattice_weights),
    times log(q) / log(40), is maximised over q = 2..40 -- JPEG quantises each subband with its
    own step, and the weight makes the maximum pick the step itself rather than one of its
    divisors. The subbands' maxima are summed and divided by the number of coefficients that are
    non-zero after rounding. Zeros are left out because a coefficient rounded to 0 is a multiple
    of every step and says nothing. 0 means no lattice (a little above 0 in practice, as the
    maximum over 39 steps picks up noise); 1 would mean every non-zero coefficient sits on a
    lattice of step 40. Measured: about 0.005 for never-compressed photographs at any offset;
    0.4 for decoded quality-50 and -75 JPEGs read on their own grid, 0.1-0.2 at quality 95.

    rounded: (bh, bw, 8, 8) DCT coefficients rounded to integers (float). Returns a float.
    """
    mags = np.minimum(np.abs(rounded), MAX_ABS_COEF - 1).astype(np.intp)
    mags = mags.reshape(-1, BLOCK * BLOCK)
    # One bincount for all subbands: subband k's histogram occupies bins k*K .. k*K + K - 1.
    mags += np.arange(BLOCK * BLOCK) * MAX_ABS_COEF
    hist = np.bincount(mags.ravel(), minlength=BLOCK * BLOCK * MAX_ABS_COEF)
    hist = hist.reshape(BLOCK * BLOCK, MAX_ABS_COEF)
    nonzero = mags.size - int(hist[:, 0].sum())
    if nonzero == 0:
        return 0.0
    hist = hist.astype(np.float64)
    # d[:, j] = h[j] - (h[j - 1] + h[j + 1]) / 2; multiples stop at MAX_ABS_COEF - 2, so every
    # bin gathered below has both neighbours.
    second = np.zeros_like(hist)
    second[:, 1:-1] = hist[:, 1:-1] - 0.5 * (hist[:, :-2] + hist[:, 2:])
    excess = np.add.reduceat(second[:, _MULTIPLE_BINS], _STEP_STARTS, axis=1)
    excess *= _EVIDENCE  # (64 subbands, S steps)
    best = np.maximum(excess.max(axis=1), 0.0)  # a subband cannot explain fewer than none
    return float(best.sum() / nonzero)


def _integer_value(coefs: np.ndarray, rounded: np.ndarray) -> float:
    """Fraction of non-flat AC coefficients within INTEGER_TOLERANCE of an integer.

    "Non-flat" means not zero (below FLAT_COEF): the AC coefficients of a constant block, or
    those an exactly symmetric block cancels, are 0 at every offset alike and would only dilute
    the difference between offsets. Testing the coefficient rather than the block's pixel range
    gives the same set for flat blocks and costs one pass instead of two reductions.
    Chance gives about 0.5 (a little more, since a few subbands such as (0, 4) only take
    multiples of 1/8); a quality-100 JPEG read on its own grid gives about 0.67, because its
    coefficients are integers plus a rounding error of standard deviation 0.29 (lower
    qualities give about 0.6 there too, as their coefficients are integers as well).

    coefs, rounded: (bh, bw, 8, 8), the DCT coefficients and the same rounded to integers.
    Returns a float (0 when every block is flat).
    """
    ac = coefs.reshape(-1, BLOCK * BLOCK)[:, 1:]
    ac_rounded = rounded.reshape(-1, BLOCK * BLOCK)[:, 1:]
    textured = np.abs(ac) > FLAT_COEF
    count = np.count_nonzero(textured)
    if count == 0:
        return 0.0
    near = np.abs(ac - ac_rounded) <= INTEGER_TOLERANCE
    return float(np.count_nonzero(near & textured) / count)


def _robust_z(values: np.ndarray) -> tuple[float, int]:
    """Score the largest of the 64 per-offset values against the other 63.

    values: (64,). Returns (z, index of the largest value). z = (best - median(others)) /
    (1.4826 * MAD(others)), with the spread floored at MIN_SPREAD.
    """
    best = int(np.argmax(values))
    others = np.delete(values, best)
    centre = np.median(others)
    spread = MAD_TO_SIGMA * np.median(np.abs(others - centre))
    return float((values[best] - centre) / max(spread, MIN_SPREAD)), best


def jpeg_history_scores(img: np.ndarray) -> HistoryScores:
    """Lattice and integer robust z-scores of an 8-bit luma image over the 64 grid offsets.

    img: (H, W) uint8, H, W >= 16. Returns HistoryScores; large z means JPEG history.
    Raises ValueError for any other input.
    """
    _check_image(img)
    lattice = np.empty(BLOCK * BLOCK)
    integer = np.empty(BLOCK * BLOCK)
    for dy in range(BLOCK):
        for dx in range(BLOCK):
            coefs = grid_coefficients(img, dy, dx)
            rounded = np.rint(coefs)
            lattice[dy * BLOCK + dx] = _lattice_value(rounded)
            integer[dy * BLOCK + dx] = _integer_value(coefs, rounded)
    lattice_z, lattice_at = _robust_z(lattice)
    integer_z, integer_at = _robust_z(integer)
    return HistoryScores(
        lattice_z=lattice_z,
        integer_z=integer_z,
        lattice_offset=divmod(lattice_at, BLOCK),
        integer_offset=divmod(integer_at, BLOCK),
    )


def has_jpeg_history(img: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """True when either score of jpeg_history_scores exceeds threshold.

    img: (H, W) uint8, H, W >= 16.
    """
    scores = jpeg_history_scores(img)
    return max(scores.lattice_z, scores.integer_z) > threshold
