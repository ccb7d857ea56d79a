"""Speed of the anti-forensic methods per 512x512 gray image, as a ratio to decoding the JPEG.

Median over the bundled 512x512 photographs (QF 50), each timed after one warm-up call, all in
one run: decode (libjpeg), F1, F2, and F3 when it is installed in this version.
"""

import statistics
import sys
import time

from jpegaf import jpeg
from jpegaf.antiforensics import StammDeblocking, StammDither
from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


def timed(func, *args, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return min(times)  # best of a few calls of one image; the median is taken over images


def main(n_images: int = 6, f3_images: int = 3) -> None:
    images = [img for img in (read_image(p) for p in sample_paths()) if img.shape == (512, 512)]
    files = [jpeg.compress(img, 50) for img in images[:n_images]]
    methods = [("F1", StammDither()), ("F2", StammDeblocking())]
    try:
        from jpegaf.antiforensics import FanVariational
        methods.append(("F3", FanVariational()))
    except ImportError:
        pass
    coefs = [jpeg.read_coefficients(d) for d in files]
    for m in methods:
        m[1](coefs[0], 0)  # warm-up (F2 calibrates its K_F target once per size)
    decode = statistics.median(timed(jpeg.decompress, d) for d in files)
    print(f"512x512 gray, QF 50, {len(files)} images; decode (libjpeg): {decode * 1e3:.2f} ms")
    for name, method in methods:
        n = f3_images if name == "F3" else len(files)
        t = statistics.median(timed(method, c, 0, repeat=1 if name == "F3" else 3) for c in coefs[:n])
        print(f"{name}: {t * 1e3:9.1f} ms per image  = {t / decode:8.1f} x decoding  ({n} images)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
