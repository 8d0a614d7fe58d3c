"""All writes of monitoring and evaluation: Renja, quarterly realisation, evidence, the
submission workflow and the promise figures. Each checks `sikumi.accounts.access`, refuses
edits of locked quarters with a clear message, and writes the audit trail in the same
transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.choices import UnitFunction, UnitKind
from sikumi.accounts.models import Unit
from sikumi.accounts.selectors import unit_for_function
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.monev.choices import ROMAN, ChangeKind, RenjaStatus, SubmissionStatus
from sikumi.monev.models import (
    BudgetRealisation,
    Evidence,
    IndicatorRealisation,
    PromiseFigure,
    QuarterSubmission,
    Renja,
    RenjaBudget,
    RenjaChange,
    RenjaTarget,
)
from sikumi.plans.models import BUDGET_KINDS, Indicator, IndicatorTable, Plan, PlanNode

#: indicator tables whose indicators are planned and realised in the Renja (the IKU and IKK
#: tables restate them and are reported from them)
RENJA_TABLES = (IndicatorTable.TUJUAN_SASARAN, IndicatorTable.PROGRAM)


# --- Renja -------------------------------------------------------------------------------------


def _fallback_targets(plan: Plan, year: int) -> dict[str, Decimal]:
    """Targets the IKU table prints for years the other tables do not (2021), keyed by the
    source id of the indicator they restate."""
    out: dict[str, Decimal] = {}
    rows = Indicator.objects.filter(plan=plan, table=IndicatorTable.IKU).exclude(ref="")
    for ind in rows.prefetch_related("targets"):
        for t in ind.targets.all():
            if t.year == year and t.value is not None:
                out[ind.ref] = t.value
    return out


@transaction.atomic
def renja_create_from_plan(*, actor: Any, plan: Plan, year: int) -> Renja:
    """Copy the year's indicator targets and budgets from the Renstra into a new Renja."""
    access.require(access.can_create(actor, Renja))
    if not plan.contains_year(year):
        raise ValidationError(
            _("Tahun %(year)s di luar periode Renstra %(start)s-%(end)s.")
            % {"year": year, "start": plan.period_start, "end": plan.period_end}
        )
    if Renja.objects.filter(plan=plan, year=year).exists():
        raise ValidationError(_("Renja tahun %(year)s sudah ada.") % {"year": year})
    renja = core.record_create(
        actor=actor,
        instance=Renja(plan=plan, year=year, owner_unit=plan.owner_unit),
    )
    fallback = _fallback_targets(plan, year)
    indicators = Indicator.objects.filter(plan=plan, table__in=RENJA_TABLES).prefetch_related(
        "targets"
    )
    targets = []
    for ind in indicators:
        value = next((t.value for t in ind.targets.all() if t.year == year), None)
        if value is None:
            value = fallback.get(ind.source_id)
        targets.append(RenjaTarget(renja=renja, indicator=ind, target=value))
    RenjaTarget.objects.bulk_create(targets)
    pagu = {p.node_id: p.value for p in plan.pagu.filter(year=year, node__isnull=False)}
    nodes = PlanNode.objects.filter(plan=plan, kind__in=BUDGET_KINDS)
    RenjaBudget.objects.bulk_create(
        RenjaBudget(renja=renja, node=n, pagu=pagu.get(n.pk)) for n in nodes
    )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        instance=renja,
        note=_("Disalin dari Renstra: %(t)d target, %(b)d pagu.")
        % {"t": len(targets), "b": len(pagu)},
    )
    return renja


@transaction.atomic
def renja_adopt(*, actor: Any, renja: Renja) -> Renja:
    access.require(access.can_edit(actor, renja))
    stored = Renja.objects.select_for_update().get(pk=renja.pk)
    if stored.status != RenjaStatus.DRAFT:
        raise ValidationError(_("Renja ini sudah ditetapkan."))
    before = audit.snapshot(stored)
    stored.status = RenjaStatus.ADOPTED
    stored.version += 1
    stored.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=actor,
        action=Action.WORKFLOW,
        instance=stored,
        before=before,
        after=audit.snapshot(stored),
        note=_("Renja ditetapkan."),
    )
    return stored


