"""Valenzise et al.'s total-variation detector K_V of anti-forensic dither (ICIP 2011, TIFS 2013).

algorithms.md 4.4; Fan et al.'s ``maxDeltaTV.m``. Stamm's dither (F1) restores the shape of the
DCT histograms, so quantization-table estimators see an uncompressed image, but it adds noise-like
high frequencies. Re-compressing such an image at an IJG quality q below its original quality Q
removes that noise (the coarser steps quantise it away) and the total variation of the result is
low; from q = Q on, the steps are fine enough to keep the dither and TV jumps. A never-compressed
image's TV grows smoothly with q, with no such jump.

    TV(q) = sum |x[i+1, j] - x[i, j]| + sum |x[i, j+1] - x[i, j]|     (forward differences, the
            last row and column replicated, so the border differences are 0), on the decoded
            recompression at quality q;
    dTV(q) = (TV(q) - TV(q - n)) / n   for q and q - n both in the sampled range;
    K_V = max_q dTV(q) / (H W),        Q_hat = argmax_q dTV(q) - n.

Differences are taken within the sampled range only: F14's literal TV(q_min - n) = 0 would make
the first difference the whole TV, which dominates everything. Q_hat is the lower end of the
steepest step, the original quality for a dithered image (maxDeltaTV.m with n = 1).

Normalisation: the TV of an image is a sum over its pixels, and so is its jump; V11's threshold
tau_3 = 36e3 was for 512x384 images. Dividing by the number of pixels H W makes K_V a mean jump
per pixel (tau_3 is about 0.18 per pixel), so one threshold serves images of different sizes up
to the statistical spread, which still shrinks with size (thresholds are calibrated per size).

**K_V^s, K_V against the curve's own slope** (the project's, after unseen set 6; not
published). Where sensor noise is a large part of an image's variation, TV(q) rises ever faster
towards q = 100 with no jump at all, and K_V's largest rise is large too: 7 of 13 noisy
astronomy and microscopy frames of ``results/unseen6/`` were above K_V's threshold, its score
following the share of noise in a crop (r = 0.80). K_V^s measures each rise against the local
slope of the curve, the median of the rises at the ``side`` = 3 qualities on each side (fewer at
the ends of the range):

    K_V^s = max_q (dTV(q) - median{dTV(q') : 0 < |q' - q| <= 3}) / (H W),   n = 1.

F1's dither makes one step at its quality, far above its neighbours, and survives; a steep but
smooth rise is its own local slope and cancels. (The analogue of K_F^n, which measures the block
corners against the blocks' interiors.) Design record: ``scripts/kv_candidates.py`` and
``results/thresholds/kv-candidates.md``. ``jpegaf detect`` runs K_V^s by default in K_V's place;
tables and ``--detectors K_V`` still run the published measure.

Recompression uses the project's codec (:func:`jpegaf.jpeg.jpeg_roundtrip`, libjpeg-turbo ISLOW,
the IJG tables), as the forensic analyst would.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..jpeg import check_quality, jpeg_roundtrip

#: F14's range of re-compression qualities (maxDeltaTV.m: QFs = 45:100), for originals at 50..95.
DEFAULT_QUALITIES = tuple(range(45, 101))


def total_variation(img: np.ndarray) -> float:
    """Anisotropic TV with forward differences and replicated last row/column.

    img: (H, W), any real dtype. Returns sum |dx| + sum |dy| as a float.
    """
    x = np.asarray(img, dtype=np.int64 if np.issubdtype(np.asarray(img).dtype, np.integer) else np.float64)
    return float(np.abs(np.diff(x, axis=0)).sum() + np.abs(np.diff(x, axis=1)).sum())


#: Qualities on each side of q whose rises make K_V^s's local slope.
SLOPE_SIDE = 3


def tv_curve(img: np.ndarray, qualities: tuple[int, ...] = DEFAULT_QUALITIES) -> np.ndarray:
    """TV(q) of the image recompressed at each quality. img: (H, W) uint8 -> (len(qualities),)."""
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a uint8 gray image, got {img.dtype} {img.shape}")
    img = np.ascontiguousarray(img)
    return _tv_curve(img.tobytes(), img.shape, tuple(qualities)).copy()


@lru_cache(maxsize=4)
def _tv_curve(data: bytes, shape: tuple[int, int], qualities: tuple[int, ...]) -> np.ndarray:
    # Cached by content: K_V and K_V^s read the same 56 recompressions of one image one after the
    # other (every table runs both), and these are nearly all of their cost.
    img = np.frombuffer(data, np.uint8).reshape(shape)
    return np.array([total_variation(jpeg_roundtrip(img, q)) for q in qualities])


@dataclass(frozen=True)
class TvResult:
    """Outcome of K_V.

    Attributes:
        score: K_V, the largest dTV^(n) divided by the number of pixels.
        quality: Q_hat, the estimated original quality (argmax - n).
        delta_tv: (len(qualities) - n,) dTV^(n)(q) per pixel for q = qualities[n:], in order.
    """

    score: float
    quality: int
    delta_tv: np.ndarray


def _check_qualities(qualities: tuple[int, ...], n: int) -> tuple[int, ...]:
    """Reject non-consecutive or invalid quality ranges: dTV^(n) pairs q with q - n by index."""
    qs = tuple(check_quality(q) for q in qualities)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if len(qs) <= n or any(b - a != 1 for a, b in zip(qs, qs[1:])):
        raise ValueError(f"qualities must be consecutive integers, more than n = {n} of them")
    return qs


def max_delta_tv(img: np.ndarray, n: int = 1, qualities: tuple[int, ...] = DEFAULT_QUALITIES) -> TvResult:
    """K_V and Q_hat of a gray image (see the module docstring).

    img: (H, W) uint8, at least 8x8. n: difference order (1 in F14, 3 in V11, 5 in F13).
    qualities: consecutive IJG qualities to recompress at (default 45..100).
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a uint8 gray image, got {img.dtype} {img.shape}")
    qs = _check_qualities(tuple(qualities), n)
    tv = tv_curve(img, qs)
    delta = (tv[n:] - tv[:-n]) / (n * img.size)
    best = int(np.argmax(delta))
    return TvResult(score=float(delta[best]), quality=qs[best], delta_tv=delta)


