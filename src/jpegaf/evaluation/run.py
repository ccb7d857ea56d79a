"""A whole evaluation, as `jpegaf evaluate` and `jpegaf demo` run it: the grid (cached, resumable),
Tables I and II, the figures and report.html, in that order, into one output folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..antiforensics import GENERATOR_METHODS
from ..antiforensics.gan import load_trained_generator
from ..errors import InputError, JpegafError
from ..imageio import make_output_folder
from .figures import write_figures
from ..weights import generators_by_quality
from .grid import AUTO, EvalConfig, check_inputs, run_grid
from .report import write_report
from .tables import write_tables


def run_evaluation(config: EvalConfig, data_dir: Path, out_dir: Path, *, command: str, note: str,
                   data_description: str) -> tuple[str, str]:
    """The whole evaluation: grid (cached, resumable), tables, figures and report.html.
    Returns the Markdown of Table I and Table II."""
    check_inputs(config, data_dir)  # a misuse is reported before anything is written
    make_output_folder(out_dir)
    rows = run_grid(config, data_dir, out_dir)
    write_tables(rows, out_dir)
    generators = generators_by_quality(config.generators)
    # The figures show the largest size that some image is large enough for.
    figure_size = max(r["size"] for r in rows if r["status"] == "ok")
    figures = []
    for q in config.qualities:
        generator = (load_trained_generator(generators[q])
                     if (set(GENERATOR_METHODS) & set(config.methods) and q in generators)
                     else None)
        figures += write_figures(rows, data_dir, out_dir, methods=config.methods, quality=q,
                                 size=figure_size, seed=config.seed, generator=generator, policy=config.policy)
    write_report(out_dir, config=config, rows=rows, command=command, data_description=data_description,
                 figures=figures, note=note)
    return (out_dir / "table1.md").read_text(), (out_dir / "table2.md").read_text()


def with_shipped_models(config: EvalConfig) -> EvalConfig:
    """The GAN rows run the shipped generators unless ``config`` names others, the ``"auto"`` rows
    the shipped erase policy (``jpegaf erase``'s default) unless it names another, and the CNN
    rows the shipped detectors (trained on the corpus) unless it names others."""
    from ..antiforensics.policy import POLICY_FILE
    from ..pretrained import PRETRAINED_DIR, shipped_detectors, shipped_weights

    uses_generator = bool(set(GENERATOR_METHODS) & set(config.methods))
    generators = config.generators or (tuple(str(p) for p in shipped_weights()) if uses_generator else ())
    policy = config.policy or (str(PRETRAINED_DIR / POLICY_FILE) if AUTO in config.methods else "")
    return dataclasses.replace(config, generators=generators, policy=policy,
                               cnn=config.cnn or tuple(str(p) for p in shipped_detectors()))


def evaluate_folder(config: EvalConfig, data_dir: Path, out_dir: Path, command: str) -> tuple[str, str]:
    """`jpegaf evaluate`: :func:`run_evaluation` on a folder of never-compressed images, its
    test part (a corpus's own, or the seeded identity split) or, with ``split="all"``, all of it."""
    from ..data.corpus import is_corpus

    if not data_dir.is_dir():
        raise InputError(data_dir, "no such folder")
    if config.split == "all":
        which = "every image (--split all: a folder no model or threshold was fitted on)"
    elif is_corpus(data_dir):
        which = "the corpus's test part (never trained or calibrated on)"
    else:
        which = f"held-out split (test fraction {config.test_fraction}, seed {config.seed})"
    return run_evaluation(config, data_dir, out_dir, command=command, note="",
                          data_description=f"never-compressed images of {data_dir}, {which}")


def run_demo(config: EvalConfig, out_dir: Path, command: str) -> tuple[str, str, str]:
    """`jpegaf demo`: :func:`run_evaluation` on the bundled held-out crops. Returns the note that
    says what these figures are, and the Markdown of Tables I and II."""
    from ..heldout import HELDOUT_DIR, heldout_paths

    if not heldout_paths():
        raise JpegafError("the bundled held-out crops are missing from the installation "
                          f"({HELDOUT_DIR}; rebuild them with scripts/bundle_heldout.py)")
    n = len(heldout_paths()) if config.limit is None else min(config.limit, len(heldout_paths()))
    note = (f"{n} bundled crops of never-compressed photographs (the training corpus's test part, "
            "src/jpegaf/heldout), not BOSSBase/BOWS2: no shipped model or threshold has seen them, "
            "but they are few and not the paper's images, so these figures are not the paper's.")
    t1, t2 = run_evaluation(config, HELDOUT_DIR, out_dir, command=command, note=note,
                            data_description="the bundled held-out crops (src/jpegaf/heldout: the corpus's "
                                             "test part, PROVENANCE.csv), never trained or calibrated on")
    return note, t1, t2
