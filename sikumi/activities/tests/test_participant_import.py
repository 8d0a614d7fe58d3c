"""A training's attendance list uploaded as XLSX through the import pipeline (kind
"training_participants", target: the training)."""

import io

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumi.activities.models import TrainingParticipant
from sikumi.enterprises.models import Person
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

SITI = "3276034506850001"
BUDI = "3276061203800002"
NEW = "3276014506900003"
NEW_NO_NAME = "3276011203850004"


def _xlsx(rows, headers=("NIK", "Nama", "Kehadiran", "Hasil")):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


def _upload(client, training, content, name="daftar-hadir.xlsx"):
    url = reverse("imports:upload", args=["training_participants"])
    return client.post(
        f"{url}?pelatihan={training.pk}", {"file": SimpleUploadedFile(name, content)}
    )


def _sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_an_attendance_list_is_previewed_confirmed_and_reverted(
    personas, world, client_for, django_capture_on_commit_callbacks
):
    TrainingParticipant.objects.create(training=world.training, person=world.persons[1])
    client = client_for(personas.sari)
    content = _xlsx(
        [
            [SITI, "Siti Aminah", "Hadir", "Lulus"],
            [BUDI, "Budi", "Hadir", "Belum"],  # registered already
            [NEW, "Dewi Kartika", "hadir", "bersertifikat"],  # added to the registry
            [NEW_NO_NAME, None, "Hadir", None],  # nobody holds it, no name: refused
            ["12345", "Salah Ketik", "Hadir", None],  # invalid
            [SITI, "Siti", "Tidak hadir", "Bersertifikat"],  # twice, and a rule broken
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world.training, content)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:batch", args=[batch.pk])
    assert batch.options == {"target": world.training.pk}
    html = client.get(response.url).content.decode()
    assert world.training.topic in html  # the page says which training it imports into
    assert 'id="valid-rows">2<' in html
    assert "NIK 3276********0002 sudah terdaftar sebagai peserta pelatihan ini" in html
    assert "NIK 3276********0004 belum terdaftar di Sikumi; isi kolom Nama" in html
    assert "NIK harus 16 digit angka (terisi 5 karakter)" in html
    assert "Peserta yang tidak hadir tidak dapat bersertifikat." in html
    assert NEW not in html and BUDI not in html  # NIKs masked on the preview
    assert TrainingParticipant.objects.filter(training=world.training).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert batch.report["created"] == {"peserta pelatihan": 2, "orang baru": 1}
    page = client.get(reverse("activities:training-detail", args=[world.training.pk]))
    text = page.content.decode()
    assert "Siti Aminah" in text and "Dewi Kartika" in text and "Peserta (3)" in text
    dewi = TrainingParticipant.objects.get(person__nik=NEW)
    assert dewi.outcome == "bersertifikat" and dewi.person.sex == "P"

    client.post(reverse("imports:revert", args=[batch.pk]))
    assert TrainingParticipant.objects.filter(training=world.training).count() == 1
    assert not Person.objects.filter(nik=NEW).exists()  # the person the batch added
    assert Person.objects.filter(nik=SITI).exists()


def test_the_upload_needs_a_training_the_user_may_edit(personas, world, client_for):
    content = _xlsx([[SITI, "Siti", "Hadir", "Belum"]])
    url = reverse("imports:upload", args=["training_participants"])
    assert client_for(personas.sari).get(url).status_code == 404  # no training named
    assert client_for(personas.sari).get(f"{url}?pelatihan=999999").status_code == 404
    assert _upload(client_for(personas.wawan), world.training, content).status_code == 403
    assert not ImportBatch.objects.exists()
    # The import list offers no upload of this kind: it starts from a training's page.
    listing = client_for(personas.sari).get(reverse("imports:list")).content.decode()
    assert "?pelatihan=" not in listing and url not in listing


def test_the_template_and_the_error_rows_round_trip(
    personas, world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.sari)
    template = client.get(reverse("imports:template", args=["training_participants"]))
    assert template.status_code == 200
    book = _sheet(b"".join(template.streaming_content))
    data, guide = book.worksheets
    headers = [c.value for c in data[1]]
    assert headers == ["NIK *", "Nama", "Kehadiran", "Hasil", "Nomor Sertifikat", "Catatan"]
    assert [c.value for c in data[2]][:4] == ["3276014506850001", "Siti Aminah", "Hadir", "Lulus"]
    assert data["A2"].number_format == "@"  # a NIK typed in stays text
    assert guide.title == "Petunjuk"
    rows = {r[0].value: r for r in guide.iter_rows() if r[0].value}
    assert rows["NIK *"][1].value == "Ya"
    assert "Pilihan: Hadir, Tidak hadir." in rows["Kehadiran"][2].value
    assert "Bila kosong: Hadir." in rows["Kehadiran"][2].value
    assert "Paling banyak 100 karakter." in rows["Nomor Sertifikat"][2].value

    # The template filled in (its example row left in place) with one bad row.
    data.append([SITI, "Siti Aminah", "Hadir", "Belum"])
    data.append(["3276999999990001", "Tanpa Bulan", "Hadir", "Belum"])
    filled = io.BytesIO()
    book.save(filled)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world.training, filled.getvalue(), name="templat-terisi.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.report["total_rows"] == 2  # the example row is not imported
    assert batch.valid_rows == 1 and batch.error_rows == 1
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert '<tr class="row-error"><td class="num">4</td>' in html
    assert "NIK *: Bulan lahir pada NIK (99) tidak valid" in html

    errors = client.get(reverse("imports:errors", args=[batch.pk]))
    assert errors.status_code == 200
    sheet = _sheet(b"".join(errors.streaming_content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [*headers, "Kesalahan"]
    assert [c.value for c in sheet[2]] == [
        "3276999999990001",
        "Tanpa Bulan",
        "Hadir",
        "Belum",
        None,
        None,
        "Baris 4: NIK *: Bulan lahir pada NIK (99) tidak valid",
    ]
    assert sheet.max_row == 2


def test_a_promotion_events_participants_list_is_imported(
    personas, world, client_for, django_capture_on_commit_callbacks
):
    import datetime as dt

    from sikumi.activities.models import EventParticipant, PromotionEvent

    event = PromotionEvent.objects.create(
        kind="pameran",
        name="Pameran Produk Depok",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
        place="Balai Kota",
        organiser="Dinas",
        owner_unit=world.training.owner_unit,
    )
    content = _xlsx(
        [
            ["1234567890123", None, "2.500.000"],
            [None, BUDI, "1.000.000"],  # Budi's one business, by his NIK
            ["9999999999999", None, None],  # no such business
            [None, None, "5"],  # names no business
        ],
        headers=("NIB", "NIK Pemilik", "Penjualan (Rp)"),
    )
    client = client_for(personas.sari)
    url = reverse("imports:upload", args=["event_participants"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{url}?kegiatan={event.pk}", {"file": SimpleUploadedFile("peserta.xlsx", content)}
        )
    batch = ImportBatch.objects.get()
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="valid-rows">2<' in html
    assert "NIB 9999999999999 tidak terdaftar" in html
    assert "Isi NIB usaha atau NIK pemiliknya" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    sales = dict(EventParticipant.objects.values_list("enterprise__name", "sales"))
    assert sales == {"Keripik Bu Siti": 2500000, "Batik Beji": 1000000}
    client.post(reverse("imports:revert", args=[batch.pk]))
    assert not EventParticipant.objects.exists()


def test_an_attendance_list_may_be_a_csv_file(
    personas, world, client_for, django_capture_on_commit_callbacks
):
    content = f"No;NIK;Nama;Kehadiran\n1;{SITI};Siti Aminah;Hadir\n2;{BUDI};Budi;Tidak hadir\n"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client_for(personas.sari), world.training, content.encode(), name="hadir.csv")
    batch = ImportBatch.objects.get()
    assert batch.valid_rows == 2 and batch.report["unmatched_headers"] == ["No"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.sari).post(reverse("imports:confirm", args=[batch.pk]))
    attendance = dict(TrainingParticipant.objects.values_list("person__name", "attendance"))
    assert attendance == {"Siti Aminah": "hadir", "Budi Santoso": "tidak_hadir"}
