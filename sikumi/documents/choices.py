from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentCategory(models.TextChoices):
    SK = "sk", _("Surat Keputusan")
    LAPORAN = "laporan", _("Laporan")
    NOTULEN = "notulen", _("Notulen")
    SURAT = "surat", _("Surat")
    BUKTI = "bukti", _("Bukti dukung")
    LAINNYA = "lainnya", _("Lainnya")
