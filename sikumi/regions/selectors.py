from django.conf import settings
from django.db.models import QuerySet

from sikumi.regions.models import Level, Region, RegionBoundary


def kecamatan_list() -> QuerySet[Region]:
    """The kecamatan of the instance's kab/kota."""
    return Region.objects.filter(
        level=Level.KECAMATAN, code__startswith=settings.SIKUMI_REGION_CODE + "."
    )


def kelurahan_list(kecamatan_code: str | None = None) -> QuerySet[Region]:
    prefix = (kecamatan_code or settings.SIKUMI_REGION_CODE) + "."
    return Region.objects.filter(level=Level.KELURAHAN, code__startswith=prefix).select_related(
        "parent"
    )


def geojson(level: int) -> dict:
    """A FeatureCollection of the instance's kecamatan or kelurahan for ECharts maps."""
    regions = kecamatan_list() if level == Level.KECAMATAN else kelurahan_list()
    boundaries = (
        RegionBoundary.objects.filter(region__in=regions.values("code"))
        .select_related("region")
        .order_by("region_id")
    )
    features = [
        {
            "type": "Feature",
            "properties": {"name": b.region.name, "kode": b.region_id},
            "geometry": b.geometry,
        }
        for b in boundaries
    ]
    return {"type": "FeatureCollection", "features": features}
