"""In a real browser: a training's participants added from a pasted list of NIKs, and its
attendance list through the import template and the error-rows file."""

import datetime as dt

import openpyxl
import pytest

from sikumi.activities.models import TrainingParticipant
from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login
from sikumi.enterprises.models import Person

from .conftest import KEDAUNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITI = "3276034506850001"
BUDI = "3276061203800002"
NEW = "3276014506900003"


def _open_training(page, live_server, training):
    login(page, live_server, "sari", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/kegiatan/pelatihan/{training.pk}/")


def test_participants_are_added_from_a_pasted_list_of_niks(page, live_server, personas, world):
    Person.objects.filter(pk=world.persons[0].pk).update(
        kelurahan_code=KEDAUNG, birth_date=dt.date(1985, 6, 5)
    )
    _open_training(page, live_server, world.training)
    # As copied from an Excel column (one per line, a tab before the name).
    page.fill("#id_daftar", f"{SITI}\n{BUDI}\n{NEW}\n32760345068500")
    page.get_by_role("button", name="Periksa daftar").click()

    found = page.locator("table.paste-found")
    found.wait_for()
    assert "Siti Aminah" in found.inner_text() and "Budi Santoso" in found.inner_text()
    assert "3276********0001" in found.inner_text() and "Kedaung" in found.inner_text()
    assert (
        "NIK harus 16 digit angka (terisi 14 karakter)"
        in page.locator("table.paste-invalid").inner_text()
    )
    add = page.locator("#paste-add")
    assert add.inner_text() == "Tambahkan 2 peserta"
    # A name for the NIK nobody holds adds that person too; the button counts along.
    page.get_by_label(f"Nama untuk NIK {NEW}").fill("Dewi Kartika")
    assert add.inner_text() == "Tambahkan 3 peserta"
    add.click()

    page.wait_for_selector("text=3 peserta ditambahkan.")
    listed = page.locator("#peserta ~ .table-scroll table.data").first.inner_text()
    for name in ("Siti Aminah", "Budi Santoso", "Dewi Kartika"):
        assert name in listed
    assert TrainingParticipant.objects.filter(training=world.training).count() == 3
    assert not page.console_errors


def test_the_attendance_template_and_the_error_rows_file(
    page, live_server, personas, world, tmp_path
):
    _open_training(page, live_server, world.training)
    page.get_by_role("link", name="Unggah daftar hadir (Excel/CSV)").click()
    page.wait_for_selector("#template-download")

    with page.expect_download() as download:
        page.click("#template-download")
    template = tmp_path / "templat.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book["Data"]
    assert [c.value for c in sheet[1]][:4] == ["NIK *", "Nama", "Kehadiran", "Hasil"]
    assert "Petunjuk" in book.sheetnames
    # Filled in, example row left in place: one good row, one with a NIK of 15 digits.
    sheet.append([SITI, "Siti Aminah", "Hadir", "Lulus"])
    sheet.append(["327603450685000", "Salah Satu Digit", "Hadir", "Belum"])
    filled = tmp_path / "daftar-hadir.xlsx"
    book.save(filled)

    page.set_input_files("#id_file", str(filled))
    page.get_by_role("button", name="Simpan").click()
    bad = page.locator("table.sample tr.row-error")
    bad.wait_for()
    assert bad.count() == 1
    assert "NIK harus 16 digit angka (terisi 15 karakter)" in bad.inner_text()
    assert "Salah Satu Digit" in bad.inner_text()

    with page.expect_download() as download:
        page.click("#error-rows")
    errors = tmp_path / "baris-bermasalah.xlsx"
    download.value.save_as(errors)
    rows = list(openpyxl.load_workbook(errors).worksheets[0].values)
    assert rows[0] == (
        "NIK *",
        "Nama",
        "Kehadiran",
        "Hasil",
        "Nomor Sertifikat",
        "Catatan",
        "Kesalahan",
    )
    assert rows[1][:4] == ("327603450685000", "Salah Satu Digit", "Hadir", "Belum")
    assert rows[1][6] == "Baris 4: NIK *: NIK harus 16 digit angka (terisi 15 karakter)"
    assert len(rows) == 2

    # Confirming asks first; once accepted, the good row is saved.
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Konfirmasi: simpan 1 baris valid").click()
    page.wait_for_selector("text=Impor sedang disimpan")
    assert questions and "Simpan 1 baris valid" in questions[0]
    assert list(
        TrainingParticipant.objects.filter(training=world.training).values_list(
            "person__name", flat=True
        )
    ) == ["Siti Aminah"]
    assert not page.console_errors


def test_the_person_picker_tells_namesakes_apart(page, live_server, personas, world):
    Person.objects.filter(pk=world.persons[0].pk).update(
        kelurahan_code=KEDAUNG, birth_date=dt.date(1985, 6, 5)
    )
    Person.objects.create(
        name="Siti Aminah",
        nik="3276064101920034",
        birth_date=dt.date(1992, 1, 1),
        owner_unit=world.persons[0].owner_unit,
    )
    participant = TrainingParticipant.objects.create(
        training=world.training, person=world.persons[1]
    )
    login(page, live_server, "sari", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/kegiatan/peserta-pelatihan/{participant.pk}/ubah/")
    page.locator("#id_person ~ input.lookup-search").fill("siti am")
    first = page.get_by_role("button", name="Siti Aminah · •••• 0001 · Kedaung · lahir 1985")
    second = page.get_by_role("button", name="Siti Aminah · •••• 0034 · lahir 1992")
    first.wait_for()
    assert second.is_visible()
    second.click()
    assert page.locator("#id_person + .lookup-label").inner_text() == "Siti Aminah"
    assert not page.console_errors
