"""XLSX exports of the filtered lists (streamed, constant memory); personal data only for roles
allowed to see it, and such an export is recorded."""

from __future__ import annotations

from typing import Any

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core.exports import DATE, NUMBER, RUPIAH, TEXT, Column, xlsx_response
from sikumi.enterprises.models import Enterprise
from sikumi.rules.identifiers import mask_nik, mask_phone


def enterprise_columns(full: bool) -> list[Column]:
    nik = (lambda e: e.owner.nik or "") if full else (lambda e: mask_nik(e.owner.nik))
    phone = (lambda e: e.owner.phone) if full else (lambda e: mask_phone(e.owner.phone))
    return [
        Column("Nama Usaha", lambda e: e.name, width=30),
        Column("Nama Pemilik", lambda e: e.owner.name, width=24),
        Column("NIK", nik, TEXT, width=20),
        Column("Jenis Kelamin", lambda e: e.owner.get_sex_display()),
        Column("No. HP", phone, TEXT),
        Column("Kelurahan", lambda e: e.kelurahan.name),
        Column("Kode Kelurahan", lambda e: e.kelurahan_id, TEXT),
        Column("Alamat", lambda e: e.address, width=30),
        Column("Sektor", lambda e: e.get_sector_display()),
        Column("KBLI", lambda e: e.kbli, TEXT),
        Column("Produk Utama", lambda e: e.main_products, width=24),
        Column("NIB", lambda e: e.nib or "", TEXT),
        Column("Tanggal Mulai Usaha", lambda e: e.start_date, DATE),
        Column("Modal Usaha", lambda e: e.capital, RUPIAH),
        Column("Jumlah Tenaga Kerja", lambda e: e.employees, NUMBER),
        Column("Skala", lambda e: e.get_scale_display()),
        Column("Wirausaha Baru", lambda e: "Ya" if e.is_new_entrepreneur else "Tidak"),
        Column("Tahun Program", lambda e: e.programme_year),
        Column("Wirausaha Perempuan", lambda e: "Ya" if e.is_woman_owned else "Tidak"),
        Column("Data Contoh", lambda e: "Ya" if e.is_example else "Tidak"),
    ]


def enterprise_export(*, user: Any, queryset: Any) -> Any:
    # Records of the registry belong to one Bidang; personal data goes out in full only to
    # roles that may see it for that Bidang's records (checked on the registry's owner).
    full = access.can_view_personal_data(user, _registry_owner())
    rows = queryset.select_related("owner", "kelurahan").order_by("-id").iterator(chunk_size=2000)
    if full:
        record_personal_data_access(
            actor=user,
            action=Action.EXPORT_PERSONAL,
            what="Ekspor usaha mikro dengan NIK dan nomor HP pemilik",
            model=Enterprise,
        )
    return xlsx_response(
        "usaha-mikro.xlsx",
        enterprise_columns(full),
        rows,
        title="Daftar usaha mikro",
        note="Kolom Data Contoh = Ya menandai data contoh, bukan data nyata.",
    )


def _registry_owner() -> Any:
    from sikumi.enterprises.services import default_owner_unit

    return Enterprise(owner_unit=default_owner_unit())
