"""What the generator's self-ensemble buys a restorer: PSNR and SSIM gain over the JPEG of one
generator run once, over the 4 flips and over all 8 symmetries of the square
(:func:`jpegaf.antiforensics.gan.ensemble_generate`; ``jpegaf erase --ensemble``), each projected
onto the file's quantization bins as :class:`~jpegaf.antiforensics.gan.GanEraser` does.

    python scripts/self_ensemble.py --quality 50 --generator src/jpegaf/pretrained/antiforensic-d-q50.safetensors
        [--n 24] [--size 256] [--corpus data/corpus]

On ``n`` crops of the corpus's calibration part, evenly spaced in name order (the crops of
``scripts/hybrid_stages.py``), their central ``--size`` part; selection figures, not a report.
The 8 members are computed once per crop and averaged in the three ways.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.antiforensics.gan import (DIHEDRAL_TRANSFORMS, ENSEMBLES, apply_symmetry, load_trained_generator,  # noqa: E402
                                      project_luma, undo_symmetry)
from jpegaf.data import centre_crop_position, crop  # noqa: E402
from jpegaf.data.corpus import is_corpus  # noqa: E402
from jpegaf.imageio import read_image, to_luma  # noqa: E402
from jpegaf.jpeg import compress, decompress, read_coefficients  # noqa: E402
from jpegaf.metrics import psnr, ssim  # noqa: E402

from hybrid_stages import calibration_sample  # noqa: E402  (the same crops as its tables; scripts/ is on the path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quality", type=int, required=True)
    ap.add_argument("--generator", required=True, help="generator weights (.safetensors, card beside)")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--size", type=int, choices=(128, 256), default=256)
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    args = ap.parse_args()
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    g = load_trained_generator(args.generator)
    files = calibration_sample(args.corpus, args.n)
    gains = {n: ([], []) for n in ENSEMBLES}
    start = time.perf_counter()
    for path in files:
        x = read_image(path)
        x = crop(x, *centre_crop_position(*x.shape[:2], args.size), args.size)
        data = compress(x, args.quality)
        coefs = read_coefficients(data)
        jpeg = to_luma(decompress(data))
        table = np.asarray(coefs.qt[0])
        # A 256- or 128-px crop keeps its block grid under every symmetry (ensemble_generate's rule).
        members = [undo_symmetry(g.apply(apply_symmetry(jpeg, t), table.T if t[0] else table, rounded=False), t)
                   for t in DIHEDRAL_TRANSFORMS]
        for n in ENSEMBLES:
            y = np.clip(np.floor(project_luma(np.mean(members[:n], axis=0), coefs) + 0.5), 0, 255).astype(np.uint8)
            gains[n][0].append(psnr(x, y) - psnr(x, jpeg))
            gains[n][1].append(ssim(x, y) - ssim(x, jpeg))
    print(f"{Path(args.generator).name}, QF {args.quality}, {len(files)} calibration crops of {args.size} px "
          f"({time.perf_counter() - start:.0f} s); mean gain over the JPEG, generator output projected onto the bins\n")
    print("| ensemble | PSNR gain (dB) | SSIM gain | crops improved over 1 |\n|---|---|---|---|")
    for n in ENSEMBLES:
        better = sum(a > b for a, b in zip(gains[n][0], gains[1][0]))
        print(f"| {n} | {np.mean(gains[n][0]):+.3f} | {np.mean(gains[n][1]):+.4f} | "
              f"{'' if n == 1 else f'{better} of {len(files)}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
