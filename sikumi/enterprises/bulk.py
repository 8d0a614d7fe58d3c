"""Bulk writing of people, businesses and turnover: the path of imports and example data.

A million rows through the ORM's bulk_create would spend most of their time building model
instances. Here a chunk of ready rows becomes three `executemany` INSERTs on SQLite, or three
COPY streams on PostgreSQL (people, businesses, turnover), with ids allocated in advance
(SQLite: inside the IMMEDIATE transaction, which holds the
write lock, from MAX(id); PostgreSQL: from the table's sequence), so no per-row query is made.
The caller provides a transaction per chunk. People are deduplicated by NIK against this run and
the database (one chunked query per chunk), so one person owning several businesses, in one
file or in two, stays one record.

Rows are dicts keyed by field name, *prepared* (`prepare`: name keys and dates ready) where the
import validates them, in its reading child process, so the writing process only adds ids and
the constant columns. Which key goes to which column comes from the import's column declarations
(`Layout`): a field declared there with its model field is written without touching this file.

A large load into SQLite (`tune(rows_estimate=...)`) drops the non-unique indexes of the three
tables first and builds them again at the end (`untune`): SQLite builds an index from sorted rows
much faster than it updates it row by row. The unique indexes (NIK, NIB, turnover per year) stay,
they serve the duplicate checks. The dropped indexes' SQL is kept in a table in the same
transaction as the DROP, so an import killed half-way gets them back at the next `tune` or
`restore_indexes()`.
"""

from __future__ import annotations

import operator
from typing import Any, NamedTuple

from django.db import OperationalError, connection, transaction
from django.db.models import F, Field
from django.utils import timezone

from sikumi.enterprises.models import (
    DEFAULT_OWNER_FUNCTION,
    Enterprise,
    EnterpriseTurnover,
    Person,
)
from sikumi.enterprises.normalise import name_key

LOOKUP_SIZE = 500
# SQLite: loads of at least this many rows (and at least as many as the table holds) build the
# secondary indexes after the load instead of updating them row by row. (100.000 rows into an
# empty database: 11,0 s of writing with the 13 indexes kept up row by row, against 6,1 s plus
# 2,2 s to build them at the end; together they outgrow the page cache.)
DEFER_INDEXES_MIN_ROWS = 50_000
DEFERRED_TABLE = "sikumi_deferred_index"
COMMON = ("owner_unit_id", "is_example", "import_batch_id", "created_at", "updated_at", "version")
# Derived facts of a person (sikumi.enterprises.facts), computed here from the rows.
PERSON_FACTS = (
    "has_business",
    "business_since",
    "new_entrepreneur_year",
    "kecamatan_code",
    "kelurahan_code",
)
TURNOVER_COLUMNS = (
    "enterprise_id",
    "year",
    "amount",
    "kecamatan_code",
    "kelurahan_code",
    "grew",
    "is_example",
    "import_batch_id",
    "created_at",
    "updated_at",
    "version",
)
_TABLES = (Person, Enterprise, EnterpriseTurnover)


class Layout(NamedTuple):
    """Which keys of a prepared row go to which column of the people and business tables:
    (row key, database column) pairs, taken by name from the import's column declarations
    (`sikumi.enterprises.importer.COLUMNS`, each naming its model field) plus the values the
    writer derives. Nothing reads a row by position."""

    person: tuple[tuple[str, str], ...]
    enterprise: tuple[tuple[str, str], ...]


def layout() -> Layout:
    from sikumi.enterprises.importer import COLUMNS

    person: list[tuple[str, str]] = [("nik", "nik"), ("owner_name", "name")]
    enterprise: list[tuple[str, str]] = [("name", "name"), ("kelurahan", "kelurahan_id")]
    models = {Person._meta.label: person, Enterprise._meta.label: enterprise}
    for column in COLUMNS:
        if not column.model_field:
            continue
        label, _, field_name = column.model_field.rpartition(".")
        target = models.get(label)
        if target is None:
            continue  # another table (turnover)
        db_column = target_column(label, field_name)
        if all(existing != db_column for _, existing in target):
            target.append((column.field, db_column))
    person.append(("owner_name_key", "name_key"))
    enterprise += [("name_key", "name_key"), ("kecamatan_code", "kecamatan_code")]
    enterprise += [("scale", "scale")]
    return Layout(tuple(person), tuple(enterprise))


def target_column(model_label: str, field_name: str) -> str:
    model = Person if model_label == Person._meta.label else Enterprise
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field)
    return str(field.column)


