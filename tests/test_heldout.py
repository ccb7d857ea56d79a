"""The bundled held-out crops (src/jpegaf/heldout): a corpus folder holding only its test part."""

from __future__ import annotations

import csv
import json

import numpy as np

from jpegaf.data import load_luma
from jpegaf.data.corpus import is_corpus, read_corpus_parts
from jpegaf.heldout import HELDOUT_DIR, heldout_paths


def test_bundle_is_the_corpus_test_part_only():
    assert is_corpus(HELDOUT_DIR)
    parts = read_corpus_parts(HELDOUT_DIR)  # raises if a listed crop is missing
    assert parts.train == [] and parts.calibration == []
    assert parts.test == heldout_paths() and len(parts.test) == 87
    manifest = json.loads((HELDOUT_DIR / "corpus.json").read_text())
    with open(HELDOUT_DIR / "PROVENANCE.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    scenes = {r["scene"] for r in rows}
    assert len(scenes) == 18 and set(manifest["scenes"]) == scenes
    # Every bundled scene was a test scene of the whole corpus, so no shipped CNN (trained on the
    # train part, calibrated on the calibration part) or classical threshold has seen it.
    whole = manifest["corpus_scenes"]
    assert all(whole[s] == "test" for s in scenes)
    assert {s for s, part in whole.items() if part == "test"} == scenes
    assert sum(part != "test" for part in whole.values()) == 40
    # Each package a crop comes from has its licence text beside the crops.
    texts = [p.name for p in (HELDOUT_DIR / "LICENSES").iterdir()]
    assert all(any(t.startswith(r["package"] + ".") for t in texts) for r in rows)
    assert all(r["licence"] and r["route"] for r in rows)


def test_crops_are_gray_256_and_not_flat():
    for path in heldout_paths()[::10]:
        img = load_luma(path)
        assert img.shape == (256, 256) and img.dtype == np.uint8
        assert img.std() >= 4.0
