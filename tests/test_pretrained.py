"""The generators shipped in the package: present, small, documented, and they work on held-out
photographs (never seen in training) at each quality."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.cli import main
from jpegaf.data import centre_crop_position, crop, dataset_parts, load_luma
from jpegaf.imageio import read_image
from jpegaf.metrics import psnr, ssim
from jpegaf.pretrained import PRETRAINED_DIR, shipped_generators, shipped_weights
from jpegaf.samples import SAMPLES_DIR
from jpegaf.weights import read_model_card

QUALITIES = (25, 50, 75)


@pytest.fixture(scope="module")
def held_out() -> list[Path]:
    """The held-out split of the bundled samples that the shipped generators were validated on."""
    card = read_model_card(shipped_weights()[0])
    # The samples carry that split in their SPLIT.csv (the permutation split of seed 0 that the
    # generators' training used, before splits were made by identity).
    test = dataset_parts(SAMPLES_DIR, min_size=card["train_config"]["crop_size"]).test
    assert len(test) == card["data"]["held_out_images"]
    return list(test)


def test_every_shipped_card_records_the_pinned_codec():
    # A model's figures depend on the libjpeg that made its JPEGs: every card beside shipped weights
    # names the jpeglib release and libjpeg build this package pins (a run whose jpeglib carried
    # no package metadata once wrote "jpeglib None").
    cards = sorted(PRETRAINED_DIR.glob("*.json"))
    weights = {p.stem for p in PRETRAINED_DIR.glob("*.safetensors")}
    cards = [c for c in cards if c.stem in weights]
    assert len(cards) == len(weights) >= 20
    for path in cards:
        versions = read_model_card(path.with_suffix(".safetensors"))["versions"]
        assert versions["libjpeg"] == jpeg.libjpeg_version() == "jpeglib 1.0.2 / libjpeg turbo210", path.name


def test_every_quality_is_covered_within_the_size_budget():
    generators = shipped_generators()
    assert set(QUALITIES) <= set(generators)
    total = sum(p.stat().st_size for p in shipped_weights())
    assert total < 20e6
    assert (PRETRAINED_DIR / "README.md").is_file()


def test_cards_document_data_training_and_held_out_tables():
    root = Path(__file__).resolve().parents[1]
    for weights in shipped_weights():
        card = read_model_card(weights)
        assert card["steps"] > 0 and card["wall_time_s"] > 0 and card["hardware"]
        assert (root / card["data"]["provenance"]).is_file()
        assert card["data"]["train_images"] > card["data"]["held_out_images"] > 0
        assert "turbo210" in card["versions"]["libjpeg"]
        t1 = card["evaluation"]["table1"]
        for q in card["qualities"]:
            for size in (128, 512):
                rows = {r["method"]: r for r in t1 if r["quality"] == q and r["size"] == size}
                assert {"jpeg", "gan"} <= set(rows)
                assert rows["gan"]["paper_psnr"] is not None and rows["gan"]["psnr"] is not None
        t2 = card["evaluation"]["table2"]
        cnn = [r for r in t2 if r["detector"].startswith("CNN") and r["method"] == "gan"]
        assert {r["quality"] for r in cnn} == set(card["qualities"])
        assert all(r["paper_rate"] is not None for r in cnn)


@pytest.mark.parametrize("quality", QUALITIES)
def test_shipped_generator_improves_held_out_photos(held_out, quality):
    eraser = GanEraser(shipped_generators(), tile=256)
    gains, ssim_pairs = [], []
    for path in held_out[:3]:
        img = load_luma(path)
        original = crop(img, *centre_crop_position(*img.shape, 128), 128)
        data = jpeg.compress(original, quality)
        decoded = jpeg.decompress(data)
        out = eraser(jpeg.read_coefficients(data))
        assert eraser.last_note is None
        gains.append(psnr(original, out) - psnr(original, decoded))
        ssim_pairs.append((ssim(original, decoded), ssim(original, out)))
    # Measured with the shipped weights: +1 to +2 dB; 0.5 dB leaves room for another rebuild.
    assert np.mean(gains) > 0.5 and min(gains) > 0.0
    assert np.mean([o for _, o in ssim_pairs]) >= np.mean([j for j, _ in ssim_pairs])


def test_erase_without_options_uses_the_shipped_policy_and_gan_the_shipped_generators(capsys, tmp_path, held_out):
    from jpegaf.antiforensics.policy import POLICY_FILE, PolicyEraser

    img = read_image(held_out[0])  # colour: the luma goes through the generator
    src = tmp_path / "photo.jpg"
    src.write_bytes(jpeg.compress(img[:200, :232], 50))
    out = tmp_path / "photo.png"
    assert main(["erase", str(src), "-o", str(out)]) == 0
    expected = PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE)(jpeg.read_coefficients(src))
    result = read_image(out)
    assert result.shape == expected.shape and np.array_equal(result, expected)
    assert main(["erase", str(src), "-o", str(tmp_path / "gan.png"), "--method", "gan"]) == 0
    assert np.array_equal(read_image(tmp_path / "gan.png"), GanEraser(shipped_generators())(jpeg.read_coefficients(src)))
    # --ensemble 1: the policy's methods with each generator run once (the shipped QF 50 entry averages 8)
    assert main(["erase", str(src), "-o", str(tmp_path / "once.png"), "--ensemble", "1"]) == 0
    once = PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE, ensemble=1)(jpeg.read_coefficients(src))
    assert np.array_equal(read_image(tmp_path / "once.png"), once) and not np.array_equal(once, expected)
    assert src.read_bytes()[:2] == b"\xff\xd8"  # the input is untouched
