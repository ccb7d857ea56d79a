"""Tests of the forensic metrics on hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.metrics.forensic import calibrate_threshold, detection_rate, roc_auc, roc_curve, tpr_at_fpr


def test_detection_rate():
    assert detection_rate([True, False, True, True]) == 0.75
    assert detection_rate(np.array([False] * 3)) == 0.0
    with pytest.raises(ValueError):
        detection_rate([])
    with pytest.raises(ValueError):
        detection_rate([1, 0])  # scores, not verdicts


def test_auc_perfect_reversed_and_chance():
    assert roc_auc([0.1, 0.2, 0.3], [0.4, 0.5]) == 1.0
    assert roc_auc([0.4, 0.5], [0.1, 0.2, 0.3]) == 0.0
    assert roc_auc([1.0, 1.0], [1.0, 1.0, 1.0]) == 0.5


def test_auc_counts_ties_half():
    # Pairs (neg, pos): (1,1) tie = 1/2, (1,2) = 1, (2,1) = 0, (2,2) tie = 1/2 -> 2/4.
    assert roc_auc([1, 2], [1, 2]) == 0.5
    # neg {0, 1}, pos {1}: (0,1) = 1, (1,1) = 1/2 -> 0.75.
    assert roc_auc([0, 1], [1]) == 0.75


def test_auc_matches_pairwise_definition():
    rng = np.random.default_rng(0)
    neg = rng.integers(0, 10, 40).astype(float)
    pos = rng.integers(3, 13, 30).astype(float)
    pairwise = np.mean((pos[None, :] > neg[:, None]) + 0.5 * (pos[None, :] == neg[:, None]))
    assert roc_auc(neg, pos) == pytest.approx(pairwise)


def test_roc_curve_endpoints_and_area():
    neg, pos = [1, 2, 2, 3], [2, 3, 4]
    fpr, tpr, thr = roc_curve(neg, pos)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.isinf(thr[0]) and np.all(np.diff(thr) < 0)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert area == pytest.approx(roc_auc(neg, pos))
    # At threshold 3: negatives >= 3 are 1 of 4, positives 2 of 3.
    i = int(np.flatnonzero(thr == 3)[0])
    assert (fpr[i], tpr[i]) == (0.25, pytest.approx(2 / 3))


def test_tpr_at_fpr():
    neg = np.arange(100.0)  # threshold at 5% FPR: 94 (5 negatives above)
    assert tpr_at_fpr(neg, [94.0, 94.5, 99.0, 200.0]) == 0.75
    assert tpr_at_fpr([0.0, 0.0, 0.0], [0.0, 1.0]) == 0.5  # ties with the threshold are negatives
    assert tpr_at_fpr([5.0] * 10, [1.0, 2.0]) == 0.0  # reversed
    with pytest.raises(ValueError):
        tpr_at_fpr([], [1.0])


def test_infinite_scores_rank_as_extremes_and_nan_is_refused():
    from jpegaf.metrics import roc_auc, roc_curve

    neg = [0.1, 0.2, 0.3]
    pos = [0.25, float("inf"), 0.5]
    assert roc_auc(neg, pos) == roc_auc(neg, [0.25, 9.0, 0.5]) == pytest.approx(8 / 9)
    fpr, tpr, thr = roc_curve(neg, pos)
    assert np.all(np.isfinite(thr[1:])) and np.isinf(thr[0])
    assert np.trapezoid(tpr, fpr) == pytest.approx(8 / 9)
    assert roc_auc([-float("inf"), 0.0], [float("inf")]) == 1.0
    with pytest.raises(ValueError):
        roc_auc(neg, [float("nan")])


def test_rate_interval_is_clopper_pearson():
    from jpegaf.metrics import rate_interval

    # Known values: 0 of 87 -> [0, 1 - 0.025^(1/87)]; n of n mirrors 0 of n; 5 of 20 from tables.
    lo, hi = rate_interval(0, 87)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 87), rel=1e-9)
    lo, hi = rate_interval(87, 87)
    assert hi == 1.0 and lo == pytest.approx(0.025 ** (1 / 87), rel=1e-9)
    lo, hi = rate_interval(5, 20)
    assert (round(lo, 4), round(hi, 4)) == (0.0866, 0.4910)
    with pytest.raises(ValueError):
        rate_interval(3, 2)


# --- thresholds that hold on new scenes --------------------------------------------------------

def test_scene_held_out_fpr_by_hand():
    from jpegaf.metrics import scene_held_out_fpr

    scores = [0, 1, 2, 3, 10, 11, 4, 5]
    scenes = ["a", "a", "a", "a", "b", "b", "c", "c"]
    # fpr 0: each scene is judged against the largest score of the others. Without a: 11 (none
    # of a above); without b: 5 (both of b above); without c: 11 (none of c). Mean over scenes.
    assert scene_held_out_fpr(scores, scenes, 0.0) == pytest.approx(1 / 3)
    # fpr 0.25 allows one of 6 or 4 scores above: without b the threshold is 3 -> both of b above;
    # without a it is 10 (none of a above), without c 10 (none).
    assert scene_held_out_fpr(scores, scenes, 0.25) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="two scenes"):
        scene_held_out_fpr(scores, ["a"] * 8, 0.05)
    with pytest.raises(ValueError, match="scene labels"):
        scene_held_out_fpr(scores, scenes[:-1], 0.05)


def test_threshold_by_scene_equals_plain_quantile_when_every_score_is_its_own_scene():
    from jpegaf.metrics import calibrate_threshold_by_scene

    scores = np.random.default_rng(0).normal(size=200)
    threshold, rate = calibrate_threshold_by_scene(scores, [str(i) for i in range(200)], 0.05)
    # Leaving one of n independent scores out, a threshold allowing k of n above flags exactly
    # the k largest: the held-out rate is k / n, so nothing is given up.
    assert rate == 0.05
    assert threshold == calibrate_threshold(scores, 0.05)


def test_threshold_by_scene_is_raised_by_a_scene_of_high_scores():
    from jpegaf.metrics import calibrate_threshold_by_scene, scene_held_out_fpr

    rng = np.random.default_rng(1)
    # 19 ordinary scenes of 10 crops, and one scene whose 10 crops all score high (a texture the
    # detector mistakes for JPEG): 5% of 200 = 10 crops, exactly that scene.
    scores = np.concatenate([rng.normal(size=190), 3.0 + 0.1 * rng.normal(size=10)])
    scenes = [f"s{i // 10}" for i in range(200)]
    plain = calibrate_threshold(scores, 0.05)
    threshold, rate = calibrate_threshold_by_scene(scores, scenes, 0.05)
    assert scene_held_out_fpr(scores, scenes, 0.05) > 0.05  # the plain quantile does not hold
    assert rate < 0.05 and threshold > plain
    assert scene_held_out_fpr(scores, scenes, rate) <= 0.05
    # and it is the largest rate that holds: one more calibration score above would not
    k = round(rate * 200)
    assert scene_held_out_fpr(scores, scenes, (k + 1) / 200) > 0.05
    assert threshold == calibrate_threshold(scores, rate)
