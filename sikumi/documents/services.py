from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.core import services as core
from sikumi.documents.models import Document


def document_create(*, actor: Any, document: Document) -> Document:
    access.require(access.can_create(actor, Document, document.owner_unit))
    document.created_by = actor
    return core.record_create(actor=actor, instance=document)


def document_update(*, actor: Any, document: Document, expected_version: int | None) -> Document:
    stored = Document.objects.get(pk=document.pk)
    # Both the record as stored and as changed must belong to the actor's Bidang.
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, document))
    return core.record_update(actor=actor, instance=document, expected_version=expected_version)


def document_archive(*, actor: Any, document: Document) -> Document:
    access.require(access.can_archive(actor, document))
    return core.record_archive(actor=actor, instance=document)


def document_bulk_recategorise(*, actor: Any, documents: QuerySet[Document], category: str) -> int:
    """Move many documents to another category at once (e.g. after a filing-plan change)."""
    refused = [
        d for d in documents.select_related("owner_unit__parent") if not access.can_edit(actor, d)
    ]
    access.require(not refused)
    return core.bulk_update(actor=actor, queryset=documents, changes={"category": category})
