"""Monitoring and evaluation: the yearly Renja derived from the Renstra, quarterly realisation
of indicators and budget with evidence, the unit-and-quarter submission workflow, and the
typed-in figures of the mayor's promise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.models import TrackedModel
from sikumi.documents.validators import validate_evidence_file
from sikumi.monev.choices import (
    EDITABLE_STATUSES,
    ROMAN,
    ChangeKind,
    Quarter,
    RenjaStatus,
    SubmissionStatus,
)
from sikumi.plans.models import Indicator, Plan, PlanNode

QUARTER_CHECK = Q(quarter__gte=1, quarter__lte=4)


class Renja(TrackedModel):
    """The work plan (Rencana Kerja) of one year, copied from the Renstra and adjustable
    (Renja perubahan: each adjustment after adoption raises the revision number)."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="renja")
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=RenjaStatus.choices, default=RenjaStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("perubahan ke-"), default=0)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("renja")
        verbose_name_plural = _("renja")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="renja_plan_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2200), name="renja_year_range_check"
            ),
        ]

    def __str__(self) -> str:
        suffix = f" (perubahan ke-{self.revision})" if self.revision else ""
        return f"Renja {self.year}{suffix}"


class RenjaTarget(TrackedModel):
    """The year's target of one indicator in the Renja (copied from the Renstra)."""

    access_scope = "plan"

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="renja_targets")
    target = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("target renja")
        verbose_name_plural = _("target renja")
        ordering = ["renja", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "indicator"], name="renjatarget_indicator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.renja.year}: {self.target}"


