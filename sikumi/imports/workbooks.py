"""The files the import pages hand out, generated from an importer's column declarations:

- the **template** of a kind: one sheet with the declared columns as headers (required ones
  marked with "*"), the declared example row, and a sheet "Petunjuk" explaining each column;
- the **error rows** of a batch: the rows the preview refused, with the template's headers and a
  column "Kesalahan", so the file can be fixed and uploaded again as it is.

Never a hand-kept file: a column added to an importer appears in both at once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

import xlsxwriter
from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from sikumi.core.exports import TEXT, WORKBOOK_OPTIONS, write_cell
from sikumi.imports.base import Column, Importer, text
from sikumi.rules import parsing

ERROR_HEADER = "Kesalahan"
REQUIRED_MARK = " *"
DATE_FORMAT = "dd-mm-yyyy"
DATA_SHEET = "Data"
HELP_SHEET = "Petunjuk"

# What a cell read by one of the shared parsers may hold.
PARSER_HINTS: dict[Callable[[Any], Any], str] = {
    parsing.parse_date: "Tanggal, misalnya 17-08-2026 atau 17 Agustus 2026.",
    parsing.parse_int: "Bilangan bulat, misalnya 12.",
    parsing.parse_number: "Angka; titik pemisah ribuan, koma desimal (1.250.000,50).",
    parsing.parse_yes_no: "Ya atau Tidak.",
    parsing.parse_sex: "L (laki-laki) atau P (perempuan).",
    parsing.parse_phone: "Nomor HP, misalnya 0812-3456-7890.",
    parsing.parse_text_id: "Nomor ditulis sebagai teks, tanpa spasi.",
}


def header(column: Column) -> str:
    """A column's header in the files Sikumi writes: its label, "*" when required (the header
    matching ignores punctuation, so the file reads back as it is)."""
    return column.label + (REQUIRED_MARK if column.required else "")


def _model_field(column: Column) -> models.Field[Any, Any] | None:
    if not column.model_field:
        return None
    app_label, model_name, field_name = column.model_field.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return field if isinstance(field, models.Field) else None


def _is_number(field: models.Field[Any, Any] | None) -> bool:
    return isinstance(field, models.IntegerField | models.DecimalField | models.FloatField)


def describe(column: Column) -> str:
    """What the "Petunjuk" sheet says about a column, from its declaration."""
    field = _model_field(column)
    parts = [column.help] if column.help else []
    if field is not None and field.help_text:
        parts.append(str(field.help_text))
    hint = PARSER_HINTS.get(column.parse)
    if hint is None and field is not None:
        if isinstance(field, models.DateField):
            hint = PARSER_HINTS[parsing.parse_date]
        elif isinstance(field, models.IntegerField):
            hint = PARSER_HINTS[parsing.parse_int]
        elif isinstance(field, models.DecimalField | models.FloatField):
            hint = PARSER_HINTS[parsing.parse_number]
    if hint:
        parts.append(hint)
    if field is not None and field.choices:
        labels = [str(label) for _value, label in field.flatchoices]
        parts.append(_("Pilihan: %(choices)s.") % {"choices": ", ".join(labels)})
    if column.parse is text and isinstance(field, models.CharField) and field.max_length:
        # Stored as written (a parser's output may differ from what the cell holds).
        parts.append(_("Paling banyak %(n)s karakter.") % {"n": field.max_length})
    if not parts and column.parse is text:
        parts.append(_("Teks."))
    if column.required:
        parts.append(_("Wajib diisi."))
    elif column.empty not in (None, ""):
        shown = _empty_shown(field, column.empty)
        parts.append(_("Bila kosong: %(value)s.") % {"value": shown})
    return " ".join(parts)


def _empty_shown(field: models.Field[Any, Any] | None, value: Any) -> str:
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if field is not None and field.choices:
        for choice, label in field.flatchoices:
            if choice == value:
                return str(label)
    return str(value)


def _number_format(column: Column) -> str:
    """Text cells stay text in Excel (a 16-digit NIK typed into a number cell loses digits);
    numbers and dates get their formats."""
    field = _model_field(column)
    if isinstance(field, models.DateField) or column.parse is parsing.parse_date:
        return DATE_FORMAT
    if _is_number(field):
        return "0"
    return TEXT


def _format(workbook: Any, cache: dict[tuple[str, bool], Any], key: str, example: bool) -> Any:
    if (key, example) not in cache:
        style: dict[str, Any] = {"num_format": key}
        if example:
            style.update(italic=True, font_color="#555555")
        cache[(key, example)] = workbook.add_format(style)
    return cache[(key, example)]


def _header_formats(workbook: Any) -> tuple[Any, Any]:
    base = {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
    return (
        workbook.add_format({**base, "bg_color": "#EEF1F4"}),
        workbook.add_format({**base, "bg_color": "#FFE9A8"}),
    )


def _data_sheet(
    workbook: Any, columns: list[Column], extra: list[str], cache: dict[tuple[str, bool], Any]
) -> Any:
    """The first sheet with its header row, each column formatted for what it holds."""
    sheet = workbook.add_worksheet(DATA_SHEET)
    plain, required = _header_formats(workbook)
    for index, column in enumerate(columns):
        fmt = _format(workbook, cache, _number_format(column), False)
        sheet.set_column(index, index, max(14, min(40, len(column.label) + 6)), fmt)
        sheet.write_string(0, index, header(column), required if column.required else plain)
    for offset, title in enumerate(extra):
        index = len(columns) + offset
        sheet.set_column(index, index, 60)
        sheet.write_string(0, index, title, plain)
    sheet.freeze_panes(1, 0)
    return sheet


def _example(column: Column) -> Any:
    """The declared example as the cell shows it (a date as a date)."""
    if not column.example:
        return None
    if isinstance(_model_field(column), models.DateField) or column.parse is parsing.parse_date:
        try:
            return parsing.parse_date(column.example)
        except parsing.ParseError:
            return column.example
    return column.example


def write_template(path: str, importer: Importer) -> None:
    """The template of a kind of import (see the module's docstring)."""
    columns = importer.columns
    workbook = xlsxwriter.Workbook(path, dict(WORKBOOK_OPTIONS))
    cache: dict[tuple[str, bool], Any] = {}
    sheet = _data_sheet(workbook, columns, [], cache)
    for index, column in enumerate(columns):
        fmt = _format(workbook, cache, _number_format(column), True)
        write_cell(sheet, 1, index, _example(column), fmt)
    _help_sheet(workbook, importer)
    workbook.close()


def _help_sheet(workbook: Any, importer: Importer) -> None:
    sheet = workbook.add_worksheet(HELP_SHEET)
    plain, _required = _header_formats(workbook)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True, "font_size": 13})
    sheet.write_string(0, 0, _("Templat impor %(label)s") % {"label": importer.label}, bold)
    notes = [
        _("Isi data mulai baris 3 lembar '%(sheet)s', satu baris per data.")
        % {"sheet": DATA_SHEET},
        _(
            "Kolom bertanda * wajib diisi. Judul kolom jangan diubah; urutan kolom boleh berbeda "
            "dan kolom lain diabaikan."
        ),
        _(
            "Baris 2 adalah contoh pengisian: boleh dibiarkan, baris yang sama persis dengan "
            "contoh tidak diimpor."
        ),
        _("Berkas diperiksa lebih dulu (pratinjau); tidak ada yang disimpan sebelum dikonfirmasi."),
    ]
    for offset, note in enumerate(notes, start=1):
        sheet.write_string(offset, 0, note)
    start = len(notes) + 2
    titles = [_("Kolom"), _("Wajib"), _("Keterangan"), _("Contoh"), _("Ejaan judul lain")]
    widths = [26, 8, 70, 24, 40]
    for index, (title, width) in enumerate(zip(titles, widths, strict=True)):
        sheet.set_column(index, index, width, wrap)
        sheet.write_string(start, index, title, plain)
    for offset, column in enumerate(importer.columns, start=1):
        row = start + offset
        sheet.write_string(row, 0, header(column))
        sheet.write_string(row, 1, _("Ya") if column.required else _("Tidak"))
        sheet.write_string(row, 2, describe(column))
        sheet.write_string(row, 3, column.example)
        sheet.write_string(row, 4, ", ".join(column.synonyms))


