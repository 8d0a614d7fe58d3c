from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts.models import User


class UserTable(tables.Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Nama"),
        accessor="first_name",
        order_by=("first_name", "last_name"),
    )
    username = tables.Column(verbose_name=gettext_lazy("Nama pengguna"))
    unit = tables.Column(verbose_name=gettext_lazy("Unit kerja"), order_by=("unit__name",))
    roles = tables.Column(verbose_name=gettext_lazy("Peran"), empty_values=(), orderable=False)
    is_active = tables.Column(verbose_name=gettext_lazy("Status"))
    last_login = tables.DateTimeColumn(
        verbose_name=gettext_lazy("Terakhir masuk"), format="j F Y H.i", default="-"
    )

    class Meta:
        model = User
        fields = ["name", "username", "unit", "roles", "is_active", "last_login"]
        order_by = ["name"]

    def render_name(self, record: User) -> SafeString:
        url = reverse("accounts:user-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.get_full_name() or record.username)

    def render_username(self, value: str) -> SafeString:
        return format_html('<span class="ident">{}</span>', value)

    def render_roles(self, record: User) -> SafeString:
        # From the list's prefetch: no query per row.
        return format_html_join(", ", "{}", ((role.name,) for role in record.roles.all()))

    def render_is_active(self, value: bool) -> SafeString:
        if value:
            return format_html('<span class="badge ok">{}</span>', _("Aktif"))
        return format_html('<span class="badge bad">{}</span>', _("Nonaktif"))
