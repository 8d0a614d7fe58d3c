from django.db import models
from django.utils.translation import gettext_lazy as _


class Jenis(models.TextChoices):
    SIMPAN_PINJAM = "simpan_pinjam", _("Simpan Pinjam")
    KONSUMEN = "konsumen", _("Konsumen")
    PRODUSEN = "produsen", _("Produsen")
    PEMASARAN = "pemasaran", _("Pemasaran")
    JASA = "jasa", _("Jasa")


class Pola(models.TextChoices):
    KONVENSIONAL = "konvensional", _("Konvensional")
    SYARIAH = "syariah", _("Syariah")


class ActivityStatus(models.TextChoices):
    """Derived, never stored: see selectors.with_status and sikumi.rules.cooperative."""

    AKTIF = "aktif", _("Aktif")
    TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
    DIBUBARKAN = "dibubarkan", _("Dibubarkan")


class OfficialRole(models.TextChoices):
    PENGURUS = "pengurus", _("Pengurus")
    PENGAWAS = "pengawas", _("Pengawas")
    MANAJER = "manajer", _("Manajer")


class EmpowermentKind(models.TextChoices):
    MANAJEMEN = "manajemen", _("Peningkatan manajemen")
    DIGITALISASI = "digitalisasi", _("Digitalisasi")
    RESTRUKTURISASI = "restrukturisasi", _("Restrukturisasi")
    PEMBIAYAAN = "pembiayaan", _("Akses pembiayaan")
    JEJARING = "jejaring", _("Jejaring usaha")
