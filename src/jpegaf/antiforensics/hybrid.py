"""``gan+f3``, ``gan+f3-light`` and ``gan+targeted``: the trained generator restores the JPEG,
then later stages erase the traces it leaves (not in any paper; issue 14).

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
lattice (94%), which the histogram smoothing is needed for. Its last stage, border smoothing
(:func:`jpegaf.antiforensics.borders.smooth_block_borders`), lowers what K_U^1 reads, the worst
classical detector of those settings on ``make demo``'s held-out crops at QF 25 and 50, for about
0.01 dB; de-calibration then runs again where it lifted K_L back above the limit.

De-calibration in every method here but ``gan+f3`` stops at the median K_L of never-compressed
crops of the plane's size (:func:`decalibration_limit`), not F3's 0.0533, which lies below nearly
every never-compressed crop of 128 px and cost ``gan+lattice`` 0.4–0.7 dB at that size.

``gan+targeted`` (:class:`GanTargeted`) keeps none of F3's stages but de-calibration: the
generator's output, then de-calibration with steps of one grey level (K_L), the block corners
given the inner blocks' second differences (K_F,
:func:`jpegaf.antiforensics.borders.match_corner_differences`), border smoothing (K_U) and
de-calibration again where those two lifted K_L. It
changes a few pixels by a grey level or two and keeps nearly all of the generator's gain, but
leaves the quantization lattice and what the CNNs see (the second TV round is what removes
those, at 0.5–0.9 dB even eased; ``results/antiforensic/hybrid-stages.md``).

``gan+critic`` is ``gan+targeted`` with critic steps before the last de-calibration
(:func:`jpegaf.antiforensics.critic.critic_steps`): changes of one grey level against a frozen
64-px CNN critic of the file's quality, trained apart from every shipped detector
(``scripts/train_critics.py``), aimed at what the CNNs see.

``gan+lattice`` is ``gan+critic`` on the generator's unrounded luma after its coefficient
histograms are smoothed (:mod:`jpegaf.antiforensics.lattice`: per subband, the DC and the nonzero
bins' coefficients moved in order onto their own distribution blurred by about a coefficient
unit, then dithered rounding), aimed at the quantization lattice. ``gan+lattice-light`` is the
same with lighter de-calibration and critic steps (:data:`LIGHT_KL_QUANTILE`,
:data:`LIGHT_CRITIC_FRACTION`): a few hundredths of a dB more, measured at QF 75 only.

Colour: the luma goes through the generator and then the later stages; Cb and Cr through F3
alone (``gan+f3*``) or through the targeted stages from the decoded JPEG (``gan+targeted``).
Random streams are F3's: one per component from ``(seed, component)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..detectors.cnn import CnnDetector
from ..jpeg import JpegCoefficients, estimate_quality
from .borders import match_corner_differences, smooth_block_borders
from .common import apply_per_component, decode_plane
from .critic import TARGET_FRACTION, critic_steps
from .fan import KL_REFERENCE, FanConfig, de_calibrate, fan_plane, never_compressed_kl
from .gan import GanEraser
from .lattice import smooth_lattice
from .references import reference_sides


#: F3's later stages, eased (module doc): no histogram smoothing, TV steps 1/(k + 10), de-calibration
#: steps of 1 grey level.
LIGHT_STAGES = FanConfig(smoothing=False, step_offset2=10, decal_step=1.0)


def restored_luma_plane(eraser: GanEraser, coefs: JpegCoefficients, rounded: bool = True,
                        seed: int = 0) -> np.ndarray:
    """The generator's luma on the file's whole-block (MCU) luma plane: outside the image the plane
    keeps the decoded JPEG, which is cut away at the end as for F3. float64 (8 bh, 8 bw); the
    generator's grey levels before rounding with ``rounded=False``; ``seed``: a stochastic
    generator's noise."""
    luma, _ = eraser.restore_luma(coefs, rounded=rounded, seed=seed)
    start = decode_plane(coefs.coef[0].astype(np.int64), coefs.qt[0])
    start[:luma.shape[0], :luma.shape[1]] = luma
    return start


