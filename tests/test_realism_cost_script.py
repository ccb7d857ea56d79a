"""scripts/realism_cost.py and scripts/adaptive_transport_probe.py: the subband transports that
measure what looking like an original costs, on real photographs."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.jpeg.dct import block_dct, block_idct


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("realism_cost")


@pytest.fixture(scope="module")
def probe(load_script):
    return load_script("adaptive_transport_probe")


def test_rank_replace_puts_the_targets_values_in_the_rank_order_of_the_values(script):
    out = script.rank_replace(np.array([3.0, -1.0, 2.0, 0.5]), np.array([10.0, 40.0, 30.0, 20.0]))
    np.testing.assert_array_equal(out, [40.0, 10.0, 30.0, 20.0])


def test_the_oracle_has_each_subbands_histogram_of_the_original_and_the_estimates_ranks(script, gray_images):
    x = block_dct(gray_images[0][:64, :96])
    g = 0.5 * x + 3.0  # an estimate that is too flat, and offset
    oracle = script.oracle_coefficients(g, x)
    for u, v in ((0, 0), (1, 2), (7, 7)):
        np.testing.assert_allclose(np.sort(oracle[..., u, v].ravel()), np.sort(x[..., u, v].ravel()))
    # g is an increasing function of x in every subband, so the oracle gives x back exactly
    np.testing.assert_allclose(oracle, x, atol=1e-9)
    np.testing.assert_allclose(script.oracle_coefficients(x, x), x, atol=1e-9)


def test_the_pooled_maps_undo_a_per_subband_scaling_and_measure_its_w2(script, gray_images):
    xs = [block_dct(img[:128, :128]) for img in gray_images[:3]]
    scale = np.linspace(0.2, 1.0, 64).reshape(8, 8)  # high frequencies flattened most, as a restorer does
    gs = [x * scale for x in xs]
    g_q, x_q, w2 = script.pooled_maps(gs, xs)
    pooled = np.concatenate([x.reshape(-1, 64) for x in xs])
    # W2 between a distribution and its scaled copy: (1 - a)^2 E[x^2] (the matching is the identity of ranks)
    np.testing.assert_allclose(w2, (1 - scale.ravel()) ** 2 * np.mean(pooled ** 2, axis=0), rtol=1e-9)
    back = script.apply_pooled(gs[1], g_q, x_q)
    err = np.abs(back - xs[1]).reshape(-1, 64).max(axis=0)
    spread = np.ptp(pooled, axis=0)
    assert (err <= 0.02 * spread + 1e-9).all()  # the quantile tables' interpolation error only
    _, _, w2_same = script.pooled_maps(xs, xs)
    np.testing.assert_array_equal(w2_same, 0.0)


def test_the_probes_subband_transport_is_the_identity_at_strength_0_and_the_map_at_strength_1(probe, gray_images):
    img = gray_images[1][:64, :64]
    x = block_dct(img)
    flat = np.floor(np.clip(block_idct(x * 0.5), 0, 255) + 0.5).astype(np.uint8)
    transport = probe.SubbandTransport.fit([(img, flat)])  # maps that about double every coefficient
    np.testing.assert_array_equal(transport(img, 0.0), img)
    back = transport(flat, 1.0).astype(float)
    # the flattened picture comes back (its rounding, doubled, is what is left)
    assert np.abs(back - img).mean() < 1.0 < np.abs(flat.astype(float) - img).mean()
    again = probe.SubbandTransport(**transport.arrays())  # as the probe reads its saved maps
    np.testing.assert_array_equal(again(flat, 0.5), transport(flat, 0.5))


def test_the_probes_spectrum_transport_gives_blurred_crops_the_originals_power_spectrum(probe, gray_images):
    from scipy.ndimage import gaussian_filter
    import scipy.fft

    crops = [img[:128, :128] for img in gray_images[:4]]
    blurred = [np.floor(gaussian_filter(c.astype(float), 0.8) + 0.5).astype(np.uint8) for c in crops]
    transport = probe.SpectrumTransport.fit(list(zip(crops, blurred)))
    bins = probe.radial_bins(128)
    assert transport.gain[0] == 1.0 and transport.gain[5] < 1.1 and transport.gain[80] > 3.0  # a sharpening
    np.testing.assert_array_equal(transport(crops[0], 0.0), crops[0])

    def power(images, band):
        return np.mean([(scipy.fft.dctn(i.astype(float), norm="ortho")[band] ** 2).mean() for i in images])

    high = (bins >= 40) & (bins < 90)
    sharpened = [transport(b, 1.0) for b in blurred]
    assert power(blurred, high) < 0.5 * power(crops, high)
    assert abs(power(sharpened, high) / power(crops, high) - 1.0) < 0.15  # clipping and rounding aside
    assert abs(sharpened[0].astype(float).mean() - crops[0].mean()) < 1.0  # the mean is kept


def test_the_probes_fixed_detector_table_flags_jpegs_and_not_their_originals(probe, gray_images, capsys):
    from jpegaf.jpeg import compress, decompress

    originals = [img[:256, :256] for img in gray_images[:2] if min(img.shape) >= 256]
    assert len(originals) == 2
    jpegs = [decompress(compress(x, 25)) for x in originals]
    probe.fixed_detector_rates({"originals": originals, "jpeg": jpegs}, 25, 256)
    lines = capsys.readouterr().out.splitlines()
    names = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    rows = {line.split("(")[0].strip("| "): [c.strip() for c in line.strip("|").split("|")][1:] for line in lines[2:]}
    assert names[-1] == "CNN-256-q25" and "K_L" in names and len(names) >= 10
    assert rows["jpeg"][names.index("K_L")].startswith("100.0%")
    assert rows["jpeg"][names.index("CNN-256-q25")].startswith("100.0%")
    assert rows["originals"][names.index("CNN-256-q25")].startswith("0.0%")
