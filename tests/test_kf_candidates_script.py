"""scripts/kf_candidates.py: the candidates K_F^n was chosen from, on small images made here."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from jpegaf.detectors.blocking import blocking_kf, blocking_kf_normalised


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("kf_candidates")


def test_candidates_agree_with_the_library_and_with_each_other(script):
    img = np.random.default_rng(3).normal(128, 30, (64, 64)).clip(0, 255).astype(np.uint8)
    c = script.candidates(img)
    assert c["K_F"] == blocking_kf(img) and c["K_F^n"] == blocking_kf_normalised(img)
    assert c["ratio"] >= c["K_F^n"]  # the mean of the in-block distances is at most their largest
    assert np.isclose(c["difference"], c["pooled"] - c["pooled"] / c["ratio"])


def test_main_prints_one_table_per_size(script, tmp_path, capsys):
    rng = np.random.default_rng(4)
    for folder, n in (("cal", 4), ("set", 3)):
        (tmp_path / folder).mkdir()
        for i in range(n):  # smooth noise: JPEG at QF 25 marks the grid
            img = np.clip(128 + np.cumsum(rng.normal(0, 2, (64, 72)), axis=1), 0, 255).astype(np.uint8)
            Image.fromarray(img).save(tmp_path / folder / f"{i}.png")
    assert script.main(["--calibration", str(tmp_path / "cal"), "--sets", str(tmp_path / "set"), "--sizes", "64"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("64 px:") and out.count("| K_F") == 2
    row = next(line for line in out.splitlines() if line.startswith("| K_F^n |"))
    assert row.endswith("| 1.000 | 1.000 | 1.000 |")
    assert script.main(["--calibration", str(tmp_path / "nope"), "--sets", str(tmp_path / "set")]) == 2
