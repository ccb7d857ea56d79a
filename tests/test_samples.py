"""The bundled sample set: present, well-formed, documented, and free of JPEG history."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import jpegaf
from jpegaf.detectors.history import has_jpeg_history, jpeg_history_scores

SAMPLES = Path(jpegaf.__file__).resolve().parent / "samples"
PROVENANCE = SAMPLES / "PROVENANCE.md"


def _pngs() -> list[Path]:
    return sorted(SAMPLES.glob("*.png"))


def test_sample_count():
    assert 24 <= len(_pngs()) <= 40


def test_names_are_numbered():
    names = [p.name for p in _pngs()]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.png", n) for n in names), names
    assert [int(n[:2]) for n in names] == list(range(1, len(names) + 1))


@pytest.mark.parametrize("path", _pngs(), ids=lambda p: p.name)
def test_sample_is_clean_8bit_gray(path):
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.mode == "L"  # 8-bit grayscale
        img = np.asarray(im).copy()
    h, w = img.shape
    assert h % 8 == 0 and w % 8 == 0
    assert 128 <= h <= 512 and 128 <= w <= 512
    scores = jpeg_history_scores(img)
    assert not has_jpeg_history(img), f"{path.name}: {scores}"


def _provenance_files() -> list[str]:
    text = PROVENANCE.read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+\.png)` \|", text, flags=re.MULTILINE)


def test_provenance_lists_exactly_the_pngs():
    listed = _provenance_files()
    assert len(listed) == len(set(listed))
    assert sorted(listed) == [p.name for p in _pngs()]
    for name in listed:
        assert (SAMPLES / name).is_file()


def test_provenance_licence_files_exist():
    text = PROVENANCE.read_text(encoding="utf-8")
    referenced = set(re.findall(r"`(LICENSES/[^`]+)`", text))
    assert referenced
    for rel in referenced:
        assert (SAMPLES / rel).is_file(), rel
    assert "BOSSBase" in text and "scripts/build_samples.py" in text


def test_total_size_is_modest():
    assert sum(p.stat().st_size for p in _pngs()) <= 8 * 1024 * 1024
