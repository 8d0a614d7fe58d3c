"""Example programme activities for Kota Depok 2021-2026, clearly labelled (`is_example`,
names end in " (contoh)"): trainings at the Balai Pelatihan Koperasi and elsewhere with
participants drawn from the example businesses, people, cooperatives and officials; products
with legality certificates (some expiring soon, some expired); curation; promotion events with
reported sales; financing facilitated; partnerships.

Participants are sampled by id in SQL (random ids between the smallest and largest example id,
fetched with `id IN (...)`), never by loading all businesses, so this runs in seconds with a
million enterprises. Everything is bulk-inserted. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Unit
from sikumi.activities import choices as c
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.enterprises.normalise import name_key

SUFFIX = " (contoh)"
YEARS = range(2021, 2027)
BALATKOP = "Balai Pelatihan Koperasi (Balatkop) Kota Depok"
PLACES = [
    BALATKOP,
    BALATKOP,
    "Aula Balai Kota Depok",
    "Gedung Dibaleka II, Balai Kota Depok",
    "Aula Kantor Kecamatan Sawangan",
    "Aula Kantor Kecamatan Cimanggis",
    "Hotel Santika Depok",
    "Grand Depok City Convention Hall",
]
DINAS = "Dinas Koperasi dan Usaha Mikro Kota Depok"

MICRO_TOPICS = [
    ("Pemasaran digital dan marketplace", c.TrainingKind.PELATIHAN),
    ("Pengemasan dan label produk pangan", c.TrainingKind.PELATIHAN),
    ("Pembukuan sederhana usaha mikro", c.TrainingKind.BIMTEK),
    ("Fotografi produk untuk media sosial", c.TrainingKind.PELATIHAN),
    ("Pendampingan sertifikasi halal (self declare)", c.TrainingKind.BIMTEK),
    ("Kewirausahaan bagi wirausaha baru", c.TrainingKind.PELATIHAN),
    ("Olahan pangan berbasis singkong dan belimbing Depok", c.TrainingKind.PELATIHAN),
    ("Akses pembiayaan dan KUR", c.TrainingKind.BIMTEK),
]
COOP_TOPICS = [
    ("Diklat perkoperasian dasar bagi pengurus", c.TrainingKind.DIKLAT, c.TargetGroup.PENGURUS),
    ("Manajemen risiko KSP/USP", c.TrainingKind.DIKLAT, c.TargetGroup.PENGURUS),
    (
        "Sertifikasi kompetensi manajer koperasi (BNSP)",
        c.TrainingKind.SERTIFIKASI,
        c.TargetGroup.PENGURUS,
    ),
    ("Penyusunan laporan keuangan dan RAT", c.TrainingKind.BIMTEK, c.TargetGroup.KOPERASI),
    ("Digitalisasi layanan koperasi", c.TrainingKind.BIMTEK, c.TargetGroup.KOPERASI),
    ("Pengawasan koperasi bagi pengawas", c.TrainingKind.DIKLAT, c.TargetGroup.PENGURUS),
]
PRODUCTS = [
    ("Keripik singkong balado", c.ProductCategory.MAKANAN),
    ("Dodol belimbing", c.ProductCategory.MAKANAN),
    ("Sirup belimbing Depok", c.ProductCategory.MINUMAN),
    ("Kopi bubuk robusta", c.ProductCategory.MINUMAN),
    ("Sambal bawang kemasan", c.ProductCategory.MAKANAN),
    ("Kue kering nastar", c.ProductCategory.MAKANAN),
    ("Tas anyaman eceng gondok", c.ProductCategory.KERAJINAN),
    ("Batik tulis motif belimbing", c.ProductCategory.FASHION),
    ("Sabun cair herbal", c.ProductCategory.KOSMETIK),
    ("Frozen food dimsum", c.ProductCategory.MAKANAN),
    ("Madu hutan kemasan", c.ProductCategory.PERTANIAN),
    ("Kerudung bordir", c.ProductCategory.FASHION),
]
# Years a certificate stays valid (None: no expiry, as Halal under UU 6/2023).
VALIDITY = {
    c.LegalityKind.PIRT: 5,
    c.LegalityKind.BPOM: 5,
    c.LegalityKind.HAKI: 10,
    c.LegalityKind.SNI: 4,
    c.LegalityKind.HALAL: None,
}
KIND_WEIGHTS = [
    (c.LegalityKind.PIRT, 40),
    (c.LegalityKind.HALAL, 35),
    (c.LegalityKind.HAKI, 15),
    (c.LegalityKind.BPOM, 7),
    (c.LegalityKind.SNI, 3),
]
CURATORS = [
    "Tim Kurasi DKUM",
    "Dekranasda Kota Depok",
    "Kurator Smesco",
    "Tim Kurasi Bank Indonesia",
]
EVENTS = [
    (c.EventKind.GELAR_AKBAR, "Gelar Akbar UMKM Kota Depok", "Alun-alun Kota Depok"),
    (c.EventKind.PEKAN_KOPERASI, "Pekan Koperasi Kota Depok (Harkopnas)", "Balai Kota Depok"),
    (c.EventKind.PAMERAN, "Pameran Produk Unggulan Depok", "Margo City"),
    (c.EventKind.BAZAR, "Bazar Ramadan UMKM", "Taman Lembah Gurame"),
    (c.EventKind.TEMU_BISNIS, "Temu Bisnis UMKM dengan Ritel Modern", "Hotel Bumi Wiyata"),
]
LENDERS = [
    ("Bank BJB", c.FinancingScheme.KUR),
    ("Bank BRI Unit Depok", c.FinancingScheme.KUR),
    ("Bank BRI Unit Depok", c.FinancingScheme.KUR_SUPER_MIKRO),
    ("Bank Mandiri", c.FinancingScheme.KUR),
    ("BPR Kota Depok", c.FinancingScheme.KREDIT_BANK),
    ("LPDB-KUMKM", c.FinancingScheme.LPDB),
    ("Koperasi Mitra Usaha", c.FinancingScheme.KOPERASI),
]
PARTNERS = [
    ("Alfamart Depok", c.PartnershipKind.PEMASARAN),
    ("Indomaret", c.PartnershipKind.PEMASARAN),
    ("Tokopedia", c.PartnershipKind.DIGITAL),
    ("Shopee", c.PartnershipKind.DIGITAL),
    ("PT Pertamina (CSR)", c.PartnershipKind.CSR),
    ("Hotel Santika Depok", c.PartnershipKind.RANTAI_PASOK),
    ("Bank BJB", c.PartnershipKind.PEMBIAYAAN),
]


def _sample(model: Any, rng: random.Random, n: int, fields: Sequence[str]) -> list[tuple]:
    """About `n` distinct example rows of `model` as value tuples, chosen by random ids in SQL."""
    qs = model.objects.filter(is_example=True, archived_at__isnull=True)
    bounds = qs.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None or n <= 0:
        return []
    low, high = bounds["low"], bounds["high"]
    rows: dict[int, tuple] = {}
    for _attempt in range(4):
        want = min(high - low + 1, (n - len(rows)) * 2)
        ids = {rng.randint(low, high) for _i in range(want)} - set(rows)
        for row in qs.filter(id__in=ids).values_list("id", *fields):
            rows[row[0]] = row
        if len(rows) >= n or len(rows) >= high - low + 1:
            break
    chosen = sorted(rows)
    rng.shuffle(chosen)
    return [rows[i] for i in chosen[:n]]


def _date_in(
    rng: random.Random, year: int, today: dt.date, months: tuple[int, int] = (1, 12)
) -> dt.date:
    start = dt.date(year, months[0], 1)
    end = min(dt.date(year, months[1], 28), today)
    if end < start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _unit(function: str) -> Unit:
    """The unit holding an urusan (the organisation chart decides, merged Bidang or not)."""
    from sikumi.accounts.selectors import required_unit_for_function

    return required_unit_for_function(function)


def generate(*, seed: int = 2026) -> str:
    """Create the example activities once; returns a short summary in Bahasa Indonesia."""
    if Training.objects.filter(is_example=True).exists():
        return (
            f"sudah ada ({Training.objects.filter(is_example=True).count()} pelatihan contoh); "
            "tidak ada yang diubah"
        )
    from sikumi.cooperatives.models import Cooperative, CooperativeOfficial
    from sikumi.enterprises.models import Enterprise

    rng = random.Random(seed)
    today = timezone.localdate()
    years = [y for y in YEARS if dt.date(y, 1, 1) <= today]
    pemberdayaan = _unit(UnitFunction.PEMBERDAYAAN)
    kelembagaan = _unit(UnitFunction.KELEMBAGAAN)
    balatkop = Unit.objects.filter(code="uptd-balatkop").first() or kelembagaan

    enterprises = _sample(Enterprise, rng, 1500, ["owner_id"])
    cooperatives = [row[0] for row in _sample(Cooperative, rng, 200, [])]
    officials = _sample(CooperativeOfficial, rng, 800, ["cooperative_id"])
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts.update(
            _trainings(
                rng,
                years,
                today,
                enterprises,
                cooperatives,
                officials,
                pemberdayaan,
                kelembagaan,
                balatkop,
            )
        )
        counts.update(_products(rng, years, today, enterprises[:600], pemberdayaan))
        counts.update(_events(rng, years, today, enterprises, cooperatives, pemberdayaan))
        counts.update(
            _financing(rng, years, today, enterprises, cooperatives, pemberdayaan, kelembagaan)
        )
        _record(counts)
    return ", ".join(f"{n:,} {label}".replace(",", ".") for label, n in counts.items())


def _trainings(
    rng, years, today, enterprises, cooperatives, officials, pemberdayaan, kelembagaan, balatkop
) -> dict[str, int]:
    trainings: list[Training] = []
    plans: list[str] = []
    for year in years:
        for i in range(10):
            topic, kind = MICRO_TOPICS[(i + year) % len(MICRO_TOPICS)]
            start = _date_in(rng, year, today, (2, 11))
            trainings.append(
                Training(
                    topic=f"{topic} angkatan {i // len(MICRO_TOPICS) + 1}{SUFFIX}",
                    kind=kind,
                    organiser=DINAS,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=rng.choice([0, 1, 2])),
                    place=rng.choice(PLACES),
                    target_group=c.TargetGroup.USAHA_MIKRO,
                    year=year,
                    owner_unit=pemberdayaan,
                    is_example=True,
                )
            )
            plans.append("micro")
        for i in range(6):
            topic, kind, group = COOP_TOPICS[(i + year) % len(COOP_TOPICS)]
            start = _date_in(rng, year, today, (2, 11))
            at_balatkop = rng.random() < 0.7
            trainings.append(
                Training(
                    topic=f"{topic}{SUFFIX}",
                    kind=kind,
                    organiser="UPTD Balatkop" if at_balatkop else DINAS,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=rng.choice([1, 2, 3])),
                    place=BALATKOP if at_balatkop else rng.choice(PLACES),
                    target_group=group,
                    year=year,
                    owner_unit=balatkop if at_balatkop else kelembagaan,
                    is_example=True,
                )
            )
            plans.append(group)
    trainings = Training.objects.bulk_create(trainings)
    participants: list[TrainingParticipant] = []
    for training, plan in zip(trainings, plans, strict=True):
        finished = training.ends_on < today
        if plan == "micro" and enterprises:
            owners: set[int] = set()
            for ent_id, owner_id in rng.sample(
                enterprises, min(len(enterprises), rng.randint(20, 40))
            ):
                if owner_id in owners:  # one person owning two sampled businesses comes once
                    continue
                owners.add(owner_id)
                present = rng.random() < 0.9
                participants.append(
                    TrainingParticipant(
                        training=training,
                        person_id=owner_id,
                        enterprise_id=ent_id,
                        attendance=c.Attendance.HADIR if present else c.Attendance.TIDAK_HADIR,
                        outcome=(
                            rng.choice([c.Outcome.LULUS, c.Outcome.LULUS, c.Outcome.TERKURASI])
                            if present and finished
                            else c.Outcome.BELUM
                        ),
                        is_example=True,
                    )
                )
        elif plan == c.TargetGroup.PENGURUS and officials:
            certifying = training.kind in (c.TrainingKind.SERTIFIKASI, c.TrainingKind.DIKLAT)
            for n, (off_id, coop_id) in enumerate(
                rng.sample(officials, min(len(officials), rng.randint(20, 30))), start=1
            ):
                present = rng.random() < 0.92
                certified = present and finished and certifying and rng.random() < 0.75
                participants.append(
                    TrainingParticipant(
                        training=training,
                        official_id=off_id,
                        cooperative_id=coop_id,
                        attendance=c.Attendance.HADIR if present else c.Attendance.TIDAK_HADIR,
                        outcome=c.Outcome.BERSERTIFIKAT
                        if certified
                        else (c.Outcome.LULUS if present and finished else c.Outcome.BELUM),
                        certificate_number=f"KOP/{training.year}/{training.pk:04d}/{n:03d}"
                        if certified
                        else "",
                        is_example=True,
                    )
                )
        elif cooperatives:
            for coop_id in rng.sample(cooperatives, min(len(cooperatives), rng.randint(15, 30))):
                present = rng.random() < 0.9
                participants.append(
                    TrainingParticipant(
                        training=training,
                        cooperative_id=coop_id,
                        attendance=c.Attendance.HADIR if present else c.Attendance.TIDAK_HADIR,
                        outcome=c.Outcome.LULUS if present and finished else c.Outcome.BELUM,
                        is_example=True,
                    )
                )
    TrainingParticipant.objects.bulk_create(participants, batch_size=2000)
    return {"pelatihan": len(trainings), "peserta pelatihan": len(participants)}


def _products(rng, years, today, enterprises, unit) -> dict[str, int]:
    products = Product.objects.bulk_create(
        [
            Product(
                enterprise_id=ent_id,
                name=f"{name}{SUFFIX}",
                name_key=name_key(f"{name}{SUFFIX}"),  # bulk_create skips save()
                category=category,
                owner_unit=unit,
                is_example=True,
            )
            for (ent_id, _owner), (name, category) in (
                (e, rng.choice(PRODUCTS)) for e in enterprises
            )
        ],
        batch_size=2000,
    )
    kinds = [k for k, _w in KIND_WEIGHTS]
    weights = [w for _k, w in KIND_WEIGHTS]
    applications: list[LegalityApplication] = []
    curations: list[Curation] = []
    for n, product in enumerate(products):
        for kind in set(rng.choices(kinds, weights, k=rng.choice([1, 1, 2]))):
            year = rng.choice(years)
            applied = _date_in(rng, year, today)
            status = rng.choices(
                [
                    c.LegalityStatus.TERBIT,
                    c.LegalityStatus.DIPROSES,
                    c.LegalityStatus.DIAJUKAN,
                    c.LegalityStatus.DITOLAK,
                ],
                [75, 10, 8, 7],
            )[0]
            issued = applied + dt.timedelta(days=rng.randint(14, 90))
            if status == c.LegalityStatus.TERBIT and issued > today:
                status = c.LegalityStatus.DIPROSES
            validity = VALIDITY[kind]
            expires = None
            if status == c.LegalityStatus.TERBIT and validity:
                expires = issued.replace(year=issued.year + validity, day=min(issued.day, 28))
            # A few certificates of old programmes run out within the next 90 days (and some
            # already have): the expiring-certificates page has something to show.
            if status == c.LegalityStatus.TERBIT and n % 25 == 0 and kind != c.LegalityKind.HALAL:
                expires = today + dt.timedelta(days=rng.randint(-60, 85))
                issued = min(issued, expires - dt.timedelta(days=365))
                applied = min(applied, issued)
            terbit = status == c.LegalityStatus.TERBIT
            applications.append(
                LegalityApplication(
                    product=product,
                    kind=kind,
                    status=status,
                    applied_on=applied,
                    certificate_number=f"{kind.upper()}-{applied.year}-{product.pk:06d}"
                    if terbit
                    else "",
                    issued_on=issued if terbit else None,
                    expires_on=expires if terbit else None,
                    facilitated=rng.random() < 0.85,
                    year=applied.year,
                    owner_unit=unit,
                    is_example=True,
                )
            )
        if rng.random() < 0.35:
            curations.append(
                Curation(
                    enterprise_id=product.enterprise_id,
                    product=product,
                    date=_date_in(rng, rng.choice(years), today),
                    curator=rng.choice(CURATORS),
                    result=c.CurationResult.LOLOS
                    if rng.random() < 0.7
                    else c.CurationResult.TIDAK_LOLOS,
                    notes="",
                    owner_unit=unit,
                    is_example=True,
                )
            )
    LegalityApplication.objects.bulk_create(applications, batch_size=2000)
    Curation.objects.bulk_create(curations, batch_size=2000)
    return {
        "produk": len(products),
        "pengajuan legalitas": len(applications),
        "kurasi": len(curations),
    }


def _events(rng, years, today, enterprises, cooperatives, unit) -> dict[str, int]:
    events: list[PromotionEvent] = []
    for year in years:
        for kind, name, place in EVENTS:
            start = _date_in(rng, year, today, (3, 12))
            if kind == c.EventKind.PEKAN_KOPERASI:  # Hari Koperasi, 12 July
                start = min(dt.date(year, 7, 10), today)
            events.append(
                PromotionEvent(
                    kind=kind,
                    name=f"{name} {year}{SUFFIX}",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=rng.choice([1, 2, 4])),
                    place=place,
                    organiser=DINAS,
                    owner_unit=unit,
                    is_example=True,
                )
            )
    events = PromotionEvent.objects.bulk_create(events)
    rows: list[EventParticipant] = []
    for event in events:
        for ent_id, _owner in rng.sample(enterprises, min(len(enterprises), rng.randint(25, 60))):
            rows.append(
                EventParticipant(
                    event=event,
                    enterprise_id=ent_id,
                    sales=Decimal(rng.randrange(300_000, 25_000_000, 50_000)),
                    is_example=True,
                )
            )
        if event.kind == c.EventKind.PEKAN_KOPERASI:
            for coop_id in rng.sample(cooperatives, min(len(cooperatives), 15)):
                rows.append(
                    EventParticipant(
                        event=event,
                        cooperative_id=coop_id,
                        sales=Decimal(rng.randrange(1_000_000, 40_000_000, 100_000)),
                        is_example=True,
                    )
                )
    EventParticipant.objects.bulk_create(rows, batch_size=2000)
    return {"kegiatan promosi": len(events), "peserta promosi": len(rows)}


def _financing(
    rng, years, today, enterprises, cooperatives, pemberdayaan, kelembagaan
) -> dict[str, int]:
    financing: list[FinancingFacilitation] = []
    partnerships: list[Partnership] = []
    for year in years:
        for ent_id, _owner in rng.sample(enterprises, min(len(enterprises), 40)):
            lender, scheme = rng.choice(LENDERS[:5])
            amount = {c.FinancingScheme.KUR_SUPER_MIKRO: (5, 10)}.get(scheme, (10, 100))
            financing.append(
                FinancingFacilitation(
                    enterprise_id=ent_id,
                    lender=lender,
                    scheme=scheme,
                    amount=Decimal(rng.randint(*amount) * 1_000_000),
                    date=_date_in(rng, year, today),
                    status=rng.choices(list(c.FinancingStatus.values), [10, 15, 65, 10])[0],
                    owner_unit=pemberdayaan,
                    is_example=True,
                )
            )
        for coop_id in rng.sample(cooperatives, min(len(cooperatives), 5)):
            financing.append(
                FinancingFacilitation(
                    cooperative_id=coop_id,
                    lender="LPDB-KUMKM",
                    scheme=c.FinancingScheme.LPDB,
                    amount=Decimal(rng.randint(2, 20) * 100_000_000),
                    date=_date_in(rng, year, today),
                    status=rng.choice([c.FinancingStatus.DISETUJUI, c.FinancingStatus.DICAIRKAN]),
                    owner_unit=kelembagaan,
                    is_example=True,
                )
            )
        for ent_id, _owner in rng.sample(enterprises, min(len(enterprises), 10)):
            partner, kind = rng.choice(PARTNERS)
            partnerships.append(
                Partnership(
                    enterprise_id=ent_id,
                    partner=partner,
                    kind=kind,
                    started_on=_date_in(rng, year, today),
                    description=f"Kemitraan {kind.label.lower()} difasilitasi Dinas{SUFFIX}",
                    owner_unit=pemberdayaan,
                    is_example=True,
                )
            )
    FinancingFacilitation.objects.bulk_create(financing, batch_size=2000)
    Partnership.objects.bulk_create(partnerships, batch_size=2000)
    return {"fasilitasi pembiayaan": len(financing), "kemitraan": len(partnerships)}


def _record(counts: dict[str, int]) -> None:
    from sikumi.audit.choices import Action
    from sikumi.audit.services import record

    record(
        actor=None,
        action=Action.CREATE,
        model=Training,
        object_repr="Data contoh pelatihan dan kegiatan",
        note="; ".join(f"{label}: {n}" for label, n in counts.items()),
    )
