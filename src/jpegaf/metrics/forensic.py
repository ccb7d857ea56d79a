"""Forensic detection metrics: detection rate, ROC curve, AUC and TPR at a fixed FPR.

Conventions: a score is "higher = more likely JPEG-compressed"; *negatives* are never-compressed
images, *positives* are JPEG-compressed (or anti-forensically processed) ones. All functions take
plain sequences of per-image values and average explicitly over images.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np



def calibrate_threshold(scores_of_never_compressed: Iterable[float], fpr: float = 0.05) -> float:
    """The smallest observed score t such that at most ``fpr`` of the never-compressed scores
    exceed it (strictly).

    With n scores sorted ascending s_(1) <= ... <= s_(n) and m = floor(fpr * n) false positives
    allowed, t = s_(n - m): exactly the m largest scores lie above it when they are distinct.

    Ties: the verdict is ``score > t`` (strict), so every score equal to t is classified as
    never-compressed. When several scores tie at s_(n - m), fewer than m scores exceed t and the
    realised false-positive rate on the calibration set is below ``fpr``; it is never above.
    This matters for detectors with discrete scores (e.g. the number of estimated quantization
    steps > 1), whose calibrated rate is often 0.

    Infinite scores are allowed (K_L is +inf on an image whose grid subband has no variance at
    all, e.g. a satellite crop half of no-data pixels): they rank as the largest; a threshold that
    would itself be infinite (more than ``fpr`` of the scores are +inf) is refused.

    Args:
        scores_of_never_compressed: scores of held-out never-compressed images (no NaN).
        fpr: allowed false-positive rate, in [0, 1).

    Returns:
        The threshold (one of the given scores).
    """
    scores = np.sort(np.asarray(list(scores_of_never_compressed), dtype=np.float64))
    if scores.size == 0:
        raise ValueError("no scores to calibrate on")
    if np.isnan(scores).any():
        raise ValueError("scores must not be NaN")
    if not 0.0 <= fpr < 1.0:
        raise ValueError(f"fpr must be in [0, 1), got {fpr}")
    # A small tolerance so that e.g. 0.05 * 40 counts as 2 and not 1.9999999999999998.
    allowed = int(math.floor(fpr * scores.size + 1e-9))
    threshold = float(scores[scores.size - 1 - allowed])
    if not math.isfinite(threshold):
        raise ValueError(f"no finite threshold: more than {fpr:g} of the scores are infinite")
    return threshold


def scene_held_out_fpr(scores: Sequence[float], scenes: Sequence[str], fpr: float) -> float:
    """False-positive rate on *new scenes* of thresholds fitted at ``fpr``, by leave-one-scene-out.

    For each scene, :func:`calibrate_threshold` at ``fpr`` is fitted on the scores of every other
    scene and the fraction of that scene's scores above it is counted; the result is the mean of
    those fractions over scenes (each scene weighs the same: a user's photographs come from
    scenes none of the calibration images show, one or many photographs each).
    """
    s = _scores(scores, "calibration")
    g = np.asarray(list(scenes))
    if g.shape != s.shape:
        raise ValueError(f"{s.size} scores but {g.size} scene labels")
    names = np.unique(g)
    if names.size < 2:
        raise ValueError("need at least two scenes to hold one out")
    rates = []
    for name in names:
        inside = g == name
        rest = np.sort(s[~inside])
        # calibrate_threshold's order statistic, without its refusal of an infinite threshold
        # (an infinite threshold on the others only means this scene cannot be a false positive).
        t = rest[rest.size - 1 - int(math.floor(fpr * rest.size + 1e-9))]
        rates.append(float(np.mean(s[inside] > t)))
    return float(np.mean(rates))


def calibrate_threshold_by_scene(scores: Sequence[float], scenes: Sequence[str],
                                 fpr: float = 0.05) -> tuple[float, float]:
    """A threshold meant to give at most ``fpr`` false positives on scenes it was not fitted on.

    Crops of one scene are not independent draws: a quantile of n crops from m scenes is only as
    good as m, and a threshold at exactly ``fpr`` of its calibration crops flags more than ``fpr``
    of the crops of other scenes (measured on the corpus: up to 12.7% for classical detectors and
    17.7% for a 256-pixel CNN on the test part instead of 5%). This picks the largest rate
    a <= ``fpr`` whose leave-one-scene-out rate (:func:`scene_held_out_fpr`) is at most ``fpr``
    and returns ``(calibrate_threshold(scores, a), a)``. The leave-one-scene-out rate does not
    decrease as a grows, so a is found by bisection over the n + 1 possible counts of calibration
    scores above the threshold, floor(a n) = 0 ... floor(fpr n). When even a = 0 (the largest
    score) holds more than ``fpr`` of the held-out scenes' scores, a = 0 is returned.
    """
    s = _scores(scores, "calibration")
    if not 0.0 <= fpr < 1.0:
        raise ValueError(f"fpr must be in [0, 1), got {fpr}")
    lo, hi = 0, int(math.floor(fpr * s.size + 1e-9))  # counts of allowed exceedances

    def rate(k: int) -> float:  # the nominal rate that allows k calibration scores above
        return min(fpr, k / s.size)

    if scene_held_out_fpr(s, scenes, rate(hi)) <= fpr:
        lo = hi
    else:
        while lo < hi - 1:  # invariant: rate(lo) holds (or lo = 0), rate(hi) does not
            mid = (lo + hi) // 2
            if scene_held_out_fpr(s, scenes, rate(mid)) <= fpr:
                lo = mid
            else:
                hi = mid
    return calibrate_threshold(s, rate(lo)), rate(lo)


def _scores(values: Iterable[float], what: str) -> np.ndarray:
    arr = np.asarray(list(values), dtype=np.float64).ravel()
    if arr.size == 0:
        raise ValueError(f"no {what} scores")
    # +-inf are valid scores (K_L is +inf when a subband of the image is exactly zero: a JPEG
    # sign); only their order matters here. NaN has no order.
    if np.any(np.isnan(arr)):
        raise ValueError(f"{what} scores must not be NaN")
    return arr


def _finite_order(neg: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Infinite scores replaced by finite values just beyond the finite ones, order kept (so a
    threshold can separate them, and +inf stays the "nothing detected" threshold)."""
    both = np.concatenate([neg, pos])
    finite = both[np.isfinite(both)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    span = max(hi - lo, 1.0)
    return (np.clip(np.nan_to_num(neg, posinf=hi + span, neginf=lo - span), lo - span, hi + span),
            np.clip(np.nan_to_num(pos, posinf=hi + span, neginf=lo - span), lo - span, hi + span))


def rate_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson (exact binomial) interval of a rate of ``k`` in ``n``.

    Exact rather than normal-approximate because the counts here are small (tens of crops) and
    rates near 0 (false positives) are the ones that matter: 0 of 87 gives [0, 4.2%], not [0, 0].
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    from scipy.stats import beta

    alpha = 1.0 - confidence
    lo = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lo, hi


def detection_rate(verdicts: Iterable[bool]) -> float:
    """Fraction of images classified as JPEG (the papers' "ACC" on a set of one class).

    On anti-forensically processed images it is the rate at which the attack is detected (lower
    is better for the attack); on JPEG images, the true-positive rate; on never-compressed images,
    the false-positive rate. verdicts: sequence of bools (True = classified as JPEG).
    """
    v = np.asarray(list(verdicts))
    if v.size == 0:
        raise ValueError("no verdicts")
    if v.dtype != np.bool_:
        raise ValueError(f"verdicts must be booleans, got {v.dtype}")
    return float(v.mean())


def roc_auc(scores_negative: Iterable[float], scores_positive: Iterable[float]) -> float:
    """Area under the ROC curve by the Mann-Whitney statistic.

    AUC = P(S_pos > S_neg) + 1/2 P(S_pos = S_neg) over all (negative, positive) pairs: ties count
    half. 1.0 is perfect separation, 0.5 chance, 0.0 perfectly reversed. Computed from mid-ranks
    in O(n log n).
    """
    neg = _scores(scores_negative, "negative")
    pos = _scores(scores_positive, "positive")
    both = np.concatenate([neg, pos])
    order = np.argsort(both, kind="mergesort")
    sorted_vals = both[order]
    # Mid-ranks (1-based): every member of a run of equal values gets the run's mean rank.
    starts = np.flatnonzero(np.r_[True, sorted_vals[1:] != sorted_vals[:-1]])
    ends = np.r_[starts[1:], sorted_vals.size]
    mid = (starts + ends + 1) / 2.0
    ranks = np.empty(both.size)
    ranks[order] = np.repeat(mid, ends - starts)
    u = ranks[neg.size:].sum() - pos.size * (pos.size + 1) / 2.0
    return float(u / (neg.size * pos.size))


def roc_curve(scores_negative: Iterable[float],
              scores_positive: Iterable[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve of the rule "JPEG iff score >= t" over every distinct observed score t.

    Returns (fpr, tpr, thresholds), each (K + 1,): thresholds in decreasing order, starting with
    +inf (nothing classified as JPEG, the point (0, 0)) and ending with the smallest score (all
    classified as JPEG, the point (1, 1)). Tied scores form one step, so the trapezoidal area
    under the curve equals :func:`roc_auc`. Infinite scores are placed just beyond the finite ones
    (a threshold value of "max finite + span" stands for +inf).
    """
    neg, pos = _finite_order(_scores(scores_negative, "negative"), _scores(scores_positive, "positive"))
    thresholds = np.unique(np.concatenate([neg, pos]))[::-1]
    neg_sorted, pos_sorted = np.sort(neg), np.sort(pos)
    # Count of scores >= t for every t: n minus the number strictly below t.
    fp = neg.size - np.searchsorted(neg_sorted, thresholds, side="left")
    tp = pos.size - np.searchsorted(pos_sorted, thresholds, side="left")
    fpr = np.r_[0.0, fp / neg.size]
    tpr = np.r_[0.0, tp / pos.size]
    return fpr, tpr, np.r_[np.inf, thresholds]


def tpr_at_fpr(scores_negative: Iterable[float], scores_positive: Iterable[float],
               fpr: float = 0.05) -> float:
    """True-positive rate of the best rule "JPEG iff score > t" whose false-positive rate on the
    given negatives is at most ``fpr``.

    The threshold is the one :func:`calibrate_threshold` would choose on
    these negatives (the floor(fpr n)-th largest negative score, ties kept below the threshold),
    so the value matches what a detector calibrated on the same negatives achieves.
    """
    neg = _scores(scores_negative, "negative")
    pos = _scores(scores_positive, "positive")
    threshold = calibrate_threshold(neg, fpr)
    return float(np.mean(pos > threshold))
