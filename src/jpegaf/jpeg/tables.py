"""IJG quality factor <-> quantization tables, bit-exact with libjpeg's ``jpeg_set_quality``.

The scaling (libjpeg ``jcparam.c``) is integer arithmetic::

    scale = 5000 // q            if q < 50
          = 200 - 2 * q          otherwise
    table = clamp((base * scale + 50) // 100, 1, 32767)   then <= 255 when force_baseline

A floating-point version (``floor(base * scale / 100 + 0.5)``) differs from libjpeg at 35
qualities, which is why nothing here uses floats.

Tables are (8, 8) arrays in natural (row-major) order: ``table[u, v]`` is the step of the
DCT coefficient with vertical frequency ``u`` and horizontal frequency ``v``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

#: ITU-T T.81 Annex K.1, luminance.
ANNEX_K_LUMA = np.array(
    [
        [16, 11, 10, 16, 24, 40, 51, 61],
        [12, 12, 14, 19, 26, 58, 60, 55],
        [14, 13, 16, 24, 40, 57, 69, 56],
        [14, 17, 22, 29, 51, 87, 80, 62],
        [18, 22, 37, 56, 68, 109, 103, 77],
        [24, 35, 55, 64, 81, 104, 113, 92],
        [49, 64, 78, 87, 103, 121, 120, 101],
        [72, 92, 95, 98, 112, 100, 103, 99],
    ],
    dtype=np.int64,
)

#: ITU-T T.81 Annex K.2, chrominance.
ANNEX_K_CHROMA = np.array(
    [
        [17, 18, 24, 47, 99, 99, 99, 99],
        [18, 21, 26, 66, 99, 99, 99, 99],
        [24, 26, 56, 99, 99, 99, 99, 99],
        [47, 66, 99, 99, 99, 99, 99, 99],
        [99, 99, 99, 99, 99, 99, 99, 99],
        [99, 99, 99, 99, 99, 99, 99, 99],
        [99, 99, 99, 99, 99, 99, 99, 99],
        [99, 99, 99, 99, 99, 99, 99, 99],
    ],
    dtype=np.int64,
)

#: Zigzag scan order: ZIGZAG[k] is the natural-order (row-major) index of the k-th coefficient.
ZIGZAG = np.array(
    [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
     12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
     35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
     58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63],
    dtype=np.int64,
)


def check_quality(quality: object) -> int:
    """Return ``quality`` as an int if it is an integer in 1..100, else raise ValueError.

    libjpeg (and jpeglib) silently clip out-of-range qualities; a forensic experiment that asked
    for quality 0 or 101 and got 1 or 100 would report the wrong thing, so we refuse instead.
    Booleans and integral floats (50.0) are refused too: a quality is an IJG integer.
    """
    if isinstance(quality, bool) or not isinstance(quality, numbers.Integral):
        raise ValueError(f"quality must be an integer in 1..100, got {quality!r}")
    q = int(quality)
    if not 1 <= q <= 100:
        raise ValueError(f"quality must be an integer in 1..100, got {q}")
    return q


def quality_scale(quality: int) -> int:
    """libjpeg's ``jpeg_quality_scaling``: the percentage applied to the Annex K tables."""
    q = check_quality(quality)
    return 5000 // q if q < 50 else 200 - 2 * q


def quality_to_table(quality: int, chroma: bool = False, force_baseline: bool = True) -> np.ndarray:
    """The (8, 8) uint16 table that libjpeg writes for IJG ``quality``.

    ``force_baseline=True`` (Pillow's and most encoders' setting) limits steps to 255 so the file
    stays baseline JPEG; it only matters below quality 25 for luma (where steps would exceed 255).
    """
    base = ANNEX_K_CHROMA if chroma else ANNEX_K_LUMA
    table = (base * quality_scale(quality) + 50) // 100
    table = np.clip(table, 1, 255 if force_baseline else 32767)
    return table.astype(np.uint16)


@dataclass(frozen=True)
class QualityEstimate:
    """The IJG quality whose table is closest to a given table.

    ``exact`` is True when the table is bit-identical to the IJG table of ``quality`` (an
    IJG-family encoder, e.g. libjpeg, Pillow, most cameras' software is *not* guaranteed);
    ``mean_abs_error`` is the mean absolute step difference to that table.
    """

    quality: int
    exact: bool
    mean_abs_error: float


def estimate_quality(table: np.ndarray, chroma: bool = False) -> QualityEstimate:
    """Invert :func:`quality_to_table`: the IJG quality whose table best matches ``table``.

    Compares against all 100 IJG tables (both the baseline-clamped and the 16-bit variants, since
    an encoder may have used either) and picks the smallest mean absolute difference; ties go to
    the higher quality. Shape: ``table`` is (8, 8) in natural order.
    """
    table = np.asarray(table)
    if table.shape != (8, 8):
        raise ValueError(f"a quantization table must be 8x8, got shape {table.shape}")
    t = table.astype(np.int64)
    best: QualityEstimate | None = None
    for q in range(100, 0, -1):
        for baseline in (True, False):
            ref = quality_to_table(q, chroma=chroma, force_baseline=baseline).astype(np.int64)
            err = float(np.abs(ref - t).mean())
            if best is None or err < best.mean_abs_error:
                best = QualityEstimate(quality=q, exact=err == 0.0, mean_abs_error=err)
    assert best is not None
    return best
