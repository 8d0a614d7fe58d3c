from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from sikumi.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "latitude", "longitude"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Region codes (Kemendagri); filter by level and parent."""

    serializer_class = RegionSerializer
    queryset = Region.objects.all()
    # Kemendagri codes have dots (32.76.03.1012), which the router's default pattern refuses.
    lookup_value_regex = r"[0-9.]+"
    filterset_fields = ["level", "parent"]


router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
