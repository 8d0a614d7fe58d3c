"""Scale of micro, small and medium enterprises (PP 7/2021 article 35) and their growth.

Criteria are data (``data/msme-criteria.json``): pass another criteria dict when the thresholds
change. Capital (excluding land and buildings) decides the scale at registration; annual sales
decide it for facilitation, and therefore for "naik kelas".
"""

from __future__ import annotations

from typing import Any

from ._data import load_json
from ._decimal import Number, to_decimal

Criteria = dict[str, Any]


def load_criteria(name: str = "msme-criteria.json") -> Criteria:
    """The shipped PP 7/2021 criteria.

    Shape: ``{"scales": [{"code", "label", "capital_max", "sales_max"}]}``.
    Scales are ordered smallest first; each maximum is inclusive and ``null`` means no limit.
    """
    criteria: Criteria = load_json(name)
    return criteria


DEFAULT_CRITERIA = load_criteria()


def _scale(amount: Number | None, key: str, criteria: Criteria | None) -> str | None:
    value = to_decimal(amount)
    if value is None:
        return None
    if value < 0:
        raise ValueError("amount must not be negative")
    for scale in (criteria or DEFAULT_CRITERIA)["scales"]:
        maximum = to_decimal(scale[key])
        if maximum is None or value <= maximum:
            return str(scale["code"])
    return None


def scale_by_capital(capital: Number | None, criteria: Criteria | None = None) -> str | None:
    """``"mikro"``, ``"kecil"``, ``"menengah"`` or ``"besar"`` from business capital.

    Mikro up to Rp1 bn, kecil above 1 up to 5 bn, menengah above 5 up to 10 bn (PP 7/2021).
    """
    return _scale(capital, "capital_max", criteria)


def scale_by_sales(sales: Number | None, criteria: Criteria | None = None) -> str | None:
    """Scale from annual sales: mikro up to Rp2 bn, kecil up to 15 bn, menengah up to 50 bn."""
    return _scale(sales, "sales_max", criteria)


def scale_rank(scale: str, criteria: Criteria | None = None) -> int:
    """Position of a scale code, smallest first (mikro = 0)."""
    codes = [str(item["code"]) for item in (criteria or DEFAULT_CRITERIA)["scales"]]
    return codes.index(scale)


def naik_kelas(
    prev_sales: Number | None, this_sales: Number | None, criteria: Criteria | None = None
) -> bool | None:
    """True when this year's sales put the enterprise in a higher scale than last year's.

    The case the Dinas counts is mikro -> kecil; any move up (kecil -> menengah too) counts as
    naik kelas. ``None`` when either year's sales are unknown.
    """
    before = scale_by_sales(prev_sales, criteria)
    after = scale_by_sales(this_sales, criteria)
    if before is None or after is None:
        return None
    return scale_rank(after, criteria) > scale_rank(before, criteria)


def naik_omzet(prev: Number | None, this: Number | None) -> bool | None:
    """True when this year's turnover is above last year's; ``None`` when either is unknown."""
    before, after = to_decimal(prev), to_decimal(this)
    if before is None or after is None:
        return None
    return after > before
