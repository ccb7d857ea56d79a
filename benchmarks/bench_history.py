"""Speed of the JPEG-history check on a 512x512 bundled photograph (median of 7 runs after warm-up)."""

import statistics
import time

from jpegaf.detectors.history import jpeg_history_scores
from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


def main() -> None:
    img = read_image(sample_paths()[0])
    jpeg_history_scores(img)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        jpeg_history_scores(img)
        times.append(time.perf_counter() - start)
    print(f"jpeg_history_scores {img.shape[1]}x{img.shape[0]}: median {statistics.median(times) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
