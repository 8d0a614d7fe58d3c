from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.documents.models import Document


def document_list(*, user: Any) -> QuerySet[Document]:
    if not access.can_view(user, Document):
        return Document.objects.none()
    return Document.objects.active().select_related("owner_unit")


def document_get(*, user: Any, pk: int) -> Document:
    access.require(access.can_view(user, Document))
    return Document.objects.select_related("owner_unit__parent").get(pk=pk)
