"""Training: configuration and presets, the step functions, the (distributed) loop, checkpoints."""

from .config import GanTrainConfig, cpu_preset, paper_preset
from .loop import train_gan

__all__ = ["GanTrainConfig", "cpu_preset", "paper_preset", "train_gan"]
