"""VGG-16 features (torchvision layout, cut after conv5_2's ReLU) and its weights loader."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from jpegaf.errors import JpegafError
from jpegaf.models import (VGG16_WEIGHTS_FILENAME, VGGConfig, VGGFeatures, convert_vgg_to_safetensors,
                           find_vgg_weights)

# torchvision vgg16 (cfg 'D'): index of every conv in `features`, and its (out, in) channels
TV_CONVS = {0: (64, 3), 2: (64, 64), 5: (128, 64), 7: (128, 128), 10: (256, 128), 12: (256, 256),
            14: (256, 256), 17: (512, 256), 19: (512, 512), 21: (512, 512), 24: (512, 512),
            26: (512, 512), 28: (512, 512)}
TV_CLASSIFIER = {0: (4096, 512 * 7 * 7), 3: (4096, 4096), 6: (1000, 4096)}


@pytest.fixture(scope="module")
def tv_state() -> dict[str, torch.Tensor]:
    """A random state dict with torchvision's exact vgg16 key names and shapes.

    The classifier tensors (unused by the loader) are stride-0 views of one stored value: same
    keys and shapes as the real file, without writing 490 MB in a unit test.
    """
    g = torch.Generator().manual_seed(0)
    sd = {}
    for i, (co, ci) in TV_CONVS.items():
        sd[f"features.{i}.weight"] = torch.randn(co, ci, 3, 3, generator=g) * 0.05
        sd[f"features.{i}.bias"] = torch.randn(co, generator=g) * 0.05
    for i, (o, n) in TV_CLASSIFIER.items():
        sd[f"classifier.{i}.weight"] = torch.full((1, 1), 0.01).expand(o, n)
        sd[f"classifier.{i}.bias"] = torch.full((1,), 0.02).expand(o)
    return sd


def _assert_loaded(model: VGGFeatures, sd: dict[str, torch.Tensor]) -> None:
    loaded = model.state_dict()
    assert len(loaded) == 24
    for k, v in loaded.items():
        assert torch.equal(v, sd[k]), k


def test_layout_matches_torchvision_cut_after_conv5_2_relu():
    m = VGGFeatures()
    convs = [i for i, layer in enumerate(m.features) if isinstance(layer, nn.Conv2d)]
    assert len(m.features) == 28
    assert convs == [i for i in TV_CONVS if i <= 26]
    assert sum(isinstance(layer, nn.Conv2d) for layer in m.features[:27]) == 12
    last = m.features[26]
    assert isinstance(last, nn.Conv2d) and (last.in_channels, last.out_channels) == (512, 512)
    assert isinstance(m.features[27], nn.ReLU)
    relus = [layer for layer in m.features if isinstance(layer, nn.ReLU)]
    assert len(relus) == 12 and not any(r.inplace for r in relus)
    pools = [i for i, layer in enumerate(m.features) if isinstance(layer, nn.MaxPool2d)]
    assert pools == [4, 9, 16, 23]
    for i in convs:
        assert tuple(m.features[i].weight.shape) == (*TV_CONVS[i], 3, 3)
    assert len(VGGFeatures(VGGConfig(n_convs=13)).features) == 30


@pytest.mark.parametrize("legacy", [False, True])
def test_from_weights_pth(tmp_path, tv_state, legacy):
    path = tmp_path / VGG16_WEIGHTS_FILENAME
    # torchvision's 2017 file is in the legacy (non-zip) format; newer saves are zip files
    torch.save(tv_state, path, _use_new_zipfile_serialization=not legacy)
    m = VGGFeatures.from_weights(path)
    _assert_loaded(m, tv_state)
    assert not m.training and not any(p.requires_grad for p in m.parameters())


def test_from_weights_safetensors(tmp_path, tv_state):
    feats = {k: v for k, v in tv_state.items() if k.startswith("features.")}
    direct = tmp_path / "direct.safetensors"
    save_file(feats, str(direct))
    _assert_loaded(VGGFeatures.from_weights(direct), tv_state)

    pth = tmp_path / VGG16_WEIGHTS_FILENAME
    torch.save(tv_state, pth)
    converted = convert_vgg_to_safetensors(pth, tmp_path / "vgg16-397923af.safetensors")
    _assert_loaded(VGGFeatures.from_weights(converted), tv_state)


@pytest.mark.parametrize("key", ["features.26.weight", "features.0.bias"])
def test_missing_key_names_file_and_key(tmp_path, tv_state, key):
    sd = {k: v for k, v in tv_state.items() if k != key}
    path = tmp_path / "broken.pth"
    torch.save(sd, path)
    with pytest.raises(JpegafError) as e:
        VGGFeatures.from_weights(path)
    assert str(path) in str(e.value) and key in str(e.value)


def test_wrong_shape_names_file(tmp_path, tv_state):
    sd = dict(tv_state)
    sd["features.10.weight"] = torch.zeros(128, 128, 3, 3)
    path = tmp_path / "wrong.safetensors"
    save_file({k: v.contiguous() for k, v in sd.items() if k.startswith("features.")}, str(path))
    with pytest.raises(JpegafError, match="features.10.weight") as e:
        VGGFeatures.from_weights(path)
    assert str(path) in str(e.value)


def test_unreadable_and_missing_files(tmp_path):
    junk = tmp_path / "junk.pth"
    junk.write_bytes(b"not a weights file")
    with pytest.raises(JpegafError, match="junk.pth"):
        VGGFeatures.from_weights(junk)
    with pytest.raises(JpegafError, match="nope.pth"):
        VGGFeatures.from_weights(tmp_path / "nope.pth")


def test_find_vgg_weights(tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(hub))
    pth = hub / "checkpoints" / "vgg16-397923af.pth"
    st = hub / "checkpoints" / "vgg16-397923af.safetensors"

    with pytest.raises(JpegafError) as e:
        find_vgg_weights(None)
    msg = str(e.value)
    assert str(pth) in msg and str(st) in msg and "--no-perceptual" in msg

    with pytest.raises(JpegafError) as e:
        find_vgg_weights(tmp_path / "elsewhere.pth")
    msg = str(e.value)
    assert "elsewhere.pth" in msg and str(pth) in msg and "--no-perceptual" in msg

    st.parent.mkdir(parents=True)
    st.write_bytes(b"x")
    assert find_vgg_weights(None) == st
    pth.write_bytes(b"x")
    assert find_vgg_weights(None) == pth
    assert find_vgg_weights(str(st)) == st


def test_normalisation_by_hand():
    m = VGGFeatures()
    x = torch.tensor([[-1.0, 0.0], [0.5, 1.0]]).view(1, 1, 2, 2)
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    expected = torch.stack([((x[0, 0] + 1) / 2 - mean[c]) / std[c] for c in range(3)])[None]
    torch.testing.assert_close(m.normalize(x), expected)
    # gray duplicated to three channels: same as feeding the RGB triple
    torch.testing.assert_close(m.normalize(x), m.normalize(x.expand(-1, 3, -1, -1)))


def test_caffe_normalisation_by_hand():
    """[12]'s convention: 0..255, BGR, minus the mean pixel (103.939, 116.779, 123.68), no division."""
    m = VGGFeatures(VGGConfig(preprocessing="caffe"))
    x = torch.tensor([[-1.0, 0.0], [0.5, 1.0]]).view(1, 1, 2, 2)
    pixels = torch.tensor([[0.0, 127.5], [191.25, 255.0]])
    expected = torch.stack([pixels - mean for mean in (103.939, 116.779, 123.68)])[None]
    torch.testing.assert_close(m.normalize(x), expected)
    # an RGB input is reordered to BGR: the red plane meets the weights' third channel
    rgb = torch.stack([torch.full((2, 2), v) for v in (1.0, 0.0, -1.0)])[None]  # R=255, G=127.5, B=0
    out = m.normalize(rgb)
    torch.testing.assert_close(out[0, :, 0, 0], torch.tensor([0 - 103.939, 127.5 - 116.779, 255 - 123.68]))
    # inputs ~58x larger than torchvision's: the features are not on torchvision's scale
    assert m.normalize(x).abs().max() > 50 * VGGFeatures().normalize(x).abs().max()
    with pytest.raises(ValueError, match="preprocessing"):
        VGGConfig(preprocessing="keras")


