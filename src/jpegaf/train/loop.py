"""The GAN training loop: one process, or one process per device under ``torchrun``.

Run as ``jpegaf train gan ...`` or ``torchrun --nproc_per_node N -m jpegaf.cli train gan ...``.
Under torchrun (``WORLD_SIZE`` > 1) the models are wrapped in DistributedDataParallel (gloo on
CPU, nccl on GPU); ``batch_size`` is the global batch, split evenly across ranks; rank 0 alone
logs, validates and saves.

Exact resumption: the data order of every epoch is a permutation seeded by (seed, epoch), and an
item's augmentation is seeded by (seed, epoch, index), so after a kill the run restarts at the
saved (epoch, batch) and reproduces the uninterrupted run's batches; models, optimizers and RNG
states come from the checkpoint. On CPU the result is bit-identical (tested).
"""

from __future__ import annotations

import csv
import io
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from ..data import MixedQualityPairs, CentreCropPairs, TrainPairs, dataset_parts, from_unit_range, unit_range
from ..errors import InputError, JpegafError
from ..metrics import psnr, ssim
from ..jpeg import quality_to_table
from ..data.conditioning import qtable_plane, table_from_plane
from ..determinism import derived_seed
from ..models import (Discriminator, Generator, VGGConfig, VGGFeatures, find_vgg_weights, noise_channels_of,
                      noise_planes)
from ..weights import export_model, file_sha256, versions
from .checkpoint import (CHECKPOINT, Position, discriminator_from_detector, hardware, init_generator_from, restore,
                         state_to_resume)
from .config import GanTrainConfig
from .runner import EpochLoop, run_epochs, write_run_files
from .steps import GanNets, LossWeights, Noise, gan_step, generator_only_step



# --- distributed set-up ----------------------------------------------------------------------

@dataclass(frozen=True)
class Rank:
    rank: int
    world: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed(device: str = "auto") -> Rank:
    """Read torchrun's environment; start the process group when there is more than one rank."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available() if device == "auto" else device == "cuda"
    if device == "cuda" and not torch.cuda.is_available():
        raise JpegafError("--device cuda was asked for, but no CUDA device is available")
    dev = torch.device(f"cuda:{local}") if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(dev)
    if world > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return Rank(rank=rank, world=world, device=dev)


def epoch_batches(n_items: int, batch_size: int, seed: int, epoch: int, rank: int, world: int,
                  start: int = 0) -> Iterator[list[int]]:
    """This rank's share of each batch of an epoch, from batch ``start`` on.

    The epoch's order is ``default_rng([seed, epoch]).permutation(n_items)``, cut into whole global
    batches (the last partial one is dropped so every rank takes the same number of steps); rank r
    takes the r-th slice of each global batch.
    """
    if batch_size % world:
        raise ValueError(f"batch_size {batch_size} is not divisible by {world} ranks")
    order = np.random.default_rng([seed, epoch]).permutation(n_items)
    n_batches = n_items // batch_size
    per_rank = batch_size // world
    for b in range(start, n_batches):
        batch = order[b * batch_size:(b + 1) * batch_size]
        yield batch[rank * per_rank:(rank + 1) * per_rank].tolist()


# --- data ------------------------------------------------------------------------------------

def prepare_data(config: GanTrainConfig, data_dir: Path) -> tuple[list[Path], list[Path]]:
    """(train, held-out) images of ``data_dir`` of at least the crop size: a corpus's train and
    calibration parts, or a plain folder (sub-folders included) split by :func:`split_files`."""
    parts = dataset_parts(data_dir, min_size=config.crop_size, test_fraction=config.test_fraction,
                          seed=config.seed)
    n = len(parts.train) + len(parts.held_out)
    if n < 2:
        raise InputError(data_dir, f"only {n} usable images of at least "
                                   f"{config.crop_size} px (see `jpegaf data check`)")
    if not parts.train or not parts.held_out:
        raise InputError(data_dir, "too few images to hold some out for validation")
    return list(parts.train), list(parts.held_out)


def generator_input(jpeg_img: np.ndarray, table: np.ndarray | None, noise_channels: int = 0,
                    seed: int = 0) -> torch.Tensor:
    """(1, C, H, W) generator input of a decoded uint8 JPEG: the image in [-1, 1], followed by
    the quantization table's plane when the generator is conditioned (``table`` not None), then a
    stochastic generator's ``noise_channels`` noise planes drawn from ``seed``."""
    x = unit_range(jpeg_img)
    planes = [x] if table is None else [x, qtable_plane(table, *jpeg_img.shape)]
    inp = torch.from_numpy(np.stack(planes))[None]
    if noise_channels:
        inp = torch.cat([inp, noise_planes(1, noise_channels, *jpeg_img.shape, seed)], dim=1)
    return inp


