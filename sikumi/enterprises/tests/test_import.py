import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from sikumi.audit.models import AuditEntry
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.enterprises.selectors import promise_progress
from sikumi.enterprises.tests.helpers import NIK_ANI, NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports import engine
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def run_command(path, *args):
    out = StringIO()
    call_command("import_enterprises", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_good_file_imports_completely(personas, depok, tmp_path):
    path = write_xlsx(
        tmp_path / "baik.xlsx",
        [
            row("Keripik Mak Siti", "Siti Aminah", NIK_SITI, "Perempuan", nib="1234567890123"),
            row("Warung Budi", "Budi Santoso", NIK_BUDI, kelurahan="Curug", kecamatan="Cimanggis"),
            row(
                "Laundry Ani",
                "Ani Lestari",
                NIK_ANI,
                "P",
                kelurahan="Beji",
                kecamatan="Beji",
                capital="Rp 1.500.000.000",
                omzet="2.100.000.000,00",
                wub="Ya",
                year=2024,
            ),
        ],
    )
    report = run_command(path)
    assert report["valid_rows"] == 3
    assert report["errors"] == [] and report["duplicates"] == []
    assert Enterprise.objects.count() == 3
    curug = Enterprise.objects.get(name="Warung Budi")
    # "Curug" exists in two kecamatan: the Kecamatan column decides.
    assert curug.kelurahan_id == "32.76.02.1008"
    assert curug.kecamatan_code == "32.76.02"
    ani = Enterprise.objects.get(name="Laundry Ani")
    assert ani.scale == "kecil"  # Rp1,5 bn capital
    assert ani.is_woman_owned and ani.is_new_entrepreneur and ani.programme_year == 2024
    assert EnterpriseTurnover.objects.get(enterprise=ani).amount == 2_100_000_000
    batch = ImportBatch.objects.get()
    assert batch.status == "committed"
    assert AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).count() == 1


def test_a_file_with_bad_rows_reports_each_row_and_loses_nothing(personas, depok, tmp_path):
    path = write_xlsx(
        tmp_path / "salah.xlsx",
        [
            row("Usaha Baik Satu", "Budi Santoso", NIK_BUDI),
            row("NIK Salah", "Dedi", "32760112038500"),  # 14 digits
            row("NIB Pendek", "Eko", None, nib="123456789012"),  # 12 digits
            row("Mulai Nanti", "Fajar", None, start=dt.date(2027, 1, 5)),
            row("Modal Teks", "Gita", None, "P", capital="lima juta"),
            row("Tanpa Wilayah", "Hadi", None, kelurahan="Antah Berantah", kecamatan=None),
            row("Usaha Baik Dua", "Siti Aminah", NIK_SITI, "Perempuan"),
        ],
    )
    report = run_command(path, "--dry-run")
    by_row = {(e["row"], e["column"]) for e in report["errors"]}
    assert by_row == {
        (3, "NIK"),
        (4, "NIB"),
        (5, "Tanggal Mulai Usaha"),
        (6, "Modal Usaha"),
        (7, "Kelurahan"),
    }
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert "16 digit" in messages[3]
    assert "13 digit" in messages[4]
    assert "masa depan" in messages[5]
    assert "bukan angka" in messages[6]
    assert "tidak dikenal" in messages[7]
    assert report["valid_rows"] == 2
    assert report["total_rows"] == report["valid_rows"] + report["error_rows"]
    assert Enterprise.objects.count() == 0  # a dry run writes nothing

    report = run_command(path)
    assert report["valid_rows"] == 2
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == [
        "Usaha Baik Dua",
        "Usaha Baik Satu",
    ]


def test_the_same_person_in_two_import_files_remains_one_person(personas, depok, tmp_path):
    first = write_xlsx(tmp_path / "a.xlsx", [row("Warung Budi", "Budi Santoso", NIK_BUDI)])
    second = write_xlsx(
        tmp_path / "b.xlsx",
        [
            row("Bengkel Budi", "BUDI SANTOSO", NIK_BUDI, nib="1111111111111"),
            row("Cuci Motor Budi", "budi  santoso", NIK_BUDI),
        ],
    )
    run_command(first)
    run_command(second)
    assert Person.objects.count() == 1
    assert Person.objects.get().enterprises.count() == 3


