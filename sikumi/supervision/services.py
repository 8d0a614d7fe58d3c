"""All writes of layanan kelembagaan, supervision and health assessment.

Each service checks `sikumi.accounts.access`, applies the rules of `sikumi/rules/supervision.py`
and saves through `sikumi.core.services`, so every change is validated, refused when stale and
written to the audit trail in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Unit
from sikumi.accounts.selectors import unit_for_function
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.core.exceptions import ConcurrentEditError
from sikumi.rules import health as health_rules
from sikumi.rules import health_methodology as method_rules
from sikumi.rules import supervision as supervision_rules
from sikumi.rules.parsing import ParseError, parse_number
from sikumi.supervision.choices import (
    OFFICE_KINDS,
    OPEN_STATUSES,
    TRANSITIONS,
    CaseStatus,
    DecisionResult,
    FollowUpStatus,
    RequirementMeasure,
    ServiceKind,
)
from sikumi.supervision.models import (
    CaseRequirement,
    CaseStatusChange,
    ChecklistItem,
    Finding,
    FollowUp,
    HealthAssessment,
    HealthMethodology,
    Inspection,
    InspectionAnswer,
    InspectionPlan,
    PlannedInspection,
    RequirementTemplate,
    Sanction,
    ServiceCase,
)

# The urusan whose units own service cases and supervision records by default.
KELEMBAGAAN = UnitFunction.KELEMBAGAAN
PENGAWASAN = UnitFunction.PENGAWASAN

# When each shipped methodology took effect (the Perdep of April 2016, the Juknis of 2021).
METHODOLOGY_VALID_FROM = {"2016": dt.date(2016, 4, 1), "2021": dt.date(2021, 1, 1)}


def default_unit(function: str) -> Unit | None:
    return unit_for_function(function)


def _today() -> dt.date:
    return timezone.localdate()


# ===================================================================== layanan kelembagaan


def _requirements_for(case: ServiceCase) -> list[RequirementTemplate]:
    templates = RequirementTemplate.objects.active().filter(kind=case.kind)
    syariah = case.cooperative_id is not None and case.cooperative.pola == "syariah"  # type: ignore[union-attr]
    if not syariah:
        templates = templates.filter(syariah_only=False)
    return list(templates.order_by("order", "id"))


def _status_changed(
    *, actor: Any, case: ServiceCase, old: str, new: str, note: str = ""
) -> CaseStatusChange:
    """Write the case's status history (inside the transaction of the change)."""
    return CaseStatusChange.objects.create(
        case=case,
        from_status=old,
        to_status=new,
        changed_by=actor if getattr(actor, "pk", None) else None,
        note=note[:255],
    )


@transaction.atomic
def case_create(*, actor: Any, case: ServiceCase) -> ServiceCase:
    """Register a request; its checklist is copied from the requirement templates of its kind."""
    if case.owner_unit_id is None:
        unit = default_unit(KELEMBAGAAN)
        if unit is not None:
            case.owner_unit = unit
    access.require(access.can_create(actor, ServiceCase, getattr(case, "owner_unit", None)))
    case.status = CaseStatus.DIAJUKAN
    case.decided_on = None
    case.service_days = None
    saved = core.record_create(actor=actor, instance=case)
    items = CaseRequirement.objects.bulk_create(
        CaseRequirement(
            case=saved,
            template=template,
            label=template.label,
            mandatory=template.mandatory,
            order=template.order,
        )
        for template in _requirements_for(saved)
    )
    audit.record_many(
        actor=actor,
        action=Action.CREATE,
        changes=[(item, None, audit.snapshot(item)) for item in items],
    )
    if not saved.number:
        saved.number = f"LK-{saved.requested_on:%Y}-{saved.pk:05d}"
        ServiceCase.objects.filter(pk=saved.pk).update(number=saved.number)
    _status_changed(actor=actor, case=saved, old="", new=saved.status)
    return saved


