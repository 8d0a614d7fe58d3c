"""What Sikumi can measure from its registries, by name.

A measure answers "how many (or how much) for this period", as one SQL aggregate grouped by
place, and gives the queryset of the records it counted (the drill-down). Which Renstra
indicator uses which measure, against which denominator, is data (`IndicatorBinding`), not code.

Periods: a year, or the year up to the end of a quarter. Counts of events (trainings, inspections,
certificates...) take the events dated inside the period; statuses (koperasi aktif, kompeten)
are taken as at the end of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumi.activities import choices as act
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    PromotionEvent,
    TrainingParticipant,
)
from sikumi.cooperatives import selectors as coop_selectors
from sikumi.cooperatives.choices import ActivityStatus, EmpowermentKind
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeAward,
    CooperativeOfficial,
    CooperativeRating,
    EmpowermentRecord,
    RatReport,
)
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.imports.models import ImportBatch
from sikumi.rules import cooperative as coop_rules
from sikumi.supervision.choices import InspectionResult, Predicate, ServiceKind
from sikumi.supervision.models import HealthAssessment, Inspection, PlannedInspection, ServiceCase


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    # Scratch space shared by the measures computed for this period (e.g. the rule-set
    # evaluation both "berkualitas" and "modern" need); not part of the period's identity.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter is None:
            return dt.date(self.year, 12, 31)
        month = self.quarter * 3
        next_month = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)

    def dates(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    def moments(self, field_name: str) -> Q:
        """For a datetime field: compared with the period's bounds in local time, so that the
        database can use the column as it is (no per-row date conversion)."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})

    def __str__(self) -> str:
        return f"{self.year}" + (f" TW {self.quarter}" if self.quarter else "")


@dataclass
class Counted:
    """The records a measure counted: `queryset` has one row per counted unit."""

    queryset: QuerySet[Any]
    kecamatan_field: str
    kelurahan_field: str | None
    amount: Any = None  # an expression to sum instead of counting rows
    # Where to count instead, when cheaper: (queryset, kecamatan field, kelurahan field) with
    # one row per record of `queryset`.
    tally_source: tuple[QuerySet[Any], str, str | None] | None = None


@dataclass
class Growth:
    """A growth rate: this period's total against the previous year's, per kecamatan too."""

    current: Decimal
    previous: Decimal
    current_by_kecamatan: dict[str, Decimal] = field(default_factory=dict)
    previous_by_kecamatan: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    code: str
    label: Any
    description: Any
    model_label: str
    compute: Callable[[Period], Counted | Growth]
    kind: str = "count"  # count | sum | growth
    #: the measure counting the whole set this one counts a part of, per kecamatan too (the
    #: cooperatives a "koperasi patuh" is one of): the per-kecamatan denominator of a
    #: percentage whose city denominator is a fixed data dasar or a figure from outside
    population: str = ""


REGISTRY: dict[str, Measure] = {}


def measure(
    code: str,
    label: Any,
    description: Any,
    model_label: str,
    kind: str = "count",
    population: str = "",
) -> Callable[[Callable[[Period], Any]], Callable[[Period], Any]]:
    def register(fn: Callable[[Period], Any]) -> Callable[[Period], Any]:
        REGISTRY[code] = Measure(code, label, description, model_label, fn, kind, population)
        return fn

    return register


COOPERATIVES = "koperasi_terdaftar"
KSP = "ksp_usp_terdaftar"
OFFICIALS = "pengurus_koperasi"
ENTERPRISES = "usaha_mikro_terdaftar"


def _cooperatives(ids_query: Any) -> Counted:
    return Counted(
        Cooperative.objects.active().filter(pk__in=ids_query), "kecamatan_id", "kelurahan_id"
    )


def _registered_cooperatives(period: Period) -> QuerySet[Cooperative]:
    """Cooperatives on the register at the end of the period and not dissolved by then."""
    return (
        Cooperative.objects.active()
        .exclude(status_q_dissolved(period))
        .filter(Q(legal_entity_date__isnull=True) | Q(legal_entity_date__lte=period.end))
    )


def status_q_dissolved(period: Period) -> Q:
    """Dissolved by the end of the period: the registry's own status rule, on that day."""
    return coop_selectors.status_q(ActivityStatus.DIBUBARKAN, period.year, on=period.end)


