"""The column-wise fast path of a large import packs exactly what `validate` + `pack` give, and
leaves every other row to `validate`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikumi.enterprises.importer import EnterpriseImporter
from sikumi.imports.base import RowContext

from .helpers import NIK_ANI, NIK_BUDI, NIK_SITI

FIELDS = [column.field for column in EnterpriseImporter.columns]
REQUIRED = {"name", "owner_name", "kelurahan"}


def _text(*extra: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.sampled_from(["Warung Bu Sari", "Kopi  Senja", "ÉCLAIR café", "İstanbul Kebab", *extra]),
        st.text(min_size=1, max_size=8).map(lambda s: s.strip() or None),
        st.text(alphabet="ab ", min_size=199, max_size=205).map(lambda s: s.strip() or None),
    )


def _dates() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2031, 12, 31)),
        st.just(dt.datetime(1990, 5, 1, 10, 30)),
        st.sampled_from(["12/03/1985", "1985-03-12", "kemarin"]),
    )


def _numbers(*extra: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.integers(min_value=-5, max_value=20_000_000_000).map(float),
        st.sampled_from([1.5, float("nan"), "Rp 1.500.000", "3", "abc", True, *extra]),
    )


CELLS: dict[str, st.SearchStrategy[Any]] = {
    "name": _text(3.0),
    "owner_name": _text("  Siti   Aminah ", 12.0),
    "nik": st.one_of(
        st.none(),
        st.sampled_from(
            [
                NIK_BUDI,
                NIK_SITI,
                NIK_ANI,
                "3276019913850001",  # month 99
                "0076011203850001",  # province 00
                "327601120385000",  # 15 digits
                "3276 0112 0385 0001",
                "３２７６０１１２０３８５０００１",  # full-width digits
                3276011203850001.0,
            ]
        ),
    ),
    "sex": st.one_of(
        st.none(), st.sampled_from(["Laki-laki", "Perempuan", "L", "P", "laki-laki", "X", 1.0])
    ),
    "birth_date": _dates(),
    "phone": st.one_of(
        st.none(),
        st.sampled_from(
            ["081234567890", "81234567", "0812-345-678", "123", "0812345678901234", 8123456789.0]
        ),
    ),
    "kelurahan": st.one_of(
        st.none(),
        st.sampled_from(
            ["Kedaung", "Pancoran Mas", "Beji", "Nowhere", "32.76.01.1001", "3276011001", 1.0]
        ),
    ),
    "kecamatan": st.one_of(st.none(), st.sampled_from(["Sawangan", "Beji", "Pancoran Mas", "X"])),
    "address": _text(),
    "latitude": st.one_of(st.none(), st.sampled_from([-6.4, 0.0, 91.0, "-6,4", float("nan")])),
    "longitude": st.one_of(st.none(), st.sampled_from([106.8, -181.0, 12.0, "106,8"])),
    "sector": st.one_of(
        st.none(), st.sampled_from(["Kuliner", "warung kopi", "Jasa", "lain", 5.0])
    ),
    "kbli": st.one_of(st.none(), st.sampled_from(["10792", "1", "123456", "ab", "٤٥", 10792.0])),
    "main_products": _text(),
    "nib": st.one_of(
        st.none(),
        st.sampled_from(["1234567890123", "123456789012", "12345 67890123", 1234567890123.0]),
    ),
    "start_date": _dates(),
    "capital": _numbers(),
    "employees": _numbers(),
    "turnover": _numbers(),
    "turnover_year": st.one_of(
        st.none(), st.sampled_from([2024.0, 2026.0, 2027.0, 1900.0, 1901.0, "2024", 2024.5])
    ),
    "is_new_entrepreneur": st.one_of(
        st.none(), st.sampled_from(["Ya", "Tidak", "ya", "tidak", "YA", "maybe", 1.0])
    ),
    "programme_year": st.one_of(
        st.none(), st.sampled_from([2024.0, 2000.0, 1999.0, 2027.0, 2028.0, "2024"])
    ),
    "cohort": _text(),
}


# Cells in the forms the fast path takes (a row of these may still be invalid as a whole).
CLEAN: dict[str, list[Any]] = {
    "name": ["Warung Bu Sari", "Kopi  Senja", "ÉCLAIR café"],
    "owner_name": ["Siti Aminah", "Budi  Santoso", "İlker"],
    "nik": [NIK_BUDI, NIK_SITI, NIK_ANI, None],
    "sex": ["Laki-laki", "Perempuan", "L", "P", None],
    "birth_date": [dt.date(1985, 3, 12), dt.date(1901, 1, 1), None],
    "phone": ["081234567890", "81234567", None],
    "kelurahan": ["Kedaung", "Pancoran Mas", "32.76.01.1001"],
    "kecamatan": ["Sawangan", "Pancoran Mas", None],
    "address": ["Jl. Mawar 3", None],
    "latitude": [-6.4, None],
    "longitude": [106.8, None],
    "sector": ["Kuliner", "warung kopi", None],
    "kbli": ["10792", "47", None],
    "main_products": ["Kopi", None],
    "nib": ["1234567890123", "9876543210987", None],
    "start_date": [dt.date(2020, 1, 2), None],
    "capital": [5_000_000.0, 2_000_000_000.0, 0.0, None],
    "employees": [3.0, 0.0, None],
    "turnover": [120_000_000.0, 0.0, None],
    "turnover_year": [2024.0, 2026.0, None],
    "is_new_entrepreneur": ["Ya", "Tidak", None],
    "programme_year": [2024.0, 2027.0, None],
    "cohort": ["A1", None],
}
ROWS = st.tuples(
    st.fixed_dictionaries({f: st.sampled_from(v) for f, v in CLEAN.items()}),
    st.lists(
        st.sampled_from(FIELDS).flatmap(lambda f: st.tuples(st.just(f), CELLS[f])), max_size=2
    ),
).map(lambda pair: pair[0] | dict(pair[1]))


@pytest.fixture
def importer(depok):
    importer = EnterpriseImporter()
    importer.prepare()
    return importer


def _slow(importer: EnterpriseImporter, values: dict[str, Any]) -> Any:
    context = RowContext(2, {})
    data = importer.validate(values, context)
    return None if context.errors or data is None else importer.pack(data)


def test_the_fast_path_packs_what_validate_packs(importer):
    taken = {True: 0, False: 0}

    @settings(
        max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(
        rows=st.lists(ROWS, min_size=1, max_size=6),
        present=st.sets(st.sampled_from([f for f in FIELDS if f not in REQUIRED])),
    )
    def check(rows: list[dict[str, Any]], present: set[str]) -> None:
        fields = [f for f in FIELDS if f in REQUIRED or f in present]
        columns = {f: [row[f] for row in rows] for f in fields}
        fast = importer.validate_columns(columns, len(rows))
        assert len(fast) == len(rows)
        for row, packed in zip(rows, fast, strict=True):
            if packed is not None:
                assert packed == _slow(importer, {f: row[f] for f in fields})
            taken[packed is not None] += 1

    check()
    # Both paths were taken often: the comparison above was not vacuous.
    assert taken[True] > 100
    assert taken[False] > 100


def test_the_fast_path_takes_the_common_rows(importer):
    """Rows as the example pendataan file has them: every one takes the fast path."""
    from sikumi.enterprises.demo import XLSX_HEADERS, businesses, xlsx_row

    fields = {
        column.field: index
        for index, header in enumerate(XLSX_HEADERS)
        for column in EnterpriseImporter.columns
        if column.label == header
    }
    assert len(fields) == 20
    rows = []
    for business in businesses(300, 7):
        cells = xlsx_row(business)
        rows.append(
            [
                float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for v in (cells[fields[f]] for f in fields)
            ]
        )
    columns = {f: [row[i] for row in rows] for i, f in enumerate(fields)}
    fast = importer.validate_columns(columns, len(rows))
    assert None not in fast
    for i, packed in enumerate(fast):
        assert packed == _slow(importer, {f: columns[f][i] for f in fields})


# -- the engine's column path (compiled reader + fast path) against the row path


def _mixed_file(tmp_path: Any) -> Any:
    """Good rows, every kind of bad row, duplicates in the file, a blank row, other forms."""
    from .helpers import row, write_xlsx

    rows = [
        row("Usaha Baik Satu", "Budi Santoso", NIK_BUDI, nib="1234567890123"),
        row("NIK Salah", "Dedi", "32760112038500"),
        row("NIB Pendek", "Eko", None, nib="123456789012"),
        row("Mulai Nanti", "Fajar", None, start=dt.date(2027, 1, 5)),
        row("Modal Teks", "Gita", None, "P", capital="lima juta"),
        row("Modal Rupiah", "Gita", None, "P", capital="Rp 1.500.000"),
        row("Tanpa Wilayah", "Hadi", None, kelurahan="Antah Berantah", kecamatan=None),
        [None] * 13,
        row("  Spasi  ", " Siti   Aminah ", NIK_SITI, "Perempuan", wub="Ya", year=2024),
        row("Kembar NIB", "Ani", NIK_ANI, "P", nib="1234567890123"),
        row("Tanpa Tahun Omzet", "Ani", NIK_ANI, "P", omzet_year=None),
        row("Wirausaha Tanpa Tahun", "Ani", NIK_ANI, "P", wub="Ya"),
    ]
    rows += [
        row(f"Usaha {i}", f"Pemilik {i}", None, kelurahan="Beji", kecamatan="Beji")
        for i in range(40)
    ]
    return write_xlsx(tmp_path / "campur.xlsx", rows)


def _fast_reader_or_skip() -> None:
    from sikumi.imports import fastsheet

    if not fastsheet.available():
        pytest.skip("the compiled reader is not built (scripts/build-ext.sh): column path untested")


def test_the_column_path_reports_what_the_row_path_reports(importer, tmp_path):
    from sikumi.imports import engine

    _fast_reader_or_skip()
    path = _mixed_file(tmp_path)
    by_rows = engine.run("enterprises", path, commit=False, columns=False, parallel=False)
    by_columns = engine.run("enterprises", path, commit=False, columns=True, parallel=False)
    assert by_columns == by_rows
    assert by_rows["error_rows"] >= 6 and by_rows["duplicate_rows"] == 1
    assert by_rows["valid_rows"] == 43


def _stored() -> list[tuple[Any, ...]]:
    from sikumi.enterprises.models import Enterprise

    return sorted(
        Enterprise.objects.values_list(
            "name",
            "owner__nik",
            "owner__name",
            "owner__sex",
            "kelurahan_id",
            "nib",
            "start_date",
            "capital",
            "scale",
            "is_new_entrepreneur",
            "programme_year",
            "turnovers__year",
            "turnovers__amount",
        ),
        key=repr,
    )


def test_the_column_path_stores_what_the_row_path_stores(importer, tmp_path):
    from sikumi.imports import engine
    from sikumi.imports.models import ImportBatch

    _fast_reader_or_skip()
    path = _mixed_file(tmp_path)
    stored = []
    for columns in (True, False):
        batch = ImportBatch.objects.create(kind="enterprises", file=str(path), original_name="x")
        report = engine.run("enterprises", path, commit=True, batch=batch, columns=columns)
        assert report["committed"] and report["created"]["usaha"] == 43
        stored.append(_stored())
        importer.revert(batch)
    assert stored[0] == stored[1]
    assert len(stored[0]) == 43


def test_a_sheet_the_compiled_reader_gives_up_on_half_way_is_read_by_calamine(
    importer, tmp_path, monkeypatch
):
    from sikumi.imports import engine, fastsheet

    _fast_reader_or_skip()
    path = _mixed_file(tmp_path)
    by_rows = engine.run("enterprises", path, commit=False, columns=False, parallel=False)
    slices = fastsheet.FastSheet.slices

    def give_up(self: Any, rows: int = 5000, **kwargs: Any) -> Any:
        produced = slices(self, rows=10, **kwargs)
        yield next(produced)
        yield next(produced)
        raise fastsheet.Unsupported("test")

    monkeypatch.setattr(fastsheet.FastSheet, "slices", give_up)
    by_columns = engine.run("enterprises", path, commit=False, columns=True, parallel=False)
    assert by_columns == by_rows


def test_a_sheet_the_compiled_reader_refuses_at_once_is_read_by_calamine(
    importer, tmp_path, monkeypatch
):
    from sikumi.imports import engine, fastsheet

    _fast_reader_or_skip()
    path = _mixed_file(tmp_path)
    by_rows = engine.run("enterprises", path, commit=False, columns=False, parallel=False)

    def refuse(self: Any, rows: int = 5000, **kwargs: Any) -> Any:
        raise fastsheet.Unsupported("test")
        yield  # a generator, as the real one

    monkeypatch.setattr(fastsheet.FastSheet, "slices", refuse)
    assert engine.run("enterprises", path, commit=False, columns=True, parallel=False) == by_rows
