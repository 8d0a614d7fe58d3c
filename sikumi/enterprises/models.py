from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Unit
from sikumi.core.models import TrackedModel
from sikumi.core.validators import validate_phone
from sikumi.enterprises.choices import Scale, Sector, Sex
from sikumi.regions.models import Region

# The urusan whose unit owns the micro-enterprise registry unless a record says otherwise.
DEFAULT_OWNER_FUNCTION = UnitFunction.PEMBERDAYAAN
ACTIVE = Q(archived_at__isnull=True)


def _archived_at() -> models.DateTimeField:
    # Unindexed on the big tables: every index costs on a million-row import, and lists of
    # active records are served by partial indexes (ACTIVE) or the primary key order.
    return models.DateTimeField(_("diarsipkan"), null=True, blank=True)


class Person(TrackedModel):
    """A person who owns one or more businesses: one record per NIK (personal data, UU 27/2022)."""

    archived_at = _archived_at()
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True)  # noqa: DJ001 - NULL when unknown, unique when present
    name = models.CharField(_("nama"), max_length=200)
    # Lower-cased, single-spaced name: prefix search over an index.
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True, validators=[validate_phone])
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit pemilik"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_example = models.BooleanField(_("data contoh"), default=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Facts derived from the person's active businesses (sikumi.enterprises.facts keeps them
    # up to date on every write), so that people are counted without grouping a million
    # businesses: the person is placed at their first business (lowest id).
    has_business = models.BooleanField(_("memiliki usaha aktif"), default=False, editable=False)
    kecamatan_code = models.CharField(max_length=8, default="", blank=True, editable=False)
    kelurahan_code = models.CharField(max_length=13, default="", blank=True, editable=False)
    # The earliest start date of their businesses; NULL when one of them has no start date
    # (it counts from any date on), or when they have no business.
    business_since = models.DateField(null=True, blank=True, editable=False)
    # The first programme year in which they started a business as a new entrepreneur.
    new_entrepreneur_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pelaku usaha")
        verbose_name_plural = _("pelaku usaha")
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=Q(nik__isnull=False), name="enterprises_person_nik_uniq"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["", "L", "P"]), name="enterprises_person_sex_valid"
            ),
        ]
        indexes = [
            # Indicators: people with a business by the end of a period, per place (covering;
            # the filtered flag leads, as SQLite cannot match a bound parameter against the
            # condition of a partial index; archived_at is included because SQLite counts an
            # index as covering only when it holds every column the query names).
            models.Index(
                fields=[
                    "has_business",
                    "kecamatan_code",
                    "kelurahan_code",
                    "business_since",
                    "archived_at",
                ],
                name="person_business_idx",
                condition=ACTIVE,
            ),
            # Indicators: new entrepreneurs per programme year (or a range of years) and place,
            # in the order of the grouping (SQLite skip-scans the place for a year).
            models.Index(
                fields=["kecamatan_code", "kelurahan_code", "new_entrepreneur_year", "sex"],
                name="person_new_idx",
                condition=ACTIVE & Q(new_entrepreneur_year__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from sikumi.enterprises.validators import person_errors

        errors = person_errors(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from sikumi.enterprises.normalise import name_key

        self.name_key = name_key(self.name)
        if self.nik == "":
            self.nik = None
        super().save(*args, **kwargs)


class Enterprise(TrackedModel):
    """A micro (or small) business in the registry (pendataan usaha mikro), owned by a person."""

    archived_at = _archived_at()
    name = models.CharField(_("nama usaha"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, default="")
    owner = models.ForeignKey(
        Person, verbose_name=_("pemilik"), on_delete=models.PROTECT, related_name="enterprises"
    )
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Denormalised from the kelurahan code (32.76.03): fast per-kecamatan aggregates.
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=8, editable=False)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("lintang"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("bujur"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    sector = models.CharField(_("sektor"), max_length=16, choices=Sector.choices, blank=True)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True)
    main_products = models.CharField(_("produk utama"), max_length=300, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)  # noqa: DJ001 - NULL when unknown, unique when present
    start_date = models.DateField(_("tanggal mulai usaha"), null=True, blank=True)
    capital = models.DecimalField(
        _("modal usaha"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("jumlah tenaga kerja"), null=True, blank=True)
    is_new_entrepreneur = models.BooleanField(_("wirausaha baru"), default=False)
    programme_year = models.PositiveSmallIntegerField(_("tahun program"), null=True, blank=True)
    # Denormalised from the owner's sex; kept in sync by the services.
    is_woman_owned = models.BooleanField(_("wirausaha perempuan"), default=False, editable=False)
    cohort = models.CharField(_("angkatan program"), max_length=60, blank=True)
    # PP 7/2021 by capital, computed by sikumi.rules.msme; blank when the capital is unknown.
    scale = models.CharField(
        _("skala usaha"), max_length=10, choices=Scale.choices, blank=True, editable=False
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit pemilik"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_example = models.BooleanField(_("data contoh"), default=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("usaha mikro")
        verbose_name_plural = _("usaha mikro")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"],
                condition=Q(nib__isnull=False),
                name="enterprises_enterprise_nib_uniq",
            ),
            models.CheckConstraint(
                condition=Q(capital__isnull=True) | Q(capital__gte=0),
                name="enterprises_enterprise_capital_positive",
            ),
            models.CheckConstraint(
                condition=Q(programme_year__isnull=True)
                | Q(programme_year__gte=2000, programme_year__lte=2100),
                name="enterprises_enterprise_programme_year_range",
            ),
        ]
        indexes = [
            # Only what a million rows need: other list filters walk the primary key (newest
            # first) until a page is full, and their counts are cached (see selectors).
            models.Index(fields=["kecamatan_code", "-id"], name="ent_kec_idx"),
            models.Index(fields=["name_key"], name="ent_name_idx"),
            models.Index(fields=["import_batch"], name="ent_batch_idx"),
            # Indicators: businesses recorded in a period, per place (grows at its end).
            models.Index(
                fields=["created_at", "kecamatan_code", "kelurahan"],
                name="ent_created_idx",
                condition=ACTIVE,
            ),
            # Promise tracker: covering indexes for COUNT(DISTINCT owner) per year and kecamatan.
            models.Index(
                fields=[
                    "is_new_entrepreneur",
                    "programme_year",
                    "kecamatan_code",
                    "is_woman_owned",
                    "owner",
                ],
                name="ent_promise2_idx",
                condition=ACTIVE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from sikumi.enterprises.validators import enterprise_errors

        errors = enterprise_errors(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from sikumi.enterprises.normalise import name_key

        self.name_key = name_key(self.name)
        if self.nib == "":
            self.nib = None
        if self.kelurahan_id:
            self.kecamatan_code = str(self.kelurahan_id)[:8]
        super().save(*args, **kwargs)


class EnterpriseTurnover(TrackedModel):
    """The turnover (omzet) of one business in one year, as reported or recorded."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("usaha"),
        on_delete=models.CASCADE,
        related_name="turnovers",
        db_index=False,
    )
    archived_at = _archived_at()
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(_("omzet"), max_digits=18, decimal_places=2)
    # Denormalised from the enterprise: per-kecamatan counts without a join.
    kecamatan_code = models.CharField(max_length=8, editable=False, default="")
    kelurahan_code = models.CharField(max_length=13, editable=False, default="")
    # Naik omzet: this record, its business and the previous year's record are active and the
    # amount is above the previous year's (kept by sikumi.enterprises.facts).
    grew = models.BooleanField(_("naik omzet"), default=False, editable=False)
    is_example = models.BooleanField(_("data contoh"), default=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("omzet tahunan")
        verbose_name_plural = _("omzet tahunan")
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="enterprises_turnover_year_uniq"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="enterprises_turnover_amount_positive"
            ),
        ]
        indexes = [
            # Sums per year and kecamatan (covering), and the year filter of the growth lists.
            models.Index(
                fields=["year", "kecamatan_code", "amount", "archived_at"],
                name="ent_turnover_sum_idx",
                condition=ACTIVE,
            ),
            # Naik omzet per year and place (covering).
            models.Index(
                fields=["year", "grew", "kecamatan_code", "kelurahan_code", "archived_at"],
                name="ent_turnover_grew_idx",
                condition=ACTIVE,
            ),
            models.Index(fields=["import_batch"], name="ent_turnover_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"

    @property
    def owner_unit(self) -> Unit:
        return self.enterprise.owner_unit


class RegistryVersion(models.Model):
    """One row whose number changes with every write to the registry: the key of cached counts
    (shared by the web and worker processes through the database)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("versi data usaha")
        verbose_name_plural = _("versi data usaha")

    def __str__(self) -> str:
        return str(self.version)
