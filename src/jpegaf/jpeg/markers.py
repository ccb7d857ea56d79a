"""A small pure-Python reader of JPEG marker segments, run before libjpeg sees a file.

Why: libjpeg decodes a truncated file as if it were whole (it pads the missing scans with grey
and only prints a warning) and it trusts the frame size, so a 65535 x 65535 header would make it
allocate gigabytes. Reading the markers ourselves lets us refuse such files with a clear message
before any decoding, and tells ``jpegaf info`` what the file holds without decoding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .tables import ZIGZAG

#: Default limit on width * height, against decompression bombs (``--max-pixels`` raises it).
DEFAULT_MAX_PIXELS = 100_000_000

SOI, EOI, SOS, DQT, DNL = 0xD8, 0xD9, 0xDA, 0xDB, 0xDC
# Frame markers libjpeg decodes: baseline, extended sequential, progressive (Huffman or arithmetic).
SUPPORTED_SOF = {0xC0: "baseline", 0xC1: "extended sequential", 0xC2: "progressive",
                 0xC9: "extended sequential (arithmetic)", 0xCA: "progressive (arithmetic)"}
UNSUPPORTED_SOF = {0xC3: "lossless", 0xC5: "hierarchical", 0xC6: "hierarchical",
                   0xC7: "hierarchical lossless", 0xCB: "lossless (arithmetic)",
                   0xCD: "hierarchical (arithmetic)", 0xCE: "hierarchical (arithmetic)",
                   0xCF: "hierarchical lossless (arithmetic)"}
# A marker inside entropy-coded data: 0xFF followed by anything but a stuffed 0x00, a restart
# marker (RST0-7, which belong to the scan) or another 0xFF fill byte.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


@dataclass(frozen=True)
class Component:
    """One frame component: its id, sampling factors and the quantization table it uses."""

    ident: int
    h_sampling: int
    v_sampling: int
    table_index: int


@dataclass(frozen=True)
class JpegHeader:
    """What the markers of a JPEG file say, read without decoding.

    ``tables`` maps a table index (0..3) to its last definition, an (8, 8) array in natural order.
    """

    width: int
    height: int
    precision: int
    process: str
    progressive: bool
    components: tuple[Component, ...]
    tables: dict[int, np.ndarray]
    n_scans: int
    has_adobe_marker: bool

    @property
    def n_components(self) -> int:
        return len(self.components)

    def component_table(self, i: int) -> np.ndarray:
        """The quantization table of component ``i``, (8, 8) natural order."""
        return self.tables[self.components[i].table_index]


def _u16(data: bytes, pos: int) -> int:
    return (data[pos] << 8) | data[pos + 1]


def _parse_dqt(segment: bytes, path: str | None) -> dict[int, np.ndarray]:
    """Decode a DQT segment body (without the length field) into natural-order tables."""
    tables: dict[int, np.ndarray] = {}
    pos = 0
    while pos < len(segment):
        precision, index = segment[pos] >> 4, segment[pos] & 0x0F
        pos += 1
        size = 128 if precision else 64
        if precision > 1 or index > 3 or pos + size > len(segment):
            raise InputError(path, "corrupt JPEG (malformed quantization table segment)")
        if precision:
            zz = np.frombuffer(segment[pos:pos + size], dtype=">u2").astype(np.uint16)
        else:
            zz = np.frombuffer(segment[pos:pos + size], dtype=np.uint8).astype(np.uint16)
        pos += size
        natural = np.empty(64, dtype=np.uint16)
        natural[ZIGZAG] = zz
        if np.any(natural == 0):
            # T.81 B.2.4.1 requires non-zero steps; every use of the table divides by them.
            raise InputError(path, f"corrupt JPEG (quantization table {index} has zero steps)")
        tables[index] = natural.reshape(8, 8)
    return tables


def parse_header(data: bytes, path: str | None = None,
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> JpegHeader:
    """Walk the marker segments of a whole JPEG file and check that it is complete.

    Raises :class:`InputError` (naming ``path``) for an empty file, a file that is not a JPEG,
    a truncated file (a segment running past the end, or no end-of-image marker after the
    scans), unsupported processes (lossless, hierarchical, 12-bit, CMYK), missing or zero
    quantization tables, images smaller than 8x8 and images over ``max_pixels``.
    """
    if len(data) == 0:
        raise InputError(path, "empty file")
    if data[:2] != b"\xff\xd8":
        raise InputError(path, "not a JPEG file (does not start with the SOI marker)")
    tables: dict[int, np.ndarray] = {}
    frame: tuple[int, int, int, str, bool, tuple[Component, ...]] | None = None
    n_scans = 0
    adobe = False
    pos = 2
    while True:
        # Skip fill bytes (0xFF may repeat before a marker code).
        while pos < len(data) and data[pos] == 0xFF and pos + 1 < len(data) and data[pos + 1] == 0xFF:
            pos += 1
        if pos + 2 > len(data):
            raise InputError(path, "truncated JPEG (no end-of-image marker)")
        if data[pos] != 0xFF:
            raise InputError(path, f"corrupt JPEG (expected a marker at byte {pos})")
        marker = data[pos + 1]
        pos += 2
        if marker == EOI:
            break
        if marker == SOI or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # stand-alone markers carry no length
        if 0x02 <= marker <= 0xBF or marker == 0x00:
            # Reserved codes never start a segment: a damaged byte, usually inside scan data.
            raise InputError(path, f"corrupt JPEG (invalid marker 0xFF{marker:02X} at byte {pos - 2})")
        if pos + 2 > len(data):
            raise InputError(path, "truncated JPEG (segment header past end of file)")
        length = _u16(data, pos)
        if length < 2 or pos + length > len(data):
            raise InputError(path, f"truncated JPEG (segment 0xFF{marker:02X} runs past end of file)")
        body = data[pos + 2:pos + length]
        pos += length
        if marker == DQT:
            tables.update(_parse_dqt(body, path))
        elif marker in UNSUPPORTED_SOF:
            raise InputError(path, f"unsupported JPEG process ({UNSUPPORTED_SOF[marker]})")
        elif marker in SUPPORTED_SOF:
            frame = _parse_sof(marker, body, path, max_pixels)
        elif marker == 0xEE and body[:5] == b"Adobe":
            adobe = True
        elif marker == DNL:
            raise InputError(path, "unsupported JPEG (height defined by a DNL marker)")
        elif marker == SOS:
            if frame is None:
                raise InputError(path, "corrupt JPEG (scan before frame header)")
            n_scans += 1
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                raise InputError(path, "truncated JPEG (no end-of-image marker)")
            pos = found.start()
    if frame is None or n_scans == 0:
        raise InputError(path, "corrupt JPEG (no frame or no scan before the end-of-image marker)")
    width, height, precision, process, progressive, components = frame
    for c in components:
        if c.table_index not in tables:
            raise InputError(path, f"corrupt JPEG (quantization table {c.table_index} is missing)")
    return JpegHeader(width=width, height=height, precision=precision, process=process,
                      progressive=progressive, components=components, tables=tables,
                      n_scans=n_scans, has_adobe_marker=adobe)


def _parse_sof(marker: int, body: bytes, path: str | None, max_pixels: int):
    if len(body) < 6:
        raise InputError(path, "corrupt JPEG (short frame header)")
    precision, height, width, n = body[0], _u16(body, 1), _u16(body, 3), body[5]
    if precision != 8:
        raise InputError(path, f"unsupported JPEG ({precision}-bit samples; only 8-bit is supported)")
    if len(body) < 6 + 3 * n or n == 0:
        raise InputError(path, "corrupt JPEG (short frame header)")
    if n == 4:
        raise InputError(path, "unsupported JPEG (CMYK/YCCK, 4 components)")
    if n not in (1, 3):
        raise InputError(path, f"unsupported JPEG ({n} components)")
    if height == 0:
        raise InputError(path, "unsupported JPEG (height defined by a DNL marker)")
    if width < 8 or height < 8:
        raise InputError(path, f"image of {width}x{height} pixels is smaller than one 8x8 block")
    if width * height > max_pixels:
        raise InputError(path, f"image of {width}x{height} pixels exceeds the limit of {max_pixels} "
                               "(a guard against decompression bombs; raise it with --max-pixels)")
    components = []
    for i in range(n):
        ident, hv, tq = body[6 + 3 * i], body[7 + 3 * i], body[8 + 3 * i]
        h, v = hv >> 4, hv & 0x0F
        if not (1 <= h <= 4 and 1 <= v <= 4) or tq > 3:
            raise InputError(path, "corrupt JPEG (bad component in frame header)")
        components.append(Component(ident, h, v, tq))
    return width, height, precision, SUPPORTED_SOF[marker], marker in (0xC2, 0xCA), tuple(components)
