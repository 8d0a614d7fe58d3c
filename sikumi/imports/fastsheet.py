"""A fast, constant-memory reader for the first sheet of an XLSX file (C extension ``_sheetscan``).

The sheet XML is decompressed in blocks of a few MB and handed to a byte-level scanner written in
C, which parses the complete ``<row>`` elements of each block into Python values (a row cut by the
end of a block is parsed again with the next one). Rows come in slices, column by column, which is
the shape the importer validates; ``rows()`` gives the same content row by row.

Cell values are exactly those of python-calamine (``CalamineWorkbook.get_sheet_by_index(0)
.to_python()``): str, float (every number, integers included), bool, ``datetime.date`` /
``datetime`` / ``time`` / ``timedelta`` for numbers with a date, time or duration format, ``""``
for error cells and for cell elements without a value. A cell absent from the XML is ``None`` in a
slice (the importer treats ``None`` and ``""`` alike).

With ``strip=True`` (``slices`` and ``rows``), every str value comes as ``v.strip() or None``
would give it (Python's ``str.strip()``, Unicode white space included; ``None`` for an empty or
blank text, ``""`` cells included), done by the scanner at almost no cost: the importer need
not strip the millions of texts of a large file itself. Other values are unchanged.

Whatever the scanner does not read exactly as calamine does (namespace-prefixed elements, unknown
cell types, rows out of order, malformed XML...) raises ``Unsupported``: the caller then reads the
file with calamine. ``Unsupported`` may come while iterating, after some slices were produced.
"""

from __future__ import annotations

import datetime
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sikumi.imports.reader import _first_sheet_path

try:
    from sikumi.imports import _sheetscan
except ImportError:  # not built (no compiler): the importer uses calamine
    _sheetscan = None  # type: ignore[assignment]

SLICE_ROWS = 5000
BLOCK_SIZE = 4 * 1024 * 1024
# A row (or a shared string) larger than this is taken for malformed XML.
MAX_PENDING = 64 * 1024 * 1024
# What reading a damaged archive member raises (bad CRC, corrupt or truncated deflate data).
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)

# Number format kinds passed to the scanner, one byte per cellXfs entry.
_OTHER, _DATETIME, _DURATION = 0, 1, 2
# calamine 0.37's built-in date/time formats, compared as the text of numFmtId as calamine does
# (14-22 and 45-47 everywhere, 27-36 and 50-58 the East Asian locale dates; measured 0-199).
_BUILTIN_KINDS = {
    str(i): _DATETIME for i in (*range(14, 23), *range(27, 37), 45, 47, *range(50, 59))
} | {"46": _DURATION}

_PREFIXED_ROOT = re.compile(rb"<[A-Za-z_][\w.-]*:(?:workbook|worksheet|sst|styleSheet)\b")
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_DIMENSION_REF = re.compile(rb"<dimension\s+ref=\"[A-Za-z]+\d+:[A-Za-z]+(\d+)\"")
_WORKBOOK_PR = re.compile(rb"<workbookPr\b[^>]*>")
_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_NUM_FMTS = re.compile(rb"<(?:\w+:)?numFmts\b[^>]*>(.*?)</(?:\w+:)?numFmts>", re.S)
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?cellXfs>)", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?")
_ISO_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?")


class Unsupported(Exception):
    """The file uses something the fast reader does not handle: read it with calamine."""


def available() -> bool:
    """True when the C extension is built and importable."""
    return _sheetscan is not None


