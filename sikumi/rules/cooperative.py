"""Cooperative status, KSP class and a small rule engine for "koperasi berkualitas/modern".

Activity: a cooperative is *aktif* when it held its RAT (annual members' meeting) within the
window (3 years by default, configurable). Precisely: aktif when ``last_rat_year >= as_of_year -
window_years``. With ``as_of_year`` 2026 and the default window, a last RAT in 2023, 2024, 2025 or
2026 counts as active; 2022 (four years before) does not. ``last_rat_year`` is the calendar year in
which the RAT was held; that RAT closes the book year before it (:func:`rat_book_year`).

This module is the only place these rules are written. Code that evaluates one over thousands of
cooperatives takes its bounds from here for SQL (:func:`activity_thresholds`,
:func:`certificate_thresholds`) or passes plain facts to the bulk API (:func:`qualifying`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import operator
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

from ._data import load_json
from ._decimal import to_decimal
from .formatting import format_date, format_number

StatusCode = Literal["aktif", "tidak_aktif", "dibubarkan"]
Key = TypeVar("Key", bound=Hashable)

DEFAULT_ACTIVITY_WINDOW_YEARS = 3
DEFAULT_RAT_DEADLINE_MONTHS = 6  # (confirm) RAT within six months after the book year ends


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the day a year's statuses are taken on."""
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Status:
    """Activity status of a cooperative with the reason shown to users."""

    code: StatusCode
    reason: str


@dataclass(frozen=True)
class ActivityThresholds:
    """The bounds :func:`activity_status` compares with as of one year, so that a bulk reading
    (an SQL filter over every cooperative) takes them from here instead of restating them:
    aktif when ``last_rat_year >= active_from``; dibubarkan when dissolved on
    ``dissolved_through`` or earlier."""

    active_from: int
    dissolved_through: dt.date


def activity_thresholds(
    as_of_year: int, window_years: int = DEFAULT_ACTIVITY_WINDOW_YEARS, on: dt.date | None = None
) -> ActivityThresholds:
    """As of 2026 with the default window: a last RAT in 2023 or later is aktif; a dissolution
    on ``on`` or before makes the cooperative dibubarkan. ``on`` defaults to 31 December of the
    year (a year's status); a quarter passes its last day, so that a cooperative dissolved in
    November still counts, active or not, in the first three quarters."""
    return ActivityThresholds(
        active_from=as_of_year - window_years, dissolved_through=on or year_end(as_of_year)
    )


def dissolved_by(dissolved_on: dt.date | None, as_of_year: int, on: dt.date | None = None) -> bool:
    """True when a cooperative dissolved on ``dissolved_on`` counts as dissolved in
    ``as_of_year`` (by ``on``, 31 December by default; ``None``: never dissolved)."""
    return (
        dissolved_on is not None
        and dissolved_on <= activity_thresholds(as_of_year, on=on).dissolved_through
    )


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
    if last_rat_year >= activity_thresholds(as_of_year, window_years).active_from:
        return Status(
            "aktif",
            f"RAT terakhir tahun {last_rat_year}, dalam {window_years} tahun terakhir",
        )
    return Status(
        "tidak_aktif",
        f"RAT terakhir tahun {last_rat_year}, lebih dari {window_years} tahun yang lalu",
    )


# ------------------------------------------------------------------------------------- RAT

# The RAT held in a year usually closes the book year before it (RAT 2026 approves the books of
# 2025). A report records both: the book year it approves and the date it was held
# (:func:`rat_problems`); counts "per year" take the year it was held.
RAT_BOOK_YEAR_LAG = 1


def rat_book_year(rat_year: int) -> int:
    """The book year whose figures the RAT held in ``rat_year`` reports (``rat_year - 1``)."""
    return rat_year - RAT_BOOK_YEAR_LAG


def rat_year_of_book_year(book_year: int) -> int:
    """The year in which the RAT reporting ``book_year`` is held (``book_year + 1``)."""
    return book_year + RAT_BOOK_YEAR_LAG


def book_year_end(book_year: int) -> dt.date:
    """The last day of ``book_year`` (31 December): a RAT on it can only come after."""
    return dt.date(book_year, 12, 31)


def rat_held_year(book_year: int, rat_date: dt.date | None) -> int:
    """The year the RAT on ``book_year`` was held: the year of its date, or (date not known)
    the year after the book year, as usual."""
    return rat_date.year if rat_date is not None else rat_year_of_book_year(book_year)


