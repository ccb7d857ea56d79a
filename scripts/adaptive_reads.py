"""What an adaptive CNN reads: its scores on originals and on variants of them, as ROC AUCs against
the originals (issue 14; a probe after ``results/antiforensic/adaptive-gan+lattice-light-d10x8-256-q25-40ep/``).

    python scripts/adaptive_reads.py --detector RUN/detector.safetensors --quality 25
        --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors [--ensemble 8] [--n 40]
        [--corpus data/corpus]

For ``n`` crops of the corpus's calibration part (every fourth, in name order; 256 px), the
detector scores the original, the original with Gaussian noise of one grey level, the original
blurred by a Gaussian of 0.5 px, its JPEG at ``--quality``, F3's output, and the outputs of
``gan`` (the generator alone, over its self-ensemble), ``gan+targeted`` and ``gan+lattice-light``.
Printed: each crop's scores, then each variant's AUC against the originals and its mean score.
Whether the detector flags the generator alone as much as the whole method says whether it
learned the generator's signature or the later stages'; the noisy and blurred originals say
whether it reads the noise floor. A probe on the calibration part, where methods are chosen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.ndimage import gaussian_filter

from jpegaf.antiforensics.files import make_method
from jpegaf.data.corpus import read_corpus_parts
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image, to_luma
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.jpeg.dct import to_uint8
from jpegaf.metrics import roc_auc

METHODS = ("f3", "gan", "gan+targeted", "gan+lattice-light")


def variants(x: np.ndarray, quality: int, methods: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The original crop ``x`` (uint8 luma) and every variant the probe scores."""
    data = compress(x, quality)
    coefs = read_coefficients(data)
    out = {"original": x, "original + noise 1": to_uint8(x + rng.normal(0.0, 1.0, x.shape)),
           "original blurred 0.5": to_uint8(gaussian_filter(x.astype(np.float64), 0.5)), "jpeg": decompress(data)}
    for name, method in methods.items():
        y = method(coefs, 0)
        out[name] = to_luma(y) if y.ndim == 3 else y
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--detector", type=Path, required=True)
    ap.add_argument("--quality", type=int, required=True)
    ap.add_argument("--generator", required=True)
    ap.add_argument("--ensemble", type=int, choices=(1, 4, 8), default=8)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    args = ap.parse_args(argv)

    det = CnnDetector.load(args.detector)
    methods = {name: make_method(name, [args.generator] if name != "f3" else [],
                                 ensemble=args.ensemble if name != "f3" else None) for name in METHODS}
    files = read_corpus_parts(args.corpus).calibration[::4][:args.n]
    rng = np.random.default_rng(0)
    scores: dict[str, list[float]] = {}
    for path in files:
        for name, img in variants(to_luma(read_image(path)), args.quality, methods, rng).items():
            scores.setdefault(name, []).append(det.score(img))
        print(f"{path.stem[:30]:30s} " + " ".join(f"{k}: {v[-1]:.2f}" for k, v in scores.items()), flush=True)
    originals = scores["original"]
    print(f"{len(files)} calibration crops, QF {args.quality}; the detector's threshold {det.calibration.threshold:.3f}")
    for name, values in scores.items():
        auc = "" if name == "original" else f"AUC against the originals {roc_auc(originals, values):.3f}, "
        print(f"{name:22s} {auc}mean score {np.mean(values):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