def _error_value(value: Any) -> Any:
    """A cell of a refused row as the file had it: long whole numbers (NIK, NIB written as
    numbers) as text, so Excel keeps every digit; an empty cell stays empty."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**11:
        return str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return text(value)


def write_error_rows(
    path: str,
    importer: Importer,
    rows: Iterable[tuple[int, dict[str, Any]]],
    messages: dict[int, list[str]],
) -> int:
    """The refused rows (`rows`: number and cells by field, as read from the batch's file) with
    their messages in "Kesalahan"; returns the number of rows written."""
    columns = importer.columns
    workbook = xlsxwriter.Workbook(path, {**WORKBOOK_OPTIONS, "constant_memory": True})
    cache: dict[tuple[str, bool], Any] = {}
    sheet = _data_sheet(workbook, columns, [ERROR_HEADER], cache)
    formats = [_format(workbook, cache, _number_format(c), False) for c in columns]
    error_format = workbook.add_format({"font_color": "#9C0006", "text_wrap": True})
    count = 0
    for count, (number, cells) in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            value = _error_value(cells.get(column.field))
            fmt = formats[index]
            if isinstance(value, dt.date) and _number_format(column) != DATE_FORMAT:
                fmt = _format(workbook, cache, DATE_FORMAT, False)
            write_cell(sheet, count, index, value, fmt)
        message = "; ".join(messages.get(number, []))
        write_cell(
            sheet,
            count,
            len(columns),
            _("Baris %(row)s: %(message)s") % {"row": number, "message": message},
            error_format,
        )
    workbook.close()
    return count


def temporary_xlsx() -> Any:
    """A temporary file a response streams and closes (deleted then)."""
    return tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)
