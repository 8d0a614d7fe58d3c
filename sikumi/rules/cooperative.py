"""Cooperative status, KSP class and a small rule engine for "koperasi berkualitas/modern".

Activity: a cooperative is *aktif* when it held its RAT (annual members' meeting) within the
window (3 years by default, configurable). Precisely: aktif when ``last_rat_year >= as_of_year -
window_years``. With ``as_of_year`` 2026 and the default window, a last RAT in 2023, 2024, 2025 or
2026 counts as active; 2022 (four years before) does not. ``last_rat_year`` is the calendar year in
which the RAT was held.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ._data import load_json
from ._decimal import to_decimal
from .formatting import format_number

StatusCode = Literal["aktif", "tidak_aktif", "dibubarkan"]

DEFAULT_ACTIVITY_WINDOW_YEARS = 3
DEFAULT_RAT_DEADLINE_MONTHS = 6  # (confirm) RAT within six months after the book year ends


@dataclass(frozen=True)
class Status:
    """Activity status of a cooperative with the reason shown to users."""

    code: StatusCode
    reason: str


def activity_status(
    last_rat_year: int | None,
    as_of_year: int,
    window_years: int = DEFAULT_ACTIVITY_WINDOW_YEARS,
    dissolved: bool = False,
) -> Status:
    """``aktif`` when the last RAT was held in ``as_of_year - window_years`` or later.

    A dissolved cooperative is ``dibubarkan`` whatever its RAT history; one that never reported a
    RAT is ``tidak_aktif``.
    """
    if dissolved:
        return Status("dibubarkan", "Koperasi telah dibubarkan")
    if last_rat_year is None:
        return Status("tidak_aktif", "Belum pernah melaporkan RAT")
    if last_rat_year >= as_of_year - window_years:
        return Status(
            "aktif",
            f"RAT terakhir tahun {last_rat_year}, dalam {window_years} tahun terakhir",
        )
    return Status(
        "tidak_aktif",
        f"RAT terakhir tahun {last_rat_year}, lebih dari {window_years} tahun yang lalu",
    )


def rat_deadline(book_year: int, deadline_months: int = DEFAULT_RAT_DEADLINE_MONTHS) -> dt.date:
    """Last day on which the RAT for ``book_year`` is on time (default 30 June of the next year)."""
    year = book_year + 1 + (deadline_months - 1) // 12
    month = (deadline_months - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def rat_on_time(
    book_year: int, rat_date: dt.date | None, deadline_months: int = DEFAULT_RAT_DEADLINE_MONTHS
) -> bool:
    """True when the RAT for ``book_year`` was held by :func:`rat_deadline`."""
    return rat_date is not None and rat_date <= rat_deadline(book_year, deadline_months)


# ---------------------------------------------------------------------------------- KSP class


def load_ksp_classes(name: str = "ksp-classes.json") -> list[dict[str, Any]]:
    """KSP classes by own capital (Permenkop 8/2023, confirm), smallest first, max inclusive."""
    classes: list[dict[str, Any]] = load_json(name)["classes"]
    return classes


DEFAULT_KSP_CLASSES = load_ksp_classes()


def ksp_class(
    own_capital: Decimal | int | float | str | None,
    bands: Sequence[Mapping[str, Any]] | None = None,
) -> str | None:
    """Class code ("I".."IV") of a KSP from its own capital (modal sendiri).

    ``bands``: ``[{"code": "I", "own_capital_max": "2500000000"}, ..., {"code": "IV",
    "own_capital_max": None}]``, smallest first; the first band whose maximum is not exceeded wins.
    """
    value = to_decimal(own_capital)
    if value is None:
        return None
    for band in bands if bands is not None else DEFAULT_KSP_CLASSES:
        maximum = to_decimal(band["own_capital_max"])
        if maximum is None or value <= maximum:
            return str(band["code"])
    return None


# -------------------------------------------------------------------------------- rule engine

OPERATORS = (">=", ">", "<=", "<", "==", "in", "true", "within_years")

_OPERATOR_TEXT = {
    ">=": "minimal",
    ">": "lebih dari",
    "<=": "paling banyak",
    "<": "kurang dari",
    "==": "sama dengan",
    "in": "salah satu dari",
}


@dataclass(frozen=True)
class RuleOutcome:
    """Result of one rule for one cooperative, so a report can say which rule made it count."""

    code: str
    label: str
    met: bool
    detail: str
    applicable: bool = True


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float | Decimal):
        number = to_decimal(value)
        assert number is not None
        return format_number(number, 0 if number == number.to_integral_value() else 2)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_show(item) for item in value)
    # Facts given as codes ("tidak_aktif") are Indonesian words: shown as words, not as code.
    return str(value).replace("_", " ")


def _compare(op: str, actual: Any, expected: Any, facts: Mapping[str, Any], rule: Mapping) -> bool:
    if op == "true":
        return actual is True
    if op == "in":
        return actual in expected
    if op == "==":
        return bool(actual == expected)
    if op == "within_years":
        as_of = facts.get(rule.get("as_of_fact", "as_of_year"))
        if as_of is None:
            raise ValueError("fact 'as_of_year' is required for within_years rules")
        return int(actual) >= int(as_of) - int(expected)
    left, right = to_decimal(actual), to_decimal(expected)
    assert left is not None and right is not None
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    raise ValueError(f"unknown operator {op!r}; expected one of {OPERATORS}")


def _condition_met(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    actual = facts.get(condition["fact"])
    if actual is None:
        return False
    return _compare(condition["op"], actual, condition.get("value"), facts, condition)


def evaluate_rule(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> RuleOutcome:
    """Evaluate one rule ``{"code", "label", "fact", "op", "value", "fact_label"?, "applies_if"?}``.

    A missing fact (absent or ``None``) never meets a rule. A rule with an ``applies_if`` condition
    that does not hold is met and marked not applicable (e.g. health only for KSP/USP).
    """
    code, label = str(rule["code"]), str(rule["label"])
    op = rule["op"]
    if op not in OPERATORS:
        raise ValueError(f"rule {code}: unknown operator {op!r}; expected one of {OPERATORS}")
    condition = rule.get("applies_if")
    if condition is not None and not _condition_met(condition, facts):
        return RuleOutcome(code, label, True, "Tidak berlaku", applicable=False)
    fact_label = str(rule.get("fact_label", rule["fact"]))
    actual = facts.get(rule["fact"])
    expected = rule.get("value")
    if actual is None:
        return RuleOutcome(code, label, False, f"Data '{fact_label}' belum tersedia")
    met = _compare(op, actual, expected, facts, rule)
    if op == "true":
        requirement = "syarat: ya"
    elif op == "within_years":
        requirement = f"syarat: dalam {expected} tahun terakhir"
    else:
        requirement = f"syarat: {_OPERATOR_TEXT[op]} {_show(expected)}"
    # A year is never grouped ("2026", not "2.026").
    shown = str(actual) if op == "within_years" else _show(actual)
    return RuleOutcome(code, label, met, f"{fact_label}: {shown} ({requirement})")


def evaluate_rule_set(
    rules: Sequence[Mapping[str, Any]], facts: Mapping[str, Any]
) -> list[RuleOutcome]:
    """Evaluate every rule of a set against one cooperative's facts, keeping the rules' order.

    Operators: ``>=``, ``>``, ``<=``, ``<``, ``==``, ``in`` (value is a list), ``true`` (the fact is
    ``True``) and ``within_years`` (the fact is a year no older than ``as_of_year - value``, with
    ``as_of_year`` taken from the facts). The cooperative qualifies when every outcome is met.
    """
    return [evaluate_rule(rule, facts) for rule in rules]


def all_met(outcomes: Sequence[RuleOutcome]) -> bool:
    """True when every rule is met (not applicable rules count as met)."""
    return all(outcome.met for outcome in outcomes)


def load_rule_sets(name: str = "quality-rules.json") -> dict[str, Any]:
    """The shipped rule sets: ``{"rule_sets": {code: {"label", "includes"?, "rules": [...]}}}``."""
    rule_sets: dict[str, Any] = load_json(name)["rule_sets"]
    return rule_sets


def expand_rule_set(rule_sets: Mapping[str, Any], code: str) -> list[dict[str, Any]]:
    """All rules of a set, with the rules of the sets it ``includes`` first (recursively).

    "modern" includes "berkualitas", so a modern cooperative must also be berkualitas.
    """

    def walk(current: str, seen: tuple[str, ...]) -> list[dict[str, Any]]:
        if current in seen:
            raise ValueError(f"rule set {current!r} includes itself")
        definition = rule_sets[current]
        rules: list[dict[str, Any]] = []
        for included in definition.get("includes", []):
            rules.extend(walk(included, (*seen, current)))
        rules.extend(definition["rules"])
        return rules

    return walk(code, ())