def validate(generator: nn.Module, pairs: CentreCropPairs, device: torch.device, limit: int | None,
             conditioned: bool = False) -> dict[str, float]:
    """Mean PSNR/SSIM of the JPEG and of the generator's output against the originals (a
    stochastic generator's: one sample per image, image i's noise drawn from seed i)."""
    noise_channels = noise_channels_of(generator)
    generator.eval()
    rows = []
    n = len(pairs) if limit is None else min(limit, len(pairs))
    table = quality_to_table(pairs.quality) if conditioned else None
    with torch.no_grad():
        for i in range(n):
            original, jpeg_img = pairs.pair_uint8(i)
            x = generator_input(jpeg_img, table, noise_channels, seed=i).to(device)
            out = generator(x).clamp(-1, 1)[0, 0].cpu().numpy()
            generated = from_unit_range(out)
            rows.append((psnr(original, jpeg_img), psnr(original, generated),
                         ssim(original, jpeg_img), ssim(original, generated)))
    generator.train()
    r = np.array(rows, dtype=np.float64)
    finite = np.isfinite(r[:, 0]) & np.isfinite(r[:, 1])
    return {"val_psnr_jpeg": float(r[finite, 0].mean()), "val_psnr_out": float(r[finite, 1].mean()),
            "val_psnr_gain": float((r[finite, 1] - r[finite, 0]).mean()),
            "val_ssim_jpeg": float(r[:, 2].mean()), "val_ssim_out": float(r[:, 3].mean()),
            "val_images": int(n), "val_infinite": int((~finite).sum())}


def validate_all(generator: nn.Module, vals: dict[int, CentreCropPairs], device: torch.device, limit: int | None,
                 conditioned: bool) -> dict[str, float]:
    """:func:`validate` at each trained quality. One quality: its figures. Several: the means over
    the qualities, and each quality's PSNR gain and SSIM as ``..._q<quality>``."""
    per = {q: validate(generator, pairs, device, limit, conditioned) for q, pairs in vals.items()}
    if len(per) == 1:
        return next(iter(per.values()))
    keys = ("val_psnr_jpeg", "val_psnr_out", "val_psnr_gain", "val_ssim_jpeg", "val_ssim_out")
    row: dict[str, float] = {k: float(np.mean([r[k] for r in per.values()])) for k in keys}
    row["val_images"] = int(sum(r["val_images"] for r in per.values()))
    row["val_infinite"] = int(sum(r["val_infinite"] for r in per.values()))
    for q, r in per.items():
        row[f"val_psnr_gain_q{q}"] = r["val_psnr_gain"]
        row[f"val_ssim_jpeg_q{q}"] = r["val_ssim_jpeg"]
        row[f"val_ssim_out_q{q}"] = r["val_ssim_out"]
    return row


# --- logging ---------------------------------------------------------------------------------

class CsvLog:
    """Append rows to a CSV file (header written once); rank 0 only."""

    def __init__(self, path: Path, fields: list[str]):
        self.path, self.fields = path, fields
        if not path.exists():
            path.write_text(",".join(fields) + "\n")

    def write(self, row: dict[str, float]) -> None:
        buf = io.StringIO()
        csv.DictWriter(buf, fieldnames=self.fields, extrasaction="ignore", lineterminator="\n").writerow(row)
        with open(self.path, "a") as f:
            f.write(buf.getvalue())


def _tensorboard(out_dir: Path):
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # tensorboard is optional
        return None
    return SummaryWriter(str(out_dir / "tensorboard"))


STEP_FIELDS = ["global_step", "epoch", "phase", "lr_g", "lr_d", "loss_g", "l1", "perceptual",
               "adversarial", "loss_d", "d_real", "d_fake", "images_per_s"]
VAL_FIELDS = ["epoch", "phase", "global_step", "val_psnr_jpeg", "val_psnr_out", "val_psnr_gain",
              "val_ssim_jpeg", "val_ssim_out", "val_images", "wall_time"]


