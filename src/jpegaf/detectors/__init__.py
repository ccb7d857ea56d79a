"""Forensic detectors of JPEG compression, all with ``score(img) -> float`` (higher = more likely
JPEG-compressed) and thresholds calibrated on never-compressed images at a stated false-positive
rate (``calibrations.json``, made by ``scripts/calibrate_detectors.py``).
"""

from typing import Sequence

from .base import (Calibration, Detector, calibration_for, calibration_for_image,
                   load_calibrations, save_calibrations, verdict)
from .blocking import (BlockingDetector, GradientBlockinessDetector, NormalisedBlockingDetector, blocking_kf,
                       blocking_kf_normalised, gradient_blockiness)
from .calibration import CalibrationDetector, calibration_kl
from .lattice import JpegHistoryDetector, LatticeDetector, QuantizationArtefactDetector
from .qtable import QuantizationStepDetector, estimate_qtable
from .tv import DetrendedTvDetector, TvDetector, max_delta_tv, max_delta_tv_detrended


def classical_detectors() -> tuple[Detector, ...]:
    """One instance of every classical detector, in the order tables list them."""
    return (BlockingDetector(), NormalisedBlockingDetector(), GradientBlockinessDetector(1),
            GradientBlockinessDetector(2), CalibrationDetector(), QuantizationStepDetector(),
            QuantizationArtefactDetector(), LatticeDetector(), JpegHistoryDetector(), TvDetector(),
            DetrendedTvDetector())


def select_detectors(available: Sequence[Detector], names: str | Sequence[str]) -> tuple[Detector, ...]:
    """The detectors of ``available`` named in ``names``: "all" is every one, in the order of
    ``available`` (the tables' order); "default" is every one a detector does not leave out itself
    (``by_default = False``: the published K_F, which reads its own histogram noise on
    high-contrast textures and which K_F^n replaces in ``jpegaf detect``, and the published K_V,
    which reads sensor noise as a jump and which K_V^s replaces); otherwise a
    comma-separated text or a sequence of names, in the order asked (a repeated name once). An
    unknown name is a ValueError listing the known."""
    if isinstance(names, str):
        if names == "all":
            return tuple(available)
        if names == "default":
            return tuple(d for d in available if getattr(d, "by_default", True))
        names = [n.strip() for n in names.split(",") if n.strip()]
    known = [d.name for d in available]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown detector(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    by_name = {d.name: d for d in available}
    return tuple(by_name[n] for n in dict.fromkeys(names))


__all__ = [
    "BlockingDetector", "Calibration", "CalibrationDetector", "Detector", "DetrendedTvDetector",
    "GradientBlockinessDetector",
    "JpegHistoryDetector", "LatticeDetector", "NormalisedBlockingDetector", "QuantizationArtefactDetector",
    "QuantizationStepDetector",
    "TvDetector", "blocking_kf", "blocking_kf_normalised", "calibration_for", "calibration_for_image",
    "calibration_kl", "classical_detectors", "select_detectors", "estimate_qtable", "gradient_blockiness", "load_calibrations",
    "max_delta_tv", "max_delta_tv_detrended", "save_calibrations", "verdict",
]
