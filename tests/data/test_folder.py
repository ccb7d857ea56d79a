"""Tests of jpegaf.data.folder: scanning and checking folders, loading luma, train/test split."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jpegaf import jpeg
from jpegaf.data import (
    FolderScan,
    Split,
    format_report,
    image_size,
    load_luma,
    dataset_parts,
    scan_folder,
    split_files,
)
from jpegaf.data.folder import SPLIT_FILE, identity_fraction
from jpegaf.errors import InputError
from jpegaf.imageio import read_image, to_luma, write_image

JPEG_REASON = "is a JPEG file, but a never-compressed image is required"


@pytest.fixture
def messy_folder(tmp_path, real_files, real_rgb) -> tuple[Path, dict[str, str | None]]:
    """A folder mixing good and bad files; returns it and {relative name: expected reason or None}.

    A reason of "" means "refused, any reason"; reasons are matched as substrings.
    """
    folder = tmp_path / "messy"
    folder.mkdir()
    expected: dict[str, str | None] = {}
    for src in real_files[:4]:  # PNG, PGM, TIFF, BMP
        shutil.copy(src, folder / src.name)
        expected[src.name] = None
    gray = load_luma(real_files[0])

    write_image(folder / "colour.png", real_rgb)
    expected["colour.png"] = None
    (folder / "photo.jpg").write_bytes(jpeg.compress(gray, 90))
    expected["photo.jpg"] = JPEG_REASON
    (folder / "disguised.png").write_bytes(jpeg.compress(gray, 90))
    expected["disguised.png"] = JPEG_REASON
    png = real_files[0].read_bytes()
    assert png.startswith(b"\x89PNG")  # the fixture writes image 0 as PNG
    (folder / "truncated.png").write_bytes(png[: len(png) * 6 // 10])
    expected["truncated.png"] = "truncated or corrupt PNG"
    (folder / "notes.png").write_text("not an image at all\n")
    expected["notes.png"] = "not an image"
    Image.fromarray(gray.astype(np.uint16) * 257).save(folder / "deep.png")
    expected["deep.png"] = "16-bit"
    write_image(folder / "tiny.png", np.ascontiguousarray(gray[:10, :10]))
    expected["tiny.png"] = "image of 10x10 pixels is smaller than the 64x64 minimum"
    (folder / "readme.txt").write_text("ignored\n")
    (folder / "data.npy").write_bytes(b"\x93NUMPY")
    sub = folder / "sub"
    sub.mkdir()
    shutil.copy(real_files[4], sub / real_files[4].name)
    return folder, expected


def _names(scan: FolderScan) -> tuple[list[str], dict[str, str]]:
    usable = [p.relative_to(scan.root).as_posix() for p in scan.usable]
    refused = {p.relative_to(scan.root).as_posix(): r for p, r in scan.refused}
    return usable, refused


def test_scan_sorts_accepts_and_refuses_with_reasons(messy_folder):
    folder, expected = messy_folder
    scan = scan_folder(folder, progress=False)
    usable, refused = _names(scan)
    assert usable == sorted(n for n, r in expected.items() if r is None)
    assert sorted(refused) == sorted(n for n, r in expected.items() if r is not None)
    for name, reason in refused.items():
        assert expected[name] in reason, (name, reason)
    assert [p.name for p in scan.ignored] == ["data.npy", "readme.txt"]
    assert scan.n_checked == len(expected)
    # The file order is by relative path, whatever the OS listing order.
    assert [p for p, _ in scan.refused] == sorted((p for p, _ in scan.refused), key=lambda p: p.name)


def test_scan_recursive_and_min_size(messy_folder, real_files):
    folder, expected = messy_folder
    scan = scan_folder(folder, recursive=True, progress=False)
    usable, _ = _names(scan)
    assert f"sub/{real_files[4].name}" in usable
    assert usable == sorted(usable)
    # A larger minimum refuses real images that are too small, with their size in the reason.
    sizes = {p.name: image_size(p) for p in real_files[:4]}
    limit = min(min(s) for s in sizes.values()) + 1
    strict = scan_folder(folder, min_size=limit, progress=False)
    _, refused = _names(strict)
    smallest = min(sizes, key=lambda n: min(sizes[n]))
    assert f"smaller than the {limit}x{limit} minimum" in refused[smallest]


def test_scan_with_workers_gives_the_same_result(messy_folder):
    folder, _ = messy_folder
    one = scan_folder(folder, recursive=True, progress=False)
    two = scan_folder(folder, recursive=True, workers=2, progress=False)
    assert one == two


def test_scan_rejects_missing_folder_and_file(tmp_path, real_files):
    with pytest.raises(InputError, match="no such folder"):
        scan_folder(tmp_path / "absent")
    with pytest.raises(InputError, match="not a folder"):
        scan_folder(real_files[0])


def test_format_report_lists_counts_then_refused_files(messy_folder):
    folder, expected = messy_folder
    scan = scan_folder(folder, progress=False)
    lines = format_report(scan).splitlines()
    n_refused = sum(r is not None for r in expected.values())
    assert f"{len(expected)} image files checked" in lines[0]
    assert f"{len(expected) - n_refused} usable, {n_refused} refused" in lines[0]
    assert "2 other files ignored" in lines[0]
    assert len(lines) == 1 + n_refused
    assert f"{folder / 'photo.jpg'}: {JPEG_REASON}" in lines


def test_load_luma_converts_rgb_and_refuses_jpeg(tmp_path, real_rgb, real_files):
    write_image(tmp_path / "rgb.png", real_rgb)
    np.testing.assert_array_equal(load_luma(tmp_path / "rgb.png"), to_luma(real_rgb))
    gray = load_luma(real_files[1])
    assert gray.dtype == np.uint8 and gray.ndim == 2
    np.testing.assert_array_equal(gray, read_image(real_files[1]))
    (tmp_path / "x.png").write_bytes(jpeg.compress(gray, 80))
    with pytest.raises(InputError, match="JPEG"):
        load_luma(tmp_path / "x.png")


def test_image_size_reads_headers(tmp_path, real_files):
    for path in real_files:
        assert image_size(path) == read_image(path).shape[:2]
    (tmp_path / "x.png").write_bytes(jpeg.compress(load_luma(real_files[0]), 80))
    with pytest.raises(InputError, match="JPEG"):
        image_size(tmp_path / "x.png")
    (tmp_path / "t.png").write_text("text")
    with pytest.raises(InputError, match="not an image"):
        image_size(tmp_path / "t.png")


FILES = [Path(f"set{i % 3}/img{i:05d}.pgm") for i in range(1000)]


def test_split_is_a_deterministic_partition_by_identity():
    split = split_files(FILES, seed=7)
    assert isinstance(split, Split)
    assert 160 <= len(split.test) <= 240 and len(split.train) + len(split.test) == 1000  # 200 +- 3 sigma
    assert set(split.train).isdisjoint(split.test)
    assert set(split.train) | set(split.test) == set(FILES)
    assert split == split_files(FILES, seed=7)
    assert split != split_files(FILES, seed=8)
    assert split.train == sorted(split.train, key=lambda p: p.as_posix())
    # the rule itself: test iff the seeded hash of the identity is below the fraction
    assert all((identity_fraction(p.as_posix(), 7) < 0.2) == (p in split.test) for p in FILES)


def test_split_of_a_file_depends_on_nothing_but_its_identity_and_the_seed():
    whole = split_files(FILES, seed=3)
    half = split_files(FILES[::2], seed=3)  # other files removed: nobody changes part
    assert set(half.test) == set(whole.test) & set(FILES[::2])
    more = split_files(FILES + [Path(f"new/{i}.pgm") for i in range(500)], seed=3)
    assert set(whole.test) <= set(more.test) and set(whole.train) <= set(more.train)
    # identities are relative to the root: the same folder elsewhere splits the same way
    moved = split_files([Path("/data/elsewhere") / f for f in FILES], root="/data/elsewhere", seed=3)
    assert [p.relative_to("/data/elsewhere") for p in moved.test] == whole.test


def test_split_ignores_input_order_and_accepts_strings():
    shuffled = [FILES[i] for i in np.random.default_rng(3).permutation(len(FILES))]
    assert split_files(shuffled, seed=1) == split_files(FILES, seed=1)
    assert split_files([str(f) for f in reversed(FILES)], seed=1) == split_files(FILES, seed=1)


def test_split_paper_proportions_and_bad_arguments():
    files = [Path(f"{i:05d}.pgm") for i in range(20000)]
    split = split_files(files)
    assert abs(len(split.test) - 4000) <= 3 * 57  # binomial(20,000, 0.2): sd 57
    assert split_files(FILES, test_fraction=0.0).test == []
    assert split_files(FILES, test_fraction=1.0).train == []
    with pytest.raises(ValueError):
        split_files(FILES, test_fraction=1.5)
    with pytest.raises(ValueError, match="duplicate"):
        split_files(FILES + FILES[:1])


def test_a_folder_split_file_is_used_and_checked(tmp_path, real_files):
    for i, src in enumerate(real_files[:3]):
        write_image(tmp_path / f"{i}.png", load_luma(src))
    (tmp_path / SPLIT_FILE).write_text("file,part\n0.png,train\n1.png,test\n2.png,train\n")
    parts = dataset_parts(tmp_path, test_fraction=0.9, seed=5)  # the file wins over both
    assert parts.test == [tmp_path / "1.png"] and parts.train == [tmp_path / "0.png", tmp_path / "2.png"]
    write_image(tmp_path / "3.png", load_luma(real_files[0]))  # an image the file does not list
    with pytest.raises(InputError, match="does not list 1 image"):
        dataset_parts(tmp_path)
    (tmp_path / "3.png").unlink()
    (tmp_path / "2.png").unlink()  # a listed image that is gone
    with pytest.raises(InputError, match="missing file"):
        dataset_parts(tmp_path)
    (tmp_path / SPLIT_FILE).write_text("file,part\n0.png,validation\n")
    with pytest.raises(InputError, match="part train or test"):
        dataset_parts(tmp_path)
