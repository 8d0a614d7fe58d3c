"""Example micro enterprises for Kota Depok, clearly labelled as example data.

`generate(count=..., seed=...)` writes them into the database (people, businesses and their
turnover 2020-2025), fast enough for a million businesses; `write_xlsx(path, count, seed)` writes
the same kind of data as a pendataan file for the import (and its benchmark). Everything is
deterministic for a given seed. Names are invented; NIKs look like Depok NIKs (3276...) but are
example numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

DEPOK_PREFIX = "32.76."
DEFAULT_COUNT = 8570  # the data dasar of micro enterprises in the Renstra
PROGRAMME_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
TURNOVER_YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
WOMEN_SHARE = 0.2
NEW_ENTREPRENEUR_SHARE = 0.45
REPEAT_OWNER_SHARE = 0.08  # businesses whose owner already owns another one
NIB_SHARE = 0.4
EXAMPLE_LABEL = "Data contoh"

MALE_NAMES = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Iwan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Rahmat",
    "Slamet",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Ahmad",
    "Bambang",
    "Dimas",
    "Rizky",
    "Andi",
    "Asep",
    "Ujang",
    "Dadang",
    "Ucup",
    "Haris",
    "Imam",
    "Irfan",
    "Yudi",
    "Bayu",
    "Arif",
]
FEMALE_NAMES = [
    "Siti",
    "Sri",
    "Dewi",
    "Ratna",
    "Wati",
    "Yuli",
    "Rina",
    "Ani",
    "Tuti",
    "Nur",
    "Lestari",
    "Endah",
    "Fitri",
    "Indah",
    "Maya",
    "Ika",
    "Sari",
    "Wulan",
    "Euis",
    "Neneng",
    "Imas",
    "Ai",
    "Rohmah",
    "Nurul",
    "Dian",
    "Yanti",
    "Nining",
    "Eka",
    "Putri",
    "Aisyah",
]
FAMILY_NAMES = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Setiawan",
    "Pratama",
    "Kusuma",
    "Nugroho",
    "Santoso",
    "Gunawan",
    "Hakim",
    "Permana",
    "Sutisna",
    "Suherman",
    "Rahayu",
    "Maulana",
    "Firmansyah",
    "Hermawan",
    "Suryadi",
    "Kartika",
    "Lubis",
    "Siregar",
    "Hasibuan",
    "Simanjuntak",
    "Nasution",
    "Daulay",
    "Harahap",
    "Ramadhan",
    "Wibowo",
    "Purnomo",
    "Susanto",
]
STREETS = [
    "Jl. Margonda Raya",
    "Raya Sawangan",
    "Raya Bogor",
    "Nusantara Raya",
    "Tole Iskandar",
    "Raya Cinere",
    "Juanda",
    "Akses UI",
    "Raya Citayam",
    "Kartini",
    "Siliwangi",
    "Raya Muchtar",
    "Raya Kalimulya",
    "Pekapuran",
    "Raya Krukut",
]

# sector code, KBLI, product, business name stem
CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("kuliner", "10794", "Keripik singkong", "Keripik"),
    ("kuliner", "10792", "Kue basah", "Kue"),
    ("kuliner", "56103", "Nasi uduk", "Warung Nasi Uduk"),
    ("kuliner", "56303", "Es kopi susu", "Kedai Kopi"),
    ("kuliner", "10750", "Frozen food", "Dapur"),
    ("kuliner", "10773", "Sambal kemasan", "Sambal"),
    ("kuliner", "11040", "Minuman sari belimbing", "Sari Belimbing"),
    ("fesyen", "14111", "Gamis dan busana muslim", "Butik"),
    ("fesyen", "13134", "Batik cap", "Batik"),
    ("fesyen", "14131", "Kaos sablon", "Sablon"),
    ("kriya", "16299", "Kerajinan bambu", "Kriya"),
    ("kriya", "15121", "Tas anyaman", "Anyaman"),
    ("kriya", "32909", "Souvenir resin", "Souvenir"),
    ("perdagangan", "47111", "Sembako", "Toko"),
    ("perdagangan", "47211", "Sayur mayur", "Lapak Sayur"),
    ("perdagangan", "47411", "Pulsa dan aksesoris ponsel", "Konter"),
    ("jasa", "96200", "Laundry kiloan", "Laundry"),
    ("jasa", "96111", "Pangkas rambut", "Pangkas Rambut"),
    ("jasa", "14120", "Jasa jahit", "Penjahit"),
    ("pertanian", "03222", "Ikan hias", "Ikan Hias"),
    ("pertanian", "01252", "Belimbing dewa", "Kebun Belimbing"),
    ("pertanian", "01301", "Tanaman hias", "Tanaman Hias"),
    ("industri", "10391", "Tahu dan tempe", "Tahu Tempe"),
    ("otomotif", "45405", "Servis sepeda motor", "Bengkel"),
    ("digital", "74201", "Fotografi produk", "Studio"),
    ("digital", "73100", "Desain grafis dan iklan", "Kreatif"),
)
NAME_SUFFIXES = (
    "Berkah",
    "Barokah",
    "Lestari",
    "Jaya",
    "Mandiri",
    "Sejahtera",
    "Makmur",
    "Sentosa",
    "Abadi",
    "Rezeki",
    "Sahabat",
    "Bunda",
    "Mak",
    "Pak",
)

# Columns of the pendataan file, in order (the headers the importer recognises).
XLSX_HEADERS = (
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No. HP",
    "Kelurahan",
    "Kecamatan",
    "Alamat",
    "Sektor",
    "KBLI",
    "Produk Utama",
    "NIB",
    "Tanggal Mulai Usaha",
    "Modal Usaha",
    "Jumlah Tenaga Kerja",
    "Omzet per Tahun",
    "Tahun Omzet",
    "Wirausaha Baru",
    "Tahun Program",
)


@dataclass(frozen=True)
class Kelurahan:
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str
    latitude: float
    longitude: float


def depok_kelurahan() -> list[Kelurahan]:
    """Depok's 63 kelurahan from the shipped Kemendagri code list (no database needed)."""
    from sikumi.regions.services import CODES_FILE

    names: dict[str, str] = {}
    with Path(CODES_FILE).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kode"].startswith(DEPOK_PREFIX):
                names[row["kode"]] = row["nama"]
    result = []
    for code, name in sorted(names.items()):
        if code.count(".") == 3:
            kec = code[:8]
            # Rough centre of Depok plus a per-kecamatan offset: good enough for example points.
            k = int(kec[-2:])
            lat = -6.40 - 0.012 * (k % 4) + 0.01 * (int(code[-2:]) % 3)
            lng = 106.80 + 0.02 * (k % 5) - 0.01 * (int(code[-2:]) % 4)
            result.append(Kelurahan(code, name, kec, names.get(kec, kec), lat, lng))
    return result


