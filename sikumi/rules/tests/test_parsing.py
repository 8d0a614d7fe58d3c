import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sikumi.rules.formatting import format_date, format_number, format_rupiah
from sikumi.rules.parsing import (
    ParseError,
    normalise_name,
    parse_date,
    parse_int,
    parse_number,
    parse_sex,
    parse_text_id,
)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("Rp 1.234.567", Decimal(1234567)),
        ("Rp1.234.567,-", Decimal(1234567)),
        ("Rp. 15.000", Decimal(15000)),
        ("1,5", Decimal("1.5")),
        (",5", Decimal("0.5")),
        ("12.5", Decimal("12.5")),
        ("12.500", Decimal(12500)),  # a single dot and three digits groups thousands
        ("1.234", Decimal(1234)),
        ("0.125", Decimal("0.125")),
        ("1234.567", Decimal("1234.567")),
        ("3.14159", Decimal("3.14159")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("1,234,567", Decimal(1234567)),
        ("1 234 567", Decimal(1234567)),
        ("1\u00a0234", Decimal(1234)),
        ("-1.500", Decimal(-1500)),
        ("(1.500)", Decimal(-1500)),
        ("-Rp 2.000", Decimal(-2000)),
        ("87,5%", Decimal("87.5")),
        ("3.2e3", Decimal(3200)),
        (1500000.0, Decimal(1500000)),  # calamine gives whole numbers as floats
        (0.1, Decimal("0.1")),
        (42, Decimal(42)),
        (Decimal("7.25"), Decimal("7.25")),
    ],
)
def test_parse_number(value, number):
    assert parse_number(value) == number


@pytest.mark.parametrize("value", [None, "", "  ", "-"])
def test_parse_number_empty(value):
    assert parse_number(value) is None


@pytest.mark.parametrize(
    "value", ["abc", "1.23.4", "1,2,3", "1.2.3,4.5", "12,34,5", "Rp", "1..2", True, float("nan")]
)
def test_parse_number_refuses(value):
    with pytest.raises(ParseError) as caught:
        parse_number(value)
    assert str(caught.value) == f"'{value}' bukan angka"


def test_parse_int():
    assert parse_int("1.250") == 1250
    assert parse_int(20.0) == 20
    assert parse_int(None) is None
    with pytest.raises(ParseError, match="bukan bilangan bulat"):
        parse_int("1,5")


money = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False
)


@given(money)
def test_format_then_parse_number_round_trips(value):
    assert parse_number(format_number(value, 2)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_whole_numbers_round_trips(value):
    assert parse_number(format_number(value)) == value
    assert parse_number(format_rupiah(value)) == value


@given(st.decimals(min_value=0, max_value=Decimal("1e9"), places=3, allow_nan=False))
def test_format_three_decimals_round_trips(value):
    assert parse_number(format_number(value, 3)) == value


@given(st.integers(min_value=0, max_value=10**12).map(float))
def test_integral_floats_from_excel(value):
    assert parse_number(value) == int(value)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("17 Agustus 2026", dt.date(2026, 8, 17)),
        ("17 agustus 2026", dt.date(2026, 8, 17)),
        ("17 Agt 2026", dt.date(2026, 8, 17)),
        ("17 Ags 2026", dt.date(2026, 8, 17)),
        ("17-Agu-2026", dt.date(2026, 8, 17)),
        ("17 Agt. 2026", dt.date(2026, 8, 17)),
        ("5 Des 2025", dt.date(2025, 12, 5)),
        ("1 Pebruari 2024", dt.date(2024, 2, 1)),
        ("30 Nopember 2020", dt.date(2020, 11, 30)),
        ("Senin, 17 Agustus 2026", dt.date(2026, 8, 17)),
        ("17-08-2026", dt.date(2026, 8, 17)),
        ("17/08/2026", dt.date(2026, 8, 17)),
        ("17.08.2026", dt.date(2026, 8, 17)),
        ("1/2/2026", dt.date(2026, 2, 1)),  # day first
        ("17/08/26", dt.date(2026, 8, 17)),
        ("17/08/90", dt.date(1990, 8, 17)),
        ("2026-08-17", dt.date(2026, 8, 17)),
        ("2026-08-17 10:30:00", dt.date(2026, 8, 17)),
        ("2026-08-17T10:30:00", dt.date(2026, 8, 17)),
        ("20260817", dt.date(2026, 8, 17)),
        (46251, dt.date(2026, 8, 17)),  # Excel serial
        (46251.5, dt.date(2026, 8, 17)),
        ("46251", dt.date(2026, 8, 17)),
        (dt.date(2026, 8, 17), dt.date(2026, 8, 17)),
        (dt.datetime(2026, 8, 17, 8, 0), dt.date(2026, 8, 17)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, date):
    assert parse_date(value) == date


@pytest.mark.parametrize("value", ["31 Februari 2026", "17 Agustos 2026", "hari ini", "32/01/2026"])
def test_parse_date_refuses(value):
    with pytest.raises(ParseError):
        parse_date(value)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)))
def test_format_then_parse_date_round_trips(value):
    assert parse_date(format_date(value)) == value


@pytest.mark.parametrize(
    ("value", "sex"),
    [
        ("L", "L"),
        ("l", "L"),
        ("Laki-laki", "L"),
        ("LAKI - LAKI", "L"),
        ("Pria", "L"),
        ("P", "P"),
        ("Perempuan", "P"),
        ("wanita", "P"),
        (" P ", "P"),
        ("", None),
    ],
)
def test_parse_sex(value, sex):
    assert parse_sex(value) == sex


def test_parse_sex_refuses():
    with pytest.raises(ParseError, match="bukan jenis kelamin"):
        parse_sex("X")


@pytest.mark.parametrize(
    "name",
    [
        "KSP Maju Jaya",
        "Koperasi Simpan Pinjam Maju Jaya",
        "KSP. MAJU-JAYA",
        "  kop.  maju   jaya ",
        "Koperasi Maju Jaya",
        "KSPPS Maju Jaya",
        "Koperasi Simpan Pinjam dan Pembiayaan Syariah Maju Jaya",
    ],
)
def test_normalise_name_for_duplicates(name):
    assert normalise_name(name) == "maju jaya"


def test_normalise_name_keeps_meaningful_words():
    assert normalise_name("Koperasi Karyawan Sejahtera") == "karyawan sejahtera"
    assert normalise_name("Kopi Kenangan") == "kopi kenangan"
    assert normalise_name("Café Ibu") == "cafe ibu"
    assert normalise_name(None) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.276010101010001e15, "3276010101010001"),
        (3276010101010001, "3276010101010001"),
        (1234567890123.0, "1234567890123"),
        ("'3276010101010001", "3276010101010001"),
        (" 3276 0101 0101 0001 ", "3276010101010001"),
        ("3276010101010001.0", "3276010101010001"),
        (Decimal("3276010101010001"), "3276010101010001"),
        ("", None),
        (None, None),
    ],
)
def test_parse_text_id(value, text):
    assert parse_text_id(value) == text


def test_parse_text_id_refuses_lost_digits():
    with pytest.raises(ParseError, match="notasi ilmiah"):
        parse_text_id("3,27601E+15")
    with pytest.raises(ParseError, match="digitnya bisa hilang"):
        parse_text_id(9.176010101010001e15)  # above 2**53: digits may be lost
    with pytest.raises(ParseError):
        parse_text_id(12.5)


@given(st.integers(min_value=10**15, max_value=2**53 - 1))
def test_text_id_from_exact_float_keeps_every_digit(value):
    assert parse_text_id(float(value)) == str(value)
