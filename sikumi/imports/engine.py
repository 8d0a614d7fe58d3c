"""The import run: header detection, row validation, deduplication and chunked writing.

`run(kind, path, commit=False)` is the preview (nothing written); `commit=True` writes the valid
rows chunk by chunk, in transactions of up to `Importer.rows_per_transaction` rows (one chunk by
default), all records tagged with the batch. The sheet is read with python-calamine
(`reader.SheetRows`, in slices for a large sheet) and validated in a forked child process, which
touches no database: a file that makes the reader crash or run out of memory ends only that
child, and the writer keeps the database busy meanwhile.
"""

from __future__ import annotations

import gc
import itertools
import operator
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction

from sikumi.core.tasks import progress_step
from sikumi.imports.base import Importer, RowContext, get_importer, normalise_header, text
from sikumi.imports.reader import CsvRows, ReadError, SheetRows, open_rows

HEADER_SEARCH_ROWS = 10
MAX_ISSUES = 100_000
SAMPLE_ROWS = 20
DB_LOOKUP_SIZE = 500
# Chunks of 2.000 validated rows queued (pickled) between the reading child and the writer.
BUFFERED_CHUNKS = 8
# People whose attributes a run keeps to show both sides of a conflict within the file (beyond
# this, a conflict names the earlier row only: memory stays bounded for a million people).
REMEMBERED_PEOPLE = 20_000
ROW_BITS = 24  # Excel's 1.048.576 rows fit
ROW_MASK = (1 << ROW_BITS) - 1


class HeaderError(Exception):
    """The header row or a required column cannot be found; the message is for the user."""


@dataclass(frozen=True)
class Decision:
    """What a user decided for a conflict row of the preview (same person / other NIK / skip)."""

    SAME = "same"  # the same person: write the row to the existing person, and update them
    FIX = "fix"  # a different person: the row's identifying number corrected to `value`
    SKIP = "skip"  # not imported

    action: str
    value: str = ""


@dataclass
class Options:
    """How one run goes: preview or commit, for whom, into which batch, with which mapping."""

    commit: bool = False
    actor: Any = None
    batch: Any = None
    mapping: dict[str, str] | None = None
    progress_id: int | None = None
    max_issues: int = MAX_ISSUES
    # Conflict decisions by Excel row number (see Decision).
    decisions: dict[int, Decision] = field(default_factory=dict)
    # Read and validate in a forked child (default: yes, on a platform that forks).
    parallel: bool = True


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
        (number, _fill_merged(["" if c is None else text(c) for c in cells], number - 1, merged))
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


def empty_report(kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "total_rows": 0,
        "valid_rows": 0,
        "error_rows": 0,
        "duplicate_rows": 0,
        "conflict_rows": 0,
        "errors": [],
        "duplicates": [],
        "conflicts": [],
        "header_row": None,
        "columns": {},
        "unmatched_headers": [],
        "missing_columns": [],
        "created": {},
        "sample": [],
        "truncated": False,
        "committed": False,
    }


