"""Generator G (paper Fig. 1a): size, shapes, range, the global-skip variant, config fields."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

from jpegaf.models import Generator, GeneratorConfig, count_parameters, flops_per_pixel


def hand_count(cin: int, c: int, n_blocks: int, tail: tuple[int, ...], tail_bn: bool) -> int:
    """Parameters counted from the layer list, independently of the module."""
    conv = lambda a, b: 9 * a * b + b  # noqa: E731  3x3 weights + bias
    bn = lambda a: 2 * a               # noqa: E731  gamma + beta (running stats are buffers)
    n = conv(cin, c)                                        # head
    n += n_blocks * (2 * conv(c, c) + 2 * bn(c))            # residual blocks
    n += conv(c, c) + (bn(c) if tail_bn else 0)             # trunk conv (+ BN) before the long skip
    prev = c
    for w in tail:
        n += conv(prev, w)
        prev = w
    return n + conv(prev, cin)                              # out conv


def test_paper_generator_has_about_1_26_million_parameters():
    g = Generator()
    assert count_parameters(g) == hand_count(1, 64, 16, (64,), True) == 1_260_993
    # "another three convolutional layers" after the residual blocks
    convs = [m for m in g.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 1 + 2 * 16 + 3
    assert all(m.kernel_size == (3, 3) and m.stride == (1, 1) and m.padding == (1, 1) for m in convs)
    leaky = [m for m in g.modules() if isinstance(m, nn.LeakyReLU)]
    assert leaky and all(m.negative_slope == 0.2 for m in leaky)


@pytest.mark.parametrize("cfg", [
    GeneratorConfig(n_blocks=3),
    GeneratorConfig(channels=16, n_blocks=2, tail_channels=(32, 8), tail_bn=False),
    GeneratorConfig(in_channels=3, channels=8, n_blocks=0, tail_channels=()),
])
def test_parameter_count_follows_config(cfg):
    g = Generator(cfg)
    assert count_parameters(g) == hand_count(cfg.in_channels, cfg.channels, cfg.n_blocks,
                                             cfg.tail_channels, cfg.tail_bn)
    assert len(g.body) == cfg.n_blocks


def test_flops_per_pixel():
    assert flops_per_pixel() == 2 * (9 * 64 + 34 * 9 * 64 * 64 + 9 * 64) == 2_509_056
    cfg = GeneratorConfig(channels=16, n_blocks=2, tail_channels=(32,))
    assert flops_per_pixel(cfg) == 2 * 9 * (16 + 4 * 256 + 256 + 16 * 32 + 32)


@pytest.mark.parametrize("hw", [(8, 8), (37, 53), (64, 64), (128, 128)])
def test_output_shape_equals_input_and_range(hw):
    torch.manual_seed(0)
    g = Generator().eval()
    x = torch.rand(1, 1, *hw) * 2 - 1
    with torch.no_grad():
        y = g(x)
    assert y.shape == x.shape
    assert y.min() >= -1 and y.max() <= 1
    assert torch.isfinite(y).all()


def test_tanh_output_stays_in_range_for_large_activations():
    torch.manual_seed(1)
    g = Generator(GeneratorConfig(n_blocks=2)).eval()
    with torch.no_grad():
        g.out_conv.weight.mul_(1000)
        y = g(torch.rand(2, 1, 16, 16) * 2 - 1)
    assert y.abs().max() <= 1
    assert y.abs().max() > 0.99  # saturated, not clipped elsewhere


@pytest.fixture(scope="module")
def real_crop(gray_images) -> torch.Tensor:
    img = gray_images[1][100:164, 60:140]           # a 64x80 crop of a real photograph
    x = torch.from_numpy(img.astype(np.float32) / 127.5 - 1.0)[None, None]
    assert x.min() >= -1 and x.max() <= 1 and x.std() > 0.05
    return x


@pytest.mark.parametrize("training", [False, True])
def test_global_skip_is_exactly_identity_at_init(real_crop, training):
    torch.manual_seed(2)
    g = Generator(GeneratorConfig(global_skip=True)).train(training)
    assert torch.count_nonzero(g.out_conv.weight) == 0 and torch.count_nonzero(g.out_conv.bias) == 0
    with torch.no_grad():
        y = g(real_crop)
    assert torch.equal(y, real_crop)


def test_global_skip_last_conv_receives_gradient(real_crop):
    torch.manual_seed(3)
    g = Generator(GeneratorConfig(n_blocks=2, global_skip=True))
    target = torch.zeros_like(real_crop)
    torch.nn.functional.l1_loss(g(real_crop), target).backward()
    assert g.out_conv.weight.grad.abs().sum() > 0


def test_paper_form_is_not_identity(real_crop):
    torch.manual_seed(4)
    g = Generator(GeneratorConfig(n_blocks=2)).eval()
    with torch.no_grad():
        assert not torch.allclose(g(real_crop), real_crop, atol=1e-2)


def _reference_forward(g: Generator, x: torch.Tensor) -> torch.Tensor:
    """G written out from the config, using the module's layers one by one."""
    cfg = g.config
    act = lambda t: torch.nn.functional.leaky_relu(t, cfg.leaky_slope)  # noqa: E731
    h0 = act(g.head[0](x))
    h = h0
    for b in g.body:
        h = h + b.bn2(b.conv2(act(b.bn1(b.conv1(h)))))
    h = g.trunk_conv(h)
    if cfg.tail_bn:
        h = g.trunk_bn(h)
    if cfg.long_skip:
        h = h + h0
    convs = [m for m in g.tail if isinstance(m, nn.Conv2d)]
    for conv in convs:
        h = conv(h)
        if cfg.tail_activation:
            h = act(h)
    r = g.out_conv(h)
    return torch.clamp(x + r, -1, 1) if cfg.global_skip else torch.tanh(r)


