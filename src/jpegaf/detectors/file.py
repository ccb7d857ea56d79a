"""What `jpegaf detect` reports about one image file: every detector's score, threshold and
verdict, and the quantization estimated from the file's own tables and from its pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .. import jpeg
from ..errors import JpegafError
from ..imageio import looks_like_jpeg, read_image, to_luma
from .base import calibration_for_image, verdict
from .qtable import estimate_qtable
from .tv import max_delta_tv


def detectors_for_files(names: str, extra_cnn: Sequence[str | Path] = ()) -> tuple[tuple, frozenset]:
    """What `jpegaf detect` runs: the classical detectors and the shipped CNNs named by ``names``
    ("all": every one, in the tables' order; "default": those but the published K_F and K_V, see
    :func:`~jpegaf.detectors.select_detectors`), then the CNNs of ``extra_cnn`` (weight files).
    Also returns the names of the shipped CNNs, which :func:`detect_file` runs only on images
    they fit."""
    from ..pretrained import shipped_detectors
    from . import classical_detectors, select_detectors
    from .cnn import CnnDetector

    available = classical_detectors() + tuple(CnnDetector.load(w) for w in shipped_detectors())
    try:
        selected = select_detectors(available, names)
    except ValueError as e:
        raise JpegafError(str(e)) from None
    fit_only = frozenset(d.name for d in selected if isinstance(d, CnnDetector))
    return selected + tuple(CnnDetector.load(w) for w in extra_cnn), fit_only


def _own_calibration(detector):
    """The calibration a detector carries itself (a trained CNN's, from its model card), if any."""
    try:
        return detector.calibration
    except (AttributeError, ValueError):
        return None


def detect_file(path: Path, detectors, calibrations, max_pixels: int, fit_only: frozenset = frozenset()) -> dict:
    """Every detector's score, threshold and verdict on one image file, plus the estimated
    quantization (from the file's own tables when it is a JPEG, and from its pixels).

    ``fit_only``: names of CNN detectors left out of an image smaller than their size (the
    shipped ones); any other CNN is reported with no score on such an image."""
    img = to_luma(read_image(path, allow_jpeg=True, max_pixels=max_pixels))
    with open(path, "rb") as f:
        is_jpeg = looks_like_jpeg(f.read(3))
    file_quality = None
    if is_jpeg:
        header = jpeg.read_header(path, max_pixels=max_pixels)
        est = jpeg.estimate_quality(header.component_table(0))
        file_quality = {"quality": est.quality, "exact": est.exact}
    rows = []
    for det in detectors:
        if det.name in fit_only and min(img.shape) < det.size:
            continue  # a shipped CNN runs only on images it fits (a --cnn one is always reported)
        # A trained CNN carries its own calibration (in its model card) and needs images at
        # least as large as the size it was trained for.
        cal = _own_calibration(det) or calibration_for_image(calibrations, det.name, img.shape)
        try:
            score = float(det.score(img))
        except ValueError:
            score, cal = None, None
        rows.append({"detector": det.name, "score": score,
                     "threshold": None if cal is None else cal.threshold,
                     "fpr": None if cal is None else cal.fpr,
                     "calibration_size": None if cal is None else cal.size,
                     "verdict": None if cal is None or score is None else
                     ("JPEG" if verdict(score, cal) else "never compressed")})
    table = estimate_qtable(img)
    return {"file": str(path), "width": img.shape[1], "height": img.shape[0], "jpeg_file": is_jpeg,
            "file_quality": file_quality, "detectors": rows,
            "estimated_steps": table.tolist(), "tv_estimated_quality": int(max_delta_tv(img).quality),
            "libjpeg": jpeg.libjpeg_version()}


def format_detection(r: dict) -> str:
    """The human-readable form of :func:`detect_file`'s dict."""
    what = "JPEG file" if r["jpeg_file"] else "lossless file"
    if r["file_quality"]:
        q = r["file_quality"]
        what += f", its table: quality {q['quality']} ({'exact IJG' if q['exact'] else 'nearest IJG'})"
    lines = [f"{r['file']}  ({r['width']}x{r['height']}, {what})",
             f"  {'detector':<14}{'score':>12}{'threshold':>12}  {'calibrated on':<16}verdict"]
    for d in r["detectors"]:
        thr = "-" if d["threshold"] is None else f"{d['threshold']:.4g}"
        score = "too small" if d["score"] is None else f"{d['score']:.4g}"
        cal = "-" if d["calibration_size"] is None else f"{d['calibration_size']}px, {d['fpr']:.0%} FPR"
        lines.append(f"  {d['detector']:<14}{score:>12}{thr:>12}  {cal:<16}{d['verdict'] or 'n/a'}")
    steps = np.array(r["estimated_steps"])
    lines.append(f"  estimated steps (Fan-de Queiroz, 0 = undetermined), first row: {' '.join(map(str, steps[0]))}")
    lines.append(f"  quality estimated by K_V (meaningful on dithered images): {r['tv_estimated_quality']}")
    return "\n".join(lines)
