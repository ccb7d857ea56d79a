"""Tests of the classical detectors on the bundled real photographs.

Originals are the 256x256 centre crops of every bundled never-compressed photograph at least
that large (26 of them); their JPEG versions are made with the project's codec at IJG quality 75
and 50. Each detector must separate originals from JPEGs (AUC), the quantization-step estimate
must recover the IJG table's low frequencies, the lattice detector must find the grid of a
JPEG cropped off the grid, and Valenzise's K_V must catch Stamm's dither (F1), which fools the
quantization detectors. Decision thresholds in these tests are calibrated on the originals at
5% FPR, as the package does, never written in.
"""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.antiforensics import StammDither
from jpegaf.data.crops import centre_crop_position, crop
from jpegaf.detectors.base import (
    DEFAULT_CALIBRATIONS,
    Calibration,
    Detector,
    calibration_for,
    load_calibrations,
    save_calibrations,
    verdict,
)
from jpegaf.metrics import calibrate_threshold
from jpegaf.detectors.blocking import (BlockingDetector, GradientBlockinessDetector, NormalisedBlockingDetector,
                                      blocking_kf, blocking_kf_normalised, gradient_blockiness)
from jpegaf.detectors.lattice import (
    JpegHistoryDetector,
    LatticeDetector,
    QuantizationArtefactDetector,
    lattice_detect,
    quantization_artefact_score,
    quantization_artefact_score_from_coefficients,
)
from jpegaf.detectors.qtable import (
    UNDETERMINED,
    QuantizationStepDetector,
    estimate_qtable,
    is_never_compressed,
    residual_log_weights,
    step_count,
)
from jpegaf.detectors import tv
from jpegaf.detectors.tv import (DetrendedTvDetector, TvDetector, local_slope, max_delta_tv,
                                max_delta_tv_detrended, total_variation)
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, jpeg_roundtrip, quality_to_table, read_coefficients
from jpegaf.metrics.forensic import detection_rate, roc_auc

SIZE = 256
QUALITIES = (75, 50)
# F1 inputs: qualities 60..75 in turn over the images (Valenzise's estimate is tested there).
F1_QUALITIES = (60, 65, 70, 75)
FPR = 0.05


# --- data --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def originals(sample_files) -> list[np.ndarray]:
    """256x256 centre crops of every bundled photograph at least 256 px on both sides."""
    crops = []
    for path in sample_files:
        img = read_image(path)
        if min(img.shape) >= SIZE:
            crops.append(crop(img, *centre_crop_position(*img.shape, SIZE), SIZE))
    assert len(crops) >= 20
    return crops


@pytest.fixture(scope="module")
def jpegs(originals) -> dict[int, list[np.ndarray]]:
    return {q: [jpeg_roundtrip(x, q) for x in originals] for q in QUALITIES}


@pytest.fixture(scope="module")
def f1_qualities(originals) -> list[int]:
    return [F1_QUALITIES[i % len(F1_QUALITIES)] for i in range(len(originals))]


@pytest.fixture(scope="module")
def f1_outputs(originals, f1_qualities) -> list[np.ndarray]:
    """Stamm's dither applied to each original's JPEG (read losslessly from the file)."""
    return [StammDither()(read_coefficients(compress(x, q)), seed=i)
            for i, (x, q) in enumerate(zip(originals, f1_qualities))]


# The lattice and history detectors share one (slow) pass of jpeg_history_scores: compute it once.
_FAST_DETECTORS = (
    BlockingDetector(),
    NormalisedBlockingDetector(),
    GradientBlockinessDetector(1),
    GradientBlockinessDetector(2),
    QuantizationStepDetector(),
    QuantizationArtefactDetector(),
)


