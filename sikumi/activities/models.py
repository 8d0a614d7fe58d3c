"""Programmes the Dinas runs for micro enterprises and cooperatives: product legality
facilitation, trainings, curation, promotion events, financing access and partnerships.

Participants and beneficiaries are referenced by string so that this app only needs the
registries' 0001 migrations: `enterprises.Person`, `enterprises.Enterprise`,
`cooperatives.Cooperative`, `cooperatives.CooperativeOfficial`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.activities import choices as c
from sikumi.core.models import TrackedModel

ENTERPRISE = "enterprises.Enterprise"
PERSON = "enterprises.Person"
COOPERATIVE = "cooperatives.Cooperative"
OFFICIAL = "cooperatives.CooperativeOfficial"


def _owner_unit(related_name: str) -> Any:
    return models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name=related_name
    )


def _example() -> Any:
    return models.BooleanField(_("data contoh"), default=False, db_index=True)


def _check_period(start: Any, end: Any, field: str, message: Any) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: message})


class Product(TrackedModel):
    """A product of a micro enterprise, the subject of legality applications and curation."""

    enterprise = models.ForeignKey(
        ENTERPRISE, verbose_name=_("usaha"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("nama produk"), max_length=200)
    # Lower-cased, single-spaced name: the product search is a prefix of it, over an index.
    name_key = models.CharField(max_length=200, editable=False, default="")
    category = models.CharField(
        _("kategori"), max_length=16, choices=c.ProductCategory.choices, db_index=True
    )
    description = models.TextField(_("keterangan"), blank=True)
    owner_unit = _owner_unit("activity_products")
    is_example = _example()

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name_key", "id"]  # the name-key index serves the list's order
        indexes = [
            models.Index(fields=["enterprise", "name"], name="act_product_ent_idx"),
            models.Index(fields=["owner_unit"], name="act_product_unit_idx"),
            models.Index(fields=["name_key", "id"], name="act_product_namekey_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from sikumi.enterprises.normalise import name_key

        self.name_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class LegalityApplication(TrackedModel):
    """An application for one product's legality (HAKI, SNI, Halal, BPOM, PIRT), facilitated
    by the Dinas or recorded for the programme, with the certificate once issued."""

    product = models.ForeignKey(
        Product, verbose_name=_("produk"), on_delete=models.PROTECT, related_name="legalities"
    )
    kind = models.CharField(_("jenis legalitas"), max_length=8, choices=c.LegalityKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.LegalityStatus.choices,
        default=c.LegalityStatus.DIAJUKAN,
    )
    applied_on = models.DateField(_("tanggal pengajuan"))
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila sertifikat berlaku tanpa batas waktu."),
    )
    facilitated = models.BooleanField(_("difasilitasi Dinas"), default=True)
    year = models.PositiveSmallIntegerField(
        _("tahun program"), blank=True, help_text=_("Kosongkan untuk mengikuti tanggal pengajuan.")
    )
    notes = models.TextField(_("keterangan"), blank=True)
    owner_unit = _owner_unit("activity_legalities")
    is_example = _example()

    class Meta:
        verbose_name = _("pengajuan legalitas produk")
        verbose_name_plural = _("pengajuan legalitas produk")
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="act_legal_expiry_idx"),
            models.Index(fields=["status", "issued_on", "kind"], name="act_legal_issued_idx"),
            models.Index(fields=["year", "kind"], name="act_legal_year_kind_idx"),
            models.Index(fields=["product", "kind"], name="act_legal_product_idx"),
            models.Index(fields=["owner_unit"], name="act_legal_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=F("issued_on")),
                name="activities_legality_expiry_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status=c.LegalityStatus.TERBIT) | Q(issued_on__isnull=False),
                name="activities_legality_issued_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} - {self.product}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            errors["expires_on"] = _("Tanggal berlaku sampai harus sesudah tanggal terbit.")
        if self.status == c.LegalityStatus.TERBIT and not self.issued_on:
            errors["issued_on"] = _("Sertifikat yang terbit harus punya tanggal terbit.")
        if self.issued_on and self.applied_on and self.issued_on < self.applied_on:
            errors["issued_on"] = _("Tanggal terbit tidak boleh sebelum tanggal pengajuan.")
        if errors:
            raise ValidationError(errors)
        if not self.year and self.applied_on:
            self.year = self.applied_on.year


class Training(TrackedModel):
    """A training session (pelatihan, bimtek, sertifikasi, diklat perkoperasian)."""

    topic = models.CharField(_("topik"), max_length=255)
    organiser = models.CharField(
        _("penyelenggara"), max_length=200, default="Dinas Koperasi dan Usaha Mikro Kota Depok"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=c.TrainingKind.choices)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    place = models.CharField(
        _("tempat"), max_length=200, help_text=_("Misalnya Balai Pelatihan Koperasi (Balatkop).")
    )
    target_group = models.CharField(
        _("sasaran peserta"), max_length=12, choices=c.TargetGroup.choices
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), blank=True, help_text=_("Kosongkan untuk mengikuti tanggal mulai.")
    )
    description = models.TextField(_("keterangan"), blank=True)
    owner_unit = _owner_unit("activity_trainings")
    is_example = _example()

    class Meta:
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["year", "target_group"], name="act_training_year_idx"),
            models.Index(fields=["owner_unit", "-starts_on"], name="act_training_unit_idx"),
            models.Index(fields=["kind", "-starts_on"], name="act_training_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activities_training_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def clean(self) -> None:
        _check_period(
            self.starts_on,
            self.ends_on,
            "ends_on",
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."),
        )
        if not self.year and self.starts_on:
            self.year = self.starts_on.year


PARTICIPANT_LINK_MESSAGE = _(
    "Peserta harus terhubung ke sedikitnya satu: orang, usaha, koperasi atau pengurus koperasi."
)


class TrainingParticipant(TrackedModel):
    """One participant of a training: a person, a business, a cooperative and/or one of its
    officials (at least one), with attendance and outcome."""

    training = models.ForeignKey(
        Training, verbose_name=_("pelatihan"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        PERSON,
        verbose_name=_("orang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    enterprise = models.ForeignKey(
        ENTERPRISE,
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    official = models.ForeignKey(
        OFFICIAL,
        verbose_name=_("pengurus koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    attendance = models.CharField(
        _("kehadiran"), max_length=12, choices=c.Attendance.choices, default=c.Attendance.HADIR
    )
    outcome = models.CharField(
        _("hasil"), max_length=14, choices=c.Outcome.choices, default=c.Outcome.BELUM
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    notes = models.CharField(_("catatan"), max_length=255, blank=True)
    is_example = _example()
    # The attendance-list import that added this participant (reverted as a whole).
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        ordering = ["training", "id"]
        indexes = [
            models.Index(fields=["training", "attendance"], name="act_tpart_training_idx"),
            models.Index(fields=["outcome", "attendance"], name="act_tpart_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(enterprise__isnull=False)
                | Q(cooperative__isnull=False)
                | Q(official__isnull=False),
                name="activities_trainingparticipant_has_link",
                violation_error_message=PARTICIPANT_LINK_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["training", "person"],
                condition=Q(person__isnull=False, archived_at__isnull=True),
                name="activities_trainingparticipant_unique_person",
                violation_error_message=_("Orang ini sudah terdaftar sebagai peserta."),
            ),
            models.UniqueConstraint(
                fields=["training", "official"],
                condition=Q(official__isnull=False, archived_at__isnull=True),
                name="activities_trainingparticipant_unique_official",
                violation_error_message=_("Pengurus ini sudah terdaftar sebagai peserta."),
            ),
        ]

    def __str__(self) -> str:
        for link in (self.person, self.official, self.enterprise, self.cooperative):
            if link is not None:
                return str(link)
        return str(_("Peserta"))

    @property
    def owner_unit(self) -> Unit:
        """A participant belongs to its training's Bidang (used by access checks)."""
        return self.training.owner_unit

    def clean(self) -> None:
        if not (self.person_id or self.enterprise_id or self.cooperative_id or self.official_id):
            raise ValidationError(PARTICIPANT_LINK_MESSAGE)
        if (
            self.official is not None
            and self.cooperative_id
            and self.official.cooperative_id != self.cooperative_id
        ):
            raise ValidationError({"official": _("Pengurus ini bukan dari koperasi yang dipilih.")})
        from sikumi.activities.validators import participant_problems

        problems = participant_problems(attendance=self.attendance, outcome=self.outcome)
        if problems:
            raise ValidationError(problems)


