"""Reading never-compressed images and writing outputs safely.

Reading goes through Pillow for PNG, PGM/PPM, TIFF and BMP, and through the project's codec for
JPEG (only where a JPEG is acceptable). Every problem becomes an :class:`InputError` naming the
file, so that the command line can print one line instead of a traceback.

Writing is atomic (a temporary file in the destination folder, then a rename), so an interrupted
run never leaves a half-written output that a later run would mistake for a finished one.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
from PIL import Image

from . import jpeg
from .errors import InputError, read_input_bytes

#: Formats accepted as never-compressed sources (Pillow's names; PGM/PPM are "PPM").
LOSSLESS_FORMATS = ("PNG", "PPM", "TIFF", "BMP")
LOSSLESS_SUFFIXES = (".png", ".pgm", ".ppm", ".pnm", ".tif", ".tiff", ".bmp")
_WRITE_FORMATS = {".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP", ".pgm": "PPM",
                  ".ppm": "PPM"}


def looks_like_jpeg(data: bytes) -> bool:
    """True when the bytes start like a JPEG file (SOI marker then another marker)."""
    return data[:3] == b"\xff\xd8\xff"


def _read_bytes(path: Path) -> bytes:
    data = read_input_bytes(path)
    if not data:
        raise InputError(path, "empty file")
    return data


def _decode_lossless(data: bytes, path: Path, max_pixels: int) -> np.ndarray:
    """Pillow decode of a PNG/PGM/PPM/TIFF/BMP to uint8 (H, W) or (H, W, 3)."""
    with warnings.catch_warnings():
        # We enforce our own pixel limit below; Pillow's bomb warning would only duplicate it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise InputError(path, f"image exceeds the limit of {max_pixels} pixels "
                                   "(a guard against decompression bombs)") from None
        except Exception:
            raise InputError(path, "not an image (unrecognised format)") from None
        if im.format not in LOSSLESS_FORMATS:
            raise InputError(path, f"unsupported format {im.format} (use PNG, PGM/PPM, TIFF or BMP)")
        w, h = im.size
        if w < 8 or h < 8:
            raise InputError(path, f"image of {w}x{h} pixels is smaller than one 8x8 block")
        if w * h > max_pixels:
            raise InputError(path, f"image of {w}x{h} pixels exceeds the limit of {max_pixels} "
                                   "(a guard against decompression bombs; raise it with --max-pixels)")
        mode = im.mode
        if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
            raise InputError(path, f"unsupported {'16-bit' if '16' in mode else mode + '-mode'} "
                                   "image (8-bit gray or RGB expected)")
        if mode == "CMYK":
            raise InputError(path, "unsupported CMYK image (8-bit gray or RGB expected)")
        if mode not in ("L", "RGB", "P", "RGBA", "LA", "1", "PA"):
            raise InputError(path, f"unsupported image mode {mode} (8-bit gray or RGB expected)")
        try:
            im.load()
        except Exception as e:  # Pillow raises OSError, SyntaxError, ValueError... on damage
            raise InputError(path, f"truncated or corrupt {im.format} ({e})") from None
    if mode in ("L", "1", "LA"):
        # Alpha carries no image content to analyse: it is dropped, never composited.
        return np.asarray(im.convert("L"))
    if mode == "P" and "transparency" not in im.info and im.palette is not None \
            and im.palette.mode == "L":
        return np.asarray(im.convert("L"))
    return np.asarray(im.convert("RGB"))


def read_image(path: str | os.PathLike, *, allow_jpeg: bool = False,
               max_pixels: int = jpeg.DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Read an image file as uint8 pixels: (H, W) gray or (H, W, 3) RGB.

    Args:
        path: the file. The format is detected from its bytes, not its name.
        allow_jpeg: accept JPEG files (decoded by the project's codec). Where the image must be
            never-compressed (data sets, references), leave it False: a JPEG is then refused.
        max_pixels: refuse images larger than this, before decoding them.
    """
    path = Path(path)
    return decode_image_bytes(_read_bytes(path), path, allow_jpeg=allow_jpeg, max_pixels=max_pixels)


