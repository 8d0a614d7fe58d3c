from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import LoginFailure, Unit
from sikumi.audit.middleware import client_ip
from sikumi.core.forms import VersionedModelForm


class ThrottledAuthenticationForm(AuthenticationForm):
    """Login that stops answering after repeated failures for a username or an address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."),
        "throttled": _(
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(minutes)d menit, "
            "atau hubungi administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request else None
        window = timedelta(seconds=settings.SIKUMI_LOGIN_WINDOW_SECONDS)
        since = timezone.now() - window
        recent = LoginFailure.objects.filter(at__gte=since)
        # Per account, and per address with a higher limit: an office behind one NAT address
        # must not be locked out by a few colleagues' typos, but a guesser trying many
        # accounts from one address is stopped.
        limit = settings.SIKUMI_LOGIN_MAX_FAILURES
        per_account = recent.filter(username__iexact=username).count()
        per_address = recent.filter(ip_address=ip).count() if ip else 0
        if per_account >= limit or per_address >= limit * 10:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.SIKUMI_LOGIN_WINDOW_SECONDS // 60)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username[:150], ip_address=ip)
            raise


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