def test_duplicates_are_reported_against_the_file_and_the_database(personas, depok, tmp_path):
    run_command(
        write_xlsx(tmp_path / "a.xlsx", [row("Toko A", "Budi", NIK_BUDI, nib="2222222222222")])
    )
    report = run_command(
        write_xlsx(
            tmp_path / "b.xlsx",
            [
                row("Toko A lagi", "Budi", NIK_BUDI, nib="2222222222222"),
                row("Toko B", "Siti", NIK_SITI, "P", nib="3333333333333"),
                row("Toko B kembar", "Siti", NIK_SITI, "P", nib="3333333333333"),
            ],
        )
    )
    dups = {d["row"]: d for d in report["duplicates"]}
    assert dups[2]["duplicate_of"] is None and "sudah terdaftar" in dups[2]["message"]
    assert dups[4]["duplicate_of"] == 3 and dups[4]["column"] == "NIB"
    assert report["valid_rows"] == 1
    assert Enterprise.objects.count() == 2


def test_reverting_the_batch_removes_exactly_what_it_added(personas, depok, tmp_path):
    from sikumi.imports.services import batch_revert

    run_command(write_xlsx(tmp_path / "lama.xlsx", [row("Warung Lama", "Budi", NIK_BUDI)]))
    before = (
        set(Person.objects.values_list("pk", flat=True)),
        set(Enterprise.objects.values_list("pk", flat=True)),
        set(EnterpriseTurnover.objects.values_list("pk", flat=True)),
    )
    report = run_command(
        write_xlsx(
            tmp_path / "baru.xlsx",
            [
                row("Warung Kedua Budi", "Budi", NIK_BUDI),  # an existing person
                row("Kue Siti", "Siti", NIK_SITI, "P"),
                row("Jahit Tanpa NIK", "Wati", None, "P"),
            ],
        )
    )
    batch = ImportBatch.objects.get(pk=report["batch"])
    assert Enterprise.objects.count() == 4 and Person.objects.count() == 3
    counts = batch_revert(actor=personas.sari, batch=batch)
    after = (
        set(Person.objects.values_list("pk", flat=True)),
        set(Enterprise.objects.values_list("pk", flat=True)),
        set(EnterpriseTurnover.objects.values_list("pk", flat=True)),
    )
    assert after == before
    assert counts == {"catatan omzet": 3, "usaha": 3, "pelaku usaha": 2}
    batch.refresh_from_db()
    assert batch.status == "reverted"
    entry = AuditEntry.objects.get(action="revert", object_id=str(batch.pk))
    assert "usaha: 3" in entry.note and entry.actor == personas.sari


def test_the_women_entrepreneur_count_counts_people(personas, depok, tmp_path):
    run_command(
        write_xlsx(
            tmp_path / "wub.xlsx",
            [
                row("Kue Siti", "Siti", NIK_SITI, "Perempuan", wub="Ya", year=2023),
                row("Katering Siti", "Siti", NIK_SITI, "Perempuan", wub="Ya", year=2023),
                row(
                    "Hijab Siti",
                    "Siti",
                    NIK_SITI,
                    "Perempuan",
                    kelurahan="Beji",
                    kecamatan="Beji",
                    wub="Ya",
                    year=2024,
                ),
                row("Laundry Ani", "Ani", NIK_ANI, "Perempuan", wub="Ya", year=2024),
                row("Bengkel Budi", "Budi", NIK_BUDI, wub="Ya", year=2022),
                row("Toko Lama", "Dewi", None, "Perempuan"),  # not a new entrepreneur
            ],
        )
    )
    progress = promise_progress()
    assert progress["women_entrepreneurs"] == 2  # Siti (3 businesses) and Ani
    assert progress["new_entrepreneurs"] == 3
    # Each person once: Siti in her first programme year (2023) and at her first business
    # (Sawangan), so the years and the kecamatan add up to the totals.
    per_year = {r["year"]: r for r in progress["per_year"]}
    assert per_year[2023]["women"] == 1 and per_year[2024]["women"] == 1
    assert sum(r["new"] for r in progress["per_year"]) == 3
    per_kec = {r["code"]: r for r in progress["per_kecamatan"]}
    assert per_kec["32.76.03"]["women"] == 2 and per_kec["32.76.06"]["women"] == 0
    assert sum(r["new"] for r in progress["per_kecamatan"]) == 3
    assert promise_progress(2024)["women_entrepreneurs"] == 1


