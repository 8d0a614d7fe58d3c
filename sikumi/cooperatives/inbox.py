"""Cooperative work for "Tugas saya" (sikumi.core.inbox): competence certificates of officials
that expire within the window (SIKUMI_INBOX_EXPIRY_DAYS), for the staff of the Bidang that owns
the cooperative (``sikumi.accounts.access.can_edit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts import access
from sikumi.cooperatives.models import CompetenceCertificate
from sikumi.core import inbox


def may_act(user: Any) -> bool:
    return access.can_edit(user, inbox.own_record(user))


def expiring_certificates(user: Any, today: dt.date) -> QuerySet[CompetenceCertificate]:
    """Certificates of current officials of undissolved cooperatives of the user's Bidang
    expiring between today and the window's end, soonest first."""
    until = today + dt.timedelta(days=inbox.expiry_days())
    rows = CompetenceCertificate.objects.active().filter(
        expires_on__gte=today,
        expires_on__lte=until,
        official__archived_at__isnull=True,
        official__cooperative__archived_at__isnull=True,
        official__cooperative__dissolved_at__isnull=True,
    )
    rows = inbox.in_scope(rows, user, "official__cooperative__owner_unit")
    return rows.select_related("official__cooperative").order_by("expires_on", "id")


def certificate_item(cert: CompetenceCertificate) -> inbox.Item:
    official = cert.official
    return inbox.Item(
        what=_("Sertifikat kompetensi %(scheme)s akan berakhir") % {"scheme": cert.scheme},
        subject=f"{official.name} · {official.cooperative.name}",
        url=reverse(
            "cooperatives:certificate-edit",
            args=[official.cooperative_id, official.pk, cert.pk],
        ),
        due=cert.expires_on,
        detail=cert.number,
    )


def register() -> None:
    inbox.register(
        "sertifikat-kompetensi",
        gettext_lazy("Sertifikat kompetensi pengurus akan berakhir"),
        expiring_certificates,
        certificate_item,
        allowed=may_act,
        order=50,
        models=(CompetenceCertificate,),
    )
