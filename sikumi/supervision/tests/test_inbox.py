"""Supervision work in "Tugas saya": open service cases, planned inspections not yet recorded,
follow-ups past their due date; who sees which, the counts and the links."""

import datetime as dt

import pytest

from sikumi.core import inbox
from sikumi.supervision import services
from sikumi.supervision.models import (
    ChecklistTemplate,
    Finding,
    FollowUp,
    Inspection,
    InspectionPlan,
    PlannedInspection,
    ServiceCase,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 17)


def _count(user, code):
    return inbox.counts(user, TODAY).get(code, 0)


def _items(user, code):
    return next(g for g in inbox.summary(user, today=TODAY) if g.code == code).items


def test_an_open_case_waits_on_its_bidang_until_an_officer_takes_it(
    personas, iusp_case, client_for
):
    assert _count(personas.kiki, "layanan") == 1  # Bidang Kelembagaan owns layanan
    assert _count(personas.ani, "layanan") == 1
    assert _count(personas.wawan, "layanan") == 0 and _count(personas.sari, "layanan") == 0
    for reader in (personas.putri, personas.kartika, personas.aulia):
        assert "layanan" not in inbox.counts(reader, TODAY)
    [item] = _items(personas.kiki, "layanan")
    assert item.what == "Izin Usaha Simpan Pinjam (IUSP)"
    assert item.subject == "KSP Mawar Sejahtera"
    assert item.url == f"/pengawasan/layanan/{iusp_case.pk}/"
    assert item.since == iusp_case.requested_on
    assert item.detail.startswith("Diajukan")

    ServiceCase.objects.filter(pk=iusp_case.pk).update(officer=personas.ani)
    assert _count(personas.kiki, "layanan") == 0  # someone else's case now
    assert _count(personas.ani, "layanan") == 1
    html = client_for(personas.ani).get("/tugas/").content.decode()
    assert "Layanan kelembagaan menunggu diproses" in html
    assert f'href="/pengawasan/layanan/{iusp_case.pk}/"' in html


@pytest.mark.parametrize(
    ("status", "waiting"),
    [("verifikasi", 1), ("diproses", 1), ("perbaikan", 0), ("disetujui", 0), ("selesai", 0)],
)
def test_only_cases_whose_next_step_is_the_dinas_wait(personas, iusp_case, status, waiting):
    ServiceCase.objects.filter(pk=iusp_case.pk).update(status=status)
    assert _count(personas.kiki, "layanan") == waiting


@pytest.fixture
def plan_2026(personas, ksp):
    plan = services.plan_save(actor=personas.wawan, plan=InspectionPlan(year=2026))
    item = services.planned_add(
        actor=personas.wawan, item=PlannedInspection(plan=plan, cooperative=ksp, quarter=3)
    )
    return plan, item


def test_a_planned_inspection_waits_until_it_is_recorded(personas, ksp, plan_2026):
    _plan, planned = plan_2026
    assert _count(personas.wawan, "pemeriksaan-rencana") == 1
    assert _count(personas.wulan, "pemeriksaan-rencana") == 1
    assert _count(personas.kiki, "pemeriksaan-rencana") == 0
    [item] = _items(personas.wawan, "pemeriksaan-rencana")
    assert item.what == "Pemeriksaan terencana Triwulan III 2026"
    assert item.subject == "KSP Mawar Sejahtera"
    assert item.due == dt.date(2026, 9, 30)
    assert item.url == (f"/pengawasan/pemeriksaan/baru/?cooperative={ksp.pk}&planned={planned.pk}")
    # next year's plan is not this year's work
    services.plan_save(actor=personas.wawan, plan=InspectionPlan(year=2027))
    assert _count(personas.wawan, "pemeriksaan-rencana") == 1
    services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(
            cooperative=ksp,
            planned=planned,
            date=dt.date(2026, 8, 1),
            checklist=ChecklistTemplate.objects.get(),
        ),
    )
    assert _count(personas.wawan, "pemeriksaan-rencana") == 0


def test_planned_inspections_come_soonest_quarter_first(personas, make_cooperative, plan_2026):
    plan, _planned = plan_2026
    early = make_cooperative(name="KSP Anggrek", owner_unit=personas.unit("bidang-kelembagaan"))
    services.planned_add(
        actor=personas.wawan, item=PlannedInspection(plan=plan, cooperative=early, quarter=1)
    )
    items = _items(personas.wawan, "pemeriksaan-rencana")
    assert [i.subject for i in items] == ["KSP Anggrek", "KSP Mawar Sejahtera"]
    assert items[0].overdue(TODAY) and not items[1].overdue(TODAY)


def _follow_up(personas, inspection, due, status="open"):
    finding = services.finding_save(
        actor=personas.wawan,
        finding=Finding(inspection=inspection, description="Buku anggota tidak diperbarui"),
    )
    return services.follow_up_save(
        actor=personas.wawan,
        follow_up=FollowUp(
            finding=finding,
            action="Perbarui buku anggota",
            due_date=due,
            responsible="Pengurus",
            status=status,
        ),
    )


def test_a_follow_up_past_its_due_date_waits_on_the_inspecting_bidang(
    personas, inspection, client_for
):
    late = _follow_up(personas, inspection, dt.date(2026, 6, 30))
    _follow_up(personas, inspection, dt.date(2026, 9, 30))  # not yet due
    _follow_up(personas, inspection, dt.date(2026, 5, 31), status="done")
    assert _count(personas.wawan, "temuan-terlambat") == 1
    assert _count(personas.wulan, "temuan-terlambat") == 1
    assert _count(personas.kiki, "temuan-terlambat") == 0
    [item] = _items(personas.wawan, "temuan-terlambat")
    assert item.subject == "KSP Mawar Sejahtera"
    assert item.due == dt.date(2026, 6, 30) and item.overdue(TODAY)
    assert item.detail == "Perbarui buku anggota"
    assert item.url == f"/pengawasan/temuan/{late.finding_id}/tindak-lanjut/{late.pk}/"
    html = client_for(personas.wawan).get("/tugas/").content.decode()
    assert "Tindak lanjut temuan lewat batas waktu" in html
    assert "30 Juni 2026" in html and "terlambat" in html
