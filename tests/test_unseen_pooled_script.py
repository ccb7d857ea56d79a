"""scripts/unseen_pooled.py: pooling the unseen sets' scores and the leave-one-set-out refit, on
small score tables written here (the script runs no detector)."""

from __future__ import annotations

import csv

import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_pooled")


def write_set(folder, originals: dict[str, float], jpegs: dict[int, dict[str, float]], threshold: float,
              detector: str = "K_F"):
    folder.mkdir(parents=True)
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "quality", "detector", "score", "threshold", "verdict"])
        for name, s in originals.items():
            w.writerow([name, "", detector, s, threshold, "JPEG" if s > threshold else "original"])
        for q, table in jpegs.items():
            for name, s in table.items():
                w.writerow([name, q, detector, s, threshold, "JPEG" if s > threshold else "original"])


@pytest.fixture
def two_sets(tmp_path):
    # Set a: 4 originals, one above the threshold 1.0; set b: 5 originals, two above it.
    a, b = tmp_path / "a", tmp_path / "b"
    write_set(a, {"a1": 0.1, "a2": 0.5, "a3": 1.5, "a4": 0.9},
              {q: {"a1": 2.0, "a2": 0.95, "a3": 3.0, "a4": 1.2} for q in (25, 50, 75)}, 1.0)
    write_set(b, {"b1": 1.1, "b2": 1.2, "b3": 0.2, "b4": 0.3, "b5": 0.4},
              {q: {"b1": 5.0, "b2": 5.0, "b3": 1.15, "b4": 0.5, "b5": 5.0} for q in (25, 50, 75)}, 1.0)
    return a, b


def test_pooled_counts_each_set_and_all_of_them(script, two_sets):
    sets = {str(p): script.read_set(p) for p in two_sets}
    row = script.pooled_table(sets)[2]
    # 1 of 4 and 2 of 5 above 1.0; pooled 3 of 9; set b (40 %) is above the 15 % bound, set a (25 %) too.
    assert row.startswith("| K_F | 1/4 | 2/5 | 3/9 = 33.3% |")
    assert row.endswith("| 2 |")


