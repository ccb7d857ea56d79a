"""Training a MISLnet-style CNN JPEG detector (Bayar & Stamm constrained first layer).

One binary model per image size (64, 128, 256 or 512): never-compressed crops (label 0) against
the JPEG of the same crops (label 1) or, for an *adaptive* detector (``negatives`` = "f1", "f2",
"f3" or "gan"), against the output of that anti-forensic method applied to the JPEG crops.

Data. Training crops come from :class:`jpegaf.data.TrainPairs` (8x8-grid-aligned crops of the
training split, optional dihedral augmentation before compression). Batches are *paired*: a batch
of ``batch_size`` images holds ``batch_size / 2`` crops, each with both its versions, so every batch
is exactly balanced and the two classes differ only by the processing, not by content. Item ``2i``
of :class:`DetectorPairs` is the original of crop ``i`` (label 0), item ``2i + 1`` its
JPEG/processed version (label 1).

Adaptive negatives. The processed version of a crop is made from the DCT coefficients of its JPEG
(``read_coefficients(compress(original, quality))``, the very JPEG whose decoding TrainPairs
returns) by ``method(coefs, seed)`` with ``seed`` derived from (config seed, crop index); the
GAN ("gan") runs a trained generator on the decoded JPEG. Results are cached in memory (per
process) and, with ``cache_dir``, on disk; with DataLoader workers set ``cache_dir``, since each
worker's memory is lost at the end of an epoch. With ``augment``, up to 8 variants of each crop
get processed; F2/F3 are slow, so adaptive runs may prefer ``augment=False``.

Held-out evaluation (rank 0, after every epoch): the held-out split's central crops at ``size``
(:class:`jpegaf.data.CentreCropPairs`, the paper's protocol; ``eval_crops_per_image`` > 1 takes that many
non-overlapping grid-aligned crops of each held-out image instead, for small data sets). Reported:
AUC of originals vs JPEG (and vs processed for adaptive detectors), and detection rates at the
threshold calibrated on the same held-out never-compressed crops at ``fpr`` (as
:func:`jpegaf.metrics.tpr_at_fpr`). At the end that threshold is exported with the weights.

Machinery shared with :func:`jpegaf.train.train_gan`: deterministic epoch order
(:func:`epoch_batches`), atomic resumable checkpoints, CSV logs, DDP under torchrun (rank 0 alone
logs, evaluates and saves). On CPU a killed-and-resumed run ends with the same weights as an
uninterrupted one (tested).
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import Dataset

from .. import jpeg
from ..antiforensics import ENSEMBLES, GENERATOR_METHODS, METHODS, classical_method, generator_method, method_parameters
from ..data import JpegCropCache, CentreCropPairs, TrainPairs, to_unit_range
from ..detectors.cnn import CnnDetector, detector_name, predict_proba
from ..determinism import derived_seed, stable_hash
from ..errors import InputError, JpegafError
from ..metrics.forensic import calibrate_threshold, roc_auc
from ..models.detector_cnn import DetectorCNN, DetectorCNNConfig
from ..weights import export_model, file_sha256, load_weights, read_model_card, versions
from .checkpoint import CHECKPOINT, Position, hardware, restore, state_to_resume
from .loop import CsvLog, init_distributed, epoch_batches, prepare_data
from .runner import EpochLoop, run_epochs, write_run_files

WEIGHTS = "detector.safetensors"
BEST = "best.safetensors"  # the best epoch so far (keep_best)
NEGATIVES = METHODS  # an adaptive detector learns to see through any anti-forensic method


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DetectorTrainConfig:
    """Everything a detector training run depends on (saved with checkpoints and the model card).

    Provenance of the schedule (reference/algorithms.md sec. 5): SGD, lr 1e-3 halved every 3
    epochs, batch 64 match third-party MISLnet configs (🔶); momentum 0.95 and weight decay 5e-4
    are unconfirmed (❓); the number of epochs is not known (❓).
    """

    size: int
    quality: int
    negatives: str | None = None        # None: originals vs JPEG; "f1"|"f2"|"f3"|"gan": adaptive
    generator_weights: str | None = None  # generator .safetensors for negatives == "gan"
    # Not in the paper: the generator methods' negatives averaged over a self-ensemble of 1, 4 or
    # 8 symmetries (GanEraser's ensemble), to train against `jpegaf erase --ensemble N`.
    negatives_ensemble: int = 1
    # Not in the paper: start from a trained detector's weights (fine-tuning it on more data)
    # instead of a random initialisation; its network must be this config's.
    init_weights: str | None = None
    seed: int = 0
    # --- data ---
    crops_per_image: int = 5
    augment: bool = True                # dihedral transforms before compression (TrainPairs)
    # Not in the paper: a random tone curve and sensor-like noise on each training original before
    # compression (TrainPairs(vary_content=True)), so that "never compressed" is not learnt as
    # "clean and smooth like the corpus"; the held-out/calibration crops are never varied.
    vary_content: bool = False
    test_fraction: float = 0.2
    eval_crops_per_image: int = 1       # 1: the central crop (paper); k > 1: k grid-aligned crops
    # --- schedule ---
    epochs: int = 30                    # ❓ not stated
    batch_size: int = 64                # images: batch_size / 2 crops, each original + positive
    lr: float = 1e-3
    momentum: float = 0.95              # ❓
    weight_decay: float = 5e-4          # ❓
    lr_decay: float = 0.5
    lr_decay_every: int = 3             # epochs
    # --- threshold ---
    fpr: float = 0.05
    # Not in the paper: export the epoch whose held-out (validation) AUC was highest, with its
    # threshold, instead of the last one. Both are then fitted on the held-out part; a test part
    # must stay apart (a corpus's test part does).
    keep_best: bool = False
    # --- model ---
    network: DetectorCNNConfig = field(default_factory=lambda: DetectorCNNConfig(input_size=64))
    # --- machinery ---
    checkpoint_every: int = 200         # steps; also at the end of every epoch
    num_workers: int = 0
    cache_dir: str | None = None        # on-disk cache of JPEG crops and processed negatives
    preset: str = "custom"

    def __post_init__(self) -> None:
        jpeg.check_quality(self.quality)
        if self.size < 8 or self.size % 8:
            raise ValueError(f"size must be a positive multiple of 8, got {self.size}")
        if self.network.input_size != self.size:
            raise ValueError(f"network.input_size ({self.network.input_size}) must equal size ({self.size})")
        if self.negatives not in (None, *NEGATIVES):
            raise ValueError(f"negatives must be None or one of {NEGATIVES}, got {self.negatives!r}")
        if (self.negatives in GENERATOR_METHODS) != (self.generator_weights is not None):
            raise ValueError(f"generator_weights is needed with negatives in {GENERATOR_METHODS}, and only then")
        if self.negatives_ensemble not in ENSEMBLES:
            raise ValueError(f"negatives_ensemble must be one of {ENSEMBLES}, got {self.negatives_ensemble!r}")
        if self.batch_size < 2 or self.batch_size % 2:
            raise ValueError(f"batch_size must be even and >= 2 (paired batches), got {self.batch_size}")
        if self.epochs < 1 or self.crops_per_image < 1 or self.eval_crops_per_image < 1:
            raise ValueError("epochs, crops_per_image and eval_crops_per_image must be >= 1")
        if not 0.0 < self.fpr < 1.0 or not 0.0 < self.test_fraction < 1.0:
            raise ValueError("fpr and test_fraction must be in (0, 1)")
        if self.lr <= 0 or not 0.0 < self.lr_decay <= 1.0 or self.lr_decay_every < 1:
            raise ValueError("lr must be > 0, lr_decay in (0, 1], lr_decay_every >= 1")

    @property
    def crop_size(self) -> int:
        """Training crop side (= size; the name :func:`jpegaf.train.loop.prepare_data` reads)."""
        return self.size

    def learning_rate(self, epoch: int) -> float:
        return self.lr * self.lr_decay ** (epoch // self.lr_decay_every)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DetectorTrainConfig":
        d = dict(d)
        d["network"] = DetectorCNNConfig(**d["network"])
        return cls(**d)


def paper_preset(size: int, quality: int, **overrides: Any) -> DetectorTrainConfig:
    """MISLnet at full width for ``size``, SGD 1e-3 halved every 3 epochs, batch 64, 30 epochs
    (❓: the epoch count is not stated; after 30 epochs the rate is 1e-3 / 1024), 5 crops per
    training image (Luo et al.'s data protocol)."""
    base = DetectorTrainConfig(size=size, quality=quality, network=DetectorCNNConfig(input_size=size),
                               preset="paper")
    return dataclasses.replace(base, **overrides)


def quick_preset(size: int, quality: int, **overrides: Any) -> DetectorTrainConfig:
    """A reduction for 2 CPU cores: about 10 minutes at 64x64 on the bundled samples.

    Only the amount of data and the schedule's length are reduced; the network (full MISLnet
    width) and the optimizer (SGD 1e-3, momentum 0.95, weight decay 5e-4, batch 64) are the
    paper preset's. 32 crops per training image (the sample set is small: 23 training images ->
    736 crops -> 23 steps per epoch), 40 epochs (920 steps) with the rate halved every 10 epochs
    instead of 3 (an epoch here is ~30x shorter than on BOSSBase), evaluation on 8 crops per
    held-out image (central crops alone would be 6 images).

    Its cost per step and per size: ``benchmarks/bench_detector_training.py``.
    """
    base = DetectorTrainConfig(size=size, quality=quality, network=DetectorCNNConfig(input_size=size),
                               crops_per_image=32, epochs=40, lr_decay_every=10, eval_crops_per_image=8,
                               checkpoint_every=50, preset="quick")
    return dataclasses.replace(base, **overrides)


def init_detector_from(model: DetectorCNN, weights_path: str | os.PathLike) -> None:
    """Load a trained detector's weights into ``model`` to start training from them; a file whose
    network differs is a one-line :class:`JpegafError` naming it."""
    try:
        model.load_state_dict(load_weights(weights_path))
    except RuntimeError as e:
        raise JpegafError(f"{weights_path}: cannot start this detector from these weights "
                          f"({str(e).splitlines()[0]})") from None


def widen_detector(small: DetectorCNN, input_size: int) -> DetectorCNN:
    """A detector for larger images that starts as ``small`` applied to their average features.

    The convolutional layers (and their batch-norm statistics), FC7 and FC8 are copied; FC6,
    whose input grows with the final map (1 x 1 at 64 px, 7 x 7 at 256), gets ``small``'s weights
    divided by the number of map positions at each position, so that on a map whose positions
    all equal ``small``'s one feature vector it gives ``small``'s output exactly. Why: 135
    photographs of 256 px and a CPU session are too few to train a 256-px network from a random
    start; the 64-px critic widened this way, before any step, already scored 25 held-out JPEGs
    above their originals (``scripts/train_critics.py --size 256``,
    ``results/antiforensic/critic-256.md``).
    """
    config = dataclasses.replace(small.config, input_size=input_size)
    large = DetectorCNN(config)
    positions = config.final_map_size ** 2
    state = {k: v.clone() for k, v in small.state_dict().items()}
    fc6 = "classifier.1.weight"
    w = state[fc6]  # (fc6_units, conv5_channels * small's positions)
    if small.config.final_map_size != 1:
        raise ValueError(f"widen_detector starts from a detector whose final map is 1 x 1 (64 px), "
                         f"got {small.config.final_map_size} x {small.config.final_map_size}")
    # Flatten order is (channel, row, column): each channel's weight repeats over its positions.
    state[fc6] = (w / positions).repeat_interleave(positions, dim=1)
    large.load_state_dict(state)
    return large


def export_widened(source: str | os.PathLike, input_size: int, path: str | os.PathLike) -> Path:
    """Write :func:`widen_detector` of the 64-px detector ``source`` (weights with their card) to
    ``path``, with a card that names the source by sha256 and drops the source's threshold and
    held-out figures, which do not hold for the widened network; returns ``path``."""
    source, path = Path(source), Path(path)
    small = CnnDetector.load(source)
    card = {k: v for k, v in small.card.items()
            if k not in ("threshold", "calibration", "held_out", "evaluation_curve", "test")}
    card["network"] = dict(card.get("network", {}), input_size=input_size)
    card["size"] = input_size
    card["widened"] = {"from": str(source), "sha256": file_sha256(source), "input_size": input_size,
                       "how": "jpegaf.train.detector.widen_detector"}
    path.parent.mkdir(parents=True, exist_ok=True)
    export_model(path, widen_detector(small.model, input_size), card)
    return path


def init_provenance(weights_path: str | os.PathLike) -> dict[str, Any]:
    """What a fine-tuned detector started from: the file, its sha256, and the steps, wall time and
    data of the source's own card (so that the card tells the whole training)."""
    source = read_model_card(weights_path)
    return {"weights": str(weights_path), "sha256": file_sha256(Path(weights_path)),
            "steps": source.get("steps"), "wall_time_s": source.get("wall_time_s"),
            "train_images": source.get("data", {}).get("train_images")}


# --- data --------------------------------------------------------------------------------------

class Negatives:
    """Makes the processed ("anti-forensic") version of a JPEG crop, with caching.

    ``kind`` "f1" (Stamm dither), "f2" (Stamm deblocking), "f3" (Fan variational), "gan+f3" (the
    generator, then F3's later stages): the method is applied to the coefficients of
    ``compress(original, quality)``; "gan": the generator is run on the decoded JPEG; the other
    generator methods as for ``gan+f3``. Results are memoised per process by ``key`` and, with
    ``cache_dir``, stored as PNGs (:class:`jpegaf.data.JpegCropCache` layout) keyed by the crop,
    seed, quality, libjpeg's version and :attr:`identity`: the generator's digest and the method's
    parameters (:func:`jpegaf.antiforensics.method_parameters`, as the evaluation grid keys its
    cells), so a changed stage or critic never reads another's outputs.
    """

    def __init__(self, kind: str, quality: int, generator_weights: str | None = None,
                 cache_dir: str | os.PathLike | None = None, ensemble: int = 1):
        if kind not in NEGATIVES:
            raise ValueError(f"negatives must be one of {NEGATIVES}, got {kind!r}")
        self.kind, self.quality, self.ensemble = kind, quality, ensemble
        self.memory: dict[Any, np.ndarray] = {}
        self.disk = JpegCropCache(Path(cache_dir) / "negatives") if cache_dir is not None else None
        self.method: Callable[..., np.ndarray] | None = None
        self.generator = None
        self.identity = kind
        if kind in GENERATOR_METHODS:
            from ..antiforensics.gan import GanEraser, load_trained_generator
            from ..weights import generator_digest
            self.generator = load_trained_generator(generator_weights)
            if quality not in self.generator.qualities:
                raise InputError(generator_weights, f"generator was trained at quality "
                                                    f"{'/'.join(map(str, self.generator.qualities))}, not {quality}")
            # the weights' digest, cut as the cache has always keyed it, and a card's noise scale
            digest = generator_digest(generator_weights)
            digest = digest[:16] + digest[64:] + ("" if ensemble == 1 else f"@{ensemble}")
            self.identity = f"gan:{digest}"
            if kind != "gan":  # the generator inside a method that reads the JPEG's coefficients
                self.method = generator_method(kind, GanEraser.of(self.generator, ensemble))
                # every stage's parameters and the critics' weights, as the evaluation grid keys them
                self.identity = f"{kind}:{digest}:{method_parameters(kind)}"
        else:
            self.method = classical_method(kind)
            self.identity = f"{kind}:{method_parameters(kind)}"

    def make(self, original: np.ndarray, decoded: np.ndarray, seed: int) -> np.ndarray:
        """The processed version (uint8, same shape) of the JPEG of ``original``."""
        if self.kind == "gan":  # as `jpegaf erase` runs it (a crop is one tile)
            return self.generator.apply(decoded, jpeg.quality_to_table(self.quality), ensemble=self.ensemble,
                                           seed=seed)
        coefs = jpeg.read_coefficients(jpeg.compress(original, self.quality))
        return np.asarray(self.method(coefs, seed), dtype=np.uint8)

    def get(self, key: Any, original: np.ndarray, decoded: np.ndarray, seed: int) -> np.ndarray:
        """:meth:`make`, cached under ``key`` (anything hashable with a stable ``repr``)."""
        k = (key, seed)
        hit = self.memory.get(k)
        if hit is not None:
            return hit
        disk_key = None
        if self.disk is not None:
            disk_key = stable_hash([repr(key), seed, self.quality, self.identity, jpeg.libjpeg_version()])
            hit = self.disk.load(disk_key, original.shape[0])
        if hit is None:
            hit = self.make(original, decoded, seed)
            if self.disk is not None:
                self.disk.store(disk_key, hit)
        self.memory[k] = hit
        return hit


def _spec_key(spec, quality: int) -> tuple:
    st = os.stat(spec.file)
    return (os.path.abspath(spec.file), st.st_size, st.st_mtime_ns, spec.top, spec.left, spec.size,
            spec.k_rot % 4, bool(spec.flip), spec.gamma, spec.noise_sigma, spec.noise_seed, quality)


class DetectorPairs(Dataset):
    """(image, label) items over a :class:`TrainPairs`: item ``2i`` is the original of crop ``i``
    (label 0.0), item ``2i + 1`` its JPEG or, with ``negatives``, the processed JPEG (label 1.0).

    Images are float32 (1, S, S) in [-1, 1]; labels float32 scalars. The processed version of
    crop ``i`` uses the seed ``derived_seed(seed, 0, i)``.
    """

    def __init__(self, pairs: TrainPairs, negatives: Negatives | None = None):
        self.pairs, self.negatives = pairs, negatives
        self._last: tuple[tuple[int, int], tuple[np.ndarray, np.ndarray]] | None = None

    def __len__(self) -> int:
        return 2 * len(self.pairs)

    def set_epoch(self, epoch: int) -> None:
        self.pairs.set_epoch(epoch)

    def crop_pair(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(original, positive) uint8 arrays of crop ``i`` in the current epoch."""
        tag = (self.pairs.epoch, i)
        if self._last is not None and self._last[0] == tag:  # items 2i and 2i+1 come together
            return self._last[1]
        original, decoded = self.pairs.pair_uint8(i)
        positive = decoded
        if self.negatives is not None:
            spec = self.pairs.spec(i)
            positive = self.negatives.get(_spec_key(spec, self.pairs.quality), original, decoded,
                                          derived_seed(self.pairs.seed, 0, i))
        self._last = (tag, (original, positive))
        return original, positive

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        if not 0 <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} items")
        i, label = divmod(int(index), 2)
        img = self.crop_pair(i)[label]
        return to_unit_range(img), torch.tensor(float(label))


@dataclass
class HeldOut:
    """uint8 crops of the held-out split: never-compressed, JPEG and (adaptive) processed."""

    originals: list[np.ndarray]
    jpegs: list[np.ndarray]
    processed: list[np.ndarray] | None
    files: int
    sources: list[Path] = field(default_factory=list)  # the file of each crop (a threshold by scene needs it)


def held_out_set(config: DetectorTrainConfig, files: list[Path], negatives: Negatives | None) -> HeldOut:
    if config.eval_crops_per_image == 1:
        ds = CentreCropPairs(files, config.quality, config.size, cache_dir=config.cache_dir)
        n_files = len(ds.files)
        specs = [ds.spec(i) for i in range(len(ds))]
    else:
        ds = TrainPairs(files, config.quality, crop_size=config.size, crops_per_image=config.eval_crops_per_image,
                        seed=config.seed, augment=False, cache_dir=config.cache_dir)
        n_files = sum(1 for p in ds.positions if p)
        specs = [ds.spec(i) for i in range(len(ds))]
    originals, jpegs, processed = [], [], [] if negatives is not None else None
    for i in range(len(ds)):
        original, decoded = ds.pair_uint8(i)
        originals.append(original)
        jpegs.append(decoded)
        if negatives is not None:
            processed.append(negatives.get(_spec_key(specs[i], config.quality), original, decoded,
                                           derived_seed(config.seed, 1, i)))
    return HeldOut(originals, jpegs, processed, n_files, [spec.file for spec in specs])


def evaluate(model: nn.Module, held: HeldOut, fpr: float, device: torch.device) -> dict[str, float]:
    """Held-out AUCs and detection rates at the threshold calibrated on the held-out originals."""
    neg = predict_proba(model, held.originals, device)
    pos = predict_proba(model, held.jpegs, device)
    threshold = calibrate_threshold(neg, fpr)
    row = {"auc_jpeg": roc_auc(neg, pos), "det_jpeg": float(np.mean(pos > threshold)),
           "fpr_held_out": float(np.mean(neg > threshold)), "threshold": threshold,
           "n_crops": len(neg), "n_images": held.files}
    if held.processed is not None:
        proc = predict_proba(model, held.processed, device)
        row["auc_processed"] = roc_auc(neg, proc)
        row["det_processed"] = float(np.mean(proc > threshold))
    return row


# --- the loop ----------------------------------------------------------------------------------

def detector_step(model_ddp: nn.Module, model: DetectorCNN, optimizer: torch.optim.Optimizer,
                  images: torch.Tensor, labels: torch.Tensor) -> dict[str, float]:
    """One SGD step on binary cross-entropy, then the constrained layer's projection.

    ``model_ddp`` is what the step calls for synchronised gradients (the DistributedDataParallel
    wrapper of ``model`` with several processes, ``model`` itself with one)."""
    optimizer.zero_grad(set_to_none=True)
    logits = model_ddp(images)
    loss = F.binary_cross_entropy_with_logits(logits, labels)
    loss.backward()
    optimizer.step()
    model.project_()
    accuracy = ((logits.detach() > 0).to(labels.dtype) == labels).float().mean()
    return {"loss": float(loss.detach()), "accuracy": float(accuracy)}


STEP_FIELDS = ["global_step", "epoch", "lr", "loss", "accuracy", "images_per_s"]
EVAL_FIELDS = ["epoch", "global_step", "auc_jpeg", "det_jpeg", "auc_processed", "det_processed",
               "fpr_held_out", "threshold", "n_crops", "n_images", "wall_time"]


@dataclass
class DetectorTrainResult:
    """What a call of :func:`train_detector` leaves: this rank's (unwrapped) model, where the run
    stands, the held-out evaluation (the last one, None before the first epoch ends; once the run
    is complete, the exported epoch's), and, once the run is complete, the exported threshold and
    weights path (None otherwise and on ranks > 0)."""

    model: DetectorCNN
    position: Position
    evaluation: dict[str, float] | None
    threshold: float | None = None
    weights_path: Path | None = None


def train_detector(config: DetectorTrainConfig, data_dir: str | os.PathLike, out_dir: str | os.PathLike, *,
                   resume: bool = False, max_steps: int | None = None, device: str = "auto",
                   progress: bool = True) -> DetectorTrainResult:
    """Train (or continue training) a CNN JPEG detector; export it with its threshold at the end.

    ``max_steps`` stops after that many steps in total (a checkpoint is written first), as a kill
    would; ``resume=True`` continues from ``out_dir/checkpoint.pt``, whose saved config then wins.
    Output in ``out_dir``: config.json, split.json, log.csv (per step), evaluation.csv (per
    epoch), checkpoint.pt, and at the end detector.safetensors + detector.json (model card).
    """
    out = Path(out_dir)
    ckpt_path = out / CHECKPOINT
    state, config = state_to_resume(out, resume, config, DetectorTrainConfig.from_dict)
    rk = init_distributed(device)
    if (config.batch_size // 2) % rk.world:
        raise ValueError(f"batch_size / 2 = {config.batch_size // 2} crops is not divisible by {rk.world} ranks")
    torch.manual_seed(config.seed)
    data_dir = Path(data_dir)
    train_files, held_files = prepare_data(config, data_dir)
    negatives = (Negatives(config.negatives, config.quality, config.generator_weights, config.cache_dir,
                           config.negatives_ensemble) if config.negatives else None)
    if rk.is_main:
        write_run_files(out, config.to_json(), data_dir, train_files, held_files)

    pairs = TrainPairs(train_files, config.quality, crop_size=config.size, crops_per_image=config.crops_per_image,
                       seed=config.seed, augment=config.augment, cache_dir=config.cache_dir,
                       vary_content=config.vary_content)
    crops_per_batch = config.batch_size // 2
    if len(pairs) < crops_per_batch:
        raise InputError(data_dir, f"{len(pairs)} training crops, fewer than one batch of {crops_per_batch} "
                                   f"crops ({config.batch_size} images)")
    train = DetectorPairs(pairs, negatives)
    held = held_out_set(config, held_files, negatives) if rk.is_main else None
    if held is not None and not held.originals:
        raise InputError(data_dir, f"no held-out image is at least {config.size} px for evaluation")

    model = DetectorCNN(config.network).to(rk.device)
    if config.init_weights is not None:
        # Also on resume: the source is checked again (the checkpoint's weights then win).
        init_detector_from(model, config.init_weights)
    opt = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                          weight_decay=config.weight_decay)
    models, optimizers = {"detector": model}, {"opt": opt}
    position, history = Position(), []
    if state is not None:
        position, history = restore(state, models, optimizers)
    model_ddp: nn.Module = model
    if rk.world > 1:
        model_ddp = DistributedDataParallel(model, device_ids=[rk.device.index] if rk.device.type == "cuda" else None)

    step_log = CsvLog(out / "log.csv", STEP_FIELDS) if rk.is_main else None
    eval_log = CsvLog(out / "evaluation.csv", EVAL_FIELDS) if rk.is_main else None

    def begin_epoch(epoch: int) -> tuple[str, dict]:
        lr = config.learning_rate(epoch)
        for g in opt.param_groups:
            g["lr"] = lr
        train.set_epoch(epoch)
        return f"epoch {epoch + 1}/{config.epochs}", {"lr": lr}

    def batches(epoch: int, first: int) -> list[list[int]]:
        # Item 2c is crop c's original, 2c + 1 its positive: both in the same batch.
        return [[2 * c + k for c in crops for k in (0, 1)] for crops in epoch_batches(
            len(pairs), crops_per_batch, config.seed, epoch, rk.rank, rk.world, first)]

    def step(batch) -> dict[str, float]:
        images, labels = batch
        return detector_step(model_ddp, model, opt, images.to(rk.device), labels.to(rk.device))

    def end_epoch(epoch: int) -> dict[str, float]:
        row = {"epoch": epoch, "global_step": loop.position.global_step,
               **evaluate(model, held, config.fpr, rk.device), "wall_time": loop.elapsed()}
        if config.keep_best and all(row["auc_jpeg"] > h["auc_jpeg"] for h in loop.history):
            # Written before the epoch's checkpoint: a kill in between redoes the epoch, which
            # (resume being exact) writes the same weights again.
            export_model(out / BEST, model, {"epoch": epoch, "held_out": row})
        return row

    def report(row: dict) -> str:
        extra = (f", vs {config.negatives}: AUC {row['auc_processed']:.3f}, detected "
                 f"{row['det_processed']:.1%}") if config.negatives else ""
        return (f"epoch {row['epoch'] + 1}/{config.epochs}: held-out AUC {row['auc_jpeg']:.3f}, JPEG detected "
                f"{row['det_jpeg']:.1%} at FPR {config.fpr:g}{extra}")

    loop = EpochLoop(
        dataset=train, batches=batches, begin_epoch=begin_epoch, step=step, end_epoch=end_epoch, report=report,
        total_epochs=config.epochs, steps_per_epoch=len(pairs) // crops_per_batch,
        images_per_batch=config.batch_size, models=models, optimizers=optimizers, checkpoint_path=ckpt_path,
        config_json=config.to_json(), checkpoint_every=config.checkpoint_every, is_main=rk.is_main,
        num_workers=config.num_workers, shown=("loss", "accuracy"),
        log_step=step_log.write if rk.is_main else None, log_eval=eval_log.write if rk.is_main else None,
        position=position, history=history)
    model.train()
    finished = run_epochs(loop, max_steps=max_steps, progress=progress)
    last_eval = history[-1] if history else None
    if not finished:
        return DetectorTrainResult(model, position, last_eval)

    chosen = last_eval
    if config.keep_best and rk.is_main:  # only the main rank evaluates, keeps and exports
        chosen = history[max(range(len(history)), key=lambda i: (history[i]["auc_jpeg"], -i))]
        model.load_state_dict(load_weights(out / BEST))
    threshold = weights_path = None
    if rk.is_main:
        threshold = chosen["threshold"]
        weights_path = out / WEIGHTS
        export_model(weights_path, model, model_card(config, data_dir, pairs, held, position, history, chosen))
    if rk.world > 1:
        dist.barrier()
    return DetectorTrainResult(model, position, chosen, threshold, weights_path)


def model_card(config: DetectorTrainConfig, data_dir: Path, pairs: TrainPairs, held: HeldOut,
               position: Position, history: list[dict[str, float]], chosen: dict[str, float]) -> dict:
    """What a user needs to rebuild the detector, apply its threshold and judge it; ``chosen`` is
    the evaluation of the exported epoch (the last, or the best with ``keep_best``)."""
    return {
        "model": "jpegaf CNN JPEG detector (MISLnet layout, Bayar & Stamm constrained layer)",
        "name": detector_name(config.size, config.quality, config.negatives),
        "network": dataclasses.asdict(config.network),
        "size": config.size,
        "quality": config.quality,
        "negatives": config.negatives,
        "score": "sigmoid probability of JPEG; verdict JPEG iff score > threshold",
        "threshold": chosen["threshold"],
        "calibration": {"fpr": config.fpr, "n_images": len(held.originals), "n_source_images": held.files,
                        "source": f"held-out never-compressed {config.size}x{config.size} crops of {data_dir}"},
        "held_out": {k: chosen[k] for k in ("auc_jpeg", "det_jpeg", "auc_processed", "det_processed",
                                         "fpr_held_out", "n_crops", "n_images") if k in chosen},
        "exported_epoch": int(chosen["epoch"]),
        "train_config": config.to_dict(),
        "init": None if config.init_weights is None else init_provenance(config.init_weights),
        "data": {"folder": str(data_dir), "train_images": len(pairs.files) - len(pairs.skipped),
                 "train_crops": len(pairs), "held_out_images": held.files},
        "steps": position.global_step,
        "wall_time_s": round(position.wall_time, 1),
        "hardware": hardware(),
        "evaluation_curve": history,
        "versions": versions(),
    }
