"""One self-contained HTML report of an evaluation run.

:func:`write_report` writes ``out_dir/report.html`` (atomically): the caller's note (shown
prominently, e.g. why the numbers are not the paper's), the data set's description, the exact
command, the configuration and seeds, the versions of jpegaf, libjpeg, torch and numpy, Tables I
and II (from :func:`table1`/:func:`table2`, the paper's numbers beside ours in brackets, cells
without a result shown as "missing") and every figure embedded as a base64 ``data:`` URI. The page
loads nothing from elsewhere (no external scripts, styles, fonts or images). All text is escaped
with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import os
import platform
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .. import __version__, jpeg
from ..detectors import Calibration, load_calibrations
from ..imageio import atomic_write_bytes
from .grid import CALIBRATIONS_JSON, EvalConfig, method_seed
from .tables import Cell, Layout, table1, table1_layout, table2, table2_layouts

Row = Mapping[str, Any]
REPORT_HTML = "report.html"

_CAPTIONS = {
    "triptych": "Fig. 2-style comparison for one held-out image: JPEG | processed | original, "
                "with an enlarged 64x64 region (outlined in red) below.",
    "histogram": "Histogram of one DCT subband (see the title) of the original, the JPEG (a comb on "
                 "multiples of the quantization step) and each method's output.",
    "roc": "ROC curve of one detector: never-compressed originals (negatives) against each method's "
           "outputs (positives).",
    "tradeoff": "Per method (colour) and quality (marker): PSNR gain over the JPEG (x) against the "
                "highest detection rate of any detector at its calibrated threshold (y). Bottom right: "
                "better than the JPEG and undetected.",
    "scatter": "Quality against detectability: mean PSNR (x) and detection rate at the calibrated "
               "threshold (y) per method (colour) and detector (marker).",
}

_STYLE = """
body { font-family: sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; color: #222; }
.note { border: 3px solid #c00; background: #fff3f3; padding: 0.8em 1em; font-size: 1.1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em 0; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: right; }
th { background: #eee; } td.l { text-align: left; }
td.missing { color: #a00; font-style: italic; }
.paper { color: #666; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; max-width: 100%; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.8em; max-width: 600px; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def versions() -> dict[str, str]:
    """Versions of the software the numbers depend on."""
    out = {"jpegaf": __version__, "libjpeg": jpeg.libjpeg_version(), "numpy": np.__version__}
    try:
        import torch

        out["torch"] = torch.__version__
    except ImportError:
        out["torch"] = "not installed"
    out["python"] = platform.python_version()
    return out


def _missing(status: str) -> str:
    return f'<td class="missing" title="{_e(status)}">missing</td>'


def _html_cell(c: Cell, label: bool) -> str:
    if c.missing is not None:
        return _missing(c.missing)
    text = _e(c.text) + (f' <span class="paper">[{_e(c.paper)}]</span>' if c.paper is not None else "")
    return f'<td class="l">{text}</td>' if label else f"<td>{text}</td>"


def layout_html(layout: Layout, labels: int) -> str:
    """One table of :mod:`.tables`' layout as HTML; the first ``labels`` columns left-aligned."""
    parts = [f"<h3>{_e(layout.heading)}</h3>"] if layout.heading else []
    parts += ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in layout.header) + "</tr>"]
    parts += ["<tr>" + "".join(_html_cell(c, i < labels) for i, c in enumerate(row)) + "</tr>"
              for row in layout.rows]
    parts.append("</table>")
    return "\n".join(parts)


def table1_html(t1: Sequence[Row]) -> str:
    """Table I as HTML: the Markdown table's layout (:func:`jpegaf.evaluation.tables.table1_layout`)."""
    return layout_html(table1_layout(t1), labels=2)


def table2_html(t2: Sequence[Row]) -> str:
    """Table II as HTML, one table per detector, laid out as the Markdown one."""
    return "\n".join(layout_html(lay, labels=2) for lay in table2_layouts(t2))


def _figure_html(path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    name = Path(path).name
    caption = _CAPTIONS.get(name.split("_", 1)[0], "")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(name)}">'
            f"<figcaption><b>{_e(name)}</b>. {_e(caption)}</figcaption></figure>")


def _config_html(config: EvalConfig) -> str:
    items = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(vars(config))
    return "<table>" + "".join(f'<tr><th>{_e(k)}</th><td class="l">{_e(v)}</td></tr>'
                               for k, v in items.items()) + "</table>"


def _seeds_html(config: EvalConfig, rows: Sequence[Row]) -> str:
    images = list(dict.fromkeys(r["image"] for r in rows))
    lines = [f"<p>Split and base seed: <code>{_e(config.seed)}</code>. The methods' seed of image i of "
             "the test split is <code>method_seed(seed, i)</code> "
             "(<code>numpy.random.SeedSequence([seed, i])</code>, first 32-bit word); "
             "images are listed in test-split order.</p>", "<table><tr><th>i</th><th>Image</th>"
             "<th>Method seed</th></tr>"]
    for i, name in enumerate(images):
        lines.append(f'<tr><td>{i}</td><td class="l">{_e(name)}</td>'
                     f"<td>{method_seed(config.seed, i)}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def render_report(*, config: EvalConfig, rows: Sequence[Row], command: str, data_description: str,
                  figures: Sequence[str | os.PathLike], note: str = "",
                  calibrations: Sequence[Calibration] | None = None, title: str = "jpegaf evaluation report") -> str:
    """The report's HTML text (see :func:`write_report`)."""
    t1, t2 = table1(rows), table2(rows, calibrations)
    n_images = len({r["image"] for r in rows})
    n_missing = sum(1 for r in rows if r["status"] != "ok")
    ver = versions()
    body = [f"<h1>{_e(title)}</h1>"]
    if note:
        body.append(f'<div class="note"><b>Note.</b> {_e(note)}</div>')
    # The figure a reader wants first: quality gained against the worst detection, per method.
    lead = [f for f in figures if Path(f).name.startswith("tradeoff_")]
    figures = [f for f in figures if f not in lead]
    if lead:
        body += ["<h2>At a glance</h2>"] + [_figure_html(Path(f)) for f in lead]
    body += ["<h2>Data</h2>", f"<p>{_e(data_description)}</p>",
             f"<p>{n_images} images, {len(rows)} rows ({n_missing} missing).</p>",
             "<h2>Command</h2>", f"<pre>{_e(command)}</pre>",
             "<h2>Configuration</h2>", _config_html(config),
             "<h2>Seeds</h2>", _seeds_html(config, rows),
             "<h2>Versions</h2>",
             "<table>" + "".join(f'<tr><th>{_e(k)}</th><td class="l">{_e(v)}</td></tr>' for k, v in ver.items())
             + "</table>",
             "<h2>Table I: PSNR and SSIM</h2>",
             "<p>Average PSNR (finite values; the count of infinite ones in parentheses) and SSIM against "
             "the never-compressed originals. Ours, with Luo et al. (2018) in brackets (BOSSBase + BOWS2, "
             "4,000 test images; the paper has no F3).</p>",
             table1_html(t1),
             "<h2>Table II: detection</h2>",
             "<p>Detection rate (%) at each detector's calibrated threshold and the ROC AUC of "
             "never-compressed originals against the method's outputs. The 'original' row is the "
             "false-positive rate, with its count and 95% Clopper-Pearson interval. In the CNN table a "
             "row 'CNN-&lt;size&gt;-q&lt;QF&gt;' reads each QF column from that quality's CNN. Luo et "
             "al.'s rates (their CNN detector only) in brackets.</p>",
             table2_html(t2),
             "<h2>Figures</h2>"]
    body += [_figure_html(Path(f)) for f in figures]
    if not figures:
        body.append("<p>No figures.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_report(out_dir: str | os.PathLike, *, config: EvalConfig, rows: Sequence[Row], command: str,
                 data_description: str, figures: Sequence[str | os.PathLike], note: str = "",
                 calibrations: Sequence[Calibration] | None = None) -> Path:
    """Write ``out_dir/report.html`` (module doc) atomically; returns its path.

    ``calibrations`` default: ``out_dir/calibrations.json`` written by the grid when present, else
    the shipped classical ones. ``note``: shown in a box at the top of the page.
    """
    out_dir = Path(out_dir)
    if calibrations is None:
        saved = out_dir / CALIBRATIONS_JSON
        calibrations = load_calibrations(saved) if saved.exists() else load_calibrations()
    text = render_report(config=config, rows=rows, command=command, data_description=data_description,
                         figures=figures, note=note, calibrations=calibrations)
    path = out_dir / REPORT_HTML
    atomic_write_bytes(path, text.encode("utf-8"))
    return path
