"""Full-reference image-quality metrics: PSNR and SSIM on 8-bit images.

These are the numbers the paper's Table I reports for anti-forensically processed images
against their uncompressed originals. Both metrics take the *reference* first.

Everything here works on ``uint8`` arrays, the form in which images are stored and compared,
so that a metric never depends on how a caller happened to scale floats. The one exception,
:func:`psnr_torch`, takes generator outputs in ``[-1, 1]`` but quantises them to the 8-bit
levels first, so it reports what :func:`psnr` will report on the saved images.

SSIM follows Wang et al. (2004) exactly as scikit-image's ``structural_similarity`` does with
``gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255``, and agrees
with it to within floating-point rounding (tested to 1e-6), without depending on scikit-image.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.ndimage import correlate1d

if TYPE_CHECKING:  # torch is imported lazily: the NumPy metrics should not pay its import time
    from torch import Tensor

__all__ = ["PsnrSummary", "psnr", "psnr_torch", "ssim", "summarize_psnr"]

# Peak signal value of 8-bit images; PSNR and SSIM's L.
_PEAK = 255.0

# SSIM parameters of Wang et al. (2004).
_K1 = 0.01
_K2 = 0.03
_SIGMA = 1.5
# scipy.ndimage truncates a Gaussian at `truncate` standard deviations and rounds the radius the
# way below; truncate=3.5 with sigma=1.5 gives radius 5, the paper's 11x11 window. scikit-image
# uses the same pair, so the taps are identical.
_TRUNCATE = 3.5
_RADIUS = int(_TRUNCATE * _SIGMA + 0.5)
_WINDOW = 2 * _RADIUS + 1


def _gaussian_taps() -> np.ndarray:
    # Same construction as scipy.ndimage's _gaussian_kernel1d (order 0): sampled, then normalised
    # to sum to 1 so that a constant image is left unchanged.
    x = np.arange(-_RADIUS, _RADIUS + 1, dtype=np.float64)
    taps = np.exp(-0.5 / _SIGMA**2 * x * x)
    return taps / taps.sum()


_TAPS = _gaussian_taps()

# Output rows of SSIM per strip. With 16 (26 input rows) the strip's five float64 statistics take
# ~0.5 MB for a 512-wide gray image and ~2 MB for a 2048-wide one, about a cache's worth; larger
# strips were measurably slower on colour and wide images, smaller ones pay more Python overhead.
_STRIP = 16

# Colour images are H x W x C with C this small; a larger "C" is far more likely to be a stack of
# images passed by mistake (N x H x W), which would otherwise give a silently meaningless number.
_MAX_CHANNELS = 4


def _check_pair(ref: np.ndarray, img: np.ndarray, name: str) -> None:
    """Raise ValueError unless ref and img are non-empty uint8 arrays of one 2-D or 3-D shape."""
    for label, a in (("ref", ref), ("img", img)):
        if not isinstance(a, np.ndarray):
            raise ValueError(f"{name}: {label} must be a numpy array, got {type(a).__name__}")
        if a.dtype != np.uint8:
            raise ValueError(
                f"{name}: {label} must have dtype uint8 (8-bit levels 0..255), got {a.dtype}; "
                "convert floats explicitly so that the scaling is a visible choice"
            )
        if a.ndim not in (2, 3):
            raise ValueError(
                f"{name}: {label} must be H x W or H x W x C, got shape {a.shape}"
            )
    if ref.shape != img.shape:
        raise ValueError(f"{name}: ref and img differ in shape: {ref.shape} vs {img.shape}")
    if ref.size == 0:
        raise ValueError(f"{name}: images are empty (shape {ref.shape})")


def _psnr_from_sse(sse: np.ndarray, n: int) -> np.ndarray:
    """PSNR in dB from exact integer sums of squared errors over n samples each.

    Shared by :func:`psnr` and :func:`psnr_torch` so that both give bit-identical results.
    """
    # The SSEs are integers below 2**53 for any image that fits in memory (65025 per sample), so
    # the conversion is exact; the only rounding is in the division and the logarithm.
    mse = np.asarray(sse, dtype=np.float64) / n
    with np.errstate(divide="ignore"):
        # MSE 0 (identical images) -> 255**2 / 0 = inf -> log10(inf) = inf: the definition's limit.
        return 10.0 * np.log10(_PEAK * _PEAK / mse)


def psnr(ref: np.ndarray, img: np.ndarray) -> float:
    r"""Peak signal-to-noise ratio of ``img`` against ``ref``, in dB.

    .. math::

        \mathrm{MSE} = \frac{1}{n} \sum_i (r_i - x_i)^2, \qquad
        \mathrm{PSNR} = 10 \log_{10} \frac{255^2}{\mathrm{MSE}}

    over all ``n`` samples (pixels times channels), in float64 on the [0, 255] scale. The sum of
    squared errors is computed exactly (it is an integer, held without rounding in float64 for
    any image under ~1.4e11 samples), so the result does not depend on summation order.

    Value range: [0, inf]. 0 dB is the worst possible (every sample off by 255); the value is
    ``math.inf`` exactly when the images are identical. Averaging PSNRs that include ``inf``
    needs care: see :func:`summarize_psnr`.

    Shape:
        ``ref``, ``img``: (H, W) or (H, W, C), dtype uint8, identical shapes, non-empty.

    Raises:
        ValueError: on a dtype other than uint8, differing shapes, other ranks, or empty input.
    """
    _check_pair(ref, img, "psnr")
    # The differences are integers in [-255, 255] and every partial sum of their squares is an
    # integer below 2**53 (for fewer than ~1.4e11 samples), so this float64 sum is exact whatever
    # order it is taken in. einsum rather than np.dot: a BLAS dot may start threads, and on a busy
    # machine that was measured 50x slower than this single pass.
    d = ref.astype(np.float64).ravel()
    d -= img.ravel()
    sse = np.einsum("i,i->", d, d)
    return float(_psnr_from_sse(sse, ref.size))


@functools.lru_cache(maxsize=32)
def _vertical_band(n: int) -> sparse.csr_matrix:
    """The n x (n + 10) matrix whose row i holds the 11 Gaussian taps at columns i..i+10.

    Multiplying it into an (n + 10)-row array gives the "valid" vertical Gaussian filtering of
    that array: n output rows, each from a full 11-row window.
    """
    diagonals = [np.full(n, tap) for tap in _TAPS]
    shape = (n, n + 2 * _RADIUS)
    return sparse.diags(diagonals, offsets=range(_WINDOW), shape=shape, format="csr")


def _ssim_channel_means(ref: np.ndarray, img: np.ndarray) -> np.ndarray:
    """Mean SSIM of each channel; ref, img are (H, C, W) uint8 (views are fine), H, W >= 11.

    Returns a float64 array of C values.
    """
    h, c, w = ref.shape
    r = _RADIUS
    out_h, out_w = h - 2 * r, w - 2 * r
    c1 = (_K1 * _PEAK) ** 2
    c2 = (_K2 * _PEAK) ** 2

    # Only positions whose 11x11 window lies inside the image are averaged (scikit-image filters
    # the whole image with mode='reflect' and then drops a border of r pixels), so every value we
    # need comes from "valid" filtering and the border mode never matters. That lets the image be
    # processed in horizontal strips of _STRIP output rows (_STRIP + 10 input rows): the five
    # local statistics of a strip then stay in cache through filtering and the SSIM formula,
    # which is most of the speed-up over filtering whole images.
    strip = min(_STRIP, out_h)
    # Layout (rows, statistic, channel, width): each row of the stack is one contiguous line, so
    # the vertical pass is a banded matrix product over whole rows (scipy.ndimage's filter along
    # axis 0 walks memory with a large stride and is ~4x slower), and the horizontal pass runs
    # along contiguous lines.
    stack = np.empty((strip + 2 * r, 5, c, w), dtype=np.float64)
    totals = np.zeros(c, dtype=np.float64)
    for top in range(0, out_h, strip):
        n = min(strip, out_h - top)
        st = stack[: n + 2 * r]
        x, y = st[:, 0], st[:, 1]
        x[...] = ref[top : top + n + 2 * r]
        y[...] = img[top : top + n + 2 * r]
        np.multiply(x, x, out=st[:, 2])
        np.multiply(y, y, out=st[:, 3])
        np.multiply(x, y, out=st[:, 4])

        vert = _vertical_band(n) @ st.reshape(n + 2 * r, -1)
        # mode is irrelevant: the columns it affects are cropped away.
        mu = correlate1d(vert.reshape(n, 5, c, w), _TAPS, axis=-1, mode="reflect")
        ux, uy, uxx, uyy, uxy = np.moveaxis(mu[..., r : w - r], 1, 0)

        # Population (biased) variances and covariance, as Wang et al. 2004 (weights sum to 1),
        # as E[x^2] - E[x]^2 in float64: cancellation costs ~1e-11 absolute on values up to 255^2,
        # negligible next to C2 = 58.5. In place, to keep temporaries few and small.
        ux_uy = ux * uy
        ux2 = ux * ux
        uy2 = uy * uy
        # numerator (2 ux uy + C1)(2 vxy + C2)
        num = 2.0 * ux_uy + c1
        uxy -= ux_uy
        uxy *= 2.0
        uxy += c2
        num *= uxy
        # denominator (ux^2 + uy^2 + C1)(vx + vy + C2)
        den = ux2 + uy2
        den += c1
        uxx -= ux2
        uyy -= uy2
        uxx += uyy
        uxx += c2
        den *= uxx
        num /= den
        totals += num.sum(axis=(0, 2))
    return totals / (out_h * out_w)


def ssim(ref: np.ndarray, img: np.ndarray) -> float:
    r"""Mean structural similarity (Wang et al. 2004) of ``img`` against ``ref``.

    At every pixel, with Gaussian-weighted local statistics (11x11 window, sigma 1.5, weights
    summing to 1; population, not sample, (co)variances):

    .. math::

        \mathrm{SSIM}(x, y) = \frac{(2\mu_x\mu_y + C_1)(2\sigma_{xy} + C_2)}
                                   {(\mu_x^2 + \mu_y^2 + C_1)(\sigma_x^2 + \sigma_y^2 + C_2)},
        \qquad C_1 = (0.01 L)^2,\ C_2 = (0.03 L)^2,\ L = 255.

    The result is the mean of this map over the (H - 10) x (W - 10) positions whose window lies
    entirely inside the image (a 5-pixel border is left out, as in scikit-image). For colour
    images it is the mean of the per-channel values, as scikit-image with ``channel_axis=-1``.
    Matches ``skimage.metrics.structural_similarity(ref, img, gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=255)`` to floating-point rounding.

    Value range: [-1, 1], higher is more similar; identical images give exactly 1.0.

    Shape:
        ``ref``, ``img``: (H, W) gray or (H, W, C) with the channels last (C <= 4), dtype uint8,
        identical shapes, H >= 11 and W >= 11.

    Raises:
        ValueError: on a dtype other than uint8, differing shapes, other ranks, more than 4
            channels, or images smaller than the 11x11 window.
    """
    _check_pair(ref, img, "ssim")
    if ref.ndim == 3 and not 1 <= ref.shape[2] <= _MAX_CHANNELS:
        raise ValueError(
            f"ssim: expected H x W x C with the channels last and C <= {_MAX_CHANNELS}, got shape "
            f"{ref.shape}; compare a stack of images one image at a time"
        )
    h, w = ref.shape[:2]
    if h < _WINDOW or w < _WINDOW:
        raise ValueError(
            f"ssim: images must be at least {_WINDOW}x{_WINDOW} (the Gaussian window), "
            f"got {h}x{w}"
        )
    if ref.ndim == 2:
        ref, img = ref[:, np.newaxis, :], img[:, np.newaxis, :]
    else:
        # (H, C, W) views: the core wants image rows outermost, channels next.
        ref, img = ref.transpose(0, 2, 1), img.transpose(0, 2, 1)
    return float(_ssim_channel_means(ref, img).mean())


def _to_levels(x: Tensor) -> Tensor:
    """Map [-1, 1] to the 8-bit levels as saving to uint8 does: round((x + 1) * 127.5), clamped.

    Computed in the tensor's own floating dtype; rounding is half-to-even (torch.round), and
    values outside [-1, 1] are clamped to 0 or 255. Returned as int64 for exact arithmetic.
    """
    import torch

    return torch.round((x + 1.0) * 127.5).clamp_(0, 255).to(torch.int64)


def psnr_torch(ref: Tensor, img: Tensor) -> Tensor:
    r"""Per-image PSNR (dB) of a batch of generator outputs, as :func:`psnr` would report on them.

    Both tensors are first quantised the way saving to uint8 does,
    ``q = clamp(round((x + 1) * 127.5), 0, 255)`` (in the tensors' dtype, round half to even),
    and then, per image over its C x H x W samples,

    .. math::

        \mathrm{PSNR} = 10 \log_{10} \frac{255^2}{\frac{1}{n}\sum_i (q^{ref}_i - q^{img}_i)^2}.

    The result equals :func:`psnr` on the corresponding uint8 images (H x W, or H x W x C)
    exactly, bit for bit: the squared errors are summed in int64 and the final step is shared.
    Meant for validation during training; no gradient flows (quantisation has none anyway).

    Value range: [0, inf] per image; ``inf`` where the quantised images are identical.

    Shape:
        ``ref``, ``img``: (N, C, H, W) floating tensors in [-1, 1] (C = 1 for the gray images of
        this project), on any device, identical shapes, non-empty.
        Returns: (N,) float64 tensor on the device of ``ref``.

    Raises:
        ValueError: on non-tensors, non-floating dtypes, differing shapes, rank other than 4,
            empty input, or NaN values (which have no 8-bit level).
    """
    import torch

    for label, t in (("ref", ref), ("img", img)):
        if not isinstance(t, torch.Tensor):
            raise ValueError(f"psnr_torch: {label} must be a torch.Tensor, got {type(t).__name__}")
        if not t.is_floating_point():
            raise ValueError(
                f"psnr_torch: {label} must be a floating tensor in [-1, 1], got {t.dtype}"
            )
        if t.ndim != 4:
            raise ValueError(
                f"psnr_torch: {label} must be N x C x H x W, got shape {tuple(t.shape)}"
            )
    if ref.shape != img.shape:
        raise ValueError(
            f"psnr_torch: ref and img differ in shape: {tuple(ref.shape)} vs {tuple(img.shape)}"
        )
    if ref.numel() == 0:
        raise ValueError(f"psnr_torch: tensors are empty (shape {tuple(ref.shape)})")

    with torch.no_grad():
        # NaN (e.g. a diverged generator) has no 8-bit level; casting it to an integer would give
        # an arbitrary value and a meaningless PSNR, so refuse instead.
        if bool(torch.isnan(ref).any()) or bool(torch.isnan(img).any()):
            raise ValueError("psnr_torch: input contains NaN")
        d = _to_levels(ref.detach()) - _to_levels(img.detach())
        sse = (d * d).flatten(1).sum(dim=1)
    n = ref[0].numel()
    # The last step runs in NumPy on the N integer sums so that it is the very code psnr() runs,
    # which is what makes the two agree exactly (torch's vectorised log10 may differ by an ulp).
    values = _psnr_from_sse(sse.cpu().numpy(), n)
    return torch.from_numpy(values).to(ref.device)


@dataclass(frozen=True)
class PsnrSummary:
    """Average of PSNRs that says how many were infinite instead of hiding them.

    Attributes:
        mean: mean PSNR in dB over the finite values; nan when there are none.
        n_infinite: how many values were +inf (images identical to their reference).
        n: how many values in all.
    """

    mean: float
    n_infinite: int
    n: int

    @property
    def n_finite(self) -> int:
        """How many values went into :attr:`mean`."""
        return self.n - self.n_infinite

    def __str__(self) -> str:
        if self.n == 0:
            return "no PSNR values"
        # All infinite: the mean of the finite values is undefined; report INF as Table I does.
        head = "INF" if self.n_finite == 0 else f"{self.mean:.2f} dB"
        return f"{head} ({self.n_infinite} of {self.n} infinite)"


def summarize_psnr(values: Iterable[float]) -> PsnrSummary:
    r"""Summarise PSNRs as the mean of the finite values plus the count of infinite ones.

    An image identical to its reference has PSNR = inf, so a plain mean is inf as soon as one
    image is; dropping those images silently instead makes the mean look as if it covered every
    image (and lowers it, since the dropped ones are the best). This reports both:

    .. math::

        \text{mean} = \frac{1}{|F|} \sum_{v \in F} v, \qquad F = \{v : v < \infty\},

    with the number of +inf values beside it, e.g. ``"33.26 dB (2 of 100 infinite)"``.

    Shape:
        ``values``: any iterable of numbers (list, 1-D array, 1-D tensor), n >= 0.

    Raises:
        ValueError: on NaN or -inf, which no PSNR can be.
    """
    if isinstance(values, np.ndarray):
        arr = values.astype(np.float64).ravel()
    else:
        # float() accepts Python and NumPy scalars and 0-d tensors alike.
        arr = np.array([float(v) for v in values], dtype=np.float64)
    if np.isnan(arr).any():
        raise ValueError("summarize_psnr: values contain NaN, which no PSNR can be")
    if (arr == -np.inf).any():
        raise ValueError("summarize_psnr: values contain -inf, which no PSNR can be")
    infinite = arr == np.inf
    finite = arr[~infinite]
    mean = float(finite.mean()) if finite.size else math.nan
    return PsnrSummary(mean=mean, n_infinite=int(infinite.sum()), n=int(arr.size))
