"""Scores of never-compressed crops, shipped as data: what a stage that stops "at a
never-compressed level" stops at (F2's K_F target, the K_L limit of the generator methods'
de-calibration).

A reference file holds, per crop side (64, 128 and 256: the training corpus's crops and their
non-overlapping sub-crops), the sorted scores of the corpus's calibration and train parts (never
its test part) and where they come from; ``scripts/calibrate_detectors.py`` writes them beside
the detectors' thresholds. Shipped as data, so a target never depends on the images being
processed, and hashed into the evaluation's cache keys. A score of one statistic shrinks as the
image grows (more blocks, steadier estimates), hence one set of scores per side.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..imageio import atomic_write_bytes

__all__ = ["reference_digest", "reference_quantile", "reference_sides", "save_reference"]


def save_reference(path: str | os.PathLike, what: str, values: dict[int, Sequence[float]],
                   sources: dict[int, str]) -> None:
    """Write a reference: per side, the sorted scores and where they come from (atomically)."""
    doc = {"format": 1, "what": what,
           "sizes": [{"size": int(size), "n_images": len(v), "source": sources[size],
                      "values": sorted(round(float(x), 12) for x in v)} for size, v in sorted(values.items())]}
    atomic_write_bytes(path, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> dict[int, np.ndarray]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("format") != 1:
        raise ValueError(f"{path}: not a reference of never-compressed scores of format 1")
    return {int(e["size"]): np.asarray(e["values"], dtype=np.float64) for e in doc["sizes"]}


def reference_sides(reference: str | os.PathLike) -> tuple[int, ...]:
    """The crop sides a reference holds, ascending."""
    return tuple(sorted(_load(os.fspath(reference))))


def reference_quantile(reference: str | os.PathLike, height: int, width: int, quantile: float) -> float:
    """``quantile`` of the reference's scores of the largest side that fits in ``height`` x
    ``width`` (the smallest side for a smaller image)."""
    values = _load(os.fspath(reference))
    fitting = [s for s in values if s <= min(height, width)]
    size = max(fitting) if fitting else min(values)
    return float(np.quantile(values[size], quantile))


def reference_digest(reference: str | os.PathLike) -> str:
    """sha256 of a reference file: part of a method's parameters in evaluation cache keys."""
    return hashlib.sha256(Path(reference).read_bytes()).hexdigest()
