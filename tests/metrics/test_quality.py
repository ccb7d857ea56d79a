"""Tests of jpegaf.metrics.quality on real images (scikit-image's bundled camera and astronaut).

scikit-image is the test-only reference for SSIM; the package itself must not import it.
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data
from skimage.metrics import structural_similarity

import jpegaf
from jpegaf.metrics import PsnrSummary, psnr, psnr_torch, ssim, summarize_psnr

SSIM_TOL = 1e-6


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        return np.asarray(im).copy()


def _noisy(img: np.ndarray, seed: int = 1234, sigma: float = 8.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(np.rint(img + rng.normal(0.0, sigma, img.shape)), 0, 255).astype(np.uint8)


def _sk_ssim(ref: np.ndarray, img: np.ndarray) -> float:
    kwargs = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)
    if ref.ndim == 3:
        kwargs["channel_axis"] = -1
    return float(structural_similarity(ref, img, **kwargs))


def _psnr_formula(ref: np.ndarray, img: np.ndarray) -> float:
    mse = np.mean((ref.astype(np.float64) - img.astype(np.float64)) ** 2)
    return 10.0 * math.log10(255.0**2 / mse)


@pytest.fixture(scope="module")
def camera() -> np.ndarray:
    return data.camera()


@pytest.fixture(scope="module")
def gray_pairs(camera) -> dict[str, np.ndarray]:
    """Distorted versions of camera, keyed by name."""
    return {"jpeg30": _jpeg(camera, 30), "jpeg75": _jpeg(camera, 75), "noisy": _noisy(camera)}


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return data.astronaut()


@pytest.fixture(scope="module")
def colour_pairs(astronaut) -> dict[str, np.ndarray]:
    return {"jpeg30": _jpeg(astronaut, 30), "noisy": _noisy(astronaut, seed=99)}


DISTORTIONS = ["jpeg30", "jpeg75", "noisy"]


# ----------------------------------------------------------------------------------------- PSNR


@pytest.mark.parametrize("name", DISTORTIONS)
def test_psnr_matches_formula(camera, gray_pairs, name):
    img = gray_pairs[name]
    assert camera.shape == img.shape and img.dtype == np.uint8
    value = psnr(camera, img)
    assert isinstance(value, float)
    assert value == pytest.approx(_psnr_formula(camera, img), rel=1e-12)
    assert psnr(img, camera) == value  # symmetric: the squared error is


def test_psnr_orders_jpeg_qualities(camera, gray_pairs):
    # Sanity on real data: stronger compression, lower PSNR; both in a plausible range.
    q30, q75 = psnr(camera, gray_pairs["jpeg30"]), psnr(camera, gray_pairs["jpeg75"])
    assert 25.0 < q30 < q75 < 45.0


def test_psnr_colour_matches_formula(astronaut, colour_pairs):
    for img in colour_pairs.values():
        assert psnr(astronaut, img) == pytest.approx(_psnr_formula(astronaut, img), rel=1e-12)


def test_psnr_identical_is_inf(camera, astronaut):
    assert psnr(camera, camera.copy()) == math.inf
    assert psnr(astronaut, astronaut) == math.inf


def test_psnr_hand_computed():
    zeros = np.zeros((4, 6), np.uint8)
    ones = np.ones((4, 6), np.uint8)
    # MSE 1 -> 10 log10(255^2) = 20 log10(255)
    assert psnr(zeros, ones) == pytest.approx(48.130803608679102, abs=1e-12)
    # Every sample off by the full range -> MSE 255^2 -> 0 dB, the minimum.
    assert psnr(zeros, np.full((4, 6), 255, np.uint8)) == 0.0
    # Half the samples off by 2 -> MSE 2.
    half = zeros.copy()
    half[:2] = 2
    assert psnr(zeros, half) == pytest.approx(10 * math.log10(255**2 / 2), abs=1e-12)


# ----------------------------------------------------------------------------------------- SSIM


@pytest.mark.parametrize(
    "shape",
    [(11, 11), (11, 40), (33, 11), (64, 64), (37, 101), (129, 77), (512, 512)],
)
@pytest.mark.parametrize("name", DISTORTIONS)
def test_ssim_matches_skimage_gray(camera, gray_pairs, shape, name):
    h, w = shape
    # An off-centre crop, so the small windows are not all sky.
    y0, x0 = (512 - h) // 3, (512 - w) // 2
    ref = camera[y0 : y0 + h, x0 : x0 + w]
    img = gray_pairs[name][y0 : y0 + h, x0 : x0 + w]
    value = ssim(ref, img)
    assert isinstance(value, float)
    assert abs(value - _sk_ssim(ref, img)) <= SSIM_TOL


def test_ssim_non_contiguous_input(camera, gray_pairs):
    # Strided views (here every other column) must give the same as their copies.
    ref, img = camera[:, ::2], gray_pairs["noisy"][:, ::2]
    assert ssim(ref, img) == ssim(ref.copy(), img.copy())
    assert abs(ssim(ref, img) - _sk_ssim(ref, img)) <= SSIM_TOL


@pytest.mark.parametrize("name", ["jpeg30", "noisy"])
def test_ssim_matches_skimage_colour(astronaut, colour_pairs, name):
    img = colour_pairs[name]
    assert abs(ssim(astronaut, img) - _sk_ssim(astronaut, img)) <= SSIM_TOL
    # An odd-sized crop too.
    ref_c, img_c = astronaut[100:177, 50:163], img[100:177, 50:163]
    assert abs(ssim(ref_c, img_c) - _sk_ssim(ref_c, img_c)) <= SSIM_TOL


def test_ssim_colour_is_mean_of_channels(astronaut, colour_pairs):
    img = colour_pairs["noisy"]
    per_channel = [ssim(astronaut[..., k], img[..., k]) for k in range(3)]
    assert ssim(astronaut, img) == pytest.approx(np.mean(per_channel), abs=1e-15)


def test_ssim_identical_is_one(camera, astronaut):
    assert ssim(camera, camera.copy()) == 1.0
    assert ssim(astronaut, astronaut) == 1.0
    assert ssim(camera[:11, :11], camera[:11, :11]) == 1.0


def test_ssim_orders_jpeg_qualities(camera, gray_pairs):
    assert 0.0 < ssim(camera, gray_pairs["jpeg30"]) < ssim(camera, gray_pairs["jpeg75"]) < 1.0


def test_ssim_range_extremes():
    # Anti-correlated structure gives a negative SSIM; the value stays within [-1, 1].
    checker = (np.indices((32, 32)).sum(axis=0) % 2 * 255).astype(np.uint8)
    value = ssim(checker, 255 - checker)
    assert -1.0 <= value < 0.0
    assert abs(value - _sk_ssim(checker, 255 - checker)) <= SSIM_TOL


# ----------------------------------------------------------------------------------- psnr_torch


def _to_unit(u8: np.ndarray) -> torch.Tensor:
    """uint8 H x W -> float32 1 x 1 x H x W in [-1, 1]."""
    return torch.from_numpy(u8.astype(np.float32) / 127.5 - 1.0)[None, None]


def test_psnr_torch_matches_psnr_exactly(camera, gray_pairs):
    imgs = [gray_pairs[name] for name in DISTORTIONS] + [camera]  # last one identical
    ref = torch.cat([_to_unit(camera)] * len(imgs))
    out = torch.cat([_to_unit(u) for u in imgs])
    values = psnr_torch(ref, out)
    assert values.shape == (len(imgs),) and values.dtype == torch.float64
    expected = [psnr(camera, u) for u in imgs]
    assert values.tolist() == expected  # bit for bit, inf included
    assert values[-1].item() == math.inf


def test_psnr_torch_quantises_like_saving(camera):
    # Off-grid values, some outside [-1, 1]: each must count as the uint8 level it would be saved
    # as, clamp(round((x + 1) * 127.5), 0, 255), computed in float32 like the tensor.
    rng = np.random.default_rng(7)
    ref = camera[:64, :96].astype(np.float32) / 127.5 - 1.0
    img = (ref + rng.normal(0, 0.05, ref.shape)).astype(np.float32)
    img[0, :10] = 1.7
    img[1, :10] = -3.0
    levels = [
        np.clip(np.round((x + np.float32(1.0)) * np.float32(127.5)), 0, 255).astype(np.uint8)
        for x in (ref, img)
    ]
    got = psnr_torch(torch.from_numpy(ref)[None, None], torch.from_numpy(img)[None, None])
    assert got.item() == psnr(*levels)


def test_psnr_torch_multichannel_matches_hwc(astronaut, colour_pairs):
    img = colour_pairs["jpeg30"]
    as_nchw = [
        torch.from_numpy(u.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None]
        for u in (astronaut, img)
    ]
    assert psnr_torch(*as_nchw).item() == psnr(astronaut, img)


def test_psnr_torch_bad_inputs():
    x = torch.zeros(2, 1, 8, 8)
    with pytest.raises(ValueError, match="N x C x H x W"):
        psnr_torch(x[0], x[0])
    with pytest.raises(ValueError, match="differ in shape"):
        psnr_torch(x, x[:1])
    with pytest.raises(ValueError, match="floating"):
        psnr_torch(x.to(torch.uint8), x.to(torch.uint8))
    with pytest.raises(ValueError, match="empty"):
        psnr_torch(x[:0], x[:0])
    with pytest.raises(ValueError, match="NaN"):
        psnr_torch(x, torch.full_like(x, math.nan))
    with pytest.raises(ValueError, match="torch.Tensor"):
        psnr_torch(np.zeros((2, 1, 8, 8), np.float32), x)


# ------------------------------------------------------------------------------- summarize_psnr


def test_summarize_psnr_counts_infinities():
    s = summarize_psnr([30.0, 40.0, math.inf, 35.0, math.inf])
    assert s == PsnrSummary(mean=35.0, n_infinite=2, n=5)
    assert s.n_finite == 3
    assert str(s) == "35.00 dB (2 of 5 infinite)"


def test_summarize_psnr_format_example():
    values = [33.26] * 98 + [math.inf] * 2
    assert str(summarize_psnr(values)) == "33.26 dB (2 of 100 infinite)"
    assert str(summarize_psnr([33.255, 33.265])) == "33.26 dB (0 of 2 infinite)"


def test_summarize_psnr_edge_cases():
    all_inf = summarize_psnr([math.inf] * 3)
    assert math.isnan(all_inf.mean) and all_inf.n_infinite == 3 and all_inf.n == 3
    assert str(all_inf) == "INF (3 of 3 infinite)"
    empty = summarize_psnr([])
    assert math.isnan(empty.mean) and empty.n == 0 and empty.n_infinite == 0
    assert str(empty) == "no PSNR values"
    # Generators, arrays and psnr_torch's output are all accepted.
    assert summarize_psnr(v for v in (1.0, 3.0)).mean == 2.0
    assert summarize_psnr(np.array([1.0, np.inf])).n_infinite == 1
    assert summarize_psnr(torch.tensor([20.0, math.inf], dtype=torch.float64)).mean == 20.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        all_inf.mean = 1.0  # type: ignore[misc]
    for bad in ([1.0, math.nan], [-math.inf]):
        with pytest.raises(ValueError):
            summarize_psnr(bad)


def test_summarize_psnr_on_real_results(camera, gray_pairs):
    values = [psnr(camera, gray_pairs[n]) for n in DISTORTIONS] + [psnr(camera, camera)]
    s = summarize_psnr(values)
    assert s.n == 4 and s.n_infinite == 1
    assert s.mean == pytest.approx(np.mean(values[:3]))


# ---------------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("metric", [psnr, ssim])
def test_bad_inputs_raise(metric, camera):
    a = camera[:32, :32]
    with pytest.raises(ValueError, match="uint8"):
        metric(a.astype(np.float64), a.astype(np.float64))
    with pytest.raises(ValueError, match="uint8"):
        metric(a, a.astype(np.int16))
    with pytest.raises(ValueError, match="differ in shape"):
        metric(a, camera[:32, :31])
    with pytest.raises(ValueError, match="H x W"):
        metric(a.ravel(), a.ravel())
    with pytest.raises(ValueError, match="H x W"):
        metric(a[None, :, :, None], a[None, :, :, None])
    with pytest.raises(ValueError, match="numpy array"):
        metric(a.tolist(), a)
    empty = np.zeros((0, 32), np.uint8)
    with pytest.raises(ValueError, match="empty"):
        metric(empty, empty)


@pytest.mark.parametrize("shape", [(10, 10), (10, 64), (64, 10), (10, 64, 3)])
def test_ssim_too_small_raises(camera, shape):
    a = np.zeros(shape, np.uint8)
    with pytest.raises(ValueError, match="at least 11x11"):
        ssim(a, a)


def test_ssim_too_many_channels_raises():
    stack = np.zeros((8, 32, 32), np.uint8)  # N x H x W passed by mistake
    with pytest.raises(ValueError, match="channels last"):
        ssim(stack, stack)


def test_package_does_not_import_skimage_or_torch():
    # scikit-image is a test-only dependency; torch is imported only when psnr_torch is called.
    code = "import sys, jpegaf.metrics; print('skimage' in sys.modules, 'torch' in sys.modules)"
    # Make the package importable in the child however this run found it (installed or src/).
    src = os.path.dirname(os.path.dirname(jpegaf.__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split() == ["False", "False"]
