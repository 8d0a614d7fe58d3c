import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sikumi.audit.models import AuditEntry
from sikumi.supervision import selectors, services
from sikumi.supervision.models import ServiceCase
from sikumi.supervision.tests.conftest import weak_inputs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def _case(personas, cooperative, kind, **extra):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind=kind,
            cooperative=cooperative,
            applicant_name="Budi Santoso",
            requested_on=extra.pop("requested_on", TODAY - dt.timedelta(days=30)),
            **extra,
        ),
    )
    for requirement in case.requirements.all():
        requirement.fulfilled = True
        services.requirement_update(
            actor=personas.kiki, requirement=requirement, expected_version=None
        )
    for status in ("verifikasi", "diproses"):
        case = services.case_transition(actor=personas.kiki, case=case, status=status)
    return case


def _branch(personas, ksp, **extra):
    values = {
        "branch_member_count": 25,
        "branch_capital": 20_000_000,
        "statement_years": 2,
        "iusp_number": "503/IUSP/2021",
        "iusp_date": dt.date(2021, 6, 1),
    }
    values.update(extra)
    return _case(personas, ksp, "kantor_cabang", **values)


def _decide_on_page(client, case):
    return client.post(
        reverse("supervision:case-decide", args=[case.pk]),
        {
            "result": "disetujui",
            "number": "518/123/DKUM",
            "date": TODAY.isoformat(),
            "version": ServiceCase.objects.get(pk=case.pk).version,
        },
    )


def test_a_new_case_gets_the_checklist_of_its_kind(personas, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(kind="iusp", cooperative=ksp, applicant_name="Budi", requested_on=TODAY),
    )
    labels = list(case.requirements.values_list("label", flat=True))
    assert any("rekening bank" in label for label in labels)
    assert any("pemilik manfaat" in label for label in labels)
    assert not any("Syariah" in label for label in labels)  # conventional KSP
    assert case.owner_unit.code == "bidang-kelembagaan"
    assert case.number.startswith(f"LK-{TODAY.year}-")


def test_a_branch_cannot_be_approved_when_health_last_year_was_below_cukup_sehat(
    personas, client_for, api_for, ksp, assess, example_inputs
):
    assess(ksp, LAST_YEAR, weak_inputs(example_inputs))  # 61,50 Dalam Pengawasan
    case = _branch(personas, ksp)
    response = _decide_on_page(client_for(personas.kiki), case)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Predikat kesehatan tahun buku {LAST_YEAR} adalah Dalam Pengawasan" in html
    assert "minimal Cukup Sehat" in html
    api = api_for(personas.kiki).post(
        f"/api/service-cases/{case.pk}/decide/",
        {"result": "disetujui", "number": "518/1", "date": TODAY.isoformat()},
        format="json",
    )
    assert api.status_code == 400
    assert "Dalam Pengawasan" in str(api.json())
    case.refresh_from_db()
    assert (case.status, case.decision_result, case.decided_on) == ("diproses", "", None)


def test_a_branch_without_an_assessment_last_year_is_refused_by_name(personas, ksp, methodologies):
    case = _branch(personas, ksp)
    with pytest.raises(ValidationError) as caught:
        services.case_decide(
            actor=personas.kiki, case=case, result="disetujui", number="1", date=TODAY
        )
    assert f"Belum ada penilaian kesehatan tahun buku {LAST_YEAR}" in " ".join(
        caught.value.messages
    )


def test_a_branch_with_a_young_iusp_and_too_few_members_lists_every_unmet_prerequisite(
    personas, ksp, assess, example_inputs
):
    assess(ksp, LAST_YEAR, example_inputs)  # Sehat
    case = _branch(
        personas,
        ksp,
        iusp_date=TODAY - dt.timedelta(days=300),
        branch_member_count=12,
        branch_capital=10_000_000,
    )
    with pytest.raises(ValidationError) as caught:
        services.case_decide(
            actor=personas.kiki, case=case, result="disetujui", number="1", date=TODAY
        )
    text = " ".join(caught.value.messages)
    assert "minimal 2 tahun" in text
    assert "Jumlah anggota di wilayah kantor 12 kurang dari minimal 20" in text
    assert "Modal kerja kantor (Rp) 10.000.000 kurang dari minimal 15.000.000" in text


def test_a_branch_is_approved_with_a_healthy_year_and_an_approved_iusp_case(
    personas, client_for, ksp, assess, example_inputs
):
    assess(ksp, LAST_YEAR, example_inputs)  # 80,60 Sehat
    iusp = _case(personas, ksp, "iusp", requested_on=dt.date(2021, 1, 4))
    services.case_decide(
        actor=personas.kiki,
        case=iusp,
        result="disetujui",
        number="IUSP/7",
        date=dt.date(2021, 2, 1),
    )
    case = _branch(personas, ksp, iusp_number="", iusp_date=None)
    response = _decide_on_page(client_for(personas.kiki), case)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.decision_number, case.service_days) == (
        "disetujui",
        "518/123/DKUM",
        30,
    )
    assert AuditEntry.objects.filter(
        content_type__model="servicecase",
        object_id=str(case.pk),
        action="update",
        note="Keputusan layanan",
    ).exists()