# --- cooperatives ------------------------------------------------------------------------


@measure(
    "koperasi_terdaftar",
    _("Koperasi terdaftar"),
    _("Koperasi yang tercatat dan belum dibubarkan pada akhir periode."),
    "cooperatives.Cooperative",
)
def koperasi_terdaftar(period: Period) -> Counted:
    return Counted(_registered_cooperatives(period), "kecamatan_id", "kelurahan_id")


@measure(
    "koperasi_aktif",
    _("Koperasi aktif"),
    _(
        "Koperasi yang menyelenggarakan RAT dalam jendela keaktifan (bawaan 3 tahun) sampai "
        "tahun periode dan belum dibubarkan."
    ),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_aktif(period: Period) -> Counted:
    qs = _registered_cooperatives(period).filter(
        coop_selectors.status_q(ActivityStatus.AKTIF, period.year, on=period.end)
    )
    return Counted(qs, "kecamatan_id", "kelurahan_id")


def _rule_set_measure(code: str) -> Callable[[Period], Counted]:
    def compute(period: Period) -> Counted:
        base = _registered_cooperatives(period)
        if "qualifying" not in period.memo:
            period.memo["qualifying"] = coop_selectors.qualifying_ids(period.year, base)
        ids = period.memo["qualifying"].get(code, set())
        return Counted(base.filter(pk__in=ids), "kecamatan_id", "kelurahan_id")

    return compute


measure(
    "koperasi_berkualitas",
    _("Koperasi berkualitas"),
    _("Koperasi yang memenuhi semua aturan 'koperasi berkualitas' (dapat diatur)."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)(_rule_set_measure("berkualitas"))
measure(
    "koperasi_modern",
    _("Koperasi modern"),
    _("Koperasi yang memenuhi semua aturan 'koperasi modern' (dapat diatur)."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)(_rule_set_measure("modern"))


@measure(
    "koperasi_patuh",
    _("Koperasi patuh"),
    _("Koperasi yang diperiksa dalam periode dan hasil pemeriksaan terakhirnya 'patuh'."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_patuh(period: Period) -> Counted:
    inspected = Inspection.objects.active().filter(period.dates("date"))
    latest = inspected.filter(cooperative=OuterRef("cooperative")).order_by("-date", "-id")
    patuh = inspected.filter(result=InspectionResult.PATUH).exclude(
        Exists(latest.filter(date__gt=OuterRef("date"), result=InspectionResult.TIDAK_PATUH))
    )
    return _cooperatives(patuh.values("cooperative_id"))


@measure(
    "koperasi_diperiksa",
    _("Koperasi diperiksa"),
    _("Koperasi yang diperiksa kepatuhannya dalam periode."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_diperiksa(period: Period) -> Counted:
    return _cooperatives(
        Inspection.objects.active().filter(period.dates("date")).values("cooperative_id")
    )


@measure(
    "koperasi_diawasi",
    _("Koperasi diawasi"),
    _("Koperasi dalam rencana pengawasan tahun itu (sampai triwulan periode)."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_diawasi(period: Period) -> Counted:
    planned = PlannedInspection.objects.filter(
        plan__year=period.year, plan__archived_at__isnull=True
    )
    if period.quarter:
        planned = planned.filter(quarter__lte=period.quarter)
    return _cooperatives(planned.values("cooperative_id"))


def _assessed(period: Period) -> QuerySet[HealthAssessment]:
    return HealthAssessment.objects.active().filter(period.dates("assessed_on"))


@measure(
    "ksp_sehat",
    _("KSP/USP sehat"),
    _("KSP/USP yang dinilai dalam periode dengan predikat 'Sehat'."),
    "cooperatives.Cooperative",
    population=KSP,
)
def ksp_sehat(period: Period) -> Counted:
    return _cooperatives(
        _assessed(period).filter(predicate=Predicate.SEHAT).values("cooperative_id")
    )


@measure(
    "ksp_dinilai",
    _("KSP/USP dinilai kesehatannya"),
    _("KSP/USP yang dinilai kesehatannya dalam periode."),
    "cooperatives.Cooperative",
    population=KSP,
)
def ksp_dinilai(period: Period) -> Counted:
    return _cooperatives(_assessed(period).values("cooperative_id"))


@measure(
    "iusp_terbit",
    _("KSP/USP ber-IUSP"),
    _("KSP/USP yang memegang Izin Usaha Simpan Pinjam yang diterbitkan sampai akhir periode."),
    "cooperatives.Cooperative",
    population=KSP,
)
def iusp_terbit(period: Period) -> Counted:
    issued = ServiceCase.objects.active().filter(
        kind=ServiceKind.IUSP, decision_result="disetujui", decision_date__lte=period.end
    )
    return _cooperatives(issued.values("cooperative_id"))


@measure(
    "koperasi_diberi_penghargaan",
    _("Koperasi diberi penghargaan"),
    _("Koperasi yang menerima penghargaan pada tahun periode."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_penghargaan(period: Period) -> Counted:
    return _cooperatives(
        CooperativeAward.objects.active().filter(year=period.year).values("cooperative_id")
    )


@measure(
    "koperasi_pemeringkatan",
    _("Koperasi diperingkat"),
    _("Koperasi yang mengikuti pemeringkatan pada tahun periode."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_pemeringkatan(period: Period) -> Counted:
    return _cooperatives(
        CooperativeRating.objects.active().filter(year=period.year).values("cooperative_id")
    )


def _empowered(kind: str) -> Callable[[Period], Counted]:
    def compute(period: Period) -> Counted:
        records = EmpowermentRecord.objects.active().filter(period.dates("date"), kind=kind)
        return _cooperatives(records.values("cooperative_id"))

    return compute


for _kind, _label in EmpowermentKind.choices:
    measure(
        f"koperasi_{_kind}",
        _label,
        _("Koperasi yang mendapat pemberdayaan jenis ini dalam periode."),
        "cooperatives.Cooperative",
        population=COOPERATIVES,
    )(_empowered(_kind))


@measure(
    "koperasi_diberdayakan",
    _("Koperasi diberdayakan"),
    _("Koperasi yang mendapat pemberdayaan apa pun dalam periode."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_diberdayakan(period: Period) -> Counted:
    return _cooperatives(
        EmpowermentRecord.objects.active().filter(period.dates("date")).values("cooperative_id")
    )


def _attended(period: Period) -> QuerySet[TrainingParticipant]:
    return TrainingParticipant.objects.active().filter(
        period.dates("training__starts_on"),
        training__archived_at__isnull=True,
        attendance=act.Attendance.HADIR,
    )


@measure(
    "koperasi_dilatih",
    _("Koperasi dilatih"),
    _("Koperasi yang pengurus/pengelolanya hadir dalam pelatihan dalam periode."),
    "cooperatives.Cooperative",
    population=COOPERATIVES,
)
def koperasi_dilatih(period: Period) -> Counted:
    attended = _attended(period)
    direct = attended.filter(cooperative__isnull=False).values("cooperative_id")
    via_official = attended.filter(official__isnull=False).values("official__cooperative_id")
    return Counted(
        Cooperative.objects.active().filter(Q(pk__in=direct) | Q(pk__in=via_official)),
        "kecamatan_id",
        "kelurahan_id",
    )


def _officials(ids_query: Any) -> Counted:
    return Counted(
        CooperativeOfficial.objects.active().filter(pk__in=ids_query),
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
    )


@measure(
    "pengurus_kompeten",
    _("Pengurus/pengelola kompeten"),
    _(
        "Pengurus, pengawas dan manajer yang memegang sertifikat kompetensi yang berlaku pada "
        "akhir periode (tanggal terbit tercatat, belum habis masa berlakunya; aturan yang sama "
        "dengan kriteria koperasi berkualitas), atau lulus bersertifikat dari pelatihan sampai "
        "akhir periode."
    ),
    "cooperatives.CooperativeOfficial",
    population=OFFICIALS,
)
def pengurus_kompeten(period: Period) -> Counted:
    valid = coop_selectors.certificates_held_on(period.end).values("official_id")
    certified = (
        TrainingParticipant.objects.active()
        .filter(
            official__isnull=False,
            outcome=act.Outcome.BERSERTIFIKAT,
            training__starts_on__lte=period.end,
        )
        .values("official_id")
    )
    return Counted(
        CooperativeOfficial.objects.active().filter(Q(pk__in=valid) | Q(pk__in=certified)),
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
    )


@measure(
    "pengurus_terlatih",
    _("Pengurus koperasi terlatih"),
    _("Pengurus/pengelola koperasi yang hadir dalam pelatihan dalam periode."),
    "cooperatives.CooperativeOfficial",
    population=OFFICIALS,
)
def pengurus_terlatih(period: Period) -> Counted:
    return _officials(_attended(period).filter(official__isnull=False).values("official_id"))


@measure(
    "pengurus_tersertifikasi",
    _("Pengurus koperasi tersertifikasi"),
    _(
        "Pengurus/pengelola yang memperoleh sertifikat kompetensi dalam periode (dari "
        "pelatihan atau dicatat langsung)."
    ),
    "cooperatives.CooperativeOfficial",
    population=OFFICIALS,
)
def pengurus_tersertifikasi(period: Period) -> Counted:
    from_training = (
        _attended(period)
        .filter(official__isnull=False, outcome=act.Outcome.BERSERTIFIKAT)
        .values("official_id")
    )
    recorded = (
        CompetenceCertificate.objects.active()
        .filter(period.dates("issued_on"))
        .values("official_id")
    )
    return Counted(
        CooperativeOfficial.objects.active().filter(Q(pk__in=from_training) | Q(pk__in=recorded)),
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
    )


@measure(
    "anggota_koperasi",
    _("Anggota koperasi"),
    _(
        "Jumlah anggota koperasi (laki-laki, perempuan dan yang tidak dirinci) menurut laporan "
        "RAT yang diselenggarakan pada tahun periode, yaitu jumlah anggota terakhir yang "
        "diketahui Dinas tahun itu: RAT 2026 (atas tahun buku 2025) dihitung untuk tahun 2026."
    ),
    "cooperatives.RatReport",
    kind="sum",
)
def anggota_koperasi(period: Period) -> Counted:
    """Members reported at the RATs held in the period's year: the count the Dinas has in
    that year (a RAT held in 2026 reports the members of book year 2025; it counts for 2026,
    as the Renstra's yearly figure is the one known in the year). The amount is
    `members_total` summed in SQL: parts missing count as 0, so a report giving only a total
    (`members_other`) counts too."""
    reports = RatReport.objects.active().filter(
        year=period.year, cooperative__archived_at__isnull=True
    )
    return Counted(
        reports,
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
        amount=(
            Coalesce("members_men", 0) + Coalesce("members_women", 0) + Coalesce("members_other", 0)
        ),
    )


# --- for the Dinas' own indicators (outside the Renstra) ---------------------------------


def _iusp_decided(period: Period) -> QuerySet[ServiceCase]:
    return ServiceCase.objects.active().filter(
        period.dates("decided_on"), kind=ServiceKind.IUSP, service_days__isnull=False
    )


@measure(
    "iusp_diputuskan",
    _("Permohonan IUSP diputuskan"),
    _(
        "Permohonan Izin Usaha Simpan Pinjam yang diputuskan (disetujui atau ditolak) dalam "
        "periode."
    ),
    "supervision.ServiceCase",
)
def iusp_diputuskan(period: Period) -> Counted:
    return Counted(_iusp_decided(period), "cooperative__kecamatan_id", "cooperative__kelurahan_id")


@measure(
    "iusp_hari_layanan",
    _("Jumlah hari layanan IUSP"),
    _(
        "Jumlah hari dari permohonan sampai keputusan, atas permohonan IUSP yang diputuskan "
        "dalam periode (dibagi 'Permohonan IUSP diputuskan' memberi rata-rata lama layanan)."
    ),
    "supervision.ServiceCase",
    kind="sum",
)
def iusp_hari_layanan(period: Period) -> Counted:
    return Counted(
        _iusp_decided(period),
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
        amount=Coalesce("service_days", 0),
    )


@measure(
    "koperasi_rat_tepat_waktu",
    _("Koperasi RAT tepat waktu"),
    _(
        "Koperasi terdaftar yang menyelenggarakan RAT tahun buku sebelumnya paling lambat "
        "batas waktunya (bawaan 30 Juni, enam bulan setelah tahun buku berakhir) dan sampai "
        "akhir periode. RAT tahun buku yang lebih lama (terlambat) tidak dihitung."
    ),
    "cooperatives.Cooperative",
)
def koperasi_rat_tepat_waktu(period: Period) -> Counted:
    # The RAT closing the previous book year, held by that book year's deadline
    # (coop_rules.rat_report_on_time); a late RAT of an older book year does not count.
    book_year = period.year - 1
    deadline = min(coop_rules.rat_deadline(book_year), period.end)
    on_time = RatReport.objects.active().filter(book_year=book_year, rat_date__lte=deadline)
    return Counted(
        _registered_cooperatives(period).filter(pk__in=on_time.values("cooperative_id")),
        "kecamatan_id",
        "kelurahan_id",
    )


@measure(
    "sertifikat_kompetensi_berakhir",
    _("Sertifikat kompetensi berakhir"),
    _(
        "Sertifikat kompetensi pengurus/pengelola koperasi yang masa berlakunya habis dalam "
        "periode."
    ),
    "cooperatives.CompetenceCertificate",
)
def sertifikat_kompetensi_berakhir(period: Period) -> Counted:
    return Counted(
        CompetenceCertificate.objects.active().filter(
            period.dates("expires_on"), official__archived_at__isnull=True
        ),
        "official__cooperative__kecamatan_id",
        "official__cooperative__kelurahan_id",
    )


@measure(
    "legalitas_produk_berakhir",
    _("Sertifikat legalitas produk berakhir"),
    _(
        "Sertifikat legalitas produk (HAKI, SNI, Halal, BPOM, PIRT) yang terbit dan masa "
        "berlakunya habis dalam periode."
    ),
    "activities.LegalityApplication",
)
def legalitas_produk_berakhir(period: Period) -> Counted:
    return Counted(
        LegalityApplication.objects.active().filter(
            period.dates("expires_on"), status=act.LegalityStatus.TERBIT
        ),
        "product__enterprise__kecamatan_code",
        "product__enterprise__kelurahan_id",
    )


@measure(
    KSP,
    _("KSP/USP terdaftar"),
    _(
        "Koperasi simpan pinjam dan koperasi yang memiliki unit simpan pinjam, tercatat dan "
        "belum dibubarkan pada akhir periode."
    ),
    "cooperatives.Cooperative",
)
def ksp_usp_terdaftar(period: Period) -> Counted:
    qs = _registered_cooperatives(period).filter(coop_selectors.savings_and_loan_q())
    return Counted(qs, "kecamatan_id", "kelurahan_id")


@measure(
    OFFICIALS,
    _("Pengurus/pengelola koperasi"),
    _("Pengurus, pengawas dan manajer koperasi yang tercatat dan belum dibubarkan."),
    "cooperatives.CooperativeOfficial",
)
def pengurus_koperasi(period: Period) -> Counted:
    return Counted(
        CooperativeOfficial.objects.active().filter(
            cooperative__in=_registered_cooperatives(period)
        ),
        "cooperative__kecamatan_id",
        "cooperative__kelurahan_id",
    )


# --- micro enterprises -------------------------------------------------------------------


def _people(people: QuerySet[Person]) -> Counted:
    """One row per person, placed at their first business (`sikumi.enterprises.facts`), so
    that people are counted once and the kecamatan figures add up to the city's."""
    return Counted(people, "kecamatan_code", "kelurahan_code")


def _new_entrepreneurs(first: int, last: int) -> QuerySet[Person]:
    return Person.objects.active().filter(
        new_entrepreneur_year__gte=first, new_entrepreneur_year__lte=last
    )


def _businesses(ids_query: Any) -> Counted:
    return Counted(
        Enterprise.objects.active().filter(pk__in=ids_query), "kecamatan_code", "kelurahan_id"
    )


@measure(
    "wirausaha_baru",
    _("Wirausaha baru"),
    _(
        "Orang yang menjadi wirausaha baru program pada tahun periode: tahun program pertama "
        "usahanya (dihitung per orang, bukan per usaha)."
    ),
    "enterprises.Person",
)
def wirausaha_baru(period: Period) -> Counted:
    return _people(_new_entrepreneurs(period.year, period.year))


@measure(
    "janji_wirausaha_baru",
    _("Janji 5.000 wirausaha baru (kumulatif)"),
    _("Orang yang menjadi wirausaha baru program sejak 2021 sampai tahun periode."),
    "enterprises.Person",
)
def janji_wirausaha_baru(period: Period) -> Counted:
    return _people(_new_entrepreneurs(2021, period.year))


@measure(
    "janji_wirausaha_perempuan",
    _("Janji 1.000 wirausaha perempuan (kumulatif)"),
    _("Perempuan yang menjadi wirausaha baru program sejak 2021 sampai tahun periode."),
    "enterprises.Person",
)
def janji_wirausaha_perempuan(period: Period) -> Counted:
    return _people(_new_entrepreneurs(2021, period.year).filter(sex="P"))


@measure(
    "wirausaha",
    _("Wirausaha terdata"),
    _("Orang yang memiliki setidaknya satu usaha terdata pada akhir periode."),
    "enterprises.Person",
)
def wirausaha(period: Period) -> Counted:
    return _people(
        Person.objects.active().filter(
            Q(business_since__isnull=True) | Q(business_since__lte=period.end),
            has_business=True,
        )
    )


@measure(
    "usaha_mikro_naik_omzet",
    _("Usaha mikro naik omzet"),
    _("Usaha yang omzet tahun periode lebih tinggi dari omzet tahun sebelumnya."),
    "enterprises.Enterprise",
    population=ENTERPRISES,
)
def naik_omzet(period: Period) -> Counted:
    grown = EnterpriseTurnover.objects.active().filter(year=period.year, grew=True)
    counted = _businesses(grown.values("enterprise_id"))
    # Counted on the turnover records themselves (one per business and year, with the
    # business's place): no lookup of each business.
    counted.tally_source = (grown, "kecamatan_code", "kelurahan_code")
    return counted


@measure(
    "usaha_mikro_didata",
    _("Usaha mikro didata"),
    _("Usaha mikro yang masuk ke pendataan dalam periode."),
    "enterprises.Enterprise",
)
def usaha_mikro_didata(period: Period) -> Counted:
    return Counted(
        Enterprise.objects.active().filter(period.moments("created_at")),
        "kecamatan_code",
        "kelurahan_id",
    )


@measure(
    "pemutakhiran_data",
    _("Pemutakhiran data (impor)"),
    _("Berkas pendataan usaha mikro yang diimpor dan disahkan dalam periode."),
    "imports.ImportBatch",
)
def pemutakhiran_data(period: Period) -> Counted:
    batches = ImportBatch.objects.filter(
        period.moments("created_at"), kind="enterprises", status="committed"
    )
    return Counted(batches, "", None)


def _facilitated_enterprise_ids(period: Period) -> Q:
    trained = _attended(period).filter(enterprise__isnull=False).values("enterprise_id")
    trained_people = _attended(period).filter(person__isnull=False).values("person_id")
    legality = (
        LegalityApplication.objects.active()
        .filter(period.dates("applied_on"))
        .values("product__enterprise_id")
    )
    curated = Curation.objects.active().filter(period.dates("date")).values("enterprise_id")
    promoted = (
        EventParticipant.objects.active()
        .filter(period.dates("event__starts_on"), enterprise__isnull=False)
        .values("enterprise_id")
    )
    financed = (
        FinancingFacilitation.objects.active()
        .filter(period.dates("date"), enterprise__isnull=False)
        .values("enterprise_id")
    )
    partnered = (
        Partnership.objects.active()
        .filter(period.dates("started_on"), enterprise__isnull=False)
        .values("enterprise_id")
    )
    return (
        Q(pk__in=trained)
        | Q(owner_id__in=trained_people)
        | Q(pk__in=legality)
        | Q(pk__in=curated)
        | Q(pk__in=promoted)
        | Q(pk__in=financed)
        | Q(pk__in=partnered)
    )


@measure(
    "umkm_terbina",
    _("UMKM terbina"),
    _(
        "Usaha yang mendapat fasilitasi apa pun dalam periode: pelatihan, legalitas produk, "
        "kurasi, promosi, akses pembiayaan atau kemitraan."
    ),
    "enterprises.Enterprise",
    population=ENTERPRISES,
)
def umkm_terbina(period: Period) -> Counted:
    return Counted(
        Enterprise.objects.active().filter(_facilitated_enterprise_ids(period)),
        "kecamatan_code",
        "kelurahan_id",
    )


@measure(
    "peserta_pelatihan_usaha_mikro",
    _("Peserta pelatihan usaha mikro"),
    _("Kehadiran peserta pelatihan bagi usaha mikro dalam periode."),
    "activities.TrainingParticipant",
)
def peserta_pelatihan_um(period: Period) -> Counted:
    return Counted(
        _attended(period).filter(training__target_group=act.TargetGroup.USAHA_MIKRO),
        "enterprise__kecamatan_code",
        "enterprise__kelurahan_id",
    )


@measure(
    "peserta_kemitraan",
    _("Usaha mikro dalam kemitraan"),
    _("Usaha mikro yang memulai kemitraan dalam periode."),
    "enterprises.Enterprise",
    population=ENTERPRISES,
)
def peserta_kemitraan(period: Period) -> Counted:
    return _businesses(
        Partnership.objects.active()
        .filter(period.dates("started_on"), enterprise__isnull=False)
        .values("enterprise_id")
    )


@measure(
    "produk_tersertifikasi",
    _("Produk tersertifikasi"),
    _("Produk yang sertifikat legalitasnya (HAKI, SNI, Halal, BPOM, PIRT) terbit dalam periode."),
    "activities.Product",
)
def produk_tersertifikasi(period: Period) -> Counted:
    from sikumi.activities.models import Product

    issued = (
        LegalityApplication.objects.active()
        .filter(period.dates("issued_on"), status=act.LegalityStatus.TERBIT)
        .values("product_id")
    )
    return Counted(
        Product.objects.active().filter(pk__in=issued),
        "enterprise__kecamatan_code",
        "enterprise__kelurahan_id",
    )


@measure(
    "peserta_promosi",
    _("Peserta promosi"),
    _("Keikutsertaan usaha dan koperasi dalam kegiatan promosi dalam periode."),
    "activities.EventParticipant",
)
def peserta_promosi(period: Period) -> Counted:
    return Counted(
        EventParticipant.objects.active().filter(period.dates("event__starts_on")),
        "enterprise__kecamatan_code",
        "enterprise__kelurahan_id",
    )


@measure(
    "kegiatan_promosi",
    _("Kegiatan promosi"),
    _("Kegiatan promosi (gelar akbar, pameran, Pekan Koperasi, bazar, temu bisnis) dalam periode."),
    "activities.PromotionEvent",
)
def kegiatan_promosi(period: Period) -> Counted:
    return Counted(PromotionEvent.objects.active().filter(period.dates("starts_on")), "", None)


# --- growth ------------------------------------------------------------------------------


def _sum_by_kecamatan(queryset: QuerySet[Any], kec: str, amount: str) -> dict[str, Decimal]:
    return {
        row[kec] or "": row["total"] or Decimal(0)
        for row in queryset.values(kec).annotate(total=Sum(amount)).order_by()
    }


@measure(
    "pertumbuhan_volume_usaha",
    _("Pertumbuhan volume usaha koperasi dan UMKM"),
    _(
        "(Volume usaha koperasi menurut RAT + omzet usaha mikro) tahun periode dibanding tahun "
        "sebelumnya, dalam persen."
    ),
    "cooperatives.RatReport",
    kind="growth",
)
def pertumbuhan_volume_usaha(period: Period) -> Growth:
    def totals(year: int) -> tuple[Decimal, dict[str, Decimal]]:
        coop = RatReport.objects.active().filter(year=year, business_volume__isnull=False)
        umkm = EnterpriseTurnover.objects.active().filter(year=year)
        by_kec = _sum_by_kecamatan(coop, "cooperative__kecamatan_id", "business_volume")
        for code, amount in _sum_by_kecamatan(umkm, "kecamatan_code", "amount").items():
            by_kec[code] = by_kec.get(code, Decimal(0)) + amount
        return sum(by_kec.values(), Decimal(0)), by_kec

    current, current_k = totals(period.year)
    previous, previous_k = totals(period.year - 1)
    return Growth(current, previous, current_k, previous_k)


@measure(
    ENTERPRISES,
    _("Usaha mikro terdata"),
    _("Usaha mikro yang tercatat pada akhir periode."),
    "enterprises.Enterprise",
)
def usaha_mikro_terdaftar(period: Period) -> Counted:
    tz = timezone.get_current_timezone()
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Counted(
        Enterprise.objects.active().filter(created_at__lt=end), "kecamatan_code", "kelurahan_id"
    )
