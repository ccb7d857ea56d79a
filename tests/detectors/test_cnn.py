"""The constrained CNN detector: Bayar-Stamm constraint, MISLnet shapes, and the Detector wrapper."""

import numpy as np
import pytest
import torch

from jpegaf.detectors.base import Detector
from jpegaf.detectors.cnn import CnnDetector, detector_name
from jpegaf.models.detector_cnn import ConstrainedConv2d, DetectorCNN, DetectorCNNConfig
from jpegaf.weights import export_model
from jpegaf.train.detector import detector_step

TOL = 1e-6


def tiny(size: int = 64, **kw) -> DetectorCNNConfig:
    base = dict(input_size=size, conv2_channels=6, conv3_channels=6, conv4_channels=6, conv5_channels=8,
                fc6_units=8, fc7_units=8)
    base.update(kw)
    return DetectorCNNConfig(**base)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def assert_constrained(layer: ConstrainedConv2d) -> None:
    centre_err, sum_err = layer.constraint_error()
    assert centre_err < TOL and sum_err < TOL, (centre_err, sum_err)


def test_constraint_holds_at_init_and_after_projection():
    torch.manual_seed(0)
    layer = ConstrainedConv2d(1, 3, 5)
    assert_constrained(layer)
    assert layer.bias is None
    with torch.no_grad():
        layer.weight.add_(torch.randn_like(layer.weight))
    layer.project_()
    assert_constrained(layer)
    # Two input channels: each (filter, channel) slice is constrained on its own (per channel).
    assert_constrained(ConstrainedConv2d(2, 4, 3))


def test_projection_guards_an_off_centre_sum_near_zero():
    layer = ConstrainedConv2d(1, 2, 5)
    with torch.no_grad():
        w = torch.zeros(2, 1, 5, 5)
        w[0, 0, 0, 0], w[0, 0, 4, 4] = 1.0, -1.0          # off-centre sum exactly 0
        w[1, 0, 0, 0], w[1, 0, 4, 4] = 0.5, -0.5 + 1e-5    # 1e-5: dividing would give 5e4
        layer.weight.copy_(w)
    layer.project_()
    assert_constrained(layer)
    assert torch.isfinite(layer.weight).all() and layer.weight.abs().max() < 2


def test_a_constant_image_gives_zero_first_layer_output():
    torch.manual_seed(1)
    model = DetectorCNN(tiny())
    for value in (-1.0, 0.3, 1.0):
        out = model.c1(torch.full((2, 1, 64, 64), value))
        assert out.shape == (2, 3, 60, 60)
        assert out.abs().max() < 1e-5


@pytest.mark.parametrize("size,final,flat", [(64, 1, 128), (128, 3, 1152), (256, 7, 6272)])
def test_shapes_and_flatten_sizes(size, final, flat):
    config = tiny(size)
    assert config.final_map_size == final
    assert DetectorCNNConfig(input_size=size).flatten_features == flat  # MISLnet widths (algorithms.md)
    model = DetectorCNN(config).eval()
    with torch.no_grad():
        x = torch.rand(2, 1, size, size) * 2 - 1
        assert model.features(x).shape == (2, 8, final, final)
        assert model(x).shape == (2,)


def test_flatten_size_at_512_and_wrong_sizes():
    assert DetectorCNNConfig(input_size=512).final_map_size == 15
    assert DetectorCNNConfig(input_size=512).flatten_features == 28800
    with pytest.raises(ValueError, match="too small"):
        DetectorCNNConfig(input_size=32)
    model = DetectorCNN(tiny(64))
    with pytest.raises(ValueError, match="input_size=64"):
        model(torch.zeros(1, 1, 128, 128))
    with pytest.raises(ValueError):
        model(torch.zeros(1, 2, 64, 64))


def test_constraint_holds_after_every_step_of_a_short_run(gray_images):
    torch.manual_seed(2)
    model = DetectorCNN(tiny())
    # A large rate and weight decay: the raw SGD update moves the weights far off the constraint.
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.95, weight_decay=5e-4)
    from jpegaf import jpeg

    crops = [img[:64, :64] for img in gray_images[:4]]
    both = crops + [jpeg.jpeg_roundtrip(c, 50) for c in crops]
    x = torch.tensor(np.stack(both)[:, None] / 127.5 - 1, dtype=torch.float32)
    y = torch.tensor([0.0] * 4 + [1.0] * 4)
    before = model.c1.weight.detach().clone()
    for _ in range(10):
        detector_step(model, model, opt, x, y)
        assert_constrained(model.c1)
    assert not torch.equal(before, model.c1.weight)


def _exported(tmp_path, size=64):
    torch.manual_seed(3)
    model = DetectorCNN(tiny(size)).eval()
    card = {"network": model.config.__dict__, "negatives": None, "quality": 50, "threshold": 0.5,
            "calibration": {"fpr": 0.05, "n_images": 20, "source": "test"}}
    path = tmp_path / "detector.safetensors"
    export_model(path, model, card)
    return model, path


def test_cnn_detector_loads_and_scores_like_the_model(tmp_path, gray_images):
    model, path = _exported(tmp_path)
    det = CnnDetector.load(path)
    assert isinstance(det, Detector)
    assert det.name == "CNN-64-q50" and det.size == 64 and det.quality == 50 and det.threshold == 0.5
    assert det.calibration.size == 64 and det.calibration.n_images == 20
    crops = [img[8:72, 16:80] for img in gray_images[:3]]
    x = torch.tensor(np.stack(crops)[:, None] / 127.5 - 1, dtype=torch.float32)
    with torch.no_grad():
        expected = torch.sigmoid(model(x).double()).numpy()
    batch = det.score_batch(crops)
    np.testing.assert_allclose(batch, expected, rtol=1e-6)
    assert [det.score(c) for c in crops] == pytest.approx(list(batch), rel=1e-6)
    assert all(0.0 < s < 1.0 for s in batch)
    assert detector_name(64, 50, "f1") == "CNN-64-q50-f1"
    assert detector_name(128, 25) == "CNN-128-q25" and detector_name(64, None) == "CNN-64"


def test_larger_images_are_centre_cropped_on_the_grid_and_smaller_refused(tmp_path, gray_images):
    _, path = _exported(tmp_path)
    det = CnnDetector.load(path)
    img = gray_images[0][:203, :141]
    # central crop: top = (203 - 64) // 2 // 8 * 8 = 64, left = (141 - 64) // 2 // 8 * 8 = 32
    assert det.score(img) == pytest.approx(det.score(img[64:128, 32:96]), rel=1e-9)
    with pytest.raises(ValueError):
        det.score(img[:60, :100])
    with pytest.raises(ValueError):
        det.score(img[:64, :64].astype(np.float32))


def test_load_refuses_mismatched_weights(tmp_path):
    from jpegaf.errors import JpegafError

    _, path = _exported(tmp_path)
    import json

    card = json.loads(path.with_suffix(".json").read_text())
    card["network"]["conv2_channels"] = 7
    path.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(JpegafError, match="do not match"):
        CnnDetector.load(path)
