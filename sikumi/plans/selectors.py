"""Reads of a plan. A plan is small (tens of nodes, hundreds of figures): the cascade is read in
a handful of queries and assembled in one pass in Python."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from sikumi.accounts import access
from sikumi.plans.checker import Finding, check_document
from sikumi.plans.convert import Source, plan_to_document_with_sources
from sikumi.plans.models import (
    BUDGET_KINDS,
    HistoricalBudget,
    HistoricalPerformance,
    Indicator,
    IndicatorTarget,
    NodeKind,
    Pagu,
    Plan,
    PlanNode,
    TargetChange,
)


def active_plan() -> Plan | None:
    return Plan.objects.active().filter(is_active=True).order_by("-period_start", "-id").first()


def plans_for(user: Any) -> QuerySet[Plan]:
    return Plan.objects.active().order_by("-is_active", "-period_start", "opd_name")


def indicator_get(*, user: Any, pk: int) -> Indicator:
    access.require(access.can_view(user, Indicator))
    return Indicator.objects.select_related("plan", "node").get(pk=pk)


def node_get(*, user: Any, pk: int) -> PlanNode:
    access.require(access.can_view(user, PlanNode))
    return PlanNode.objects.select_related("plan").get(pk=pk)


def plan_nodes(
    plan: Plan, kind: str | Iterable[str] | None = None, unit: Any = None
) -> QuerySet[PlanNode]:
    qs = PlanNode.objects.filter(plan=plan).select_related("unit", "parent").order_by("order")
    if isinstance(kind, str):
        qs = qs.filter(kind=kind)
    elif kind is not None:
        qs = qs.filter(kind__in=list(kind))
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def budget_nodes(plan: Plan) -> QuerySet[PlanNode]:
    return plan_nodes(plan, BUDGET_KINDS)


def node_indicators(plan: Plan) -> dict[int, list[Indicator]]:
    result: dict[int, list[Indicator]] = defaultdict(list)
    qs = (
        Indicator.objects.filter(plan=plan, node__isnull=False)
        .exclude(table="iku")
        .prefetch_related("targets")
        .order_by("order")
    )
    for indicator in qs:
        assert indicator.node_id is not None
        result[indicator.node_id].append(indicator)
    return result


def pagu_by_node_year(plan: Plan) -> dict[tuple[int | None, int], Decimal | None]:
    return {
        (row["node_id"], row["year"]): row["value"]
        for row in Pagu.objects.filter(plan=plan, value__isnull=False).values(
            "node_id", "year", "value"
        )
    }


def historical_performance(
    plan: Plan, years: Iterable[int] | None = None
) -> QuerySet[HistoricalPerformance]:
    qs = HistoricalPerformance.objects.filter(plan=plan).order_by("order", "year")
    return qs.filter(year__in=list(years)) if years is not None else qs


def historical_budget(plan: Plan, years: Iterable[int] | None = None) -> QuerySet[HistoricalBudget]:
    qs = HistoricalBudget.objects.filter(plan=plan).order_by("order", "year")
    return qs.filter(year__in=list(years)) if years is not None else qs


def target_changes(plan: Plan) -> QuerySet[TargetChange]:
    return TargetChange.objects.filter(plan=plan).select_related(
        "changed_by", "revision", "target__indicator", "pagu__node", "indicator", "node"
    )


# --- the cascade page -------------------------------------------------------------------------


@dataclass
class CascadeRow:
    node: PlanNode
    depth: int
    indicators: list[Indicator] = field(default_factory=list)
    pagu: dict[int, Decimal | None] = field(default_factory=dict)
    pagu_printed: dict[int, str] = field(default_factory=dict)
    #: the sum of the children's pagu per year (for programs and kegiatan)
    child_sum: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    visible: bool = True

    @property
    def kind(self) -> str:
        return self.node.kind


@dataclass
class Cascade:
    plan: Plan
    years: list[int]
    rows: list[CascadeRow]
    opd_pagu: dict[int, Decimal | None]
    opd_total: Decimal | None
    program_sum: dict[int, Decimal]


def cascade(plan: Plan, *, unit: Any = None, year: int | None = None) -> Cascade:
    """The plan's tree in document order with indicators and pagu; with ``unit`` only the
    budget rows that unit is responsible for (and their ancestors) are shown."""
    years = [int(y) for y in (plan.target_years or plan.years)]
    if year is not None:
        years = [y for y in years if y == year]
    nodes = list(plan_nodes(plan))
    targets = node_indicators(plan)
    pagu: dict[int | None, dict[int, Pagu]] = defaultdict(dict)
    for stored in Pagu.objects.filter(plan=plan):
        pagu[stored.node_id][stored.year] = stored
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for each in nodes:
        children[each.parent_id].append(each)

    rows: list[CascadeRow] = []
    by_node: dict[int, CascadeRow] = {}

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, []):
            row = CascadeRow(node=node, depth=depth, indicators=targets.get(node.pk, []))
            for indicator in row.indicators:
                by_year = {t.year: t for t in indicator.targets.all()}
                indicator.year_targets = [by_year.get(y) for y in years]  # type: ignore[attr-defined]
            if node.kind in BUDGET_KINDS:
                for y in years:
                    item = pagu[node.pk].get(y)
                    row.pagu[y] = item.value if item else None
                    row.pagu_printed[y] = item.printed if item else ""
                values = [v for v in row.pagu.values() if v is not None]
                row.total = sum(values, Decimal(0)) if values else None
            rows.append(row)
            by_node[node.pk] = row
            walk(node.pk, depth + 1)

    walk(None, 0)
    for line in rows:
        if line.node.kind in (NodeKind.PROGRAM, NodeKind.KEGIATAN):
            kids = [by_node[c.pk] for c in children.get(line.node.pk, []) if c.pk in by_node]
            for y in years:
                line.child_sum[y] = sum((k.pagu.get(y) or Decimal(0) for k in kids), Decimal(0))
    if unit is not None:
        keep: set[int] = set()
        for line in rows:
            if line.node.unit_id == unit.pk:
                up: PlanNode | None = line.node
                while up is not None and up.pk not in keep:
                    keep.add(up.pk)
                    parent_id = up.parent_id
                    up = by_node[parent_id].node if parent_id in by_node else None
                keep.update(_descendants(line.node.pk, children))
        for line in rows:
            line.visible = line.node.pk in keep
    opd = {y: (pagu[None][y].value if y in pagu[None] else None) for y in years}
    program_sum = {
        y: sum(
            (r.pagu.get(y) or Decimal(0) for r in rows if r.node.kind == NodeKind.PROGRAM),
            Decimal(0),
        )
        for y in years
    }
    opd_values = [v for v in opd.values() if v is not None]
    return Cascade(
        plan=plan,
        years=years,
        rows=[r for r in rows if r.visible],
        opd_pagu=opd,
        opd_total=sum(opd_values, Decimal(0)) if opd_values else None,
        program_sum=program_sum,
    )


def _descendants(pk: int, children: dict[int | None, list[PlanNode]]) -> set[int]:
    found: set[int] = set()
    stack = [pk]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child.pk)
            stack.append(child.pk)
    return found


def indicator_targets(indicator: Indicator) -> dict[int, IndicatorTarget]:
    return {t.year: t for t in IndicatorTarget.objects.filter(indicator=indicator)}


# --- checker ----------------------------------------------------------------------------------


@dataclass
class PlanFinding:
    finding: Finding
    source: Source | None

    @property
    def anchor(self) -> str:
        return finding_anchor(self.source)


def plan_findings(plan: Plan) -> list[PlanFinding]:
    """The checker's findings on the plan as stored, each with the record it is about."""
    doc, sources = plan_to_document_with_sources(plan)
    findings = check_document(doc)
    return [
        PlanFinding(f, sources.get(id(f.figure)) if f.figure is not None else None)
        for f in findings
    ]


