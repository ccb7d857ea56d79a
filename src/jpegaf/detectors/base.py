"""What every forensic detector shares: one scoring signature and a calibrated decision threshold.

A detector is any object with a ``name`` and a ``score(img) -> float`` method, where ``img`` is a
uint8 gray image (H, W) and a higher score means "more likely JPEG-compressed" (or, for
detectors of anti-forensics such as K_V, "more likely to have been through a JPEG codec at some
point").

A score alone decides nothing: the decision threshold is calibrated on never-compressed images
held out from everything else, at a stated false-positive rate (5% by default), and stored with
the detector's name, the image size it was calibrated at, the number of images and where they came
from (:class:`Calibration`). Thresholds therefore follow from data and are never written into code
as results; the calibrations shipped with the package live in ``calibrations.json`` beside this
file (made by ``scripts/calibrate_detectors.py``).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from ..imageio import atomic_write_bytes

#: The calibrations shipped with the package (see ``scripts/calibrate_detectors.py``).
DEFAULT_CALIBRATIONS = Path(__file__).resolve().with_name("calibrations.json")

#: The false-positive rate at which thresholds are chosen unless stated otherwise.

# Version of the JSON layout written by save_calibrations; bumped if fields change meaning.
_FORMAT_VERSION = 1


@runtime_checkable
class Detector(Protocol):
    """The one interface of every detector.

    Attributes:
        name: a short stable label (e.g. ``"K_F"``), used to match a detector with its stored
            :class:`Calibration`.
    """

    name: str

    def score(self, img: np.ndarray) -> float:
        """Score of a uint8 gray image (H, W); higher means more likely JPEG-compressed."""
        ...


@dataclass(frozen=True)
class Calibration:
    """A decision threshold and how it was obtained.

    Attributes:
        detector: the detector's ``name``.
        threshold: verdict "JPEG" iff score > threshold (see :func:`verdict`).
        fpr: the false-positive rate the threshold was chosen for (on the calibration images at
            most this fraction scored above it).
        n_images: number of never-compressed images the threshold was computed from.
        size: side of the square images it was calibrated on (scores of several detectors depend
            on the image size), or None when the calibration set mixed sizes.
        source: where the never-compressed images came from, in words.
    """

    detector: str
    threshold: float
    fpr: float
    n_images: int
    size: int | None
    source: str

    def __post_init__(self):
        if not math.isfinite(self.threshold):
            raise ValueError(f"threshold must be finite, got {self.threshold}")
        if not 0.0 <= self.fpr < 1.0:
            raise ValueError(f"fpr must be in [0, 1), got {self.fpr}")
        if self.n_images < 1:
            raise ValueError(f"n_images must be at least 1, got {self.n_images}")
        if self.size is not None and self.size < 1:
            raise ValueError(f"size must be positive or None, got {self.size}")


def verdict(score: float, calibration: Calibration) -> bool:
    """True ("JPEG-compressed") iff ``score`` is strictly above the calibrated threshold."""
    return bool(score > calibration.threshold)


def save_calibrations(path: str | os.PathLike, calibrations: Sequence[Calibration]) -> None:
    """Write calibrations as JSON, atomically (temporary file in the same folder, then rename).

    Layout: ``{"format": 1, "calibrations": [{"detector": ..., "threshold": ..., ...}, ...]}``.
    """
    records = [asdict(c) for c in calibrations]
    text = json.dumps({"format": _FORMAT_VERSION, "calibrations": records}, indent=2)
    atomic_write_bytes(path, (text + "\n").encode("utf-8"))


def load_calibrations(path: str | os.PathLike = DEFAULT_CALIBRATIONS) -> list[Calibration]:
    """Read calibrations written by :func:`save_calibrations` (the shipped set by default)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != _FORMAT_VERSION:
        raise ValueError(f"{path}: not a calibration file of format {_FORMAT_VERSION}")
    return [Calibration(**record) for record in data["calibrations"]]


def calibration_for(calibrations: Sequence[Calibration], detector: str,
                    size: int | None) -> Calibration:
    """The calibration of ``detector`` at image side ``size`` (exact match).

    Raises ValueError naming the sizes that are available, so that a caller never silently
    applies a threshold calibrated at another size.
    """
    for c in calibrations:
        if c.detector == detector and c.size == size:
            return c
    sizes = sorted({c.size for c in calibrations if c.detector == detector}, key=lambda s: (s is None, s))
    raise ValueError(f"no calibration of {detector!r} at size {size}; available sizes: {sizes}")


def calibration_for_image(calibrations: Sequence[Calibration], detector: str,
                          shape: tuple[int, ...]) -> Calibration | None:
    """The calibration to judge an image of ``shape`` with: the largest calibrated size that fits
    inside the image (min(H, W) >= size), or None when there is none.

    Scores of most detectors shrink as images grow (more blocks, steadier statistics), so a
    threshold calibrated on smaller crops is conservative for a larger image: it errs towards
    "never compressed", never towards a false "JPEG".
    """
    side = min(shape[:2])
    fitting = [c for c in calibrations if c.detector == detector and c.size is not None and c.size <= side]
    return max(fitting, key=lambda c: c.size) if fitting else None