def case_update(*, actor: Any, case: ServiceCase, expected_version: int | None) -> ServiceCase:
    """Edit a case's details; the status and decision change only through their services."""
    stored = ServiceCase.objects.select_related("owner_unit").get(pk=case.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, case))
    for name in ("status", "decided_on", "service_days", "decision_result", "kind"):
        setattr(case, name, getattr(stored, name))
    return core.record_update(actor=actor, instance=case, expected_version=expected_version)


@transaction.atomic
def case_transition(
    *,
    actor: Any,
    case: ServiceCase,
    status: str,
    expected_version: int | None = None,
    note: str = "",
) -> ServiceCase:
    """Move a case along the workflow (verifikasi, perlu perbaikan, diproses, selesai); the
    move is written to the case's status history."""
    access.require(access.can_edit(actor, case))
    # The status as stored (locked): the history says where the case really came from.
    old = ServiceCase.objects.select_for_update().get(pk=case.pk).status
    case.status = old
    if status in (CaseStatus.DISETUJUI, CaseStatus.DITOLAK):
        raise ValidationError(
            _("Keputusan (disetujui/ditolak) dicatat melalui formulir keputusan.")
        )
    if status not in TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            _("Status tidak dapat diubah dari %(old)s ke %(new)s.")
            % {"old": CaseStatus(case.status).label, "new": CaseStatus(status).label}
        )
    case.status = status
    saved = core.record_update(
        actor=actor, instance=case, expected_version=expected_version, note=note
    )
    _status_changed(actor=actor, case=saved, old=old, new=status, note=note)
    return saved


def _iusp_date(case: ServiceCase) -> dt.date | None:
    """The date the cooperative's IUSP was issued: recorded on the case, or an approved IUSP
    case of the same cooperative."""
    if case.iusp_date:
        return case.iusp_date
    approved = (
        ServiceCase.objects.active()
        .filter(
            cooperative_id=case.cooperative_id,
            kind=ServiceKind.IUSP,
            decision_result=DecisionResult.DISETUJUI,
        )
        .exclude(pk=case.pk)
        .order_by("decision_date")
        .values_list("decision_date", flat=True)
        .first()
    )
    return approved


def _last_year_predicate(cooperative_id: int, year: int) -> str | None:
    return (
        HealthAssessment.objects.active()
        .filter(cooperative_id=cooperative_id, year=year)
        .order_by("-assessed_on", "-id")
        .values_list("predicate", flat=True)
        .first()
    )


