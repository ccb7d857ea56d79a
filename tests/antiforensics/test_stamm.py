"""F1 and F2 do what their papers claim, on the bundled real photographs."""

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics import (StammDeblocking, StammDeblockingConfig, StammDither,
                                  coefficients_from_image, dither_coefficients, laplacian_lambda)
from jpegaf.antiforensics.stamm import never_compressed_kf
from jpegaf.detectors.blocking import blocking_kf
from jpegaf.metrics import psnr


@pytest.fixture(scope="module")
def crops(sample_files):
    from jpegaf.imageio import read_image

    out = []
    for p in sample_files:
        img = read_image(p)
        if min(img.shape) >= 256:
            t, l = (img.shape[0] - 256) // 16 * 8, (img.shape[1] - 256) // 16 * 8
            out.append(img[t:t + 256, l:l + 256])
    return out[:8]


def test_lambda_recovered_within_one_percent_on_laplacian_data():
    rng = np.random.default_rng(0)
    for lam, q in ((0.08, 12), (0.02, 30), (0.5, 3), (0.15, 10)):
        x = rng.laplace(scale=1 / lam, size=400_000)
        k = np.round(x / q)
        assert laplacian_lambda(k, q) == pytest.approx(lam, rel=0.01)


def test_all_zero_subband_has_infinite_lambda_and_is_untouched():
    k = np.zeros((2, 2, 8, 8), np.int16)
    k[..., 0, 1] = [[3, -1], [0, 2]]
    assert np.isinf(laplacian_lambda(np.zeros(10), 5))
    z = dither_coefficients(k, jpeg.quality_to_table(50), np.random.default_rng(0))
    assert np.all(z[..., 7, 7] == 0)  # all-zero subband stays exactly zero
    assert not np.allclose(z[..., 0, 1], k[..., 0, 1] * 11)  # populated subband is dithered


def test_dither_of_laplacian_data_is_laplacian_again():
    # S10 eq. 9: if the model holds, Z is distributed as the unquantized X.
    rng = np.random.default_rng(1)
    lam, q = 0.08, 12
    x = rng.laplace(scale=1 / lam, size=(100, 100, 8, 8))
    table = np.full((8, 8), q, np.uint16)
    z = dither_coefficients(np.round(x / q).astype(np.int16), table, rng)
    from scipy import stats

    laplace = stats.laplace(scale=1 / lam).cdf
    # Kolmogorov-Smirnov distance to Laplace(lambda): small for Z (10,000 samples: the 1% critical
    # value is 0.016), large for the quantized values it started from.
    assert stats.kstest(z[..., 2, 3].ravel(), laplace).statistic < 0.016
    assert stats.kstest(q * np.round(x[..., 2, 3].ravel() / q), laplace).statistic > 0.1
    # The share of values within +-1 of a multiple of Q falls from 1 back to the original's.
    near = lambda v: np.mean(np.abs(v - q * np.round(v / q)) <= 1)  # noqa: E731
    assert near(q * np.round(x[..., 2, 3] / q)) == 1.0
    assert near(z[..., 2, 3]) == pytest.approx(near(x[..., 2, 3]), abs=0.01)


@pytest.mark.parametrize("quality", [50, 75])
def test_within_one_step_and_off_the_lattice_on_real_photos(crops, quality):
    table = jpeg.quality_to_table(quality)
    for img in crops[:4]:
        x = jpeg.block_dct(img)
        coefs = coefficients_from_image(img, quality)  # exact bins of the unquantized X
        z = dither_coefficients(coefs.coef[0], table, np.random.default_rng(3))
        assert np.all(np.abs(x - z) <= table + 1e-9)  # |X - Z| <= Q per coefficient

        # Fraction of non-zero-bin AC coefficients within Q/8 of a multiple of Q, in subbands with Q >= 4.
        def near_lattice(c):
            sel = (table >= 4) & (np.arange(64).reshape(8, 8) > 0)
            c, q = c[..., sel], table[sel].astype(float)
            keep = np.abs(c) >= q / 2
            return np.mean((np.abs(c - q * np.round(c / q)) <= q / 8)[keep])

        y = coefs.coef[0] * table.astype(float)
        assert near_lattice(y) == 1.0
        assert near_lattice(z) == pytest.approx(near_lattice(x), abs=0.05)
        assert near_lattice(z) < 0.4


