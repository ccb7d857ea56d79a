"""Speed of the anti-forensic methods per 512x512 gray image, as a ratio to decoding the JPEG.

Median over the bundled 512x512 photographs (compressed at ``--quality``, 50 unless told), each
timed after one warm-up call, all in one run: decode (libjpeg), F1, F2, F3, and the generator
methods with the shipped generators: the GAN (restorer), gan+f3 and gan+f3-light (the generator,
then F3's later stages, published or eased), gan+targeted (the generator, then de-calibration,
corner matching, border smoothing) and gan+critic (the same with steps against a frozen CNN
critic), gan+lattice (gan+critic after histogram smoothing of the generator's coefficients),
gan+lattice-light (its lighter de-calibration and critic steps), the GAN with its self-ensemble of
4 and 8 symmetries (``GAN x4``, ``GAN x8``: ``jpegaf erase --ensemble``), and ``auto``, what
``jpegaf erase`` runs by default: the shipped erase policy's entry for the files' quality (the
policy runs gan+lattice-light at QF 25, gan+lattice at 50 and 75), with its own generators and
self-ensemble (``auto x1``: the same with each generator run once, ``jpegaf erase --ensemble 1``).

    python benchmarks/bench_antiforensics.py [--quality 25|50|75] [--only NAME ...]

``--only`` times some of them (the names printed, e.g. ``--only GAN gan+critic gan+lattice``);
decoding is always timed, as every ratio is to it.
"""

import argparse
import statistics
import sys
import time

from jpegaf import jpeg
from jpegaf.antiforensics import FanVariational, StammDeblocking, StammDither, generator_method
from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.policy import POLICY_FILE, PolicyEraser
from jpegaf.imageio import read_image
from jpegaf.pretrained import PRETRAINED_DIR, shipped_generators
from jpegaf.samples import sample_paths

SLOW = ("F3", "gan+f3", "gan+f3-light")  # timed once per image, on fewer images


def timed(func, *args, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return min(times)  # best of a few calls of one image; the median is taken over images


def main(n_images: int = 6, f3_images: int = 3, only: list[str] | None = None, quality: int = 50) -> None:
    images = [img for img in (read_image(p) for p in sample_paths()) if img.shape == (512, 512)]
    files = [jpeg.compress(img, quality) for img in images[:n_images]]
    eraser = GanEraser(shipped_generators())
    methods = [("F1", StammDither()), ("F2", StammDeblocking()), ("F3", FanVariational()), ("GAN", eraser),
               ("GAN x4", GanEraser(shipped_generators(), ensemble=4)),
               ("GAN x8", GanEraser(shipped_generators(), ensemble=8)),
               ("gan+f3", generator_method("gan+f3", eraser)),
               ("gan+f3-light", generator_method("gan+f3-light", eraser)),
               ("gan+targeted", generator_method("gan+targeted", eraser)),
               ("gan+critic", generator_method("gan+critic", eraser)),
               ("gan+lattice", generator_method("gan+lattice", eraser)),
               ("gan+lattice-light", generator_method("gan+lattice-light", eraser)),
               ("auto", PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE)),
               ("auto x1", PolicyEraser.from_file(PRETRAINED_DIR / POLICY_FILE, ensemble=1))]
    if only:
        unknown = sorted(set(only) - {name for name, _ in methods})
        if unknown:
            sys.exit(f"unknown method(s) {', '.join(unknown)}; one of {', '.join(name for name, _ in methods)}")
        methods = [m for m in methods if m[0] in only]
    coefs = [jpeg.read_coefficients(d) for d in files]
    for m in methods:
        m[1](coefs[0], 0)  # warm-up (F2 calibrates its K_F target once per size)
    decode = statistics.median(timed(jpeg.decompress, d) for d in files)
    print(f"512x512 gray, QF {quality}, {len(files)} images; decode (libjpeg): {decode * 1e3:.2f} ms")
    for name, method in methods:
        n = f3_images if name in SLOW else len(files)
        t = statistics.median(timed(method, c, 0, repeat=1 if name in SLOW else 3) for c in coefs[:n])
        print(f"{name}: {t * 1e3:9.1f} ms per image  = {t / decode:8.1f} x decoding  ({n} images)")
    sys.stdout.flush()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="time only these methods")
    ap.add_argument("--quality", type=int, default=50, help="JPEG quality of the timed files (default 50)")
    args = ap.parse_args()
    main(only=args.only, quality=args.quality)