@dataclass
class ExampleOwner:
    nik: str
    name: str
    sex: str
    birth_date: dt.date
    phone: str
    index: int


@dataclass
class ExampleBusiness:
    name: str
    owner: ExampleOwner
    new_owner: bool
    kelurahan: Kelurahan
    address: str
    latitude: float
    longitude: float
    sector: str
    kbli: str
    products: str
    nib: str | None
    start_date: dt.date
    capital: int
    employees: int
    is_new_entrepreneur: bool
    programme_year: int | None
    cohort: str
    turnovers: list[tuple[int, int]]


def businesses(count: int, seed: int = 2026, offset: int = 0) -> Iterator[ExampleBusiness]:
    """`count` example businesses, deterministic for the seed; owners repeat for ~8%.

    `offset` continues a series (more businesses after `offset` already generated): NIBs stay
    unique across the series."""
    rng = random.Random(seed + offset)
    kelurahan = depok_kelurahan()
    used_nik: set[int] = set()
    owners: list[ExampleOwner] = []
    today = dt.date(2026, 11, 27)
    for i in range(count):
        if owners and rng.random() < REPEAT_OWNER_SHARE:
            owner = owners[rng.randrange(len(owners))]
            new_owner = False
            kel = kelurahan[rng.randrange(len(kelurahan))]
        else:
            kel = kelurahan[rng.randrange(len(kelurahan))]
            female = rng.random() < WOMEN_SHARE
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            name = f"{first} {rng.choice(FAMILY_NAMES)}"
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
            while True:
                serial = rng.randrange(1, 10000)
                day = birth.day + (40 if female else 0)
                nik_int = int(
                    f"3276{kel.kecamatan_code[-2:]}{day:02d}{birth.month:02d}"
                    f"{birth.year % 100:02d}{serial:04d}"
                )
                if nik_int not in used_nik:
                    used_nik.add(nik_int)
                    break
            phone = f"08{rng.choice('1257')}{rng.randrange(10**8, 10**9)}"
            owner = ExampleOwner(str(nik_int), name, "P" if female else "L", birth, phone, i)
            # Keep only a window of owners to pick repeats from: memory stays flat at 1M rows.
            if len(owners) < 50000:
                owners.append(owner)
            else:
                owners[rng.randrange(50000)] = owner
            new_owner = True
        sector, kbli, product, stem = CATALOGUE[rng.randrange(len(CATALOGUE))]
        business_name = f"{stem} {rng.choice(NAME_SUFFIXES)} {owner.name.split()[0]}"
        new = rng.random() < NEW_ENTREPRENEUR_SHARE
        programme_year = PROGRAMME_YEARS[rng.randrange(len(PROGRAMME_YEARS))] if new else None
        if programme_year:
            start = dt.date(programme_year, 1, 1) + dt.timedelta(days=rng.randrange(300))
            start = min(start, today)
        else:
            start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(365 * 20))
        # Nobody runs a business before turning 17 (the record rules refuse it).
        adult = owner.birth_date.replace(year=owner.birth_date.year + 17, day=1)
        start = min(max(start, adult), today)
        # Capital and turnover: mostly small, a long tail up to the kecil range.
        capital = int(rng.lognormvariate(17.2, 1.1)) // 1000 * 1000  # median ~ Rp30 juta
        base = int(rng.lognormvariate(18.6, 1.2)) // 1000 * 1000  # median ~ Rp120 juta
        if rng.random() < 0.01:
            base = rng.randrange(1_500_000_000, 2_000_000_000)  # close to the mikro ceiling
        turnovers = []
        amount = base
        for year in TURNOVER_YEARS:
            if year < start.year:
                continue
            turnovers.append((year, amount))
            amount = int(amount * rng.uniform(0.9, 1.3)) // 1000 * 1000
        nib = (
            f"{1_000_000_000_000 + (seed % 89) * 10_000_000_000 + offset + i:013d}"
            if rng.random() < NIB_SHARE
            else None
        )
        lat = round(kel.latitude + rng.uniform(-0.008, 0.008), 6)
        lng = round(kel.longitude + rng.uniform(-0.008, 0.008), 6)
        yield ExampleBusiness(
            name=business_name,
            owner=owner,
            new_owner=new_owner,
            kelurahan=kel,
            address=f"{rng.choice(STREETS).removeprefix('Jl. ')} No. {rng.randrange(1, 200)}",
            latitude=lat,
            longitude=lng,
            sector=sector,
            kbli=kbli,
            products=product,
            nib=nib,
            start_date=start,
            capital=capital,
            employees=rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 8)),
            is_new_entrepreneur=new,
            programme_year=programme_year,
            cohort=f"Angkatan {programme_year}-{rng.randrange(1, 5)}" if programme_year else "",
            turnovers=turnovers,
        )