def decode_image_bytes(data: bytes, name: str | os.PathLike, *, allow_jpeg: bool = False,
                       max_pixels: int = jpeg.DEFAULT_MAX_PIXELS) -> np.ndarray:
    """:func:`read_image` of a file's bytes (e.g. a member of an archive); ``name`` is what error
    messages call it."""
    if not data:
        raise InputError(name, "empty file")
    if looks_like_jpeg(data):
        if not allow_jpeg:
            raise InputError(name, "is a JPEG file, but a never-compressed image is required")
        try:
            return jpeg.decompress(data, max_pixels=max_pixels)
        except InputError as e:  # the codec saw bytes only: name the file in the message
            raise InputError(name, e.problem) from None
    return _decode_lossless(data, Path(name), max_pixels)


def to_luma(img: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma of an RGB image, the paper's grayscale; gray images pass through.

    Y = 0.299 R + 0.587 G + 0.114 B in float64, rounded half up to uint8 (the JPEG Y component's
    weights; Pillow's ``convert('L')`` uses a fixed-point approximation that can differ by 1).

    Shape: (H, W, 3) or (H, W) uint8 -> (H, W) uint8.
    """
    if img.ndim == 2:
        return img
    return np.clip(np.floor(luma_float(img) + 0.5), 0, 255).astype(np.uint8)


def luma_float(img: np.ndarray) -> np.ndarray:
    """BT.601 luma before rounding, float64: for a further computation (e.g. resampling) that
    must round only once at its end. Gray images are converted to float as they are."""
    rgb = img.astype(np.float64)
    if img.ndim == 2:
        return rgb
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two paths name the same file (resolving links and relative parts)."""
    pa, pb = Path(a), Path(b)
    if pa.exists() and pb.exists():
        return os.path.samefile(pa, pb)
    return pa.resolve() == pb.resolve()


def refuse_overwriting_input(out: str | os.PathLike, *inputs: str | os.PathLike) -> None:
    """Raise if ``out`` is one of ``inputs``: inputs are never overwritten."""
    for inp in inputs:
        if same_file(out, inp):
            raise InputError(out, "output path is the input file; refusing to overwrite an input")


def make_output_folder(path: str | os.PathLike) -> Path:
    """Create an output folder (and its parents); a place that cannot hold one is an
    :class:`InputError` naming it (one line), not an OSError traceback."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(path, "exists and is not a folder") from None
    except OSError as e:
        raise InputError(path, f"cannot create this output folder ({e.strerror or e})") from None
    return path


def _umask() -> int:
    # The process's umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    ``fsync=False`` skips flushing to the disk: for caches whose entries can be recomputed, the
    rename alone already makes a file appear whole to concurrent readers.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise InputError(path, f"output folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); the result should have the permissions any
        # other file written here gets (0666 less the umask), as a plain open() would give.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def encode_lossless(img: np.ndarray, suffix: str) -> bytes:
    """Encode uint8 pixels losslessly in the format named by ``suffix`` (.png, .tif, .bmp, .pgm)."""
    fmt = _WRITE_FORMATS.get(suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot write {suffix!r}: lossless outputs are PNG, TIFF, BMP or PGM/PPM")
    buf = io.BytesIO()
    Image.fromarray(np.asarray(img, dtype=np.uint8)).save(buf, format=fmt)
    return buf.getvalue()


def write_image(path: str | os.PathLike, img: np.ndarray) -> None:
    """Write uint8 pixels to a lossless file, atomically; the format follows the suffix."""
    path = Path(path)
    try:
        data = encode_lossless(img, path.suffix)
    except ValueError as e:
        raise InputError(path, str(e)) from None
    atomic_write_bytes(path, data)
