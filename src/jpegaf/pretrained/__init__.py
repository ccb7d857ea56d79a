"""Generators and CNN detectors trained by the project and shipped inside the package.

CNN detectors (``detector-{size}-q{QF}.*``, named ``CNN-<size>-q<QF>``): trained on the training
corpus's train part, threshold at 5% false positives on its calibration part, measured on its test
part (under ``test`` in each card); ``scripts/build_detectors.py`` rebuilds them and
``--summary`` prints their table. The generators' files follow.

Each ``*.safetensors`` file here has its model card beside it (``*.json``: data and provenance,
steps, wall time, hardware, held-out Table I / II rows) and ``README.md`` sums them up. They are
what ``jpegaf erase`` uses when no ``--generator`` is given. ``scripts/build_generators.py``
rebuilds every file here (``make generators``).

``critic-64-q{QF}.*`` are the frozen CNN critics of ``gan+critic`` (:func:`shipped_critics`).
``antiforensic-q50.*`` is a generator fine-tuned to leave no JPEG trace and
``antiforensic-d-q{25,50,75}.*`` generators trained against a detector-started discriminator,
``antiforensic-d10-q{25,50,75}.*`` the same recipe after 10 more L1 epochs on the corpus (on a GPU:
``scripts/gpu_generators.py``), ``antiforensic-d10b2-q50.*`` the QF 50 one after a second
adversarial epoch (none in the paper; outside ``shipped_weights``, which are the paper's
restorers), and
``erase_policy.json`` the per-quality choice of ``jpegaf erase``'s default method, the
generators it runs and their self-ensemble; ``ANTIFORENSIC.md`` gives them with their figures.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import JpegafError

#: The folder of the shipped weights.
PRETRAINED_DIR = Path(__file__).resolve().parent


def shipped_weights() -> list[Path]:
    """The shipped generator weights (``generator-*.safetensors``), sorted by name."""
    return sorted(PRETRAINED_DIR.glob("generator-*.safetensors"))


def shipped_detectors() -> list[Path]:
    """The shipped CNN detector weights (``detector-{size}-q{quality}.safetensors``, trained on the
    corpus by ``scripts/build_detectors.py``), sorted by name."""
    return sorted(PRETRAINED_DIR.glob("detector-*.safetensors"))


def shipped_critics(size: int = 64) -> dict[int, Path]:
    """JPEG quality -> the frozen CNN critic of ``gan+critic`` of ``size`` px
    (``critic-{size}-q{QF}.safetensors``: JPEG detectors trained on the corpus's calibration part
    with seed 11 by ``scripts/train_critics.py``, so apart from every shipped detector); a
    one-line error when none of that size is shipped."""
    found = {int(p.stem.rsplit("-q", 1)[1]): p
             for p in sorted(PRETRAINED_DIR.glob(f"critic-{size}-q*.safetensors"))}
    if not found:
        raise JpegafError(f"no {size}-px critic weights are shipped in {PRETRAINED_DIR}; train them with "
                          f"`python scripts/train_critics.py --size {size}`")
    return found


def shipped_critic_sets(sizes: tuple[int, ...]) -> dict[int, tuple[Path, ...]]:
    """JPEG quality -> its shipped critics of each of ``sizes``, in that order, for the qualities
    of the first size; a one-line error when one of them is missing."""
    by_size = [shipped_critics(size) for size in sizes]
    for size, found in zip(sizes[1:], by_size[1:]):
        missing = sorted(set(by_size[0]) - set(found))
        if missing:
            raise JpegafError(f"no {size}-px critic for QF {', '.join(map(str, missing))} in {PRETRAINED_DIR}; "
                              f"train it with `python scripts/train_critics.py --size {size}`")
    return {q: tuple(found[q] for found in by_size) for q in by_size[0]}


def shipped_generators() -> dict[int, Path]:
    """JPEG quality -> shipped generator weights (through their model cards)."""
    from ..weights import generators_by_quality

    weights = shipped_weights()
    if not weights:
        raise JpegafError(f"no generator weights are shipped in {PRETRAINED_DIR}; rebuild them with "
                          "`make generators`, or pass --generator WEIGHTS")
    return {q: Path(p) for q, p in generators_by_quality([str(w) for w in weights]).items()}


def shipped_generator(quality: int) -> Path:
    """The shipped generator for JPEG ``quality`` (a one-line error when none is)."""
    generator = shipped_generators().get(quality)
    if generator is None:
        raise JpegafError(f"no shipped generator for QF {quality}: pass --generator WEIGHTS")
    return generator


__all__ = ["PRETRAINED_DIR", "shipped_critic_sets", "shipped_critics", "shipped_detectors", "shipped_generator", "shipped_generators", "shipped_weights"]
