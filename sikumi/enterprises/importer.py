"""Import of pendataan usaha mikro files (kind "enterprises").

Each row is one business and its owner. People are deduplicated by NIK (one person owning several
businesses, in one file or in two, stays one record); businesses by NIB against the file and the
database. Each column is declared once in `COLUMNS` (header, parser, model field, mask); the
rules between columns are `EnterpriseImporter.clean` and the registry's `record_problems`, the
same the forms and the API apply. A NIK that arrives with another person's name, sex or birth
date is a conflict for a user to decide, never a silent merge.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sikumi.enterprises.bulk import iso_dates, prepare
from sikumi.enterprises.choices import Sector
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.enterprises.normalise import name_key
from sikumi.enterprises.validators import record_problems
from sikumi.imports.base import Column, Importer, RowContext, delete_in_chunks, register
from sikumi.rules.identifiers import (
    mask_nik,
    mask_phone,
    nik_sex,
    same_person,
    validate_nib,
    validate_nik,
)
from sikumi.rules.msme import scale_by_capital
from sikumi.rules.parsing import (
    ParseError,
    parse_date,
    parse_int,
    parse_number,
    parse_phone,
    parse_sex,
    parse_text_id,
    parse_yes_no,
)

MIN_YEAR = 1900
MAX_YEAR = 2100  # a year after next is refused in clean, against the run's date
_REGION_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")

# Free-text "sektor / jenis usaha" -> sector code, by keyword (first match wins).
SECTOR_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("otomotif", Sector.OTOMOTIF),
    ("bengkel", Sector.OTOMOTIF),
    ("digital", Sector.DIGITAL),
    ("kreatif", Sector.DIGITAL),
    ("foto", Sector.DIGITAL),
    ("desain", Sector.DIGITAL),
    ("kuliner", Sector.KULINER),
    ("makan", Sector.KULINER),
    ("minum", Sector.KULINER),
    ("kue", Sector.KULINER),
    ("fesyen", Sector.FESYEN),
    ("fashion", Sector.FESYEN),
    ("pakaian", Sector.FESYEN),
    ("busana", Sector.FESYEN),
    ("konveksi", Sector.FESYEN),
    ("batik", Sector.FESYEN),
    ("kriya", Sector.KRIYA),
    ("kerajinan", Sector.KRIYA),
    ("dagang", Sector.PERDAGANGAN),
    ("warung", Sector.PERDAGANGAN),
    ("toko", Sector.PERDAGANGAN),
    ("kelontong", Sector.PERDAGANGAN),
    ("retail", Sector.PERDAGANGAN),
    ("jasa", Sector.JASA),
    ("laundry", Sector.JASA),
    ("salon", Sector.JASA),
    ("tani", Sector.PERTANIAN),
    ("ternak", Sector.PERTANIAN),
    ("ikan", Sector.PERTANIAN),
    ("kebun", Sector.PERTANIAN),
    ("industri", Sector.INDUSTRI),
    ("olahan", Sector.INDUSTRI),
    ("pengolahan", Sector.INDUSTRI),
)
_SECTOR_CODES = {c.value: c.value for c in Sector} | {
    name_key(str(c.label)): c.value for c in Sector
}


def sector_from_text(text: str) -> str:
    key = name_key(text)
    code = _SECTOR_CODES.get(key)
    if code:
        return code
    for word, sector in SECTOR_KEYWORDS:
        if word in key:
            return str(sector)
    return str(Sector.LAINNYA)


def parse_nik(value: Any) -> str | None:
    nik = parse_text_id(value)
    if nik:
        problems = validate_nik(nik)
        if problems:
            raise ParseError("; ".join(problems))
    return nik


def parse_nib(value: Any) -> str | None:
    nib = parse_text_id(value)
    if nib:
        problems = validate_nib(nib)
        if problems:
            raise ParseError("; ".join(problems))
    return nib


def parse_kbli(value: Any) -> str:
    kbli = parse_text_id(value) or ""
    if kbli and not (kbli.isdigit() and 2 <= len(kbli) <= 5):
        raise ParseError(f"KBLI '{kbli}' harus 2 sampai 5 digit angka")
    return kbli


def parse_coordinate(value: Any) -> float | None:
    number = parse_number(value)
    return float(number) if number is not None else None


def parse_year(value: Any) -> int | None:
    year = parse_int(value)
    if year is not None and not MIN_YEAR < year <= MAX_YEAR:
        raise ParseError(f"Tahun {year} tidak masuk akal")
    return year


def parse_past_date(value: Any) -> dt.date | None:
    date = parse_date(value)
    if date is not None and date.year < MIN_YEAR:
        raise ParseError(f"Tanggal {date:%d-%m-%Y} tidak masuk akal")
    return date


def parse_sector(value: Any) -> str:
    return sector_from_text(str(value))


def _field(name: str) -> str:
    return f"enterprises.{name}"


# The enterprise import, one declaration per column: header and synonyms, parser, the model
# field whose constraints apply (and where the writer puts the value), the preview's mask.
COLUMNS: list[Column] = [
    Column(
        "name",
        "Nama Usaha",
        ("nama umkm", "nama toko", "nama perusahaan", "nama unit usaha", "usaha - nama"),
        required=True,
        model_field=_field("Enterprise.name"),
        example="Warung Makan Sederhana",
    ),
    Column(
        "owner_name",
        "Nama Pemilik",
        (
            "pemilik",
            "nama pelaku usaha",
            "nama lengkap",
            "nama pemilik usaha",
            "pemilik - nama",
            "pemilik - nama lengkap",
        ),
        required=True,
        model_field=_field("Person.name"),
        example="Siti Aminah",
    ),
    Column(
        "nik",
        "NIK",
        (
            "nik pemilik",
            "no ktp",
            "nomor ktp",
            "nik ktp",
            "pemilik - nik",
            "nomor induk kependudukan",
        ),
        parse=parse_nik,
        model_field=_field("Person.nik"),
        mask=mask_nik,
        example="3276014506850001",
        help="NIK pemilik, 16 digit, ditulis sebagai teks (agar digitnya tidak hilang).",
    ),
    Column(
        "sex",
        "Jenis Kelamin",
        ("jk", "l p", "gender", "pemilik - jenis kelamin", "jenis kelamin l p", "pemilik - jk"),
        parse=parse_sex,
        empty="",
        model_field=_field("Person.sex"),
        example="P",
    ),
    Column(
        "birth_date",
        "Tanggal Lahir",
        ("tgl lahir", "tanggal lahir pemilik", "pemilik - tanggal lahir"),
        parse=parse_past_date,
        model_field=_field("Person.birth_date"),
        example="05-06-1985",
    ),
    Column(
        "phone",
        "No. HP",
        (
            "no hp",
            "nomor hp",
            "no telp",
            "no telepon",
            "telepon",
            "no wa",
            "nomor whatsapp",
            "hp",
            "pemilik - no hp",
        ),
        parse=parse_phone,
        empty="",
        model_field=_field("Person.phone"),
        mask=mask_phone,
        example="081234567890",
    ),
    Column(
        "kelurahan",
        "Kelurahan",
        ("kel", "desa kelurahan", "kelurahan desa", "kode kelurahan", "lokasi - kelurahan"),
        required=True,
        model_field=_field("Enterprise.kelurahan"),
        example="Mekarjaya",
        help="Nama atau kode Kemendagri kelurahan di Kota Depok (Kedaung atau 32.76.03.1012).",
    ),
    Column(
        "kecamatan",
        "Kecamatan",
        ("kec", "lokasi - kecamatan"),
        example="Sukmajaya",
        help="Nama kecamatan; perlu bila nama kelurahan ada di lebih dari satu kecamatan.",
    ),
    Column(
        "address",
        "Alamat",
        ("alamat usaha", "alamat lengkap", "lokasi - alamat"),
        empty="",
        model_field=_field("Enterprise.address"),
        example="Jl. Merdeka No. 1",
    ),
    Column(
        "latitude",
        "Lintang",
        ("latitude", "lat", "koordinat - lintang"),
        parse=parse_coordinate,
        model_field=_field("Enterprise.latitude"),
        example="-6,4025",
    ),
    Column(
        "longitude",
        "Bujur",
        ("longitude", "lng", "long", "koordinat - bujur"),
        parse=parse_coordinate,
        model_field=_field("Enterprise.longitude"),
        example="106,8186",
    ),
    Column(
        "sector",
        "Sektor",
        ("sektor usaha", "bidang usaha", "jenis usaha", "kategori usaha"),
        parse=parse_sector,
        empty="",
        model_field=_field("Enterprise.sector"),
        example="Kuliner",
        help="Sektor atau jenis usaha; kata kunci seperti kuliner, fesyen atau jasa dikenali.",
    ),
    Column(
        "kbli",
        "KBLI",
        ("kode kbli",),
        parse=parse_kbli,
        empty="",
        model_field=_field("Enterprise.kbli"),
        example="56103",
        help="Kode KBLI, 2 sampai 5 digit.",
    ),
    Column(
        "main_products",
        "Produk Utama",
        ("produk", "jenis produk", "komoditas"),
        empty="",
        model_field=_field("Enterprise.main_products"),
        example="Nasi uduk",
    ),
    Column(
        "nib",
        "NIB",
        ("nomor induk berusaha", "no nib"),
        parse=parse_nib,
        model_field=_field("Enterprise.nib"),
        example="9120001234567",
        help="Nomor Induk Berusaha dari OSS, 13 digit, ditulis sebagai teks.",
    ),
    Column(
        "start_date",
        "Tanggal Mulai Usaha",
        ("mulai usaha", "tanggal berdiri", "tgl mulai usaha"),
        parse=parse_past_date,
        model_field=_field("Enterprise.start_date"),
        example="01-03-2019",
    ),
    Column(
        "capital",
        "Modal Usaha",
        ("modal", "modal usaha rp", "modal rp"),
        parse=parse_number,
        model_field=_field("Enterprise.capital"),
        example="15.000.000",
    ),
    Column(
        "employees",
        "Jumlah Tenaga Kerja",
        ("tenaga kerja", "jumlah karyawan", "karyawan", "jumlah pekerja"),
        parse=parse_int,
        model_field=_field("Enterprise.employees"),
        example="2",
    ),
    Column(
        "turnover",
        "Omzet per Tahun",
        (
            "omzet",
            "omset",
            "omzet tahunan",
            "omset per tahun",
            "omzet rp",
            "omzet - jumlah",
            "omzet per tahun rp",
        ),
        parse=parse_number,
        model_field=_field("EnterpriseTurnover.amount"),
        example="60.000.000",
    ),
    Column(
        "turnover_year",
        "Tahun Omzet",
        ("tahun omset", "omzet - tahun", "omset - tahun"),
        parse=parse_year,
        example="2025",
        help="Tahun omzet, 4 digit; bila kolom ini tidak ada, omzet dianggap tahun lalu.",
    ),
    Column(
        "is_new_entrepreneur",
        "Wirausaha Baru",
        ("wub", "wirausaha baru ya tidak", "start up", "startup"),
        parse=parse_yes_no,  # empty or "-": the column's empty value
        empty=False,
        model_field=_field("Enterprise.is_new_entrepreneur"),
        example="Ya",
    ),
    Column(
        "programme_year",
        "Tahun Program",
        ("tahun wub", "tahun pembinaan", "tahun program wub"),
        parse=parse_year,
        model_field=_field("Enterprise.programme_year"),
        example="2024",
    ),
    Column(
        "cohort",
        "Angkatan",
        ("kohort", "angkatan program"),
        empty="",
        model_field=_field("Enterprise.cohort"),
        example="Angkatan 1",
    ),
]


@register
class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "Usaha mikro"
    model = Enterprise
    chunk_size = 10000
    # 100.000 rows into SQLite: 5 commits instead of 10 rewrite the random-order NIK and NIB
    # index pages half as often (1.000.000 rows: 22 s of inserts instead of 31 s).
    rows_per_transaction = 50000
    columns = COLUMNS
    identity_field = "nik"
    dedup_keys = ("nib",)

    def can_import(self, user: Any) -> bool:
        """Imported records belong to the registry's Bidang: only it (and admins) import."""
        from sikumi.accounts import access
        from sikumi.enterprises.services import default_owner_unit

        return access.can_create(user, Enterprise, default_owner_unit())

    def prepare(self) -> None:
        from sikumi.regions.models import Level, Region

        prefix = settings.SIKUMI_REGION_CODE + "."
        self.today = timezone.localdate()
        self.kelurahan_codes: set[str] = set()
        self.kelurahan_by_name: dict[str, list[str]] = {}
        self.kecamatan_by_name: dict[str, str] = {}
        regions = Region.objects.filter(
            code__startswith=prefix, level__in=[Level.KECAMATAN, Level.KELURAHAN]
        ).values_list("code", "name", "level")
        for code, name, level in regions:
            if level == Level.KELURAHAN:
                self.kelurahan_codes.add(code)
                self.kelurahan_by_name.setdefault(name_key(name), []).append(code)
            else:
                self.kecamatan_by_name[name_key(name)] = code
        self._kelurahan_cache: dict[tuple[Any, Any], str | tuple[str]] = {}
        self._iso_dates = iso_dates()

    # -- cells
    def _kelurahan(self, kelurahan: Any, kecamatan: Any) -> str | tuple[str]:
        """The kelurahan code, or (message,) when it cannot be found."""
        cache_key = (kelurahan, kecamatan)
        cached = self._kelurahan_cache.get(cache_key)
        if cached is not None:
            return cached
        text = str(kelurahan).strip()
        result: str | tuple[str]
        digits = text.replace(".", "")
        if _REGION_CODE.fullmatch(text) or (digits.isdigit() and len(digits) == 10):
            code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
            result = (
                code if code in self.kelurahan_codes else (f"Kode kelurahan {text} tidak dikenal",)
            )
        else:
            codes = self.kelurahan_by_name.get(name_key(text), [])
            kec_code = self.kecamatan_by_name.get(name_key(str(kecamatan))) if kecamatan else None
            if kecamatan and kec_code is None:
                result = (f"Kecamatan '{kecamatan}' tidak dikenal",)
            elif kec_code:
                codes = [c for c in codes if c.startswith(kec_code + ".")]
                result = (
                    codes[0]
                    if codes
                    else (f"Kelurahan '{text}' tidak ada di Kecamatan {kecamatan}",)
                )
            elif len(codes) == 1:
                result = codes[0]
            elif codes:
                result = (
                    f"Kelurahan '{text}' ada di lebih dari satu kecamatan; isi kolom Kecamatan",
                )
            else:
                result = (f"Kelurahan '{text}' tidak dikenal",)
        if len(self._kelurahan_cache) < 10000:
            self._kelurahan_cache[cache_key] = result
        return result

    def clean(self, data: dict[str, Any], values: dict[str, Any], row: RowContext) -> None:
        """The rules between columns: the kelurahan (by code, or by name within the
        kecamatan), the owner's sex from the NIK when the file has none, the turnover's year,
        the scale; then the record rules that forms and the API apply too."""
        found = self._kelurahan(data["kelurahan"], values.get("kecamatan"))
        if found.__class__ is tuple:
            row.error("kelurahan", found[0])
        else:
            data["kelurahan"] = found
        nik = data["nik"]
        if nik and not data["sex"]:
            data["sex"] = nik_sex(nik) or ""
        turnover, year = data["turnover"], data["turnover_year"]
        if year is not None and year > self.today.year:
            row.error("turnover_year", f"Tahun omzet {year} belum berjalan")
        programme = data["programme_year"]
        if programme is not None and not 2000 <= programme <= self.today.year + 1:
            row.error("programme_year", f"Tahun program {programme} tidak masuk akal")
        if turnover is not None and turnover < 0:
            row.error("turnover", "Omzet tidak boleh negatif")
        if turnover is not None and year is None:
            if "turnover_year" in values:
                row.error("turnover_year", "Tahun omzet wajib diisi bila omzet diisi")
            else:
                year = self.today.year - 1  # a file without the column: last year's turnover
        data["turnovers"] = [(year, turnover)] if turnover is not None and year else []
        if (
            data["programme_year"] is not None
            and "is_new_entrepreneur" not in values
            and not data["is_new_entrepreneur"]
        ):
            data["is_new_entrepreneur"] = True  # a programme year alone names a new one
        capital = data["capital"]
        data["scale"] = (scale_by_capital(capital) or "") if capital is not None else ""
        for field_name, messages in record_problems(data, on=self.today).items():
            for message in messages:
                row.error(field_name, message)
        del data["kecamatan"], data["turnover"], data["turnover_year"]

    def pack(self, data: dict[str, Any]) -> dict[str, Any]:
        """Valid rows travel prepared (`sikumi.enterprises.bulk.prepare`): name keys and dates
        are made where the rows are validated, the writer only adds ids."""
        return prepare(data, self._iso_dates)

    # -- one person per NIK
    def identity(self, data: Any) -> tuple[str, tuple[Any, ...]] | None:
        nik = data["nik"]
        if not nik:
            return None
        birth = data["birth_date"]
        if birth is not None and not isinstance(birth, str):
            birth = birth.isoformat()
        return nik, (data["owner_name_key"], data["sex"] or "", birth or "")

    def identities_agree(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        return same_person(a, b)

    def fingerprint(self, attributes: tuple[Any, ...]) -> int:
        """(name hash, sex, birth date) in one int, so a million people fit in memory:
        32 bits of the name's hash, 2 of sex, 22 of the date as days (0: unknown)."""
        name, sex, birth = attributes
        days = dt.date.fromisoformat(birth).toordinal() if birth else 0
        return ((hash(name) & 0xFFFFFFFF) << 24) | ({"": 0, "L": 1, "P": 2}[sex] << 22) | days

    def fingerprints_agree(self, a: int, b: int) -> bool:
        def unpacked(value: int) -> tuple[int, int, int]:
            return value >> 24, (value >> 22) & 3, value & 0x3FFFFF

        return same_person(unpacked(a), unpacked(b))

    def existing_identities(self, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        from sikumi.enterprises.bulk import lookup_by

        found = {}
        for nik, key, sex, birth in lookup_by(
            Person, "nik", keys, ("nik", "name_key", "sex", "birth_date")
        ):
            if birth is not None and not isinstance(birth, str):
                birth = birth.isoformat()
            found[nik] = (key, sex or "", birth or "")
        return found

    def describe_identity(self, attributes: tuple[Any, ...]) -> str:
        name, sex, birth = attributes
        parts = [name.title()]
        if sex:
            parts.append("perempuan" if sex == "P" else "laki-laki")
        if birth:
            parts.append("lahir " + dt.date.fromisoformat(birth).strftime("%d-%m-%Y"))
        return ", ".join(parts)

    def mark_same_person(self, data: Any) -> None:
        data["update_person"] = True

    def existing_keys(self, key: str, values: list[str]) -> set[str]:
        if key != "nib":
            return set()
        from sikumi.enterprises.bulk import lookup_by

        return {row[0] for row in lookup_by(Enterprise, "nib", values, ("nib",))}

    # -- writing
    def start(self, *, commit: bool, rows_estimate: int) -> None:
        self._rows_estimate = rows_estimate if commit else 0

    def _writer(self, batch: Any) -> Any:
        from sikumi.enterprises.bulk import EnterpriseWriter

        if getattr(self, "_bulk", None) is None:
            self._bulk: Any = EnterpriseWriter(batch=batch)
            self._bulk.tune(rows_estimate=getattr(self, "_rows_estimate", 0))
        return self._bulk

    def write(self, rows: list[Any], *, batch: Any, actor: Any) -> dict[str, int]:
        counts = self._writer(batch).write(rows)
        return {
            "usaha": counts["enterprises"],
            "pelaku usaha": counts["persons"],
            "catatan omzet": counts["turnovers"],
        }

    def close(self) -> None:
        """Build the deferred indexes again and restore the connection settings, also when
        the run failed (after a successful run `finish` has done it already)."""
        bulk = getattr(self, "_bulk", None)
        if bulk is not None:
            self._bulk = None
            bulk.untune()

    def finish(self, *, batch: Any, actor: Any) -> None:
        from sikumi.enterprises.selectors import invalidate_counts

        self.close()
        invalidate_counts()

    def repair(self) -> None:
        from sikumi.enterprises.bulk import restore_indexes
        from sikumi.enterprises.selectors import invalidate_counts

        restore_indexes()
        invalidate_counts()

    def revert(self, batch: Any) -> dict[str, int]:
        from sikumi.enterprises.facts import refresh_people
        from sikumi.enterprises.selectors import invalidate_counts

        # People from elsewhere who got a business from this batch: their facts change.
        owners_elsewhere = list(
            Enterprise.objects.filter(import_batch=batch)
            .exclude(owner__import_batch=batch)
            .values_list("owner_id", flat=True)
            .distinct()
        )
        turnovers = delete_in_chunks(EnterpriseTurnover.objects.filter(import_batch=batch))
        # Turnover added by hand later to a business of this batch goes with its business.
        turnovers += delete_in_chunks(
            EnterpriseTurnover.objects.filter(enterprise__import_batch=batch)
        )
        enterprises = delete_in_chunks(Enterprise.objects.filter(import_batch=batch))
        # People the batch created, unless they own a business from elsewhere meanwhile.
        people = delete_in_chunks(
            Person.objects.filter(import_batch=batch).filter(
                ~Exists(Enterprise.objects.filter(owner=OuterRef("pk")))
            )
        )
        kept = Person.objects.filter(import_batch=batch).values_list("pk", flat=True)
        refresh_people([*owners_elsewhere, *kept])
        invalidate_counts()
        return {"catatan omzet": turnovers, "usaha": enterprises, "pelaku usaha": people}