def approval_problems(case: ServiceCase, decision_date: dt.date) -> list[str]:
    """Everything that prevents approving the case on ``decision_date``, in Bahasa Indonesia."""
    problems: list[str] = []
    missing = [r.label for r in case.requirements.active().filter(mandatory=True, fulfilled=False)]
    if missing:
        problems.append(_("Persyaratan wajib belum terpenuhi: %s.") % "; ".join(missing))
    measured = [
        {
            "label": t.label,
            "measure": t.measure,
            "measure_label": str(RequirementMeasure(t.measure).label),
            "minimum": t.minimum,
        }
        for t in _requirements_for(case)
        if t.measure
    ]
    figures = {m: getattr(case, m) for m in RequirementMeasure.values if m}
    problems.extend(supervision_rules.measure_problems(measured, figures))
    if case.kind in OFFICE_KINDS and case.cooperative_id:
        last_year = decision_date.year - 1
        problems.extend(
            supervision_rules.office_prerequisites(
                decision_date=decision_date,
                iusp_date=_iusp_date(case),
                last_year_predicate=_last_year_predicate(case.cooperative_id, last_year),
                last_year=last_year,
            )
        )
    return problems


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: ServiceCase,
    result: str,
    number: str,
    date: dt.date,
    notes: str = "",
    expected_version: int | None = None,
) -> ServiceCase:
    """Record the decision. Approval checks the prerequisites of the domain notes; an approved
    dissolution marks the cooperative dissolved through the registry's service."""
    case = (
        ServiceCase.objects.select_for_update(of=("self",))
        .select_related("owner_unit", "cooperative")
        .get(pk=case.pk)
    )
    access.require(access.can_edit(actor, case))
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentEditError()
    if result not in DecisionResult.values:
        raise ValidationError({"result": _("Pilih hasil keputusan.")})
    errors: dict[str, str] = {}
    if not number.strip():
        errors["number"] = _("Isi nomor keputusan.")
    if date > _today():
        errors["date"] = _("Tanggal keputusan tidak boleh di masa depan.")
    elif date < case.requested_on:
        errors["date"] = _("Tanggal keputusan tidak boleh sebelum tanggal permohonan.")
    if errors:
        raise ValidationError(errors)
    if case.status not in TRANSITIONS or result not in TRANSITIONS[case.status]:
        raise ValidationError(
            _("Kasus berstatus %(status)s belum dapat diputuskan %(result)s.")
            % {"status": CaseStatus(case.status).label, "result": DecisionResult(result).label}
        )
    if result == DecisionResult.DISETUJUI:
        problems = approval_problems(case, date)
        if problems:
            raise ValidationError(
                [_("Permohonan tidak dapat disetujui:"), *problems], code="prerequisites"
            )
    old = case.status
    case.status = result
    case.decision_result = result
    case.decision_number = number.strip()
    case.decision_date = date
    case.decision_notes = notes
    case.decided_on = date
    case.service_days = (date - case.requested_on).days
    saved = core.record_update(actor=actor, instance=case, note=_("Keputusan layanan"))
    decision = _("Keputusan %(number)s tanggal %(date)s") % {
        "number": saved.decision_number,
        "date": date.strftime("%d-%m-%Y"),
    }
    _status_changed(
        actor=actor,
        case=saved,
        old=old,
        new=result,
        note=f"{decision}. {notes}" if notes else decision,
    )
    if result == DecisionResult.DISETUJUI and case.kind == ServiceKind.PEMBUBARAN:
        _dissolve(actor=actor, case=saved, date=date)
    return saved


def _dissolve(*, actor: Any, case: ServiceCase, date: dt.date) -> None:
    from sikumi.cooperatives import services as registry

    cooperative = case.cooperative
    if cooperative is None or cooperative.dissolved_at is not None:
        return
    registry.cooperative_dissolve(
        actor=actor,
        cooperative=cooperative,
        date=date,
        note=_("Pembubaran: keputusan %(number)s") % {"number": case.decision_number},
    )


def requirement_update(
    *, actor: Any, requirement: CaseRequirement, expected_version: int | None
) -> CaseRequirement:
    """Upload a file or tick an item of a case's checklist."""
    stored = CaseRequirement.objects.select_related("case__owner_unit").get(pk=requirement.pk)
    access.require(access.can_edit(actor, stored.case))
    if stored.case.status not in (
        CaseStatus.DIAJUKAN,
        CaseStatus.VERIFIKASI,
        CaseStatus.PERBAIKAN,
        CaseStatus.DIPROSES,
    ):
        raise ValidationError(_("Kasus sudah diputuskan; persyaratan tidak dapat diubah."))
    requirement.case_id = stored.case_id
    return core.record_update(actor=actor, instance=requirement, expected_version=expected_version)


