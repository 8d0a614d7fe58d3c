from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import throttle
from sikumi.accounts.models import Unit
from sikumi.core.forms import VersionedModelForm


class ThrottledMixin:
    """Says "too many failures" instead of "wrong password" while the login is throttled
    (sikumi.accounts.throttle refuses such a login on every path; this gives the message)."""

    request: Any
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if throttle.was_throttled(self.request):
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"minutes": throttle.window_minutes()},
                ) from None
            raise


THROTTLED = _(
    "Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(minutes)d menit, "
    "atau hubungi administrator."
)


class ThrottledAuthenticationForm(ThrottledMixin, AuthenticationForm):
    """Sikumi's login page."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."),
        "throttled": THROTTLED,
    }


class ThrottledAdminAuthenticationForm(ThrottledMixin, AdminAuthenticationForm):
    """The Django admin's login: the same throttle and message."""

    error_messages = {**AdminAuthenticationForm.error_messages, "throttled": THROTTLED}


class UnitForm(VersionedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent", "order", "duties"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.active()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
