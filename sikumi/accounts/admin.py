import secrets
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import ApiToken, Role, Unit, User
from sikumi.accounts.tokens import token_hash


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Kept for superusers; administrators manage users on Sikumi's own pages (Pengaturan >
    Pengguna dan peran), which check the rules and write the audit trail."""

    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["unit", "roles", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Organisasi"),
            {"fields": ("unit", "roles", "nip", "position", "phone", "must_change_password")},
        ),
    )
    filter_horizontal = ["roles", "groups", "user_permissions"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "functions", "archived_at"]
    list_filter = ["kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are stored hashed: the token is shown once, in the message after creating it."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    fields = ["user", "name"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        key = secrets.token_hex(20)
        obj.key_hash, obj.prefix = token_hash(key), key[:8]
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _(
                "Token API untuk %(user)s: %(key)s (simpan sekarang: token ini tidak akan "
                "ditampilkan lagi)."
            )
            % {"user": obj.user, "key": key},
        )
