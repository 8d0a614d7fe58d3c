"""Bulk writing of people, businesses and turnover: the path of imports and example data.

A million rows through the ORM's bulk_create would spend most of their time building model
instances. Here a chunk of ready rows becomes three `executemany` INSERTs (people, businesses,
turnover) with ids allocated in advance (SQLite: inside the IMMEDIATE transaction, which holds the
write lock, from MAX(id); PostgreSQL: from the table's sequence), so no per-row query is made.
The caller provides a transaction per chunk. People are deduplicated by NIK against this run and
the database (one chunked query per chunk), so one person owning several businesses, in one
file or in two, stays one record.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from sikumi.enterprises.models import (
    DEFAULT_OWNER_UNIT_CODE,
    Enterprise,
    EnterpriseTurnover,
    Person,
)
from sikumi.enterprises.normalise import name_key

LOOKUP_SIZE = 500

PERSON_COLUMNS = (
    "id",
    "nik",
    "name",
    "name_key",
    "sex",
    "birth_date",
    "phone",
    "owner_unit_id",
    "is_example",
    "import_batch_id",
    "created_at",
    "updated_at",
    "version",
)
ENTERPRISE_COLUMNS = (
    "id",
    "name",
    "name_key",
    "owner_id",
    "kelurahan_id",
    "kecamatan_code",
    "address",
    "latitude",
    "longitude",
    "sector",
    "kbli",
    "main_products",
    "nib",
    "start_date",
    "capital",
    "employees",
    "is_new_entrepreneur",
    "programme_year",
    "is_woman_owned",
    "cohort",
    "scale",
    "owner_unit_id",
    "is_example",
    "import_batch_id",
    "created_at",
    "updated_at",
    "version",
)
TURNOVER_COLUMNS = (
    "enterprise_id",
    "year",
    "amount",
    "kecamatan_code",
    "is_example",
    "import_batch_id",
    "created_at",
    "updated_at",
    "version",
)


def _insert_sql(model: Any, columns: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
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
    from sikumi.accounts.models import Unit

    return Unit.objects.only("pk").get(code=DEFAULT_OWNER_UNIT_CODE).pk


class EnterpriseWriter:
    """Writes chunks of rows (dicts, see `write`) for one batch or for example data."""

    def __init__(self, *, batch: Any, is_example: bool = False, owner_unit_id: int | None = None):
        self.batch_id = getattr(batch, "pk", None)
        self.is_example = is_example
        self.owner_unit_id = owner_unit_id or default_owner_unit_id()
        # NIK (as int) -> person id * 2 + 1 if a woman, for the current chunk only: people of
        # earlier chunks are found again in the database (indexed), so memory stays flat.
        self.people: dict[int, int] = {}
        self.person_sql = _insert_sql(Person, PERSON_COLUMNS)
        self.enterprise_sql = _insert_sql(Enterprise, ENTERPRISE_COLUMNS)
        self.turnover_sql = _insert_sql(EnterpriseTurnover, TURNOVER_COLUMNS)

    def _known(self, niks: list[int]) -> None:
        """Load the people of these NIKs already in the database (raw SQL: the ORM's IN-list
        preparation would cost more than the query)."""
        missing = [n for n in set(niks) if n not in self.people]
        for start in range(0, len(missing), LOOKUP_SIZE):
            part = [str(n) for n in missing[start : start + LOOKUP_SIZE]]
            for nik, pk, sex in lookup_by(Person, "nik", part, ("nik", "id", "sex")):
                self.people[int(nik)] = pk * 2 + (1 if sex == "P" else 0)

    def write(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert one chunk. Each row: person fields (nik, owner_name, sex, birth_date, phone),
        business fields (name, kelurahan_id, address, latitude, longitude, sector, kbli,
        main_products, nib, start_date, capital, employees, scale, is_new_entrepreneur,
        programme_year, cohort) and `turnovers`: a list of (year, amount)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        batch_id, example, unit_id = self.batch_id, self.is_example, self.owner_unit_id
        self.people = people = {}
        self._known([int(r["nik"]) for r in rows if r.get("nik")])
        new_people: list[dict[str, Any]] = []
        pending: dict[int, dict[str, Any]] = {}
        for row in rows:
            nik = row.get("nik")
            if not nik:
                new_people.append(row)
            elif (key := int(nik)) not in people and key not in pending:
                pending[key] = row
                new_people.append(row)
        ids = allocate_ids(Person, len(new_people))
        person_rows = []
        fresh: dict[int, int] = {}
        for pk, row in zip(ids, new_people, strict=True):
            sex = row.get("sex") or ""
            packed = pk * 2 + (1 if sex == "P" else 0)
            if row.get("nik"):
                fresh[int(row["nik"])] = packed
            else:
                row["_person"] = packed
            person_rows.append(
                (
                    pk,
                    row.get("nik") or None,
                    row["owner_name"],
                    name_key(row["owner_name"]),
                    sex,
                    row.get("birth_date"),
                    row.get("phone") or "",
                    unit_id,
                    example,
                    batch_id,
                    now,
                    now,
                    1,
                )
            )
        people.update(fresh)
        enterprise_ids = allocate_ids(Enterprise, len(rows))
        enterprise_rows = []
        turnover_rows = []
        for pk, row in zip(enterprise_ids, rows, strict=True):
            nik = row.get("nik")
            packed = people[int(nik)] if nik else row.pop("_person")
            kecamatan = row["kelurahan_id"][:8]
            enterprise_rows.append(
                (
                    pk,
                    row["name"],
                    name_key(row["name"]),
                    packed >> 1,
                    row["kelurahan_id"],
                    kecamatan,
                    row.get("address") or "",
                    row.get("latitude"),
                    row.get("longitude"),
                    row.get("sector") or "",
                    row.get("kbli") or "",
                    row.get("main_products") or "",
                    row.get("nib") or None,
                    row.get("start_date"),
                    row.get("capital"),
                    row.get("employees"),
                    bool(row.get("is_new_entrepreneur")),
                    row.get("programme_year"),
                    bool(packed & 1),
                    row.get("cohort") or "",
                    row.get("scale") or "",
                    unit_id,
                    example,
                    batch_id,
                    now,
                    now,
                    1,
                )
            )
            for year, amount in row.get("turnovers") or ():
                turnover_rows.append((pk, year, amount, kecamatan, example, batch_id, now, now, 1))
        with connection.cursor() as cursor:
            if person_rows:
                cursor.executemany(self.person_sql, person_rows)
            cursor.executemany(self.enterprise_sql, enterprise_rows)
            if turnover_rows:
                cursor.executemany(self.turnover_sql, turnover_rows)
        return {
            "persons": len(person_rows),
            "enterprises": len(enterprise_rows),
            "turnovers": len(turnover_rows),
        }

    def tune(self) -> None:
        """SQLite: no memory map for this connection while a big import runs; the mapped
        pages of a growing database would otherwise add up to 256 MB to the importing process
        (the page cache of 64 MB still serves the indexes)."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size=0")

    def untune(self) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size=268435456")

    def finish(self) -> None:
        from sikumi.enterprises.selectors import invalidate_counts

        invalidate_counts()
