"""REST endpoints: the same filters, permissions and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.rules.identifiers import mask_phone
from sikumi.supervision import selectors, services
from sikumi.supervision.choices import Answer, CaseStatus, DecisionResult
from sikumi.supervision.filters import (
    HealthAssessmentFilter,
    InspectionFilter,
    ServiceCaseFilter,
)
from sikumi.supervision.models import HealthAssessment, Inspection, ServiceCase

VERSION_HELP = "Versi yang sedang diubah (penolakan perubahan basi)"


def _apply(instance: Any, data: dict[str, Any]) -> Any:
    for key, value in data.items():
        setattr(instance, key, value)
    return instance


# ===================================================================== layanan kelembagaan


class ServiceCaseSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    requirements = serializers.SerializerMethodField()
    status_history = serializers.SerializerMethodField(
        help_text="Riwayat status: dari, menjadi, waktu, oleh, catatan"
    )

    class Meta:
        model = ServiceCase
        fields = [
            "id",
            "number",
            "kind",
            "cooperative",
            "proposed_name",
            "applicant_name",
            "applicant_contact",
            "status",
            "requested_on",
            "decided_on",
            "service_days",
            "officer",
            "owner_unit",
            "founder_count",
            "branch_address",
            "branch_member_count",
            "branch_capital",
            "statement_years",
            "iusp_number",
            "iusp_date",
            "decision_number",
            "decision_date",
            "decision_result",
            "decision_notes",
            "notes",
            "is_example",
            "requirements",
            "status_history",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "decided_on",
            "service_days",
            "decision_number",
            "decision_date",
            "decision_result",
            "decision_notes",
            "is_example",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"owner_unit": {"required": False}}

    def to_representation(self, instance: ServiceCase) -> dict[str, Any]:
        """The applicant's phone in full only on a single case for the owning Bidang (and the
        roles that see personal data), with the view logged; masked everywhere else."""
        data = super().to_representation(instance)
        if data.get("applicant_contact") and not self.context.get("full_contact"):
            data["applicant_contact"] = mask_phone(data["applicant_contact"])
        return data

    def get_requirements(self, obj: ServiceCase) -> list[dict[str, Any]]:
        return [
            {
                "id": r.pk,
                "label": r.label,
                "mandatory": r.mandatory,
                "fulfilled": r.fulfilled,
                "file": r.file.url if r.file else None,
                "note": r.note,
            }
            for r in obj.requirements.active()
        ]

    def get_status_history(self, obj: ServiceCase) -> list[dict[str, Any]]:
        return [
            {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "changed_at": change.changed_at.isoformat(),
                "changed_by": change.changed_by.username if change.changed_by else None,
                "note": change.note,
            }
            for change in obj.status_changes.all()
        ]


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=DecisionResult.choices)
    number = serializers.CharField(max_length=100)
    date = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class ServiceCaseViewSet(viewsets.ModelViewSet):
    """Layanan kelembagaan: list, read, create, update; `transition` and `decide` move the case
    along its workflow; DELETE archives."""

    serializer_class = ServiceCaseSerializer
    filterset_class = ServiceCaseFilter
    queryset = ServiceCase.objects.all()

    def get_queryset(self) -> Any:
        return (
            selectors.case_list(user=self.request.user)
            .prefetch_related(selectors.status_history())
            .order_by("-requested_on", "-id")
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        full = access.can_view_personal_data(request.user, case)
        if full and case.applicant_contact:
            audit.record_personal_data_access(
                actor=request.user,
                action=Action.VIEW_PERSONAL,
                what=_("Kontak pemohon layanan"),
                instance=case,
            )
        context = {**self.get_serializer_context(), "full_contact": full}
        return Response(ServiceCaseSerializer(case, context=context).data)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.case_create(
            actor=self.request.user, case=ServiceCase(**data)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        serializer.instance = services.case_update(
            actor=self.request.user,
            case=_apply(serializer.instance, data),
            expected_version=expected,
        )

    def perform_destroy(self, instance: ServiceCase) -> None:
        services.case_archive(actor=self.request.user, case=instance)

    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_transition(
            actor=request.user,
            case=case,
            status=body.validated_data["status"],
            expected_version=body.validated_data.get("version"),
            note=body.validated_data["note"],
        )
        return Response(ServiceCaseSerializer(case, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def decide(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.case_decide(
            actor=request.user,
            case=case,
            result=data["result"],
            number=data["number"],
            date=data["date"],
            notes=data["notes"],
            expected_version=data.get("version"),
        )
        return Response(ServiceCaseSerializer(case, context={"request": request}).data)


# =============================================================================== supervision


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    answers = AnswerSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "cooperative",
            "planned",
            "date",
            "number",
            "inspectors",
            "inspector_names",
            "checklist",
            "result",
            "summary",
            "owner_unit",
            "is_example",
            "answers",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["result", "is_example", "created_at", "updated_at"]
        extra_kwargs = {"owner_unit": {"required": False}, "inspectors": {"required": False}}

    def to_representation(self, instance: Inspection) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["answers"] = [
            {"item": a.item_id, "answer": a.answer, "note": a.note} for a in instance.answers.all()
        ]
        return data


class InspectionViewSet(viewsets.ModelViewSet):
    """Compliance inspections with their checklist answers; the result (patuh / tidak patuh)
    is computed from the answers. Only the owning Bidang (Pengawasan) edits."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    queryset = Inspection.objects.all()

    def get_queryset(self) -> Any:
        return (
            selectors.inspection_list(user=self.request.user)
            .prefetch_related("answers", "inspectors")
            .order_by("-date", "-id")
        )

    @staticmethod
    def _split(data: dict[str, Any]) -> tuple[dict[int, tuple[str, str]], Any, Any]:
        answers = {a["item"]: (a["answer"], a.get("note", "")) for a in data.pop("answers", [])}
        inspectors = data.pop("inspectors", None)
        expected = data.pop("version", None)
        return answers, inspectors, expected

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        answers, inspectors, _expected = self._split(data)
        serializer.instance = services.inspection_create(
            actor=self.request.user,
            inspection=Inspection(**data),
            answers=answers,
            inspectors=inspectors,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        answers, inspectors, expected = self._split(data)
        serializer.instance = services.inspection_update(
            actor=self.request.user,
            inspection=_apply(serializer.instance, data),
            expected_version=expected,
            answers=answers,
            inspectors=inspectors,
        )

    def perform_destroy(self, instance: Inspection) -> None:
        services.inspection_archive(actor=self.request.user, inspection=instance)


# ==================================================================================== health


class HealthAssessmentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    method = serializers.CharField(
        write_only=True,
        required=False,
        help_text="Kode metode: 2016 atau 2021; tanpa kode, metode yang berlaku untuk tahun buku",
    )
    method_code = serializers.CharField(source="methodology.code", read_only=True)

    class Meta:
        model = HealthAssessment
        fields = [
            "id",
            "cooperative",
            "year",
            "method",
            "method_code",
            "methodology",
            "assessed_on",
            "assessor",
            "inputs",
            "result",
            "total_score",
            "predicate",
            "owner_unit",
            "notes",
            "is_example",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "methodology",
            "assessor",
            "result",
            "total_score",
            "predicate",
            "is_example",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"owner_unit": {"required": False}}


class HealthAssessmentViewSet(viewsets.ModelViewSet):
    """Health assessments of KSP/USP; the result is computed by sikumi.rules.health."""

    serializer_class = HealthAssessmentSerializer
    filterset_class = HealthAssessmentFilter
    queryset = HealthAssessment.objects.all()

    def get_queryset(self) -> Any:
        return selectors.assessment_list(user=self.request.user).order_by("-year", "-id")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        code = data.pop("method", None)
        if code:
            methodology = services.methodology_current(code, data.get("assessed_on"))
            if methodology is None:
                raise ValidationError(
                    {"method": _("Metode %(code)s tidak tersedia.") % {"code": code}}
                )
        else:
            # Without a method: the one that applies to the book year.
            methodology = services.methodology_for_year(data["year"])
            if methodology is None:
                raise ValidationError(
                    {
                        "method": _(
                            "Tidak ada metode penilaian yang berlaku untuk tahun buku %(year)s."
                        )
                        % {"year": data["year"]}
                    }
                )
        serializer.instance = services.assessment_create(
            actor=self.request.user, assessment=HealthAssessment(methodology=methodology, **data)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        data.pop("method", None)
        serializer.instance = services.assessment_update(
            actor=self.request.user,
            assessment=_apply(serializer.instance, data),
            expected_version=expected,
        )

    def perform_destroy(self, instance: HealthAssessment) -> None:
        services.assessment_archive(actor=self.request.user, assessment=instance)


class CalculateSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="Kode metode: 2016 atau 2021")
    inputs = serializers.DictField(help_text="Angka per kode isian (docs/health-score.md)")


class HealthViewSet(viewsets.ViewSet):
    """Health calculator: computes without saving."""

    serializer_class = CalculateSerializer

    @action(detail=False, methods=["post"])
    def calculate(self, request: Request) -> Response:
        access.require(access.is_internal(request.user))
        body = CalculateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        definition = services.methodology_definition(body.validated_data["method"])
        result = services.calculate(definition, body.validated_data["inputs"])
        return Response(result.as_dict(), status=status.HTTP_200_OK)


router = DefaultRouter()
router.register("service-cases", ServiceCaseViewSet, basename="service-case")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("health-assessments", HealthAssessmentViewSet, basename="health-assessment")
router.register("health", HealthViewSet, basename="health")
