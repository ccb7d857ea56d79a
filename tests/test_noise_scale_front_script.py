"""scripts/noise_scale_front.py: the front of a small stochastic generator made here, and its export."""

from __future__ import annotations

import dataclasses
import json
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from jpegaf.antiforensics.gan import load_trained_generator
from jpegaf.models import Generator, GeneratorConfig
from jpegaf.weights import export_model


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("noise_scale_front")


def _export(path, config: GeneratorConfig, seed: int) -> None:
    torch.manual_seed(seed)
    g = Generator(config)
    torch.nn.init.normal_(g.out_conv.weight, std=0.05)
    export_model(path, g.eval(), {"generator": dataclasses.asdict(config), "quality": 50})


def test_the_spread_grows_with_the_scale_and_the_export_records_it(script, tmp_path, gray_images, monkeypatch):
    small = dict(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True)
    _export(tmp_path / "s.safetensors", GeneratorConfig(**small, noise_channels=2), 0)
    _export(tmp_path / "d.safetensors", GeneratorConfig(**small), 1)
    files = []
    for i, img in enumerate(gray_images[:2]):
        files.append(tmp_path / f"{i}.png")
        Image.fromarray(img[:64, :64]).save(files[-1])
    rows = script.front(str(tmp_path / "s.safetensors"), str(tmp_path / "d.safetensors"), 50, [0.0, 0.5, 1.0], 64, files)
    assert [r["scale"] for r in rows] == [None, 0.0, 0.5, 1.0]
    assert rows[1]["spread"] == 0.0 and 0 < rows[2]["spread"] < rows[3]["spread"]
    assert rows[1]["from_source"] > 0  # another network than the source
    assert all(r["kvs"] > 0 and 45 <= r["kvs_quality"] <= 100 for r in rows)
    ratio = script.spectrum(str(tmp_path / "s.safetensors"), str(tmp_path / "d.safetensors"), 50, 64, files)
    assert ratio.shape == (8, 8) and (ratio > 0).all()
    flat = np.full((16, 16), 3.0)
    assert np.allclose(script.subband_variance(flat)[0, 0], 9.0 * 64) and np.allclose(script.subband_variance(flat)[1:], 0)

    monkeypatch.setattr(sys, "argv", ["noise_scale_front.py", "--generator", str(tmp_path / "s.safetensors"),
                                      "--export", "0.5", str(tmp_path / "v")])
    assert script.main() == 0
    card = json.loads((tmp_path / "v" / "generator.json").read_text())
    assert card["noise_scale"] == 0.5 and card["noise_scale_of"].endswith("s.safetensors")
    assert load_trained_generator(tmp_path / "v" / "generator.safetensors").noise_scale == 0.5

    monkeypatch.setattr(sys, "argv", ["noise_scale_front.py", "--generator", str(tmp_path / "s.safetensors"),
                                      "--export", "1", str(tmp_path / "b"), "--blend", "0.35",
                                      "--anchor", str(tmp_path / "d.safetensors")])
    assert script.main() == 0
    blended = load_trained_generator(tmp_path / "b" / "generator.safetensors")
    assert blended.blend == 0.35 and blended.card["blend"]["anchor"] == "../d.safetensors"
    assert blended.anchor is not None and blended.anchor.path.name == "d.safetensors"
