"""gan+f3: the shipped generator's restoration, then F3's later stages, on real photographs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics import FanVariational, GENERATOR_METHODS, METHODS, generator_method
from jpegaf.antiforensics.fan import fan_plane
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.hybrid import GanThenFan
from jpegaf.data import load_luma
from jpegaf.detectors import blocking_kf, calibration_kl
from jpegaf.heldout import heldout_paths
from jpegaf.metrics import psnr
from jpegaf.pretrained import shipped_generators


@pytest.fixture(scope="module")
def eraser() -> GanEraser:
    return GanEraser(shipped_generators())


@pytest.fixture(scope="module")
def photos() -> list[np.ndarray]:
    """Three held-out 128x128 crops (never trained or calibrated on)."""
    return [load_luma(p)[:128, :128] for p in heldout_paths()[:3]]


def test_the_method_table_names_it():
    assert "gan+f3" in METHODS and "gan+f3" in GENERATOR_METHODS


def test_it_is_f3_after_the_generator_on_the_files_own_constraint(eraser, photos):
    """The luma plane is fan_plane started from the generator's output, with F3's random stream."""
    coefs = jpeg.read_coefficients(jpeg.compress(photos[0], 50))
    out = GanThenFan(eraser)(coefs, seed=3)
    start = eraser(coefs).astype(np.float64)
    expected = fan_plane(coefs.coef[0], coefs.qt[0], np.random.default_rng([3, 0]), start=start)
    assert np.array_equal(out, jpeg.to_uint8(expected))
    assert np.array_equal(out, GanThenFan(eraser)(coefs, seed=3)), "same seed, same output"
    assert not np.array_equal(out, GanThenFan(eraser)(coefs, seed=4))
    with pytest.raises(ValueError, match="shape"):
        fan_plane(coefs.coef[0], coefs.qt[0], np.random.default_rng(0), start=start[:64])


def test_better_than_f3_and_without_the_calibration_and_blocking_traces(eraser, photos):
    """PSNR above F3's on the median photograph, and K_L / K_F brought down on every photograph,
    where the generator alone leaves them near the JPEG's. The median, not the mean: the third
    crop is nearly white sky (mean grey 254) whose JPEG is at 53 dB, where F3 and gan+f3 both
    lose 8-12 dB to their perturbation and de-calibration stages and the difference between them
    is noise of those stages, not of the generator."""
    hybrid, f3 = generator_method("gan+f3", eraser), FanVariational()
    gains = []
    for img in photos:
        coefs = jpeg.read_coefficients(jpeg.compress(img, 50))
        out, gan, f3_out = hybrid(coefs, 0), eraser(coefs), f3(coefs, 0)
        gains.append(psnr(img, out) - psnr(img, f3_out))
        assert calibration_kl(out) < 0.5 * calibration_kl(gan)
        assert blocking_kf(out) < 0.25
    assert np.median(gains) > 0.1


def test_colour_files_keep_their_shape_and_chroma_goes_through_f3(eraser, gray_images):
    rgb = np.stack([gray_images[0][:64, :64], gray_images[1][:64, :64], gray_images[2][:64, :64]], axis=2)
    coefs = jpeg.read_coefficients(jpeg.compress(rgb, 50))
    out = GanThenFan(eraser)(coefs, seed=1)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert psnr(rgb, out) > psnr(rgb, jpeg.decompress(jpeg.compress(rgb, 50))) - 3.0


def test_erase_command_runs_it(tmp_path, photos):
    from jpegaf.cli import main
    from jpegaf.imageio import read_image

    src = tmp_path / "photo.jpg"
    src.write_bytes(jpeg.compress(photos[1], 50))
    out = tmp_path / "clean.png"
    assert main(["erase", str(src), "-o", str(out), "--method", "gan+f3", "--seed", "5"]) == 0
    expected = GanThenFan(GanEraser(shipped_generators()))(jpeg.read_coefficients(src), 5)
    assert np.array_equal(read_image(out), expected)


def test_the_light_variant_keeps_more_of_the_generators_gain_and_still_erases_the_traces(eraser, photos):
    """gan+f3-light: the same stages eased (LIGHT_STAGES). On every photograph it stays closer to
    the original than gan+f3 and still brings K_L and K_F down from the generator's."""
    from jpegaf.antiforensics.hybrid import LIGHT_STAGES, decalibration_limit

    assert "gan+f3-light" in METHODS and "gan+f3-light" in GENERATOR_METHODS
    light, full = generator_method("gan+f3-light", eraser), generator_method("gan+f3", eraser)
    assert isinstance(light, GanThenFan) and light.config == LIGHT_STAGES
    assert not LIGHT_STAGES.smoothing and LIGHT_STAGES.decal_step == 1.0 and LIGHT_STAGES.step_offset2 == 10
    for img in photos:
        coefs = jpeg.read_coefficients(jpeg.compress(img, 50))
        out, gan = light(coefs, 0), eraser(coefs)
        assert psnr(img, out) > psnr(img, full(coefs, 0)) + 0.3
        # de-calibrated to the median K_L of never-compressed crops of its size, not F3's 0.0533
        limit = decalibration_limit(*img.shape[:2])
        assert 0.1 < limit < 0.2, "the median K_L of 128-px originals, far above F3's limit"
        assert calibration_kl(out) < 0.5 * calibration_kl(gan) and calibration_kl(out) < limit + 0.005
        assert blocking_kf(out) < 0.25
    # its own cache key in evaluations: a change of its settings recomputes its cells
    from jpegaf.evaluation.grid import method_parameters

    assert method_parameters("gan+f3-light") != method_parameters("gan+f3")
    assert repr(LIGHT_STAGES) in method_parameters("gan+f3-light")