def _text(value: Decimal | None) -> str:
    return (
        "" if value is None else str(value.normalize() if value == value.to_integral() else value)
    )


@transaction.atomic
def renja_adjust(
    *,
    actor: Any,
    renja: Renja,
    reason: str,
    targets: dict[int, Decimal | None] | None = None,
    budgets: dict[int, Decimal | None] | None = None,
    expected_version: int | None = None,
) -> Renja:
    """Change targets (by indicator id) and budgets (by node id). After adoption this is a
    Renja perubahan: the revision number goes up once for the whole batch. Every changed value
    is logged with old and new value, who, when and why."""
    access.require(access.can_edit(actor, renja))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Alasan perubahan wajib diisi.")})
    stored = Renja.objects.select_for_update().get(pk=renja.pk)
    if expected_version is not None and stored.version != expected_version:
        from sikumi.core.exceptions import ConcurrentEditError

        raise ConcurrentEditError("")
    changes: list[RenjaChange] = []
    revision = stored.revision + (1 if stored.status != RenjaStatus.DRAFT else 0)
    for row in RenjaTarget.objects.filter(renja=stored, indicator_id__in=list(targets or {})):
        new = (targets or {})[row.indicator_id]
        if new is not None and new < 0:
            raise ValidationError(_("Target tidak boleh negatif."))
        if row.target == new:
            continue
        changes.append(
            RenjaChange(
                renja=stored,
                revision=revision,
                kind=ChangeKind.TARGET,
                indicator_id=row.indicator_id,
                old_value=_text(row.target),
                new_value=_text(new),
                reason=reason,
                changed_by=actor,
            )
        )
        row.target = new
        row.is_example = False  # the target is now the user's, not the generator's
        core.record_update(actor=actor, instance=row, note=reason)
    for b in RenjaBudget.objects.filter(renja=stored, node_id__in=list(budgets or {})):
        new = (budgets or {})[b.node_id]
        if new is not None and new < 0:
            raise ValidationError(_("Pagu tidak boleh negatif."))
        if b.pagu == new:
            continue
        changes.append(
            RenjaChange(
                renja=stored,
                revision=revision,
                kind=ChangeKind.BUDGET,
                node_id=b.node_id,
                old_value=_text(b.pagu),
                new_value=_text(new),
                reason=reason,
                changed_by=actor,
            )
        )
        b.pagu = new
        b.is_example = False  # the pagu is now the user's, not the generator's
        core.record_update(actor=actor, instance=b, note=reason)
    if not changes:
        return stored
    RenjaChange.objects.bulk_create(changes)
    if stored.status != RenjaStatus.DRAFT:
        stored.revision = revision
        stored.status = RenjaStatus.REVISED
    stored.version += 1
    stored.save(update_fields=["revision", "status", "version", "updated_at"])
    return stored


# --- realisation -------------------------------------------------------------------------------


def responsible_unit(node: PlanNode | None) -> Unit:
    """The unit that reports an indicator or budget line: the node's unit, else the nearest
    ancestor's, else the holder of the urusan perencanaan (Tujuan and Sasaran indicators)."""
    while node is not None:
        if node.unit_id:
            return node.unit  # type: ignore[return-value]
        node = node.parent
    # Tujuan and Sasaran indicators: the unit holding the urusan perencanaan (the Sekretariat
    # in Depok), whatever the organisation chart calls it.
    unit = (
        unit_for_function(UnitFunction.PERENCANAAN)
        or Unit.objects.filter(kind=UnitKind.SEKRETARIAT).order_by("order").first()
        or Unit.objects.order_by("order").first()
    )
    if unit is None:
        raise ValidationError(_("Belum ada unit kerja."))
    return unit


def submission_for(*, renja: Renja, unit: Unit, quarter: int) -> QuarterSubmission:
    if quarter not in ROMAN:
        raise ValidationError({"quarter": _("Triwulan harus 1 sampai 4.")})
    submission, _created = QuarterSubmission.objects.get_or_create(
        renja=renja,
        owner_unit=unit,
        quarter=quarter,
        # a quarter opened by a user's entry is real, even in a Renja of the example data
        defaults={"is_example": False},
    )
    return submission


