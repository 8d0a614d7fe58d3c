"""Reads for monitoring and evaluation. A plan has some hundred nodes and indicators, so each
function loads what it needs in a handful of queries and computes in memory with the pure
rules (sikumi.monev.compute, sikumi.rules.capaian)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.accounts.models import Unit
from sikumi.monev.choices import SubmissionStatus
from sikumi.monev.models import (
    BudgetRealisation,
    Evidence,
    IndicatorRealisation,
    PromiseFigure,
    QuarterSubmission,
    Renja,
    RenjaBudget,
    RenjaTarget,
)
from sikumi.monev.services import RENJA_TABLES, responsible_unit
from sikumi.plans.models import BUDGET_KINDS, Indicator, NodeKind, Plan, PlanNode

Quarters = dict[int, Decimal | None]


def active_plan() -> Plan | None:
    return Plan.objects.active().filter(is_active=True).order_by("-period_start", "-pk").first()


def rule_of(indicator: Indicator) -> str:
    """The combining rule used for computing: "as_printed" indicators are treated as levels."""
    return indicator.combine if indicator.combine in ("sum", "last", "average") else "last"


@dataclass
class PlanData:
    plan: Plan
    nodes: dict[int, PlanNode]
    ordered: list[PlanNode]
    indicators: list[Indicator]
    targets: dict[tuple[int, int], Decimal | None]  # (indicator, year) -> Renstra target
    pagu: dict[tuple[int, int], Decimal | None]  # (node, year) -> Renstra pagu
    children: dict[int | None, list[PlanNode]] = field(default_factory=dict)

    def ancestor(self, node: PlanNode | None, kind: str) -> PlanNode | None:
        while node is not None:
            if node.kind == kind:
                return node
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return None

    def unit_of(self, node_id: int | None) -> Unit:
        """`services.responsible_unit` over the nodes already read (units selected with them):
        no query per indicator."""
        node = self.nodes.get(node_id) if node_id else None
        while node is not None:
            if node.unit_id:
                return node.unit  # type: ignore[return-value]
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return responsible_unit(None)

    def sasaran_of(self, node: PlanNode) -> PlanNode | None:
        return self.ancestor(node, NodeKind.SASARAN)

    def budget_leaf(self, node: PlanNode) -> bool:
        return node.kind in BUDGET_KINDS and not any(
            c.kind in BUDGET_KINDS for c in self.children.get(node.pk, [])
        )

    def descendants(self, node: PlanNode) -> list[PlanNode]:
        out = []
        stack = list(self.children.get(node.pk, []))
        while stack:
            child = stack.pop()
            out.append(child)
            stack.extend(self.children.get(child.pk, []))
        return out

    def end_target(self, indicator: Indicator) -> Decimal | None:
        """The printed end-of-period target, else the yearly targets combined by the rule."""
        if indicator.end_target is not None:
            return indicator.end_target
        from sikumi.rules.capaian import combine_years

        values = {
            y: self.targets.get((indicator.pk, y))
            for y in self.plan.years
            if (indicator.pk, y) in self.targets
        }
        return combine_years(values, rule_of(indicator)) if values else None  # type: ignore[arg-type]

    def end_pagu(self, node: PlanNode) -> Decimal | None:
        values = [v for (n, _y), v in self.pagu.items() if n == node.pk and v is not None]
        return sum(values, Decimal(0)) if values else None


def load_plan_data(plan: Plan) -> PlanData:
    ordered = list(
        PlanNode.objects.active().filter(plan=plan).select_related("unit").order_by("order")
    )
    nodes = {n.pk: n for n in ordered}
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for n in ordered:
        children[n.parent_id].append(n)
    indicators = list(
        Indicator.objects.active()
        .filter(plan=plan, table__in=RENJA_TABLES)
        .select_related("node")
        .order_by("table", "order")
    )
    targets: dict[tuple[int, int], Decimal | None] = {}
    for ind in Indicator.objects.filter(plan=plan, table__in=RENJA_TABLES).values(
        "pk", "targets__year", "targets__value"
    ):
        if ind["targets__year"] is not None:
            targets[(ind["pk"], ind["targets__year"])] = ind["targets__value"]
    pagu = {
        (p["node_id"], p["year"]): p["value"]
        for p in plan.pagu.filter(node__isnull=False).values("node_id", "year", "value")
    }
    return PlanData(plan, nodes, ordered, indicators, targets, pagu, dict(children))


def _approved(qs: QuerySet[Any], approved_only: bool) -> QuerySet[Any]:
    if approved_only:
        return qs.filter(submission__status=SubmissionStatus.APPROVED)
    return qs


def indicator_quarters(
    plan: Plan, *, approved_only: bool = True, years: list[int] | None = None
) -> tuple[dict[tuple[int, int], Quarters], set[tuple[int, int]]]:
    """{(year, indicator id): {quarter: value}} and the keys that hold example data."""
    qs = IndicatorRealisation.objects.active().filter(renja__plan=plan)
    if years is not None:
        qs = qs.filter(renja__year__in=years)
    out: dict[tuple[int, int], Quarters] = defaultdict(dict)
    example: set[tuple[int, int]] = set()
    for row in _approved(qs, approved_only).values_list(
        "renja__year", "indicator_id", "quarter", "value", "is_example"
    ):
        year, ind, quarter, value, is_example = row
        out[(year, ind)][quarter] = value
        if is_example:
            example.add((year, ind))
    return dict(out), example


def computed_differences(
    renja: Any, *, upto: int = 4
) -> dict[int, list[tuple[int, Decimal, Decimal, str]]]:
    """{indicator id: [(quarter, entered, computed, reason)]} where the realisation entered for
    a quarter differs from the value computed from the registries (shown in E.81 column 16)."""
    out: dict[int, list[tuple[int, Decimal, Decimal, str]]] = defaultdict(list)
    rows = (
        IndicatorRealisation.objects.active()
        .filter(renja=renja, quarter__lte=upto, computed_value__isnull=False, value__isnull=False)
        .exclude(override_reason="")
    )
    for ind, quarter, value, computed, reason in rows.order_by("quarter").values_list(
        "indicator_id", "quarter", "value", "computed_value", "override_reason"
    ):
        out[ind].append((quarter, value, computed, reason))
    return dict(out)


def budget_quarters(
    plan: Plan, *, approved_only: bool = True, years: list[int] | None = None
) -> dict[tuple[int, int], dict[int, tuple[Decimal | None, Decimal | None]]]:
    """{(year, node id): {quarter: (anggaran, realisasi)}} as entered (leaf budget lines)."""
    qs = BudgetRealisation.objects.active().filter(renja__plan=plan)
    if years is not None:
        qs = qs.filter(renja__year__in=years)
    out: dict[tuple[int, int], dict[int, tuple[Decimal | None, Decimal | None]]] = defaultdict(dict)
    for year, node, quarter, a, r in _approved(qs, approved_only).values_list(
        "renja__year", "node_id", "quarter", "anggaran", "realisasi"
    ):
        out[(year, node)][quarter] = (a, r)
    return dict(out)


def rolled_up_spending(
    data: PlanData, budget: dict[tuple[int, int], dict[int, tuple[Decimal | None, Decimal | None]]]
) -> dict[tuple[int, int], dict[int, Decimal | None]]:
    """Spending per (year, node) and quarter, programs and kegiatan as the sum of the lines
    under them (a line entered on a program itself counts too)."""
    out: dict[tuple[int, int], dict[int, Decimal | None]] = defaultdict(dict)
    for (year, node_id), quarters in budget.items():
        node = data.nodes.get(node_id)
        chain = []
        while node is not None:
            chain.append(node.pk)
            node = data.nodes.get(node.parent_id) if node.parent_id else None
        for q, (_a, r) in quarters.items():
            if r is None:
                continue
            for pk in chain:
                current = out[(year, pk)].get(q)
                out[(year, pk)][q] = (current or Decimal(0)) + r
    return dict(out)


def renja_targets(renja: Renja) -> dict[int, Decimal | None]:
    return dict(RenjaTarget.objects.filter(renja=renja).values_list("indicator_id", "target"))


def renja_budgets(renja: Renja) -> dict[int, Decimal | None]:
    return dict(RenjaBudget.objects.filter(renja=renja).values_list("node_id", "pagu"))


def renja_list(*, user: Any) -> QuerySet[Renja]:
    if not access.can_view(user, Renja):
        return Renja.objects.none()
    return Renja.objects.active().select_related("plan").order_by("-year")


def renja_get(*, user: Any, pk: int) -> Renja:
    access.require(access.can_view(user, Renja))
    return Renja.objects.select_related("plan").get(pk=pk)


def renja_of_year(*, user: Any, plan: Plan, year: int) -> Renja | None:
    """The plan's Renja of that year, else its latest one (None when it has none)."""
    access.require(access.can_view(user, Renja))
    return (
        Renja.objects.filter(plan=plan, year=year).first()
        or Renja.objects.filter(plan=plan).order_by("-year").first()
    )