class GanThenFan:
    """The ``gan+f3`` method: ``GanThenFan(eraser)(coefs, seed) -> uint8 pixels`` (module doc).

    ``eraser`` chooses the generator for each file's quality (and says so in :attr:`last_note`
    when none matches); ``config`` is F3's (its first-stage fields are unused); ``borders`` adds
    border smoothing after F3's stages on every component, and ``sized_kl_limit`` de-calibrates each
    plane to its :func:`decalibration_limit` instead of ``config.kl_threshold`` (both
    ``gan+f3-light``).
    """

    def __init__(self, eraser: GanEraser, config: FanConfig = FanConfig(), borders: bool = False,
                 sized_kl_limit: bool = False):
        self.eraser = eraser
        self.config = config
        self.borders = borders
        self.sized_kl_limit = sized_kl_limit

    @property
    def last_note(self) -> str | None:
        return self.eraser.last_note

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        # apply_per_component runs the components in order: the luma first, with its start.
        starts = iter([restored_luma_plane(self.eraser, coefs, seed=seed)] + [None] * (coefs.n_components - 1))

        def plane(coef, table, rng):
            config = self.config
            if self.sized_kl_limit:
                config = dataclasses.replace(config, kl_threshold=decalibration_limit(8 * coef.shape[0],
                                                                                      8 * coef.shape[1]))
            x = fan_plane(coef, table, rng, config, start=next(starts))
            if not self.borders:
                return x
            x = smooth_block_borders(x)
            # Border smoothing can lift K_L back above de-calibration's limit on small images:
            # de-calibrate again (a no-op where it is still below, which is the usual case).
            if config.decalibrate and min(x.shape) >= 16:
                x = de_calibrate(x, threshold=config.kl_threshold, tolerance=config.kl_tolerance,
                                 step=config.decal_step, iterations=config.decal_iterations)
            return x

        return apply_per_component(coefs, plane, seed)


#: De-calibration's step in ``gan+targeted`` (one grey level: F3's two cost 0.6–0.9 dB more at QF
#: 50/75 after the generator, ``results/antiforensic/hybrid-stages.md``).
TARGETED_DECAL_STEP = 1.0
#: F3's de-calibration limit (the 0.0533 of Fan et al.'s demo code; they evaluated on UCID's 512 x 384 images).
F3_KL_THRESHOLD = FanConfig().kl_threshold
#: Which quantile of never-compressed K_L the generator methods de-calibrate to: the median, a
#: typical original of the plane's size (:func:`decalibration_limit`).
KL_QUANTILE = 0.5
#: ``gan+lattice-light``'s settings, lighter than ``gan+lattice``'s: de-calibration only to the
#: upper quartile of never-compressed K_L of the plane's size (0.199 / 0.126 at 128 / 256 px, the
#: K_L detector's thresholds there 0.53 / 0.32), and critic steps that stop at three quarters of
#: each critic's threshold instead of half. On 32 calibration crops at QF 75
#: (``results/antiforensic/hybrid-stages.md``, "De-calibrating less and lighter critic steps at
#: QF 75") they kept +0.05 / +0.08 dB at 128 / 256 px with no detector higher, on 64 others
#: +0.05 / +0.07 dB with the detectors a few crops either way.
LIGHT_KL_QUANTILE, LIGHT_CRITIC_FRACTION = 0.75, 0.75


def decalibration_limit(height: int, width: int, quantile: float = KL_QUANTILE) -> float:
    """The K_L at which the generator methods' de-calibration stops, for a plane of ``height`` x
    ``width``: the ``quantile`` (by default the median) of the K_L of never-compressed crops of the shipped reference
    (:data:`jpegaf.antiforensics.fan.KL_REFERENCE`) of the largest side whose area fits in the
    plane's (K_L's spread is set by the number of blocks); planes larger than the reference's
    largest crop (256 x 256) keep F3's limit, 0.0533.

    Why: F3's limit is its demo code's, for images like UCID's 512 x 384. A never-compressed
    crop's K_L grows as it shrinks (fewer blocks, noisier variances): the median is 0.28, 0.14 and
    0.077 at 64, 128 and 256 px, and 0.0533 lies below 99 % of never-compressed 128-px crops. Pushing a small image
    that far costs PSNR for no detector's sake: after the histogram smoothing, de-calibration to
    F3's limit cost 0.37 dB at 128 px (QF 50, 16 calibration crops) and to the median 0.04 dB, both
    leaving K_L's detector at 0 % (``results/antiforensic/hybrid-stages.md``, "De-calibration's limit").
    """
    side = int(np.sqrt(float(height) * float(width)))
    if side > max(reference_sides(KL_REFERENCE)):
        return F3_KL_THRESHOLD
    return never_compressed_kl(side, side, quantile)


#: The input sizes of the critics ``gan+critic`` and ``gan+lattice`` push against, all at once
#: (:func:`jpegaf.antiforensics.critic.critic_steps`; ``scripts/train_critics.py --size``).
CRITIC_SIZES = (64,)


