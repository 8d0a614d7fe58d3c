"""The import run: header detection, row validation, deduplication and chunked writing.

`run(kind, path, commit=False)` is the preview (nothing written); `commit=True` writes the valid
rows chunk by chunk, each chunk in its own transaction, all records tagged with the batch.
"""

from __future__ import annotations

import operator
import os
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

from sikumi.core.tasks import progress_step
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
            importer, rows, report, commit, actor, batch, mapping, progress_id, max_issues, parallel
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
) -> None:
    lookup = _lookup(importer, mapping)
    stream: Iterator[tuple[int, list[Any]]] = iter(rows)
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

    produced = _validated(importer, rows_after_header(), pairs, headers)
    if parallel is None:
        parallel = rows.sliced and (os.cpu_count() or 1) > 1
    if parallel:
        produced = _in_child(produced)
    estimate = getattr(rows, "total_rows_estimate", 0)
    try:
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


# (row number, model-ready data as packed by the importer or None, errors, preview or None)
Produced = tuple[int, Any, list[dict[str, Any]], dict[str, Any] | None]


def _validated(
    importer: Importer,
    source: Iterator[tuple[int, list[Any]]],
    pairs: list[tuple[int, str]],
    headers: dict[str, str],
) -> Iterator[Produced]:
    """(row number, model-ready data or None, errors, preview values or None) per data row."""
    samples = 0
    validate = importer.validate
    pack = importer.pack
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
        context = RowContext(number, headers)
        data = validate(values, context)
        if context.errors or data is None:
            yield number, None, context.errors, sample
        else:
            yield number, pack(data), [], sample


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
    seen: list[dict[str | int, int]] = [{} for _ in dedup_keys]
    # (row number, data, its dedup values in dedup_keys order)
    chunk: list[tuple[int, Any, list[str | None]]] = []
    chunk_size = importer.chunk_size
    created: dict[str, int] = report["created"]
    total = error_rows = duplicate_rows = valid = 0

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
            with transaction.atomic():
                counts = importer.write([d for _, d, _ in pending], batch=batch, actor=actor)
            for label, count in counts.items():
                created[label] = created.get(label, 0) + count
        progress_step(progress_id, done=total, total=max(estimate, total))

    for number, data, row_errors, preview in produced:
        total += 1
        if preview is not None:
            sample.append({"row": number, "values": preview})
        if data is None:
            error_rows += 1
            if len(errors) < max_issues:
                errors.extend(row_errors)
            else:
                report["truncated"] = True
            continue
        keyed = [dedup_value(key, data) for key in dedup_keys]
        duplicate = False
        for position, value in enumerate(keyed):
            if value is None:
                continue
            first = seen[position].get(_seen_key(value))
            if first is not None:
                duplicate = True
                duplicate_rows += 1
                key = dedup_keys[position]
                label = importer.dedup_label(key)
                if len(duplicates) < max_issues:
                    duplicates.append(
                        {
                            "row": number,
                            "column": headers.get(key, label),
                            "value": value,
                            "message": f"{label} {value} sama dengan baris {first}",
                            "duplicate_of": first,
                        }
                    )
                else:
                    report["truncated"] = True
                break
        if duplicate:
            continue
        for position, value in enumerate(keyed):
            if value is not None:
                seen[position][_seen_key(value)] = number
        chunk.append((number, data, keyed))
        if len(chunk) >= chunk_size:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    chunk = []
    seen.clear()  # before `finish`, which may build indexes: the memory goes to that
    if commit:
        importer.finish(batch=batch, actor=actor)
        report["committed"] = True
    report.update(
        total_rows=total, valid_rows=valid, error_rows=error_rows, duplicate_rows=duplicate_rows
    )
    progress_step(progress_id, done=total, total=total)
