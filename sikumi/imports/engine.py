"""The import run: header detection, row validation, deduplication and chunked writing.

`run(kind, path, commit=False)` is the preview (nothing written); `commit=True` writes the valid
rows chunk by chunk, in transactions of up to `Importer.rows_per_transaction` rows (one chunk by
default), all records tagged with the batch. Large files are read by the compiled reader when it
is built (`sikumi.imports.fastsheet`, validated column by column) and validated in a forked child.
"""

from __future__ import annotations

import gc
import operator
import os
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import transaction

from sikumi.core.tasks import progress_step
from sikumi.imports import fastsheet
from sikumi.imports.base import Importer, RowContext, get_importer, normalise_header
from sikumi.imports.reader import ReadError, SheetRows

HEADER_SEARCH_ROWS = 10
MAX_ISSUES = 100_000
SAMPLE_ROWS = 20
DB_LOOKUP_SIZE = 500
# Chunks of 2.000 validated rows queued (pickled) between the reading child and the writer.
BUFFERED_CHUNKS = 8


class HeaderError(Exception):
    """The header row or a required column cannot be found; the message is for the user."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _lookup(importer: Importer, mapping: dict[str, str] | None) -> dict[str, str]:
    """Normalised header -> field; a saved mapping wins over synonyms."""
    known = {c.field for c in importer.columns}
    table: dict[str, str] = {}
    for column in importer.columns:
        for key in column.match_keys():
            table.setdefault(key, column.field)
    for header, field_name in (mapping or {}).items():
        if field_name in known:
            table[normalise_header(header)] = field_name
        elif not field_name:  # mapped to nothing: ignore that column
            table[normalise_header(header)] = ""
    return table


def _match(labels: list[str], lookup: dict[str, str]) -> dict[int, str]:
    """Column index -> field for a candidate header row (first column wins)."""
    result: dict[int, str] = {}
    taken: set[str] = set()
    for index, label in enumerate(labels):
        field_name = lookup.get(normalise_header(label))
        if field_name and field_name not in taken:
            result[index] = field_name
            taken.add(field_name)
    return result


def _fill_merged(
    cells: list[str], row_index: int, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[str]:
    filled = list(cells)
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row_index <= r1 and c0 < len(filled):
            value = filled[c0] if row_index == r0 else ""
            for c in range(c0, min(c1 + 1, len(filled))):
                if not filled[c]:
                    filled[c] = value
    return filled


def _combine(top: list[str], bottom: list[str], lookup: dict[str, str]) -> list[str]:
    """Two header rows as one: "Omzet - 2024"; when only one part is known, that part."""
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    # An empty top cell above a filled bottom cell belongs to the group on its left.
    carried = ""
    labels = []
    for t, b in zip(top, bottom, strict=True):
        if t:
            carried = t
        elif b:
            t = carried
        else:
            carried = ""
        if t and b and t != b:
            combined = f"{t} - {b}"
            if normalise_header(combined) in lookup:
                labels.append(combined)
            elif normalise_header(b) in lookup:
                labels.append(b)
            elif normalise_header(t) in lookup:
                labels.append(t)
            else:
                labels.append(combined)
        else:
            labels.append(t or b)
    return labels


def detect_header(
    head: list[tuple[int, list[Any]]],
    lookup: dict[str, str],
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
) -> tuple[int, list[str], dict[int, str]]:
    """(last header row number, labels per column, column index -> field)."""
    merged = merged or []
    texts = [
        (number, _fill_merged([_text(c) for c in cells], number - 1, merged))
        for number, cells in head
    ]
    best: tuple[int, list[str], dict[int, str]] = (0, [], {})
    for i, (number, labels) in enumerate(texts):
        matched = _match(labels, lookup)
        if len(matched) > len(best[2]):
            best = (number, labels, matched)
        # Two-row header: this row with the next one.
        if i + 1 < len(texts) and texts[i + 1][0] == number + 1:
            labels2 = _combine(labels, texts[i + 1][1], lookup)
            matched2 = _match(labels2, lookup)
            if len(matched2) > len(best[2]):
                best = (number + 1, labels2, matched2)
    if not best[2]:
        raise HeaderError(
            "Baris judul kolom tidak ditemukan pada 10 baris pertama. Pastikan judul kolom "
            "seperti pada templat, atau gunakan pemetaan kolom."
        )
    return best


def run(
    kind: str | Importer,
    path: str | Path,
    *,
    commit: bool,
    actor: Any = None,
    batch: Any = None,
    mapping: dict[str, str] | None = None,
    progress_id: int | None = None,
    max_issues: int = MAX_ISSUES,
    reader: SheetRows | None = None,
    parallel: bool | None = None,
    columns: bool | None = None,
) -> dict[str, Any]:
    """Read, validate and (with commit) write a file; returns the report (see README.md)."""
    importer = get_importer(kind) if isinstance(kind, str) else kind
    report: dict[str, Any] = {
        "kind": importer.kind,
        "total_rows": 0,
        "valid_rows": 0,
        "error_rows": 0,
        "duplicate_rows": 0,
        "errors": [],
        "duplicates": [],
        "header_row": None,
        "columns": {},
        "unmatched_headers": [],
        "missing_columns": [],
        "created": {},
        "sample": [],
        "truncated": False,
        "committed": False,
    }
    try:
        rows = reader or SheetRows(path)
    except ReadError as exc:
        report["errors"].append({"row": 0, "column": "", "message": str(exc)})
        report["failed"] = True
        return report
    try:
        _run(
            importer,
            rows,
            report,
            commit,
            actor,
            batch,
            mapping,
            progress_id,
            max_issues,
            parallel,
            columns,
        )
    except (ReadError, HeaderError) as exc:
        report["errors"].append(
            {"row": report["header_row"] or 0, "column": "", "message": str(exc)}
        )
        report["failed"] = True
    finally:
        rows.close()
    return report


def _run(
    importer: Importer,
    rows: SheetRows,
    report: dict[str, Any],
    commit: bool,
    actor: Any,
    batch: Any,
    mapping: dict[str, str] | None,
    progress_id: int | None,
    max_issues: int,
    parallel: bool | None,
    columns: bool | None,
) -> None:
    lookup = _lookup(importer, mapping)
    if columns is None:
        columns = rows.sliced
    sheet = _fast_sheet(rows.path) if columns and importer.validates_columns else None
    stream: Iterator[tuple[int, list[Any]]]
    slices: Iterator[Slice] | None = None
    if sheet is not None:
        try:
            slices, stream = _head_of_slices(sheet)
        except fastsheet.Unsupported:
            sheet.close()
            sheet = None
    if sheet is None:
        stream = iter(rows)
    head: list[tuple[int, list[Any]]] = []
    for item in stream:
        head.append(item)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise HeaderError("Berkas tidak berisi data.")
    header_row, labels, fields = detect_header(head, lookup, rows.merged)
    report["header_row"] = header_row
    report["columns"] = {labels[i]: f for i, f in fields.items()}
    report["unmatched_headers"] = [
        label for i, label in enumerate(labels) if label and i not in fields
    ]
    found = set(fields.values())
    missing = [c.label for c in importer.columns if c.required and c.field not in found]
    if missing:
        report["missing_columns"] = missing
        raise HeaderError("Kolom wajib tidak ditemukan: " + ", ".join(missing))
    headers = {f: labels[i] for i, f in fields.items()}
    pairs = sorted(fields.items())
    importer.prepare()

    def rows_after_header() -> Iterator[tuple[int, list[Any]]]:
        for item in head:
            if item[0] > header_row:
                yield item
        yield from stream

    produced: Iterator[Produced]
    if slices is not None and sheet is not None:
        produced = _validated_columns(
            importer, rows.path, _after(slices, header_row), pairs, headers
        )
    else:
        produced = _validated(importer, rows_after_header(), pairs, headers)
    produced = _deduplicated(importer, produced, headers)
    if parallel is None:
        parallel = rows.sliced and (os.cpu_count() or 1) > 1
    if parallel:
        produced = _in_child(produced)
    estimate = getattr(rows, "total_rows_estimate", 0)
    try:
        with _rare_collections(rows.sliced):
            importer.start(commit=commit, rows_estimate=estimate)
            _consume(
                importer,
                produced,
                report,
                commit,
                actor,
                batch,
                progress_id,
                max_issues,
                headers,
                estimate,
            )
    finally:
        importer.close()
        if sheet is not None:
            sheet.close()


@contextmanager
def _rare_collections(large: bool) -> Iterator[None]:
    """A large import allocates millions of short-lived tuples, and Python's cyclic garbage
    collector runs through every live object each time enough of them pile up (1.000.000 rows:
    4 of the writer's 9 seconds of Python). The rows hold no reference cycles, so for a large
    file the objects that exist already are frozen out of the collections and the collector
    runs a hundred times less often; the reading child, forked inside, inherits both."""
    if not large:
        yield
        return
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 1) * 100, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# (row number, model-ready data as packed by the importer or None, errors, preview or None)
Produced = tuple[int, Any, list[dict[str, Any]], dict[str, Any] | None]


def _validated(
    importer: Importer,
    source: Iterator[tuple[int, list[Any]]],
    pairs: list[tuple[int, str]],
    headers: dict[str, str],
    samples: int = 0,
) -> Iterator[Produced]:
    """(row number, model-ready data or None, errors, preview values or None) per data row."""
    fields = [field_name for _, field_name in pairs]
    indexes = [index for index, _ in pairs]
    last = max(indexes) if indexes else -1
    pick = operator.itemgetter(*indexes) if len(indexes) > 1 else None
    for number, cells in source:
        width = len(cells)
        if pick is not None and width > last:
            picked = pick(cells)
        else:
            picked = tuple(cells[index] if index < width else None for index in indexes)
        values: dict[str, Any] = {}
        empty = True
        for field_name, value in zip(fields, picked, strict=True):
            if value.__class__ is str:
                value = value.strip() or None
            if value is not None:
                empty = False
            values[field_name] = value
        if empty:
            continue
        sample = None
        if samples < SAMPLE_ROWS:
            samples += 1
            sample = importer.sample(values)
        yield _checked(importer, number, values, headers, sample)


def _checked(
    importer: Importer,
    number: int,
    values: dict[str, Any],
    headers: dict[str, str],
    sample: dict[str, Any] | None,
) -> Produced:
    """One row through the importer's `validate` (which gives the messages) and `pack`."""
    context = RowContext(number, headers)
    data = importer.validate(values, context)
    if context.errors or data is None:
        return number, None, context.errors, sample
    return number, importer.pack(data), [], sample


# A slice of rows as the compiled reader gives it: (row numbers, column lists).
Slice = tuple[list[int], list[list[Any]]]


def _fast_sheet(path: str) -> Any:
    """The compiled column reader (`sikumi.imports.fastsheet`) for this file, or None when it is
    not built or the file uses something it does not read (then calamine reads it)."""
    if not fastsheet.available():
        return None
    try:
        return fastsheet.FastSheet(path)
    except fastsheet.Unsupported:
        return None


def _head_of_slices(sheet: Any) -> tuple[Iterator[Slice], Iterator[tuple[int, list[Any]]]]:
    """(every slice, the first rows one by one for the header search); the slices the head
    was taken from are given again by the first iterator."""
    # Texts come stripped, and empty as None, as _validated makes them (done in C).
    source = iter(sheet.slices(strip=True))
    taken: list[Slice] = []
    rows: list[tuple[int, list[Any]]] = []
    for numbers, cells in source:
        taken.append((numbers, cells))
        for i, number in enumerate(numbers[:HEADER_SEARCH_ROWS]):
            rows.append((number, [column[i] for column in cells]))
        if len(rows) >= HEADER_SEARCH_ROWS:
            break

    def again() -> Iterator[Slice]:
        yield from taken
        taken.clear()
        yield from source

    return again(), iter(rows)


def _after(slices: Iterator[Slice], header_row: int) -> Iterator[Slice]:
    """The slices without the rows up to the header."""
    for numbers, cells in slices:
        if numbers and numbers[0] <= header_row:
            keep = next((i for i, n in enumerate(numbers) if n > header_row), len(numbers))
            numbers, cells = numbers[keep:], [column[keep:] for column in cells]
        if numbers:
            yield numbers, cells


def _validated_columns(
    importer: Importer,
    path: str,
    slices: Iterator[Slice],
    pairs: list[tuple[int, str]],
    headers: dict[str, str],
) -> Iterator[Produced]:
    """What `_validated` gives, for a sheet read in column slices: the importer's column-wise
    fast path packs the clean rows, every other row goes through `validate` as usual. Should
    the compiled reader meet something it does not read half-way, calamine reads the rest."""
    samples = 0
    last = 0
    try:
        for numbers, cells in slices:
            count = len(numbers)
            width = len(cells)
            columns: dict[str, list[Any]] = {}
            for index, field_name in pairs:
                if index >= width:
                    columns[field_name] = [None] * count
                    continue
                columns[field_name] = cells[index]  # stripped by the reader
            packed = importer.validate_columns(columns, count)
            for i, data in enumerate(packed):
                number = numbers[i]
                if data is not None and samples >= SAMPLE_ROWS:
                    yield number, data, [], None
                    continue
                values = {field_name: column[i] for field_name, column in columns.items()}
                if all(value is None for value in values.values()):
                    continue
                sample = None
                if samples < SAMPLE_ROWS:
                    samples += 1
                    sample = importer.sample(values)
                if data is not None:
                    yield number, data, [], sample
                    continue
                yield _checked(importer, number, values, headers, sample)
            if numbers:
                last = numbers[-1]
    except fastsheet.Unsupported:
        rows = SheetRows(path)
        try:
            rest = ((n, c) for n, c in rows if n > last)
            yield from _validated(importer, rest, pairs, headers, samples=samples)
        finally:
            rows.close()


def _deduplicated(
    importer: Importer, produced: Iterator[Produced], headers: dict[str, str]
) -> Iterator[Produced]:
    """The rows with those that repeat an earlier row's dedup value (NIB...) in the file turned
    into duplicates: no data, and one entry with ``duplicate_of`` in place of errors. Runs where
    the rows are validated (the reading child of a large import), so the writer only checks the
    database."""
    dedup_keys = importer.dedup_keys
    if not dedup_keys:
        yield from produced
        return
    dedup_value = importer.dedup_value
    labels = [importer.dedup_label(key) for key in dedup_keys]
    columns = [headers.get(key, label) for key, label in zip(dedup_keys, labels, strict=True)]
    seen: list[dict[str | int, int]] = [{} for _ in dedup_keys]
    for item in produced:
        data = item[1]
        if data is None:
            yield item
            continue
        keyed = [dedup_value(key, data) for key in dedup_keys]
        duplicate = None
        for position, value in enumerate(keyed):
            if value is None:
                continue
            first = seen[position].get(_seen_key(value))
            if first is not None:
                duplicate = {
                    "row": item[0],
                    "column": columns[position],
                    "value": value,
                    "message": f"{labels[position]} {value} sama dengan baris {first}",
                    "duplicate_of": first,
                }
                break
        if duplicate is not None:
            yield item[0], None, [duplicate], item[3]
            continue
        for position, value in enumerate(keyed):
            if value is not None:
                seen[position][_seen_key(value)] = item[0]
        yield item


def _in_child(produced: Iterator[Produced], chunk: int = 2000) -> Iterator[Produced]:
    """Run reading and validation in a forked process while this one writes: the two halves
    of an import take about the same time, so a million rows take about half as long.
    Rows travel in pickled chunks through a bounded queue whose feeder thread lives in the
    child (so the child never waits for a chunk to be written, and this process has no second
    thread competing with the database writes); the child touches no database connection."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=BUFFERED_CHUNKS)

    def work() -> None:
        try:
            batch: list[Produced] = []
            for item in produced:
                batch.append(item)
                if len(batch) >= chunk:
                    channel.put(("rows", batch))
                    batch = []
            channel.put(("rows", batch))
            channel.put(("end", None))
        except Exception as exc:  # reported to the parent, which raises it
            channel.put(("error", str(exc)))
        finally:
            channel.close()
            channel.join_thread()

    process = context.Process(target=work, daemon=True)
    process.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=1)
            except queue.Empty:
                if process.is_alive() or not channel.empty():
                    continue
                raise ReadError("Berkas tidak dapat dibaca: proses pembaca berhenti") from None
            if kind == "rows":
                yield from payload
            elif kind == "end":
                break
            else:
                raise ReadError(f"Berkas tidak dapat dibaca: {payload}")
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()


def _seen_key(value: str) -> str | int:
    """The key of a dedup value in the run's memory of values seen: digits (NIB, NIK...) as an
    int (with the length, so "012" and "12" stay apart), half the memory of the text."""
    if len(value) < 19 and value.isascii() and value.isdigit():
        return int(value) * 20 + len(value)
    return value


class _Group:
    """The transaction that several chunks of writes share (`Importer.rows_per_transaction`)."""

    def __init__(self) -> None:
        self.rows = 0
        self._atomic: Any = None

    def begin(self) -> None:
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def commit(self) -> None:
        if self._atomic is not None:
            atomic, self._atomic, self.rows = self._atomic, None, 0
            atomic.__exit__(None, None, None)

    def rollback(self, error: BaseException) -> None:
        if self._atomic is not None:
            atomic, self._atomic, self.rows = self._atomic, None, 0
            atomic.__exit__(type(error), error, error.__traceback__)


def _consume(
    importer: Importer,
    produced: Iterator[Produced],
    report: dict[str, Any],
    commit: bool,
    actor: Any,
    batch: Any,
    progress_id: int | None,
    max_issues: int,
    headers: dict[str, str],
    estimate: int,
) -> None:
    errors: list[dict[str, Any]] = report["errors"]
    duplicates: list[dict[str, Any]] = report["duplicates"]
    sample: list[dict[str, Any]] = report["sample"]
    dedup_keys = importer.dedup_keys
    dedup_value = importer.dedup_value
    # (row number, data, its dedup values in dedup_keys order)
    chunk: list[tuple[int, Any, list[str | None]]] = []
    chunk_size = importer.chunk_size
    created: dict[str, int] = report["created"]
    total = error_rows = duplicate_rows = valid = 0
    group = _Group()

    def flush(pending: list[tuple[int, Any, list[str | None]]]) -> None:
        nonlocal duplicate_rows, valid
        for position, key in enumerate(dedup_keys):
            values = [v for _, _, keyed in pending if (v := keyed[position])]
            if not values:
                continue
            existing: set[str] = set()
            for start in range(0, len(values), DB_LOOKUP_SIZE):
                existing |= importer.existing_keys(key, values[start : start + DB_LOOKUP_SIZE])
            if not existing:
                continue
            kept = []
            label = importer.dedup_label(key)
            for item in pending:
                value = item[2][position]
                if value in existing:
                    duplicate_rows += 1
                    if len(duplicates) < max_issues:
                        duplicates.append(
                            {
                                "row": item[0],
                                "column": headers.get(key, label),
                                "value": value,
                                "message": f"{label} {value} sudah terdaftar",
                                "duplicate_of": None,
                            }
                        )
                    else:
                        report["truncated"] = True
                else:
                    kept.append(item)
            pending = kept
        valid += len(pending)
        if commit and pending:
            if group.rows == 0:
                group.begin()
            counts = importer.write([d for _, d, _ in pending], batch=batch, actor=actor)
            group.rows += len(pending)
            for label, count in counts.items():
                created[label] = created.get(label, 0) + count
            if group.rows >= importer.rows_per_transaction:
                group.commit()
        if group.rows == 0:  # outside a transaction: other sessions see the progress
            progress_step(progress_id, done=total, total=max(estimate, total))

    def consume_rows() -> None:
        nonlocal total, error_rows, duplicate_rows, chunk
        for number, data, row_errors, preview in produced:
            total += 1
            if preview is not None:
                sample.append({"row": number, "values": preview})
            if data is None:
                # An invalid row, or a duplicate of an earlier row (see _deduplicated).
                if row_errors and "duplicate_of" in row_errors[0]:
                    duplicate_rows += 1
                    target = duplicates
                else:
                    error_rows += 1
                    target = errors
                if len(target) < max_issues:
                    target.extend(row_errors)
                else:
                    report["truncated"] = True
                continue
            chunk.append((number, data, [dedup_value(key, data) for key in dedup_keys]))
            if len(chunk) >= chunk_size:
                flush(chunk)
                chunk = []
        if chunk:
            flush(chunk)
        group.commit()

    try:
        consume_rows()
    except BaseException as error:
        group.rollback(error)
        raise
    chunk = []
    if commit:
        importer.finish(batch=batch, actor=actor)
        report["committed"] = True
    report.update(
        total_rows=total, valid_rows=valid, error_rows=error_rows, duplicate_rows=duplicate_rows
    )
    progress_step(progress_id, done=total, total=total)
