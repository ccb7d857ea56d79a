"""Differentiable surrogates of the JPEG traces the classical detectors read (NOT in the paper;
issue 14), for training a generator that restores the JPEG *and* leaves no such trace.

Each term compares, image by image, a statistic of the generated image G(x') with the same
statistic of its own never-compressed original x (training is paired): the loss asks for an
output whose trace looks like the original's. Batch means are not enough — measured, matching
batch means of these statistics left K_F and Q_FdQ at 60-85 %, because those detectors read the
shape of per-image histograms — so every term matches per-image distributions:

- :func:`lattice_trace` (what the lattice, jpeg_history, Q_FdQ and Q_artefact detectors read):
  the distribution of each block-DCT subband's coefficients d modulo the file's step q, through
  its first ``harmonics`` Fourier coefficients c_k = mean over blocks of exp(2 pi i k d / q).
  A JPEG puts every coefficient on the lattice (|c_k| = 1 for every k); matching c_1..c_K to the
  original's matches the histogram of d mod q up to its K-th frequency.
- :func:`blocking_trace` (K_F): the distributions of Fan & de Queiroz's second differences inside
  a block (Z') and across a block corner (Z''), each matched to the original's by the 1-D
  Wasserstein distance (mean gap between the sorted values). Soft histograms were tried first:
  with kernels narrow enough to resolve grey levels their gradient barely moved a JPEG's K_F.
- :func:`calibration_trace` (K_L): the log ratio of the 28 highest-frequency subbands' variances
  on the 8x8 grid and on the grid shifted by (4, 4), matched to the original's.

Images are in the network's [-1, 1] range, (N, 1, H, W) with H, W multiples of 8; statistics are
computed in grey levels (0..255), not rounded (:func:`grey_levels`).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from ..detectors.calibration import HF28 as CALIBRATION_HF28
from ..jpeg.dct import DCT_MATRIX

_SHIFT = 4  # the calibration offset, half a block (detectors.calibration)


# The project's one DCT (jpeg.dct), as a matrix for torch; tests compare the two transforms.
_DCT = torch.tensor(DCT_MATRIX, dtype=torch.float32)
#: (8, 8) mask of the 28 subbands u + v >= 8, K_L's own (detectors.calibration.HF28).
HF28 = torch.tensor(CALIBRATION_HF28)


def grey_levels(x: Tensor) -> Tensor:
    """[-1, 1] network range -> 0..255 grey levels, not rounded, (N, H, W) float32.

    Not rounded: a straight-through rounding was tried and made the optimisation oscillate (each
    pixel jumps a grey level or none). The detectors round first, so a statistic matched by
    sub-grey-level changes of an integer image can be undone by rounding (measured: Z' of a JPEG
    matched to 0.02 grey levels were all 0 again after rounding); a generator's output is not
    integer, and rounding then adds the same small noise inside blocks and across their borders."""
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(f"expected (N, 1, H, W) gray images, got shape {tuple(x.shape)}")
    return (x[:, 0].float() + 1.0) * 127.5


def block_dct(pixels: Tensor) -> Tensor:
    """Orthonormal 8x8 block DCT of ``pixels - 128`` (as :func:`jpegaf.jpeg.dct.block_dct`):
    (N, H, W) with H, W multiples of 8 -> (N, H/8, W/8, 8, 8), [u, v] = (vertical, horizontal)."""
    n, h, w = pixels.shape
    if h % 8 or w % 8:
        raise ValueError(f"height and width must be multiples of 8, got {h}x{w}")
    blocks = (pixels - 128.0).reshape(n, h // 8, 8, w // 8, 8).transpose(2, 3)
    c = _DCT.to(pixels.device)
    return c @ blocks @ c.T


def lattice_statistics(x: Tensor, table: Tensor, harmonics: int) -> Tensor:
    """c_k per image and subband, as (N, harmonics, 8, 8, 2) (cosine and sine means over blocks).

    ``table``: the file's luma quantization steps, (8, 8) or one per image (N, 8, 8)."""
    coef = block_dct(grey_levels(x))                                   # (N, bh, bw, 8, 8)
    q = table.to(coef).reshape(-1, 1, 1, 8, 8)
    k = torch.arange(1, harmonics + 1, device=coef.device, dtype=coef.dtype).reshape(1, -1, 1, 1, 1, 1)
    phase = 2 * math.pi * k * (coef / q).unsqueeze(1)                 # (N, K, bh, bw, 8, 8)
    return torch.stack([phase.cos().mean(dim=(2, 3)), phase.sin().mean(dim=(2, 3))], dim=-1)


