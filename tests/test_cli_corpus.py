"""`jpegaf data build-corpus` misuses and bad conditions: one line on stderr, exit 2, nothing written.

(The whole pipeline on a fake package is in tests/data/test_corpus.py; the real download is a test
that runs only when asked.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jpegaf.cli import main
from jpegaf.data.corpus.sources import PACKAGES


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["data", "build-corpus", *args])
    err = capsys.readouterr().err
    return code, err


def _nothing_written(parent: Path, name: str) -> None:
    assert not (parent / name).exists()
    assert not list(parent.glob(f".{name}.partial-*"))


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_existing_output_is_refused(capsys, tmp_path):
    (tmp_path / "corpus").mkdir()
    code, err = _run(capsys, str(tmp_path / "corpus"), "--from", str(tmp_path))
    assert code == 2
    assert "already exists" in _one_line(err) and "--overwrite" in err


def test_missing_parent_folder(capsys, tmp_path):
    code, err = _run(capsys, str(tmp_path / "no" / "corpus"))
    assert code == 2 and "parent folder" in _one_line(err)


def test_missing_from_folder(capsys, tmp_path):
    code, err = _run(capsys, str(tmp_path / "corpus"), "--from", str(tmp_path / "downloads"))
    assert code == 2 and "no such folder" in _one_line(err)
    _nothing_written(tmp_path, "corpus")


def test_package_missing_from_folder(capsys, tmp_path):
    (tmp_path / "downloads").mkdir()
    code, err = _run(capsys, str(tmp_path / "corpus"), "--from", str(tmp_path / "downloads"))
    line = _one_line(err)
    assert code == 2 and PACKAGES[0].filename in line and PACKAGES[0].version in line
    _nothing_written(tmp_path, "corpus")


def test_checksum_mismatch(capsys, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / PACKAGES[0].filename).write_bytes(b"!<arch>\nnot the pinned package")
    code, err = _run(capsys, str(tmp_path / "corpus"), "--from", str(downloads))
    line = _one_line(err)
    assert code == 2 and "sha256" in line and "refusing" in line and PACKAGES[0].sha256 in line
    _nothing_written(tmp_path, "corpus")


def test_no_apt_says_use_from(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    code, err = _run(capsys, str(tmp_path / "corpus"), "--cache", str(tmp_path / "cache"))
    line = _one_line(err)
    assert code == 2 and "apt-get is not available" in line and "--from" in line
    _nothing_written(tmp_path, "corpus")
    # The cache holds no half download either.
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


@pytest.mark.parametrize("option", [["--stride", "0"], ["--stride", "x"]])
def test_bad_options(capsys, tmp_path, option):
    with pytest.raises(SystemExit) as exit_info:
        main(["data", "build-corpus", str(tmp_path / "corpus"), *option])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    _nothing_written(tmp_path, "corpus")


def test_keep_split_that_is_not_a_manifest(capsys, tmp_path):
    code, err = _run(capsys, str(tmp_path / "corpus"), "--keep-split", str(tmp_path / "old.json"))
    assert code == 2 and "old.json" in _one_line(err) and "cannot read" in err
    (tmp_path / "old.json").write_text("[1, 2]")
    code, err = _run(capsys, str(tmp_path / "corpus"), "--keep-split", str(tmp_path / "old.json"))
    assert code == 2 and "not a corpus manifest" in _one_line(err)
    _nothing_written(tmp_path, "corpus")


# --- which split a build keeps -----------------------------------------------------------------

def _asked_split(monkeypatch, tmp_path, *args: str):
    import jpegaf.data.corpus.build as build_mod

    asked = {}

    def fake_build(out_dir, **kwargs):
        asked.update(kwargs)
        raise SystemExit(0)

    monkeypatch.setattr(build_mod, "build_corpus", fake_build)
    with pytest.raises(SystemExit):
        main(["data", "build-corpus", str(tmp_path / "corpus"), *args])
    return asked["keep_split"]


def test_a_default_build_keeps_the_shipped_split(monkeypatch, tmp_path):
    from jpegaf.data.corpus.build import shipped_split

    assert _asked_split(monkeypatch, tmp_path) == shipped_split()
    assert _asked_split(monkeypatch, tmp_path, "--fresh-split") is None
    assert _asked_split(monkeypatch, tmp_path, "--seed", "3") is None
    old = tmp_path / "old.json"
    old.write_text('{"scenes": {"a": "test", "b": "train"}}')
    assert _asked_split(monkeypatch, tmp_path, "--keep-split", str(old)) == {"a": "test", "b": "train"}


def test_the_shipped_split_is_the_shipped_corpus_split():
    """split.json puts every scene of the recorded shipped corpus in the part that corpus has,
    and every scene of the bundled held-out photographs in the test part."""
    import json

    from jpegaf.data.corpus.build import shipped_split

    root = Path(__file__).resolve().parents[1]
    recorded = json.loads((root / "results" / "corpus" / "corpus.json").read_text())
    pinned = shipped_split()
    assert recorded["kept_split"] == pinned
    assert all(pinned[scene] == part for scene, part in recorded["scenes"].items())
    assert set(pinned.values()) == {"train", "calibration", "test"}
    heldout = json.loads((root / "src" / "jpegaf" / "heldout" / "corpus.json").read_text())
    assert heldout["scenes"] and all(pinned[scene] == "test" for scene in heldout["scenes"])
