"""Example cooperatives for Kota Depok, clearly labelled (`is_example`, names end in " (contoh)").

Consistent with the Renstra's baselines: of the default 190 cooperatives about 165 are active
(a RAT in the last three years), 132 of those run savings and loans (KSP/KSPPS or a USP); the
share holding their RAT each year follows the Renstra's realised activity rates (2019 about 75%,
2020 about 35% during the pandemic, then rising towards the 2021-2026 targets). RAT reports
2019-2025, officials (pengurus, pengawas, manajer), some competence certificates, empowerment
records, awards and ratings. Bulk inserts only: `count=10000` runs in seconds.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sikumi.cooperatives.choices import EmpowermentKind, Jenis, OfficialRole, Pola
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeAward,
    CooperativeOfficial,
    CooperativeRating,
    EmpowermentRecord,
    RatReport,
    default_owner_unit,
)
from sikumi.rules.parsing import normalise_name

SUFFIX = " (contoh)"
YEARS = range(2019, 2026)
# Share of *all* cooperatives holding their RAT in each year (Renstra realisation 2019-2020,
# then towards the targets); the dormant ones never do after 2019.
RAT_RATE = {2019: 0.75, 2020: 0.35, 2021: 0.80, 2022: 0.84, 2023: 0.86, 2024: 0.86, 2025: 0.86}
ACTIVE_SHARE = 165 / 190
SAVINGS_SHARE_OF_ACTIVE = 132 / 165

WORDS_A = [
    "Mawar",
    "Melati",
    "Anggrek",
    "Cempaka",
    "Kenanga",
    "Dahlia",
    "Flamboyan",
    "Bougenvil",
    "Teratai",
    "Kamboja",
    "Sakura",
    "Tunas",
    "Bina",
    "Karya",
    "Mitra",
    "Sinar",
    "Cahaya",
    "Harapan",
    "Bakti",
    "Warga",
    "Pelita",
    "Bintang",
    "Mandiri",
    "Sahabat",
    "Rukun",
    "Guyub",
    "Berkah",
    "Amanah",
    "Al-Ikhlas",
    "Baitul",
    "Insan",
    "Pandawa",
    "Margonda",
    "Griya",
]
WORDS_B = [
    "Sejahtera",
    "Makmur",
    "Jaya",
    "Sentosa",
    "Abadi",
    "Bersama",
    "Utama",
    "Lestari",
    "Mulia",
    "Maju",
    "Usaha",
    "Pratama",
    "Madani",
    "Barokah",
    "Mandiri",
    "Perkasa",
    "Indah",
    "Sakinah",
    "Raya",
    "Nusantara",
    "Kencana",
    "Gemilang",
]
PREFIX = {
    Jenis.SIMPAN_PINJAM: ("Koperasi Simpan Pinjam", "KSP"),
    Jenis.KONSUMEN: ("Koperasi Konsumen", "Kopkon"),
    Jenis.PRODUSEN: ("Koperasi Produsen", "Koperasi Produsen"),
    Jenis.PEMASARAN: ("Koperasi Pemasaran", "Koperasi Pemasaran"),
    Jenis.JASA: ("Koperasi Jasa", "Koperasi Jasa"),
}
FIRST_NAMES = [
    "Ahmad",
    "Budi",
    "Siti",
    "Dewi",
    "Rina",
    "Agus",
    "Sri",
    "Hendra",
    "Yuni",
    "Dedi",
    "Nur",
    "Wahyu",
    "Lina",
    "Eko",
    "Ratna",
    "Joko",
    "Fitri",
    "Rudi",
    "Maya",
    "Asep",
    "Euis",
    "Ujang",
]
LAST_NAMES = [
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Lestari",
    "Rahmawati",
    "Saputra",
    "Nugroho",
    "Kusuma",
    "Permana",
    "Suryadi",
    "Hasanah",
    "Firmansyah",
    "Maulana",
    "Setiawan",
    "Handayani",
]
STREETS = [
    "Jl. Margonda Raya",
    "Jl. Raya Sawangan",
    "Jl. Nusantara",
    "Jl. Tole Iskandar",
    "Jl. Juanda",
    "Jl. Raya Bogor",
    "Jl. Cinere Raya",
    "Jl. Raya Citayam",
    "Jl. Kartini",
    "Jl. Raya Muchtar",
    "Jl. Limo Raya",
    "Jl. Merdeka",
    "Jl. Pemuda",
    "Jl. Siliwangi",
]
LENDERS = ["LPDB-KUMKM", "Bank bjb", "BRI", "Bank Syariah Indonesia", "BPR Kota Depok"]
DEPOK_CENTRE = (-6.4025, 106.7942)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(int(rng.uniform(low, high) / 1000) * 1000)


def _raw_insert(model: Any, rows: list[dict[str, Any]], batch_size: int = 5000) -> None:
    """Insert plain rows (attname -> value) with executemany: ten times faster than building
    model instances for bulk_create, which matters for 10,000 cooperatives' history."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model meta
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sqlite = connection.vendor == "sqlite"
    defaults = {}
    for f in fields:
        if f.name in ("created_at", "updated_at"):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # "" for text fields, None for nullable

    def prep(value: Any) -> Any:
        if isinstance(value, enum.Enum):
            return value.value
        if sqlite and isinstance(value, dt.date | Decimal):
            return str(value)
        return value

    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            cursor.executemany(
                sql,
                [tuple(prep(row.get(n, defaults[n])) for n in names) for row in chunk],
            )


