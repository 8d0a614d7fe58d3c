"""How complete the data behind a computed indicator value is, and what that makes the value.

A computed value is only as good as the records it reads. RAT reports of a year arrive over the
year, turnover (omzet) of a year is collected after it: a value computed from one RAT out of 165
is not a realisation. Each measure has a *completeness rule* (data, kept beside the indicator
bindings) and this module turns the rule and the counts of what has arrived into a status:

- ``final``: the data is in (every source at or above its share, the period closed long enough);
- ``sementara`` (provisional): a value exists but more data is expected;
- ``belum_ada_data``: the source data of the period is absent: there is no value (never 0).

Pure Python: no Django, no Sikumi import. The caller counts the records and words the text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._decimal import HUNDRED, round_half_up

FINAL = "final"
PROVISIONAL = "sementara"
NO_DATA = "belum_ada_data"
STATUSES = (FINAL, PROVISIONAL, NO_DATA)
# Worst first: combining values (a sum of indicators) takes the worst status of its parts.
_RANK = {NO_DATA: 0, PROVISIONAL: 1, FINAL: 2}

SHOW, HIDE = "show", "hide"
KNOWN_KEYS = {"sources", "final_share", "closed_months", "provisional", "absent"}


class RuleError(ValueError):
    """A completeness rule in the data file is malformed."""


@dataclass(frozen=True)
class Rule:
    """When a measure's value for a period is final.

    ``sources``: the source data whose arrival is counted (e.g. ``rat``, ``omzet``);
    ``final_share``: percent of the expected records every source needs for the value to be
    final; ``closed_months``: the period must have ended this many months ago (``None``: no
    condition); ``provisional``: ``show`` the provisional value (marked) or ``hide`` it (growth
    rates, which compare a partial year with a full one); ``absent``: what a period without any
    source record is: ``no_data`` (no value) or ``provisional`` (the measure still means
    something, e.g. active cooperatives counted over a window of years).
    """

    sources: tuple[str, ...] = ()
    final_share: Decimal | None = None
    closed_months: int | None = None
    provisional: str = SHOW
    absent: str = "no_data"


@dataclass(frozen=True)
class SourceCount:
    """How many records of a source arrived for the period, out of how many are expected."""

    source: str
    received: int
    expected: int | None

    @property
    def share(self) -> Decimal | None:
        if not self.expected:
            return None
        return round_half_up(Decimal(self.received) / Decimal(self.expected) * HUNDRED, 2)


@dataclass(frozen=True)
class Completeness:
    status: str
    share: Decimal | None  # the lowest share over the sources, percent
    counts: tuple[SourceCount, ...] = ()
    period_open: bool = False  # the period has not ended (or not long enough ago)
    hide_value: bool = False  # provisional and the rule hides provisional values


def rule_from_data(data: Mapping[str, Any] | None) -> Rule:
    """A rule from the data file's mapping (unknown keys are refused, not ignored)."""
    if not data:
        return Rule()
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise RuleError(f"unknown completeness keys: {', '.join(sorted(unknown))}")
    sources = data.get("sources") or ()
    if isinstance(sources, str):
        sources = (sources,)
    share = data.get("final_share")
    months = data.get("closed_months")
    provisional = data.get("provisional", SHOW)
    absent = data.get("absent", "no_data")
    if provisional not in (SHOW, HIDE):
        raise RuleError(f"provisional must be 'show' or 'hide', not {provisional!r}")
    if absent not in ("no_data", "provisional"):
        raise RuleError(f"absent must be 'no_data' or 'provisional', not {absent!r}")
    if share is not None and not 0 <= Decimal(str(share)) <= 100:
        raise RuleError("final_share is a percentage between 0 and 100")
    if months is not None and int(months) < 0:
        raise RuleError("closed_months cannot be negative")
    return Rule(
        sources=tuple(str(s) for s in sources),
        final_share=None if share is None else Decimal(str(share)),
        closed_months=None if months is None else int(months),
        provisional=provisional,
        absent=absent,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def evaluate(
    rule: Rule, counts: Sequence[SourceCount], *, period_end: dt.date, today: dt.date
) -> Completeness:
    """The status of a value computed under ``rule`` with these ``counts``, seen on ``today``."""
    counts = tuple(counts)
    shares = [c.share for c in counts]
    known = [s for s in shares if s is not None]
    lowest = min(known) if known else None
    period_open = rule.closed_months is not None and today < add_months(
        period_end, rule.closed_months
    )
    if counts and all(c.received == 0 for c in counts) and rule.absent == "no_data":
        return Completeness(NO_DATA, lowest, counts, period_open)
    complete = all(
        rule.final_share is None
        or (c.received > 0 and c.share is not None and c.share >= rule.final_share)
        for c in counts
    )
    if complete and not period_open:
        return Completeness(FINAL, lowest, counts, period_open)
    return Completeness(
        PROVISIONAL, lowest, counts, period_open, hide_value=rule.provisional == HIDE
    )


def worst(statuses: Sequence[str]) -> str:
    """The status of a figure made of several values: its least complete part's."""
    if not statuses:
        return NO_DATA
    return min(statuses, key=lambda s: _RANK[s])
