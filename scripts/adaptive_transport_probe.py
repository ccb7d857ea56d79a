"""A probe (issue 14): does giving a method's outputs the originals' coefficient distributions, or
their power spectrum, hide them from an analyst who retrains on them?

    python scripts/adaptive_transport_probe.py [--transport subband|spectrum] --strength S --maps OUT.npz
        [--fixed-detectors] -- ADAPTIVE_AUC_ARGS...

``scripts/realism_cost.py`` found that the adaptive CNN trained against the QF 25 erase default
stops separating the generator's estimate from originals (AUC 0.97 → 0.56 on 40 calibration crops)
once each subband's coefficients are mapped monotonically onto the originals' pooled distribution,
at about 1.5 dB. That detector was trained on the untransported outputs; this probe retrains it
on transported ones. Steps:

1. **Fit** (once, written to ``--maps``) on the run's own training crops — the corpus's train
   part, crops and seeds exactly as ``scripts/adaptive_auc.py`` makes them, the method's outputs
   read from its cache; nothing of the calibration or test parts is used — one of two transports:
   ``subband``: per subband of the 8x8 block DCT on the JPEG's grid, the monotone map from the
   pooled distribution of the outputs' coefficients onto the originals' (:class:`SubbandTransport`);
   ``spectrum``: a gain per radial frequency of the whole crop's DCT that gives the outputs the
   originals' mean power spectrum (:class:`SpectrumTransport`: no grid).
2. **Train and test**: ``scripts/adaptive_auc.py`` with the given arguments, every output of the
   method replaced by ``output + S (T(output) - output)`` (``S``: ``--strength``), rounded to grey
   levels. The method's outputs stay cached untransported, so a run folder whose ``cache`` points
   at an earlier run's reuses them.

A probe, not a method: the transport runs on the finished outputs (after the lattice stages,
whose work it can undo), and ``--maps`` is fit for one method and quality. Printed:
``adaptive_auc.py``'s result, then the mean PSNR gain over the JPEG of the test part's outputs,
untransported and transported; with ``--fixed-detectors``, also each classical detector's
(``jpegaf detect``'s default set) and the shipped CNN's of the size and quality detection rate on
the test part's originals and both outputs, at the shipped thresholds. Run again once trained, it
skips the training.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import scipy.fft

sys.path.insert(0, str(Path(__file__).resolve().parent))
import adaptive_auc  # noqa: E402  (puts the repository's src/ on the path too)
from realism_cost import apply_pooled, pooled_maps  # noqa: E402

from jpegaf.data import TrainPairs  # noqa: E402
from jpegaf.data.corpus import read_corpus_parts  # noqa: E402
from jpegaf.detectors import (calibration_for_image, classical_detectors, load_calibrations,  # noqa: E402
                              select_detectors, verdict)
from jpegaf.detectors.cnn import CnnDetector  # noqa: E402
from jpegaf.jpeg.dct import block_dct, block_idct, to_uint8  # noqa: E402
from jpegaf.metrics import rate_interval  # noqa: E402
from jpegaf.pretrained import PRETRAINED_DIR  # noqa: E402
from jpegaf.train import detector as detector_training  # noqa: E402

def training_pairs(auc_args: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(original, method's output) uint8 crops of the run's training set, exactly as
    ``adaptive_auc.py`` makes them (its configuration, read back from its parser; the outputs
    from its cache)."""
    args = adaptive_auc.parse(auc_args)
    config, negatives = adaptive_auc.configuration(args)[:2]
    pairs = TrainPairs(detector_training.prepare_data(config, Path(args.corpus))[0], config.quality,
                       crop_size=config.size, crops_per_image=config.crops_per_image, seed=config.seed,
                       augment=config.augment, cache_dir=config.cache_dir)
    items = detector_training.DetectorPairs(pairs, negatives)
    return [items.crop_pair(i) for i in range(len(pairs))]


class SubbandTransport:
    """Each coefficient of the 8x8 block DCT (on the JPEG's grid) mapped monotonically from the
    pooled distribution of the outputs' coefficients of its subband onto the originals'."""

    def __init__(self, output_quantiles: np.ndarray, original_quantiles: np.ndarray):
        self.g_q, self.x_q = output_quantiles, original_quantiles

    @classmethod
    def fit(cls, pairs: list[tuple[np.ndarray, np.ndarray]]) -> "SubbandTransport":
        g_q, x_q, _ = pooled_maps([block_dct(y) for _, y in pairs], [block_dct(x) for x, _ in pairs])
        return cls(g_q, x_q)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"output_quantiles": self.g_q, "original_quantiles": self.x_q}

    def __call__(self, img: np.ndarray, strength: float) -> np.ndarray:
        """``img`` (uint8) moved ``strength`` of the way to its transport, rounded."""
        c = block_dct(img)
        return to_uint8(block_idct(c + strength * (apply_pooled(c, self.g_q, self.x_q) - c)))


def radial_bins(size: int) -> np.ndarray:
    """The radial frequency bin, floor(sqrt(u^2 + v^2)), of every coefficient of a size x size DCT."""
    u = np.arange(size)
    return np.floor(np.hypot(*np.meshgrid(u, u, indexing="ij"))).astype(np.int64)


