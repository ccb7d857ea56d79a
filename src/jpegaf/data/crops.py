"""Crop positions and dihedral augmentations of never-compressed images.

The paper (Luo et al., Sec. IV) cuts five non-overlapping 128x128 parts from each 512x512 training
image and the central part (64 to 512 pixels) from each test image. Positions here are aligned to
the 8x8 grid of the source image; crop sizes must be multiples of 8 so that a crop is a whole
number of JPEG blocks (a partial block would be padded by the encoder and its traces would differ
from those of the full-size images the detectors see).

Augmentation (rotations by 90 degrees and a horizontal flip, the 8 symmetries of the square) is an
addition to the paper's protocol. It is applied to the never-compressed crop BEFORE compression:
the JPEG is then made from the augmented original, so every pair is a genuine (image, JPEG of that
image) pair. Transforming a decoded JPEG instead would not be: a quarter turn transposes each 8x8
block, moving the coefficient of frequency (u, v) to (v, u), and the quantization tables are not
symmetric, so the result carries a transposed table that no encoder used; and any transform of an
image whose side is not a multiple of 8 moves the block grid.
"""

from __future__ import annotations

import numpy as np

#: The 8 dihedral transforms as (k_rot, flip) pairs for :func:`augment`; index 0 is the identity.
DIHEDRAL: tuple[tuple[int, bool], ...] = tuple((k, flip) for flip in (False, True) for k in range(4))

BLOCK = 8


def _check_size(size: int) -> None:
    if size < BLOCK or size % BLOCK:
        raise ValueError(f"crop size must be a positive multiple of {BLOCK}, got {size}")


def grid_cells(height: int, width: int, size: int) -> tuple[int, int]:
    """How many non-overlapping ``size`` x ``size`` cells fit: (rows, columns)."""
    _check_size(size)
    return max(height, 0) // size, max(width, 0) // size


def _random_offset(slack: int, rng: np.random.Generator) -> int:
    """A multiple of 8 in [0, slack], uniformly among them."""
    return BLOCK * int(rng.integers(slack // BLOCK + 1))


def train_crop_positions(height: int, width: int, size: int = 128, n: int = 5, *,
                         rng: np.random.Generator) -> list[tuple[int, int]]:
    """Top-left corners of ``n`` non-overlapping, 8-aligned ``size`` x ``size`` training crops.

    Method: the image holds ``rows = height // size`` by ``cols = width // size`` cells. The
    tiling's origin is shifted by a random multiple of 8 within the slack left over on each axis
    (``height - rows * size``, the same for width), which keeps every cell inside the image; then
    ``n`` distinct cells are drawn without replacement. Draws use only ``rng``, so the same
    generator state gives the same positions.

    When fewer than ``n`` cells fit, all of them are returned; an image smaller than ``size`` on
    either side gives an empty list. Callers must take the length of the result as the number of
    crops of that image.

    Returns:
        (top, left) pairs, sorted; every coordinate a multiple of 8.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rows, cols = grid_cells(height, width, size)
    if rows == 0 or cols == 0:
        return []
    top0 = _random_offset(height - rows * size, rng)
    left0 = _random_offset(width - cols * size, rng)
    n_cells = rows * cols
    chosen = rng.choice(n_cells, size=min(n, n_cells), replace=False)
    return sorted((top0 + int(c // cols) * size, left0 + int(c % cols) * size) for c in chosen)


def centre_crop_position(height: int, width: int, size: int) -> tuple[int, int]:
    """Top-left corner of the central ``size`` x ``size`` crop, rounded down to multiples of 8.

    Raises:
        ValueError: when the image is smaller than ``size`` on either side (the caller decides
            whether to skip it; test sets list such images as skipped).
    """
    _check_size(size)
    if height < size or width < size:
        raise ValueError(f"image of {width}x{height} pixels is smaller than the {size}x{size} crop")
    top = (height - size) // 2 // BLOCK * BLOCK
    left = (width - size) // 2 // BLOCK * BLOCK
    return top, left


def crop(img: np.ndarray, top: int, left: int, size: int) -> np.ndarray:
    """The ``size`` x ``size`` part of ``img`` at (top, left), as a new contiguous array.

    Shape: (H, W) or (H, W, C) -> (size, size) or (size, size, C). Raises ValueError when the
    box leaves the image (numpy slicing would silently return a smaller array).
    """
    height, width = img.shape[:2]
    if top < 0 or left < 0 or top + size > height or left + size > width or size < 1:
        raise ValueError(f"crop box (top={top}, left={left}, size={size}) is outside the "
                         f"{width}x{height} image")
    return np.ascontiguousarray(img[top:top + size, left:left + size])


def augment(img: np.ndarray, k_rot: int, flip: bool) -> np.ndarray:
    """Rotate ``img`` by ``k_rot`` quarter turns (counter-clockwise, ``np.rot90``), then mirror it
    left-right when ``flip``. Returns a new contiguous array of the same dtype.

    Apply to never-compressed pixels only, before compression (see the module docstring).
    """
    out = np.rot90(img, k=int(k_rot) % 4)
    if flip:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


#: Ranges of :func:`random_content_variation`: a tone curve ``255 (x / 255) ** gamma`` with gamma
#: log-uniform in GAMMA_RANGE, then white Gaussian noise of a standard deviation uniform in
#: [0, NOISE_SIGMA_MAX] grey levels (sensor noise of a camera at low to moderate ISO).
GAMMA_RANGE = (0.7, 1.4)
NOISE_SIGMA_MAX = 3.0


def vary_content(img: np.ndarray, gamma: float, noise_sigma: float, seed: int) -> np.ndarray:
    """A never-compressed variant of a uint8 (H, W) image: tone curve, then Gaussian noise drawn
    from ``default_rng(seed)``, computed in float64 and rounded once (floor(x + 0.5)), clipped.

    Used before compression only, so that the variant is still a never-compressed image: a JPEG
    detector trained on such variants meets more kinds of "original" (noisier, darker or
    brighter than the corpus's clean downscaled photographs) and cannot use noise or tone as a
    proxy for "never compressed". gamma = 1 and noise_sigma = 0 return the image unchanged.
    """
    if gamma == 1.0 and noise_sigma == 0.0:
        return img
    x = 255.0 * (img.astype(np.float64) / 255.0) ** gamma
    if noise_sigma > 0:
        x = x + np.random.default_rng(seed).normal(0.0, noise_sigma, size=x.shape)
    return np.clip(np.floor(x + 0.5), 0, 255).astype(np.uint8)


def random_content_variation(rng: np.random.Generator) -> tuple[float, float, int]:
    """(gamma, noise_sigma, noise_seed) for :func:`vary_content`, drawn from ``rng`` in the ranges
    above."""
    gamma = float(np.exp(rng.uniform(np.log(GAMMA_RANGE[0]), np.log(GAMMA_RANGE[1]))))
    sigma = float(rng.uniform(0.0, NOISE_SIGMA_MAX))
    return gamma, sigma, int(rng.integers(2 ** 31))


def random_augmentation(rng: np.random.Generator) -> tuple[int, bool]:
    """One of the 8 :data:`DIHEDRAL` transforms, uniformly, drawn from ``rng``."""
    return DIHEDRAL[int(rng.integers(len(DIHEDRAL)))]
