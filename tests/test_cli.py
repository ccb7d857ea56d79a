"""The command line: outputs, one-line errors with exit status 2, inputs never overwritten."""

import json
import subprocess
import sys

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.cli import main
from jpegaf.imageio import read_image, write_image


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def png(tmp_path, photo):
    p = tmp_path / "photo.png"
    write_image(p, photo)
    return p


def test_compress_then_info(capsys, tmp_path, png, photo):
    out = tmp_path / "out.jpg"
    code, stdout, err = run(capsys, "compress", str(png), "-q", "60", "-o", str(out))
    assert code == 0 and err == ""
    assert np.array_equal(jpeg.decompress(out), jpeg.jpeg_roundtrip(photo, 60))
    assert b"libjpeg turbo210" in out.read_bytes()
    code, stdout, err = run(capsys, "info", str(out), "--json")
    info = json.loads(stdout)
    assert code == 0 and stdout.count("\n") == 1
    assert (info["width"], info["height"]) == (photo.shape[1], photo.shape[0])
    assert info["estimated_quality"]["luma"] == {"quality": 60, "exact": True, "mean_abs_error": 0.0}
    assert info["quantization_tables"]["0"] == jpeg.quality_to_table(60).tolist()
    assert "turbo210" in info["libjpeg"]
    code, stdout, _ = run(capsys, "info", str(out))
    assert "quality:     luma 60 (exact IJG table)" in stdout


def test_compress_colour_and_gray(capsys, tmp_path, gray_images):
    rgb = np.stack([g[:64, :72] for g in gray_images[:3]], axis=2)
    src = tmp_path / "rgb.tif"
    write_image(src, rgb)
    run(capsys, "compress", str(src), "-q", "75", "-o", str(tmp_path / "c.jpg"))
    assert jpeg.read_header(tmp_path / "c.jpg").n_components == 3
    run(capsys, "compress", str(src), "-q", "75", "--gray", "-o", str(tmp_path / "g.jpg"))
    assert jpeg.read_header(tmp_path / "g.jpg").n_components == 1


def test_output_equal_to_input_is_refused(capsys, tmp_path, photo):
    src = tmp_path / "photo.jpg"  # compress also takes JPEGs (re-compression experiments)
    src.write_bytes(jpeg.compress(photo, 90))
    before = src.read_bytes()
    code, _, err = run(capsys, "compress", str(src), "-q", "50", "-o", str(tmp_path / "." / "photo.jpg"))
    assert code == 2 and "refusing to overwrite an input" in err and err.count("\n") == 1
    assert src.read_bytes() == before


@pytest.mark.parametrize("quality", ["0", "101", "50.5", "abc"])
def test_bad_quality_one_line(capsys, png, tmp_path, quality):
    with pytest.raises(SystemExit) as e:
        main(["compress", str(png), "-q", quality, "-o", str(tmp_path / "o.jpg")])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "1..100" in err and err.count("\n") == 1
    assert not (tmp_path / "o.jpg").exists()


def _bad_files(tmp_path, photo):
    good = jpeg.compress(photo, 75)
    files = {
        "missing.jpg": None,
        "empty.jpg": b"",
        "truncated.jpg": good[: len(good) // 2],
        "text.jpg": b"just some text\n",
    }
    for name, content in files.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    return {name: tmp_path / name for name in files}


@pytest.mark.parametrize("name,problem", [
    ("missing.jpg", "no such file"),
    ("empty.jpg", "empty file"),
    ("truncated.jpg", "truncated JPEG"),
    ("text.jpg", "not a JPEG"),
])
def test_info_bad_files(capsys, tmp_path, photo, name, problem):
    path = _bad_files(tmp_path, photo)[name]
    code, out, err = run(capsys, "info", str(path))
    assert code == 2 and out == ""
    assert err == f"jpegaf: {path}: {problem}" + err[len(f"jpegaf: {path}: {problem}"):]
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("make,problem", [
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), "not an image"),
    (lambda p: write_image(p, np.zeros((5, 30), np.uint8)), "smaller than one 8x8 block"),
    (lambda p: p.write_bytes(b"not an image at all"), "not an image"),
])
def test_compress_bad_images(capsys, tmp_path, make, problem):
    src = tmp_path / "bad.png"
    make(src)
    code, _, err = run(capsys, "compress", str(src), "-q", "50", "-o", str(tmp_path / "o.jpg"))
    assert code == 2 and f"{src}: " in err and problem in err and err.count("\n") == 1
    assert not (tmp_path / "o.jpg").exists()


