"""The evaluation grid of Luo et al.'s Tables I and II: image x size x quality x method.

For every image of the held-out test split (:func:`jpegaf.data.dataset_parts`: a corpus's test
part, a folder's own SPLIT.csv, or :func:`jpegaf.data.split_files` of a plain folder by identity
with the config's seed and test fraction) and every crop size it is large enough for (smaller
images are left out of that size, as in the paper's protocol, and the tables count the images), the central crop
(:func:`jpegaf.data.centre_crop_position`) is the never-compressed original. For every quality it is compressed by the project's real libjpeg;
``"jpeg"`` is the decoded JPEG, ``"f1"``/``"f2"``/``"f3"`` are Stamm's dither, Stamm & Liu's
deblocking and Fan's variational method applied to the JPEG's coefficients, ``"gan"`` is the trained
generator for that quality applied to the decoded JPEG, ``"gan+f3"`` that generator's output
through F3's later stages (:mod:`jpegaf.antiforensics.hybrid`), and so on for every generator
method; ``"auto"`` is what ``jpegaf erase`` does by default: the method, generators and
self-ensemble that an erase policy file (``EvalConfig.policy``, by default the shipped one) names
for the JPEG's quality (:class:`jpegaf.antiforensics.policy.PolicyEraser`). Each output gets PSNR and SSIM against the
original and the score of every detector. The original itself is scored too (method
``"original"``, one row per image and size, ``quality`` None): Table II's ROC AUCs compare it with
each method's outputs.

One row per cell (dict): ``image`` (path relative to the data folder), ``size``, ``quality``,
``method``, ``status`` (``"ok"`` or ``"missing: <why>"``), ``psnr``, ``ssim`` and
``score:<detector name>`` for each detector (None where it does not apply, e.g. no CNN detector of
that size). A method that cannot be run (no generator for a quality) gives rows with a
``"missing: ..."`` status, never no rows.

Caching: every computed "ok" cell is stored as a small JSON file in ``out_dir/cache/`` named by a
hash of everything it depends on (image path and content, size, quality, method and its parameters,
seed, libjpeg version, the detectors and the hashes of all weight files used), written atomically,
so an interrupted run continues where it stopped and a rerun recomputes nothing. Randomness: the
methods' seed is derived from ``(seed, index of the image in the test split)`` only, so results do
not depend on ``workers`` or on which cells were cached.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .. import jpeg
from ..antiforensics import ENSEMBLES, GENERATOR_METHODS, METHODS, classical_method, generator_method, method_parameters
from ..data import centre_crop_position, crop, dataset_parts, image_size, load_luma
from ..detectors import Calibration, classical_detectors, load_calibrations, save_calibrations, select_detectors
from ..determinism import derived_seed, stable_hash
from ..errors import InputError, JpegafError
from ..imageio import atomic_write_bytes
from ..metrics import psnr, ssim
from ..weights import generators_by_quality

#: ``jpegaf erase``'s default method (module doc): its rows show what a user gets without choosing.
AUTO = "auto"
#: Methods the grid knows, in table order: the JPEG itself, every anti-forensic method, then
#: ``jpegaf erase``'s default. "original" is always added (not configurable).
ALL_METHODS: tuple[str, ...] = ("jpeg", *METHODS, AUTO)
ORIGINAL = "original"

#: Bumped when the meaning of a cached cell changes.
CACHE_FORMAT = 1

ROWS_CSV = "rows.csv"
CALIBRATIONS_JSON = "calibrations.json"
FIXED_COLUMNS = ("image", "size", "quality", "method", "status", "psnr", "ssim")


@dataclass(frozen=True)
class EvalConfig:
    """What to evaluate.

    Attributes:
        sizes: sides of the central crops (multiples of 8).
        qualities: JPEG qualities.
        methods: subset of :data:`ALL_METHODS`.
        generators: the GAN generators: a mapping quality -> weights path, or a sequence of
            weights paths whose model cards (``card["quality"]``) say the quality.
        cnn: weights of trained CNN detectors; each scores the crops of its own size.
        detectors: names of classical detectors (``classical_detectors()``) or ``"all"``.
        limit: evaluate only the first ``limit`` images of the test split (None: all).
        seed: split seed and base of the methods' seeds.
        test_fraction: fraction of the folder held out as the test split.
        split: "test": the folder's held-out test part (a corpus's test part, or the
            ``test_fraction`` of a plain folder); "all": every image of the folder, for a folder
            that no model or threshold was fitted on (e.g. a user's own test set).
        workers: processes over images (1: in this process).
        ensemble: the generator methods' self-ensemble (1, 4 or 8 symmetries averaged;
            :func:`~jpegaf.antiforensics.gan.ensemble_generate`); part of their cells' keys. The
            ``"auto"`` rows keep their policy's own.
        policy: the erase policy file (``erase_policy.json``) whose choices the ``"auto"`` rows
            run; "" gives them a "missing" status (``with_shipped_models`` fills in the shipped one).
    """

    sizes: tuple[int, ...] = (64, 128, 256, 512)
    qualities: tuple[int, ...] = (25, 50, 75)
    methods: tuple[str, ...] = ALL_METHODS
    generators: Mapping[int, str] | Sequence[str] = ()
    cnn: tuple[str, ...] = ()
    detectors: tuple[str, ...] | str = "all"
    limit: int | None = None
    seed: int = 0
    test_fraction: float = 0.2
    split: str = "test"
    workers: int = 1
    ensemble: int = 1
    policy: str = ""

    def __post_init__(self):
        unknown = [m for m in self.methods if m not in ALL_METHODS]
        if unknown:
            raise ValueError(f"unknown methods {unknown}; known: {list(ALL_METHODS)}")
        for q in self.qualities:
            jpeg.check_quality(q)
        for s in self.sizes:
            if s < 16 or s % 8:
                raise ValueError(f"sizes must be multiples of 8 of at least 16, got {s}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.split not in ("test", "all"):
            raise ValueError(f"split must be 'test' or 'all', got {self.split!r}")
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"limit must be >= 0 or None, got {self.limit}")
        if self.ensemble not in ENSEMBLES:
            raise ValueError(f"ensemble must be one of {ENSEMBLES}, got {self.ensemble!r}")


# --- resources, loaded once per process -------------------------------------------------------

@functools.lru_cache(maxsize=None)
def file_sha256(path: str) -> str:
    from ..weights import file_sha256 as sha256_of_file

    return sha256_of_file(path)


@functools.lru_cache(maxsize=None)
def generator_digest(path: str) -> str:
    from ..weights import generator_digest as digest_of_generator

    return digest_of_generator(path)


@functools.lru_cache(maxsize=None)
def _generator(path: str):
    from ..antiforensics.gan import load_trained_generator

    return load_trained_generator(path)


@functools.lru_cache(maxsize=None)
def _policy(path: str):
    """The erase policy of ``path`` as ``jpegaf erase`` runs it, loaded once per process."""
    from ..antiforensics.policy import PolicyEraser

    return PolicyEraser.from_file(path)


def auto_parameters(policy: str, quality: int) -> dict[str, Any]:
    """What an ``"auto"`` cell of JPEG ``quality`` depends on, for its cache key: the policy file's
    digest, the entry it uses for that quality, and that entry's method parameters, generators'
    digests and self-ensemble (a retrained generator under the same file name is a new cell)."""
    eraser = _policy(policy)
    chosen = eraser.entry_for(quality)
    name, generators = eraser.policy[chosen]
    return {"policy": file_sha256(policy), "entry": chosen, "entry_method": name,
            "entry_params": method_parameters(name), "entry_ensemble": eraser.ensembles.get(chosen, 1),
            "entry_generators": [generator_digest(os.fspath(g)) for g in generators]}


def run_auto(policy: str, data: bytes, seed: int) -> np.ndarray:
    """``jpegaf erase``'s default (the policy file's choice for the file's quality) on a JPEG
    file's bytes, as ``jpegaf erase`` runs it."""
    return _policy(policy)(jpeg.read_coefficients(data), seed)


