"""Rules of layanan kelembagaan and supervision (no Django import), tested without a database.

- Inspection result: an inspection is **patuh** when every *mandatory* checklist item is answered
  "ya" or "tidak berlaku"; one mandatory item answered "tidak" (or left unanswered) makes it
  **tidak patuh**. Optional items are recorded but do not decide the result.
- Follow-up of a finding: **terlambat** (overdue) when still open after its due date; a finding
  is overdue when one of its follow-ups is, open while one is open, done when all are done.
- Office openings (kantor cabang, cabang pembantu, kantor kas), domain notes section 4: the
  cooperative must have held an IUSP for at least ``IUSP_MIN_YEARS`` years on the decision date,
  and its health assessment of the previous book year must be at least ``HEALTH_MIN_PREDICATE``.
  Figures such as members in the area and branch capital are checked against the minimums kept as
  data on the requirement templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

IUSP_MIN_YEARS = 2
HEALTH_MIN_PREDICATE = "Cukup Sehat"
# Order of the predicates, best first (both methodologies use the same four).
PREDICATE_ORDER = ("Sehat", "Cukup Sehat", "Dalam Pengawasan", "Dalam Pengawasan Khusus")

YES, NO, NA = "ya", "tidak", "na"

# Follow-up of a finding: stored open or done; overdue is computed (open past its due date).
OPEN, DONE, OVERDUE = "open", "done", "overdue"
# A finding's follow-up status; NONE: no follow-up recorded yet.
NONE = "none"
# Order of a findings list: what needs action first.
FINDING_STATUS_ORDER = (OVERDUE, OPEN, NONE, DONE)


def inspection_result(answers: Iterable[tuple[bool, str | None]]) -> str:
    """``answers``: (item is mandatory, answer or None). Returns "patuh" or "tidak_patuh"."""
    for mandatory, answer in answers:
        if mandatory and answer not in (YES, NA):
            return "tidak_patuh"
    return "patuh"


def follow_up_status(status: str, due_date: dt.date, today: dt.date) -> str:
    """ "open", "done" or "overdue": an open follow-up is overdue from the day after its due
    date (due 30 June, still open on 1 July). SQL form: ``selectors.follow_up_overdue``."""
    if status == OPEN and due_date < today:
        return OVERDUE
    return status


def finding_status(follow_up_statuses: Iterable[str]) -> str:
    """A finding's status from its follow-ups' (current) statuses: "overdue" when one is
    overdue, else "open" when one is still open, "done" when all are done and "none" when it
    has none. SQL form: ``selectors.with_follow_up_status``."""
    seen = set(follow_up_statuses)
    for status in (OVERDUE, OPEN, DONE):
        if status in seen:
            return status
    return NONE


def predicate_at_least(
    predicate: str | None, minimum: str, order: Sequence[str] = PREDICATE_ORDER
) -> bool:
    """Whether ``predicate`` is ``minimum`` or better in ``order`` (best first)."""
    if predicate not in order or minimum not in order:
        return False
    return order.index(predicate) <= order.index(minimum)


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from ``start`` to ``end`` (an anniversary on 29 February counts on 28th)."""
    years = end.year - start.year
    try:
        anniversary = start.replace(year=end.year)
    except ValueError:  # 29 February in a non-leap year
        anniversary = start.replace(year=end.year, day=28)
    if end < anniversary:
        years -= 1
    return years


def office_prerequisites(
    *,
    decision_date: dt.date,
    iusp_date: dt.date | None,
    last_year_predicate: str | None,
    last_year: int,
    iusp_min_years: int = IUSP_MIN_YEARS,
    health_minimum: str = HEALTH_MIN_PREDICATE,
) -> list[str]:
    """Unmet prerequisites for opening an office, as messages in Bahasa Indonesia."""
    problems: list[str] = []
    if iusp_date is None:
        problems.append(
            "Koperasi belum memiliki Izin Usaha Simpan Pinjam (IUSP) yang tercatat; "
            f"pembukaan kantor mensyaratkan IUSP minimal {iusp_min_years} tahun."
        )
    elif years_between(iusp_date, decision_date) < iusp_min_years:
        problems.append(
            f"IUSP baru terbit {iusp_date:%d-%m-%Y}; pembukaan kantor mensyaratkan koperasi "
            f"beroperasi dengan IUSP minimal {iusp_min_years} tahun."
        )
    if last_year_predicate is None:
        problems.append(
            f"Belum ada penilaian kesehatan tahun buku {last_year}; pembukaan kantor "
            f"mensyaratkan predikat minimal {health_minimum} pada tahun sebelumnya."
        )
    elif not predicate_at_least(last_year_predicate, health_minimum):
        problems.append(
            f"Predikat kesehatan tahun buku {last_year} adalah {last_year_predicate}; "
            f"pembukaan kantor mensyaratkan minimal {health_minimum}."
        )
    return problems


def measure_problems(
    requirements: Iterable[Mapping[str, Any]], figures: Mapping[str, Decimal | int | None]
) -> list[str]:
    """Requirements with a measure and a minimum (``{"label", "measure", "measure_label",
    "minimum"}``) checked against the case's figures; returns the unmet ones."""
    problems: list[str] = []
    for req in requirements:
        measure = req.get("measure")
        if not measure or req.get("minimum") is None:
            continue
        minimum = Decimal(str(req["minimum"]))
        actual = figures.get(measure)
        shown = _plain(minimum)
        if actual is None:
            problems.append(
                f"{req['measure_label']} belum diisi (persyaratan: {req['label']}, "
                f"minimal {shown})."
            )
        elif Decimal(str(actual)) < minimum:
            problems.append(
                f"{req['measure_label']} {_plain(Decimal(str(actual)))} kurang dari minimal "
                f"{shown} ({req['label']})."
            )
    return problems


def _plain(number: Decimal) -> str:
    """12500000.00 -> 12.500.000 (Indonesian grouping, decimals only when needed)."""
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _, frac = f"{number:,.2f}".partition(".")
    return whole.replace(",", ".") + "," + frac


def median(values: Sequence[float | int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2
