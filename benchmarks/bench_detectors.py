"""Speed of each classical detector per 512x512 gray image.

For each detector: one warm-up call, then one timed call on each bundled 512x512 photograph (as
JPEG at quality 75, the usual input); the figure is the median over the images. Targets: under
100 ms per image for every detector except K_V and K_V^s (56 recompressions), under 2 s. The TV
curve's cache is emptied before each call, so both are timed as a first call; an image scored by
both (every table does) pays the recompressions once.
"""

import statistics
import time

from jpegaf.detectors import classical_detectors, tv
from jpegaf.imageio import read_image
from jpegaf.jpeg import jpeg_roundtrip
from jpegaf.samples import sample_paths

DETECTORS = classical_detectors()


def main(n_images: int = 8) -> None:
    images = [img for img in (read_image(p) for p in sample_paths()) if img.shape == (512, 512)]
    images = [jpeg_roundtrip(img, 75) for img in images[:n_images]]
    print(f"512x512 gray, JPEG QF 75, median over {len(images)} images")
    for det in DETECTORS:
        det.score(images[0])  # warm-up
        times = []
        for img in images:
            tv._tv_curve.cache_clear()
            start = time.perf_counter()
            det.score(img)
            times.append(time.perf_counter() - start)
        print(f"{det.name:14s} {statistics.median(times) * 1e3:8.1f} ms", flush=True)


if __name__ == "__main__":
    main()
