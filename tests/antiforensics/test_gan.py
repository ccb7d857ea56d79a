"""Tests of the GAN method: exact tiled inference and the common-signature wrapper.

A tiny random generator (8 channels, 2 residual blocks: 1 + 4 + 1 + 1 + 1 = 8 convolutions, so a
receptive radius of 8 px) stands in for a trained one, except in the last test, which uses the
bundled CPU-trained QF 50 generator when it is present.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from jpegaf.antiforensics.common import clip_to_bins, decode_plane, ycbcr_to_rgb
from jpegaf.antiforensics.gan import (DIHEDRAL_TRANSFORMS, GanEraser, ensemble_generate, grid_preserving,
                                      load_trained_generator, project_luma, receptive_radius, rgb_to_ycbcr,
                                      tiled_generate)
from jpegaf.jpeg import block_dct, compress, decompress, read_coefficients, to_uint8
from jpegaf.metrics import psnr
from jpegaf.models import Generator, GeneratorConfig
from jpegaf.weights import export_model, load_generator

REAL_WEIGHTS = Path(__file__).resolve().parents[2] / "results" / "gan-cpu-q50" / "generator.safetensors"


def _tiny_weights(path: Path, quality: int = 50, seed: int = 0, conditioned: bool = False) -> Path:
    config = GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), condition_channels=int(conditioned))
    torch.manual_seed(seed)
    model = Generator(config)
    # Non-trivial BN statistics, so eval-mode BN is not the identity.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    card = {"generator": dataclasses.asdict(config), "quality": quality}
    if conditioned:
        card = {**card, "quality": None, "qualities": [25, 50, 75], "conditioning": "qtable_plane"}
    export_model(path, model, card)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gan")
    return {q: _tiny_weights(folder / f"g{q}.safetensors", q, seed=q) for q in (50, 75)}


@pytest.fixture(scope="module")
def image(gray_images) -> np.ndarray:
    return np.ascontiguousarray(gray_images[1][:200, :176])


def _untiled(generator, img: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        x = torch.from_numpy(img.astype(np.float32) / 127.5 - 1.0)[None, None]
        y = generator.eval()(x)[0, 0].double().numpy()
    return np.clip(np.floor((y + 1.0) * 127.5 + 0.5), 0, 255).astype(np.uint8)


def test_receptive_radius(tiny):
    g, _ = load_generator(tiny[50])
    assert receptive_radius(g) == 8
    assert receptive_radius(Generator()) == 36  # 36 3x3 convolutions in the paper's layout


def test_tiled_equals_untiled(tiny, image):
    g, _ = load_generator(tiny[50])
    ref = _untiled(g, image)
    out = tiled_generate(g, image, tile=64)
    assert out.dtype == np.uint8 and out.shape == image.shape
    diff = np.abs(out.astype(int) - ref.astype(int))
    assert diff.max() <= 1  # float rounding can only flip a grey level at a .5 boundary
    assert (diff == 0).mean() > 0.999
    # Tiles not a divisor of the size, explicit overlap equal to the radius: still exact.
    out2 = tiled_generate(g, image, tile=50, overlap=8)
    assert np.abs(out2.astype(int) - ref.astype(int)).max() <= 1
    assert (out2 == ref).mean() > 0.999
    # A too-small margin does show seams (so the equality above is not vacuous).
    out3 = tiled_generate(g, image, tile=64, overlap=0)
    assert (out3 != ref).sum() > 0


@pytest.mark.skipif(not REAL_WEIGHTS.exists(), reason="trained QF 50 generator not present")
def test_fast_path_tiles_agree_with_the_whole_image(gray_images):
    """The default (fast CPU) path on a real JPEG: 96-px tiles against one 240x232 pass."""
    fast = load_trained_generator(REAL_WEIGHTS).module
    decoded = decompress(compress(np.ascontiguousarray(gray_images[3][:240, :232]), 50))
    whole = tiled_generate(fast, decoded, tile=512)
    tiled = tiled_generate(fast, decoded, tile=96)
    assert receptive_radius(fast) == 36
    diff = np.abs(tiled.astype(int) - whole)
    assert diff.max() <= 1 and (diff == 0).mean() > 0.99


def test_tiled_input_checks(tiny, image):
    g, _ = load_generator(tiny[50])
    with pytest.raises(ValueError):
        tiled_generate(g, image.astype(np.float32))
    with pytest.raises(ValueError):
        tiled_generate(g, image, tile=0)


def test_nearest_quality_and_note(tiny, image):
    eraser = GanEraser({50: tiny[50], 75: tiny[75]}, tile=128)
    coefs50 = read_coefficients(compress(image, 50))
    out = eraser(coefs50, seed=3)
    assert out.dtype == np.uint8 and out.shape == image.shape
    assert eraser.last_note is None
    # The eraser runs the fast CPU path (models.inference) in tiles, then projects onto the file's
    # bins; the same path gives the same pixels, and the plain fp32 network agrees within 1 grey
    # level. Without the projection, the network's rounded output.
    decoded = decompress(compress(image, 50))
    fast = load_trained_generator(tiny[50]).module
    np.testing.assert_array_equal(out, to_uint8(project_luma(tiled_generate(fast, decoded, tile=128, rounded=False),
                                                             coefs50)))
    plain = GanEraser({50: tiny[50]}, tile=128, fast=False)(coefs50)
    assert np.abs(plain.astype(int) - out).max() <= 1
    unprojected = GanEraser({50: tiny[50]}, tile=128, fast=False, project=False)(coefs50)
    np.testing.assert_array_equal(unprojected, tiled_generate(load_generator(tiny[50])[0], decoded, tile=128))
    assert np.abs(unprojected.astype(int) - plain).max() > 1  # a random network leaves its bins
    # seed is unused: same output.
    np.testing.assert_array_equal(out, eraser(coefs50, seed=99))

    out60 = eraser(read_coefficients(compress(image, 60)))
    assert eraser.last_note == "quality 60 has no trained generator; using the QF 50 one"
    assert out60.shape == image.shape
    eraser(read_coefficients(compress(image, 70)))
    assert eraser.last_note == "quality 70 has no trained generator; using the QF 75 one"
    assert eraser.select(62) == 50 and eraser.select(63) == 75 and eraser.select(100) == 75
    assert set(eraser._loaded) == {tiny[50], tiny[75]}  # each loaded once, lazily


def test_colour_keeps_jpeg_chroma(tiny, gray_images):
    g = gray_images[2][:96, :120].astype(np.float64)
    rgb = np.clip(np.stack([g * 0.9 + 20, g, g * 0.7 + 40], axis=2), 0, 255).astype(np.uint8)
    data = compress(rgb, 50)
    eraser = GanEraser({50: tiny[50]}, tile=64, project=False)  # the chroma is what is tested here
    out = eraser(read_coefficients(data))
    assert out.dtype == np.uint8 and out.shape == rgb.shape
    decoded = decompress(data)
    _, cb0, cr0 = rgb_to_ycbcr(decoded)
    y1, cb1, cr1 = rgb_to_ycbcr(out)
    # Where the recombination did not clip, chroma is the JPEG's within RGB rounding (<= 0.5 +
    # the JPEG's own rounding of its decoded RGB, well under 1.5).
    lum = tiled_generate(load_trained_generator(tiny[50]).module, np.clip(np.floor(rgb_to_ycbcr(decoded)[0] + 0.5),
                                                             0, 255).astype(np.uint8), tile=64)
    raw = np.stack([lum + 1.402 * (cr0 - 128), lum - 0.344136 * (cb0 - 128) - 0.714136 * (cr0 - 128),
                    lum + 1.772 * (cb0 - 128)], axis=2)
    ok = np.all((raw >= 0) & (raw <= 255), axis=2)
    assert ok.mean() > 0.5
    assert np.abs(cb1 - cb0)[ok].max() <= 1.0 and np.abs(cr1 - cr0)[ok].max() <= 1.0
    np.testing.assert_array_equal(out, ycbcr_to_rgb(lum.astype(np.float64), cb0, cr0))
    # The luma is the generator's output within RGB rounding.
    assert np.abs(y1 - lum)[ok].max() <= 1.0


@pytest.mark.skipif(not REAL_WEIGHTS.exists(), reason="trained QF 50 generator not present")
def test_real_generator_improves_psnr(gray_images):
    img = np.ascontiguousarray(gray_images[0][64:192, 64:192])
    data = compress(img, 50)
    jpeg = decompress(data)
    eraser = GanEraser({50: REAL_WEIGHTS}, tile=64)
    out = eraser(read_coefficients(data))
    assert eraser.last_note is None
    assert out.shape == img.shape and out.dtype == np.uint8
    assert psnr(img, out) > psnr(img, jpeg)


def test_clip_to_bins_is_the_projection_onto_the_files_bins(gray_images):
    x = np.ascontiguousarray(gray_images[0][:128, :120]).astype(np.float64)
    coefs = read_coefficients(compress(x.astype(np.uint8), 50))
    k, q = coefs.coef[0].astype(np.float64), np.asarray(coefs.qt[0], np.float64)
    jpeg = decode_plane(coefs.coef[0], coefs.qt[0])
    y = jpeg + np.random.default_rng(0).normal(0.0, 6.0, x.shape)
    p = clip_to_bins(y, coefs.coef[0], coefs.qt[0])
    # Every coefficient inside its bin; members of the set do not move (the decoded JPEG, the
    # result itself); the original is a member up to libjpeg's integer DCT (under a grey level).
    assert np.all(np.abs(block_dct(p) - k * q) <= q / 2 + 1e-9)
    np.testing.assert_allclose(clip_to_bins(jpeg, coefs.coef[0], coefs.qt[0]), jpeg, atol=1e-9)
    np.testing.assert_allclose(clip_to_bins(p, coefs.coef[0], coefs.qt[0]), p, atol=1e-9)
    assert np.abs(clip_to_bins(x, coefs.coef[0], coefs.qt[0]) - x).max() < 1.0
    # Closer to the original than the noisy plane (the noise leaves the narrow high-frequency bins
    # only: 9 % of the squared error goes), and nearer the noisy plane than the JPEG, another member.
    err = lambda a: float(np.sum((a - x) ** 2))
    assert err(p) < 0.95 * err(y)
    assert np.sum((p - y) ** 2) < np.sum((jpeg - y) ** 2)
    with pytest.raises(ValueError, match="shape"):
        clip_to_bins(y[:120], coefs.coef[0], coefs.qt[0])


@pytest.mark.skipif(not REAL_WEIGHTS.exists(), reason="trained QF 50 generator not present")
def test_projection_brings_a_real_generator_closer_to_the_original(gray_images):
    img = np.ascontiguousarray(gray_images[2][:124, :132])  # partial edge blocks on both axes
    data = compress(img, 50)
    coefs = read_coefficients(data)
    raw, _ = GanEraser({50: REAL_WEIGHTS}, tile=64, project=False).restore_luma(coefs, rounded=False)
    projected, _ = GanEraser({50: REAL_WEIGHTS}, tile=64).restore_luma(coefs, rounded=False)
    np.testing.assert_array_equal(projected, project_luma(raw, coefs))
    assert projected.shape == img.shape and 0.0 <= projected.min() and projected.max() <= 255.0
    err = lambda a: float(np.mean((a - img) ** 2))
    assert 0.0 < err(raw) - err(projected)  # moved, and towards the original
    assert np.abs(projected - raw).max() > 0.5


def test_conditioned_generator_gets_the_file_table_and_tiles_exactly(tmp_path, image):
    from jpegaf.weights import generators_by_quality
    from jpegaf.jpeg import quality_to_table
    from jpegaf.data.conditioning import qtable_plane

    weights = _tiny_weights(tmp_path / "cond.safetensors", seed=5, conditioned=True)
    mapping = generators_by_quality([str(weights)])
    assert mapping == {25: str(weights), 50: str(weights), 75: str(weights)}
    g, _ = load_generator(weights)
    decoded = decompress(compress(image, 60))
    table = quality_to_table(60)
    # Tiled with the plane cut along = the whole image with its plane.
    with torch.no_grad():
        x = torch.from_numpy(np.stack([decoded.astype(np.float32) / 127.5 - 1.0,
                                       qtable_plane(table, *decoded.shape)]))[None]
        y = g(x)[0, 0].double().numpy()
    whole = np.clip(np.floor((y + 1.0) * 127.5 + 0.5), 0, 255).astype(np.uint8)
    tiled = tiled_generate(g, decoded, tile=64, table=table)
    assert np.abs(tiled.astype(int) - whole).max() <= 1
    # The plane matters: another table gives another output.
    assert not np.array_equal(tiled, tiled_generate(g, decoded, tile=64, table=quality_to_table(25)))
    # Through the eraser: one model for all qualities, the file's own table, a note off the grid.
    eraser = GanEraser(mapping, tile=64, project=False)  # the network's own output is what is compared
    out = eraser(read_coefficients(compress(image, 60)))
    np.testing.assert_array_equal(out, tiled_generate(load_trained_generator(weights).module, decoded,
                                                      tile=64, table=table))
    assert np.abs(out.astype(int) - tiled).max() <= 1  # fast path vs plain fp32
    assert "not one the generator was trained on" in eraser.last_note and "25, 50, 75" in eraser.last_note
    eraser(read_coefficients(compress(image, 75)))
    assert eraser.last_note is None
    assert len(eraser._loaded) == 1  # one file serves all three qualities


def test_grid_preserving_symmetries():
    assert all(grid_preserving(t, 200, 176) for t in DIHEDRAL_TRANSFORMS)
    # 203 rows: reversing them would put the partial block row on top; transposed, they are columns.
    kept = [t for t in DIHEDRAL_TRANSFORMS if grid_preserving(t, 203, 176)]
    assert kept == [(False, False, False), (False, False, True), (True, False, False), (True, True, False)]
    assert [t for t in DIHEDRAL_TRANSFORMS if grid_preserving(t, 203, 141)] == [(False, False, False),
                                                                              (True, False, False)]


def test_ensemble_is_the_mean_over_the_symmetries_of_the_square(tiny, image):
    g, _ = load_generator(tiny[50])
    decoded = decompress(compress(image, 50))  # 200 x 176: every symmetry keeps the block grid
    # An independent spelling of the 8 symmetries: k quarter turns, then a left-right mirror.
    members = []
    for k in range(4):
        for mirror in (False, True):
            x = np.rot90(decoded, k)
            x = np.ascontiguousarray(x[:, ::-1] if mirror else x)
            y = tiled_generate(g, x, tile=256, rounded=False)
            y = y[:, ::-1] if mirror else y
            members.append(np.rot90(y, -k))
    expected = np.mean(members, axis=0)
    got = ensemble_generate(g, decoded, 8, tile=256)
    assert got.shape == decoded.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, atol=1e-4)
    single = tiled_generate(g, decoded, tile=256, rounded=False)
    np.testing.assert_array_equal(ensemble_generate(g, decoded, 1, tile=256), single)
    assert np.abs(got - single).max() > 1.0  # the random network is far from equivariant: the mean differs
    # The flips: the first four members; with 203 rows only the identity and the column mirror are left.
    flips = (single + tiled_generate(g, np.ascontiguousarray(decoded[:, ::-1]), tile=256, rounded=False)[:, ::-1]
             + tiled_generate(g, np.ascontiguousarray(decoded[::-1]), tile=256, rounded=False)[::-1]
             + tiled_generate(g, np.ascontiguousarray(decoded[::-1, ::-1]), tile=256, rounded=False)[::-1, ::-1]) / 4
    np.testing.assert_allclose(ensemble_generate(g, decoded, 4, tile=256), flips, atol=1e-4)
    odd = decompress(compress(np.ascontiguousarray(image[:, :173]), 50))  # 200 x 173
    np.testing.assert_allclose(ensemble_generate(g, odd, 4, tile=256), (
        tiled_generate(g, odd, tile=256, rounded=False)
        + tiled_generate(g, np.ascontiguousarray(odd[::-1]), tile=256, rounded=False)[::-1]) / 2, atol=1e-4)
    with pytest.raises(ValueError, match="ensemble"):
        ensemble_generate(g, decoded, 3)
    with pytest.raises(ValueError, match="ensemble"):
        GanEraser(tiny, ensemble=2)


def test_ensemble_of_a_shipped_generator_restores_better():
    # antiforensic-d-q50 (its adversarial epoch left errors that differ between orientations) on the
    # central 128 px of 4 bundled held-out crops: +0.10 to +0.16 dB each with 8 members.
    from jpegaf.heldout import HELDOUT_DIR
    from jpegaf.imageio import read_image
    from jpegaf.pretrained import PRETRAINED_DIR

    weights = {50: PRETRAINED_DIR / "antiforensic-d-q50.safetensors"}
    one, eight = GanEraser(weights), GanEraser(weights, ensemble=8)
    gains = []
    for path in sorted(HELDOUT_DIR.rglob("*.png"))[:4]:
        x = np.ascontiguousarray(read_image(path)[64:192, 64:192])
        coefs = read_coefficients(compress(x, 50))
        out = eight(coefs)
        assert out.shape == x.shape and out.dtype == np.uint8
        gains.append(psnr(x, out) - psnr(x, one(coefs)))
    assert min(gains) > 0.05 and np.mean(gains) > 0.08, gains


def test_progress_counts_every_tile_of_every_member(tiny, image):
    """The generator's progress report (jpegaf erase's bar for one file): one call per tile of each
    self-ensemble member, counting up to generator_passes, and the same output as without it."""
    from jpegaf.antiforensics.gan import ensemble_members, generator_passes, tile_count

    g, _ = load_generator(tiny[50])
    calls = []
    out = tiled_generate(g, image, tile=64, progress=lambda: calls.append(1))
    assert len(calls) == tile_count(200, 176, 64) == 4 * 3
    np.testing.assert_array_equal(out, tiled_generate(g, image, tile=64))
    assert tile_count(200, 176, 1024) == 1 and tile_count(0, 176, 64) == 0
    calls.clear()
    ensemble_generate(g, image, 8, tile=128, progress=lambda: calls.append(1))
    assert len(calls) == generator_passes(200, 176, 128, 8) == 8 * 2 * 2
    # 200 x 173: the column flips would move the partial blocks, so 4 of the 8 members are left
    assert len(ensemble_members(200, 173, 8)) == 4 and generator_passes(200, 173, 128, 8) == 4 * 2 * 2
    with pytest.raises(ValueError, match="ensemble"):
        generator_passes(200, 176, 128, 3)
    reports = []
    eraser = GanEraser({50: tiny[50]}, tile=128, ensemble=4, progress=lambda done, total: reports.append((done, total)))
    coefs = read_coefficients(compress(image, 50))
    out = eraser(coefs)
    assert reports == [(k, 16) for k in range(1, 17)]  # 4 flips x 2 x 2 tiles
    np.testing.assert_array_equal(out, GanEraser({50: tiny[50]}, tile=128, ensemble=4)(coefs))
