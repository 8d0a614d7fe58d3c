"""Figures of the Kepala Dinas' dashboard and the public transparency page: aggregates only
(indicators, budget per program, the promise), never a person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from sikumi.monev import compute, computed
from sikumi.monev.models import PromiseFigure, QuarterSubmission, Renja
from sikumi.monev.reports.builders import iku_indicators, predicate_bands
from sikumi.monev.selectors import (
    PlanData,
    active_plan,
    budget_quarters,
    indicator_quarters,
    load_plan_data,
    renja_budgets,
    renja_targets,
    rolled_up_spending,
    rule_of,
    yearly_realisation,
)
from sikumi.plans.models import IndicatorTable, IndicatorTarget, NodeKind, Pagu, Plan
from sikumi.plans.selectors import figure_marks
from sikumi.rules.capaian import absorption, capaian, predicate

PROMISE_NEW = 5000
PROMISE_WOMEN = 1000


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def default_year(plan: Plan, today: dt.date | None = None) -> int:
    year = (today or timezone.localdate()).year
    return min(max(year, plan.period_start), plan.period_end)


def _targets_by_year(plan: Plan) -> dict[int, dict[int, Decimal | None]]:
    return {r.year: renja_targets(r) for r in Renja.objects.filter(plan=plan)}


def approved_reasons(plan: Plan, year: int) -> dict[int, list[str]]:
    """{indicator id: reasons recorded on the year's approved realisations for differing from
    the value computed from the registries}."""
    from sikumi.monev.choices import ROMAN, SubmissionStatus
    from sikumi.monev.models import IndicatorRealisation

    rows = (
        IndicatorRealisation.objects.active()
        .filter(renja__plan=plan, renja__year=year, submission__status=SubmissionStatus.APPROVED)
        .exclude(override_reason="")
        .order_by("quarter")
        .values_list("indicator_id", "quarter", "override_reason")
    )
    out: dict[int, list[str]] = {}
    for ind, quarter, reason in rows:
        out.setdefault(ind, []).append(f"TW {ROMAN[quarter]}: {reason}")
    return out


def _beside(
    approved: Decimal | None, figure: computed.ComputedFigure | None, reasons: list[str]
) -> dict[str, Any]:
    """The approved realisation, the computed value (never in its place) and the difference."""
    gap = computed.difference(approved, figure)
    return {
        "approved": _f(approved),
        "computed": None
        if figure is None
        else {
            "value": _f(figure.value),
            "status": figure.status,
            "status_label": figure.status_label,
            "completeness": figure.completeness,
            "computed_at": figure.computed_at,
        },
        "difference": _f(gap) if computed.differs(approved, figure) else None,
        "reasons": reasons,
    }


def indicator_series(
    data: PlanData,
    yearly: dict[int, dict[int, Decimal | None]],
    targets: dict[int, Any],
    year: int,
    figures: dict[int, computed.ComputedFigure] | None = None,
    reasons: dict[int, list[str]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """IKU and program indicators: target and (approved) realisation per year up to ``year``;
    with ``figures``, the value computed from the registries for ``year`` beside them."""
    years = [y for y in data.plan.years if y <= year]

    def series(ind: Any) -> dict[str, Any]:
        t = [targets.get(y, {}).get(ind.pk) for y in years]
        r = [yearly.get(ind.pk, {}).get(y) for y in years]
        value = capaian(t[-1] if t else None, r[-1] if r else None, ind.polarity)
        return {
            "id": ind.pk,
            "name": ind.name,
            "unit": ind.unit,
            "years": years,
            "targets": [_f(v) for v in t],
            "realisations": [_f(v) for v in r],
            "points": [
                {"year": y, "target": _f(a), "realisation": _f(b)}
                for y, a, b in zip(years, t, r, strict=True)
            ],
            "capaian": _f(value),
            "predicate": predicate(value, predicate_bands()),
            "beside": None
            if figures is None
            else _beside(
                yearly.get(ind.pk, {}).get(year),
                figures.get(ind.pk),
                (reasons or {}).get(ind.pk, []),
            ),
        }

    iku = [series(i) for i in iku_indicators(data)]
    program = [
        series(i)
        for i in data.indicators
        if i.table == IndicatorTable.PROGRAM and i.node and i.node.kind == NodeKind.PROGRAM
    ]
    return iku, program


def program_absorption(data: PlanData, year: int) -> list[dict[str, Any]]:
    renja = Renja.objects.filter(plan=data.plan, year=year).first()
    pagu = renja_budgets(renja) if renja else {}
    spending = rolled_up_spending(data, budget_quarters(data.plan, years=[year]))
    out = []
    for node in data.ordered:
        if node.kind != NodeKind.PROGRAM:
            continue
        values = [v for v in spending.get((year, node.pk), {}).values() if v is not None]
        spent = sum(values, Decimal(0)) if values else None
        share = absorption(pagu.get(node.pk), spent)
        out.append(
            {
                "name": node.name,
                "code": node.code,
                "pagu": _f(pagu.get(node.pk)),
                "spent": _f(spent),
                "percent": _f(share.percent),
                "over": share.over_budget,
            }
        )
    return out


def indicators_at_risk(
    data: PlanData,
    quarters: dict[tuple[int, int], dict[int, Decimal | None]],
    year: int,
    example: set[tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """Indicators whose capaian, projected at the current pace from the quarters reported so
    far, stays below 76% (a year with all four quarters reported is not projected)."""
    renja = Renja.objects.filter(plan=data.plan, year=year).first()
    if renja is None:
        return []
    targets = renja_targets(renja)
    marks = None
    out = []
    for ind in data.indicators:
        values = quarters.get((year, ind.pk))
        if not values:
            continue
        risky, projected, value = compute.at_risk(
            targets.get(ind.pk), values, rule_of(ind), ind.polarity
        )
        if risky:
            # the plan checker's marks on the target the projection is measured against
            marks = marks or figure_marks(data.plan)
            marked = marks.of_indicator(ind.pk, fields=["target"], year=year)
            marked += marks.of_indicator(ind.pk, fields=["end_target"])
            out.append(
                {
                    "name": ind.name,
                    "unit": ind.unit,
                    "owner": data.unit_of(ind.node_id).name,
                    "target": _f(targets.get(ind.pk)),
                    "quarters": max(values),
                    "projected": _f(compute.q2(projected)),
                    "capaian": _f(value),
                    "marks": [{"text": m.text, "url": m.url} for m in marked],
                    # the year's realisations include generated ones
                    "example": (year, ind.pk) in (example or set()),
                }
            )
    return sorted(out, key=lambda row: row["capaian"])


def promise_progress() -> dict[str, Any]:
    """The mayor's promise: from the micro-enterprise registry when it can say, else the
    figures the Perencana typed in."""
    registry_progress: Any = None
    try:
        from sikumi.enterprises import selectors as registry

        registry_progress = getattr(registry, "promise_progress", None)
    except ImportError:
        pass
    if registry_progress is not None:
        try:
            figures = registry_progress()
        except Exception:  # the registry is optional here; fall back to typed-in figures
            figures = None
        new = int((figures or {}).get("new_entrepreneurs") or 0)
        if isinstance(figures, dict) and new > 0:
            women = int(figures.get("women_entrepreneurs") or 0)
            return {
                "source": "registry",
                "new": new,
                "women": women,
                "target_new": PROMISE_NEW,
                "target_women": PROMISE_WOMEN,
                "new_percent": round(new / PROMISE_NEW * 100, 2),
                "women_percent": round(women / PROMISE_WOMEN * 100, 2),
                "by_year": [
                    {"year": r["year"], "new": r["new"], "women": r["women"]}
                    for r in figures.get("per_year", [])
                ],
                "per_kecamatan": figures.get("per_kecamatan", []),
                "example": False,
            }
    rows = list(PromiseFigure.objects.active().order_by("year"))
    new = sum(r.new_entrepreneurs for r in rows)
    women = sum(r.women_entrepreneurs for r in rows)
    return {
        "source": "manual",
        "new": new,
        "women": women,
        "target_new": PROMISE_NEW,
        "target_women": PROMISE_WOMEN,
        "new_percent": round(new / PROMISE_NEW * 100, 2),
        "women_percent": round(women / PROMISE_WOMEN * 100, 2),
        "by_year": [
            {"year": r.year, "new": r.new_entrepreneurs, "women": r.women_entrepreneurs}
            for r in rows
        ],
        "example": any(r.is_example for r in rows),
    }


def dashboard_data(plan: Plan, year: int) -> dict[str, Any]:
    data = load_plan_data(plan)
    years = [y for y in plan.years if y <= year]
    quarters, example = indicator_quarters(plan, years=years)
    yearly = yearly_realisation(data, quarters)
    iku, program = indicator_series(
        data,
        yearly,
        _targets_by_year(plan),
        year,
        figures=computed.figures(plan, year),
        reasons=approved_reasons(plan, year),
    )
    return {
        "year": year,
        "iku": iku,
        "program_indicators": program,
        "absorption": program_absorption(data, year),
        "at_risk": indicators_at_risk(data, quarters, year, example),
        "promise": promise_progress(),
        "example": bool(example),
    }


def public_stamp() -> str:
    """What the public figures were computed from, read from the database: the last change
    (and the number of rows) of the Renja, the quarters' approvals, the promise figures and
    the plan's targets and pagu. Every web process reads the same stamp, so an approval made
    through one process refreshes the page served by all (a per-process counter would not)."""
    parts = []
    for model in (Renja, QuarterSubmission, PromiseFigure, IndicatorTarget, Pagu):
        row = model.objects.order_by().aggregate(at=Max("updated_at"), n=Count("pk"))
        parts.append(f"{row['at'].timestamp() if row['at'] else 0}:{row['n']}")
    return "-".join(parts)


def public_data() -> dict[str, Any] | None:
    """The public page's aggregates, cached under the database's stamp of the figures, so a
    burst of visitors is served from the cache with five small queries each."""
    key = f"monev:public:data:{public_stamp()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    plan = active_plan()
    if plan is None:
        return None
    year = default_year(plan)
    data = load_plan_data(plan)
    years = [y for y in plan.years if y <= year]
    quarters, example = indicator_quarters(plan, years=years)
    yearly = yearly_realisation(data, quarters)
    iku, _program = indicator_series(data, yearly, _targets_by_year(plan), year)
    result = {
        "plan": str(plan),
        "opd": plan.opd_name,
        "year": year,
        "iku": iku,
        "absorption": program_absorption(data, year),
        "example": bool(example) or plan.is_example,
        "generated": timezone.now(),
    }
    cache.set(key, result, 6 * 3600)
    return result