class Curation(TrackedModel):
    """A curation (kurasi) of a business or one of its products, with the result."""

    enterprise = models.ForeignKey(
        ENTERPRISE, verbose_name=_("usaha"), on_delete=models.PROTECT, related_name="curations"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curations",
    )
    date = models.DateField(_("tanggal kurasi"))
    curator = models.CharField(_("kurator"), max_length=200)
    result = models.CharField(_("hasil"), max_length=12, choices=c.CurationResult.choices)
    notes = models.TextField(_("catatan"), blank=True)
    owner_unit = _owner_unit("activity_curations")
    is_example = _example()

    class Meta:
        verbose_name = _("kurasi")
        verbose_name_plural = _("kurasi")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "result"], name="act_curation_date_idx"),
            models.Index(fields=["enterprise", "-date"], name="act_curation_ent_idx"),
            models.Index(fields=["owner_unit"], name="act_curation_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Kurasi')} {self.product or self.enterprise}"

    def clean(self) -> None:
        if (
            self.product_id
            and self.enterprise_id
            and Product.objects.filter(pk=self.product_id)
            .exclude(enterprise_id=self.enterprise_id)
            .exists()
        ):
            raise ValidationError({"product": _("Produk ini bukan milik usaha yang dikurasi.")})


class PromotionEvent(TrackedModel):
    """A promotion event (gelar akbar, pameran, Pekan Koperasi, bazar, temu bisnis)."""

    kind = models.CharField(_("jenis"), max_length=16, choices=c.EventKind.choices)
    name = models.CharField(_("nama kegiatan"), max_length=255)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    owner_unit = _owner_unit("activity_events")
    is_example = _example()

    class Meta:
        verbose_name = _("kegiatan promosi")
        verbose_name_plural = _("kegiatan promosi")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "-starts_on"], name="act_event_kind_idx"),
            models.Index(fields=["-starts_on"], name="act_event_start_idx"),
            models.Index(fields=["owner_unit"], name="act_event_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activities_promotionevent_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_period(
            self.starts_on,
            self.ends_on,
            "ends_on",
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."),
        )


