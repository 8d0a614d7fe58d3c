"""Achievement (capaian) of performance indicators and how periods combine.

Follows Permendagri 86/2017 practice as used in the Renja evaluation form E.81:
capaian = realisation / target x 100 for indicators where higher is better, and
(2 x target - realisation) / target x 100 for those where lower is better. A zero or missing
target has no capaian: it is shown as "-", never as 100% and never as an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from ._decimal import HUNDRED, Number, round_half_up, to_decimal
from .formatting import format_percent

Polarity = Literal["higher", "lower"]
CombineRule = Literal["sum", "last", "average"]

POLARITIES: tuple[Polarity, ...] = ("higher", "lower")
COMBINE_RULES: tuple[CombineRule, ...] = ("sum", "last", "average")

PredicateBands = Sequence[tuple[Number | None, str]]

# (minimum inclusive, label), highest first; ``None`` is the catch-all for everything below.
# Evaluation practice: >= 91 Sangat Tinggi, 76 to < 91 Tinggi, 66 to < 76 Sedang,
# 51 to < 66 Rendah, below 51 Sangat Rendah. The Dinas may pass its own bands and labels.
DEFAULT_PREDICATE_BANDS: list[tuple[Number | None, str]] = [
    (91, "Sangat Tinggi"),
    (76, "Tinggi"),
    (66, "Sedang"),
    (51, "Rendah"),
    (None, "Sangat Rendah"),
]


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}; expected one of {POLARITIES}")


def _check_rule(rule: str) -> None:
    if rule not in COMBINE_RULES:
        raise ValueError(f"unknown combine rule {rule!r}; expected one of {COMBINE_RULES}")


def capaian(
    target: Number | None,
    realisation: Number | None,
    polarity: Polarity,
    decimals: int | None = 2,
) -> Decimal | None:
    """Achievement in percent of ``realisation`` against ``target``.

    Higher is better: R / T x 100. Lower is better: (2T - R) / T x 100, i.e. each unit below the
    target adds as much as each unit above it would take away (target 7, realisation 6,5 gives
    107,14; target 8, realisation 9 gives 87,50). The result can exceed 100 and, for lower is
    better, drop below zero. ``None`` when the target is zero or missing or nothing was realised
    yet. Rounded half up to ``decimals`` (``None`` keeps full precision).
    """
    _check_polarity(polarity)
    t, r = to_decimal(target), to_decimal(realisation)
    if t is None or r is None or t == 0:
        return None
    value = r / t * HUNDRED if polarity == "higher" else (2 * t - r) / t * HUNDRED
    return value if decimals is None else round_half_up(value, decimals)


def predicate(value: Number | None, bands: PredicateBands = DEFAULT_PREDICATE_BANDS) -> str | None:
    """Label of the first band whose inclusive minimum ``value`` reaches (bands highest first).

    A band with minimum ``None`` catches everything below the others. ``None`` when there is no
    value (no capaian) or no band matches.
    """
    number = to_decimal(value)
    if number is None:
        return None
    for minimum, label in bands:
        bound = to_decimal(minimum)
        if bound is None or number >= bound:
            return label
    return None


def _reported(values: Mapping[int, Number | None]) -> list[tuple[int, Decimal]]:
    reported = []
    for period, value in sorted(values.items()):
        number = to_decimal(value)
        if number is not None:
            reported.append((period, number))
    return reported


def _combine(values: Mapping[int, Number | None], rule: CombineRule) -> Decimal | None:
    _check_rule(rule)
    reported = _reported(values)
    if not reported:
        return None
    numbers = [number for _, number in reported]
    if rule == "sum":
        return sum(numbers, Decimal(0))
    if rule == "last":
        return numbers[-1]
    return sum(numbers, Decimal(0)) / len(numbers)


def combine_quarters(values: Mapping[int, Number | None], rule: CombineRule) -> Decimal | None:
    """A year's realisation from quarters ``{1: ..., 4: ...}`` (column 12 of form E.81).

    ``sum`` for additive indicators (e.g. people trained), ``last`` for levels and percentages
    (the latest reported quarter), ``average`` for the mean. Quarters with ``None`` were not
    reported and are skipped; ``None`` when nothing was reported.
    """
    return _combine(values, rule)


def combine_years(values: Mapping[int, Number | None], rule: CombineRule) -> Decimal | None:
    """The end-of-period figure from yearly values ``{2021: ..., 2026: ...}``.

    Same rules as :func:`combine_quarters`: cumulative ``sum``, ``last`` reported year, or
    ``average`` of the reported years. The Renstra uses all three.
    """
    return _combine(values, rule)


def cumulative_realisation(
    previous_years_total: Number | None,
    this_year: Number | None,
    rule: CombineRule,
    previous_years_count: int | None = None,
) -> Decimal | None:
    """Renstra realisation so far (column 13 = column 6 + column 12 of form E.81).

    ``sum``: previous years' total plus this year. ``last``: this year's figure, or the previous
    one when this year has none yet (``previous_years_total`` then holds the last value).
    ``average``: (previous total + this year) / (previous_years_count + 1), so the caller must say
    how many years the previous total covers.
    """
    _check_rule(rule)
    previous, current = to_decimal(previous_years_total), to_decimal(this_year)
    if rule == "last":
        return current if current is not None else previous
    if rule == "sum":
        if previous is None and current is None:
            return None
        return (previous or Decimal(0)) + (current or Decimal(0))
    if previous_years_count is None:
        raise ValueError("previous_years_count is required for the 'average' rule")
    if current is None:
        if previous is None or previous_years_count == 0:
            return None
        return previous / previous_years_count
    return ((previous or Decimal(0)) + current) / (previous_years_count + 1)


class Absorption(NamedTuple):
    """Budget absorption (serapan anggaran)."""

    percent: Decimal | None
    over_budget: bool


def absorption(budget: Number | None, realised: Number | None, decimals: int = 2) -> Absorption:
    """Realised spending as a percentage of the budget (pagu), and whether it exceeds the budget.

    ``percent`` is ``None`` when the budget is zero or missing; spending against a zero budget is
    still flagged as over budget, because that is what an auditor would want to see.
    """
    b, r = to_decimal(budget), to_decimal(realised)
    if r is None:
        return Absorption(None, False)
    over = r > (b or Decimal(0))
    if b is None or b == 0:
        return Absorption(None, over)
    return Absorption(round_half_up(r / b * HUNDRED, decimals), over)


class Projection(NamedTuple):
    """A year's realisation projected at the current pace and the capaian it would give."""

    realisation: Decimal | None
    capaian: Decimal | None


