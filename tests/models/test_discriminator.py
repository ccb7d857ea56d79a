"""Discriminator D (paper Fig. 1b) and the SRM KV residual filter (paper eq. 1)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

from jpegaf.models import (KV_KERNEL, Discriminator, DiscriminatorConfig, SRMResidual,
                           count_parameters, srm_residual)

# ---------------------------------------------------------------- SRM KV


def test_kv_kernel_values_and_symmetry():
    expected = np.array([[-1, 2, -2, 2, -1], [2, -6, 8, -6, 2], [-2, 8, -12, 8, -2],
                         [2, -6, 8, -6, 2], [-1, 2, -2, 2, -1]]) / 12
    assert KV_KERNEL.shape == (5, 5)
    np.testing.assert_array_equal(KV_KERNEL, expected)
    np.testing.assert_array_equal(KV_KERNEL, KV_KERNEL.T)
    np.testing.assert_array_equal(KV_KERNEL, KV_KERNEL[::-1, :])
    np.testing.assert_array_equal(KV_KERNEL, KV_KERNEL[:, ::-1])
    np.testing.assert_allclose(KV_KERNEL.sum(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(KV_KERNEL.sum(axis=1), 0, atol=1e-15)
    assert KV_KERNEL[2, 2] == -1
    assert not KV_KERNEL.flags.writeable


def _ramp(h: int, w: int, a: float, b: float, c: float) -> torch.Tensor:
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64),
                            indexing="ij")
    return (a * yy + b * xx + c)[None, None]


@pytest.mark.parametrize("mode", ["reflect", "replicate", "zeros"])
def test_zero_response_on_constants_and_planar_ramps_away_from_borders(mode):
    for x in (torch.full((1, 1, 20, 23), 0.37, dtype=torch.float64),
              _ramp(20, 23, 0.013, -0.021, -0.4), _ramp(20, 23, -0.05, 0.0, 0.9)):
        r = srm_residual(x, mode)
        assert r.shape == x.shape
        assert r[..., 2:-2, 2:-2].abs().max() < 1e-12


def test_reflect_padding_zero_everywhere_on_constant():
    r = srm_residual(torch.full((2, 3, 9, 9), -0.6))
    assert r.abs().max() < 1e-6


def test_srm_matches_direct_correlation():
    rng = np.random.default_rng(0)
    img = rng.uniform(-1, 1, (12, 15))
    r = srm_residual(torch.from_numpy(img)[None, None], "zeros")[0, 0].numpy()
    padded = np.pad(img, 2)
    direct = np.array([[np.sum(padded[i:i + 5, j:j + 5] * KV_KERNEL) for j in range(15)]
                       for i in range(12)])
    np.testing.assert_allclose(r, direct, atol=1e-12)


def test_srm_module_kernel_is_a_buffer_not_a_parameter():
    m = SRMResidual()
    assert list(m.parameters()) == []
    assert dict(m.named_buffers())["kernel"].shape == (1, 1, 5, 5)
    np.testing.assert_allclose(m.kernel[0, 0].numpy(), KV_KERNEL, atol=1e-7)
    assert "kernel" not in m.state_dict()
    x = torch.rand(1, 1, 10, 10)
    torch.testing.assert_close(m(x), srm_residual(x))


def test_srm_bad_input():
    with pytest.raises(ValueError):
        srm_residual(torch.zeros(1, 1, 2, 8))       # reflect needs >= 3
    with pytest.raises(ValueError):
        srm_residual(torch.zeros(8, 8))
    with pytest.raises(ValueError):
        SRMResidual("circular-ish")

# ---------------------------------------------------------------- discriminator


def hand_count(cin: int, base: int, fc: int, side: int) -> int:
    conv = lambda a, b: 9 * a * b + b  # noqa: E731
    n, prev = 0, 2 * cin
    for g in range(3):
        c = base * 2 ** g
        n += conv(prev, c) + 2 * c + conv(c, c) + 2 * c   # two (conv, BN) per group
        prev = c
    n += (prev * side * side) * fc + fc                   # FC 64
    return n + fc + 1                                     # FC 1


def test_parameter_count_by_hand():
    assert count_parameters(Discriminator()) == hand_count(1, 64, 64, 2) == 1_212_289
    d = Discriminator(DiscriminatorConfig(base_channels=32, input_size=192))
    assert count_parameters(d) == hand_count(1, 32, 64, 3)


def test_layer_layout():
    d = Discriminator()
    convs = [m for m in d.features if isinstance(m, nn.Conv2d)]
    assert [(m.in_channels, m.out_channels) for m in convs] == [
        (2, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256)]
    assert all(m.kernel_size == (3, 3) and m.stride == (1, 1) for m in convs)
    pools = [m for m in d.features if isinstance(m, nn.MaxPool2d)]
    assert len(pools) == 3 and all(p.kernel_size == 4 and p.stride == 4 for p in pools)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in d.features) == 6
    assert sum(isinstance(m, nn.ReLU) for m in d.features) == 6
    assert d.classifier[1].in_features == 2 * 2 * 256 and d.classifier[1].out_features == 64


def test_srm_buffer_excluded_from_parameters():
    d = Discriminator()
    names = [n for n, _ in d.named_parameters()]
    assert not any(n.startswith("srm") for n in names)
    assert "srm.kernel" in dict(d.named_buffers())
    assert not any(k.startswith("srm") for k in d.state_dict())


@pytest.fixture(scope="module")
def batch(gray_images) -> torch.Tensor:
    crops = [img[:128, :128] for img in gray_images[:3]]
    return torch.from_numpy(np.stack(crops).astype(np.float32) / 127.5 - 1)[:, None]


def test_output_shape_values_and_logits(batch):
    torch.manual_seed(0)
    d = Discriminator().eval()
    with torch.no_grad():
        p = d(batch)
        logit = d(batch, return_logits=True)
    assert p.shape == logit.shape == (3, 1)
    assert (p > 0).all() and (p < 1).all()
    torch.testing.assert_close(torch.sigmoid(logit), p)


def test_train_mode_forward_and_gradients(batch):
    torch.manual_seed(1)
    d = Discriminator().train()
    loss = nn.functional.binary_cross_entropy_with_logits(d(batch, return_logits=True),
                                                          torch.ones(3, 1))
    loss.backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in d.parameters())
    # the residual channel of the first conv gets gradient: D does see the high-pass input
    assert d.features[0].weight.grad[:, 1].abs().sum() > 0


def test_stacked_input_is_image_and_scaled_residual(batch):
    d = Discriminator(DiscriminatorConfig(residual_scale=2.5))
    stacked = d.stack_residual(batch)
    assert stacked.shape == (3, 2, 128, 128)
    torch.testing.assert_close(stacked[:, :1], batch)
    torch.testing.assert_close(stacked[:, 1:], 2.5 * srm_residual(batch))


def test_residual_scale_changes_output(batch):
    torch.manual_seed(2)
    a = Discriminator().eval()
    b = Discriminator(DiscriminatorConfig(residual_scale=10.0)).eval()
    b.load_state_dict(a.state_dict())
    with torch.no_grad():
        assert not torch.allclose(a(batch, return_logits=True), b(batch, return_logits=True))


@pytest.mark.parametrize("shape", [(1, 1, 64, 64), (1, 1, 128, 127), (1, 1, 256, 256), (1, 2, 128, 128),
                                   (1, 128, 128)])
def test_wrong_input_size_raises(shape):
    d = Discriminator()
    with pytest.raises(ValueError, match="128"):
        d(torch.zeros(shape))


def test_other_input_size_when_configured():
    d = Discriminator(DiscriminatorConfig(input_size=64, base_channels=8)).eval()
    with torch.no_grad():
        assert d(torch.zeros(2, 1, 64, 64)).shape == (2, 1)
    assert d.classifier[1].in_features == 32 * 1 * 1


@pytest.mark.parametrize("bad", [{"input_size": 100}, {"input_size": 96}, {"base_channels": 0},
                                 {"srm_padding": "mirror"}])
def test_bad_config_raises(bad):
    with pytest.raises(ValueError):
        DiscriminatorConfig(**bad)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DiscriminatorConfig().input_size = 64
