"""Writing the audit trail. Every service that changes data calls one of these in the same
transaction as the change, so the trail and the data cannot disagree."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from sikumi.audit import context
from sikumi.audit.models import AuditEntry

# Fields that change on every save and say nothing about the record.
_SKIPPED_FIELDS = {"updated_at", "version"}


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        # Normalised so that 1.00 and 1 compare equal and no false change is recorded.
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's concrete field values as JSON-ready data (foreign keys by id)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS:
            continue
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return data


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_repr": "sistem"}
    return {"actor": actor, "actor_repr": actor.get_username()}


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    personal_data: bool = False,
    model: type[models.Model] | None = None,
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    ctx = context.current()
    ct = None
    if instance is not None:
        ct = ContentType.objects.get_for_model(instance)
        object_id = str(instance.pk)
        object_repr = str(instance)[:255]
    elif model is not None:
        ct = ContentType.objects.get_for_model(model)
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        ip_address=ctx.ip_address,
        source=ctx.source,
        action=action,
        content_type=ct,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        note=note,
        personal_data=personal_data,
    )


def record_many(
    *,
    actor: Any,
    action: str,
    changes: Iterable[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    note: str = "",
    batch_size: int = 2000,
) -> int:
    """Bulk paths: one entry per record, written with bulk_create."""
    ctx = context.current()
    actor_fields = _actor_fields(actor)
    entries: list[AuditEntry] = []
    count = 0
    ct_cache: dict[type, ContentType] = {}
    for instance, before, after in changes:
        cls = type(instance)
        if cls not in ct_cache:
            ct_cache[cls] = ContentType.objects.get_for_model(cls)
        entries.append(
            AuditEntry(
                **actor_fields,
                ip_address=ctx.ip_address,
                source=ctx.source,
                action=action,
                content_type=ct_cache[cls],
                object_id=str(instance.pk),
                object_repr=str(instance)[:255],
                before=before,
                after=after,
                note=note,
            )
        )
        if len(entries) >= batch_size:
            AuditEntry.objects.bulk_create(entries)
            count += len(entries)
            entries = []
    if entries:
        AuditEntry.objects.bulk_create(entries)
        count += len(entries)
    return count


def record_personal_data_access(
    *,
    actor: Any,
    action: str,
    what: str,
    model: type[models.Model] | None = None,
    instance: models.Model | None = None,
    note: str = "",
) -> AuditEntry:
    """A full view or an export of personal data (UU 27/2022): who saw what, when."""
    return record(
        actor=actor,
        action=action,
        instance=instance,
        model=model,
        object_repr=what if instance is None else "",
        note=note or what,
        personal_data=True,
    )
