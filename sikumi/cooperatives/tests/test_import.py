import json
from io import StringIO

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sikumi.cooperatives import selectors
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.imports import services as imports
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

HEADER_TOP = [
    "No",
    "Nama Koperasi",
    "No. Badan Hukum",
    "Tanggal Badan Hukum",
    "Alamat",
    "Kelurahan",
    "Kecamatan",
    "Jenis Koperasi",
    "Jumlah Anggota",
    None,
    "Tahun RAT Terakhir",
]
ROWS = {
    5: [
        1,
        "Koperasi Simpan Pinjam Maju Jaya",
        "518/BH/XIII/2005",
        "12/05/2005",
        "Jl. Raya Bogor 1",
        "Curug",
        "Cimanggis",
        "Simpan Pinjam",
        "1.234",
        "1.000",
        2025,
    ],
    # row 6 blank
    7: [
        2,
        "Kopkon Sejahtera",
        "BH-2",
        "3 Maret 2010",
        "Jl. Raya Parung",
        "Kel. Curug",
        "Bojongsari",
        "Konsumen",
        40,
        35,
        2022,
    ],
    8: [
        3,
        "KSP. Maju-Jaya",
        "999/BH/2019",
        None,
        "Jl. Raya Bogor 9",
        "Curug",
        "Cimanggis",
        "KSP",
        10,
        10,
        2024,
    ],
    9: [4, "Koperasi Jasa Antah", "BH-4", None, "-", "Kampung Antah", "Beji", "Jasa", 5, 5, 2024],
    10: [
        5,
        "Koperasi Produsen Tahu",
        "BH-5",
        None,
        "-",
        "Kukusan",
        "Beji",
        "Produsen",
        "banyak",
        3,
        2023,
    ],
    11: [6, "Koperasi Pemasaran Ragu", "BH-6", None, "-", "Curug", None, "Pemasaran", 1, 1, 2023],
    12: [7, "Koperasi Lama Sekali", "BH-DB-1", None, "-", "Beji", "Beji", "Jasa", 1, 1, 2020],
}


def _messy_xlsx(path):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Koperasi")
    sheet.merge_range(0, 0, 0, 10, "DAFTAR KOPERASI KOTA DEPOK TAHUN 2025")
    for col, text in enumerate(HEADER_TOP):
        if col in (8, 9):
            continue
        sheet.merge_range(2, col, 3, col, text)
    sheet.merge_range(2, 8, 2, 9, "Jumlah Anggota")
    sheet.write(3, 8, "L")
    sheet.write(3, 9, "P")
    for row, values in ROWS.items():
        for col, value in enumerate(values):
            if value is not None:
                sheet.write(row - 1, col, value)
    book.close()
    return path


@pytest.fixture
def messy(tmp_path, personas, depok):
    Cooperative.objects.create(
        name="Koperasi Lama di Database", jenis="jasa", legal_entity_number="BH-DB-1"
    )
    return _messy_xlsx(tmp_path / "koperasi-dinas.xlsx")


def _dry_run(path):
    out = StringIO()
    call_command("import_cooperatives", str(path), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_messy_excel_list_reports_each_bad_row_and_writes_nothing(messy):
    report = _dry_run(messy)
    assert report["valid_rows"] == 2
    errors = {(e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert "Kampung Antah" in errors[(9, "Kelurahan")]
    assert "bukan angka" in errors[(10, "Jumlah Anggota - L")]
    assert "beberapa kecamatan" in errors[(11, "Kelurahan")]
    assert "Bojongsari" in errors[(11, "Kelurahan")] and "Cimanggis" in errors[(11, "Kelurahan")]
    assert {e["row"] for e in report["errors"]} == {9, 10, 11}
    duplicates = {d["row"]: d for d in report["duplicates"]}
    assert set(duplicates) == {8, 12}
    assert duplicates[8]["duplicate_of"] == 5
    assert "sudah terdaftar" in duplicates[12]["message"]
    assert set(report) >= {"valid_rows", "errors", "duplicates"}
    assert list(report)[:3] == ["valid_rows", "errors", "duplicates"]
    # Nothing written.
    assert Cooperative.objects.count() == 1
    assert not RatReport.objects.exists()


def test_the_import_is_written_only_after_confirmation_and_can_be_reverted(
    messy, personas, django_capture_on_commit_callbacks
):
    with messy.open("rb") as fh:
        upload = SimpleUploadedFile("koperasi-dinas.xlsx", fh.read())
    with django_capture_on_commit_callbacks(execute=True):  # background tasks run inline
        batch = imports.batch_upload(actor=personas.kiki, kind="cooperatives", file=upload)
    batch.refresh_from_db()
    assert batch.valid_rows == 2 and batch.error_rows == 3 and batch.duplicate_rows == 2
    assert str(batch.file.name).endswith(".xlsx")
    assert Cooperative.objects.count() == 1  # preview only

    with django_capture_on_commit_callbacks(execute=True):
        imports.batch_confirm(actor=personas.kiki, batch=batch)
    batch.refresh_from_db()
    assert Cooperative.objects.count() == 3
    maju = Cooperative.objects.get(name="Koperasi Simpan Pinjam Maju Jaya")
    assert maju.kelurahan_id == "32.76.02.1008"  # Curug in Cimanggis
    assert maju.kecamatan_id == "32.76.02"
    assert str(maju.legal_entity_date) == "2005-05-12"
    assert maju.import_batch_id == batch.pk
    report = RatReport.objects.get(cooperative=maju)
    assert (report.year, report.members_men, report.members_women) == (2025, 1234, 1000)
    assert selectors.cooperative_status(maju).code == "aktif"
    kopkon = Cooperative.objects.get(name="Kopkon Sejahtera")
    assert kopkon.kelurahan_id == "32.76.11.1005"  # Curug in Bojongsari
    assert kopkon.jenis == "konsumen"

    imports.batch_revert(actor=personas.kiki, batch=batch)
    assert Cooperative.objects.count() == 1
    assert not RatReport.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).file  # the file stays with the batch


def test_staf_of_another_bidang_cannot_import_cooperatives(messy, personas):
    with messy.open("rb") as fh:
        upload = SimpleUploadedFile("koperasi-dinas.xlsx", fh.read())
    with pytest.raises(PermissionDenied):
        imports.batch_upload(actor=personas.sari, kind="cooperatives", file=upload)
    assert not ImportBatch.objects.exists()
