from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    KEPALA = "kepala", _("Kepala Dinas")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    SUBBAGIAN = "subbagian", _("Sub Bagian")
    BIDANG = "bidang", _("Bidang")
    SEKSI = "seksi", _("Seksi")
    UPTD = "uptd", _("UPTD")
    FUNGSIONAL = "fungsional", _("Kelompok Jabatan Fungsional")


class RoleCode(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    KEPALA = "kepala", _("Kepala Dinas")
    PERENCANA = "perencana", _("Perencana")
    PIMPINAN = "pimpinan", _("Pimpinan Bidang")
    STAF = "staf", _("Staf Bidang")
    AUDITOR = "auditor", _("Auditor/Inspektorat")


class UnitFunction(models.TextChoices):
    """The urusan a unit is responsible for. Records of an urusan are owned by the active unit
    that holds it (`sikumi.accounts.selectors.unit_for_function`), however the Dinas groups
    its Bidang: one Bidang per urusan, or one Bidang holding several."""

    PERENCANAAN = "perencanaan", _("Perencanaan, evaluasi dan pelaporan")
    KELEMBAGAAN = "kelembagaan", _("Kelembagaan koperasi (registri, layanan kelembagaan)")
    SDM = "sdm", _("SDM koperasi dan usaha mikro")
    PENGAWASAN = "pengawasan", _("Pengawasan koperasi dan penilaian kesehatan")
    PEMBERDAYAAN = "pemberdayaan", _("Pemberdayaan dan pengembangan usaha mikro")