def iso_dates() -> bool:
    """Whether prepared rows carry dates as ISO text (SQLite stores them so) or as dates."""
    return connection.vendor == "sqlite"


def prepare(row: dict[str, Any], iso: bool | None = None) -> dict[str, Any]:
    """A valid row (person and business fields by name, `turnovers` as (year, amount) pairs)
    with what the writer derives: name keys, the kecamatan, dates as the database takes them,
    empty text for absent optional text."""
    if iso is None:
        iso = iso_dates()
    if iso:
        for key in ("birth_date", "start_date"):
            value = row.get(key)
            if value is not None and not isinstance(value, str):
                row[key] = value.isoformat()
    row["nik"] = row.get("nik") or None
    row["nib"] = row.get("nib") or None
    row["owner_name_key"] = name_key(row["owner_name"])
    row["name_key"] = name_key(row["name"])
    row["kecamatan_code"] = row["kelurahan"][:8]
    row["is_new_entrepreneur"] = bool(row.get("is_new_entrepreneur"))
    row.setdefault("turnovers", ())
    return row


def _copy(cursor: Any, model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY of `rows` into `model`'s table (psycopg's copy, text format)."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert_sql(model: Any, columns: tuple[str, ...], mark: str) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join([mark] * len(columns))
    # Names come from the model's metadata, values are always parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


