"""`jpegaf erase`: files and folders, resuming, and one-line errors with no partial outputs."""

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.antiforensics import StammDither
from jpegaf.cli import main
from jpegaf.imageio import read_image


@pytest.fixture()
def jpegs(tmp_path, gray_images):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, img in enumerate(gray_images[:3]):
        (folder / f"img{i}.jpg").write_bytes(jpeg.compress(img[:128, :128], 50))
    return folder


def test_erase_one_file_equals_the_library(capsys, tmp_path, jpegs):
    out = tmp_path / "out.png"
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(out), "--method", "f1", "--seed", "4"]) == 0
    expected = StammDither()(jpeg.read_coefficients(jpegs / "img0.jpg"), 4)
    assert np.array_equal(read_image(out), expected)


def test_erase_folder_resumes_and_reports_bad_files(capsys, tmp_path, jpegs):
    (jpegs / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    out = tmp_path / "out"
    assert main(["erase", str(jpegs), "-o", str(out), "--method", "f2"]) == 2
    _, err = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["img0.png", "img1.png", "img2.png"]
    assert "broken.jpg: truncated JPEG" in err and err.count("jpegaf:") == 1
    before = (out / "img1.png").stat().st_mtime_ns
    (out / "img2.png").unlink()  # as if a run had been killed before the last image
    main(["erase", str(jpegs), "-o", str(out), "--method", "f2"])
    stdout, _ = capsys.readouterr()
    assert "1 written, 2 already there, 1 failed" in stdout
    assert (out / "img1.png").stat().st_mtime_ns == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary leftovers


@pytest.mark.parametrize("content,problem", [
    (b"GIF89a not a jpeg", "not a JPEG"),
    (None, "zero steps"),
])
def test_bad_jpeg_one_line_no_output(capsys, tmp_path, gray_images, content, problem):
    src = tmp_path / "x.jpg"
    if content is None:
        data = bytearray(jpeg.compress(gray_images[0][:64, :64], 50))
        dqt = data.find(b"\xff\xdb")
        data[dqt + 6] = 0
        content = bytes(data)
    src.write_bytes(content)
    out = tmp_path / "o.png"
    assert main(["erase", str(src), "-o", str(out), "--method", "f1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jpegaf: {src}: ") and problem in err and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_erase_f3_single_file(capsys, tmp_path, jpegs):
    from jpegaf.antiforensics import FanVariational

    out = tmp_path / "f3.tif"
    assert main(["erase", str(jpegs / "img1.jpg"), "-o", str(out), "--method", "f3", "--seed", "2"]) == 0
    assert np.array_equal(read_image(out), FanVariational()(jpeg.read_coefficients(jpegs / "img1.jpg"), 2))


def test_jpeg_output_refused(capsys, tmp_path, jpegs):
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(tmp_path / "o.jpg"), "--method", "f1"]) == 2
    assert "lossless" in capsys.readouterr().err


def test_erase_gan_needs_a_generator_and_uses_the_nearest_quality(capsys, tmp_path, jpegs, gray_images,
                                                                   monkeypatch):
    import dataclasses

    import torch

    from jpegaf.antiforensics.gan import tiled_generate
    from jpegaf.models import Generator, GeneratorConfig
    from jpegaf.weights import load_generator
    from jpegaf.weights import export_model

    import jpegaf.pretrained

    empty = tmp_path / "no-weights"
    empty.mkdir()
    monkeypatch.setattr(jpegaf.pretrained, "PRETRAINED_DIR", empty)
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(tmp_path / "o.png"), "--method", "gan"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no generator weights are shipped" in err and "--generator" in err
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(tmp_path / "o.png")]) == 2  # auto: no policy
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "erase_policy.json: not a readable erase policy" in err and "--method" in err
    assert not (tmp_path / "o.png").exists()
    torch.manual_seed(0)
    config = GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,))
    weights = tmp_path / "g75.safetensors"
    export_model(weights, Generator(config), {"generator": dataclasses.asdict(config), "quality": 75})
    out = tmp_path / "gan.png"
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(out), "--method", "gan",
                 "--generator", str(weights), "--threads", "1"]) == 0
    err = capsys.readouterr().err
    assert "quality 50 has no trained generator; using the QF 75 one" in err
    from jpegaf.antiforensics.gan import load_trained_generator, project_luma

    decoded = jpeg.decompress(jpegs / "img0.jpg")
    network = tiled_generate(load_trained_generator(weights).module, decoded)
    plain = tiled_generate(load_generator(weights)[0], decoded)
    assert np.abs(network.astype(int) - plain).max() <= 1
    # erase projects the network's unrounded luma onto the file's quantization bins
    raw = tiled_generate(load_trained_generator(weights).module, decoded, rounded=False)
    expected = jpeg.to_uint8(project_luma(raw, jpeg.read_coefficients(jpegs / "img0.jpg")))
    assert not np.array_equal(expected, network), "an untrained generator leaves the bins"
    assert np.array_equal(read_image(out), expected)


def test_erase_one_file_shows_the_generators_progress_on_a_terminal(tmp_path, jpegs, monkeypatch):
    """One file: a bar counts the generator's tiles over its self-ensemble (8 members x 1 tile
    here) on a terminal; the output is the same as without it."""
    import dataclasses
    import io
    import sys

    import torch

    from jpegaf.antiforensics.gan import GanEraser
    from jpegaf.models import Generator, GeneratorConfig
    from jpegaf.weights import export_model

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    torch.manual_seed(0)
    config = GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,))
    weights = tmp_path / "g50.safetensors"
    export_model(weights, Generator(config), {"generator": dataclasses.asdict(config), "quality": 50})
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "x8.png"
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(out), "--method", "gan", "--generator", str(weights),
                 "--ensemble", "8", "--threads", "1"]) == 0
    shown = terminal.getvalue()
    assert "erase (gan): generator" in shown and "8/8" in shown and "tile" in shown
    expected = GanEraser({50: weights}, ensemble=8)(jpeg.read_coefficients(jpegs / "img0.jpg"))
    assert np.array_equal(read_image(out), expected)
    # a classical method runs no generator: no bar
    terminal.seek(0)
    terminal.truncate()
    assert main(["erase", str(jpegs / "img0.jpg"), "-o", str(tmp_path / "f1.png"), "--method", "f1"]) == 0
    assert terminal.getvalue() == ""
