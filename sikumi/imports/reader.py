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


class SheetRows:
    """Iterable of ``(excel_row_number, cells)`` over the first sheet; ``merged`` holds the
    merged cell ranges of the top of the sheet (0-based ``((r0, c0), (r1, c1))``)."""

    def __init__(
        self, path: str | Path, *, slice_rows: int = SLICE_ROWS, threshold: int = SLICE_THRESHOLD
    ):
        self.path = str(path)
        self.slice_rows = slice_rows
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._sheet_path = _first_sheet_path(self._zip)
            size = self._zip.getinfo(self._sheet_path).file_size
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ReadError("Berkas tidak dapat dibaca sebagai XLSX (Excel 2007 ke atas).") from exc
        self.sliced = size > threshold
        self.total_rows_estimate = self._estimate()

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
