"""A whole evaluation, as `jpegaf evaluate` and `jpegaf demo` run it: the grid (cached, resumable),
Tables I and II, the figures and report.html, in that order, into one output folder."""

from __future__ import annotations

from pathlib import Path

from ..antiforensics.gan import load_trained_generator
from ..imageio import make_output_folder
from .figures import write_figures
from .grid import EvalConfig, check_inputs, resolve_generators, run_grid
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
    generators = resolve_generators(config.generators)
    # The figures show the largest size that some image is large enough for.
    figure_size = max(r["size"] for r in rows if r["status"] == "ok")
    figures = []
    for q in config.qualities:
        generator = (load_trained_generator(generators[q]) if ("gan" in config.methods and q in generators)
                     else None)
        figures += write_figures(rows, data_dir, out_dir, methods=config.methods, quality=q,
                                 size=figure_size, seed=config.seed, generator=generator)
    write_report(out_dir, config=config, rows=rows, command=command, data_description=data_description,
                 figures=figures, note=note)
    return (out_dir / "table1.md").read_text(), (out_dir / "table2.md").read_text()
