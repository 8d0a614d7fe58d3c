from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sikumi.accounts.choices import RoleCode
from sikumi.accounts.models import Role
from sikumi.audit.models import AuditEntry
from sikumi.monev import services
from sikumi.monev.choices import SubmissionStatus
from sikumi.monev.models import IndicatorRealisation, RenjaChange, RenjaTarget
from sikumi.monev.tests.conftest import approve_quarter

pytestmark = pytest.mark.django_db


def test_renja_copies_the_years_targets_and_budgets_from_the_renstra(renja, plan):
    from sikumi.plans.models import IndicatorTarget, Pagu

    some = IndicatorTarget.objects.filter(
        indicator__plan=plan, indicator__table="program", year=2026
    ).get(indicator__source_id="P1/I1")
    assert RenjaTarget.objects.get(renja=renja, indicator=some.indicator).target == some.value
    pagu = Pagu.objects.filter(plan=plan, year=2026, node__isnull=False).earliest("id")
    assert renja.budgets.get(node=pagu.node).pagu == pagu.value


def test_renja_2021_takes_the_iku_targets_the_other_tables_do_not_print(plan, personas):
    r = services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2021)
    sakip = r.targets.get(indicator__source_id="S1.1/I1")
    assert sakip.target == Decimal("70.1")


def test_a_second_renja_for_the_same_year_is_refused(renja, plan, personas):
    with pytest.raises(ValidationError, match="sudah ada"):
        services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)


def test_staff_cannot_create_a_renja(plan, personas):
    with pytest.raises(PermissionDenied):
        services.renja_create_from_plan(actor=personas.sari, plan=plan, year=2025)


def test_renja_perubahan_raises_the_revision_and_logs_old_new_who_and_why(renja, personas):
    renja = services.renja_adopt(actor=personas.putri, renja=renja)
    target = renja.targets.exclude(target__isnull=True).earliest("id")
    old = target.target
    with pytest.raises(ValidationError):
        services.renja_adjust(
            actor=personas.putri, renja=renja, reason=" ", targets={target.indicator_id: Decimal(1)}
        )
    renja = services.renja_adjust(
        actor=personas.putri,
        renja=renja,
        reason="Refocusing anggaran",
        targets={target.indicator_id: old + 1},
    )
    assert renja.revision == 1 and renja.status == "revised"
    change = RenjaChange.objects.get(renja=renja)
    assert change.old_value == services._text(old) and change.new_value == services._text(old + 1)
    assert change.changed_by == personas.putri and change.reason == "Refocusing anggaran"


def test_a_staf_bidang_cannot_approve_its_own_submission(renja, personas, pemberdayaan_indicator):
    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=1, value=10
    )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=personas.sari, submission=sub)
    # someone who is both staff and planner still cannot approve what they submitted
    personas.sari.roles.add(Role.objects.get(code=RoleCode.PERENCANA))
    sub = services.submission_verify(actor=personas.pandu, submission=sub)
    with pytest.raises(PermissionDenied, match="sendiri"):
        services.submission_approve(actor=personas.sari, submission=sub)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.VERIFIED


def test_other_bidang_staff_cannot_enter_realisation(renja, personas, pemberdayaan_indicator):
    with pytest.raises(PermissionDenied):
        services.realisation_save(
            actor=personas.wawan, renja=renja, indicator=pemberdayaan_indicator, quarter=1, value=1
        )


def test_returning_needs_a_note_and_unlocks_the_quarter(renja, personas, pemberdayaan_indicator):
    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=2, value=3
    )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)
    with pytest.raises(ValidationError, match="sedang diperiksa"):
        services.realisation_save(
            actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=2, value=4
        )
    with pytest.raises(ValidationError):
        services.submission_return(actor=personas.pandu, submission=sub, note="")
    sub = services.submission_return(actor=personas.pandu, submission=sub, note="Bukti kurang")
    assert sub.status == SubmissionStatus.RETURNED and sub.notes == "Bukti kurang"
    services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=2, value=4
    )


def test_an_approved_quarter_is_locked_until_reopened_and_the_reopening_is_audited(
    renja, personas, pemberdayaan_indicator
):
    sub = approve_quarter(personas, renja, pemberdayaan_indicator, 1, 10)
    assert sub.status == SubmissionStatus.APPROVED and sub.approved_by == personas.putri
    with pytest.raises(ValidationError, match="sudah disetujui dan dikunci"):
        services.realisation_save(
            actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=1, value=11
        )
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=personas.putri, submission=sub, reason="")
    with pytest.raises(PermissionDenied):
        services.submission_reopen(actor=personas.sari, submission=sub, reason="Salah ketik")
    sub = services.submission_reopen(actor=personas.kartika, submission=sub, reason="Salah ketik")
    entry = AuditEntry.objects.filter(action="workflow", object_id=str(sub.pk)).latest("id")
    assert entry.note == "Salah ketik" and entry.actor == personas.kartika
    assert entry.after and entry.before
    assert entry.after["status"] == "reopened" and entry.before["status"] == "approved"
    services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=1, value=11
    )
    assert IndicatorRealisation.objects.get(submission=sub).value == 11
    actions = set(
        AuditEntry.objects.filter(action="workflow", object_id=str(sub.pk)).values_list(
            "after__status", flat=True
        )
    )
    assert {"submitted", "verified", "approved", "reopened"} <= actions


def test_evidence_must_be_a_real_pdf_or_image(renja, personas, pemberdayaan_indicator):
    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=3, value=2
    )
    fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="tidak sesuai"):
        services.evidence_add(actor=personas.sari, realisation=row, file=fake)
    exe = SimpleUploadedFile("bukti.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="tidak diterima"):
        services.evidence_add(actor=personas.sari, realisation=row, file=exe)
    good = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = services.evidence_add(actor=personas.sari, realisation=row, file=good)
    assert evidence.owner_unit == row.owner_unit


def test_negative_or_non_numeric_realisation_is_refused(renja, personas, pemberdayaan_indicator):
    for bad in ("-1", "abc"):
        with pytest.raises(ValidationError):
            services.realisation_save(
                actor=personas.sari,
                renja=renja,
                indicator=pemberdayaan_indicator,
                quarter=1,
                value=bad,
            )
    assert not IndicatorRealisation.objects.exists()


def test_the_realisation_page_saves_submits_and_shows_the_lock(
    renja, personas, pemberdayaan_indicator, client_for
):
    client = client_for(personas.sari)
    url = f"/monev/realisasi/{renja.pk}/tw1/"
    page = client.get(url)
    assert page.status_code == 200
    assert pemberdayaan_indicator.name in page.content.decode()
    unit = services.responsible_unit(pemberdayaan_indicator.node)
    response = client.post(
        url,
        {
            "unit": unit.pk,
            f"i-{pemberdayaan_indicator.pk}-value": "12,5",
            f"i-{pemberdayaan_indicator.pk}-note": "pelatihan",
        },
    )
    assert response.status_code == 302
    row = IndicatorRealisation.objects.get(indicator=pemberdayaan_indicator, quarter=1)
    assert row.value == Decimal("12.5")
    client.post(f"/monev/pengajuan/{row.submission_id}/submit/")
    row.submission.refresh_from_db()
    assert row.submission.status == SubmissionStatus.SUBMITTED
    text = client.get(url).content.decode()
    assert "Terkunci" in text
    response = client.post(f"/monev/pengajuan/{row.submission_id}/approve/", follow=True)
    assert response.status_code in (200, 403)
    row.submission.refresh_from_db()
    assert row.submission.status == SubmissionStatus.SUBMITTED
