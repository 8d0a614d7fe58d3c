from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from sikumi.accounts import access


class SikumiPermission(BasePermission):
    """DRF's door to sikumi.accounts.access: the same decisions as the pages."""

    message = "Anda tidak berwenang melakukan tindakan ini."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not access.is_internal(request.user):
            return False
        if request.method in SAFE_METHODS:
            return access.can_view(request.user)
        model = getattr(getattr(view, "queryset", None), "model", None)
        if request.method == "POST" and model is not None:
            return access.can_create(request.user, model)
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return access.can_view(request.user, obj)
        return access.can_edit(request.user, obj)