def submission_get(*, user: Any, pk: int) -> QuarterSubmission:
    access.require(access.can_view(user, QuarterSubmission))
    return QuarterSubmission.objects.select_related("submitted_by").get(pk=pk)


def realisation_get(*, user: Any, pk: int) -> IndicatorRealisation:
    access.require(access.can_view(user, IndicatorRealisation))
    return IndicatorRealisation.objects.select_related("submission").get(pk=pk)


def evidence_get(*, user: Any, pk: int) -> Evidence:
    access.require(access.can_view(user, Evidence))
    return Evidence.objects.get(pk=pk)


def promise_figure_of_year(year: int) -> PromiseFigure | None:
    return PromiseFigure.objects.filter(year=year).first()


def submissions(*, user: Any, renja: Renja) -> QuerySet[QuarterSubmission]:
    access.require(access.can_view(user, QuarterSubmission))
    return (
        QuarterSubmission.objects.filter(renja=renja)
        .select_related("owner_unit", "submitted_by", "verified_by", "approved_by")
        .order_by("quarter", "owner_unit__order")
    )


def promise_figures() -> list[PromiseFigure]:
    return list(PromiseFigure.objects.active().order_by("year"))


def yearly_realisation(
    data: PlanData, quarters: dict[tuple[int, int], Quarters]
) -> dict[int, dict[int, Decimal | None]]:
    """{indicator id: {year: the year's realisation from its quarters}}."""
    from sikumi.rules.capaian import combine_quarters

    by_ind: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    rules = {i.pk: rule_of(i) for i in data.indicators}
    for (year, ind), values in quarters.items():
        if ind in rules:
            by_ind[ind][year] = combine_quarters(values, rules[ind])  # type: ignore[arg-type]
    return dict(by_ind)
