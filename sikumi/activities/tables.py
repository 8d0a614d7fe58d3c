"""Columns of each list, used by the page (generic table template), the detail page and the
streamed XLSX export, so the three always agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from sikumi.core import exports

TEXT, DATE, MONEY, NUMBER, BOOL = "text", "date", "money", "number", "bool"
_FORMATS = {DATE: exports.DATE, MONEY: exports.RUPIAH, NUMBER: exports.NUMBER}


@dataclass(frozen=True)
class Col:
    label: Any
    value: Callable[[Any], Any]
    kind: str = TEXT
    # Personal data (a person's finances): shown only to users who may see it.
    personal: bool = False
    in_list: bool = True

    def export_column(self, hide: Callable[[Any], bool]) -> exports.Column:
        def value(obj: Any) -> Any:
            if self.personal and hide(obj):
                return None
            raw = self.value(obj)
            if self.kind == BOOL:
                return "Ya" if raw else "Tidak"
            return raw if self.kind in _FORMATS else ("" if raw is None else str(raw))

        return exports.Column(str(self.label), value, _FORMATS.get(self.kind), width=18)


def _beneficiary(obj: Any) -> Any:
    return obj.enterprise or obj.cooperative


def _display(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, f"get_{name}_display")()


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


EXAMPLE = Col(_("Data contoh"), _attr("is_example"), BOOL, in_list=False)
OWNER = Col(_("Unit pemilik"), _attr("owner_unit"), in_list=False)

PRODUCT = [
    Col(_("Produk"), _attr("name")),
    Col(_("Kategori"), _display("category")),
    Col(_("Usaha"), _attr("enterprise")),
    Col(_("Keterangan"), _attr("description"), in_list=False),
    OWNER,
    EXAMPLE,
]

LEGALITY = [
    Col(_("Jenis"), _display("kind")),
    Col(_("Produk"), _attr("product")),
    Col(_("Usaha"), lambda o: o.product.enterprise),
    Col(_("Status"), _display("status")),
    Col(_("Tanggal pengajuan"), _attr("applied_on"), DATE, in_list=False),
    Col(_("Nomor sertifikat"), _attr("certificate_number")),
    Col(_("Tanggal terbit"), _attr("issued_on"), DATE),
    Col(_("Berlaku sampai"), _attr("expires_on"), DATE),
    Col(_("Difasilitasi Dinas"), _attr("facilitated"), BOOL, in_list=False),
    Col(_("Tahun program"), _attr("year"), in_list=False),
    Col(_("Keterangan"), _attr("notes"), in_list=False),
    OWNER,
    EXAMPLE,
]

TRAINING = [
    Col(_("Topik"), _attr("topic")),
    Col(_("Jenis"), _display("kind")),
    Col(_("Sasaran"), _display("target_group")),
    Col(_("Mulai"), _attr("starts_on"), DATE),
    Col(_("Selesai"), _attr("ends_on"), DATE, in_list=False),
    Col(_("Tempat"), _attr("place")),
    Col(_("Penyelenggara"), _attr("organiser"), in_list=False),
    Col(_("Tahun"), _attr("year"), in_list=False),
    Col(_("Keterangan"), _attr("description"), in_list=False),
    OWNER,
    EXAMPLE,
]

PARTICIPANT = [
    Col(_("Pelatihan"), _attr("training")),
    Col(_("Orang"), _attr("person")),
    Col(_("Usaha"), _attr("enterprise")),
    Col(_("Koperasi"), _attr("cooperative")),
    Col(_("Pengurus koperasi"), _attr("official")),
    Col(_("Kehadiran"), _display("attendance")),
    Col(_("Hasil"), _display("outcome")),
    Col(_("Nomor sertifikat"), _attr("certificate_number")),
    Col(_("Catatan"), _attr("notes"), in_list=False),
    EXAMPLE,
]

CURATION = [
    Col(_("Tanggal"), _attr("date"), DATE),
    Col(_("Usaha"), _attr("enterprise")),
    Col(_("Produk"), _attr("product")),
    Col(_("Kurator"), _attr("curator")),
    Col(_("Hasil"), _display("result")),
    Col(_("Catatan"), _attr("notes"), in_list=False),
    OWNER,
    EXAMPLE,
]

EVENT = [
    Col(_("Nama kegiatan"), _attr("name")),
    Col(_("Jenis"), _display("kind")),
    Col(_("Mulai"), _attr("starts_on"), DATE),
    Col(_("Selesai"), _attr("ends_on"), DATE, in_list=False),
    Col(_("Tempat"), _attr("place")),
    Col(_("Penyelenggara"), _attr("organiser"), in_list=False),
    Col(_("Peserta"), lambda o: getattr(o, "participant_count", None), NUMBER),
    Col(_("Penjualan (Rp)"), lambda o: getattr(o, "sales_total", None), MONEY),
    Col(_("Keterangan"), _attr("description"), in_list=False),
    OWNER,
    EXAMPLE,
]

EVENT_PARTICIPANT = [
    Col(_("Kegiatan"), _attr("event")),
    Col(_("Peserta"), _beneficiary),
    Col(_("Penjualan (Rp)"), _attr("sales"), MONEY),
    Col(_("Catatan"), _attr("notes")),
    EXAMPLE,
]

FINANCING = [
    Col(_("Tanggal"), _attr("date"), DATE),
    Col(_("Penerima"), _beneficiary),
    Col(_("Lembaga"), _attr("lender")),
    Col(_("Skema"), _display("scheme")),
    Col(_("Nilai (Rp)"), _attr("amount"), MONEY, personal=True),
    Col(_("Status"), _display("status")),
    Col(_("Catatan"), _attr("notes"), in_list=False),
    OWNER,
    EXAMPLE,
]

PARTNERSHIP = [
    Col(_("Mulai"), _attr("started_on"), DATE),
    Col(_("Usaha/koperasi"), _beneficiary),
    Col(_("Mitra"), _attr("partner")),
    Col(_("Jenis"), _display("kind")),
    Col(_("Uraian"), _attr("description"), in_list=False),
    OWNER,
    EXAMPLE,
]