def test_the_light_variant_ends_with_border_smoothing(eraser, photos):
    from jpegaf.antiforensics.borders import smooth_block_borders
    from jpegaf.antiforensics.fan import de_calibrate
    from jpegaf.antiforensics.hybrid import LIGHT_STAGES, decalibration_limit

    light = generator_method("gan+f3-light", eraser)
    assert light.borders and not generator_method("gan+f3", eraser).borders
    assert light.sized_kl_limit and not generator_method("gan+f3", eraser).sized_kl_limit
    coefs = jpeg.read_coefficients(jpeg.compress(photos[0], 50))
    start = eraser(coefs).astype(np.float64)
    limit = decalibration_limit(*start.shape)
    config = dataclasses.replace(LIGHT_STAGES, kl_threshold=limit)
    staged = fan_plane(coefs.coef[0], coefs.qt[0], np.random.default_rng([2, 0]), config, start=start)
    expected = de_calibrate(smooth_block_borders(staged), threshold=limit, step=LIGHT_STAGES.decal_step)
    assert np.array_equal(light(coefs, 2), jpeg.to_uint8(expected))


def test_targeted_keeps_the_generators_gain_and_removes_the_calibration_and_blocking_traces(eraser, photos):
    """gan+targeted: de-calibration, corner matching and border smoothing after the generator. On
    these photographs it stays above the JPEG, within 0.15 dB of the generator on the median
    (de-calibration costs more on a near-flat crop, as in F3), and K_L, K_F and K_U^1 end far
    below the generator's or already small: K_U^1's threshold at 128 px is 2.2."""
    from jpegaf.antiforensics.hybrid import GanTargeted, targeted_stages
    from jpegaf.detectors.blocking import gradient_blockiness
    from jpegaf.evaluation.grid import method_parameters

    assert "gan+targeted" in METHODS and "gan+targeted" in GENERATOR_METHODS
    method = generator_method("gan+targeted", eraser)
    assert isinstance(method, GanTargeted)
    losses = []
    for img in photos:
        data = jpeg.compress(img, 50)
        coefs = jpeg.read_coefficients(data)
        out, gan = method(coefs, 0), eraser(coefs)
        losses.append(psnr(img, gan) - psnr(img, out))
        assert psnr(img, out) > psnr(img, jpeg.decompress(data)) + 0.3
        assert calibration_kl(out) < 0.25 * calibration_kl(gan)
        # K_F's 128-px threshold is 0.59 and the generator leaves up to 0.68 here; the exact value
        # moves with the CPU (bf16 inside the generator where the CPU has it): 0.071 without
        assert blocking_kf(out) < 0.1
        assert gradient_blockiness(out) < 0.5
    assert np.median(losses) < 0.15
    # the luma plane is targeted_stages on the generator's output, with the component's stream
    expected = targeted_stages(eraser(coefs).astype(np.float64), np.random.default_rng([7, 0]))
    assert np.array_equal(method(coefs, 7), jpeg.to_uint8(expected))
    assert method_parameters("gan+targeted") not in (method_parameters("gan+f3-light"), "gan+targeted")


