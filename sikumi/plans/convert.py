"""The plan as stored (after edits) back into a ``PlanDocument``, so the checker and the
exports work on the database exactly as on the data files.

``plan_to_document(plan)`` returns the document; ``plan_to_document_with_sources(plan)`` also
returns where each Figure came from (model, pk, field prefix), so a finding can be traced back
to the record to correct.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sikumi.plans import document as d
from sikumi.plans.loader import plain_decimal
from sikumi.plans.models import (
    HistoricalBudget,
    HistoricalPerformance,
    Indicator,
    IndicatorTable,
    IndicatorTarget,
    NarrativeClaim,
    NodeKind,
    Pagu,
    Plan,
    PlanNode,
    ResourceTable,
)


@dataclass(frozen=True)
class Source:
    """The stored field a Figure was read from."""

    model: str  # "indicatortarget", "pagu", "indicator", "plannode", ...
    pk: int
    field: str  # field prefix: "value", "end_target", "pagu_total", ...


def _value(value: Any, printed: str) -> d.Value:
    number = plain_decimal(value)
    if number is not None:
        return number
    text = (printed or "").strip()
    return text if text in d.GRADES else None


class _Builder:
    def __init__(self) -> None:
        self.sources: dict[int, Source] = {}

    def fig(self, obj: Any, prefix: str = "", *, present: bool = True) -> d.Figure | None:
        if not present:
            return None
        if prefix:
            value, printed, fmt = (
                getattr(obj, prefix),
                getattr(obj, f"{prefix}_printed"),
                getattr(obj, f"{prefix}_format"),
            )
        else:
            value, printed, fmt = obj.value, obj.printed, obj.number_format
        figure = d.Figure(v=_value(value, printed), p=printed, fmt=fmt)
        self.sources[id(figure)] = Source(obj._meta.model_name, obj.pk, prefix or "value")
        return figure


def plan_to_document(plan: Plan) -> d.PlanDocument:
    return plan_to_document_with_sources(plan)[0]


def plan_to_document_with_sources(plan: Plan) -> tuple[d.PlanDocument, dict[int, Source]]:
    b = _Builder()
    tables = plan.tables or {}
    has = set(tables.get("has", []))
    nodes = list(PlanNode.objects.filter(plan=plan).select_related("unit").order_by("order"))
    by_id = {n.pk: n for n in nodes}
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    targets: dict[int, dict[int, d.Figure]] = defaultdict(dict)
    for target in IndicatorTarget.objects.filter(indicator__plan=plan).order_by(
        "indicator_id", "year"
    ):
        fig = b.fig(target)
        assert fig is not None
        targets[target.indicator_id][target.year] = fig
    indicators = list(Indicator.objects.filter(plan=plan).order_by("order"))

    def indicator(obj: Indicator) -> d.Indicator:
        return d.Indicator(
            id=obj.source_id,
            name=obj.name,
            definition=obj.definition,
            unit=obj.unit,
            polarity=obj.polarity,  # type: ignore[arg-type]
            combine=obj.combine,  # type: ignore[arg-type]
            data_dasar=b.fig(obj, "data_dasar", present=obj.has_data_dasar),
            baseline=b.fig(obj, "baseline", present=obj.has_baseline),
            targets=targets.get(obj.pk, {}),
            end_target=b.fig(obj, "end_target", present=obj.has_end_target),
            ref=obj.ref,
            note=obj.note,
        )

    node_indicators: dict[int, list[d.Indicator]] = defaultdict(list)
    ikk: list[d.Indicator] = []
    iku_rows: list[d.IkuRow] = []
    for obj in indicators:
        if obj.table == IndicatorTable.IKK:
            ikk.append(indicator(obj))
        elif obj.table == IndicatorTable.IKU:
            sasaran = by_id.get(obj.node_id) if obj.node_id else None
            iku_rows.append(
                d.IkuRow(
                    id=obj.source_id,
                    sasaran=sasaran.source_id if sasaran else "",
                    indicator_ref=obj.ref,
                    name=obj.name,
                    formula=obj.definition,
                    targets=targets.get(obj.pk, {}),
                )
            )
        elif obj.node_id is not None:
            node_indicators[obj.node_id].append(indicator(obj))

    pagu: dict[int | None, dict[int, d.Figure]] = defaultdict(dict)
    for row in Pagu.objects.filter(plan=plan).order_by("year"):
        fig = b.fig(row)
        assert fig is not None
        pagu[row.node_id][row.year] = fig

    def source(node: PlanNode | None) -> str:
        return node.source_id if node is not None else ""

    def of_kind(kind: str) -> list[PlanNode]:
        return [n for n in nodes if n.kind == kind]

    visi = next(iter(of_kind(NodeKind.VISI)), None)
    doc = d.PlanDocument(
        meta=d.Meta(
            opd_name=plan.opd_name,
            opd_short=plan.opd_short_name,
            region=plan.region_name,
            region_code=plan.region_code,
            period_start=plan.period_start,
            period_end=plan.period_end,
            target_years=list(plan.target_years),
            baseline_year=plan.baseline_year,
            source=plan.source,
        ),
        visi=visi.name if visi else plan.visi,
        misi=[d.Misi(code=n.code, text=n.name) for n in of_kind(NodeKind.MISI)],
    )
    doc.tujuan = [
        d.Tujuan(
            id=n.source_id,
            code=n.code,
            text=n.name,
            misi=by_id[n.parent_id].code
            if n.parent_id and by_id[n.parent_id].kind == NodeKind.MISI
            else "",
            indicators=node_indicators.get(n.pk, []),
        )
        for n in of_kind(NodeKind.TUJUAN)
    ]
    doc.sasaran = [
        d.Sasaran(
            id=n.source_id,
            code=n.code,
            text=n.name,
            tujuan=source(by_id.get(n.parent_id)) if n.parent_id else "",
            indicators=node_indicators.get(n.pk, []),
        )
        for n in of_kind(NodeKind.SASARAN)
    ]
    doc.strategi = [
        d.Strategi(
            id=n.source_id,
            code=n.code,
            text=n.name,
            sasaran=source(by_id.get(n.parent_id)) if n.parent_id else "",
            arah_kebijakan=[
                d.ArahKebijakan(id=c.source_id, code=c.code, text=c.name)
                for c in children[n.pk]
                if c.kind == NodeKind.ARAH_KEBIJAKAN
            ],
        )
        for n in of_kind(NodeKind.STRATEGI)
    ]

    def item(node: PlanNode) -> d.PlanItem:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        return d.PlanItem(
            id=node.source_id,
            level=node.kind,  # type: ignore[arg-type]
            name=node.name,
            code=node.code,
            unit=node.unit.code if node.unit else "",
            sasaran=source(parent) if parent and parent.kind == NodeKind.SASARAN else "",
            indicators=node_indicators.get(node.pk, []),
            pagu=pagu.get(node.pk, {}),
            pagu_total=b.fig(node, "pagu_total", present=node.has_pagu_total),
            children=[item(c) for c in children[node.pk] if c.kind in _CHILD_KINDS[node.kind]],
            note=node.note,
        )

    if "program" in tables:
        doc.program_table = d.ProgramTable(
            title=tables["program"].get("title", ""),
            years=[int(y) for y in tables["program"].get("years", plan.target_years)],
            opd_pagu=pagu.get(None, {}),
            opd_pagu_total=b.fig(plan, "pagu_total", present=plan.has_pagu_total),
            programs=[item(n) for n in of_kind(NodeKind.PROGRAM)],
        )
    if "ikk" in has:
        doc.ikk = ikk
    if "iku" in has:
        doc.iku = iku_rows
    if "tc23" in tables:
        doc.service = _service(plan, tables["tc23"], b)
    if "tc24" in tables:
        doc.budget = _budget(plan, tables["tc24"], b)
    if "resources" in has:
        doc.resources = _resources(plan, b)
    return doc, b.sources


_CHILD_KINDS: dict[str, set[str]] = {
    NodeKind.PROGRAM: {NodeKind.KEGIATAN},
    NodeKind.KEGIATAN: {NodeKind.SUB_KEGIATAN},
    NodeKind.SUB_KEGIATAN: set(),
}


def _service(plan: Plan, meta: dict[str, Any], b: _Builder) -> d.ServiceTable:
    rows: dict[str, d.ServiceRow] = {}
    for rec in HistoricalPerformance.objects.filter(plan=plan).order_by("order", "year"):
        row = rows.get(rec.source_id)
        if row is None:
            row = rows[rec.source_id] = d.ServiceRow(
                id=rec.source_id,
                no=rec.row_no,
                name=rec.indicator_name,
                unit=rec.unit,
                polarity=rec.polarity,  # type: ignore[arg-type]
                average_ratio=b.fig(rec, "average_ratio", present=rec.has_average_ratio),
                note=rec.note,
            )
        for prefix, bucket in (
            ("target", row.targets),
            ("realisation", row.realisations),
            ("ratio", row.ratios),
        ):
            fig = b.fig(rec, prefix, present=getattr(rec, f"has_{prefix}"))
            if fig is not None:
                bucket[rec.year] = fig
    return d.ServiceTable(
        title=meta.get("title", ""),
        years=[int(y) for y in meta.get("years", [])],
        rows=list(rows.values()),
    )


def _budget(plan: Plan, meta: dict[str, Any], b: _Builder) -> d.BudgetTable:
    rows: dict[str, d.BudgetRow] = {}
    parents: dict[str, str] = {}
    for rec in HistoricalBudget.objects.filter(plan=plan).order_by("order", "year"):
        row = rows.get(rec.source_id)
        if row is None:
            row = rows[rec.source_id] = d.BudgetRow(
                id=rec.source_id,
                level=rec.level,  # type: ignore[arg-type]
                name=rec.name,
                avg_budget=b.fig(rec, "avg_budget", present=rec.has_avg_budget),
                avg_realisation=b.fig(rec, "avg_realisation", present=rec.has_avg_realisation),
                note=rec.note,
            )
            parents[rec.source_id] = rec.parent_source_id
        for prefix, bucket in (
            ("budget", row.budget),
            ("realisation", row.realisation),
            ("ratio", row.ratios),
        ):
            fig = b.fig(rec, prefix, present=getattr(rec, f"has_{prefix}"))
            if fig is not None:
                bucket[rec.year] = fig
    top: list[d.BudgetRow] = []
    total: d.BudgetRow | None = None
    for source_id, row in rows.items():
        parent = parents[source_id]
        if row.level == "total":
            total = row
        elif parent and parent in rows:
            rows[parent].children.append(row)
        else:
            top.append(row)
    claims = [
        d.NarrativeClaim(
            id=c.source_id,
            quote=c.quote,
            claim=c.claim,
            figure=b.fig(c),  # type: ignore[arg-type]
            direction=c.direction,  # type: ignore[arg-type]
        )
        for c in NarrativeClaim.objects.filter(plan=plan, table="tc24").order_by("order")
    ]
    return d.BudgetTable(
        title=meta.get("title", ""),
        years=[int(y) for y in meta.get("years", [])],
        average_label=meta.get("average_label", ""),
        average_kind=meta.get("average_kind", "mean"),
        rows=top,
        total=total,
        narrative=claims,
    )


def _resources(plan: Plan, b: _Builder) -> list[d.CountTable]:
    result = []
    for table in ResourceTable.objects.filter(plan=plan).prefetch_related("rows").order_by("order"):
        result.append(
            d.CountTable(
                id=table.source_id,
                title=table.title,
                rows=[
                    d.CountRow(
                        label=row.label,
                        value=b.fig(row, "value"),  # type: ignore[arg-type]
                        percent=b.fig(row, "percent", present=row.has_percent),
                        quantity=b.fig(row, "quantity", present=row.has_quantity),
                        unit=row.unit,
                        code=row.code,
                        group=row.group,
                    )
                    for row in sorted(table.rows.all(), key=lambda r: r.order)
                ],
                total=b.fig(table, "total", present=table.has_total),
                total_ref=b.fig(table, "total_ref", present=table.has_total_ref),
                unit=table.unit,
                note=table.note,
            )
        )
    return result
