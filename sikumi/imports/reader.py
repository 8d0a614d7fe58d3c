"""Reading the first sheet of an XLSX file as a stream of rows, with python-calamine.

python-calamine loads a whole sheet into memory before `iter_rows()` yields the first row: about
90 bytes per cell, so 1.8 GB for a million rows of 20 columns. To keep memory flat, a large sheet is
cut into slices of rows while its XML is being decompressed (a byte-level split on ``</row>``, no
XML parsing in Python); each slice becomes a small in-memory workbook (stored, not compressed, with
the original styles and shared strings) that calamine reads on its own. Small files are read
directly. Either way the caller sees ``(excel_row_number, cells)`` for every row.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

# Sheets whose XML is larger than this are read in slices.
SLICE_THRESHOLD = 48 * 1024 * 1024
SLICE_ROWS = 5000
# The first slice is small: the header is found in the first rows by the importing process,
# which then forks the reading child (see engine._in_child) without holding a large slice.
FIRST_SLICE_ROWS = 100
_BLOCK = 4 * 1024 * 1024

_SHEET_REL = re.compile(rb"<sheet\b[^>]*?r:id=\"([^\"]+)\"")
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_DIMENSION_REF = re.compile(rb"<dimension\s+ref=\"[A-Z]+\d+:[A-Z]+(\d+)\"")
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)


class ReadError(Exception):
    """The file cannot be read as an XLSX workbook; the message is for the user."""


@dataclass(frozen=True)
class Limits:
    """What one import file may hold (settings `SIKUMI_IMPORT_*`): checked before any reader
    allocates by the sheet's own claims, so a small hostile file cannot ask for gigabytes."""

    rows: int
    columns: int
    sheet_bytes: int  # uncompressed sheet XML
    shared_strings: int
    memory: int  # address space the reading child may add

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        mb = 1024 * 1024
        return cls(
            rows=settings.SIKUMI_IMPORT_MAX_ROWS,
            columns=settings.SIKUMI_IMPORT_MAX_COLUMNS,
            sheet_bytes=settings.SIKUMI_IMPORT_MAX_SHEET_MB * mb,
            shared_strings=settings.SIKUMI_IMPORT_MAX_SHARED_STRINGS,
            memory=settings.SIKUMI_IMPORT_READER_MEMORY_MB * mb,
        )


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def column_number(letters: bytes) -> int:
    """1-based column number of Excel column letters (b"A" -> 1, b"XFD" -> 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


# Cell references of two or more letters (every column past Z), and row numbers.
_WIDE_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,})\d+"')
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')


def check_extent(xml: bytes, limits: Limits) -> None:
    """Refuse sheet XML whose rows or cells lie beyond the import's limits: calamine sizes
    its table by the farthest cell (one cell at XFD1048576 asks for 512 GiB)."""
    for match in _WIDE_REF.finditer(xml):
        if column_number(match.group(1)) > limits.columns:
            raise ReadError(
                f"Berkas memuat sel di kolom {match.group(1).decode()}, di luar batas "
                f"{_n(limits.columns)} kolom. Hapus isi dan format sel di luar tabel data, "
                "atau salin tabel ke berkas baru."
            )
    last = xml.rfind(b"<row ")
    row = _ROW_NUMBER.match(xml, last) if last != -1 else None
    if row and int(row.group(1)) > limits.rows + HEADER_ALLOWANCE:
        raise ReadError(
            f"Berkas memuat lebih dari {_n(limits.rows)} baris data (baris terakhir "
            f"{_n(int(row.group(1)))}). Bagi berkas menjadi beberapa berkas."
        )


# Rows above the data (title, header) allowed beside the row limit.
HEADER_ALLOWANCE = 20


def open_rows(path: str | Path, **options: Any) -> SheetRows | CsvRows:
    """The reader for a file: CSV (standard library) by its name, XLSX otherwise."""
    if str(path).lower().endswith(".csv"):
        return CsvRows(path, limits=options.get("limits"))
    return SheetRows(path, **options)


class CsvRows:
    """Iterable of ``(line_number, cells)`` over a CSV file as Excel writes it: UTF-8 (with or
    without BOM) or Windows-1252, separated by semicolons (Excel in Indonesian) or commas,
    detected from the first lines. Cells are text, read as the import reads text cells."""

    sliced = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    total_rows_estimate = 0

    def __init__(self, path: str | Path, *, limits: Limits | None = None):
        self.path = str(path)
        self.limits = limits or Limits.from_settings()
        self.reader_memory_limit = self.limits.memory
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(64 * 1024)
        except OSError as exc:
            raise ReadError("Berkas CSV tidak dapat dibaca.") from exc
        if b"\x00" in head:
            raise ReadError("Berkas ini bukan berkas CSV (teks).")
        try:
            head.decode("utf-8")
            self.encoding = "utf-8-sig"
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the block's end
                self.encoding = "cp1252"
            else:
                self.encoding = "utf-8-sig"
        sample = head.decode(self.encoding, errors="replace")
        self.delimiter = ";" if sample.count(";") > sample.count(",") else ","

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        import csv

        limits = self.limits
        try:
            with open(self.path, encoding=self.encoding, errors="replace", newline="") as stream:
                for number, cells in enumerate(csv.reader(stream, delimiter=self.delimiter), 1):
                    if number > limits.rows + HEADER_ALLOWANCE:
                        raise ReadError(
                            f"Berkas memuat lebih dari {_n(limits.rows)} baris data. Bagi berkas "
                            "menjadi beberapa berkas."
                        )
                    if len(cells) > limits.columns:
                        raise ReadError(
                            f"Baris {number} memuat {_n(len(cells))} kolom; batasnya "
                            f"{_n(limits.columns)}."
                        )
                    yield number, cells
        except csv.Error as exc:
            raise ReadError(f"Berkas CSV rusak: {exc}") from exc

    def close(self) -> None:
        """Nothing held open between reads."""


class SheetRows:
    """Iterable of ``(excel_row_number, cells)`` over the first sheet; ``merged`` holds the
    merged cell ranges of the top of the sheet (0-based ``((r0, c0), (r1, c1))``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        slice_rows: int = SLICE_ROWS,
        threshold: int = SLICE_THRESHOLD,
        limits: Limits | None = None,
    ):
        self.path = str(path)
        self.slice_rows = slice_rows
        self.limits = limits or Limits.from_settings()
        self.reader_memory_limit = self.limits.memory
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._sheet_path = _first_sheet_path(self._zip)
            size = self._zip.getinfo(self._sheet_path).file_size
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ReadError("Berkas tidak dapat dibaca sebagai XLSX (Excel 2007 ke atas).") from exc
        self._check_sizes(size)
        self.sliced = size > threshold
        self.total_rows_estimate = self._estimate()

    def _check_sizes(self, sheet_size: int) -> None:
        """Uncompressed sheet and shared strings within the limits (zip bombs, string floods)."""
        limits = self.limits
        if sheet_size > limits.sheet_bytes:
            raise ReadError(
                f"Lembar kerja terlalu besar ({_n(sheet_size // (1024 * 1024))} MB setelah "
                f"diekstrak; batas {_n(limits.sheet_bytes // (1024 * 1024))} MB). Bagi berkas "
                "menjadi beberapa berkas."
            )
        try:
            info = self._zip.getinfo("xl/sharedStrings.xml")
        except KeyError:
            return
        # A shared string takes at least `<si><t/></si>` (12 bytes) of XML.
        if info.file_size > limits.shared_strings * 64:
            raise ReadError("Berkas memuat teks terlalu banyak untuk diimpor. Bagi berkas.")
        with self._zip.open(info) as stream:
            head = stream.read(1024)
        match = re.search(rb'uniqueCount="(\d+)"', head) or re.search(rb'count="(\d+)"', head)
        if match and int(match.group(1)) > limits.shared_strings:
            raise ReadError(
                f"Berkas memuat {_n(int(match.group(1)))} teks berbeda; batasnya "
                f"{_n(limits.shared_strings)}. Bagi berkas menjadi beberapa berkas."
            )

    def _estimate(self) -> int:
        """Rows announced by the sheet's <dimension ref="A1:T1000001"/> (0 when absent)."""
        with self._zip.open(self._sheet_path) as stream:
            match = _DIMENSION_REF.search(stream.read(4096))
        return int(match.group(1)) if match else 0

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        if self.sliced:
            yield from self._sliced_rows()
        else:
            yield from self._direct_rows()

    def close(self) -> None:
        self._zip.close()

    # -- small files: the whole sheet at once
    def _direct_rows(self) -> Iterator[tuple[int, list[Any]]]:
        xml = self._zip.read(self._sheet_path)
        check_extent(xml, self.limits)
        if _dimension_too_large(xml, self.limits):
            # A stale <dimension> far beyond the data (whole formatted rows): read without it.
            yield from self._sliced_rows()
            return
        del xml
        try:
            workbook = CalamineWorkbook.from_path(self.path)
            sheet = workbook.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types
            raise ReadError(f"Berkas tidak dapat dibaca: {exc}") from exc
        self.merged = list(sheet.merged_cell_ranges or [])
        start = sheet.start
        if start is None:
            return
        # iter_rows() yields every row from the top of the sheet, but its cells begin at the
        # first used column.
        pad = [""] * start[1]
        for offset, cells in enumerate(sheet.iter_rows()):
            yield offset + 1, (pad + cells if pad else cells)
        workbook.close()

    # -- large files: slices of rows
    def _sliced_rows(self) -> Iterator[tuple[int, list[Any]]]:
        parts = {
            info.filename: self._zip.read(info.filename)
            for info in self._zip.infolist()
            if not info.filename.startswith("xl/worksheets/") or info.filename.endswith(".rels")
        }
        others = [
            info.filename
            for info in self._zip.infolist()
            if info.filename.startswith("xl/worksheets/")
            and info.filename.endswith(".xml")
            and info.filename != self._sheet_path
        ]
        for prefix, body, suffix in _slices(self._zip, self._sheet_path, self.slice_rows):
            for piece in body:
                check_extent(piece, self.limits)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
                for name, data in parts.items():
                    out.writestr(name, data)
                for name in others:
                    out.writestr(name, _EMPTY_SHEET)
                # Written in pieces: no joined copy of the slice's rows.
                with out.open(self._sheet_path, "w") as sheet_xml:
                    sheet_xml.write(prefix)
                    for piece in body:
                        sheet_xml.write(piece)
                    sheet_xml.write(suffix)
            del body
            buffer.seek(0)
            try:
                workbook = CalamineWorkbook.from_filelike(buffer)
                sheet = workbook.get_sheet_by_index(0)
            except Exception as exc:
                raise ReadError(f"Berkas tidak dapat dibaca: {exc}") from exc
            if not self.merged:
                self.merged = list(sheet.merged_cell_ranges or [])
            start = sheet.start
            if start is not None:
                # A slice's rows start far down the sheet: take only its used area.
                first = start[0] + 1
                pad = [""] * start[1]
                for offset, cells in enumerate(sheet.to_python(skip_empty_area=True)):
                    yield first + offset, (pad + cells if pad else cells)
            workbook.close()
            del sheet, workbook, buffer


