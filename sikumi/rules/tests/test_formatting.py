import datetime as dt
from decimal import Decimal

import pytest

from sikumi.rules.formatting import format_date, format_number, format_percent, format_rupiah


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234567.89"), 2, "1.234.567,89"),
        (1234567, 0, "1.234.567"),
        (0, 0, "0"),
        (Decimal("0.125"), 2, "0,13"),  # half up, not to even
        (Decimal("-1234.5"), 1, "-1.234,5"),
        (Decimal("-0.004"), 2, "0,00"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (12.5, 2, "12,50"),
        (None, 0, "-"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_rupiah():
    assert format_rupiah(1234567) == "Rp 1.234.567"
    assert format_rupiah(Decimal("1234567.5")) == "Rp 1.234.568"
    assert format_rupiah(-15000) == "-Rp 15.000"
    assert format_rupiah(None) == "-"


def test_format_percent():
    assert format_percent(Decimal("87.5")) == "87,50%"
    assert format_percent(Decimal("107.142857"), 1) == "107,1%"
    assert format_percent(None) == "-"


def test_format_date():
    assert format_date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert format_date(dt.datetime(2026, 1, 1, 23, 59)) == "1 Januari 2026"
    assert format_date(dt.date(2025, 12, 5)) == "5 Desember 2025"
    assert format_date(None) == "-"
