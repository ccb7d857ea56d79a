"""Stages against the quantization lattice: take the generator's coefficients off the lattice of
the file's steps before its output is rounded to grey levels (issue 14; not in any paper).

What the lattice and JPEG-history detectors read (:mod:`jpegaf.detectors.history`): per subband,
the rounded coefficients at multiples of a step 2..40 in excess of their two neighbours, on the
codec's grid against the 63 others. Two stages, both on the generator's *unrounded* output (a
stage that moves a coefficient by less than a grey level's worth is mostly undone when the
output is rounded again: the ``spread`` variants of ``scripts/hybrid_stages.py`` left the
lattice detectors where they were):

* **Histogram smoothing** (:func:`smooth_lattice`, the stage of ``gan+lattice``): per subband,
  the DC of every block and the AC coefficients of nonzero bins are moved, keeping their order,
  onto their own distribution blurred by a Gaussian of about a coefficient unit (1-D optimal
  transport: each moves as little as the blur allows), then the pixels are rounded with a random
  dither. The notes above :data:`AC_SIGMA` say why. On 16 calibration crops of 256 px
  (``results/antiforensic/hybrid-stages.md``, "Histogram smoothing"), after ``gan+critic``'s
  stages: the lattice detector at 12 % (QF 75) and 6 % (QF 50) of the outputs and every other
  detector at most 6 %, for +0.32 and +0.77 dB over the JPEG, against 56 % and 19 % for the
  dithering below, at +0.34 and +0.65 dB.
* **Lattice dithering** (:func:`dither_lattice`; ``gan+lattice`` until it was measured against
  the smoothing, kept for the ablation): coefficients within ``near`` of their bin's centre move
  to the centre plus a uniform draw inside the bin, then pixels are rounded with a random dither.
  It fixed the flat blocks, whose DC (8 x (grey level - 128) once rounded, a multiple of QF 75's
  DC step) carried 40-80 % of the excess at QF 75, but not the pile the generator leaves just
  below each bin's centre, and cost 0.2-0.3 dB more than the smoothing.
"""

from __future__ import annotations

import numpy as np

from ..jpeg.dct import block_dct, block_idct

__all__ = ["SMOOTH_STAGE", "dither_lattice", "dithered_round", "smooth_coefficient_histograms",
           "smooth_lattice", "smooth_values", "spread_bin_centres"]

# Lattice dithering's defaults (module doc). The lattice test is local -- a multiple against its
# two integer neighbours -- so the widths are in coefficient units, whatever the step: DC 2 (a DC
# step of 8 at QF 75 is one grey level over the block; 4, the whole bin, cost 0.16 dB more for
# one crop in eight fewer flagged, then 0.14 dB more after gan+critic's stages for none:
# hybrid-stages.md), AC 1 (1.5 with near 1 removed no more).
DC_WIDTH, AC_WIDTH, NEAR = 2.0, 1.0, 0.5


def spread_bin_centres(x: np.ndarray, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator, *,
                       dc_width: float = DC_WIDTH, ac_width: float = AC_WIDTH,
                       near: float = NEAR) -> np.ndarray:
    """Coefficients of ``x`` within ``near`` of their bin's centre k q (k != 0 for AC; every DC)
    moved to k q + e, e uniform on (-w, w), w = min(width, q / 2): still inside the bin.

    x: (8 bh, 8 bw) unrounded pixels on the file's block grid; coef: (bh, bw, 8, 8) the file's
    quantized coefficients of that plane; table: (8, 8) its steps. Returns float64 pixels, not
    rounded.
    """
    k = np.asarray(coef).astype(np.float64)
    if np.shape(x) != (8 * k.shape[0], 8 * k.shape[1]):
        raise ValueError(f"x must have shape {(8 * k.shape[0], 8 * k.shape[1])}, got {np.shape(x)}")
    steps = np.asarray(table, dtype=np.float64)
    g = block_dct(x)
    centre = k * steps
    width = np.full((8, 8), ac_width)
    width[0, 0] = dc_width
    width = np.minimum(width, steps / 2.0)
    move = (np.abs(g - centre) < near) & (k != 0)
    move[:, :, 0, 0] = True  # a DC of 0 is no multiple of every step: its block has mean 128
    e = (2.0 * rng.random(g.shape) - 1.0) * width
    return block_idct(np.where(move, centre + e, g))


def dithered_round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """floor(x + u), u uniform on [0, 1), clipped to [0, 255]: unbiased rounding whose error does
    not repeat over a flat region (float64, integer-valued)."""
    return np.clip(np.floor(np.asarray(x, dtype=np.float64) + rng.random(np.shape(x))), 0.0, 255.0)


