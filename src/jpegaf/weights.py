"""Weight files and their model cards: what running a trained model needs, without training code.

A trained network is shipped and exchanged as two files: ``NAME.safetensors`` (the tensors only;
safetensors cannot carry code, so a file from anywhere is safe to read) and ``NAME.json`` beside it,
the model card (architecture config, training data and schedule, measured figures, versions).
:func:`load_generator` rebuilds a generator from those two files alone; the CNN detector's
equivalent is :meth:`jpegaf.detectors.cnn.CnnDetector.load`. Training writes them with
:func:`export_model`.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from pathlib import Path
from typing import Any, Mapping, Sequence

import torch
from safetensors.torch import load_file, save_file

from . import __version__
from .errors import InputError, JpegafError
from .imageio import atomic_write_bytes
from .jpeg import libjpeg_version


def versions() -> dict[str, str]:
    """Versions every saved artefact records."""
    return {"jpegaf": __version__, "libjpeg": libjpeg_version(), "torch": str(torch.__version__),
            "python": platform.python_version()}


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes (weights are identified by content, not by name)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_model(weights_path: Path, model: torch.nn.Module, card: dict[str, Any]) -> None:
    """Write ``model``'s weights as safetensors and ``card`` beside it as ``<name>.json``."""
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = weights_path.with_name(f".{weights_path.name}.tmp")
    save_file(tensors, str(tmp), metadata={"jpegaf": __version__})
    os.replace(tmp, weights_path)
    card_path = weights_path.with_suffix(".json")
    atomic_write_bytes(card_path, (json.dumps(card, indent=2, sort_keys=True) + "\n").encode())


def generator_digest(weights_path: str | os.PathLike) -> str:
    """What a generator's outputs depend on, for cache keys: the weights' SHA-256, and where its
    card sets a stochastic generator's ``noise_scale`` or ``blend`` (which the weights do not
    hold), those too."""
    digest = file_sha256(weights_path)
    card = read_model_card(weights_path)
    if "noise_scale" in card:
        digest += f"~noise{float(card['noise_scale']):g}"
    if "blend" in card:
        digest += f"~blend{float(card['blend']['weight']):g}:{card['blend']['anchor_sha256'][:16]}"
    return digest


def read_model_card(weights_path: str | os.PathLike) -> dict[str, Any]:
    """The JSON model card beside a safetensors file."""
    weights_path = Path(weights_path)
    if not weights_path.is_file():
        raise InputError(weights_path, "no such file")
    card_path = weights_path.with_suffix(".json")
    try:
        return json.loads(card_path.read_text())
    except FileNotFoundError:
        raise InputError(card_path, "model card missing (expected beside the weights)") from None
    except json.JSONDecodeError as e:
        raise InputError(card_path, f"model card is not valid JSON ({e.msg})") from None


def load_weights(weights_path: str | os.PathLike) -> dict[str, torch.Tensor]:
    """The tensors of a safetensors file; anything else is an :class:`InputError` naming it."""
    try:
        return load_file(str(weights_path))
    except FileNotFoundError:
        raise InputError(weights_path, "no such file") from None
    except Exception as e:
        raise InputError(weights_path, f"not a safetensors file ({e.__class__.__name__})") from None


def load_generator(weights_path: str | os.PathLike):
    """Rebuild a trained generator from its safetensors file and model card; returns
    ``(generator in eval mode, card)``.

    The weights are laid out channels-last, which oneDNN's CPU convolutions run faster
    (results/inference.md), with outputs equal to the default layout's within 1e-6; inputs in
    either layout work.
    """
    from .models import Generator, GeneratorConfig

    weights_path = Path(weights_path)
    card = read_model_card(weights_path)
    try:
        # JSON turns the config's tuples into lists.
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in card["generator"].items()}
        config = GeneratorConfig(**fields)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise InputError(weights_path.with_suffix(".json"), f"model card has no valid generator config ({e})") from None
    generator = Generator(config)
    try:
        generator.load_state_dict(load_weights(weights_path))
    except RuntimeError as e:
        raise JpegafError(f"{weights_path}: weights do not match the card's generator ({str(e).splitlines()[0]})") from None
    return generator.to(memory_format=torch.channels_last).eval(), card


def generators_by_quality(generators: Mapping[int, str] | Sequence[str]) -> dict[int, str]:
    """quality -> generator weights path. A list of paths is mapped through their model cards; a
    generator conditioned on the quantization table is mapped from each quality it was trained
    on. Two generators for one quality are a ValueError."""
    if isinstance(generators, Mapping):
        return {int(q): os.fspath(p) for q, p in generators.items()}
    out: dict[int, str] = {}
    for p in generators:
        card = read_model_card(Path(p))
        for q in (card.get("qualities") or [card["quality"]]):
            q = int(q)
            if q in out:
                raise ValueError(f"two generators for QF {q}: {out[q]} and {p}")
            out[q] = os.fspath(p)
    return out
