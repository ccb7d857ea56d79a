"""Shared fixtures: the bundled real photographs, loaded once per session."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


@pytest.fixture(scope="session")
def sample_files():
    paths = sample_paths()
    assert len(paths) >= 24, "the bundled sample set is missing (src/jpegaf/samples)"
    return paths


@pytest.fixture(scope="session")
def gray_images(sample_files) -> list[np.ndarray]:
    """Six bundled never-compressed gray photographs, uint8 (H, W)."""
    return [read_image(p) for p in sample_files[:6]]


@pytest.fixture(scope="session")
def photo(gray_images) -> np.ndarray:
    """One real photograph, cropped to 200x136 (sizes that are not multiples of 8 on purpose: 200 is, 136 is)."""
    return gray_images[0][:203, :141]
