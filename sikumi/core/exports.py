"""Streaming XLSX export of any list: rows are written one at a time with xlsxwriter's
constant-memory mode to a temporary file, which is then streamed to the browser. Memory stays
flat for a million rows; numbers stay numbers with Indonesian display formats.

Text is always written as text (`write_cell`, `WORKBOOK_OPTIONS`): xlsxwriter's `write()` turns
a string starting with "=" into a live formula and one starting with "http" into a link, so a
cooperative named "=HYPERLINK(...)" would run in the reader's spreadsheet (formula injection).
Every XLSX writer of Sikumi goes through these two."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse

NUMBER = "#,##0"
DECIMAL = "#,##0.00"
RUPIAH = '"Rp "#,##0'
PERCENT = '0.00"%"'
DATE = "d mmmm yyyy"
TEXT = "@"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    num_format: str | None = None
    width: float = 16


# For every xlsxwriter.Workbook of Sikumi: strings are never read as formulas, numbers or links.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """One cell by the type of its value: text as text (never a formula), numbers as numbers,
    dates as dates, nothing for None."""
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


#: xlsxwriter paper codes of SIKUMI_PAPER_SIZE (14: Folio 8,5 x 13 in, what offices call F4)
PAPER_CODES = {"A4": 9, "F4": 14}
_HEADER_MAX = 255  # Excel refuses a longer page header


def print_setup(
    ws: Any, *, repeat: tuple[int, int] | None = None, header_lines: Sequence[str] = ()
) -> None:
    """Page setup of every wide XLSX export, so that it prints readably: landscape on the
    configured paper (``SIKUMI_PAPER_SIZE``), fitted to the page width but as many pages tall as
    needed (one page for everything would shrink a long list to nothing), the ``repeat`` rows
    (first, last) on every page, small margins, "Halaman X dari Y" at the foot and, for
    official outputs, the letterhead lines as the page header."""
    from sikumi.core.pdf import configured_paper

    ws.set_landscape()
    ws.set_paper(PAPER_CODES[configured_paper()])
    ws.fit_to_pages(1, 0)
    lines = [line.replace("&", "&&") for line in header_lines if line]
    while lines and len("&C" + "\n".join(lines)) > _HEADER_MAX:
        lines.pop()
    top = 0.4 + 0.17 * len(lines)  # inches: room for the header lines above the table
    ws.set_margins(left=0.25, right=0.25, top=top, bottom=0.5)
    if lines:
        ws.set_header(
            "&C&B" + lines[0] + "&B" + "".join("\n" + x for x in lines[1:]), {"margin": 0.2}
        )
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_footer("&CHalaman &P dari &N", {"margin": 0.2})


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(
    path: str,
    columns: list[Column],
    rows: Iterable[Any],
    *,
    sheet: str = "Data",
    title: str | None = None,
    note: str | None = None,
) -> int:
    """Write rows to `path`; returns the number of data rows."""
    workbook = xlsxwriter.Workbook(
        path, {**WORKBOOK_OPTIONS, "constant_memory": True, "default_date_format": DATE}
    )
    ws = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format(
        {"bold": True, "bg_color": "#EEF1F4", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    formats = {
        c.num_format: workbook.add_format({"num_format": c.num_format})
        for c in columns
        if c.num_format
    }
    r = 0
    if title:
        ws.write_string(r, 0, title, workbook.add_format({"bold": True, "font_size": 13}))
        r += 1
    if note:
        ws.write_string(r, 0, note)
        r += 1
    if title or note:
        r += 1
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(r, c, str(column.header), bold)
    ws.freeze_panes(r + 1, 0)
    print_setup(ws, repeat=(r, r))
    count = 0
    for row in rows:
        r += 1
        count += 1
        for c, column in enumerate(columns):
            value = _cell(column.value(row))
            if value is None or value == "":
                continue
            fmt = formats.get(column.num_format) if column.num_format else None
            write_cell(ws, r, c, str(value) if column.num_format == TEXT else value, fmt)
    workbook.close()
    return count


def xlsx_response(
    filename: str, columns: list[Column], rows: Iterable[Any], **kwargs: Any
) -> FileResponse:
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)  # noqa: SIM115 - streamed, closed by response
    write_xlsx(tmp.name, columns, rows, **kwargs)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
