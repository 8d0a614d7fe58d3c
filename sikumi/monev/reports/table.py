"""A report as plain data (titles, multi-row headers, cells), rendered alike as a page, an XLSX
workbook and a PDF. Cells keep their numbers; display text is Indonesian (1.234,56)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sikumi.rules.formatting import format_number, format_percent, format_rupiah

if TYPE_CHECKING:
    from sikumi.monev.reports.layout import PdfLayout

TEXT, NUMBER, MONEY, PERCENT = "text", "number", "money", "percent"


def display(value: Any, kind: str = TEXT, decimals: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, str) or kind == TEXT:
        return str(value)
    if kind == MONEY:
        return format_rupiah(value)
    if kind == PERCENT:
        return format_percent(value, decimals)
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else decimals
    return format_number(number, places)


@dataclass
class Cell:
    value: Any = None
    kind: str = TEXT
    decimals: int = 2
    #: the figure the source document printed, when it differs from ``value``
    printed: Any = None
    printed_kind: str | None = None
    flag: str = ""  # a short warning shown next to the value (e.g. "melebihi pagu")
    where: str = ""  # what the cell is, for footnotes ("Presentase Koperasi Aktif, rasio 2016")
    link: str = ""  # a page explaining the cell (the plan checker's finding), shown on the page

    @property
    def text(self) -> str:
        return display(self.value, self.kind, self.decimals)

    @property
    def printed_text(self) -> str:
        if self.printed is None:
            return ""
        return display(self.printed, self.printed_kind or self.kind, self.decimals)

    @property
    def differs(self) -> bool:
        return self.printed is not None

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT and not isinstance(self.value, str)


@dataclass
class Head:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    level: str = "item"  # group / item / total
    example: bool = False


@dataclass
class Table:
    title: str
    header: list[list[Head]]
    rows: list[Row] = field(default_factory=list)
    widths: Sequence[float] = field(default_factory=list)
    note: str = ""
    #: columns the PDF prints in a second table after this one (checks that are not part of
    #: the form), each row keyed by the ``annex_keys`` columns
    annex: Sequence[int] = ()
    annex_keys: Sequence[int] = ()
    annex_title: str = ""

    @property
    def columns(self) -> int:
        return sum(h.colspan for h in self.header[0]) if self.header else 0

    def header_grid(self) -> list[tuple[int, int, Head]]:
        """(row, column, head) of every header cell, laid out like an HTML table."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, heads in enumerate(self.header):
            c = 0
            for head in heads:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, head))
                for dr in range(head.rowspan):
                    for dc in range(head.colspan):
                        taken.add((r + dr, c + dc))
                c += head.colspan
        return out


@dataclass
class Report:
    name: str
    title: str
    subtitle: str = ""
    tables: list[Table] = field(default_factory=list)
    example: bool = False
    notes: list[str] = field(default_factory=list)

    def footnotes(self) -> list[tuple[int, Table, Row, Cell]]:
        """Every cell whose printed figure differs, numbered in reading order."""
        out = []
        n = 0
        for table in self.tables:
            for row in table.rows:
                for cell in row.cells:
                    if cell.differs:
                        n += 1
                        out.append((n, table, row, cell))
        return out

    def number_footnotes(self) -> None:
        for n, _table, _row, cell in self.footnotes():
            cell.footnote = n  # type: ignore[attr-defined]
        self.__dict__.pop("pdf", None)

    @cached_property
    def pdf(self) -> PdfLayout:
        """Paper, column widths and font sizes of the PDF (`layout.py`)."""
        from sikumi.monev.reports.layout import layout

        return layout(self)
