from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABKOTA = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    KELURAHAN = 4, _("Kelurahan/Desa")


class Region(models.Model):
    """An Indonesian administrative region by its Kemendagri code (e.g. 32.76.03.1012)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_constraint=False,
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def kecamatan_code(self) -> str:
        return self.code[:8]


class RegionBoundary(models.Model):
    """The GeoJSON boundary of one of the instance's kecamatan or kelurahan, for its maps."""

    # A table of its own: every list of businesses or cooperatives joins their kelurahan, and
    # a polygon in the region's row was read and JSON-decoded for each of them (a third of
    # the time of a list page at a million businesses).
    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField()

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return str(self.region_id)
