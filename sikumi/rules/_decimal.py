"""Small numeric helpers shared by the rules modules (not part of the public API)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = Decimal | int | float | str

HUNDRED = Decimal(100)


def to_decimal(value: Number | None) -> Decimal | None:
    """Convert a plain number to ``Decimal`` without float noise; ``None`` stays ``None``.

    Floats go through ``str`` so that ``0.1`` becomes ``Decimal("0.1")`` rather than its binary
    expansion. Booleans are refused because ``True`` is an ``int`` and would silently count as 1.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("boolean is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    else:
        raise TypeError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round the way Indonesian reports do (0,125 -> 0,13), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