# --- the loop --------------------------------------------------------------------------------

def _learning_rates(config: GanTrainConfig, epoch: int) -> tuple[float, float, int]:
    """(generator lr, discriminator lr, phase) for a global epoch index."""
    if epoch < config.phase1_epochs:
        return config.phase1_lr, 0.0, 1
    e2 = epoch - config.phase1_epochs
    decay = config.lr_decay if e2 >= config.lr_decay_epoch else 1.0
    return config.g_lr * decay, config.d_lr * decay, 2


def phase1_rate(config: GanTrainConfig, step: int, phase1_steps: int) -> float:
    """The generator's rate at phase-1 step ``step`` (0-based, of ``phase1_steps``): phase1_lr, or
    with ``phase1_lr_end`` a half cosine from phase1_lr at the first step to phase1_lr_end after
    the last (a function of the step alone, so a resumed run continues the same curve)."""
    if config.phase1_lr_end is None or phase1_steps <= 0:
        return config.phase1_lr
    t = min(max(step, 0), phase1_steps) / phase1_steps
    return config.phase1_lr_end + 0.5 * (config.phase1_lr - config.phase1_lr_end) * (1.0 + math.cos(math.pi * t))


def _load_vgg(config: GanTrainConfig) -> nn.Module | None:
    if not config.perceptual or config.beta == 0:
        return None
    return VGGFeatures.from_weights(find_vgg_weights(config.vgg_weights, config.vgg_preprocessing),
                                    VGGConfig(preprocessing=config.vgg_preprocessing))


@dataclass
class TrainResult:
    """What a call of :func:`train_gan` leaves: the (unwrapped) models of this rank, where the run
    stands, and the last held-out validation figures (None before the first epoch ends)."""

    generator: nn.Module
    discriminator: nn.Module
    position: Position
    validation: dict[str, float] | None


