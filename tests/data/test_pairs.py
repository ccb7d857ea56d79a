"""Tests of jpegaf.data.pairs: (original, JPEG) datasets on real images with the real codec."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from jpegaf import jpeg
from jpegaf.data import (
    MixedQualityPairs,
    DIHEDRAL,
    CropSpec,
    JpegCropCache,
    CentreCropPairs,
    TrainPairs,
    augment,
    crop,
    from_unit_range,
    image_size,
    load_luma,
    make_pair,
    to_unit_range,
)
from jpegaf.imageio import write_image


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * math.log10(255.0 ** 2 / mse)


def _raw_crop(ds: TrainPairs | CentreCropPairs, i: int) -> np.ndarray:
    spec = ds.spec(i)
    return crop(load_luma(spec.file), spec.top, spec.left, spec.size)


def test_unit_range_conversion_is_exact_and_invertible():
    img = np.arange(256, dtype=np.uint8).reshape(16, 16)
    x = to_unit_range(img)
    assert x.dtype == torch.float32 and x.shape == (1, 16, 16)
    assert x.min().item() == -1.0 and x.max().item() == 1.0
    np.testing.assert_allclose(x[0].numpy(), img / 127.5 - 1, atol=1e-7)
    np.testing.assert_array_equal(from_unit_range(x), img)
    np.testing.assert_array_equal(from_unit_range(torch.full((1, 2, 2), 3.0)), np.full((2, 2), 255))


def test_train_pairs_layout_and_values(real_files):
    ds = TrainPairs(real_files, quality=50, crop_size=128, crops_per_image=5, seed=0)
    sizes = [image_size(f) for f in real_files]
    expected = [min(5, (h // 128) * (w // 128)) for h, w in sizes]
    assert [len(p) for p in ds.positions] == expected
    assert len(ds) == sum(expected)
    assert ds.skipped == []
    original, compressed = ds[len(ds) - 1]
    for t in (original, compressed):
        assert t.dtype == torch.float32 and t.shape == (1, 128, 128)
        assert -1.0 <= t.min().item() and t.max().item() <= 1.0
    # Items run through the images in file order.
    firsts = [ds.spec(int(s)).file for s in np.cumsum([0] + expected[:-1])]
    assert firsts == list(real_files)


def test_train_jpeg_is_the_codec_output_of_the_augmented_original(real_files):
    ds = TrainPairs(real_files[:3], quality=50, crop_size=64, crops_per_image=3, seed=1)
    transforms_seen = set()
    for i in range(len(ds)):
        spec = ds.spec(i)
        transforms_seen.add((spec.k_rot, spec.flip))
        raw = _raw_crop(ds, i)
        original, compressed = ds.pair_uint8(i)
        # The original is one of the 8 dihedral transforms of the raw crop: the drawn one.
        np.testing.assert_array_equal(original, augment(raw, spec.k_rot, spec.flip))
        assert any(np.array_equal(original, augment(raw, k, f)) for k, f in DIHEDRAL)
        # The JPEG is made from the augmented original, by the real codec, bit for bit.
        np.testing.assert_array_equal(compressed, jpeg.jpeg_roundtrip(original, 50))
        t_orig, t_jpeg = ds[i]
        np.testing.assert_array_equal(from_unit_range(t_orig), original)
        np.testing.assert_array_equal(from_unit_range(t_jpeg), compressed)
    assert len(transforms_seen) > 1


def test_train_without_augmentation_gives_raw_crops(real_files):
    ds = TrainPairs(real_files[:2], quality=75, crop_size=64, crops_per_image=2, augment=False)
    for i in range(len(ds)):
        assert (ds.spec(i).k_rot, ds.spec(i).flip) == (0, False)
        np.testing.assert_array_equal(ds.original_uint8(i), _raw_crop(ds, i))


def test_train_determinism_and_epochs(real_files):
    a = TrainPairs(real_files, quality=50, crop_size=64, seed=3)
    b = TrainPairs(list(real_files), quality=50, crop_size=64, seed=3)
    assert a.positions == b.positions
    assert [a.spec(i) for i in range(len(a))] == [b.spec(i) for i in range(len(b))]
    c = TrainPairs(real_files, quality=50, crop_size=64, seed=4)
    assert a.positions != c.positions
    before = [a.spec(i) for i in range(len(a))]
    a.set_epoch(1)
    after = [a.spec(i) for i in range(len(a))]
    assert [(s.top, s.left) for s in before] == [(s.top, s.left) for s in after]
    assert [(s.k_rot, s.flip) for s in before] != [(s.k_rot, s.flip) for s in after]
    a.set_epoch(0)
    assert [a.spec(i) for i in range(len(a))] == before
    assert [a.spec(i) for i in range(len(a))] == [
        TrainPairs(real_files, quality=50, crop_size=64, seed=3, epoch=0).spec(i) for i in range(len(a))]
    assert TrainPairs(real_files, 50, crop_size=64, seed=3, epoch=1).spec(7) == after[7]


def test_train_small_images_give_fewer_crops_or_none(tmp_path, real_files):
    img = load_luma(real_files[0])
    write_image(tmp_path / "a_strip.png", np.ascontiguousarray(img[:136, :300]))   # 1 x 2 cells
    write_image(tmp_path / "b_small.png", np.ascontiguousarray(img[:100, :300]))   # no cell
    write_image(tmp_path / "c_full.png", img)
    files = sorted(tmp_path.iterdir())
    ds = TrainPairs(files, quality=50, crop_size=128, crops_per_image=5)
    assert [len(p) for p in ds.positions] == [2, 0, min(5, (img.shape[0] // 128) * (img.shape[1] // 128))]
    assert len(ds) == 2 + len(ds.positions[2])
    assert [p.name for p, _ in ds.skipped] == ["b_small.png"]
    assert "smaller than the 128x128 crop" in ds.skipped[0][1]
    assert ds.spec(1).file.name == "a_strip.png" and ds.spec(2).file.name == "c_full.png"
    ds.original_uint8(len(ds) - 1)
    with pytest.raises(IndexError):
        ds[len(ds)]
    assert ds.spec(-1) == ds.spec(len(ds) - 1)


def test_quality_and_sizes_are_validated(real_files):
    for q in (0, 101, 50.0, "50"):
        with pytest.raises(ValueError):
            TrainPairs(real_files, quality=q)
        with pytest.raises(ValueError):
            CentreCropPairs(real_files, quality=q, size=64)
    with pytest.raises(ValueError):
        TrainPairs(real_files, quality=50, crop_size=100)
    with pytest.raises(ValueError):
        CentreCropPairs(real_files, quality=50, size=60)


def _loader_items(ds, workers: int) -> list[torch.Tensor]:
    loader = DataLoader(ds, batch_size=3, shuffle=False, num_workers=workers)
    return [torch.cat(batch) for batch in loader]


def test_dataloader_workers_give_the_same_samples(real_files):
    ds = TrainPairs(real_files[:2], quality=50, crop_size=64, crops_per_image=3, seed=5, epoch=2)
    single = _loader_items(ds, 0)
    multi = _loader_items(ds, 2)
    assert len(single) == len(multi) > 0
    for a, b in zip(single, multi):
        assert torch.equal(a, b)


def test_cache_hits_are_bit_identical(tmp_path, real_files):
    cache = tmp_path / "cache"
    plain = TrainPairs(real_files[:2], quality=50, crop_size=64, crops_per_image=3, seed=2)
    cached = TrainPairs(real_files[:2], quality=50, crop_size=64, crops_per_image=3, seed=2,
                        cache_dir=cache)
    fresh = [plain.pair_uint8(i) for i in range(len(plain))]
    first = [cached.pair_uint8(i) for i in range(len(cached))]
    entries = sorted(cache.rglob("*.png"))
    assert len(entries) == len(cached)
    mtimes = [p.stat().st_mtime_ns for p in entries]
    second = [cached.pair_uint8(i) for i in range(len(cached))]
    assert [p.stat().st_mtime_ns for p in sorted(cache.rglob("*.png"))] == mtimes  # read, not rewritten
    for (o0, j0), (o1, j1), (o2, j2) in zip(fresh, first, second):
        np.testing.assert_array_equal(o0, o1)
        np.testing.assert_array_equal(j0, j1)
        np.testing.assert_array_equal(j0, j2)
        assert j2.dtype == np.uint8
    assert not list(cache.rglob("*.tmp"))
    # A damaged entry is recomputed, not returned.
    entries[0].write_bytes(entries[0].read_bytes()[:40])
    again = [cached.jpeg_uint8(i) for i in range(len(cached))]
    for (_, j0), j in zip(fresh, again):
        np.testing.assert_array_equal(j0, j)


def test_cache_keys_separate_quality_transform_and_file_version(tmp_path, real_files):
    write_image(tmp_path / "img.png", load_luma(real_files[0]))
    spec = CropSpec(tmp_path / "img.png", 0, 0, 64)
    cache_dir = tmp_path / "cache"
    cache = JpegCropCache(cache_dir)
    o50, j50 = make_pair(spec, 50, cache)
    o25, j25 = make_pair(spec, 25, cache)
    _, j50_flip = make_pair(CropSpec(spec.file, 0, 0, 64, 0, True), 50, cache)
    assert not np.array_equal(j50, j25)
    np.testing.assert_array_equal(j25, jpeg.jpeg_roundtrip(o25, 25))
    np.testing.assert_array_equal(j50_flip, jpeg.jpeg_roundtrip(o50[:, ::-1].copy(), 50))
    assert len(list(cache_dir.rglob("*.png"))) == 3
    # Replacing the source file changes its key: the new content is compressed, not the old.
    write_image(tmp_path / "img.png", load_luma(real_files[1]))
    o_new, j_new = make_pair(spec, 50, cache)
    np.testing.assert_array_equal(o_new, crop(load_luma(real_files[1]), 0, 0, 64))
    np.testing.assert_array_equal(j_new, jpeg.jpeg_roundtrip(o_new, 50))


def test_different_quality_gives_a_different_jpeg(real_files):
    a = TrainPairs(real_files[:1], quality=25, crop_size=128, crops_per_image=1)
    b = TrainPairs(real_files[:1], quality=75, crop_size=128, crops_per_image=1)
    assert a.spec(0) == b.spec(0)
    np.testing.assert_array_equal(a.original_uint8(0), b.original_uint8(0))
    assert not np.array_equal(a.jpeg_uint8(0), b.jpeg_uint8(0))


def test_jpeg_of_a_real_crop_is_lossy_but_plausible(real_files):
    ds = CentreCropPairs(real_files, quality=50, size=128)
    for i in range(len(ds)):
        original, compressed = ds.pair_uint8(i)
        assert not np.array_equal(original, compressed)
        assert 25.0 <= _psnr(original, compressed) <= 45.0, ds.file(i)


@pytest.mark.parametrize("size", [64, 128, 256, 512])
def test_test_pairs_centre_crops_and_skips(real_files, size):
    ds = CentreCropPairs(real_files, quality=75, size=size)
    sizes = {f: image_size(f) for f in real_files}
    small = [f for f, (h, w) in sizes.items() if h < size or w < size]
    assert [p for p, _ in ds.skipped] == small
    assert all("smaller than" in reason for _, reason in ds.skipped)
    assert ds.files == [f for f in real_files if f not in small]
    assert len(ds) == len(ds.files)
    if not len(ds):
        return
    i = len(ds) - 1
    h, w = sizes[ds.file(i)]
    top, left = ds.positions[i]
    assert (top, left) == ((h - size) // 2 // 8 * 8, (w - size) // 2 // 8 * 8)
    original, compressed, index = ds[i]
    assert index == i and original.shape == compressed.shape == (1, size, size)
    raw = crop(load_luma(ds.file(i)), top, left, size)
    np.testing.assert_array_equal(ds.original_uint8(i), raw)
    np.testing.assert_array_equal(ds.jpeg_uint8(i), jpeg.jpeg_roundtrip(raw, 75))
    np.testing.assert_array_equal(from_unit_range(compressed), ds.jpeg_uint8(i))


def test_test_pairs_collate_with_file_indices(real_files, tmp_path):
    ds = CentreCropPairs(real_files, quality=50, size=64, cache_dir=tmp_path / "c")
    batches = list(DataLoader(ds, batch_size=4))
    indices = torch.cat([b[2] for b in batches]).tolist()
    assert indices == list(range(len(ds)))
    assert [ds.file(i) for i in indices] == ds.files


def test_mixed_quality_pairs_follow_train_pairs_and_carry_the_table(real_files):
    from jpegaf.data.conditioning import qtable_plane

    files = real_files[:3]
    mixed = MixedQualityPairs(files, (25, 50, 75), crop_size=64, crops_per_image=3, seed=4)
    assert len(mixed) == len(TrainPairs(files, 50, crop_size=64, crops_per_image=3, seed=4))
    for epoch in (0, 2):
        mixed.set_epoch(epoch)
        qualities = [mixed.quality(i) for i in range(len(mixed))]
        assert set(qualities) <= {25, 50, 75}
        for i in (0, len(mixed) - 1):
            q = qualities[i]
            plain = TrainPairs(files, q, crop_size=64, crops_per_image=3, seed=4, epoch=epoch)
            original, conditioned = mixed[i]
            original_q, jpeg_q = plain[i]
            assert conditioned.shape == (2, 64, 64)
            assert torch.equal(original, original_q) and torch.equal(conditioned[:1], jpeg_q)
            expected = qtable_plane(jpeg.quality_to_table(q), 64, 64)
            np.testing.assert_array_equal(conditioned[1].numpy(), expected)
    # Reproducible, and the qualities change with the epoch and are all used over a few epochs.
    again = MixedQualityPairs(files, (25, 50, 75), crop_size=64, crops_per_image=3, seed=4, epoch=2)
    assert [again.quality(i) for i in range(len(mixed))] == qualities
    seen = set()
    for epoch in range(4):
        mixed.set_epoch(epoch)
        seen |= {mixed.quality(i) for i in range(len(mixed))}
    assert seen == {25, 50, 75}
    with pytest.raises(ValueError):
        MixedQualityPairs(files, (), crop_size=64)


def test_content_variation_is_applied_before_compression_and_reproducible(real_files, tmp_path):
    from jpegaf.data.crops import GAMMA_RANGE, NOISE_SIGMA_MAX, vary_content

    plain = TrainPairs(real_files[:2], quality=50, crop_size=64, crops_per_image=3, seed=4)
    varied = TrainPairs(real_files[:2], quality=50, crop_size=64, crops_per_image=3, seed=4, vary_content=True,
                        cache_dir=tmp_path / "cache")
    gammas, sigmas = [], []
    for i in range(len(varied)):
        spec, base = varied.spec(i), plain.spec(i)
        # same crop and dihedral draw as without variation: its draws come from their own stream
        assert (spec.file, spec.top, spec.left, spec.k_rot, spec.flip) == (
            base.file, base.top, base.left, base.k_rot, base.flip)
        gammas.append(spec.gamma)
        sigmas.append(spec.noise_sigma)
        original, compressed = varied.pair_uint8(i)
        expected = vary_content(plain.original_uint8(i), spec.gamma, spec.noise_sigma, spec.noise_seed)
        np.testing.assert_array_equal(original, expected)
        np.testing.assert_array_equal(compressed, jpeg.jpeg_roundtrip(original, 50))  # JPEG of the variant
        assert not np.array_equal(original, plain.original_uint8(i))
        # a cache hit gives the same array, and the cache keys variants apart from plain crops
        np.testing.assert_array_equal(varied.pair_uint8(i)[1], compressed)
    assert all(GAMMA_RANGE[0] <= g <= GAMMA_RANGE[1] for g in gammas) and len(set(gammas)) == len(gammas)
    assert all(0 <= s <= NOISE_SIGMA_MAX for s in sigmas)
    varied.set_epoch(1)
    assert varied.spec(0).gamma != gammas[0]  # a new draw each epoch


def test_vary_content_by_hand():
    from jpegaf.data.crops import vary_content

    img = np.array([[0, 64], [128, 255]], dtype=np.uint8)
    assert vary_content(img, 1.0, 0.0, 0) is img
    toned = vary_content(img, 2.0, 0.0, 0)
    np.testing.assert_array_equal(toned, np.floor(255 * (img / 255.0) ** 2 + 0.5).astype(np.uint8))
    noisy = vary_content(np.full((64, 64), 128, np.uint8), 1.0, 2.0, 7)
    assert abs(noisy.astype(float).std() - 2.0) < 0.15
    np.testing.assert_array_equal(noisy, vary_content(np.full((64, 64), 128, np.uint8), 1.0, 2.0, 7))
