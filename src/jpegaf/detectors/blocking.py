"""Fan & de Queiroz (2003) blocking measure K_F: the JPEG block grid seen in pixel differences.

Inside a block, the second difference across the four central pixels
``Z' = |A - B - C + D|`` (pixels (3,3), (3,4), (4,3), (4,4) of the block, 0-based) sees no block
boundary; the same difference across a block corner ``Z'' = |E - F - G + H|`` (pixels (7,7),
(7,8), (8,7), (8,8), spanning four blocks) sees the boundary. In a never-compressed image the two
have the same distribution; JPEG's independent block quantization makes Z'' larger. K_F is the L1
distance of their normalised histograms, in [0, 2]. Follows Fan et al.'s ``blk_measure.m``: the
input is rounded and clipped to uint8, the last block row and column are skipped (their corner
difference would leave the image).
"""

from __future__ import annotations

import numpy as np

_MAX_DIFF = 4 * 255  # |A - B - C + D| of uint8 values is at most 510; bincount length with slack


def blocking_kf(img: np.ndarray) -> float:
    """K_F of a gray image (uint8 or real-valued, rounded and clipped first).

    Shape: (H, W) with H, W >= 16 -> float in [0, 2]; only whole 8x8 blocks count.
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.shape[0] < 16 or img.shape[1] < 16:
        raise ValueError(f"K_F needs a gray image of at least 16x16, got shape {img.shape}")
    if img.dtype != np.uint8:
        img = np.clip(np.floor(np.asarray(img, dtype=np.float64) + 0.5), 0, 255)
    x = img.astype(np.int32)
    bh, bw = x.shape[0] // 8 - 1, x.shape[1] // 8 - 1  # skip the last block row and column
    r = 8 * np.arange(bh)[:, None]
    c = 8 * np.arange(bw)[None, :]
    inner = np.abs(x[r + 3, c + 3] - x[r + 3, c + 4] - x[r + 4, c + 3] + x[r + 4, c + 4])
    corner = np.abs(x[r + 7, c + 7] - x[r + 7, c + 8] - x[r + 8, c + 7] + x[r + 8, c + 8])
    h_inner = np.bincount(inner.ravel(), minlength=_MAX_DIFF) / inner.size
    h_corner = np.bincount(corner.ravel(), minlength=_MAX_DIFF) / corner.size
    return float(np.abs(h_inner - h_corner).sum())
