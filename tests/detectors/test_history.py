"""Tests of the JPEG-history check on real photographs.

scikit-image's camera.png is never-compressed (verified in the project's data-sources notes);
its chelsea.png is a decoded JPEG saved as PNG. The compressed controls are camera encoded with
Pillow and decoded again, read on the codec's grid and after cropping (3, 5) pixels off the top
and left, which moves the grid to offset (5, 3).
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jpegaf.detectors.history import (
    DEFAULT_THRESHOLD,
    HistoryScores,
    has_jpeg_history,
    jpeg_history_scores,
)

CROP = (3, 5)
# Where the 8x8 grid of a JPEG starts after CROP rows and columns are cut off its top and left.
CROPPED_GRID = ((8 - CROP[0]) % 8, (8 - CROP[1]) % 8)


def _skimage_image(name: str) -> np.ndarray:
    """Luma (H, W) uint8 of one of scikit-image's bundled PNGs, read without importing skimage
    (slow). Colour is converted with BT.601 weights, rounded half up."""
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations, "scikit-image is not installed"
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"{name}.png"
    with Image.open(path) as im:
        arr = np.asarray(im.convert("RGB") if im.mode not in ("L", "RGB") else im)
    if arr.ndim == 2:
        return arr.copy()
    luma = np.floor(arr.astype(np.float64) @ np.array([0.299, 0.587, 0.114]) + 0.5)
    return luma.astype(np.uint8)


def _jpeg_roundtrip(img: np.ndarray, quality: int) -> np.ndarray:
    """Encode (H, W) uint8 as a grayscale JPEG with Pillow and decode it back."""
    buf = io.BytesIO()
    Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=quality)
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        return np.asarray(im.convert("L")).copy()


@pytest.fixture(scope="module")
def camera() -> np.ndarray:
    return _skimage_image("camera")


@pytest.fixture(scope="module")
def camera_scores(camera) -> HistoryScores:
    return jpeg_history_scores(camera)


def test_never_compressed_photo_is_not_flagged(camera, camera_scores):
    assert camera.shape == (512, 512)
    assert camera_scores.lattice_z < DEFAULT_THRESHOLD
    assert camera_scores.integer_z < DEFAULT_THRESHOLD
    assert not has_jpeg_history(camera)


def test_scores_are_plain_python_values(camera_scores):
    assert isinstance(camera_scores.lattice_z, float)
    assert isinstance(camera_scores.integer_z, float)
    for offset in (camera_scores.lattice_offset, camera_scores.integer_offset):
        assert isinstance(offset, tuple) and len(offset) == 2
        assert all(isinstance(v, int) and 0 <= v < 8 for v in offset)
    with pytest.raises(AttributeError):
        camera_scores.lattice_z = 0.0  # frozen


@pytest.mark.parametrize("quality", [50, 75, 95, 100])
@pytest.mark.parametrize("cropped", [False, True], ids=["aligned", "cropped"])
def test_decoded_jpeg_is_flagged_at_its_grid(camera, quality, cropped):
    decoded = _jpeg_roundtrip(camera, quality)
    grid = (0, 0)
    if cropped:
        decoded = decoded[CROP[0]:, CROP[1]:]
        grid = CROPPED_GRID
    scores = jpeg_history_scores(decoded)
    assert has_jpeg_history(decoded)
    if quality < 100:
        # Quantisation steps >= 2 leave a lattice, found at the codec's own grid offset.
        assert scores.lattice_z > DEFAULT_THRESHOLD
        assert scores.lattice_offset == grid
    else:
        # Quality 100 quantises with step 1: no lattice, only the integer test can see it.
        assert scores.lattice_z < DEFAULT_THRESHOLD
        assert scores.integer_z > DEFAULT_THRESHOLD
    if scores.integer_z > DEFAULT_THRESHOLD:
        assert scores.integer_offset == grid


def test_jpeg_derived_png_is_flagged():
    chelsea = _skimage_image("chelsea")
    scores = jpeg_history_scores(chelsea)
    assert scores.lattice_z > DEFAULT_THRESHOLD
    assert scores.lattice_offset == (0, 0)
    assert has_jpeg_history(chelsea)


def test_threshold_argument_is_used(camera, camera_scores):
    below_both = min(camera_scores.lattice_z, camera_scores.integer_z) - 1.0
    assert has_jpeg_history(camera, threshold=below_both)


def test_constant_image_scores_zero():
    # Every offset gives the same value, so the spread is 0: the guard must not divide by it.
    scores = jpeg_history_scores(np.full((64, 48), 117, dtype=np.uint8))
    assert scores.lattice_z == 0.0 and scores.integer_z == 0.0
    assert not has_jpeg_history(np.full((64, 48), 117, dtype=np.uint8))


def test_deterministic(camera, camera_scores):
    assert jpeg_history_scores(camera.copy()) == camera_scores


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((64, 64, 3), dtype=np.uint8),
        np.zeros((64, 64), dtype=np.float64),
        np.zeros((64, 64), dtype=np.uint16),
        np.zeros((15, 64), dtype=np.uint8),
        np.zeros((64, 15), dtype=np.uint8),
        np.zeros(256, dtype=np.uint8),
    ],
    ids=["rgb", "float", "uint16", "short", "narrow", "1d"],
)
def test_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        jpeg_history_scores(bad)


def test_accepts_smallest_input():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(16, 16), dtype=np.uint8)
    scores = jpeg_history_scores(img)
    assert np.isfinite(scores.lattice_z) and np.isfinite(scores.integer_z)


@pytest.mark.parametrize("quality", [None, 50, 95])
def test_sparse_lattice_value_equals_the_dense_weights(camera, quality):
    """_lattice_value sums second differences at the multiples of each step; written with the
    dense weight matrix of _lattice_weights the result must be the same float, on an original and
    on JPEGs, on the codec's grid and off it."""
    from jpegaf.detectors import history as h

    img = camera if quality is None else _jpeg_roundtrip(camera, quality)
    weights = h._lattice_weights(h.LATTICE_STEPS, h.MAX_ABS_COEF)
    for dy, dx in [(0, 0), (3, 5)]:
        rounded = np.rint(h.grid_coefficients(img, dy, dx))
        mags = np.minimum(np.abs(rounded), h.MAX_ABS_COEF - 1).astype(np.intp).reshape(-1, 64)
        hist = np.stack([np.bincount(mags[:, k], minlength=h.MAX_ABS_COEF) for k in range(64)])
        excess = (hist.astype(np.float64) @ weights.T) * h._EVIDENCE
        dense = np.maximum(excess.max(axis=1), 0.0).sum() / (mags.size - hist[:, 0].sum())
        assert h._lattice_value(rounded) == pytest.approx(float(dense), rel=1e-12, abs=0)
        on_lattice = quality is not None and (dy, dx) == (0, 0)
        assert (dense > 0.1) if on_lattice else (dense < 0.05)  # the values are not trivial
