"""Conditioning a generator on the file's luma quantization table (not in the paper).

The paper trains one generator per JPEG quality. The alternative measured here (issue 7) is one
generator for several qualities that is told which table the file used. The table enters as one
extra input plane laid over the image: pixel (y, x) carries the step of DCT coefficient
(y mod 8, x mod 8), as ``log2(step) / 8`` (steps 1..255 -> 0..1). Why this form:

- it costs one input channel of the first convolution (576 of ~1.26 M parameters), whatever the
  image size, and works unchanged with overlapping tiles (the plane is cut with the image);
- it carries all 64 steps, so any table (not only IJG ones) can be given;
- it is periodic on the 8x8 grid, so the network also sees where the block boundaries lie
  (the grid starts at the image's top-left corner, as in a decoded JPEG).
"""

from __future__ import annotations

import numpy as np


def qtable_plane(table: np.ndarray, height: int, width: int) -> np.ndarray:
    """The (height, width) float32 conditioning plane of an (8, 8) luma quantization table."""
    table = np.asarray(table)
    if table.shape != (8, 8):
        raise ValueError(f"expected an (8, 8) quantization table, got shape {table.shape}")
    if table.min() < 1:
        raise ValueError("quantization steps must be at least 1")
    if height < 0 or width < 0:
        raise ValueError(f"negative size {height}x{width}")
    block = (np.log2(np.minimum(table.astype(np.float64), 255.0)) / 8.0).astype(np.float32)
    reps = (-(-height // 8), -(-width // 8))
    return np.ascontiguousarray(np.tile(block, reps)[:height, :width])


def table_from_plane(plane: np.ndarray) -> np.ndarray:
    """The (8, 8) table back from a conditioning plane (its top-left block), steps 1..255; the
    inverse of :func:`qtable_plane` (steps above 255 come back as 255). Works on NumPy arrays and
    torch tensors alike, with any leading batch dimensions: (..., H, W) -> (..., 8, 8)."""
    return (2.0 ** (8.0 * plane[..., :8, :8])).round()


__all__ = ["qtable_plane", "table_from_plane"]
