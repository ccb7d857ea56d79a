"""The quantization-table conditioning plane and the conditioned generator (not in the paper)."""

import dataclasses

import numpy as np
import pytest
import torch

from jpegaf.jpeg import quality_to_table
from jpegaf.models import Generator, GeneratorConfig, count_parameters, flops_per_pixel
from jpegaf.data.conditioning import qtable_plane
from jpegaf.train.checkpoint import init_generator_from
from jpegaf.weights import export_model


def test_plane_carries_every_step_on_the_8x8_grid():
    table = quality_to_table(25)
    plane = qtable_plane(table, 21, 19)
    assert plane.shape == (21, 19) and plane.dtype == np.float32
    for y, x in [(0, 0), (7, 7), (8, 0), (13, 18), (20, 5)]:
        assert plane[y, x] == pytest.approx(np.log2(table[y % 8, x % 8]) / 8, abs=1e-7)
    # Monotone in the step: a coarser table gives a larger plane everywhere.
    assert np.all(qtable_plane(quality_to_table(25), 8, 8) > qtable_plane(quality_to_table(75), 8, 8))
    assert qtable_plane(np.ones((8, 8)), 3, 3).max() == 0.0
    with pytest.raises(ValueError):
        qtable_plane(np.ones((4, 4)), 8, 8)
    with pytest.raises(ValueError):
        qtable_plane(np.zeros((8, 8)), 8, 8)


def test_conditioned_generator_shapes_and_counts():
    base = GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True)
    cond = dataclasses.replace(base, condition_channels=1)
    g = Generator(cond).eval()
    # One more input channel of the first 3x3 convolution: 9 x 8 weights.
    assert count_parameters(g) - count_parameters(Generator(base)) == 9 * 8
    assert flops_per_pixel(cond) - flops_per_pixel(base) == 2 * 9 * 8
    x = torch.rand(2, 2, 24, 40) * 2 - 1
    with torch.no_grad():
        y = g(x)
    assert y.shape == (2, 1, 24, 40)
    # global skip at initialisation: the image channel comes back, the plane does not.
    assert torch.equal(y, x[:, :1])
    with pytest.raises(ValueError):
        g(torch.zeros(1, 1, 8, 8))
    with pytest.raises(ValueError):
        GeneratorConfig(condition_channels=-1)


def test_starting_a_conditioned_generator_from_a_plain_one_keeps_its_output(tmp_path):
    base = GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True)
    torch.manual_seed(3)
    plain = Generator(base)
    with torch.no_grad():
        plain.out_conv.weight.normal_(0, 0.05)  # not the identity any more
    plain.eval()
    path = tmp_path / "g.safetensors"
    export_model(path, plain, {"generator": dataclasses.asdict(base), "quality": 50, "steps": 7})
    cond = Generator(dataclasses.replace(base, condition_channels=1))
    card = init_generator_from(cond, path)
    assert card["steps"] == 7
    cond.eval()
    img = torch.rand(1, 1, 32, 32) * 2 - 1
    plane = torch.from_numpy(qtable_plane(quality_to_table(30), 32, 32))[None, None]
    with torch.no_grad():
        assert torch.equal(cond(torch.cat([img, plane], 1)), plain(img))
    assert torch.count_nonzero(cond.head[0].weight[:, 1]) == 0
    # An incompatible architecture is refused with the file named.
    other = Generator(dataclasses.replace(base, channels=16))
    from jpegaf.errors import JpegafError
    with pytest.raises(JpegafError, match="g.safetensors"):
        init_generator_from(other, path)


def test_the_table_comes_back_from_its_plane():
    from jpegaf.data.conditioning import table_from_plane

    for q in (10, 25, 50, 75, 95):
        table = quality_to_table(q)
        assert np.array_equal(table_from_plane(qtable_plane(table, 24, 40)), table)
        batch = torch.from_numpy(np.stack([qtable_plane(table, 16, 16)] * 3))
        assert torch.equal(table_from_plane(batch), torch.tensor(table, dtype=batch.dtype).expand(3, 8, 8))
