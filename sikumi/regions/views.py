from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_page

from sikumi.regions import selectors
from sikumi.regions.models import Level


@cache_page(3600)
def boundaries(request: HttpRequest, level: str) -> JsonResponse:
    """GeoJSON of the instance's kecamatan or kelurahan (public: boundaries are public data)."""
    code = Level.KELURAHAN if level == "kelurahan" else Level.KECAMATAN
    return JsonResponse(selectors.geojson(code))


@login_required
def kelurahan_options(request: HttpRequest) -> JsonResponse:
    rows = selectors.kelurahan_list(request.GET.get("kecamatan") or None)
    return JsonResponse(
        {"results": [{"code": r.code, "name": f"{r.name} ({r.parent})"} for r in rows]}
    )
