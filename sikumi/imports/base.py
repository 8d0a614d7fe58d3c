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


@dataclass(frozen=True)
class Column:
    """One column an importer understands: its field, the usual header and other spellings."""

    field: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

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

    def can_import(self, user: Any) -> bool:
        from sikumi.accounts import access

        return access.can_create(user, self.model)

    def prepare(self) -> None:
        """Load lookup dicts once per run (before the first row)."""

    def validate(self, values: dict[str, Any], row: RowContext) -> dict[str, Any] | None:
        raise NotImplementedError

    # Whether `validate_columns` gives a fast path for whole slices (see the engine).
    validates_columns: ClassVar[bool] = False

    def validate_columns(self, columns: dict[str, list[Any]], count: int) -> list[Any]:
        """For a slice of `count` rows given column by column (field -> stripped cells, None
        when empty; only the fields the file has): per row the packed data of a valid row, or
        None for a row `validate` must see (it gives the messages). Never rejects a row itself."""
        return [None] * count

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

    def write(self, rows: list[dict[str, Any]], *, batch: Any, actor: Any) -> dict[str, int]:
        """Bulk-write one chunk of valid, deduplicated rows; returns counts by label."""
        raise NotImplementedError

    def finish(self, *, batch: Any, actor: Any) -> None:
        """Called once after the last chunk of a commit (e.g. to rebuild a cache)."""

    def revert(self, batch: Any) -> dict[str, int]:
        """Delete what the batch created; returns counts by label."""
        raise NotImplementedError

    def sample(self, values: dict[str, Any]) -> dict[str, Any]:
        """A row of the preview table (values as read, keyed by the column label)."""
        labels = {c.field: c.label for c in self.columns}
        return {labels.get(k, k): _display(v) for k, v in values.items()}


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
