"""``auto``, the default of ``jpegaf erase``: per JPEG quality, the anti-forensic method that was
measured best — among the methods that stay above the JPEG's quality (PSNR and SSIM gain >= 0),
the one whose outputs detectors flag least in excess of the same images' originals (a detector's
rate on the outputs minus its rate on the originals, worst over detectors and sizes; the rule in
``scripts/measure_front.py``, ``POLICY_RULE``, says why the excess).

The choice is data, not code: ``pretrained/erase_policy.json``, written by
``scripts/measure_front.py --policy`` from the front it measures on the corpus's calibration part
(a validation set: the held-out test part is kept for reporting), with the rule, the command, the
figures behind each choice and the generator files it names (relative to the policy file). A file is erased with the entry of the quality nearest its own estimated luma
quality (ties to the higher); :attr:`PolicyEraser.last_note` says which was used. An entry may
name the generator's self-ensemble (``"ensemble"``: 4 or 8 symmetries averaged,
:func:`~jpegaf.antiforensics.gan.ensemble_generate`; 1, the network once, where it does not).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import JpegafError
from ..jpeg import JpegCoefficients, estimate_quality
from . import ENSEMBLES, GENERATOR_METHODS, AntiForensicMethod, classical_method, generator_method
from .common import check_tables

POLICY_FILE = "erase_policy.json"


def load_policy(path: str | Path) -> dict[int, tuple[str, tuple[Path, ...]]]:
    """quality -> (method name, generator files) of a policy file; a missing or unreadable file,
    an unknown method or a missing generator is a one-line :class:`JpegafError`."""
    return {q: (method, generators) for q, (method, generators, _) in load_policy_entries(path).items()}


def load_policy_entries(path: str | Path) -> dict[int, tuple[str, tuple[Path, ...], int]]:
    """:func:`load_policy` with each entry's generator self-ensemble (``"ensemble"``, 1 where the
    file does not say: policies written before it existed ran the network once)."""
    path = Path(path)
    try:
        entries = json.loads(path.read_text())["qualities"]
        policy = {int(q): (e["method"], tuple(path.parent / g for g in e["generators"]), int(e.get("ensemble", 1)))
                  for q, e in entries.items()}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise JpegafError(f"{path}: not a readable erase policy ({e})") from None
    for q, (method, generators, ensemble) in policy.items():
        if ensemble not in ENSEMBLES:
            raise JpegafError(f"{path}: ensemble {ensemble} for QF {q} is not one of {ENSEMBLES}")
        if method not in (*GENERATOR_METHODS, "f1", "f2", "f3"):
            raise JpegafError(f"{path}: unknown method {method!r} for QF {q}")
        if method in GENERATOR_METHODS and not generators:
            raise JpegafError(f"{path}: {method} for QF {q} names no generator")
        for g in generators:
            if not g.exists():
                raise JpegafError(f"{g}: generator named by {path} is missing")
    if not policy:
        raise JpegafError(f"{path}: the policy has no quality")
    return policy


class PolicyEraser:
    """The ``auto`` method: ``PolicyEraser(policy)(coefs, seed) -> uint8 pixels`` (module doc).
    ``ensembles``: quality -> the generator's self-ensemble of that entry (1 where missing);
    ``progress``: given to each entry's generator (:class:`~jpegaf.antiforensics.gan.GanEraser`).
    Methods are built once, when first needed."""

    def __init__(self, policy: dict[int, tuple[str, tuple[Path, ...]]], device: str = "cpu",
                 ensembles: dict[int, int] | None = None, progress: Callable[[int, int], None] | None = None):
        self.policy = policy
        self.device = device
        self.ensembles = dict(ensembles or {})
        self.progress = progress
        self.last_note: str | None = None
        self._methods: dict[int, AntiForensicMethod] = {}

    @classmethod
    def from_file(cls, path: str | Path, device: str = "cpu", ensemble: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> "PolicyEraser":
        """The eraser of a policy file as ``jpegaf erase`` runs it: each entry's method, generators
        and self-ensemble (:func:`load_policy_entries`). ``ensemble`` (``jpegaf erase --ensemble``)
        replaces every entry's self-ensemble: 1 runs each generator once, at an eighth of an
        8-member entry's generator cost and at the figures measured without the ensemble."""
        if ensemble is not None and ensemble not in ENSEMBLES:
            raise JpegafError(f"ensemble must be one of {ENSEMBLES}, got {ensemble!r}")
        entries = load_policy_entries(path)
        return cls({q: (m, g) for q, (m, g, _) in entries.items()}, device=device,
                   ensembles={q: e if ensemble is None else ensemble for q, (_, _, e) in entries.items()},
                   progress=progress)

    def entry_for(self, quality: int) -> int:
        """The policy's quality nearest ``quality`` (ties to the higher): the entry a file of that
        estimated quality is erased with."""
        return min(self.policy, key=lambda q: (abs(q - quality), -q))

    def method_for(self, quality: int) -> tuple[int, AntiForensicMethod]:
        """The policy's quality nearest ``quality`` and its method."""
        chosen = self.entry_for(quality)
        if chosen not in self._methods:
            name, generators = self.policy[chosen]
            if name in GENERATOR_METHODS:
                from ..weights import generators_by_quality
                from .gan import GanEraser

                eraser = GanEraser(generators_by_quality([str(g) for g in generators]), device=self.device,
                                   ensemble=self.ensembles.get(chosen, 1), progress=self.progress)
                self._methods[chosen] = generator_method(name, eraser)
            else:
                self._methods[chosen] = classical_method(name)
        return chosen, self._methods[chosen]

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        check_tables(coefs)
        quality = estimate_quality(coefs.qt[0]).quality
        chosen, method = self.method_for(quality)
        out = method(coefs, seed)
        inner = getattr(method, "last_note", None)
        name = self.policy[chosen][0]
        self.last_note = None if chosen == quality and not inner else (
            f"quality {quality}: {name}, the measured choice for QF {chosen}" + (f" ({inner})" if inner else ""))
        return out
