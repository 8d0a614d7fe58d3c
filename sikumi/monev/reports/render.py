"""Render a :class:`Report` as XLSX (xlsxwriter: merged headers, number formats, cell comments
for figures the document printed differently) or as PDF (WeasyPrint, A4 landscape, header rows
repeated on every page, "Halaman X dari Y")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import xlsxwriter
from django.template.loader import render_to_string

from sikumi.core.exports import DECIMAL, NUMBER, RUPIAH, WORKBOOK_OPTIONS, print_setup
from sikumi.core.letterhead import chosen_official, letterhead, official_context, signatory
from sikumi.core.pdf import prepare, render
from sikumi.monev.reports.table import MONEY, PERCENT, TEXT, Report

PERCENT_FORMAT = '0.00"%"'
#: reports that are official documents: letterhead (PDF and XLSX) and signature block (PDF)
OFFICIAL = frozenset({"e81", "lkjip"})
EXAMPLE_HEADER = "Data contoh"


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_xlsx(report: Report, path: str) -> None:
    # Text stays text: a name starting with "=" must not become a live formula.
    workbook = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    base = {"border": 1, "valign": "top", "font_size": 9}
    head = workbook.add_format(
        {**base, "bold": True, "bg_color": "#EEF1F4", "text_wrap": True, "align": "center"}
    )
    title = workbook.add_format({"bold": True, "font_size": 13})
    fmts: dict[tuple[str, bool, bool], Any] = {}

    def fmt(kind: str, bold: bool, whole: bool) -> Any:
        key = (kind, bold, whole)
        if key not in fmts:
            spec: dict[str, Any] = {**base, "bold": bold}
            if kind == MONEY:
                spec["num_format"] = RUPIAH
            elif kind == PERCENT:
                spec["num_format"] = PERCENT_FORMAT
            elif kind != TEXT:
                spec["num_format"] = NUMBER if whole else DECIMAL
            else:
                spec["text_wrap"] = True
            fmts[key] = workbook.add_format(spec)
        return fmts[key]

    # An official report prints the letterhead as the page header of every sheet.
    letterhead_lines = letterhead().lines if report.name in OFFICIAL else []
    used: set[str] = set()
    for index, table in enumerate(report.tables, start=1):
        name = table.title[:28] or f"Tabel {index}"
        for ch in "[]:*?/\\":
            name = name.replace(ch, " ")
        while name in used:
            name = f"{name[:26]} {index}"
        used.add(name)
        ws = workbook.add_worksheet(name)
        ws.write_string(0, 0, str(report.title), title)
        ws.write_string(1, 0, " ".join(filter(None, [report.subtitle, table.title])))
        if report.example:
            ws.write_string(2, 0, "DATA CONTOH: angka realisasi adalah contoh, bukan data resmi.")
        top = 4
        example_col = table.columns
        for r, c, h in table.header_grid():
            if h.rowspan > 1 or h.colspan > 1:
                ws.merge_range(
                    top + r, c, top + r + h.rowspan - 1, c + h.colspan - 1, h.label, head
                )
            else:
                ws.write_string(top + r, c, str(h.label), head)
        if len(table.header) > 1:
            bottom = top + len(table.header) - 1
            ws.merge_range(top, example_col, bottom, example_col, EXAMPLE_HEADER, head)
        else:
            ws.write_string(top, example_col, str(EXAMPLE_HEADER), head)
        for c, width in enumerate(table.widths):
            ws.set_column(c, c, width)
        ws.set_column(example_col, example_col, 8)
        row_index = top + len(table.header)
        ws.freeze_panes(row_index, 0)
        for row in table.rows:
            bold = row.level in ("group", "total")
            for c, cell in enumerate(row.cells):
                value = cell.value
                if value is None or value == "":
                    ws.write_blank(row_index, c, None, fmt(TEXT, bold, True))
                elif cell.numeric:
                    whole = isinstance(value, int) or (
                        isinstance(value, Decimal) and value == value.to_integral_value()
                    )
                    ws.write_number(row_index, c, _number(value), fmt(cell.kind, bold, whole))
                else:
                    ws.write_string(row_index, c, str(value), fmt(TEXT, bold, True))
                if cell.differs:
                    ws.write_comment(
                        row_index,
                        c,
                        f"Dihitung ulang: {cell.text}. Tercetak di dokumen: {cell.printed_text}.",
                    )
            ws.write_string(
                row_index, example_col, "Ya" if row.example else "", fmt(TEXT, False, True)
            )
            row_index += 1
        if table.note:
            ws.write_string(row_index + 1, 0, str(table.note))
        for offset, note in enumerate(report.notes):
            ws.write_string(row_index + 2 + offset, 0, str(note))
        print_setup(ws, repeat=(top, top + len(table.header) - 1), header_lines=letterhead_lines)
    workbook.close()


def pdf_html(report: Report, *, official: Any = None) -> str:
    """The HTML the report's PDF is made from. An official report (E.81, LKjIP) carries the
    letterhead and the signature block of ``official`` (a user id from the ``penandatangan``
    parameter; by default the Kepala Dinas)."""
    report.number_footnotes()
    context: dict[str, Any] = {"report": report}
    if report.name in OFFICIAL:
        context.update(official_context(signatory(chosen_official(official))))
    return render_to_string("monev/report_pdf.html", context)


def render_pdf(report: Report, *, official: Any = None) -> bytes:
    """The report as PDF (`sikumi.core.pdf.render`: cached by content)."""
    return render(pdf_html(report, official=official))


def prepare_pdf(report: Report, *, official: Any = None) -> None:
    """Start rendering the report's PDF in the background (`sikumi.core.pdf.prepare`): the
    report page calls it after it is rendered itself (footnote numbers change the page)."""
    prepare(pdf_html(report, official=official))


def write_pdf(report: Report, path: str, *, official: Any = None) -> None:
    with open(path, "wb") as handle:
        handle.write(render_pdf(report, official=official))
