"""Training configuration of the paper's GAN: every number of the paper is a field here.

Two presets:

- :func:`paper_preset` — Luo et al. Sec. IV-A exactly: 128x128 crops, 5 per image, batch 16;
  phase 1 (generator only, L1, lr 5e-4) for 2 epochs; phase 2 for 50 epochs with alpha = 1,
  beta = 1e-6, gamma = 1e-2, generator lr 5e-4 and discriminator lr 5e-6 for 30 epochs then both
  divided by 10; Adam(0.9, 0.999, 1e-8); one discriminator step then one generator step.
- :func:`cpu_preset` — a documented reduction for 2 CPU cores and about an hour: 64x64 crops
  (a step of batch 16 costs ~0.5 TFLOP at 64x64, 4x that at 128x128; benchmarks/bench_training.py), 16
  crops per image (the bundled sample set is small), 10 + 16 epochs (about 550 steps on the 21
  training images of the bundled set), the learning-rate drop at about the same fraction of phase 2
  (10/16 against 30/50), validation on 128x128 centre crops, and the generator's global input
  skip (not in the paper: the paper's exact generator is still learning the identity after 15
  minutes of CPU training, reference/measurements.md).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..jpeg import check_quality
from ..models import VGG_PREPROCESSING, DiscriminatorConfig, GeneratorConfig

GENERATOR_LOSSES = ("paper", "non_saturating")
CONTENT_LOSSES = ("l1", "energy", "energy_dct")


@dataclass(frozen=True)
class GanTrainConfig:
    """Everything a GAN training run depends on (saved with every checkpoint and model card)."""

    # The JPEG qualities the generator learns to undo: one, as in the paper (one generator per
    # quality), or several for one generator conditioned on the file's quantization table (NOT in
    # the paper, issue 7): each training crop is then compressed at one of them and the generator
    # gets the table's plane as a second input channel (jpegaf.data.conditioning).
    qualities: tuple[int, ...]
    seed: int = 0
    # --- data (paper Sec. IV-A) ---
    crop_size: int = 128
    crops_per_image: int = 5
    test_fraction: float = 0.2
    augment: bool = True            # dihedral transforms, applied before compression
    val_size: int = 128             # centre-crop size of the held-out images for validation
    val_limit: int | None = None    # validate on at most this many held-out images
    # --- schedule ---
    batch_size: int = 16            # generator batch; the discriminator sees 2x (fakes + originals)
    phase1_epochs: int = 2
    phase1_lr: float = 5e-4
    # Not in the paper: when set, phase 1's rate falls from phase1_lr to this along a half cosine
    # over phase 1's steps (an annealed fine-tune of --init-generator in one run); None: constant.
    phase1_lr_end: float | None = None
    phase2_epochs: int = 50
    g_lr: float = 5e-4
    d_lr: float = 5e-6
    lr_decay_epoch: int = 30        # phase-2 epoch from which both rates are multiplied by lr_decay
    lr_decay: float = 0.1
    adam_betas: tuple[float, float] = (0.9, 0.999)
    adam_eps: float = 1e-8
    # --- objective (eq. 3): L_G = alpha L1 + beta VGG-MSE + gamma adversarial ---
    alpha: float = 1.0
    beta: float = 1e-6
    gamma: float = 1e-2
    generator_loss: str = "paper"   # "paper": log(1 - D(G)) (eq. 6); "non_saturating": -log D(G)
    perceptual: bool = True         # False: beta = 0 and no VGG weights needed (--no-perceptual)
    vgg_weights: str | None = None  # path of the VGG-16 file (default: torch's hub cache)
    # Which VGG-16 and input convention (jpegaf.models.vgg): "caffe" is the paper's reference [12]
    # (0..255 BGR minus the mean pixel; Caffe weights vgg16-00b39a1b.pth), the one beta = 1e-6 was
    # set against; "torchvision" is torchvision's file with its [0, 1] ImageNet normalisation, whose
    # features are far smaller (the same beta weighs the term ~3,000 times less).
    vgg_preprocessing: str = "torchvision"
    # --- models ---
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    discriminator: DiscriminatorConfig = field(default_factory=DiscriminatorConfig)
    # --- machinery ---
    bf16: bool = False              # bfloat16 autocast for forward passes
    checkpoint_every: int = 200     # steps; also at the end of every epoch
    num_workers: int = 0            # DataLoader worker processes per rank
    cache_dir: str | None = None    # on-disk cache of JPEG crops
    preset: str = "custom"
    # --- anti-forensic objective (NOT in the paper; issue 14). All 0: the paper's objective. ---
    # Weights of the differentiable trace surrogates of jpegaf.losses.traces, added to L_G in both
    # phases, each matching a statistic of G(x') to its original's image by image: lattice (block-
    # DCT coefficients modulo the file's steps, first lattice_harmonics harmonics: what the lattice,
    # jpeg_history and Q_FdQ detectors read), blocking (K_F's second differences inside blocks and
    # across their corners), calibration (K_L's grid vs shifted-grid variance ratios).
    lattice_weight: float = 0.0
    blocking_weight: float = 0.0
    calibration_weight: float = 0.0
    lattice_harmonics: int = 3
    # Phase-2 steps, at its start, in which only D learns (G frozen): G's first adversarial
    # gradient then comes from a D that already tells its outputs from the originals.
    d_warmup_steps: int = 0
    # The content term of L_G, weighted by alpha: "l1", the paper's eq. 4; for a stochastic
    # generator (generator.noise_channels > 0, and only then) the energy score of two samples,
    # which it minimises by drawing its output from the originals' distribution instead of
    # averaging it (issue 14: the smooth average is what an adaptive detector reads): "energy"
    # over the JPEG's 8x8 blocks as vectors (jpegaf.losses.energy_score_blocks), "energy_dct" per
    # block-DCT coefficient (energy_score_coefficients), which also sets each subband's spread.
    content_loss: str = "l1"
    # --- beyond the paper ---
    # Start the generator from these exported weights (safetensors + model card) instead of
    # PyTorch's initialisation, e.g. a QF 50 generator to train a QF 25 one in fewer steps. A
    # conditioned generator started from an unconditioned one gets zero weights on its extra input.
    init_generator: str | None = None
    # Start D from this exported JPEG detector (``jpegaf train detector`` of crop_size; its logit
    # negated: jpegaf.models.DetectorDiscriminator) instead of the paper's D from scratch: a D
    # that separates originals from JPEGs at its first step (the ``discriminator`` field is then
    # unused). Not in the paper; None under it.
    init_discriminator: str | None = None

    def __post_init__(self):
        if not isinstance(self.qualities, tuple) or not self.qualities:
            raise ValueError(f"qualities must be a non-empty tuple of JPEG qualities, got {self.qualities!r}")
        for q in self.qualities:
            check_quality(q)
        if len(set(self.qualities)) != len(self.qualities):
            raise ValueError(f"qualities repeat a value: {self.qualities}")
        if self.conditioned != (self.generator.condition_channels == 1):
            raise ValueError("a generator for several qualities is conditioned on the table: it needs "
                             "generator.condition_channels = 1, and only then")
        if self.vgg_preprocessing not in VGG_PREPROCESSING:
            raise ValueError(f"vgg_preprocessing must be one of {VGG_PREPROCESSING}")
        if self.generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {GENERATOR_LOSSES}")
        if self.content_loss not in CONTENT_LOSSES:
            raise ValueError(f"content_loss must be one of {CONTENT_LOSSES}")
        if (self.content_loss != "l1") != (self.generator.noise_channels > 0):
            raise ValueError("a stochastic generator (noise channels) is trained with the energy score, "
                             "and only it: L1 would teach it to ignore its noise")
        if self.crop_size % 8 or self.val_size % 8:
            raise ValueError("crop_size and val_size must be multiples of 8")
        if self.crop_size != self.discriminator.input_size:
            raise ValueError(f"the discriminator's input_size ({self.discriminator.input_size}) must "
                             f"equal crop_size ({self.crop_size})")
        if self.batch_size < 1 or self.phase1_epochs < 0 or self.phase2_epochs < 0:
            raise ValueError("batch_size must be >= 1 and epoch counts >= 0")
        if min(self.phase1_lr, self.g_lr, self.d_lr) <= 0 or min(self.alpha, self.beta, self.gamma) < 0:
            raise ValueError("learning rates must be > 0 and the loss weights alpha, beta, gamma >= 0")
        if self.phase1_lr_end is not None and not 0 < self.phase1_lr_end <= self.phase1_lr:
            raise ValueError(f"phase1_lr_end must be > 0 and at most phase1_lr ({self.phase1_lr:g}), "
                             f"got {self.phase1_lr_end:g}")
        if min(self.lattice_weight, self.blocking_weight, self.calibration_weight, self.d_warmup_steps) < 0:
            raise ValueError("the trace weights and d_warmup_steps must be >= 0")
        if self.lattice_harmonics < 1:
            raise ValueError("lattice_harmonics must be >= 1")

    @property
    def conditioned(self) -> bool:
        """One generator for several qualities, told the file's quantization table (not in the paper)."""
        return len(self.qualities) > 1

    @property
    def nominal_quality(self) -> int:
        """The quality that logs and the early-stopping validation speak of: the only one, or the
        middle one of a conditioned generator's."""
        ordered = sorted(self.qualities)
        return ordered[len(ordered) // 2]

    @property
    def anti_forensic(self) -> bool:
        """Whether any trace surrogate is on (beyond the paper)."""
        return max(self.lattice_weight, self.blocking_weight, self.calibration_weight) > 0

    @property
    def effective_beta(self) -> float:
        """beta as used: 0 when the perceptual term is switched off."""
        return self.beta if self.perceptual else 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GanTrainConfig":
        d = _tuples(d)
        if "quality" in d:  # configs saved before one field held the qualities (checkpoints, cards)
            quality = d.pop("quality")
            d["qualities"] = d.get("qualities") or (quality,)
        d["generator"] = GeneratorConfig(**_tuples(d["generator"]))
        d["discriminator"] = DiscriminatorConfig(**_tuples(d["discriminator"]))
        return cls(**d)


def _tuples(d: dict[str, Any]) -> dict[str, Any]:
    """JSON turns tuples into lists; configs are frozen dataclasses with tuple fields."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def _qualities(quality: int | Sequence[int]) -> tuple[int, ...]:
    return (quality,) if isinstance(quality, int) else tuple(sorted(set(quality)))


def paper_preset(quality: int | Sequence[int], **overrides: Any) -> GanTrainConfig:
    """The paper's schedule (Sec. IV-A), unchanged: in particular no data augmentation, which the
    paper does not use (the dataclass default turns it on for the small CPU data sets), and the
    VGG-16 of its reference [12] with that network's own (Caffe) input convention. Several
    qualities: one table-conditioned generator for all of them (not in the paper)."""
    qualities = _qualities(quality)
    base = GanTrainConfig(qualities=qualities, augment=False, vgg_preprocessing="caffe", preset="paper",
                          generator=GeneratorConfig(condition_channels=int(len(qualities) > 1)))
    return dataclasses.replace(base, **overrides)


def cpu_preset(quality: int | Sequence[int], **overrides: Any) -> GanTrainConfig:
    """A reduction that trains a useful generator on 2 CPU cores in about an hour (module doc).
    Several qualities: one table-conditioned generator for all of them (not in the paper)."""
    qualities = _qualities(quality)
    base = GanTrainConfig(
        qualities=qualities,
        crop_size=64,
        crops_per_image=16,
        val_size=128,
        phase1_epochs=10,
        phase2_epochs=16,
        lr_decay_epoch=10,  # about 30/50 of phase 2, as the paper
        generator=GeneratorConfig(global_skip=True, condition_channels=int(len(qualities) > 1)),
        discriminator=DiscriminatorConfig(input_size=64),
        checkpoint_every=100,
        preset="cpu",
    )
    return dataclasses.replace(base, **overrides)
