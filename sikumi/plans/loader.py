"""Load a plan folder (YAML, see data/depok-2021-2026/README.md) into the database.

The load is an upsert keyed on the data files' stable ids, so running it again updates the
figures in place and never duplicates a row (nor breaks other apps' links to nodes and
indicators). A digest of the folder's files makes the second run with unchanged files a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Unit
from sikumi.accounts.selectors import unit_for_function
from sikumi.plans import document as d
from sikumi.plans.models import (
    BudgetLevel,
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
    ResourceRow,
    ResourceTable,
)

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FOLDER = DATA_DIR / "depok-2021-2026"


@dataclass
class LoadResult:
    plan: Plan
    changed: bool
    counts: dict[str, int]


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_key(folder: Path) -> str:
    """How a plan remembers its folder: relative to the app's data dir when inside it."""
    folder = folder.resolve()
    try:
        return str(folder.relative_to(DATA_DIR.resolve()))
    except ValueError:
        return str(folder)


def figure_fields(fig: d.Figure | None, prefix: str = "") -> dict[str, Any]:
    """Model field values for a Figure: value, printed, format (and has_ flag if prefixed)."""
    names = (
        (f"{prefix}", f"{prefix}_printed", f"{prefix}_format")
        if prefix
        else ("value", "printed", "number_format")
    )
    number = fig.number if fig is not None else None
    values: dict[str, Any] = {
        names[0]: number,
        names[1]: fig.p if fig is not None else "",
        names[2]: fig.fmt if fig is not None else "id",
    }
    return values


def _grade(fig: d.Figure | None) -> str:
    return fig.v if fig is not None and isinstance(fig.v, str) else ""


class _Upsert:
    """Collect instances to create or update for one model, then write them in bulk."""

    def __init__(self, model: type[models.Model], existing: Iterable[Any], key: Any) -> None:
        self.model = model
        self.key = key
        self.existing = {key(obj): obj for obj in existing}
        self.create: list[Any] = []
        self.update: list[Any] = []
        self.fields: set[str] = set()
        self.seen: set[Any] = set()

    def put(self, lookup: Any, values: dict[str, Any], **init: Any) -> Any:
        self.seen.add(lookup)
        obj = self.existing.get(lookup)
        if obj is None:
            obj = self.model(**init, **values)
            self.create.append(obj)
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            self.fields.update(changed)
            self.update.append(obj)
        return obj

    def flush(self) -> int:
        if self.create:
            self.model._default_manager.bulk_create(self.create, batch_size=500)
        if self.update:
            self.model._default_manager.bulk_update(
                self.update, sorted(self.fields), batch_size=500
            )
        return len(self.create) + len(self.update)


def _units() -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.all()}


def load_plan(
    folder: str | Path = DEFAULT_FOLDER, *, force: bool = False, is_example: bool = False
) -> LoadResult:
    """Create or update the plan stored in ``folder``. Unchanged files: nothing is written."""
    folder = Path(folder)
    digest = folder_digest(folder)
    key = source_key(folder)
    plan = Plan.objects.filter(source_path=key).first()
    if plan is not None and plan.source_digest == digest and not force:
        return LoadResult(plan, False, {})
    doc = d.load_document(folder)
    with transaction.atomic():
        return _write(doc, plan, key, digest, is_example)


