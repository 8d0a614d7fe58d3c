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