def _kelurahan() -> list[tuple[str, float | None, float | None]]:
    from django.conf import settings

    from sikumi.regions.models import Level, Region

    return list(
        Region.objects.filter(
            level=Level.KELURAHAN, code__startswith=settings.SIKUMI_REGION_CODE + "."
        ).values_list("code", "latitude", "longitude")
    )


def _plan(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Who is active and who runs savings and loans, in the Renstra's proportions."""
    active = round(count * ACTIVE_SHARE)
    savings_active = round(active * SAVINGS_SHARE_OF_ACTIVE)
    dormant = count - active
    savings_dormant = round(dormant * 0.6)
    plan = (
        [{"active": True, "savings": True}] * savings_active
        + [{"active": True, "savings": False}] * (active - savings_active)
        + [{"active": False, "savings": True}] * savings_dormant
        + [{"active": False, "savings": False}] * (dormant - savings_dormant)
    )
    plan = [dict(p) for p in plan]
    rng.shuffle(plan)
    return plan


def _rat_years(active: bool, rng: random.Random) -> list[int]:
    if not active:
        # Dormant: maybe a last RAT in 2019, nothing since (or never reported one).
        return [2019] if rng.random() < 0.4 else []
    base_active = RAT_RATE[2023] / ACTIVE_SHARE
    years = []
    for year in YEARS:
        p = min(0.99, RAT_RATE[year] / ACTIVE_SHARE) if year <= 2022 else min(0.99, base_active)
        if rng.random() < p:
            years.append(year)
    if not any(y >= 2023 for y in years):
        years.append(2025)
    return sorted(set(years))


@transaction.atomic
def generate(*, count: int = 190, seed: int = 2026) -> str:
    """Create `count` example cooperatives with their history; does nothing if any exist."""
    if Cooperative._base_manager.filter(is_example=True).exists():
        return "Data contoh koperasi sudah ada; tidak ada yang ditambahkan."
    rng = random.Random(seed)
    owner = default_owner_unit()
    owner_id = owner.pk if owner else None
    kelurahan = _kelurahan()
    plan = _plan(count, rng)
    used_names: set[str] = set()
    cooperatives: list[Cooperative] = []
    rat_plan: list[list[int]] = []
    for index, item in enumerate(plan, start=1):
        if item["savings"]:
            jenis = (
                Jenis.SIMPAN_PINJAM
                if rng.random() < 0.7
                else rng.choice([Jenis.KONSUMEN, Jenis.PRODUSEN, Jenis.JASA])
            )
        else:
            jenis = rng.choice(
                [Jenis.KONSUMEN, Jenis.KONSUMEN, Jenis.PRODUSEN, Jenis.PEMASARAN, Jenis.JASA]
            )
        has_usp = item["savings"] and jenis != Jenis.SIMPAN_PINJAM
        pola = Pola.SYARIAH if rng.random() < 0.18 else Pola.KONVENSIONAL
        long_prefix, short_prefix = PREFIX[jenis]
        if pola == Pola.SYARIAH and jenis == Jenis.SIMPAN_PINJAM:
            long_prefix, short_prefix = "Koperasi Simpan Pinjam dan Pembiayaan Syariah", "KSPPS"
        prefix = long_prefix if rng.random() < 0.5 else short_prefix
        base = f"{prefix} {rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
        name = base
        n = 1
        while name in used_names:
            n += 1
            name = f"{base} {n}"
        used_names.add(name)
        name += SUFFIX
        code, lat, lon = rng.choice(kelurahan) if kelurahan else (None, None, None)
        lat = (lat if lat is not None else DEPOK_CENTRE[0]) + rng.uniform(-0.006, 0.006)
        lon = (lon if lon is not None else DEPOK_CENTRE[1]) + rng.uniform(-0.006, 0.006)
        founded = dt.date(rng.randint(1985, 2018), rng.randint(1, 12), rng.randint(1, 28))
        years = _rat_years(item["active"], rng)
        rat_plan.append(years)
        cooperatives.append(
            Cooperative(
                name=name,
                name_key=normalise_name(name)[:255],
                # Clearly fictional NIK Koperasi: "9999" + serial, never a real Kemenkop number.
                nik_koperasi=f"9999{index:012d}" if years and years[-1] >= 2021 else "",
                legal_entity_number=f"{rng.randint(100, 9999)}/BH/CONTOH/{founded.year}",
                legal_entity_date=founded,
                jenis=jenis,
                pola=pola,
                has_usp=has_usp,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}",
                kelurahan_id=code,
                kecamatan_id=code[:8] if code else None,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                phone=f"021-7{rng.randint(100000, 999999)}",
                bookkeeping_digital=rng.random() < 0.45,
                online_services=rng.random() < 0.25,
                cashless_payments=rng.random() < 0.4,
                owner_unit_id=owner_id,
                last_rat_year=years[-1] if years else None,
                is_example=True,
            )
        )
    Cooperative.objects.bulk_create(cooperatives, batch_size=2000)
    if cooperatives and cooperatives[0].pk is None:  # backends without RETURNING
        ids = dict(Cooperative.objects.filter(is_example=True).values_list("name", "pk"))
        for coop in cooperatives:
            coop.pk = ids[coop.name]

    reports: list[dict[str, Any]] = []
    officials: list[dict[str, Any]] = []
    empowerment: list[dict[str, Any]] = []
    awards: list[CooperativeAward] = []
    ratings: list[CooperativeRating] = []
    for coop, years in zip(cooperatives, rat_plan, strict=True):
        size = rng.lognormvariate(5.0, 0.9)  # members, median about 150
        volume = Decimal(int(size * rng.uniform(2_000_000, 12_000_000)))
        for year in years:
            growth = Decimal("0.75") if year == 2020 else Decimal(str(rng.uniform(0.98, 1.12)))
            volume = (volume * growth).quantize(Decimal(1))
            members = max(20, int(size * rng.uniform(0.95, 1.08)))
            women = int(members * rng.uniform(0.35, 0.65))
            own = (volume * Decimal(str(rng.uniform(0.2, 0.5)))).quantize(Decimal(1000))
            external = (volume * Decimal(str(rng.uniform(0.05, 0.4)))).quantize(Decimal(1000))
            shu = (volume * Decimal(str(rng.uniform(-0.01, 0.06)))).quantize(Decimal(1000))
            rat_date = dt.date(year, rng.randint(2, 7), rng.randint(1, 28))
            reports.append(
                {
                    "cooperative_id": coop.pk,
                    "book_year": year - 1,  # the RAT held in `year` approves the books before
                    "year": year,
                    "rat_date": rat_date,
                    "members_men": members - women,
                    "members_women": women,
                    "own_capital": own,
                    "external_capital": external,
                    "assets": own + external + (volume * Decimal("0.1")).quantize(Decimal(1000)),
                    "business_volume": volume,
                    "shu": shu,
                    "employees": max(0, int(members / rng.uniform(40, 120))),
                    "is_example": True,
                }
            )
        term_start = dt.date(rng.choice([2020, 2021, 2022, 2023]), rng.randint(1, 12), 1)
        positions = [
            (OfficialRole.PENGURUS, "Ketua"),
            (OfficialRole.PENGURUS, "Sekretaris"),
            (OfficialRole.PENGURUS, "Bendahara"),
            (OfficialRole.PENGAWAS, "Ketua Pengawas"),
        ]
        if coop.is_savings_and_loan:
            positions.append((OfficialRole.MANAJER, "Manajer"))
        for role, position in positions:
            officials.append(
                {
                    "cooperative_id": coop.pk,
                    "role": role,
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "position": position,
                    "term_start": term_start,
                    "term_end": dt.date(term_start.year + 5, term_start.month, 1),
                    "phone": f"0812{rng.randint(10000000, 99999999)}",
                    "is_example": True,
                }
            )
        if years and years[-1] >= 2021 and rng.random() < 0.35:
            for _ in range(rng.randint(1, 2)):
                kind = rng.choice(EmpowermentKind.values)
                date = dt.date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
                financing = kind == EmpowermentKind.PEMBIAYAAN
                empowerment.append(
                    {
                        "cooperative_id": coop.pk,
                        "kind": kind,
                        "date": date,
                        "description": f"Kegiatan {EmpowermentKind(kind).label.lower()} (contoh)",
                        "lender": rng.choice(LENDERS) if financing else "",
                        "amount": _money(rng, 50_000_000, 1_000_000_000) if financing else None,
                        "owner_unit_id": owner_id,
                        "is_example": True,
                    }
                )
        if years and years[-1] >= 2023 and rng.random() < 0.05:
            awards.append(
                CooperativeAward(
                    cooperative_id=coop.pk,
                    name="Koperasi Berprestasi Kota Depok (contoh)",
                    giver="Wali Kota Depok",
                    year=rng.randint(2022, 2025),
                    rank=rng.choice(["Juara I", "Juara II", "Juara III", "Harapan"]),
                    is_example=True,
                )
            )
        if years and years[-1] >= 2024 and rng.random() < 0.1:
            scores = [Decimal(rng.randint(50, 95)) for _ in range(5)]
            total = sum(scores, Decimal(0)) / 5
            ratings.append(
                CooperativeRating(
                    cooperative_id=coop.pk,
                    year=2025,
                    score_kelembagaan=scores[0],
                    score_usaha=scores[1],
                    score_keuangan=scores[2],
                    score_manfaat_anggota=scores[3],
                    score_manfaat_masyarakat=scores[4],
                    total=total.quantize(Decimal("0.01")),
                    rating_class="A" if total >= 80 else "B" if total >= 65 else "C",
                    is_example=True,
                )
            )
    _raw_insert(RatReport, reports)
    _raw_insert(CooperativeOfficial, officials)
    managers = CooperativeOfficial.objects.filter(
        is_example=True, role=OfficialRole.MANAJER
    ).values_list("pk", flat=True)
    certificates = []
    for official_id in managers.order_by("pk").iterator():
        if rng.random() >= 0.4:
            continue
        issued = dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 1)
        certificates.append(
            {
                "official_id": official_id,
                "scheme": "Manajer Koperasi Simpan Pinjam",
                "number": f"CONTOH-{official_id:06d}",
                "issuer": "LSP Koperasi (contoh)",
                "issued_on": issued,
                "expires_on": dt.date(issued.year + 3, issued.month, 1),
                "is_example": True,
            }
        )
    _raw_insert(CompetenceCertificate, certificates)
    _raw_insert(EmpowermentRecord, empowerment)
    CooperativeAward.objects.bulk_create(awards, batch_size=2000)
    CooperativeRating.objects.bulk_create(ratings, batch_size=2000)

    from sikumi.audit import services as audit
    from sikumi.audit.choices import Action

    message = (
        f"{len(cooperatives)} koperasi contoh, {len(reports)} laporan RAT, {len(officials)} "
        f"pengurus, {len(certificates)} sertifikat, {len(empowerment)} pemberdayaan dibuat."
    )
    audit.record(
        actor=None,
        action=Action.CREATE,
        model=Cooperative,
        object_repr="Data contoh koperasi",
        note=message,
    )
    return message
