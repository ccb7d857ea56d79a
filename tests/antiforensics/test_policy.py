"""`jpegaf erase`'s default: the shipped policy's method per quality, chosen from a measured front."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics import METHODS, generator_method
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.policy import POLICY_FILE, PolicyEraser, load_policy, load_policy_entries
from jpegaf.errors import JpegafError
from jpegaf.pretrained import PRETRAINED_DIR


def test_the_shipped_policy_covers_each_quality_with_shipped_files():
    policy = load_policy(PRETRAINED_DIR / POLICY_FILE)
    assert set(policy) == {25, 50, 75}
    for method, generators in policy.values():
        assert method in METHODS
        assert all(g.parent == PRETRAINED_DIR and g.exists() for g in generators)
    record = json.loads((PRETRAINED_DIR / POLICY_FILE).read_text())
    assert "scripts/measure_front.py" in record["measured_by"] and record["rule"]


def test_each_file_gets_the_method_of_the_nearest_quality(gray_images):
    entries = load_policy_entries(PRETRAINED_DIR / POLICY_FILE)
    auto = PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE)  # as jpegaf erase runs it
    img = gray_images[1][:64, :64]
    for quality, expected_quality in ((50, 50), (40, 50), (30, 25), (90, 75)):
        coefs = jpeg.read_coefficients(jpeg.compress(img, quality))
        out = auto(coefs, seed=2)
        name, generators, ensemble = entries[expected_quality]
        eraser = GanEraser({expected_quality: generators[0]} if len(generators) == 1 else
                           {q: g for q, g in zip((25, 50, 75), generators)}, ensemble=ensemble)
        assert np.array_equal(out, generator_method(name, eraser)(coefs, 2)), quality
        assert (auto.last_note is None) == (quality == expected_quality)
        if auto.last_note:
            assert f"measured choice for QF {expected_quality}" in auto.last_note


@pytest.mark.parametrize("content,problem", [
    (None, "not a readable erase policy"),
    ('{"qualities": {"50": {"method": "magic", "generators": []}}}', "unknown method"),
    ('{"qualities": {"50": {"method": "gan", "generators": []}}}', "names no generator"),
    ('{"qualities": {"50": {"method": "gan", "generators": ["gone.safetensors"]}}}', "is missing"),
    ('{"qualities": {}}', "has no quality"),
    ('{"qualities": {"50": {"method": "gan", "generators": [], "ensemble": 3}}}', "ensemble 3"),
])
def test_a_bad_policy_is_one_line(tmp_path, content, problem):
    path = tmp_path / POLICY_FILE
    if content is not None:
        path.write_text(content)
    with pytest.raises(JpegafError, match=problem) as e:
        load_policy(path)
    assert "\n" not in str(e.value)


def test_the_rule_picks_the_least_detectable_method_above_the_jpeg(load_script):
    front_script = load_script("measure_front")

    def row(method, size, gain, ssim, worst):
        return {"size": size, "quality": 50, "method": method, "n": 30, "psnr_gain": gain, "ssim_gain": ssim,
                "rates": {"K_F": worst, "K_L": worst / 2}}

    front = [row("gan (a)", 128, 1.5, 0.01, 0.9), row("gan (a)", 256, 1.4, 0.01, 0.8),
             row("gan (b)", 128, 0.2, 0.002, 0.2), row("gan (b)", 256, 0.1, 0.001, 0.25),
             row("f3", 128, -1.0, -0.01, 0.05), row("f3", 256, -0.5, -0.01, 0.05),
             row("gan+f3 (a)", 128, 0.3, 0.001, 0.1), row("gan+f3 (a)", 256, -0.1, 0.001, 0.1)]
    policy = front_script.choose_policy(front, {"gan (b)": ("b.safetensors",)}, {})
    assert policy["50"]["method"] == "gan" and policy["50"]["label"] == "gan (b)"  # f3, gan+f3 fall below
    assert policy["50"]["generators"] == ["b.safetensors"] and policy["50"]["worst_rate"] == 0.25
    assert policy["50"]["worst_excess"] == 0.25  # no originals' rates given: none flagged
    below = [r for r in front if r["method"] in ("f3", "gan+f3 (a)")]
    assert front_script.choose_policy(below, {}, {})["50"]["label"] == "gan+f3 (a)"  # none above: best PSNR
    # equal worst rates: the larger smallest PSNR gain wins, whatever the names
    tied = front + [row("a-tie", 128, 0.6, 0.01, 0.25), row("a-tie", 256, 0.05, 0.01, 0.2),
                    row("z-tie", 128, 0.3, 0.01, 0.25), row("z-tie", 256, 0.3, 0.01, 0.25)]
    assert front_script.choose_policy(tied, {}, {})["50"]["label"] == "z-tie"


def test_the_rule_reads_each_rate_against_the_originals_of_the_same_images(load_script):
    front_script = load_script("measure_front")

    def row(method, size, gain, rates):
        return {"size": size, "quality": 50, "method": method, "n": 25, "psnr_gain": gain, "ssim_gain": 0.01,
                "rates": rates}

    # "a" is flagged 20 % by Q_FdQ at 128 px, where the originals themselves are flagged 24 %: it adds
    # nothing there, and its worst excess is the lattice's 8 - 4 = 4 points at 256 px; "b" has the
    # lower raw worst rate (12 %) but adds 12 points of CNN verdicts the originals do not get.
    front = [row("a", 128, 0.9, {"Q_FdQ": 0.20, "lattice": 0.04, "CNN-128-q50": 0.0}),
             row("a", 256, 1.3, {"Q_FdQ": 0.00, "lattice": 0.08, "CNN-256-q50": 0.0}),
             row("b", 128, 0.6, {"Q_FdQ": 0.12, "lattice": 0.04, "CNN-128-q50": 0.12}),
             row("b", 256, 1.1, {"Q_FdQ": 0.00, "lattice": 0.04, "CNN-256-q50": 0.04})]
    originals = {(128, 50): {"Q_FdQ": (0.24, 25), "lattice": (0.0, 25), "CNN-128-q50": (0.0, 25)},
                 (256, 50): {"Q_FdQ": (0.08, 25), "lattice": (0.04, 25), "CNN-256-q50": (0.0, 25)}}
    policy = front_script.choose_policy(front, {}, originals)["50"]
    assert policy["label"] == "a"
    assert policy["worst_rate"] == 0.2 and policy["worst_excess"] == 0.04
    # without the originals' rates the raw worst rates decide, and "b" would win
    assert front_script.choose_policy(front, {}, {})["50"]["label"] == "b"


def test_a_policy_entry_runs_its_generators_self_ensemble(tmp_path, gray_images):
    from jpegaf.pretrained import shipped_generator

    (tmp_path / "g50.safetensors").symlink_to(shipped_generator(50))
    (tmp_path / "g50.json").symlink_to(shipped_generator(50).with_suffix(".json"))
    path = tmp_path / POLICY_FILE
    path.write_text(json.dumps({"qualities": {
        "50": {"method": "gan", "generators": ["g50.safetensors"], "ensemble": 8},
        "75": {"method": "f1", "generators": []}}}))
    entries = load_policy_entries(path)
    assert entries[50][2] == 8 and entries[75] == ("f1", (), 1)  # 1 where the file does not say
    assert load_policy(path)[50] == ("gan", (tmp_path / "g50.safetensors",))
    coefs = jpeg.read_coefficients(jpeg.compress(gray_images[1][:64, :64], 50))
    auto = PolicyEraser(load_policy(path), ensembles={50: 8})
    expected = GanEraser({50: tmp_path / "g50.safetensors"}, ensemble=8)(coefs)
    assert np.array_equal(auto(coefs), expected)
    assert np.array_equal(PolicyEraser.from_file(path)(coefs), expected)  # the file's ensemble, as erase runs it
    assert not np.array_equal(PolicyEraser(load_policy(path))(coefs), expected)  # default: the network once
    # jpegaf erase --ensemble N replaces every entry's own: 1 is the network once
    assert np.array_equal(PolicyEraser.from_file(path, ensemble=1)(coefs), PolicyEraser(load_policy(path))(coefs))
    assert np.array_equal(PolicyEraser.from_file(path, ensemble=4)(coefs),
                          GanEraser({50: tmp_path / "g50.safetensors"}, ensemble=4)(coefs))
    with pytest.raises(JpegafError, match="ensemble must be one of"):
        PolicyEraser.from_file(path, ensemble=3)


def test_a_front_variant_may_name_its_own_methods(load_script):
    """measure_front's --variant NAME=WEIGHTS[@N][#METHOD,...]: one set of generators may be measured
    with only some methods (e.g. a costly self-ensemble with one more method alone)."""
    import argparse

    front_script = load_script("measure_front")
    assert front_script._variant("d=a.safetensors,b.safetensors") == ("d", ("a.safetensors", "b.safetensors"), 1, None)
    assert front_script._variant("d=a.safetensors@8#gan+critic,gan+lattice") == (
        "d", ("a.safetensors",), 8, ("gan+critic", "gan+lattice"))
    for bad in ("d=a.safetensors#magic", "d=a.safetensors@3", "=a.safetensors", "d=#gan"):
        with pytest.raises(argparse.ArgumentTypeError):
            front_script._variant(bad)
