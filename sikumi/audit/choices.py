from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Buat")
    UPDATE = "update", _("Ubah")
    ARCHIVE = "archive", _("Arsipkan")
    RESTORE = "restore", _("Pulihkan")
    VIEW_PERSONAL = "view_personal", _("Lihat data pribadi")
    EXPORT_PERSONAL = "export_personal", _("Ekspor data pribadi")
    EXPORT = "export", _("Ekspor")
    IMPORT = "import", _("Impor")
    REVERT = "revert", _("Batalkan impor")
    LOGIN = "login", _("Masuk")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    WORKFLOW = "workflow", _("Alur kerja")


class Source(models.TextChoices):
    PAGE = "page", _("Halaman")
    API = "api", _("API")
    BULK = "bulk", _("Layanan massal")
    IMPORT = "import", _("Impor")
    COMMAND = "command", _("Perintah")
    TASK = "task", _("Tugas latar")
