"""Fast CPU inference (jpegaf.models.inference): BN folding is exact, the fused path matches fp32
(exactly in fp32, within measured bounds in bf16 on a real JPEG), any size, conditioned too."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from jpegaf.antiforensics.gan import receptive_radius, tiled_generate
from jpegaf.jpeg import jpeg_roundtrip, quality_to_table
from jpegaf.models import Generator, GeneratorConfig
from jpegaf.models.inference import FusedCpuGenerator, fast_cpu_generator, fold_batchnorm

REAL_WEIGHTS = Path(__file__).resolve().parents[2] / "results" / "gan-cpu-q50" / "generator.safetensors"

CONFIGS = [
    GeneratorConfig(channels=16, n_blocks=2, global_skip=True),
    GeneratorConfig(channels=16, n_blocks=2),                                        # tanh output
    GeneratorConfig(channels=8, n_blocks=1, tail_channels=(16, 8), tail_bn=False, long_skip=False,
                    tail_activation=False, leaky_slope=0.1),
    GeneratorConfig(channels=8, n_blocks=0, tail_channels=(), global_skip=True),
    GeneratorConfig(channels=16, n_blocks=2, global_skip=True, condition_channels=1),  # conditioned
    GeneratorConfig(in_channels=2, channels=8, n_blocks=1, condition_channels=2, global_skip=True),
]


def random_generator(cfg: GeneratorConfig, seed: int = 0) -> Generator:
    """Random weights (out_conv too, which global_skip zeroes) and non-trivial BN statistics."""
    torch.manual_seed(seed)
    g = Generator(cfg)
    with torch.no_grad():
        g.out_conv.weight.normal_(0.0, 0.05)
        g.out_conv.bias.normal_(0.0, 0.05)
        for m in g.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0.0, 0.3)
                m.running_var.uniform_(0.3, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
    return g.eval()


def rand_input(cfg: GeneratorConfig, *shape: int, seed: int = 1) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.rand(shape[0], cfg.in_channels + cfg.condition_channels, *shape[1:], generator=gen) * 2 - 1


@pytest.mark.parametrize("cfg", CONFIGS)
def test_fold_batchnorm_equals_eval_generator(cfg):
    g = random_generator(cfg)
    folded = fold_batchnorm(g)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in folded.modules())
    assert any(isinstance(m, nn.BatchNorm2d) for m in g.modules()) == (cfg.n_blocks > 0 or cfg.tail_bn)
    assert not folded.training and not any(p.requires_grad for p in folded.parameters())
    x = rand_input(cfg, 2, 23, 17)
    with torch.no_grad():
        ref, out = g(x), folded(x)
    assert out.shape == ref.shape == (2, cfg.in_channels, 23, 17)
    assert float((out - ref).abs().max()) < 1e-5


def test_fold_batchnorm_leaves_the_source_alone_and_uses_running_stats():
    g = random_generator(CONFIGS[0]).train()
    before = {k: v.clone() for k, v in g.state_dict().items()}
    folded = fold_batchnorm(g)
    assert g.training  # not switched to eval
    assert all(torch.equal(before[k], v) for k, v in g.state_dict().items())
    x = rand_input(CONFIGS[0], 1, 16, 16)
    with torch.no_grad():
        assert float((folded(x) - g.eval()(x)).abs().max()) < 1e-5


def test_fold_batchnorm_rejects_other_modules():
    with pytest.raises(TypeError):
        fold_batchnorm(nn.Conv2d(1, 1, 3))
    with pytest.raises(TypeError):
        fast_cpu_generator(nn.Conv2d(1, 1, 3))


@pytest.mark.parametrize("cfg", CONFIGS)
def test_fast_path_fp32_is_exact(cfg):
    g = random_generator(cfg)
    fast = fast_cpu_generator(g, bf16=False)
    x = rand_input(cfg, 2, 19, 29)
    with torch.no_grad():
        ref, out = g(x), fast(x)
    assert out.dtype == torch.float32 and out.shape == ref.shape
    assert float((out - ref).abs().max()) < 1e-5


@pytest.mark.parametrize("cfg", CONFIGS)
@pytest.mark.parametrize("hw", [(1, 1), (5, 3), (37, 53), (64, 70)])
def test_fast_path_any_size_and_layout(cfg, hw):
    g = random_generator(cfg)
    fast = fast_cpu_generator(g)  # bf16 inside where the CPU has native bf16
    x = rand_input(cfg, 1, *hw)
    with torch.no_grad():
        ref = g(x)
        out = fast(x)
        out_cl = fast(x.contiguous(memory_format=torch.channels_last))
    assert out.dtype == torch.float32 and out.shape == ref.shape == (1, cfg.in_channels, *hw)
    assert torch.equal(out, out_cl)
    # bf16 trunk on random weights and noise input: measured <= 0.004; fp32: ~1e-7
    assert float((out - ref).abs().max()) < 0.02


def test_fast_path_keeps_receptive_radius_and_tiles_exactly():
    cfg = CONFIGS[0]
    g = random_generator(cfg)
    fast = fast_cpu_generator(g)
    assert receptive_radius(fast) == receptive_radius(g) == 2 * 2 + 4
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (70, 90), dtype=np.uint8)
    whole = tiled_generate(fast, img, tile=512)
    tiled = tiled_generate(fast, img, tile=32)
    assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1


def test_conditioned_fast_path_through_tiled_generate():
    """The table-conditioned generator (image + quantization-table plane, 2 channels in, 1 out)."""
    cfg = CONFIGS[4]
    g = random_generator(cfg)
    fast = fast_cpu_generator(g)
    img = np.random.default_rng(1).integers(0, 256, (45, 77), dtype=np.uint8)
    table = quality_to_table(50)
    ref = tiled_generate(g, img, tile=512, table=table)
    out = tiled_generate(fast, img, tile=24, table=table)
    assert out.shape == img.shape
    assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1


def test_fast_path_rejects_bad_input():
    fast = fast_cpu_generator(random_generator(CONFIGS[4]))
    with pytest.raises(ValueError):
        fast(torch.zeros(1, 1, 8, 8))  # the conditioned generator needs 2 channels
    with pytest.raises(TypeError):
        fast(torch.zeros(1, 2, 8, 8, dtype=torch.uint8))
    with pytest.raises(TypeError):
        fast(np.zeros((1, 2, 8, 8), np.float32))


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def _to_uint8(y: torch.Tensor) -> np.ndarray:
    return np.clip(np.floor((y[0, 0].double().numpy() + 1.0) * 127.5 + 0.5), 0, 255).astype(np.uint8)


@pytest.mark.skipif(not REAL_WEIGHTS.is_file(), reason="trained generator not present")
@pytest.mark.parametrize("bf16", [True, False])
def test_fast_path_on_a_real_jpeg_is_exact_enough(gray_images, bf16):
    """The trained QF 50 generator on a real 128x128 JPEG (QF 50): the fast path against fp32.

    Measured (AVX512-BF16 CPU, bf16): max 0.10 grey level before rounding, uint8 max 1,
    PSNR against the fp32 output 69 dB, |dPSNR| against the original 0.018 dB on this crop
    (0.0000-0.0004 dB at 512x512). The bounds leave margin; fp32 must agree to float rounding.
    """
    from jpegaf.weights import load_generator

    g, _ = load_generator(REAL_WEIGHTS)
    original = gray_images[0][:128, :128].copy()
    jpeg = jpeg_roundtrip(original, 50)
    x = torch.from_numpy(jpeg.astype(np.float32) / 127.5 - 1.0)[None, None]
    fast = fast_cpu_generator(g, bf16=bf16)
    with torch.no_grad():
        ref, out = g(x), fast(x)
    ref_u8, out_u8 = _to_uint8(ref), _to_uint8(out)
    max_grey = float((out - ref).abs().max()) * 127.5
    if bf16 and isinstance(fast, FusedCpuGenerator):
        assert max_grey <= 1.0
        assert np.abs(out_u8.astype(int) - ref_u8.astype(int)).max() <= 1
        assert _psnr(out_u8, ref_u8) > 55.0
        assert abs(_psnr(out_u8, original) - _psnr(ref_u8, original)) < 0.05
    else:
        assert max_grey < 1e-3
        assert np.abs(out_u8.astype(int) - ref_u8.astype(int)).max() <= 1
