"""Renstra (Rencana Strategis) of any Perangkat Daerah: the cascade, indicators, targets, pagu,
the 2016-2020 history tables, resources and revisions.

Every figure is stored twice: ``<name>`` (the number, for sums and charts) and
``<name>_printed`` (the cell exactly as the source document prints it) plus
``<name>_format`` ("id": 1.234,5 or "en": 1,234.5) so the plan can be turned back into a
``sikumi.plans.document.PlanDocument`` and checked as stored (``sikumi.plans.convert``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.models import TrackedModel

FIGURE_DIGITS = 20
FIGURE_PLACES = 4
MONEY_DIGITS = 18
MONEY_PLACES = 2


class NumberFormat(models.TextChoices):
    ID = "id", _("Indonesia (1.234,5)")
    EN = "en", _("Inggris (1,234.5)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Rancangan")
    ACTIVE = "active", _("Berlaku")
    REVISED = "revised", _("Diubah (Renstra perubahan)")
    ENDED = "ended", _("Berakhir")


class NodeKind(models.TextChoices):
    VISI = "visi", _("Visi")
    MISI = "misi", _("Misi")
    TUJUAN = "tujuan", _("Tujuan")
    SASARAN = "sasaran", _("Sasaran")
    STRATEGI = "strategi", _("Strategi")
    ARAH_KEBIJAKAN = "arah_kebijakan", _("Arah Kebijakan")
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    SUB_KEGIATAN = "sub_kegiatan", _("Sub Kegiatan")


#: Kinds that carry a budget (pagu) and belong to the program table.
BUDGET_KINDS = (NodeKind.PROGRAM, NodeKind.KEGIATAN, NodeKind.SUB_KEGIATAN)


class Polarity(models.TextChoices):
    HIGHER = "higher", _("Makin tinggi makin baik")
    LOWER = "lower", _("Makin rendah makin baik")


class Combine(models.TextChoices):
    SUM = "sum", _("Jumlah seluruh tahun")
    LAST = "last", _("Nilai tahun terakhir")
    AVERAGE = "average", _("Rata-rata")
    AS_PRINTED = "as_printed", _("Sesuai dokumen (tanpa aturan)")


class IndicatorTable(models.TextChoices):
    TUJUAN_SASARAN = "tujuan-sasaran", _("Tabel 4.2 Tujuan dan Sasaran")
    PROGRAM = "program", _("Tabel Program, Kegiatan dan Pendanaan")
    IKK = "ikk", _("Tabel 7.1 IKK")
    IKU = "iku", _("Tabel 7.2 IKU")


class BudgetLevel(models.TextChoices):
    PROGRAM = "program", _("Program")
    KEGIATAN = "kegiatan", _("Kegiatan")
    TOTAL = "total", _("Total")


class ChangeKind(models.TextChoices):
    TARGET = "target", _("Target indikator")
    PAGU = "pagu", _("Pagu indikatif")
    END_TARGET = "end_target", _("Target akhir periode")
    PAGU_TOTAL = "pagu_total", _("Total pagu tercetak")


def _figure_fields(label: Any, *, money: bool = False) -> tuple[Any, Any, Any]:
    digits, places = (MONEY_DIGITS, MONEY_PLACES) if money else (FIGURE_DIGITS, FIGURE_PLACES)
    return (
        models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True),
        models.CharField(_("tercetak"), max_length=60, blank=True),
        models.CharField(
            _("format angka"), max_length=2, choices=NumberFormat.choices, default=NumberFormat.ID
        ),
    )


class Plan(TrackedModel):
    """The Renstra of one Perangkat Daerah for one period (e.g. DKUM Kota Depok 2021-2026)."""

    access_scope = "plan"

    title = models.CharField(_("judul"), max_length=255)
    opd_name = models.CharField(_("perangkat daerah"), max_length=200)
    opd_short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    region_name = models.CharField(_("daerah"), max_length=100, blank=True)
    region_code = models.CharField(_("kode daerah"), max_length=20, blank=True)
    urusan = models.CharField(_("urusan"), max_length=200, blank=True)
    period_start = models.PositiveSmallIntegerField(_("tahun awal"))
    period_end = models.PositiveSmallIntegerField(_("tahun akhir"))
    baseline_year = models.PositiveSmallIntegerField(_("tahun kondisi awal"))
    target_years = models.JSONField(_("tahun target"), default=list)
    visi = models.TextField(_("visi"), blank=True)
    source = models.CharField(_("sumber"), max_length=255, blank=True)
    source_path = models.CharField(_("folder data"), max_length=255, blank=True)
    source_digest = models.CharField(_("sidik data"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    is_example = models.BooleanField(_("data contoh"), default=False)
    #: titles and notes of the document's tables (program, tc23, tc24: title, years, labels)
    tables = models.JSONField(_("keterangan tabel"), default=dict, blank=True)
    pagu_total = models.DecimalField(
        _("total pagu"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    pagu_total_printed = models.CharField(_("total pagu tercetak"), max_length=60, blank=True)
    pagu_total_format = models.CharField(
        max_length=2, choices=NumberFormat.choices, default=NumberFormat.ID
    )
    has_pagu_total = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("renstra")
        verbose_name_plural = _("renstra")
        ordering = ["-period_start", "opd_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_order_check",
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_year__lte=models.F("period_end")),
                name="plan_baseline_year_check",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "-period_start"], name="plan_active_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))

    def contains_year(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end


class PlanNode(TrackedModel):
    """One element of the cascade: Visi, Misi, Tujuan, Sasaran, Strategi, Arah Kebijakan,
    Program, Kegiatan or Sub Kegiatan, as a tree."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    kind = models.CharField(_("jenis"), max_length=16, choices=NodeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("kode nomenklatur"), max_length=40, blank=True)
    name = models.TextField(_("uraian"))
    order = models.PositiveIntegerField(_("urutan"), default=0)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_nodes",
    )
    #: the stable id of the data file ("P1.K2.S1", "S2.1", "misi-4")
    source_id = models.CharField(_("id sumber"), max_length=60)
    note = models.TextField(_("catatan"), blank=True)
    pagu_total = models.DecimalField(
        _("total pagu tercetak"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    pagu_total_printed = models.CharField(_("total pagu tercetak"), max_length=60, blank=True)
    pagu_total_format = models.CharField(
        max_length=2, choices=NumberFormat.choices, default=NumberFormat.ID
    )
    has_pagu_total = models.BooleanField(default=False)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("unsur renstra")
        verbose_name_plural = _("unsur renstra")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source_id"], name="plannode_source_unique"),
        ]
        indexes = [
            models.Index(fields=["plan", "kind", "order"], name="plannode_plan_kind_idx"),
            models.Index(fields=["plan", "unit"], name="plannode_plan_unit_idx"),
            models.Index(fields=["code"], name="plannode_code_idx"),
        ]

    def __str__(self) -> str:
        prefix = f"{self.code} " if self.code else ""
        return f"{prefix}{self.name}"

    @property
    def owner_unit(self) -> Unit | None:
        return self.unit


class Indicator(TrackedModel):
    """A performance indicator of a cascade element, with its baseline and end-of-period target
    (yearly targets in IndicatorTarget)."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(
        PlanNode,
        verbose_name=_("unsur renstra"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    table = models.CharField(_("tabel"), max_length=16, choices=IndicatorTable.choices)
    source_id = models.CharField(_("id sumber"), max_length=60)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    name = models.TextField(_("indikator"))
    definition = models.TextField(_("definisi / rumus"), blank=True)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    polarity = models.CharField(
        _("polaritas"), max_length=8, choices=Polarity.choices, default=Polarity.HIGHER
    )
    combine = models.CharField(
        _("cara menjumlah tahun"), max_length=12, choices=Combine.choices, default=Combine.LAST
    )
    is_iku = models.BooleanField(_("IKU"), default=False)
    is_ikk = models.BooleanField(_("IKK"), default=False)
    #: source id of the indicator this one restates (IKU -> Tabel 4.2) or "tc23:C2"
    ref = models.CharField(_("rujukan"), max_length=60, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    data_dasar, data_dasar_printed, data_dasar_format = _figure_fields(_("data dasar"))
    baseline, baseline_printed, baseline_format = _figure_fields(_("kondisi awal"))
    end_target, end_target_printed, end_target_format = _figure_fields(_("target akhir periode"))
    has_data_dasar = models.BooleanField(default=False)
    has_baseline = models.BooleanField(default=False)
    has_end_target = models.BooleanField(default=False)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("indikator renstra")
        verbose_name_plural = _("indikator renstra")
        ordering = ["plan", "table", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "table", "source_id"], name="planindicator_source_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "table", "order"], name="planindicator_table_idx"),
            models.Index(fields=["node", "order"], name="planindicator_node_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def upper_bound(self) -> Decimal | None:
        """Highest allowed value of a target (100 for a percentage), else None."""
        return Decimal(100) if self.is_percent else None


class IndicatorTarget(TrackedModel):
    """The target of an indicator for one year."""

    access_scope = "plan"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value, printed, number_format = _figure_fields(_("target"))

    class Meta:
        verbose_name = _("target indikator")
        verbose_name_plural = _("target indikator")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="indicatortarget_year_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1900, year__lte=2200),
                name="indicatortarget_year_range_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.printed}"

    def clean(self) -> None:
        plan = self.indicator.plan
        if not plan.contains_year(self.year):
            raise ValidationError(
                {"year": _("Tahun di luar periode Renstra.")}, code="year_outside_period"
            )


class Pagu(TrackedModel):
    """The indicative budget (pagu indikatif) of a program, kegiatan or sub kegiatan for one
    year; ``node`` empty = the Perangkat Daerah's total row."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pagu")
    node = models.ForeignKey(
        PlanNode, null=True, blank=True, on_delete=models.CASCADE, related_name="pagu"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    value, printed, number_format = _figure_fields(_("pagu (Rp)"), money=True)

    class Meta:
        verbose_name = _("pagu indikatif")
        verbose_name_plural = _("pagu indikatif")
        ordering = ["plan", "node", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "year"],
                condition=models.Q(node__isnull=False),
                name="pagu_node_year_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=models.Q(node__isnull=True),
                name="pagu_plan_total_year_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1900, year__lte=2200), name="pagu_year_range_check"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="pagu_value_not_negative_check",
            ),
        ]
        indexes = [models.Index(fields=["plan", "year"], name="pagu_plan_year_idx")]

    def __str__(self) -> str:
        return f"{self.node or self.plan} {self.year}: {self.printed}"

    def clean(self) -> None:
        if not self.plan.contains_year(self.year):
            raise ValidationError(
                {"year": _("Tahun di luar periode Renstra.")}, code="year_outside_period"
            )


