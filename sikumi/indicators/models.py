from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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


class StoredValue(models.Model):
    """What a computation of one indicator for one period keeps: the value, what it was computed
    from, how complete the data behind it was, and when (the Renstra's and the Dinas' own)."""

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
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}/{self.quarter or '-'}: {self.value}"  # type: ignore[attr-defined]


class ComputedValue(StoredValue):
    """A value computed for an indicator and period, with what it was computed from and when."""

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="computed"
    )

    class Meta:
        verbose_name = _("nilai terhitung")
        verbose_name_plural = _("nilai terhitung")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="computed_value_period_uniq"
            ),
        ]


# --- Indikator Dinas (di luar Renstra) ----------------------------------------------------


class CustomIndicator(TrackedModel):
    """An indicator the Dinas tracks for itself beside the Renstra's, computed from a measure.

    It lives outside the plan on purpose: nothing that builds E.81, the Renja, the LKjIP or the
    Renstra tables reads this model, so such an indicator can never appear in them.
    """

    access_scope = "admin"  # created, edited and archived by administrators only

    code = models.CharField(
        _("kode"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Kode hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung."),
            )
        ],
        help_text=_("Singkat dan tetap, mis. DINAS-RAT1."),
    )
    name = models.CharField(_("nama indikator"), max_length=255)
    unit = models.CharField(_("satuan"), max_length=60, help_text=_("mis. %, hari, koperasi"))
    description = models.TextField(_("cara menghitung (bahasa sehari-hari)"))
    measure = models.CharField(_("ukuran"), max_length=60)
    denominator = models.CharField(
        _("pembagi"), max_length=12, choices=Denominator.choices, default=Denominator.NONE
    )
    denominator_measure = models.CharField(_("ukuran pembagi"), max_length=60, blank=True)
    data_dasar = models.DecimalField(
        _("data dasar"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    manual_key = models.CharField(
        _("kunci angka manual pembagi"),
        max_length=60,
        blank=True,
        help_text=_("Kunci angka dari luar Dinas (halaman Angka dari luar Dinas)."),
    )
    percent = models.BooleanField(_("dalam persen"), default=False)
    higher_is_better = models.BooleanField(
        _("makin tinggi makin baik"),
        default=True,
        help_text=_(
            "Kosongkan centang untuk indikator yang makin rendah makin baik (mis. lama layanan)."
        ),
    )
    targets = models.JSONField(
        _("target per tahun"),
        default=dict,
        blank=True,
        help_text=_('Tahun dan target, mis. {"2026": "14"}.'),
    )
    owner_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Indikator nonaktif tidak dihitung dan tidak tampil.")
    )

    class Meta:
        verbose_name = _("indikator Dinas (di luar Renstra)")
        verbose_name_plural = _("indikator Dinas (di luar Renstra)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(archived_at__isnull=True),
                name="customindicator_code_uniq",
                violation_error_message=_("Kode indikator ini sudah dipakai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """The binding must be computable: a known measure, and what its denominator needs."""
        from sikumi.indicators.measures import REGISTRY

        errors: dict[str, Any] = {}
        # An empty measure is refused by the field itself ("harus diisi").
        if self.measure and self.measure not in REGISTRY:
            errors["measure"] = _("Ukuran '%(m)s' tidak dikenal.") % {"m": self.measure}
        if self.denominator == Denominator.MEASURE:
            if not self.denominator_measure:
                errors["denominator_measure"] = _("Pilih ukuran pembagi.")
            elif self.denominator_measure not in REGISTRY:
                errors["denominator_measure"] = _("Ukuran '%(m)s' tidak dikenal.") % {
                    "m": self.denominator_measure
                }
            elif REGISTRY[self.denominator_measure].kind == "growth":
                errors["denominator_measure"] = _("Pembagi tidak boleh berupa laju pertumbuhan.")
        if self.denominator == Denominator.DATA_DASAR and (
            self.data_dasar is None or self.data_dasar <= 0
        ):
            errors["data_dasar"] = _("Isi data dasar lebih dari nol untuk pembagi data dasar.")
        if self.denominator == Denominator.MANUAL and not self.manual_key:
            errors["manual_key"] = _("Isi kunci angka manual untuk pembagi.")
        growth = self.measure in REGISTRY and REGISTRY[self.measure].kind == "growth"
        if self.denominator != Denominator.NONE and growth:
            errors["denominator"] = _("Laju pertumbuhan tidak dibagi dengan pembagi lain.")
        problem = _target_problem(self.targets)
        if problem:
            errors["targets"] = problem
        if errors:
            raise ValidationError(errors)

    def target_for(self, year: int) -> Decimal | None:
        raw = (self.targets or {}).get(str(year))
        return None if raw in (None, "") else Decimal(str(raw))

    @property
    def polarity(self) -> Literal["higher", "lower"]:
        return "higher" if self.higher_is_better else "lower"


def _target_problem(targets: Any) -> str:
    """Targets are stored as {"year": "number"}: say what is wrong, or ""."""
    if not isinstance(targets, dict):
        return str(_("Target harus berupa pasangan tahun dan angka."))
    for year, value in targets.items():
        if not str(year).isdigit() or not 2000 <= int(year) <= 2100:
            return str(_("Tahun target '%(y)s' tidak sah.") % {"y": year})
        try:
            finite = Decimal(str(value)).is_finite()
        except (InvalidOperation, ValueError):
            finite = False
        if not finite:
            return str(_("Target tahun %(y)s bukan angka: %(v)s.") % {"y": year, "v": value})
    return ""


class CustomIndicatorValue(StoredValue):
    """A value computed for a Dinas indicator and period, with what it was computed from."""

    indicator = models.ForeignKey(CustomIndicator, on_delete=models.CASCADE, related_name="values")

    class Meta:
        verbose_name = _("nilai indikator Dinas")
        verbose_name_plural = _("nilai indikator Dinas")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="customindicatorvalue_period_uniq"
            ),
        ]


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
