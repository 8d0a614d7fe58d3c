"""Service cases keep a status history, shown as a timeline; every requirement of a case is
ticked and uploaded on one page; the irreversible buttons ask first."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sikumi.audit.models import AuditEntry
from sikumi.supervision import services
from sikumi.supervision.models import CaseRequirement, CaseStatusChange, ServiceCase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def case(personas, make_cooperative):
    return services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad",
            cooperative=make_cooperative(name="Koperasi Konsumen Melati", jenis="konsumen"),
            applicant_name="Budi Santoso",
            requested_on=TODAY - dt.timedelta(days=10),
        ),
    )


def _history(case):
    return list(
        CaseStatusChange.objects.filter(case=case)
        .order_by("changed_at", "id")
        .values_list("from_status", "to_status", "changed_by__username", "note")
    )


def test_every_status_change_is_recorded_with_who_and_why(personas, client_for, api_for, case):
    client = client_for(personas.kiki)
    detail = reverse("supervision:case-detail", args=[case.pk])
    assert _history(case) == [("", "diajukan", "kiki", "")]
    response = client.post(
        reverse("supervision:case-transition", args=[case.pk]),
        {"status": "verifikasi", "version": case.version, "note": "Berkas diterima lengkap"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    # the API goes through the same service
    response = api_for(personas.ani).post(
        f"/api/service-cases/{case.pk}/transition/",
        {"status": "diproses", "version": case.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    for requirement in case.requirements.all():
        requirement.fulfilled = True
        services.requirement_update(
            actor=personas.kiki, requirement=requirement, expected_version=None
        )
    case.refresh_from_db()
    response = client.post(
        reverse("supervision:case-decide", args=[case.pk]),
        {"result": "disetujui", "number": "518/77/DKUM", "date": TODAY.isoformat(),
         "notes": "Sesuai", "version": case.version},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    services.case_transition(actor=personas.kiki, case=case, status="selesai")
    assert _history(case) == [
        ("", "diajukan", "kiki", ""),
        ("diajukan", "verifikasi", "kiki", "Berkas diterima lengkap"),
        ("verifikasi", "diproses", "ani", ""),
        (
            "diproses",
            "disetujui",
            "kiki",
            f"Keputusan 518/77/DKUM tanggal {TODAY:%d-%m-%Y}. Sesuai",
        ),
        ("disetujui", "selesai", "kiki", ""),
    ]
    history = api_for(personas.kiki).get(f"/api/service-cases/{case.pk}/").json()
    assert [(h["to_status"], h["changed_by"]) for h in history["status_history"]][-2:] == [
        ("disetujui", "kiki"),
        ("selesai", "kiki"),
    ]
    page = _text(client.get(detail).content.decode())
    timeline = page[page.index("Riwayat status") :]
    order = [
        timeline.index(step)
        for step in (
            "Diajukan ·",
            "Diajukan → Verifikasi berkas",
            "Berkas diterima lengkap",
            "Verifikasi berkas → Diproses",
            "Diproses → Disetujui",
            "Keputusan 518/77/DKUM",
            "Disetujui → Selesai",
        )
    ]
    assert order == sorted(order)
    assert f"{timezone.localtime():%Y}" in timeline


def test_a_refused_move_leaves_no_history(personas, case):
    with pytest.raises(Exception, match="tidak dapat diubah"):
        services.case_transition(actor=personas.kiki, case=case, status="selesai")
    assert _history(case) == [("", "diajukan", "kiki", "")]


def test_the_views_never_write_the_history():
    from pathlib import Path

    app = Path(services.__file__).parent
    for module in ("views.py", "api.py", "forms.py"):
        assert "CaseStatusChange" not in (app / module).read_text(encoding="utf-8"), module


def test_existing_cases_get_their_current_status_as_the_start_of_their_history(personas, case):
    CaseStatusChange.objects.all().delete()
    ServiceCase.objects.filter(pk=case.pk).update(status="perbaikan")
    migration = importlib.import_module(
        "sikumi.supervision.migrations.0005_backfill_case_status_history"
    )
    migration.backfill(apps, None)
    migration.backfill(apps, None)  # a case that has a history is left alone
    assert _history(case) == [("", "perbaikan", None, "Status saat riwayat status mulai dicatat")]


def test_the_transition_and_decision_forms_ask_first(personas, client_for, case):
    client = client_for(personas.kiki)
    detail = client.get(reverse("supervision:case-detail", args=[case.pk])).content.decode()
    form = re.search(r'<form[^>]*case-transition[^>]*>|<form[^>]*/status/"[^>]*>', detail)
    assert form and "data-confirm=" in form.group(0)
    decide = client.get(reverse("supervision:case-decide", args=[case.pk])).content.decode()
    assert 'data-confirm="Simpan keputusan ini? Keputusan tidak dapat diubah' in decide


# ------------------------------------------------------------------- requirements, one page


def _rows(case):
    return list(case.requirements.active().order_by("order", "id"))


def _post(case, rows, changes):
    """The checklist form as the page posts it; ``changes``: {row index: {field: value}}."""
    data: dict[str, object] = {
        "req-TOTAL_FORMS": len(rows),
        "req-INITIAL_FORMS": len(rows),
        "req-MIN_NUM_FORMS": 0,
        "req-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data[f"req-{i}-id"] = row.pk
        data[f"req-{i}-version"] = row.version
        data[f"req-{i}-note"] = row.note
        if row.fulfilled:
            data[f"req-{i}-fulfilled"] = "on"
        for name, value in changes.get(i, {}).items():
            if value is None:
                data.pop(f"req-{i}-{name}", None)
            else:
                data[f"req-{i}-{name}"] = value
    return data


def test_all_requirements_are_ticked_and_uploaded_on_one_page(personas, client_for, case):
    rows = _rows(case)
    assert len(rows) >= 3
    client = client_for(personas.kiki)
    detail_url = reverse("supervision:case-detail", args=[case.pk])
    url = reverse("supervision:case-requirements", args=[case.pk])
    assert f'href="{url}"' in client.get(detail_url).content.decode()
    page = client.get(url).content.decode()
    for row in rows:
        assert row.label in page
    assert page.count('type="checkbox"') == len(rows)
    assert page.count('type="file"') == len(rows)

    response = client.post(
        url,
        _post(
            case,
            rows,
            {
                0: {"fulfilled": "on", "file": SimpleUploadedFile("akta.pdf", PDF)},
                1: {"fulfilled": "on", "note": "Asli diperlihatkan"},
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    first, second, third = (CaseRequirement.objects.get(pk=r.pk) for r in rows[:3])
    assert first.fulfilled and first.file.name.endswith(".pdf")
    assert (second.fulfilled, second.note) == (True, "Asli diperlihatkan")
    assert (third.fulfilled, third.version) == (False, rows[2].version)  # untouched row
    assert (
        AuditEntry.objects.filter(content_type__model="caserequirement", action="update").count()
        == 2
    )
    html = client.get(detail_url).content.decode()
    assert "Persyaratan tersimpan (2 diubah)." in html
    assert reverse("supervision:requirement-file", args=[first.pk]) in html


def test_a_bad_row_is_named_and_nothing_is_saved(personas, client_for, case):
    rows = _rows(case)
    response = client_for(personas.kiki).post(
        reverse("supervision:case-requirements", args=[case.pk]),
        _post(
            case,
            rows,
            {
                0: {"fulfilled": "on"},
                1: {"file": SimpleUploadedFile("daftar.exe", b"MZ not a document")},
            },
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    bad = re.search(rf'data-requirement="{rows[1].pk}".*?</tr>', html, re.S).group(0)
    assert "Berkas" in bad and "errors" in bad
    good = re.search(rf'data-requirement="{rows[0].pk}".*?</tr>', html, re.S).group(0)
    assert "errors" not in good
    assert not CaseRequirement.objects.filter(case=case, fulfilled=True).exists()


def test_a_row_changed_by_someone_else_meanwhile_refuses_the_save(personas, client_for, case):
    rows = _rows(case)
    data = _post(case, rows, {0: {"fulfilled": "on"}, 1: {"note": "Kiki"}})
    other = CaseRequirement.objects.get(pk=rows[1].pk)
    other.note = "Diubah Ani"
    services.requirement_update(
        actor=personas.ani, requirement=other, expected_version=other.version
    )
    response = client_for(personas.kiki).post(
        reverse("supervision:case-requirements", args=[case.pk]), data
    )
    assert response.status_code == 400
    row = re.search(
        rf'data-requirement="{rows[1].pk}".*?</tr>', response.content.decode(), re.S
    ).group(0)
    assert "sudah diubah oleh ani" in row
    assert not CaseRequirement.objects.get(pk=rows[0].pk).fulfilled  # the whole save refused
    assert CaseRequirement.objects.get(pk=rows[1].pk).note == "Diubah Ani"


def test_a_decided_case_keeps_its_requirements(personas, client_for, case):
    ServiceCase.objects.filter(pk=case.pk).update(status="ditolak")
    response = client_for(personas.kiki).get(
        reverse("supervision:case-requirements", args=[case.pk]), follow=True
    )
    assert "Kasus sudah diputuskan; persyaratan tidak dapat diubah." in response.content.decode()
    assert (
        client_for(personas.wawan)
        .get(reverse("supervision:case-requirements", args=[case.pk]))
        .status_code
        == 403
    )
