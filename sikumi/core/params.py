"""Query parameters read by hand (outside a FilterSet): parsed once, bounded, never a 500."""

from __future__ import annotations

from typing import Any

from sikumi.core.filters import BIGINT_MAX


def int_param(
    value: Any, default: int | None = None, *, low: int = 1, high: int = BIGINT_MAX
) -> int | None:
    """`value` as an integer within [low, high] (an id by default), else `default`."""
    text = str(value if value is not None else "").strip()
    if not text.lstrip("-").isdigit() or len(text) > 20:
        return default
    number = int(text)
    return number if low <= number <= high else default
