"""scripts/kv_textures.py: the K_V^s guard probe's pieces, on small arrays and images made here."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PIL import Image

from jpegaf.jpeg import compress, read_coefficients
from jpegaf.jpeg.dct import block_dct


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("kv_textures")


def _texture(seed: int, side: int = 64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(128 + rng.normal(0, 30, (side, side)), 0, 255).astype(np.uint8)


def test_never_compressed_level_reads_only_the_fitted_parts_of_that_side(script, tmp_path):
    path = tmp_path / "scores.csv"
    rows = ([{"part": "train", "size": 128, "K_V^s": v} for v in (0.1, 0.2, 0.3, 0.4, 0.5)]
            + [{"part": "calibration", "size": 128, "K_V^s": 0.6}]
            + [{"part": "test", "size": 128, "K_V^s": 9.0}, {"part": "train", "size": 256, "K_V^s": 7.0},
               {"part": "train", "size": 128, "K_V^s": ""}])
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["part", "size", "K_V^s"])
        w.writeheader()
        w.writerows(rows)
    # 0.1 .. 0.6: the median is 0.35; the test part's 9.0 and the 256-px 7.0 would move it.
    assert script.never_compressed_level(path, 128, 0.5) == pytest.approx(0.35)
    assert script.never_compressed_level(path, 128, 1.0) == pytest.approx(0.6)
    with pytest.raises(SystemExit, match="no K_V\\^s scores of 64-px"):
        script.never_compressed_level(path, 64, 0.5)


def test_spread_moves_only_the_nonzero_bins_of_the_high_subbands(script):
    x = _texture(1)
    coefs = read_coefficients(compress(x, 75))
    k, table = coefs.coef[0], coefs.qt[0]
    plane = x.astype(np.float64)
    out = script.spread_high_bins(plane, k, table, np.random.default_rng(0), 0.3, 6)
    before = block_dct(plane).reshape(-1, 64)
    after = block_dct(out).reshape(-1, 64)
    moved = np.abs(after - before) > 1e-6
    kk = k.reshape(-1, 64)
    chosen = (kk != 0) & (script.ORDER >= 6)[None, :]
    assert moved[chosen].mean() > 0.9  # ties aside, every chosen coefficient moves
    assert not moved[~chosen].any()  # the DC, the low subbands and every zero bin stay
    # The spread is in steps: a subband's moves scale with its step (c x step), here 0.3 of steps
    # of 10-60, so the mean move is several coefficient units, far more than the 1.5 of the smoothing.
    assert np.abs(after - before)[chosen].mean() > 3.0
    # With no spread asked of any subband (order above 14), nothing moves.
    same = script.spread_high_bins(plane, k, table, np.random.default_rng(0), 0.3, 15)
    np.testing.assert_allclose(same, plane, atol=1e-9)


def test_each_swap_takes_exactly_its_part_from_the_original(script):
    rng = np.random.default_rng(2)
    x = np.clip(128 + rng.normal(0, 20, (64, 64)), 40, 215).astype(np.uint8)
    y = x + np.uint8(8)  # the same picture 8 levels brighter: only the DC of every block differs
    coefs = read_coefficients(compress(x, 75))
    swapped = script.swapped_scores(x, y, coefs.coef[0])
    assert set(swapped) == {"zero-bin AC", "nonzero AC", "DC", "u+v>=6", "zero bins of u+v>=6"}
    assert swapped["DC"] == pytest.approx(script.kv(x))  # the DC taken back: the original itself
    for part in ("zero-bin AC", "nonzero AC", "u+v>=6", "zero bins of u+v>=6"):
        assert swapped[part] == pytest.approx(script.kv(y))  # AC parts: both images have the same
    assert script.kv(x) != pytest.approx(script.kv(y))  # so the test tells the parts apart


def test_main_prints_each_image_and_the_counts(script, tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    with open(scores, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["part", "size", "K_V^s"])
        w.writeheader()
        # A level of 0.0: the guard is asked of every image, so every spread is tried in turn.
        w.writerows({"part": "train", "size": 128, "K_V^s": 0.0} for _ in range(3))
    paths = []
    for i in range(2):
        p = tmp_path / f"tex{i}.png"
        Image.fromarray(_texture(10 + i, 128)).save(p)
        paths.append(str(p))
    assert script.main(["--corpus-scores", str(scores), "--size", "128", "--spreads", "0.1", *paths]) == 0
    out = capsys.readouterr().out
    assert "guard level 0.000" in out and "tex0" in out and "tex1" in out
    assert out.count("guard c 0.1") == 2  # the one spread asked, applied to both
    assert "guard applied to 2" in out and "of 2" in out
