"""Figures and the HTML report of a tiny evaluation grid."""

from __future__ import annotations

import base64
import re
import shutil
import struct

import pytest

from jpegaf.evaluation import EvalConfig, run_grid
from jpegaf.evaluation.figures import default_image, processed_images, write_figures
from jpegaf.evaluation.report import write_report
from jpegaf.jpeg import libjpeg_version
from jpegaf.metrics import psnr

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
COMMAND = "jpegaf evaluate --sizes 64 --qualities 50 --methods jpeg f1 <tiny & test>"
NOTE = "The samples are few and not BOSSBase, so the figures are not the paper's."


@pytest.fixture(scope="module")
def run(tmp_path_factory, sample_files):
    tmp = tmp_path_factory.mktemp("report")
    data = tmp / "data"
    data.mkdir()
    for p in sample_files[:6]:
        shutil.copy(p, data / p.name)
    cfg = EvalConfig(sizes=(64,), qualities=(50,), methods=("jpeg", "f1"), detectors=("K_F", "Q_FdQ"),
                     test_fraction=0.5, limit=3)
    out = tmp / "out"
    rows = run_grid(cfg, data, out, progress=False)
    figs = write_figures(rows, data, out, methods=cfg.methods, quality=50, size=64, seed=cfg.seed)
    return cfg, data, out, rows, figs


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_figures_are_pngs(run):
    cfg, data, out, rows, figs = run
    names = {f.name for f in figs}
    assert {"triptych_f1_q50_s64.png", "histogram_q50_s64.png", "roc_K_F_q50_s64.png",
            "roc_Q_FdQ_q50_s64.png", "scatter_q50_s64.png"} <= names
    for f in figs:
        assert f.parent == out / "figures" and f.exists()
        w, h = png_size(f.read_bytes())
        assert 200 <= w <= 2000 and 200 <= h <= 2000
        assert f.stat().st_size > 5000
    assert not list((out / "figures").glob(".*"))  # no temporary files left


def test_figures_deterministic(run, tmp_path):
    cfg, data, out, rows, figs = run
    again = write_figures(rows, data, tmp_path, methods=cfg.methods, quality=50, size=64, seed=cfg.seed)
    assert [f.name for f in again] == [f.name for f in figs]
    for a, b in zip(again, figs):
        assert a.read_bytes() == b.read_bytes()


def test_triptych_recomputes_the_grid_cell(run):
    cfg, data, out, rows, figs = run
    image = default_image(rows, 64)
    imgs = processed_images(data, image, 0, size=64, quality=50, methods=["f1", "gan"], seed=cfg.seed)
    assert "gan" not in imgs  # no generator given
    for m in ("jpeg", "f1"):
        row = next(r for r in rows if r["image"] == image and r["method"] == m)
        assert psnr(imgs["original"], imgs[m]) == row["psnr"]


def test_report(run):
    cfg, data, out, rows, figs = run
    path = write_report(out, config=cfg, rows=rows, command=COMMAND,
                        data_description="3 bundled sample photographs <gray>", figures=figs, note=NOTE)
    assert path == out / "report.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert NOTE.replace("'", "&#x27;") in text
    assert "&lt;tiny &amp; test&gt;" in text and "<tiny" not in text  # command shown, escaped
    assert "sample photographs &lt;gray&gt;" in text
    assert "Table I" in text and "Table II" in text and text.count("<table>") >= 4
    assert "K_F" in text and "Q_FdQ" in text and "f1" in text
    assert libjpeg_version() in text and "numpy" in text and "torch" in text and "jpegaf" in text
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(uris) == len(figs)
    assert sorted(base64.b64decode(u) for u in uris) == sorted(f.read_bytes() for f in figs)
    assert 'src="http' not in text and 'href="http' not in text and "<script" not in text
    assert "<link" not in text and "url(" not in text


def test_report_marks_missing_cells(run, tmp_path):
    cfg, data, out, rows, figs = run
    extra = [{**r, "method": "gan", "status": "missing: no generator for QF 50", "psnr": None, "ssim": None,
              **{k: None for k in r if k.startswith("score:")}}
             for r in rows if r["method"] == "jpeg"]
    path = write_report(tmp_path, config=cfg, rows=rows + extra, command=COMMAND, data_description="d",
                        figures=[], note="")
    text = path.read_text(encoding="utf-8")
    assert ">missing<" in text and "no generator for QF 50" in text
    assert 'class="note"' not in text


def test_tradeoff_figure_leads_the_report(run):
    from jpegaf.evaluation.figures import tradeoff_points
    from jpegaf.evaluation.tables import table1, table2

    cfg, data, out, rows, figs = run
    assert figs[0].name == "tradeoff_s64.png"
    t1, t2 = table1(rows), table2(rows)
    points = {m: (gain, worst, det) for m, q, gain, worst, det in tradeoff_points(t1, t2, 64)}
    psnr_of = {r["method"]: r["psnr"] for r in t1 if r["size"] == 64 and r["quality"] == 50}
    # x is the PSNR gain over the JPEG (0 for the JPEG itself), y the highest rate of any detector.
    assert points["jpeg"][0] == 0.0
    assert points["f1"][0] == pytest.approx(psnr_of["f1"] - psnr_of["jpeg"])
    for m in ("jpeg", "f1"):
        rates = [r["rate"] for r in t2 if r["size"] == 64 and r["quality"] == 50 and r["method"] == m
                 and r["rate"] is not None]
        assert points[m][1] == max(rates)
    html = write_report(out, config=cfg, rows=rows, command=COMMAND, data_description="d",
                        figures=figs, note=NOTE).read_text()
    assert html.index("At a glance") < html.index("tradeoff_s64.png") < html.index("Table I")
