import datetime as dt

import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.rules.supervision import inspection_result
from sikumi.supervision import services
from sikumi.supervision.models import ChecklistTemplate, Finding, FollowUp, Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(db):
    return ChecklistTemplate.objects.get(code="kepatuhan-ksp")


def _all_yes(checklist, **overrides):
    answers = {item.pk: ("ya", "") for item in checklist.items.all()}
    answers.update(overrides)
    return answers


@pytest.fixture
def inspection(personas, ksp, checklist):
    return services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(cooperative=ksp, date=dt.date(2026, 5, 4), checklist=checklist),
        answers=_all_yes(checklist),
        inspectors=[personas.wawan],
    )


def _form(inspection, checklist, **answers):
    data = {
        "cooperative": inspection.cooperative_id,
        "date": inspection.date.isoformat(),
        "number": "BA-1",
        "checklist": checklist.pk,
        "summary": "Diubah",
        "version": inspection.version,
        "inspectors": [u.pk for u in inspection.inspectors.all()],
    }
    for item in checklist.items.all():
        data[f"answer_{item.pk}"] = answers.get(item.code, "ya")
    return data


def test_the_result_is_patuh_only_when_every_mandatory_item_is_met():
    assert inspection_result([(True, "ya"), (True, "na"), (False, "tidak")]) == "patuh"
    assert inspection_result([(True, "ya"), (True, "tidak")]) == "tidak_patuh"
    assert inspection_result([(True, None)]) == "tidak_patuh"


def test_an_inspection_is_stored_with_its_computed_result_and_audited(personas, inspection):
    assert inspection.result == "patuh"
    assert inspection.owner_unit.code == "bidang-pengawasan"
    assert AuditEntry.objects.filter(content_type__model="inspection", action="create").count() == 1
    assert (
        AuditEntry.objects.filter(content_type__model="inspectionanswer", action="create").count()
        == 11
    )


@pytest.mark.parametrize("persona", ["kiki", "sari"])
def test_staf_of_another_bidang_cannot_edit_an_inspection(
    persona, personas, client_for, api_for, inspection, checklist
):
    user = getattr(personas, persona)
    url = reverse("supervision:inspection-edit", args=[inspection.pk])
    client = client_for(user)
    assert client.get(url).status_code == 403
    assert client.post(url, _form(inspection, checklist, rat="tidak")).status_code == 403
    api = api_for(user)
    assert (
        api.patch(
            f"/api/inspections/{inspection.pk}/", {"summary": "API"}, format="json"
        ).status_code
        == 403
    )
    assert api.delete(f"/api/inspections/{inspection.pk}/").status_code == 403
    assert (
        client.post(
            reverse("supervision:finding-create", args=[inspection.pk]),
            {"description": "x", "severity": "ringan"},
        ).status_code
        == 403
    )
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.result, inspection.archived_at) == ("", "patuh", None)
    assert not Finding.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type__model="inspection", action__in=["update", "archive"]
    ).exists()
    created = api.post(
        "/api/inspections/",
        {"cooperative": inspection.cooperative_id, "date": "2026-05-05", "checklist": checklist.pk},
        format="json",
    )
    assert created.status_code == 403
    assert Inspection.objects.count() == 1


def test_staf_pengawasan_edits_an_inspection_and_the_result_follows_the_answers(
    personas, client_for, inspection, checklist
):
    client = client_for(personas.wawan)
    response = client.post(
        reverse("supervision:inspection-edit", args=[inspection.pk]),
        _form(inspection, checklist, rat="tidak"),
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.result) == ("Diubah", "tidak_patuh")
    update = AuditEntry.objects.get(content_type__model="inspection", action="update")
    assert update.before is not None and update.after is not None
    assert update.before["result"] == "patuh" and update.after["result"] == "tidak_patuh"
    assert (
        AuditEntry.objects.filter(content_type__model="inspectionanswer", action="update").count()
        == 1
    )
    detail = client.get(reverse("supervision:inspection-detail", args=[inspection.pk]))
    assert "Tidak patuh" in detail.content.decode()


def test_a_stale_edit_is_refused(personas, client_for, inspection, checklist):
    client = client_for(personas.wawan)
    data = _form(inspection, checklist)
    inspection.summary = "Diubah Wulan"
    services.inspection_update(actor=personas.wulan, inspection=inspection, expected_version=1)
    response = client.post(reverse("supervision:inspection-edit", args=[inspection.pk]), data)
    assert response.status_code == 200
    assert "sudah diubah oleh wulan" in response.content.decode()


def test_the_api_edits_answers_for_the_owning_bidang(personas, api_for, inspection, checklist):
    item = checklist.items.get(code="pembukuan")
    response = api_for(personas.wulan).patch(
        f"/api/inspections/{inspection.pk}/",
        {
            "answers": [{"item": item.pk, "answer": "tidak", "note": "Belum terpisah"}],
            "version": inspection.version,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "tidak_patuh"
    assert api_for(personas.kiki).get("/api/inspections/?result=tidak_patuh").json()["count"] == 1


def test_a_follow_up_past_its_due_date_shows_as_overdue(personas, client_for, inspection):
    finding = services.finding_save(
        actor=personas.wawan,
        finding=Finding(
            inspection=inspection, description="Pembukuan belum terpisah", severity="sedang"
        ),
    )
    services.follow_up_save(
        actor=personas.wawan,
        follow_up=FollowUp(
            finding=finding,
            action="Pisahkan pembukuan",
            due_date=dt.date(2026, 6, 30),
            responsible="Ketua",
        ),
    )
    assert FollowUp.objects.overdue().count() == 1
    page = client_for(personas.kiki).get(
        reverse("supervision:inspection-detail", args=[inspection.pk])
    )
    assert "Terlambat" in page.content.decode()


def test_the_inspection_plan_lists_cooperatives_by_quarter(personas, client_for, ksp):
    client = client_for(personas.wawan)
    response = client.post(
        reverse("supervision:plan-create"), {"year": 2026, "title": "Rencana 2026"}
    )
    assert response.status_code == 302
    plan_url = response["Location"]
    assert client.post(plan_url, {"cooperative": ksp.pk, "quarter": 2}).status_code == 302
    assert "Triwulan II" in client.get(plan_url).content.decode()
    assert (
        client_for(personas.kiki).post(plan_url, {"cooperative": ksp.pk, "quarter": 3}).status_code
        == 403
    )
