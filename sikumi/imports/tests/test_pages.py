import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.enterprises.models import Enterprise
from sikumi.enterprises.tests.helpers import NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports.base import normalise_header
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_headers_are_matched_whatever_their_spelling():
    assert normalise_header("  No. HP ") == "no hp"
    assert normalise_header("NAMA  USAHA") == "nama usaha"
    assert normalise_header(2025.0) == "2025"


def test_an_upload_is_previewed_then_confirmed_then_reverted_through_the_pages(
    personas, depok, client_for, tmp_path, django_capture_on_commit_callbacks
):
    path = write_xlsx(
        tmp_path / "pendataan.xlsx",
        [
            row("Warung Budi", "Budi", NIK_BUDI),
            row("NIK Salah", "Dedi", "123"),
            row("Kue Siti", "Siti", NIK_SITI, "P"),
        ],
    )
    client = client_for(personas.sari)
    upload = SimpleUploadedFile("pendataan.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["enterprises"]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:batch", args=[batch.pk])
    assert batch.file.read() == path.read_bytes()  # the file is kept with its batch
    html = client.get(response.url).content.decode()
    # The file (with NIKs) is downloaded through a view that records the download.
    assert reverse("imports:file", args=[batch.pk]) in html and "/media/" not in html
    download = client.get(reverse("imports:file", args=[batch.pk]))
    assert b"".join(download.streaming_content) == path.read_bytes()
    assert AuditEntry.objects.filter(
        action="export_personal", personal_data=True, object_id=str(batch.pk)
    ).exists()
    assert 'id="valid-rows">2<' in html
    assert "NIK harus 16 digit" in html and "3276********0001" in html and NIK_BUDI not in html
    assert Enterprise.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
        # A second press of the button does not import twice.
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.progress is not None
    assert batch.status == "committed" and batch.progress.status == "done"
    assert Enterprise.objects.filter(import_batch=batch).count() == 2

    client.post(reverse("imports:revert", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "reverted"
    assert Enterprise.objects.count() == 0


def test_staf_of_another_bidang_cannot_import_enterprises(personas, depok, client_for, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [row("Warung", "Budi", NIK_BUDI)])
    response = client_for(personas.wawan).post(
        reverse("imports:upload", args=["enterprises"]),
        {"file": SimpleUploadedFile("x.xlsx", path.read_bytes())},
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_upload_that_is_not_excel_is_refused_on_the_form(personas, depok, client_for):
    response = client_for(personas.sari).post(
        reverse("imports:upload", args=["enterprises"]),
        {"file": SimpleUploadedFile("x.xlsx", b"bukan excel")},
    )
    assert response.status_code == 200
    assert "bukan berkas Excel" in response.content.decode()
