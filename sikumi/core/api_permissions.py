"""API permission shared by every viewset (DEFAULT_PERMISSION_CLASSES); kept apart from
sikumi.core.api, which DRF's settings import while rest_framework.views is still loading."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission


def version_missing_message() -> str:
    return _(
        "Versi wajib dikirim saat mengubah data: ambil data terbaru (GET), lalu kirim ulang "
        "perubahan dengan field version yang diterima."
    )


class VersionRequired(BasePermission):
    """Every PUT/PATCH of a versioned record carries the version the client read: without it a
    stale edit would overwrite someone else's change silently. A missing or invalid version is a
    400; a version the record has moved past is refused by the write service (409). A view
    whose body's version belongs to another row than the URL's object sets
    `version_of_object = False` and leaves the check to its service."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method not in ("PUT", "PATCH") or not hasattr(obj, "version"):
            return True
        if not getattr(view, "version_of_object", True):
            return True
        data = request.data
        value = data.get("version") if hasattr(data, "get") else None
        if isinstance(value, bool) or value in (None, ""):
            raise exceptions.ValidationError({"version": [version_missing_message()]})
        try:
            number = int(str(value))
        except ValueError:
            raise exceptions.ValidationError({"version": [version_missing_message()]}) from None
        if number < 1:
            raise exceptions.ValidationError({"version": [version_missing_message()]})
        return True