def test_truncated_png_and_16_bit(capsys, tmp_path, png, photo):
    from PIL import Image

    cut = tmp_path / "cut.png"
    cut.write_bytes(png.read_bytes()[:200])
    code, _, err = run(capsys, "compress", str(cut), "-q", "50", "-o", str(tmp_path / "o.jpg"))
    assert code == 2 and "truncated or corrupt PNG" in err
    deep = tmp_path / "deep.png"
    Image.fromarray(photo.astype(np.uint16) * 256).save(deep)
    code, _, err = run(capsys, "compress", str(deep), "-q", "50", "-o", str(tmp_path / "o.jpg"))
    assert code == 2 and "16-bit" in err


def test_pixel_limit(capsys, tmp_path, png):
    code, _, err = run(capsys, "compress", str(png), "-q", "50", "-o", str(tmp_path / "o.jpg"),
                       "--max-pixels", "1000")
    assert code == 2 and "exceeds the limit of 1000" in err


def test_data_check(capsys, tmp_path, png, photo):
    (tmp_path / "a.jpg").write_bytes(jpeg.compress(photo, 90))
    code, out, _ = run(capsys, "data", "check", str(tmp_path))
    assert code == 0
    assert "1 usable" in out and "a.jpg" in out and "JPEG" in out


def test_demo_runs_the_evaluation_on_the_bundled_held_out_crops(capsys, tmp_path):
    from jpegaf.evaluation import read_rows, evaluation_images
    from jpegaf.evaluation.grid import EvalConfig
    from jpegaf.heldout import HELDOUT_DIR, heldout_paths
    from jpegaf.metrics import psnr

    out = tmp_path / "demo"
    code = main(["demo", "--out", str(out), "--sizes", "64", "--qualities", "50", "90", "--methods", "jpeg", "f1",
                 "gan", "--detectors", "K_F,Q_FdQ", "--limit", "2", "--workers", "1"])
    stdout, _ = capsys.readouterr()
    assert code == 0
    for name in ("rows.csv", "table1.md", "table2.md", "table1.csv", "table2.csv", "report.html"):
        assert (out / name).exists(), name
    assert "not BOSSBase" in stdout and "not BOSSBase" in (out / "report.html").read_text()
    assert "2 bundled crops" in stdout
    rows = read_rows(out / "rows.csv")
    # Every bundled crop is test data (the corpus's test part), and the demo starts from the first.
    images = evaluation_images(EvalConfig(sizes=(64,), qualities=(50,)), HELDOUT_DIR)
    assert images == heldout_paths() and len(images) == 87
    # The J row's PSNR equals an independent computation on the same held-out centre crop.
    first = images[0]
    img = read_image(first)
    top, left = (img.shape[0] - 64) // 16 * 8, (img.shape[1] - 64) // 16 * 8
    crop = img[top:top + 64, left:left + 64]
    j_row = next(r for r in rows if r["method"] == "jpeg" and r["image"] == "test/" + first.name and r["quality"] == 50)
    assert j_row["psnr"] == pytest.approx(psnr(crop, jpeg.jpeg_roundtrip(crop, 50)), abs=1e-12)
    # The shipped QF 50 generator fills the GAN rows and beats the JPEG on held-out crops...
    gan = [r for r in rows if r["method"] == "gan" and r["quality"] == 50]
    jpg = {r["image"]: r["psnr"] for r in rows if r["method"] == "jpeg" and r["quality"] == 50}
    assert len(gan) == 2 and all(r["status"] == "ok" and r["psnr"] > jpg[r["image"]] for r in gan)
    # ...and QF 90, which no shipped generator covers, is reported missing, not dropped.
    assert all(r["status"].startswith("missing") for r in rows if r["method"] == "gan" and r["quality"] == 90)
    assert "missing" in (out / "table1.md").read_text()