@pytest.mark.parametrize("change", [
    {}, {"long_skip": False}, {"tail_bn": False}, {"tail_activation": False},
    {"tail_channels": (32, 16)}, {"leaky_slope": 0.01}, {"global_skip": True},
])
def test_config_fields_change_the_architecture_as_described(change, real_crop):
    torch.manual_seed(5)
    cfg = dataclasses.replace(GeneratorConfig(channels=16, n_blocks=2), **change)
    g = Generator(cfg).eval()
    if cfg.global_skip:
        torch.nn.init.normal_(g.out_conv.weight, std=0.05)
    with torch.no_grad():
        # give BN non-trivial running statistics so that its presence matters
        for m in g.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 2.0)
        y = g(real_crop)
        assert torch.allclose(y, _reference_forward(g, real_crop), atol=1e-6)
    widths = [m.out_channels for m in g.tail if isinstance(m, nn.Conv2d)]
    assert widths == list(cfg.tail_channels)
    assert isinstance(g.trunk_bn, nn.BatchNorm2d) == cfg.tail_bn
    assert any(isinstance(m, nn.LeakyReLU) for m in g.tail) == (cfg.tail_activation and bool(widths))


def test_long_skip_changes_the_output(real_crop):
    torch.manual_seed(6)
    a = Generator(GeneratorConfig(channels=16, n_blocks=2)).eval()
    b = Generator(GeneratorConfig(channels=16, n_blocks=2, long_skip=False)).eval()
    b.load_state_dict(a.state_dict())
    with torch.no_grad():
        assert not torch.allclose(a(real_crop), b(real_crop))


@pytest.mark.parametrize("bad", [
    {"n_blocks": -1}, {"channels": 0}, {"leaky_slope": -0.1}, {"tail_channels": [64]},
    {"tail_channels": (0,)},
])
def test_bad_config_raises(bad):
    with pytest.raises(ValueError):
        GeneratorConfig(**bad)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        GeneratorConfig().channels = 32


def test_bad_input_raises():
    g = Generator(GeneratorConfig(n_blocks=1))
    with pytest.raises(ValueError):
        g(torch.zeros(1, 3, 8, 8))
    with pytest.raises(ValueError):
        g(torch.zeros(1, 8, 8))
    with pytest.raises(TypeError):
        g(torch.zeros(1, 1, 8, 8, dtype=torch.uint8))
    with pytest.raises(TypeError):
        g(np.zeros((1, 1, 8, 8), np.float32))