def xlsx_row(b: ExampleBusiness) -> list[Any]:
    """One business as a row of the pendataan file, in XLSX_HEADERS order."""
    omzet_year, omzet = b.turnovers[-1] if b.turnovers else (None, None)
    return [
        b.name,
        b.owner.name,
        b.owner.nik,
        "Perempuan" if b.owner.sex == "P" else "Laki-laki",
        b.owner.birth_date,
        b.owner.phone,
        b.kelurahan.name,
        b.kelurahan.kecamatan_name,
        f"Jl. {b.address}",
        b.sector,
        b.kbli,
        b.products,
        b.nib,
        b.start_date,
        b.capital,
        b.employees,
        omzet,
        omzet_year,
        "Ya" if b.is_new_entrepreneur else "Tidak",
        b.programme_year,
    ]


def write_xlsx(path: str | Path, count: int = DEFAULT_COUNT, seed: int = 2026) -> int:
    """Write `count` example businesses as a pendataan XLSX file (constant memory)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = workbook.add_worksheet("Pendataan")
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    text_cols = {2, 5, 10, 12}  # NIK, phone, KBLI, NIB: text, never numbers
    for c, header in enumerate(XLSX_HEADERS):
        ws.write_string(0, c, header)
    r = 0
    for b in businesses(count, seed):
        r += 1
        for c, value in enumerate(xlsx_row(b)):
            if value is None:
                continue
            if c in text_cols:
                ws.write_string(r, c, str(value))
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, int):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    workbook.close()
    return r


def generate(*, count: int = DEFAULT_COUNT, seed: int = 2026) -> str:
    """Insert `count` example businesses (with owners and turnover 2020-2025) into the database.

    Returns a short summary in Bahasa Indonesia. Rows are written with the bulk writer of the
    import pipeline (raw multi-row INSERTs, ids allocated in advance), in chunks of 20.000.
    """
    from sikumi.enterprises.bulk import EnterpriseWriter
    from sikumi.enterprises.models import Enterprise

    existing = Enterprise.objects.filter(is_example=True).count()
    if existing >= count:
        return f"sudah ada {existing:,} usaha contoh; tidak ada yang ditambahkan".replace(",", ".")
    writer = EnterpriseWriter(batch=None, is_example=True)
    chunk: list[ExampleBusiness] = []
    created = {"persons": 0, "enterprises": 0, "turnovers": 0}
    # As a large import does: on SQLite the secondary indexes are built after the load (faster,
    # and compact indexes that the indicators scan faster than ones grown row by row).
    writer.tune(rows_estimate=count - existing)
    try:
        for b in businesses(count - existing, seed, offset=existing):
            chunk.append(b)
            if len(chunk) >= 20000:
                _flush(writer, chunk, created)
                chunk = []
        if chunk:
            _flush(writer, chunk, created)
    finally:
        writer.untune()
    writer.finish()

    def n(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    return (
        f"{n(created['enterprises'])} usaha contoh, {n(created['persons'])} pelaku usaha, "
        f"{n(created['turnovers'])} catatan omzet dibuat"
    )


def _flush(writer: Any, chunk: list[ExampleBusiness], created: dict[str, int]) -> None:
    from sikumi.enterprises.bulk import iso_dates, prepare
    from sikumi.rules.msme import scale_by_capital

    rows = []
    for b in chunk:
        rows.append(
            {
                "nik": b.owner.nik,
                "owner_name": b.owner.name,
                "sex": b.owner.sex,
                "birth_date": b.owner.birth_date,
                "phone": b.owner.phone,
                "name": b.name,
                "kelurahan": b.kelurahan.code,
                "address": f"Jl. {b.address}",
                "latitude": b.latitude,
                "longitude": b.longitude,
                "sector": b.sector,
                "kbli": b.kbli,
                "main_products": b.products,
                "nib": b.nib,
                "start_date": b.start_date,
                "capital": Decimal(b.capital),
                "employees": b.employees,
                "scale": scale_by_capital(b.capital) or "",
                "is_new_entrepreneur": b.is_new_entrepreneur,
                "programme_year": b.programme_year,
                "cohort": b.cohort,
                "turnovers": b.turnovers,
            }
        )
    from django.db import transaction

    iso = iso_dates()
    with transaction.atomic():
        counts = writer.write([prepare(row, iso) for row in rows])
    for key, value in counts.items():
        created[key] += value
