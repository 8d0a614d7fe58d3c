"""Scale of micro, small and medium enterprises (PP 7/2021 article 35) and their growth.

Criteria are data (``data/msme-criteria.json``): pass another criteria dict when the thresholds
change. Capital (excluding land and buildings) decides the scale at registration; annual sales
decide it for facilitation, and therefore for "naik kelas".
"""

from __future__ import annotations

from decimal import Decimal
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


def mikro_sales_max(criteria: Criteria | None = None) -> Decimal:
    """The highest annual sales of a mikro enterprise (Rp2 bn under PP 7/2021)."""
    for scale in (criteria or DEFAULT_CRITERIA)["scales"]:
        if scale["code"] == "mikro":
            maximum = to_decimal(scale["sales_max"])
            if maximum is not None:
                return maximum
    raise LookupError("the criteria have no mikro sales maximum")


def naik_kelas(
    prev_sales: Number | None, this_sales: Number | None, criteria: Criteria | None = None
) -> bool | None:
    """True when last year's sales were mikro and this year's are above mikro.

    The Dinas counts usaha mikro that leave mikro (to kecil, or further in one year); a kecil
    business growing into menengah is not a "usaha mikro naik kelas". The registry's SQL count
    (``enterprises.selectors.naik_kelas``) applies this same rule through `mikro_sales_max`.
    ``None`` when either year's sales are unknown.
    """
    before, after = to_decimal(prev_sales), to_decimal(this_sales)
    if before is None or after is None:
        return None
    ceiling = mikro_sales_max(criteria)
    return before <= ceiling < after


def naik_omzet(prev: Number | None, this: Number | None) -> bool | None:
    """True when this year's turnover is above last year's; ``None`` when either is unknown."""
    before, after = to_decimal(prev), to_decimal(this)
    if before is None or after is None:
        return None
    return after > before
