"""Import of the Dinas' existing cooperative list from Excel, on the generic pipeline
(`sikumi.imports`: header recognition, preview, confirm, revert).

Each valid row creates a Cooperative and, when "Tahun RAT Terakhir" is given, a RatReport for that
year (with the member counts), so the activity status is derived as for any other record.
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


@register
class CooperativeImporter(Importer):
    kind = "cooperatives"
    label = "Koperasi"
    model = Cooperative
    columns = [
        Column("name", "Nama Koperasi", ("nama", "nama kop", "nama lembaga"), required=True),
        Column("nik_koperasi", "NIK Koperasi", ("nomor induk koperasi", "nik kop", "nik")),
        Column(
            "legal_entity_number",
            "No. Badan Hukum",
            ("nomor badan hukum", "no bh", "nomor bh", "badan hukum", "no ahu", "nomor ahu"),
        ),
        Column(
            "legal_entity_date",
            "Tanggal Badan Hukum",
            ("tgl badan hukum", "tanggal bh", "tgl bh", "tanggal ahu"),
        ),
        Column("address", "Alamat", ("alamat koperasi", "alamat lengkap", "alamat kantor")),
        Column("kelurahan", "Kelurahan", ("kel", "desa", "kelurahan desa", "desa kelurahan")),
        Column("kecamatan", "Kecamatan", ("kec",)),
        Column("jenis", "Jenis Koperasi", ("jenis", "jenis kop", "bentuk koperasi"), required=True),
        Column("pola", "Pola", ("pola koperasi", "pola usaha")),
        Column("usp", "USP", ("unit simpan pinjam", "memiliki usp", "ada usp")),
        Column("members", "Jumlah Anggota", ("anggota", "jml anggota", "total anggota")),
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
        ),
        Column(
            "last_rat_year",
            "Tahun RAT Terakhir",
            ("rat terakhir", "tahun rat", "thn rat terakhir", "tahun rat terakhir"),
        ),
        Column("phone", "Telepon", ("no telp", "telp", "no hp", "nomor telepon", "telepon hp")),
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

    def _int(self, field: str, values: dict[str, Any], row: RowContext) -> int | None:
        try:
            number = parse_int(values.get(field))
        except ParseError as exc:
            row.error(field, str(exc))
            return None
        if number is not None and number < 0:
            row.error(field, f"Tidak boleh negatif ({number})")
            return None
        return number

    def validate(self, values: dict[str, Any], row: RowContext) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        name = " ".join(str(values.get("name") or "").split())
        if not name:
            row.error("name", "Nama koperasi wajib diisi")
        elif len(name) > 255:
            row.error("name", "Nama koperasi terlalu panjang (maksimal 255 karakter)")
        data["name"] = name
        try:
            nik = parse_text_id(values.get("nik_koperasi")) or ""
        except ParseError as exc:
            row.error("nik_koperasi", str(exc))
            nik = ""
        if nik:
            problems = validate_nik_koperasi(nik, length=None)
            if problems:
                row.error("nik_koperasi", problems[0])
            elif len(nik) > 20:
                row.error("nik_koperasi", f"NIK Koperasi terlalu panjang ({len(nik)} digit)")
        data["nik_koperasi"] = nik
        data["legal_entity_number"] = " ".join(
            str(values.get("legal_entity_number") or "").split()
        )[:100]
        try:
            data["legal_entity_date"] = parse_date(values.get("legal_entity_date"))
        except ParseError as exc:
            row.error("legal_entity_date", str(exc))
        data["address"] = str(values.get("address") or "").strip()
        data["kelurahan_id"] = self._kelurahan(values, row)

        jenis_raw = values.get("jenis")
        jenis, syariah = parse_jenis(jenis_raw)
        if jenis_raw and jenis is None:
            row.error(
                "jenis",
                f"Jenis koperasi '{jenis_raw}' tidak dikenal (simpan pinjam, konsumen, "
                "produsen, pemasaran atau jasa)",
            )
        elif not jenis_raw:
            row.error("jenis", "Jenis koperasi wajib diisi")
        data["jenis"] = jenis
        pola_raw = str(values.get("pola") or "").lower()
        data["pola"] = Pola.SYARIAH if syariah or "syariah" in pola_raw else Pola.KONVENSIONAL
        try:
            usp = parse_yes_no(values.get("usp"))
        except ParseError as exc:
            row.error("usp", str(exc))
            usp = None
        data["has_usp"] = bool(usp) and jenis != Jenis.SIMPAN_PINJAM

        members = self._int("members", values, row)
        men = self._int("members_men", values, row)
        women = self._int("members_women", values, row)
        if men is not None or women is not None:
            split_total = (men or 0) + (women or 0)
            if members is not None and members != split_total:
                row.error(
                    "members",
                    f"Jumlah anggota ({members}) tidak sama dengan laki-laki + perempuan "
                    f"({split_total})",
                )
            data.update(members_men=men, members_women=women, members_other=None)
        else:
            data.update(members_men=None, members_women=None, members_other=members)
        year = self._int("last_rat_year", values, row)
        if year is not None and not (1945 <= year <= self.this_year):
            row.error("last_rat_year", f"Tahun RAT {year} tidak masuk akal")
        data["last_rat_year"] = year
        data["phone"] = str(values.get("phone") or "").strip()[:30]
        return data

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
                year=data["last_rat_year"],
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
