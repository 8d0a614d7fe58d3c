"""All writes of the activities app. Each checks `sikumi.accounts.access`, then goes through
`sikumi.core.services`, which validates, refuses stale edits and writes the audit entry in the
same transaction.

Records with an `owner_unit` are checked against it; participants of a training or an event
belong to their training's / event's Bidang.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
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
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
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


def _insert(model: type[models.Model], records: list[Any]) -> None:
    """bulk_create; a constraint hit by a concurrent write becomes one clear message."""
    try:
        with transaction.atomic():
            model._default_manager.bulk_create(records)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Daftar peserta tidak disimpan: sebagian peserta atau orangnya baru saja "
                "ditambahkan pengguna lain. Periksa ulang daftarnya."
            )
        ) from exc


@transaction.atomic
def participants_add_many(
    *,
    actor: Any,
    training: Training,
    people: Sequence[Any],
    new_people: Sequence[tuple[str, str]] = (),
) -> dict[str, int]:
    """Add registry people (and new people, as (NIK, name), to the registry first) to a
    training in one transaction, with one audit entry per record. People registered for the
    training already are left out; returns the counts."""
    from sikumi.enterprises.models import Person
    from sikumi.enterprises.normalise import name_key
    from sikumi.enterprises.selectors import invalidate_counts
    from sikumi.enterprises.services import default_owner_unit
    from sikumi.rules.identifiers import nik_sex

    access.require(access.can_edit(actor, training))
    if training.archived_at is not None:
        raise ValidationError(_("Pelatihan yang diarsipkan tidak dapat diubah."))
    created_people: list[Person] = []
    if new_people:
        unit = default_owner_unit()
        access.require(access.can_create(actor, Person, unit))
        for nik, name in new_people:
            person = Person(
                nik=nik,
                name=name,
                name_key=name_key(name),  # bulk_create skips save()
                sex=nik_sex(nik) or "",
                owner_unit=unit,
            )
            # The NIK's uniqueness was looked up with the list; a concurrent insert of the
            # same NIK is refused by the constraint below (one clear message, nothing saved).
            person.full_clean(validate_unique=False, validate_constraints=False)
            created_people.append(person)
        _insert(Person, created_people)
        invalidate_counts()  # the registry's cached counts include people
        audit.record_many(
            actor=actor,
            action=Action.CREATE,
            changes=[(p, None, audit.snapshot(p)) for p in created_people],
            note=_("Ditambahkan dari daftar peserta pelatihan %(name)s") % {"name": training},
        )
    wanted = {p.pk: p for p in [*people, *created_people]}
    registered = set(
        TrainingParticipant.objects.active()
        .filter(training=training, person_id__in=list(wanted))
        .values_list("person_id", flat=True)
    )
    participants = [
        TrainingParticipant(training=training, person=person)
        for pk, person in wanted.items()
        if pk not in registered
    ]
    for participant in participants:
        participant.full_clean(validate_unique=False, validate_constraints=False)
    _insert(TrainingParticipant, participants)
    audit.record_many(
        actor=actor,
        action=Action.CREATE,
        changes=[(p, None, audit.snapshot(p)) for p in participants],
        note=_("Ditambahkan sekaligus dari daftar NIK"),
    )
    return {
        "added": len(participants),
        "new_people": len(created_people),
        "already": len(registered),
    }


@transaction.atomic
def event_participants_add_many(
    *, actor: Any, event: PromotionEvent, enterprises: Sequence[Any]
) -> dict[str, int]:
    """Add businesses to a promotion event in one transaction, one audit entry per record;
    those registered already are left out."""
    access.require(access.can_edit(actor, event))
    if event.archived_at is not None:
        raise ValidationError(_("Kegiatan yang diarsipkan tidak dapat diubah."))
    wanted = {e.pk: e for e in enterprises}
    registered = set(
        EventParticipant.objects.active()
        .filter(event=event, enterprise_id__in=list(wanted))
        .values_list("enterprise_id", flat=True)
    )
    participants = [
        EventParticipant(event=event, enterprise=enterprise)
        for pk, enterprise in wanted.items()
        if pk not in registered
    ]
    for participant in participants:
        participant.full_clean(validate_unique=False, validate_constraints=False)
    _insert(EventParticipant, participants)
    audit.record_many(
        actor=actor,
        action=Action.CREATE,
        changes=[(p, None, audit.snapshot(p)) for p in participants],
        note=_("Ditambahkan sekaligus dari daftar NIB/NIK"),
    )
    return {"added": len(participants), "already": len(registered)}