def projected_capaian(
    target: Number | None,
    quarters_so_far: Mapping[int, Number | None],
    rule: CombineRule,
    polarity: Polarity,
) -> Projection:
    """Where the year is heading, for early warning during the year.

    For ``sum`` indicators the reported total is scaled to four quarters by the time elapsed,
    i.e. x 4 / n where n is the latest reported quarter (a quarter not reported before it counts
    as nothing done, which is the cautious reading). For ``last`` (levels, percentages) the
    latest value is the projection; for ``average`` the mean so far.
    """
    _check_rule(rule)
    reported = _reported(quarters_so_far)
    if not reported:
        return Projection(None, None)
    if rule == "sum":
        latest_quarter = reported[-1][0]
        if not 1 <= latest_quarter <= 4:
            raise ValueError(f"quarter must be 1-4, got {latest_quarter}")
        total = sum((number for _, number in reported), Decimal(0))
        projection: Decimal | None = total * 4 / latest_quarter
    else:
        projection = _combine(quarters_so_far, rule)
    return Projection(projection, capaian(target, projection, polarity))


def format_capaian(value: Number | None) -> str:
    """Capaian as shown in reports: ``87,50%``, or ``-`` when there is none."""
    return format_percent(value, 2)


def quarter_of(day: dt.date) -> int:
    """The quarter (1-4) a date falls in."""
    return (day.month - 1) // 3 + 1


def default_quarter(year: int, today: dt.date) -> int:
    """The quarter a realisation form of ``year`` opens on: today's quarter in the current year,
    the last quarter of a past year (the one still to be reported), the first of a future one."""
    if year < today.year:
        return 4
    if year > today.year:
        return 1
    return quarter_of(today)
