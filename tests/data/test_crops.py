"""Tests of jpegaf.data.crops: crop positions, crops and dihedral augmentation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from jpegaf.data import (
    DIHEDRAL,
    augment,
    centre_crop_position,
    crop,
    load_luma,
    random_augmentation,
    train_crop_positions,
)


def _overlap(a: tuple[int, int], b: tuple[int, int], size: int) -> bool:
    return abs(a[0] - b[0]) < size and abs(a[1] - b[1]) < size


@pytest.mark.parametrize("height,width,size,n", [
    (512, 512, 128, 5),    # the paper: 16 cells, 5 drawn
    (600, 400, 128, 5),
    (741, 500, 64, 20),
    (172, 448, 128, 5),    # one row of 3 cells: only 3 crops
    (300, 300, 128, 5),    # 2 x 2 cells with slack for a random offset
])
def test_train_positions_are_aligned_inside_and_disjoint(height, width, size, n):
    for seed in range(20):
        pos = train_crop_positions(height, width, size, n, rng=np.random.default_rng(seed))
        cells = (height // size) * (width // size)
        assert len(pos) == min(n, cells)
        assert len(set(pos)) == len(pos)
        for top, left in pos:
            assert top % 8 == 0 and left % 8 == 0
            assert 0 <= top and top + size <= height
            assert 0 <= left and left + size <= width
        for a, b in itertools.combinations(pos, 2):
            assert not _overlap(a, b, size)


def test_train_positions_are_deterministic_and_vary_with_the_seed():
    draw = [train_crop_positions(512, 512, rng=np.random.default_rng([0, j])) for j in range(10)]
    again = [train_crop_positions(512, 512, rng=np.random.default_rng([0, j])) for j in range(10)]
    assert draw == again
    assert len({tuple(p) for p in draw}) > 1


def test_train_positions_use_the_slack_for_an_offset():
    # 300 = 2 * 128 + 44: the tiling origin can be any multiple of 8 in 0..40.
    offsets = {train_crop_positions(300, 300, 128, 4, rng=np.random.default_rng(s))[0]
               for s in range(200)}
    tops = {t for t, _ in offsets}
    assert tops <= set(range(0, 41, 8)) and len(tops) > 3


def test_train_positions_small_image_and_bad_arguments():
    assert train_crop_positions(100, 500, 128, 5, rng=np.random.default_rng(0)) == []
    with pytest.raises(ValueError):
        train_crop_positions(512, 512, 100, 5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError):
        train_crop_positions(512, 512, 128, 0, rng=np.random.default_rng(0))


def test_centre_crop_position():
    for size in (64, 128, 256, 512):
        top, left = centre_crop_position(512, 512, size)
        assert (top, left) == ((512 - size) // 2, (512 - size) // 2)
    assert centre_crop_position(400, 600, 128) == (136, 232)
    top, left = centre_crop_position(301, 333, 64)       # (237 // 2, 269 // 2) = (118, 134)
    assert (top, left) == (112, 128)
    with pytest.raises(ValueError, match="smaller"):
        centre_crop_position(172, 448, 256)


def test_crop_copies_and_checks_bounds(real_files):
    img = load_luma(real_files[0])
    c = crop(img, 8, 16, 64)
    np.testing.assert_array_equal(c, img[8:72, 16:80])
    assert c.flags.c_contiguous and not np.shares_memory(c, img)
    with pytest.raises(ValueError, match="outside"):
        crop(img, img.shape[0] - 32, 0, 64)
    with pytest.raises(ValueError, match="outside"):
        crop(img, -8, 0, 64)


def test_augment_gives_the_eight_dihedral_transforms(real_files):
    c = crop(load_luma(real_files[0]), 0, 0, 64)
    variants = [augment(c, k, f) for k, f in DIHEDRAL]
    assert len({v.tobytes() for v in variants}) == 8
    np.testing.assert_array_equal(variants[0], c)
    np.testing.assert_array_equal(augment(c, 1, False), np.rot90(c))
    np.testing.assert_array_equal(augment(c, 0, True), c[:, ::-1])
    np.testing.assert_array_equal(augment(c, 2, True), c[::-1, :])
    assert all(v.flags.c_contiguous for v in variants)


def test_random_augmentation_covers_all_eight():
    rng = np.random.default_rng(0)
    drawn = {random_augmentation(rng) for _ in range(200)}
    assert drawn == set(DIHEDRAL)