def finding_anchor(source: Source | None) -> str:
    """The id of a finding's row on the checker page, stable across filters and reloads."""
    return f"temuan-{source.model}-{source.pk}-{source.field}" if source is not None else ""


# The checker's verdicts that make a figure unreliable wherever it is used ("rounding" does not).
MARKED_KINDS = {
    "error": "ditandai salah oleh pemeriksa rencana",
    "semantics": "ditandai salah oleh pemeriksa rencana (makna angka keliru)",
    "warning": "diberi peringatan oleh pemeriksa rencana",
}

FIGURE_LABELS = {
    ("indicator", "end_target"): "Target akhir Renstra",
    ("indicator", "baseline"): "Kondisi awal",
    ("indicator", "data_dasar"): "Data dasar",
    ("plannode", "pagu_total"): "Pagu total Renstra",
}


def _figure_text(value: Any) -> str:
    from sikumi.rules.formatting import format_number

    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 2
        return format_number(value, places)
    return "-" if value in (None, "") else str(value)


@dataclass(frozen=True)
class FigureMark:
    """A plan figure (target, pagu, baseline...) the checker marks, and where to read why."""

    kind: str
    field: str  # "end_target", "baseline", "data_dasar", "target", "pagu_total", "pagu"
    year: int | None
    label: str  # "Target akhir Renstra", "Target 2026", "Pagu 2026"...
    message: str
    printed: Any
    recomputed: Any
    url: str

    @property
    def text(self) -> str:
        return (
            f"{self.label} {MARKED_KINDS[self.kind]}: {self.message} (tercetak "
            f"{_figure_text(self.printed)}, hitung ulang {_figure_text(self.recomputed)})"
        )


