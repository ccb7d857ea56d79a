"""The lattice stages (jpegaf.antiforensics.lattice: dithering, histogram smoothing) and gan+lattice, on real
photographs."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics import GENERATOR_METHODS, generator_method
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.hybrid import GanTargeted, restored_luma_plane, targeted_stages
from jpegaf.antiforensics.lattice import (AC_WIDTH, DC_WIDTH, NEAR, dither_lattice, dithered_round,
                                          smooth_coefficient_histograms, smooth_lattice, smooth_values,
                                          spread_bin_centres)
from jpegaf.data import load_luma
from jpegaf.detectors.history import jpeg_history_scores
from jpegaf.heldout import heldout_paths
from jpegaf.jpeg.dct import block_dct
from jpegaf.metrics import psnr
from jpegaf.pretrained import shipped_generators


@pytest.fixture(scope="module")
def eraser() -> GanEraser:
    return GanEraser(shipped_generators())


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A held-out 128x128 crop (never trained or calibrated on)."""
    return load_luma(heldout_paths()[1])[:128, :128]


def test_unrounded_generator_output_rounds_to_the_shipped_output(eraser, photo):
    coefs = jpeg.read_coefficients(jpeg.compress(photo, 75))
    raw, _ = eraser.restore_luma(coefs, rounded=False)
    out, _ = eraser.restore_luma(coefs)
    assert raw.dtype == np.float64 and out.dtype == np.uint8
    assert np.array_equal(np.clip(np.floor(raw + 0.5), 0, 255).astype(np.uint8), out)
    assert np.mean(raw != np.round(raw)) > 0.9, "real-valued, not already grey levels"


def test_spreading_moves_only_centred_coefficients_and_keeps_every_bin(eraser, photo):
    coefs = jpeg.read_coefficients(jpeg.compress(photo, 75))
    x = restored_luma_plane(eraser, coefs, rounded=False)
    k = coefs.coef[0].astype(np.float64)
    q = coefs.qt[0].astype(np.float64)
    before = block_dct(x)
    after = block_dct(spread_bin_centres(x, coefs.coef[0], coefs.qt[0], np.random.default_rng(0)))
    centre = k * q
    near = np.abs(before - centre) < NEAR
    moved = near & (k != 0)
    moved[:, :, 0, 0] = True
    assert np.allclose(after[~moved], before[~moved], atol=1e-9), "the others untouched"
    width = np.minimum(np.where(np.arange(64).reshape(8, 8) == 0, DC_WIDTH, AC_WIDTH), q / 2)
    offset = (after - centre)[moved]
    assert np.all(np.abs(offset) <= np.broadcast_to(width, after.shape)[moved] + 1e-9), "inside the bin"
    # the draws are spread over the width, not left at the centre
    dc = (after - centre)[:, :, 0, 0].ravel()
    assert np.std(dc) > 0.5 * DC_WIDTH / np.sqrt(3)
    ac = np.ones((8, 8), bool)
    ac[0, 0] = False
    nonzero_ac = (k != 0) & ac
    share = moved[nonzero_ac].mean()  # the restorer leaves some nonzero AC bins near their centre (21 % here)
    assert 0.1 < share < 0.9, share
    with pytest.raises(ValueError, match="shape"):
        spread_bin_centres(x[:64], coefs.coef[0], coefs.qt[0], np.random.default_rng(0))


def test_dithered_rounding_is_unbiased_and_does_not_repeat_over_a_flat_region():
    rng = np.random.default_rng(0)
    flat = np.full((64, 64), 100.3)
    out = dithered_round(flat, rng)
    assert set(np.unique(out)) == {100.0, 101.0}
    assert abs(out.mean() - 100.3) < 0.02
    assert np.array_equal(dithered_round(np.array([[-3.0, 300.0]]), rng), np.array([[0.0, 255.0]]))


def test_flat_blocks_keep_their_dc_off_the_lattice():
    """Why the rounding is dithered: a flat block shifted by a fraction of a grey level snaps back
    under plain rounding (its DC stays a multiple of 8, QF 75's DC step), not under dithering."""
    rng = np.random.default_rng(1)
    shifts = rng.uniform(-0.45, 0.45, size=(16, 16))
    x = 120.0 + np.kron(shifts, np.ones((8, 8)))
    plain = np.rint(block_dct(np.floor(x + 0.5))[:, :, 0, 0])
    dithered = np.rint(block_dct(dithered_round(x, rng))[:, :, 0, 0])
    assert np.all(plain % 8 == 0)
    assert np.mean(dithered % 8 == 0) < 0.5


