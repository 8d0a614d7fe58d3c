"""Activities work for "Tugas saya" (sikumi.core.inbox): product legality certificates (Halal,
PIRT, BPOM...) not yet renewed that expire within the window (SIKUMI_INBOX_EXPIRY_DAYS), for the
staff of the Bidang that owns them (``sikumi.accounts.access.can_edit``). The same certificates
as the page "Sertifikat akan kedaluwarsa" (``selectors.expiring_certificates``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts import access
from sikumi.activities import selectors
from sikumi.activities.models import LegalityApplication
from sikumi.core import inbox


def may_act(user: Any) -> bool:
    return access.can_edit(user, inbox.own_record(user))


def expiring_legalities(user: Any, today: dt.date) -> QuerySet[LegalityApplication]:
    rows = selectors.expiring_certificates(user=user, days=inbox.expiry_days(), today=today)
    return inbox.in_scope(rows, user)


def legality_item(row: LegalityApplication) -> inbox.Item:
    return inbox.Item(
        what=_("Sertifikat %(kind)s akan berakhir") % {"kind": row.get_kind_display()},
        subject=f"{row.product.name} · {row.product.enterprise.name}",
        url=reverse("activities:legality-detail", args=[row.pk]),
        due=row.expires_on,
        detail=row.certificate_number,
    )


def expiring_page() -> str:
    return f"{reverse('activities:legality-expiring')}?hari={inbox.expiry_days()}"


def register() -> None:
    inbox.register(
        "sertifikat-legalitas",
        gettext_lazy("Sertifikat legalitas produk akan berakhir"),
        expiring_legalities,
        legality_item,
        allowed=may_act,
        order=60,
        page_url=expiring_page,
        models=(LegalityApplication,),
    )
