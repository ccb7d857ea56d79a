"""Anti-forensic methods, all with one signature: ``method(coefs, seed) -> uint8 pixels``.

- :class:`StammDither` — F1, Stamm et al. 2010;
- :class:`StammDeblocking` — F2, Stamm & Liu 2011 (F1 + median filter + noise, K_F-driven);
- :class:`FanVariational` — F3, Fan, Wang, Cayre & Xiong 2014 (TV deblocking with quantization
  constraint, perceptual histogram smoothing, de-calibration).
"""

from .fan import FanConfig, FanVariational
from .common import AntiForensicMethod, apply_per_component, coefficients_from_image
from .stamm import (StammDeblocking, StammDeblockingConfig, StammDither, dither_coefficients,
                    laplacian_lambda)

__all__ = [
    "AntiForensicMethod", "FanConfig", "FanVariational", "StammDeblocking", "StammDeblockingConfig", "StammDither",
    "apply_per_component", "coefficients_from_image", "dither_coefficients", "laplacian_lambda",
]
