"""The yearly inspection plan and the inspections recorded from it point at each other."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sikumi.supervision import services
from sikumi.supervision.models import (
    ChecklistTemplate,
    Inspection,
    InspectionPlan,
    PlannedInspection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(db):
    return ChecklistTemplate.objects.get(code="kepatuhan-ksp")


@pytest.fixture
def plan(personas):
    return services.plan_save(
        actor=personas.wawan, plan=InspectionPlan(year=2026, title="Rencana pemeriksaan 2026")
    )


@pytest.fixture
def planned(personas, plan, ksp):
    return services.planned_add(
        actor=personas.wawan, item=PlannedInspection(plan=plan, cooperative=ksp, quarter=2)
    )


def _answers(checklist):
    return {f"answer_{item.pk}": "ya" for item in checklist.items.all()}


def _row(html, name):
    """The plan table's row of one cooperative, tags stripped."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if name in row:
            return " ".join(re.sub(r"<[^>]+>", " ", row).split())
    raise AssertionError(f"{name} not in the plan")


def test_recording_from_the_plan_prefills_the_cooperative_and_links_the_row(
    personas, client_for, plan, planned, ksp, checklist
):
    client = client_for(personas.wawan)
    plan_url = reverse("supervision:plan-detail", args=[plan.pk])
    html = client.get(plan_url).content.decode()
    assert "Sudah diperiksa: 0 dari 1 koperasi dalam rencana." in html
    assert "Catat pemeriksaan" in _row(html, ksp.name)
    create_url = reverse("supervision:inspection-create") + f"?planned={planned.pk}"
    assert f'href="{create_url}"' in html

    form = client.get(create_url).content.decode()
    assert f'name="cooperative" value="{ksp.pk}"' in form
    assert f'name="planned" value="{planned.pk}"' in form
    assert "dalam rencana pemeriksaan 2026 (Triwulan II)" in form

    response = client.post(
        create_url,
        {
            "cooperative": ksp.pk,
            "planned": planned.pk,
            "date": "2026-05-04",
            "number": "BA-017/PGW/2026",
            "checklist": checklist.pk,
            **_answers(checklist),
        },
    )
    assert response.status_code == 302, response.content.decode()
    inspection = Inspection.objects.get()
    assert inspection.planned == planned

    html = client.get(plan_url).content.decode()
    row = _row(html, ksp.name)
    assert "4 Mei 2026 · BA-017/PGW/2026 · Patuh" in row
    assert "Catat pemeriksaan" not in row
    assert reverse("supervision:inspection-detail", args=[inspection.pk]) in html
    assert "Sudah diperiksa: 1 dari 1 koperasi dalam rencana." in html

    detail = client.get(reverse("supervision:inspection-detail", args=[inspection.pk]))
    text = detail.content.decode()
    assert "dalam rencana 2026 TW 2" in text
    assert f'href="{plan_url}"' in text


def test_an_inspection_recorded_elsewhere_is_linked_to_its_planned_row(
    personas, client_for, plan, planned, ksp, checklist
):
    # Recorded from the inspection list, not from the plan: the plan must still show it.
    inspection = services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(cooperative=ksp, date=dt.date(2026, 8, 1), checklist=checklist),
        answers={},
    )
    assert inspection.planned == planned
    html = client_for(personas.wawan).get(reverse("supervision:plan-detail", args=[plan.pk]))
    row = _row(html.content.decode(), ksp.name)
    assert "1 Agustus 2026" in row and "Tidak patuh" in row
    assert "Catat pemeriksaan" not in row
    # An inspection of another year is not the plan's.
    other = services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(cooperative=ksp, date=dt.date(2025, 8, 1), checklist=checklist),
        answers={},
    )
    assert other.planned is None
    text = client_for(personas.wawan).get(reverse("supervision:inspection-detail", args=[other.pk]))
    assert "di luar rencana pemeriksaan" in text.content.decode()


def test_a_planned_row_must_name_the_inspected_cooperative(
    personas, client_for, planned, make_cooperative, checklist
):
    other = make_cooperative(name="KSP Melati")
    response = client_for(personas.wawan).post(
        reverse("supervision:inspection-create") + f"?planned={planned.pk}",
        {
            "cooperative": other.pk,
            "planned": planned.pk,
            "date": "2026-05-04",
            "checklist": checklist.pk,
            **_answers(checklist),
        },
    )
    assert response.status_code == 200
    assert "Koperasi yang diperiksa harus KSP Mawar Sejahtera" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_plan_page_reads_the_inspections_in_a_fixed_number_of_queries(
    personas, client_for, plan, make_cooperative, checklist, django_assert_max_num_queries
):
    for i in range(12):
        coop = make_cooperative(name=f"KSP Uji {i:02d}")
        services.planned_add(
            actor=personas.wawan, item=PlannedInspection(plan=plan, cooperative=coop, quarter=1)
        )
        services.inspection_create(
            actor=personas.wawan,
            inspection=Inspection(cooperative=coop, date=dt.date(2026, 2, 1), checklist=checklist),
            answers={},
        )
    client = client_for(personas.wawan)
    url = reverse("supervision:plan-detail", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert html.count("1 Februari 2026") == 12


def test_editing_an_inspection_keeps_or_moves_its_plan_row(
    personas, client_for, plan, planned, ksp, make_cooperative, checklist
):
    inspection = services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(cooperative=ksp, date=dt.date(2026, 5, 4), checklist=checklist),
        answers={},
    )
    assert inspection.planned == planned
    # the row was taken out of the plan since: the inspection still saves, with its link
    services.planned_archive(actor=personas.wawan, item=planned)
    url = reverse("supervision:inspection-edit", args=[inspection.pk])
    client = client_for(personas.wawan)
    form = client.get(url).content.decode()
    assert f'name="planned" value="{planned.pk}"' in form
    data = {
        "cooperative": ksp.pk,
        "planned": planned.pk,
        "date": "2026-05-04",
        "checklist": checklist.pk,
        "summary": "Diperbaiki",
        "version": inspection.version,
        **_answers(checklist),
    }
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.planned_id) == ("Diperbaiki", planned.pk)
    # the wrong cooperative was inspected: corrected, the link follows the cooperative
    other = make_cooperative(name="KSP Melati")
    other_row = services.planned_add(
        actor=personas.wawan, item=PlannedInspection(plan=plan, cooperative=other, quarter=3)
    )
    data.update(cooperative=other.pk, version=inspection.version)
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert (inspection.cooperative_id, inspection.planned_id) == (other.pk, other_row.pk)
