"""Read-only API of monitoring data; writes go through the pages (workflow and evidence)."""

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.monev.models import BudgetRealisation, IndicatorRealisation, QuarterSubmission, Renja


class RenjaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Renja
        fields = ["id", "plan", "year", "status", "revision", "is_example", "version"]


class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterSubmission
        fields = [
            "id",
            "renja",
            "owner_unit",
            "quarter",
            "status",
            "submitted_at",
            "verified_at",
            "approved_at",
            "notes",
            "is_example",
        ]


class RealisationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="submission.status", read_only=True)

    class Meta:
        model = IndicatorRealisation
        fields = [
            "id",
            "renja",
            "indicator",
            "quarter",
            "value",
            "note",
            "owner_unit",
            "status",
            "is_example",
        ]


class BudgetRealisationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="submission.status", read_only=True)

    class Meta:
        model = BudgetRealisation
        fields = [
            "id",
            "renja",
            "node",
            "quarter",
            "anggaran",
            "realisasi",
            "owner_unit",
            "status",
            "is_example",
        ]


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self) -> Any:
        model = self.serializer_class.Meta.model  # type: ignore[union-attr]
        if not access.can_view(self.request.user, model):
            return model.objects.none()
        return self.base_queryset()

    def base_queryset(self) -> Any:
        raise NotImplementedError


class RenjaViewSet(_ReadOnly):
    """Renja per year (targets and budgets copied from the Renstra)."""

    serializer_class = RenjaSerializer
    queryset = Renja.objects.all()
    filterset_fields = ["year", "status"]

    def base_queryset(self) -> Any:
        return Renja.objects.active().order_by("year")


class SubmissionViewSet(_ReadOnly):
    """Quarterly submissions per unit and their workflow status."""

    serializer_class = SubmissionSerializer
    queryset = QuarterSubmission.objects.all()
    filterset_fields = ["renja", "quarter", "status", "owner_unit"]

    def base_queryset(self) -> Any:
        return QuarterSubmission.objects.active().order_by("renja", "quarter", "id")


class RealisationViewSet(_ReadOnly):
    """Indicator realisation per quarter."""

    serializer_class = RealisationSerializer
    queryset = IndicatorRealisation.objects.all()
    filterset_fields = ["renja", "quarter", "indicator", "owner_unit"]

    def base_queryset(self) -> Any:
        return (
            IndicatorRealisation.objects.active()
            .select_related("submission")
            .order_by("renja", "indicator", "quarter")
        )


class BudgetRealisationViewSet(_ReadOnly):
    """Budget allotment and spending per quarter."""

    serializer_class = BudgetRealisationSerializer
    queryset = BudgetRealisation.objects.all()
    filterset_fields = ["renja", "quarter", "node", "owner_unit"]

    def base_queryset(self) -> Any:
        return (
            BudgetRealisation.objects.active()
            .select_related("submission")
            .order_by("renja", "node", "quarter")
        )


router = DefaultRouter()
router.register("monev/renja", RenjaViewSet, basename="monev-renja")
router.register("monev/submissions", SubmissionViewSet, basename="monev-submission")
router.register("monev/realisations", RealisationViewSet, basename="monev-realisation")
router.register("monev/budget-realisations", BudgetRealisationViewSet, basename="monev-budget")
