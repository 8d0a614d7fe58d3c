"""Indonesian formats for numbers, money, percentages and dates in templates."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def angka(value: Any, decimals: int = 0) -> str:
    """1234567.891 -> 1.234.567 (or with `decimals` places, comma decimal separator)."""
    number = _decimal(value)
    if number is None:
        return "-"
    return number_format(number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def rupiah(value: Any) -> str:
    number = _decimal(value)
    if number is None:
        return "-"
    sign = "-" if number < 0 else ""
    return (
        f"{sign}Rp {number_format(abs(number), decimal_pos=0, use_l10n=True, force_grouping=True)}"
    )


@register.filter
def persen(value: Any, decimals: int = 2) -> str:
    number = _decimal(value)
    if number is None:
        return "-"
    return (
        f"{number_format(number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)}%"
    )


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
