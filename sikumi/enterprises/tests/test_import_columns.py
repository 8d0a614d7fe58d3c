"""The enterprise import is driven by its column declarations (`importer.COLUMNS`): one
declaration reaches the preview, the error report, the writer and the export."""

import dataclasses
import io

import pytest
from openpyxl import load_workbook

from sikumi.enterprises import importer as enterprise_import
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.tests.helpers import HEADERS, NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports import engine
from sikumi.imports.base import Column
from sikumi.rules.parsing import ParseError

pytestmark = pytest.mark.django_db


def parse_group(value):
    text = str(value).strip()
    if not text.startswith("K-"):
        raise ParseError(f"Kelompok '{text}' harus diawali K-")
    return text


@pytest.fixture
def declared(monkeypatch):
    """Swap the declarations for a run: the importer, the writer and the export all read them."""

    def use(columns):
        monkeypatch.setattr(enterprise_import, "COLUMNS", columns)
        monkeypatch.setattr(enterprise_import.EnterpriseImporter, "columns", columns)

    return use


def test_a_new_column_declaration_reaches_preview_errors_writer_and_export(
    personas, depok, tmp_path, declared, client_for
):
    # A throwaway declaration: the "cohort" field read from a new header with its own parser.
    columns = [c for c in enterprise_import.COLUMNS if c.field != "cohort"]
    columns.append(
        Column(
            "cohort",
            "Kelompok Binaan",
            ("kelompok",),
            parse=parse_group,
            empty="",
            model_field="enterprises.Enterprise.cohort",
        )
    )
    declared(columns)
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            [*row("Warung Budi", "Budi", NIK_BUDI), "K-07"],
            [*row("Toko Siti", "Siti", NIK_SITI, "P"), "Tujuh"],
        ],
        headers=[*HEADERS, "Kelompok"],
    )
    report = engine.run("enterprises", path, commit=True)
    # Preview: the declared label, the row's value.
    assert report["sample"][0]["values"]["Kelompok Binaan"] == "K-07"
    # Error report: the parser's message, under the header as written in the file.
    assert report["errors"] == [
        {"row": 3, "column": "Kelompok", "message": "Kelompok 'Tujuh' harus diawali K-"}
    ]
    # Writer: stored in the declared model field.
    assert list(Enterprise.objects.values_list("name", "cohort")) == [("Warung Budi", "K-07")]
    # Export: a column of that header with the value.
    response = client_for(personas.kiki).get("/usaha-mikro/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if "Kelompok Binaan" in r)
    data = rows[rows.index(header) + 1]
    assert data[header.index("Kelompok Binaan")] == "K-07"


def test_a_model_constraint_applies_to_a_declared_column(personas, depok, tmp_path, declared):
    # Declared with a model field, a column gets that field's own limits (here: 60 characters).
    declared(list(enterprise_import.COLUMNS))
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [[*row("Warung Budi", "Budi", NIK_BUDI), "x" * 61]],
        headers=[*HEADERS, "Angkatan"],
    )
    report = engine.run("enterprises", path, commit=False)
    assert report["error_rows"] == 1
    assert report["errors"][0]["column"] == "Angkatan"
    assert "60" in report["errors"][0]["message"]


def test_reordering_the_declarations_changes_no_stored_value(personas, depok, tmp_path, declared):
    """Rows travel by field name: moving a declaration (and so every packed position) must not
    make anything read a neighbour's value, derived facts included."""
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            row("Warung Budi", "Budi", NIK_BUDI, nib="1234567890123", wub="Ya", year=2024),
            row("Toko Siti", "Siti", NIK_SITI, "P", wub="Tidak"),
        ],
    )

    def stored():
        businesses = list(
            Enterprise.objects.order_by("name").values(
                "name",
                "nib",
                "start_date",
                "capital",
                "is_new_entrepreneur",
                "programme_year",
                "kecamatan_code",
                "kelurahan_id",
                "scale",
                "is_woman_owned",
            )
        )
        people = list(
            Person.objects.order_by("name").values(
                "name",
                "nik",
                "sex",
                "business_since",
                "new_entrepreneur_year",
                "kecamatan_code",
                "has_business",
            )
        )
        return businesses, people

    engine.run("enterprises", path, commit=True)
    expected = stored()
    Enterprise.objects.all().delete()
    Person.objects.all().delete()

    declared([dataclasses.replace(c) for c in reversed(enterprise_import.COLUMNS)])
    engine.run("enterprises", path, commit=True)
    assert stored() == expected
    assert expected[1][0]["new_entrepreneur_year"] == 2024  # Budi's own answer
    assert expected[1][1]["new_entrepreneur_year"] is None  # Siti's own answer
