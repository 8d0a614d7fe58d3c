"""Read-only API of the computed indicator values, each with how complete its data is and the
approved realisation beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.indicators import selectors, services
from sikumi.indicators.models import ComputedValue, IndicatorBinding
from sikumi.plans.selectors import active_plan


class ComputedValueSerializer(serializers.ModelSerializer):
    source_id = serializers.CharField(source="indicator.source_id", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    approved = serializers.SerializerMethodField()
    difference = serializers.SerializerMethodField()
    difference_reasons = serializers.SerializerMethodField()

    class Meta:
        model = ComputedValue
        fields = [
            "indicator",
            "source_id",
            "name",
            "unit",
            "year",
            "quarter",
            "value",
            "numerator",
            "denominator",
            "status",
            "status_label",
            "completeness",
            "completeness_share",
            "reason",
            "sources",
            "computed_at",
            "approved",
            "difference",
            "difference_reasons",
        ]

    def _beside(self, obj: ComputedValue) -> Any:
        return self.context.get("beside", {}).get(obj.indicator_id)

    def get_approved(self, obj: ComputedValue) -> str | None:
        b = self._beside(obj)
        return None if b is None or b.approved is None else str(b.approved)

    def get_difference(self, obj: ComputedValue) -> str | None:
        b = self._beside(obj)
        return None if b is None or b.difference is None else str(b.difference)

    def get_difference_reasons(self, obj: ComputedValue) -> list[str]:
        b = self._beside(obj)
        return [] if b is None else b.reasons


class ComputedValueViewSet(viewsets.GenericViewSet):
    """Computed values of every indicator for `year` (default: this year) and optional
    `quarter`: value, status (final / sementara / belum_ada_data), completeness in words, the
    approved realisation and the difference. A provisional value is never a realisation."""

    serializer_class = ComputedValueSerializer
    queryset = ComputedValue.objects.none()
    pagination_class = None

    def _period(self) -> tuple[int, int | None]:
        params = self.request.query_params
        try:
            year = int(params.get("year") or dt.date.today().year)
            quarter = int(params["quarter"]) if params.get("quarter") else None
        except ValueError:
            raise ValidationError({"year": _("Tahun dan triwulan harus berupa angka.")}) from None
        if not 2000 <= year <= 2100 or quarter not in (None, 1, 2, 3, 4):
            raise ValidationError({"year": _("Tahun atau triwulan di luar jangkauan.")})
        return year, quarter

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Tahun (bawaan: tahun ini)"),
            OpenApiParameter(
                "quarter", OpenApiTypes.INT, description="Triwulan 1-4 (kosong: setahun)"
            ),
        ],
        responses=ComputedValueSerializer(many=True),
    )
    def list(self, request: Any) -> Response:
        access.require(access.can_view(request.user, IndicatorBinding))
        plan = active_plan()
        if plan is None:
            return Response([])
        year, quarter = self._period()
        services.ensure_computed(plan=plan, year=year, quarter=quarter)
        stored = selectors.stored_values(plan=plan, year=year, quarter=quarter)
        rows = sorted(
            (
                v
                for v in ComputedValue.objects.filter(
                    pk__in=[s.pk for s in stored.values()]
                ).select_related("indicator")
            ),
            key=lambda v: (v.indicator.table, v.indicator.order),
        )
        beside = selectors.beside(plan=plan, year=year, quarter=quarter, stored=stored)
        data = ComputedValueSerializer(rows, many=True, context={"beside": beside}).data
        return Response(data)


router = DefaultRouter()
router.register("indicator-values", ComputedValueViewSet, basename="indicator-value")
