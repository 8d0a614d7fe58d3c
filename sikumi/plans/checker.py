"""Recompute every derived figure of a plan document and report disagreements.

Pure functions, no Django. ``check_document(doc)`` returns :class:`Finding` objects:

- ``error``: the printed figure is arithmetically wrong (beyond the printed precision);
- ``rounding``: differs only by less than Rp 1 or within the printed precision (including
  figures computed from rounded inputs);
- ``semantics``: the figure is a different kind of quantity than its label says;
- ``warning``: worth a look but not arithmetic (realisation above budget, #DIV/0!, ...).

Messages are in Bahasa Indonesia, code and comments in English.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from sikumi.rules.formatting import format_number, format_percent

from .document import (
    BudgetRow,
    BudgetTable,
    CountTable,
    Figure,
    Indicator,
    PlanDocument,
    PlanItem,
    ProgramTable,
    ServiceTable,
    YearFigures,
    parse_printed,
)

Kind = Literal["error", "rounding", "semantics", "warning"]
Number = Decimal | int | float

ONE_RUPIAH = Decimal(1)
HUNDRED = Decimal(100)

TABLE_PROGRAM = "Tabel Program Kegiatan dan Pendanaan (Bab VI)"
TABLE_TC23 = "T-C.23"
TABLE_TC24 = "T-C.24"
TABLE_IKU = "Tabel 7.2 IKU"
TABLE_IKK = "Tabel 7.1 IKK"
TABLE_TUJUAN = "Tabel 4.2 Tujuan dan Sasaran"

LEVEL_LABEL = {
    "program": "Program",
    "kegiatan": "Kegiatan",
    "sub_kegiatan": "Sub kegiatan",
    "total": "TOTAL",
}


@dataclass
class Finding:
    table: str
    location: str
    printed: Decimal | str | None
    recomputed: Decimal | str | None
    kind: Kind
    message: str
    #: the printed figure the finding is about (used by corrected_copy); not serialised
    figure: Figure | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "location": self.location,
            "printed": _json_number(self.printed),
            "recomputed": _json_number(self.recomputed),
            "kind": self.kind,
            "message": self.message,
        }


def _json_number(value: Decimal | str | None) -> int | float | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- small numeric helpers ---------------------------------------------------------------


def q2(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up to ``places`` decimals (the way spreadsheets print)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def half_unit(fig: Figure) -> Decimal:
    return Decimal(5).scaleb(-fig.decimals() - 1)


def interval(fig: Figure) -> tuple[Decimal, Decimal]:
    """Range of true values a printed (rounded) figure may stand for."""
    value = fig.number
    assert value is not None
    return value - half_unit(fig), value + half_unit(fig)


def num(fig: Figure | None) -> Decimal | None:
    return fig.number if fig is not None else None


def _money_kind(diff: Decimal) -> Kind | None:
    if diff == 0:
        return None
    return "rounding" if abs(diff) < ONE_RUPIAH else "error"


def _precision_kind(
    printed: Figure, exact: Decimal, low: Decimal | None = None, high: Decimal | None = None
) -> Kind | None:
    """Classify a printed derived figure against its exact recomputation.

    ``low``/``high`` bound the true value when the inputs themselves were rounded.
    """
    value = printed.number
    assert value is not None
    places = printed.decimals()
    if q2(exact, places) == value:
        return None
    tolerance = half_unit(printed) + Decimal("1e-9")
    lo = min(exact, low if low is not None else exact) - tolerance
    hi = max(exact, high if high is not None else exact) + tolerance
    return "rounding" if lo <= value <= hi else "error"


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        table: str,
        location: str,
        printed: Figure | Decimal | str | None,
        recomputed: Decimal | str | None,
        kind: Kind | None,
        message: str,
    ) -> None:
        if kind is None:
            return
        fig = printed if isinstance(printed, Figure) else None
        value = printed.v if isinstance(printed, Figure) else printed
        if fig is not None and any(
            f.figure is fig and f.kind == kind and f.recomputed == recomputed for f in self.findings
        ):
            return  # the same figure reached through two checks
        self.findings.append(Finding(table, location, value, recomputed, kind, message, fig))


# --- plan (program / kegiatan / sub kegiatan) ----------------------------------------------


def item_label(item: PlanItem) -> str:
    return f"{LEVEL_LABEL[item.level]} {item.code or item.id} {item.name}"


def _year_sum(figures: YearFigures, years: Sequence[int]) -> Decimal:
    return sum((num(figures.get(y)) or Decimal(0) for y in years), Decimal(0))


def _has_money(figures: YearFigures) -> bool:
    return any(f.number is not None for f in figures.values())


def _effective_total(item: PlanItem, years: Sequence[int]) -> Decimal:
    """Printed total when it agrees with the yearly figures, else their sum."""
    recomputed = _year_sum(item.pagu, years)
    printed = num(item.pagu_total)
    if printed is not None and abs(printed - recomputed) < ONE_RUPIAH:
        return printed
    return recomputed


def check_pagu(table: ProgramTable, out: _Collector) -> None:
    years = table.years
    for item in table.items():
        label = item_label(item)
        # yearly pagu vs printed 5-year total
        if item.pagu_total is not None and item.pagu_total.number is not None:
            recomputed = _year_sum(item.pagu, years)
            out.add(
                TABLE_PROGRAM,
                f"{label} / Pagu total {years[0]}-{years[-1]}",
                item.pagu_total,
                recomputed,
                _money_kind(item.pagu_total.number - recomputed),
                "Total 5 tahun tidak sama dengan jumlah pagu per tahun.",
            )
        _check_children(TABLE_PROGRAM, label, item.pagu, item.pagu_total, item.children, years, out)

    # programs vs OPD total
    opd = PlanItem(id="OPD", level="program", name="Total Perangkat Daerah", children=[])
    opd.pagu, opd.pagu_total, opd.children = table.opd_pagu, table.opd_pagu_total, table.programs
    if opd.pagu_total is not None and opd.pagu_total.number is not None:
        recomputed = _year_sum(opd.pagu, years)
        out.add(
            TABLE_PROGRAM,
            f"Total Perangkat Daerah / Pagu total {years[0]}-{years[-1]}",
            opd.pagu_total,
            recomputed,
            _money_kind(opd.pagu_total.number - recomputed),
            "Total 5 tahun tidak sama dengan jumlah pagu per tahun.",
        )
    _check_children(
        TABLE_PROGRAM,
        "Total Perangkat Daerah",
        opd.pagu,
        opd.pagu_total,
        opd.children,
        years,
        out,
    )


def _check_children(
    table: str,
    label: str,
    pagu: YearFigures,
    total: Figure | None,
    children: list[PlanItem],
    years: Sequence[int],
    out: _Collector,
) -> None:
    funded = [c for c in children if _has_money(c.pagu) or num(c.pagu_total)]
    if not funded:
        return
    for year in years:
        parent = pagu.get(year)
        if parent is None or parent.number is None:
            continue
        recomputed = _year_sum_children(funded, year)
        out.add(
            table,
            f"{label} / Pagu {year}",
            parent,
            recomputed,
            _money_kind(parent.number - recomputed),
            "Pagu tidak sama dengan jumlah pagu di bawahnya.",
        )
    if total is not None and total.number is not None:
        recomputed = sum((_effective_total(c, years) for c in funded), Decimal(0))
        out.add(
            table,
            f"{label} / Pagu total {years[0]}-{years[-1]} (jumlah rincian)",
            total,
            recomputed,
            _money_kind(total.number - recomputed),
            "Total 5 tahun tidak sama dengan jumlah total rincian di bawahnya.",
        )


def _year_sum_children(children: Iterable[PlanItem], year: int) -> Decimal:
    return sum((num(c.pagu.get(year)) or Decimal(0) for c in children), Decimal(0))


# --- indicators ----------------------------------------------------------------------------


def _combined(indicator: Indicator, years: Sequence[int]) -> Decimal | None:
    values = [num(indicator.targets.get(y)) for y in years]
    if any(v is None for v in values) or not values:
        return None
    numbers = [v for v in values if v is not None]
    if indicator.combine == "sum":
        return sum(numbers, Decimal(0))
    if indicator.combine == "last":
        return numbers[-1]
    if indicator.combine == "average":
        return sum(numbers, Decimal(0)) / len(numbers)
    return None


def check_indicator(
    table: str, where: str, indicator: Indicator, years: Sequence[int], out: _Collector
) -> None:
    label = f"{where} / Indikator {indicator.name}"
    end = indicator.end_target
    targets = [indicator.targets[y] for y in years if y in indicator.targets]
    numeric_targets = [t for t in targets if t.number is not None]
    if end is not None and end.number is not None and numeric_targets:
        target_is_pct = all(t.is_percent for t in numeric_targets)
        if target_is_pct != end.is_percent:
            out.add(
                table,
                f"{label} / Target akhir periode",
                end,
                _combined(indicator, years),
                "semantics",
                "Target akhir periode bukan besaran yang sama dengan target tahunan "
                "(persen vs jumlah).",
            )
        else:
            exact = _combined(indicator, years)
            if exact is not None:
                out.add(
                    table,
                    f"{label} / Target akhir periode",
                    end,
                    _round_like(exact, end),
                    _precision_kind(end, exact),
                    f"Target akhir periode tidak sesuai aturan '{indicator.combine}' "
                    "atas target tahunan.",
                )
    # percentages of a fixed data dasar must be whole counts of it
    base = num(indicator.data_dasar)
    if base:
        named = [("Kondisi awal", indicator.baseline)]
        named += [(f"Target {y}", indicator.targets.get(y)) for y in years]
        named.append(("Target akhir periode", end))
        for name, fig in named:
            if fig is None or fig.number is None or not fig.is_percent:
                continue
            count = (fig.number * base / HUNDRED).to_integral_value(rounding=ROUND_HALF_UP)
            exact = count / base * HUNDRED
            out.add(
                table,
                f"{label} / {name}",
                fig,
                q2(exact),
                _precision_kind(fig, exact),
                f"Persentase bukan jumlah utuh dari data dasar {format_number(base)} "
                f"(terdekat: {format_number(count)} = {format_percent(q2(exact))}).",
            )


def _round_like(value: Decimal, fig: Figure) -> Decimal:
    return q2(value, max(fig.decimals(), 2))


def check_indicators(doc: PlanDocument, out: _Collector) -> None:
    years = doc.meta.target_years
    for tujuan in doc.tujuan:
        for ind in tujuan.indicators:
            check_indicator(TABLE_TUJUAN, f"Tujuan {tujuan.code} {tujuan.text}", ind, years, out)
    for sasaran in doc.sasaran:
        for ind in sasaran.indicators:
            where = f"Sasaran {sasaran.code} {sasaran.text}"
            check_indicator(TABLE_TUJUAN, where, ind, years, out)
    if doc.program_table:
        for item in doc.program_table.items():
            for ind in item.indicators:
                check_indicator(TABLE_PROGRAM, item_label(item), ind, years, out)
    for ind in doc.ikk:
        check_indicator(TABLE_IKK, "IKK", ind, years, out)
        _check_baseline_ref(doc, ind, out)

    # IKU rows restate tujuan/sasaran indicators: same targets
    known = doc.indicators()
    for row in doc.iku:
        ref = known.get(row.indicator_ref)
        if ref is None:
            out.add(
                TABLE_IKU,
                f"IKU {row.name}",
                None,
                row.indicator_ref,
                "warning",
                "Rujukan indikator tidak ditemukan.",
            )
            continue
        for year, fig in row.targets.items():
            other = ref.targets.get(year)
            if other is None or fig.number is None or other.number is None:
                continue
            out.add(
                TABLE_IKU,
                f"IKU {row.name} / Target {year}",
                fig,
                other.number,
                None if fig.number == other.number else "error",
                f"Target IKU berbeda dengan indikator {ref.id} ({ref.name}).",
            )


def _check_baseline_ref(doc: PlanDocument, ind: Indicator, out: _Collector) -> None:
    """An indicator may point its baseline to a T-C.23 row (ref "tc23:<row id>")."""
    if not ind.ref.startswith("tc23:") or doc.service is None or ind.baseline is None:
        return
    row = next((r for r in doc.service.rows if r.id == ind.ref[5:]), None)
    real = row.realisations.get(doc.meta.baseline_year) if row else None
    if real is None or real.number is None or ind.baseline.number is None:
        return
    kind = _precision_kind(ind.baseline, real.number, *interval(real))
    out.add(
        TABLE_IKK,
        f"IKK {ind.name} / Kondisi awal {doc.meta.baseline_year}",
        ind.baseline,
        real.number,
        "warning" if kind == "error" else kind,
        f"Kondisi awal berbeda dengan realisasi {doc.meta.baseline_year} di T-C.23.",
    )


# --- achievement ratios ----------------------------------------------------------------------


def achievement(real: Decimal, target: Decimal, polarity: str = "higher") -> Decimal | None:
    """Capaian in percent; None when the target is zero."""
    if target == 0:
        return None
    if polarity == "lower":
        return (2 * target - real) / target * HUNDRED
    return real / target * HUNDRED


def check_service(table: ServiceTable, out: _Collector) -> None:
    for row in table.rows:
        for year in table.years:
            ratio = row.ratios.get(year)
            target, real = row.targets.get(year), row.realisations.get(year)
            if ratio is None or ratio.number is None:
                continue
            if target is None or real is None or target.number is None or real.number is None:
                out.add(
                    TABLE_TC23,
                    f"{row.name} / Rasio {year}",
                    ratio,
                    None,
                    "warning",
                    "Rasio dicetak tanpa target atau realisasi.",
                )
                continue
            exact = achievement(real.number, target.number, row.polarity)
            if exact is None:
                continue
            # bounds from the rounded inputs
            r_lo, r_hi = interval(real)
            t_lo, t_hi = interval(target)
            candidates = [
                achievement(r, t, row.polarity) for r in (r_lo, r_hi) for t in (t_lo, t_hi) if t
            ]
            bounds = [c for c in candidates if c is not None]
            out.add(
                TABLE_TC23,
                f"{row.name} / Rasio capaian {year}",
                ratio,
                q2(exact),
                _precision_kind(ratio, exact, min(bounds), max(bounds)),
                "Rasio capaian tidak sama dengan realisasi dibagi target.",
            )


# --- budget and realisation (T-C.24) ----------------------------------------------------------


def _budget_label(row: BudgetRow) -> str:
    return "TOTAL" if row.level == "total" else f"{LEVEL_LABEL[row.level]} {row.name}"


def check_budget(table: BudgetTable, out: _Collector) -> None:
    years = table.years
    every = [r for p in table.rows for r in (p, *p.children)]
    if table.total:
        every.append(table.total)
    for row in every:
        _check_budget_row(row, years, out)
    for program in table.rows:
        if program.children:
            _check_budget_sum(program, program.children, years, out)
    if table.total:
        _check_budget_sum(table.total, table.rows, years, out)
        if table.average_kind == "growth":
            _check_growth_semantics(table, table.total, out)
        _check_narrative(table, table.total, out)


def _check_budget_row(row: BudgetRow, years: Sequence[int], out: _Collector) -> None:
    label = _budget_label(row)
    for year in years:
        budget, real, ratio = (
            num(row.budget.get(year)),
            num(row.realisation.get(year)),
            row.ratios.get(year),
        )
        if budget and real is not None and real > budget:
            out.add(
                TABLE_TC24,
                f"{label} / Realisasi {year}",
                row.realisation[year],
                q2(budget),
                "warning",
                "Realisasi melebihi anggaran.",
            )
        if ratio is not None and ratio.p.strip() == "#DIV/0!":
            out.add(
                TABLE_TC24,
                f"{label} / Rasio {year}",
                ratio.p,
                None,
                "warning",
                "Rasio dicetak #DIV/0! (anggaran kosong); seharusnya '-'.",
            )
            continue
        if ratio is None or ratio.number is None:
            if budget and real is not None:
                out.add(
                    TABLE_TC24,
                    f"{label} / Rasio {year}",
                    ratio.p if ratio else None,
                    q2(real / budget * HUNDRED),
                    "warning",
                    "Rasio tidak dicetak.",
                )
            continue
        if not budget:
            out.add(
                TABLE_TC24,
                f"{label} / Rasio {year}",
                ratio,
                None,
                "warning",
                "Rasio dicetak tanpa anggaran.",
            )
            continue
        exact = (real or Decimal(0)) / budget * HUNDRED
        out.add(
            TABLE_TC24,
            f"{label} / Rasio {year}",
            ratio,
            q2(exact),
            _precision_kind(ratio, exact),
            "Rasio tidak sama dengan realisasi dibagi anggaran.",
        )
    for name, figures, avg in (
        ("anggaran", row.budget, row.avg_budget),
        ("realisasi", row.realisation, row.avg_realisation),
    ):
        _check_mean(label, name, figures, avg, years, out)


def _check_mean(
    label: str,
    name: str,
    figures: YearFigures,
    printed: Figure | None,
    years: Sequence[int],
    out: _Collector,
) -> None:
    """Printed average vs the mean of the yearly levels.

    Spreadsheet AVERAGE semantics: a cell printed "-" is a zero and counts, a blank cell does
    not count. The divisor is therefore the number of printed cells.
    """
    if printed is None or printed.number is None:
        return
    cells = [f for y in years if (f := figures.get(y)) is not None and f.p.strip()]
    if not cells:
        return
    total = sum((f.number or Decimal(0) for f in cells), Decimal(0))
    mean = total / len(cells)
    out.add(
        TABLE_TC24,
        f"{label} / Rata-rata {name}",
        printed,
        q2(mean),
        _money_kind(q2(mean) - printed.number),
        f"Rata-rata {name} tidak sama dengan rata-rata nilai tahunan yang dicetak.",
    )


def _check_budget_sum(
    parent: BudgetRow, children: Sequence[BudgetRow], years: Sequence[int], out: _Collector
) -> None:
    label = _budget_label(parent)
    for name, getter in (("Anggaran", _budget_of), ("Realisasi", _real_of)):
        for year in years:
            fig = getter(parent).get(year)
            printed = num(fig)
            recomputed = sum((num(getter(c).get(year)) or Decimal(0) for c in children), Decimal(0))
            if printed is None:
                if recomputed:
                    out.add(
                        TABLE_TC24,
                        f"{label} / {name} {year}",
                        fig,
                        recomputed,
                        "error",
                        f"{name} kosong padahal rinciannya berjumlah "
                        f"{format_number(recomputed, 0 if recomputed % 1 == 0 else 2)}.",
                    )
                continue
            out.add(
                TABLE_TC24,
                f"{label} / {name} {year}",
                fig,
                recomputed,
                _money_kind(printed - recomputed),
                f"{name} tidak sama dengan jumlah rinciannya.",
            )


def _budget_of(row: BudgetRow) -> YearFigures:
    return row.budget


def _real_of(row: BudgetRow) -> YearFigures:
    return row.realisation


def _average_growth(figures: YearFigures, years: Sequence[int]) -> Decimal | None:
    values = [num(figures.get(y)) for y in years]
    rates = [(b - a) / a * HUNDRED for a, b in itertools.pairwise(values) if a and b is not None]
    return sum(rates, Decimal(0)) / len(rates) if rates else None


def _check_growth_semantics(table: BudgetTable, total: BudgetRow, out: _Collector) -> None:
    """The columns are headed 'average growth' but hold means of the yearly levels."""
    for name, figures, printed in (
        ("anggaran", total.budget, total.avg_budget),
        ("realisasi", total.realisation, total.avg_realisation),
    ):
        if printed is None or printed.number is None:
            continue
        growth = _average_growth(figures, table.years)
        out.add(
            TABLE_TC24,
            f"TOTAL / {table.average_label} {name} (semua baris)",
            printed,
            q2(growth) if growth is not None else None,
            "semantics",
            f"Kolom '{table.average_label}' berisi rata-rata nilai {name} (Rp), bukan rata-rata "
            "pertumbuhan (%); nilai rekomputasi = rata-rata pertumbuhan tahunan dalam persen.",
        )


def _narrative_quantities(total: BudgetRow, years: Sequence[int]) -> dict[str, Decimal]:
    budget = [num(total.budget.get(y)) or Decimal(0) for y in years]
    real = [num(total.realisation.get(y)) or Decimal(0) for y in years]
    ratios = [r / b * HUNDRED for r, b in zip(real, budget, strict=True) if b]
    steps = len(years) - 1
    return {
        "average_ratio": sum(ratios, Decimal(0)) / len(ratios),
        "overall_ratio": sum(real, Decimal(0)) / sum(budget, Decimal(0)) * HUNDRED,
        "last_year_ratio": ratios[-1],
        "budget_change_last_year": budget[-1] - budget[-2],
        "realisation_change_last_year": real[-1] - real[-2],
        "average_budget_change": (budget[-1] - budget[0]) / steps,
        "average_realisation_change": (real[-1] - real[0]) / steps,
    }


NARRATIVE_LABELS = {
    "average_ratio": "rata-rata rasio realisasi per tahun",
    "overall_ratio": "rasio realisasi seluruh periode",
    "last_year_ratio": "rasio realisasi tahun terakhir",
    "budget_change_last_year": "perubahan anggaran tahun terakhir",
    "realisation_change_last_year": "perubahan realisasi tahun terakhir",
    "average_budget_change": "rata-rata perubahan anggaran per tahun",
    "average_realisation_change": "rata-rata perubahan realisasi per tahun",
}


def _check_narrative(table: BudgetTable, total: BudgetRow, out: _Collector) -> None:
    quantities = _narrative_quantities(total, table.years)
    for claim in table.narrative:
        printed = claim.figure.number
        if printed is None or claim.claim not in quantities:
            continue
        sign = Decimal(-1) if claim.direction == "decrease" else Decimal(1)
        signed = printed * sign

        def close(value: Decimal, fig: Figure = claim.figure, s: Decimal = signed) -> bool:
            return abs(q2(value, fig.decimals()) - s) <= max(half_unit(fig), ONE_RUPIAH / 100)

        expected = quantities[claim.claim]
        location = f"Teks 2.3.2 / {NARRATIVE_LABELS[claim.claim]}"
        if close(expected):
            continue
        other = next((k for k, v in quantities.items() if k != claim.claim and close(v)), None)
        recomputed = q2(abs(expected))
        if other:
            out.add(
                TABLE_TC24,
                location,
                claim.figure,
                recomputed,
                "semantics",
                f"Angka di teks adalah {NARRATIVE_LABELS[other]}, bukan "
                f"{NARRATIVE_LABELS[claim.claim]}.",
            )
        else:
            out.add(
                TABLE_TC24,
                location,
                claim.figure,
                recomputed,
                "error",
                f"Angka di teks tidak sama dengan {NARRATIVE_LABELS[claim.claim]}.",
            )


# --- resources (staff, assets) ----------------------------------------------------------------


def check_count_table(table: CountTable, out: _Collector) -> None:
    values = [row.value.number for row in table.rows]
    recomputed = sum((v for v in values if v is not None), Decimal(0))
    base = recomputed
    for name, fig in (("Jumlah", table.total), ("Jumlah di teks", table.total_ref)):
        if fig is None or fig.number is None:
            continue
        out.add(
            table.title,
            f"{table.title} / {name}",
            fig,
            recomputed,
            _money_kind(fig.number - recomputed),
            "Jumlah tidak sama dengan penjumlahan baris.",
        )
    for row in table.rows:
        if row.percent is None or row.percent.number is None or row.value.number is None:
            continue
        if not base:
            continue
        exact = row.value.number / base * HUNDRED
        out.add(
            table.title,
            f"{table.title} / {row.label} / Persentase",
            row.percent,
            q2(exact),
            _precision_kind(row.percent, exact),
            "Persentase tidak sama dengan jumlah baris dibagi jumlah total.",
        )
    percents = [r.percent.number for r in table.rows if r.percent and r.percent.number]
    if percents and sum(percents) != HUNDRED:
        out.add(
            table.title,
            f"{table.title} / Jumlah persentase",
            sum(percents, Decimal(0)),
            HUNDRED,
            "warning",
            "Persentase tidak berjumlah 100%.",
        )


# --- entry points -----------------------------------------------------------------------------

Check = Callable[[PlanDocument, _Collector], None]


def _pagu(doc: PlanDocument, out: _Collector) -> None:
    if doc.program_table:
        check_pagu(doc.program_table, out)


def _service(doc: PlanDocument, out: _Collector) -> None:
    if doc.service:
        check_service(doc.service, out)


def _budget(doc: PlanDocument, out: _Collector) -> None:
    if doc.budget:
        check_budget(doc.budget, out)


def _resources(doc: PlanDocument, out: _Collector) -> None:
    for table in doc.resources:
        check_count_table(table, out)


CHECKS: list[Check] = [_pagu, check_indicators, _service, _budget, _resources]


def check_document(doc: PlanDocument) -> list[Finding]:
    """Run every check and return the findings (errors first)."""
    out = _Collector()
    for check in CHECKS:
        check(doc, out)
    order = {"error": 0, "semantics": 1, "warning": 2, "rounding": 3}
    return sorted(out.findings, key=lambda f: order[f.kind])


def format_printed(value: Decimal, like: Figure) -> str:
    """Print ``value`` in the style of ``like`` (separators, decimals, percent sign)."""
    places = like.decimals()
    rounded = q2(value, places)
    text = f"{rounded:,.{places}f}"
    if like.fmt == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if like.is_percent:
        text += "%"
    if like.p.strip().startswith("Rp"):
        text = "Rp " + text
    return text


def corrected_copy(doc: PlanDocument, findings: Sequence[Finding]) -> PlanDocument:
    """Deep copy of ``doc`` with every ``error`` figure reprinted with its recomputed value.

    The new string keeps the style of the old one (separators, decimals, "%", "Rp").
    """
    memo: dict[int, Any] = {}
    fixed = copy.deepcopy(doc, memo)
    for finding in findings:
        if finding.kind != "error" or finding.figure is None:
            continue
        if not isinstance(finding.recomputed, Decimal):
            continue
        target = memo.get(id(finding.figure))
        if isinstance(target, Figure):
            target.p = format_printed(finding.recomputed, finding.figure)
            target.v = parse_printed(target.p, target.fmt)
    return fixed