def rat_problems(
    book_year: int | None, rat_date: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    """What is wrong with a RAT's book year and meeting date, by field ("book_year",
    "rat_date"), in Bahasa Indonesia: the book year has ended, the meeting is not in the future
    and comes after the book year ends (a RAT approves the closed books of the year). The form,
    the API and the import all call this one rule."""
    problems: dict[str, list[str]] = {}
    if book_year is not None and book_year >= today.year:
        problems.setdefault("book_year", []).append(
            f"Tahun buku {book_year} belum berakhir: RAT atas tahun buku {book_year} "
            f"baru dapat diselenggarakan mulai 1 Januari {book_year + 1}."
        )
    if rat_date is not None and rat_date > today:
        problems.setdefault("rat_date", []).append("Tanggal RAT tidak boleh di masa depan.")
    elif book_year is not None and rat_date is not None and rat_date <= book_year_end(book_year):
        problems.setdefault("rat_date", []).append(
            f"Tanggal RAT ({format_date(rat_date)}) harus sesudah tahun buku {book_year} "
            f"berakhir ({format_date(book_year_end(book_year))})."
        )
    return problems


@functools.lru_cache(maxsize=512)
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


def rat_held_on_time(
    rat_year: int | None,
    rat_date: dt.date | None,
    deadline_months: int = DEFAULT_RAT_DEADLINE_MONTHS,
) -> bool | None:
    """The ``rat_tepat_waktu`` fact of the RAT held in ``rat_year`` on ``rat_date``: whether it
    was on time for the book year it closes; ``None`` (not known) without a year or a date."""
    if rat_year is None or rat_date is None:
        return None
    return rat_on_time(rat_book_year(rat_year), rat_date, deadline_months)


def rat_report_on_time(
    book_year: int | None,
    rat_date: dt.date | None,
    deadline_months: int = DEFAULT_RAT_DEADLINE_MONTHS,
) -> bool | None:
    """The ``rat_tepat_waktu`` fact of a RAT report: held by the deadline of the book year it
    approves; ``None`` (not known) without a book year or a date."""
    if book_year is None or rat_date is None:
        return None
    return rat_on_time(book_year, rat_date, deadline_months)


def members_total(men: int | None, women: int | None, other: int | None) -> int | None:
    """Members reported at a RAT: men, women and members whose sex is not given (older or
    imported reports give only a total); ``None`` when no part is known."""
    if men is None and women is None and other is None:
        return None
    return (men or 0) + (women or 0) + (other or 0)


# ------------------------------------------------------------------- competency certificates


@dataclass(frozen=True)
class CertificateThresholds:
    """The dates :func:`certificate_valid_on` compares with, for an SQL filter: issued on
    ``issued_through`` or earlier, and without expiry or expiring on ``expires_from`` or later."""

    issued_through: dt.date
    expires_from: dt.date


def certificate_thresholds(on: dt.date) -> CertificateThresholds:
    return CertificateThresholds(issued_through=on, expires_from=on)


def certificate_valid_on(
    issued_on: dt.date | None, expires_on: dt.date | None, on: dt.date
) -> bool:
    """True when a competency certificate is held on ``on``: issued that day or before and not
    expired (no expiry date: valid for good). Without an issue date it does not count.

    The one validity every count uses: the quality rule sets count certificates held at the end
    of the year (``jumlah_pengelola_bersertifikat``, ``on`` = 31 December) and the indicator
    ``pengurus_kompeten`` those held at the end of its period."""
    bounds = certificate_thresholds(on)
    return (
        issued_on is not None
        and issued_on <= bounds.issued_through
        and (expires_on is None or expires_on >= bounds.expires_from)
    )


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

_ORDERINGS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
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
        try:
            number = to_decimal(value)
        except ValueError:  # NaN, infinity: shown as they are, the explanation never fails
            return str(value)
        assert number is not None
        return format_number(number, 0 if number == number.to_integral_value() else 2)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_show(item) for item in value)
    # Facts given as codes ("tidak_aktif") are Indonesian words: shown as words, not as code.
    return str(value).replace("_", " ")


# (the fact's value, which is present, and all the facts) -> met
Comparison = Callable[[Any, Mapping[str, Any]], bool]


def _number(value: Any) -> Decimal:
    number = to_decimal(value)
    if number is None:
        raise ValueError("a number is required to compare with")
    return number


def _comparison(op: str, expected: Any, as_of_fact: str = "as_of_year") -> Comparison:
    """The meaning of each operator, written once: the explaining evaluation
    (:func:`evaluate_rule`) and the bulk one (:func:`compile_rule`) both call what this returns.
    Work that depends only on the rule (the rule's number) is done here, once per rule."""
    if op == "true":
        return lambda actual, facts: actual is True
    if op == "in":
        return lambda actual, facts: actual in expected
    if op == "==":
        return lambda actual, facts: bool(actual == expected)
    if op == "within_years":

        def within(actual: Any, facts: Mapping[str, Any]) -> bool:
            as_of = facts.get(as_of_fact)
            if as_of is None:
                raise ValueError("fact 'as_of_year' is required for within_years rules")
            return int(actual) >= int(as_of) - int(expected)

        return within
    ordering = _ORDERINGS.get(op)
    if ordering is None:

        def unknown(actual: Any, facts: Mapping[str, Any]) -> bool:
            raise ValueError(f"unknown operator {op!r}; expected one of {OPERATORS}")

        return unknown
    try:
        bound: Decimal | None = _number(expected)
    except (TypeError, ValueError):
        bound = None  # the error is raised when the rule is evaluated, as for any fact

    def ordered(actual: Any, facts: Mapping[str, Any]) -> bool:
        right = bound if bound is not None else _number(expected)
        # int and finite Decimal values compare exactly with a Decimal as they are; anything
        # else (float, str...) is converted (or refused) by to_decimal first
        kind = type(actual)
        if kind is int or (kind is Decimal and actual.is_finite()):
            return bool(ordering(actual, right))
        return bool(ordering(_number(actual), right))

    return ordered


