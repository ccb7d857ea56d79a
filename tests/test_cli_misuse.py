"""Every subcommand's misuses end the same way: one line naming the problem, exit 2, and nothing
left behind (no output file or folder, no traceback)."""

from __future__ import annotations

import shutil

import pytest

from jpegaf.cli import main
from jpegaf.samples import sample_paths


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """A folder with one never-compressed PNG in `photos/`, an empty `empty/`, a text file."""
    (tmp_path / "photos").mkdir()
    shutil.copyfile(sample_paths()[0], tmp_path / "photos" / "a.png")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not an image")
    monkeypatch.chdir(tmp_path)
    return tmp_path


MISUSES = [
    # compress
    ["compress", "photos/a.png", "-q", "50", "-o", "out.png"],  # JPEG bytes in a .png name
    ["compress", "photos/a.png", "-q", "500", "-o", "out.jpg"],
    ["compress", "notes.txt", "-q", "50", "-o", "out.jpg"],
    ["compress", "missing.png", "-q", "50", "-o", "out.jpg"],
    # info
    ["info", "photos/a.png"],
    ["info", "missing.jpg"],
    # erase
    ["erase", "photos", "-o", "out"],  # a folder without JPEGs
    ["erase", "photos/a.png", "-o", "out.png"],  # not a JPEG
    ["erase", "missing.jpg", "-o", "out.png"],
    ["erase", "photos/a.png", "-o", "out.jpg"],  # would re-encode as JPEG
    ["erase", "photos/a.png", "-o", "out.png", "--method", "f3", "--generator", "g.safetensors"],
    ["erase", "photos/a.png", "-o", "out.png", "--generator", "g.safetensors"],  # auto takes no --generator
    ["erase", "photos/a.png", "-o", "out.png", "--method", "f3", "--ensemble", "4"],  # no generator to average
    ["erase", "photos/a.png", "-o", "out.png", "--method", "gan", "--ensemble", "3"],
    # detect
    ["detect", "missing.png"],
    ["detect", "photos/a.png", "--detectors", "K_X"],
    # evaluate
    ["evaluate", "--data", "empty", "--out", "out"],
    ["evaluate", "--data", "missing", "--out", "out"],
    ["evaluate", "--data", "photos", "--out", "out", "--sizes", "100"],
    ["evaluate", "--data", "photos", "--out", "out", "--split", "all", "--cnn", "missing.safetensors"],
    ["evaluate", "--data", "photos", "--out", "out", "--split", "all", "--generator", "photos/a.png"],
    ["evaluate", "--data", "photos", "--out", "out", "--split", "all", "--detectors", "K_X"],
    ["evaluate", "--data", "photos", "--out", "notes.txt/out", "--split", "all", "--methods", "jpeg"],
    # demo
    ["demo", "--out", "notes.txt/out", "--limit", "1"],
    ["demo", "--out", "out", "--qualities", "0"],
    # train
    ["train", "gan", "--data", "empty", "--quality", "50", "--out", "out"],
    ["train", "gan", "--data", "missing", "--quality", "50", "--out", "out"],
    ["train", "detector", "--data", "empty", "--size", "64", "--quality", "50", "--out", "out"],
    ["train", "detector", "--data", "photos", "--size", "64", "--quality", "50", "--generator",
     "g.safetensors", "--out", "out"],
    ["train", "detector", "--data", "photos", "--size", "64", "--quality", "90", "--negatives", "gan",
     "--out", "out"],
    ["train", "detector", "--data", "photos", "--size", "64", "--quality", "50", "--workers", "-3", "--out", "out"],
    ["train", "gan", "--data", "photos", "--quality", "50", "--phase1-epochs", "-1", "--out", "out"],
    ["train", "gan", "--data", "photos", "--quality", "50", "--d-lr", "0", "--no-perceptual", "--out", "out"],
    ["train", "gan", "--data", "photos", "--quality", "50", "--phase1-lr", "-1e-4", "--no-perceptual", "--out", "out"],
    ["train", "gan", "--data", "photos", "--quality", "50", "--gamma", "-1", "--no-perceptual", "--out", "out"],
    # data
    ["data", "check", "missing"],
    ["data", "build-corpus", "notes.txt/corpus", "--from", "empty"],
]


@pytest.mark.parametrize("argv", MISUSES, ids=lambda a: " ".join(a))
def test_misuse_is_one_line_exit_2_and_leaves_nothing(argv, workdir, capsys):
    before = sorted(p.relative_to(workdir).as_posix() for p in workdir.rglob("*"))
    with pytest.raises(SystemExit) as e:
        raise SystemExit(main(argv))
    err = capsys.readouterr().err
    assert e.value.code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("jpegaf"), err
    after = sorted(p.relative_to(workdir).as_posix() for p in workdir.rglob("*"))
    assert after == before