@functools.lru_cache(maxsize=None)
def _cnn(path: str):
    from ..detectors.cnn import CnnDetector

    return CnnDetector.load(path)


def selected_detectors(names: tuple[str, ...] | str):
    """The classical detectors named (all when ``names == "all"``), as :func:`select_detectors`."""
    return select_detectors(classical_detectors(), names)


@functools.lru_cache(maxsize=None)
def method_seed(seed: int, index: int) -> int:
    """The seed given to the methods for image ``index`` of the test split."""
    return derived_seed(seed, index, bits=32)


def run_gan(generator, img: np.ndarray, quality: int, ensemble: int = 1, seed: int = 0) -> np.ndarray:
    """Apply a :class:`~jpegaf.antiforensics.gan.TrainedGenerator` to a uint8 (H, W) JPEG made at
    IJG ``quality`` (whose table a conditioned generator is given), averaged over ``ensemble``
    symmetries (:func:`~jpegaf.antiforensics.gan.ensemble_generate`); ``seed``: a stochastic
    generator's noise."""
    return generator.apply(img, jpeg.quality_to_table(quality), ensemble=ensemble, seed=seed)


def run_generator_method(name: str, generator, data: bytes, seed: int, ensemble: int = 1) -> np.ndarray:
    """A generator-based method (``"gan"``, ``"gan+f3"``) with a loaded generator on a JPEG file's
    bytes, as ``jpegaf erase --method NAME [--ensemble N]`` runs it."""
    from ..antiforensics.gan import GanEraser

    return generator_method(name, GanEraser.of(generator, ensemble))(jpeg.read_coefficients(data), seed)