class RenjaBudget(TrackedModel):
    """The year's budget (pagu) of one program, kegiatan or sub kegiatan in the Renja."""

    access_scope = "plan"

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="budgets")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="renja_budgets")
    pagu = models.DecimalField(
        _("pagu (Rp)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("pagu renja")
        verbose_name_plural = _("pagu renja")
        ordering = ["renja", "node__order"]
        constraints = [
            models.UniqueConstraint(fields=["renja", "node"], name="renjabudget_node_unique"),
            models.CheckConstraint(
                condition=Q(pagu__isnull=True) | Q(pagu__gte=0),
                name="renjabudget_pagu_not_negative_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node} {self.renja.year}: {self.pagu}"


class RenjaChange(models.Model):
    """History of the Renja: every changed target or pagu (old, new, who, when, why).
    Written by the services only, never edited."""

    access_scope = "plan"

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveSmallIntegerField(_("perubahan ke-"))
    kind = models.CharField(_("jenis"), max_length=8, choices=ChangeKind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    node = models.ForeignKey(
        PlanNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    old_value = models.CharField(_("nilai lama"), max_length=60, blank=True)
    new_value = models.CharField(_("nilai baru"), max_length=60, blank=True)
    reason = models.TextField(_("alasan"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat renja")
        verbose_name_plural = _("riwayat renja")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["renja", "-changed_at"], name="renjachange_renja_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_value} -> {self.new_value}"


class QuarterSubmission(TrackedModel):
    """One unit's realisation for one quarter as a whole, moving through the workflow:
    Staf Bidang submits, Pimpinan Bidang verifies or returns, Perencana or Kepala Dinas
    approves; an approved quarter is locked until reopened with a reason."""

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="submissions")
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("pengajuan realisasi triwulan")
        verbose_name_plural = _("pengajuan realisasi triwulan")
        ordering = ["renja", "quarter", "owner_unit__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "owner_unit", "quarter"], name="quartersubmission_unique"
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="quartersubmission_quarter_check"),
        ]
        indexes = [
            models.Index(fields=["renja", "status"], name="quartersubmission_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.renja} TW {ROMAN.get(self.quarter, self.quarter)} {self.owner_unit}"

    @property
    def unit(self) -> Unit:
        return self.owner_unit

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class IndicatorRealisation(TrackedModel):
    """The realisation of one indicator in one quarter (for sums: what was achieved in the
    quarter; for levels and percentages: the level at the quarter's end)."""

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="realisations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="realisations")
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    submission = models.ForeignKey(
        QuarterSubmission, on_delete=models.PROTECT, related_name="realisations"
    )
    value = models.DecimalField(
        _("realisasi"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    note = models.TextField(_("keterangan"), blank=True)
    # The value computed from the registries (sikumi.indicators) proposed for this quarter.
    # When the entered value differs, the reason is required and both stay visible.
    computed_value = models.DecimalField(
        _("hasil hitung data"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("dihitung pada"), null=True, blank=True)
    computed_source = models.TextField(_("sumber hitungan"), blank=True)
    # How complete the data behind the proposal was: final, sementara (only proposed when the
    # Perencana chose so) and the completeness in words.
    computed_status = models.CharField(_("status data hitungan"), max_length=16, blank=True)
    computed_completeness = models.TextField(_("kelengkapan data hitungan"), blank=True)
    override_reason = models.TextField(_("alasan berbeda dari data"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("realisasi indikator")
        verbose_name_plural = _("realisasi indikator")
        ordering = ["renja", "indicator__order", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "indicator", "quarter"], name="indicatorrealisation_unique"
            ),
            models.CheckConstraint(
                condition=QUARTER_CHECK, name="indicatorrealisation_quarter_check"
            ),
        ]
        indexes = [
            models.Index(fields=["submission"], name="indreal_submission_idx"),
            models.Index(fields=["indicator", "quarter"], name="indreal_indicator_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} TW {ROMAN.get(self.quarter, self.quarter)}: {self.value}"


class BudgetRealisation(TrackedModel):
    """Budget of one program, kegiatan or sub kegiatan in one quarter: the quarter's
    allotment (anggaran) and what was spent (realisasi)."""

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="budget_realisations")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="budget_realisations")
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    submission = models.ForeignKey(
        QuarterSubmission, on_delete=models.PROTECT, related_name="budget_realisations"
    )
    anggaran = models.DecimalField(
        _("anggaran (Rp)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    realisasi = models.DecimalField(
        _("realisasi (Rp)"), null=True, blank=True, max_digits=18, decimal_places=2
    )
    note = models.TextField(_("keterangan"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("realisasi anggaran")
        verbose_name_plural = _("realisasi anggaran")
        ordering = ["renja", "node__order", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "node", "quarter"], name="budgetrealisation_unique"
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="budgetrealisation_quarter_check"),
            models.CheckConstraint(
                condition=(Q(anggaran__isnull=True) | Q(anggaran__gte=0))
                & (Q(realisasi__isnull=True) | Q(realisasi__gte=0)),
                name="budgetrealisation_not_negative_check",
            ),
        ]
        indexes = [models.Index(fields=["submission"], name="budreal_submission_idx")]

    def __str__(self) -> str:
        return f"{self.node} TW {ROMAN.get(self.quarter, self.quarter)}: {self.realisasi}"


class Evidence(TrackedModel):
    """An evidence file (PDF or image) of a quarter's realisation."""

    realisation = models.ForeignKey(
        IndicatorRealisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    budget_realisation = models.ForeignKey(
        BudgetRealisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        _("berkas"), upload_to="monev/bukti/%Y/", validators=[validate_evidence_file]
    )
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realisation__isnull=False, budget_realisation__isnull=True)
                | Q(realisation__isnull=True, budget_realisation__isnull=False),
                name="evidence_one_subject_check",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.file.name or ""


class PromiseFigure(TrackedModel):
    """Progress on the mayor's promise (5.000 new entrepreneurs, 1.000 women entrepreneurs),
    typed in per year by the Perencana until the micro-enterprise registry feeds it."""

    access_scope = "plan"

    year = models.PositiveSmallIntegerField(_("tahun"))
    new_entrepreneurs = models.PositiveIntegerField(_("wirausaha baru"), default=0)
    women_entrepreneurs = models.PositiveIntegerField(_("wirausaha perempuan"), default=0)
    source = models.CharField(_("sumber data"), max_length=200, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("capaian janji wali kota")
        verbose_name_plural = _("capaian janji wali kota")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="promisefigure_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.new_entrepreneurs} / {self.women_entrepreneurs}"