@dataclass
class FigureMarks:
    """The marked figures of a plan, by the indicator or plan node they belong to."""

    indicators: dict[int, list[FigureMark]] = field(default_factory=dict)
    nodes: dict[int, list[FigureMark]] = field(default_factory=dict)

    def of_indicator(
        self, pk: int, *, fields: Iterable[str] | None = None, year: int | None = None
    ) -> list[FigureMark]:
        """Marks of an indicator's figures; ``year`` keeps only that year's target."""
        return _select(self.indicators.get(pk, []), fields, year)

    def of_node(
        self, pk: int, *, fields: Iterable[str] | None = None, year: int | None = None
    ) -> list[FigureMark]:
        return _select(self.nodes.get(pk, []), fields, year)


def _select(
    marks: list[FigureMark], fields: Iterable[str] | None, year: int | None
) -> list[FigureMark]:
    wanted = set(fields) if fields is not None else None
    return [
        m
        for m in marks
        if (wanted is None or m.field in wanted)
        and (year is None or m.year is None or m.year == year)
    ]


def _figures_stamp(plan: Plan) -> str:
    """Changes whenever a figure the marks are read from changes (an edit, a reload)."""
    parts = [str(plan.pk), plan.source_digest, str(plan.updated_at)]
    for model, lookup in (
        (PlanNode, "plan"),
        (Indicator, "plan"),
        (IndicatorTarget, "indicator__plan"),
        (Pagu, "plan"),
    ):
        latest = model.objects.filter(**{lookup: plan}).aggregate(
            m=Max("updated_at"), n=Count("pk")
        )
        parts.append(f"{latest['m']}/{latest['n']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def figure_marks(plan: Plan) -> FigureMarks:
    """The checker's errors and warnings on the plan's targets, pagu, baselines and data dasar,
    so that every page and report using one of those figures can say it is marked.

    Checking the whole plan takes a few seconds, so the marks are kept until one of the
    figures changes."""
    key = f"plans:figure-marks:{_figures_stamp(plan)}"
    marks = cache.get(key)
    if marks is None:
        marks = _figure_marks(plan)
        cache.set(key, marks, 24 * 3600)
    return marks


def _figure_marks(plan: Plan) -> FigureMarks:
    from django.urls import reverse

    items = [
        i
        for i in plan_findings(plan)
        if i.finding.kind in MARKED_KINDS
        and i.source is not None
        and i.source.model in ("indicator", "indicatortarget", "plannode", "pagu")
    ]
    if not items:
        return FigureMarks()
    target_ids = [i.source.pk for i in items if i.source and i.source.model == "indicatortarget"]
    pagu_ids = [i.source.pk for i in items if i.source and i.source.model == "pagu"]
    targets = {
        t["pk"]: (t["indicator_id"], t["year"])
        for t in IndicatorTarget.objects.filter(pk__in=target_ids).values(
            "pk", "indicator_id", "year"
        )
    }
    pagu = {
        p["pk"]: (p["node_id"], p["year"])
        for p in Pagu.objects.filter(pk__in=pagu_ids).values("pk", "node_id", "year")
    }
    base = f"{reverse('plans:check')}?plan={plan.pk}"
    marks = FigureMarks()
    for item in items:
        source, f = item.source, item.finding
        assert source is not None
        owner: int | None
        year: int | None = None
        if source.model == "indicatortarget":
            owner, year = targets.get(source.pk, (None, None))
            fld, label, bucket = "target", f"Target {year}", marks.indicators
        elif source.model == "pagu":
            owner, year = pagu.get(source.pk, (None, None))
            fld, label, bucket = "pagu", f"Pagu {year}", marks.nodes
        else:
            owner, fld = source.pk, source.field
            label = FIGURE_LABELS.get((source.model, fld), fld)
            bucket = marks.indicators if source.model == "indicator" else marks.nodes
        if owner is None:
            continue  # the OPD's total row: not attached to one node
        bucket.setdefault(owner, []).append(
            FigureMark(
                kind=f.kind,
                field=fld,
                year=year,
                label=label,
                message=f.message,
                printed=f.printed,
                recomputed=f.recomputed,
                url=f"{base}#{finding_anchor(source)}",
            )
        )
    return marks