def dither_lattice(x: np.ndarray, coef: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Lattice dithering (module doc): :func:`spread_bin_centres` then :func:`dithered_round`, at
    the defaults. x: the generator's unrounded output on the file's block plane."""
    return dithered_round(spread_bin_centres(x, coef, table, rng), rng)


# --- Histogram smoothing: the stage gan+lattice runs -----------------------------------------
#
# Why dithering left the lattice at 256 px (16 calibration crops at QF 75, the generator's raw
# output, per subband: excess of the detector's statistic on the codec's grid over four other
# offsets): what remains is not at the table's step q but at q - 1, 2q - 1, ... (after
# dithering) and q - 2, q - 3 (after wider noise, clipped to the bin). The generator shrinks a
# coefficient towards zero inside its bin (the conditional mean of a peaked distribution), so
# the coefficients of a nonzero bin pile up just below its centre and leave its edges empty;
# noise of a fixed shape only moves the pile's edges. The lattice tests read the second
# difference of the histogram of rounded coefficients at the multiples of every step 2..40, so
# what fools them is a histogram without structure at the scale of one or two coefficient units.
#
# Defaults chosen on those 16 calibration crops (``scripts/lattice_smoothing.py``; the lattice
# threshold at 256 px is z 3.8; results/antiforensic/hybrid-stages.md, "Histogram smoothing"):
# with the DC at 2, an AC sigma of 1 leaves 9 crops of 16 above it, 1.5 three (mean z 2.8,
# against 18.2 for the generator and 7.3 after lattice dithering), 2 three and 3 none for 0.05
# and 0.17 dB more; with AC 1.5, a DC sigma of 1 leaves 9, the DC left alone 12; smoothing the
# zero bins as well costs 2.1 dB. The pixels are then rounded with a random dither (dithered_round): with
# plain rounding the lattice stayed as low and the PSNR 0.2 dB higher, but the Fan-de Queiroz
# table estimate (Q_FdQ, whose likelihood assumes a rounding error of variance 1/12 around
# each multiple) flagged 19 % of gan+lattice's outputs at QF 50 (6 % dithered) and 20-32 % of
# the 25 calibration photographs at 128 and 256 px; after gan+critic's stages the dither costs
# 0.03-0.04 dB.
AC_SIGMA, DC_SIGMA = 1.5, 2.0
# Resolution of the smoothed histogram, in coefficient units: far below the rounding that the
# detectors apply, so it moves no coefficient by a measurable amount.
RESOLUTION = 0.05

SMOOTH_STAGE = (f"smooth_coefficient_histograms(ac_sigma={AC_SIGMA}, dc_sigma={DC_SIGMA}, "
                f"resolution={RESOLUTION}), dithered rounding")


def smooth_values(values: np.ndarray, sigma: float, rng: np.random.Generator,
                  resolution: float = RESOLUTION) -> np.ndarray:
    """``values`` moved, in their order, onto their own distribution convolved with a Gaussian of
    standard deviation ``sigma``: the i-th smallest goes to the (i + 1/2) / n quantile of the
    smoothed distribution. In one dimension this monotone map is the transport with the least
    mean squared displacement, so each value moves as little as smoothing allows (a value in a
    sparse, already smooth stretch hardly at all) and their order is kept. Ties are broken at
    random (``rng``), so equal values spread over the quantiles they share.

    values: 1-D float array (n >= 1); returns float64 of the same shape.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"values must be 1-D, got shape {v.shape}")
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    n = v.size
    if n == 0:
        return v.copy()
    reach = int(np.ceil(5.0 * sigma / resolution))
    lo = v.min() - (reach + 1) * resolution
    edges = lo + resolution * np.arange(int(np.ceil((v.max() - lo) / resolution)) + reach + 3)
    counts, _ = np.histogram(v, bins=edges)
    kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) * resolution / sigma) ** 2)
    smoothed = np.convolve(counts.astype(np.float64), kernel / kernel.sum(), mode="same")
    cdf = np.concatenate([[0.0], np.cumsum(smoothed)])
    cdf /= cdf[-1]
    order = np.lexsort((rng.random(n), v))
    out = np.empty(n)
    # The CDF spreads each bin's count evenly over the bin, whose values average its left edge
    # plus half a bin: shifting the edges back by that half keeps the mean where it was.
    out[order] = np.interp((np.arange(n) + 0.5) / n, cdf, edges - 0.5 * resolution)
    return out


def smooth_coefficient_histograms(x: np.ndarray, coef: np.ndarray, rng: np.random.Generator, *,
                                  ac_sigma: float = AC_SIGMA, dc_sigma: float = DC_SIGMA,
                                  zero_sigma: float | None = None) -> np.ndarray:
    """Per subband of the block DCT of ``x`` (on the file's grid), :func:`smooth_values` on the DC
    of every block (``dc_sigma``) and on the AC coefficients whose quantized value in ``coef`` is
    nonzero (``ac_sigma``); the zero bins keep the generator's values (their peak at 0 is the
    originals' too) unless ``zero_sigma`` is given, which smooths their AC coefficients as well,
    after the others (an experiment of ``scripts/hybrid_stages.py``, not a shipped stage). See the
    notes above :data:`AC_SIGMA`.

    x: (8 bh, 8 bw) unrounded pixels; coef: (bh, bw, 8, 8) the file's quantized coefficients of
    that plane. Returns float64 pixels, not rounded.
    """
    k = np.asarray(coef)
    bh, bw = k.shape[:2]
    if np.shape(x) != (8 * bh, 8 * bw):
        raise ValueError(f"x must have shape {(8 * bh, 8 * bw)}, got {np.shape(x)}")
    g = block_dct(np.asarray(x, dtype=np.float64)).reshape(-1, 64)
    k = k.reshape(-1, 64)
    g[:, 0] = smooth_values(g[:, 0], dc_sigma, rng)
    for s in range(1, 64):
        chosen = k[:, s] != 0
        if chosen.any():
            g[chosen, s] = smooth_values(g[chosen, s], ac_sigma, rng)
    if zero_sigma is not None:
        for s in range(1, 64):
            chosen = k[:, s] == 0
            if chosen.any():
                g[chosen, s] = smooth_values(g[chosen, s], zero_sigma, rng)
    return block_idct(g.reshape(bh, bw, 8, 8))


def smooth_lattice(x: np.ndarray, coef: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """gan+lattice's stage: :func:`smooth_coefficient_histograms` at the defaults, then
    :func:`dithered_round` (float64, integer-valued, in [0, 255]). x: the generator's unrounded
    output on the file's block plane."""
    return dithered_round(smooth_coefficient_histograms(x, coef, rng), rng)
