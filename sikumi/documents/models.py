from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.models import TrackedModel
from sikumi.documents.choices import DocumentCategory
from sikumi.documents.validators import validate_document_file


class Document(TrackedModel):
    """A document a unit keeps on file (decree, report, minutes, evidence), with its file."""

    title = models.CharField(_("judul"), max_length=255)
    category = models.CharField(_("kategori"), max_length=16, choices=DocumentCategory.choices)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    date = models.DateField(_("tanggal"))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(
        _("berkas"), upload_to="dokumen/%Y/%m/", blank=True, validators=[validate_document_file]
    )
    notes = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["owner_unit", "-date"], name="document_unit_date_idx")]

    def __str__(self) -> str:
        return self.title