def test_targeted_handles_colour_files(eraser, gray_images):
    rgb = np.stack([gray_images[0][:64, :64], gray_images[1][:64, :64], gray_images[2][:64, :64]], axis=2)
    data = jpeg.compress(rgb, 50)
    out = generator_method("gan+targeted", eraser)(jpeg.read_coefficients(data), seed=1)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert psnr(rgb, out) > psnr(rgb, jpeg.decompress(data)) - 1.0


def test_critic_variant_takes_steps_against_the_shipped_critic_of_the_files_quality(eraser, photos):
    """gan+critic: gan+targeted's stages with critic steps against the frozen critic nearest the
    file's quality (trained apart from every shipped detector); the critic's score on the output's
    tiles ends below its target, and the output stays above the JPEG. photos[0]: the critic
    scores the generator's own output 0.996 there (photos[2] is near-white sky whose JPEG is at
    53 dB, where no stage stays above the JPEG)."""
    from jpegaf.antiforensics.critic import TARGET_FRACTION, tile_origins
    from jpegaf.antiforensics.hybrid import CRITIC_SIZES, GanTargeted, targeted_stages
    from jpegaf.evaluation.grid import method_parameters
    from jpegaf.pretrained import shipped_critics

    assert sorted(shipped_critics()) == [25, 50, 75]
    method = generator_method("gan+critic", eraser)
    assert isinstance(method, GanTargeted) and sorted(method.critics) == [25, 50, 75]
    data = jpeg.compress(photos[0], 50)
    coefs = jpeg.read_coefficients(data)
    critics = method.critics_for(coefs)
    assert critics is method.critics[50] and [c.size for c in critics] == list(CRITIC_SIZES) == [64]
    assert method.critics_for(jpeg.read_coefficients(jpeg.compress(photos[0], 40))) is method.critics[50]
    assert method.critics_for(jpeg.read_coefficients(jpeg.compress(photos[0], 90))) is method.critics[75]
    (critic,) = critics
    out = method(coefs, 3)
    expected = targeted_stages(eraser(coefs).astype(np.float64), np.random.default_rng([3, 0]), critics)
    assert np.array_equal(out, jpeg.to_uint8(expected))
    tiles = [out[r:r + 64, c:c + 64] for r in tile_origins(128, 64) for c in tile_origins(128, 64)]
    # de-calibration runs after the critic steps, so allow the critic's own threshold, not the target
    assert critic.score_batch(tiles).max() < critic.threshold
    assert psnr(photos[0], out) > psnr(photos[0], jpeg.decompress(data))
    assert TARGET_FRACTION < 1 and "critics q25=" in method_parameters("gan+critic")
    # critic_fraction: the default is half the critic's threshold; a target no tile is above takes
    # no step (the stages without the critic); a lower one changes more pixels
    start = eraser(coefs).astype(np.float64)

    def staged(fraction=TARGET_FRACTION, with_critic=True):
        return targeted_stages(start, np.random.default_rng([3, 0]), critics if with_critic else (),
                               critic_fraction=fraction)

    assert np.array_equal(staged(), expected)
    assert np.array_equal(staged((1.0 - 1e-9) / critic.threshold), staged(with_critic=False))
    assert (staged(0.25) != start).sum() > (expected != start).sum()
    with pytest.raises(ValueError, match="no probability"):
        staged(1.0 / critic.threshold)


