"""Checkpoints that let a killed run continue exactly, and the exported generator.

A checkpoint is one file written atomically (temporary file, fsync, rename): model and optimizer
states, the position in the schedule, RNG states, the resolved config and the versions of the
package, libjpeg and torch. It is read with ``torch.load(weights_only=True)``, which refuses
anything but tensors and plain containers, so a checkpoint cannot run code when loaded.

The trained generator is exported separately as safetensors plus a JSON model card.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from .. import __version__
from ..errors import InputError, JpegafError
from ..imageio import atomic_write_bytes
from ..jpeg import libjpeg_version

CHECKPOINT = "checkpoint.pt"


def versions() -> dict[str, str]:
    """Versions every saved artefact records."""
    return {"jpegaf": __version__, "libjpeg": libjpeg_version(), "torch": str(torch.__version__),
            "python": platform.python_version()}


def hardware() -> str:
    """A short description of where a run happened."""
    if torch.cuda.is_available():
        return f"{torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda})"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {torch.get_num_threads()} torch threads"


@dataclass
class Position:
    """Where a run is in its schedule: the next step to run is batch ``batch`` of ``epoch``
    (counted over both phases; phase 1 holds the first ``phase1_epochs`` epochs)."""

    epoch: int = 0
    batch: int = 0
    global_step: int = 0
    wall_time: float = 0.0


def save_checkpoint(path: Path, *, config_json: str, position: Position, models: dict[str, torch.nn.Module],
                    optimizers: dict[str, torch.optim.Optimizer], history: list[dict[str, float]]) -> None:
    state: dict[str, Any] = {
        "config": config_json,
        "position": {"epoch": position.epoch, "batch": position.batch,
                     "global_step": position.global_step, "wall_time": position.wall_time},
        "models": {k: m.state_dict() for k, m in models.items()},
        "optimizers": {k: o.state_dict() for k, o in optimizers.items()},
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "history": json.dumps(history),
        "versions": versions(),
    }
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict[str, Any]:
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise InputError(path, "no checkpoint to resume from") from None
    except Exception as e:  # a truncated or foreign file: never a traceback for bad input
        raise InputError(path, f"not a readable jpegaf checkpoint ({e.__class__.__name__})") from None


def state_to_resume(out: Path, resume: bool) -> dict[str, Any] | None:
    """The checkpoint a run in ``out`` continues from: None for a fresh run. A folder that holds a
    checkpoint is never trained over from scratch without ``resume`` (that would lose the run)."""
    path = out / CHECKPOINT
    if resume and path.exists():
        return load_checkpoint(path)
    if path.exists():
        raise InputError(out, "holds a checkpoint already; pass --resume to continue it or use another --out")
    return None


def restore(state: dict[str, Any], models: dict[str, torch.nn.Module],
            optimizers: dict[str, torch.optim.Optimizer]) -> tuple[Position, list[dict[str, float]]]:
    for k, m in models.items():
        m.load_state_dict(state["models"][k])
    for k, o in optimizers.items():
        o.load_state_dict(state["optimizers"][k])
    torch.set_rng_state(state["torch_rng"])
    if state["cuda_rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return Position(**state["position"]), json.loads(state["history"])


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


def read_model_card(weights_path: Path) -> dict[str, Any]:
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


def load_weights(weights_path: Path) -> dict[str, torch.Tensor]:
    try:
        return load_file(str(weights_path))
    except FileNotFoundError:
        raise InputError(weights_path, "no such file") from None
    except Exception as e:
        raise InputError(weights_path, f"not a safetensors file ({e.__class__.__name__})") from None


def init_generator_from(generator: torch.nn.Module, weights_path: str | os.PathLike) -> dict[str, Any]:
    """Load exported weights into ``generator`` to start training from them; returns the source's
    model card.

    The architectures must agree except for the conditioning input: when ``generator`` takes more
    input channels than the source (a table-conditioned generator started from a one-quality one),
    the first convolution's extra input channels start at zero, so the started generator computes
    exactly what the source did until training changes them.
    """
    weights_path = Path(weights_path)
    card = read_model_card(weights_path)
    state = load_weights(weights_path)
    own = generator.state_dict()
    for name, tensor in list(state.items()):
        target = own.get(name)
        if (target is not None and tensor.ndim == 4 and target.ndim == 4 and tensor.shape[0] == target.shape[0]
                and tensor.shape[2:] == target.shape[2:] and tensor.shape[1] < target.shape[1]):
            grown = torch.zeros_like(target)
            grown[:, :tensor.shape[1]] = tensor
            state[name] = grown
    try:
        generator.load_state_dict(state)
    except RuntimeError as e:
        raise JpegafError(f"{weights_path}: cannot start this generator from these weights "
                          f"({str(e).splitlines()[0]})") from None
    return card


def load_generator(weights_path: str | os.PathLike):
    """Rebuild a trained generator from its safetensors file and model card; returns
    ``(generator in eval mode, card)``.

    The weights are laid out channels-last: on CPU that makes fp32 inference about 1.4x faster
    (65% of the measured matmul rate against 46%, benchmarks/bench_generator.py) with outputs
    equal to the default layout's within 1e-6; inputs in either layout work.
    """
    from ..models import Generator
    from .config import generator_config_from_dict

    weights_path = Path(weights_path)
    card = read_model_card(weights_path)
    try:
        config = generator_config_from_dict(card["generator"])
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(weights_path.with_suffix(".json"), f"model card has no valid generator config ({e})") from None
    generator = Generator(config)
    try:
        generator.load_state_dict(load_weights(weights_path))
    except RuntimeError as e:
        raise JpegafError(f"{weights_path}: weights do not match the card's generator ({str(e).splitlines()[0]})") from None
    return generator.to(memory_format=torch.channels_last).eval(), card
