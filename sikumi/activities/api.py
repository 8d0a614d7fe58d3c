"""REST endpoints of the activities app: the same FilterSets, services and permissions as the
pages. DELETE archives."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.activities import filters, selectors, services
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access

_READ_ONLY = ["created_at", "updated_at", "archived_at"]
# set only by the example-data generator, never through the API
_GENERATED = ["is_example"]


class _Base(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text="Versi yang sedang diubah")

    def get_validators(self) -> list[Any]:
        # Model constraints are checked by the services (full_clean), with clear messages.
        return []


def _serializer(model: Any, extra: tuple[str, ...] = ()) -> type[serializers.ModelSerializer]:
    fields = [
        "id",
        *[
            f.name
            for f in model._meta.concrete_fields
            if f.name not in ("id", "version", *_READ_ONLY)
        ],
        *extra,
        "version",
        *_READ_ONLY,
    ]
    read_only = _READ_ONLY + [f for f in _GENERATED if f in fields]
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": read_only})
    return type(f"{model.__name__}Serializer", (_Base,), {"Meta": meta})


class FinancingSerializer(_serializer(FinancingFacilitation)):  # type: ignore[misc]
    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if instance.enterprise_id:
            if access.can_view_personal_data(user, instance):
                request._personal_data_shown = True
            else:
                data["amount"] = None  # a person's finances: masked for this role
        return data


class _ViewSet(viewsets.ModelViewSet):
    selector: Any = None

    def get_queryset(self) -> Any:
        return type(self).selector(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        model = serializer.Meta.model
        serializer.instance = services.create(actor=self.request.user, instance=model(**data))

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        instance = serializer.instance
        for key, value in data.items():
            setattr(instance, key, value)
        serializer.instance = services.update(
            actor=self.request.user, instance=instance, expected_version=expected
        )

    def perform_destroy(self, instance: Any) -> None:
        services.archive(actor=self.request.user, instance=instance)


def _viewset(model: Any, selector: Any, filterset: Any, serializer: Any = None) -> type[_ViewSet]:
    return type(
        f"{model.__name__}ViewSet",
        (_ViewSet,),
        {
            "__doc__": f"{model._meta.verbose_name_plural}: list, read, create, update; "
            "DELETE archives the record.",
            "queryset": model.objects.all(),
            "serializer_class": serializer or _serializer(model),
            "filterset_class": filterset,
            "selector": staticmethod(selector),
        },
    )


class FinancingViewSet(
    _viewset(  # type: ignore[misc]
        FinancingFacilitation,
        selectors.financing_list,
        filters.FinancingFilter,
        FinancingSerializer,
    )
):
    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("owner_unit__parent")

    def _log(self, request: Request, response: Response) -> Response:
        if getattr(request, "_personal_data_shown", False):
            record_personal_data_access(
                actor=request.user,
                action=Action.VIEW_PERSONAL,
                what="Fasilitasi pembiayaan (API)",
                model=FinancingFacilitation,
                note=request.get_full_path()[:500],
            )
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._log(request, super().list(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._log(request, super().retrieve(request, *args, **kwargs))


router = DefaultRouter()
router.register(
    "products", _viewset(Product, selectors.product_list, filters.ProductFilter), basename="product"
)
router.register(
    "legality",
    _viewset(LegalityApplication, selectors.legality_list, filters.LegalityFilter),
    basename="legality",
)
router.register(
    "trainings",
    _viewset(Training, selectors.training_list, filters.TrainingFilter),
    basename="training",
)
router.register(
    "training-participants",
    _viewset(TrainingParticipant, selectors.participant_list, filters.ParticipantFilter),
    basename="training-participant",
)
router.register(
    "events",
    _viewset(PromotionEvent, selectors.event_list, filters.EventFilter),
    basename="event",
)
router.register(
    "event-participants",
    _viewset(EventParticipant, selectors.event_participant_list, filters.EventParticipantFilter),
    basename="event-participant",
)
router.register(
    "curations",
    _viewset(Curation, selectors.curation_list, filters.CurationFilter),
    basename="curation",
)
router.register("financing", FinancingViewSet, basename="financing")
router.register(
    "partnerships",
    _viewset(Partnership, selectors.partnership_list, filters.PartnershipFilter),
    basename="partnership",
)
