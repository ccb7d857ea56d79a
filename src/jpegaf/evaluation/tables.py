"""Tables I and II of Luo et al. from the grid's rows (:func:`jpegaf.evaluation.grid.run_grid`).

- :func:`table1`: mean PSNR (over the finite values, with the count of infinite ones) and mean SSIM
  of each method's outputs against the originals, per size, method and QF.
- :func:`table2`: per size, method, QF and detector, the detection rate at the detector's
  calibrated threshold and the ROC AUC of the never-compressed originals (negatives) against that
  method's outputs (positives); the originals' own row gives the false-positive rate.

:func:`write_tables` writes both as CSV and as Markdown laid out like the paper's tables (rows
size x method, columns QF), the paper's published numbers beside ours in brackets.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..detectors import Calibration, calibration_for, load_calibrations, verdict
from ..imageio import atomic_write_bytes
from ..metrics import rate_interval, roc_auc, summarize_psnr
from .grid import ALL_METHODS, CALIBRATIONS_JSON, ORIGINAL, score_columns
from .paper import paper_table1, paper_table2

Row = Mapping[str, Any]


def _sizes(rows: Sequence[Row]) -> list[int]:
    return sorted({int(r["size"]) for r in rows})


def _qualities(rows: Sequence[Row]) -> list[int]:
    return sorted({int(r["quality"]) for r in rows if r["quality"] is not None})


def _methods(rows: Sequence[Row], with_original: bool) -> list[str]:
    present = {r["method"] for r in rows}
    order = ((ORIGINAL,) if with_original else ()) + ALL_METHODS
    return [m for m in order if m in present]


def _status(sel: Sequence[Row]) -> str:
    if not sel:
        return "missing: no rows"
    missing = [r["status"] for r in sel if r["status"] != "ok"]
    return missing[0] if len(missing) == len(sel) else "ok"


def table1(rows: Sequence[Row]) -> list[dict]:
    """One dict per (size, method, quality): n, psnr (mean of finite), n_inf, ssim, status, and the
    paper's psnr/ssim (None where it has none). ``status`` is "ok" or the rows' "missing: ..."."""
    out = []
    for size in _sizes(rows):
        for method in _methods(rows, with_original=False):
            for q in _qualities(rows):
                sel = [r for r in rows if r["size"] == size and r["method"] == method and r["quality"] == q]
                ok = [r for r in sel if r["status"] == "ok"]
                status = _status(sel)
                s = summarize_psnr([float(r["psnr"]) for r in ok]) if ok else None
                paper = paper_table1(size, method, q)
                out.append({
                    "size": size, "method": method, "quality": q, "status": status, "n": len(ok),
                    "psnr": None if s is None or s.n_finite == 0 else s.mean,
                    "n_inf": None if s is None else s.n_infinite,
                    "ssim": float(np.mean([float(r["ssim"]) for r in ok])) if ok else None,
                    "paper_psnr": None if paper is None else paper[0],
                    "paper_ssim": None if paper is None else paper[1],
                })
    return out


def _calibration(calibrations: Sequence[Calibration], name: str, size: int) -> Calibration | None:
    try:
        return calibration_for(calibrations, name, size)
    except ValueError:
        return None


def _cnn_size(detector: str) -> int | None:
    """The image size a CNN detector was trained for, from its name (``CNN-64-q50``,
    ``CNN-64-q50-f1``); None for the classical detectors, which score every size."""
    parts = detector.split("-")
    return int(parts[1]) if parts[0] == "CNN" and len(parts) > 1 and parts[1].isdigit() else None


def table2(rows: Sequence[Row], calibrations: Sequence[Calibration] | None = None) -> list[dict]:
    """One dict per (size, method, quality, detector): n, rate (fraction detected as JPEG), auc
    (originals vs this method's outputs; None for the originals), threshold, status, paper_rate
    (the paper's CNN rate as a fraction, for the plain ``CNN-<size>-q<QF>`` detector in its own
    quality's column only: the paper's CNN for a column is trained on that column's JPEGs).

    ``calibrations``: classical ones from ``load_calibrations()`` and the CNNs' own (the grid saves
    both in ``calibrations.json``); None uses the shipped ones only. Originals appear with
    ``quality`` set to each QF (the same numbers repeated), so that every column of the table is full.
    """
    cals = list(load_calibrations()) if calibrations is None else list(calibrations)
    detectors = [c[len("score:"):] for c in score_columns(rows)]
    out = []
    for size in _sizes(rows):
        at_size = [r for r in rows if r["size"] == size]
        originals = [r for r in at_size if r["method"] == ORIGINAL and r["status"] == "ok"]
        for det in detectors:
            key = f"score:{det}"
            neg = [float(r[key]) for r in originals if r.get(key) is not None]
            if _cnn_size(det) not in (None, size):
                continue  # the CNN of another size: it never scores these crops
            cal = _calibration(cals, det, size)
            for method in _methods(rows, with_original=True):
                for q in _qualities(rows):
                    sel = [r for r in at_size if r["method"] == method
                           and (method == ORIGINAL or r["quality"] == q)]
                    status = _status(sel)
                    scores = [float(r[key]) for r in sel if r["status"] == "ok" and r.get(key) is not None]
                    if status == "ok" and not scores:
                        status = f"missing: no {det} detector for size {size}"
                    elif status == "ok" and cal is None:
                        status = f"missing: no calibration of {det} at size {size}"
                    hits = sum(verdict(s, cal) for s in scores) if status == "ok" else 0
                    rate = hits / len(scores) if status == "ok" else None
                    lo, hi = rate_interval(hits, len(scores)) if status == "ok" else (None, None)
                    auc = (roc_auc(neg, scores) if status == "ok" and method != ORIGINAL and neg else None)
                    paper = paper_table2(size, method, q) if det == f"CNN-{size}-q{q}" else None
                    out.append({"size": size, "method": method, "quality": q, "detector": det,
                                "status": status, "n": len(scores), "rate": rate, "rate_low": lo,
                                "rate_high": hi, "auc": auc,
                                "threshold": None if cal is None else cal.threshold,
                                "paper_rate": None if paper is None else paper / 100.0})
    return out


# --- output ---------------------------------------------------------------------------------

def _csv(records: Sequence[Mapping[str, Any]]) -> bytes:
    buf = io.StringIO()
    if records:
        w = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        for r in records:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue().encode()


def _fmt_psnr(v: float) -> str:
    return "INF" if math.isinf(v) else f"{v:.3f}"


# --- layout: what the tables show, rendered once to Markdown here and to HTML by the report ---

@dataclass(frozen=True)
class Cell:
    """One cell: our figure, the paper's beside it in brackets, or why there is none."""

    text: str = ""
    paper: str | None = None
    missing: str | None = None  # the row's status when there is no figure


@dataclass(frozen=True)
class Layout:
    """One table: an optional section heading, the column names and the rows of cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    heading: str | None = None


TABLE1_CAPTION = ("Table I. Average PSNR and SSIM against the never-compressed originals "
                  "(ours [Luo et al. 2018]; PSNR averages the finite values, infinite ones counted).")
TABLE2_CAPTION = ("Table II. Detection rate (%) at each detector's calibrated threshold, with the ROC AUC of "
                  "never-compressed originals vs the method's outputs (ours [Luo et al. 2018, CNN detector]). "
                  "The 'original' row is the false-positive rate on these never-compressed images, with "
                  "their count and a 95% Clopper-Pearson interval.")


def _missing_cell(r: Row | None) -> Cell:
    return Cell(missing="missing: no rows" if r is None else r["status"])


def table1_layout(t1: Sequence[Row]) -> Layout:
    """Table I laid out as in the paper: rows size x method, per QF the PSNR and the SSIM."""
    qs = sorted({r["quality"] for r in t1})
    header = ("Size", "Method", "n", *[h for q in qs for h in (f"QF={q} PSNR (dB)", f"QF={q} SSIM")])
    rows = []
    keys = sorted({(r["size"], r["method"]) for r in t1}, key=lambda k: (k[0], ALL_METHODS.index(k[1])))
    for size, method in keys:
        cells, n = [], 0
        for q in qs:
            r = next((x for x in t1 if x["size"] == size and x["method"] == method and x["quality"] == q), None)
            if r is None or r["status"] != "ok":
                cells += [_missing_cell(r), _missing_cell(r)]
                continue
            n = max(n, r["n"])
            # ours to 0.01 dB; the paper's as published (3 decimals)
            p = ("INF" if r["psnr"] is None else f"{r['psnr']:.2f}") + (f" ({r['n_inf']} inf)" if r["n_inf"] else "")
            paper = r["paper_psnr"] is not None
            cells += [Cell(p, _fmt_psnr(r["paper_psnr"]) if paper else None),
                      Cell(f"{r['ssim']:.3f}", f"{r['paper_ssim']:.3f}" if paper else None)]
        rows.append((Cell(f"{size}x{size}"), Cell(method), Cell(str(n)), *cells))
    return Layout(header, tuple(rows))


def table2_layouts(t2: Sequence[Row]) -> list[Layout]:
    """Table II laid out as in the paper, one table per detector: detection rate % (ROC AUC of
    originals vs outputs) [the paper's CNN rate %]; the CNNs in one table (see _row_group)."""
    qs = sorted({r["quality"] for r in t2})
    detectors = list(dict.fromkeys(r["detector"] for r in t2))
    base = sorted({d if not d.startswith("CNN-") else "CNN" for d in detectors}, key=detectors_order(detectors))
    out = []
    for det in base:
        sel_det = [r for r in t2 if (r["detector"].startswith("CNN-") if det == "CNN" else r["detector"] == det)]
        keys = sorted({(r["size"], r["method"], _row_group(r["detector"], r["size"], qs)) for r in sel_det},
                      key=lambda k: (k[0], k[2], ((ORIGINAL,) + ALL_METHODS).index(k[1])))
        rows = []
        for size, method, name in keys:
            cells = []
            for q in qs:
                # A "matched" row takes each column from that column's own CNN, CNN-<size>-q<QF>.
                want = f"CNN-{size}-q{q}" if name == _MATCHED else name
                r = next((x for x in sel_det if x["size"] == size and x["method"] == method
                          and x["detector"] == want and x["quality"] == q), None)
                if r is None or r["status"] != "ok":
                    cells.append(_missing_cell(r))
                    continue
                c = f"{100 * r['rate']:.2f}"
                if method == ORIGINAL:  # a measured false-positive rate: its count and interval
                    c += f" (n={r['n']}, 95% CI {100 * r['rate_low']:.1f}–{100 * r['rate_high']:.1f})"
                if r["auc"] is not None:
                    c += f" (AUC {r['auc']:.3f})"
                paper = f"{100 * r['paper_rate']:.2f}" if r["paper_rate"] is not None else None
                cells.append(Cell(c, paper))
            label = method if det != "CNN" else f"{method} ({f'CNN-{size}-q<QF>' if name == _MATCHED else name})"
            rows.append((Cell(f"{size}x{size}"), Cell(label), *cells))
        out.append(Layout(("Size", "Method", *[f"QF={q}" for q in qs]), tuple(rows), heading=det))
    return out


def _markdown_cell(c: Cell) -> str:
    if c.missing is not None:
        return "missing"
    return c.text + (f" [{c.paper}]" if c.paper is not None else "")


def layout_markdown(layout: Layout) -> str:
    """One table as Markdown lines (its heading as ``### heading`` first)."""
    lines = [f"### {layout.heading}", ""] if layout.heading else []
    lines += ["| " + " | ".join(layout.header) + " |", "|" + "---|" * len(layout.header)]
    lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in layout.rows]
    return "\n".join(lines)


def table1_markdown(t1: Sequence[Row]) -> str:
    """Table I laid out as in the paper; the paper's numbers in brackets."""
    return TABLE1_CAPTION + "\n\n" + layout_markdown(table1_layout(t1)) + "\n"


def table2_markdown(t2: Sequence[Row]) -> str:
    """Table II laid out as in the paper, one table per detector."""
    return "\n".join([TABLE2_CAPTION, ""] + [layout_markdown(lay) + "\n" for lay in table2_layouts(t2)])


# Row group of the plain CNNs shown in their own quality's column (see _row_group).
_MATCHED = "CNN-<size>-q<QF>"


def _row_group(detector: str, size: int, qualities: Sequence[int]) -> str:
    """The row a Table II entry belongs to in the Markdown layout. The paper's CNN for a column is
    trained on that column's JPEGs, so the plain CNNs ``CNN-<size>-q<QF>`` of the table's
    qualities share one row per method, each column read from its own CNN; any other detector
    (an adaptive CNN, a CNN of another quality, a classical one) keeps its own row, every column
    from itself. Its scores at the other qualities stay in table2.csv and the HTML report."""
    if detector.startswith("CNN-") and detector in {f"CNN-{size}-q{q}" for q in qualities}:
        return _MATCHED
    return detector


def detectors_order(detectors: Sequence[str]):
    first = {("CNN" if d.startswith("CNN-") else d): i for i, d in reversed(list(enumerate(detectors)))}
    return lambda d: first[d]


def write_tables(rows: Sequence[Row], out_dir: str | os.PathLike,
                 calibrations: Sequence[Calibration] | None = None) -> tuple[list[dict], list[dict]]:
    """Write table1.csv, table1.md, table2.csv, table2.md into ``out_dir``; returns (table I, table II).

    ``calibrations`` default: ``out_dir/calibrations.json`` written by the grid when present (it
    holds the CNN detectors' thresholds), else the shipped classical calibrations.
    """
    out_dir = Path(out_dir)
    if calibrations is None:
        saved = out_dir / CALIBRATIONS_JSON
        calibrations = load_calibrations(saved) if saved.exists() else load_calibrations()
    t1, t2 = table1(rows), table2(rows, calibrations)
    atomic_write_bytes(out_dir / "table1.csv", _csv(t1))
    atomic_write_bytes(out_dir / "table1.md", table1_markdown(t1).encode())
    atomic_write_bytes(out_dir / "table2.csv", _csv(t2))
    atomic_write_bytes(out_dir / "table2.md", table2_markdown(t2).encode())
    return t1, t2
