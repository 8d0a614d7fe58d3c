from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    MAKANAN = "makanan", _("Makanan")
    MINUMAN = "minuman", _("Minuman")
    KERAJINAN = "kerajinan", _("Kerajinan")
    FASHION = "fashion", _("Fesyen")
    KOSMETIK = "kosmetik", _("Kosmetik dan perawatan")
    JASA = "jasa", _("Jasa")
    PERTANIAN = "pertanian", _("Pertanian dan perikanan")
    LAINNYA = "lainnya", _("Lainnya")


class LegalityKind(models.TextChoices):
    HAKI = "haki", _("HAKI (merek)")
    SNI = "sni", _("SNI")
    HALAL = "halal", _("Halal")
    BPOM = "bpom", _("BPOM (izin edar)")
    PIRT = "pirt", _("PIRT")


class LegalityStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DIPROSES = "diproses", _("Diproses")
    TERBIT = "terbit", _("Terbit")
    DITOLAK = "ditolak", _("Ditolak")


class TrainingKind(models.TextChoices):
    PELATIHAN = "pelatihan", _("Pelatihan")
    BIMTEK = "bimtek", _("Bimbingan teknis")
    SERTIFIKASI = "sertifikasi", _("Sertifikasi kompetensi")
    DIKLAT = "diklat", _("Diklat perkoperasian")


class TargetGroup(models.TextChoices):
    USAHA_MIKRO = "usaha_mikro", _("Usaha mikro")
    KOPERASI = "koperasi", _("Koperasi")
    PENGURUS = "pengurus", _("Pengurus/pengelola koperasi")


class Attendance(models.TextChoices):
    HADIR = "hadir", _("Hadir")
    TIDAK_HADIR = "tidak_hadir", _("Tidak hadir")


class Outcome(models.TextChoices):
    BELUM = "belum", _("Belum")
    LULUS = "lulus", _("Lulus")
    BERSERTIFIKAT = "bersertifikat", _("Bersertifikat")
    TERKURASI = "terkurasi", _("Terkurasi")


class CurationResult(models.TextChoices):
    LOLOS = "lolos", _("Lolos")
    TIDAK_LOLOS = "tidak_lolos", _("Tidak lolos")


class EventKind(models.TextChoices):
    GELAR_AKBAR = "gelar_akbar", _("Gelar akbar")
    PAMERAN = "pameran", _("Pameran")
    PEKAN_KOPERASI = "pekan_koperasi", _("Pekan Koperasi")
    BAZAR = "bazar", _("Bazar")
    TEMU_BISNIS = "temu_bisnis", _("Temu bisnis")


class FinancingScheme(models.TextChoices):
    KUR = "kur", _("KUR")
    KUR_SUPER_MIKRO = "kur_super_mikro", _("KUR Super Mikro")
    LPDB = "lpdb", _("LPDB-KUMKM")
    KREDIT_BANK = "kredit_bank", _("Kredit bank umum")
    KOPERASI = "koperasi", _("Pinjaman koperasi")
    CSR = "csr", _("Dana CSR / kemitraan")
    LAINNYA = "lainnya", _("Lainnya")


class FinancingStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DISETUJUI = "disetujui", _("Disetujui")
    DICAIRKAN = "dicairkan", _("Dicairkan")
    DITOLAK = "ditolak", _("Ditolak")


class PartnershipKind(models.TextChoices):
    PEMASARAN = "pemasaran", _("Pemasaran")
    RANTAI_PASOK = "rantai_pasok", _("Rantai pasok / pemasok")
    PEMBIAYAAN = "pembiayaan", _("Pembiayaan")
    CSR = "csr", _("CSR / pembinaan")
    DIGITAL = "digital", _("Platform digital / e-commerce")
    LAINNYA = "lainnya", _("Lainnya")


# Statuses that count as "financing accessed" in the yearly figures.
FINANCING_GRANTED = (FinancingStatus.DISETUJUI, FinancingStatus.DICAIRKAN)
