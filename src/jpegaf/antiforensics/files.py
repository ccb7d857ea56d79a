"""Erasing JPEG files, as `jpegaf erase` does: the method behind a command-line name, one file,
or a folder's work list (checked before any output exists, so a misuse leaves nothing behind)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from .. import jpeg
from ..errors import InputError, JpegafError
from ..imageio import refuse_overwriting_input, write_image
from . import GENERATOR_METHODS, classical_method, generator_method

JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".jfif")
# A re-encoded JPEG would put JPEG traces back, so outputs are lossless formats only.
LOSSLESS_SUFFIXES = (".png", ".tif", ".tiff", ".bmp", ".pgm", ".ppm")


def make_method(name: str, generators: Sequence[str] = (), device: str = "cpu", threads: int | None = None,
                ensemble: int | None = None, progress: Callable[[int, int], None] | None = None):
    """The method of the command-line ``name`` with its published defaults; the generator methods run
    the ``generators`` weight files (the one nearest each file's quality), the shipped ones if none,
    averaged over a self-ensemble of ``ensemble`` symmetries (:func:`.gan.ensemble_generate`; None:
    the network once); "auto" the shipped policy's method for each file's quality (:mod:`.policy`),
    with each entry's own self-ensemble unless ``ensemble`` replaces it. ``progress(done, total)``:
    called after each tile the generator runs on (:class:`.gan.GanEraser`; the classical methods
    never call it)."""
    if generators and name not in GENERATOR_METHODS:
        raise JpegafError(f"--generator goes with --method {', '.join(GENERATOR_METHODS)}, not with {name}")
    if ensemble is not None and name not in (*GENERATOR_METHODS, "auto"):
        raise JpegafError(f"--ensemble goes with --method {', '.join(GENERATOR_METHODS)} or auto, not with {name}")
    if name not in (*GENERATOR_METHODS, "auto"):
        return classical_method(name)
    _prepare_torch(device, threads)
    if name == "auto":
        from ..pretrained import PRETRAINED_DIR
        from .policy import POLICY_FILE, PolicyEraser

        try:
            return PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE, device=device, ensemble=ensemble,
                                          progress=progress)
        except JpegafError as e:  # erase can do without the policy: say how
            raise JpegafError(f"{e}; pass --method explicitly") from None
    from ..pretrained import shipped_generators
    from ..weights import generators_by_quality
    from .gan import GanEraser

    eraser = GanEraser(generators_by_quality(list(generators)) if generators else shipped_generators(), device=device,
                       ensemble=ensemble or 1, progress=progress)
    return generator_method(name, eraser)


def _prepare_torch(device: str, threads: int | None) -> None:
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        raise JpegafError("--device cuda was asked for, but no CUDA device is available")
    if threads:
        torch.set_num_threads(threads)


def check_lossless_output(path: Path) -> None:
    if path.suffix.lower() not in LOSSLESS_SUFFIXES:
        raise InputError(path, "output must be a lossless image (.png, .tif, .bmp, .pgm): "
                               "re-encoding as JPEG would put JPEG traces back")


def erase_file(method, src: Path, dst: Path, seed: int, max_pixels: int) -> str | None:
    """Write ``method``'s output for the JPEG ``src`` to ``dst`` (atomically; never over the input).
    Returns the method's note about this file (the GAN's when no generator has its quality)."""
    refuse_overwriting_input(dst, src)
    img = method(jpeg.read_coefficients(src, max_pixels=max_pixels), seed)
    write_image(dst, img)
    return getattr(method, "last_note", None)


def folder_jobs(src: Path, out_dir: Path, suffix: str) -> list[tuple[Path, Path]]:
    """(JPEG, output) pairs for erasing the folder ``src`` into ``out_dir``, in name order."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "input is a folder, so the output must be a folder")
    files = sorted(p for p in src.iterdir() if p.is_file() and p.suffix.lower() in JPEG_SUFFIXES)
    if not files:
        raise InputError(src, "no JPEG files (*.jpg, *.jpeg) in this folder")
    return [(p, out_dir / f"{p.stem}.{suffix}") for p in files]