def _write(
    doc: d.PlanDocument, plan: Plan | None, key: str, digest: str, is_example: bool
) -> LoadResult:
    units = _units()
    meta = doc.meta
    tables: dict[str, Any] = {}
    if doc.program_table:
        tables["program"] = {"title": doc.program_table.title, "years": doc.program_table.years}
    if doc.service:
        tables["tc23"] = {"title": doc.service.title, "years": doc.service.years}
    if doc.budget:
        tables["tc24"] = {
            "title": doc.budget.title,
            "years": doc.budget.years,
            "average_label": doc.budget.average_label,
            "average_kind": doc.budget.average_kind,
        }
    tables["has"] = sorted(
        name
        for name, present in {
            "tujuan-sasaran": bool(doc.tujuan or doc.sasaran),
            "strategi": bool(doc.strategi),
            "ikk": bool(doc.ikk),
            "iku": bool(doc.iku),
            "resources": bool(doc.resources),
        }.items()
        if present
    )
    opd_total = doc.program_table.opd_pagu_total if doc.program_table else None
    plan_values: dict[str, Any] = {
        "title": meta.source or f"Renstra {meta.opd_name} {meta.period_start}-{meta.period_end}",
        "opd_name": meta.opd_name,
        "opd_short_name": meta.opd_short,
        "region_name": meta.region,
        "region_code": meta.region_code,
        "period_start": meta.period_start,
        "period_end": meta.period_end,
        "baseline_year": meta.baseline_year,
        "target_years": meta.target_years,
        "visi": doc.visi,
        "source": meta.source,
        "source_digest": digest,
        "tables": tables,
        "is_example": is_example,
        **figure_fields(opd_total, "pagu_total"),
        "has_pagu_total": opd_total is not None,
    }
    if plan is None:
        # The plan belongs to the unit holding the urusan perencanaan (the Sekretariat in Depok).
        owner = unit_for_function(UnitFunction.PERENCANAAN)
        plan = Plan(source_path=key, owner_unit=owner, **plan_values)
        plan.save()
    else:
        for name, value in plan_values.items():
            setattr(plan, name, value)
        plan.save()
    counts: dict[str, int] = {}
    writer = _PlanWriter(plan, units, is_example)
    writer.nodes_and_indicators(doc)
    counts.update(writer.counts)
    counts["history"] = _history(plan, doc, is_example)
    counts["resources"] = _resources(plan, doc, is_example)
    return LoadResult(plan, True, counts)


