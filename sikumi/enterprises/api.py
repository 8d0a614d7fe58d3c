from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.enterprises import selectors, services
from sikumi.enterprises.filters import EnterpriseFilter, PersonFilter
from sikumi.enterprises.models import Enterprise, Person
from sikumi.rules.identifiers import mask_nik, mask_phone


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "nik", "name", "sex", "birth_date", "phone", "is_example", "version"]
        read_only_fields = fields

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        full = self.context.get("full_personal", False) and access.can_view_personal_data(
            getattr(request, "user", None), instance
        )
        if not full:
            data["nik"] = mask_nik(instance.nik) if instance.nik else None
            data["phone"] = mask_phone(instance.phone) if instance.phone else ""
            data["birth_date"] = None
        return data


class EnterpriseSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text="Versi yang sedang diubah")
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "owner",
            "owner_name",
            "kelurahan",
            "kecamatan_code",
            "address",
            "latitude",
            "longitude",
            "sector",
            "kbli",
            "main_products",
            "nib",
            "start_date",
            "capital",
            "employees",
            "is_new_entrepreneur",
            "programme_year",
            "is_woman_owned",
            "cohort",
            "scale",
            "owner_unit",
            "is_example",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "is_example",  # set only by the example-data generator
            "kecamatan_code",
            "is_woman_owned",
            "scale",
            "owner_unit",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from sikumi.enterprises.validators import enterprise_errors

        probe = Enterprise(
            **{
                k: attrs.get(k)
                for k in ("nib", "start_date", "capital", "programme_year")
                if k in attrs
            },
            is_new_entrepreneur=attrs.get("is_new_entrepreneur", False),
        )
        errors = enterprise_errors(probe)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EnterpriseViewSet(viewsets.ModelViewSet):
    """Usaha mikro: list (same filters as the page), read, create, update; DELETE archives."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    queryset = Enterprise.objects.all()

    def get_queryset(self) -> Any:
        return selectors.enterprise_list(user=self.request.user).order_by("-id")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.enterprise_create(
            actor=self.request.user, enterprise=Enterprise(**data)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        enterprise = serializer.instance
        access.require(access.can_edit(self.request.user, enterprise))
        for key, value in data.items():
            setattr(enterprise, key, value)
        serializer.instance = services.enterprise_update(
            actor=self.request.user, enterprise=enterprise, expected_version=expected
        )

    def perform_destroy(self, instance: Enterprise) -> None:
        access.require(access.can_archive(self.request.user, instance))
        services.enterprise_archive(actor=self.request.user, enterprise=instance)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Pelaku usaha: NIK and phone masked in lists; a single record shows them in full to roles
    that may see them, and that view is recorded."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    queryset = Person.objects.all()

    def get_queryset(self) -> Any:
        return selectors.person_list(user=self.request.user).order_by("-id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["full_personal"] = self.action == "retrieve"
        return context

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)
        person = self.get_object()
        if access.can_view_personal_data(request.user, person):
            record_personal_data_access(
                actor=request.user,
                action=Action.VIEW_PERSONAL,
                what=f"NIK dan nomor HP {person.name} (API)",
                instance=person,
            )
        return response


router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("persons", PersonViewSet, basename="person")
