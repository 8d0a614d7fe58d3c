"""The three reports as :class:`Report` data: the Renja evaluation (form E.81), the Laporan
Kinerja tables and the T-C.23 / T-C.24 style history for any span of years."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from sikumi.monev import compute, computed
from sikumi.monev.choices import ROMAN
from sikumi.monev.computed import ComputedFigure
from sikumi.monev.models import Renja
from sikumi.monev.reports.table import MONEY, NUMBER, PERCENT, Cell, Head, Report, Row, Table
from sikumi.monev.selectors import (
    PlanData,
    budget_quarters,
    computed_differences,
    indicator_quarters,
    load_plan_data,
    renja_budgets,
    renja_targets,
    rolled_up_spending,
    rule_of,
    yearly_realisation,
)
from sikumi.monev.services import responsible_unit
from sikumi.plans.models import (
    BUDGET_KINDS,
    HistoricalBudget,
    HistoricalPerformance,
    Indicator,
    IndicatorTable,
    NodeKind,
    Plan,
    PlanNode,
)
from sikumi.plans.selectors import FigureMark, FigureMarks, figure_marks
from sikumi.rules.capaian import DEFAULT_PREDICATE_BANDS, absorption
from sikumi.rules.formatting import format_number, format_percent

RULE_LABEL = {"sum": "jumlah", "last": "nilai terakhir", "average": "rata-rata"}


def predicate_bands() -> Any:
    """Predicate bands and labels; the Dinas may override them in settings."""
    return getattr(settings, "SIKUMI_PREDICATE_BANDS", DEFAULT_PREDICATE_BANDS)


class ReportError(ValueError):
    """The report cannot be built with these parameters (message in Bahasa Indonesia)."""


def _plan(plan: Plan | None) -> Plan:
    if plan is not None:
        return plan
    from sikumi.monev.selectors import active_plan

    found = active_plan()
    if found is None:
        raise ReportError("Belum ada Renstra yang dimuat (jalankan manage.py load_renstra).")
    return found


def _label(ind: Indicator) -> str:
    return f"{ind.name} ({ind.unit})" if ind.unit else ind.name


# --- E.81 --------------------------------------------------------------------------------------

#: column index of each E.81 column in the table (and the XLSX sheet)
E81_COLUMNS = {
    "no": 0,
    "sasaran": 1,
    "program": 2,
    "indikator": 3,
    "5k": 4,
    "5rp": 5,
    "6k": 6,
    "6rp": 7,
    "7k": 8,
    "7rp": 9,
    "8k": 10,
    "8rp": 11,
    "9k": 12,
    "9rp": 13,
    "10k": 14,
    "10rp": 15,
    "11k": 16,
    "11rp": 17,
    "12k": 18,
    "12rp": 19,
    "13k": 20,
    "13rp": 21,
    "14k": 22,
    "14rp": 23,
    "15": 24,
    "16": 25,
    "rule": 26,
    "computed": 27,
    "computed_status": 28,
    "difference": 29,
}


def _e81_header(year: int) -> list[list[Head]]:
    def pair(label: str) -> Head:
        return Head(label, colspan=2)

    first = [
        Head("No", rowspan=3),
        Head("Sasaran", rowspan=3),
        Head("Program/Kegiatan", rowspan=3),
        Head("Indikator Kinerja Program (outcome)/Kegiatan (output)", rowspan=3),
        Head("Target Renstra PD pada akhir periode Renstra", colspan=2, rowspan=2),
        Head(f"Realisasi capaian kinerja Renstra PD s.d. Renja tahun {year - 1}", 2, 2),
        Head(f"Target kinerja dan anggaran Renja PD tahun {year}", 2, 2),
        Head(f"Realisasi kinerja pada triwulan tahun {year}", colspan=8),
        Head(f"Realisasi capaian kinerja dan anggaran Renja PD tahun {year}", 2, 2),
        Head(f"Realisasi kinerja dan anggaran Renstra PD s.d. tahun {year}", 2, 2),
        Head(f"Tingkat capaian kinerja dan realisasi anggaran Renstra s.d. {year} (%)", 2, 2),
        Head("Unit PD penanggung jawab", rowspan=3),
        Head("Keterangan", rowspan=3),
        Head("Aturan (12)/(13)", rowspan=3),
        Head("Hasil hitung data (12) K", rowspan=3),
        Head("Status dan kelengkapan data", rowspan=3),
        Head("Selisih (12) K - hasil hitung", rowspan=3),
    ]
    second = [pair(ROMAN[q]) for q in (1, 2, 3, 4)]
    third = [Head(x) for _ in range(10) for x in ("K", "Rp")]
    numbers = [Head(str(n)) for n in (1, 2, 3, 4)]
    numbers += [Head(str(n), colspan=2) for n in range(5, 15)]
    numbers += [Head("15"), Head("16"), Head(""), Head(""), Head(""), Head("")]
    return [first, second, third, numbers]


@dataclass
class _Ctx:
    data: PlanData
    year: int
    quarters: dict[tuple[int, int], dict[int, Decimal | None]]
    example: set[tuple[int, int]]
    spending: dict[tuple[int, int], dict[int, Decimal | None]]
    yearly: dict[int, dict[int, Decimal | None]]
    targets: dict[int, Decimal | None]
    budgets: dict[int, Decimal | None]
    upto: int
    differences: dict[int, list[tuple[int, Decimal, Decimal, str]]] = field(default_factory=dict)
    # Values computed from the registries for the same period, beside the approved ones.
    figures: dict[int, ComputedFigure] = field(default_factory=dict)
    marks: FigureMarks = field(default_factory=FigureMarks)


def _marks_cell(notes: list[str], marks: list[FigureMark]) -> Cell:
    """The Keterangan cell: the plan checker's marks on the figures the row uses come first,
    with a link to the first finding (the page shows it; the XLSX and PDF keep the text)."""
    text = " ".join([f"{m.text}." for m in marks] + notes)
    return Cell(text, link=marks[0].url if marks else "")


def _e81_marks(ctx: _Ctx, ind: Indicator | None, node: PlanNode | None) -> list[FigureMark]:
    marks: list[FigureMark] = []
    if ind is not None:
        marks += ctx.marks.of_indicator(ind.pk, fields=["end_target"])
        marks += ctx.marks.of_indicator(ind.pk, fields=["target"], year=ctx.year)
    if node is not None:
        marks += ctx.marks.of_node(node.pk, fields=["pagu_total", "pagu"])
    return marks


def _money_figures(ctx: _Ctx, node: PlanNode) -> dict[str, Any]:
    spent_q = ctx.spending.get((ctx.year, node.pk), {})
    previous = [
        v
        for y in ctx.data.plan.years
        if y < ctx.year
        for v in ctx.spending.get((y, node.pk), {}).values()
        if v is not None
    ]
    return {
        "end_pagu": ctx.data.end_pagu(node),
        "previous_spent": sum(previous, Decimal(0)) if previous else None,
        "pagu": ctx.budgets.get(node.pk),
        "quarters_spent": {q: v for q, v in spent_q.items() if q <= ctx.upto},
    }


def _e81_row(
    ctx: _Ctx,
    no: int,
    sasaran: str,
    program: str,
    ind: Indicator | None,
    node: PlanNode | None,
    with_money: bool,
) -> Row:
    money = _money_figures(ctx, node) if (node is not None and with_money) else {}
    if ind is not None:
        quarters = {
            q: v for q, v in ctx.quarters.get((ctx.year, ind.pk), {}).items() if q <= ctx.upto
        }
        previous = {y: v for y, v in ctx.yearly.get(ind.pk, {}).items() if y < ctx.year}
        data = compute.E81Input(
            rule=rule_of(ind),
            polarity=ind.polarity,
            end_target=ctx.data.end_target(ind),
            previous_years=previous,
            target=ctx.targets.get(ind.pk),
            quarters=quarters,
            with_money=bool(money),
            **money,
        )
        rule = rule_of(ind)
        example = (ctx.year, ind.pk) in ctx.example
    else:
        data = compute.E81Input(
            rule="sum",
            polarity="higher",
            end_target=None,
            previous_years={},
            target=None,
            quarters={},
            with_money=bool(money),
            **money,
        )
        rule = ""
        example = False
    f = compute.e81_figures(data)
    notes = []
    if f.year_rp is not None and f.target_rp is not None and f.year_rp > f.target_rp:
        notes.append("Realisasi anggaran melebihi pagu.")
    if ind is not None and f.year_capaian is not None:
        notes.append(f"Capaian tahun ini {format_percent(f.year_capaian)} ({f.predicate}).")
    for quarter, entered, from_data, reason in ctx.differences.get(ind.pk if ind else 0, []):
        notes.append(
            f"TW {ROMAN[quarter]}: dientri {format_number(entered, 2)}, hasil hitung data "
            f"{format_number(from_data, 2)} ({reason})."
        )
    unit_node = node if node is not None else (ind.node if ind is not None else None)
    unit = responsible_unit(unit_node).name if unit_node is not None or ind is not None else ""

    def k(value: Decimal | None) -> Cell:
        return Cell(value, NUMBER)

    def rp(value: Decimal | None) -> Cell:
        return Cell(value, MONEY)

    cells = [
        Cell(no),
        Cell(sasaran),
        Cell(program),
        Cell(_label(ind) if ind is not None else "-"),
        k(f.end_k),
        rp(f.end_rp),
        k(f.previous_k),
        rp(f.previous_rp),
        k(f.target_k),
        rp(f.target_rp),
    ]
    for q in (1, 2, 3, 4):
        cells += [k(f.quarter_k[q]), rp(f.quarter_rp[q])]
    cells += [
        k(f.year_k),
        rp(f.year_rp),
        k(f.cumulative_k),
        rp(f.cumulative_rp),
        Cell(f.capaian_k, PERCENT),
        Cell(f.capaian_rp, PERCENT),
        Cell(unit),
        _marks_cell(notes, _e81_marks(ctx, ind, node if money else None)),
        Cell(RULE_LABEL.get(rule, rule)),
    ]
    figure = ctx.figures.get(ind.pk) if ind is not None else None
    gap = computed.difference(f.year_k, figure) if computed.differs(f.year_k, figure) else None
    cells += [
        k(figure.value if figure is not None else None),
        Cell(_status_text(figure, gap, ctx.differences.get(ind.pk if ind else 0, []))),
        k(gap),
    ]
    level = "group" if node is not None and node.kind == NodeKind.PROGRAM else "item"
    return Row(cells, level=level, example=example)


def _status_text(
    figure: ComputedFigure | None, gap: Decimal | None, reasons: list[tuple[Any, ...]]
) -> str:
    """Status and completeness of the computed value; when it differs, the reasons recorded
    (or that none is)."""
    if figure is None:
        return ""
    text = figure.status_label + (f": {figure.completeness}" if figure.completeness else "")
    if gap is not None:
        recorded = [str(r[-1]) for r in reasons if r and r[-1]]
        text += (
            ". Alasan perbedaan: " + "; ".join(recorded)
            if recorded
            else ". Alasan perbedaan belum dicatat."
        )
    return text


def build_e81(
    *, year: int, quarter: int | None = None, plan: Plan | None = None, approved_only: bool = True
) -> Report:
    plan = _plan(plan)
    renja = Renja.objects.filter(plan=plan, year=year).first()
    if renja is None:
        raise ReportError(f"Renja tahun {year} belum dibuat.")
    if quarter is not None and quarter not in ROMAN:
        raise ReportError("Triwulan harus 1 sampai 4.")
    data = load_plan_data(plan)
    years = [y for y in plan.years if y <= year]
    quarters, example = indicator_quarters(plan, approved_only=approved_only, years=years)
    budget = budget_quarters(plan, approved_only=approved_only, years=years)
    ctx = _Ctx(
        data=data,
        year=year,
        quarters=quarters,
        example=example,
        spending=rolled_up_spending(data, budget),
        yearly=yearly_realisation(data, quarters),
        targets=renja_targets(renja),
        budgets=renja_budgets(renja),
        upto=quarter or 4,
        differences=computed_differences(renja, upto=quarter or 4),
        marks=figure_marks(plan),
        figures=computed.figures(plan, year, quarter),
    )
    by_node: dict[int | None, list[Indicator]] = defaultdict(list)
    for ind in data.indicators:
        by_node[ind.node_id].append(ind)
    rows: list[Row] = []
    no = 0
    placed: set[int] = set()

    def node_rows(node: PlanNode, sasaran: str) -> None:
        nonlocal no
        placed.add(node.pk)
        program = f"{node.code} {node.name}".strip() if node.kind in BUDGET_KINDS else ""
        inds = by_node.get(node.pk, [])
        money = node.kind in BUDGET_KINDS
        if not inds:
            if money and (ctx.budgets.get(node.pk) or data.end_pagu(node)):
                no += 1
                rows.append(_e81_row(ctx, no, sasaran, program, None, node, True))
            return
        for i, ind in enumerate(inds):
            no += 1
            rows.append(_e81_row(ctx, no, sasaran, program, ind, node, money and i == 0))

    budget_nodes = [n for n in data.ordered if n.kind in BUDGET_KINDS]
    for node in data.ordered:
        if node.kind not in (NodeKind.TUJUAN, NodeKind.SASARAN):
            continue
        label = f"{node.code} {node.name}".strip()
        node_rows(node, label)
        if node.kind == NodeKind.SASARAN:
            for b in budget_nodes:
                if b.pk not in placed and data.sasaran_of(b) is node:
                    node_rows(b, label)
    for b in budget_nodes:
        if b.pk not in placed:
            node_rows(b, "")
    as_of = f" s.d. Triwulan {ROMAN[quarter]}" if quarter else ""
    table = Table(
        title=f"E.81 {year}",
        header=_e81_header(year),
        rows=rows,
        widths=[5, 24, 28, 30] + [12, 16] * 10 + [18, 24, 12, 14, 30, 14],
        # Sikumi's data checks are not columns of the form: the PDF prints them after it.
        annex=[E81_COLUMNS[k] for k in ("rule", "computed", "computed_status", "difference")],
        annex_keys=[E81_COLUMNS["no"], E81_COLUMNS["indikator"]],
        annex_title=f"E.81 {year}: pemeriksaan data Sikumi",
        note=(
            "(12) dari triwulan menurut aturan indikator: jumlah untuk indikator kumulatif, "
            "triwulan terakhir yang dilaporkan untuk tingkat/persentase. (13) = (6) + (12); untuk "
            "aturan 'nilai terakhir' (13) = (12) (atau (6) bila belum ada laporan tahun ini). "
            "(14) = (13) / (5) x 100. Hasil hitung data: nilai yang dihitung dari registri untuk "
            "periode yang sama, dengan status kelengkapan datanya (final, sementara, belum ada "
            "data); nilai sementara bukan realisasi."
        ),
    )
    return Report(
        name="e81",
        title=f"Evaluasi terhadap Hasil Renja {plan.opd_name} Tahun {year}{as_of}",
        subtitle=f"Renstra {plan.period_start}-{plan.period_end}; {renja}",
        tables=[table],
        example=any(r.example for r in rows) or renja.is_example,
        notes=[] if approved_only else ["Termasuk realisasi yang belum disetujui."],
    )


# --- Laporan Kinerja ---------------------------------------------------------------------------


def iku_indicators(data: PlanData) -> list[Indicator]:
    """The IKU: Tujuan and Sasaran indicators flagged IKU (all of them if none is flagged)."""
    level = [i for i in data.indicators if i.table == IndicatorTable.TUJUAN_SASARAN]
    flagged = [i for i in level if i.is_iku]
    chosen = flagged or level
    sasaran = [i for i in chosen if i.node is None or i.node.kind == NodeKind.SASARAN]
    return sasaran or chosen


def build_lkjip(*, year: int, plan: Plan | None = None, quarter: int | None = None) -> Report:
    plan = _plan(plan)
    renja = Renja.objects.filter(plan=plan, year=year).first()
    if renja is None:
        raise ReportError(f"Renja tahun {year} belum dibuat.")
    data = load_plan_data(plan)
    years = [y for y in plan.years if y <= year]
    quarters, example = indicator_quarters(plan, years=years)
    yearly = yearly_realisation(data, quarters)
    targets_by_year: dict[int, dict[int, Decimal | None]] = {}
    for r in Renja.objects.filter(plan=plan, year__in=years):
        targets_by_year[r.year] = renja_targets(r)
    previous_years = [y for y in years if y < year]
    header = [
        [
            Head("No", rowspan=2),
            Head("Sasaran", rowspan=2),
            Head("Indikator Kinerja Utama", rowspan=2),
            Head(f"Tahun {year}", colspan=4),
            Head("Realisasi tahun sebelumnya", colspan=max(1, len(previous_years))),
            Head("Akhir periode Renstra", colspan=3),
            Head(f"Hasil hitung data {year}", colspan=3),
            Head("Keterangan", rowspan=2),
        ],
        [Head("Target"), Head("Realisasi"), Head("Capaian"), Head("Predikat")]
        + ([Head(str(y)) for y in previous_years] or [Head("-")])
        + [Head(f"Target {plan.period_end}"), Head(f"Realisasi s.d. {year}"), Head("Capaian")]
        + [Head("Nilai"), Head("Status dan kelengkapan data"), Head("Selisih realisasi - hitung")],
    ]
    # The year's approved realisation (all quarters approved so far) beside the year computed.
    figures = computed.figures(plan, year)
    reasons = computed_differences(renja, upto=4)
    rows = []
    marks = figure_marks(plan)
    for no, ind in enumerate(iku_indicators(data), start=1):
        year_target = targets_by_year.get(year, {}).get(ind.pk)
        f = compute.kinerja_figures(
            year=year,
            rule=rule_of(ind),
            polarity=ind.polarity,
            target=year_target,
            realisation=yearly.get(ind.pk, {}).get(year),
            previous={y: yearly.get(ind.pk, {}).get(y) for y in previous_years},
            previous_targets={y: targets_by_year.get(y, {}).get(ind.pk) for y in previous_years},
            end_target=data.end_target(ind),
            bands=predicate_bands(),
        )
        cells = [
            Cell(no),
            Cell(ind.node.name if ind.node else ""),
            Cell(_label(ind)),
            Cell(f.target, NUMBER),
            Cell(f.realisation, NUMBER),
            Cell(f.capaian, PERCENT),
            Cell(f.predicate or "-"),
        ]
        cells += [Cell(f.previous[y], NUMBER) for y in previous_years] or [Cell(None)]
        cells += [Cell(f.end_target, NUMBER), Cell(f.cumulative, NUMBER)]
        cells.append(Cell(f.end_capaian, PERCENT))
        figure = figures.get(ind.pk)
        gap = computed.difference(f.realisation, figure)
        gap = gap if computed.differs(f.realisation, figure) else None
        cells += [
            Cell(figure.value if figure is not None else None, NUMBER),
            Cell(_status_text(figure, gap, reasons.get(ind.pk, []))),
            Cell(gap, NUMBER),
        ]
        used = marks.of_indicator(ind.pk, fields=["end_target"])
        used += marks.of_indicator(ind.pk, fields=["target"], year=year)
        cells.append(_marks_cell([], used))
        rows.append(Row(cells, example=(year, ind.pk) in example))
    iku_table = Table(
        title="Capaian IKU",
        header=header,
        rows=rows,
        widths=[5, 30, 34, 12, 12, 12, 14]
        + [12] * max(1, len(previous_years))
        + [12, 14, 12]
        + [12, 30, 14]
        + [30],
        note="Capaian: makin tinggi makin baik = realisasi / target x 100; makin rendah makin "
        "baik = (2 x target - realisasi) / target x 100; target nol atau kosong: '-'. Hasil "
        "hitung data: nilai dari registri dengan status kelengkapan datanya; nilai sementara "
        "bukan realisasi.",
    )
    # budget per program
    budget = budget_quarters(plan, years=[year])
    spending = rolled_up_spending(data, budget)
    pagu = renja_budgets(renja)
    brows = []
    total_pagu, total_spent = Decimal(0), Decimal(0)
    programs = [n for n in data.ordered if n.kind == NodeKind.PROGRAM]
    for no, node in enumerate(programs, start=1):
        spent_values = [v for v in spending.get((year, node.pk), {}).values() if v is not None]
        spent = sum(spent_values, Decimal(0)) if spent_values else None
        share = absorption(pagu.get(node.pk), spent)
        total_pagu += pagu.get(node.pk) or Decimal(0)
        total_spent += spent or Decimal(0)
        brows.append(
            Row(
                [
                    Cell(no),
                    Cell(f"{node.code} {node.name}".strip()),
                    Cell(pagu.get(node.pk), MONEY),
                    Cell(spent, MONEY),
                    Cell(share.percent, PERCENT),
                    Cell("Melebihi pagu" if share.over_budget else ""),
                ],
                example=renja.is_example,
            )
        )
    share = absorption(total_pagu, total_spent)
    brows.append(
        Row(
            [
                Cell(""),
                Cell("JUMLAH"),
                Cell(total_pagu, MONEY),
                Cell(total_spent, MONEY),
                Cell(share.percent, PERCENT),
                Cell("Melebihi pagu" if share.over_budget else ""),
            ],
            level="total",
            example=renja.is_example,
        )
    )
    budget_table = Table(
        title="Realisasi anggaran per program",
        header=[
            [
                Head("No"),
                Head("Program"),
                Head(f"Pagu {year} (Rp)"),
                Head(f"Realisasi {year} (Rp)"),
                Head("Serapan"),
                Head("Keterangan"),
            ]
        ],
        rows=brows,
        widths=[5, 50, 20, 20, 12, 16],
    )
    return Report(
        name="lkjip",
        title=f"Laporan Kinerja {plan.opd_name} Tahun {year}",
        subtitle=f"Renstra {plan.period_start}-{plan.period_end}",
        tables=[iku_table, budget_table],
        example=any(r.example for r in rows) or renja.is_example,
    )


# --- history (T-C.23 and T-C.24 style) --------------------------------------------------------


def _norm(name: str) -> str:
    text = re.sub(r"\s+", " ", name.lower()).strip()
    return text.replace("presentase", "persentase")


def _printed_text(printed: str, value: Decimal | None) -> str | None:
    return printed.strip() or (None if value is None else str(value))


def _performance_table(plan: Plan, data: PlanData, years: list[int]) -> Table:
    history = list(
        HistoricalPerformance.objects.active()
        .filter(plan=plan, year__in=years)
        .order_by("order", "source_id", "year")
    )
    rows_by_id: dict[str, list[HistoricalPerformance]] = defaultdict(list)
    for h in history:
        rows_by_id[h.source_id].append(h)
    later = [y for y in years if y >= plan.period_start]
    quarters, example = indicator_quarters(plan, years=later) if later else ({}, set())
    yearly = yearly_realisation(data, quarters)
    renja_targets_by_year = {
        r.year: renja_targets(r) for r in Renja.objects.filter(plan=plan, year__in=later)
    }
    plan_by_name = {_norm(i.name): i for i in data.indicators}

    n = len(years)
    header = [
        [
            Head("No", rowspan=2),
            Head("Indikator", rowspan=2),
            Head("Satuan", rowspan=2),
            Head("Target", colspan=n),
            Head("Realisasi capaian", colspan=n),
            Head("Rasio capaian (%)", colspan=n),
            Head("Rata-rata rasio (%)", rowspan=2),
        ],
        [Head(str(y)) for y in years] * 3,
    ]
    rows: list[Row] = []

    def add_row(
        no: int,
        name: str,
        unit: str,
        polarity: str,
        targets: dict[int, Any],
        reals: dict[int, Any],
        printed: dict[int, Any],
        printed_avg: Any,
        is_example: bool,
    ) -> None:
        perf = compute.performance_row(name, unit, polarity, targets, reals, printed, years)
        cells = [Cell(no), Cell(name), Cell(unit)]
        cells += [Cell(perf.years[y].target, NUMBER) for y in years]
        cells += [Cell(perf.years[y].realisation, NUMBER) for y in years]
        for y in years:
            ratio = perf.years[y].ratio
            cells.append(
                Cell(ratio.value, PERCENT, printed=ratio.printed, where=f"{name}, rasio {y}")
            )
        ratios = [v for y in years if (v := perf.years[y].ratio.value) is not None]
        mean = compute.q2(sum(ratios, Decimal(0)) / len(ratios)) if ratios else None
        avg = compute.checked(mean, printed_avg)
        cells.append(
            Cell(avg.value, PERCENT, printed=avg.printed, where=f"{name}, rata-rata rasio")
        )
        rows.append(Row(cells, example=is_example))

    no = 0
    used_plan: set[int] = set()
    for _source_id, items in rows_by_id.items():
        no += 1
        first = items[0]
        targets: dict[int, Any] = {}
        reals: dict[int, Any] = {}
        printed: dict[int, Any] = {}
        for h in items:
            targets[h.year] = h.target_grade or h.target
            reals[h.year] = h.realisation_grade or h.realisation
            if h.has_ratio and (h.ratio_printed.strip() or h.ratio is not None):
                printed[h.year] = (
                    h.ratio if h.ratio is not None else _printed_text(h.ratio_printed, h.ratio)
                )
        linked = plan_by_name.get(_norm(first.indicator_name))
        if linked is not None:
            used_plan.add(linked.pk)
            for y in later:
                targets[y] = renja_targets_by_year.get(y, {}).get(linked.pk)
                reals[y] = yearly.get(linked.pk, {}).get(y)
        printed_avg = first.average_ratio
        add_row(
            no,
            first.indicator_name,
            first.unit,
            first.polarity,
            targets,
            reals,
            printed,
            printed_avg,
            False,
        )
    if later:
        for ind in iku_indicators(data):
            if ind.pk in used_plan:
                continue
            no += 1
            add_row(
                no,
                ind.name,
                ind.unit,
                ind.polarity,
                {y: renja_targets_by_year.get(y, {}).get(ind.pk) for y in later},
                {y: yearly.get(ind.pk, {}).get(y) for y in later},
                {},
                None,
                any((y, ind.pk) in example for y in later),
            )
    return Table(
        title="T-C.23 Kinerja pelayanan",
        header=header,
        rows=rows,
        widths=[5, 36, 10] + [11] * (3 * n) + [12],
        note="Rasio capaian = realisasi / target x 100 (makin rendah makin baik: (2 x target - "
        "realisasi) / target x 100), dihitung ulang. Sel bertanda menunjukkan angka yang "
        "tercetak berbeda di dokumen.",
    )


def _budget_table(plan: Plan, data: PlanData, years: list[int]) -> Table:
    history = list(
        HistoricalBudget.objects.active()
        .filter(plan=plan, year__in=years)
        .order_by("order", "source_id", "year")
    )
    grouped: dict[str, list[HistoricalBudget]] = defaultdict(list)
    for h in history:
        grouped[h.source_id].append(h)
    later = [y for y in years if y >= plan.period_start]
    n = len(years)
    header = [
        [
            Head("No", rowspan=2),
            Head("Uraian", rowspan=2),
            Head("Anggaran (Rp)", colspan=n),
            Head("Realisasi (Rp)", colspan=n),
            Head("Rasio realisasi terhadap anggaran (%)", colspan=n),
            Head("Rata-rata pertumbuhan (%)", colspan=2),
        ],
        [Head(str(y)) for y in years] * 3 + [Head("Anggaran"), Head("Realisasi")],
    ]
    rows: list[Row] = []
    totals_b: dict[int, Decimal] = defaultdict(Decimal)
    totals_r: dict[int, Decimal] = defaultdict(Decimal)
    printed_total: tuple[Any, Any, dict[int, Any]] | None = None
    history_total: dict[int, tuple[Decimal | None, Decimal | None]] = {}

    def add(
        no: str,
        name: str,
        level: str,
        budget: dict[int, Any],
        spent: dict[int, Any],
        printed_ratios: dict[int, Any],
        growth_b: Any,
        growth_r: Any,
        is_example: bool = False,
    ) -> None:
        row = compute.budget_row(
            name, level, budget, spent, years, printed_ratios, growth_b, growth_r
        )
        cells = [Cell(no), Cell(name)]
        cells += [Cell(row.years[y].budget, MONEY) for y in years]
        cells += [
            Cell(
                row.years[y].realisation, MONEY, flag="melebihi" if row.years[y].over_budget else ""
            )
            for y in years
        ]
        cells += [
            Cell(
                row.years[y].ratio.value,
                PERCENT,
                printed=row.years[y].ratio.printed,
                where=f"{name}, rasio {y}",
            )
            for y in years
        ]
        for label, g in (("anggaran", row.growth_budget), ("realisasi", row.growth_realisation)):
            cells.append(
                Cell(
                    g.value,
                    PERCENT,
                    printed=g.printed,
                    printed_kind=MONEY,
                    where=f"{name}, rata-rata pertumbuhan {label}",
                )
            )
        rows.append(
            Row(
                cells,
                level="group" if level in ("program", "total") else "item",
                example=is_example,
            )
        )

    program_no = 0
    for _sid, items in grouped.items():
        first = items[0]
        budget = {h.year: h.budget for h in items}
        spent = {h.year: h.realisation for h in items}
        printed_ratios = {
            h.year: (h.ratio if h.ratio is not None else (h.ratio_printed.strip() or None))
            for h in items
            if h.has_ratio
        }
        if first.level == "total":
            printed_total = (first.avg_budget, first.avg_realisation, printed_ratios)
            for h in items:
                history_total[h.year] = (h.budget, h.realisation)
            continue
        if first.level == "program":
            program_no += 1
            no = str(program_no)
        else:
            no = ""
        add(
            no,
            first.name,
            first.level,
            budget,
            spent,
            printed_ratios,
            first.avg_budget,
            first.avg_realisation,
        )
        if first.level == "program":
            for h in items:
                totals_b[h.year] += h.budget or Decimal(0)
                totals_r[h.year] += h.realisation or Decimal(0)
    if later:
        spending = rolled_up_spending(data, budget_quarters(plan, years=later))
        renjas = {r.year: r for r in Renja.objects.filter(plan=plan, year__in=later)}
        pagu_by_year = {y: renja_budgets(r) for y, r in renjas.items()}
        for node in data.ordered:
            if node.kind not in (NodeKind.PROGRAM, NodeKind.KEGIATAN):
                continue
            b = {y: pagu_by_year.get(y, {}).get(node.pk) for y in later}
            s: dict[int, Any] = {}
            for y in later:
                values = [v for v in spending.get((y, node.pk), {}).values() if v is not None]
                s[y] = sum(values, Decimal(0)) if values else None
            if node.kind == NodeKind.PROGRAM:
                program_no += 1
                for y in later:
                    totals_b[y] += b[y] or Decimal(0)
                    totals_r[y] += s[y] or Decimal(0)
            example = any(renjas[y].is_example for y in later if y in renjas)
            add(
                str(program_no) if node.kind == NodeKind.PROGRAM else "",
                f"{node.code} {node.name}".strip(),
                node.kind,
                b,
                s,
                {},
                None,
                None,
                example,
            )
    # TOTAL: printed figures for the history years, sum of programs for later years
    total_b = {y: history_total.get(y, (None, None))[0] for y in years if y < plan.period_start}
    total_r = {y: history_total.get(y, (None, None))[1] for y in years if y < plan.period_start}
    for y in years:
        if total_b.get(y) is None and totals_b.get(y):
            total_b[y] = totals_b[y]
        if total_r.get(y) is None and totals_r.get(y):
            total_r[y] = totals_r[y]
    pb, pr, pratios = printed_total or (None, None, {})
    add("", "TOTAL", "total", total_b, total_r, pratios, pb, pr)
    return Table(
        title="T-C.24 Anggaran dan realisasi",
        header=header,
        rows=rows,
        widths=[5, 40] + [17] * (2 * n) + [11] * n + [12, 12],
        note="Rasio = realisasi / anggaran x 100, dihitung ulang. Rata-rata pertumbuhan = "
        "rata-rata pertumbuhan tahunan ((tahun ini - tahun lalu) / tahun lalu x 100) atas "
        "pasangan tahun yang berisi angka; dokumen mencetak di kolom ini rata-rata nilai "
        "rupiah, sehingga ditandai berbeda.",
    )


def build_history(*, year_from: int, year_to: int, plan: Plan | None = None) -> Report:
    plan = _plan(plan)
    if year_from > year_to:
        raise ReportError("Tahun awal harus sebelum tahun akhir.")
    if year_to - year_from > 20:
        raise ReportError("Rentang paling banyak 20 tahun.")
    years = list(range(year_from, year_to + 1))
    data = load_plan_data(plan)
    tables = [_performance_table(plan, data, years), _budget_table(plan, data, years)]
    return Report(
        name="history",
        title=f"Riwayat kinerja dan pendanaan {plan.opd_name} {year_from}-{year_to}",
        subtitle="Gaya tabel T-C.23 dan T-C.24 Renstra",
        tables=tables,
        example=any(r.example for t in tables for r in t.rows),
    )


Builder = Callable[..., Report]
REPORTS: dict[str, tuple[str, Builder]] = {
    "e81": ("Evaluasi Renja (E.81)", build_e81),
    "lkjip": ("Laporan Kinerja", build_lkjip),
    "history": ("Riwayat kinerja", build_history),
}


def build(name: str, **params: Any) -> Report:
    if name not in REPORTS:
        raise ReportError(f"Laporan '{name}' tidak dikenal. Pilih: {', '.join(REPORTS)}.")
    params = {k: v for k, v in params.items() if v is not None}
    if name == "history":
        params.pop("quarter", None)
        params.pop("year", None)
    else:
        params.pop("year_from", None)
        params.pop("year_to", None)
        if "year" not in params:
            raise ReportError("Tahun laporan wajib diisi.")
    return REPORTS[name][1](**params)