def _condition_met(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    actual = facts.get(condition["fact"])
    if actual is None:
        return False
    compare = _comparison(
        condition["op"], condition.get("value"), condition.get("as_of_fact", "as_of_year")
    )
    return compare(actual, facts)


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
    met = _comparison(op, expected, rule.get("as_of_fact", "as_of_year"))(actual, facts)
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


# ------------------------------------------------------------------ rule sets over many at once

Predicate = Callable[[Mapping[str, Any]], bool]


def compile_rule(rule: Mapping[str, Any]) -> Predicate:
    """``facts -> evaluate_rule(rule, facts).met``, without writing the explanation: for
    evaluating a rule over thousands of cooperatives. Same comparisons as :func:`evaluate_rule`
    (:func:`_comparison`); a rule :func:`evaluate_rule` would refuse (unknown operator, missing
    key) gives a predicate that raises the same error when called."""

    def refused(facts: Mapping[str, Any]) -> bool:
        return evaluate_rule(rule, facts).met

    try:
        str(rule["code"]), str(rule["label"])
        fact, op = rule["fact"], rule["op"]
        str(rule.get("fact_label", fact))
        if op not in OPERATORS:
            return refused
        compare = _comparison(op, rule.get("value"), rule.get("as_of_fact", "as_of_year"))
        condition = rule.get("applies_if")
        if condition is not None:
            condition_fact = condition["fact"]
            applies = _comparison(
                condition["op"], condition.get("value"), condition.get("as_of_fact", "as_of_year")
            )
    except (AttributeError, KeyError, TypeError):
        return refused

    def met(facts: Mapping[str, Any]) -> bool:
        actual = facts.get(fact)
        return actual is not None and compare(actual, facts)

    if condition is None:
        return met

    def met_where_applicable(facts: Mapping[str, Any]) -> bool:
        condition_actual = facts.get(condition_fact)
        if condition_actual is None or not applies(condition_actual, facts):
            return True  # not applicable counts as met
        return met(facts)

    return met_where_applicable


SELECTIVITY_SAMPLE = 100


def _most_selective_first(
    predicates: list[Predicate],
    candidates: list[tuple[Any, Mapping[str, Any]]],
    sample: int,
) -> list[Predicate]:
    """The predicates ordered by how few of a sample of the candidates meet them (every rule
    must be met, so the order changes the work, not the outcome)."""
    if len(predicates) < 2 or len(candidates) < 4 * sample:
        return predicates
    probe = candidates[:: len(candidates) // sample]
    passing = [sum(1 for _, facts in probe if predicate(facts)) for predicate in predicates]
    order = sorted(range(len(predicates)), key=lambda index: passing[index])
    return [predicates[index] for index in order]


def qualifying(
    rule_sets: Mapping[str, Any],
    facts_by_key: Mapping[Key, Mapping[str, Any]],
    sample: int | None = None,
) -> dict[str, set[Key]]:
    """For each rule set, the keys (cooperative ids) whose facts meet every rule of the set: the
    outcome of ``all_met(evaluate_rule_set(expand_rule_set(rule_sets, code), facts))`` for each,
    computed in bulk.

    Rules are compiled once (:func:`compile_rule`) and applied rule by rule to the candidates
    still in the running, the most selective first; a set whose rules start with all the rules
    of another (``modern`` includes ``berkualitas``) starts from that set's qualifiers."""
    sample = SELECTIVITY_SAMPLE if sample is None else sample
    expanded = {code: expand_rule_set(rule_sets, code) for code in rule_sets}
    compiled: dict[int, Predicate] = {}
    passed: dict[str, list[tuple[Key, Mapping[str, Any]]]] = {}
    everyone = list(facts_by_key.items())
    for code in sorted(expanded, key=lambda code: len(expanded[code])):
        rules = expanded[code]
        prerequisite, shared = None, 0
        for earlier in passed:  # shortest first, so the longest shared prefix wins
            prefix = expanded[earlier]
            if shared < len(prefix) <= len(rules) and all(
                a is b for a, b in zip(prefix, rules, strict=False)
            ):
                prerequisite, shared = earlier, len(prefix)
        predicates = []
        for rule in rules[shared:]:
            if id(rule) not in compiled:
                compiled[id(rule)] = compile_rule(rule)
            predicates.append(compiled[id(rule)])
        candidates = everyone if prerequisite is None else passed[prerequisite]
        for predicate in _most_selective_first(predicates, candidates, sample):
            candidates = [item for item in candidates if predicate(item[1])]
        passed[code] = candidates
    return {code: {key for key, _ in passed[code]} for code in rule_sets}
