"""Reads of a plan. A plan is small (tens of nodes, hundreds of figures): the cascade is read in
a handful of queries and assembled in one pass in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

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


def plan_findings(plan: Plan) -> list[PlanFinding]:
    """The checker's findings on the plan as stored, each with the record it is about."""
    doc, sources = plan_to_document_with_sources(plan)
    findings = check_document(doc)
    return [
        PlanFinding(f, sources.get(id(f.figure)) if f.figure is not None else None)
        for f in findings
    ]
