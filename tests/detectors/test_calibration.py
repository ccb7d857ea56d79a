"""Tests of the Lai & Böhme calibration feature K_L (algorithms reference, section 4.5)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jpegaf.detectors.calibration import HF28, calibration_kl
from jpegaf.jpeg import jpeg_roundtrip


def _slow_kl(img: np.ndarray) -> float:
    """Independent K_L: the DCT matrix from its cosine formula, loops over blocks and subbands,
    statistics.pvariance-style population variances."""
    img = np.asarray(img, dtype=np.float64)
    h, w = img.shape[0] // 8 * 8, img.shape[1] // 8 * 8
    img = img[:h, :w]
    n = np.arange(8)
    d = np.array([math.sqrt((1 if u == 0 else 2) / 8) * np.cos((2 * n + 1) * u * math.pi / 16)
                  for u in range(8)])

    def variances(x: np.ndarray) -> dict[tuple[int, int], float]:
        coefs: dict[tuple[int, int], list[float]] = {}
        for i in range(0, x.shape[0], 8):
            for j in range(0, x.shape[1], 8):
                c = d @ (x[i:i + 8, j:j + 8] - 128.0) @ d.T
                for u in range(8):
                    for v in range(8):
                        coefs.setdefault((u, v), []).append(c[u, v])
        out = {}
        for key, vals in coefs.items():
            mean = sum(vals) / len(vals)
            out[key] = sum((a - mean) ** 2 for a in vals) / len(vals)
        return out

    vx = variances(img[:-8, :-8])
    vc = variances(img[4:-4, 4:-4])
    terms = [abs(vx[u, v] - vc[u, v]) / vx[u, v] for u in range(8) for v in range(8) if u + v >= 8]
    assert len(terms) == 28
    return sum(terms) / 28


def test_hf28_is_the_28_subbands_with_u_plus_v_at_least_8():
    assert HF28.sum() == 28
    assert HF28[7, 1] and HF28[1, 7] and HF28[4, 4] and HF28[7, 7]
    assert not HF28[0, 7] and not HF28[3, 4] and not HF28[0, 0]


def test_matches_independent_slow_implementation(gray_images):
    rng = np.random.default_rng(1)
    cases = [
        gray_images[0][100:156, 200:264],                         # real photo, 56x64
        jpeg_roundtrip(gray_images[1][:64, :72], 60),             # a real JPEG, 64x72
        rng.integers(0, 256, size=(40, 48), dtype=np.uint8),      # noise
    ]
    for img in cases:
        assert calibration_kl(img) == pytest.approx(_slow_kl(img), rel=1e-10)


def test_crops_to_whole_blocks_and_rounds_real_input(gray_images):
    img = gray_images[2][:61, :83]
    assert calibration_kl(img) == calibration_kl(img[:56, :80])
    real = img.astype(np.float64) + 0.4   # rounds half up back to img
    assert calibration_kl(real) == calibration_kl(img)
    assert calibration_kl(img.astype(np.float64) - 300.0) == 0.0   # clipped to a flat 0 image


def test_zero_variance_guard():
    assert calibration_kl(np.full((32, 32), 77, dtype=np.uint8)) == 0.0
    # Blocks constant on the grid (every AC coefficient of X is 0), quadrant patterns on the
    # shifted grid: the calibrated variance is positive where X's is 0 -> +inf, not NaN.
    vals = np.array([[10, 200, 40], [90, 0, 250], [170, 60, 120]], dtype=np.uint8)
    img = np.kron(vals, np.ones((8, 8), dtype=np.uint8))
    assert calibration_kl(img) == math.inf


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        calibration_kl(np.zeros((15, 64), dtype=np.uint8))
    with pytest.raises(ValueError):
        calibration_kl(np.zeros((32, 32, 3), dtype=np.uint8))


@pytest.mark.parametrize("quality", [50, 75])
def test_jpeg_raises_kl_on_real_photos(sample_files, quality):
    from jpegaf.imageio import read_image

    higher = []
    for path in sample_files:
        img = read_image(path)
        higher.append(calibration_kl(jpeg_roundtrip(img, quality)) > calibration_kl(img))
    # Measured: every bundled photo at both qualities; "most" leaves room for odd content.
    assert np.mean(higher) >= 0.9
