from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(archived_at__isnull=True)


class TrackedModel(models.Model):
    """Base for every business record: timestamps, archive instead of delete, and a version
    number so that two people editing the same record cannot overwrite each other silently."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    archived_at = models.DateTimeField(_("diarsipkan"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("versi"), default=1)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class TaskProgress(models.Model):
    """Progress of one background task (import, report), shown to its user as a progress bar."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    label = models.CharField(_("tugas"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveBigIntegerField(_("jumlah"), default=0)
    done = models.PositiveBigIntegerField(_("selesai"), default=0)
    message = models.TextField(_("pesan"), blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("progres tugas")
        verbose_name_plural = _("progres tugas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
