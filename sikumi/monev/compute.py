"""Assembly of evaluation figures from plain numbers: no Django here, tested without a database.

The capaian, predicate, combining and absorption rules live in :mod:`sikumi.rules.capaian`; this
module puts them together into the rows of form E.81, the Laporan Kinerja tables and the
T-C.23 / T-C.24 style history tables. See docs/monev.md for the rules in plain words.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sikumi.rules.capaian import (
    absorption,
    capaian,
    combine_quarters,
    combine_years,
    cumulative_realisation,
    predicate,
    projected_capaian,
)

Number = Decimal | int | float | str
HUNDRED = Decimal(100)
QUARTERS = (1, 2, 3, 4)


def dec(value: Number | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def q2(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator x 100, rounded to 2 places; ``None`` without a denominator."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return q2(numerator / denominator * HUNDRED)


# --- form E.81 ---------------------------------------------------------------------------------


@dataclass
class E81Input:
    """What the database knows about one indicator (and its node's money) for one year."""

    rule: str  # sum / last / average
    polarity: str  # higher / lower
    end_target: Number | None  # (5) K
    previous_years: Mapping[int, Number | None]  # yearly realisation (K) before this year
    target: Number | None  # (7) K
    quarters: Mapping[int, Number | None]  # (8)-(11) K
    end_pagu: Number | None = None  # (5) Rp
    previous_spent: Number | None = None  # (6) Rp
    pagu: Number | None = None  # (7) Rp
    quarters_spent: Mapping[int, Number | None] = field(default_factory=dict)  # (8)-(11) Rp
    with_money: bool = True


@dataclass
class E81Figures:
    """Columns (5)-(14) of one E.81 row; K = kinerja, Rp = anggaran. ``None`` prints "-"."""

    end_k: Decimal | None
    end_rp: Decimal | None
    previous_k: Decimal | None
    previous_rp: Decimal | None
    target_k: Decimal | None
    target_rp: Decimal | None
    quarter_k: dict[int, Decimal | None]
    quarter_rp: dict[int, Decimal | None]
    year_k: Decimal | None
    year_rp: Decimal | None
    cumulative_k: Decimal | None
    cumulative_rp: Decimal | None
    capaian_k: Decimal | None
    capaian_rp: Decimal | None
    year_capaian: Decimal | None
    predicate: str | None


def previous_realisation(previous_years: Mapping[int, Number | None], rule: str) -> Decimal | None:
    """Column (6): the years before this one combined by the indicator's rule."""
    return combine_years(previous_years, rule)  # type: ignore[arg-type]


def e81_figures(data: E81Input) -> E81Figures:
    """One E.81 row.

    (12) = this year's quarters combined by the rule (sum, last reported, average);
    (13) = (6) + (12) for ``sum``; for ``last`` (levels, percentages) (13) = (12), or (6) while
    nothing was reported this year; for ``average`` the mean over all years so far.
    (14) = (13) / (5) x 100 (for lower-is-better indicators (2 x (5) - (13)) / (5) x 100).
    Money always adds up: (12) Rp = sum of the quarters, (13) Rp = (6) Rp + (12) Rp,
    (14) Rp = (13) Rp / (5) Rp x 100.
    """
    rule = data.rule
    quarter_k = {q: dec(data.quarters.get(q)) for q in QUARTERS}
    year_k = combine_quarters(quarter_k, rule)  # type: ignore[arg-type]
    reported_years = {y: v for y, v in data.previous_years.items() if v is not None}
    previous_k = previous_realisation(reported_years, rule)
    if rule == "average":
        total = sum((dec(v) or Decimal(0) for v in reported_years.values()), Decimal(0))
        cumulative_k = cumulative_realisation(
            total if reported_years else None,
            year_k,
            "average",
            previous_years_count=len(reported_years),
        )
    else:
        cumulative_k = cumulative_realisation(previous_k, year_k, rule)  # type: ignore[arg-type]
    end_k = dec(data.end_target)
    capaian_k = capaian(end_k, cumulative_k, data.polarity)  # type: ignore[arg-type]
    target_k = dec(data.target)
    year_capaian = capaian(target_k, year_k, data.polarity)  # type: ignore[arg-type]

    if data.with_money:
        quarter_rp = {q: dec(data.quarters_spent.get(q)) for q in QUARTERS}
        spent = [v for v in quarter_rp.values() if v is not None]
        year_rp = sum(spent, Decimal(0)) if spent else None
        previous_rp = dec(data.previous_spent)
        if previous_rp is None and year_rp is None:
            cumulative_rp = None
        else:
            cumulative_rp = (previous_rp or Decimal(0)) + (year_rp or Decimal(0))
        end_rp = dec(data.end_pagu)
        capaian_rp = ratio(cumulative_rp, end_rp)
        target_rp = dec(data.pagu)
    else:
        quarter_rp = dict.fromkeys(QUARTERS)
        year_rp = previous_rp = cumulative_rp = end_rp = capaian_rp = target_rp = None
    return E81Figures(
        end_k=end_k,
        end_rp=end_rp,
        previous_k=previous_k,
        previous_rp=previous_rp,
        target_k=target_k,
        target_rp=target_rp,
        quarter_k=quarter_k,
        quarter_rp=quarter_rp,
        year_k=year_k,
        year_rp=year_rp,
        cumulative_k=cumulative_k,
        cumulative_rp=cumulative_rp,
        capaian_k=capaian_k,
        capaian_rp=capaian_rp,
        year_capaian=year_capaian,
        predicate=predicate(year_capaian),
    )


# --- early warning -----------------------------------------------------------------------------

RISK_THRESHOLD = Decimal(76)


def at_risk(
    target: Number | None,
    quarters: Mapping[int, Number | None],
    rule: str,
    polarity: str,
    threshold: Decimal = RISK_THRESHOLD,
) -> tuple[bool, Decimal | None, Decimal | None]:
    """(at risk?, projected realisation, projected capaian) at the current pace."""
    projection = projected_capaian(target, quarters, rule, polarity)  # type: ignore[arg-type]
    if projection.capaian is None:
        return False, projection.realisation, None
    return projection.capaian < threshold, projection.realisation, projection.capaian


# --- history (T-C.23 and T-C.24 style) --------------------------------------------------------


@dataclass
class Checked:
    """A derived figure as computed, with the figure the document printed when it differs."""

    value: Decimal | None
    printed: Decimal | str | None = None

    @property
    def differs(self) -> bool:
        return self.printed is not None


def checked(value: Decimal | None, printed: Decimal | str | None, places: int = 2) -> Checked:
    """Compare a computed figure with the printed one at 2 decimals; keep the printed one only
    when it differs (a printed figure for a cell that has no value also differs)."""
    if printed is None or printed == "":
        return Checked(value)
    if isinstance(printed, str):
        if printed.strip() in ("-", "") and value is None:
            return Checked(value)
        return Checked(value, printed)
    if value is None or q2(value, places) != q2(printed, places):
        return Checked(value, printed)
    return Checked(value)


@dataclass
class PerformanceYear:
    target: Decimal | str | None
    realisation: Decimal | str | None
    ratio: Checked


@dataclass
class PerformanceRow:
    """A T-C.23 row: per year target, realisation and capaian ratio."""

    name: str
    unit: str
    polarity: str
    years: dict[int, PerformanceYear]


def performance_row(
    name: str,
    unit: str,
    polarity: str,
    targets: Mapping[int, Number | str | None],
    realisations: Mapping[int, Number | str | None],
    printed_ratios: Mapping[int, Number | None],
    years: Sequence[int],
) -> PerformanceRow:
    """Ratio = capaian of the year's realisation against its target (polarity aware); letter
    grades (text) have no ratio."""
    out: dict[int, PerformanceYear] = {}
    for year in years:
        t, r = targets.get(year), realisations.get(year)
        value = None
        if not isinstance(t, str) and not isinstance(r, str):
            value = capaian(dec(t), dec(r), polarity, decimals=None)  # type: ignore[arg-type]
        printed = printed_ratios.get(year)
        out[year] = PerformanceYear(
            target=t if isinstance(t, str) else dec(t),
            realisation=r if isinstance(r, str) else dec(r),
            ratio=checked(q2(value), dec(printed) if not isinstance(printed, str) else printed),
        )
    return PerformanceRow(name, unit, polarity, out)


@dataclass
class BudgetYear:
    budget: Decimal | None
    realisation: Decimal | None
    ratio: Checked
    over_budget: bool


@dataclass
class BudgetRow:
    """A T-C.24 row: per year budget, realisation and ratio, and the average growth rates."""

    name: str
    level: str
    years: dict[int, BudgetYear]
    growth_budget: Checked
    growth_realisation: Checked


def average_growth(values: Sequence[Decimal | None]) -> Decimal | None:
    """Mean of the year-on-year growth rates in percent ((b - a) / a x 100), over consecutive
    pairs of years that both have a figure and a non-zero first year."""
    rates = [(b - a) / a * HUNDRED for a, b in itertools.pairwise(values) if a and b is not None]
    return q2(sum(rates, Decimal(0)) / len(rates)) if rates else None


def budget_row(
    name: str,
    level: str,
    budget: Mapping[int, Number | None],
    realisation: Mapping[int, Number | None],
    years: Sequence[int],
    printed_ratios: Mapping[int, Number | str | None] | None = None,
    printed_growth_budget: Number | None = None,
    printed_growth_realisation: Number | None = None,
) -> BudgetRow:
    printed_ratios = printed_ratios or {}
    out: dict[int, BudgetYear] = {}
    for year in years:
        b, r = dec(budget.get(year)), dec(realisation.get(year))
        share = absorption(b, r)
        printed = printed_ratios.get(year)
        printed_value = printed if isinstance(printed, str) else dec(printed)
        out[year] = BudgetYear(b, r, checked(share.percent, printed_value), share.over_budget)
    budgets = [out[y].budget for y in years]
    spent = [out[y].realisation for y in years]
    return BudgetRow(
        name=name,
        level=level,
        years=out,
        growth_budget=checked(average_growth(budgets), dec(printed_growth_budget)),
        growth_realisation=checked(average_growth(spent), dec(printed_growth_realisation)),
    )


# --- Laporan Kinerja ---------------------------------------------------------------------------


@dataclass
class KinerjaFigures:
    target: Decimal | None
    realisation: Decimal | None
    capaian: Decimal | None
    predicate: str | None
    previous: dict[int, Decimal | None]
    previous_capaian: dict[int, Decimal | None]
    end_target: Decimal | None
    cumulative: Decimal | None
    end_capaian: Decimal | None


def kinerja_figures(
    *,
    year: int,
    rule: str,
    polarity: str,
    target: Number | None,
    realisation: Number | None,
    previous: Mapping[int, Number | None],
    previous_targets: Mapping[int, Number | None],
    end_target: Number | None,
    bands: Sequence[tuple[Number | None, str]] | None = None,
) -> KinerjaFigures:
    """An IKU for the Laporan Kinerja: this year's capaian and predicate, previous years'
    realisation and capaian, and progress toward the end-of-period target."""
    value = capaian(dec(target), dec(realisation), polarity)  # type: ignore[arg-type]
    years = {y: dec(v) for y, v in previous.items()}
    so_far: dict[int, Decimal] = {y: v for y, v in years.items() if v is not None and y < year}
    current = dec(realisation)
    if current is not None:
        so_far[year] = current
    cumulative = combine_years(so_far, rule) if so_far else None  # type: ignore[arg-type]
    args = (bands,) if bands is not None else ()
    return KinerjaFigures(
        target=dec(target),
        realisation=dec(realisation),
        capaian=value,
        predicate=predicate(value, *args),
        previous=years,
        previous_capaian={
            y: capaian(dec(previous_targets.get(y)), v, polarity)  # type: ignore[arg-type]
            for y, v in years.items()
        },
        end_target=dec(end_target),
        cumulative=cumulative,
        end_capaian=capaian(dec(end_target), cumulative, polarity),  # type: ignore[arg-type]
    )