def _all_scores(images: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Scores of every classical detector except K_V, by detector name."""
    out = {d.name: np.array([d.score(x) for x in images]) for d in _FAST_DETECTORS}
    results = [lattice_detect(x) for x in images]
    out[LatticeDetector.name] = np.array([r.lattice_z for r in results])
    out[JpegHistoryDetector.name] = np.array([r.history_z for r in results])
    return out


@pytest.fixture(scope="module")
def original_scores(originals):
    return _all_scores(originals)


@pytest.fixture(scope="module")
def jpeg_scores(jpegs):
    return {q: _all_scores(images) for q, images in jpegs.items()}


@pytest.fixture(scope="module")
def f1_scores(f1_outputs):
    return _all_scores(f1_outputs)


@pytest.fixture(scope="module")
def tv_originals(originals):
    return [max_delta_tv(x) for x in originals]


@pytest.fixture(scope="module")
def detrended_originals(originals):
    return [max_delta_tv_detrended(x) for x in originals]


# --- the interface and calibration -----------------------------------------------------------

def test_every_detector_follows_the_interface(originals):
    detectors = _FAST_DETECTORS + (LatticeDetector(), JpegHistoryDetector(), TvDetector(), DetrendedTvDetector())
    names = [d.name for d in detectors]
    assert len(set(names)) == len(names)
    for d in detectors:
        assert isinstance(d, Detector)
        assert isinstance(d.score(originals[0][:64, :64]), float)


def test_calibrate_threshold_allows_at_most_fpr_above():
    scores = np.arange(100.0)
    t = calibrate_threshold(scores, 0.05)
    assert t == 94.0 and np.sum(scores > t) == 5
    assert calibrate_threshold(scores, 0.0) == 99.0
    # 19 images at 5%: floor(0.95) = 0 exceedances allowed, the largest score is the threshold.
    assert calibrate_threshold(np.arange(19.0), 0.05) == 18.0


def test_calibrate_threshold_ties_stay_below():
    # Discrete scores: 90 zeros, 10 ones. Allowing 5 above cannot split the ones, so the
    # threshold is 1 and nothing exceeds it (realised FPR 0 <= 5%).
    scores = [0.0] * 90 + [1.0] * 10
    t = calibrate_threshold(scores, 0.05)
    assert t == 1.0 and sum(s > t for s in scores) == 0
    with pytest.raises(ValueError):
        calibrate_threshold([], 0.05)
    with pytest.raises(ValueError):
        calibrate_threshold([1.0, np.inf], 0.05)
    with pytest.raises(ValueError):
        calibrate_threshold([1.0], 1.0)


def test_calibrations_round_trip_and_verdict(tmp_path):
    cals = [Calibration("K_F", 0.3, 0.05, 26, 256, "test"), Calibration("K_V", 0.2, 0.05, 40, None, "mix")]
    path = tmp_path / "cal.json"
    save_calibrations(path, cals)
    assert load_calibrations(path) == cals
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    cal = calibration_for(cals, "K_F", 256)
    assert verdict(0.31, cal) and not verdict(0.3, cal)
    with pytest.raises(ValueError, match="available sizes"):
        calibration_for(cals, "K_F", 512)
    with pytest.raises(ValueError):
        Calibration("K_F", float("nan"), 0.05, 10, 256, "x")


def test_shipped_calibrations_cover_every_detector_and_size():
    cals = load_calibrations(DEFAULT_CALIBRATIONS)
    names = {d.name for d in _FAST_DETECTORS} | {"lattice", "jpeg_history", "K_V", "K_V^s"}
    for name in names:
        for size in (64, 128, 256, 512):
            cal = calibration_for(cals, name, size)
            assert cal.fpr == FPR and cal.n_images >= 10
            # Out of sample where the corpus has crops of that size (never its test part); the
            # bundled samples' centre crops at 512, said so.
            if size <= 256:
                assert "training corpus" in cal.source and "never its test part" in cal.source
                assert cal.n_images >= 87
                # by scene: the source states the rule and the share of crops above, never over 5%
                assert "leave-one-scene-out" in cal.source
                share = float(cal.source.rsplit(": ", 1)[1].split("%")[0])
                assert 0.0 <= share <= 100 * FPR
            else:
                assert "bundled samples" in cal.source and "NOT held out" in cal.source


# --- separation of originals and JPEGs -------------------------------------------------------

# Lower bounds on the AUC (originals vs JPEG, 26 images each, 256x256), a little below what was
# measured (QF 75 / 50): 1.0 / 1.0 for K_F, K_U^1 and the quantization detectors; K_U^2 only
# 0.80 / 0.90, because squaring lets a few strong edges and textures of an original outweigh the
# block steps; K_V (separate test) 0.99 / 0.93, a few smooth originals having a large TV jump.
MIN_AUC = {
    "K_F": 0.95, "K_F^n": 0.95, "K_U^1": 0.95, "K_U^2": 0.7,
    "Q_FdQ": 0.99, "Q_artefact": 0.99, "lattice": 0.99, "jpeg_history": 0.99,
}


@pytest.mark.parametrize("quality", QUALITIES)
@pytest.mark.parametrize("name", sorted(MIN_AUC))
def test_detector_separates_originals_from_jpeg(name, quality, original_scores, jpeg_scores):
    auc = roc_auc(original_scores[name], jpeg_scores[quality][name])
    assert auc >= MIN_AUC[name], f"{name} at QF {quality}: AUC {auc:.3f}"


# K_V^s measured 0.997 / 0.936 at QF 75 / 50 (K_V 0.994 / 0.932): a JPEG's own quality is a jump too.
@pytest.mark.parametrize("quality", QUALITIES)
@pytest.mark.parametrize("measure, originals_fixture",
                         [(max_delta_tv, "tv_originals"), (max_delta_tv_detrended, "detrended_originals")],
                         ids=["K_V", "K_V^s"])
def test_kv_separates_originals_from_jpeg(measure, originals_fixture, quality, request, jpegs):
    originals = request.getfixturevalue(originals_fixture)
    auc = roc_auc([r.score for r in originals], [measure(x).score for x in jpegs[quality]])
    assert auc >= 0.85, f"{measure.__name__} at QF {quality}: AUC {auc:.3f}"


def test_qtable_decision_on_originals(original_scores):
    # Fan & de Queiroz's own rule ("never compressed" iff all steps 1 or undetermined) holds for
    # most real originals; a few textured ones show a handful of spurious steps.
    assert np.mean(original_scores["Q_FdQ"] == 0) >= 0.8


# --- quantization-step estimation ------------------------------------------------------------

@pytest.mark.parametrize("quality", QUALITIES)
def test_qtable_recovers_low_frequency_steps(quality, jpegs):
    """The 3x3 top-left steps (DC included) of the IJG table, estimated from decoded pixels."""
    truth = quality_to_table(quality)[:3, :3].astype(np.int64)
    correct = np.array([np.sum(estimate_qtable(x)[:3, :3] == truth) for x in jpegs[quality]])
    assert np.mean(correct >= 8) >= 0.8, f"images with >= 8 of 9 steps right: {correct}"
    assert correct.sum() / (9 * correct.size) >= 0.9


def test_qtable_on_flat_and_clipped_images():
    assert np.all(estimate_qtable(np.full((64, 64), 128, np.uint8)) == UNDETERMINED)
    assert np.all(estimate_qtable(np.zeros((64, 64), np.uint8)) == UNDETERMINED)
    assert is_never_compressed(np.ones((8, 8), int)) and not is_never_compressed(np.full((8, 8), 2))
    assert step_count(np.array([[0, 1], [2, 3]])) == 2


def test_residual_weights_are_even_and_peak_at_zero():
    w = residual_log_weights(7, bound=2.0)
    assert w.shape == (7,) and np.allclose(w, w[::-1]) and np.argmax(w) == 3
    assert w[0] == -100.0  # residual 3 is unreachable within |e| <= B - 1/2 = 1.5


# --- lattice detector: grid offset of cropped JPEGs -------------------------------------------

@pytest.mark.parametrize("quality", QUALITIES)
@pytest.mark.parametrize("cut", [(3, 5), (1, 6)])
def test_lattice_finds_cropped_jpeg_and_its_offset(quality, cut, jpegs, original_scores):
    expected = ((8 - cut[0]) % 8, (8 - cut[1]) % 8)
    threshold = calibrate_threshold(original_scores["lattice"], FPR)
    for img in jpegs[quality][:6]:
        result = lattice_detect(img[cut[0]:, cut[1]:])
        assert result.offset == expected
        assert result.lattice_z > threshold


def test_aligned_estimators_lose_a_cropped_jpeg(jpegs):
    # Fan & de Queiroz read the aligned grid only; off the grid the table is not found. This is
    # why the 64-offset search exists.
    img = jpegs[50][0][3:, 5:]
    assert step_count(estimate_qtable(img)) < step_count(estimate_qtable(jpegs[50][0]))


# --- quantization-artefact detector (algorithms.md 4.7) ----------------------------------------

def test_quantization_artefact_on_synthetic_coefficients():
    rng = np.random.default_rng(0)
    table = quality_to_table(50).astype(np.float64)
    laplace = rng.laplace(scale=30.0, size=(2000, 8, 8))
    quantised = table * np.round(laplace / table) + rng.normal(0.0, np.sqrt(1 / 12), laplace.shape)
    # f = P(|N(0, 1/12)| <= 1/2) = 0.917; normalised (f - 1/Q) / (1 - 1/Q) is about 0.9.
    assert quantization_artefact_score_from_coefficients(quantised, table) > 0.85
    assert abs(quantization_artefact_score_from_coefficients(laplace, table)) < 0.05


def test_quantization_artefact_with_the_file_table(originals, jpegs):
    table = quality_to_table(75)
    assert quantization_artefact_score(jpegs[75][0], table) > 0.7
    assert abs(quantization_artefact_score(originals[0], table)) < 0.1
    assert QuantizationArtefactDetector(table).name == "Q_artefact_table"


# --- blockiness ----------------------------------------------------------------------------------

def test_gradient_blockiness_ignores_smooth_profiles_and_sees_block_steps():
    yy, xx = np.mgrid[0:64, 0:64]
    ramp = (2 * xx + yy).astype(np.uint8)
    assert gradient_blockiness(np.full((64, 64), 90, np.uint8)) == 0.0
    assert gradient_blockiness(ramp) == 0.0
    blocky = np.clip(ramp + 10 * ((xx // 8) % 2), 0, 255).astype(np.uint8)
    assert gradient_blockiness(blocky, 1) > 1.0
    assert GradientBlockinessDetector(2).name == "K_U^2"


def test_kf_normalised_on_a_hand_made_image():
    # 24x24: K_F's blocks are the top-left 2x2 of the 3x3 (4 differences per offset). Every
    # in-block difference is 0; the corner differences are 5, 5, 5 and 0.
    x = np.zeros((24, 24), np.int32)
    for r, c in ((0, 0), (0, 8), (8, 0)):
        x[r + 8, c + 8] = 5  # the pixel right-below each of three corners: |E - F - G + H| = 5
    assert blocking_kf(x.astype(np.uint8)) == pytest.approx(1.5)  # |(1, 0) - (1/4, 3/4)|_1
    # The reference offsets all hold (4 of 0): distance 0 between them, so the denominator is its
    # floor 1/4 (one step of a 4-count histogram) and K_F^n = 1.5 / (1/4).
    assert blocking_kf_normalised(x.astype(np.uint8)) == pytest.approx(6.0)
    assert blocking_kf_normalised(np.full((64, 64), 77, np.uint8)) == 0.0
    with pytest.raises(ValueError, match="K_F\\^n needs"):
        blocking_kf_normalised(np.zeros((8, 64), np.uint8))


def test_kf_normalised_reads_texture_noise_as_noise_and_block_steps_as_blocks():
    """High-contrast noise: K_F reads its histograms' noise (above its 256-px threshold of about
    0.36); K_F^n stays a rank near 1. Steps added on the 8x8 grid: K_F^n far above 1, and
    not when the same steps sit 4 pixels off the grid."""
    kf, kfn = [], []
    for seed in range(20):
        x = np.random.default_rng(seed).normal(128, 40, (256, 256)).clip(0, 255).astype(np.uint8)
        kf.append(blocking_kf(x))
        kfn.append(blocking_kf_normalised(x))
    assert min(kf) > 0.4
    # Under no grid the corner is one offset more among ten: above all nine about 1 time in 10.
    assert np.mean(np.array(kfn) > 1) <= 0.25 and max(kfn) < 1.6
    rng = np.random.default_rng(7)
    smooth = rng.normal(128, 3, (256, 256))
    steps = rng.normal(0, 6, (32, 32)).repeat(8, 0).repeat(8, 1)
    assert blocking_kf_normalised(np.clip(smooth + steps, 0, 255)) > 3
    assert blocking_kf_normalised(np.clip(smooth + np.roll(steps, (4, 4), (0, 1)), 0, 255)) < 1.6


# --- K_V: Stamm's dither fools the quantization detectors, not Valenzise's ----------------------

def test_f1_fools_quantization_detectors(original_scores, jpeg_scores, f1_scores):
    for name, max_rate in (("Q_FdQ", 0.1), ("Q_artefact", 0.1), ("lattice", 0.35)):
        threshold = calibrate_threshold(original_scores[name], FPR)
        f1_rate = detection_rate(f1_scores[name] > threshold)
        jpeg_rate = detection_rate(jpeg_scores[75][name] > threshold)
        assert jpeg_rate >= 0.95, f"{name} on QF-75 JPEGs: {jpeg_rate:.2f}"
        assert f1_rate <= max_rate, f"{name} on F1 outputs: {f1_rate:.2f}"


# K_V^s measured on these 26 crops: AUC 0.876 (K_V 0.917), Q_hat exact on 19 and within 5 on 21.
@pytest.mark.parametrize("measure, originals_fixture, min_auc",
                         [(max_delta_tv, "tv_originals", 0.85), (max_delta_tv_detrended, "detrended_originals", 0.83)],
                         ids=["K_V", "K_V^s"])
def test_kv_catches_f1_and_estimates_its_quality(measure, originals_fixture, min_auc, request, f1_outputs,
                                                 f1_qualities):
    originals = request.getfixturevalue(originals_fixture)
    f1 = [measure(x) for x in f1_outputs]
    auc = roc_auc([r.score for r in originals], [r.score for r in f1])
    assert auc >= min_auc, f"{measure.__name__} originals vs F1: AUC {auc:.3f}"
    error = np.array([r.quality for r in f1]) - np.array(f1_qualities)
    assert np.mean(np.abs(error) <= 5) >= 0.75, f"Q_hat - Q: {error.tolist()}"


def test_local_slope_by_hand():
    rises = np.array([1.0, 2, 3, 10, 5, 6, 7, 8])
    # i = 0: only its right side (2, 3, 10); i = 1: 1 and 3, 10, 5; i = 3: 1, 2, 3 and 5, 6, 7.
    assert local_slope(rises).tolist() == [3.0, 4.0, 5.0, 4.0, 6.5, 7.0, 7.0, 6.0]
    assert local_slope(rises, side=1).tolist() == [2.0, 2.0, 6.0, 4.0, 8.0, 6.0, 7.0, 7.0]
    with pytest.raises(ValueError):
        local_slope(np.array([1.0]))


def test_kv_detrended_keeps_a_jump_and_cancels_a_steep_smooth_rise(monkeypatch):
    img = np.zeros((100, 100), np.uint8)  # 10,000 pixels; only its size reaches the curve below
    q = np.arange(45, 101, dtype=float)
    # F1-like: TV rises by 1,000 per quality and by 5,000 more from q = 75: K_V 0.6, K_V^s 0.5.
    monkeypatch.setattr(tv, "tv_curve", lambda img, qs: 1000 * q + 5000 * (q >= 75))
    r = max_delta_tv_detrended(img)
    assert r.score == pytest.approx(0.5) and r.quality == 74 and r.delta_tv.shape == (55,)
    assert max_delta_tv(img).score == pytest.approx(0.6)
    # Noise-like: TV grows ever faster (quadratic), no jump. K_V takes the top rise (5,450 / 10^4);
    # K_V^s leaves only the curvature at the top end, where the slope comes from below: 0.02.
    monkeypatch.setattr(tv, "tv_curve", lambda img, qs: 50 * (q - 45) ** 2)
    assert max_delta_tv(img).score == pytest.approx(0.545)
    assert max_delta_tv_detrended(img).score == pytest.approx(0.02)
    with pytest.raises(ValueError):
        max_delta_tv_detrended(img, qualities=(50, 51))


def test_tv_curve_is_cached_by_content_and_returns_a_copy():
    x = np.random.default_rng(3).integers(0, 256, (32, 32), dtype=np.uint8)
    first = tv.tv_curve(x, (70, 71, 72))
    first[:] = -1  # the caller's copy; the cached curve must not change
    again = tv.tv_curve(x.copy(), (70, 71, 72))
    assert again.tolist() == [total_variation(jpeg_roundtrip(x, q)) for q in (70, 71, 72)]
    y = x.copy()
    y[0, 0] ^= 1  # one pixel differs: another curve, not the cached one
    assert tv.tv_curve(y, (70, 71, 72)).tolist() == [total_variation(jpeg_roundtrip(y, q)) for q in (70, 71, 72)]
    with pytest.raises(ValueError, match="uint8 gray"):
        tv.tv_curve(x.astype(np.float32), (70, 71, 72))  # never cast silently


def test_total_variation_and_kv_shapes():
    img = np.array([[0, 1], [3, 3]], np.uint8)
    assert total_variation(img) == (3 + 2) + (1 + 0)
    x = np.random.default_rng(1).integers(0, 256, (32, 32), dtype=np.uint8)
    r = max_delta_tv(x, n=3, qualities=tuple(range(60, 71)))
    assert r.delta_tv.shape == (8,) and 60 <= r.quality <= 67
    with pytest.raises(ValueError):
        max_delta_tv(x, qualities=(50, 52, 54))
    with pytest.raises(ValueError):
        TvDetector(n=0)


def test_select_detectors_in_the_order_asked_and_names_unknowns():
    from jpegaf.detectors import classical_detectors, select_detectors

    available = classical_detectors()
    picked = select_detectors(available, "lattice, K_F,lattice")
    assert [d.name for d in picked] == ["lattice", "K_F"]
    assert [d.name for d in select_detectors(available, ("K_V", "K_L"))] == ["K_V", "K_L"]
    assert select_detectors(available, "all") == tuple(available)
    # The default set (jpegaf detect's) leaves out the published K_F and K_V only; K_F^n and K_V^s
    # take their places.
    default = [d.name for d in select_detectors(available, "default")]
    assert "K_F" not in default and "K_F^n" in default
    assert "K_V" not in default and "K_V^s" in default
    assert sorted(set(d.name for d in available) - set(default)) == ["K_F", "K_V"]
    assert default == [d.name for d in available if d.name not in ("K_F", "K_V")]
    with pytest.raises(ValueError, match="K_X.*choose from K_F"):
        select_detectors(available, "K_F,K_X")


def test_calibrate_threshold_ranks_infinite_scores_highest():
    # K_L is +inf on a crop with a varianceless grid subband: it counts as one of the largest
    # scores, so 2 of 100 infinite ones leave the threshold at the 95th-largest finite score.
    scores = list(np.arange(98.0)) + [np.inf, np.inf]
    t = calibrate_threshold(scores, 0.05)
    assert t == 94.0 and sum(s > t for s in scores) == 5
    with pytest.raises(ValueError, match="NaN"):
        calibrate_threshold([1.0, np.nan, 2.0], 0.05)