class _PlanWriter:
    def __init__(self, plan: Plan, units: dict[str, Unit], is_example: bool) -> None:
        self.plan = plan
        self.units = units
        self.is_example = is_example
        self.nodes = {n.source_id: n for n in PlanNode.objects.filter(plan=plan)}
        self.order = 0
        self.counts: dict[str, int] = {}
        self.indicators = _Upsert(
            Indicator,
            Indicator.objects.filter(plan=plan),
            lambda i: (i.table, i.source_id),
        )
        self.indicator_targets: list[tuple[Indicator, dict[int, d.Figure]]] = []
        self.indicator_order = 0

    # nodes are saved one by one (a plan has tens of them) so children get their parent's pk
    def node(
        self,
        source_id: str,
        kind: str,
        name: str,
        parent: PlanNode | None,
        *,
        code: str = "",
        unit: str = "",
        note: str = "",
        pagu_total: d.Figure | None = None,
    ) -> PlanNode:
        self.order += 1
        values: dict[str, Any] = {
            "kind": kind,
            "name": name,
            "parent": parent,
            "code": code,
            "order": self.order,
            "unit": self.units.get(unit) if unit else None,
            "note": note,
            "is_example": self.is_example,
            **figure_fields(pagu_total, "pagu_total"),
            "has_pagu_total": pagu_total is not None,
        }
        node = self.nodes.get(source_id)
        if node is None:
            node = PlanNode(plan=self.plan, source_id=source_id, **values)
            node.save()
            self.nodes[source_id] = node
        elif any(getattr(node, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(node, k, v)
            node.save()
        return node

    def indicator(
        self,
        ind: d.Indicator,
        table: str,
        node: PlanNode | None,
        **extra: Any,
    ) -> None:
        self.indicator_order += 1
        values: dict[str, Any] = {
            "node": node,
            "order": self.indicator_order,
            "name": ind.name,
            "definition": ind.definition,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "combine": ind.combine,
            "ref": ind.ref,
            "note": ind.note,
            "is_iku": table == IndicatorTable.IKU,
            "is_ikk": table == IndicatorTable.IKK,
            "is_example": self.is_example,
            "has_data_dasar": ind.data_dasar is not None,
            "has_baseline": ind.baseline is not None,
            "has_end_target": ind.end_target is not None,
            **figure_fields(ind.data_dasar, "data_dasar"),
            **figure_fields(ind.baseline, "baseline"),
            **figure_fields(ind.end_target, "end_target"),
            **extra,
        }
        obj = self.indicators.put(
            (table, ind.id), values, plan=self.plan, table=table, source_id=ind.id
        )
        self.indicator_targets.append((obj, ind.targets))

    def nodes_and_indicators(self, doc: d.PlanDocument) -> None:
        visi = self.node("visi", NodeKind.VISI, doc.visi, None)
        misi_nodes = {
            m.code: self.node(f"misi-{m.code}", NodeKind.MISI, m.text, visi, code=m.code)
            for m in doc.misi
        }
        for tujuan in doc.tujuan:
            node = self.node(
                tujuan.id,
                NodeKind.TUJUAN,
                tujuan.text,
                misi_nodes.get(tujuan.misi, visi),
                code=tujuan.code,
            )
            for ind in tujuan.indicators:
                self.indicator(ind, IndicatorTable.TUJUAN_SASARAN, node)
        for sasaran in doc.sasaran:
            node = self.node(
                sasaran.id,
                NodeKind.SASARAN,
                sasaran.text,
                self.nodes.get(sasaran.tujuan),
                code=sasaran.code,
            )
            for ind in sasaran.indicators:
                self.indicator(ind, IndicatorTable.TUJUAN_SASARAN, node)
        for strategi in doc.strategi:
            node = self.node(
                strategi.id,
                NodeKind.STRATEGI,
                strategi.text,
                self.nodes.get(strategi.sasaran),
                code=strategi.code,
            )
            for arah in strategi.arah_kebijakan:
                self.node(arah.id, NodeKind.ARAH_KEBIJAKAN, arah.text, node, code=arah.code)
        pagu = _Upsert(Pagu, Pagu.objects.filter(plan=self.plan), lambda p: (p.node_id, p.year))
        if doc.program_table:
            for year, fig in doc.program_table.opd_pagu.items():
                pagu.put((None, year), figure_fields(fig), plan=self.plan, node=None, year=year)
            for program in doc.program_table.programs:
                self._item(program, self.nodes.get(program.sasaran), pagu)
        iku_refs = {row.indicator_ref for row in doc.iku}
        for ind in doc.ikk:
            self.indicator(ind, IndicatorTable.IKK, None)
        for row in doc.iku:
            self.indicator(
                d.Indicator(
                    id=row.id,
                    name=row.name,
                    definition=row.formula,
                    ref=row.indicator_ref,
                    targets=row.targets,
                ),
                IndicatorTable.IKU,
                self.nodes.get(row.sasaran),
            )
        for obj in self.indicators.existing.values():
            if obj.source_id in iku_refs and not obj.is_iku:
                obj.is_iku = True
                self.indicators.fields.add("is_iku")
                self.indicators.update.append(obj)
        for obj in self.indicators.create:
            if obj.source_id in iku_refs:
                obj.is_iku = True
        self.counts["indicators"] = self.indicators.flush()
        self.counts["pagu"] = pagu.flush()
        targets = _Upsert(
            IndicatorTarget,
            IndicatorTarget.objects.filter(indicator__plan=self.plan),
            lambda t: (t.indicator_id, t.year),
        )
        for obj, figures in self.indicator_targets:
            for year, fig in figures.items():
                targets.put((obj.pk, year), figure_fields(fig), indicator=obj, year=year)
        self.counts["targets"] = targets.flush()
        self.counts["nodes"] = len(self.nodes)

    def _item(self, item: d.PlanItem, parent: PlanNode | None, pagu: _Upsert) -> None:
        node = self.node(
            item.id,
            item.level,
            item.name,
            parent,
            code=item.code,
            unit=item.unit,
            note=item.note,
            pagu_total=item.pagu_total,
        )
        for ind in item.indicators:
            self.indicator(ind, IndicatorTable.PROGRAM, node)
        for year, fig in item.pagu.items():
            pagu.put((node.pk, year), figure_fields(fig), plan=self.plan, node=node, year=year)
        for child in item.children:
            self._item(child, node, pagu)


def _history(plan: Plan, doc: d.PlanDocument, is_example: bool) -> int:
    written = 0
    if doc.service:
        perf = _Upsert(
            HistoricalPerformance,
            HistoricalPerformance.objects.filter(plan=plan),
            lambda r: (r.source_id, r.year),
        )
        for order, row in enumerate(doc.service.rows, start=1):
            years = sorted(set(row.targets) | set(row.realisations) | set(row.ratios))
            for year in years:
                target, real, ratio = (
                    row.targets.get(year),
                    row.realisations.get(year),
                    row.ratios.get(year),
                )
                perf.put(
                    (row.id, year),
                    {
                        "row_no": row.no,
                        "order": order,
                        "indicator_name": row.name,
                        "unit": row.unit,
                        "polarity": row.polarity,
                        "note": row.note,
                        "is_example": is_example,
                        "has_target": target is not None,
                        "has_realisation": real is not None,
                        "has_ratio": ratio is not None,
                        "target_grade": _grade(target),
                        "realisation_grade": _grade(real),
                        **figure_fields(target, "target"),
                        **figure_fields(real, "realisation"),
                        **figure_fields(ratio, "ratio"),
                        **figure_fields(row.average_ratio, "average_ratio"),
                        "has_average_ratio": row.average_ratio is not None,
                    },
                    plan=plan,
                    source_id=row.id,
                    year=year,
                )
        written += perf.flush()
    if doc.budget:
        budget = _Upsert(
            HistoricalBudget,
            HistoricalBudget.objects.filter(plan=plan),
            lambda r: (r.source_id, r.year),
        )
        rows: list[tuple[d.BudgetRow, str]] = []
        for program in doc.budget.rows:
            rows.append((program, ""))
            rows.extend((child, program.id) for child in program.children)
        if doc.budget.total:
            rows.append((doc.budget.total, ""))
        for order, (brow, parent_id) in enumerate(rows, start=1):
            years = sorted(set(brow.budget) | set(brow.realisation) | set(brow.ratios))
            if not years:
                years = [doc.budget.years[0]]  # keep a row that prints no figure at all
            for year in years:
                b, r, q = brow.budget.get(year), brow.realisation.get(year), brow.ratios.get(year)
                budget.put(
                    (brow.id, year),
                    {
                        "parent_source_id": parent_id,
                        "level": brow.level if brow.level in BudgetLevel.values else "kegiatan",
                        "name": brow.name,
                        "order": order,
                        "note": brow.note,
                        "is_example": is_example,
                        "has_budget": b is not None,
                        "has_realisation": r is not None,
                        "has_ratio": q is not None,
                        **figure_fields(b, "budget"),
                        **figure_fields(r, "realisation"),
                        **figure_fields(q, "ratio"),
                        **figure_fields(brow.avg_budget, "avg_budget"),
                        **figure_fields(brow.avg_realisation, "avg_realisation"),
                        "has_avg_budget": brow.avg_budget is not None,
                        "has_avg_realisation": brow.avg_realisation is not None,
                    },
                    plan=plan,
                    source_id=brow.id,
                    year=year,
                )
        written += budget.flush()
        claims = _Upsert(
            NarrativeClaim,
            NarrativeClaim.objects.filter(plan=plan, table="tc24"),
            lambda c: c.source_id,
        )
        for order, claim in enumerate(doc.budget.narrative, start=1):
            claims.put(
                claim.id,
                {
                    "order": order,
                    "quote": claim.quote,
                    "claim": claim.claim,
                    "direction": claim.direction,
                    "is_example": is_example,
                    **figure_fields(claim.figure),
                },
                plan=plan,
                table="tc24",
                source_id=claim.id,
            )
        written += claims.flush()
    return written


def _resources(plan: Plan, doc: d.PlanDocument, is_example: bool) -> int:
    written = 0
    existing = {t.source_id: t for t in ResourceTable.objects.filter(plan=plan)}
    for order, table in enumerate(doc.resources, start=1):
        values: dict[str, Any] = {
            "order": order,
            "title": table.title,
            "unit": table.unit,
            "note": table.note,
            "is_example": is_example,
            "has_total": table.total is not None,
            "has_total_ref": table.total_ref is not None,
            **figure_fields(table.total, "total"),
            **figure_fields(table.total_ref, "total_ref"),
        }
        obj = existing.get(table.id)
        if obj is None:
            obj = ResourceTable.objects.create(plan=plan, source_id=table.id, **values)
        else:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
        rows = _Upsert(ResourceRow, ResourceRow.objects.filter(table=obj), lambda r: r.order)
        for row_order, row in enumerate(table.rows, start=1):
            rows.put(
                row_order,
                {
                    "label": row.label,
                    "code": row.code,
                    "group": row.group,
                    "unit": row.unit,
                    "has_percent": row.percent is not None,
                    "has_quantity": row.quantity is not None,
                    **figure_fields(row.value, "value"),
                    **figure_fields(row.percent, "percent"),
                    **figure_fields(row.quantity, "quantity"),
                },
                table=obj,
                order=row_order,
            )
        written += rows.flush() + 1
    return written


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """A stored Decimal without the trailing zeros of its column ("100.0000" -> 100)."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)
