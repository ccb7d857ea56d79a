"""Tables I and II from grid rows: layout, missing cells, the paper's numbers beside ours."""

from __future__ import annotations

import math

import pytest

from jpegaf.detectors import Calibration
from jpegaf.evaluation import TABLE1, TABLE2, paper_table1, table1, table2, write_tables


def fake_rows():
    rows = []
    for i, img in enumerate(["a.png", "b.png", "c.png"]):
        for size in (64, 128):
            rows.append({"image": img, "size": size, "quality": None, "method": "original", "status": "ok",
                         "psnr": math.inf, "ssim": 1.0, "score:K_F": 0.1 * i})
            for q in (50, 75):
                rows.append({"image": img, "size": size, "quality": q, "method": "jpeg", "status": "ok",
                             "psnr": math.inf if (i == 0 and size == 64) else 30.0 + i, "ssim": 0.9,
                             "score:K_F": 1.0 + i})
                if q == 50:
                    rows.append({"image": img, "size": size, "quality": q, "method": "gan", "status": "ok",
                                 "psnr": 35.0, "ssim": 0.95, "score:K_F": 0.05 * i})
                else:
                    rows.append({"image": img, "size": size, "quality": q, "method": "gan",
                                 "status": "missing: no generator for QF 75", "psnr": None, "ssim": None,
                                 "score:K_F": None})
    return rows


CALS = [Calibration("K_F", 0.15, 0.05, 10, s, "test") for s in (64, 128)]


def test_paper_numbers():
    assert TABLE1[(256, "F")][50] == (35.919, 0.940)
    assert math.isinf(TABLE1[(64, "J")][25][0])
    assert TABLE2[(256, "F2")][75] == 0.025
    assert len(TABLE1) == len(TABLE2) == 16
    assert paper_table1(128, "jpeg", 50) == (34.912, 0.929)
    assert paper_table1(128, "f3", 50) is None


def test_table1_values():
    t1 = table1(fake_rows())
    assert {(r["size"], r["method"], r["quality"]) for r in t1} == {
        (s, m, q) for s in (64, 128) for m in ("jpeg", "gan") for q in (50, 75)}
    j64 = next(r for r in t1 if r["size"] == 64 and r["method"] == "jpeg" and r["quality"] == 50)
    assert j64["n_inf"] == 1 and j64["psnr"] == pytest.approx(31.5) and j64["n"] == 3
    assert j64["paper_psnr"] == math.inf and j64["paper_ssim"] == 0.928
    g75 = next(r for r in t1 if r["method"] == "gan" and r["quality"] == 75)
    assert g75["status"].startswith("missing") and g75["psnr"] is None


def test_table2_values():
    t2 = table2(fake_rows(), CALS)
    j = next(r for r in t2 if r["size"] == 128 and r["method"] == "jpeg" and r["quality"] == 50)
    assert j["rate"] == 1.0 and j["auc"] == 1.0 and j["detector"] == "K_F"
    assert j["paper_rate"] is None  # the paper's numbers are the CNN's
    o = next(r for r in t2 if r["size"] == 128 and r["method"] == "original" and r["quality"] == 75)
    assert o["rate"] == pytest.approx(1 / 3) and o["auc"] is None
    g = next(r for r in t2 if r["method"] == "gan" and r["quality"] == 75)
    assert g["status"].startswith("missing") and g["rate"] is None
    # no calibration -> missing, not a guessed threshold
    t2b = table2(fake_rows(), CALS[:1])
    at128 = [r for r in t2b if r["size"] == 128]
    assert all(r["status"].startswith("missing") and r["rate"] is None for r in at128)
    assert all(r["status"] == "missing: no calibration of K_F at size 128" for r in at128 if r["method"] == "jpeg")


def test_write_tables_layout(tmp_path):
    write_tables(fake_rows(), tmp_path, CALS)
    for name in ("table1.csv", "table1.md", "table2.csv", "table2.md"):
        assert (tmp_path / name).stat().st_size > 0
    md1 = (tmp_path / "table1.md").read_text()
    assert "| Size | Method | n | QF=50 PSNR (dB) | QF=50 SSIM | QF=75 PSNR (dB) | QF=75 SSIM |" in md1
    line = next(l for l in md1.splitlines() if l.startswith("| 64x64 | jpeg |"))
    assert "31.50 (1 inf) [INF]" in line and "[0.928]" in line
    gan = next(l for l in md1.splitlines() if l.startswith("| 128x128 | gan |"))
    assert gan.count("missing") == 2 and "[35.868]" in gan
    md2 = (tmp_path / "table2.md").read_text()
    assert "### K_F" in md2 and "| Size | Method | QF=50 | QF=75 |" in md2
    gan2 = next(l for l in md2.splitlines() if l.startswith("| 64x64 | gan |"))
    assert gan2.rstrip().endswith("| missing |")
    assert "(AUC 1.000)" in md2


def test_table2_markdown_reads_each_column_from_its_own_cnn():
    """Plain CNNs of the table's qualities share one row per method, each QF column from
    CNN-<size>-q<QF>; a CNN of another quality or an adaptive one keeps its own row; a column
    without its own CNN is missing."""
    from jpegaf.evaluation.tables import table2_markdown

    rows = []
    for i, img in enumerate(["a.png", "b.png", "c.png", "d.png"]):
        rows.append({"image": img, "size": 64, "quality": None, "method": "original", "status": "ok",
                     "psnr": math.inf, "ssim": 1.0, "score:CNN-64-q50": 0.1 * i,
                     "score:CNN-64-q75": 0.1 * i, "score:CNN-64-q50-f1": 0.1 * i})
        for q in (25, 50, 75):
            # CNN-64-q50 scores every JPEG high, CNN-64-q75 every JPEG low: which one a cell
            # reads is visible in its rate.
            rows.append({"image": img, "size": 64, "quality": q, "method": "jpeg", "status": "ok",
                         "psnr": 30.0, "ssim": 0.9, "score:CNN-64-q50": 0.9,
                         "score:CNN-64-q75": 0.0, "score:CNN-64-q50-f1": 0.9})
    cals = [Calibration(n, 0.5, 0.05, 4, 64, "test") for n in ("CNN-64-q50", "CNN-64-q75", "CNN-64-q50-f1")]
    md = table2_markdown(table2(rows, cals))
    jpeg_row = next(l for l in md.splitlines() if l.startswith("| 64x64 | jpeg (CNN-64-q<QF>) |"))
    cells = [c.strip() for c in jpeg_row.strip("|").split("|")][2:]
    assert cells[0] == "missing"  # no CNN-64-q25
    assert cells[1].startswith("100.00")  # QF 50 column: CNN-64-q50
    assert cells[2].startswith("0.00")  # QF 75 column: CNN-64-q75
    adaptive = next(l for l in md.splitlines() if l.startswith("| 64x64 | jpeg (CNN-64-q50-f1) |"))
    assert "missing" not in adaptive and adaptive.count("100.00") == 3
    assert "| 64x64 | jpeg (CNN-64-q50) |" not in md  # shown in its own column only