def local_slope(rises: np.ndarray, side: int = SLOPE_SIDE) -> np.ndarray:
    """The median of the ``side`` rises on each side of each rise, itself left out (fewer at the ends).

    rises: (m,) with m >= 2 -> (m,).
    """
    rises = np.asarray(rises, dtype=np.float64)
    if rises.ndim != 1 or rises.size < 2 or side < 1:
        raise ValueError(f"need at least 2 rises and side >= 1, got {rises.shape} and {side}")
    return np.array([np.median(np.r_[rises[max(0, i - side):i], rises[i + 1:i + 1 + side]])
                     for i in range(rises.size)])


def max_delta_tv_detrended(img: np.ndarray, qualities: tuple[int, ...] = DEFAULT_QUALITIES,
                           side: int = SLOPE_SIDE) -> TvResult:
    """K_V^s and its Q_hat (module docstring): the largest TV rise above the curve's local slope.

    img: (H, W) uint8, at least 8x8. qualities: consecutive IJG qualities (default 45..100).
    ``delta_tv`` holds the rises less their local slope, per pixel.
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a uint8 gray image, got {img.dtype} {img.shape}")
    qs = _check_qualities(tuple(qualities), 1)
    if len(qs) < 3:
        raise ValueError(f"K_V^s needs at least 3 qualities, got {len(qs)}")
    rises = np.diff(tv_curve(img, qs))
    delta = (rises - local_slope(rises, side)) / img.size
    best = int(np.argmax(delta))
    return TvResult(score=float(delta[best]), quality=qs[best], delta_tv=delta)


class TvDetector:
    """K_V as a detector: higher means more likely a JPEG (dithered or not) rather than an original.

    Not in ``jpegaf detect``'s default set (``by_default = False``): on noise-dominated frames its
    largest rise is the noise's, not a jump (module doc); K_V^s replaces it there. Tables and
    ``--detectors K_V`` still run it, as published.
    """

    by_default = False

    def __init__(self, n: int = 1, qualities: tuple[int, ...] = DEFAULT_QUALITIES):
        self.qualities = _check_qualities(tuple(qualities), n)
        self.n = n
        default = n == 1 and self.qualities == DEFAULT_QUALITIES
        self.name = "K_V" if default else f"K_V(n={n},q={self.qualities[0]}..{self.qualities[-1]})"

    def score(self, img: np.ndarray) -> float:
        return max_delta_tv(img, self.n, self.qualities).score


class DetrendedTvDetector:
    """K_V^s (:func:`max_delta_tv_detrended`) as a detector, run by default in K_V's place."""

    name = "K_V^s"

    def score(self, img: np.ndarray) -> float:
        return max_delta_tv_detrended(img).score
