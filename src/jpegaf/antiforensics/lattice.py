"""Lattice dithering: take the generator's coefficients off their quantization bins' centres
before the output is rounded to grey levels (issue 14; not in any paper).

What the lattice and JPEG-history detectors still read in the generator's output
(:mod:`jpegaf.detectors.history`: per subband, the rounded coefficients at multiples of a step in
excess of their two neighbours, on the codec's grid against the 63 others). Seen on 8 crops of
the corpus's calibration part at QF 75 (``scripts/hybrid_stages.py``'s ``DITHER_STAGES`` variants
measure the consequences, ``results/antiforensic/hybrid-stages.md``, "Lattice dithering"):

* the DC subband carries 40-80 % of the excess, and most of it comes from blocks the generator
  leaves *flat* (a pixel range of 2 or less: 124-842 blocks of 1,024, against 0-626 in the
  originals). A flat block's DC is 8 x (grey level - 128) once its pixels are rounded, a multiple
  of QF 75's DC step, whatever sub-grey shift a later stage gives it;
* the generator's output is rounded to integers, so a stage that moves a coefficient by less than
  a grey level's worth (the ``spread`` variants of ``scripts/hybrid_stages.py``) is mostly undone
  by rounding again: it left the lattice detectors where they were.

So this stage works on the generator's *unrounded* output: the coefficients it left within
``near`` of their bin's centre (nonzero bins; the DC of every block) move to the centre plus a
uniform draw of half-width ``dc_width`` (DC) or ``ac_width`` (AC), inside the bin; then the pixels
are rounded with a random dither (floor(x + u), u uniform on [0, 1)), so that flat blocks do not
snap back. It costs PSNR (the dither alone about 0.1 dB at QF 75), more on small and smooth crops.
In ``gan+lattice`` (before ``gan+critic``'s stages), on the 25 calibration photographs the critics
never saw (``results/antiforensic/front-calibration.md``): 0.14-0.34 dB below ``gan+critic`` at
256 px and 0.35-0.64 dB at 128 px, and the worst detection rate at QF 75 down from 88 % to 36 %
(the lattice), at QF 50 from 36 % to 16 %.
"""

from __future__ import annotations

import numpy as np

from ..jpeg.dct import block_dct, block_idct

__all__ = ["LATTICE_STAGE", "dither_lattice", "dithered_round", "spread_bin_centres"]

# Defaults (module doc). The lattice test is local -- a multiple against its two integer
# neighbours -- so the widths are in coefficient units, whatever the step: DC 2 (a DC step of 8
# at QF 75 is one grey level over the block; 4, the whole bin, cost 0.16 dB more for one crop in
# eight fewer flagged, then 0.14 dB more after gan+critic's stages for none: hybrid-stages.md),
# AC 1 (1.5 with near 1 removed no more).
DC_WIDTH, AC_WIDTH, NEAR = 2.0, 1.0, 0.5

LATTICE_STAGE = f"dither_lattice(dc_width={DC_WIDTH}, ac_width={AC_WIDTH}, near={NEAR}, dithered rounding)"


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
    """The stage (module doc): :func:`spread_bin_centres` then :func:`dithered_round`, at the
    defaults. x: the generator's unrounded output on the file's block plane."""
    return dithered_round(spread_bin_centres(x, coef, table, rng), rng)
