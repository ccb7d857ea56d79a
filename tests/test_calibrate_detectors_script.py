"""scripts/calibrate_detectors.py: reading a corpus_scores table and fitting thresholds by scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jpegaf.metrics import calibrate_threshold, calibrate_threshold_by_scene


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("calibrate_detectors")


def _table(path: Path, names: list[str], rows: list[tuple[str, int, int, float]]) -> None:
    """A corpus_scores-like CSV: (file, size, cell, value), the same value for every detector
    but shifted by the detector's index, so that a column mix-up shows."""
    lines = [",".join(["file", "part", "scene", "size", "cell", *names])]
    for file, size, cell, value in rows:
        values = (repr(value + k) for k in range(len(names)))
        lines.append(",".join([file, "train", "s", str(size), str(cell), *values]))
    path.write_text("\n".join(lines) + "\n")


def test_read_scores_keeps_the_sub_crop_order_and_refuses_a_missing_crop(script, tmp_path):
    names = [d.name for d in script.DETECTORS]
    root = tmp_path / "corpus"
    files = [root / "train" / "a.png", root / "train" / "b.png"]
    # 128 px: four cells per crop, written out of order
    rows = ([("train/b.png", 128, c, 10.0 + c) for c in (3, 1, 0, 2)]
            + [("train/a.png", 128, c, float(c)) for c in range(4)])
    rows.append(("train/a.png", 256, 0, 99.0))  # another size is ignored
    _table(tmp_path / "scores.csv", names, rows)
    scores = script.read_scores(tmp_path / "scores.csv", root, files, 128)
    assert scores[names[0]] == [0.0, 1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0]
    assert scores[names[2]] == [v + 2 for v in scores[names[0]]]
    with pytest.raises(SystemExit, match="b.png at 256 px"):
        script.read_scores(tmp_path / "scores.csv", root, files, 256)


def test_fit_calibrations_by_scene_and_plain(script):
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.normal(size=90), 4.0 + rng.normal(size=10) * 0.1])  # one scene scores high
    scenes = [f"s{i // 10}" for i in range(100)]
    scores = {d.name: list(values) for d in script.DETECTORS}
    by_scene = script.fit_calibrations(scores, scenes, 256, 0.05, "test crops")
    plain = script.fit_calibrations(scores, None, 256, 0.05, "test crops")
    expected, share = calibrate_threshold_by_scene(values, scenes, 0.05)
    assert share < 0.05 and expected > calibrate_threshold(values, 0.05)
    for cal, flat in zip(by_scene, plain):
        assert cal.threshold == expected and flat.threshold == calibrate_threshold(values, 0.05)
        assert cal.fpr == flat.fpr == 0.05 and cal.n_images == 100 and cal.size == 256
        assert "leave-one-scene-out" in cal.source and "the plain quantile" in flat.source
        assert cal.source.endswith(f"{100 * np.mean(values > expected):.2f}% of these crops above it")


def _png(path: Path, shape: tuple[int, int], level: int) -> None:
    from PIL import Image

    Image.fromarray(np.full(shape, level, np.uint8)).save(path)


def test_extra_photos_are_read_in_order_each_its_own_scene(script, tmp_path):
    a, b = tmp_path / "setA", tmp_path / "setB"
    a.mkdir(), b.mkdir()
    _png(a / "zeta.png", (256, 300), 10)
    _png(a / "alpha.png", (300, 256), 20)
    _png(a / "left_out.png", (256, 256), 30)
    (a / "notes.txt").write_text("not an image")
    _png(b / "beta.bmp", (256, 256), 40)
    photos = script.extra_photos([a, b], {"left_out"})
    assert [scene for scene, _ in photos] == ["setA/alpha", "setA/zeta", "setB/beta"]
    assert [int(img[0, 0]) for _, img in photos] == [20, 10, 40]
    crops = script.centre_crops(photos, 128)
    assert [c.shape for c in crops] == [(128, 128)] * 3
    # alpha is 300 high: its centre crop starts at row 88 (the centre, 86, rounded up to the grid)
    # and is flat, so only the shape and the level can be checked here
    assert int(crops[0][0, 0]) == 20


def test_extra_photos_refuse_what_they_cannot_use(script, tmp_path):
    a = tmp_path / "set"
    a.mkdir()
    _png(a / "small.png", (255, 400), 10)
    with pytest.raises(SystemExit, match="small.png: 400x255 is smaller than 256x256"):
        script.extra_photos([a])
    with pytest.raises(SystemExit, match="no such folder"):
        script.extra_photos([tmp_path / "missing"])
    with pytest.raises(SystemExit, match="no lossless image"):
        script.extra_photos([a], {"small"})
    with pytest.raises(SystemExit, match="no image named typo"):
        script.extra_photos([a], {"small", "typo"})