BENEFICIARY_MESSAGE = _("Pilih usaha atau koperasi.")


def _one_beneficiary(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(enterprise__isnull=False) | Q(cooperative__isnull=False),
        name=f"activities_{name}_has_beneficiary",
        violation_error_message=BENEFICIARY_MESSAGE,
    )


def _check_beneficiary(obj: Any) -> None:
    if not (obj.enterprise_id or obj.cooperative_id):
        raise ValidationError(BENEFICIARY_MESSAGE)


class EventParticipant(TrackedModel):
    """A business or cooperative taking part in a promotion event, with its reported sales."""

    event = models.ForeignKey(
        PromotionEvent,
        verbose_name=_("kegiatan"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    enterprise = models.ForeignKey(
        ENTERPRISE,
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    sales = models.DecimalField(
        _("penjualan dilaporkan (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    notes = models.CharField(_("catatan"), max_length=255, blank=True)
    is_example = _example()
    # The participants-list import that added this participant (reverted as a whole).
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("peserta kegiatan promosi")
        verbose_name_plural = _("peserta kegiatan promosi")
        ordering = ["event", "id"]
        indexes = [models.Index(fields=["event"], name="act_epart_event_idx")]
        constraints = [
            _one_beneficiary("eventparticipant"),
            models.CheckConstraint(
                condition=Q(sales__isnull=True) | Q(sales__gte=0),
                name="activities_eventparticipant_sales_not_negative",
            ),
            models.UniqueConstraint(
                fields=["event", "enterprise"],
                condition=Q(enterprise__isnull=False, archived_at__isnull=True),
                name="activities_eventparticipant_unique_enterprise",
                violation_error_message=_("Usaha ini sudah terdaftar pada kegiatan ini."),
            ),
            models.UniqueConstraint(
                fields=["event", "cooperative"],
                condition=Q(cooperative__isnull=False, archived_at__isnull=True),
                name="activities_eventparticipant_unique_cooperative",
                violation_error_message=_("Koperasi ini sudah terdaftar pada kegiatan ini."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.enterprise or self.cooperative or _("Peserta"))

    @property
    def owner_unit(self) -> Unit:
        return self.event.owner_unit

    def clean(self) -> None:
        _check_beneficiary(self)


class FinancingFacilitation(TrackedModel):
    """Access to financing the Dinas facilitated for a business or cooperative."""

    enterprise = models.ForeignKey(
        ENTERPRISE,
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financings",
    )
    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financings",
    )
    lender = models.CharField(_("lembaga pembiayaan"), max_length=200)
    scheme = models.CharField(_("skema"), max_length=16, choices=c.FinancingScheme.choices)
    amount = models.DecimalField(_("nilai (Rp)"), max_digits=16, decimal_places=0)
    date = models.DateField(_("tanggal"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.FinancingStatus.choices,
        default=c.FinancingStatus.DIAJUKAN,
    )
    notes = models.TextField(_("catatan"), blank=True)
    owner_unit = _owner_unit("activity_financings")
    is_example = _example()

    class Meta:
        verbose_name = _("fasilitasi pembiayaan")
        verbose_name_plural = _("fasilitasi pembiayaan")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "status"], name="act_financing_date_idx"),
            models.Index(fields=["scheme", "date"], name="act_financing_scheme_idx"),
            models.Index(fields=["owner_unit"], name="act_financing_unit_idx"),
        ]
        constraints = [
            _one_beneficiary("financingfacilitation"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="activities_financingfacilitation_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.lender} - {self.enterprise or self.cooperative}"

    def clean(self) -> None:
        _check_beneficiary(self)


class Partnership(TrackedModel):
    """A partnership the Dinas brokered between a business or cooperative and a partner."""

    enterprise = models.ForeignKey(
        ENTERPRISE,
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    cooperative = models.ForeignKey(
        COOPERATIVE,
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    partner = models.CharField(_("mitra"), max_length=200)
    kind = models.CharField(_("jenis kemitraan"), max_length=14, choices=c.PartnershipKind.choices)
    started_on = models.DateField(_("tanggal mulai"))
    description = models.TextField(_("uraian"), blank=True)
    owner_unit = _owner_unit("activity_partnerships")
    is_example = _example()

    class Meta:
        verbose_name = _("kemitraan")
        verbose_name_plural = _("kemitraan")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "started_on"], name="act_partner_kind_idx"),
            models.Index(fields=["started_on"], name="act_partner_start_idx"),
            models.Index(fields=["owner_unit"], name="act_partner_unit_idx"),
        ]
        constraints = [_one_beneficiary("partnership")]

    def __str__(self) -> str:
        return f"{self.partner} - {self.enterprise or self.cooperative}"

    def clean(self) -> None:
        _check_beneficiary(self)
