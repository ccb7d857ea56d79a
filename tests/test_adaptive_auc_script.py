"""scripts/adaptive_auc.py: the quality side of an adaptive run's result."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("adaptive_auc")


def test_psnr_gain_is_the_mean_per_crop_gain_over_the_jpeg_and_leaves_lossless_jpegs_out(script, gray_images):
    # two real crops kept off the ends of the range, so that every shift below is exact
    a, b = (np.clip(img[:64, :64], 2, 253).astype(np.int16) for img in gray_images[:2])
    u8 = lambda img: img.astype(np.uint8)  # noqa: E731
    originals = [u8(a), u8(b), u8(a)]
    jpegs = [u8(a + 2), u8(b + 1), u8(a)]  # the third JPEG is lossless (infinite PSNR): left out
    outputs = [u8(a - 1), u8(b + 2), u8(a + 5)]
    # 10 log10(4 / 1) on the first crop, 10 log10(1 / 4) on the second
    assert script.psnr_gain(originals[:1], outputs[:1], jpegs[:1]) == pytest.approx(10 * np.log10(4.0), abs=1e-9)
    assert script.psnr_gain(originals, outputs, jpegs) == pytest.approx(0.0, abs=1e-9)