def test_find_vgg_weights_for_the_caffe_network(tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(hub))
    with pytest.raises(JpegafError) as e:
        find_vgg_weights(None, "caffe")
    assert "vgg16-00b39a1b.pth" in str(e.value) and "--vgg-preprocessing torchvision" in str(e.value)
    tv = hub / "checkpoints" / "vgg16-397923af.pth"
    tv.parent.mkdir(parents=True)
    tv.write_bytes(b"x")  # torchvision's file is not taken for the Caffe network
    with pytest.raises(JpegafError):
        find_vgg_weights(None, "caffe")
    caffe = hub / "checkpoints" / "vgg16-00b39a1b.pth"
    caffe.write_bytes(b"x")
    assert find_vgg_weights(None, "caffe") == caffe
    assert find_vgg_weights(None) == tv


def test_forward_shape_frozen_and_gradients_to_input_only():
    torch.manual_seed(0)
    m = VGGFeatures()
    m.train()
    assert not m.training and not any(mod.training for mod in m.modules())
    x = (torch.rand(2, 1, 32, 48) * 2 - 1).requires_grad_(True)
    y = m(x)
    assert y.shape == (2, 512, 2, 3)
    y.square().mean().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    assert all(p.grad is None and not p.requires_grad for p in m.parameters())
    # the output is the ReLU of features[26]: the slice of the Sequential, run by hand
    with torch.no_grad():
        torch.testing.assert_close(m(x), m.features[:28](m.normalize(x)))
        assert (m(x) >= 0).all()


def test_parent_train_keeps_vgg_in_eval():
    parent = nn.Module()
    parent.vgg = VGGFeatures()
    parent.train()
    assert not parent.vgg.training


def test_bad_inputs():
    m = VGGFeatures()
    with pytest.raises(ValueError):
        m(torch.zeros(1, 2, 32, 32))
    with pytest.raises(ValueError):
        m(torch.zeros(1, 1, 8, 8))
    with pytest.raises(ValueError):
        VGGConfig(n_convs=14)


def test_state_dict_keys_are_torchvisions(tv_state):
    keys = set(VGGFeatures().state_dict())
    assert keys == {k for k in tv_state if k.startswith("features.") and int(k.split(".")[1]) <= 26}
    assert not np.isin(["mean", "std"], list(keys)).any()