def _require_editable(actor: Any, submission: QuarterSubmission) -> None:
    access.require(
        access.can_submit(actor, submission),
        _("Hanya unit penanggung jawab yang dapat mengisi realisasi ini."),
    )
    status = submission.status
    if status == SubmissionStatus.APPROVED:
        raise ValidationError(
            _(
                "Realisasi triwulan %(q)s sudah disetujui dan dikunci. Minta Perencana atau "
                "Kepala Dinas membukanya kembali (dengan alasan) sebelum mengubahnya."
            )
            % {"q": ROMAN[submission.quarter]}
        )
    if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.VERIFIED):
        raise ValidationError(
            _(
                "Realisasi triwulan %(q)s sedang diperiksa (%(status)s) dan tidak dapat diubah; "
                "minta Pimpinan Bidang mengembalikannya bila perlu diperbaiki."
            )
            % {"q": ROMAN[submission.quarter], "status": submission.get_status_display()}
        )


def _plain_decimal(value: Any, label: str) -> Decimal | None:
    from sikumi.rules.parsing import ParseError, parse_number

    try:
        number = parse_number(value)
    except (ParseError, ValueError, TypeError) as exc:
        raise ValidationError(
            _("%(label)s '%(value)s' bukan angka.") % {"label": label, "value": value}
        ) from exc
    if number is None:
        return None
    if number < 0:
        raise ValidationError(_("%(label)s tidak boleh negatif.") % {"label": label})
    return number


@transaction.atomic
def realisation_save(
    *,
    actor: Any,
    renja: Renja,
    indicator: Indicator,
    quarter: int,
    value: Any,
    note: str = "",
    expected_version: int | None = None,
    override_reason: str | None = None,
) -> IndicatorRealisation:
    """Enter or correct an indicator's realisation for a quarter.

    When a value computed from the registries was proposed for the quarter, entering a
    different value needs a reason, so the evaluation never silently differs from the records.
    """
    if indicator.plan_id != renja.plan_id:
        raise ValidationError(_("Indikator bukan bagian dari Renstra Renja ini."))
    unit = responsible_unit(indicator.node)
    submission = submission_for(renja=renja, unit=unit, quarter=quarter)
    submission = QuarterSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(actor, submission)
    number = _plain_decimal(value, _("Realisasi"))
    existing = IndicatorRealisation.objects.filter(
        renja=renja, indicator=indicator, quarter=quarter
    ).first()
    if existing is None:
        return core.record_create(
            actor=actor,
            instance=IndicatorRealisation(
                renja=renja,
                indicator=indicator,
                quarter=quarter,
                submission=submission,
                value=number,
                note=note,
                owner_unit=unit,
                entered_by=actor,
            ),
        )
    reason = (override_reason if override_reason is not None else existing.override_reason).strip()
    differs = (
        existing.computed_value is not None
        and number is not None
        and number.quantize(Decimal("0.0001"))
        != existing.computed_value.quantize(Decimal("0.0001"))
    )
    if differs and not reason:
        raise ValidationError(
            _(
                "%(indicator)s: realisasi %(value)s berbeda dari hasil hitung data %(computed)s. "
                "Isi alasan perbedaannya."
            )
            % {
                "indicator": indicator.name,
                "value": _text(number),
                "computed": _text(existing.computed_value),
            }
        )
    existing.value = number
    existing.note = note
    existing.override_reason = reason if differs else ""
    existing.entered_by = actor
    existing.is_example = False  # the value is now the user's, not the generator's
    return core.record_update(actor=actor, instance=existing, expected_version=expected_version)