def test_decalibration_limit_is_the_median_k_l_of_never_compressed_crops_of_the_planes_size(tmp_path):
    """The generator methods de-calibrate to a typical original of the plane's size: the median of
    the shipped K_L reference for the largest side whose area fits, F3's 0.0533 above 256 px."""
    from jpegaf.antiforensics.fan import never_compressed_kl, save_kl_reference
    from jpegaf.antiforensics.hybrid import F3_KL_THRESHOLD, decalibration_limit

    limits = [decalibration_limit(s, s) for s in (64, 128, 256)]
    assert limits == [never_compressed_kl(s, s, 0.5) for s in (64, 128, 256)]
    assert [decalibration_limit(s, s, 0.75) for s in (64, 128, 256)] == [never_compressed_kl(s, s, 0.75) for s in (64, 128, 256)]
    assert all(decalibration_limit(s, s, 0.75) > limit for s, limit in zip((64, 128, 256), limits))
    # K_L of a never-compressed crop grows as the crop shrinks; all three lie above F3's limit,
    # which is below nearly every never-compressed 128-px crop
    assert limits[0] > limits[1] > limits[2] > F3_KL_THRESHOLD
    assert never_compressed_kl(128, 128, 0.01) > F3_KL_THRESHOLD
    assert 0.1 < limits[1] < 0.2 and 0.06 < limits[2] < 0.1
    assert decalibration_limit(128, 512) == limits[2]  # as many blocks as 256 x 256
    assert decalibration_limit(120, 136) == limits[0]  # fewer blocks than 128 x 128
    assert decalibration_limit(264, 264) == F3_KL_THRESHOLD == 0.0533
    assert decalibration_limit(2000, 3000) == F3_KL_THRESHOLD
    ref = tmp_path / "kl.json"
    save_kl_reference(ref, {64: [0.3, 0.4, 0.5], 256: [0.01, 0.02, 0.03]}, {64: "test", 256: "test"})
    assert never_compressed_kl(200, 200, 0.5, ref) == pytest.approx(0.4)
    assert never_compressed_kl(300, 256, 0.5, ref) == pytest.approx(0.02)
    # the reference is part of the cache key of every method that de-calibrates to it
    from jpegaf.antiforensics import method_parameters
    from jpegaf.antiforensics.fan import KL_REFERENCE
    from jpegaf.antiforensics.references import reference_digest

    for name in ("gan+f3-light", "gan+targeted", "gan+critic", "gan+lattice", "gan+lattice-light"):
        assert reference_digest(KL_REFERENCE) in method_parameters(name)
    assert "K_L limit" not in method_parameters("gan+f3") and "K_L limit" not in method_parameters("f3")


def test_targeted_stages_stop_at_the_size_limit_and_keep_more_than_at_f3s(eraser, photos):
    """After the generator and the histogram smoothing (gan+lattice's luma), de-calibration to the
    128-px limit stops with K_L just below it, never costs more than F3's limit, and on a crop
    where F3's limit is out of reach (a near-flat one) keeps far more."""
    from jpegaf.antiforensics.hybrid import F3_KL_THRESHOLD, decalibration_limit, restored_luma_plane, targeted_stages
    from jpegaf.antiforensics.lattice import smooth_lattice

    limit = decalibration_limit(128, 128)
    gains = []
    for img in photos:
        coefs = jpeg.read_coefficients(jpeg.compress(img, 50))
        x = smooth_lattice(restored_luma_plane(eraser, coefs, rounded=False), coefs.coef[0], np.random.default_rng(0))
        assert calibration_kl(x) > limit  # something to de-calibrate
        sized = targeted_stages(x, np.random.default_rng(0))
        f3 = targeted_stages(x, np.random.default_rng(0), kl_threshold=F3_KL_THRESHOLD)
        assert calibration_kl(sized) < limit + 0.005
        assert calibration_kl(f3) < calibration_kl(sized) - 0.04
        gains.append(psnr(img, sized.astype(np.uint8)) - psnr(img, f3.astype(np.uint8)))
    # How much the near-flat crop keeps depends on how far F3's unreachable limit drives the
    # de-calibration, which the generator's last bits decide: 0.82 dB with the fp32 fast path,
    # 0.46 dB with its bf16 path (CPUs with native bf16) and 0.31 dB with the plain forward
    # (measured 2026-12-05). So the bound holds for every path, not for one machine's.
    assert min(gains) > -0.01 and max(gains) > 0.25, gains
