"""Checkpoints that let a killed run continue exactly, and the exported generator.

A checkpoint is one file written atomically (temporary file, fsync, rename): model and optimizer
states, the position in the schedule, RNG states, the resolved config and the versions of the
package, libjpeg and torch. It is read with ``torch.load(weights_only=True)``, which refuses
anything but tensors and plain containers, so a checkpoint cannot run code when loaded.

Trained models are exported separately as safetensors plus a JSON model card
(:mod:`jpegaf.weights`, which running a model needs without this package).
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import torch

from ..errors import InputError, JpegafError
from ..models import DetectorDiscriminator
from ..weights import load_weights, read_model_card, versions

C = TypeVar("C")  # a training config class

CHECKPOINT = "checkpoint.pt"


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


def state_to_resume(out: Path, resume: bool, config: C, from_dict: Callable[[dict], C]) -> tuple[dict | None, C]:
    """The checkpoint a run in ``out`` continues from (None for a fresh run) and the run's config:
    the checkpoint's own when resuming (``from_dict`` rebuilds it), else ``config``. A folder that
    holds a checkpoint is never trained over from scratch without ``resume`` (that would lose the run)."""
    path = out / CHECKPOINT
    if resume and path.exists():
        state = load_checkpoint(path)
        return state, from_dict(json.loads(state["config"]))
    if path.exists():
        raise InputError(out, "holds a checkpoint already; pass --resume to continue it or use another --out")
    return None, config


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


def discriminator_from_detector(weights_path: str | os.PathLike, crop_size: int) -> tuple[DetectorDiscriminator, dict[str, Any]]:
    """D started from an exported JPEG detector (``jpegaf train detector``): the detector's network
    and weights behind :class:`DetectorDiscriminator`; returns it and the detector's model card.

    The detector must be built for ``crop_size`` (the crops D is shown); a missing or mismatched
    file is a :class:`JpegafError` naming it. On resume the network is rebuilt from the same file
    and the checkpoint's weights replace the detector's.
    """
    from ..detectors.cnn import CnnDetector  # the detectors package imports the models, not train

    weights_path = Path(weights_path)
    if not weights_path.is_file():
        raise JpegafError(f"{weights_path}: no such detector weights file (--init-discriminator)")
    detector = CnnDetector.load(weights_path)
    if detector.size != crop_size:
        raise JpegafError(f"{weights_path}: a {detector.size}-px detector cannot judge the "
                          f"{crop_size}-px training crops (--init-discriminator needs one of crop_size)")
    return DetectorDiscriminator(detector.model.train()), detector.card
