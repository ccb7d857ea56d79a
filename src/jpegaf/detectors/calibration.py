"""Lai & Böhme (2011) calibration feature K_L: JPEG quantization seen by a shifted block grid.

JPEG quantizes every 8x8 block's DCT coefficients, which shrinks the variance of the
high-frequency subbands *on the compression grid*. Re-blocking the image on a grid shifted by
(4, 4) pixels ("calibration") mixes neighbouring blocks and sees roughly the variance of the
uncompressed image. In a never-compressed image the two grids see the same statistics, so

.. math::

    K_L = \\frac{1}{28} \\sum_{k \\in HF_{28}}
          \\frac{|\\mathrm{var}_k(X) - \\mathrm{var}_k(X_{cal})|}{\\mathrm{var}_k(X)}

is small, and large for a JPEG (var_k(X) << var_k(X_cal)). Here:

- HF28 = {(u, v) : u + v >= 8}, the 28 highest-frequency subbands;
- X = im[:-8, :-8] and X_cal = im[4:-4, 4:-4], the image (cropped to whole blocks) and its
  (4, 4)-shifted calibration, both (H - 8) x (W - 8);
- var_k is the population variance (divide by n, MATLAB ``var(., 1)``) over the blocks of the
  coefficient of subband k in the orthonormal block DCT of (pixels - 128).

Follows F14 eq. 3 and Fan's ``cali_feature.m`` (input rounded and clipped to uint8 first);
F13 prints the sum without the absolute value, a typo.

**Zero variance.** A subband whose coefficient is the same in every block of X has
var_k(X) = 0. If var_k(X_cal) is 0 too the two grids agree and the term is 0; otherwise the
relative difference is unbounded and the term (hence K_L) is +inf, the limit of the formula:
such an image is a pure product of the block grid. Neither case occurs in a photograph.
"""

from __future__ import annotations

import numpy as np

from ..jpeg.dct import block_dct

#: Boolean (8, 8) mask of the 28 high-frequency subbands u + v >= 8 (Lai & Böhme's HF28).
HF28 = np.add.outer(np.arange(8), np.arange(8)) >= 8

_SHIFT = 4  # calibration offset in pixels, half a block


def _as_pixels(img: np.ndarray) -> np.ndarray:
    """float64 (H, W) pixels rounded half up and clipped to [0, 255] (``double(uint8(im))``),
    cropped to whole 8x8 blocks."""
    img = np.asarray(img)
    if img.ndim != 2:
        raise ValueError(f"K_L needs a gray (H, W) image, got shape {img.shape}")
    h, w = (img.shape[0] // 8) * 8, (img.shape[1] // 8) * 8
    if h < 16 or w < 16:
        raise ValueError(f"K_L needs at least 16x16 pixels, got {img.shape[1]}x{img.shape[0]}")
    img = img[:h, :w]
    if img.dtype == np.uint8:
        return img.astype(np.float64)
    return np.clip(np.floor(img.astype(np.float64) + 0.5), 0.0, 255.0)


def calibration_pair(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The image on its grid and its calibrated version: X = im[:-8, :-8], X_cal = im[4:-4, 4:-4].

    Shape: (H, W), H and W multiples of 8 and >= 16 -> two (H - 8, W - 8) views.
    """
    return pixels[:-8, :-8], pixels[_SHIFT:-_SHIFT, _SHIFT:-_SHIFT]


def subband_variances(coef: np.ndarray) -> np.ndarray:
    """Population variance over blocks of each subband: (bh, bw, 8, 8) -> (8, 8)."""
    return coef.reshape(-1, 8, 8).var(axis=0)


def kl_from_variances(var_x: np.ndarray, var_cal: np.ndarray) -> float:
    """K_L from the (8, 8) subband variances of X and X_cal (mean over HF28 of the relative
    absolute difference; zero-variance guard as in the module docstring)."""
    vx, vc = var_x[HF28], var_cal[HF28]
    diff = np.abs(vx - vc)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(vx > 0, diff / np.where(vx > 0, vx, 1.0), np.where(diff > 0, np.inf, 0.0))
    return float(terms.mean())


def calibration_kl(img: np.ndarray) -> float:
    """K_L of a gray image (uint8, or real-valued: rounded half up and clipped first).

    Shape: (H, W) with H, W >= 16 (only whole 8x8 blocks count) -> float >= 0 (+inf only in the
    degenerate zero-variance case). Around 0.02-0.05 for never-compressed photographs; JPEGs at
    common qualities are well above 0.1.
    """
    x, x_cal = calibration_pair(_as_pixels(img))
    return kl_from_variances(subband_variances(block_dct(x)),
                             subband_variances(block_dct(x_cal)))


class CalibrationDetector:
    """Lai & Böhme's calibration feature K_L as a detector: higher = more likely JPEG."""

    name = "K_L"

    def score(self, img: np.ndarray) -> float:
        return calibration_kl(img)