def test_console_script_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "jpegaf.cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "turbo210" in proc.stdout


def test_atomic_writes_get_the_usual_permissions(tmp_path):
    """Files written through a temporary file and a rename are readable like any other file
    (0666 less the umask), not private to their owner as the temporary file was."""
    import os
    import stat

    from jpegaf.imageio import atomic_write_bytes

    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "a.bin", b"x")
        assert stat.S_IMODE((tmp_path / "a.bin").stat().st_mode) == 0o644
        os.umask(0o077)
        atomic_write_bytes(tmp_path / "b.bin", b"x")
        assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_training_options_reach_the_config():
    """Each `jpegaf train` option sets its config field; an option not given keeps the preset's value."""
    from jpegaf.cli import build_parser, detector_config, gan_config
    from jpegaf.train import cpu_preset, paper_preset
    from jpegaf.train.detector import quick_preset

    parse = build_parser().parse_args
    base = ["train", "gan", "--data", "d", "--out", "o", "--quality"]
    assert gan_config(parse(base + ["50"])) == cpu_preset(50)
    assert gan_config(parse(base + ["50", "--preset", "paper"])) == paper_preset(50)
    config = gan_config(parse(base + ["75", "25", "--no-perceptual", "--non-saturating", "--bf16", "--seed", "3",
                                      "--workers", "2", "--d-lr", "1e-4", "--gamma", "0.5", "--phase2-epochs", "4",
                                      "--vgg-preprocessing", "caffe", "--cache-dir", "c"]))
    assert config.qualities == (25, 75) and config.conditioned and config.generator.global_skip
    assert (config.perceptual, config.generator_loss, config.bf16, config.seed, config.num_workers) == (
        False, "non_saturating", True, 3, 2)
    assert (config.d_lr, config.gamma, config.phase2_epochs, config.phase1_epochs) == (1e-4, 0.5, 4, 10)
    assert (config.vgg_preprocessing, config.cache_dir, config.preset) == ("caffe", "c", "cpu")
    config = gan_config(parse(base + ["50", "--lattice-weight", "0.5", "--blocking-weight", "0.1",
                                      "--calibration-weight", "0.2", "--d-warmup-steps", "30",
                                      "--phase1-lr", "1e-4", "--g-lr", "2e-4"]))
    assert (config.lattice_weight, config.blocking_weight, config.calibration_weight, config.d_warmup_steps) == (
        0.5, 0.1, 0.2, 30)
    assert (config.phase1_lr, config.g_lr, config.d_lr) == (1e-4, 2e-4, cpu_preset(50).d_lr)
    assert config.anti_forensic and not cpu_preset(50).anti_forensic and not paper_preset(50).anti_forensic

    base = ["train", "detector", "--data", "d", "--out", "o", "--size", "128", "--quality", "50"]
    assert detector_config(parse(base)) == quick_preset(128, 50)
    config = detector_config(parse(base + ["--negatives", "f3", "--vary-content", "--seed", "4"]))
    assert (config.negatives, config.vary_content, config.seed, config.generator_weights) == ("f3", True, 4, None)
    config = detector_config(parse(base + ["--negatives", "gan", "--generator", "g.safetensors"]))
    assert config.generator_weights == "g.safetensors"


def test_demo_shows_the_papers_methods_f3_and_the_erase_default_evaluate_every_method():
    from jpegaf.antiforensics import METHODS
    from jpegaf.cli import DEMO_METHODS, build_parser

    assert build_parser().parse_args(["demo"]).methods == ["jpeg", "f1", "f2", "f3", "gan", "auto"] == list(DEMO_METHODS)
    evaluate = build_parser().parse_args(["evaluate", "--data", "d", "--out", "o"])
    assert evaluate.methods == ["jpeg", *METHODS, "auto"] and evaluate.policy == ""
