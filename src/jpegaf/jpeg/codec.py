"""The only module that calls libjpeg (through jpeglib).

Forensic traces are the real codec's traces: quantization in the integer ISLOW DCT, rounding,
clipping, chroma upsampling. So compression and decoding always go through a real libjpeg, whose
version is pinned here, in one place, and recorded by everything that depends on it.

jpeglib works on files, so every call goes through a temporary file; a call costs a few
milliseconds for a 512x512 image.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar, Union

import jpeglib
import numpy as np

from ..errors import InputError, read_input_bytes
from .markers import DEFAULT_MAX_PIXELS, JpegHeader, parse_header
from .tables import check_quality, quality_to_table

#: The libjpeg build every JPEG of this project is made and read with: libjpeg-turbo 2.1.0 with
#: the default integer (ISLOW) DCT, whose output is identical to IJG libjpeg 6b (the version the
#: anti-forensics literature used) and to the libjpeg-turbo bundled in Pillow.
LIBJPEG_VERSION = "turbo210"
# jpeglib reads its version from its package metadata: a copy of the package without its
# dist-info folder (as once carried to a machine with no package index) reports None, which a
# model card must not record as if it were a version.
JPEGLIB_VERSION = jpeglib.__version__ or "unknown (no package metadata)"

Source = Union[str, os.PathLike, bytes]
T = TypeVar("T")


def libjpeg_version() -> str:
    """A label of the libjpeg in use, for outputs that depend on it: ``jpeglib 1.0.2 / turbo210``."""
    return f"jpeglib {JPEGLIB_VERSION} / libjpeg {LIBJPEG_VERSION}"


def _pin_libjpeg() -> None:
    # jpeglib's version is process-wide state that any import of jpeglib elsewhere can change,
    # and a spawned DataLoader worker starts unset: check it on every call (a string compare).
    if jpeglib.version.get() != LIBJPEG_VERSION:
        jpeglib.version.set(LIBJPEG_VERSION)


@contextlib.contextmanager
def _temp_path(suffix: str = ".jpg") -> Iterator[str]:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="jpegaf-")
    os.close(fd)
    try:
        yield name
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)


# libjpeg reports damaged data as *warnings*, printed on the C-level stderr, and then returns an
# image with the damaged part filled in. A forensic tool must not silently analyse such pixels, so
# we capture those messages and turn them into errors. "Extraneous bytes before marker" is the one
# warning that leaves the decoded data intact (common in files written by some cameras).
_HARMLESS_WARNINGS = ("extraneous bytes before marker",)


@contextlib.contextmanager
def _libjpeg_messages() -> Iterator[list[str]]:
    """Collect what libjpeg prints on file descriptor 2 during the block."""
    messages: list[str] = []
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield messages
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            messages.extend(line for line in sink.read().decode("utf-8", "replace").splitlines() if line)


def _raise_on_damage(messages: list[str], path: str | None) -> None:
    for m in messages:
        if not any(h in m.lower() for h in _HARMLESS_WARNINGS):
            raise InputError(path, f"corrupt JPEG (libjpeg: {m.strip()})")


def _read_source(source: Source, max_pixels: int) -> tuple[bytes, str | None, JpegHeader]:
    """Bytes of a JPEG, the path to name in messages, and its checked header."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, path = bytes(source), None
    else:
        path = os.fspath(source)
        data = read_input_bytes(path)
    return data, path, parse_header(data, path, max_pixels)


@dataclass(frozen=True)
class JpegCoefficients:
    """The quantized DCT coefficients and tables of a JPEG file, read losslessly.

    Attributes:
        coef: per component, int16 array of shape (blocks_high, blocks_wide, 8, 8); ``coef[i, j, u, v]``
            is the quantization index of frequency (u, v) (vertical, horizontal) of block (i, j).
            Component 0 is luma (or the only gray component). Blocks cover the image padded to
            whole MCUs, so there may be more blocks than ``ceil(height / 8)``.
        qt: per component, the (8, 8) uint16 table in natural order used by that component.
        height, width: image size in pixels (not necessarily multiples of 8).
        sampling: per component, (vertical, horizontal) sampling factors.
        progressive: whether the file was progressive (coefficients are the same either way).
    """

    coef: tuple[np.ndarray, ...]
    qt: tuple[np.ndarray, ...]
    height: int
    width: int
    sampling: tuple[tuple[int, int], ...]
    progressive: bool

    @property
    def n_components(self) -> int:
        return len(self.coef)

    def dequantized(self, component: int = 0) -> np.ndarray:
        """Dequantized coefficients ``coef * qt`` (float64), what the decoder's IDCT sees."""
        return self.coef[component].astype(np.float64) * self.qt[component].astype(np.float64)


