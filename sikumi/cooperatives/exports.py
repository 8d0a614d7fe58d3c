"""Column definitions of the XLSX exports (streamed by sikumi.core.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sikumi.cooperatives.choices import ActivityStatus, Jenis, Pola
from sikumi.core.exports import DATE, NUMBER, TEXT, Column

STATUS = dict(ActivityStatus.choices)
JENIS = dict(Jenis.choices)
POLA = dict(Pola.choices)


def cooperative_columns() -> list[Column]:
    return [
        Column(_("ID"), lambda c: c.pk, NUMBER, 8),
        Column(_("Nama koperasi"), lambda c: c.name, None, 40),
        Column(_("NIK Koperasi"), lambda c: c.nik_koperasi, TEXT, 20),
        Column(_("No. Badan Hukum"), lambda c: c.legal_entity_number, TEXT, 24),
        Column(_("Tanggal Badan Hukum"), lambda c: c.legal_entity_date, DATE, 18),
        Column(_("Jenis"), lambda c: str(JENIS.get(c.jenis, c.jenis))),
        Column(_("Pola"), lambda c: str(POLA.get(c.pola, c.pola))),
        Column(_("USP"), lambda c: _("Ya") if c.has_usp else _("Tidak"), None, 8),
        Column(_("Alamat"), lambda c: c.address, None, 40),
        Column(_("Kelurahan"), lambda c: c.kelurahan.name if c.kelurahan_id else ""),
        Column(_("Kecamatan"), lambda c: c.kecamatan.name if c.kecamatan_id else ""),
        Column(_("Kode kelurahan"), lambda c: c.kelurahan_id or "", TEXT),
        Column(_("Lintang"), lambda c: c.latitude, "0.000000", 12),
        Column(_("Bujur"), lambda c: c.longitude, "0.000000", 12),
        Column(_("Telepon"), lambda c: c.phone, TEXT),
        Column(_("Surel"), lambda c: c.email, None, 24),
        Column(_("Tahun RAT terakhir diselenggarakan"), lambda c: c.last_rat_year, "0", 12),
        Column(_("Status"), lambda c: str(STATUS.get(c.status, c.status)), None, 12),
        Column(_("Tanggal dibubarkan"), lambda c: c.dissolved_at, DATE, 16),
        Column(_("Data contoh"), lambda c: _("Ya") if c.is_example else _("Tidak"), None, 10),
    ]
