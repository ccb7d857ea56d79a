"""scripts/build_detectors.py: the fine-tuning schedule, its skip rule, and what the shipped CNN
cards say about how they were made."""

from __future__ import annotations

import hashlib
import json

import pytest

from jpegaf.pretrained import PRETRAINED_DIR


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("build_detectors")


def test_fine_tuning_config_takes_the_asked_rate_and_keeps_the_best_epoch(script, tmp_path):
    init = tmp_path / "init.safetensors"
    default = script.config_for(128, 75, tmp_path / "cache", init)
    slower = script.config_for(128, 75, tmp_path / "cache", init, fine_tune_lr=2.5e-4)
    assert default.lr == script.FINE_TUNE_LR == 5e-4 and slower.lr == 2.5e-4
    assert slower.keep_best and slower.init_weights == str(init)
    assert slower.epochs == script.FINE_TUNE_EPOCHS[128] == 4
    # Without starting weights: the from-scratch schedule, whatever rate was asked for fine-tuning.
    scratch = script.config_for(128, 75, tmp_path / "cache", None, fine_tune_lr=2.5e-4)
    assert scratch.epochs == script.EPOCHS[128] and scratch.init_weights is None and not scratch.keep_best


def test_a_shipped_card_is_skipped_only_when_it_matches_the_train_part_and_the_rate(script):
    card = {"data": {"train_images": 446}, "train_config": {"lr": 5e-4}}
    assert script._fine_tuned_as_asked(card, 446, 5e-4)
    assert not script._fine_tuned_as_asked(card, 486, 5e-4)  # the corpus changed: fine-tune again
    assert not script._fine_tuned_as_asked(card, 446, 2.5e-4)  # another rate asked: run it
    assert not script._fine_tuned_as_asked({}, 446, 5e-4)


@pytest.mark.parametrize("name", [f"detector-{s}-q{q}" for s in (64, 128, 256) for q in (25, 50, 75)])
def test_shipped_cnn_cards_record_their_fine_tuning(name):
    card = json.loads((PRETRAINED_DIR / f"{name}.json").read_text())
    config = card["train_config"]
    # Fine-tuned from first-edition weights (their training recorded), best calibration epoch kept.
    assert card["init"]["train_images"] < card["data"]["train_images"]
    assert len(card["init"]["sha256"]) == 64 and card["init"]["steps"] > 0
    assert config["keep_best"] and 0 <= card["exported_epoch"] < config["epochs"]
    assert config["lr"] in (5e-4, 2.5e-4)
    # The figures under "test" come from the test part, never the threshold's calibration part.
    assert card["test"]["n_images"] > 0 and card["data"]["held_out_images"] > 0
    assert 0.0 <= card["test"]["fpr"] <= 1.0 and 0.5 < card["test"]["auc_jpeg"] <= 1.0
    # The shipped weights are not the starting ones: the fine-tuning was exported.
    weights = (PRETRAINED_DIR / f"{name}.safetensors").read_bytes()
    assert hashlib.sha256(weights).hexdigest() != card["init"]["sha256"]


def _bright_scene_parts(tmp_path):
    """A calibration part of 10 scenes of 4 noisy 64-px crops, mean grey 40 + 3 i, but scene s9
    bright (200): (its files, the CorpusParts)."""
    import numpy as np
    from PIL import Image

    from jpegaf.data.corpus import CorpusParts

    rng = np.random.default_rng(0)
    files, scenes = [], {}
    for i in range(40):
        level = 200 if i >= 36 else 40 + 3 * i
        path = tmp_path / f"c{i:02d}.png"
        Image.fromarray(np.clip(level + rng.normal(0, 8, (64, 64)), 0, 255).astype(np.uint8)).save(path)
        files.append(path)
        scenes[path] = f"s{i // 4}"
    return files, CorpusParts(root=tmp_path, train=[], calibration=files, test=[], scenes=scenes)


