"""Read the plan (internal users) and edit targets and pagu (Perencana/Admin) over the API.

Writes go through `sikumi.plans.services` (validation, stale-edit refusal, TargetChange and
audit trail): PATCH /api/indicators/<id>/ with {"year", "value", "reason", "version"} sets a
yearly target; PATCH /api/plan-nodes/<id>/ with the same keys sets a yearly pagu. `version` is
required: the version of that year's row as read (`targets[].version` / `pagu[].version`), or 0
when the year had no value yet; a stale one is a 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import lazy
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.core.api_permissions import version_missing_message
from sikumi.core.exceptions import ConcurrentEditError
from sikumi.plans import services
from sikumi.plans.models import Indicator, IndicatorTarget, Pagu, Plan, PlanNode


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "opd_name",
            "opd_short_name",
            "region_code",
            "period_start",
            "period_end",
            "baseline_year",
            "target_years",
            "visi",
            "status",
            "is_active",
            "is_example",
            "pagu_total",
            "pagu_total_printed",
            "version",
        ]
        read_only_fields = fields


class PaguSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pagu
        fields = ["id", "year", "value", "printed", "version"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["id", "year", "value", "printed", "version"]


class PlanNodeSerializer(serializers.ModelSerializer):
    pagu = PaguSerializer(many=True, read_only=True)
    unit_code = serializers.CharField(source="unit.code", default="", read_only=True)

    class Meta:
        model = PlanNode
        fields = [
            "id",
            "plan",
            "kind",
            "parent",
            "code",
            "name",
            "order",
            "unit",
            "unit_code",
            "source_id",
            "pagu_total",
            "pagu_total_printed",
            "pagu",
            "is_example",
            "version",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "node",
            "table",
            "source_id",
            "name",
            "definition",
            "unit",
            "polarity",
            "combine",
            "is_iku",
            "is_ikk",
            "data_dasar",
            "data_dasar_printed",
            "baseline",
            "baseline_printed",
            "end_target",
            "end_target_printed",
            "targets",
            "is_example",
            "version",
        ]
        read_only_fields = fields


class YearVersionField(serializers.IntegerField):
    """The version of the year's row the client read, 0 when the year had no row: required,
    so that an edit made from an old read is refused instead of overwriting a newer value."""

    def __init__(self, **kwargs: Any) -> None:
        message = lazy(version_missing_message, str)()  # in the request's language
        codes = ("required", "null", "invalid", "min_value", "max_string_length")
        super().__init__(min_value=0, error_messages=dict.fromkeys(codes, message), **kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or data == "":
            self.fail("invalid")
        return int(super().to_internal_value(data))


class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.CharField(allow_blank=True, allow_null=True)
    reason = serializers.CharField()
    version = YearVersionField()


def _service_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"value": exc.messages})


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Renstra (rencana strategis) yang tersimpan."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.active().order_by("-period_start")


class _YearEditMixin(mixins.UpdateModelMixin):
    # The body's version is the year row's (0 when the year has no row yet), not the
    # indicator's or node's: YearValueSerializer requires it and the services check it
    # (instead of sikumi.core.api_permissions.VersionRequired, which reads the object's).
    version_of_object = False

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        access.require(access.can_edit(request.user, obj))
        data = YearValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            value = services.read_number(data.validated_data["value"], label="value")
            self.set_value(request.user, obj, value, data.validated_data)
        except ConcurrentEditError:
            raise  # a 409 (sikumi.core.api.exception_handler), not a 400 on "value"
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)  # type: ignore[attr-defined]

    def set_value(self, actor: Any, obj: Any, value: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError


class PlanNodeViewSet(_YearEditMixin, viewsets.ReadOnlyModelViewSet):
    """Unsur Renstra (visi sampai sub kegiatan) dengan pagu per tahun. PATCH: ubah pagu satu
    tahun (Perencana)."""

    serializer_class = PlanNodeSerializer
    queryset = PlanNode.objects.select_related("unit").prefetch_related("pagu").order_by("order")
    filterset_fields = ["plan", "kind", "unit", "code"]

    def set_value(self, actor: Any, obj: Any, value: Any, data: dict[str, Any]) -> None:
        services.pagu_set(
            actor=actor,
            plan=obj.plan,
            node=obj,
            year=data["year"],
            value=value,
            reason=data["reason"],
            expected_version=data["version"],
        )


class IndicatorViewSet(_YearEditMixin, viewsets.ReadOnlyModelViewSet):
    """Indikator Renstra dengan target per tahun. PATCH: ubah target satu tahun
    (Perencana)."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.prefetch_related("targets").order_by("plan", "order")
    filterset_fields = ["plan", "node", "table", "is_iku", "is_ikk"]

    def set_value(self, actor: Any, obj: Any, value: Any, data: dict[str, Any]) -> None:
        services.target_set(
            actor=actor,
            indicator=obj,
            year=data["year"],
            value=value,
            reason=data["reason"],
            expected_version=data["version"],
        )


router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-nodes", PlanNodeViewSet, basename="plan-node")
router.register("indicators", IndicatorViewSet, basename="indicator")
