"""scripts/kv_candidates.py: the K_V candidates, on small images made here."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from jpegaf.detectors.tv import max_delta_tv


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("kv_candidates")


def test_candidates_agree_with_the_library(script):
    img = np.clip(128 + np.cumsum(np.random.default_rng(2).normal(0, 3, (256, 256)), axis=1), 0, 255).astype(np.uint8)
    assert script.candidates(img)["K_V"] == pytest.approx(max_delta_tv(img).score)


def test_a_jump_counts_and_a_steep_smooth_rise_does_not(script, monkeypatch):
    img = np.zeros((100, 100), np.uint8)  # 10,000 pixels; only its size matters here
    q = np.arange(45, 101, dtype=float)
    # F1-like: TV rises by 1,000 per quality and jumps by 5,000 more at q = 75.
    monkeypatch.setattr(script, "tv_curve", lambda _: 1000 * q + 5000 * (q >= 75))
    c = script.candidates(img)
    assert c["K_V"] == pytest.approx(0.6) and c["over local slope"] == pytest.approx(0.5)
    assert c["local ratio"] == pytest.approx(6.0) and c["relative"] == pytest.approx(6000 / (75000 + 5000))
    # Noise-like: TV rises smoothly but ever faster (quadratic): a large K_V, no jump over the slope.
    monkeypatch.setattr(script, "tv_curve", lambda _: 50 * (q - 45) ** 2)
    c = script.candidates(img)
    assert c["K_V"] == pytest.approx(50 * (55 ** 2 - 54 ** 2) / 1e4)
    # Inside the range a rise equals its neighbours' median; at the top end only the lower side is
    # there, two steps of growth below: 50 * 4 per 10,000 pixels, under 4 % of K_V.
    assert c["over local slope"] == pytest.approx(0.02) and c["local ratio"] == pytest.approx(109 / 105)


def test_main_prints_every_candidate(script, tmp_path, capsys):
    rng = np.random.default_rng(5)
    for folder, n in (("cal", 3), ("set", 2)):
        (tmp_path / folder).mkdir()
        for i in range(n):
            img = np.clip(128 + np.cumsum(rng.normal(0, 3, (256, 264)), axis=1), 0, 255).astype(np.uint8)
            Image.fromarray(img).save(tmp_path / folder / f"{i}.png")
    assert script.main(["--calibration", str(tmp_path / "cal"), "--sets", str(tmp_path / "set"),
                        "--qualities", "75"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("256 px, 3 calibration images")
    for name in ("K_V", "relative", "over local slope", "local ratio"):
        assert f"| {name} | " in out
    assert "| JPEG: AUC | JPEG: above |" in out
    # Smaller centre crops of the same images (those at least 256 px).
    assert script.main(["--calibration", str(tmp_path / "cal"), "--sets", str(tmp_path / "set"),
                        "--qualities", "75", "--size", "64"]) == 0
    assert capsys.readouterr().out.startswith("64 px, 3 calibration images")
    assert script.main(["--calibration", str(tmp_path / "nope"), "--sets", str(tmp_path / "set")]) == 2
