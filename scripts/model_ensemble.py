"""What averaging *different* generators buys a restorer, beyond one generator's self-ensemble: PSNR
and SSIM gain over the JPEG of each generator averaged over the 8 symmetries of the square
(:func:`jpegaf.antiforensics.gan.ensemble_generate`), and of every mean of two or more of those
(equal weights), each projected onto the file's quantization bins as
:class:`~jpegaf.antiforensics.gan.GanEraser` does.

    python scripts/model_ensemble.py --quality 75 --generators A.safetensors B.safetensors [C ...]
        [--n 24] [--size 128|256] [--corpus data/corpus]

Generators trained apart (other data order, objective or hardware) make errors that differ more
than one generator's under the symmetries, so their mean may be closer to the original. On ``n``
crops of the corpus's calibration part, evenly spaced in name order (the crops of
``scripts/hybrid_stages.py`` and ``scripts/self_ensemble.py``), their central ``--size`` part;
selection figures, not a report.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.antiforensics.gan import load_trained_generator, project_luma  # noqa: E402
from jpegaf.data import centre_crop_position, crop  # noqa: E402
from jpegaf.data.corpus import is_corpus  # noqa: E402
from jpegaf.imageio import read_image, to_luma  # noqa: E402
from jpegaf.jpeg import compress, decompress, read_coefficients  # noqa: E402
from jpegaf.metrics import psnr, ssim  # noqa: E402

from hybrid_stages import calibration_sample  # noqa: E402  (the same crops as its tables; scripts/ is on the path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quality", type=int, required=True)
    ap.add_argument("--generators", nargs="+", required=True, help="generator weights (.safetensors, card beside)")
    ap.add_argument("--ensemble", type=int, choices=(1, 4, 8), default=8, help="symmetries per generator")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--size", type=int, choices=(128, 256), default=256)
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    args = ap.parse_args()
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    if len(args.generators) < 2:
        ap.error("--generators needs at least two files")
    names = [Path(p).stem for p in args.generators]
    nets = [load_trained_generator(p) for p in args.generators]
    files = calibration_sample(args.corpus, args.n)
    subsets = [s for k in range(1, len(nets) + 1) for s in itertools.combinations(range(len(nets)), k)]
    gains = {s: ([], []) for s in subsets}
    skipped = 0
    start = time.perf_counter()
    for path in files:
        x = read_image(path)
        x = crop(x, *centre_crop_position(*x.shape[:2], args.size), args.size)
        data = compress(x, args.quality)
        coefs = read_coefficients(data)
        jpeg = to_luma(decompress(data))
        if np.array_equal(x, jpeg):  # a flat crop the JPEG kept exactly: no gain to measure
            skipped += 1
            continue
        outs = [g.apply(jpeg, np.asarray(coefs.qt[0]), rounded=False, ensemble=args.ensemble) for g in nets]
        for s in subsets:
            y = np.clip(np.floor(project_luma(np.mean([outs[i] for i in s], axis=0), coefs) + 0.5), 0, 255)
            y = y.astype(np.uint8)
            gains[s][0].append(psnr(x, y) - psnr(x, jpeg))
            gains[s][1].append(ssim(x, y) - ssim(x, jpeg))
    n = len(files) - skipped
    print(f"QF {args.quality}, {n} calibration crops of {args.size} px ({skipped} left out: the JPEG equals "
          f"the original), each generator over {args.ensemble} symmetries ({time.perf_counter() - start:.0f} s); "
          f"mean gain over the JPEG, output projected onto the bins\n")
    best_single = max(range(len(nets)), key=lambda i: np.mean(gains[(i,)][0]))
    print(f"| mean of | PSNR gain (dB) | SSIM gain | crops better than {names[best_single]} alone |\n|---|---|---|---|")
    for s in subsets:
        better = sum(a > b for a, b in zip(gains[s][0], gains[(best_single,)][0]))
        print(f"| {' + '.join(names[i] for i in s)} | {np.mean(gains[s][0]):+.3f} | {np.mean(gains[s][1]):+.4f} | "
              f"{'' if s == (best_single,) else f'{better} of {n}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