@transaction.atomic
def requirements_update(
    *,
    actor: Any,
    case: ServiceCase,
    changes: list[tuple[CaseRequirement, int | None]],
) -> int:
    """Save the ticks, files and notes of several requirements of one case at once (the
    checklist page): each row is checked against its own version; one refused row refuses the
    whole save, with every row's problem keyed by the requirement's id."""
    locked = ServiceCase.objects.select_for_update().select_related("owner_unit").get(pk=case.pk)
    access.require(access.can_edit(actor, locked))
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("Kasus sudah diputuskan; persyaratan tidak dapat diubah."))
    errors: dict[str, list[str]] = {}
    for requirement, expected_version in changes:
        if requirement.case_id != locked.pk or requirement.archived_at is not None:
            raise ValidationError(_("Persyaratan ini bukan bagian dari layanan ini."))
        try:
            with transaction.atomic():
                core.record_update(
                    actor=actor, instance=requirement, expected_version=expected_version
                )
        except ValidationError as exc:
            errors[str(requirement.pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return len(changes)


def case_archive(*, actor: Any, case: ServiceCase) -> ServiceCase:
    access.require(access.can_archive(actor, case))
    return core.record_archive(actor=actor, instance=case)


# =============================================================================== supervision


def plan_save(
    *, actor: Any, plan: InspectionPlan, expected_version: int | None = None
) -> InspectionPlan:
    if plan.owner_unit_id is None:
        unit = default_unit(PENGAWASAN)
        if unit is not None:
            plan.owner_unit = unit
    if plan.pk is None:
        access.require(access.can_create(actor, InspectionPlan, plan.owner_unit))
        if (
            InspectionPlan.objects.active()
            .filter(year=plan.year, owner_unit=plan.owner_unit)
            .exists()
        ):
            raise ValidationError({"year": _("Rencana pemeriksaan tahun ini sudah ada.")})
        return core.record_create(actor=actor, instance=plan)
    stored = InspectionPlan.objects.select_related("owner_unit").get(pk=plan.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, plan))
    return core.record_update(actor=actor, instance=plan, expected_version=expected_version)


def planned_add(*, actor: Any, item: PlannedInspection) -> PlannedInspection:
    access.require(access.can_edit(actor, item.plan))
    if PlannedInspection.objects.filter(plan=item.plan, cooperative=item.cooperative).exists():
        raise ValidationError({"cooperative": _("Koperasi ini sudah ada dalam rencana.")})
    return core.record_create(actor=actor, instance=item)


def planned_archive(*, actor: Any, item: PlannedInspection) -> PlannedInspection:
    access.require(access.can_edit(actor, item.plan))
    return core.record_archive(actor=actor, instance=item)


def _apply_answers(
    *, actor: Any, inspection: Inspection, answers: Mapping[int, tuple[str, str]]
) -> None:
    """Create or change the inspection's answers (item id -> (answer, note)), audited."""
    items = {i.pk: i for i in ChecklistItem.objects.filter(template_id=inspection.checklist_id)}
    unknown = [pk for pk in answers if pk not in items]
    if unknown:
        raise ValidationError(_("Butir daftar periksa tidak dikenal: %s") % unknown)
    existing = {a.item_id: a for a in inspection.answers.all()}
    created: list[InspectionAnswer] = []
    changed: list[tuple[InspectionAnswer, dict[str, Any], dict[str, Any]]] = []
    for item_id, (answer, note) in answers.items():
        if answer not in ("ya", "tidak", "na"):
            raise ValidationError(
                _("Jawaban untuk '%(item)s' harus Ya, Tidak atau Tidak berlaku.")
                % {"item": items[item_id].text}
            )
        row = existing.get(item_id)
        if row is None:
            created.append(
                InspectionAnswer(inspection=inspection, item_id=item_id, answer=answer, note=note)
            )
        elif (row.answer, row.note) != (answer, note):
            before = audit.snapshot(row)
            row.answer, row.note = answer, note
            changed.append((row, before, audit.snapshot(row)))
    InspectionAnswer.objects.bulk_create(created)
    InspectionAnswer.objects.bulk_update([row for row, _b, _a in changed], ["answer", "note"])
    audit.record_many(
        actor=actor,
        action=Action.CREATE,
        changes=[(row, None, audit.snapshot(row)) for row in created],
    )
    audit.record_many(actor=actor, action=Action.UPDATE, changes=changed)


def _result_of(inspection: Inspection, answers: Mapping[int, tuple[str, str]]) -> str:
    items = ChecklistItem.objects.filter(template_id=inspection.checklist_id)
    stored = {}
    if inspection.pk:
        stored = dict(inspection.answers.values_list("item_id", "answer"))
    merged = {**stored, **{k: v[0] for k, v in answers.items()}}
    return supervision_rules.inspection_result(
        (item.mandatory, merged.get(item.pk)) for item in items
    )


def _link_plan(inspection: Inspection) -> None:
    """Tie the inspection to its place in the yearly plan.

    Chosen on the plan page (``planned`` set), the planned cooperative must be the inspected
    one. Recorded from anywhere else, the inspection is linked to the plan of its year that
    lists the cooperative and has no inspection yet, so the plan never keeps showing
    "Catat pemeriksaan" for a cooperative already inspected."""
    if inspection.planned_id is not None:
        item = PlannedInspection.objects.select_related("plan", "cooperative").get(
            pk=inspection.planned_id
        )
        if item.archived_at is not None or item.plan.archived_at is not None:
            raise ValidationError(
                _("Koperasi ini sudah dikeluarkan dari rencana pemeriksaan; muat ulang halaman.")
            )
        if item.cooperative_id != inspection.cooperative_id:
            raise ValidationError(
                {
                    "cooperative": _(
                        "Koperasi yang diperiksa harus %(name)s, sesuai rencana pemeriksaan "
                        "%(year)s."
                    )
                    % {"name": item.cooperative.name, "year": item.plan.year}
                }
            )
        return
    if not inspection.cooperative_id or not inspection.date:
        return
    inspected = Inspection.objects.active().filter(planned=OuterRef("pk"))
    free = (
        PlannedInspection.objects.active()
        .filter(
            cooperative_id=inspection.cooperative_id,
            plan__year=inspection.date.year,
            plan__owner_unit_id=inspection.owner_unit_id,
            plan__archived_at__isnull=True,
        )
        .exclude(Exists(inspected))
        .order_by("quarter", "id")
        .first()
    )
    if free is not None:
        inspection.planned = free


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    inspection: Inspection,
    answers: Mapping[int, tuple[str, str]] | None = None,
    inspectors: list[Any] | None = None,
) -> Inspection:
    """Record an inspection; its result is computed from the answers
    (`sikumi.rules.supervision.inspection_result`)."""
    if inspection.owner_unit_id is None:
        unit = default_unit(PENGAWASAN)
        if unit is not None:
            inspection.owner_unit = unit
    access.require(access.can_create(actor, Inspection, getattr(inspection, "owner_unit", None)))
    answers = answers or {}
    _link_plan(inspection)
    inspection.result = _result_of(inspection, answers)
    saved = core.record_create(actor=actor, instance=inspection)
    if inspectors:
        saved.inspectors.set(inspectors)
    _apply_answers(actor=actor, inspection=saved, answers=answers)
    return saved


