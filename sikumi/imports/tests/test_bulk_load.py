"""A large import: deferred SQLite indexes, and the enterprise validation of NIK and phone."""

import pytest
from django.db import connection

from sikumi.enterprises import bulk
from sikumi.enterprises.models import Enterprise
from sikumi.imports import engine
from sikumi.imports.base import RowContext, get_importer
from sikumi.rules.identifiers import validate_nik

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="indexes are deferred on SQLite only"
)


def _indexes():
    tables = [m._meta.db_table for m in bulk._TABLES]
    with connection.cursor() as cursor:
        return {
            name: sql
            for table in tables
            for name, sql in cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [table],
            ).fetchall()
        }


@sqlite_only
def test_deferred_indexes_come_back_exactly():
    before = _indexes()
    dropped = bulk.defer_indexes()
    # Every non-unique index goes; the unique ones (NIK, NIB, turnover per year) stay for the
    # duplicate checks.
    assert "ent_name_idx" in dropped and "person_business_idx" in dropped
    assert all("UNIQUE" not in before[name] for name in dropped)
    assert {n for n, sql in before.items() if sql and "UNIQUE" in sql} <= set(_indexes())
    assert not set(dropped) & set(_indexes())
    # A new load (say, after the previous one was killed) first builds them again.
    writer = bulk.EnterpriseWriter(batch=None, owner_unit_id=1)
    writer.tune(rows_estimate=0)
    assert _indexes() == before
    assert bulk.restore_indexes() == []


@sqlite_only
def test_a_large_import_builds_its_indexes_again(personas, depok, tmp_path, monkeypatch):
    from sikumi.enterprises.demo import write_xlsx
    from sikumi.imports.reader import SheetRows

    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 100)
    before = _indexes()
    path = tmp_path / "besar.xlsx"
    write_xlsx(path, 400, seed=3)
    seen = []
    original = bulk.EnterpriseWriter.write

    def spy(self, rows):
        seen.append(set(_indexes()))
        return original(self, rows)

    monkeypatch.setattr(bulk.EnterpriseWriter, "write", spy)
    reader = SheetRows(path, slice_rows=150, threshold=0)
    report = engine.run("enterprises", path, commit=True, reader=reader, parallel=True)
    assert report["valid_rows"] == Enterprise.objects.count() == 400
    assert seen and all(set(before) - names for names in seen)  # deferred while loading
    assert _indexes() == before


@sqlite_only
def test_a_failed_import_builds_its_indexes_again(personas, depok, tmp_path, monkeypatch):
    from sikumi.enterprises.demo import write_xlsx

    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 100)
    before = _indexes()
    path = tmp_path / "gagal.xlsx"
    write_xlsx(path, 300, seed=4)

    def broken(self, rows):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(bulk.EnterpriseWriter, "write", broken)
    with pytest.raises(RuntimeError):
        engine.run("enterprises", path, commit=True)
    assert _indexes() == before


@pytest.mark.parametrize(
    "nik",
    [
        "3276015708900001",  # valid, a woman
        "3276011708900001",  # valid, a man
        "3276012902990001",  # 29-02-99: neither 1999 nor 2099 is a leap year
        "3276012902000001",  # 29-02-00: 2000 is
        "3276013213900001",  # month 13
        "3276017202900001",  # day 32 for a woman
        "0976011708900001",  # province 09
        "327601170890000",  # 15 digits
        "32760117089000a1",
    ],
)
def test_the_nik_column_says_what_validate_nik_says(depok, nik):
    importer = get_importer("enterprises")
    importer.prepare()
    values = {"name": "Warung", "owner_name": "Ani", "nik": nik, "kelurahan": "Beji"}
    for _ in range(2):  # the second time from the cache of birth dates
        row = RowContext(2, {})
        data = importer.validate(values, row)
        messages = [e["message"] for e in row.errors if e["column"] == "nik"]
        problems = validate_nik(nik)
        assert messages == (["; ".join(problems)] if problems else [])
        expected_sex = ("P" if int(nik[6:8]) > 40 else "L") if not problems else ""
        assert data["sex"] == expected_sex


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("081234567890", True), ("81234567890", True), ("0812-3456-7890", True), ("12345", False)],
)
def test_phone_numbers(depok, phone, ok):
    importer = get_importer("enterprises")
    importer.prepare()
    row = RowContext(2, {})
    importer.validate(
        {"name": "Warung", "owner_name": "Ani", "phone": phone, "kelurahan": "Beji"}, row
    )
    assert (not row.errors) is ok
