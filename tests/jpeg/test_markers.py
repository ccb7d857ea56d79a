"""Header checks that run before libjpeg: each damaged or unsupported file gets its own message."""

import io

import numpy as np
import pytest
from PIL import Image

from jpegaf.errors import InputError
from jpegaf.jpeg import compress, quality_to_table, read_header
from jpegaf.jpeg.markers import parse_header


@pytest.fixture()
def data(photo) -> bytes:
    return compress(photo, 75)


def _sof(data: bytes) -> int:
    return data.find(b"\xff\xc0")


def test_header_of_a_good_file(photo, data):
    h = parse_header(data)
    assert (h.width, h.height) == (photo.shape[1], photo.shape[0])
    assert h.n_components == 1 and h.precision == 8 and not h.progressive
    assert h.process == "baseline" and h.n_scans == 1
    assert np.array_equal(h.component_table(0), quality_to_table(75))


def test_progressive_colour_header(gray_images):
    rgb = np.stack([g[:64, :80] for g in gray_images[:3]], axis=2)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=50, progressive=True)
    h = parse_header(buf.getvalue())
    assert h.progressive and h.n_components == 3 and h.n_scans > 1
    assert np.array_equal(h.component_table(1), quality_to_table(50, chroma=True))


def test_zero_step_refused(data):
    d = bytearray(data)
    dqt = d.find(b"\xff\xdb")
    d[dqt + 5 + 10] = 0
    with pytest.raises(InputError, match="zero steps"):
        parse_header(bytes(d), "z.jpg")


def test_missing_table_refused(data):
    d = bytearray(data)
    d[_sof(d) + 12] = 2  # the only component now points at table 2, never defined
    with pytest.raises(InputError, match="quantization table 2 is missing"):
        parse_header(bytes(d))


def test_decompression_bomb_refused_before_decoding(data):
    d = bytearray(data)
    s = _sof(d)
    d[s + 5:s + 9] = (60000).to_bytes(2, "big") + (60000).to_bytes(2, "big")
    with pytest.raises(InputError, match="exceeds the limit"):
        parse_header(bytes(d))
    # A user can raise the limit explicitly.
    assert parse_header(bytes(d), max_pixels=60000 * 60000).width == 60000


def test_twelve_bit_and_lossless_refused(data):
    d = bytearray(data)
    d[_sof(d) + 4] = 12
    with pytest.raises(InputError, match="12-bit"):
        parse_header(bytes(d))
    d = bytearray(data)
    d[_sof(d) + 1] = 0xC3
    with pytest.raises(InputError, match="lossless"):
        parse_header(bytes(d))


def test_cmyk_refused():
    buf = io.BytesIO()
    Image.new("CMYK", (16, 16), (10, 20, 30, 40)).save(buf, "JPEG")
    with pytest.raises(InputError, match="CMYK"):
        parse_header(buf.getvalue())


def test_smaller_than_a_block_refused():
    buf = io.BytesIO()
    Image.new("L", (7, 30)).save(buf, "JPEG")
    with pytest.raises(InputError, match="smaller than one 8x8 block"):
        parse_header(buf.getvalue())


def test_message_names_the_file(tmp_path, data):
    p = tmp_path / "half.jpg"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as e:
        read_header(p)
    assert str(e.value) == f"{p}: truncated JPEG (no end-of-image marker)"


def test_trailing_bytes_after_eoi_are_tolerated(data):
    assert parse_header(data + b"\x00" * 100).n_scans == 1
