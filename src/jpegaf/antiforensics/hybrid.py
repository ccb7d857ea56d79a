"""``gan+f3``: the trained generator restores the JPEG, then Fan et al.'s later stages erase the
traces it leaves (not in any paper; the baseline measured in issue 14).

The generator alone restores well (+1.2 to +1.9 dB over the JPEG) but keeps the calibration,
blocking and quantization-lattice traces that K_L, K_F, Q_FdQ and the lattice detector read. F3
removes them but starts from a TV-deblocked JPEG, below the JPEG's quality. Here the generator's
output takes the place of F3's first stage (its TV deblocking), and the rest of F3 runs as
published on it: histogram smoothing of the DCT coefficients, the second TV round (projection
on the file's quantization constraint, perturbation where K_F is still high) and de-calibration
(:func:`jpegaf.antiforensics.fan.fan_plane` with ``start``).

``gan+f3-light`` (:data:`LIGHT_STAGES`) runs the same stages with lighter settings, chosen on 16
crops of the corpus's calibration part where each of F3's later stages was left out or eased in
turn (``scripts/hybrid_stages.py``, ``results/antiforensic/hybrid-stages.md``): the second TV
round costs 1.0–1.7 dB after the generator, de-calibration 0.6–0.9 dB at QF 50/75 and histogram
smoothing 0.3–0.4 dB. Smaller TV steps (1/(k + 10) instead of 1/(k + 1)), de-calibration steps
of one grey level instead of two, and no histogram smoothing kept +0.91 / +0.48 dB over the JPEG
at QF 25 / 50 there, with every detector at most 25% / 12%; at QF 75 they leave the quantization
lattice (94%), which the histogram smoothing is needed for.

Colour: the luma goes through the generator and then F3's stages; Cb and Cr through F3 alone.
Random streams are F3's: one per component from ``(seed, component)``.
"""

from __future__ import annotations

import numpy as np

from ..jpeg import JpegCoefficients
from .common import apply_per_component, decode_plane
from .fan import FanConfig, fan_plane
from .gan import GanEraser


#: F3's later stages, eased (module doc): no histogram smoothing, TV steps 1/(k + 10), de-calibration
#: steps of 1 grey level.
LIGHT_STAGES = FanConfig(smoothing=False, step_offset2=10, decal_step=1.0)


class GanThenFan:
    """The ``gan+f3`` method: ``GanThenFan(eraser)(coefs, seed) -> uint8 pixels`` (module doc).

    ``eraser`` chooses the generator for each file's quality (and says so in :attr:`last_note`
    when none matches); ``config`` is F3's (its first-stage fields are unused).
    """

    def __init__(self, eraser: GanEraser, config: FanConfig = FanConfig()):
        self.eraser = eraser
        self.config = config

    @property
    def last_note(self) -> str | None:
        return self.eraser.last_note

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        luma, _ = self.eraser.restore_luma(coefs)
        # The luma plane covers whole blocks (MCUs); outside the image it keeps the decoded JPEG,
        # which is cut away at the end as for F3.
        start = decode_plane(coefs.coef[0].astype(np.int64), coefs.qt[0])
        start[:luma.shape[0], :luma.shape[1]] = luma
        # apply_per_component runs the components in order: the luma first, with its start.
        starts = iter([start] + [None] * (coefs.n_components - 1))
        return apply_per_component(
            coefs, lambda coef, table, rng: fan_plane(coef, table, rng, self.config, start=next(starts)), seed)
