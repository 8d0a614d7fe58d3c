"""Values computed from the registries, as the evaluation sees them beside the approved ones.

`sikumi.indicators` computes them, but monev may not import it (see README: who may import
whom); the indicators app registers a provider here at start-up (`register`). Without one (monev
alone), there are no computed figures and the reports show approved realisations only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sikumi.rules.formatting import format_number


@dataclass(frozen=True)
class ComputedFigure:
    """An indicator's value computed for a period, with how complete its data is."""

    value: Decimal | None
    status: str  # final | sementara | belum_ada_data (sikumi.rules.completeness)
    status_label: str
    completeness: str
    computed_at: dt.datetime | None = None

    @property
    def final(self) -> bool:
        return self.status == "final"


Provider = Callable[[Any, int, int | None], dict[int, ComputedFigure]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def figures(plan: Any, year: int, quarter: int | None = None) -> dict[int, ComputedFigure]:
    """{indicator id: computed figure} for the period (year, or year up to the quarter)."""
    out: dict[int, ComputedFigure] = {}
    for provider in _providers:
        out.update(provider(plan, year, quarter))
    return out


def difference(approved: Decimal | None, figure: ComputedFigure | None) -> Decimal | None:
    if approved is None or figure is None or figure.value is None:
        return None
    return Decimal(approved) - figure.value


def differs(approved: Decimal | None, figure: ComputedFigure | None) -> bool:
    gap = difference(approved, figure)
    return gap is not None and gap.quantize(Decimal("0.01")) != 0


def describe(figure: ComputedFigure | None) -> str:
    """The computed figure in words for a report cell: "310 (sementara: RAT 2026 ...)"."""
    if figure is None:
        return ""
    if figure.value is None:
        what = figure.completeness or figure.status_label
        return f"{figure.status_label}: {what}" if figure.completeness else what
    text = format_number(figure.value, 2)
    if figure.completeness:
        return f"{text} ({figure.status_label}: {figure.completeness})"
    return f"{text} ({figure.status_label})"
