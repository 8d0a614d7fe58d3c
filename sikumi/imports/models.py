from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumi.core.models import TaskProgress


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Pratinjau")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    COMMITTED = "committed", _("Tersimpan")
    REVERTED = "reverted", _("Dibatalkan")
    FAILED = "failed", _("Gagal")


class ImportBatch(models.Model):
    """One uploaded file of one kind, its preview report, and what committing it added."""

    kind = models.CharField(_("jenis"), max_length=40, db_index=True)
    file = models.FileField(_("berkas"), upload_to="impor/%Y/%m/", max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    # SHA-256 of the file as uploaded: the same file is never committed twice.
    file_sha256 = models.CharField(_("sidik berkas"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)
    options = models.JSONField(_("opsi"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    valid_rows = models.PositiveIntegerField(_("baris valid"), default=0)
    error_rows = models.PositiveIntegerField(_("baris galat"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("baris duplikat"), default=0)
    conflict_rows = models.PositiveIntegerField(_("baris konflik NIK"), default=0)
    created_count = models.PositiveIntegerField(_("data ditambahkan"), default=0)
    report = models.JSONField(_("laporan"), default=dict, blank=True)
    progress = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    committed_at = models.DateTimeField(_("disimpan"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch impor")
        verbose_name_plural = _("batch impor")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="import_batch_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.original_name}"


class SavedMapping(models.Model):
    """A named header -> field mapping for one kind of import, reused for files alike."""

    kind = models.CharField(_("jenis"), max_length=40)
    name = models.CharField(_("nama"), max_length=100)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemetaan tersimpan")
        verbose_name_plural = _("pemetaan tersimpan")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_mapping_kind_name_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"
