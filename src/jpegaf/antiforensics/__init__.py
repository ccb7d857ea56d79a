"""Anti-forensic methods, all with one signature: ``method(coefs, seed) -> uint8 pixels``.

- :class:`StammDither` — F1, Stamm et al. 2010;
- :class:`StammDeblocking` — F2, Stamm & Liu 2011 (F1 + median filter + noise, K_F-driven);
- :class:`FanVariational` — F3, Fan, Wang, Cayre & Xiong 2014 (TV deblocking with quantization
  constraint, perceptual histogram smoothing, de-calibration).
"""

import functools

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
#: "gan+lattice", gan+critic after smoothing the coefficient histograms (:mod:`~jpegaf.antiforensics.lattice`);
#: "gan+lattice-light", the same with lighter de-calibration and critic steps
#: (:data:`~jpegaf.antiforensics.hybrid.LIGHT_KL_QUANTILE`, :data:`~jpegaf.antiforensics.hybrid.LIGHT_CRITIC_FRACTION`).
GENERATOR_METHODS: tuple[str, ...] = ("gan", "gan+f3", "gan+f3-light", "gan+targeted", "gan+critic", "gan+lattice",
                                      "gan+lattice-light")
METHODS: tuple[str, ...] = (*CLASSICAL_METHODS, *GENERATOR_METHODS)
#: The generator's self-ensembles (:func:`~jpegaf.antiforensics.gan.ensemble_generate`): 1 (the
#: network once, the paper's method), 4 (the flips) and 8 (every symmetry of the square). Here,
#: not in ``gan``, so that the tools that validate it need not import torch.
ENSEMBLES: tuple[int, ...] = (1, 4, 8)


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

        return GanThenFan(eraser, LIGHT_STAGES, borders=True, sized_kl_limit=True)
    if name == "gan+targeted":
        from .hybrid import GanTargeted

        return GanTargeted(eraser)
    if name in ("gan+critic", "gan+lattice", "gan+lattice-light"):
        from ..detectors.cnn import CnnDetector
        from ..pretrained import shipped_critic_sets
        from .hybrid import CRITIC_SIZES, LIGHT_CRITIC_FRACTION, LIGHT_KL_QUANTILE, GanTargeted

        critics = {q: tuple(CnnDetector.load(p) for p in paths) for q, paths in shipped_critic_sets(CRITIC_SIZES).items()}
        if name == "gan+lattice-light":
            return GanTargeted(eraser, critics, lattice=True, kl_quantile=LIGHT_KL_QUANTILE,
                               critic_fraction=LIGHT_CRITIC_FRACTION)
        return GanTargeted(eraser, critics, lattice=name == "gan+lattice")
    raise ValueError(f"unknown generator method {name!r}; choose from {', '.join(GENERATOR_METHODS)}")


@functools.lru_cache(maxsize=None)  # hashes the critics' weights: once per process, not per cell
def method_parameters(name: str) -> str:
    """A text that changes whenever the method's parameters do: part of every cache key of a
    method's outputs (the evaluation grid's cells, the adaptive detector's negatives). The
    generator's weights are not in it; the callers add their digest."""
    if name in GENERATOR_METHODS:  # what GanEraser does to every generator method's luma
        from .gan import PROJECTION

        return f"{_stage_parameters(name)}; {PROJECTION}"
    return _stage_parameters(name)


def _stage_parameters(name: str) -> str:
    """:func:`method_parameters` without what the generator methods share."""
    if name in CLASSICAL_METHODS:
        m = classical_method(name)
        text = repr(getattr(m, "config", m))
        if name == "f2":  # its K_F target is read from shipped data: a new reference, new outputs
            from .stamm import kf_reference_digest

            text += f" kf_reference={kf_reference_digest()}"
        return text
    if name == "gan+f3":  # F3's stages run after the generator: their parameters count too
        return f"gan+f3 {FanConfig()!r}"
    if name == "gan+f3-light":  # border smoothing joined the stages after the first measurements
        from .borders import BORDER_STAGE
        from .hybrid import LIGHT_STAGES

        return f"gan+f3-light {LIGHT_STAGES!r} {BORDER_STAGE} then de-calibration again; {_kl_limit()}"
    if name == "gan+targeted":
        return _targeted_parameters()
    if name == "gan+critic":
        return _critic_parameters()
    if name == "gan+lattice":
        from .lattice import SMOOTH_STAGE

        return f"gan+lattice {SMOOTH_STAGE} then {_critic_parameters()}"
    if name == "gan+lattice-light":
        from .hybrid import LIGHT_CRITIC_FRACTION, LIGHT_KL_QUANTILE
        from .lattice import SMOOTH_STAGE

        return f"gan+lattice-light {SMOOTH_STAGE} then {_critic_parameters(LIGHT_KL_QUANTILE, LIGHT_CRITIC_FRACTION)}"
    return name


def _targeted_parameters(kl_quantile: float | None = None) -> str:
    """gan+targeted's stages as text, de-calibrating to ``kl_quantile`` (default: KL_QUANTILE)."""
    from .borders import BORDER_STAGE
    from .hybrid import TARGETED_DECAL_STEP

    return f"gan+targeted decal_step={TARGETED_DECAL_STEP} {BORDER_STAGE} then de-calibration again; {_kl_limit(kl_quantile)}"


def _critic_parameters(kl_quantile: float | None = None, fraction: float | None = None) -> str:
    """gan+critic's stages as text (the critics' weights are part of the method), de-calibrating to
    ``kl_quantile`` with the critic steps' target at ``fraction`` x threshold (defaults: gan+critic's)."""
    from ..pretrained import shipped_critic_sets
    from ..weights import file_sha256
    from .critic import CRITIC_STEPS, critic_steps_text
    from .hybrid import CRITIC_SIZES

    critics = " ".join(f"q{q}=" + "+".join(file_sha256(str(p))[:16] for p in paths)
                       for q, paths in sorted(shipped_critic_sets(CRITIC_SIZES).items()))
    steps = CRITIC_STEPS if fraction is None else critic_steps_text(fraction)
    return f"gan+critic {_targeted_parameters(kl_quantile)} {steps} critics {critics}"


def _kl_limit(quantile: float | None = None) -> str:
    """The generator methods' de-calibration limit: its rule (the ``quantile``, default
    KL_QUANTILE) and the reference it reads."""
    from .fan import KL_REFERENCE
    from .hybrid import KL_QUANTILE
    from .references import reference_digest

    quantile = KL_QUANTILE if quantile is None else quantile
    return f"K_L limit: quantile {quantile} of kl_reference={reference_digest(KL_REFERENCE)}, F3's above 256 px"


__all__ = [
    "CLASSICAL_METHODS", "ENSEMBLES", "GENERATOR_METHODS", "METHODS", "classical_method", "generator_method", "method_parameters",
    "AntiForensicMethod", "FanConfig", "FanVariational", "StammDeblocking", "StammDeblockingConfig", "StammDither",
    "apply_per_component", "coefficients_from_image", "dither_coefficients", "laplacian_lambda",
]
