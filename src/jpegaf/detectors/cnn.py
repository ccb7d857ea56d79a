"""The trained CNN JPEG detector (MISLnet with a constrained first layer) as a :class:`Detector`.

A detector is trained for one image size by :func:`jpegaf.train.detector.train_detector`, which
exports ``detector.safetensors`` and its model card ``detector.json`` (network config, quality,
negatives, and the decision threshold calibrated on held-out never-compressed crops).
:meth:`CnnDetector.load` rebuilds it from those two files.

Score: the sigmoid probability that the image is JPEG-compressed (computed in float64 from the
network's float32 logit, so that confident scores do not all tie at 1.0). Input: a uint8 gray
image of exactly ``size`` x ``size``; a larger image is reduced to its central ``size`` x
``size`` crop with the corner rounded down to a multiple of 8
(:func:`jpegaf.data.centre_crop_position`), so that the crop keeps the 8x8 JPEG grid of the image
(a crop off the grid would show the network block boundaries where it never saw them); a smaller
image is refused with a ValueError.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn

from ..data.crops import centre_crop_position, crop
from ..data.pairs import unit_range
from ..errors import InputError, JpegafError
from ..models.detector_cnn import DetectorCNN, DetectorCNNConfig
from .base import Calibration

#: Images per forward pass when scoring many.
SCORE_BATCH = 64


def detector_name(size: int, quality: int | None, negatives: str | None = None) -> str:
    """``"CNN-64-q50"`` for a plain detector trained on QF 50 JPEGs, ``"CNN-64-q50-f1"`` for one
    trained against F1's outputs. The quality is part of the name so that the detectors of one
    size for several qualities never share a score column or a threshold; ``None`` (a card that
    does not say) gives ``"CNN-64"``."""
    return f"CNN-{size}" + (f"-q{quality}" if quality is not None else "") + (f"-{negatives}" if negatives else "")


def _to_input(img: np.ndarray, size: int) -> np.ndarray:
    """A uint8 (H, W) image -> its (size, size) grid-aligned central crop (module doc)."""
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim != 2:
        raise ValueError(f"expected a uint8 gray image (H, W), got {img.dtype} of shape {img.shape}")
    if img.shape == (size, size):
        return img
    top, left = centre_crop_position(img.shape[0], img.shape[1], size)  # ValueError when smaller
    return crop(img, top, left, size)


def predict_proba(model: nn.Module, images: Sequence[np.ndarray], device: torch.device | str = "cpu",
                  batch_size: int = SCORE_BATCH) -> np.ndarray:
    """Probability of JPEG for uint8 (S, S) images already of the network's input size: float64 (N,).

    The model is put in eval mode for the call and given back in the mode it was in.
    """
    was_training = model.training
    model.eval()
    out = []
    try:
        with torch.no_grad():
            for i in range(0, len(images), batch_size):
                x = torch.from_numpy(unit_range(np.stack(images[i:i + batch_size])))[:, None].to(device)
                out.append(torch.sigmoid(model(x).double()).cpu().numpy())
    finally:
        model.train(was_training)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float64)


class CnnDetector:
    """A trained :class:`~jpegaf.models.detector_cnn.DetectorCNN` behind the Detector interface.

    Attributes:
        name: ``"CNN-<size>-q<quality>"`` (``"CNN-<size>-q<quality>-<negatives>"`` for an
            adaptive detector).
        quality: the JPEG quality of the training positives (from the card), or None.
        size: the image side the network was built and trained for.
        threshold: calibrated decision threshold on the score (verdict JPEG iff score > threshold),
            or None when the card has none.
        card: the model card (dict).
    """

    def __init__(self, model: DetectorCNN, *, threshold: float | None = None, card: dict | None = None,
                 device: torch.device | str = "cpu"):
        self.model = model.to(device).eval()
        self.device = torch.device(device)
        self.size = model.config.input_size
        self.card = card or {}
        self.negatives = self.card.get("negatives")
        quality = self.card.get("quality")
        self.quality = None if quality is None else int(quality)
        self.name = detector_name(self.size, self.quality, self.negatives)
        self.threshold = threshold

    @classmethod
    def load(cls, weights_path: str | os.PathLike, device: torch.device | str = "cpu") -> "CnnDetector":
        """Rebuild from ``detector.safetensors`` and the model card beside it (``detector.json``)."""
        from ..weights import load_weights, read_model_card

        weights_path = Path(weights_path)
        card = read_model_card(weights_path)
        try:
            config = DetectorCNNConfig(**card["network"])
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(weights_path.with_suffix(".json"), f"model card has no valid network config ({e})") from None
        model = DetectorCNN(config)
        try:
            model.load_state_dict(load_weights(weights_path))
        except RuntimeError as e:
            raise JpegafError(f"{weights_path}: weights do not match the card's network "
                              f"({str(e).splitlines()[0]})") from None
        threshold = card.get("threshold")
        return cls(model, threshold=None if threshold is None else float(threshold), card=card, device=device)

    @property
    def calibration(self) -> Calibration:
        """The card's threshold as a :class:`Calibration` (ValueError when there is none)."""
        if self.threshold is None:
            raise ValueError(f"{self.name} has no calibrated threshold")
        cal = self.card.get("calibration", {})
        return Calibration(detector=self.name, threshold=self.threshold, fpr=float(cal.get("fpr", 0.05)),
                           n_images=int(cal.get("n_images", 1)), size=self.size,
                           source=str(cal.get("source", "held-out never-compressed crops")))

    def score(self, img: np.ndarray) -> float:
        """Probability (0..1) that ``img`` (uint8 gray, at least size x size) is JPEG-compressed."""
        return float(self.score_batch([img])[0])

    def score_batch(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """Scores of several images at once: float64 (N,), equal to :meth:`score` of each."""
        inputs = [_to_input(img, self.size) for img in images]
        return predict_proba(self.model, inputs, self.device)

    def verdict(self, img: np.ndarray) -> bool:
        """True ("JPEG") iff the score is above the calibrated threshold."""
        if self.threshold is None:
            raise ValueError(f"{self.name} has no calibrated threshold")
        return self.score(img) > self.threshold