class HistoricalPerformance(TrackedModel):
    """One year of a service-performance row of the previous period (T-C.23): target,
    realisation and the printed ratio; AKIP letter grades stay in the printed text."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="historical_performance")
    source_id = models.CharField(_("id sumber"), max_length=60)
    row_no = models.CharField(_("no"), max_length=10, blank=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    indicator_name = models.TextField(_("indikator"))
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    polarity = models.CharField(max_length=8, choices=Polarity.choices, default=Polarity.HIGHER)
    year = models.PositiveSmallIntegerField(_("tahun"))
    #: has_* False = the cell is absent in the source; printed "" = printed blank
    target, target_printed, target_format = _figure_fields(_("target"))
    realisation, realisation_printed, realisation_format = _figure_fields(_("realisasi"))
    ratio, ratio_printed, ratio_format = _figure_fields(_("rasio capaian (%)"))
    has_target = models.BooleanField(default=False)
    has_realisation = models.BooleanField(default=False)
    has_ratio = models.BooleanField(default=False)
    #: letter grade of the target / realisation when the indicator is graded (AKIP: "CC", "B")
    target_grade = models.CharField(_("predikat target"), max_length=4, blank=True)
    realisation_grade = models.CharField(_("predikat realisasi"), max_length=4, blank=True)
    average_ratio, average_ratio_printed, average_ratio_format = _figure_fields(_("rata-rata"))
    has_average_ratio = models.BooleanField(default=False)
    note = models.TextField(_("catatan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("kinerja pelayanan periode lalu")
        verbose_name_plural = _("kinerja pelayanan periode lalu")
        ordering = ["plan", "order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source_id", "year"], name="histperf_row_year_unique"
            ),
        ]
        indexes = [models.Index(fields=["plan", "year"], name="histperf_plan_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_name} {self.year}"


class HistoricalBudget(TrackedModel):
    """One year of a budget row of the previous period (T-C.24): anggaran, realisasi, the
    printed ratio and the row's printed averages."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="historical_budget")
    source_id = models.CharField(_("id sumber"), max_length=60)
    parent_source_id = models.CharField(_("id induk"), max_length=60, blank=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=BudgetLevel.choices)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    name = models.TextField(_("program / kegiatan"))
    order = models.PositiveIntegerField(_("urutan"), default=0)
    year = models.PositiveSmallIntegerField(_("tahun"))
    budget, budget_printed, budget_format = _figure_fields(_("anggaran (Rp)"), money=True)
    realisation, realisation_printed, realisation_format = _figure_fields(
        _("realisasi (Rp)"), money=True
    )
    ratio, ratio_printed, ratio_format = _figure_fields(_("rasio (%)"))
    has_budget = models.BooleanField(default=False)
    has_realisation = models.BooleanField(default=False)
    has_ratio = models.BooleanField(default=False)
    avg_budget, avg_budget_printed, avg_budget_format = _figure_fields(
        _("rata-rata anggaran"), money=True
    )
    avg_realisation, avg_realisation_printed, avg_realisation_format = _figure_fields(
        _("rata-rata realisasi"), money=True
    )
    has_avg_budget = models.BooleanField(default=False)
    has_avg_realisation = models.BooleanField(default=False)
    note = models.TextField(_("catatan"), blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("anggaran periode lalu")
        verbose_name_plural = _("anggaran periode lalu")
        ordering = ["plan", "order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source_id", "year"], name="histbudget_row_year_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "year", "level"], name="histbudget_plan_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class NarrativeClaim(TrackedModel):
    """A figure quoted in the running text with the quantity the text says it is (checked
    against the table it quotes)."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="narrative_claims")
    table = models.CharField(_("tabel"), max_length=20, default="tc24")
    source_id = models.CharField(_("id sumber"), max_length=60)
    order = models.PositiveIntegerField(default=0)
    quote = models.TextField(_("kutipan"))
    claim = models.CharField(_("besaran"), max_length=60)
    direction = models.CharField(_("arah"), max_length=10, blank=True)
    value, printed, number_format = _figure_fields(_("nilai"))
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("kutipan angka")
        verbose_name_plural = _("kutipan angka")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "table", "source_id"], name="narrativeclaim_source_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.quote


class ResourceTable(TrackedModel):
    """A resources table of the plan (staff by status, rank, education; assets) with its
    printed total."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="resource_tables")
    source_id = models.CharField(_("id sumber"), max_length=60)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("judul"), max_length=255)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    total, total_printed, total_format = _figure_fields(_("jumlah"))
    total_ref, total_ref_printed, total_ref_format = _figure_fields(_("jumlah menurut teks"))
    has_total = models.BooleanField(default=False)
    has_total_ref = models.BooleanField(default=False)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("tabel sumber daya")
        verbose_name_plural = _("tabel sumber daya")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source_id"], name="resourcetable_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceRow(TrackedModel):
    """One row of a resources table (a staff group, an asset) with its printed figures."""

    access_scope = "plan"

    table = models.ForeignKey(ResourceTable, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField(default=0)
    label = models.CharField(_("uraian"), max_length=255)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    group = models.CharField(_("kelompok"), max_length=120, blank=True)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    value, value_printed, value_format = _figure_fields(_("nilai"))
    percent, percent_printed, percent_format = _figure_fields(_("persentase"))
    quantity, quantity_printed, quantity_format = _figure_fields(_("jumlah barang"))
    has_percent = models.BooleanField(default=False)
    has_quantity = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("baris sumber daya")
        verbose_name_plural = _("baris sumber daya")
        ordering = ["table", "order"]
        constraints = [
            models.UniqueConstraint(fields=["table", "order"], name="resourcerow_order_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class PlanRevision(models.Model):
    """A revision of the plan (Renstra perubahan): number, date and reason; target and pagu
    changes made under it point to it."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("perubahan ke-"))
    date = models.DateField(_("tanggal"))
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan renstra")
        verbose_name_plural = _("perubahan renstra")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planrevision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} - perubahan {self.number}"


class TargetChange(models.Model):
    """History of a changed target or pagu: old and new value, who, when and why. Written by
    the services only; never edited."""

    access_scope = "plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="target_changes")
    revision = models.ForeignKey(
        PlanRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=ChangeKind.choices)
    target = models.ForeignKey(
        IndicatorTarget, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    pagu = models.ForeignKey(
        Pagu, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    node = models.ForeignKey(
        PlanNode, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    #: the year of a target or pagu; empty for an end-of-period figure or a printed total
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    old_value = models.DecimalField(
        _("nilai lama"), max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True
    )
    old_printed = models.CharField(_("tercetak lama"), max_length=60, blank=True)
    new_value = models.DecimalField(
        _("nilai baru"), max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True
    )
    new_printed = models.CharField(_("tercetak baru"), max_length=60, blank=True)
    reason = models.TextField(_("alasan"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat perubahan target")
        verbose_name_plural = _("riwayat perubahan target")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="target", target__isnull=False, pagu__isnull=True)
                    | models.Q(kind="pagu", pagu__isnull=False, target__isnull=True)
                    | models.Q(kind="end_target", indicator__isnull=False)
                    | models.Q(kind="pagu_total", node__isnull=False)
                ),
                name="targetchange_subject_v2_check",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "-changed_at"], name="targetchange_plan_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.year or ''}: {self.old_printed} -> {self.new_printed}"
        )