@transaction.atomic
def budget_realisation_save(
    *,
    actor: Any,
    renja: Renja,
    node: PlanNode,
    quarter: int,
    anggaran: Any,
    realisasi: Any,
    note: str = "",
    expected_version: int | None = None,
) -> BudgetRealisation:
    """Enter or correct a budget line's allotment and spending for a quarter."""
    if node.plan_id != renja.plan_id or node.kind not in BUDGET_KINDS:
        raise ValidationError(_("Baris anggaran bukan program, kegiatan atau sub kegiatan."))
    unit = responsible_unit(node)
    submission = submission_for(renja=renja, unit=unit, quarter=quarter)
    submission = QuarterSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(actor, submission)
    a = _plain_decimal(anggaran, _("Anggaran"))
    r = _plain_decimal(realisasi, _("Realisasi"))
    existing = BudgetRealisation.objects.filter(renja=renja, node=node, quarter=quarter).first()
    if existing is None:
        return core.record_create(
            actor=actor,
            instance=BudgetRealisation(
                renja=renja,
                node=node,
                quarter=quarter,
                submission=submission,
                anggaran=a,
                realisasi=r,
                note=note,
                owner_unit=unit,
                entered_by=actor,
            ),
        )
    existing.anggaran, existing.realisasi, existing.note = a, r, note
    existing.entered_by = actor
    existing.is_example = False  # the figures are now the user's, not the generator's
    return core.record_update(actor=actor, instance=existing, expected_version=expected_version)


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    file: Any,
    realisation: IndicatorRealisation | None = None,
    budget_realisation: BudgetRealisation | None = None,
    description: str = "",
) -> Evidence:
    """Attach an evidence file (PDF or image, at most 10 MB; checked by its content)."""
    subject = realisation or budget_realisation
    if subject is None:
        raise ValidationError(_("Bukti harus melekat pada realisasi."))
    submission = QuarterSubmission.objects.select_for_update().get(pk=subject.submission_id)
    _require_editable(actor, submission)
    evidence = Evidence(
        realisation=realisation,
        budget_realisation=budget_realisation,
        file=file,
        description=description,
        owner_unit=subject.owner_unit,
        uploaded_by=actor,
    )
    return core.record_create(actor=actor, instance=evidence)


# --- workflow ----------------------------------------------------------------------------------


def _transition(
    *,
    actor: Any,
    submission: QuarterSubmission,
    allowed_from: tuple[str, ...],
    to: str,
    note: str,
    changes: dict[str, Any],
) -> QuarterSubmission:
    stored = QuarterSubmission.objects.select_for_update().get(pk=submission.pk)
    if stored.status not in allowed_from:
        raise ValidationError(
            _("Tindakan ini tidak dapat dilakukan pada pengajuan berstatus %(status)s.")
            % {"status": stored.get_status_display()}
        )
    before = audit.snapshot(stored)
    stored.status = to
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.version += 1
    stored.save()
    audit.record(
        actor=actor,
        action=Action.WORKFLOW,
        instance=stored,
        before=before,
        after=audit.snapshot(stored),
        note=note,
    )
    return stored


@transaction.atomic
def submission_submit(*, actor: Any, submission: QuarterSubmission) -> QuarterSubmission:
    """Staf Bidang sends the unit's quarter for verification."""
    access.require(access.can_submit(actor, submission))
    return _transition(
        actor=actor,
        submission=submission,
        allowed_from=(
            SubmissionStatus.DRAFT,
            SubmissionStatus.RETURNED,
            SubmissionStatus.REOPENED,
        ),
        to=SubmissionStatus.SUBMITTED,
        note=_("Diajukan."),
        changes={"submitted_by": actor, "submitted_at": timezone.now()},
    )


@transaction.atomic
def submission_verify(
    *, actor: Any, submission: QuarterSubmission, note: str = ""
) -> QuarterSubmission:
    """Pimpinan Bidang confirms the figures and evidence of the own Bidang."""
    access.require(access.can_verify(actor, submission))
    access.require(
        submission.submitted_by_id != getattr(actor, "pk", None),
        _("Anda tidak dapat memverifikasi pengajuan Anda sendiri."),
    )
    return _transition(
        actor=actor,
        submission=submission,
        allowed_from=(SubmissionStatus.SUBMITTED,),
        to=SubmissionStatus.VERIFIED,
        note=note or _("Diverifikasi."),
        changes={"verified_by": actor, "verified_at": timezone.now()},
    )


@transaction.atomic
def submission_return(*, actor: Any, submission: QuarterSubmission, note: str) -> QuarterSubmission:
    """Pimpinan Bidang (or the approver) sends the quarter back with a note."""
    access.require(access.can_verify(actor, submission) or access.can_approve(actor, submission))
    if not (note or "").strip():
        raise ValidationError({"note": _("Tuliskan catatan mengapa pengajuan dikembalikan.")})
    return _transition(
        actor=actor,
        submission=submission,
        allowed_from=(SubmissionStatus.SUBMITTED, SubmissionStatus.VERIFIED),
        to=SubmissionStatus.RETURNED,
        note=note,
        changes={"notes": note},
    )


