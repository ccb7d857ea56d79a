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


def test_the_probes_transport_is_the_identity_at_strength_0_and_the_map_at_strength_1(script, probe, gray_images):
    img = gray_images[1][:64, :64]
    x = block_dct(img)
    g_q, x_q, _ = script.pooled_maps([x * 0.5], [x])  # maps that double every coefficient
    np.testing.assert_array_equal(probe.transported(img, 0.0, g_q, x_q), img)
    flat = np.clip(block_idct(x * 0.5), 0, 255)
    flat = np.floor(flat + 0.5).astype(np.uint8)
    back = probe.transported(flat, 1.0, g_q, x_q).astype(float)
    # the rounding of the flattened image is doubled, the picture itself comes back
    assert np.abs(back - img).mean() < 1.0 < np.abs(flat.astype(float) - img).mean()


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