def test_gan_lattice_is_gan_critic_after_histogram_smoothing(eraser, photo):
    assert "gan+lattice" in GENERATOR_METHODS
    method = generator_method("gan+lattice", eraser)
    assert isinstance(method, GanTargeted) and method.lattice and sorted(method.critics) == [25, 50, 75]
    data = jpeg.compress(photo, 75)
    coefs = jpeg.read_coefficients(data)
    out = method(coefs, 3)
    rng = np.random.default_rng([3, 0])
    x = smooth_lattice(restored_luma_plane(eraser, coefs, rounded=False), coefs.coef[0], rng)
    expected = targeted_stages(x, rng, method.critics_for(coefs))
    assert np.array_equal(out, jpeg.to_uint8(expected))
    assert np.array_equal(out, method(coefs, 3)) and not np.array_equal(out, method(coefs, 4))
    # the quantization lattice the restorer leaves (z far above the 128-px threshold, 3.97) is gone;
    # the output stays above the JPEG
    assert jpeg_history_scores(eraser(coefs)).lattice_z > 10
    assert jpeg_history_scores(out).lattice_z < 3.97
    assert psnr(photo, out) > psnr(photo, jpeg.decompress(data)) + 0.3


def test_gan_lattice_light_de_calibrates_less_and_stops_the_critic_steps_earlier(eraser, photo):
    """gan+lattice-light: gan+lattice's stages with de-calibration to the upper quartile of
    never-compressed K_L and critic steps to three quarters of the critic's threshold; it changes
    fewer pixels of the smoothed plane, keeps K_L below its own (higher) limit and the lattice
    gone, and its parameters (the cache keys of its cells) differ from gan+lattice's."""
    from jpegaf.antiforensics import method_parameters
    from jpegaf.antiforensics.hybrid import LIGHT_CRITIC_FRACTION, LIGHT_KL_QUANTILE, decalibration_limit
    from jpegaf.detectors.calibration import calibration_kl

    assert "gan+lattice-light" in GENERATOR_METHODS
    method = generator_method("gan+lattice-light", eraser)
    assert isinstance(method, GanTargeted) and method.lattice and sorted(method.critics) == [25, 50, 75]
    assert (method.kl_quantile, method.critic_fraction) == (LIGHT_KL_QUANTILE, LIGHT_CRITIC_FRACTION) == (0.75, 0.75)
    data = jpeg.compress(photo, 75)
    coefs = jpeg.read_coefficients(data)
    out = method(coefs, 3)
    rng = np.random.default_rng([3, 0])
    x = smooth_lattice(restored_luma_plane(eraser, coefs, rounded=False), coefs.coef[0], rng)
    expected = targeted_stages(x, rng, method.critics_for(coefs), kl_quantile=0.75, critic_fraction=0.75)
    assert np.array_equal(out, jpeg.to_uint8(expected))
    full = generator_method("gan+lattice", eraser)(coefs, 3)
    smoothed = np.clip(np.floor(x + 0.5), 0, 255)  # where both start their targeted stages
    assert np.abs(out - smoothed).sum() < np.abs(full - smoothed).sum()
    kl = calibration_kl(out.astype(np.float64))
    assert calibration_kl(full.astype(np.float64)) < decalibration_limit(128, 128) + 0.005 < kl
    assert kl < decalibration_limit(128, 128, 0.75) + 0.005
    assert jpeg_history_scores(out).lattice_z < 3.97
    assert psnr(photo, out) > psnr(photo, jpeg.decompress(data)) + 0.3
    text = method_parameters("gan+lattice-light")
    assert "quantile 0.75" in text and "target=0.75 x threshold" in text and text != method_parameters("gan+lattice")


