"""The paper's loss terms (Luo et al., eqs. 3-7), computed from discriminator logits for
numerical stability: with D = sigmoid(l), log D = -softplus(-l) and log(1 - D) = -softplus(l).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def l1(generated: Tensor, original: Tensor) -> Tensor:
    """Eq. 4: mean absolute pixel difference (images in the network's [-1, 1] range)."""
    return (generated - original).abs().mean()


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
