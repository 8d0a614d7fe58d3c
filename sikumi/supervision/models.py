"""Layanan kelembagaan (service cases), supervision (plans, inspections, findings, follow-ups,
sanctions) and the health assessment of KSP/USP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.models import TrackedModel
from sikumi.documents.validators import validate_evidence_file
from sikumi.rules import supervision as supervision_rules
from sikumi.supervision.choices import (
    Answer,
    CaseStatus,
    DecisionResult,
    FindingStatus,
    FollowUpStatus,
    InspectionResult,
    Quarter,
    RequirementMeasure,
    SanctionKind,
    ServiceKind,
    Severity,
)

COOPERATIVE = "cooperatives.Cooperative"

# --------------------------------------------------------------------- layanan kelembagaan


class RequirementTemplate(TrackedModel):
    """A required document (or figure) of one kind of service case; edited by administrators."""

    access_scope = "admin"

    kind = models.CharField(_("jenis layanan"), max_length=20, choices=ServiceKind.choices)
    code = models.SlugField(_("kode"), max_length=60)
    label = models.CharField(_("persyaratan"), max_length=255)
    description = models.TextField(_("keterangan"), blank=True)
    mandatory = models.BooleanField(_("wajib"), default=True)
    syariah_only = models.BooleanField(_("hanya untuk pola syariah"), default=False)
    measure = models.CharField(
        _("angka yang diperiksa"),
        max_length=24,
        choices=RequirementMeasure.choices,
        blank=True,
        default="",
    )
    minimum = models.DecimalField(
        _("nilai minimum"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("persyaratan layanan")
        verbose_name_plural = _("persyaratan layanan")
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="requirement_kind_code_uniq"),
            models.CheckConstraint(
                condition=Q(measure="") | Q(minimum__isnull=False),
                name="requirement_measure_minimum_chk",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ServiceCase(TrackedModel):
    """One request for a layanan kelembagaan (pendirian, IUSP, branch opening...), as a case."""

    number = models.CharField(_("nomor registrasi"), max_length=40, blank=True)
    kind = models.CharField(_("jenis layanan"), max_length=20, choices=ServiceKind.choices)
    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    proposed_name = models.CharField(
        _("nama koperasi yang diusulkan"),
        max_length=255,
        blank=True,
        help_text=_("Untuk pendirian, sebelum koperasi terdaftar."),
    )
    applicant_name = models.CharField(_("pemohon"), max_length=200)
    applicant_contact = models.CharField(_("kontak pemohon"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DIAJUKAN
    )
    requested_on = models.DateField(_("tanggal permohonan"))
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    service_days = models.PositiveIntegerField(
        _("lama layanan (hari)"), null=True, blank=True, editable=False
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    # Figures some requirements check (data: RequirementTemplate.measure / minimum).
    founder_count = models.PositiveIntegerField(_("jumlah pendiri"), null=True, blank=True)
    branch_address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    branch_member_count = models.PositiveIntegerField(
        _("jumlah anggota di wilayah kantor"), null=True, blank=True
    )
    branch_capital = models.DecimalField(
        _("modal kerja kantor (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    statement_years = models.PositiveSmallIntegerField(
        _("tahun laporan keuangan tersedia"), null=True, blank=True
    )
    # An IUSP held before Sikumi (no IUSP case on file): number and date as recorded.
    iusp_number = models.CharField(_("nomor IUSP"), max_length=100, blank=True)
    iusp_date = models.DateField(_("tanggal IUSP"), null=True, blank=True)
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decision_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    decision_result = models.CharField(
        _("hasil keputusan"), max_length=10, choices=DecisionResult.choices, blank=True
    )
    decision_notes = models.TextField(_("catatan keputusan"), blank=True)
    notes = models.TextField(_("keterangan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("layanan kelembagaan")
        verbose_name_plural = _("layanan kelembagaan")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="case_kind_status_idx"),
            models.Index(fields=["status", "-requested_on"], name="case_status_requested_idx"),
            models.Index(fields=["cooperative", "kind"], name="case_coop_kind_idx"),
            models.Index(fields=["kind", "decided_on"], name="case_kind_decided_idx"),
            models.Index(fields=["owner_unit", "-requested_on"], name="case_unit_requested_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="case_decided_after_requested_chk",
            ),
            models.CheckConstraint(
                condition=Q(cooperative__isnull=False) | Q(kind=ServiceKind.PENDIRIAN),
                name="case_cooperative_required_chk",
            ),
        ]

    def __str__(self) -> str:
        who = self.cooperative.name if self.cooperative_id else self.proposed_name  # type: ignore[union-attr]
        return f"{self.get_kind_display()}: {who or self.applicant_name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind != ServiceKind.PENDIRIAN and not self.cooperative_id:
            errors["cooperative"] = _("Pilih koperasi untuk layanan ini.")
        if self.kind == ServiceKind.PENDIRIAN and not (self.cooperative_id or self.proposed_name):
            errors["proposed_name"] = _("Isi nama koperasi yang diusulkan.")
        if self.decided_on and self.requested_on and self.decided_on < self.requested_on:
            errors["decided_on"] = _("Tanggal keputusan tidak boleh sebelum tanggal permohonan.")
        if self.requested_on and self.requested_on > timezone.localdate():
            errors["requested_on"] = _("Tanggal permohonan tidak boleh di masa depan.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        from sikumi.supervision.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class CaseStatusChange(models.Model):
    """One move of a service case's status: from, to, who, when and why.

    Written only by the case services, in the transaction of the change; the case page shows
    them as its timeline."""

    case = models.ForeignKey(
        ServiceCase,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("layanan"),
    )
    from_status = models.CharField(
        _("dari status"), max_length=12, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi status"), max_length=12, choices=CaseStatus.choices)
    changed_at = models.DateTimeField(_("waktu"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("riwayat status layanan")
        verbose_name_plural = _("riwayat status layanan")
        ordering = ["case", "changed_at", "id"]
        indexes = [
            models.Index(fields=["case", "changed_at"], name="case_status_change_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '-'} -> {self.to_status}"


class CaseRequirement(TrackedModel):
    """One item of a case's checklist: the requirement, its file and whether it is met."""

    case = models.ForeignKey(
        ServiceCase, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("kasus")
    )
    template = models.ForeignKey(
        RequirementTemplate, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    label = models.CharField(_("persyaratan"), max_length=255)
    mandatory = models.BooleanField(_("wajib"), default=True)
    file = models.FileField(
        _("berkas"),
        upload_to="layanan/%Y/%m/",
        blank=True,
        validators=[validate_evidence_file],
    )
    fulfilled = models.BooleanField(_("terpenuhi"), default=False)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("persyaratan kasus")
        verbose_name_plural = _("persyaratan kasus")
        ordering = ["case", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "template"], name="case_requirement_template_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def owner_unit(self) -> Unit:
        return self.case.owner_unit


# ------------------------------------------------------------------------------ supervision


class InspectionPlan(TrackedModel):
    """The yearly inspection plan of Bidang Pengawasan."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=255, blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("keterangan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("rencana pemeriksaan")
        verbose_name_plural = _("rencana pemeriksaan")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "owner_unit"],
                condition=Q(archived_at__isnull=True),
                name="inspection_plan_year_unit_uniq",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="inspection_plan_year_chk"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Rencana pemeriksaan {self.year}"


class PlannedInspection(TrackedModel):
    """A cooperative in the yearly plan, with the quarter it is to be inspected in."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    cooperative = models.ForeignKey(
        COOPERATIVE, verbose_name=_("koperasi"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("koperasi dalam rencana")
        verbose_name_plural = _("koperasi dalam rencana")
        ordering = ["plan", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cooperative"], name="planned_inspection_coop_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} (TW {self.quarter})"

    @property
    def owner_unit(self) -> Unit:
        return self.plan.owner_unit


class ChecklistTemplate(TrackedModel):
    """A version of the compliance checklist used in inspections (items as data)."""

    access_scope = "admin"

    code = models.SlugField(_("kode"), max_length=40)
    revision = models.PositiveSmallIntegerField(_("edisi"), default=1)
    title = models.CharField(_("judul"), max_length=255)
    valid_from = models.DateField(_("berlaku sejak"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("daftar periksa")
        verbose_name_plural = _("daftar periksa")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="checklist_code_rev_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.title} (edisi {self.revision})"


class ChecklistItem(models.Model):
    """One question of a checklist version; mandatory items decide patuh / tidak patuh."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("kode"), max_length=40)
    text = models.CharField(_("pertanyaan"), max_length=500)
    mandatory = models.BooleanField(_("wajib dipenuhi"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("butir daftar periksa")
        verbose_name_plural = _("butir daftar periksa")
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklist_item_code_uniq")
        ]

    def __str__(self) -> str:
        return self.text


class Inspection(TrackedModel):
    """A compliance inspection of one cooperative, with its checklist answers and result."""

    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    planned = models.ForeignKey(
        PlannedInspection,
        verbose_name=_("dalam rencana"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    date = models.DateField(_("tanggal pemeriksaan"))
    number = models.CharField(_("nomor berita acara"), max_length=100, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("pemeriksa"), blank=True, related_name="+"
    )
    inspector_names = models.CharField(
        _("nama pemeriksa"),
        max_length=255,
        blank=True,
        help_text=_("Nama pemeriksa sebagaimana tertulis di berita acara."),
    )
    checklist = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("daftar periksa"), on_delete=models.PROTECT
    )
    result = models.CharField(
        _("hasil"), max_length=12, choices=InspectionResult.choices, blank=True, db_index=True
    )
    summary = models.TextField(_("ringkasan"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("pemeriksaan")
        verbose_name_plural = _("pemeriksaan")
        ordering = ["-date", "-id"]
        indexes = [
            # also the tie-break of "the latest inspection" (date, then id): one index step
            models.Index(
                fields=["cooperative", "-date", "-id"], name="inspection_coop_date_id_idx"
            ),
            models.Index(fields=["result", "date"], name="inspection_result_date_idx"),
            models.Index(fields=["owner_unit", "-date"], name="inspection_unit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.date:%d-%m-%Y}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Tanggal pemeriksaan tidak boleh di masa depan.")})


class InspectionAnswer(models.Model):
    """The answer to one checklist item in one inspection (ya / tidak / tidak berlaku)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("jawaban"), max_length=5, choices=Answer.choices)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("jawaban daftar periksa")
        verbose_name_plural = _("jawaban daftar periksa")
        ordering = ["inspection", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.answer}"


class Finding(TrackedModel):
    """Something an inspection found wrong, with the recommendation given."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("temuan"))
    severity = models.CharField(
        _("tingkat"), max_length=8, choices=Severity.choices, default=Severity.SEDANG
    )
    recommendation = models.TextField(_("rekomendasi"), blank=True)

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_unit(self) -> Unit:
        return self.inspection.owner_unit

    @property
    def current_follow_up_status(self) -> str:
        """overdue / open / done / none: the ``follow_up_status`` a list annotated in SQL
        (``selectors.with_follow_up_status``), else computed from the follow-ups."""
        annotated = getattr(self, "follow_up_status", None)
        if annotated is not None:
            return str(annotated)
        return supervision_rules.finding_status(
            f.current_status for f in self.follow_ups.all() if f.archived_at is None
        )

    def get_current_follow_up_status_display(self) -> str:
        return str(FindingStatus(self.current_follow_up_status).label)


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def active(self) -> FollowUpQuerySet:
        return self.filter(archived_at__isnull=True)

    def overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        return self.filter(status=FollowUpStatus.OPEN, due_date__lt=today or timezone.localdate())


class FollowUp(TrackedModel):
    """A follow-up action on a finding, due by a date; overdue is computed, never stored."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("tindak lanjut"))
    due_date = models.DateField(_("batas waktu"))
    responsible = models.CharField(_("penanggung jawab"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=[c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.OVERDUE],
        default=FollowUpStatus.OPEN,
    )
    done_on = models.DateField(_("tanggal selesai"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="followup_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_on__isnull=False),
                name="followup_done_date_chk",
            )
        ]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def owner_unit(self) -> Unit:
        return self.finding.inspection.owner_unit

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        inspected = self.finding.inspection.date if self.finding_id else None
        if inspected and self.due_date and self.due_date < inspected:
            errors["due_date"] = _(
                "Batas waktu tidak boleh sebelum tanggal pemeriksaan (%(date)s)."
            ) % {"date": inspected.strftime("%d-%m-%Y")}
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("Tanggal selesai tidak boleh di masa depan.")
        elif inspected and self.done_on and self.done_on < inspected:
            errors["done_on"] = _(
                "Tanggal selesai tidak boleh sebelum tanggal pemeriksaan (%(date)s)."
            ) % {"date": inspected.strftime("%d-%m-%Y")}
        if errors:
            raise ValidationError(errors)

    @property
    def current_status(self) -> str:
        """open / done / overdue (open and past its due date)."""
        return supervision_rules.follow_up_status(self.status, self.due_date, timezone.localdate())

    def get_current_status_display(self) -> str:
        return str(FollowUpStatus(self.current_status).label)


class Sanction(TrackedModel):
    """An administrative sanction imposed on a cooperative (teguran, pembatasan, pencabutan)."""

    cooperative = models.ForeignKey(
        COOPERATIVE, verbose_name=_("koperasi"), on_delete=models.PROTECT, related_name="sanctions"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("pemeriksaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sanctions",
    )
    kind = models.CharField(_("jenis sanksi"), max_length=24, choices=SanctionKind.choices)
    number = models.CharField(_("nomor surat"), max_length=100)
    date = models.DateField(_("tanggal"))
    reason = models.TextField(_("alasan"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("sanksi")
        verbose_name_plural = _("sanksi")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["cooperative", "-date"], name="sanction_coop_date_idx"),
            models.Index(fields=["kind", "date"], name="sanction_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


# ---------------------------------------------------------------------------- health


class HealthMethodology(TrackedModel):
    """A version of a health-assessment methodology (2016, 2021) as data for the rules engine."""

    access_scope = "admin"

    code = models.CharField(_("kode metode"), max_length=20)
    # The methodology's edition (TrackedModel.version counts edits of the row).
    revision = models.PositiveIntegerField(_("edisi"), default=1)
    title = models.CharField(_("judul"), max_length=255)
    valid_from = models.DateField(_("berlaku sejak"))
    definition = models.JSONField(_("definisi"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("metode penilaian kesehatan")
        verbose_name_plural = _("metode penilaian kesehatan")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "revision"], name="health_method_code_rev_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} (edisi {self.revision}): {self.title}"

    def clean(self) -> None:
        from sikumi.rules.health import MethodologyError, validate_methodology

        if not isinstance(self.definition, dict):
            raise ValidationError({"definition": _("Definisi harus berupa objek JSON.")})
        try:
            validate_methodology(self.definition)
        except (MethodologyError, KeyError, TypeError, ValueError) as exc:
            raise ValidationError({"definition": str(exc)}) from None
        if str(self.definition.get("code")) != self.code:
            raise ValidationError(
                {"definition": _("Kode di dalam definisi harus sama dengan kode metode.")}
            )


class HealthAssessment(TrackedModel):
    """The health assessment of one KSP/USP for one book year: inputs, result and predicate."""

    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        on_delete=models.PROTECT,
        related_name="health_assessments",
    )
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    methodology = models.ForeignKey(
        HealthMethodology, verbose_name=_("metode"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("tanggal penilaian"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inputs = models.JSONField(_("angka dan jawaban"), default=dict)
    result = models.JSONField(_("hasil perhitungan"), default=dict, editable=False)
    total_score = models.DecimalField(
        _("skor total"), max_digits=6, decimal_places=2, editable=False
    )
    predicate = models.CharField(_("predikat"), max_length=40, editable=False)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("keterangan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("penilaian kesehatan")
        verbose_name_plural = _("penilaian kesehatan")
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["year", "predicate"], name="health_year_predicate_idx"),
            models.Index(fields=["cooperative", "-year"], name="health_coop_year_idx"),
            models.Index(fields=["predicate"], name="health_predicate_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                condition=Q(archived_at__isnull=True),
                name="health_coop_year_uniq",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="health_year_chk"
            ),
            models.CheckConstraint(
                condition=Q(total_score__gte=0) & Q(total_score__lte=100),
                name="health_total_score_chk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}: {self.predicate}"
