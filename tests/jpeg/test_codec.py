"""The codec against Pillow's independent libjpeg-turbo build and against NumPy's DCT, on real photos."""

import io

import numpy as np
import pytest
from PIL import Image

from jpegaf import jpeg
from jpegaf.errors import InputError
from jpegaf.jpeg import (JpegCoefficients, block_dct, block_idct, compress, decompress,
                         from_coefficients, jpeg_roundtrip, quality_to_table, read_coefficients,
                         to_uint8)


def pillow_jpeg(img, quality, **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("quality", [10, 25, 50, 75, 95, 100])
def test_gray_compress_matches_pillow(photo, quality):
    ours = compress(photo, quality)
    theirs = pillow_jpeg(photo, quality)
    a, b = read_coefficients(ours), read_coefficients(theirs)
    assert np.array_equal(a.coef[0], b.coef[0])
    assert np.array_equal(a.qt[0], b.qt[0])
    # Decoded pixels: ours vs Pillow's decoder on the same file.
    assert np.array_equal(decompress(ours), np.asarray(Image.open(io.BytesIO(ours))))
    assert np.array_equal(jpeg_roundtrip(photo, quality), decompress(ours))


def test_colour_compress_and_decode_match_pillow(gray_images):
    # A real colour photo is made from three real gray photos' crops (the bundled set is gray).
    h, w = 120, 152
    rgb = np.stack([g[:h, :w] for g in gray_images[:3]], axis=2)
    ours = compress(rgb, 75)
    theirs = pillow_jpeg(rgb, 75)
    a, b = read_coefficients(ours), read_coefficients(theirs)
    assert a.n_components == 3 and a.sampling == ((2, 2), (1, 1), (1, 1))
    for ca, cb in zip(a.coef, b.coef):
        assert np.array_equal(ca, cb)
    assert np.array_equal(decompress(ours), np.asarray(Image.open(io.BytesIO(ours))))
    assert decompress(ours).shape == (h, w, 3)


def test_decompress_luma_is_the_files_own_y_plane(gray_images):
    h, w = 120, 152
    rgb = np.stack([g[:h, :w] for g in gray_images[:3]], axis=2)
    data = compress(rgb, 75)
    y = jpeg.decompress_luma(data)
    # Pillow's draft mode decodes the Y component alone (its libjpeg-turbo, same ISLOW IDCT).
    with Image.open(io.BytesIO(data)) as im:
        im.draft("L", im.size)
        assert im.mode == "L"
        assert np.array_equal(y, np.asarray(im))
    # It is the inverse DCT of the Y coefficients, rounded: not a luma of the upsampled RGB.
    coefs = read_coefficients(data)
    expected = jpeg.to_uint8(block_idct(coefs.coef[0] * coefs.qt[0]))[:h, :w]  # float IDCT: off by <= 1
    assert np.abs(y.astype(int) - expected).max() <= 1
    assert not np.array_equal(y, np.clip(np.floor(0.299 * decompress(data)[..., 0] + 0.587 * decompress(data)[..., 1]
                                                   + 0.114 * decompress(data)[..., 2] + 0.5), 0, 255))
    gray = compress(gray_images[0][:64, :64], 50)
    assert np.array_equal(jpeg.decompress_luma(gray), decompress(gray))


def test_coefficients_are_the_orthonormal_block_dct(gray_images):
    img = gray_images[1][:256, :256]
    coefs = read_coefficients(compress(img, 90))
    expected = np.round(block_dct(img) / coefs.qt[0])
    # libjpeg's integer DCT rounds differently from float64 for a few coefficients only.
    assert (expected == coefs.coef[0]).mean() > 0.99
    assert np.abs(expected - coefs.coef[0]).max() <= 1
    # Decoding in float agrees with libjpeg's integer IDCT to one grey level.
    assert np.abs(to_uint8(block_idct(coefs.dequantized())).astype(int) - decompress(compress(img, 90))).max() <= 1


def test_sizes_not_multiple_of_8(photo):
    assert photo.shape == (203, 141)
    data = compress(photo, 50)
    coefs = read_coefficients(data)
    assert (coefs.height, coefs.width) == (203, 141)
    assert coefs.coef[0].shape == (26, 18, 8, 8)
    assert decompress(data).shape == (203, 141)


@pytest.mark.parametrize("kw", [{}, {"progressive": True}, {"subsampling": 1}, {"subsampling": 0}])
def test_from_coefficients_round_trips_files(gray_images, kw):
    rgb = np.stack([g[:97, :131] for g in gray_images[:3]], axis=2)
    original = pillow_jpeg(rgb, 60, **kw)
    coefs = read_coefficients(original)
    assert coefs.progressive == bool(kw.get("progressive"))
    rebuilt = from_coefficients(coefs)
    assert np.array_equal(decompress(rebuilt), decompress(original))
    again = read_coefficients(rebuilt)
    assert all(np.array_equal(x, y) for x, y in zip(again.coef, coefs.coef))


def test_from_coefficients_builds_image_from_edited_coefficients(photo):
    coefs = read_coefficients(compress(photo, 50))
    flat = coefs.coef[0].copy()
    flat[:, :, 1:, :] = 0
    flat[:, :, :, 1:] = 0  # keep DC only: every block becomes flat
    img = decompress(from_coefficients(JpegCoefficients(
        coef=(flat,), qt=coefs.qt, height=coefs.height, width=coefs.width,
        sampling=coefs.sampling, progressive=False)))
    blocks = img[:200, :136].reshape(25, 8, 17, 8)
    assert np.all(blocks.max(axis=(1, 3)) - blocks.min(axis=(1, 3)) == 0)


def test_explicit_tables(photo):
    table = np.full((8, 8), 7, np.uint16)
    coefs = read_coefficients(compress(photo, qt=table))
    assert np.all(coefs.qt[0] == 7)
    assert np.array_equal(compress(photo, qt=quality_to_table(40)), compress(photo, 40))


def test_compress_refuses_bad_arguments(photo):
    with pytest.raises(ValueError, match="1..100"):
        compress(photo, 0)
    with pytest.raises(ValueError, match="1..100"):
        compress(photo, 75.5)
    with pytest.raises(ValueError, match="exactly one"):
        compress(photo, 50, qt=quality_to_table(50))
    with pytest.raises(ValueError, match="uint8"):
        compress(photo.astype(np.uint16), 50)
    with pytest.raises(ValueError, match="smaller than one 8x8 block"):
        compress(photo[:7, :20], 50)
    with pytest.raises(ValueError, match="1..32767"):
        compress(photo, qt=np.zeros((8, 8), np.uint16))


def test_comment_records_versions(photo):
    data = compress(photo, 50, comment=jpeg.libjpeg_version())
    assert b"libjpeg turbo210" in data
    assert np.array_equal(decompress(data), decompress(compress(photo, 50)))


def test_pinned_version_is_restored_if_changed_elsewhere(photo):
    import jpeglib
    jpeglib.version.set("9e")
    compress(photo, 50)
    assert jpeglib.version.get() == jpeg.LIBJPEG_VERSION


def test_turbo_matches_libjpeg_6b(photo):
    # libjpeg-turbo's ISLOW path is bit-exact with IJG 6b, the anti-forensics literature's codec.
    import jpeglib
    ours = read_coefficients(compress(photo, 75)).coef[0]
    with jpeglib.version("6b"):
        jpeglib.from_spatial(photo[:, :, None]).write_spatial(_tmp(), qt=75)
    assert np.array_equal(ours, read_coefficients(_tmp()).coef[0])


def _tmp():
    import os
    import tempfile
    return os.path.join(tempfile.gettempdir(), "jpegaf-test-6b.jpg")


# --- damaged files -------------------------------------------------------------------------

@pytest.fixture()
def good_jpeg(photo, tmp_path):
    path = tmp_path / "good.jpg"
    path.write_bytes(compress(photo, 75))
    return path


def test_truncated_file_is_refused(good_jpeg, tmp_path):
    data = good_jpeg.read_bytes()
    for cut in (len(data) - 2, len(data) // 2, 300, 10):
        bad = tmp_path / f"cut{cut}.jpg"
        bad.write_bytes(data[:cut])
        with pytest.raises(InputError, match=r"cut\d+\.jpg: truncated"):
            decompress(bad)
        with pytest.raises(InputError, match="truncated"):
            read_coefficients(bad)


def test_invalid_marker_in_scan_data_is_refused(good_jpeg, tmp_path):
    data = bytearray(good_jpeg.read_bytes())
    i = data.find(b"\xff\xda") + 200
    data[i:i + 2] = b"\xff\x12"  # a reserved marker code where entropy-coded data should be
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="bad.jpg: corrupt JPEG \\(invalid marker 0xFF12"):
        decompress(bad)


def test_damaged_entropy_data_is_refused(good_jpeg, tmp_path):
    # Flipped bits that create no marker: only libjpeg's Huffman decoder notices, and it only
    # prints a warning and returns a damaged image; the codec turns that warning into an error.
    data = bytearray(good_jpeg.read_bytes())
    sos = data.find(b"\xff\xda")
    for i in range(sos + 60, len(data) - 60, 50):
        if data[i] not in (0xFF, 0x00) and data[i] ^ 0x5A != 0xFF:
            data[i] ^= 0x5A
    bad = tmp_path / "flipped.jpg"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"flipped.jpg: corrupt JPEG \(libjpeg: Corrupt JPEG data"):
        decompress(bad)
    with pytest.raises(InputError, match="libjpeg"):
        read_coefficients(bad)


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"hello world, not an image", "not a JPEG"),
    (b"\x89PNG\r\n\x1a\n0000", "not a JPEG"),
])
def test_not_a_jpeg(tmp_path, content, problem):
    path = tmp_path / "x.jpg"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        decompress(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_coefficients(tmp_path / "nope.jpg")