# --- one image ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Job:
    """Everything one worker needs for one image (picklable)."""

    path: str
    name: str
    index: int
    sizes: tuple[int, ...]
    qualities: tuple[int, ...]
    methods: tuple[str, ...]
    generators: dict[int, str]
    cnn: tuple[str, ...]
    detectors: tuple[str, ...] | str
    seed: int
    cache_dir: str
    ensemble: int = 1
    policy: str = ""


def _cell_key(job: _Job, size: int, quality: int | None, method: str, extra: dict[str, Any]) -> str:
    payload = {"format": CACHE_FORMAT, "image": job.path, "image_sha256": file_sha256(job.path),
               "size": size, "quality": quality, "method": method, "seed": job.seed, "index": job.index,
               "libjpeg": jpeg.libjpeg_version(), "params": "" if method == AUTO else method_parameters(method),
               "detectors": [d.name for d in selected_detectors(job.detectors)],
               "cnn": sorted(file_sha256(p) for p in job.cnn), **extra}
    return stable_hash(payload)


def _load_cached(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _score_columns(job: _Job, size: int) -> list[str]:
    names = [d.name for d in selected_detectors(job.detectors)]
    cnn_names = sorted({_cnn(p).name for p in job.cnn if _cnn(p).size == size})
    if not cnn_names:
        # The paper's Table II is the CNN's: without a trained CNN of this size the column is
        # recorded as None and shown as missing, never silently left out.
        cnn_names = [f"CNN-{size}"]  # one "missing" row for the size, not one per quality
    return names + cnn_names


def _compute_cell(original: np.ndarray, output: np.ndarray, job: _Job, size: int) -> dict[str, Any]:
    """PSNR, SSIM and detector scores of one output."""
    row: dict[str, Any] = {"psnr": psnr(original, output), "ssim": ssim(original, output)}
    for det in selected_detectors(job.detectors):
        row[f"score:{det.name}"] = float(det.score(output))
    for p in job.cnn:
        det = _cnn(p)
        if det.size == size:
            row[f"score:{det.name}"] = float(det.score(output))
    return row


def _image_rows(job: _Job, budget: int | None = None) -> tuple[list[dict], int]:
    """All rows of one image, from the cache where possible; returns (rows, cells computed).

    ``budget``: compute at most this many cells (the rest are left out), for tests of resumption.
    """
    img = None
    rows: list[dict] = []
    computed = 0
    cache = Path(job.cache_dir)
    mseed = method_seed(job.seed, job.index)
    height, width = image_size(job.path)
    for size in job.sizes:
        if min(height, width) < size:
            continue  # no centre crop of this size: the image is left out of this size's rows
        columns = _score_columns(job, size)
        original = None
        cells: list[tuple[int | None, str]] = [(None, ORIGINAL)] + [
            (q, m) for q in job.qualities for m in job.methods]
        per_quality: dict[int, tuple[bytes, np.ndarray]] = {}
        for quality, method in cells:
            base = {"image": job.name, "size": size, "quality": quality, "method": method}
            missing = (f"missing: no generator for QF {quality}" if method in GENERATOR_METHODS
                       and quality not in job.generators else
                       "missing: no erase policy" if method == AUTO and not job.policy else None)
            if missing:
                rows.append({**base, "status": missing, "psnr": None,
                             "ssim": None, **{f"score:{c}": None for c in columns}})
                continue
            extra = {"generator": generator_digest(job.generators[quality])} if method in GENERATOR_METHODS else {}
            if method == AUTO:
                extra = auto_parameters(job.policy, quality)
            if method in GENERATOR_METHODS and job.ensemble != 1:  # absent for 1: earlier caches stay valid
                extra["ensemble"] = job.ensemble
            cache_file = cache / f"{_cell_key(job, size, quality, method, extra)}.json"
            row = _load_cached(cache_file)
            if row is None:
                if budget is not None and computed >= budget:
                    continue
                if img is None:
                    img = load_luma(job.path)
                if original is None:
                    original = crop(img, *centre_crop_position(*img.shape, size), size)
                if method == ORIGINAL:
                    output = original
                else:
                    if quality not in per_quality:
                        data = jpeg.compress(original, quality)
                        per_quality[quality] = (data, jpeg.decompress(data))
                    data, decoded = per_quality[quality]
                    if method == "jpeg":
                        output = decoded
                    elif method == "gan":
                        output = run_gan(_generator(job.generators[quality]), decoded, quality, job.ensemble, mseed)
                    elif method in GENERATOR_METHODS:
                        output = run_generator_method(method, _generator(job.generators[quality]), data, mseed,
                                                      job.ensemble)
                    elif method == AUTO:
                        output = run_auto(job.policy, data, mseed)
                    else:
                        output = classical_method(method)(jpeg.read_coefficients(data), mseed)
                row = {**base, "status": "ok", **_compute_cell(original, output, job, size)}
                atomic_write_bytes(cache_file, json.dumps(row).encode(), fsync=False)
                computed += 1
            for c in columns:
                row.setdefault(f"score:{c}", None)
            rows.append(row)
    return rows, computed


def _run_job(args: tuple[_Job, int | None]) -> tuple[list[dict], int]:
    return _image_rows(*args)


# --- the grid ------------------------------------------------------------------------------

def evaluation_images(config: EvalConfig, data_dir: str | os.PathLike) -> list[Path]:
    """The images of ``data_dir`` to evaluate: its held-out test part, or all of it with
    ``config.split == "all"`` (first ``config.limit`` of them)."""
    parts = dataset_parts(data_dir, test_fraction=config.test_fraction, seed=config.seed)
    if config.split == "all":
        images = sorted(set(parts.train) | set(parts.held_out) | set(parts.test),
                        key=lambda p: p.relative_to(parts.root).as_posix())
    else:
        images = parts.test
    return images if config.limit is None else images[:config.limit]



def check_inputs(config: EvalConfig, data_dir: str | os.PathLike) -> list[Path]:
    """Everything an evaluation needs, checked before it writes anything: the images to evaluate
    (at least one large enough for the smallest size), the generators' and CNNs' files (each
    loaded once; a bad one is an :class:`InputError` naming it) and the detector names.
    Returns the images."""
    images = evaluation_images(config, data_dir)
    if not any(min(image_size(p)) >= min(config.sizes) for p in images):
        which = "" if config.split == "all" else " in its test part (--split all takes every image)"
        raise InputError(data_dir, f"no never-compressed image of at least {min(config.sizes)} px{which}")
    try:
        generators = generators_by_quality(config.generators)
        selected_detectors(config.detectors)
    except ValueError as e:
        raise JpegafError(str(e)) from None
    for path in generators.values():
        _generator(path)
    for path in config.cnn:
        _cnn(os.fspath(path))
    if AUTO in config.methods and config.policy:
        _policy(os.fspath(config.policy))  # a missing or broken policy (or generator) is one line
    return images


def grid_calibrations(config: EvalConfig) -> list[Calibration]:
    """The shipped classical calibrations plus those of the configured CNN detectors."""
    cals = list(load_calibrations())
    for p in config.cnn:
        det = _cnn(os.fspath(p))
        if det.threshold is not None:
            cals.append(det.calibration)
    return cals


def run_grid(config: EvalConfig, data_dir: str | os.PathLike, out_dir: str | os.PathLike,
             progress: bool = True, *, max_cells: int | None = None) -> list[dict]:
    """Evaluate the grid (module doc); writes ``out_dir/rows.csv`` and ``out_dir/calibrations.json``.

    ``max_cells``: stop after computing this many new cells (cached cells are free); the rows
    returned and written then lack the cells not computed. For interrupting a run on purpose.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    cache_dir = out_dir / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    images = evaluation_images(config, data_dir)
    generators = generators_by_quality(config.generators)
    selected_detectors(config.detectors)  # validate names early
    root = data_dir.resolve()
    jobs = [_Job(path=os.fspath(p.resolve()), name=p.resolve().relative_to(root).as_posix()
                 if p.resolve().is_relative_to(root) else p.as_posix(), index=i, sizes=tuple(config.sizes), qualities=tuple(config.qualities),
                 methods=tuple(config.methods), generators=generators,
                 cnn=tuple(os.fspath(c) for c in config.cnn),
                 detectors=config.detectors if isinstance(config.detectors, str) else tuple(config.detectors),
                 seed=config.seed, cache_dir=os.fspath(cache_dir), ensemble=config.ensemble,
                 policy=os.fspath(config.policy) if config.policy else "")
            for i, p in enumerate(images)]
    results: list[list[dict]] = []
    total = 0

    def report(job: _Job, n: int) -> None:
        if progress:
            print(f"[{len(results)}/{len(jobs)}] {job.name}: {n} cells computed", file=sys.stderr)

    if config.workers > 1 and max_cells is None:
        # "spawn", not Linux's default fork: the parent has loaded torch models (check_inputs,
        # the figures), and a forked child of a process whose OpenMP thread pool is running hangs
        # at its first parallel operation.
        with ProcessPoolExecutor(config.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for job, (rows, n) in zip(jobs, pool.map(_run_job, [(j, None) for j in jobs])):
                results.append(rows)
                report(job, n)
    else:
        for job in jobs:
            budget = None if max_cells is None else max(0, max_cells - total)
            rows, n = _image_rows(job, budget)
            total += n
            results.append(rows)
            report(job, n)
    order = {m: k for k, m in enumerate((ORIGINAL,) + ALL_METHODS)}
    all_rows = [r for rows in results for r in rows]
    index = {j.name: j.index for j in jobs}
    all_rows.sort(key=lambda r: (index[r["image"]], r["size"], -1 if r["quality"] is None else r["quality"],
                                 order[r["method"]]))
    write_rows(all_rows, out_dir / ROWS_CSV)
    save_calibrations(out_dir / CALIBRATIONS_JSON, grid_calibrations(config))
    return all_rows


def score_columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ``score:<name>`` columns present in ``rows``, in first-seen order."""
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            if k.startswith("score:"):
                seen.setdefault(k, None)
    return list(seen)


def write_rows(rows: Sequence[Mapping[str, Any]], path: str | os.PathLike) -> None:
    """Rows as CSV (None written as an empty field, inf as ``inf``), atomically."""
    fields = list(FIXED_COLUMNS) + score_columns(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else repr(r[k]) if isinstance(r.get(k), float) else r[k])
                    for k in fields})
    atomic_write_bytes(path, buf.getvalue().encode())


def read_rows(path: str | os.PathLike) -> list[dict]:
    """Rows written by :func:`write_rows`, with numbers and Nones restored."""
    out = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            row: dict[str, Any] = {}
            for k, v in r.items():
                if v == "":
                    row[k] = None
                elif k in ("size", "quality"):
                    row[k] = int(v)
                elif k in ("psnr", "ssim") or k.startswith("score:"):
                    row[k] = float(v)
                else:
                    row[k] = v
            out.append(row)
    return out