def test_threshold_by_scene_rises_above_a_scene_the_plain_quantile_lets_through(script, tmp_path):
    """A scene whose crops all score high is what a new photograph may look like: the threshold
    is raised above it, the card says how, and its held-out figures are those of the new one."""
    import numpy as np
    from PIL import Image

    from jpegaf.train.detector import quick_preset

    files, parts = _bright_scene_parts(tmp_path)

    class MeanDetector:  # score = mean grey level, as a stand-in for a network
        threshold = None

        def score_batch(self, images):
            return np.array([float(np.mean(im)) / 255 for im in images])

    config = quick_preset(64, 50, crops_per_image=1, epochs=1, eval_crops_per_image=1)
    card = {"threshold": 0.5, "calibration": {"fpr": 0.05, "n_images": 40},
            "held_out": {"auc_jpeg": 0.99, "det_jpeg": 1.0, "fpr_held_out": 0.05}, "train_config": config.to_dict()}
    det = MeanDetector()
    new = script.threshold_by_scene(det, card, parts)
    means = sorted(float(np.mean(np.asarray(Image.open(f)))) / 255 for f in files)
    # The plain 5% quantile lets 2 of 40 above it, both of the bright scene; held out, that scene
    # is flagged whole by the other scenes' thresholds at any share (1 of 10 scenes: 10%), so
    # nothing may lie above: the threshold is the largest score.
    assert new["threshold"] == det.threshold == pytest.approx(means[-1])
    assert new["calibration"]["share_above"] == 0.0 and new["calibration"]["scenes"] == 10
    assert new["calibration"]["plain_threshold"] == 0.5 and "by scene" in new["calibration"]["rule"]
    assert new["held_out"]["fpr_held_out"] == 0.0 and new["held_out"]["auc_jpeg"] == 0.99
    assert card["threshold"] == 0.5  # the card passed in is not changed


def test_extra_photographs_join_the_calibration_crops_as_scenes_of_their_own(script, tmp_path):
    """The bright scene of the test above is 1 of 10 scenes; with 10 photographs beyond the corpus
    (each its own scene, mid grey) it is 1 of 20, so 5 % of the scenes may lie above the threshold:
    2 of the 50 crops, both bright, and the threshold falls from the largest score to the third."""
    import numpy as np
    from PIL import Image

    from jpegaf.train.detector import quick_preset

    files, parts = _bright_scene_parts(tmp_path)
    # 256-px photographs: only their centre 64 x 64 is read; their border is white, so a detector
    # that read more than the centre would score them high.
    extra = []
    for i in range(10):
        img = np.full((256, 256), 255, np.uint8)
        img[96:160, 96:160] = 100 + i
        extra.append((f"more/x{i}", img))

    class MeanDetector:
        threshold = None
        size = 64

        def score_batch(self, images):
            assert all(im.shape == (64, 64) for im in images)
            return np.array([float(np.mean(im)) / 255 for im in images])

    config = quick_preset(64, 50, crops_per_image=1, epochs=1, eval_crops_per_image=1)
    card = {"threshold": 0.5, "calibration": {"fpr": 0.05, "n_images": 40},
            "held_out": {"auc_jpeg": 0.99, "det_jpeg": 1.0, "fpr_held_out": 0.05}, "train_config": config.to_dict()}
    new = script.threshold_by_scene(MeanDetector(), card, parts, extra, "10 photographs from more")
    means = sorted([float(np.mean(np.asarray(Image.open(f)))) / 255 for f in files] + [(100 + i) / 255 for i in range(10)])
    assert new["threshold"] == pytest.approx(means[-3])
    assert new["calibration"]["scenes"] == 20 and new["calibration"]["share_above"] == pytest.approx(2 / 50)
    assert new["calibration"]["extra"]["photographs"] == 10
    assert new["calibration"]["extra"]["source"] == "10 photographs from more"
    # the card's false positives on the calibration crops count the extra photographs too: 2 of 50
    assert new["held_out"]["fpr_held_out"] == pytest.approx(2 / 50)
    # without extra photographs the card says nothing of them, even if the card passed in did
    again = script.threshold_by_scene(MeanDetector(), new, parts)
    assert "extra" not in again["calibration"] and again["calibration"]["scenes"] == 10


@pytest.mark.parametrize("name", [f"detector-{s}-q{q}" for s in (64, 128, 256) for q in (25, 50, 75)])
def test_shipped_cnn_thresholds_are_fitted_by_scene(name):
    card = json.loads((PRETRAINED_DIR / f"{name}.json").read_text())
    cal = card["calibration"]
    # the corpus's calibration part (30 scenes) and the 86 photographs of unseen sets 1 to 4, each
    # its own scene (README, "Thresholds and CNN detectors")
    assert cal["extra"]["photographs"] == 86 and "unseen4" in cal["extra"]["source"]
    assert "by scene" in cal["rule"] and cal["scenes"] == 30 + 86
    assert 0.0 <= cal["share_above"] <= cal["fpr"] == 0.05
    assert card["held_out"]["fpr_held_out"] <= cal["share_above"] + 1e-12
