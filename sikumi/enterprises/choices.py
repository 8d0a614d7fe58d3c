from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Scale(models.TextChoices):
    MIKRO = "mikro", _("Mikro")
    KECIL = "kecil", _("Kecil")
    MENENGAH = "menengah", _("Menengah")
    BESAR = "besar", _("Besar")


class Sector(models.TextChoices):
    KULINER = "kuliner", _("Kuliner (makanan dan minuman)")
    FESYEN = "fesyen", _("Fesyen")
    KRIYA = "kriya", _("Kriya dan kerajinan")
    PERDAGANGAN = "perdagangan", _("Perdagangan eceran")
    JASA = "jasa", _("Jasa")
    PERTANIAN = "pertanian", _("Pertanian, peternakan dan perikanan")
    INDUSTRI = "industri", _("Industri pengolahan")
    OTOMOTIF = "otomotif", _("Bengkel dan otomotif")
    DIGITAL = "digital", _("Digital dan kreatif")
    LAINNYA = "lainnya", _("Lainnya")