def run(
    kind: str | Importer,
    path: str | Path,
    options: Options | None = None,
    *,
    reader: SheetRows | CsvRows | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """Read, validate and (with `options.commit`) write a file; returns the report (README).
    The options may be given as keywords too: `run(kind, path, commit=True, batch=batch)`."""
    options = options or Options(**settings)
    importer = get_importer(kind) if isinstance(kind, str) else kind
    report = empty_report(importer.kind)
    try:
        rows = reader or open_rows(path)
    except ReadError as exc:
        report["errors"].append({"row": 0, "column": "", "message": str(exc)})
        report["failed"] = True
        return report
    try:
        _run(importer, rows, report, options)
    except (ReadError, HeaderError) as exc:
        report["errors"].append(
            {"row": report["header_row"] or 0, "column": "", "message": str(exc)}
        )
        report["failed"] = True
    finally:
        rows.close()
    return report


class Produced(NamedTuple):
    """One data row after validation: its number, the packed data of a valid row (None
    otherwise), its errors (or its one duplicate/conflict entry) and its preview values."""

    number: int
    data: Any
    issues: list[dict[str, Any]]
    preview: dict[str, Any] | None


def _run(
    importer: Importer, rows: SheetRows | CsvRows, report: dict[str, Any], options: Options
) -> None:
    lookup = _lookup(importer, options.mapping)
    # The head is read where the rows are (a child process): a file that crashes the reader
    # never takes this process (the worker) with it.
    head: list[tuple[int, list[Any]]] = []
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    source = _head_of(rows)
    for kind, item in _in_child(source, rows.reader_memory_limit) if options.parallel else source:
        if kind == "row":
            head.append(item)
        else:
            merged = item
    if not head:
        raise HeaderError("Berkas tidak berisi data.")
    header_row, labels, fields = detect_header(head, lookup, merged)
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
    importer.prepare()

    def rows_after_header() -> Iterator[tuple[int, list[Any]]]:
        # Read again from the top (where the rows are validated): the head is a few rows.
        for item in rows:
            if item[0] > header_row:
                yield item

    produced = _validated(importer, rows_after_header(), sorted(fields.items()), headers, options)
    produced = _deduplicated(importer, produced, headers, options)
    if options.parallel:
        produced = _in_child(produced, rows.reader_memory_limit)
    estimate = rows.total_rows_estimate
    try:
        with _rare_collections(rows.sliced):
            importer.start(commit=options.commit, rows_estimate=estimate)
            _consume(importer, produced, report, options, headers, estimate)
    finally:
        importer.close()


def _head_of(rows: SheetRows | CsvRows) -> Iterator[tuple[str, Any]]:
    """The first rows of the sheet (for the header search), then its merged cells."""
    for item in itertools.islice(rows, HEADER_SEARCH_ROWS):
        yield "row", item
    yield "merged", rows.merged


@contextmanager
def _rare_collections(large: bool) -> Iterator[None]:
    """A large import allocates millions of short-lived objects, and Python's cyclic garbage
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


def _validated(
    importer: Importer,
    source: Iterator[tuple[int, list[Any]]],
    pairs: list[tuple[int, str]],
    headers: dict[str, str],
    options: Options,
) -> Iterator[Produced]:
    """Each non-blank data row through the importer's `validate` (the columns' declarations)
    and `pack`."""
    fields = [field_name for _, field_name in pairs]
    indexes = [index for index, _ in pairs]
    last = max(indexes) if indexes else -1
    pick = operator.itemgetter(*indexes) if len(indexes) > 1 else None
    fixes = {
        number: decision.value
        for number, decision in options.decisions.items()
        if decision.action == Decision.FIX
    }
    samples = 0
    example = _example_row(importer, fields)
    # One field of the example, compared first (cheap, and false for every real row).
    probe, probe_value = next(iter(example.items())) if example else ("", "")
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
        if example is not None:
            cell = values[probe]
            if (
                cell is not None
                and (cell == probe_value if cell.__class__ is str else text(cell) == probe_value)
                and _is_example(values, example)
            ):
                continue
        if fixes and number in fixes:
            importer.apply_fix(values, fixes[number])
        sample = None
        if samples < SAMPLE_ROWS:
            samples += 1
            sample = importer.sample(values)
        context = RowContext(number, headers)
        data = importer.validate(values, context)
        if context.errors or data is None:
            yield Produced(number, None, context.errors, sample)
        else:
            yield Produced(number, importer.pack(data), [], sample)


def _example_row(importer: Importer, fields: list[str]) -> dict[str, str] | None:
    """The template's example row (`Column.example`) as cells of the matched columns, or None
    when the file's columns do not carry every declared example (nothing can be the example)."""
    from sikumi.rules.parsing import parse_date

    # Dates last: the first entry is compared first, and a date cell is no text.
    declared = sorted(
        (c for c in importer.columns if c.example), key=lambda c: c.parse is parse_date
    )
    example = {c.field: c.example for c in declared}
    if not example or not set(example) <= set(fields):
        return None
    return example