def test_f1_output_from_file_is_deterministic_and_changes_with_seed(crops):
    coefs = jpeg.read_coefficients(jpeg.compress(crops[0], 50))
    f1 = StammDither()
    a, b, c = f1(coefs, seed=7), f1(coefs, seed=7), f1(coefs, seed=8)
    assert a.dtype == np.uint8 and a.shape == crops[0].shape
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    # Dither lowers PSNR against the original by a few dB, as in the paper's Table I (F1 rows).
    j = jpeg.decompress(jpeg.compress(crops[0], 50))
    assert 1.0 < psnr(crops[0], j) - psnr(crops[0], a) < 6.0


def test_f2_brings_kf_into_the_never_compressed_range(crops):
    originals = [blocking_kf(img) for img in crops]
    f2 = StammDeblocking()
    for quality in (50, 75):
        outs = [f2(jpeg.read_coefficients(jpeg.compress(img, quality)), seed=1) for img in crops]
        kf_jpeg = [blocking_kf(jpeg.jpeg_roundtrip(img, quality)) for img in crops]
        kf_out = [blocking_kf(o) for o in outs]
        assert min(kf_jpeg) > max(originals)  # plain JPEG is far outside the range
        assert max(kf_out) <= max(originals)
        assert np.median(kf_out) <= never_compressed_kf(256, 256, 0.5) + 1e-12


def test_f2_fixed_target_and_grid(crops):
    coefs = jpeg.read_coefficients(jpeg.compress(crops[1], 50))
    loose = StammDeblocking(StammDeblockingConfig(grid=((3, 0.5), (5, 4.0)), kf_target=10.0))
    strict = StammDeblocking(StammDeblockingConfig(grid=((3, 0.5), (5, 4.0)), kf_target=0.0))
    # A target every candidate meets stops at the first (mildest) one; an impossible one keeps the
    # candidate with the smallest K_F.
    assert psnr(crops[1], loose(coefs)) > psnr(crops[1], strict(coefs)) or \
        blocking_kf(strict(coefs)) <= blocking_kf(loose(coefs))
    with pytest.raises(ValueError):
        StammDeblockingConfig(grid=())


def test_colour_jpeg_is_processed_per_component(gray_images):
    rgb = np.stack([g[:96, :120] for g in gray_images[:3]], axis=2)
    coefs = jpeg.read_coefficients(jpeg.compress(rgb, 75))
    for method in (StammDither(), StammDeblocking()):
        out = method(coefs, seed=0)
        assert out.shape == (96, 120, 3) and out.dtype == np.uint8
        assert psnr(rgb, out) > 22


def test_sizes_not_multiple_of_8(gray_images):
    img = gray_images[2][:101, :77]
    coefs = jpeg.read_coefficients(jpeg.compress(img, 50))
    assert StammDither()(coefs).shape == (101, 77)
    assert StammDeblocking()(coefs).shape == (101, 77)


def test_requantizing_a_decoded_image_matches_the_file_mostly(crops):
    # Eq. 5 of S10: from pixels, re-quantize; most indices equal the file's.
    data = jpeg.compress(crops[2], 75)
    from_file = jpeg.read_coefficients(data).coef[0]
    from_pixels = coefficients_from_image(jpeg.decompress(data), 75).coef[0]
    assert np.mean(from_file == from_pixels) > 0.99


def test_kf_target_comes_from_the_shipped_reference(tmp_path):
    """F2's target is a quantile of the shipped K_F reference of the largest side that fits."""
    from jpegaf.antiforensics.stamm import KF_REFERENCE, kf_reference_digest, save_kf_reference

    ref = tmp_path / "kf.json"
    save_kf_reference(ref, {64: [0.1, 0.2, 0.3, 0.4, 0.5], 256: [0.01, 0.02, 0.03]},
                      {64: "test", 256: "test"})
    assert never_compressed_kf(64, 100, 0.5, ref) == pytest.approx(0.3)
    assert never_compressed_kf(512, 512, 0.5, ref) == pytest.approx(0.02)  # 256 is the largest
    assert never_compressed_kf(32, 32, 0.5, ref) == pytest.approx(0.3)     # smaller: the smallest
    assert kf_reference_digest(ref) != kf_reference_digest(KF_REFERENCE)
    # The shipped reference covers 64, 128 and 256 px and gives sensible medians (K_F of a
    # never-compressed image shrinks as it grows).
    targets = [never_compressed_kf(s, s, 0.5) for s in (64, 128, 256)]
    assert targets[0] > targets[1] > targets[2] > 0
