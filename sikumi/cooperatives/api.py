"""REST endpoints: /api/cooperatives/, /api/cooperative-officials/, /api/rat-reports/.

Same FilterSets as the pages; permissions through sikumi.accounts.access (via the default
SikumiPermission and the services); DELETE archives."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.cooperatives import selectors, services
from sikumi.cooperatives.filters import CooperativeFilter, OfficialFilter, RatReportFilter
from sikumi.cooperatives.models import Cooperative, CooperativeOfficial, RatReport
from sikumi.rules.identifiers import mask_nik, mask_phone


class CooperativeSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text="Versi yang sedang diubah")
    status = serializers.SerializerMethodField()
    kecamatan = serializers.CharField(source="kecamatan_id", read_only=True)

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "nik_koperasi",
            "legal_entity_number",
            "legal_entity_date",
            "jenis",
            "pola",
            "has_usp",
            "address",
            "kelurahan",
            "kecamatan",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "bookkeeping_digital",
            "online_services",
            "cashless_payments",
            "owner_unit",
            "last_rat_year",
            "dissolved_at",
            "status",
            "is_example",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_rat_year",
            "dissolved_at",
            "is_example",
            "created_at",
            "updated_at",
        ]

    def get_status(self, obj: Cooperative) -> str:
        annotated = getattr(obj, "status", None)
        if isinstance(annotated, str):
            return annotated
        return selectors.cooperative_status(obj).code


class CooperativeViewSet(viewsets.ModelViewSet):
    """Registry of cooperatives: list (filters as on the page), read, create, update; DELETE
    archives."""

    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter
    queryset = Cooperative.objects.all()

    def get_queryset(self) -> Any:
        return selectors.cooperative_list(user=self.request.user).order_by("name", "pk")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.cooperative_create(
            actor=self.request.user, cooperative=Cooperative(**data)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        cooperative = serializer.instance
        for key, value in data.items():
            setattr(cooperative, key, value)
        serializer.instance = services.cooperative_update(
            actor=self.request.user, cooperative=cooperative, expected_version=expected
        )

    def perform_destroy(self, instance: Cooperative) -> None:
        access.require(access.can_archive(self.request.user, instance))
        services.cooperative_archive(actor=self.request.user, cooperative=instance)


class OfficialSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = CooperativeOfficial
        fields = [
            "id",
            "cooperative",
            "role",
            "name",
            "position",
            "term_start",
            "term_end",
            "phone",
            "nik",
            "is_example",
            "version",
        ]
        read_only_fields = ["is_example"]

    def to_representation(self, instance: CooperativeOfficial) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not access.can_view_personal_data(user, instance):
            data["phone"] = mask_phone(instance.phone)
            data["nik"] = mask_nik(instance.nik)
        return data


class _ChildViewSet(viewsets.ModelViewSet):
    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        model: Any = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        serializer.instance = self.create_instance(model(**data))

    def create_instance(self, instance: Any) -> Any:
        return services.child_create(actor=self.request.user, instance=instance)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        instance = serializer.instance
        for key, value in data.items():
            setattr(instance, key, value)
        serializer.instance = self.update_instance(instance, expected)

    def update_instance(self, instance: Any, expected: int | None) -> Any:
        return services.child_update(
            actor=self.request.user, instance=instance, expected_version=expected
        )

    def perform_destroy(self, instance: Any) -> None:
        services.child_archive(actor=self.request.user, instance=instance)


class OfficialViewSet(_ChildViewSet):
    """Pengurus, pengawas and managers; NIK and phone masked unless the role may see them."""

    serializer_class = OfficialSerializer
    filterset_class = OfficialFilter
    queryset = CooperativeOfficial.objects.all()

    def get_queryset(self) -> Any:
        if not access.can_view(self.request.user, CooperativeOfficial):
            return CooperativeOfficial.objects.none()
        return (
            CooperativeOfficial.objects.active()
            .filter(cooperative__archived_at__isnull=True)
            .select_related("cooperative__owner_unit__parent")
            .order_by("cooperative_id", "role", "name")
        )

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().list(request, *args, **kwargs)
        self._log_personal(response.data.get("results", []) if response.data else [])
        return response

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)
        self._log_personal([response.data])
        return response

    def _log_personal(self, rows: Any) -> None:
        # A row is shown in full when its NIK or its phone is unmasked (an official may have a
        # phone and no NIK).
        full = [
            row
            for row in rows
            if any(row.get(f) and "*" not in str(row.get(f)) for f in ("nik", "phone"))
        ]
        if full:
            record_personal_data_access(
                actor=self.request.user,
                action=Action.VIEW_PERSONAL,
                what=f"NIK/telepon {len(full)} pengurus koperasi (API)",
                model=CooperativeOfficial,
            )


class RatReportSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)
    members_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = RatReport
        fields = [
            "id",
            "cooperative",
            "book_year",
            "year",
            "rat_date",
            "members_men",
            "members_women",
            "members_other",
            "members_total",
            "own_capital",
            "external_capital",
            "assets",
            "business_volume",
            "shu",
            "employees",
            "is_example",
            "version",
        ]
        read_only_fields = ["is_example"]
        extra_kwargs = {
            "book_year": {
                "required": False,
                "help_text": "Tahun buku yang disahkan RAT ini (mis. 2025 untuk RAT Maret 2026)",
            },
            "year": {
                "required": False,
                "help_text": (
                    "Tahun RAT diselenggarakan; diisi dari tanggal RAT (atau tahun buku + 1) "
                    "bila tahun buku dikirim. Tanpa tahun buku: tahun buku = tahun ini - 1."
                ),
            },
        }


class RatReportViewSet(_ChildViewSet):
    """Figures reported at each RAT (one per cooperative and year)."""

    serializer_class = RatReportSerializer
    filterset_class = RatReportFilter
    queryset = RatReport.objects.all()

    def get_queryset(self) -> Any:
        if not access.can_view(self.request.user, RatReport):
            return RatReport.objects.none()
        return (
            RatReport.objects.active()
            .filter(cooperative__archived_at__isnull=True)
            .select_related("cooperative__owner_unit__parent")
            .order_by("cooperative_id", "-year")
        )

    def create_instance(self, instance: Any) -> Any:
        return services.rat_report_create(actor=self.request.user, report=instance)

    def update_instance(self, instance: Any, expected: int | None) -> Any:
        return services.rat_report_update(
            actor=self.request.user, report=instance, expected_version=expected
        )

    def perform_destroy(self, instance: Any) -> None:
        services.rat_report_archive(actor=self.request.user, report=instance)


router = DefaultRouter()
router.register("cooperatives", CooperativeViewSet, basename="cooperative")
router.register("cooperative-officials", OfficialViewSet, basename="cooperative-official")
router.register("rat-reports", RatReportViewSet, basename="rat-report")