def targeted_stages(x: np.ndarray, rng: np.random.Generator,
                    critics: Sequence[CnnDetector] = (), kl_threshold: float | None = None, *,
                    kl_quantile: float = KL_QUANTILE, critic_fraction: float = TARGET_FRACTION) -> np.ndarray:
    """``gan+targeted``'s stages on one restored plane (8 bh, 8 bw): de-calibration (K_L), corner
    matching (K_F), border smoothing (K_U), with ``critics`` the critic steps against them
    (:func:`jpegaf.antiforensics.critic.critic_steps`, ``gan+critic``), and de-calibration again
    where the stages after the first lifted K_L back above its limit; float64 integer-valued in
    [0, 255]. Planes under 16x16 (tiny chroma), which K_L cannot measure, skip de-calibration.
    De-calibration stops once K_L < ``kl_threshold`` + F3's tolerance (default: the plane's
    :func:`decalibration_limit` at ``kl_quantile``). ``critic_fraction``: the critic steps push
    every tile below that fraction of each critic's own threshold
    (:func:`~jpegaf.antiforensics.critic.critic_steps`)."""
    x = np.clip(np.floor(np.asarray(x, dtype=np.float64) + 0.5), 0.0, 255.0)
    if kl_threshold is None:
        kl_threshold = decalibration_limit(*x.shape, quantile=kl_quantile)
    measurable = min(x.shape) >= 16
    if measurable:
        x = de_calibrate(x, threshold=kl_threshold, step=TARGETED_DECAL_STEP)
    x = smooth_block_borders(match_corner_differences(x, rng))
    if critics:
        x = critic_steps(x, critics, fraction=critic_fraction)
    return de_calibrate(x, threshold=kl_threshold, step=TARGETED_DECAL_STEP) if measurable else x


class GanTargeted:
    """The ``gan+targeted`` method: ``GanTargeted(eraser)(coefs, seed) -> uint8 pixels`` (module
    doc). The luma is the generator's; Cb and Cr start from the decoded JPEG; every component
    then goes through :func:`targeted_stages`, with F3's per-component random streams.

    With ``critics`` (JPEG quality -> its :class:`~jpegaf.detectors.cnn.CnnDetector` critics, one
    per size of :data:`CRITIC_SIZES`), the ``gan+critic`` method: the luma also takes critic
    steps against the critics of the quality nearest the file's estimated one (ties to the
    higher). With ``lattice`` too, ``gan+lattice``:
    the generator's luma, unrounded, first has its coefficient histograms smoothed
    (:func:`jpegaf.antiforensics.lattice.smooth_lattice`). ``kl_quantile`` and
    ``critic_fraction``: :func:`targeted_stages`'s (``gan+lattice-light``: the ``LIGHT_*`` ones).
    """

    def __init__(self, eraser: GanEraser, critics: dict[int, tuple[CnnDetector, ...]] | None = None,
                 lattice: bool = False, kl_quantile: float = KL_QUANTILE,
                 critic_fraction: float = TARGET_FRACTION):
        self.eraser = eraser
        self.critics = critics or {}
        self.lattice = lattice
        self.kl_quantile = kl_quantile
        self.critic_fraction = critic_fraction

    def critics_for(self, coefs: JpegCoefficients) -> tuple[CnnDetector, ...]:
        """The critics for this file's quality; none without critics."""
        if not self.critics:
            return ()
        quality = estimate_quality(coefs.qt[0]).quality
        return self.critics[min(self.critics, key=lambda q: (abs(q - quality), -q))]

    @property
    def last_note(self) -> str | None:
        return self.eraser.last_note

    def __call__(self, coefs: JpegCoefficients, seed: int = 0) -> np.ndarray:
        luma = restored_luma_plane(self.eraser, coefs, rounded=not self.lattice, seed=seed)
        starts = iter([luma] + [None] * (coefs.n_components - 1))
        critics = iter([self.critics_for(coefs)] + [()] * (coefs.n_components - 1))

        def plane(coef, table, rng):
            x = next(starts)
            if x is None:
                x = decode_plane(np.asarray(coef).astype(np.int64), table)
            elif self.lattice:  # the luma, unrounded: the lattice stage rounds it
                x = smooth_lattice(x, coef, rng)
            return targeted_stages(x, rng, next(critics), kl_quantile=self.kl_quantile,
                                   critic_fraction=self.critic_fraction)

        return apply_per_component(coefs, plane, seed)