def lattice_trace(generated: Tensor, original: Tensor, table: Tensor, harmonics: int = 3) -> Tensor:
    """Mean squared difference of the lattice statistics of G(x') and x (module doc)."""
    with torch.no_grad():
        target = lattice_statistics(original, table, harmonics)
    return (lattice_statistics(generated, table, harmonics) - target).pow(2).mean()


def _second_differences(pixels: Tensor, offset: int) -> Tensor:
    """A - B - C + D on the 2x2 pixels starting at (offset, offset) of every block but the last
    row and column: K_F's Z' (offset 3) and Z'' (offset 7) with their signs. K_F reads |Z|; the
    signed values are matched instead, whose gradient does not vanish at 0 (a flat JPEG block's
    Z' is exactly 0), and matching the signed distributions matches the absolute ones."""
    n, h, w = pixels.shape
    bh, bw = h // 8 - 1, w // 8 - 1
    p = pixels[:, offset:offset + 8 * bh + 1, offset:offset + 8 * bw + 1]
    a, b = p[:, 0:8 * bh:8, 0:8 * bw:8], p[:, 0:8 * bh:8, 1:8 * bw + 1:8]
    c, d = p[:, 1:8 * bh + 1:8, 0:8 * bw:8], p[:, 1:8 * bh + 1:8, 1:8 * bw + 1:8]
    return (a - b - c + d).reshape(n, -1)


def wasserstein_1d(values: Tensor, target: Tensor) -> Tensor:
    """Per-row 1-D Wasserstein-1 distance of two equal-size samples, (N, M) -> (N,): the mean
    absolute gap between their sorted values (differentiable almost everywhere)."""
    return (values.sort(dim=1).values - target.sort(dim=1).values).abs().mean(dim=1)


def blocking_trace(generated: Tensor, original: Tensor) -> Tensor:
    """Wasserstein distance (grey levels) of the Z' and Z'' distributions of G(x') to the
    original's, per image, summed over the two and averaged over images. Needs at least 16x16
    pixels (one whole block inside the last row and column)."""
    g, o = grey_levels(generated), grey_levels(original)
    if min(g.shape[1:]) < 16:
        raise ValueError("blocking_trace needs images of at least 16x16")
    loss = generated.new_zeros(())
    for offset in (3, 7):  # Z' inside a block, Z'' across a corner
        with torch.no_grad():
            target = _second_differences(o, offset)
        loss = loss + wasserstein_1d(_second_differences(g, offset), target).mean()
    return loss


def calibration_statistics(x: Tensor) -> Tensor:
    """log var(grid) - log var(grid shifted by 4) of the 28 HF subbands, per image: (N, 28)."""
    p = grey_levels(x)
    on_grid = block_dct(p[:, :-8, :-8]).flatten(1, 2).var(dim=1, unbiased=False)
    shifted = block_dct(p[:, _SHIFT:-_SHIFT, _SHIFT:-_SHIFT]).flatten(1, 2).var(dim=1, unbiased=False)
    mask = HF28.to(p.device)
    return (on_grid[:, mask] + 1e-3).log() - (shifted[:, mask] + 1e-3).log()


def calibration_trace(generated: Tensor, original: Tensor) -> Tensor:
    """Mean squared difference of the calibration statistics of G(x') and x (module doc)."""
    with torch.no_grad():
        target = calibration_statistics(original)
    return (calibration_statistics(generated) - target).pow(2).mean()
