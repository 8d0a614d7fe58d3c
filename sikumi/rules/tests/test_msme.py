from decimal import Decimal

import pytest

from sikumi.rules.msme import (
    load_criteria,
    naik_kelas,
    naik_omzet,
    scale_by_capital,
    scale_by_sales,
)


@pytest.mark.parametrize(
    ("capital", "scale"),
    [
        (0, "mikro"),
        (1_000_000_000, "mikro"),
        (1_000_000_001, "kecil"),
        (5_000_000_000, "kecil"),
        (Decimal("5000000000.5"), "menengah"),
        (10_000_000_000, "menengah"),
        (10_000_000_001, "besar"),
        (None, None),
    ],
)
def test_scale_by_capital(capital, scale):
    assert scale_by_capital(capital) == scale


@pytest.mark.parametrize(
    ("sales", "scale"),
    [
        (2_000_000_000, "mikro"),
        (2_000_000_001, "kecil"),
        (15_000_000_000, "kecil"),
        (15_000_000_001, "menengah"),
        (50_000_000_000, "menengah"),
        (50_000_000_001, "besar"),
    ],
)
def test_scale_by_sales(sales, scale):
    assert scale_by_sales(sales) == scale


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        scale_by_sales(-1)


def test_naik_kelas_mikro_to_kecil_by_sales():
    assert naik_kelas(1_800_000_000, 2_100_000_000) is True
    assert naik_kelas(500_000_000, 1_900_000_000) is False  # more sales, still mikro
    assert naik_kelas(2_100_000_000, 1_800_000_000) is False  # turun kelas
    assert naik_kelas(None, 2_100_000_000) is None
    assert naik_kelas(1_800_000_000, 16_000_000_000) is True  # mikro straight to menengah
    assert naik_kelas(3_000_000_000, 16_000_000_000) is False  # kecil -> menengah: not mikro
    assert naik_kelas(2_000_000_000, 2_000_000_001) is True  # the maximum itself is mikro


def test_criteria_are_data():
    criteria = load_criteria()
    criteria["scales"][0]["sales_max"] = "3000000000"
    assert naik_kelas(1_800_000_000, 2_100_000_000, criteria) is False
    assert load_criteria()["scales"][0]["sales_max"] == "2000000000"  # shipped file untouched


def test_naik_omzet():
    assert naik_omzet(100, 101) is True
    assert naik_omzet(100, 100) is False
    assert naik_omzet(None, 100) is None
