"""Import of the Dinas' existing cooperative list from Excel, on the generic pipeline
(`sikumi.imports`: header recognition, preview, confirm, revert).

Each valid row creates a Cooperative and, when its last RAT is given ("Tahun RAT Terakhir": the
year it was held, and/or "Tahun Buku RAT Terakhir", "Tanggal RAT Terakhir"), a RatReport for it
(with the member counts), so the activity status is derived as for any other record.
Duplicates: NIK Koperasi, badan hukum number, or the normalised name in the same kelurahan,
against earlier rows of the file and the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from sikumi.accounts import access
from sikumi.cooperatives.choices import Jenis, Pola
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
from sikumi.imports.base import Column, Importer, RowContext, delete_in_chunks, register
from sikumi.regions.models import Level, Region
from sikumi.rules import cooperative as coop_rules
from sikumi.rules.formatting import format_date
from sikumi.rules.identifiers import validate_nik_koperasi
from sikumi.rules.parsing import (
    ParseError,
    normalise_name,
    parse_date,
    parse_int,
    parse_text_id,
    parse_yes_no,
)

NAME_KELURAHAN = "name_kelurahan"

_REGION_PREFIX = re.compile(r"^(kelurahan|kel|desa|kecamatan|kec)\b\.?\s*")


def region_key(value: Any) -> str:
    """'Kel. Curug ' -> 'curug'; 'KECAMATAN Cimanggis' -> 'cimanggis'."""
    text = " ".join(str(value or "").lower().replace(".", ". ").split())
    text = _REGION_PREFIX.sub("", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


_JENIS_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("simpan pinjam", "ksp", "kspps", "ksps", "pembiayaan syariah", "usp"), Jenis.SIMPAN_PINJAM),
    (("konsumen", "kopkon", "karyawan", "pegawai", "sekolah", "kopsis"), Jenis.KONSUMEN),
    (("produsen",), Jenis.PRODUSEN),
    (("pemasaran",), Jenis.PEMASARAN),
    (("jasa",), Jenis.JASA),
]


def parse_jenis(value: Any) -> tuple[str | None, bool]:
    """Jenis from free text, and whether it says syariah. ("KSPPS" -> simpan_pinjam, True)."""
    text = " ".join(re.sub(r"[^a-z ]", " ", str(value or "").lower()).split())
    syariah = "syariah" in text or "kspps" in text or "uspps" in text
    for words, jenis in _JENIS_WORDS:
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            return jenis, syariah
    return None, syariah


def parse_nik_koperasi(value: Any) -> str:
    nik = parse_text_id(value) or ""
    if nik:
        problems = validate_nik_koperasi(nik, length=None)
        if problems:
            raise ParseError(problems[0])
    return nik


def parse_count(value: Any) -> int | None:
    number = parse_int(value)
    if number is not None and number < 0:
        raise ParseError(f"Tidak boleh negatif ({number})")
    return number


def parse_rat_year(value: Any) -> int | None:
    year = parse_count(value)
    if year is not None and not (1945 <= year <= timezone.localdate().year):
        raise ParseError(f"Tahun RAT {year} tidak masuk akal")
    return year


def parse_jenis_cell(value: Any) -> tuple[str, bool]:
    jenis, syariah = parse_jenis(value)
    if jenis is None:
        raise ParseError(
            f"Jenis koperasi '{value}' tidak dikenal (simpan pinjam, konsumen, produsen, "
            "pemasaran atau jasa)"
        )
    return jenis, syariah


def _field(name: str) -> str:
    return f"cooperatives.Cooperative.{name}"


@register
class CooperativeImporter(Importer):
    kind = "cooperatives"
    label = "Koperasi"
    model = Cooperative
    columns = [
        Column(
            "name",
            "Nama Koperasi",
            ("nama", "nama kop", "nama lembaga"),
            required=True,
            model_field=_field("name"),
            example="Koperasi Serba Usaha Maju Bersama",
        ),
        Column(
            "nik_koperasi",
            "NIK Koperasi",
            ("nomor induk koperasi", "nik kop", "nik"),
            parse=parse_nik_koperasi,
            empty="",
            model_field=_field("nik_koperasi"),
            help="Nomor Induk Koperasi dari Kemenkop, ditulis sebagai teks.",
        ),
        Column(
            "legal_entity_number",
            "No. Badan Hukum",
            ("nomor badan hukum", "no bh", "nomor bh", "badan hukum", "no ahu", "nomor ahu"),
            empty="",
            model_field=_field("legal_entity_number"),
        ),
        Column(
            "legal_entity_date",
            "Tanggal Badan Hukum",
            ("tgl badan hukum", "tanggal bh", "tgl bh", "tanggal ahu"),
            parse=parse_date,
            model_field=_field("legal_entity_date"),
        ),
        Column(
            "address",
            "Alamat",
            ("alamat koperasi", "alamat lengkap", "alamat kantor"),
            empty="",
            model_field=_field("address"),
            help="Alamat kantor koperasi.",
        ),
        Column(
            "kelurahan",
            "Kelurahan",
            ("kel", "desa", "kelurahan desa", "desa kelurahan"),
            help="Nama kelurahan di Kota Depok.",
        ),
        Column(
            "kecamatan",
            "Kecamatan",
            ("kec",),
            help="Nama kecamatan; perlu bila nama kelurahan ada di lebih dari satu kecamatan.",
        ),
        Column(
            "jenis",
            "Jenis Koperasi",
            ("jenis", "jenis kop", "bentuk koperasi"),
            required=True,
            parse=parse_jenis_cell,
            example="Simpan Pinjam",
            help="Simpan pinjam, konsumen, produsen, pemasaran atau jasa (syariah boleh disebut).",
        ),
        Column(
            "pola",
            "Pola",
            ("pola koperasi", "pola usaha"),
            empty="",
            help="Pola koperasi, misalnya umum atau syariah.",
        ),
        Column(
            "usp",
            "USP",
            ("unit simpan pinjam", "memiliki usp", "ada usp"),
            parse=parse_yes_no,  # empty or "-": the column's empty value
            empty=False,
        ),
        Column(
            "members",
            "Jumlah Anggota",
            ("anggota", "jml anggota", "total anggota"),
            parse=parse_count,
            help="Jumlah anggota, bilangan bulat.",
        ),
        Column(
            "members_men",
            "Anggota Laki-laki",
            (
                "laki laki",
                "anggota l",
                "anggota lk",
                "anggota pria",
                "jumlah anggota l",
                "jumlah anggota lk",
                "jumlah anggota laki laki",
            ),
            parse=parse_count,
            help="Jumlah anggota laki-laki, bilangan bulat.",
        ),
        Column(
            "members_women",
            "Anggota Perempuan",
            (
                "perempuan",
                "anggota p",
                "anggota pr",
                "anggota wanita",
                "jumlah anggota p",
                "jumlah anggota pr",
                "jumlah anggota perempuan",
            ),
            parse=parse_count,
            help="Jumlah anggota perempuan, bilangan bulat.",
        ),
        Column(
            "last_rat_year",
            "Tahun RAT Terakhir",
            ("rat terakhir", "tahun rat", "thn rat terakhir", "tahun rat terakhir"),
            parse=parse_rat_year,
            help="Tahun RAT terakhir diselenggarakan (bukan tahun bukunya), 4 digit.",
        ),
        Column(
            "last_rat_book_year",
            "Tahun Buku RAT Terakhir",
            ("tahun buku", "tahun buku rat", "rat tahun buku", "thn buku rat terakhir"),
            parse=parse_rat_year,
            example="2025",
            help="Tahun buku yang disahkan RAT terakhir, 4 digit (biasanya setahun sebelum RAT).",
        ),
        Column(
            "last_rat_date",
            "Tanggal RAT Terakhir",
            ("tanggal rat", "tgl rat", "tgl rat terakhir", "tanggal pelaksanaan rat"),
            parse=parse_date,
            model_field="cooperatives.RatReport.rat_date",
            example="14-03-2026",
        ),
        Column(
            "phone",
            "Telepon",
            ("no telp", "telp", "no hp", "nomor telepon", "telepon hp"),
            empty="",
            model_field=_field("phone"),
        ),
    ]
    dedup_keys = ("nik_koperasi", "legal_entity_number", NAME_KELURAHAN)
    chunk_size = 2000

    def can_import(self, user: Any) -> bool:
        return access.can_create(user, Cooperative, default_owner_unit())

    # ------------------------------------------------------------------------------ lookups

    def prepare(self) -> None:
        prefix = settings.SIKUMI_REGION_CODE + "."
        kecamatan = Region.objects.filter(level=Level.KECAMATAN, code__startswith=prefix)
        self.kecamatan_by_name: dict[str, str] = {region_key(r.name): r.code for r in kecamatan}
        self.kecamatan_names = {r.code: r.name for r in kecamatan}
        self.kelurahan_by_pair: dict[tuple[str, str], str] = {}
        self.kelurahan_by_name: dict[str, list[str]] = defaultdict(list)
        for code, name in Region.objects.filter(
            level=Level.KELURAHAN, code__startswith=prefix
        ).values_list("code", "name"):
            key = region_key(name)
            self.kelurahan_by_pair[(code[:8], key)] = code
            self.kelurahan_by_name[key].append(code)
        self.this_year = timezone.localdate().year

    def _kelurahan(self, values: dict[str, Any], row: RowContext) -> str | None:
        kel_raw, kec_raw = values.get("kelurahan"), values.get("kecamatan")
        kecamatan_code = None
        if kec_raw:
            kecamatan_code = self.kecamatan_by_name.get(region_key(kec_raw))
            if kecamatan_code is None:
                row.error("kecamatan", f"Kecamatan '{kec_raw}' tidak dikenal")
                return None
        if not kel_raw:
            return None
        key = region_key(kel_raw)
        if kecamatan_code is not None:
            code = self.kelurahan_by_pair.get((kecamatan_code, key))
            if code is None:
                row.error(
                    "kelurahan",
                    f"Kelurahan '{kel_raw}' tidak ditemukan di Kecamatan "
                    f"{self.kecamatan_names[kecamatan_code]}",
                )
            return code
        codes = self.kelurahan_by_name.get(key, [])
        if not codes:
            row.error("kelurahan", f"Kelurahan '{kel_raw}' tidak dikenal")
            return None
        if len(codes) > 1:
            where = ", ".join(sorted(self.kecamatan_names.get(c[:8], c[:8]) for c in codes))
            row.error(
                "kelurahan",
                f"Kelurahan '{kel_raw}' ada di beberapa kecamatan ({where}); isi kolom Kecamatan",
            )
            return None
        return codes[0]

    # ---------------------------------------------------------------------------- validate

    def clean(self, data: dict[str, Any], values: dict[str, Any], row: RowContext) -> None:
        """The kelurahan within its kecamatan, jenis and pola, the USP flag and the members'
        split (the total must equal men + women when both are given)."""
        data["kelurahan_id"] = self._kelurahan(values, row)
        jenis, syariah = data.pop("jenis")
        data["jenis"] = jenis
        pola = data.pop("pola").lower()
        data["pola"] = Pola.SYARIAH if syariah or "syariah" in pola else Pola.KONVENSIONAL
        data["has_usp"] = data.pop("usp") and jenis != Jenis.SIMPAN_PINJAM
        members, men, women = data.pop("members"), data["members_men"], data["members_women"]
        if men is not None or women is not None:
            split_total = (men or 0) + (women or 0)
            if members is not None and members != split_total:
                row.error(
                    "members",
                    f"Jumlah anggota ({members}) tidak sama dengan laki-laki + perempuan "
                    f"({split_total})",
                )
            data["members_other"] = None
        else:
            data["members_other"] = members
        del data["kelurahan"], data["kecamatan"]
        self._rat_years(data, row)

    def _rat_years(self, data: dict[str, Any], row: RowContext) -> None:
        """The last RAT from "Tahun RAT Terakhir" (the year held), "Tahun Buku RAT Terakhir"
        and "Tanggal RAT Terakhir", whichever the file has: the same rule as the form and the
        API (`coop_rules.rat_problems`); the year held follows the date, the book year is the
        year before the RAT unless the file says otherwise."""
        held = data["last_rat_year"]
        book = data.pop("last_rat_book_year")
        date = data["last_rat_date"]
        if held is None and book is None and date is None:
            data["last_rat_book_year"] = None
            return
        if date is not None:
            if held is not None and held != date.year:
                row.error(
                    "last_rat_date",
                    f"Tanggal RAT {format_date(date)} tidak jatuh pada Tahun RAT Terakhir ({held})",
                )
            held = date.year
        if book is None:
            book = coop_rules.rat_book_year(held) if held is not None else None
        elif held is None:
            held = coop_rules.rat_held_year(book, date)
        elif date is None and book >= held:  # with a date, rat_problems says it
            row.error(
                "last_rat_book_year",
                f"Tahun buku {book} harus sebelum tahun RAT diselenggarakan ({held})",
            )
        for name, messages in coop_rules.rat_problems(book, date, timezone.localdate()).items():
            column = "last_rat_book_year" if name == "book_year" else "last_rat_date"
            for message in messages:
                row.error(column, message)
        data["last_rat_year"], data["last_rat_book_year"] = held, book

    # ------------------------------------------------------------------------------ dedup

    def dedup_value(self, key: str, data: dict[str, Any]) -> str | None:
        if key == NAME_KELURAHAN:
            name_key = normalise_name(data.get("name"))
            if not name_key:
                return None
            return f"{name_key}|{data.get('kelurahan_id') or ''}"
        return super().dedup_value(key, data)

    def dedup_label(self, key: str) -> str:
        if key == NAME_KELURAHAN:
            return "Nama koperasi (di kelurahan yang sama)"
        return super().dedup_label(key)

    def existing_keys(self, key: str, values: list[str]) -> set[str]:
        qs = Cooperative.objects.active()
        if key == NAME_KELURAHAN:
            names = {value.split("|", 1)[0] for value in values}
            wanted = set(values)
            found = set()
            for name_key, kelurahan in qs.filter(name_key__in=names).values_list(
                "name_key", "kelurahan_id"
            ):
                value = f"{name_key}|{kelurahan or ''}"
                if value in wanted:
                    found.add(value)
            return found
        field = {"nik_koperasi": "nik_koperasi", "legal_entity_number": "legal_entity_number"}[key]
        manager = Cooperative._base_manager if key == "nik_koperasi" else qs
        return set(manager.filter(**{f"{field}__in": values}).values_list(field, flat=True))

    # ------------------------------------------------------------------------------ write

    def write(self, rows: list[dict[str, Any]], *, batch: Any, actor: Any) -> dict[str, int]:
        owner = default_owner_unit()
        cooperatives = [
            Cooperative(
                name=data["name"],
                name_key=normalise_name(data["name"])[:255],
                nik_koperasi=data["nik_koperasi"],
                legal_entity_number=data["legal_entity_number"],
                legal_entity_date=data.get("legal_entity_date"),
                jenis=data["jenis"],
                pola=data["pola"],
                has_usp=data["has_usp"],
                address=data["address"],
                kelurahan_id=data["kelurahan_id"],
                kecamatan_id=data["kelurahan_id"][:8] if data["kelurahan_id"] else None,
                phone=data["phone"],
                owner_unit=owner,
                last_rat_year=data["last_rat_year"],
                import_batch=batch,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for data in rows
        ]
        Cooperative.objects.bulk_create(cooperatives, batch_size=2000)
        returned = connection.features.can_return_rows_from_bulk_insert
        if not returned or (cooperatives and cooperatives[0].pk is None):
            ids = {
                (c.name, c.kelurahan_id): c.pk
                for c in Cooperative.objects.filter(import_batch=batch).only(
                    "pk", "name", "kelurahan"
                )
            }
            for coop in cooperatives:
                coop.pk = ids[(coop.name, coop.kelurahan_id)]
        reports = [
            RatReport(
                cooperative_id=coop.pk,
                book_year=data["last_rat_book_year"],
                year=data["last_rat_year"],
                rat_date=data["last_rat_date"],
                members_men=data["members_men"],
                members_women=data["members_women"],
                members_other=data["members_other"],
                import_batch=batch,
            )
            for coop, data in zip(cooperatives, rows, strict=True)
            if data["last_rat_year"] is not None
        ]
        RatReport.objects.bulk_create(reports, batch_size=2000)
        return {"koperasi": len(cooperatives), "laporan RAT": len(reports)}

    def revert(self, batch: Any) -> dict[str, int]:
        """Delete the batch's cooperatives and everything recorded on them since (children
        first). Records of other apps (supervision) pointing at them block the revert."""
        coops = Cooperative._base_manager.filter(import_batch=batch).values("pk")
        counts = {
            "sertifikat": delete_in_chunks(
                CompetenceCertificate._base_manager.filter(official__cooperative__in=coops)
            ),
            "pemberdayaan": delete_in_chunks(
                EmpowermentRecord._base_manager.filter(cooperative__in=coops)
            ),
            "pengurus": delete_in_chunks(
                CooperativeOfficial._base_manager.filter(cooperative__in=coops)
            ),
            "penghargaan": delete_in_chunks(
                CooperativeAward._base_manager.filter(cooperative__in=coops)
            ),
            "pemeringkatan": delete_in_chunks(
                CooperativeRating._base_manager.filter(cooperative__in=coops)
            ),
            "laporan RAT": delete_in_chunks(RatReport._base_manager.filter(cooperative__in=coops)),
            "koperasi": delete_in_chunks(Cooperative._base_manager.filter(import_batch=batch)),
        }
        return {label: n for label, n in counts.items() if n}
