"""The codec on the bundled photographs: agreement with Pillow's libjpeg-turbo, and speed.

Prints, for QF 25/50/75 over every bundled sample: how many images give coefficient arrays and
decoded pixels identical to Pillow's, and the median encode / decode / coefficient-read times of a
512x512 image (after warm-up).
"""

import io
import statistics
import time

import numpy as np
from PIL import Image

from jpegaf import jpeg
from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


def pillow_bytes(img: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def median_ms(func, *args, repeat: int = 30) -> float:
    func(*args)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    images = [read_image(p) for p in sample_paths()]
    print(f"codec: {jpeg.libjpeg_version()}; {len(images)} bundled photographs")
    for q in (25, 50, 75):
        same_coef = same_pixels = same_tables = 0
        for img in images:
            ours, theirs = jpeg.compress(img, q), pillow_bytes(img, q)
            a, b = jpeg.read_coefficients(ours), jpeg.read_coefficients(theirs)
            same_coef += np.array_equal(a.coef[0], b.coef[0])
            same_tables += np.array_equal(a.qt[0], b.qt[0])
            same_pixels += np.array_equal(jpeg.decompress(ours), np.asarray(Image.open(io.BytesIO(ours))))
        print(f"QF {q}: identical tables {same_tables}/{len(images)}, coefficients {same_coef}/{len(images)}, "
              f"decoded pixels (ours vs Pillow decoder) {same_pixels}/{len(images)}")
    img = next(i for i in images if i.shape == (512, 512))
    data = jpeg.compress(img, 50)
    print(f"512x512 gray, QF 50 (median of 30): compress {median_ms(jpeg.compress, img, 50):.2f} ms, "
          f"decompress {median_ms(jpeg.decompress, data):.2f} ms, "
          f"read_coefficients {median_ms(jpeg.read_coefficients, data):.2f} ms, "
          f"Pillow save {median_ms(pillow_bytes, img, 50):.2f} ms")


if __name__ == "__main__":
    main()