def unexplained_differences(submission: QuarterSubmission) -> list[str]:
    """Rows of the submission whose realisation differs from the value computed from the
    registries proposed for them, with no reason recorded (e.g. proposed after the entry)."""
    rows = (
        IndicatorRealisation.objects.active()
        .filter(submission=submission, value__isnull=False, computed_value__isnull=False)
        .filter(override_reason="")
        .select_related("indicator")
    )
    return [
        _("%(indicator)s TW %(q)s: realisasi %(value)s, hasil hitung data %(computed)s")
        % {
            "indicator": row.indicator.name,
            "q": row.quarter,
            "value": _text(row.value),
            "computed": _text(row.computed_value),
        }
        for row in rows
        if row.value is not None
        and row.computed_value is not None
        and row.value.quantize(Decimal("0.0001")) != row.computed_value.quantize(Decimal("0.0001"))
    ]


@transaction.atomic
def submission_approve(*, actor: Any, submission: QuarterSubmission) -> QuarterSubmission:
    """Perencana or Kepala Dinas approves; nobody approves their own submission. The quarter
    is then locked."""
    stored = QuarterSubmission.objects.select_related("submitted_by").get(pk=submission.pk)
    if stored.submitted_by_id and stored.submitted_by_id == getattr(actor, "pk", None):
        access.require(False, _("Anda tidak dapat menyetujui pengajuan Anda sendiri."))
    access.require(access.can_approve(actor, stored, submitted_by=stored.submitted_by))
    unexplained = unexplained_differences(stored)
    if unexplained:
        raise ValidationError(
            _(
                "Realisasi berbeda dari hasil hitung data tanpa alasan: %(rows)s. Kembalikan "
                "pengajuan agar alasannya diisi."
            )
            % {"rows": "; ".join(unexplained)}
        )
    result = _transition(
        actor=actor,
        submission=stored,
        allowed_from=(SubmissionStatus.VERIFIED,),
        to=SubmissionStatus.APPROVED,
        note=_("Disetujui; triwulan dikunci."),
        changes={"approved_by": actor, "approved_at": timezone.now()},
    )
    return result


@transaction.atomic
def submission_reopen(
    *, actor: Any, submission: QuarterSubmission, reason: str
) -> QuarterSubmission:
    """Unlock an approved quarter for corrections; the reason goes to the audit trail."""
    access.require(access.can_approve(actor, submission))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Alasan membuka kembali wajib diisi.")})
    result = _transition(
        actor=actor,
        submission=submission,
        allowed_from=(SubmissionStatus.APPROVED,),
        to=SubmissionStatus.REOPENED,
        note=reason,
        changes={"notes": reason},
    )
    return result


# --- the mayor's promise -----------------------------------------------------------------------


@transaction.atomic
def promise_figure_save(
    *,
    actor: Any,
    year: int,
    new_entrepreneurs: int,
    women_entrepreneurs: int,
    source: str = "",
    expected_version: int | None = None,
) -> PromiseFigure:
    access.require(access.can_create(actor, PromiseFigure))
    if new_entrepreneurs < 0 or women_entrepreneurs < 0:
        raise ValidationError(_("Jumlah tidak boleh negatif."))
    if women_entrepreneurs > new_entrepreneurs:
        raise ValidationError(
            _("Wirausaha perempuan tidak boleh lebih banyak dari seluruh wirausaha baru.")
        )
    figure = PromiseFigure.objects.filter(year=year).first()
    if figure is None:
        figure = PromiseFigure(year=year)
        figure.new_entrepreneurs = new_entrepreneurs
        figure.women_entrepreneurs = women_entrepreneurs
        figure.source = source
        saved = core.record_create(actor=actor, instance=figure)
    else:
        figure.new_entrepreneurs = new_entrepreneurs
        figure.women_entrepreneurs = women_entrepreneurs
        figure.source = source
        figure.is_example = False
        saved = core.record_update(actor=actor, instance=figure, expected_version=expected_version)
    return saved
