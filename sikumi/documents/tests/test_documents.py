import datetime as dt

import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.documents.models import Document
from sikumi.documents.services import document_bulk_recategorise

pytestmark = pytest.mark.django_db


@pytest.fixture
def pengawasan_doc(personas):
    return Document.objects.create(
        title="Laporan Pemeriksaan Koperasi Mawar",
        category="laporan",
        date=dt.date(2026, 3, 2),
        owner_unit=personas.unit("seksi-pengawasan"),
    )


def _form(doc, **changes):
    data = {
        "title": doc.title,
        "category": doc.category,
        "number": doc.number,
        "date": doc.date.isoformat(),
        "owner_unit": doc.owner_unit_id,
        "notes": doc.notes,
        "version": doc.version,
    }
    data.update(changes)
    return data


def test_staf_of_another_bidang_is_refused_on_the_page_and_nothing_changes(
    personas, pengawasan_doc, client_for
):
    client = client_for(personas.sari)
    url = reverse("documents:edit", args=[pengawasan_doc.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, _form(pengawasan_doc, title="Diubah Sari"))
    assert response.status_code == 403
    assert "tidak berwenang" in response.content.decode()
    pengawasan_doc.refresh_from_db()
    assert pengawasan_doc.title == "Laporan Pemeriksaan Koperasi Mawar"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_staf_of_another_bidang_is_refused_by_the_api_and_nothing_changes(
    personas, pengawasan_doc, api_for
):
    api = api_for(personas.sari)
    url = f"/api/documents/{pengawasan_doc.pk}/"
    assert api.patch(url, {"title": "Diubah lewat API"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    pengawasan_doc.refresh_from_db()
    assert pengawasan_doc.title == "Laporan Pemeriksaan Koperasi Mawar"
    assert pengawasan_doc.archived_at is None


def test_a_page_edit_is_in_the_audit_trail_with_before_and_after(
    personas, pengawasan_doc, client_for
):
    client = client_for(personas.wawan)
    url = reverse("documents:edit", args=[pengawasan_doc.pk])
    response = client.post(
        url, _form(pengawasan_doc, title="Laporan Pemeriksaan (revisi)"), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update", object_id=str(pengawasan_doc.pk))
    assert entry.actor == personas.wawan
    assert entry.source == "page"
    assert entry.ip_address == "10.1.2.3"
    assert entry.before["title"] == "Laporan Pemeriksaan Koperasi Mawar"
    assert entry.after["title"] == "Laporan Pemeriksaan (revisi)"
    # The auditor sees it in the trail.
    page = client_for(personas.aulia).get(reverse("audit:list"), {"object_id": pengawasan_doc.pk})
    assert "Laporan Pemeriksaan (revisi)" in page.content.decode()


def test_an_api_edit_is_in_the_audit_trail_with_before_and_after(personas, pengawasan_doc, api_for):
    response = api_for(personas.wulan).patch(
        f"/api/documents/{pengawasan_doc.pk}/",
        {"number": "700/12/2026", "version": pengawasan_doc.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(action="update", object_id=str(pengawasan_doc.pk))
    assert entry.source == "api"
    assert entry.before["number"] == ""
    assert entry.after["number"] == "700/12/2026"


def test_a_bulk_change_records_one_entry_per_record(personas, pengawasan_doc):
    other = Document.objects.create(
        title="Notulen rapat",
        category="notulen",
        date=dt.date(2026, 4, 1),
        owner_unit=personas.unit("bidang-pengawasan"),
    )
    count = document_bulk_recategorise(
        actor=personas.wawan, documents=Document.objects.all(), category="bukti"
    )
    assert count == 2
    entries = AuditEntry.objects.filter(action="update").order_by("object_id")
    assert [(e.before["category"], e.after["category"]) for e in entries] == [
        ("laporan", "bukti"),
        ("notulen", "bukti"),
    ]
    assert set(Document.objects.values_list("category", flat=True)) == {"bukti"}
    assert other.pk in {int(e.object_id) for e in entries}


def test_a_bulk_change_touching_another_bidang_is_refused_whole(personas, pengawasan_doc):
    from django.core.exceptions import PermissionDenied

    Document.objects.create(
        title="SK Tim",
        category="sk",
        date=dt.date(2026, 1, 5),
        owner_unit=personas.unit("bidang-pemberdayaan"),
    )
    with pytest.raises(PermissionDenied):
        document_bulk_recategorise(
            actor=personas.wawan, documents=Document.objects.all(), category="bukti"
        )
    assert not Document.objects.filter(category="bukti").exists()


def test_two_people_editing_the_same_record_do_not_overwrite_each_other(
    personas, pengawasan_doc, client_for
):
    stale = _form(pengawasan_doc, title="Versi Wulan")
    client_for(personas.wawan).post(
        reverse("documents:edit", args=[pengawasan_doc.pk]),
        _form(pengawasan_doc, title="Versi Wawan"),
    )
    response = client_for(personas.wulan).post(
        reverse("documents:edit", args=[pengawasan_doc.pk]), stale
    )
    assert response.status_code == 200
    assert "sudah diubah oleh wawan" in response.content.decode()
    pengawasan_doc.refresh_from_db()
    assert pengawasan_doc.title == "Versi Wawan"


def test_archiving_hides_the_record_and_keeps_it(personas, pengawasan_doc, client_for):
    client = client_for(personas.wawan)
    client.post(reverse("documents:archive", args=[pengawasan_doc.pk]))
    assert Document.objects.filter(pk=pengawasan_doc.pk).exists()
    assert "Koperasi Mawar" not in client.get(reverse("documents:list")).content.decode()
    assert AuditEntry.objects.filter(action="archive", object_id=str(pengawasan_doc.pk)).exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.wawan)
    fake = SimpleUploadedFile(
        "laporan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Laporan",
            "category": "laporan",
            "date": "2026-05-01",
            "owner_unit": personas.unit("seksi-pengawasan").pk,
            "file": fake,
        },
    )
    assert response.status_code == 200
    assert "Isi berkas tidak sesuai" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_is_downloaded_through_a_checked_view_not_from_media(personas, client_for, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = client_for(personas.wawan)
    staff.post(
        reverse("documents:create"),
        {
            "title": "SK",
            "category": "sk",
            "date": "2026-05-01",
            "owner_unit": personas.unit("seksi-pengawasan").pk,
            "file": SimpleUploadedFile("sk.pdf", b"%PDF-1.4 isi", content_type="application/pdf"),
        },
    )
    document = Document.objects.get(title="SK")
    detail = staff.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert reverse("documents:file", args=[document.pk]) in detail
    assert "/media/" not in detail
    response = staff.get(reverse("documents:file", args=[document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 isi"
    client.logout()
    assert client.get(reverse("documents:file", args=[document.pk])).status_code == 302
