"""The one epoch / step / checkpoint / resume / log skeleton that the GAN and the CNN detector
trainings share (nanoGPT-style: one loop, each training supplies its own step and evaluation).

A training builds its data, models and optimizers, restores them from its checkpoint when it
resumes, and hands :func:`run_epochs` an :class:`EpochLoop`: how to start an epoch (learning
rates, the dataset's epoch), one step on a batch, and the held-out evaluation at the end of an
epoch. The runner owns what must be the same for both: which batches an epoch runs from where a
killed run stopped (:func:`jpegaf.train.loop.epoch_batches`), the step counter, the per-step CSV
log, the checkpoint every ``checkpoint_every`` steps and at the end of every epoch, stopping at
``max_steps`` with a checkpoint (as a kill would, so that resuming it is tested), the progress bar.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
from torch.utils.data import DataLoader, Dataset

from ..imageio import atomic_write_bytes
from .checkpoint import Position, save_checkpoint


@dataclass
class EpochLoop:
    """What one training gives the runner (module doc).

    Attributes:
        dataset: the items the batches index; ``batches(epoch, first)`` this rank's batches of an
            epoch from batch ``first`` on (a resumed epoch starts where it stopped).
        begin_epoch: set learning rates and the dataset's epoch; returns the progress bar's text
            and the fields logged with every step of the epoch (e.g. the learning rates).
        step: one optimisation step on a loaded batch; returns its statistics (logged).
        end_epoch: the held-out evaluation row of the epoch just finished (main rank only); it
            is appended to ``history``, logged to ``eval_log`` and printed by ``report``.
        models, optimizers: what the checkpoint saves (names are the checkpoint's keys).
        images_per_batch: for the images/s statistic.
        shown: statistics shown in the progress bar.
        log_step: writes one step's row (CSV, tensorboard); None on other ranks.
    """

    dataset: Dataset
    batches: Callable[[int, int], list[list[int]]]
    begin_epoch: Callable[[int], tuple[str, dict[str, Any]]]
    step: Callable[[Any], dict[str, float]]
    end_epoch: Callable[[int], dict[str, float]]
    report: Callable[[dict[str, float]], str]
    total_epochs: int
    steps_per_epoch: int
    images_per_batch: int
    models: dict[str, torch.nn.Module]
    optimizers: dict[str, torch.optim.Optimizer]
    checkpoint_path: Path
    config_json: str
    checkpoint_every: int
    is_main: bool
    num_workers: int = 0
    shown: tuple[str, ...] = ()
    log_step: Callable[[dict[str, Any]], None] | None = None
    log_eval: Callable[[dict[str, Any]], None] | None = None
    position: Position = field(default_factory=Position)
    history: list[dict[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Wall time counts on from the checkpoint's, so a resumed run reports its whole cost.
        self._started = time.perf_counter() - self.position.wall_time

    def elapsed(self) -> float:
        """Seconds of training so far, over every resumed piece of the run."""
        return time.perf_counter() - self._started

    def checkpoint(self) -> None:
        if self.is_main:
            self.position.wall_time = self.elapsed()
            save_checkpoint(self.checkpoint_path, config_json=self.config_json, position=self.position,
                            models=self.models, optimizers=self.optimizers, history=self.history)


def write_run_files(out: Path, config_json: str, data_dir: Path, train_files: list[Path],
                    held_files: list[Path]) -> None:
    """The run folder and what identifies the run in it: ``config.json`` (the resolved config)
    and ``split.json`` (which images trained and which were held out). Main rank only."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "config.json", (config_json + "\n").encode())
    split = {"data": str(data_dir), "train": [str(p) for p in train_files], "held_out": [str(p) for p in held_files]}
    atomic_write_bytes(out / "split.json", (json.dumps(split, indent=1) + "\n").encode())


def run_epochs(loop: EpochLoop, *, max_steps: int | None = None, progress: bool = True) -> bool:
    """Run ``loop`` from its position to the end of its last epoch; True when all epochs are done,
    False when it stopped at ``max_steps`` (after a checkpoint)."""
    from tqdm import tqdm

    position = loop.position
    while position.epoch < loop.total_epochs:
        epoch = position.epoch
        desc, fields = loop.begin_epoch(epoch)
        loader = DataLoader(loop.dataset, batch_sampler=loop.batches(epoch, position.batch),
                            num_workers=loop.num_workers)
        bar = tqdm(loader, total=loop.steps_per_epoch, initial=position.batch,
                   disable=not (progress and loop.is_main), desc=desc, file=sys.stderr, leave=False)
        tick = time.perf_counter()
        for batch in bar:
            stats = loop.step(batch)
            now = time.perf_counter()
            stats["images_per_s"] = loop.images_per_batch / max(now - tick, 1e-9)
            tick = now
            position.batch += 1
            position.global_step += 1
            if loop.is_main:
                bar.set_postfix({k: f"{v:.4g}" for k, v in stats.items() if k in loop.shown})
                if loop.log_step is not None:
                    # a step may report a rate that changes within the epoch (lr_g of an annealed phase 1)
                    loop.log_step({**fields, **stats, "global_step": position.global_step, "epoch": epoch})
            if position.global_step % loop.checkpoint_every == 0:
                loop.checkpoint()
            if max_steps is not None and position.global_step >= max_steps:
                loop.checkpoint()
                return False
        bar.close()
        position.epoch, position.batch = epoch + 1, 0
        if loop.is_main:
            row = loop.end_epoch(epoch)
            loop.history.append(row)
            if loop.log_eval is not None:
                loop.log_eval(row)
            print(loop.report(row), file=sys.stderr)
        loop.checkpoint()
    return True
