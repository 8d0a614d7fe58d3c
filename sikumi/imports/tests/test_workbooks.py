"""The files the import pages hand out: the template of a kind (from its column declarations)
and the refused rows of a batch, which upload again as they are."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.enterprises.models import Enterprise
from sikumi.enterprises.tests.helpers import NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports import workbooks
from sikumi.imports.base import get_importer
from sikumi.imports.models import ImportBatch
from sikumi.rules.parsing import parse_date

pytestmark = pytest.mark.django_db


def _book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("kind", ["enterprises", "cooperatives", "training_participants"])
def test_a_template_follows_the_declarations(kind, personas, client_for):
    importer = get_importer(kind)
    response = client_for(personas.sari).get(reverse("imports:template", args=[kind]))
    assert response["Content-Disposition"].startswith("attachment")
    data, guide = _book(response).worksheets
    headers = [c.value for c in data[1]]
    assert headers == [c.label + (" *" if c.required else "") for c in importer.columns]
    row_two = [c.value for c in data[2]]
    row_two += [None] * (len(importer.columns) - len(row_two))
    for column, value in zip(importer.columns, row_two, strict=True):
        if isinstance(value, dt.datetime):  # a date example is written as a date
            assert value.date() == parse_date(column.example)
        else:
            assert (value or "") == column.example
    assert guide.title == "Petunjuk"
    explained = {r[0].value: r[2].value for r in guide.iter_rows() if r[0].value in headers}
    assert set(explained) == set(headers)
    assert all(explained.values())  # every column explained


def test_the_enterprise_template_explains_each_column(personas, client_for):
    response = client_for(personas.sari).get(reverse("imports:template", args=["enterprises"]))
    _data, guide = _book(response).worksheets
    explained = {r[0].value: r[2].value for r in guide.iter_rows()}
    assert "Wajib diisi." in explained["Nama Usaha *"]
    assert "Paling banyak 200 karakter." in explained["Nama Usaha *"]
    assert "Tanggal, misalnya 17-08-2026" in explained["Tanggal Mulai Usaha"]
    assert "Ya atau Tidak." in explained["Wirausaha Baru"]


def test_the_error_rows_upload_again_once_fixed(
    personas, depok, client_for, tmp_path, django_capture_on_commit_callbacks
):
    headers = [
        "Nama Usaha",
        "Nama Pemilik",
        "NIK",
        "Jenis Kelamin",
        "Kelurahan",
        "Kecamatan",
        "NIB",
        "Tanggal Mulai Usaha",
    ]
    path = write_xlsx(
        tmp_path / "pendataan.xlsx",
        [
            row("Warung Budi", "Budi", NIK_BUDI)[:8],
            row("NIK Salah", "Dedi", "123", kelurahan="Beji", kecamatan="Beji")[:8],
            row("Kue Siti", "Siti", NIK_SITI, "P", start="kemarin")[:8],
        ],
        headers,
    )
    client = client_for(personas.sari)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=["enterprises"]),
            {"file": SimpleUploadedFile("pendataan.xlsx", path.read_bytes())},
        )
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    # The bad rows are marked in the preview table, each with its message.
    assert '<tr class="row-error"><td class="num">3</td>' in page
    assert "NIK: NIK harus 16 digit angka (terisi 3 karakter)" in page
    assert '<tr><td class="num">2</td>' in page  # a good row is not marked
    # Confirming asks first.
    assert "data-confirm=" in page.split(reverse("imports:confirm", args=[batch.pk]))[1][:200]

    response = client.get(reverse("imports:errors", args=[batch.pk]))
    assert AuditEntry.objects.filter(
        action="export_personal", object_id=str(batch.pk), personal_data=True
    ).exists()
    sheet = _book(response).worksheets[0]
    importer = get_importer("enterprises")
    headers = [c.value for c in sheet[1]]
    assert headers == [workbooks.header(c) for c in importer.columns] + ["Kesalahan"]
    cells = [{h: c.value for h, c in zip(headers, r, strict=True)} for r in sheet.iter_rows(2)]
    assert [c["Nama Usaha *"] for c in cells] == ["NIK Salah", "Kue Siti"]
    assert cells[0]["NIK"] == "123" and cells[0]["Kelurahan *"] == "Beji"
    assert cells[0]["Kesalahan"] == "Baris 3: NIK: NIK harus 16 digit angka (terisi 3 karakter)"
    assert cells[1]["NIK"] == NIK_SITI  # a NIK stays text, every digit kept
    assert "Baris 4: Tanggal Mulai Usaha: 'kemarin' bukan tanggal" in cells[1]["Kesalahan"]

    # Fixed in place and uploaded again as it is: both rows import.
    sheet.cell(2, headers.index("NIK") + 1).value = "3276011506900005"
    sheet.cell(3, headers.index("Tanggal Mulai Usaha") + 1).value = "01-03-2022"
    fixed = io.BytesIO()
    sheet.parent.save(fixed)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=["enterprises"]),
            {"file": SimpleUploadedFile("perbaikan.xlsx", fixed.getvalue())},
        )
    again = ImportBatch.objects.order_by("-pk").first()
    assert again.report["unmatched_headers"] == ["Kesalahan"]
    assert again.valid_rows == 2 and again.error_rows == 0, again.report["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[again.pk]))
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"NIK Salah", "Kue Siti"}


def test_the_error_rows_go_only_to_those_who_may_download_the_file(
    personas, depok, client_for, tmp_path, django_capture_on_commit_callbacks
):
    path = write_xlsx(tmp_path / "x.xlsx", [row("NIK Salah", "Dedi", "123")])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.sari).post(
            reverse("imports:upload", args=["enterprises"]),
            {"file": SimpleUploadedFile("x.xlsx", path.read_bytes())},
        )
    batch = ImportBatch.objects.get()
    assert (
        client_for(personas.kiki).get(reverse("imports:errors", args=[batch.pk])).status_code == 403
    )