class SpectrumTransport:
    """The whole crop's DCT (symmetric extension: no wrap-around edges, and no 8x8 grid, so it
    cannot bring blocking back) multiplied by a gain per radial frequency that gives the outputs
    the originals' mean power spectrum: a shift-invariant sharpening, the Gaussian stationary case
    of the monotone transport (Freirich et al.). ``gain[r]`` for radial bin r; the mean is kept."""

    def __init__(self, gain: np.ndarray):
        self.gain = gain

    @classmethod
    def fit(cls, pairs: list[tuple[np.ndarray, np.ndarray]]) -> "SpectrumTransport":
        size = pairs[0][0].shape[0]
        bins = radial_bins(size).ravel()
        power = {}
        for name, index in (("original", 0), ("output", 1)):
            total = np.zeros(bins.max() + 1)
            for pair in pairs:
                c = scipy.fft.dctn(pair[index].astype(np.float64), norm="ortho")
                total += np.bincount(bins, weights=(c ** 2).ravel(), minlength=total.size)
            power[name] = total
        gain = np.sqrt(np.divide(power["original"], power["output"], out=np.ones_like(total),
                                 where=power["output"] > 0))
        gain[0] = 1.0
        return cls(gain)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"gain": self.gain}

    def __call__(self, img: np.ndarray, strength: float) -> np.ndarray:
        c = scipy.fft.dctn(img.astype(np.float64), norm="ortho")
        g = 1.0 + strength * (self.gain[radial_bins(img.shape[0])] - 1.0)
        return to_uint8(scipy.fft.idctn(c * g, norm="ortho"))


def fixed_detector_rates(sets: dict[str, list[np.ndarray]], quality: int, size: int) -> None:
    """Print each fixed detector's detection rate (with its 95 % interval) on every set of crops."""
    calibrations = load_calibrations()
    cnn = CnnDetector.load(PRETRAINED_DIR / f"detector-{size}-q{quality}.safetensors")
    detectors = [(d.name, d.score, calibration_for_image(calibrations, d.name, (size, size)))
                 for d in select_detectors(classical_detectors(), "default")]
    detectors.append((f"CNN-{size}-q{quality}", cnn.score, cnn.calibration))
    print("| crops | " + " | ".join(name for name, _, _ in detectors) + " |")
    print("|---|" + "---|" * len(detectors))
    for label, crops in sets.items():
        cells = []
        for _, score, cal in detectors:
            hits = sum(verdict(score(c), cal) for c in crops)
            lo, hi = rate_interval(hits, len(crops))
            cells.append(f"{hits / len(crops):.1%} [{lo:.0%}–{hi:.0%}]")
        print(f"| {label} ({len(crops)}) | " + " | ".join(cells) + " |", flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strength", type=float, required=True)
    ap.add_argument("--transport", choices=("subband", "spectrum"), default="subband",
                    help="subband: per-subband monotone maps on the JPEG's 8x8 grid; spectrum: a gain per "
                         "radial frequency of the whole crop's DCT (no grid)")
    ap.add_argument("--maps", type=Path, required=True, help="the fitted maps (.npz; fit and written if missing)")
    ap.add_argument("--fixed-detectors", action="store_true",
                    help="also the fixed detectors' rates on the test part (originals and both outputs)")
    args = ap.parse_args(argv[:split])
    auc_args = argv[split + 1:]
    kind = SubbandTransport if args.transport == "subband" else SpectrumTransport
    if args.maps.exists():
        transport = kind(**np.load(args.maps))
    else:
        pairs = training_pairs(auc_args)
        transport = kind.fit(pairs)
        args.maps.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.maps, **transport.arrays())
        print(f"maps fit on {len(pairs)} training crops -> {args.maps}", flush=True)
        del pairs

    plain_get = detector_training.Negatives.get

    done: dict = {}

    def get(self, key, original, decoded, seed):  # the cache keeps the untransported outputs
        if (key, seed) not in done:
            done[key, seed] = transport(plain_get(self, key, original, decoded, seed), args.strength)
        return done[key, seed]

    detector_training.Negatives.get = get
    parsed = adaptive_auc.parse(auc_args)
    status = adaptive_auc.run(parsed)
    if status == 0:  # the PSNR the transport costs on the test part
        config, negatives = adaptive_auc.configuration(parsed)[:2]
        test = detector_training.held_out_set(config, read_corpus_parts(Path(parsed.corpus)).test, negatives)
        detector_training.Negatives.get = plain_get
        plain = detector_training.held_out_set(config, read_corpus_parts(Path(parsed.corpus)).test, negatives)
        for label, outs in (("untransported", plain.processed), (f"transported x{args.strength:g}", test.processed)):
            gain = adaptive_auc.psnr_gain(test.originals, outs, test.jpegs)
            print(f"test part, {label}: mean PSNR gain over the JPEG {gain:+.2f} dB")
        if args.fixed_detectors:
            fixed_detector_rates({"originals": test.originals, "untransported": plain.processed,
                                  f"transported x{args.strength:g}": test.processed}, config.quality, config.size)
    return status


if __name__ == "__main__":
    sys.exit(main())
