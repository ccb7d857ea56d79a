"""Border smoothing (K_U) and corner matching (K_F) on real JPEGs of the bundled photographs."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics.borders import block_border_gap, match_corner_differences, smooth_block_borders
from jpegaf.detectors import blocking_kf
from jpegaf.detectors.blocking import gradient_blockiness
from jpegaf.metrics import psnr


@pytest.fixture(scope="module")
def jpegs(gray_images) -> list[tuple[np.ndarray, np.ndarray]]:
    """(original, decoded QF-50 JPEG) of three 256x256 crops of real photographs."""
    out = []
    for img in gray_images[:3]:
        x = img[:256, :256]
        out.append((x, jpeg.decompress(jpeg.compress(x, 50))))
    return out


def _reference_gap(x: np.ndarray) -> float:
    """Border-minus-centre mean |third difference| of the whole image, written out term by term."""
    x = x.astype(np.int64)

    def terms(first: int) -> list[int]:
        out = []
        for plane in (x, x.T):
            for n in range(first, plane.shape[1] - 2, 8):
                if n >= 1:
                    out.extend(np.abs(plane[:, n - 1] - 3 * plane[:, n] + 3 * plane[:, n + 1] - plane[:, n + 2]))
        return out

    return float(np.mean(terms(7)) - np.mean(terms(3)))


def test_the_gap_is_the_border_minus_centre_third_difference(jpegs):
    """One tile covering the image gives the whole image's gap; a JPEG's borders stand out."""
    x, j = jpegs[0]
    assert block_border_gap(j, tile=256).shape == (1, 1)
    assert block_border_gap(j, tile=256)[0, 0] == pytest.approx(_reference_gap(j))
    assert block_border_gap(j, tile=64).shape == (4, 4)
    assert _reference_gap(j) > 1.0 and abs(_reference_gap(x)) < 1.0


def test_border_smoothing_brings_every_tile_down_to_target_and_k_u_with_it(jpegs):
    for x, j in jpegs:
        # unbounded shifts: most tiles reach the target; the rest are held where the border terms
        # left are 0 or 1 (integer pixels: a move would raise them) or pixels at 0 or 255
        free = smooth_block_borders(j, max_shift=255, passes=100)
        assert np.median(block_border_gap(free)) <= 0.25 + 1e-9
        assert np.nanmax(block_border_gap(free)) < 0.15 * np.nanmax(block_border_gap(j))
        assert block_border_gap(free, tile=256)[0, 0] < 0.5
        assert gradient_blockiness(free.astype(np.uint8)) < 0.2 * gradient_blockiness(j)
        # the default bound of 2 grey levels: every tile above target comes down
        out = smooth_block_borders(j)
        before, gap = block_border_gap(j), block_border_gap(out)
        assert np.all((gap <= 0.25 + 1e-9) | (gap < before - 0.2))
        assert gradient_blockiness(out.astype(np.uint8)) < 0.8 * gradient_blockiness(j)
        assert np.abs(out - j).max() <= 2, "no pixel moves more than max_shift"
        assert np.array_equal(out, np.round(out)) and out.min() >= 0 and out.max() <= 255
        # K_F's corner pixels are left alone: rows and columns 8k - 1 and 8k of moved pixels
        moved = np.argwhere(out != j)
        corner = np.isin(moved[:, 0] % 8, (7, 0)) & np.isin(moved[:, 1] % 8, (7, 0))
        assert not corner.any()
        assert blocking_kf(out.astype(np.uint8)) == pytest.approx(blocking_kf(j))
        # a few pixels by a grey level: the JPEG's quality is kept to within a few hundredths of a dB
        assert psnr(x, out.astype(np.uint8)) > psnr(x, j) - 0.1


def test_border_smoothing_leaves_an_image_without_blocking_alone(jpegs):
    x, _ = jpegs[1]
    gap = block_border_gap(x)
    out = smooth_block_borders(x, target=float(np.nanmax(gap)) + 0.01)
    assert np.array_equal(out, x)
    with pytest.raises(ValueError, match="tile"):
        smooth_block_borders(x, tile=20)


def test_corner_matching_gives_the_corners_the_inner_histogram(jpegs):
    """On tile-aligned images the two histograms of K_F coincide (K_F = 0) apart from corners a
    change would push out of [0, 255]; sub-crops shifted by whole blocks stay far below the JPEG's."""
    for x, j in jpegs:
        out = match_corner_differences(j, np.random.default_rng(0))
        assert blocking_kf(j) > 0.3
        assert blocking_kf(out.astype(np.uint8)) < 0.05
        assert blocking_kf(out[8:, 16:].astype(np.uint8)) < 0.5 * blocking_kf(j[8:, 16:])
        changed = np.argwhere(out != j)
        assert np.isin(changed[:, 0] % 8, (7, 0)).all() and np.isin(changed[:, 1] % 8, (7, 0)).all()
        assert psnr(x, out.astype(np.uint8)) > psnr(x, j) - 0.3
    # deterministic for a seed
    a = match_corner_differences(j, np.random.default_rng(1))
    assert np.array_equal(a, match_corner_differences(j, np.random.default_rng(1)))