def test_a_two_row_merged_header_below_a_title_is_recognised(personas, depok, tmp_path):
    import xlsxwriter

    path = tmp_path / "bertingkat.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    merge = wb.add_format({"bold": True})
    ws.write(0, 0, "HASIL PENDATAAN USAHA MIKRO KECAMATAN SAWANGAN 2026")
    ws.merge_range(2, 0, 3, 0, "No.", merge)
    ws.merge_range(2, 1, 3, 1, "Nama Usaha", merge)
    ws.merge_range(2, 2, 2, 4, "Pemilik", merge)
    ws.write_row(3, 2, ["Nama", "NIK", "JK"])
    ws.merge_range(2, 5, 3, 5, "Kelurahan", merge)
    ws.merge_range(2, 6, 2, 7, "Omzet", merge)
    ws.write_row(3, 6, ["Jumlah", "Tahun"])
    ws.write_row(4, 0, [1, "Kue Bu Siti", "Siti", NIK_SITI, "P", "Kedaung", "Rp 150.000.000", 2025])
    ws.write_row(5, 0, [])
    ws.write_row(6, 0, [2, "Tahu Pak Budi", "Budi", NIK_BUDI, "L", "Pasir Putih", 90000000, 2025])
    wb.close()
    report = engine.run("enterprises", path, commit=True)
    assert report["header_row"] == 4
    assert report["columns"]["Pemilik - NIK"] == "nik"
    assert report["columns"]["Omzet - Jumlah"] == "turnover"
    assert report["errors"] == []
    assert report["valid_rows"] == 2  # the blank row is skipped
    siti = Enterprise.objects.get(name="Kue Bu Siti")
    assert siti.is_woman_owned
    assert siti.turnovers.get().amount == 150_000_000


def test_a_missing_required_column_fails_the_file_with_one_clear_message(personas, depok, tmp_path):
    path = write_xlsx(
        tmp_path / "kurang.xlsx", [["Toko", "3276011203850001"]], headers=["Nama Usaha", "NIK"]
    )
    report = engine.run("enterprises", path, commit=False)
    assert report["failed"]
    assert "Nama Pemilik" in report["errors"][0]["message"]
    assert "Kelurahan" in report["errors"][0]["message"]


def test_a_file_that_is_not_xlsx_is_refused_clearly(personas, depok, tmp_path):
    path = tmp_path / "bukan.xlsx"
    path.write_text("ini bukan excel")
    report = engine.run("enterprises", path, commit=False)
    assert report["failed"] and "XLSX" in report["errors"][0]["message"]


def test_a_large_sheet_read_in_slices_gives_the_same_rows(personas, depok, tmp_path):
    from sikumi.enterprises.demo import write_xlsx as demo_xlsx
    from sikumi.imports.reader import SheetRows

    path = tmp_path / "contoh.xlsx"
    demo_xlsx(path, 1200, seed=5)
    direct = list(SheetRows(path))
    sliced_reader = SheetRows(path, slice_rows=100, threshold=0)
    assert sliced_reader.sliced
    assert list(sliced_reader) == direct
    assert len(direct) == 1201


def test_a_large_file_is_read_in_a_child_process_with_the_same_result(personas, depok, tmp_path):
    from sikumi.enterprises.demo import write_xlsx as demo_xlsx
    from sikumi.imports.reader import SheetRows

    path = tmp_path / "besar.xlsx"
    demo_xlsx(path, 700, seed=9)
    sequential = engine.run("enterprises", path, commit=False, parallel=False)
    reader = SheetRows(path, slice_rows=150, threshold=0)
    report = engine.run("enterprises", path, commit=True, reader=reader, parallel=True)
    assert report["valid_rows"] == sequential["valid_rows"] == 700
    assert report["sample"] == sequential["sample"]
    assert Enterprise.objects.count() == 700
    assert Person.objects.count() == report["created"]["pelaku usaha"] < 700


def test_a_csv_file_as_excel_saves_it_imports_like_the_xlsx(personas, depok, tmp_path):
    """Excel in Indonesian saves CSV with semicolons in Windows-1252; numbers as typed."""
    lines = [
        "Nama Usaha;Nama Pemilik;NIK;Jenis Kelamin;Kelurahan;Kecamatan;Modal Usaha;Omzet per Tahun",
        f"Warung Bu Énah;Énah;{NIK_SITI};P;Kedaung;Sawangan;Rp 1.250.000;12.500.000,50",
        f"Bengkel Budi;Budi;{NIK_BUDI};L;Kedaung;Sawangan;2.000.000;",
    ]
    path = tmp_path / "pendataan.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    report = engine.run("enterprises", path, commit=True)
    assert report["errors"] == [] and report["valid_rows"] == 2, report
    warung = Enterprise.objects.get(name="Warung Bu Énah")
    assert warung.capital == 1_250_000
    assert warung.owner.sex == "P"
    assert warung.turnovers.get().amount == Decimal("12500000.50")
