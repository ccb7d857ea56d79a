"""The paper's loss terms (Luo et al., eqs. 3-7), computed from discriminator logits for
numerical stability: with D = sigmoid(l), log D = -softplus(-l) and log(1 - D) = -softplus(l).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from .traces import block_dct


def l1(generated: Tensor, original: Tensor) -> Tensor:
    """Eq. 4: mean absolute pixel difference (images in the network's [-1, 1] range)."""
    return (generated - original).abs().mean()


def energy_score_blocks(sample1: Tensor, sample2: Tensor, original: Tensor, block: int = 8,
                        eps: float = 1e-8) -> Tensor:
    """The energy score of two samples of a stochastic generator against the original, over the
    8x8 blocks of the JPEG grid (NOT in the paper; issue 14): the mean over blocks of

        ( ||s1 - x|| + ||s2 - x|| ) / 2  -  ||s1 - s2|| / 2,      ||.||: Euclidean over a block,

    divided by ``block`` (so a deterministic generator's score is each block's RMS error).

    A strictly proper scoring rule (Gneiting & Raftery 2007) for each block's joint distribution:
    it is minimised in expectation only when the generator's samples are distributed as the
    originals given the JPEG. L1 is minimised by the conditional median, a smooth estimate
    without the original's fine noise, which is what an adaptive detector reads
    (``results/antiforensic/adaptive-gan+lattice-light-d10x8-256-q25-40ep``); the second term
    rewards spread between samples, the first pays for spread that is not the original's. The
    blocks are the JPEG's (the images start on its grid), whose DCT is orthonormal: the norm is
    also that of the block's DCT coefficients, where the quantization bins live.

    Shapes (N, C, H, W) with H and W multiples of ``block``; ``eps`` keeps the gradient of a norm
    finite where two samples agree (at the start, where the noise weights are zero).
    """
    if not (sample1.shape == sample2.shape == original.shape) or sample1.ndim != 4:
        raise ValueError(f"expected three (N, C, H, W) tensors of one shape, got {tuple(sample1.shape)}, "
                         f"{tuple(sample2.shape)}, {tuple(original.shape)}")
    h, w = sample1.shape[-2:]
    if h % block or w % block:
        raise ValueError(f"H and W must be multiples of {block}, got {h}x{w}")

    def norms(d: Tensor) -> Tensor:
        blocks = F.unfold(d.flatten(0, 1)[:, None], block, stride=block)   # (N*C, block^2, n_blocks)
        return torch.sqrt((blocks * blocks).sum(1) + eps)

    score = 0.5 * (norms(sample1 - original) + norms(sample2 - original)) - 0.5 * norms(sample1 - sample2)
    return score.mean() / block


def energy_score_coefficients(sample1: Tensor, sample2: Tensor, original: Tensor) -> Tensor:
    """The energy score of two samples, coefficient by coefficient of the JPEG's 8x8 block DCT
    (NOT in the paper; issue 14): the mean over every coefficient c of

        ( |s1_c - x_c| + |s2_c - x_c| ) / 2  -  |s1_c - s2_c| / 2

    (the CRPS of each coefficient; a deterministic generator's score is the block DCT's mean
    absolute error). Proper for each coefficient's marginal given the JPEG, so it sets the spread
    of every subband, and where in its quantization bin each coefficient falls, to the originals'.
    :func:`energy_score_blocks` scores a block's 64 values through one norm, which with many
    coefficients spread at once sees mostly the spread's total (the norm of independent residual and
    noise is about the root of their summed variances, whatever subbands hold them): trained with
    it, a generator put its noise in the highest subbands (5 times
    the originals' variance at (7, 7), a tenth of it at low frequencies;
    ``results/antiforensic/stochastic-q25.md``), noise K_V^s flags. Shapes (N, 1, H, W) in the
    network's [-1, 1] units, H and W multiples of 8.
    """
    if not (sample1.shape == sample2.shape == original.shape) or sample1.ndim != 4 or sample1.shape[1] != 1:
        raise ValueError(f"expected three (N, 1, H, W) tensors of one shape, got {tuple(sample1.shape)}, "
                         f"{tuple(sample2.shape)}, {tuple(original.shape)}")

    def coefficients(d: Tensor) -> Tensor:  # block_dct subtracts 128 (grey levels): give it back
        return block_dct(d[:, 0] + 128.0)

    a, b = coefficients(sample1 - original), coefficients(sample2 - original)
    return (0.5 * (a.abs() + b.abs()) - 0.5 * (a - b).abs()).mean()


def perceptual_mse(features_generated: Tensor, features_original: Tensor) -> Tensor:
    """Eq. 5: mean squared difference of VGG-16 conv5_2 feature maps over all N elements."""
    return F.mse_loss(features_generated, features_original)


def generator_adversarial_paper(logits_fake: Tensor) -> Tensor:
    """Eq. 6, minimised by the generator: mean of log(1 - D(G(x'))) = -softplus(l).

    This is the original minimax ("saturating") form the paper writes; its gradient vanishes when
    D confidently rejects the fakes, which is why the non-saturating form exists as an option.
    """
    return -F.softplus(logits_fake).mean()


def generator_adversarial_non_saturating(logits_fake: Tensor) -> Tensor:
    """Goodfellow's non-saturating alternative: mean of -log D(G(x')) = softplus(-l)."""
    return F.softplus(-logits_fake).mean()


def discriminator_bce(logits_real: Tensor, logits_fake: Tensor) -> Tensor:
    """Eq. 7: E[-log D(x)] + E[-log(1 - D(G(x')))], each expectation over its own half-batch."""
    return F.softplus(-logits_real).mean() + F.softplus(logits_fake).mean()
