"""The importer interface: what a kind of import (enterprises, cooperatives...) provides.

See README.md in this folder for a complete example.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import models

_PUNCT = str.maketrans(dict.fromkeys(string.punctuation, " "))
_SPACES = re.compile(r"\s+")


def normalise_header(value: Any) -> str:
    """Key for matching a header: lower case, punctuation as spaces, single spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).lower().translate(_PUNCT)).strip()


def text(value: Any) -> str:
    """The default parser: a cell as single-spaced text (numbers without a trailing ``.0``)."""
    if value.__class__ is str:
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Column:
    """One column an importer understands, declared once: the field it fills, the usual header
    and other spellings, how a cell is read (`parse`: the cell, stripped and never empty ->
    the value, or `ParseError` with a message for the user), the model field whose own
    constraints (length, digits, range: the ones its forms and API apply) the value must meet,
    and how the preview shows it. Validation, preview, error report, writer and template all
    come from these declarations (`Importer.validate`)."""

    field: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any], Any] = text
    # "app_label.Model.field" whose validators apply; resolved once (`Importer.bind`).
    model_field: str = ""
    # The value of an empty cell (when the column is not required).
    empty: Any = None
    mask: Callable[[str], str] | None = None
    # Shown in the import template's example row.
    example: str = ""
    # What the template's "Petunjuk" sheet says about the column, beyond what its declaration
    # tells (required, format of its parser, its model field's limits and help text).
    help: str = ""

    def match_keys(self) -> list[str]:
        return [normalise_header(self.label), *(normalise_header(s) for s in self.synonyms)]


