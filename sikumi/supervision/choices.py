from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    PENDIRIAN = "pendirian", _("Pendirian koperasi")
    PERUBAHAN_AD = "perubahan_ad", _("Perubahan anggaran dasar")
    PENGGABUNGAN = "penggabungan", _("Penggabungan/peleburan")
    PEMBUBARAN = "pembubaran", _("Pembubaran")
    IUSP = "iusp", _("Izin Usaha Simpan Pinjam (IUSP)")
    KANTOR_CABANG = "kantor_cabang", _("Pembukaan kantor cabang")
    CABANG_PEMBANTU = "cabang_pembantu", _("Pembukaan kantor cabang pembantu")
    KANTOR_KAS = "kantor_kas", _("Pembukaan kantor kas")


# Openings of an office: the prerequisites of the domain notes (section 4) apply.
OFFICE_KINDS = (ServiceKind.KANTOR_CABANG, ServiceKind.CABANG_PEMBANTU, ServiceKind.KANTOR_KAS)


class CaseStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    VERIFIKASI = "verifikasi", _("Verifikasi berkas")
    PERBAIKAN = "perbaikan", _("Perlu perbaikan")
    DIPROSES = "diproses", _("Diproses")
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")
    SELESAI = "selesai", _("Selesai")


OPEN_STATUSES = (
    CaseStatus.DIAJUKAN,
    CaseStatus.VERIFIKASI,
    CaseStatus.PERBAIKAN,
    CaseStatus.DIPROSES,
)

# Allowed moves of the workflow; a decision (disetujui / ditolak) goes through case_decide.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.DIAJUKAN: (CaseStatus.VERIFIKASI, CaseStatus.DITOLAK),
    CaseStatus.VERIFIKASI: (CaseStatus.PERBAIKAN, CaseStatus.DIPROSES, CaseStatus.DITOLAK),
    CaseStatus.PERBAIKAN: (CaseStatus.VERIFIKASI, CaseStatus.DITOLAK),
    CaseStatus.DIPROSES: (CaseStatus.DISETUJUI, CaseStatus.DITOLAK, CaseStatus.PERBAIKAN),
    CaseStatus.DISETUJUI: (CaseStatus.SELESAI,),
    CaseStatus.DITOLAK: (),
    CaseStatus.SELESAI: (),
}


class DecisionResult(models.TextChoices):
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")


class RequirementMeasure(models.TextChoices):
    """A figure on the case that a requirement compares with its minimum."""

    NONE = "", _("Tidak ada (dokumen saja)")
    FOUNDER_COUNT = "founder_count", _("Jumlah pendiri")
    BRANCH_MEMBER_COUNT = "branch_member_count", _("Jumlah anggota di wilayah kantor")
    BRANCH_CAPITAL = "branch_capital", _("Modal kerja kantor (Rp)")
    STATEMENT_YEARS = "statement_years", _("Tahun laporan keuangan tersedia")


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Triwulan I")
    Q2 = 2, _("Triwulan II")
    Q3 = 3, _("Triwulan III")
    Q4 = 4, _("Triwulan IV")


class Answer(models.TextChoices):
    YA = "ya", _("Ya")
    TIDAK = "tidak", _("Tidak")
    NA = "na", _("Tidak berlaku")


class InspectionResult(models.TextChoices):
    PATUH = "patuh", _("Patuh")
    TIDAK_PATUH = "tidak_patuh", _("Tidak patuh")


class Severity(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    DONE = "done", _("Selesai")
    OVERDUE = "overdue", _("Terlambat")  # computed, never stored


class FindingStatus(models.TextChoices):
    """A finding's follow-up status (computed from its follow-ups, never stored), in the order
    a findings list shows them: what needs action first."""

    OVERDUE = "overdue", _("Terlambat")
    OPEN = "open", _("Terbuka")
    NONE = "none", _("Belum ada tindak lanjut")
    DONE = "done", _("Selesai")


class SanctionKind(models.TextChoices):
    TEGURAN_1 = "teguran_1", _("Teguran tertulis I")
    TEGURAN_2 = "teguran_2", _("Teguran tertulis II")
    PEMBATASAN = "pembatasan_usaha", _("Pembatasan kegiatan usaha")
    PEMBEKUAN = "pembekuan_izin", _("Pembekuan izin usaha")
    PENCABUTAN = "pencabutan_izin", _("Pencabutan izin usaha")
    PEMBUBARAN = "rekomendasi_pembubaran", _("Rekomendasi pembubaran")


class Predicate(models.TextChoices):
    """Predicates of both methodologies (the methodology data holds the thresholds)."""

    SEHAT = "Sehat", _("Sehat")
    CUKUP_SEHAT = "Cukup Sehat", _("Cukup Sehat")
    DALAM_PENGAWASAN = "Dalam Pengawasan", _("Dalam Pengawasan")
    DALAM_PENGAWASAN_KHUSUS = "Dalam Pengawasan Khusus", _("Dalam Pengawasan Khusus")