class FastSheet:
    """The first sheet of an XLSX file, read in slices of rows by the C scanner."""

    def __init__(self, path: str | Path, *, block_size: int = BLOCK_SIZE) -> None:
        if _sheetscan is None:
            raise Unsupported("the _sheetscan extension is not built")
        self.path = str(path)
        self.block_size = block_size
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise Unsupported(f"not a readable XLSX file: {exc}") from exc
        try:
            workbook = self._zip.read("xl/workbook.xml")
            if _PREFIXED_ROOT.search(workbook[:4096]):
                raise Unsupported("workbook.xml uses namespace prefixes")
            self._sheet_path = _first_sheet_path(self._zip)
            self._date1904 = _date1904(workbook)
            self._kinds = _format_kinds(self._read_optional("xl/styles.xml"))
            self._strings = self._shared_strings()
            self.total_rows_estimate = self._estimate()
        except BaseException as exc:
            self._zip.close()
            if isinstance(exc, (*_READ_ERRORS, KeyError, ValueError)):
                raise Unsupported(f"cannot read the workbook: {exc}") from exc
            raise

    # -- public API
    def slices(
        self, rows: int = SLICE_ROWS, *, strip: bool = False
    ) -> Iterator[tuple[list[int], list[list[Any]]]]:
        """The sheet in slices of `rows` rows (the last one shorter): ``(numbers, columns)``
        with the Excel row numbers and one list per column (A first), each as long as
        `numbers`; a missing cell is None. With `strip`, a str value ``v`` comes as
        ``v.strip() or None``."""
        assert _sheetscan is not None
        scanner = _sheetscan.Scanner(
            self._strings, self._kinds, self._date1904, _iso_value, rows, strip
        )
        with self._zip.open(self._sheet_path) as stream:
            pending, pos = self._sheet_data_start(stream)
            if pending is None:  # <sheetData/>: an empty sheet
                return
            while True:
                try:
                    pos = scanner.feed(pending, pos)
                except ValueError as exc:  # ScanError, or invalid UTF-8
                    raise Unsupported(f"{self._sheet_path}: {exc}") from exc
                if scanner.count >= rows:
                    yield scanner.take()
                    continue
                if scanner.done:
                    break
                block = _read(stream, self.block_size)
                if not block:
                    raise Unsupported(f"{self._sheet_path}: the XML ends before </sheetData>")
                if len(pending) - pos > MAX_PENDING:
                    raise Unsupported(f"{self._sheet_path}: a row is larger than the limit")
                pending = pending[pos:] + block
                pos = 0
        if scanner.count:
            yield scanner.take()

    def rows(self, *, strip: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """The same content row by row: ``(excel_row_number, cells)``, the cells as wide as the
        widest row of their slice (a missing cell is None); `strip` as in ``slices``."""
        for numbers, columns in self.slices(strip=strip):
            for i, number in enumerate(numbers):
                yield number, [column[i] for column in columns]

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> FastSheet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- workbook parts
    def _read_optional(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except KeyError:
            return b""

    def _shared_strings(self) -> list[str]:
        """xl/sharedStrings.xml parsed by the C scanner, block by block (calamine reads this
        fixed path too)."""
        assert _sheetscan is not None
        strings: list[str] = []
        try:
            stream = self._zip.open("xl/sharedStrings.xml")
        except KeyError:
            return strings
        with stream:
            pending, pos = b"", 0
            first = True
            while True:
                block = _read(stream, self.block_size)
                if first and _PREFIXED_ROOT.search(block[:4096]):
                    raise Unsupported("sharedStrings.xml uses namespace prefixes")
                first = False
                if not block:
                    break
                if len(pending) - pos > MAX_PENDING:
                    raise Unsupported("sharedStrings.xml: a string is larger than the limit")
                pending = pending[pos:] + block
                try:
                    pos = _sheetscan.shared_strings(pending, 0, strings)
                except ValueError as exc:
                    raise Unsupported(f"sharedStrings.xml: {exc}") from exc
            if pending[pos:].strip():
                raise Unsupported("sharedStrings.xml ends inside an element")
        return strings

    def _estimate(self) -> int:
        """Rows announced by the sheet's <dimension ref="A1:T1000001"/> (0 when absent)."""
        with self._zip.open(self._sheet_path) as stream:
            match = _DIMENSION_REF.search(stream.read(4096))
        return int(match.group(1)) if match else 0

    def _sheet_data_start(self, stream: IO[bytes]) -> tuple[bytes | None, int]:
        """Reads the sheet up to <sheetData>: (buffer, position of its first row), or
        (None, 0) for an empty <sheetData/>."""
        head = b""
        while True:
            block = _read(stream, self.block_size)
            head += block
            if _PREFIXED_ROOT.search(head[:4096]):
                raise Unsupported(f"{self._sheet_path} uses namespace prefixes")
            match = _SHEET_DATA.search(head)
            if match:
                if match.group(1):
                    return None, 0
                return head, match.end()
            if not block:
                raise Unsupported(f"{self._sheet_path} has no <sheetData>")
            if len(head) > MAX_PENDING:
                raise Unsupported(f"{self._sheet_path}: no <sheetData> in the first 64 MB")


def _read(stream: IO[bytes], size: int) -> bytes:
    """A block of a decompressing stream; a damaged member raises Unsupported."""
    try:
        return stream.read(size)
    except _READ_ERRORS as exc:
        raise Unsupported(f"damaged archive member: {exc}") from exc


def _date1904(workbook: bytes) -> bool:
    """The workbook's date system: <workbookPr date1904="1"> (or "true"), as calamine reads it."""
    match = _WORKBOOK_PR.search(workbook)
    if not match:
        return False
    attrs = _attributes(match.group(0))
    return attrs.get("date1904") in ("1", "true")


def _attributes(tag: bytes) -> dict[str, str]:
    return {name.decode(): _unescape((dq or sq).decode()) for name, dq, sq in _ATTR.findall(tag)}


def _unescape(text: str) -> str:
    def entity(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _ENTITIES[name]

    return _ENTITY.sub(entity, text) if "&" in text else text


def _format_kinds(styles: bytes) -> bytes:
    """One byte per cellXfs entry of styles.xml: 1 for a date/time number format, 2 for a
    duration, 0 otherwise, by calamine's rules (custom numFmts first, then the built-in ids)."""
    if not styles:
        return b""
    custom: dict[str, str] = {}
    block = _NUM_FMTS.search(styles)
    if block:
        for tag in _NUM_FMT.findall(block.group(1)):
            attrs = _attributes(tag)
            code = attrs.get("formatCode", "")
            if code:
                custom[attrs.get("numFmtId", "")] = code
    kinds = bytearray()
    xfs = _CELL_XFS.search(styles)
    if xfs and xfs.group(1):
        for tag in _XF.findall(xfs.group(1)):
            fmt_id = _attributes(tag).get("numFmtId")
            if fmt_id is None:
                kinds.append(_OTHER)
            elif fmt_id in custom:
                kinds.append(number_format_kind(custom[fmt_id]))
            else:
                kinds.append(_BUILTIN_KINDS.get(fmt_id, _OTHER))
    return bytes(kinds)


def number_format_kind(code: str) -> int:
    """calamine's `detect_custom_number_format`: 1 when the format code shows a date or time,
    2 for an elapsed-time format ([h]:mm...), 0 otherwise (only the first section counts)."""
    escaped = is_quote = hms = ap = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":  # the next character is a literal
            escaped = True
        elif is_quote:
            if ch == '"':
                is_quote = False
        elif ch == '"':
            is_quote = True
        elif ch == ";":
            return _OTHER
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return _DURATION
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ap and brackets == 0:
            ap = True
        elif brackets == 0 and (ch in "pm/PM" if ap else ch in "dmhysDMHYS"):
            return _DATETIME  # after an "a", only a/p or am/pm counts
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return _OTHER


def _iso_value(text: str) -> Any:
    """An ISO 8601 cell (t="d") as python-calamine gives it: date, datetime or time when the text
    is one, else the text itself. Forms calamine's parser might read differently are refused."""
    value = text.strip(" \t\r\n")
    try:
        if match := _ISO_DATETIME.fullmatch(value):
            y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
            if s == 60:
                raise Unsupported(f"leap second in an ISO date: {text!r}")
            micro = int((match.group(7) or "0").ljust(9, "0")[:6])
            return datetime.datetime(y, mo, d, h, mi, s, micro)
        if match := _ISO_DATE.fullmatch(value):
            return datetime.date(*(int(g) for g in match.groups()))
        if match := _ISO_TIME.fullmatch(value):
            h, mi = int(match.group(1)), int(match.group(2))
            s = int(match.group(3) or 0)
            if s == 60:
                raise Unsupported(f"leap second in an ISO time: {text!r}")
            micro = int((match.group(4) or "0").ljust(9, "0")[:6])
            return datetime.time(h, mi, s, micro)
    except ValueError:  # out-of-range fields: calamine keeps the text
        return text
    if any(ch.isdigit() for ch in value):
        raise Unsupported(f"ISO date form not supported: {text!r}")
    return text
