"""Blockwise 8x8 DCT in NumPy, for methods that work on real-valued coefficients.

The JPEG forward DCT is the orthonormal 2-D DCT-II of (pixel - 128) on each 8x8 block;
``scipy.fft.dctn(..., norm='ortho')`` computes exactly that. Anti-forensic methods produce
non-integer coefficients (dither, projections), which libjpeg cannot store, so they need a
floating-point transform; the codec module stays the only place that reads or writes files.
"""

from __future__ import annotations

import numpy as np
import scipy.fft


def to_blocks(img: np.ndarray) -> np.ndarray:
    """View an (H, W) array (H, W multiples of 8) as (H/8, W/8, 8, 8) blocks (a copy)."""
    h, w = img.shape
    if h % 8 or w % 8:
        raise ValueError(f"height and width must be multiples of 8, got {h}x{w}")
    return img.reshape(h // 8, 8, w // 8, 8).swapaxes(1, 2).copy()


def from_blocks(blocks: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_blocks`: (bh, bw, 8, 8) -> (8 bh, 8 bw)."""
    bh, bw = blocks.shape[:2]
    return blocks.swapaxes(1, 2).reshape(bh * 8, bw * 8)


def block_dct(img: np.ndarray) -> np.ndarray:
    """Orthonormal 8x8 block DCT of ``img - 128`` in float64.

    Shape: (H, W) with H, W multiples of 8 -> (H/8, W/8, 8, 8); ``out[i, j, u, v]`` has vertical
    frequency u and horizontal frequency v, the layout of :class:`JpegCoefficients`.
    """
    blocks = to_blocks(np.asarray(img, dtype=np.float64) - 128.0)
    return scipy.fft.dctn(blocks, axes=(2, 3), norm="ortho")


def block_idct(coef: np.ndarray) -> np.ndarray:
    """Inverse of :func:`block_dct`: real-valued pixels (not rounded), (bh, bw, 8, 8) -> (H, W)."""
    blocks = scipy.fft.idctn(np.asarray(coef, dtype=np.float64), axes=(2, 3), norm="ortho")
    return from_blocks(blocks) + 128.0


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Round half up and clip to [0, 255], as a JPEG decoder does (not numpy's half-to-even)."""
    return np.clip(np.floor(pixels + 0.5), 0, 255).astype(np.uint8)