def _is_example(values: dict[str, Any], example: dict[str, str]) -> bool:
    """A row exactly as the template's example (left in a filled template): not imported."""
    for field_name, value in values.items():
        wanted = example.get(field_name)
        if wanted is None:
            if value is not None:
                return False
        elif (value is None or text(value) != wanted) and not _same_date(value, wanted):
            return False
    return True


def _same_date(value: Any, wanted: str) -> bool:
    """A date cell of the example row (the template writes dates as dates)."""
    import datetime as dt

    from sikumi.rules.parsing import ParseError, parse_date

    if not isinstance(value, dt.date | float | int) or isinstance(value, bool):
        return False
    try:
        return parse_date(value) == parse_date(wanted)
    except ParseError:
        return False


def read_rows(
    importer: Importer, path: str | Path, mapping: dict[str, str] | None, numbers: set[int]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The cells (by field, as the preview matched the headers) of the rows numbered
    `numbers`, read in a child process as every read of an uploaded file is."""
    rows = open_rows(path)
    try:
        head: list[tuple[int, list[Any]]] = []
        merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for kind, item in _in_child(_head_of(rows), rows.reader_memory_limit):
            if kind == "row":
                head.append(item)
            else:
                merged = item
        _header_row, _labels, fields = detect_header(head, _lookup(importer, mapping), merged)
        pairs = sorted(fields.items())
        last = max(numbers, default=0)

        def picked() -> Iterator[tuple[int, dict[str, Any]]]:
            for number, cells in rows:
                if number > last:
                    return
                if number in numbers:
                    width = len(cells)
                    yield number, {f: cells[i] if i < width else None for i, f in pairs}

        yield from _in_child(picked(), rows.reader_memory_limit)
    finally:
        rows.close()


def _deduplicated(
    importer: Importer, produced: Iterator[Produced], headers: dict[str, str], options: Options
) -> Iterator[Produced]:
    """The rows with those that repeat an earlier row's dedup value (NIB...) turned into
    duplicates, and those whose identifying number (NIK) an earlier row gave to another person
    into conflicts: no data, and one entry in place of errors. Runs where the rows are
    validated (the reading child of an import), so the writer only checks the database."""
    dedup_keys = importer.dedup_keys
    dedup_value = importer.dedup_value
    identity = importer.identity
    labels = [importer.dedup_label(key) for key in dedup_keys]
    columns = [headers.get(key, label) for key, label in zip(dedup_keys, labels, strict=True)]
    masks = [_mask_of(importer, key) for key in dedup_keys]
    seen: list[dict[str | int, int]] = [{} for _ in dedup_keys]
    # Identifying number -> (first row, hash of its attributes) and the attributes themselves
    # for the preview, kept only while they are few (a conflict needs them; a million people
    # do not fit).
    # Per identifying number one int: the fingerprint shifted above the first row's number
    # (a tuple per person would add about 60 MB per million people).
    people: dict[str | int, int] = {}
    remembered: dict[str | int, tuple[Any, ...]] = {}
    for item in produced:
        data = item.data
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
                shown = masks[position](value)
                duplicate = {
                    "row": item.number,
                    "column": columns[position],
                    "value": shown,
                    "message": f"{labels[position]} {shown} sama dengan baris {first}",
                    "duplicate_of": first,
                }
                break
        if duplicate is not None:
            yield Produced(item.number, None, [duplicate], item.preview)
            continue
        who = identity(data)
        if who is not None:
            key = _seen_key(who[0])
            fingerprint = importer.fingerprint(who[1])
            earlier = people.get(key)
            if earlier is None:
                people[key] = (fingerprint << ROW_BITS) | item.number
                if len(remembered) < REMEMBERED_PEOPLE:
                    remembered[key] = who[1]
            elif not importer.fingerprints_agree(earlier >> ROW_BITS, fingerprint):
                decision = options.decisions.get(item.number)
                if decision is None or decision.action != Decision.SAME:
                    yield Produced(
                        item.number,
                        None,
                        [
                            importer.conflict_entry(
                                item.number,
                                data,
                                earlier & ROW_MASK,
                                None,
                                headers,
                                remembered.get(key),
                            )
                        ],
                        item.preview,
                    )
                    continue
        for position, value in enumerate(keyed):
            if value is not None:
                seen[position][_seen_key(value)] = item.number
        yield item


def _mask_of(importer: Importer, key: str) -> Any:
    """How the report shows a dedup value: masked when its column masks (a NIK)."""
    for column in importer.columns:
        if column.field == key and column.mask is not None:
            return column.mask
    return str


def _in_child(
    produced: Iterator[Any], memory_limit: int | None = None, chunk: int = 2000
) -> Iterator[Any]:
    """Run reading and validation in a forked process while this one writes: the two halves
    of an import take about the same time, so a million rows take about half as long, and a
    file that crashes the reader or exhausts its memory limit ends only the child.
    Rows travel in pickled chunks through a bounded queue whose feeder thread lives in the
    child (so the child never waits for a chunk to be written, and this process has no second
    thread competing with the database writes); the child touches no database connection."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=BUFFERED_CHUNKS)

    def work() -> None:
        try:
            # The queue's feeder thread starts with the first message: before the memory cap,
            # so the thread (and its stack) never fails to start under it.
            channel.put(("start", None))
            if memory_limit:
                _limit_memory(memory_limit)
            batch: list[Any] = []
            for item in produced:
                batch.append(item)
                if len(batch) >= chunk:
                    channel.put(("rows", batch))
                    batch = []
            channel.put(("rows", batch))
            channel.put(("end", None))
        except MemoryError:
            channel.put(("error", "berkas memerlukan memori melebihi batas impor"))
        except Exception as exc:  # reported to the parent, which raises it
            message = str(exc) if isinstance(exc, ReadError | HeaderError) else type(exc).__name__
            channel.put(("error", message))
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
                raise ReadError(
                    "Berkas tidak dapat dibaca: proses pembaca berhenti (berkas rusak atau "
                    "terlalu besar untuk dibaca)"
                ) from None
            if kind == "rows":
                yield from payload
            elif kind == "start":
                continue
            elif kind == "end":
                break
            else:
                raise ReadError(f"Berkas tidak dapat dibaca: {payload}")
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()


def _limit_memory(extra: int) -> None:
    """Cap the reading child's address space at what it has now plus `extra` bytes, so a
    file whose reading asks for far more ends with MemoryError (or the child's death) here."""
    import resource

    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        import os

        current = pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = current + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


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


class _Pending(NamedTuple):
    number: int
    data: Any
    keyed: list[str | None]  # its dedup values, in dedup_keys order


def _consume(
    importer: Importer,
    produced: Iterator[Produced],
    report: dict[str, Any],
    options: Options,
    headers: dict[str, str],
    estimate: int,
) -> None:
    errors: list[dict[str, Any]] = report["errors"]
    duplicates: list[dict[str, Any]] = report["duplicates"]
    conflicts: list[dict[str, Any]] = report["conflicts"]
    sample: list[dict[str, Any]] = report["sample"]
    dedup_keys = importer.dedup_keys
    dedup_value = importer.dedup_value
    commit, max_issues = options.commit, options.max_issues
    chunk: list[_Pending] = []
    chunk_size = importer.chunk_size
    created: dict[str, int] = report["created"]
    counts = {"total": 0, "errors": 0, "duplicates": 0, "conflicts": 0, "valid": 0}
    group = _Group()

    def keep(target: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
        if len(target) < max_issues:
            target.extend(entries)
        else:
            report["truncated"] = True

    def against_database(pending: list[_Pending]) -> list[_Pending]:
        """The chunk without rows whose dedup value is stored already (duplicates) or whose
        identifying number a stored record holds with other attributes (conflicts)."""
        for position, key in enumerate(dedup_keys):
            values = [v for item in pending if (v := item.keyed[position])]
            if not values:
                continue
            existing: set[str] = set()
            for start in range(0, len(values), DB_LOOKUP_SIZE):
                existing |= importer.existing_keys(key, values[start : start + DB_LOOKUP_SIZE])
            if not existing:
                continue
            kept = []
            label = importer.dedup_label(key)
            mask = _mask_of(importer, key)
            for item in pending:
                value = item.keyed[position]
                if value in existing:
                    counts["duplicates"] += 1
                    shown = mask(value)
                    entry = {
                        "row": item.number,
                        "column": headers.get(key, label),
                        "value": shown,
                        "message": importer.duplicate_message(key, shown),
                        "duplicate_of": None,
                    }
                    keep(duplicates, [entry])
                else:
                    kept.append(item)
            pending = kept
        refused = importer.stored_problems([(item.number, item.data) for item in pending])
        if refused:
            kept = []
            for item in pending:
                problem = refused.get(item.number)
                if problem is None:
                    kept.append(item)
                    continue
                field_name, message = problem
                counts["errors"] += 1
                keep(
                    errors,
                    [
                        {
                            "row": item.number,
                            "column": headers.get(field_name, field_name),
                            "message": message,
                        }
                    ],
                )
            pending = kept
        identities = {item.number: who for item in pending if (who := importer.identity(item.data))}
        if not identities:
            return pending
        stored: dict[str, tuple[Any, ...]] = {}
        keys = sorted({who[0] for who in identities.values()})
        for start in range(0, len(keys), DB_LOOKUP_SIZE):
            stored |= importer.existing_identities(keys[start : start + DB_LOOKUP_SIZE])
        if not stored:
            return pending
        kept = []
        for item in pending:
            who = identities.get(item.number)
            held = stored.get(who[0]) if who else None
            if who is None or held is None or importer.identities_agree(held, who[1]):
                kept.append(item)
                continue
            decision = options.decisions.get(item.number)
            if decision is not None and decision.action == Decision.SAME:
                importer.mark_same_person(item.data)
                kept.append(item)
                continue
            counts["conflicts"] += 1
            keep(conflicts, [importer.conflict_entry(item.number, item.data, None, held, headers)])
        return kept

    def flush(pending: list[_Pending]) -> None:
        pending = against_database(pending)
        counts["valid"] += len(pending)
        if commit and pending:
            if group.rows == 0:
                group.begin()
            written = importer.write(
                [item.data for item in pending], batch=options.batch, actor=options.actor
            )
            group.rows += len(pending)
            for label, count in written.items():
                created[label] = created.get(label, 0) + count
            if group.rows >= importer.rows_per_transaction:
                group.commit()
        if group.rows == 0:  # outside a transaction: other sessions see the progress
            total = counts["total"]
            progress_step(options.progress_id, done=total, total=max(estimate, total))

    def consume_rows() -> None:
        nonlocal chunk
        for item in produced:
            counts["total"] += 1
            if item.preview is not None:
                sample.append({"row": item.number, "values": item.preview})
            if item.data is None:
                # An invalid row, a duplicate or a conflict (see _deduplicated).
                first = item.issues[0] if item.issues else {}
                if "duplicate_of" in first:
                    counts["duplicates"] += 1
                    keep(duplicates, item.issues)
                elif "conflict_of" in first:
                    counts["conflicts"] += 1
                    keep(conflicts, item.issues)
                else:
                    counts["errors"] += 1
                    keep(errors, item.issues)
                continue
            keyed = [dedup_value(key, item.data) for key in dedup_keys]
            chunk.append(_Pending(item.number, item.data, keyed))
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
        importer.finish(batch=options.batch, actor=options.actor)
        report["committed"] = True
    report.update(
        total_rows=counts["total"],
        valid_rows=counts["valid"],
        error_rows=counts["errors"],
        duplicate_rows=counts["duplicates"],
        conflict_rows=counts["conflicts"],
    )
    progress_step(options.progress_id, done=counts["total"], total=counts["total"])