@dataclass
class RowContext:
    """One data row being validated: its Excel row number and the errors found so far."""

    row: int
    headers: dict[str, str]  # field -> header as written in the file
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(
            {
                "row": self.row,
                "column": self.headers.get(field_name, field_name),
                "message": str(message),
            }
        )

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """Base class of an importer; subclass it and decorate with @register."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    model: ClassVar[type[models.Model] | None] = None
    columns: ClassVar[list[Column]] = []
    dedup_keys: ClassVar[tuple[str, ...]] = ()
    # Rows validated and written together; one transaction per chunk.
    chunk_size: ClassVar[int] = 10000
    # Chunks are committed together until a transaction holds this many rows (at least one
    # chunk). Fewer, larger commits rewrite fewer pages of the unique indexes (SQLite's WAL
    # writes every page a transaction touched), while other writers wait for at most one.
    rows_per_transaction: ClassVar[int] = 0

    # A kind that imports into one record (the participants of one training) names the
    # parameter of the upload link that carries the record's id (`?pelatihan=12`). The batch
    # keeps the id (`ImportBatch.options["target"]`) and every run of the batch, its pages
    # and its permission checks get the record back through `use_target`.
    target_param: ClassVar[str] = ""

    def __init__(self) -> None:
        self.bind()
        self.target: Any = None
        # The user a run works for (the uploader on a preview, the confirming user on a
        # commit): for checks that depend on who imports, made before the fork (`prepare`).
        self.user: Any = None

    def use_target(self, pk: Any, *, user: Any = None) -> None:
        """Load the record this run imports into; LookupError when there is none such (a kind
        without `target_param` takes nothing)."""
        self.user = user
        if self.target_param:
            raise NotImplementedError

    def target_link(self) -> tuple[str, str] | None:
        """The record imported into as the pages show it: (its name, its page's URL)."""
        return None

    def can_import(self, user: Any) -> bool:
        from sikumi.accounts import access

        return access.can_create(user, self.model)

    def prepare(self) -> None:
        """Load lookup dicts once per run (before the first row)."""

    def bind(self) -> None:
        """Resolve each column's model field once: its validators run on every value."""
        from django.apps import apps

        self._checks: list[tuple[str, Column, tuple[Callable[[Any], None], ...]]] = []
        for column in self.columns:
            validators: tuple[Callable[[Any], None], ...] = ()
            if column.model_field:
                app_label, model_name, field_name = column.model_field.split(".")
                model_field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
                # The field's own validators (what `Field.run_validators` runs), called
                # directly: a million rows of twenty columns make that wrapper count.
                validators = tuple(getattr(model_field, "validators", ()))
            self._checks.append((column.field, column, validators))

    def validate(self, values: dict[str, Any], row: RowContext) -> dict[str, Any] | None:
        """A row from its columns' declarations: each present cell through its parser and its
        model field's validators, each absent one as the column's empty value (a required
        column's absence is an error), then `clean` for the rules between columns."""
        from django.core.exceptions import ValidationError

        from sikumi.rules.parsing import ParseError

        data: dict[str, Any] = {}
        get = values.get
        for name, column, validators in self._checks:
            value = get(name)
            if value is None:
                if column.required:
                    row.error(name, f"{column.label} wajib diisi")
                data[name] = column.empty
                continue
            try:
                value = column.parse(value)
                if value is not None:
                    for validator in validators:
                        validator(value)
            except ParseError as exc:
                row.error(name, str(exc))
            except ValidationError as exc:
                row.error(name, "; ".join(str(m) for m in exc.messages))
            else:
                data[name] = column.empty if value is None else value
        if row.ok:
            self.clean(data, values, row)
        return data

    def clean(self, data: dict[str, Any], values: dict[str, Any], row: RowContext) -> None:
        """Rules between columns of a row whose cells are each valid: report with `row.error`,
        complete `data` (derived values). `values` are the cells as read (absent columns are
        missing from it)."""

    def pack(self, data: dict[str, Any]) -> Any:
        """A valid row as it travels to `write` (default: the dict itself). Runs where the rows
        are validated (for a large file, the reading child process), so a writer may have the
        rows prepared there; `dedup_value` and `write` then receive the packed form."""
        return data

    def start(self, *, commit: bool, rows_estimate: int) -> None:
        """Called once before the first chunk is deduplicated and written (in the writing
        process), with the number of rows the sheet announces (0 when unknown)."""

    def close(self) -> None:
        """Called once at the end of every run, also a failed one (release what `start` took)."""

    def dedup_value(self, key: str, data: dict[str, Any]) -> str | None:
        """The value of a dedup key for a valid row (default: the field of that name)."""
        value = data.get(key)
        return str(value) if value not in (None, "") else None

    def dedup_label(self, key: str) -> str:
        for column in self.columns:
            if column.field == key:
                return column.label
        return key

    def existing_keys(self, key: str, values: list[str]) -> set[str]:
        """Which of these values of a dedup key already exist in the database."""
        return set()

    def duplicate_message(self, key: str, shown: str) -> str:
        """The message of a row whose dedup value `shown` (masked where its column says so)
        is stored already."""
        return f"{self.dedup_label(key)} {shown} sudah terdaftar"

    def stored_problems(self, rows: list[tuple[int, Any]]) -> dict[int, tuple[str, str]]:
        """Rows (number, packed data; one chunk) that the database refuses although each is
        valid on its own, e.g. a NIK no person holds: {row number: (field, message)}. Called
        in the writing process, on the preview as on the commit; those rows are errors."""
        return {}

    def write(self, rows: list[dict[str, Any]], *, batch: Any, actor: Any) -> dict[str, int]:
        """Bulk-write one chunk of valid, deduplicated rows; returns counts by label."""
        raise NotImplementedError

    def finish(self, *, batch: Any, actor: Any) -> None:
        """Called once after the last chunk of a commit (e.g. to rebuild a cache)."""

    def revert(self, batch: Any) -> dict[str, int]:
        """Delete what the batch created; returns counts by label."""
        raise NotImplementedError

    def repair(self) -> None:
        """After an interrupted commit was reverted: undo what else the cut-off write left
        (indexes a large load dropped, cached counts)."""

    # The column holding the identifying number `identity` reads (NIK), if any.
    identity_field: ClassVar[str] = ""

    def identity(self, data: Any) -> tuple[str, tuple[Any, ...]] | None:
        """For kinds whose rows name a person: (identifying number such as the NIK, the
        attributes that must agree for two rows or records to be the same person). A number
        seen again with other attributes is a *conflict*: reported with both values, never
        written until a user decides (see `Decision`). None when the row names nobody."""
        return None

    def identities_agree(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        """Whether two sets of identity attributes can be the same person."""
        return a == b

    def fingerprint(self, attributes: tuple[Any, ...]) -> int:
        """A small int standing for identity attributes (the run remembers one per person)."""
        return hash(attributes)

    def fingerprints_agree(self, a: int, b: int) -> bool:
        return a == b

    def existing_identities(self, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        """The stored attributes (as `identity` gives them) of the records holding these keys."""
        return {}

    def describe_identity(self, attributes: tuple[Any, ...]) -> str:
        """Identity attributes as the preview shows them."""
        return ", ".join(str(a) for a in attributes if a not in (None, ""))

    def apply_fix(self, values: dict[str, Any], value: str) -> None:
        """A user's correction of a conflict row: its identifying number is `value`."""
        values[self.identity_field] = value

    def mark_same_person(self, data: Any) -> None:
        """A user said a conflict row is the person already stored: the writer attaches the
        row to that person and updates them with the row's attributes."""

    def conflict_entry(
        self,
        number: int,
        data: Any,
        earlier_row: int | None,
        stored: tuple[Any, ...] | None,
        headers: dict[str, str],
        earlier: tuple[Any, ...] | None = None,
    ) -> dict[str, Any]:
        """The report's entry of a conflict row: both values, the row or record it clashes
        with (`earlier_row` in the file, or `stored` in the database)."""
        who = self.identity(data)
        assert who is not None
        column = next((c for c in self.columns if c.field == self.identity_field), None)
        label = column.label if column else self.identity_field
        shown = column.mask(who[0]) if column and column.mask else who[0]
        other = stored if stored is not None else earlier
        where = f"baris {earlier_row}" if earlier_row is not None else "data yang sudah terdaftar"
        return {
            "row": number,
            "column": headers.get(self.identity_field, label),
            "value": shown,
            "conflict_of": earlier_row,
            "file": self.describe_identity(who[1]),
            "existing": self.describe_identity(other) if other is not None else "",
            "message": (
                f"{label} {shown} sudah dipakai orang lain di {where}: data berbeda "
                "(nama, jenis kelamin atau tanggal lahir). Pilih: orang yang sama, perbaiki "
                f"{label}, atau lewati."
            ),
        }

    def sample(self, values: dict[str, Any]) -> dict[str, Any]:
        """A row of the preview table (values as read, keyed by the column label; masked
        where the column says so)."""
        shown = {}
        for column in self.columns:
            if column.field not in values:
                continue
            value = _display(values[column.field])
            if column.mask is not None and value is not None:
                value = column.mask(str(value))
            shown[column.label] = value
        return shown


def _display(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return str(value)


_REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    if not cls.kind:
        raise ValueError("an importer needs a kind")
    _REGISTRY[cls.kind] = cls
    return cls


def get_importer(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]()
    except KeyError:
        raise LookupError(f"unknown import kind {kind!r}") from None


def kinds() -> dict[str, type[Importer]]:
    return dict(_REGISTRY)


def delete_in_chunks(queryset: models.QuerySet[Any], size: int = 5000) -> int:
    """Delete the rows of a queryset physically, `size` at a time (children must go first)."""
    from django.db import transaction

    model = queryset.model
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:size])
        if not ids:
            return total
        with transaction.atomic():
            model._base_manager.filter(pk__in=ids)._raw_delete(model._base_manager.db)
        total += len(ids)


Validator = Callable[[dict[str, Any], RowContext], dict[str, Any] | None]
