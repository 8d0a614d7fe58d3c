"""Import of pendataan usaha mikro files (kind "enterprises").

Each row is one business and its owner. People are deduplicated by NIK (one person owning several
businesses, in one file or in two, stays one record); businesses by NIB against the file and the
database. Validation is written for speed (a million rows): fast paths for the common cell types,
then the shared parsers of `sikumi.rules.parsing` for everything else.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sikumi.enterprises.choices import Sector
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.enterprises.normalise import name_key
from sikumi.imports.base import Column, Importer, RowContext, delete_in_chunks, register
from sikumi.rules.identifiers import mask_nik, mask_phone, validate_nib, validate_nik
from sikumi.rules.parsing import ParseError, parse_date, parse_int, parse_number, parse_sex
from sikumi.rules.parsing import parse_text_id as _parse_text_id

MIN_YEAR = 1900
_PHONE = re.compile(r"\+?\d{8,15}")
_PHONE_NOISE = re.compile(r"[\s\-().]")
_REGION_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_YES = frozenset({"ya", "y", "yes", "1", "true", "benar", "v", "wub", "baru", "iya"})
_NO = frozenset({"tidak", "t", "no", "n", "0", "false", "bukan", "lama", "tdk"})
_SEX_FAST = {"Laki-laki": "L", "Perempuan": "P", "L": "L", "P": "P"}
_YES_NO_FAST = {"Ya": True, "Tidak": False, "ya": True, "tidak": False}

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


def parse_text_id(value: Any) -> str | None:
    if value.__class__ is str and value.isdigit():
        return value
    return _parse_text_id(value)


def parse_yes_no(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ParseError(f"'{value}' bukan Ya/Tidak")
    key = str(value).strip().lower()
    if key in _YES:
        return True
    if key in _NO or key in ("", "-"):
        return False
    raise ParseError(f"'{value}' bukan Ya/Tidak")


def _scales() -> list[tuple[Decimal | None, str]]:
    """(inclusive capital maximum or None, scale code), smallest first (PP 7/2021)."""
    from sikumi.rules.msme import DEFAULT_CRITERIA

    return [
        (Decimal(s["capital_max"]) if s["capital_max"] is not None else None, str(s["code"]))
        for s in DEFAULT_CRITERIA["scales"]
    ]


def _number(value: Any) -> Decimal | int | None:
    if value is None:
        return None
    cls = value.__class__
    if cls is float and value.is_integer():
        return int(value)
    if cls is int:
        return value
    return parse_number(value)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if value.__class__ is dt.date:
        return value
    return parse_date(value)


@register
class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "Usaha mikro"
    model = Enterprise
    chunk_size = 10000
    # 100.000 rows into SQLite: 5 commits instead of 10 rewrite the random-order NIK and NIB
    # index pages half as often (1.000.000 rows: 22 s of inserts instead of 31 s).
    rows_per_transaction = 50000
    columns = [
        Column(
            "name",
            "Nama Usaha",
            ("nama umkm", "nama toko", "nama perusahaan", "nama unit usaha", "usaha - nama"),
            required=True,
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
        ),
        Column(
            "sex",
            "Jenis Kelamin",
            ("jk", "l p", "gender", "pemilik - jenis kelamin", "jenis kelamin l p", "pemilik - jk"),
        ),
        Column(
            "birth_date",
            "Tanggal Lahir",
            ("tgl lahir", "tanggal lahir pemilik", "pemilik - tanggal lahir"),
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
        ),
        Column(
            "kelurahan",
            "Kelurahan",
            ("kel", "desa kelurahan", "kelurahan desa", "kode kelurahan", "lokasi - kelurahan"),
            required=True,
        ),
        Column("kecamatan", "Kecamatan", ("kec", "lokasi - kecamatan")),
        Column("address", "Alamat", ("alamat usaha", "alamat lengkap", "lokasi - alamat")),
        Column("latitude", "Lintang", ("latitude", "lat", "koordinat - lintang")),
        Column("longitude", "Bujur", ("longitude", "lng", "long", "koordinat - bujur")),
        Column(
            "sector", "Sektor", ("sektor usaha", "bidang usaha", "jenis usaha", "kategori usaha")
        ),
        Column("kbli", "KBLI", ("kode kbli",)),
        Column("main_products", "Produk Utama", ("produk", "jenis produk", "komoditas")),
        Column("nib", "NIB", ("nomor induk berusaha", "no nib")),
        Column(
            "start_date",
            "Tanggal Mulai Usaha",
            ("mulai usaha", "tanggal berdiri", "tgl mulai usaha"),
        ),
        Column("capital", "Modal Usaha", ("modal", "modal usaha rp", "modal rp")),
        Column(
            "employees",
            "Jumlah Tenaga Kerja",
            ("tenaga kerja", "jumlah karyawan", "karyawan", "jumlah pekerja"),
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
        ),
        Column("turnover_year", "Tahun Omzet", ("tahun omset", "omzet - tahun", "omset - tahun")),
        Column(
            "is_new_entrepreneur",
            "Wirausaha Baru",
            ("wub", "wirausaha baru ya tidak", "start up", "startup"),
        ),
        Column(
            "programme_year", "Tahun Program", ("tahun wub", "tahun pembinaan", "tahun program wub")
        ),
        Column("cohort", "Angkatan", ("kohort", "angkatan program")),
    ]
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
        self._sector_cache: dict[str, str] = {}
        # DDMMYY part of a NIK -> whether it is a valid birth date (at most ~73.000 entries).
        self._nik_dates: dict[str, bool] = {}
        self._scales = _scales()
        from sikumi.enterprises.bulk import iso_dates, pack

        self._pack = pack
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

    def validate(self, values: dict[str, Any], row: RowContext) -> dict[str, Any] | None:
        get = values.get
        error = row.error
        today = self.today
        data: dict[str, Any] = {}

        name = get("name")
        if name is None:
            error("name", "Nama usaha wajib diisi")
        else:
            data["name"] = str(name)[:200]
        owner = get("owner_name")
        if owner is None:
            error("owner_name", "Nama pemilik wajib diisi")
        else:
            data["owner_name"] = " ".join(str(owner).split())[:200]

        nik = None
        try:
            nik = parse_text_id(get("nik"))
        except ParseError as exc:
            error("nik", str(exc))
        nik_ok: bool | None = False
        if nik:
            if len(nik) == 16 and nik.isascii() and nik.isdigit() and "11" <= nik[:2] <= "96":
                part = nik[6:12]
                nik_ok = self._nik_dates.get(part)
                if nik_ok is None:
                    # Same rule as validate_nik, on a NIK with a valid province and this date.
                    nik_ok = self._nik_dates[part] = not validate_nik(f"320000{part}0000")
            if not nik_ok:
                problems = validate_nik(nik)
                if problems:
                    error("nik", "; ".join(problems))
                else:
                    nik_ok = True
        data["nik"] = nik

        sex = get("sex")
        if sex is not None:
            fast = _SEX_FAST.get(sex) if sex.__class__ is str else None
            if fast is None:
                try:
                    fast = parse_sex(sex)
                except ParseError as exc:
                    error("sex", str(exc))
            sex = fast
        elif nik_ok and nik:
            sex = "P" if nik[6:8] > "40" else "L"
        data["sex"] = sex or ""

        try:
            birth = _date(get("birth_date"))
            if birth is not None and (birth > today or birth.year < MIN_YEAR):
                error("birth_date", "Tanggal lahir tidak masuk akal")
            data["birth_date"] = birth
        except ParseError as exc:
            error("birth_date", str(exc))

        phone = get("phone")
        if phone is not None:
            text = str(int(phone)) if phone.__class__ is float else str(phone)
            if not text.isdecimal():
                text = _PHONE_NOISE.sub("", text)
            if text.startswith("8"):
                text = "0" + text  # Excel dropped the leading zero
            if not (8 <= len(text) <= 15 and text.isdecimal()) and not _PHONE.fullmatch(text):
                error("phone", f"Nomor HP '{phone}' tidak valid")
            data["phone"] = text[:20]

        kelurahan = get("kelurahan")
        if kelurahan is None:
            error("kelurahan", "Kelurahan wajib diisi")
        else:
            found = self._kelurahan(kelurahan, get("kecamatan"))
            if found.__class__ is tuple:
                error("kelurahan", found[0])
            else:
                data["kelurahan_id"] = found
        data["address"] = str(get("address") or "")[:300]

        for key in ("latitude", "longitude"):
            value = get(key)
            if value is None:
                data[key] = None
                continue
            try:
                number = _number(value)
                data[key] = float(number) if number is not None else None
            except ParseError as exc:
                error(key, str(exc))
        if data.get("latitude") is not None and not -90 <= data["latitude"] <= 90:
            error("latitude", "Lintang harus antara -90 dan 90")
        if data.get("longitude") is not None and not -180 <= data["longitude"] <= 180:
            error("longitude", "Bujur harus antara -180 dan 180")

        sector = get("sector")
        if sector is not None:
            text = str(sector)
            code = self._sector_cache.get(text)
            if code is None:
                code = sector_from_text(text)
                if len(self._sector_cache) < 1000:
                    self._sector_cache[text] = code
            data["sector"] = code
        kbli = get("kbli")
        if kbli is not None:
            try:
                kbli = parse_text_id(kbli)
            except ParseError as exc:
                error("kbli", str(exc))
            else:
                if kbli and not (kbli.isdigit() and 2 <= len(kbli) <= 5):
                    error("kbli", f"KBLI '{kbli}' harus 2 sampai 5 digit angka")
                data["kbli"] = kbli or ""
        data["main_products"] = str(get("main_products") or "")[:300]

        nib = None
        try:
            nib = parse_text_id(get("nib"))
        except ParseError as exc:
            error("nib", str(exc))
        if nib:
            problems = validate_nib(nib)
            if problems:
                error("nib", "; ".join(problems))
        data["nib"] = nib

        try:
            start = _date(get("start_date"))
            if start is not None and start > today:
                error("start_date", "Tanggal mulai usaha tidak boleh di masa depan")
            elif start is not None and start.year < MIN_YEAR:
                error("start_date", "Tanggal mulai usaha tidak masuk akal")
            data["start_date"] = start
        except ParseError as exc:
            error("start_date", str(exc))

        try:
            capital = _number(get("capital"))
            if capital is not None and capital < 0:
                error("capital", "Modal usaha tidak boleh negatif")
            else:
                data["capital"] = capital
                scale = ""
                if capital is not None:
                    for maximum, code in self._scales:
                        if maximum is None or capital <= maximum:
                            scale = code
                            break
                data["scale"] = scale
        except ParseError as exc:
            error("capital", str(exc))

        try:
            employees = get("employees")
            employees = (
                int(employees)
                if employees.__class__ is float and employees.is_integer()
                else parse_int(employees)
            )
            if employees is not None and employees < 0:
                error("employees", "Jumlah tenaga kerja tidak boleh negatif")
            data["employees"] = employees
        except ParseError as exc:
            error("employees", str(exc))

        turnover = year = None
        try:
            turnover = _number(get("turnover"))
            if turnover is not None and turnover < 0:
                error("turnover", "Omzet tidak boleh negatif")
        except ParseError as exc:
            error("turnover", str(exc))
        try:
            year = get("turnover_year")
            year = int(year) if year.__class__ is float and year.is_integer() else parse_int(year)
            if year is not None and not MIN_YEAR < year <= today.year:
                error("turnover_year", f"Tahun omzet {year} tidak masuk akal")
        except ParseError as exc:
            error("turnover_year", str(exc))
        if turnover is not None and year is None and "turnover_year" not in values:
            year = today.year - 1  # a file without the column reports last year's turnover
        elif turnover is not None and year is None:
            error("turnover_year", "Tahun omzet wajib diisi bila omzet diisi")
        data["turnovers"] = [(year, turnover)] if turnover is not None and year else []

        new = None
        try:
            new = get("is_new_entrepreneur")
            new = _YES_NO_FAST.get(new) if new.__class__ is str else None
            if new is None:
                new = parse_yes_no(get("is_new_entrepreneur"))
        except ParseError as exc:
            error("is_new_entrepreneur", str(exc))
        try:
            programme = get("programme_year")
            programme = (
                int(programme)
                if programme.__class__ is float and programme.is_integer()
                else parse_int(programme)
            )
            if programme is not None and not 2000 <= programme <= today.year + 1:
                error("programme_year", f"Tahun program {programme} tidak masuk akal")
            data["programme_year"] = programme
        except ParseError as exc:
            error("programme_year", str(exc))
            programme = None
        if new is None and programme is not None and "is_new_entrepreneur" not in values:
            new = True
        if new and programme is None and not row.errors:
            error("programme_year", "Tahun program wajib diisi untuk wirausaha baru")
        data["is_new_entrepreneur"] = bool(new)
        data["cohort"] = str(get("cohort") or "")[:60]
        return data

    validates_columns = True

    def validate_columns(
        self, columns: dict[str, list[Any]], count: int
    ) -> list[tuple[Any, ...] | None]:
        """The column-wise fast path of a large file (`sikumi.enterprises.columns`)."""
        from sikumi.enterprises.columns import validate_columns

        return validate_columns(self, columns, count)

    def sample(self, values: dict[str, Any]) -> dict[str, Any]:
        """Preview rows never show a full NIK or phone number."""
        shown = super().sample(values)
        for field, masker in (("nik", mask_nik), ("phone", mask_phone)):
            label = next(c.label for c in self.columns if c.field == field)
            if shown.get(label) is not None:
                shown[label] = masker(str(shown[label]))
        return shown

    def pack(self, data: dict[str, Any]) -> tuple[Any, ...]:
        """Valid rows travel packed (`sikumi.enterprises.bulk.pack`): name keys and dates are
        prepared where the rows are validated, the writer only adds ids."""
        return self._pack(data, self._iso_dates)

    def dedup_value(self, key: str, data: Any) -> str | None:
        if key == "nib" and data.__class__ is tuple:
            return data[5]
        return super().dedup_value(key, data)

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
        writer = self._writer(batch)
        if rows and rows[0].__class__ is tuple:
            counts = writer.write_packed(rows)
        else:
            counts = writer.write(rows)
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
