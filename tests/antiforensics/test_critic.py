"""Critic steps against a frozen CNN, on real JPEGs (the shipped 64-px detector as the critic)."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics.critic import critic_steps, tile_origins
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.metrics import psnr
from jpegaf.pretrained import PRETRAINED_DIR


@pytest.fixture(scope="module")
def critic() -> CnnDetector:
    return CnnDetector.load(PRETRAINED_DIR / "detector-64-q50.safetensors")


def test_tiles_cover_the_plane_at_half_their_side():
    assert tile_origins(128, 64) == [0, 32, 64]
    assert tile_origins(150, 64) == [0, 32, 64, 86]
    assert tile_origins(63, 64) == []


def _tile_scores(img: np.ndarray, critic: CnnDetector) -> np.ndarray:
    return critic.score_batch([img[r:r + 64, c:c + 64] for r in tile_origins(img.shape[0], 64)
                               for c in tile_origins(img.shape[1], 64)])


def test_every_tile_ends_below_the_target_with_changes_of_two_grey_levels_at_most(critic, gray_images):
    x = gray_images[1][:128, :160]
    j = jpeg.decompress(jpeg.compress(x, 50))
    before = _tile_scores(j, critic)
    assert before.max() > critic.threshold, "the critic sees the JPEG"
    out = critic_steps(j, critic, steps=30)
    after = _tile_scores(out.astype(np.uint8), critic)
    assert after.max() < critic.threshold / 2
    assert np.abs(out - j).max() <= 2 and np.array_equal(out, np.round(out))
    assert psnr(x, out.astype(np.uint8)) > psnr(x, j) - 1.0
    # deterministic: no randomness in the steps
    assert np.array_equal(out, critic_steps(j, critic, steps=30))


def test_a_plane_the_critic_already_passes_or_too_small_comes_back_rounded(critic, gray_images):
    x = gray_images[2][:64, :64]
    assert _tile_scores(x, critic).max() < 0.999
    assert np.array_equal(critic_steps(x, critic, target=0.999), x)
    small = gray_images[2][:40, :200].astype(np.float64) + 0.3
    assert np.array_equal(critic_steps(small, critic), np.round(small))
    with pytest.raises(ValueError, match="threshold"):
        critic_steps(gray_images[2][:64, :64], CnnDetector(critic.model))


def test_missing_critics_are_a_one_line_error_naming_the_script(tmp_path, monkeypatch):
    import jpegaf.pretrained as pretrained
    from jpegaf.errors import JpegafError

    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", tmp_path)
    with pytest.raises(JpegafError, match="train_critics.py") as e:
        pretrained.shipped_critics()
    assert "\n" not in str(e.value)
    for q in (50, 75):
        for ext in ("safetensors", "json"):
            (tmp_path / f"critic-64-q{q}.{ext}").write_bytes(b"")
    (tmp_path / "critic-256-q50.safetensors").write_bytes(b"")
    assert pretrained.shipped_critic_sets((64,)) == {50: (tmp_path / "critic-64-q50.safetensors",),
                                                    75: (tmp_path / "critic-64-q75.safetensors",)}
    with pytest.raises(JpegafError, match=r"no 256-px critic for QF 75 .*--size 256") as e:
        pretrained.shipped_critic_sets((64, 256))
    assert "\n" not in str(e.value)


def test_several_critics_are_pushed_together_and_one_larger_than_the_plane_is_left_out(critic, gray_images):
    """critic_steps with the shipped 64- and 128-px detectors as critics: every tile of both ends
    below half its threshold; a critic larger than the plane (256 px on 128 x 192) changes nothing,
    and one critic in a sequence is that critic alone."""
    larger = CnnDetector.load(PRETRAINED_DIR / "detector-128-q50.safetensors")
    too_large = CnnDetector.load(PRETRAINED_DIR / "detector-256-q50.safetensors")
    j = jpeg.decompress(jpeg.compress(gray_images[1][:128, :192], 50))
    assert _tile_scores(j, critic).max() > critic.threshold and larger.score(j[:128, :128]) > larger.threshold
    out = critic_steps(j, (critic, larger))
    assert _tile_scores(out.astype(np.uint8), critic).max() < critic.threshold / 2
    assert max(larger.score(out[:128, c:c + 128].astype(np.uint8)) for c in tile_origins(192, 128)) < larger.threshold / 2
    assert np.abs(out - j).max() <= 2
    alone = critic_steps(j, critic)
    assert np.array_equal(critic_steps(j, [critic]), alone)
    assert np.array_equal(critic_steps(j, (critic, too_large)), alone)
    assert np.array_equal(critic_steps(j, (too_large,)), j.astype(np.float64))