def read_header(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> JpegHeader:
    """Read and check a JPEG's markers without decoding (see :func:`markers.parse_header`)."""
    return _read_source(source, max_pixels)[2]


def _with_libjpeg(source: Source, max_pixels: int, read: Callable[[str], T]) -> tuple[T, JpegHeader]:
    """``read(file)`` by the pinned libjpeg on a checked JPEG (written to a private temporary file),
    and its header; damage that libjpeg reports, even as a warning, is an InputError."""
    data, path, header = _read_source(source, max_pixels)
    _pin_libjpeg()
    with _temp_path() as tmp:
        Path(tmp).write_bytes(data)
        with _libjpeg_messages() as messages:
            try:
                result = read(tmp)
            except OSError as e:
                raise InputError(path, f"corrupt JPEG ({e})") from None
        _raise_on_damage(messages, path)
    return result, header


def _decode(source: Source, max_pixels: int, colour_space=None) -> np.ndarray:
    """libjpeg's spatial output (H, W, C) of a checked JPEG."""
    return _with_libjpeg(source, max_pixels,
                         lambda tmp: jpeglib.read_spatial(tmp, out_color_space=colour_space).spatial)[0]


def decompress(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode a JPEG file (path or bytes) to uint8 pixels: (H, W) for gray, (H, W, 3) RGB for colour.

    Uses libjpeg's defaults (ISLOW IDCT, fancy upsampling), as every common viewer does.
    """
    img = _decode(source, max_pixels)
    return np.ascontiguousarray(img[:, :, 0] if img.shape[2] == 1 else img)


def decompress_luma(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode only the luma of a JPEG file: (H, W) uint8, the file's own Y plane.

    libjpeg's grayscale output of a YCbCr file is its Y component after the inverse DCT, with no
    colour conversion and no chroma decoded; a gray file decodes as it is. This is the luma that
    was quantized, not a BT.601 luma recomputed from upsampled RGB (which would differ by rounding).
    Files in other colour spaces (CMYK, YCCK) are refused before decoding by the header check.
    """
    return np.ascontiguousarray(_decode(source, max_pixels, jpeglib.Colorspace.JCS_GRAYSCALE)[:, :, 0])


def read_coefficients(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> JpegCoefficients:
    """Read the quantized DCT coefficients and tables of a JPEG (baseline or progressive)."""
    def read(tmp: str):
        jpeg = jpeglib.read_dct(tmp)
        jpeg.load()  # the coefficients are read while the file still exists
        return jpeg

    jpeg, header = _with_libjpeg(source, max_pixels, read)
    planes = [jpeg.Y] + ([jpeg.Cb, jpeg.Cr] if jpeg.Cb is not None else [])
    tables = tuple(header.component_table(i).copy() for i in range(len(planes)))
    return JpegCoefficients(
        coef=tuple(np.ascontiguousarray(p) for p in planes),
        qt=tables,
        height=header.height,
        width=header.width,
        sampling=tuple((c.v_sampling, c.h_sampling) for c in header.components),
        progressive=header.progressive,
    )


def _check_image(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img)
    if img.dtype != np.uint8:
        raise ValueError(f"image must be uint8, got {img.dtype}")
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] != 3):
        raise ValueError(f"image must be H x W (gray) or H x W x 3 (RGB), got shape {img.shape}")
    if img.shape[0] < 8 or img.shape[1] < 8:
        raise ValueError(f"image of {img.shape[1]}x{img.shape[0]} pixels is smaller than one 8x8 block")
    return np.ascontiguousarray(img)


def _tables_for(img: np.ndarray, quality: int | None, qt: np.ndarray | None) -> np.ndarray:
    """The (n_tables, 8, 8) uint16 tables to encode ``img`` with: luma, then chroma for colour."""
    if (quality is None) == (qt is None):
        raise ValueError("give exactly one of quality and qt")
    colour = img.ndim == 3
    if quality is not None:
        q = check_quality(quality)
        # Computed here rather than left to libjpeg because jpeglib asks libjpeg for 16-bit
        # (non-baseline) tables below quality 25, where Pillow and most encoders clamp to 255.
        luma = quality_to_table(q)
        return np.stack([luma, quality_to_table(q, chroma=True)]) if colour else luma[None]
    tables = np.asarray(qt)
    if tables.shape == (8, 8):
        tables = tables[None]
    if tables.ndim != 3 or tables.shape[1:] != (8, 8) or tables.shape[0] not in (1, 2):
        raise ValueError(f"qt must be (8, 8) or (2, 8, 8) [luma, chroma], got shape {tables.shape}")
    if not np.issubdtype(tables.dtype, np.integer) or tables.min() < 1 or tables.max() > 32767:
        raise ValueError("quantization steps must be integers in 1..32767")
    if colour and tables.shape[0] == 1:
        tables = np.concatenate([tables, tables])
    if not colour:
        tables = tables[:1]
    return tables.astype(np.uint16)


def _encode_to(path: str, img: np.ndarray, tables: np.ndarray) -> None:
    _pin_libjpeg()
    spatial = img[:, :, None] if img.ndim == 2 else img
    quant_tbl_no = np.array([0] if img.ndim == 2 else [0, 1, 1])
    jpeglib.from_spatial(spatial).write_spatial(path, qt=tables, quant_tbl_no=quant_tbl_no)


def _with_comment(data: bytes, comment: str) -> bytes:
    """Insert a COM segment after SOI and any APP0 (JFIF requires APP0 to follow SOI directly)."""
    raw = comment.encode("utf-8")[:65533]
    segment = b"\xff\xfe" + (len(raw) + 2).to_bytes(2, "big") + raw
    pos = 2
    if data[2:4] == b"\xff\xe0":
        pos = 4 + int.from_bytes(data[4:6], "big")
    return data[:pos] + segment + data[pos:]


def compress(img: np.ndarray, quality: int | None = None, *, qt: np.ndarray | None = None,
             comment: str | None = None) -> bytes:
    """Encode uint8 pixels as a baseline JPEG file and return its bytes.

    Args:
        img: (H, W) gray or (H, W, 3) RGB, uint8, at least 8x8. Colour is encoded as YCbCr 4:2:0
            (libjpeg's default, like Pillow's).
        quality: IJG quality, an integer in 1..100 (anything else is an error, never clipped).
        qt: instead of ``quality``, explicit tables: (8, 8) for every component, or (2, 8, 8)
            [luma, chroma]; natural order.
        comment: optional text stored in a COM marker (the CLI records the tool and libjpeg
            versions there).
    """
    img = _check_image(img)
    tables = _tables_for(img, quality, qt)
    with _temp_path() as tmp:
        _encode_to(tmp, img, tables)
        data = Path(tmp).read_bytes()
    return _with_comment(data, comment) if comment else data


def jpeg_roundtrip(img: np.ndarray, quality: int | None = None, *,
                   qt: np.ndarray | None = None) -> np.ndarray:
    """Compress then decode with the real codec: the JPEG version of ``img`` (same shape, uint8)."""
    img = _check_image(img)
    tables = _tables_for(img, quality, qt)
    _pin_libjpeg()
    with _temp_path() as tmp:
        _encode_to(tmp, img, tables)
        out = jpeglib.read_spatial(tmp).spatial
    return np.ascontiguousarray(out[:, :, 0] if out.shape[2] == 1 else out)


def from_coefficients(coefs: JpegCoefficients) -> bytes:
    """Write quantized coefficients and tables as a JPEG file (lossless; no DCT is computed).

    Decoding the result with :func:`decompress` gives the pixels a viewer shows for those
    coefficients. Gray and 3-component YCbCr are supported, with the sampling of ``coefs``.
    """
    if coefs.n_components not in (1, 3):
        raise ValueError(f"1 or 3 components expected, got {coefs.n_components}")
    for c, t in zip(coefs.coef, coefs.qt):
        if c.ndim != 4 or c.shape[2:] != (8, 8):
            raise ValueError(f"coefficients must be (bh, bw, 8, 8), got {c.shape}")
        if t.shape != (8, 8) or int(t.min()) < 1:
            raise ValueError("each table must be 8x8 with steps >= 1")
    _pin_libjpeg()
    planes = [np.asarray(c, dtype=np.int16) for c in coefs.coef]
    if coefs.n_components == 1:
        jpeg = jpeglib.from_dct(planes[0], qt=np.asarray(coefs.qt[0], np.uint16)[None],
                                quant_tbl_no=np.array([0]))
    else:
        same_chroma = np.array_equal(coefs.qt[1], coefs.qt[2])
        tables = [coefs.qt[0], coefs.qt[1]] + ([] if same_chroma else [coefs.qt[2]])
        jpeg = jpeglib.from_dct(planes[0], planes[1], planes[2],
                                qt=np.stack(tables).astype(np.uint16),
                                quant_tbl_no=np.array([0, 1, 1 if same_chroma else 2]))
        # jpeglib infers sampling factors from the plane sizes; set them from the source.
        jpeg.samp_factor = np.array([[v, h] for v, h in coefs.sampling])  # jpeglib: (vertical, horizontal)
    # jpeglib takes the image size from the block counts; restore the true size so that sizes
    # that are not multiples of 8 survive the round trip.
    jpeg.height, jpeg.width = coefs.height, coefs.width
    with _temp_path() as tmp:
        jpeg.write_dct(tmp)
        return Path(tmp).read_bytes()