def test_smoothing_values_keeps_their_order_and_spreads_a_pile_to_the_gaussian():
    rng = np.random.default_rng(0)
    # a pile of equal values (the generator's shrunk coefficients) becomes the Gaussian's quantiles
    pile = smooth_values(np.full(2000, 10.0), 1.5, rng)
    assert 1.45 < np.std(pile) < 1.55 and abs(np.mean(pile) - 10.0) < 0.01
    # a broad, smooth distribution hardly moves (far less than sigma), and keeps its order
    values = rng.laplace(0.0, 20.0, 4000)
    out = smooth_values(values, 1.5, np.random.default_rng(1))
    assert np.median(np.abs(out - values)) < 0.5
    assert np.array_equal(np.argsort(out), np.argsort(values))
    # both together: order kept wherever the inputs differ
    both = np.concatenate([np.full(2000, 10.0), values])
    out = smooth_values(both, 1.5, np.random.default_rng(1))
    a, b = np.argsort(both)[:-1], np.argsort(both)[1:]
    strict = both[a] < both[b]
    assert np.all(out[a][strict] <= out[b][strict] + 1e-12)
    # the same draws, the same output; another stream only reorders ties
    assert np.array_equal(out, smooth_values(both, 1.5, np.random.default_rng(1)))
    assert np.allclose(np.sort(out), np.sort(smooth_values(both, 1.5, np.random.default_rng(2))))
    with pytest.raises(ValueError, match="sigma"):
        smooth_values(values, 0.0, rng)
    with pytest.raises(ValueError, match="1-D"):
        smooth_values(values.reshape(2, -1), 1.0, rng)
    assert smooth_values(np.zeros(0), 1.0, rng).size == 0


def test_histogram_smoothing_leaves_the_zero_bins_and_removes_the_lattice(eraser):
    """On a held-out 256-px crop at QF 75: the AC coefficients of zero bins stay as the generator
    left them; the DC and the nonzero bins move by about a coefficient unit; the restorer's
    lattice (z far above the 256-px threshold, 3.8) is gone for a small part of its gain."""
    photo = load_luma(heldout_paths()[1])[:256, :256]
    data = jpeg.compress(photo, 75)
    coefs = jpeg.read_coefficients(data)
    x = restored_luma_plane(eraser, coefs, rounded=False)
    k = coefs.coef[0]
    before = block_dct(x)
    after = block_dct(smooth_coefficient_histograms(x, k, np.random.default_rng(0)))
    zero_ac = k == 0
    zero_ac[:, :, 0, 0] = False
    assert np.allclose(after[zero_ac], before[zero_ac], atol=1e-9)
    moved = np.abs(after - before)[~zero_ac]
    assert 0.3 < np.mean(moved) < 1.5, np.mean(moved)
    with pytest.raises(ValueError, match="shape"):
        smooth_coefficient_histograms(x[:64], k, np.random.default_rng(0))
    out = smooth_lattice(x, k, np.random.default_rng(0)).astype(np.uint8)
    restored = eraser(coefs)
    assert jpeg_history_scores(restored).lattice_z > 10
    assert jpeg_history_scores(out).lattice_z < 3.8
    jpeg_psnr = psnr(photo, jpeg.decompress(data))
    assert psnr(photo, out) > jpeg_psnr + 0.5
    assert psnr(photo, out) > psnr(photo, restored) - 0.3


def test_zero_sigma_also_spreads_the_zero_bins_and_leaves_the_rest_as_without_it(photo):
    """``zero_sigma`` (an experiment of scripts/hybrid_stages.py): the DC and nonzero bins come out
    as without it (their draws come first), the zero bins' AC coefficients spread wider around 0."""
    data = jpeg.compress(photo, 75)
    k = jpeg.read_coefficients(data).coef[0]
    x = jpeg.decompress(data).astype(np.float64)
    plain = block_dct(smooth_coefficient_histograms(x, k, np.random.default_rng(0)))
    spread = block_dct(smooth_coefficient_histograms(x, k, np.random.default_rng(0), zero_sigma=0.5))
    zero_ac = k == 0
    zero_ac[:, :, 0, 0] = False
    assert np.allclose(spread[~zero_ac], plain[~zero_ac], atol=1e-9)
    # The decoded JPEG's zero bins hold only its rounding error (std sqrt(1/12) = 0.29); blurred by
    # 0.5 they widen to about sqrt(0.29^2 + 0.5^2) = 0.58.
    assert 0.25 < np.std(plain[zero_ac]) < 0.33, np.std(plain[zero_ac])
    assert 0.5 < np.std(spread[zero_ac]) < 0.65, np.std(spread[zero_ac])