def test_a_set_judged_at_two_thresholds_is_refused(script, tmp_path):
    folder = tmp_path / "s"
    write_set(folder, {"x": 0.1}, {}, 1.0)
    with open(folder / "scores.csv", "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(["y", "", "K_F", 0.2, 2.0, "original"])
    with pytest.raises(SystemExit, match="two thresholds"):
        script.read_set(folder)


def test_leave_one_set_out_fits_on_the_base_and_the_other_set_only(script, two_sets):
    sets = {str(p): script.read_set(p) for p in two_sets}
    # 20 base scores 0.00 .. 0.19, each its own scene.
    base = {"K_F": ([i / 100 for i in range(20)], [f"s{i}" for i in range(20)])}
    a, b = map(str, two_sets)
    # Left-out a: the base + b's five, 25 distinct values, one allowed above (its leave-one-scene-out
    # rate is 1/25): the second largest, 1.1. Left-out b: the base + a's four: 24 values, 0.9.
    assert script.refit_thresholds(sets, base["K_F"], "K_F") == {a: 1.1, b: 0.9}
    row = script.leave_one_set_out(sets, base)[2]
    # Refitted: a's 1.5 above 1.1 (1 of 4), b's 1.1 and 1.2 above 0.9 (2 of 5); JPEGs: a's 2.0, 3.0,
    # 1.2 (3 of 4) and b's 5, 5, 1.15, 5 (4 of 5). Shipped (1.0): the same counts.
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[0] == "K_F" and cells[1].startswith("3/9 = 33.3% [") and cells[2].startswith("3/9 = 33.3% [")
    assert cells[3:] == ["78% → 78%"] * 3


def test_the_refit_rises_with_the_other_sets_high_scores(script, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_set(a, {"a1": 0.5}, {q: {"a1": 9.0} for q in (25, 50, 75)}, 1.0)
    write_set(b, {f"b{i}": 1.0 + i / 100 for i in range(20)}, {q: {"b0": 9.0} for q in (25, 50, 75)}, 1.0)
    sets = {str(p): script.read_set(p) for p in (a, b)}
    base = ([i / 100 for i in range(40)], [f"s{i}" for i in range(40)])
    refit = script.refit_thresholds(sets, base, "K_F")
    # Left-out a: 60 values with b's twenty at 1.00-1.19; three may lie above (leave-one-scene-out
    # flags 1.19, 1.18, 1.17: 3 of 60), so the fourth largest, 1.16. Left-out b: the base and a's
    # 0.5, 41 values, two may lie above (it flags 0.5 and 0.39: 2 of 41): the third largest, 0.38.
    assert refit == {str(a): 1.16, str(b): 0.38}


def test_check_reproduced_stops_on_a_threshold_it_cannot_give_back(script, two_sets):
    sets = {str(p): script.read_set(p) for p in two_sets}
    base = {"K_F": ([i / 100 for i in range(20)], [f"s{i}" for i in range(20)])}
    with pytest.raises(SystemExit, match="not the one the thresholds were fitted on"):
        script.check_reproduced(sets, base)  # the base gives 0.18, the sets were judged at 1.0


def test_photo_sets_score_each_centre_crop_and_its_jpegs(script, tmp_path):
    import numpy as np
    from PIL import Image

    from jpegaf.data import centre_crop_position, crop
    from jpegaf.detectors import classical_detectors
    from jpegaf.jpeg import compress, decompress

    rng = np.random.default_rng(5)
    folders = [tmp_path / "s1", tmp_path / "s2"]
    images = {}
    for k, folder in enumerate(folders):
        folder.mkdir()
        for name in ("p", "q", "gone")[:3 - k]:
            img = np.clip(128 + 40 * rng.standard_normal((256, 264)), 0, 255).astype(np.uint8)
            Image.fromarray(img).save(folder / f"{name}.png")
            images[(folder.name, name)] = img
    sets = script.photo_sets(folders, {"gone"}, 64)
    assert list(sets) == [str(f) for f in folders]
    det = {d.name: d for d in classical_detectors()}["K_F"]
    for folder in folders:
        entry = sets[str(folder)]["K_F"]
        assert np.isnan(entry["threshold"])  # the caller sets it
        for name, score in entry["originals"].items():
            c = crop(images[(folder.name, name)], *centre_crop_position(256, 264, 64), 64)
            assert score == det.score(c)
            assert entry["jpegs"][50][name] == det.score(decompress(compress(c, 50)))
    # "gone" left out of the set that has it; the other set has no such image and is not refused
    assert sorted(sets[str(folders[0])]["K_F"]["originals"]) == ["p", "q"]
    assert sorted(sets[str(folders[1])]["K_F"]["originals"]) == ["p", "q"]
    assert set(sets[str(folders[0])]) == {d.name for d in classical_detectors()}


def test_main_skips_the_reproduction_check_only_when_asked(script, two_sets, tmp_path, capsys):
    # A corpus table whose refit (0.18 from twenty scores 0.00 .. 0.19) is not the sets' 1.0, as for
    # thresholds shipped with --extra photographs: refused, unless the check is skipped.
    table = tmp_path / "corpus.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "part", "scene", "size", "cell", "K_F"])
        for i in range(20):
            w.writerow([f"c{i}.png", "calibration", f"s{i}", 256, 0, i / 100])
    args = ["--sets", *map(str, two_sets), "--corpus-scores", str(table)]
    with pytest.raises(SystemExit, match="not the one the thresholds were fitted on"):
        script.main(args)
    assert script.main([*args, "--no-reproduction-check"]) == 0
    out = capsys.readouterr().out
    assert "Leave one set out" in out and "| K_F | 3/9 = 33.3% [" in out.split("Leave one set out")[1]
