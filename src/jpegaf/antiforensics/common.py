"""What every anti-forensic method shares: one call signature, JPEG in, uint8 pixels out.

A method is a callable ``method(coefs, seed) -> img``:

- ``coefs`` is a :class:`~jpegaf.jpeg.JpegCoefficients`, the quantized DCT coefficients and
  tables read losslessly from a JPEG file (:func:`jpegaf.jpeg.read_coefficients`), or made from an
  already decoded image by re-quantizing it (:func:`coefficients_from_image`, Stamm 2010 eq. 5);
- ``seed`` makes the method's randomness reproducible (same seed, same output);
- the result is uint8 pixels of the JPEG's size: (H, W) for gray, (H, W, 3) RGB for colour.

Grayscale is the papers' case. Colour JPEGs are processed component by component (Y, Cb, Cr),
each on its own quantization table, then chroma is upsampled and converted to RGB.
"""

from __future__ import annotations

from typing import Callable, Protocol

import numpy as np

from ..jpeg import JpegCoefficients, block_dct, block_idct, check_quality, quality_to_table, to_uint8


class AntiForensicMethod(Protocol):
    """The one signature of every method (F1, F2, F3 and, later, the GAN)."""

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray: ...


#: A per-component step: (quantization indices (bh, bw, 8, 8), table (8, 8), rng) -> real-valued
#: pixel plane (8 bh, 8 bw), before rounding. The plane is 128-centred pixels, not coefficients.
PlaneStep = Callable[[np.ndarray, np.ndarray, np.random.Generator], np.ndarray]


def check_tables(coefs: JpegCoefficients) -> None:
    """Refuse tables with zero steps: every method divides by them (the codec already refuses
    such files; coefficients built in memory are checked here)."""
    for i, t in enumerate(coefs.qt):
        if np.asarray(t).shape != (8, 8) or int(np.min(t)) < 1:
            raise ValueError(f"quantization table of component {i} must be 8x8 with steps >= 1")


def coefficients_from_image(img: np.ndarray, quality: int | None = None, *,
                            qt: np.ndarray | None = None) -> JpegCoefficients:
    """Re-quantize a decoded JPEG image: k = round(DCT(img - 128) / Q) (Stamm et al. 2010, eq. 5).

    For when only the decoded pixels are at hand; reading the file's own coefficients is better
    (re-quantizing a block whose pixels were clipped can land in the wrong bin). Gray images only:
    a decoded colour image has lost its chroma sampling. The image is cropped to whole blocks'
    worth of coefficients implicitly: H and W must be multiples of 8.

    Shape: (H, W) uint8 -> coefficients with one component of (H/8, W/8, 8, 8).
    """
    img = np.asarray(img)
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a uint8 gray image, got {img.dtype} of shape {img.shape}")
    if img.shape[0] % 8 or img.shape[1] % 8 or min(img.shape) < 8:
        raise ValueError(f"height and width must be multiples of 8, got {img.shape[1]}x{img.shape[0]}")
    if (quality is None) == (qt is None):
        raise ValueError("give exactly one of quality and qt")
    table = quality_to_table(check_quality(quality)) if quality is not None else np.asarray(qt, np.uint16)
    if table.shape != (8, 8) or int(table.min()) < 1:
        raise ValueError("qt must be 8x8 with steps >= 1")
    k = np.round(block_dct(img) / table).astype(np.int16)
    return JpegCoefficients(coef=(k,), qt=(table,), height=img.shape[0], width=img.shape[1],
                            sampling=((1, 1),), progressive=False)


