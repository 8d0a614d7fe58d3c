"""How a :class:`Report` is laid out on paper: column widths, font size and paper chosen before
WeasyPrint sees the HTML.

Why: with percentage widths taken from the XLSX column widths, WeasyPrint broke amounts inside
the number ("Rp 665.000.00 / 0" in the E.81) and wrapped long texts into many short lines,
which made the E.81 ten pages long and slow to lay out (the cost grows with the lines). Here
every figure column gets the width its widest figure needs (figures never wrap), text columns
share the rest in proportion to their XLSX widths, and the font shrinks (6 to 5 pt) or the
paper grows (to A3) only when the figures alone do not fit. Amounts under a header naming the
currency ("Rp", "(Rp)") are printed without repeating "Rp" in every cell. Columns a table marks
as ``annex`` (the E.81's data checks of Sikumi, not part of the form) are printed in a second
table after it, with the row number and the indicator repeated.

Widths are estimated from the advance widths of Liberation Sans Narrow (the face of the PDFs,
`sikumi.core.pdf.FONT_FAMILY`), widened a little for hinting and a fallback face.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sikumi.core.pdf import (
    MAX_WORD_EM,
    MIN_TEXT_MM,
    PAPERS,
    PT_MM,
    SAFETY,
    choose_widths,
    configured_paper,
    landscape_size,
    longest_word_em,
    text_em,
)
from sikumi.monev.reports.table import MONEY, Cell, Head, Report, Table
from sikumi.rules.formatting import format_number

MARGIN_MM = 10.0  # left and right page margins (report_pdf.html)
FONT_SIZES = (6.0, 5.5, 5.0)
PAD_PT = 2 * 1.5 + 0.4  # left and right padding and a border (report_pdf.html)
SHORT_TEXT = 6  # a text column whose values are all this short is sized like figures
_CURRENCY = re.compile(r"\bRp\b")


@dataclass
class PdfHead:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class PdfCell:
    text: str
    numeric: bool = False  # a figure: never wraps
    differs: bool = False
    footnote: int | None = None
    flag: str = ""


@dataclass
class PdfRow:
    level: str
    cells: list[PdfCell]


@dataclass
class PdfTable:
    title: str
    header: list[list[PdfHead]]
    rows: list[PdfRow]
    widths_mm: list[float] = field(default_factory=list)
    font_pt: float = FONT_SIZES[0]
    note: str = ""
    annex: bool = False  # checks printed after the form (and after its signature)
    # width of each column in em at 1 pt when it is sized to its content, else None
    fixed_em: list[float | None] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    min_em: list[float] = field(default_factory=list)

    @property
    def width_mm(self) -> float:
        return sum(self.widths_mm)

    # CSS values, never localised by the template ("12.5mm", not "12,5mm")
    @property
    def css_width(self) -> str:
        return f"{self.width_mm:.2f}mm"

    @property
    def css_font(self) -> str:
        return f"{self.font_pt:g}pt"

    @property
    def css_columns(self) -> list[str]:
        return [f"{w:.2f}mm" for w in self.widths_mm]

    def fit(self, usable_mm: float, fonts: Sequence[float] = FONT_SIZES) -> bool:
        """Set the font size and widths on ``usable_mm``; False when the table does not fit."""
        chosen = choose_widths(
            self.fixed_em,
            self.weights,
            self.min_em,
            usable_mm=usable_mm,
            fonts=fonts,
            pad_pt=PAD_PT,
        )
        if chosen is None:
            return False
        self.font_pt, self.widths_mm = chosen
        return True


@dataclass
class PdfLayout:
    paper: str  # A4, F4 or A3
    tables: list[PdfTable] = field(default_factory=list)

    @property
    def form_tables(self) -> list[PdfTable]:
        return [t for t in self.tables if not t.annex]

    @property
    def annex_tables(self) -> list[PdfTable]:
        return [t for t in self.tables if t.annex]

    @property
    def page_size(self) -> str:
        """The CSS @page size, landscape."""
        return landscape_size(self.paper)


def _pdf_cell(cell: Cell, bare_money: bool) -> PdfCell:
    if cell.numeric and bare_money and cell.kind == MONEY:
        text = format_number(cell.value, 0)  # "-Rp 5" becomes "-5": the header says Rp
    else:
        text = cell.text
    return PdfCell(
        text=text,
        numeric=cell.numeric,
        differs=cell.differs,
        footnote=getattr(cell, "footnote", None),
        flag=cell.flag,
    )


def _header(table: Table, columns: list[int]) -> list[list[PdfHead]]:
    """The header over ``columns`` only: a head also spanning columns left out keeps the part
    over the columns kept."""
    position = {c: i for i, c in enumerate(columns)}
    rows: list[list[tuple[int, int, Head]]] = [[] for _ in table.header]
    for r, c, head in table.header_grid():
        kept = [col for col in range(c, c + head.colspan) if col in position]
        if kept:
            rows[r].append((position[kept[0]], len(kept), head))
    # A header row left empty is dropped, and the heads spanning it span one row less.
    filled = [r for r, heads in enumerate(rows) if heads]
    return [
        [
            PdfHead(str(head.label), span, sum(1 for k in filled if r <= k < r + head.rowspan))
            for _p, span, head in sorted(rows[r], key=lambda x: x[0])
        ]
        for r in filled
    ]


def _part(table: Table, title: str, columns: list[int], note: str) -> PdfTable:
    money_in_header = {
        c
        for r, c0, h in table.header_grid()
        if _CURRENCY.search(str(h.label))
        for c in range(c0, c0 + h.colspan)
    }
    rows = [
        PdfRow(
            row.level,
            [_pdf_cell(row.cells[c], c in money_in_header) for c in columns if c < len(row.cells)],
        )
        for row in table.rows
    ]
    part = PdfTable(title=title, header=_header(table, columns), rows=rows, note=note)
    single: dict[int, list[str]] = {}
    for _r, c, head in table.header_grid():
        if head.colspan == 1:
            single.setdefault(c, []).append(str(head.label))
    declared = list(table.widths)
    for i, col in enumerate(columns):
        # a header word never breaks either (bold, widened like the figures)
        head_em = max((longest_word_em(t, bold=True) for t in single.get(col, [])), default=0.0)
        head_em = head_em * SAFETY + 0.3 if head_em else 0.0
        cells = [(r.cells[i], r.level in ("group", "total")) for r in rows if i < len(r.cells)]
        values = [(cell, b) for cell, b in cells if cell.text not in ("", "-")]
        figures = sum(1 for cell, _b in values if cell.numeric)
        short = all(len(cell.text) <= SHORT_TEXT for cell, _b in values)
        if (figures and figures * 2 >= len(values)) or short:
            widest = 0.0
            for cell, bold in cells:
                em = text_em(cell.text, bold=bold) if (cell.numeric or short) else 0.0
                if cell.footnote:
                    em += 0.7 * text_em(str(cell.footnote)) + 0.2
                if cell.flag:
                    em = max(em, longest_word_em(cell.flag))
                widest = max(widest, em)
            part.fixed_em.append(max(widest * SAFETY, head_em))
            part.min_em.append(head_em)
        else:
            part.fixed_em.append(None)
            words = max((longest_word_em(cell.text, bold=b) for cell, b in values), default=0.0)
            part.min_em.append(max(head_em, min(words * SAFETY, MAX_WORD_EM)))
        part.weights.append(declared[col] if col < len(declared) else 10.0)
    return part


def _parts(table: Table) -> list[PdfTable]:
    count = max((len(r.cells) for r in table.rows), default=table.columns) or table.columns
    annex = [c for c in table.annex if c < count]
    main = [c for c in range(count) if c not in annex]
    parts = [_part(table, table.title, main, table.note)]
    if annex:
        keys = [c for c in table.annex_keys if c in main]
        parts.append(_part(table, table.annex_title or table.title, keys + annex, ""))
        parts[-1].annex = True
    return parts


def layout(report: Report) -> PdfLayout:
    """The paper, and for every table (and annex) its columns' widths and font size: the
    configured paper when every table fits on it at 5 pt or more, else A3."""
    tables = [part for table in report.tables for part in _parts(table)]
    papers = [configured_paper(), "A3"]
    for paper in papers:
        usable = PAPERS[paper][1] - 2 * MARGIN_MM
        if all(t.fit(usable) for t in tables):
            return PdfLayout(paper, tables)
    # Wider than A3 even at 5 pt (a history of many years): the columns shrink in proportion
    # and long figures may touch their borders; they still never wrap.
    usable = PAPERS["A3"][1] - 2 * MARGIN_MM
    for t in tables:
        if not t.fit(usable):
            least = MIN_TEXT_MM / (FONT_SIZES[-1] * PT_MM)
            t.fixed_em = [
                em if em is not None else max(least, t.min_em[i]) for i, em in enumerate(t.fixed_em)
            ]
            t.fit(10_000, fonts=FONT_SIZES[-1:])
            scale = usable / t.width_mm
            t.widths_mm = [round(w * scale, 2) for w in t.widths_mm]
    return PdfLayout("A3", tables)
