"""Real never-compressed images for the jpegaf.data tests.

Sources, in order of preference: the package's bundled samples (``src/jpegaf/samples/*.png``) when
at least six of them are 128 pixels or more on each side, otherwise scikit-image's bundled photos
that /work/shared/reference/data-sources.md lists as never JPEG-compressed. Images are converted to
luma and written in a mixture of lossless formats, so the tests also exercise every reader.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import jpegaf
from jpegaf.imageio import read_image, to_luma, write_image

N_IMAGES = 6
MIN_SIDE = 128
# Verified never-compressed (data-sources.md); chelsea, coins, grass, page are JPEG-derived.
SKIMAGE_CLEAN = ("camera", "astronaut", "coffee", "brick", "gravel", "text", "motorcycle_left",
                 "cell", "color", "clock_motion")
SUFFIXES = (".png", ".pgm", ".tif", ".bmp")


def _skimage_data_dir() -> Path:
    # Located without importing scikit-image (its import is slow and not needed here).
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("scikit-image (test dependency) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _big_enough(path: Path) -> bool:
    with Image.open(path) as im:
        return min(im.size) >= MIN_SIDE


def source_files() -> list[Path]:
    """The real image files the test folders are made from (sorted, deterministic)."""
    samples = sorted(Path(jpegaf.__file__).parent.joinpath("samples").glob("*.png"))
    samples = [p for p in samples if _big_enough(p)]
    if len(samples) >= N_IMAGES:
        return samples[:N_IMAGES]
    data = _skimage_data_dir()
    return [data / f"{name}.png" for name in SKIMAGE_CLEAN[:N_IMAGES]]


@pytest.fixture(scope="session")
def real_folder(tmp_path_factory) -> Path:
    """A folder of six real gray images, named ``NN_name.ext`` with ext cycling PNG/PGM/TIFF/BMP."""
    folder = tmp_path_factory.mktemp("real_images")
    for i, src in enumerate(source_files()):
        write_image(folder / f"{i:02d}_{src.stem}{SUFFIXES[i % len(SUFFIXES)]}",
                    to_luma(read_image(src)))
    return folder


@pytest.fixture(scope="session")
def real_files(real_folder) -> list[Path]:
    """The files of :func:`real_folder`, sorted."""
    return sorted(real_folder.iterdir())


@pytest.fixture(scope="session")
def real_rgb() -> np.ndarray:
    """A real never-compressed RGB photo, uint8 (H, W, 3)."""
    for src in source_files():
        img = read_image(src)
        if img.ndim == 3:
            return img
    return read_image(_skimage_data_dir() / "astronaut.png")