@transaction.atomic
def inspection_update(
    *,
    actor: Any,
    inspection: Inspection,
    expected_version: int | None,
    answers: Mapping[int, tuple[str, str]] | None = None,
    inspectors: list[Any] | None = None,
) -> Inspection:
    stored = Inspection.objects.select_related("owner_unit").get(pk=inspection.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, inspection))
    if inspection.checklist_id != stored.checklist_id and stored.answers.exists():
        raise ValidationError(
            {"checklist": _("Daftar periksa tidak dapat diganti setelah ada jawaban.")}
        )
    answers = answers or {}
    if inspection.cooperative_id != stored.cooperative_id:
        # Another cooperative (a mistake corrected): its own row in the plan, if any.
        inspection.planned = None
        _link_plan(inspection)
    elif inspection.planned_id is not None and inspection.planned_id != stored.planned_id:
        _link_plan(inspection)
    inspection.result = _result_of(inspection, answers)
    saved = core.record_update(actor=actor, instance=inspection, expected_version=expected_version)
    if inspectors is not None:
        before = sorted(saved.inspectors.values_list("pk", flat=True))
        after = sorted(u.pk for u in inspectors)
        if before != after:
            saved.inspectors.set(inspectors)
            audit.record(
                actor=actor,
                action=Action.UPDATE,
                instance=saved,
                before={"inspectors": before},
                after={"inspectors": after},
            )
    _apply_answers(actor=actor, inspection=saved, answers=answers)
    return saved


