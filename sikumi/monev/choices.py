from django.db import models
from django.utils.translation import gettext_lazy as _


class RenjaStatus(models.TextChoices):
    DRAFT = "draft", _("Rancangan")
    ADOPTED = "adopted", _("Ditetapkan")
    REVISED = "revised", _("Perubahan")


class Quarter(models.IntegerChoices):
    TW1 = 1, _("Triwulan I")
    TW2 = 2, _("Triwulan II")
    TW3 = 3, _("Triwulan III")
    TW4 = 4, _("Triwulan IV")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Konsep")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Diverifikasi")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")
    REOPENED = "reopened", _("Dibuka kembali")


#: statuses in which the unit may still change its figures
EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED, SubmissionStatus.REOPENED)


class ChangeKind(models.TextChoices):
    TARGET = "target", _("Target indikator")
    BUDGET = "budget", _("Pagu")
    STATUS = "status", _("Status")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
