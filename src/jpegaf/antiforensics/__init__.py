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

#: The one table of anti-forensic methods: command-line name -> the class, built with its
#: published defaults. Every tool (erase, the evaluation grid and figures, the adaptive detector's
#: negatives) takes its methods from here and from :data:`GENERATOR_METHODS`.
CLASSICAL_METHODS: dict[str, type] = {"f1": StammDither, "f2": StammDeblocking, "f3": FanVariational}
#: Methods that run a trained generator, so need weights (:func:`generator_method`): "gan", the
#: paper's (:class:`~jpegaf.antiforensics.gan.GanEraser`); "gan+f3", the generator followed by
#: F3's later stages (:class:`~jpegaf.antiforensics.hybrid.GanThenFan`; not in any paper);
#: "gan+f3-light", the same with those stages eased (:data:`~jpegaf.antiforensics.hybrid.LIGHT_STAGES`)
#: and border smoothing; "gan+targeted", the generator followed by stages aimed at the
#: calibration and blocking traces only (:class:`~jpegaf.antiforensics.hybrid.GanTargeted`);
#: "gan+critic", the same with steps against a frozen CNN critic (the shipped ``critic-64-q*``);
#: "gan+lattice", gan+critic after smoothing the coefficient histograms (:mod:`~jpegaf.antiforensics.lattice`).
GENERATOR_METHODS: tuple[str, ...] = ("gan", "gan+f3", "gan+f3-light", "gan+targeted", "gan+critic", "gan+lattice")
METHODS: tuple[str, ...] = (*CLASSICAL_METHODS, *GENERATOR_METHODS)


def classical_method(name: str) -> AntiForensicMethod:
    """The method behind a command-line name, with its published default parameters."""
    try:
        return CLASSICAL_METHODS[name]()
    except KeyError:
        raise ValueError(f"unknown method {name!r}; choose from {', '.join(CLASSICAL_METHODS)}") from None


def generator_method(name: str, eraser) -> AntiForensicMethod:
    """The method behind a generator-based name, around ``eraser`` (a
    :class:`~jpegaf.antiforensics.gan.GanEraser`, which picks the generator for each file)."""
    if name == "gan":
        return eraser
    if name == "gan+f3":
        from .hybrid import GanThenFan

        return GanThenFan(eraser)
    if name == "gan+f3-light":
        from .hybrid import LIGHT_STAGES, GanThenFan

        return GanThenFan(eraser, LIGHT_STAGES, borders=True)
    if name == "gan+targeted":
        from .hybrid import GanTargeted

        return GanTargeted(eraser)
    if name in ("gan+critic", "gan+lattice"):
        from ..detectors.cnn import CnnDetector
        from ..pretrained import shipped_critics
        from .hybrid import GanTargeted

        return GanTargeted(eraser, {q: CnnDetector.load(p) for q, p in shipped_critics().items()},
                           lattice=name == "gan+lattice")
    raise ValueError(f"unknown generator method {name!r}; choose from {', '.join(GENERATOR_METHODS)}")


__all__ = [
    "CLASSICAL_METHODS", "GENERATOR_METHODS", "METHODS", "classical_method", "generator_method",
    "AntiForensicMethod", "FanConfig", "FanVariational", "StammDeblocking", "StammDeblockingConfig", "StammDither",
    "apply_per_component", "coefficients_from_image", "dither_coefficients", "laplacian_lambda",
]
