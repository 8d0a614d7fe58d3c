"""Indonesian presentation of numbers, money, percentages and dates.

Indonesian writes ``1.234.567,89``: a dot groups thousands and a comma marks decimals. These
helpers are for reports and exports produced outside Django's template localisation (PDF tables,
XLSX cells as text, messages); they give the same output as Django's ``id`` locale.
"""

from __future__ import annotations

import datetime as dt

from ._decimal import Number, round_half_up, to_decimal

EMPTY = "-"

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_number(value: Number | None, decimals: int = 0) -> str:
    """Format ``value`` as ``1.234.567,89`` with ``decimals`` digits, rounding half up.

    ``None`` is shown as ``"-"``, the way Indonesian tables mark an empty cell.
    """
    number = to_decimal(value)
    if number is None:
        return EMPTY
    rounded = round_half_up(number, decimals)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if decimals > 0 else f"{sign}{grouped}"


def format_rupiah(value: Number | None, decimals: int = 0) -> str:
    """Format an amount of money as ``Rp 1.234.567`` (negative: ``-Rp 1.234.567``)."""
    number = to_decimal(value)
    if number is None:
        return EMPTY
    rounded = round_half_up(number, decimals)
    sign = "-" if rounded < 0 else ""
    return f"{sign}Rp {format_number(abs(rounded), decimals)}"


def format_percent(value: Number | None, decimals: int = 2) -> str:
    """Format a percentage (already x 100) as ``87,50%``; ``None`` gives ``"-"``."""
    if value is None:
        return EMPTY
    return f"{format_number(value, decimals)}%"


def format_date(value: dt.date | None) -> str:
    """Format a date as ``17 Agustus 2026`` (a ``datetime`` shows its date part only)."""
    if value is None:
        return EMPTY
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