def test_approval_needs_every_mandatory_document(personas, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad", cooperative=ksp, applicant_name="Budi", requested_on=TODAY
        ),
    )
    for status in ("verifikasi", "diproses"):
        case = services.case_transition(actor=personas.kiki, case=case, status=status)
    with pytest.raises(ValidationError, match="Persyaratan wajib belum terpenuhi"):
        services.case_decide(
            actor=personas.kiki, case=case, result="disetujui", number="1", date=TODAY
        )


def test_an_approved_dissolution_marks_the_cooperative_dissolved(personas, ksp):
    case = _case(personas, ksp, "pembubaran")
    services.case_decide(
        actor=personas.kiki, case=case, result="disetujui", number="9/2026", date=TODAY
    )
    ksp.refresh_from_db()
    assert ksp.dissolved_at == TODAY
    assert AuditEntry.objects.filter(
        content_type__model="cooperative", object_id=str(ksp.pk), action="update"
    ).exists()


def test_the_workflow_refuses_a_jump(personas, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad", cooperative=ksp, applicant_name="Budi", requested_on=TODAY
        ),
    )
    with pytest.raises(ValidationError, match="tidak dapat diubah dari Diajukan ke Selesai"):
        services.case_transition(actor=personas.kiki, case=case, status="selesai")


def test_staf_pengawasan_cannot_edit_a_kelembagaan_case(personas, client_for, api_for, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad", cooperative=ksp, applicant_name="Budi", requested_on=TODAY
        ),
    )
    assert (
        client_for(personas.wawan).get(reverse("supervision:case-edit", args=[case.pk])).status_code
        == 403
    )
    api = api_for(personas.wawan)
    assert (
        api.patch(f"/api/service-cases/{case.pk}/", {"notes": "x"}, format="json").status_code
        == 403
    )
    assert (
        api.post(
            f"/api/service-cases/{case.pk}/transition/", {"status": "verifikasi"}, format="json"
        ).status_code
        == 403
    )
    case.refresh_from_db()
    assert (case.notes, case.status) == ("", "diajukan")


def test_service_time_is_reported_per_kind(personas, client_for, ksp, make_cooperative):
    other = make_cooperative(name="KSP Melati")
    for coop, days in ((ksp, 10), (other, 20)):
        case = _case(personas, coop, "perubahan_ad", requested_on=TODAY - dt.timedelta(days=days))
        services.case_decide(
            actor=personas.kiki, case=case, result="ditolak", number="x", date=TODAY
        )
    services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad", cooperative=ksp, applicant_name="B", requested_on=TODAY
        ),
    )
    row = next(
        r
        for r in selectors.service_time_report(ServiceCase.objects.all())
        if r["kind"] == "perubahan_ad"
    )
    assert (row["total"], row["decided"], row["open"], row["median"], float(row["average"])) == (
        3,
        2,
        1,
        15.0,
        15.0,
    )
    page = client_for(personas.aulia).get(reverse("supervision:service-time"))
    assert "15,0" in page.content.decode()


def test_the_case_list_and_api_filter_by_kind_and_status(personas, client_for, api_for, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(kind="iusp", cooperative=ksp, applicant_name="Budi", requested_on=TODAY),
    )
    # labelled as the example-data generator labels its records (services never do)
    ServiceCase.objects.filter(pk=case.pk).update(is_example=True)
    page = client_for(personas.aulia).get(reverse("supervision:case-list") + "?kind=iusp")
    assert "Data contoh" in page.content.decode()
    assert (
        api_for(personas.aulia).get("/api/service-cases/?kind=iusp&status=diajukan").json()["count"]
        == 1
    )
    assert api_for(personas.aulia).get("/api/service-cases/?kind=pembubaran").json()["count"] == 0


def test_the_applicants_phone_is_masked_outside_the_owning_bidang_and_full_views_are_logged(
    personas, client_for, ksp
):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad",
            cooperative=ksp,
            applicant_name="Budi",
            applicant_contact="081234567890",
            requested_on=TODAY,
        ),
    )
    url = reverse("supervision:case-detail", args=[case.pk])
    assert "081234567890" not in client_for(personas.wawan).get(url).content.decode()
    assert not AuditEntry.objects.filter(personal_data=True).exists()
    assert "081234567890" in client_for(personas.kiki).get(url).content.decode()
    assert AuditEntry.objects.filter(personal_data=True, object_id=str(case.pk)).count() == 1


def test_the_api_masks_the_applicants_phone_except_for_the_owning_bidang(personas, api_for, ksp):
    case = services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="perubahan_ad",
            cooperative=ksp,
            applicant_name="Budi",
            applicant_contact="081234567890",
            requested_on=TODAY,
        ),
    )
    url = f"/api/service-cases/{case.pk}/"
    assert api_for(personas.wawan).get(url).json()["applicant_contact"] != "081234567890"
    assert (
        api_for(personas.kiki).get("/api/service-cases/").json()["results"][0]["applicant_contact"]
        != "081234567890"
    )
    assert api_for(personas.kiki).get(url).json()["applicant_contact"] == "081234567890"
    assert AuditEntry.objects.filter(personal_data=True, object_id=str(case.pk)).count() == 1
