"""Training: configuration and presets, the step functions, the (distributed) loop, checkpoints."""

from .checkpoint import load_generator
from .config import GanTrainConfig, cpu_preset, paper_preset
from .loop import train_gan

__all__ = ["GanTrainConfig", "cpu_preset", "load_generator", "paper_preset", "train_gan"]