def inspection_archive(*, actor: Any, inspection: Inspection) -> Inspection:
    access.require(access.can_archive(actor, inspection))
    return core.record_archive(actor=actor, instance=inspection)


@transaction.atomic
def finding_save(
    *,
    actor: Any,
    finding: Finding,
    expected_version: int | None = None,
    follow_up: FollowUp | None = None,
) -> Finding:
    """Record or edit a finding; a new one may come with its first follow-up (saved with it,
    or neither is)."""
    inspection = Inspection.objects.select_related("owner_unit").get(pk=finding.inspection_id)
    access.require(access.can_edit(actor, inspection))
    if finding.pk is not None:
        return core.record_update(actor=actor, instance=finding, expected_version=expected_version)
    saved = core.record_create(actor=actor, instance=finding)
    if follow_up is not None:
        follow_up.finding = saved
        try:
            follow_up_save(actor=actor, follow_up=follow_up)
        except ValidationError as exc:
            # The form shows the follow-up's fields under their own names.
            if not hasattr(exc, "error_dict"):
                raise
            shown: dict[str, list[str]] = {}
            for name, errors in exc.message_dict.items():
                shown.setdefault(_FOLLOW_UP_FORM_FIELDS.get(name, NON_FIELD_ERRORS), []).extend(
                    errors
                )
            raise ValidationError(shown) from None
    return saved


# The finding form's names of the follow-up entered with it.
_FOLLOW_UP_FORM_FIELDS = {
    "action": "follow_up_action",
    "due_date": "follow_up_due",
    "responsible": "follow_up_responsible",
}


def follow_up_save(
    *, actor: Any, follow_up: FollowUp, expected_version: int | None = None
) -> FollowUp:
    finding = Finding.objects.select_related("inspection__owner_unit").get(pk=follow_up.finding_id)
    access.require(access.can_edit(actor, finding.inspection))
    if follow_up.status == FollowUpStatus.DONE and follow_up.done_on is None:
        follow_up.done_on = _today()
    if follow_up.status == FollowUpStatus.OPEN:
        follow_up.done_on = None
    if follow_up.pk is None:
        return core.record_create(actor=actor, instance=follow_up)
    return core.record_update(actor=actor, instance=follow_up, expected_version=expected_version)


@transaction.atomic
def follow_up_complete(
    *, actor: Any, follow_up: FollowUp, done_on: dt.date, expected_version: int | None
) -> FollowUp:
    """Mark a follow-up done on ``done_on`` (one click on the inspection or findings page)."""
    stored = FollowUp.objects.select_related("finding__inspection__owner_unit").get(pk=follow_up.pk)
    access.require(access.can_edit(actor, stored.finding.inspection))
    if stored.status == FollowUpStatus.DONE:
        raise ValidationError(
            _("Tindak lanjut ini sudah selesai pada %(date)s.")
            % {"date": stored.done_on.strftime("%d-%m-%Y") if stored.done_on else "-"}
        )
    stored.status = FollowUpStatus.DONE
    stored.done_on = done_on
    return core.record_update(
        actor=actor,
        instance=stored,
        expected_version=expected_version,
        note=_("Tindak lanjut selesai"),
    )


def sanction_save(
    *, actor: Any, sanction: Sanction, expected_version: int | None = None
) -> Sanction:
    if sanction.owner_unit_id is None:
        unit = default_unit(PENGAWASAN)
        if unit is not None:
            sanction.owner_unit = unit
    if sanction.pk is None:
        access.require(access.can_create(actor, Sanction, sanction.owner_unit))
        return core.record_create(actor=actor, instance=sanction)
    stored = Sanction.objects.select_related("owner_unit").get(pk=sanction.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, sanction))
    return core.record_update(actor=actor, instance=sanction, expected_version=expected_version)


# ==================================================================================== health


