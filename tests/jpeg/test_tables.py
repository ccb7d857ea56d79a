import io

import numpy as np
import pytest
from PIL import Image

from jpegaf.jpeg import check_quality, estimate_quality, quality_to_table, read_coefficients
from jpegaf.jpeg.tables import ANNEX_K_LUMA, ZIGZAG


def test_annex_k_and_known_rows():
    assert np.array_equal(quality_to_table(50), ANNEX_K_LUMA)
    assert np.all(quality_to_table(100) == 1)
    assert quality_to_table(75)[0].tolist() == [8, 6, 5, 8, 12, 20, 26, 31]
    assert quality_to_table(90)[0].tolist() == [3, 2, 2, 3, 5, 8, 10, 12]


def test_integer_arithmetic_differs_from_float_where_libjpeg_does():
    # The float formula floor(T*s/100 + 0.5) with s = 5000/q (real division) is wrong at q = 9:
    # libjpeg truncates 5000 // 9 = 555 first.
    float_table = np.floor(ANNEX_K_LUMA * (5000 / 9) / 100 + 0.5)
    assert not np.array_equal(np.clip(float_table, 1, 255), quality_to_table(9))


@pytest.mark.parametrize("quality", range(1, 101))
def test_tables_bit_exact_with_pillow_libjpeg(quality):
    # Pillow's bundled libjpeg(-turbo) writes baseline tables via jpeg_set_quality(..., TRUE).
    rgb = np.zeros((16, 16, 3), np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    coefs = read_coefficients(buf.getvalue())
    assert np.array_equal(coefs.qt[0], quality_to_table(quality))
    assert np.array_equal(coefs.qt[1], quality_to_table(quality, chroma=True))
    # Pillow reports tables in natural order too: same values.
    assert np.array_equal(np.array(Image.open(buf).quantization[0]).reshape(8, 8), quality_to_table(quality))


def test_non_baseline_tables_exceed_255_only_below_25():
    assert quality_to_table(10, force_baseline=False).max() > 255
    assert quality_to_table(10).max() == 255
    for q in range(25, 101):
        assert np.array_equal(quality_to_table(q, force_baseline=False), quality_to_table(q))


@pytest.mark.parametrize("bad", [0, 101, -5, 50.0, 50.5, "50", True, None])
def test_quality_must_be_integer_in_range(bad):
    with pytest.raises(ValueError, match="1..100"):
        check_quality(bad)


def test_numpy_integers_are_qualities():
    assert check_quality(np.int64(75)) == 75


@pytest.mark.parametrize("quality", range(1, 101))
def test_estimate_quality_inverts_every_table(quality):
    est = estimate_quality(quality_to_table(quality))
    assert est.exact
    # Every IJG luma table is distinct, so the estimate is the quality itself.
    assert est.quality == quality


def test_estimate_quality_of_a_foreign_table():
    table = quality_to_table(80).astype(int)
    table[7, 7] += 3  # a slightly different (non-IJG) table
    est = estimate_quality(table)
    assert est.quality == 80 and not est.exact and est.mean_abs_error == pytest.approx(3 / 64)


def test_zigzag_is_a_permutation_in_scan_order():
    assert sorted(ZIGZAG.tolist()) == list(range(64))
    assert ZIGZAG[:6].tolist() == [0, 1, 8, 16, 9, 2]