def train_gan(config: GanTrainConfig, data_dir: str | os.PathLike, out_dir: str | os.PathLike, *,
              resume: bool = False, max_steps: int | None = None, device: str = "auto",
              progress: bool = True) -> TrainResult:
    """Train (or continue training) the paper's GAN.

    ``max_steps`` stops the run after that many steps in total (a checkpoint is written first), as
    a kill would; ``resume=True`` continues from ``out_dir/checkpoint.pt``, whose saved config then
    wins over ``config``.
    """
    out = Path(out_dir)
    ckpt_path = out / CHECKPOINT
    state, config = state_to_resume(out, resume, config, GanTrainConfig.from_dict)
    rk = init_distributed(device)
    torch.manual_seed(config.seed)
    data_dir = Path(data_dir)
    train_files, val_files = prepare_data(config, data_dir)
    vgg = _load_vgg(config)  # before any output: missing weights must stop the run at once
    if rk.is_main:
        write_run_files(out, config.to_json(), data_dir, train_files, val_files)
        perceptual = (f"on (beta = {config.beta:g})" if vgg is not None
                      else "off (--no-perceptual: beta = 0, recorded in config.json and the model card)")
        print(f"training the GAN at quality {'/'.join(map(str, config.qualities))} ({config.preset} preset) on {len(train_files)} "
              f"images, {len(val_files)} held out, {rk.world} process(es) on {rk.device}; perceptual term "
              f"{perceptual}", file=sys.stderr)

    if config.conditioned:
        train = MixedQualityPairs(train_files, config.qualities, crop_size=config.crop_size,
                                  crops_per_image=config.crops_per_image, seed=config.seed,
                                  augment=config.augment, cache_dir=config.cache_dir)
    else:
        train = TrainPairs(train_files, config.qualities[0], crop_size=config.crop_size,
                           crops_per_image=config.crops_per_image, seed=config.seed,
                           augment=config.augment, cache_dir=config.cache_dir)
    if len(train) < config.batch_size:
        raise InputError(data_dir, f"{len(train)} training crops, fewer than one batch of {config.batch_size}")
    vals = ({q: CentreCropPairs(val_files, q, config.val_size, cache_dir=config.cache_dir)
             for q in config.qualities} if rk.is_main else None)
    if vals is not None and len(vals[config.nominal_quality]) == 0:
        raise InputError(data_dir, f"no held-out image is at least {config.val_size} px for validation")

    generator = Generator(config.generator).to(rk.device)
    d_init_card = None
    if config.init_discriminator is not None:
        # Also on resume: the network is rebuilt from the file (the checkpoint's weights win).
        discriminator, d_init_card = discriminator_from_detector(config.init_discriminator, config.crop_size)
    else:
        discriminator = Discriminator(config.discriminator)
    discriminator = discriminator.to(rk.device)
    if vgg is not None:
        vgg = vgg.to(rk.device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=config.phase1_lr, betas=config.adam_betas, eps=config.adam_eps)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=config.d_lr, betas=config.adam_betas, eps=config.adam_eps)
    models = {"generator": generator, "discriminator": discriminator}
    optimizers = {"opt_g": opt_g, "opt_d": opt_d}
    position, history = Position(), []
    init_card = None
    if config.init_generator is not None:
        # Also on resume: the card's provenance is read again (the checkpoint's weights win).
        init_card = init_generator_from(generator, config.init_generator)
    if state is not None:
        position, history = restore(state, models, optimizers)
    nets = GanNets(generator, discriminator, opt_g, opt_d, vgg)
    if rk.world > 1:
        ids = [rk.device.index] if rk.device.type == "cuda" else None
        nets.generator_ddp = DistributedDataParallel(generator, device_ids=ids)
        nets.discriminator_ddp = DistributedDataParallel(discriminator, device_ids=ids)
    weights = LossWeights(config.alpha, config.effective_beta, config.gamma,
                          non_saturating=config.generator_loss == "non_saturating",
                          lattice=config.lattice_weight, blocking=config.blocking_weight,
                          calibration=config.calibration_weight, harmonics=config.lattice_harmonics)
    # The file's luma steps for the lattice surrogate: the one quality's table, or each crop's own,
    # read back from its conditioning plane.
    fixed_table = None if config.conditioned else torch.tensor(quality_to_table(config.qualities[0]),
                                                                dtype=torch.float32, device=rk.device)

    trace_fields = [k for k, v in (("energy", config.content_loss != "l1"), ("lattice", config.lattice_weight),
                                   ("blocking", config.blocking_weight), ("calibration", config.calibration_weight)) if v > 0]
    step_log = CsvLog(out / "log.csv", STEP_FIELDS + trace_fields) if rk.is_main else None
    per_quality_fields = [f"{k}_q{q}" for q in (config.qualities if config.conditioned else ())
                          for k in ("val_psnr_gain", "val_ssim_jpeg", "val_ssim_out")]
    val_log = CsvLog(out / "validation.csv", VAL_FIELDS + per_quality_fields) if rk.is_main else None
    board = _tensorboard(out) if rk.is_main else None
    total_epochs = config.phase1_epochs + config.phase2_epochs
    phase_of = {}

    def begin_epoch(epoch: int) -> tuple[str, dict]:
        lr_g, lr_d, phase = _learning_rates(config, epoch)
        for g in opt_g.param_groups:
            g["lr"] = lr_g
        for g in opt_d.param_groups:
            g["lr"] = lr_d
        train.set_epoch(epoch)
        phase_of[epoch] = phase
        return f"phase {phase} epoch {epoch + 1}/{total_epochs}", {"phase": phase, "lr_g": lr_g, "lr_d": lr_d}

    phase1_steps = config.phase1_epochs * (len(train) // config.batch_size)

    def step(batch) -> dict[str, float]:
        original, jpeg_batch = (t.to(rk.device) for t in batch)
        # A stochastic generator's noise, by (seed, step, rank): what an uninterrupted run draws.
        noise = (Noise(config.generator.noise_channels, derived_seed(config.seed, loop.position.global_step, rk.rank),
                       per_coefficient=config.content_loss == "energy_dct")
                 if config.generator.noise_channels else None)
        table = fixed_table if fixed_table is not None else table_from_plane(jpeg_batch[:, 1])
        if phase_of[loop.position.epoch] == 1:
            rate = {}
            if config.phase1_lr_end is not None:
                rate["lr_g"] = phase1_rate(config, loop.position.global_step, phase1_steps)
                for g in opt_g.param_groups:
                    g["lr"] = rate["lr_g"]
            return {**generator_only_step(nets.generator_ddp, nets.opt_g, jpeg_batch, original, config.bf16,
                                          weights, table, noise), **rate}
        warming_up = loop.position.global_step - phase1_steps < config.d_warmup_steps
        return gan_step(nets, jpeg_batch, original, weights, config.bf16, table, train_generator=not warming_up,
                        noise=noise)

    def log_step(row: dict) -> None:
        step_log.write(row)
        if board is not None:
            for k, v in row.items():
                if k not in ("global_step", "epoch", "phase", "lr_g", "lr_d"):
                    board.add_scalar(f"train/{k}", v, row["global_step"])

    def end_epoch(epoch: int) -> dict[str, float]:
        return {"epoch": epoch, "phase": phase_of[epoch], "global_step": loop.position.global_step,
                **validate_all(generator, vals, rk.device, config.val_limit, config.conditioned),
                "wall_time": loop.elapsed()}

    def report(row: dict) -> str:
        return (f"epoch {row['epoch'] + 1}/{total_epochs} (phase {row['phase']}): held-out PSNR "
                f"{row['val_psnr_jpeg']:.2f} dB (JPEG) -> {row['val_psnr_out']:.2f} dB "
                f"({row['val_psnr_gain']:+.2f} dB), SSIM {row['val_ssim_jpeg']:.4f} -> "
                f"{row['val_ssim_out']:.4f}")

    loop = EpochLoop(
        dataset=train,
        batches=lambda epoch, first: list(epoch_batches(len(train), config.batch_size, config.seed, epoch,
                                                        rk.rank, rk.world, first)),
        begin_epoch=begin_epoch, step=step, end_epoch=end_epoch, report=report,
        total_epochs=total_epochs, steps_per_epoch=len(train) // config.batch_size,
        images_per_batch=config.batch_size, models=models, optimizers=optimizers, checkpoint_path=ckpt_path,
        config_json=config.to_json(), checkpoint_every=config.checkpoint_every, is_main=rk.is_main,
        num_workers=config.num_workers, shown=("loss_g", "loss_d", "images_per_s"),
        log_step=log_step if rk.is_main else None, log_eval=val_log.write if rk.is_main else None,
        position=position, history=history)
    finished = run_epochs(loop, max_steps=max_steps, progress=progress)
    last_val = history[-1] if history else None
    if not finished:
        return TrainResult(generator, discriminator, position, last_val)

    if rk.is_main:
        card = model_card(config, data_dir, train_files, val_files, position, history, init_card, d_init_card)
        export_model(out / "generator.safetensors", generator, card)
    if rk.world > 1:
        dist.barrier()
    return TrainResult(generator, discriminator, position, last_val)


def model_card(config: GanTrainConfig, data_dir: Path, train_files: list[Path], val_files: list[Path],
               position: Position, history: list[dict[str, float]], init_card: dict | None = None,
               d_init_card: dict | None = None) -> dict:
    """What a user needs to rebuild and judge the exported generator.

    ``quality`` is the one quality of a paper-style generator; a table-conditioned one has
    ``qualities`` (all it was trained on) and ``conditioning`` = "qtable_plane".
    """
    init = None
    if config.init_generator is not None:
        init = {"weights": config.init_generator, "sha256": file_sha256(Path(config.init_generator)),
                "steps": (init_card or {}).get("steps"), "wall_time_s": (init_card or {}).get("wall_time_s"),
                "quality": (init_card or {}).get("quality")}
    d_init = None
    if config.init_discriminator is not None:
        d_init = {"weights": config.init_discriminator, "sha256": file_sha256(Path(config.init_discriminator)),
                  "name": (d_init_card or {}).get("name"), "quality": (d_init_card or {}).get("quality"),
                  "steps": (d_init_card or {}).get("steps")}
    return {
        "model": "jpegaf generator (Luo et al. 2018)",
        "generator": config.to_dict()["generator"],
        "quality": None if config.conditioned else config.qualities[0],
        "qualities": list(config.qualities),
        "conditioning": "qtable_plane" if config.conditioned else None,
        "initialised_from": init,
        "discriminator_initialised_from": d_init,
        "preset": config.preset,
        "perceptual": config.perceptual,
        "beta_used": config.effective_beta,
        "train_config": config.to_dict(),
        "data": {"folder": str(data_dir), "train_images": len(train_files), "held_out_images": len(val_files),
                 "train_crops": len(train_files) * config.crops_per_image},
        "steps": position.global_step,
        "wall_time_s": round(position.wall_time, 1),
        "hardware": hardware(),
        "validation": history[-1] if history else None,
        "validation_curve": history,
        "versions": versions(),
    }
