"""The city's cooperatives: registry, officials, yearly RAT figures, quality, empowerment.

Activity status (aktif / tidak aktif / dibubarkan) is never stored: it is derived from
`Cooperative.last_rat_year` (kept in step by the RAT services, in the same transaction),
`dissolved_at` and the window in `CooperativeSettings`, in SQL for lists
(`selectors.with_status`) and with `sikumi.rules.cooperative.activity_status` for one record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Unit
from sikumi.accounts.selectors import unit_for_function
from sikumi.cooperatives.choices import EmpowermentKind, Jenis, OfficialRole, Pola
from sikumi.core.models import TrackedModel
from sikumi.rules import cooperative as coop_rules
from sikumi.rules.parsing import normalise_name

# The urusan whose unit owns cooperative records unless a record says otherwise.
DEFAULT_OWNER_FUNCTION = UnitFunction.KELEMBAGAAN

digits_only = RegexValidator(r"^\d+$", _("Hanya boleh berisi angka."))

MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}


def default_owner_unit() -> Unit | None:
    """The unit holding the urusan kelembagaan (in Depok Bidang Kelembagaan dan SDM)."""
    return unit_for_function(DEFAULT_OWNER_FUNCTION)


class CooperativeSettings(models.Model):
    """Settings of the cooperative registry an administrator can edit (a single row)."""

    activity_window_years = models.PositiveSmallIntegerField(
        _("jendela keaktifan (tahun)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Koperasi aktif bila RAT terakhir diadakan dalam sekian tahun terakhir."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan koperasi")
        verbose_name_plural = _("pengaturan koperasi")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="cooperativesettings_singleton_check")
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan koperasi"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> CooperativeSettings:
        """The stored settings, or the defaults (unsaved) when none were saved yet: reading
        the settings never writes; `services.settings_update` stores them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Cooperative(TrackedModel):
    """A cooperative registered in the city (koperasi), with its legal and contact details."""

    name = models.CharField(_("nama koperasi"), max_length=255)
    name_key = models.CharField(
        _("nama ternormalisasi"), max_length=255, blank=True, editable=False
    )
    nik_koperasi = models.CharField(
        _("NIK Koperasi"), max_length=20, blank=True, validators=[digits_only]
    )
    legal_entity_number = models.CharField(_("nomor badan hukum"), max_length=100, blank=True)
    legal_entity_date = models.DateField(_("tanggal badan hukum"), null=True, blank=True)
    jenis = models.CharField(_("jenis koperasi"), max_length=16, choices=Jenis.choices)
    pola = models.CharField(
        _("pola"), max_length=16, choices=Pola.choices, default=Pola.KONVENSIONAL
    )
    has_usp = models.BooleanField(
        _("memiliki unit simpan pinjam (USP)"),
        default=False,
        help_text=_("Unit simpan pinjam di dalam koperasi serba usaha."),
    )
    address = models.TextField(_("alamat"), blank=True)
    kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the kelurahan (set on save) so lists filter and count by kecamatan in SQL.
    kecamatan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
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
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    bookkeeping_digital = models.BooleanField(_("pembukuan digital"), default=False)
    online_services = models.BooleanField(_("layanan daring"), default=False)
    cashless_payments = models.BooleanField(_("transaksi nontunai"), default=False)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    last_rat_year = models.PositiveSmallIntegerField(
        _("tahun RAT terakhir"), null=True, blank=True, editable=False
    )
    dissolved_at = models.DateField(_("tanggal dibubarkan"), null=True, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("koperasi")
        verbose_name_plural = _("koperasi")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik_koperasi"],
                condition=~Q(nik_koperasi=""),
                name="cooperative_nik_koperasi_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["kecamatan", "jenis"], name="cooperative_kec_jenis_idx"),
            models.Index(fields=["jenis", "pola"], name="cooperative_jenis_pola_idx"),
            models.Index(fields=["last_rat_year"], name="cooperative_last_rat_idx"),
            models.Index(fields=["dissolved_at"], name="cooperative_dissolved_idx"),
            models.Index(fields=["is_example"], name="cooperative_example_idx"),
            models.Index(fields=["name_key", "kelurahan"], name="cooperative_namekey_kel_idx"),
            # The lookup fields search a name-key or legal-number prefix (LIKE 'x%'): on
            # PostgreSQL a plain index serves that only under the C collation, a pattern_ops
            # one under any (it serves equality too). Other databases ignore opclasses.
            models.Index(
                fields=["name_key"],
                name="cooperative_namekey_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["legal_entity_number"],
                name="cooperative_legal_no_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["kelurahan"], name="cooperative_kelurahan_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_savings_and_loan(self) -> bool:
        return self.jenis == Jenis.SIMPAN_PINJAM or self.has_usp

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kelurahan_id and self.kelurahan is not None and self.kelurahan.level != 4:
            errors["kelurahan"] = _("Pilih kelurahan, bukan wilayah tingkat lain.")
        if self.jenis == Jenis.SIMPAN_PINJAM and self.has_usp:
            errors["has_usp"] = _(
                "USP adalah unit di dalam koperasi serba usaha; koperasi simpan pinjam tidak "
                "memerlukannya."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = normalise_name(self.name)[:255]
        self.nik_koperasi = (self.nik_koperasi or "").strip()
        if self.kelurahan_id:
            self.kecamatan_id = self.kelurahan_id[:8]
        else:
            self.kecamatan_id = None
        if self.owner_unit_id is None:
            self.owner_unit = default_owner_unit()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


class CooperativeOfficial(TrackedModel):
    """A pengurus, pengawas or manajer of a cooperative, with the term of office."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="officials", verbose_name=_("koperasi")
    )
    role = models.CharField(_("unsur"), max_length=16, choices=OfficialRole.choices)
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=100, blank=True)
    term_start = models.DateField(_("awal masa jabatan"), null=True, blank=True)
    term_end = models.DateField(_("akhir masa jabatan"), null=True, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[digits_only])
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("pengurus/pengawas/manajer")
        verbose_name_plural = _("pengurus/pengawas/manajer")
        ordering = ["cooperative", "role", "name"]
        indexes = [
            models.Index(fields=["cooperative", "role"], name="coopofficial_coop_role_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="coopofficial_term_order_check",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def owner_unit(self) -> Unit | None:
        return self.cooperative.owner_unit

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError(
                {"term_end": _("Akhir masa jabatan tidak boleh sebelum awal masa jabatan.")}
            )


class CompetenceCertificate(TrackedModel):
    """A competence certificate held by a cooperative official (e.g. BNSP scheme)."""

    official = models.ForeignKey(
        CooperativeOfficial,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("pengurus/pengelola"),
    )
    scheme = models.CharField(_("skema"), max_length=200)
    number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    issuer = models.CharField(_("penerbit"), max_length=200, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("sertifikat kompetensi")
        verbose_name_plural = _("sertifikat kompetensi")
        ordering = ["-issued_on", "id"]
        indexes = [
            models.Index(fields=["issued_on"], name="coopcert_issued_idx"),
            # The inbox and the indicator count certificates expiring in a window.
            models.Index(fields=["expires_on"], name="coopcert_expires_idx"),
        ]

    def __str__(self) -> str:
        return self.scheme

    @property
    def owner_unit(self) -> Unit | None:
        return self.official.cooperative.owner_unit

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError(
                {"expires_on": _("Tanggal berlaku tidak boleh sebelum tanggal terbit.")}
            )


class RatReport(TrackedModel):
    """Figures reported at a cooperative's RAT (annual members' meeting) on one book year.

    Two different years: `book_year` (tahun buku) is the year whose books the RAT approves;
    `rat_date` is the day the meeting was held, after that year ended, and `year` the year it
    was held (the date's year; without a date, the year after the book year). Counts "per
    year" (members, RATs held) take `year`: RAT tahun buku 2025 held on 14 March 2026 counts
    for 2026. `year` follows the book year and the date (`services.settle_rat_years`); the
    rule between them is `sikumi.rules.cooperative.rat_problems`. One report per cooperative
    and book year.
    """

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        related_name="rat_reports",
        verbose_name=_("koperasi"),
    )
    book_year = models.PositiveSmallIntegerField(
        _("tahun buku"),
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
        help_text=_(
            "Tahun buku yang laporan pertanggungjawabannya disahkan dalam RAT ini, mis. 2025 "
            "untuk RAT yang diselenggarakan pada Maret 2026."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("tahun diselenggarakan"),
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
        help_text=_(
            "Tahun RAT diselenggarakan: tahun tanggal RAT (tanpa tanggal: tahun sesudah tahun "
            "buku). Jumlah RAT dan anggota per tahun dihitung menurut tahun ini."
        ),
    )
    rat_date = models.DateField(
        _("tanggal RAT"),
        null=True,
        blank=True,
        help_text=_("Tanggal rapat diselenggarakan; sesudah tahun buku berakhir."),
    )
    members_men = models.PositiveIntegerField(_("anggota laki-laki"), null=True, blank=True)
    members_women = models.PositiveIntegerField(_("anggota perempuan"), null=True, blank=True)
    members_other = models.PositiveIntegerField(
        _("anggota (jenis kelamin tidak dirinci)"),
        null=True,
        blank=True,
        help_text=_("Untuk data lama/impor yang hanya mencatat jumlah anggota."),
    )
    own_capital = models.DecimalField(_("modal sendiri (Rp)"), **MONEY)  # type: ignore[arg-type]
    external_capital = models.DecimalField(_("modal luar (Rp)"), **MONEY)  # type: ignore[arg-type]
    assets = models.DecimalField(_("aset (Rp)"), **MONEY)  # type: ignore[arg-type]
    business_volume = models.DecimalField(_("volume usaha (Rp)"), **MONEY)  # type: ignore[arg-type]
    shu = models.DecimalField(_("SHU (Rp)"), **MONEY)  # type: ignore[arg-type]
    employees = models.PositiveIntegerField(_("jumlah karyawan"), null=True, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("laporan RAT")
        verbose_name_plural = _("laporan RAT")
        ordering = ["cooperative", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                condition=Q(archived_at__isnull=True),
                name="ratreport_cooperative_year_unique",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "book_year"],
                condition=Q(archived_at__isnull=True),
                name="ratreport_coop_book_year_unique",
            ),
            models.CheckConstraint(
                condition=Q(book_year__lt=models.F("year")),
                name="ratreport_book_year_before_held_chk",
                violation_error_message=_(
                    "RAT diselenggarakan sesudah tahun buku yang disahkannya berakhir."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "cooperative"], name="ratreport_year_coop_idx"),
        ]

    def __str__(self) -> str:
        return f"RAT tahun buku {self.book_year} {self.cooperative}"

    @property
    def owner_unit(self) -> Unit | None:
        return self.cooperative.owner_unit

    @property
    def members_total(self) -> int | None:
        return coop_rules.members_total(self.members_men, self.members_women, self.members_other)

    def clean(self) -> None:
        errors = coop_rules.rat_problems(self.book_year, self.rat_date, timezone.localdate())
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Records written without the services (fixtures, scripts) that give only the year
        # held: the usual book year before it.
        if self.book_year is None and self.year is not None:
            self.book_year = coop_rules.rat_book_year(self.year)
        if self.year is None and self.book_year is not None:
            self.year = coop_rules.rat_held_year(self.book_year, self.rat_date)
        super().save(*args, **kwargs)


class QualityRuleSet(TrackedModel):
    """A configurable rule set (koperasi berkualitas, koperasi modern) stored as data."""

    access_scope = "admin"

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("nama"), max_length=200)
    includes = models.JSONField(_("termasuk aturan dari"), default=list, blank=True)
    rules = models.JSONField(_("aturan"), default=list)
    source_version = models.CharField(_("versi sumber"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("aturan kualitas koperasi")
        verbose_name_plural = _("aturan kualitas koperasi")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from sikumi.rules.cooperative import OPERATORS

        if not isinstance(self.rules, list):
            raise ValidationError({"rules": _("Aturan harus berupa daftar (list) JSON.")})
        for index, rule in enumerate(self.rules, start=1):
            if not isinstance(rule, dict) or not {"code", "label", "fact", "op"} <= set(rule):
                raise ValidationError(
                    {
                        "rules": _("Aturan ke-%(n)s harus memuat code, label, fact dan op.")
                        % {"n": index}
                    }
                )
            if rule["op"] not in OPERATORS:
                raise ValidationError(
                    {
                        "rules": _("Aturan ke-%(n)s: operator '%(op)s' tidak dikenal.")
                        % {"n": index, "op": rule["op"]}
                    }
                )


class CooperativeAward(TrackedModel):
    """An award a cooperative received (name, giver, year, rank)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="awards", verbose_name=_("koperasi")
    )
    name = models.CharField(_("nama penghargaan"), max_length=255)
    giver = models.CharField(_("pemberi"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    rank = models.CharField(_("peringkat"), max_length=60, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("penghargaan koperasi")
        verbose_name_plural = _("penghargaan koperasi")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["year"], name="coopaward_year_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def owner_unit(self) -> Unit | None:
        return self.cooperative.owner_unit


SCORE = {
    "max_digits": 6,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(0), MaxValueValidator(1000)],
}


class CooperativeRating(TrackedModel):
    """Result of a cooperative rating (pemeringkatan) in one year, per aspect."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("koperasi")
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    score_kelembagaan = models.DecimalField(_("kelembagaan"), **SCORE)  # type: ignore[arg-type]
    score_usaha = models.DecimalField(_("usaha"), **SCORE)  # type: ignore[arg-type]
    score_keuangan = models.DecimalField(_("keuangan"), **SCORE)  # type: ignore[arg-type]
    score_manfaat_anggota = models.DecimalField(_("manfaat bagi anggota"), **SCORE)  # type: ignore[arg-type]
    score_manfaat_masyarakat = models.DecimalField(_("manfaat bagi masyarakat"), **SCORE)  # type: ignore[arg-type]
    total = models.DecimalField(_("total"), **SCORE)  # type: ignore[arg-type]
    rating_class = models.CharField(_("kelas/peringkat"), max_length=60, blank=True)
    is_example = models.BooleanField(_("data contoh"), default=False)

    ASPECT_FIELDS = (
        "score_kelembagaan",
        "score_usaha",
        "score_keuangan",
        "score_manfaat_anggota",
        "score_manfaat_masyarakat",
    )

    class Meta:
        verbose_name = _("hasil pemeringkatan koperasi")
        verbose_name_plural = _("hasil pemeringkatan koperasi")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                condition=Q(archived_at__isnull=True),
                name="cooprating_cooperative_year_unique",
            ),
        ]
        indexes = [models.Index(fields=["year"], name="cooprating_year_idx")]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}"

    @property
    def owner_unit(self) -> Unit | None:
        return self.cooperative.owner_unit

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Without a published formula the total defaults to the sum of the aspect scores.
        if self.total is None:
            scores = [getattr(self, name) for name in self.ASPECT_FIELDS]
            if any(score is not None for score in scores):
                self.total = sum(score for score in scores if score is not None)
        super().save(*args, **kwargs)


class EmpowermentRecord(TrackedModel):
    """An empowerment action for a cooperative (and optionally one of its officials)."""

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        related_name="empowerment_records",
        verbose_name=_("koperasi"),
    )
    official = models.ForeignKey(
        CooperativeOfficial,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="empowerment_records",
        verbose_name=_("pengurus/pengelola"),
    )
    kind = models.CharField(_("jenis pemberdayaan"), max_length=20, choices=EmpowermentKind.choices)
    date = models.DateField(_("tanggal"))
    description = models.TextField(_("uraian"), blank=True)
    lender = models.CharField(_("lembaga pembiayaan"), max_length=200, blank=True)
    amount = models.DecimalField(_("nilai pembiayaan (Rp)"), **MONEY)  # type: ignore[arg-type]
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperative_empowerments",
    )
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        verbose_name = _("pemberdayaan koperasi")
        verbose_name_plural = _("pemberdayaan koperasi")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "kind"], name="coopempower_date_kind_idx"),
            models.Index(fields=["cooperative", "-date"], name="coopempower_coop_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cooperative}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        official = self.official if self.official_id else None
        if official is not None and official.cooperative_id != self.cooperative_id:
            errors["official"] = _("Pengurus ini bukan dari koperasi yang dipilih.")
        if self.kind != EmpowermentKind.PEMBIAYAAN and (self.lender or self.amount is not None):
            errors["lender"] = _("Lembaga dan nilai pembiayaan hanya untuk akses pembiayaan.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.owner_unit_id is None and self.cooperative_id:
            self.owner_unit_id = (
                Cooperative._base_manager.filter(pk=self.cooperative_id)
                .values_list("owner_unit_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)
