"""All writes of the activities app. Each checks `sikumi.accounts.access`, then goes through
`sikumi.core.services`, which validates, refuses stale edits and writes the audit entry in the
same transaction.

Records with an `owner_unit` are checked against it; participants of a training or an event
belong to their training's / event's Bidang.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from sikumi.accounts import access
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
from sikumi.core import services as core

M = TypeVar("M", bound=models.Model)

# Models whose records carry their own owner_unit.
OWNED = (
    Product,
    LegalityApplication,
    Training,
    Curation,
    PromotionEvent,
    FinancingFacilitation,
    Partnership,
)


def _conflict(call: Callable[[], M]) -> M:
    """A database constraint hit by a concurrent write becomes a clear message, not a 500."""
    try:
        return call()
    except IntegrityError as exc:
        raise ValidationError(
            _("Data tidak dapat disimpan karena bertabrakan dengan data lain: %(detail)s")
            % {"detail": str(exc).splitlines()[0][:200]}
        ) from exc


def _stored(instance: M) -> M:
    return type(instance)._base_manager.get(pk=instance.pk)


def _parent(instance: Any) -> Any:
    """The record whose Bidang decides on this one: itself, or the training / event."""
    if isinstance(instance, TrainingParticipant):
        return Training._base_manager.select_related("owner_unit__parent").get(
            pk=instance.training_id
        )
    if isinstance(instance, EventParticipant):
        return PromotionEvent._base_manager.select_related("owner_unit__parent").get(
            pk=instance.event_id
        )
    return instance


def create(*, actor: Any, instance: M) -> M:
    """Create any activities record after checking the actor may create it for its owner."""
    if isinstance(instance, OWNED):
        owner = instance.owner_unit if instance.owner_unit_id else None
        access.require(access.can_create(actor, type(instance), owner))
        if owner is None:
            raise ValidationError({"owner_unit": _("Pilih unit pemilik.")})
    else:
        access.require(access.can_edit(actor, _parent(instance)))
    _prepare(instance)
    return _conflict(lambda: core.record_create(actor=actor, instance=instance))


def update(*, actor: Any, instance: M, expected_version: int | None = None) -> M:
    """Save an edited record: both the stored and the changed record must be the actor's."""
    stored = _stored(instance)
    access.require(
        access.can_edit(actor, _parent(stored)) and access.can_edit(actor, _parent(instance))
    )
    _prepare(instance)
    return _conflict(
        lambda: core.record_update(
            actor=actor, instance=instance, expected_version=expected_version
        )
    )


def archive(*, actor: Any, instance: M) -> M:
    access.require(access.can_archive(actor, _parent(instance)))
    return core.record_archive(actor=actor, instance=instance)


def _prepare(instance: Any) -> None:
    """Fill what follows from the links: a cooperative official's cooperative, the years."""
    official = isinstance(instance, TrainingParticipant) and instance.official_id
    if official and not instance.cooperative_id:
        instance.cooperative_id = instance.official.cooperative_id
    if isinstance(instance, Training) and not instance.year and instance.starts_on:
        instance.year = instance.starts_on.year
    if isinstance(instance, LegalityApplication) and not instance.year and instance.applied_on:
        instance.year = instance.applied_on.year


# Named entry points, as the development guide asks (<entity>_<action>).


def product_create(*, actor: Any, product: Product) -> Product:
    return create(actor=actor, instance=product)


def legality_create(*, actor: Any, application: LegalityApplication) -> LegalityApplication:
    return create(actor=actor, instance=application)


def training_create(*, actor: Any, training: Training) -> Training:
    return create(actor=actor, instance=training)


def training_update(
    *, actor: Any, training: Training, expected_version: int | None = None
) -> Training:
    return update(actor=actor, instance=training, expected_version=expected_version)


def participant_add(*, actor: Any, participant: TrainingParticipant) -> TrainingParticipant:
    return create(actor=actor, instance=participant)