def decode_plane(coef: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Real-valued pixels of one component as libjpeg would reconstruct them (before rounding)."""
    return block_idct(coef.astype(np.float64) * table.astype(np.float64))


def clip_to_bins(plane: np.ndarray, coef: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The nearest plane whose every DCT coefficient lies in its bin of the file: coefficient c of
    index k and step q clipped to [k q - q/2, k q + q/2] (the block DCT is orthonormal, so clipping
    coefficients is the Euclidean projection of the pixels onto the quantization constraint set).

    The never-compressed original lies in that set (its coefficients were rounded to these
    indices), and a projection onto a convex set never moves a point away from a member of it:
    the result is at least as close to the original as ``plane``, whatever produced it. Unlike
    F3's randomised projection (:func:`jpegaf.antiforensics.fan.project_coefficients`), nothing is
    drawn: a coefficient inside its bin stays where it is.

    plane: (8 bh, 8 bw) real pixels on the file's block grid; coef: (bh, bw, 8, 8) quantization
    indices of that component; table: (8, 8) its steps. Returns float64 pixels, not rounded.
    """
    k = np.asarray(coef).astype(np.float64)
    if np.shape(plane) != (8 * k.shape[0], 8 * k.shape[1]):
        raise ValueError(f"plane must have shape {(8 * k.shape[0], 8 * k.shape[1])}, got {np.shape(plane)}")
    q = np.asarray(table, dtype=np.float64)
    centre = k * q
    return block_idct(np.clip(block_dct(np.asarray(plane, dtype=np.float64)), centre - q / 2, centre + q / 2))


def _component_size(coefs: JpegCoefficients, i: int) -> tuple[int, int]:
    """Height and width of component ``i`` in its own samples (libjpeg's downsampled size)."""
    vmax = max(v for v, _ in coefs.sampling)
    hmax = max(h for _, h in coefs.sampling)
    v, h = coefs.sampling[i]
    return -(-coefs.height * v // vmax), -(-coefs.width * h // hmax)


def _upsample(plane: np.ndarray, fy: int, fx: int, height: int, width: int) -> np.ndarray:
    """Chroma upsampling by linear ("fancy", 3/4-1/4) interpolation, as libjpeg does by default,
    for integer factors 1 or 2; other factors replicate samples."""
    out = plane
    for axis, f in ((0, fy), (1, fx)):
        if f == 1:
            continue
        if f == 2:
            prev = np.concatenate([np.take(out, [0], axis), np.take(out, np.arange(out.shape[axis] - 1), axis)], axis)
            nxt = np.concatenate([np.take(out, np.arange(1, out.shape[axis]), axis), np.take(out, [-1], axis)], axis)
            even, odd = 0.75 * out + 0.25 * prev, 0.75 * out + 0.25 * nxt
            out = np.stack([even, odd], axis=axis + 1).reshape(
                *(out.shape[:axis] + (2 * out.shape[axis],) + out.shape[axis + 1:]))
        else:
            out = np.repeat(out, f, axis=axis)
    return out[:height, :width]


def ycbcr_to_rgb(y: np.ndarray, cb: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """JFIF YCbCr -> RGB (ITU-R BT.601 full range), real-valued in, uint8 out."""
    r = y + 1.402 * (cr - 128.0)
    g = y - 0.344136 * (cb - 128.0) - 0.714136 * (cr - 128.0)
    b = y + 1.772 * (cb - 128.0)
    return to_uint8(np.stack([r, g, b], axis=2))


def apply_per_component(coefs: JpegCoefficients, step: PlaneStep, seed: int) -> np.ndarray:
    """Run ``step`` on every component with its own table and assemble uint8 pixels.

    Each component gets an independent random stream derived from ``(seed, component)``, so a
    gray file and the luma of a colour file with the same coefficients get the same result.
    """
    check_tables(coefs)
    planes = []
    for i, (coef, table) in enumerate(zip(coefs.coef, coefs.qt)):
        rng = np.random.default_rng([seed, i])
        planes.append(step(coef, table, rng))
    if coefs.n_components == 1:
        return to_uint8(planes[0][:coefs.height, :coefs.width])
    vmax = max(v for v, _ in coefs.sampling)
    hmax = max(h for _, h in coefs.sampling)
    full = []
    for i, plane in enumerate(planes):
        ch, cw = _component_size(coefs, i)
        # Round each component to 8 bits as the decoder's sample buffer does, then upsample.
        p = to_uint8(plane[:ch, :cw]).astype(np.float64)
        v, h = coefs.sampling[i]
        full.append(_upsample(p, vmax // v, hmax // h, coefs.height, coefs.width))
    return ycbcr_to_rgb(*full)
