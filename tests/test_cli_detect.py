"""`jpegaf detect`: scores, calibrated thresholds and verdicts per file, as a table or JSON lines."""

import json

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.cli import main
from jpegaf.detectors import BlockingDetector, load_calibrations
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import write_image
from jpegaf.pretrained import shipped_detectors


def test_detect_json_on_a_jpeg_and_an_original(capsys, tmp_path, gray_images):
    img = gray_images[0][:256, :256]
    write_image(tmp_path / "orig.png", img)
    (tmp_path / "comp.jpg").write_bytes(jpeg.compress(img, 50))
    code = main(["detect", "--json", "--detectors", "K_F,lattice,Q_FdQ",
                 str(tmp_path / "orig.png"), str(tmp_path / "comp.jpg")])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(out) == 2
    orig, comp = out
    assert [d["detector"] for d in comp["detectors"]] == ["K_F", "lattice", "Q_FdQ"]
    assert comp["file_quality"] == {"quality": 50, "exact": True} and orig["file_quality"] is None
    assert all(d["verdict"] == "JPEG" for d in comp["detectors"])
    assert all(d["calibration_size"] == 256 for d in comp["detectors"])
    # The score is the library's, the threshold the shipped 256-px calibration.
    kf = comp["detectors"][0]
    assert kf["score"] == BlockingDetector().score(jpeg.jpeg_roundtrip(img, 50))
    cal = next(c for c in load_calibrations() if c.detector == "K_F" and c.size == 256)
    assert kf["threshold"] == cal.threshold
    # The step estimate from pixels recovers the file's low-frequency steps.
    assert np.array(comp["estimated_steps"])[0, :3].tolist() == jpeg.quality_to_table(50)[0, :3].tolist()


def test_detect_people_table_and_bad_files(capsys, tmp_path, gray_images):
    (tmp_path / "a.jpg").write_bytes(jpeg.compress(gray_images[1][:128, :128], 75))
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\xff truncated")
    code = main(["detect", "--detectors", "K_F", str(tmp_path / "a.jpg"), str(tmp_path / "b.jpg")])
    out, err = capsys.readouterr()
    assert code == 2 and "K_F" in out and "JPEG" in out
    assert err.count("\n") == 1 and "b.jpg" in err


def test_unknown_detector_name(capsys, tmp_path, gray_images):
    (tmp_path / "a.jpg").write_bytes(jpeg.compress(gray_images[1][:64, :64], 75))
    assert main(["detect", "--detectors", "nope", str(tmp_path / "a.jpg")]) == 2
    assert "unknown detector" in capsys.readouterr().err


def test_detect_with_a_trained_cnn(capsys, tmp_path, gray_images):
    import dataclasses

    import torch

    from jpegaf.detectors.cnn import CnnDetector
    from jpegaf.models import DetectorCNN, DetectorCNNConfig
    from jpegaf.weights import export_model

    torch.manual_seed(0)
    config = DetectorCNNConfig(input_size=64, conv2_channels=8, conv3_channels=8, conv4_channels=8,
                               conv5_channels=8, fc6_units=8, fc7_units=8)
    weights = tmp_path / "detector.safetensors"
    export_model(weights, DetectorCNN(config), {"network": dataclasses.asdict(config), "threshold": 0.25,
                                                "calibration": {"fpr": 0.05, "n_images": 40}})
    (tmp_path / "big.jpg").write_bytes(jpeg.compress(gray_images[0][:128, :128], 50))
    (tmp_path / "small.jpg").write_bytes(jpeg.compress(gray_images[0][:40, :40], 50))
    code = main(["detect", "--json", "--detectors", "K_F", "--cnn", str(weights),
                 str(tmp_path / "big.jpg"), str(tmp_path / "small.jpg")])
    big, small = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    cnn = big["detectors"][1]
    expected = CnnDetector.load(weights).score(jpeg.decompress(tmp_path / "big.jpg"))
    assert cnn["detector"] == "CNN-64" and cnn["score"] == expected and cnn["threshold"] == 0.25
    assert cnn["verdict"] == ("JPEG" if expected > 0.25 else "never compressed")
    assert small["detectors"][1]["score"] is None and small["detectors"][1]["verdict"] is None


@pytest.mark.skipif(not shipped_detectors(), reason="no CNN detector shipped")
def test_shipped_cnns_run_by_default_on_images_they_fit(capsys, tmp_path, gray_images):
    sizes = sorted({CnnDetector.load(w).size for w in shipped_detectors()})
    side = sizes[0] + 8  # only the smallest shipped size fits
    (tmp_path / "a.jpg").write_bytes(jpeg.compress(gray_images[0][:side, :side], 50))
    assert main(["detect", "--json", str(tmp_path / "a.jpg")]) == 0
    rows = json.loads(capsys.readouterr().out)["detectors"]
    cnn = [r for r in rows if r["detector"].startswith("CNN-")]
    assert cnn and all(r["detector"].startswith(f"CNN-{sizes[0]}-q") for r in cnn)
    # The default runs K_F^n, not the published K_F (which "all" and --detectors K_F still run),
    # and K_F^n has a shipped threshold: a verdict, and JPEG for this QF-50 file.
    classical = [r["detector"] for r in rows if not r["detector"].startswith("CNN-")]
    assert "K_F" not in classical and classical[0] == "K_F^n"
    assert rows[0]["verdict"] == "JPEG" and rows[0]["calibration_size"] == sizes[0]
    assert main(["detect", "--json", "--detectors", "all", str(tmp_path / "a.jpg")]) == 0
    assert [r["detector"] for r in json.loads(capsys.readouterr().out)["detectors"]][:2] == ["K_F", "K_F^n"]
    assert all(r["score"] is not None and r["verdict"] in ("JPEG", "never compressed") for r in cnn)
    # A shipped CNN can be named like a classical detector.
    name = cnn[0]["detector"]
    assert main(["detect", "--json", "--detectors", f"K_F,{name}", str(tmp_path / "a.jpg")]) == 0
    assert [r["detector"] for r in json.loads(capsys.readouterr().out)["detectors"]] == ["K_F", name]
