"""scripts/unseen_sources.py, set 6: the constants obey check_set6(), and check_set6() refuses the
violations it is there to catch. The rules every later set shares are tested in
test_unseen_sources_later_sets.py. No network, no download.

Set 6 was completed by a third search (results/unseen6/README.md): its 20 photographs are fixed.
The three readers new in set 6 (VICAR, a plane of a FITS cube, a stream of an Olympus OIB file)
are tested on small files made here."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("unseen_sources", "unseen_sources_set6")


def test_set6_constants_pass_their_own_check(script):
    script.check_set6()
    assert script.MIN_PHOTOS6 == 20
    assert script.MAX_PER_PACKAGE6 == 2
    assert script.DEFAULT_CACHE6.name == "unseen6-sources"
    assert {p.origin for p in script.PHOTOS6} <= {"lossless capture", "undocumented"}
    # 8-bit files read as they are, a camera raw file (rawpy), a plane of a 16-bit microscopy
    # stack (tifffile), FITS frames, a plane of a FITS cube and VICAR frames (stretched): the
    # last two readers are new in set 6.
    # The OIB reader is new too.
    assert {p.convert for p in script.PHOTOS6} <= {"luma", "camera-raw", "tiff-plane",
                                                  "fits-stretch", "fits-cube-stretch",
                                                  "vicar-stretch", "oib-stretch"}
    # A plane (a TIFF page, a FITS HDU, an OIB stream) only where the reader takes one, and
    # always for an OIB file.
    assert all(p.plane is None or p.convert in ("tiff-plane", "fits-stretch", "fits-cube-stretch",
                                                "oib-stretch")
               for p in script.PHOTOS6)
    assert all(p.plane is not None for p in script.PHOTOS6 if p.convert == "oib-stretch")
    # Every exclusion is written down with a reason.
    assert script.REJECTED6 and all(what and why for what, why in script.REJECTED6)


def test_set6_is_complete(script):
    # The set was fixed at twenty photographs from fifteen packages (results/unseen6/README.md).
    assert len(script.PHOTOS6) == script.MIN_PHOTOS6 == 20
    assert len(script.SOURCES6) == 15


def test_set6_does_not_touch_the_earlier_sets(script):
    assert script.MIN_PHOTOS5 == 20 and script.MAX_PER_PACKAGE5 == 2
    assert script.DEFAULT_CACHE5.name == "unseen5-sources"
    assert len(script.PHOTOS5) == 20
    assert not ({s.package.name for s in script.SOURCES6}
                & {s.package.name for s in script.SOURCES + script.SOURCES2 + script.SOURCES3
                   + script.SOURCES4 + script.SOURCES5})


def _swap(monkeypatch, script, **constants):
    for name, value in constants.items():
        monkeypatch.setattr(script, name, value)


def _renamed(source, name):
    return dataclasses.replace(source, package=dataclasses.replace(source.package, name=name))


@pytest.mark.parametrize("earlier", ["SOURCES5", "SOURCES4", "SOURCES"])
def test_set6_check_refuses_a_package_of_an_earlier_set(script, monkeypatch, earlier):
    reused = _renamed(script.SOURCES6[0], getattr(script, earlier)[0].package.name)
    _swap(monkeypatch, script, SOURCES6=(reused,) + script.SOURCES6[1:])
    with pytest.raises(AssertionError):
        script.check_set6()


@pytest.mark.parametrize("name, rejected_by", [("pybullet", "REJECTED5"), ("gem-doc", "REJECTED4")])
def test_set6_check_refuses_a_package_rejected_by_an_earlier_set(script, monkeypatch, name,
                                                                  rejected_by):
    assert name in script._named(getattr(script, rejected_by))
    rejected = _renamed(script.SOURCES6[0], name)
    _swap(monkeypatch, script, SOURCES6=(rejected,) + script.SOURCES6[1:])
    with pytest.raises(AssertionError):
        script.check_set6()


def test_main_offers_set6(script, tmp_path):
    not_empty = tmp_path / "out"
    not_empty.mkdir()
    (not_empty / "x").write_text("")
    # --set 6 is accepted by the parser (the run stops at the non-empty folder, before any
    # download); --set 8 is not (set 7 exists since the set-7 search).
    with pytest.raises(SystemExit) as stop:
        script.main([str(not_empty), "--set", "6"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        script.main([str(tmp_path / "fresh"), "--set", "8"])


def _vicar(path, pixels, fmt="HALF", intfmt="LOW", realfmt="RIEEE", nbb=0, nlb=0, extra=""):
    """A VICAR file: the label padded to LBLSIZE (a multiple of RECSIZE), NLB binary header
    records, then one record per line of NBB prefix bytes and the samples."""
    nl, ns = pixels.shape
    dtype = {"BYTE": "u1", "HALF": "i2", "FULL": "i4", "REAL": "f4", "DOUB": "f8"}[fmt]
    order = ">" if (intfmt == "HIGH" if dtype[0] in "ui" else realfmt == "IEEE") else "<"
    recsize = nbb + pixels.dtype.itemsize * ns
    body = f"FORMAT='{fmt}' TYPE='IMAGE' ORG='BSQ' NL={nl} NS={ns} NB=1 RECSIZE={recsize} " \
           f"NBB={nbb} NLB={nlb} INTFMT='{intfmt}' REALFMT='{realfmt}' {extra}"
    lblsize = -(-(len(body) + 20) // recsize) * recsize
    label = f"LBLSIZE={lblsize} {body}".ljust(lblsize).encode("ascii")
    records = b"".join(b"\x07" * nbb + row.astype(order + dtype).tobytes() for row in pixels)
    path.write_bytes(label + b"\x01" * (nlb * recsize) + records)
    return path


def test_read_vicar_skips_prefix_bytes_and_header_records(script, tmp_path):
    import numpy as np

    half = np.arange(-60, 60, dtype=np.int16).reshape(8, 15) * 97
    got = script.read_vicar(_vicar(tmp_path / "h.img", half, nbb=6, nlb=2,
                                   extra="TASK='X' NL=3 NS=3"))  # history repeats keys
    assert got.dtype == np.float64 and np.array_equal(got, half)
    big = script.read_vicar(_vicar(tmp_path / "hb.img", half, intfmt="HIGH"))
    assert np.array_equal(big, half)
    real = (np.arange(42, dtype=np.float32).reshape(6, 7) - 20.5) / 3
    assert np.array_equal(script.read_vicar(_vicar(tmp_path / "r.img", real, fmt="REAL")), real)
    assert np.array_equal(script.read_vicar(_vicar(tmp_path / "rb.img", real, fmt="REAL",
                                                   realfmt="IEEE")), real)
    byte = np.arange(64, dtype=np.uint8).reshape(8, 8) * 3
    path = _vicar(tmp_path / "b.img", byte, fmt="BYTE", nbb=200)
    img, opaque = script.to_luma(path, "vicar-stretch")
    assert opaque is None and np.array_equal(img, script.stretch16(byte.astype(np.float64)))


def test_read_vicar_refuses_what_it_does_not_read(script, tmp_path):
    import numpy as np

    real = np.ones((4, 4), np.float32)
    with pytest.raises(ValueError, match="byte order VAX"):
        script.read_vicar(_vicar(tmp_path / "vax.img", real, fmt="REAL", realfmt="VAX"))
    two_bands = _vicar(tmp_path / "nb.img", np.zeros((4, 4), np.int16))
    two_bands.write_bytes(two_bands.read_bytes().replace(b"NB=1 ", b"NB=2 "))
    with pytest.raises(ValueError, match="one band"):
        script.read_vicar(two_bands)
    short = _vicar(tmp_path / "short.img", np.zeros((4, 4), np.int16))
    short.write_bytes(short.read_bytes()[:-3])
    with pytest.raises(ValueError, match="shorter"):
        script.read_vicar(short)
    (tmp_path / "not.img").write_bytes(b"SIMPLE  = T")
    with pytest.raises(ValueError, match="not a VICAR file"):
        script.read_vicar(tmp_path / "not.img")
    nan = np.full((4, 4), np.nan, np.float32)
    with pytest.raises(ValueError, match="non-finite"):
        script.read_vicar(_vicar(tmp_path / "nan.img", nan, fmt="REAL"))


def _fits_cube(path, cube, bitpix=-32, extra=()):
    """A FITS file whose primary array is ``cube`` (planes, rows, columns), big-endian, with a
    header of more than one 2880-byte block when ``extra`` is long."""
    nz, ny, nx = cube.shape
    cards = [f"SIMPLE  = {'T':>20}", f"BITPIX  = {bitpix:>20}", f"NAXIS   = {3:>20}",
             f"NAXIS1  = {nx:>20}", f"NAXIS2  = {ny:>20}", f"NAXIS3  = {nz:>20}", *extra, "END"]
    header = "".join(c.ljust(80) for c in cards)
    header = header.ljust(-(-len(header) // 2880) * 2880)
    dtype = {-32: ">f4", 16: ">i2"}[bitpix]
    data = cube.astype(dtype).tobytes()
    path.write_bytes(header.encode("ascii") + data + b"\0" * (-len(data) % 2880))
    return path


def test_read_fits_cube_plane_takes_one_plane_after_a_long_header(script, tmp_path):
    import numpy as np

    cube = np.arange(3 * 5 * 7, dtype=np.float32).reshape(3, 5, 7) / 4 - 9
    history = [f"HISTORY step {i}" for i in range(60)]  # the header spans two blocks
    path = _fits_cube(tmp_path / "c.fits", cube, extra=history)
    for k in range(3):
        assert np.array_equal(script.read_fits_cube_plane(path, k), cube[k])
    ints = _fits_cube(tmp_path / "i.fits", np.arange(24).reshape(2, 3, 4), bitpix=16,
                      extra=[f"BSCALE  = {2.0:>20}", f"BZERO   = {1.0:>20}"])
    assert np.array_equal(script.read_fits_cube_plane(ints, 1),
                          np.arange(12, 24).reshape(3, 4) * 2.0 + 1)
    img, opaque = script.to_luma(path, "fits-cube-stretch", 2)
    assert opaque is None and np.array_equal(img, script.stretch16(cube[2].astype(np.float64)))
    with pytest.raises(ValueError, match="no plane 3"):
        script.read_fits_cube_plane(path, 3)
    bad = cube.copy()
    bad[1, 2, 3] = np.inf
    with pytest.raises(ValueError, match="plane 1 has non-finite"):
        script.read_fits_cube_plane(_fits_cube(tmp_path / "inf.fits", bad), 1)
    assert np.isfinite(script.read_fits_cube_plane(tmp_path / "inf.fits", 0)).all()
    flat = tmp_path / "flat.fits"
    flat.write_bytes(path.read_bytes().replace(b"NAXIS   =                    3",
                                               b"NAXIS   =                    2"))
    with pytest.raises(ValueError, match="2 axes, not 3"):
        script.read_fits_cube_plane(flat, 0)


def _oib(path, streams):
    """A compound (OLE2) file of 512-byte sectors, as Olympus OIB files are: sector 0 the FAT,
    sector 1 the directory (the root and one entry per stream), then each stream's data in
    consecutive sectors. ``streams`` is a list of (name, bytes)."""
    import struct

    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sector, end]
    data, starts = b"", []
    for _, blob in streams:
        n = -(-len(blob) // 512)
        start = len(fat)
        starts.append(start)
        fat += list(range(start + 1, start + n)) + [end]
        data += blob.ljust(n * 512, b"\0")
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name, kind, start, size):
        raw = name.encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw) + 2, kind, 1)
                + struct.pack("<3I", free, free, free) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, end, 0)]
    entries += [entry(name, 2, start, len(blob)) for (name, blob), start in zip(streams, starts)]
    assert len(entries) <= 4
    directory = b"".join(entries).ljust(512, b"\0")
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIII", 0, 1, 1, 0) + struct.pack("<IIIII", 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == 512
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + data)
    return path


def _tiff(array):
    import io

    import tifffile

    buffer = io.BytesIO()
    tifffile.imwrite(buffer, array)
    return buffer.getvalue()


def test_read_oib_stream_finds_the_numbered_tiff_stream(script, tmp_path):
    import numpy as np

    rng = np.random.default_rng(6)
    planes = [rng.integers(0, 4096, (48, 64), dtype=np.uint16) for _ in range(2)]
    path = _oib(tmp_path / "t.oib", [("Stream00001", _tiff(planes[0])),
                                     ("Stream00002", _tiff(planes[1]))])
    for k in (1, 2):
        assert np.array_equal(script.read_oib_stream(path, k), planes[k - 1])
    img, opaque = script.to_luma(path, "oib-stretch", 2)
    assert opaque is None and np.array_equal(img, script.stretch16(planes[1].astype(np.float64)))
    with pytest.raises(ValueError, match="needs the stream number"):
        script.to_luma(path, "oib-stretch", None)


def test_read_oib_stream_refuses_what_it_does_not_read(script, tmp_path):
    import numpy as np

    plane = _tiff(np.zeros((48, 64), np.uint16))
    path = _oib(tmp_path / "t.oib", [("Stream00001", plane), ("Stream00001", plane),
                                     ("Stream00003", _tiff(np.zeros((4, 4), np.uint16)))])
    with pytest.raises(ValueError, match="2 streams named Stream00001"):
        script.read_oib_stream(path, 1)
    with pytest.raises(ValueError, match="0 streams named Stream00002"):
        script.read_oib_stream(path, 2)
    with pytest.raises(ValueError, match="mini stream"):
        script.read_oib_stream(path, 3)
    rgb = _oib(tmp_path / "rgb.oib", [("Stream00001", _tiff(np.zeros((40, 40, 3), np.uint8)))])
    with pytest.raises(ValueError, match="not one band"):
        script.read_oib_stream(rgb, 1)
    (tmp_path / "not.oib").write_bytes(b"II*\0" + bytes(600))
    with pytest.raises(ValueError, match="not a compound"):
        script.read_oib_stream(tmp_path / "not.oib", 1)
