from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumi.core.models import TrackedModel


class Method(models.TextChoices):
    MEASURE = "measure", _("Dihitung dari data")
    MANUAL = "manual", _("Diisi manual (sumber luar)")
    CHILDREN = "children", _("Jumlah indikator di bawahnya")


class Denominator(models.TextChoices):
    NONE = "none", _("Tanpa pembagi (jumlah)")
    DATA_DASAR = "data_dasar", _("Data dasar (angka tetap)")
    MEASURE = "measure", _("Hasil ukuran lain")
    MANUAL = "manual", _("Angka manual (sumber luar)")


class CompletenessStatus(models.TextChoices):
    FINAL = "final", _("final")
    SEMENTARA = "sementara", _("sementara")
    BELUM_ADA_DATA = "belum_ada_data", _("belum ada data")


class IndicatorBinding(TrackedModel):
    """How one Renstra indicator is measured: from the registries, by hand, or from its children."""

    access_scope = "plan"

    indicator = models.OneToOneField(
        "plans.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="binding",
    )
    method = models.CharField(_("cara pengukuran"), max_length=10, choices=Method.choices)
    measure = models.CharField(_("ukuran"), max_length=60, blank=True)
    denominator = models.CharField(
        _("pembagi"), max_length=12, choices=Denominator.choices, default=Denominator.NONE
    )
    denominator_measure = models.CharField(_("ukuran pembagi"), max_length=60, blank=True)
    data_dasar = models.DecimalField(
        _("data dasar"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai data dasar indikator di Renstra."),
    )
    manual_key = models.CharField(
        _("kunci angka manual"),
        max_length=60,
        blank=True,
        help_text=_(
            "Angka dari luar Dinas, mis. nilai SAKIP dari Inspektorat atau penduduk usia "
            "produktif dari BPS."
        ),
    )
    percent = models.BooleanField(_("dalam persen"), default=False)
    description = models.TextField(_("cara menghitung (bahasa sehari-hari)"))

    class Meta:
        verbose_name = _("pengikatan indikator")
        verbose_name_plural = _("pengikatan indikator")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_method_display()}"


class ManualFigure(TrackedModel):
    """A figure from outside the Dinas (SAKIP score, BPS population...) for a year or quarter."""

    access_scope = "plan"

    key = models.CharField(_("kunci"), max_length=60)
    label = models.CharField(_("nama angka"), max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"), default=0, help_text=_("0 = setahun"))
    value = models.DecimalField(_("nilai"), max_digits=20, decimal_places=4)
    source = models.CharField(_("sumber"), max_length=255)

    class Meta:
        verbose_name = _("angka manual")
        verbose_name_plural = _("angka manual")
        ordering = ["key", "-year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "year", "quarter"], name="manual_figure_key_period_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"


class ComputedValue(models.Model):
    """A value computed for an indicator and period, with what it was computed from and when."""

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="computed"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0)  # 0 = the whole year
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    by_kecamatan = models.JSONField(default=dict)
    by_kelurahan = models.JSONField(default=dict)
    reason = models.TextField(blank=True, help_text="Why there is no value, when there is none.")
    sources = models.TextField(blank=True)
    status = models.CharField(
        _("kelengkapan"),
        max_length=16,
        choices=CompletenessStatus.choices,
        default="belum_ada_data",
    )
    completeness = models.TextField(_("kelengkapan data"), blank=True)
    completeness_share = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("nilai terhitung")
        verbose_name_plural = _("nilai terhitung")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="computed_value_period_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}/{self.quarter or '-'}: {self.value}"


class RecomputeState(models.Model):
    """One row: since when the registries changed after the last computation (the background
    recomputation is then due), when it was queued and when values were last computed."""

    dirty_since = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status perhitungan indikator")
        verbose_name_plural = _("status perhitungan indikator")

    def __str__(self) -> str:
        return f"dirty since {self.dirty_since}, last computed {self.finished_at}"