@transaction.atomic
def methodologies_load(*, actor: Any = None) -> int:
    """Store the shipped methodologies (rules package JSON) that are not in the database yet.

    Rows already present are left alone: an administrator's edits win over the files."""
    created = 0
    for code in health_rules.METHODOLOGIES:
        if HealthMethodology.objects.filter(code=code).exists():
            continue
        definition = health_rules.load_methodology(code)
        core.record_create(
            actor=actor,
            instance=HealthMethodology(
                code=code,
                revision=1,
                title=str(definition.get("title", code))[:255],
                valid_from=METHODOLOGY_VALID_FROM.get(code, dt.date(2000, 1, 1)),
                definition=definition,
            ),
        )
        created += 1
    return created


def methodology_save(
    *, actor: Any, methodology: HealthMethodology, expected_version: int | None = None
) -> HealthMethodology:
    """Administrators edit a methodology (weights, bands, questionnaire) without a release."""
    access.require(access.is_admin(actor))
    if methodology.pk is None:
        return core.record_create(actor=actor, instance=methodology)
    return core.record_update(actor=actor, instance=methodology, expected_version=expected_version)


def methodology_current(code: str, on: dt.date | None = None) -> HealthMethodology | None:
    """The active revision of ``code`` in force on ``on`` (today by default)."""
    return (
        HealthMethodology.objects.active()
        .filter(code=code, is_active=True, valid_from__lte=on or _today())
        .order_by("-revision", "-valid_from")
        .first()
    )


def _editions(rows: Any) -> list[method_rules.Edition]:
    return [method_rules.Edition(r.pk, r.code, r.revision, r.valid_from) for r in rows]


def methodology_for_year(year: int) -> HealthMethodology | None:
    """The stored methodology that applies to book ``year``
    (``sikumi.rules.health_methodology.for_book_year``); None before every methodology."""
    rows = {r.pk: r for r in HealthMethodology.objects.active().filter(is_active=True)}
    edition = method_rules.for_book_year(_editions(rows.values()), year)
    return rows[edition.key] if edition is not None else None


def methodology_code_for_year(year: int) -> str | None:
    """The code of the methodology for book ``year``: the stored ones, or the shipped ones
    (with the dates they took effect) while none is stored yet."""
    row = methodology_for_year(year)
    if row is not None:
        return row.code
    if HealthMethodology.objects.active().filter(is_active=True).exists():
        return None
    shipped = [
        method_rules.Edition(code, code, 1, valid_from)
        for code, valid_from in METHODOLOGY_VALID_FROM.items()
    ]
    edition = method_rules.for_book_year(shipped, year)
    return edition.code if edition is not None else None


def methodologies_by_year(years: range) -> dict[int, HealthMethodology]:
    """``methodology_for_year`` for each year of ``years`` in one query (the form's table of
    proposals when the book year changes)."""
    rows = {r.pk: r for r in HealthMethodology.objects.active().filter(is_active=True)}
    table = method_rules.by_book_year(_editions(rows.values()), years)
    return {year: rows[edition.key] for year, edition in table.items()}


def methodology_definition(code: str, on: dt.date | None = None) -> dict[str, Any]:
    """The definition in the database, or the shipped file when none was loaded yet."""
    row = methodology_current(code, on)
    if row is not None:
        return dict(row.definition)
    try:
        return health_rules.load_methodology(code)
    except health_rules.MethodologyError as exc:
        raise ValidationError({"method": str(exc)}) from None


