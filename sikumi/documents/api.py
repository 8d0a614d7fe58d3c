from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from sikumi.accounts import access
from sikumi.documents import selectors, services
from sikumi.documents.filters import DocumentFilter
from sikumi.documents.models import Document


class DocumentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text="Versi yang sedang diubah")

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "category",
            "number",
            "date",
            "owner_unit",
            "file",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["file", "created_at", "updated_at"]


class DocumentViewSet(viewsets.ModelViewSet):
    """Arsip dokumen: list, read, create, update; DELETE archives the record."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    queryset = Document.objects.all()

    def get_queryset(self) -> Any:
        return selectors.document_list(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.document_create(
            actor=self.request.user, document=Document(**data)
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        document = serializer.instance
        for key, value in data.items():
            setattr(document, key, value)
        serializer.instance = services.document_update(
            actor=self.request.user, document=document, expected_version=expected
        )

    def perform_destroy(self, instance: Document) -> None:
        access.require(access.can_archive(self.request.user, instance))
        services.document_archive(actor=self.request.user, document=instance)


router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
