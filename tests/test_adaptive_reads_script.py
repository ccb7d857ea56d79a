"""scripts/adaptive_reads.py: the variants the probe scores, on a small image made here."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.jpeg import compress, decompress


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("adaptive_reads")


def test_variants_are_the_original_its_noisy_blurred_and_jpeg_versions_and_each_methods_output(script):
    rng = np.random.default_rng(3)
    x = np.clip(128 + np.cumsum(rng.normal(0, 4, (64, 64)), axis=1), 0, 255).astype(np.uint8)
    calls = []

    def method(coefs, seed):  # stands for an anti-forensic method: records what it was given
        calls.append((coefs.coef[0].shape, seed))
        return np.full((64, 64, 3), 7, np.uint8)

    out = script.variants(x, 25, {"m": method}, np.random.default_rng(0))
    assert list(out) == ["original", "original + noise 1", "original blurred 0.5", "jpeg", "m"]
    assert out["original"] is x
    np.testing.assert_array_equal(out["jpeg"], decompress(compress(x, 25)))
    noise = out["original + noise 1"].astype(float) - x
    assert 0.8 < noise.std() < 1.3 and abs(noise.mean()) < 0.1  # one grey level, rounded
    blur = out["original blurred 0.5"].astype(float)

    def tv(a):
        return np.abs(np.diff(a, axis=0)).sum() + np.abs(np.diff(a, axis=1)).sum()

    assert tv(blur) < 0.8 * tv(x.astype(float))  # smoother
    assert abs(blur.mean() - x.mean()) < 0.5  # the same picture, no shift
    assert calls == [((8, 8, 8, 8), 0)]  # the method ran once, on the JPEG's coefficients, seed 0
    assert out["m"].shape == (64, 64) and (out["m"] == 7).all()  # colour output read as luma
