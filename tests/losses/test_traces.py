"""The differentiable trace surrogates: same transform as the codec's, zero on the original itself,
large on its JPEG, and a gradient that takes a JPEG's trace away."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from jpegaf import jpeg
from jpegaf.detectors import blocking_kf, calibration_kl
from jpegaf.jpeg.dct import block_dct as numpy_block_dct
from jpegaf.losses.traces import (block_dct, blocking_trace, calibration_statistics, calibration_trace,
                                  lattice_statistics, lattice_trace)


def _net(images) -> torch.Tensor:
    return torch.tensor(np.stack(images)[:, None] / 127.5 - 1, dtype=torch.float32)


@pytest.fixture(scope="module")
def pair(gray_images):
    """Four real 128x128 crops and their QF 50 JPEGs, in the network's range."""
    crops = [img[:128, :128] for img in gray_images[:4]]
    return _net([jpeg.jpeg_roundtrip(c, 50) for c in crops]), _net(crops)


TABLE = torch.tensor(jpeg.quality_to_table(50), dtype=torch.float32)


def test_block_dct_is_the_codecs(gray_images):
    img = gray_images[0][:64, :72]
    ours = block_dct(torch.tensor(img, dtype=torch.float64)[None].float())[0].double().numpy()
    np.testing.assert_allclose(ours, numpy_block_dct(img), atol=2e-3)


def test_each_trace_is_zero_on_the_original_and_large_on_its_jpeg(pair):
    compressed, original = pair
    for trace in (lambda g, o: lattice_trace(g, o, TABLE), blocking_trace, calibration_trace):
        assert trace(original, original).item() == pytest.approx(0.0, abs=1e-6)
        on_jpeg = trace(compressed, original).item()
        noisy = (original + torch.randn(original.shape, generator=torch.Generator().manual_seed(0)) / 127.5)
        assert on_jpeg > 2 * trace(noisy, original).item() > 0, trace


def test_the_statistics_read_what_the_detectors_read(pair):
    compressed, original = pair
    # every coefficient of a JPEG sits on its lattice: |c_1| near 1 in every subband
    c1 = lattice_statistics(compressed, TABLE, 1)[:, 0].norm(dim=-1)
    assert c1.mean() > 0.9 > lattice_statistics(original, TABLE, 1)[:, 0].norm(dim=-1).mean()
    # the JPEG's high frequencies vanish on its grid only: negative log ratio, the original's near 0
    assert calibration_statistics(compressed).mean() < -0.5
    assert abs(calibration_statistics(original).mean()) < 0.25
    per_table = TABLE.expand(len(original), 8, 8)
    assert torch.allclose(lattice_statistics(original, per_table, 2), lattice_statistics(original, TABLE, 2))


def test_descending_the_traces_removes_k_l_and_k_f_from_a_jpeg(pair):
    """Optimise the pixels of a JPEG (dithered by half a grey level, as a generator's output is
    not integer) on the three surrogates plus a pull to the JPEG: the calibration and blocking
    detectors' own scores, on the rounded result, fall to the originals' level."""
    compressed, original = pair
    as_image = lambda t: np.clip(np.floor((t[0, 0].detach().numpy() + 1) * 127.5 + 0.5), 0, 255).astype(np.uint8)
    kf_before, kf_after = [], []
    for k in (1, 2, 3):
        jpg, orig = compressed[k:k + 1], original[k:k + 1]
        noise = torch.rand(jpg.shape, generator=torch.Generator().manual_seed(k)) - 0.5
        x = (jpg + noise / 127.5).requires_grad_(True)
        opt = torch.optim.Adam([x], lr=1e-3)
        for _ in range(200):
            opt.zero_grad()
            loss = (lattice_trace(x, orig, TABLE) + blocking_trace(x, orig) + calibration_trace(x, orig)
                    + 0.1 * (x - jpg).abs().mean())
            loss.backward()
            opt.step()
        assert calibration_kl(as_image(jpg)) > 10 and calibration_kl(as_image(x)) < 1.5 * calibration_kl(as_image(orig))
        kf_before.append(blocking_kf(as_image(jpg)))
        kf_after.append(blocking_kf(as_image(x)))
    assert np.mean(kf_after) < 0.5 * np.mean(kf_before)


def test_shapes_are_checked():
    with pytest.raises(ValueError):
        block_dct(torch.zeros(1, 12, 16))
    with pytest.raises(ValueError):
        blocking_trace(torch.zeros(1, 1, 8, 8), torch.zeros(1, 1, 8, 8))
