"""Blockwise 8x8 DCT in NumPy, for methods that work on real-valued coefficients.

The JPEG forward DCT is the orthonormal 2-D DCT-II of (pixel - 128) on each 8x8 block;
``scipy.fft.dctn(..., norm='ortho')`` computes exactly that. Anti-forensic methods produce
non-integer coefficients (dither, projections), which libjpeg cannot store, so they need a
floating-point transform; the codec module stays the only place that reads or writes files.
"""

from __future__ import annotations

import numpy as np
import scipy.fft


#: The orthonormal 8-point DCT-II as a matrix: the 1-D transform of a column x is ``DCT_MATRIX @ x``,
#: and ``dct_8x8(b) == DCT_MATRIX @ b @ DCT_MATRIX.T`` (for code that needs the transform as a
#: matrix, e.g. the differentiable one of :mod:`jpegaf.losses.traces`).
DCT_MATRIX = scipy.fft.dct(np.eye(8), axis=0, norm="ortho")


def block_dct(img: np.ndarray) -> np.ndarray:
    """Orthonormal 8x8 block DCT of ``img - 128`` in float64 — the one block DCT of the project.

    Shape: (H, W) with H, W multiples of 8 -> (H/8, W/8, 8, 8); ``out[i, j, u, v]`` has vertical
    frequency u and horizontal frequency v, the layout of :class:`JpegCoefficients`. A strided view
    of the image goes straight into the transform (no copy of the blocks).
    """
    x = np.asarray(img, dtype=np.float64)
    h, w = x.shape
    if h % 8 or w % 8:
        raise ValueError(f"height and width must be multiples of 8, got {h}x{w}")
    return dct_8x8((x - 128.0).reshape(h // 8, 8, w // 8, 8).swapaxes(1, 2))


def dct_8x8(blocks: np.ndarray) -> np.ndarray:
    """Orthonormal 2-D DCT-II over the last two axes (8, 8) of ``blocks``, as they are (no level shift)."""
    return scipy.fft.dctn(np.asarray(blocks, dtype=np.float64), axes=(-2, -1), norm="ortho")


def block_idct(coef: np.ndarray) -> np.ndarray:
    """Inverse of :func:`block_dct`: real-valued pixels (not rounded), (bh, bw, 8, 8) -> (H, W)."""
    bh, bw = coef.shape[:2]
    return idct_8x8(coef).swapaxes(1, 2).reshape(bh * 8, bw * 8) + 128.0


def idct_8x8(coef: np.ndarray) -> np.ndarray:
    """Inverse of :func:`dct_8x8` (no level shift)."""
    return scipy.fft.idctn(np.asarray(coef, dtype=np.float64), axes=(-2, -1), norm="ortho")


def round_half_away(x: np.ndarray) -> np.ndarray:
    """MATLAB's ``round``: halves go away from zero (numpy's rint sends them to the even integer).
    The published reference codes (Fan et al.'s, Neelamani's estimator) round this way, and the
    bins' boundaries depend on it."""
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Round half up and clip to [0, 255], as a JPEG decoder does (not numpy's half-to-even)."""
    return np.clip(np.floor(pixels + 0.5), 0, 255).astype(np.uint8)
