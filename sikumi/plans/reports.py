"""The Renstra's own tables (4.2, T-C.26, program/pendanaan, 7.1, 7.2, T-C.23, T-C.24) as a
neutral `Sheet` (merged header cells, rows of typed cells), written to XLSX with xlsxwriter or
rendered to HTML/PDF with WeasyPrint. Built from a ``PlanDocument`` so the files show the plan
as stored (``sikumi.plans.convert.plan_to_document``) or a data folder as transcribed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sikumi.accounts import selectors as accounts_selectors
from sikumi.core.exports import WORKBOOK_OPTIONS, print_setup
from sikumi.plans import document as d
from sikumi.plans.checker import Finding

KIND_LABELS: dict[str, str] = {
    "error": "Kesalahan hitung",
    "semantics": "Makna angka keliru",
    "warning": "Peringatan",
    "rounding": "Selisih pembulatan",
}

TABLES: dict[str, str] = {
    "tujuan-sasaran": "Tabel 4.2 Tujuan dan Sasaran",
    "strategi": "Tabel T-C.26 Tujuan, Sasaran, Strategi dan Kebijakan",
    "program": "Tabel Program, Kegiatan dan Pendanaan (Pagu Indikatif)",
    "ikk": "Tabel 7.1 Indikator Kinerja PD (IKK)",
    "iku": "Tabel 7.2 Indikator Kinerja Utama (IKU)",
    "tc23": "Tabel T-C.23 Pencapaian Kinerja Pelayanan",
    "tc24": "Tabel T-C.24 Anggaran dan Realisasi Pendanaan Pelayanan",
}


def findings_summary(findings: Sequence[Finding]) -> str:
    parts = [
        f"{label}: {sum(1 for f in findings if f.kind == kind)}"
        for kind, label in KIND_LABELS.items()
    ]
    return "Ringkasan - " + ", ".join(parts)


# --- the neutral sheet ------------------------------------------------------------------------


@dataclass
class Cell:
    value: Any = None  # Decimal/int (a number) or str
    places: int = 0
    percent: bool = False
    money: bool = False

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, Decimal | int) and not isinstance(self.value, bool)

    def text(self) -> str:
        """The cell as shown in HTML/PDF (Indonesian separators)."""
        from sikumi.rules.formatting import format_number

        if self.value is None:
            return ""
        if self.is_number:
            shown = format_number(self.value, self.places)
            return shown + ("%" if self.percent else "")
        return str(self.value)


@dataclass
class Head:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    style: str = ""  # "total", "program", "kegiatan", "sub_kegiatan", "group"
    span_text: str = ""  # a group row: one text across all columns


@dataclass
class Sheet:
    key: str
    title: str
    subtitle: str
    heads: list[Head]
    widths: Sequence[float]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def header_rows(self) -> int:
        return max(h.row + h.rowspan for h in self.heads)

    def head_grid(self) -> list[list[Head]]:
        grid: list[list[Head]] = [[] for _ in range(self.header_rows)]
        for head in sorted(self.heads, key=lambda h: (h.row, h.col)):
            grid[head.row].append(head)
        return grid


def text(value: str | None) -> Cell:
    return Cell(value or None)


def fig(figure: d.Figure | None, *, money: bool = False) -> Cell:
    if figure is None:
        return Cell()
    number = figure.number
    if number is None:
        shown = figure.p.strip()
        return Cell(shown or None)
    return Cell(number, places=min(figure.decimals(), 4), percent=figure.is_percent, money=money)


def _years_heads(years: Iterable[int], row: int, col: int, *, span: int = 1) -> list[Head]:
    return [Head(str(y), row, col + i * span, colspan=span) for i, y in enumerate(years)]


def _title(doc: d.PlanDocument, key: str) -> tuple[str, str]:
    meta = doc.meta
    return (
        TABLES[key],
        f"{meta.opd_name} - Renstra {meta.period_start}-{meta.period_end}",
    )


def _example_note(is_example: bool) -> list[str]:
    return ["DATA CONTOH - bukan data resmi."] if is_example else []


# --- the tables -------------------------------------------------------------------------------


def sheet_program(doc: d.PlanDocument) -> Sheet:
    table = doc.program_table
    if table is None:
        raise ValueError("plan has no program table")
    years = table.years
    first_year = 4
    end_col = first_year + 2 * len(years)
    heads = [
        Head("Kode", 0, 0, rowspan=3),
        Head("Program/Kegiatan/Sub Kegiatan", 0, 1, rowspan=3),
        Head("Indikator Kinerja Program/Kegiatan/Sub Kegiatan", 0, 2, rowspan=3),
        Head(f"Data Capaian Awal (Tahun {doc.meta.baseline_year})", 0, 3, rowspan=3),
        Head(
            "Capaian Kinerja Program/Kegiatan/Sub Kegiatan dan Kerangka Pendanaan",
            0,
            first_year,
            colspan=2 * len(years) + 2,
        ),
        *[Head(f"Tahun {y}", 1, first_year + 2 * i, colspan=2) for i, y in enumerate(years)],
        Head("Kondisi Kinerja pada Akhir Periode", 1, end_col, colspan=2),
        Head("Unit Penanggung Jawab", 0, end_col + 2, rowspan=3),
        Head("Definisi Operasional (Rumus)", 0, end_col + 3, rowspan=3),
    ]
    for i in range(len(years) + 1):
        heads.append(Head("Target", 2, first_year + 2 * i))
        heads.append(Head("Rp", 2, first_year + 2 * i + 1))
    widths = [14, 42, 36, 12] + [11, 17] * (len(years) + 1) + [18, 30]
    title, subtitle = _title(doc, "program")
    sheet = Sheet("program", title, subtitle, heads, widths)
    # "Unit Penanggung Jawab": the unit's short name as the organisation chart gives it.
    unit_labels = accounts_selectors.unit_labels()
    total_row = [text(""), text(doc.meta.opd_name.upper()), text(""), text("")]
    for y in years:
        total_row += [Cell(), fig(table.opd_pagu.get(y), money=True)]
    total_row += [Cell(), fig(table.opd_pagu_total, money=True), text(""), text("")]
    sheet.rows.append(Row(total_row, "total"))

    def item_rows(item: d.PlanItem) -> None:
        indicators: list[d.Indicator | None] = list(item.indicators) or [None]
        for index, ind in enumerate(indicators):
            first = index == 0
            cells = [
                text(item.code if first else ""),
                text(item.name if first else ""),
                text(ind.name if ind else ""),
                fig(ind.baseline if ind else None),
            ]
            for y in years:
                cells.append(fig(ind.targets.get(y) if ind else None))
                cells.append(fig(item.pagu.get(y), money=True) if first else Cell())
            cells.append(fig(ind.end_target if ind else None))
            cells.append(fig(item.pagu_total, money=True) if first else Cell())
            cells.append(text(unit_labels.get(item.unit, item.unit) if first else ""))
            cells.append(text(ind.definition if ind else ""))
            sheet.rows.append(Row(cells, item.level if first else ""))
        for child in item.children:
            item_rows(child)

    for program in table.programs:
        item_rows(program)
    return sheet


def sheet_tujuan_sasaran(doc: d.PlanDocument) -> Sheet:
    years = doc.meta.target_years
    heads = [
        Head("No", 0, 0, rowspan=2),
        Head("Tujuan/Sasaran", 0, 1, rowspan=2),
        Head("Indikator Tujuan/Sasaran", 0, 2, rowspan=2),
        Head("Definisi Operasional", 0, 3, rowspan=2),
        Head("Target Kinerja Tujuan/Sasaran pada Tahun ke-", 0, 4, colspan=len(years)),
        *_years_heads(years, 1, 4),
    ]
    title, subtitle = _title(doc, "tujuan-sasaran")
    sheet = Sheet("tujuan-sasaran", title, subtitle, heads, [7, 45, 36, 36] + [11] * len(years))

    def rows(code: str, label: str, indicators: list[d.Indicator], style: str) -> None:
        for index, ind in enumerate(indicators or [None]):
            first = index == 0
            cells = [
                text(code if first else ""),
                text(label if first else ""),
                text(ind.name if ind else ""),
                text(ind.definition if ind else ""),
            ]
            cells += [fig(ind.targets.get(y) if ind else None) for y in years]
            sheet.rows.append(Row(cells, style if first else ""))

    for tujuan in doc.tujuan:
        rows(tujuan.code, f"Tujuan: {tujuan.text}", tujuan.indicators, "program")
        for sasaran in doc.sasaran:
            if sasaran.tujuan == tujuan.id:
                rows(sasaran.code, f"Sasaran: {sasaran.text}", sasaran.indicators, "kegiatan")
    return sheet


def sheet_strategi(doc: d.PlanDocument) -> Sheet:
    heads = [
        Head("Tujuan", 0, 0),
        Head("Sasaran", 0, 1),
        Head("Strategi", 0, 2),
        Head("Kebijakan", 0, 3),
    ]
    title, subtitle = _title(doc, "strategi")
    sheet = Sheet("strategi", title, subtitle, heads, [36, 36, 40, 48])
    sheet.notes.append(f"VISI: {doc.visi}")
    misi_names = {m.code: m.text for m in doc.misi}
    for misi_code in dict.fromkeys(t.misi for t in doc.tujuan):
        roman = _roman(misi_code)
        sheet.rows.append(
            Row([], "group", span_text=f"MISI {roman}: {misi_names.get(misi_code, '')}".upper())
        )
        for tujuan in [t for t in doc.tujuan if t.misi == misi_code]:
            first_tujuan = True
            for sasaran in [s for s in doc.sasaran if s.tujuan == tujuan.id]:
                first_sasaran = True
                pairs: list[tuple[str, str]] = []
                for strategi in [s for s in doc.strategi if s.sasaran == sasaran.id]:
                    kebijakan = strategi.arah_kebijakan or [None]  # type: ignore[list-item]
                    for index, arah in enumerate(kebijakan):
                        pairs.append(
                            (
                                f"{strategi.code}. {strategi.text}" if index == 0 else "",
                                f"{arah.code}. {arah.text}" if arah else "",
                            )
                        )
                for strat, kebijakan_text in pairs or [("", "")]:
                    sheet.rows.append(
                        Row(
                            [
                                text(tujuan.text if first_tujuan else ""),
                                text(sasaran.text if first_sasaran else ""),
                                text(strat),
                                text(kebijakan_text),
                            ]
                        )
                    )
                    first_tujuan = first_sasaran = False
    return sheet


def _roman(code: str) -> str:
    numerals = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII"}
    return numerals.get(code, code)


def sheet_ikk(doc: d.PlanDocument) -> Sheet:
    years = doc.meta.target_years
    heads = [
        Head("Aspek/Fokus/Bidang Urusan/Indikator Kinerja Pembangunan Daerah", 0, 0, rowspan=2),
        Head(f"Kondisi Kinerja Awal ({doc.meta.baseline_year})", 0, 1, rowspan=2),
        Head("Capaian Kinerja Sasaran", 0, 2, colspan=len(years)),
        *_years_heads(years, 1, 2),
        Head("Kondisi Kinerja pada Akhir Periode RPJMD", 0, 2 + len(years), rowspan=2),
    ]
    title, subtitle = _title(doc, "ikk")
    sheet = Sheet("ikk", title, subtitle, heads, [44, 14] + [11] * len(years) + [16])
    for ind in doc.ikk:
        cells = [text(ind.name), fig(ind.baseline)]
        cells += [fig(ind.targets.get(y)) for y in years]
        cells.append(fig(ind.end_target))
        sheet.rows.append(Row(cells))
    return sheet


def sheet_iku(doc: d.PlanDocument) -> Sheet:
    years = sorted({y for row in doc.iku for y in row.targets}) or doc.meta.target_years
    heads = [
        Head("Sasaran Renstra", 0, 0, rowspan=2),
        Head("Indikator Sasaran", 0, 1, rowspan=2),
        Head("Formulasi", 0, 2, rowspan=2),
        Head("Capaian Kinerja Sasaran", 0, 3, colspan=len(years)),
        *_years_heads(years, 1, 3),
    ]
    title, subtitle = _title(doc, "iku")
    sheet = Sheet("iku", title, subtitle, heads, [40, 32, 36] + [10] * len(years))
    sasaran_text = {s.id: s.text for s in doc.sasaran}
    for row in doc.iku:
        cells = [text(sasaran_text.get(row.sasaran, row.sasaran)), text(row.name)]
        cells.append(text(row.formula))
        cells += [fig(row.targets.get(y)) for y in years]
        sheet.rows.append(Row(cells))
    return sheet


def sheet_tc23(doc: d.PlanDocument) -> Sheet:
    table = doc.service
    if table is None:
        raise ValueError("plan has no T-C.23 table")
    years = table.years
    n = len(years)
    heads = [
        Head("No", 0, 0, rowspan=2),
        Head("Indikator Kinerja sesuai Tugas dan Fungsi Perangkat Daerah", 0, 1, rowspan=2),
        Head("Satuan", 0, 2, rowspan=2),
        Head("Target Renstra Perangkat Daerah Tahun ke-", 0, 3, colspan=n),
        Head("Realisasi Capaian Tahun ke-", 0, 3 + n, colspan=n),
        Head("Rasio Capaian pada Tahun ke- (%)", 0, 3 + 2 * n, colspan=n),
        *_years_heads(years, 1, 3),
        *_years_heads(years, 1, 3 + n),
        *_years_heads(years, 1, 3 + 2 * n),
    ]
    title, subtitle = _title(doc, "tc23")
    sheet = Sheet("tc23", title, subtitle, heads, [5, 36, 9] + [10] * (3 * n))
    for row in table.rows:
        cells = [text(row.no), text(row.name), text(row.unit)]
        cells += [fig(row.targets.get(y)) for y in years]
        cells += [fig(row.realisations.get(y)) for y in years]
        cells += [fig(row.ratios.get(y)) for y in years]
        sheet.rows.append(Row(cells))
    return sheet


def sheet_tc24(doc: d.PlanDocument) -> Sheet:
    table = doc.budget
    if table is None:
        raise ValueError("plan has no T-C.24 table")
    years = table.years
    n = len(years)
    heads = [
        Head("Uraian", 0, 0, rowspan=2),
        Head("Anggaran pada Tahun ke- (Rp)", 0, 1, colspan=n),
        Head("Realisasi Anggaran pada Tahun ke- (Rp)", 0, 1 + n, colspan=n),
        Head("Rasio antara Realisasi dan Anggaran Tahun ke- (%)", 0, 1 + 2 * n, colspan=n),
        Head("Rata-rata Pertumbuhan", 0, 1 + 3 * n, colspan=2),
        *_years_heads(years, 1, 1),
        *_years_heads(years, 1, 1 + n),
        *_years_heads(years, 1, 1 + 2 * n),
        Head("Anggaran", 1, 1 + 3 * n),
        Head("Realisasi", 1, 2 + 3 * n),
    ]
    title, subtitle = _title(doc, "tc24")
    sheet = Sheet("tc24", title, subtitle, heads, [40] + [16] * (2 * n) + [9] * n + [16, 16])

    def add(row: d.BudgetRow) -> None:
        cells = [text(row.name)]
        cells += [fig(row.budget.get(y), money=True) for y in years]
        cells += [fig(row.realisation.get(y), money=True) for y in years]
        cells += [fig(row.ratios.get(y)) for y in years]
        cells += [fig(row.avg_budget, money=True), fig(row.avg_realisation, money=True)]
        style = {"program": "program", "total": "total"}.get(row.level, "")
        sheet.rows.append(Row(cells, style))
        for child in row.children:
            add(child)

    for row in table.rows:
        add(row)
    if table.total:
        add(table.total)
    return sheet


BUILDERS = {
    "tujuan-sasaran": sheet_tujuan_sasaran,
    "strategi": sheet_strategi,
    "program": sheet_program,
    "ikk": sheet_ikk,
    "iku": sheet_iku,
    "tc23": sheet_tc23,
    "tc24": sheet_tc24,
}


def build_sheet(doc: d.PlanDocument, key: str, *, is_example: bool = False) -> Sheet:
    if key not in BUILDERS:
        raise KeyError(key)
    sheet = BUILDERS[key](doc)
    sheet.notes = _example_note(is_example) + sheet.notes
    return sheet


def available_tables(doc: d.PlanDocument) -> list[str]:
    present = {
        "tujuan-sasaran": bool(doc.tujuan),
        "strategi": bool(doc.strategi),
        "program": doc.program_table is not None,
        "ikk": bool(doc.ikk),
        "iku": bool(doc.iku),
        "tc23": doc.service is not None,
        "tc24": doc.budget is not None,
    }
    return [key for key, ok in present.items() if ok]


# --- XLSX -------------------------------------------------------------------------------------


def number_format(cell: Cell) -> str:
    """Excel display format: '#,##0' (Excel shows the reader's locale separators, so an
    Indonesian Excel shows 1.234.567), decimals as printed, a literal % for percentages."""
    base = "#,##0" + ("." + "0" * cell.places if cell.places else "")
    return base + '"%"' if cell.percent else base


def write_sheet_xlsx(sheet: Sheet, path: Any) -> None:
    """Write the sheet to ``path`` (a file name or a binary file object)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        path,
        {**WORKBOOK_OPTIONS, "in_memory": True},
    )
    workbook.set_properties({"title": sheet.title, "subject": sheet.subtitle})
    ws = workbook.add_worksheet(sheet.key[:31])
    base = {"font_name": "Arial", "font_size": 9, "border": 1, "valign": "top"}
    head_fmt = workbook.add_format(
        {
            **base,
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#D9E1F2",
        }
    )
    title_fmt = workbook.add_format({"bold": True, "font_size": 12, "font_name": "Arial"})
    sub_fmt = workbook.add_format({"font_size": 10, "font_name": "Arial"})
    styles = {"total": "#FCE4D6", "program": "#E2EFDA", "kegiatan": "#F2F2F2", "group": "#FFF2CC"}
    cache: dict[tuple[str, str, bool], Any] = {}

    def fmt(style: str, num: str, wrap: bool) -> Any:
        key = (style, num, wrap)
        if key not in cache:
            props: dict[str, Any] = {**base, "text_wrap": wrap}
            if num:
                props["num_format"] = num
                props["align"] = "right"
            if style in styles:
                props["bg_color"] = styles[style]
            if style in ("total", "program", "group"):
                props["bold"] = True
            cache[key] = workbook.add_format(props)
        return cache[key]

    ws.write_string(0, 0, str(sheet.title), title_fmt)
    ws.write_string(1, 0, str(sheet.subtitle), sub_fmt)
    r = 2
    for note in sheet.notes:
        ws.write_string(r, 0, str(note), sub_fmt)
        r += 1
    top = r + 1
    for head in sheet.heads:
        row, col = top + head.row, head.col
        if head.rowspan > 1 or head.colspan > 1:
            ws.merge_range(
                row, col, row + head.rowspan - 1, col + head.colspan - 1, head.text, head_fmt
            )
        else:
            ws.write_string(row, col, head.text, head_fmt)
    for col, width in enumerate(sheet.widths):
        ws.set_column(col, col, width)
    r = top + sheet.header_rows
    ws.freeze_panes(r, 2 if sheet.key == "program" else 1)

    def lines_needed(text: str, col: int) -> int:
        # Spreadsheet programs differ on fitting wrapped rows on load (LibreOffice keeps the
        # stored height), so the height is set from the text: ~1.2 characters per width unit.
        width = sheet.widths[col] if col < len(sheet.widths) else 10
        return max(1, -(-len(text) // max(1, int(width * 1.2))))

    for line in sheet.rows:
        if line.span_text:
            ws.merge_range(r, 0, r, sheet.columns - 1, line.span_text, fmt("group", "", True))
            r += 1
            continue
        texts = [
            lines_needed(str(cell.value), col)
            for col, cell in enumerate(line.cells)
            if cell.value is not None and not cell.is_number
        ]
        ws.set_row(r, 12.5 * max(texts, default=1))
        for col, cell in enumerate(line.cells):
            if cell.is_number:
                ws.write_number(
                    r, col, float(cell.value), fmt(line.style, number_format(cell), False)
                )
            elif cell.value is not None:
                ws.write_string(r, col, str(cell.value), fmt(line.style, "", True))
            else:
                ws.write_blank(r, col, None, fmt(line.style, "", True))
        r += 1
    print_setup(ws, repeat=(top, top + sheet.header_rows - 1))
    workbook.close()


# --- HTML / PDF -------------------------------------------------------------------------------

PDF_FONT_SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)
PDF_MARGIN_MM = 10.0  # left and right (export_table.html)
PDF_PAD_PT = 2 * 2.0 + 0.5  # left and right padding and a border (export_table.html)


@dataclass
class SheetLayout:
    """Paper, font size and column widths of a sheet's PDF (`sikumi.core.pdf.fit_widths`):
    number columns as wide as their widest figure, text columns sharing the rest."""

    paper: str
    font_pt: float
    widths_mm: list[float]

    # CSS values, never localised by the template ("12.5mm", not "12,5mm")
    @property
    def page_size(self) -> str:
        from sikumi.core.pdf import landscape_size

        return landscape_size(self.paper)

    @property
    def css_font(self) -> str:
        return f"{self.font_pt:g}pt"

    @property
    def css_width(self) -> str:
        return f"{sum(self.widths_mm):.2f}mm"

    @property
    def css_columns(self) -> list[str]:
        return [f"{w:.2f}mm" for w in self.widths_mm]


def sheet_layout(sheet: Sheet) -> SheetLayout:
    from sikumi.core.pdf import (
        MAX_WORD_EM,
        PAPERS,
        SAFETY,
        choose_widths,
        configured_paper,
        longest_word_em,
        text_em,
    )

    # export_table.html prints in Arial (Liberation Sans): the wide metrics
    heads: dict[int, list[str]] = {}
    for head in sheet.heads:
        if head.colspan == 1:
            heads.setdefault(head.col, []).append(head.text)
    bold = [line.style in ("total", "program", "group") for line in sheet.rows]
    fixed: list[float | None] = []
    minimum: list[float] = []
    for col in range(sheet.columns):
        head_em = max(
            (longest_word_em(t, bold=True, wide=True) for t in heads.get(col, [])), default=0.0
        )
        head_em = head_em * SAFETY + 0.3 if head_em else 0.0
        cells = [
            (line.cells[col], b)
            for line, b in zip(sheet.rows, bold, strict=True)
            if not line.span_text and col < len(line.cells)
        ]
        values = [(c, b) for c, b in cells if c.value is not None and c.text() not in ("", "-")]
        numbers = [(c, b) for c, b in values if c.is_number]
        if values and len(numbers) * 2 >= len(values):
            widest = max(text_em(c.text(), bold=b, wide=True) for c, b in numbers)
            fixed.append(max(widest * SAFETY, head_em))
            minimum.append(head_em)
        else:
            fixed.append(None)
            words = max(
                (longest_word_em(c.text(), bold=b, wide=True) for c, b in values), default=0.0
            )
            minimum.append(max(head_em, min(words * SAFETY, MAX_WORD_EM)))
    weights = [float(w) for w in sheet.widths]
    for paper in (configured_paper(), "A3"):
        usable = PAPERS[paper][1] - 2 * PDF_MARGIN_MM
        chosen = choose_widths(
            fixed, weights, minimum, usable_mm=usable, fonts=PDF_FONT_SIZES, pad_pt=PDF_PAD_PT
        )
        if chosen is not None:
            return SheetLayout(paper, *chosen)
    # wider than A3 at 5 pt: the declared widths, scaled to A3
    usable = PAPERS["A3"][1] - 2 * PDF_MARGIN_MM
    total = sum(weights) or 1.0
    return SheetLayout("A3", PDF_FONT_SIZES[-1], [round(w * usable / total, 2) for w in weights])


def sheet_html(sheet: Sheet) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "plans/export_table.html", {"sheet": sheet, "layout": sheet_layout(sheet)}
    )


def write_sheet_pdf(sheet: Sheet, path: Any) -> None:
    """Write the sheet's PDF to ``path`` (a file name or a binary file object)."""
    from sikumi.core.pdf import render

    pdf = render(sheet_html(sheet))
    if hasattr(path, "write"):
        path.write(pdf)
    else:
        with open(path, "wb") as handle:
            handle.write(pdf)
