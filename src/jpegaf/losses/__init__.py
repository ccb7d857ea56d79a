"""Loss terms as plain functions; their weights are applied where the objective is written
(:mod:`jpegaf.train.steps`), never hidden inside the terms."""

from .terms import (discriminator_bce, energy_score_blocks, energy_score_coefficients,
                    generator_adversarial_non_saturating,
                    generator_adversarial_paper, l1, perceptual_mse)

__all__ = ["discriminator_bce", "energy_score_blocks", "energy_score_coefficients", "generator_adversarial_non_saturating", "generator_adversarial_paper",
           "l1", "perceptual_mse"]
