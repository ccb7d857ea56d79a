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

CLASSICAL_METHODS = ("f1", "f2", "f3")


def classical_method(name: str) -> AntiForensicMethod:
    """The method behind a command-line name, with its published default parameters."""
    if name == "f1":
        return StammDither()
    if name == "f2":
        return StammDeblocking()
    if name == "f3":
        return FanVariational()
    raise ValueError(f"unknown method {name!r}; choose from {', '.join(CLASSICAL_METHODS)}")


__all__ = [
    "CLASSICAL_METHODS", "classical_method",
    "AntiForensicMethod", "FanConfig", "FanVariational", "StammDeblocking", "StammDeblockingConfig", "StammDither",
    "apply_per_component", "coefficients_from_image", "dither_coefficients", "laplacian_lambda",
]
