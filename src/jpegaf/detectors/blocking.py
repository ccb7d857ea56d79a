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


def _gradient_blockiness_term(x: np.ndarray, p: float) -> float:
    """Fan's ``blk_grad``: mean p-th power of the third difference across the 8x8 block borders.

    At every border between pixel n = 8m - 1 and n + 1 = 8m (0-based) the third difference
    |x[n-1] - 3 x[n] + 3 x[n+1] - x[n+2]| is taken along columns (horizontal borders) and rows
    (vertical borders): it is 0 on any quadratic profile, so smooth gradients crossing a border
    cost nothing while a step added at the border (JPEG blocking) shows as 3x its height.
    The sum is divided by W r + H c, the number of terms, with r = floor((H - 2) / 8) horizontal
    and c = floor((W - 2) / 8) vertical borders.

    x: (H, W) float64, H, W >= 10. Returns a float.
    """
    h, w = x.shape
    r, c = (h - 2) // 8, (w - 2) // 8
    rows = 8 * np.arange(1, r + 1) - 1  # last pixel row of each block above a border
    cols = 8 * np.arange(1, c + 1) - 1
    vert = np.abs(x[rows - 1] - 3 * x[rows] + 3 * x[rows + 1] - x[rows + 2]) ** p
    horiz = np.abs(x[:, cols - 1] - 3 * x[:, cols] + 3 * x[:, cols + 1] - x[:, cols + 2]) ** p
    return float((vert.sum() + horiz.sum()) / (w * r + h * c))


def gradient_blockiness(img: np.ndarray, p: float = 1) -> float:
    """Fan et al.'s gradient-aware blockiness K_U^p (ICASSP 2013; ``blk_grad_measure.m``).

    K_U^p = |B(X) - B(X[4:, 4:])|, where B is the mean p-th power of the third difference across
    the 8x8 block borders (see ``_gradient_blockiness_term``) and X is the image rounded and
    clipped to uint8 and cropped to whole blocks. X[4:, 4:] is the calibration image: its
    "borders" fall in the middle of the original blocks, where JPEG leaves no step, so the
    difference removes what the image content alone contributes.

    Shape: (H, W) with H, W >= 16 -> float >= 0. p: 1 or 2 in the paper (any p > 0 works).
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.shape[0] < 16 or img.shape[1] < 16:
        raise ValueError(f"K_U needs a gray image of at least 16x16, got shape {img.shape}")
    if not p > 0:
        raise ValueError(f"p must be positive, got {p}")
    if img.dtype != np.uint8:
        img = np.clip(np.floor(np.asarray(img, dtype=np.float64) + 0.5), 0, 255)
    h, w = img.shape[0] // 8 * 8, img.shape[1] // 8 * 8
    x = np.asarray(img[:h, :w], dtype=np.float64)
    return abs(_gradient_blockiness_term(x, p) - _gradient_blockiness_term(x[4:, 4:], p))


class BlockingDetector:
    """K_F (Fan & de Queiroz's blocking measure, :func:`blocking_kf`) behind the detector interface."""

    name = "K_F"

    def score(self, img: np.ndarray) -> float:
        return blocking_kf(img)


class GradientBlockinessDetector:
    """K_U^p (Fan's gradient-aware blockiness, :func:`gradient_blockiness`) as a detector."""

    def __init__(self, p: float = 1):
        if not p > 0:
            raise ValueError(f"p must be positive, got {p}")
        self.p = p
        self.name = f"K_U^{p:g}"

    def score(self, img: np.ndarray) -> float:
        return gradient_blockiness(img, self.p)
