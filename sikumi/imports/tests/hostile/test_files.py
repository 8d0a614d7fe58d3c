"""Hostile and oversized import files (issue 15): each is refused with a message in Bahasa
Indonesia before any reader allocates by it, nothing is written, and the process survives."""

import pytest
import xlsxwriter

from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.tests.helpers import HEADERS, NIK_BUDI, row, write_xlsx
from sikumi.imports import engine

pytestmark = pytest.mark.django_db


def failed_with(report, *words):
    assert report.get("failed"), report
    message = report["errors"][0]["message"]
    for word in words:
        assert word in message, message
    assert Enterprise.objects.count() == 0 and Person.objects.count() == 0
    return message


def test_one_cell_at_the_last_column_and_row_is_refused(personas, depok, tmp_path):
    """A 6 KB file whose one cell sits at XFD1048576 made calamine ask for 512 GiB and abort
    the worker. The extent is checked first."""
    path = tmp_path / "xfd.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for c, header in enumerate(HEADERS):
        sheet.write_string(0, c, header)
    for c, value in enumerate(row("Warung", "Budi", NIK_BUDI)):
        if value is not None and not hasattr(value, "year"):
            sheet.write(1, c, value)
    sheet.write_string(1048575, 16383, "x")
    book.close()
    assert path.stat().st_size < 20_000
    failed_with(engine.run("enterprises", path, commit=True), "XFD", "kolom")


def test_the_same_cell_in_a_large_sheet_read_in_slices_is_refused(personas, depok, tmp_path):
    from sikumi.imports.reader import SheetRows

    path = tmp_path / "xfd-besar.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, header in enumerate(HEADERS):
        sheet.write_string(0, c, header)
    for r in range(1, 300):
        sheet.write_string(r, 0, f"Usaha {r}")
    sheet.write_string(300, 702, "x")  # column AAA
    book.close()
    reader = SheetRows(path, slice_rows=100, threshold=0)
    failed_with(engine.run("enterprises", path, commit=True, reader=reader), "AAA")


def test_more_rows_than_the_limit_is_refused(personas, depok, tmp_path, settings):
    settings.SIKUMI_IMPORT_MAX_ROWS = 5
    rows = [row(f"Usaha {i}", "Budi", None) for i in range(40)]
    path = write_xlsx(tmp_path / "banyak.xlsx", rows)
    failed_with(engine.run("enterprises", path, commit=True), "lebih dari 5 baris")


def test_too_many_shared_strings_are_refused(personas, depok, tmp_path, settings):
    settings.SIKUMI_IMPORT_MAX_SHARED_STRINGS = 10
    rows = [row(f"Usaha {i}", f"Pemilik {i}", None) for i in range(20)]
    path = write_xlsx(tmp_path / "teks.xlsx", rows)  # xlsxwriter shares strings by default
    failed_with(engine.run("enterprises", path, commit=True), "teks")


def test_a_sheet_too_large_uncompressed_is_refused(personas, depok, tmp_path, settings):
    settings.SIKUMI_IMPORT_MAX_SHEET_MB = 0
    path = write_xlsx(tmp_path / "bom.xlsx", [row("Warung", "Budi", NIK_BUDI)])
    failed_with(engine.run("enterprises", path, commit=True), "terlalu besar")


def test_a_reader_out_of_memory_ends_only_the_reading_child(
    personas, depok, tmp_path, settings, monkeypatch
):
    """The reading child has an address-space cap: a reader that asks for far more (as calamine
    did for a cell at XFD1048576) fails there, the import reports it, and the importing process
    (the worker) lives on and imports the next file."""
    from sikumi.imports.reader import SheetRows

    read = SheetRows._direct_rows

    def greedy(self):
        hog = bytearray(8 * 1024**3)  # 8 GiB: far beyond the cap
        yield from read(self)
        del hog

    settings.SIKUMI_IMPORT_READER_MEMORY_MB = 64
    monkeypatch.setattr(SheetRows, "_direct_rows", greedy)
    path = write_xlsx(tmp_path / "a.xlsx", [row(f"Usaha {i}", "Budi", None) for i in range(30)])
    message = failed_with(engine.run("enterprises", path, commit=True), "Berkas tidak dapat dibaca")
    assert "memori" in message and "Traceback" not in message
    monkeypatch.undo()
    report = engine.run("enterprises", path, commit=True)  # the same process imports again
    assert report["valid_rows"] == 30


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("rusak.xlsx", b"PK\x03\x04 not really a zip", ("XLSX",)),
        ("kosong.xlsx", b"", ("XLSX",)),
        ("biner.csv", b"\x00\x01\x02", ("CSV",)),
    ],
)
def test_broken_files_are_refused_clearly(personas, depok, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    failed_with(engine.run("enterprises", path, commit=True), *words)


def test_oversized_numbers_and_texts_are_row_errors_not_a_broken_registry(
    personas, depok, tmp_path, client_for
):
    """Modal 12345678901234567 or 1e400 passed the import and then broke every page of the
    registry (decimal.InvalidOperation). The model's own limits now apply in the import."""
    rows = [
        row("Usaha Besar", "Budi", None, capital=12345678901234567),
        row("Usaha Tak Hingga", "Budi", None, capital="1e400"),
        row("N" * 201, "Budi", None),
        row("Usaha Baik", "Budi", None),
    ]
    path = write_xlsx(tmp_path / "angka.xlsx", rows)
    report = engine.run("enterprises", path, commit=True)
    assert report["error_rows"] == 3 and report["valid_rows"] == 1
    columns = sorted(e["column"] for e in report["errors"])
    assert columns == ["Modal Usaha", "Modal Usaha", "Nama Usaha"]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Usaha Baik"]
    client = client_for(personas.kiki)
    assert client.get("/usaha-mikro/").status_code == 200
    assert client.get("/usaha-mikro/", {"format": "xlsx"}).status_code == 200