def allocate_ids(model: Any, count: int) -> list[int]:
    """`count` fresh primary keys for `model`; call inside the transaction that inserts them."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def lookup_by(model: Any, column: str, values: list[str], columns: tuple[str, ...]) -> list[Any]:
    """Rows of `model` whose `column` is one of `values` (at most a few hundred)."""
    if not values:
        return []
    quote = connection.ops.quote_name
    # Names from the model's metadata, values as parameters.
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(values))
    table = quote(model._meta.db_table)
    sql = f"SELECT {names} FROM {table} WHERE {quote(column)} IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return list(cursor.fetchall())


def default_owner_unit_id() -> int:
    from sikumi.accounts.selectors import required_unit_for_function

    return required_unit_for_function(DEFAULT_OWNER_FUNCTION).pk


# -- SQLite: secondary indexes built after a large load


def _sqlite_table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [name])
    return cursor.fetchone() is not None


def defer_indexes() -> list[str]:
    """SQLite: drop the non-unique indexes of the people, business and turnover tables, keeping
    their SQL (in the same transaction) for `restore_indexes`. Returns the names dropped."""
    if connection.vendor != "sqlite":
        return []
    tables = [model._meta.db_table for model in _TABLES]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (%s, %s, %s)",
            tables,
        )
        indexes = [
            (name, sql)
            for name, sql in cursor.fetchall()
            if not sql.lstrip().upper().startswith("CREATE UNIQUE")
        ]
        if not indexes:
            return []
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {quote(DEFERRED_TABLE)} "
            "(name TEXT PRIMARY KEY, sql TEXT NOT NULL)"
        )
        for name, sql in indexes:
            cursor.execute(
                f"INSERT OR REPLACE INTO {quote(DEFERRED_TABLE)} (name, sql) VALUES (%s, %s)",  # noqa: S608
                [name, sql],
            )
            cursor.execute(f"DROP INDEX {quote(name)}")
    return [name for name, _ in indexes]


def restore_indexes() -> list[str]:
    """SQLite: build the indexes `defer_indexes` dropped (also those of an interrupted load)."""
    if connection.vendor != "sqlite":
        return []
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if not _sqlite_table_exists(cursor, DEFERRED_TABLE):
            return []
        cursor.execute(f"SELECT name, sql FROM {quote(DEFERRED_TABLE)}")  # noqa: S608
        indexes = cursor.fetchall()
        for name, sql in indexes:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql)
        cursor.execute(f"DROP TABLE {quote(DEFERRED_TABLE)}")
    return [name for name, _ in indexes]


def _pragma(cursor: Any, sql: str) -> bool:
    """Run a PRAGMA that SQLite refuses inside an open transaction (temp_store); False when
    refused (the first chunk's transaction has not begun a statement yet on the import path,
    but a caller's transaction may have). A refused PRAGMA leaves the transaction intact."""
    try:
        cursor.execute(sql)
    except OperationalError:
        return False
    return True


class EnterpriseWriter:
    """Writes chunks of prepared rows (`prepare`) for one batch or for example data."""

    def __init__(self, *, batch: Any, is_example: bool = False, owner_unit_id: int | None = None):
        self.batch_id = getattr(batch, "pk", None)
        self.is_example = is_example
        self.owner_unit_id = owner_unit_id or default_owner_unit_id()
        self.deferred: list[str] = []
        self.temp_files = False
        self.sqlite = connection.vendor == "sqlite"
        self.layout = layout()
        person_keys = [key for key, _ in self.layout.person]
        enterprise_keys = [key for key, _ in self.layout.enterprise]
        self.person_values = operator.itemgetter(*person_keys)
        self.enterprise_values = operator.itemgetter(*enterprise_keys)
        self.person_columns = (
            *(column for _, column in self.layout.person),
            "id",
            *PERSON_FACTS,
            *COMMON,
        )
        self.enterprise_columns = (
            *(column for _, column in self.layout.enterprise),
            "id",
            "owner_id",
            "is_woman_owned",
            *COMMON,
        )
        mark = "?" if self.sqlite else "%s"
        self.person_sql = _insert_sql(Person, self.person_columns, mark)
        self.enterprise_sql = _insert_sql(Enterprise, self.enterprise_columns, mark)
        self.turnover_sql = _insert_sql(EnterpriseTurnover, TURNOVER_COLUMNS, mark)
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(c)} = {mark}" for c in PERSON_FACTS)
        # Names from the model's metadata, values as parameters.
        self.facts_sql = (
            f"UPDATE {quote(Person._meta.db_table)} SET {assignments} WHERE id = {mark}"  # noqa: S608
        )

    def _known(self, niks: list[str]) -> tuple[dict[str, tuple[int, str]], dict[int, list[Any]]]:
        """NIK -> (person id, sex) for the people of these NIKs already in the database (raw
        SQL: the ORM's IN-list preparation would cost more than the query), and their stored
        facts by id. Only for the current chunk: people of earlier chunks are found again in
        the database (indexed), so memory stays flat."""
        people: dict[str, tuple[int, str]] = {}
        stored: dict[int, list[Any]] = {}
        missing = list(set(niks))
        iso = self.sqlite
        for start in range(0, len(missing), LOOKUP_SIZE):
            part = missing[start : start + LOOKUP_SIZE]
            for nik, pk, sex, *facts in lookup_by(
                Person, "nik", part, ("nik", "id", "sex", *PERSON_FACTS)
            ):
                people[nik] = (pk, sex)
                since = facts[1]
                if iso and since is not None and not isinstance(since, str):
                    facts[1] = since.isoformat()
                facts[0] = bool(facts[0])
                stored[pk] = facts
        return people, stored

    def write(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert one chunk of prepared rows (`prepare`). A person (by NIK) already stored, or
        created by an earlier row, gets the business; a row marked `update_person` (a user
        said a conflicting row is the same person) also updates that person's name, sex and
        birth date."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        example, batch_id = self.is_example, self.batch_id
        common = (self.owner_unit_id, example, batch_id, now, now, 1)
        people, facts = self._known([row["nik"] for row in rows if row["nik"]])
        existing = set(facts)
        new_people = []
        pending: set[str] = set()
        for row in rows:
            nik = row["nik"]
            if not nik:
                new_people.append(row)
            elif nik not in people and nik not in pending:
                pending.add(nik)
                new_people.append(row)
        unnamed: dict[int, tuple[int, str]] = {}  # id(row) -> person of a row without NIK
        person_ids = allocate_ids(Person, len(new_people))
        for pk, row in zip(person_ids, new_people, strict=True):
            if row["nik"]:
                people[row["nik"]] = (pk, row["sex"])
            else:
                unnamed[id(row)] = (pk, row["sex"])
        enterprise_rows = []
        turnover_rows = []
        updates = []
        values_of = self.enterprise_values
        for pk, row in zip(allocate_ids(Enterprise, len(rows)), rows, strict=True):
            nik = row["nik"]
            owner, sex = people[nik] if nik else unnamed[id(row)]
            if row.get("update_person"):
                sex = row["sex"] or sex
                updates.append(row)
            enterprise_rows.append((*values_of(row), pk, owner, sex == "P", *common))
            # The owner's facts (see sikumi.enterprises.facts).
            start = row["start_date"]
            year = row["programme_year"] if row["is_new_entrepreneur"] else None
            known = facts.get(owner)
            if known is None or not known[0]:
                facts[owner] = [True, start, year, row["kecamatan_code"], row["kelurahan"]]
            else:
                if known[1] is not None:
                    known[1] = None if start is None else min(known[1], start)
                if year is not None:
                    known[2] = year if known[2] is None else min(known[2], year)
            turnovers = row["turnovers"]
            if turnovers:
                if len(turnovers) > 1:
                    turnovers = sorted(turnovers)
                before_year, before = None, None
                for year, amount in turnovers:
                    grew = before_year == year - 1 and amount > before
                    turnover_rows.append(
                        (
                            pk,
                            year,
                            amount,
                            row["kecamatan_code"],
                            row["kelurahan"],
                            grew,
                            example,
                            batch_id,
                            now,
                            now,
                            1,
                        )
                    )
                    before_year, before = year, amount
        values_of_person = self.person_values
        person_rows = [
            (*values_of_person(row), pk, *facts[pk], *common)
            for pk, row in zip(person_ids, new_people, strict=True)
        ]
        updated = [(*facts[pk], pk) for pk in existing]
        self._insert(person_rows, enterprise_rows, turnover_rows, updated)
        for row in updates:
            self._update_person(people[row["nik"]][0], row)
        return {
            "persons": len(person_rows),
            "enterprises": len(enterprise_rows),
            "turnovers": len(turnover_rows),
        }

    def _update_person(self, pk: int, row: dict[str, Any]) -> None:
        """The row's name, sex and birth date on the person a user said it is."""
        changes: dict[str, Any] = {"name": row["owner_name"], "name_key": row["owner_name_key"]}
        if row["sex"]:
            changes["sex"] = row["sex"]
        if row["birth_date"]:
            changes["birth_date"] = row["birth_date"]
        Person.objects.filter(pk=pk).update(**changes, version=F("version") + 1)
        if "sex" in changes:
            Enterprise.objects.filter(owner_id=pk).update(is_woman_owned=changes["sex"] == "P")

    def _insert(
        self,
        person_rows: list[tuple[Any, ...]],
        enterprise_rows: list[tuple[Any, ...]],
        turnover_rows: list[tuple[Any, ...]],
        updated: list[tuple[Any, ...]],
    ) -> None:
        if self.sqlite:
            # The sqlite3 connection itself (inside Django's transaction): no per-row wrapper.
            connection.ensure_connection()
            execute = connection.connection.executemany
            if person_rows:
                execute(self.person_sql, person_rows)
            execute(self.enterprise_sql, enterprise_rows)
            if turnover_rows:
                execute(self.turnover_sql, turnover_rows)
            if updated:
                execute(self.facts_sql, updated)
            return
        # PostgreSQL: COPY, the bulk path of the server (one stream per table).
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if person_rows:
                _copy(raw, Person, self.person_columns, person_rows)
            _copy(raw, Enterprise, self.enterprise_columns, enterprise_rows)
            if turnover_rows:
                _copy(raw, EnterpriseTurnover, TURNOVER_COLUMNS, turnover_rows)
            if updated:
                cursor.executemany(self.facts_sql, updated)

    def tune(self, rows_estimate: int = 0) -> None:
        """SQLite: no memory map for this connection while a big import runs; the mapped
        pages of a growing database would otherwise add up to 256 MB to the importing process
        (the page cache of 64 MB still serves the indexes). A load of `rows_estimate` rows of at
        least DEFER_INDEXES_MIN_ROWS, and at least as many as the businesses already stored,
        builds the secondary indexes after the load (`untune`). Temporary data (the sorts of
        those index builds) goes to temporary files rather than memory meanwhile."""
        if not self.sqlite:
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size=0")
            self.temp_files = _pragma(cursor, "PRAGMA temp_store=FILE")
            restore_indexes()  # left over by an interrupted load
            if rows_estimate >= DEFER_INDEXES_MIN_ROWS:
                table = connection.ops.quote_name(Enterprise._meta.db_table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                if rows_estimate >= cursor.fetchone()[0]:
                    self.deferred = defer_indexes()

    def untune(self) -> None:
        if not self.sqlite:
            return
        if self.deferred:
            restore_indexes()
            self.deferred = []
        with connection.cursor() as cursor:
            # Back to the connection's settings (config/settings.py).
            cursor.execute("PRAGMA mmap_size=268435456")
            if self.temp_files and _pragma(cursor, "PRAGMA temp_store=MEMORY"):
                self.temp_files = False

    def finish(self) -> None:
        from sikumi.enterprises.selectors import invalidate_counts

        invalidate_counts()
