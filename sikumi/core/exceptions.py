from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class ConcurrentEditError(ValidationError):
    """Someone else saved the record after this user opened it."""

    def __init__(self, by: str = "") -> None:
        who = by or _("pengguna lain")
        super().__init__(
            _(
                "Data ini sudah diubah oleh %(who)s setelah Anda membukanya. "
                "Muat ulang halaman untuk melihat perubahan terbaru, lalu ulangi perubahan Anda."
            )
            % {"who": who},
            code="concurrent_edit",
        )


__all__ = ["ConcurrentEditError", "PermissionDenied", "ValidationError"]