def _dimension_too_large(xml: bytes, limits: Limits) -> bool:
    match = _DIMENSION_FULL.search(xml, 0, 4096)
    if not match:
        return False
    return (
        column_number(match.group(1)) > limits.columns
        or int(match.group(2)) > limits.rows + HEADER_ALLOWANCE
    )


_DIMENSION_FULL = re.compile(rb"<dimension\s+ref=\"[A-Z]+\d+:([A-Z]+)(\d+)\"")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = archive.read("xl/workbook.xml")
    match = _SHEET_REL.search(workbook)
    rels = archive.read("xl/_rels/workbook.xml.rels")
    if match:
        for rel in _REL.findall(rels):
            attrs = dict(_ATTR.findall(rel))
            if attrs.get(b"Id") == match.group(1):
                target = attrs[b"Target"].decode()
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _slices(
    archive: zipfile.ZipFile, sheet_path: str, slice_rows: int
) -> Iterator[tuple[bytes, list[bytes], bytes]]:
    """Cut the sheet XML into (prefix, rows, suffix) pieces of about `slice_rows` rows; the rows
    come as a list of byte blocks, each ending on a ``</row>``."""
    with archive.open(sheet_path) as stream:
        head = b""
        while b"<sheetData" not in head:
            block = stream.read(_BLOCK)
            if not block:
                return
            head += block
        start = head.index(b"<sheetData")
        close = head.index(b">", start)
        if head[close - 1 : close] == b"/":  # <sheetData/>: an empty sheet
            return
        prefix = _DIMENSION.sub(b"", head[: close + 1])
        pending = head[close + 1 :]
        suffix = b"</sheetData></worksheet>"
        rows: list[bytes] = []
        count = 0
        limit = min(slice_rows, FIRST_SLICE_ROWS)
        finished = False
        while True:
            if not finished:
                block = stream.read(_BLOCK)
                if block:
                    pending += block
                else:
                    finished = True
            if limit < slice_rows:  # the first slice: cut after `limit` rows
                end = -1
                for _ in range(limit - count):
                    end = pending.find(b"</row>", end + 1)
                    if end == -1:
                        break
                if end == -1:
                    end = pending.rfind(b"</row>")
                    if end == -1:
                        if finished:
                            break
                        continue
            else:
                end = pending.rfind(b"</row>")
                if end == -1:
                    if finished:
                        break
                    continue
            end += len(b"</row>")
            complete, pending = pending[:end], pending[end:]
            rows.append(complete)
            count += complete.count(b"</row>")
            if count >= limit:
                yield prefix, rows, suffix
                rows, count, limit = [], 0, slice_rows
        if rows:
            yield prefix, rows, suffix