def normalise_inputs(definition: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Read text figures the Indonesian way ("16.650.000", "Rp 1.234,5"); numbers pass.

    Raises ValidationError naming every figure that is not a number (by its label)."""
    fields = definition.get("fields", {})
    values: dict[str, Any] = {}
    errors: list[str] = []
    for name, value in raw.items():
        label = fields.get(name, {}).get("label", name)
        if isinstance(value, bool):
            errors.append(
                _("Angka '%(label)s' tidak valid: %(value)s") % {"label": label, "value": value}
            )
        elif isinstance(value, str):
            try:
                values[name] = parse_number(value)
            except ParseError:
                errors.append(
                    _("Angka '%(label)s' tidak valid: %(value)s") % {"label": label, "value": value}
                )
        elif value is None or isinstance(value, int | float | Decimal):
            values[name] = value
        else:
            errors.append(
                _("Angka '%(label)s' tidak valid: %(value)s") % {"label": label, "value": value}
            )
    if errors:
        raise ValidationError(errors)
    return values


def calculate(definition: Mapping[str, Any], raw: Mapping[str, Any]) -> health_rules.HealthResult:
    """Compute without saving; bad inputs raise ValidationError listing every problem."""
    if not isinstance(raw, Mapping):
        raise ValidationError(_("Masukan harus berupa objek berisi angka per kode isian."))
    inputs = normalise_inputs(definition, raw)
    try:
        return health_rules.compute(definition, inputs)
    except health_rules.HealthInputError as exc:
        raise ValidationError(list(exc.errors), code="health_input") from None
    except health_rules.MethodologyError as exc:
        raise ValidationError(str(exc), code="methodology") from None


def _json_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Figures as JSON numbers (integers stay integers) for the stored inputs."""
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if isinstance(value, Decimal):
            out[key] = int(value) if value == value.to_integral_value() else float(value)
        else:
            out[key] = value
    return out


def _assess(assessment: HealthAssessment) -> None:
    definition = dict(assessment.methodology.definition)
    inputs = normalise_inputs(definition, assessment.inputs or {})
    result = calculate(definition, inputs)
    assessment.inputs = _json_inputs(inputs)
    assessment.result = result.as_dict()
    assessment.total_score = result.total
    assessment.predicate = result.predicate


def _check_assessment(assessment: HealthAssessment) -> None:
    cooperative = assessment.cooperative
    if not cooperative.is_savings_and_loan:
        raise ValidationError(
            {
                "cooperative": _(
                    "Penilaian kesehatan hanya untuk KSP atau koperasi yang memiliki USP."
                )
            }
        )
    duplicate = (
        HealthAssessment.objects.active()
        .filter(cooperative_id=assessment.cooperative_id, year=assessment.year)
        .exclude(pk=assessment.pk)
    )
    if duplicate.exists():
        raise ValidationError(
            {
                "year": _("Koperasi ini sudah memiliki penilaian kesehatan tahun buku %(year)s.")
                % {"year": assessment.year}
            }
        )
    if assessment.year and assessment.assessed_on and assessment.year > assessment.assessed_on.year:
        raise ValidationError({"year": _("Tahun buku tidak boleh setelah tanggal penilaian.")})


@transaction.atomic
def assessment_create(*, actor: Any, assessment: HealthAssessment) -> HealthAssessment:
    """Assess a KSP/USP: the result is computed only by sikumi.rules.health.compute."""
    if assessment.owner_unit_id is None:
        unit = default_unit(PENGAWASAN)
        if unit is not None:
            assessment.owner_unit = unit
    access.require(
        access.can_create(actor, HealthAssessment, getattr(assessment, "owner_unit", None))
    )
    if assessment.assessor_id is None and getattr(actor, "pk", None):
        assessment.assessor = actor
    _check_assessment(assessment)
    _assess(assessment)
    return core.record_create(actor=actor, instance=assessment)


@transaction.atomic
def assessment_update(
    *, actor: Any, assessment: HealthAssessment, expected_version: int | None
) -> HealthAssessment:
    stored = HealthAssessment.objects.select_related("owner_unit").get(pk=assessment.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, assessment))
    _check_assessment(assessment)
    _assess(assessment)
    return core.record_update(actor=actor, instance=assessment, expected_version=expected_version)


def assessment_archive(*, actor: Any, assessment: HealthAssessment) -> HealthAssessment:
    access.require(access.can_archive(actor, assessment))
    return core.record_archive(actor=actor, instance=assessment)
