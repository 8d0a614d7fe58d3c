"""Generic write services: every create, update and archive goes through here, so that each
one is validated, checked against concurrent edits and recorded in the audit trail in the same
transaction. Domain services call these after their own rules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.audit.models import AuditEntry
from sikumi.core.exceptions import ConcurrentEditError

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_create(*, actor: Any, instance: M, note: str = "") -> M:
    # What a user enters (form, API, import confirmation) is real data, whatever record it
    # hangs on: only the example-data generators (`demo.py`, which write directly) may label
    # a record "Data contoh".
    if hasattr(instance, "is_example"):
        instance.is_example = False
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        instance=instance,
        after=audit.snapshot(instance),
        note=note,
    )
    return instance


def _last_editor(instance: models.Model) -> str:
    entry = (
        AuditEntry.objects.filter(object_id=str(instance.pk))
        .filter(
            content_type__app_label=instance._meta.app_label,
            content_type__model=instance._meta.model_name,
        )
        .order_by("-at", "-id")
        .first()
    )
    return entry.actor_repr if entry else ""


@transaction.atomic
def record_update(
    *, actor: Any, instance: M, expected_version: int | None = None, note: str = ""
) -> M:
    """Save an edited instance. `expected_version` is the version the user's form was built
    from; if the stored record moved on since, nothing is saved and the user is told."""
    model = type(instance)
    stored = model._base_manager.select_for_update().get(pk=instance.pk)
    stale = expected_version is not None and getattr(stored, "version", None) != expected_version
    if stale:
        raise ConcurrentEditError(_last_editor(stored))
    before = audit.snapshot(stored)
    instance.full_clean()
    if hasattr(instance, "version"):
        instance.version = stored.version + 1  # type: ignore[attr-defined]
    instance.save()
    after = audit.snapshot(instance)
    if before != after:
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            instance=instance,
            before=before,
            after=after,
            note=note,
        )
    return instance


@transaction.atomic
def record_archive(*, actor: Any, instance: M, note: str = "") -> M:
    """Users never delete: the record is archived, hidden from lists, and kept."""
    before = audit.snapshot(instance)
    instance.archived_at = timezone.now()  # type: ignore[attr-defined]
    instance.version = F("version") + 1  # type: ignore[attr-defined]
    instance.save(update_fields=["archived_at", "version", "updated_at"])
    instance.refresh_from_db()
    audit.record(
        actor=actor,
        action=Action.ARCHIVE,
        instance=instance,
        before=before,
        after=audit.snapshot(instance),
        note=note,
    )
    return instance


@transaction.atomic
def bulk_update(
    *,
    actor: Any,
    queryset: models.QuerySet[M],
    changes: dict[str, Any],
    note: str = "",
    chunk_size: int = 2000,
) -> int:
    """Change the same fields on many records, with one audit entry per record.

    QuerySet.update() alone would bypass the trail; here each chunk is snapshotted before and
    after and written with bulk_update and bulk_create.
    """
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    fields = list(changes)
    has_version = any(f.name == "version" for f in model._meta.concrete_fields)
    for start in range(0, len(ids), chunk_size):
        chunk = list(
            model._base_manager.select_for_update().filter(pk__in=ids[start : start + chunk_size])
        )
        log: list[tuple[models.Model, dict[str, Any], dict[str, Any]]] = []
        for obj in chunk:
            before = audit.snapshot(obj)
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.full_clean()
            if has_version:
                obj.version += 1  # type: ignore[attr-defined]
            log.append((obj, before, audit.snapshot(obj)))
        update_fields = fields + (["version"] if has_version else [])
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            now = timezone.now()
            for obj in chunk:
                obj.updated_at = now  # type: ignore[attr-defined]
            update_fields.append("updated_at")
        model._base_manager.bulk_update(chunk, update_fields)
        count += audit.record_many(actor=actor, action=Action.UPDATE, changes=log, note=note)
    return count
