"""scripts/kf_floor.py: K_F's statistic between two in-block positions (no block boundary)."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.detectors.blocking import blocking_kf


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("kf_floor")


def test_second_differences_read_the_asked_offset_of_each_block(script):
    img = np.zeros((32, 32), np.uint8)
    img[8 + 1, 16 + 1] = 50  # block (1, 2), offset (1, 1)
    d = script.second_differences(img, 1, 1).reshape(3, 3)  # 4 x 4 blocks, the last row and column skipped
    assert d[1, 2] == 50 and d.sum() == 50
    assert script.second_differences(img, 3, 3).sum() == 0


def test_the_floor_is_noise_where_k_f_is_and_zero_where_there_is_none(script):
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (256, 256)).astype(np.uint8)  # no grid: K_F is its histograms' noise
    kf, floor = blocking_kf(noise), script.kf_floor(noise)
    assert kf > 0.5 and floor > 0.5 and abs(kf - floor) < 0.15
    ramp = np.tile(np.arange(256, dtype=np.uint8), (256, 1))  # every second difference is 0
    assert blocking_kf(ramp) == 0.0 and script.kf_floor(ramp) == 0.0


def test_main_refuses_a_folder_without_images(script, tmp_path, capsys):
    assert script.main([str(tmp_path)]) == 2
    assert "no lossless images" in capsys.readouterr().err


def test_main_compares_with_the_jpegs_when_asked(script, tmp_path, capsys):
    from PIL import Image

    rng = np.random.default_rng(1)
    for i in range(3):  # smooth noise: JPEG at QF 25 marks the grid, so K_F separates them
        img = np.clip(128 + np.cumsum(rng.normal(0, 2, (64, 64)), axis=1), 0, 255).astype(np.uint8)
        Image.fromarray(img).save(tmp_path / f"n{i}.png")
    assert script.main([str(tmp_path), "--quality", "25"]) == 0
    out = capsys.readouterr().out
    assert out.count("K_F ") >= 3 and "QF 25, 3 originals against their JPEGs: AUC of K_F 1.000" in out
    assert out.count("  K_F^n ") == 3 and out.rstrip().endswith("AUC of K_F^n 1.000")
