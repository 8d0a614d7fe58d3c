"""Realisation work for "Tugas saya" (sikumi.core.inbox): quarters waiting for the Pimpinan
Bidang's verification, for the Perencana's or Kepala Dinas' approval, and quarters returned (or
reopened) to the unit for correction. Each is filtered as ``sikumi.accounts.access`` decides:
``can_verify`` (Pimpinan of the owning Bidang), ``can_approve`` (never one's own submission),
``can_submit`` (staff of the owning Bidang)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts import access
from sikumi.core import inbox
from sikumi.monev.choices import ROMAN, SubmissionStatus
from sikumi.monev.models import QuarterSubmission

CORRECTION_STATUSES = (SubmissionStatus.RETURNED, SubmissionStatus.REOPENED)


def _submissions(status: Any) -> QuerySet[QuarterSubmission]:
    statuses = status if isinstance(status, tuple) else (status,)
    return (
        QuarterSubmission.objects.active()
        .filter(status__in=statuses, renja__archived_at__isnull=True)
        .select_related("renja", "owner_unit", "submitted_by", "verified_by")
    )


def may_verify(user: Any) -> bool:
    return access.can_verify(user, inbox.own_record(user))


def may_approve(user: Any) -> bool:
    return access.can_approve(user, None)


def may_correct(user: Any) -> bool:
    return access.can_submit(user, inbox.own_record(user))


def to_verify(user: Any, today: dt.date) -> QuerySet[QuarterSubmission]:
    """Submitted quarters of the user's Bidang, oldest first; not the user's own submission
    (nobody verifies what they submitted)."""
    rows = _submissions(SubmissionStatus.SUBMITTED).exclude(submitted_by=user)
    return inbox.in_scope(rows, user).order_by("submitted_at", "id")


def to_approve(user: Any, today: dt.date) -> QuerySet[QuarterSubmission]:
    """Verified quarters of every unit, oldest first; not the user's own submission."""
    return (
        _submissions(SubmissionStatus.VERIFIED)
        .exclude(submitted_by=user)
        .order_by("verified_at", "id")
    )


def to_correct(user: Any, today: dt.date) -> QuerySet[QuarterSubmission]:
    """Quarters of the user's Bidang returned by the verifier or approver, or reopened."""
    rows = _submissions(CORRECTION_STATUSES)
    return inbox.in_scope(rows, user).order_by("updated_at", "id")


def _link(sub: QuarterSubmission) -> str:
    url = reverse("monev:realisation-quarter", args=[sub.renja_id, sub.quarter])
    return f"{url}#unit-{sub.owner_unit_id}"


def _period(sub: QuarterSubmission) -> str:
    return _("Triwulan %(q)s %(year)s") % {"q": ROMAN[sub.quarter], "year": sub.renja.year}


def verify_item(sub: QuarterSubmission) -> inbox.Item:
    return inbox.Item(
        what=_("Verifikasi realisasi %(period)s") % {"period": _period(sub)},
        subject=str(sub.owner_unit),
        url=_link(sub),
        since=sub.submitted_at,
        detail=_("Diajukan oleh %(who)s") % {"who": sub.submitted_by} if sub.submitted_by else "",
    )


def approve_item(sub: QuarterSubmission) -> inbox.Item:
    return inbox.Item(
        what=_("Setujui realisasi %(period)s") % {"period": _period(sub)},
        subject=str(sub.owner_unit),
        url=_link(sub),
        since=sub.verified_at,
        detail=_("Diverifikasi oleh %(who)s") % {"who": sub.verified_by} if sub.verified_by else "",
    )


def correct_item(sub: QuarterSubmission) -> inbox.Item:
    what = (
        _("Perbaiki realisasi %(period)s yang dikembalikan")
        if sub.status == SubmissionStatus.RETURNED
        else _("Perbaiki realisasi %(period)s yang dibuka kembali")
    )
    return inbox.Item(
        what=what % {"period": _period(sub)},
        subject=str(sub.owner_unit),
        url=_link(sub),
        since=sub.updated_at,
        detail=sub.notes,
    )


def register() -> None:
    inbox.register(
        "realisasi-verifikasi",
        gettext_lazy("Realisasi menunggu verifikasi"),
        to_verify,
        verify_item,
        allowed=may_verify,
        order=10,
        models=(QuarterSubmission,),
    )
    inbox.register(
        "realisasi-persetujuan",
        gettext_lazy("Realisasi menunggu persetujuan"),
        to_approve,
        approve_item,
        allowed=may_approve,
        order=11,
        models=(QuarterSubmission,),
    )
    inbox.register(
        "realisasi-perbaikan",
        gettext_lazy("Realisasi dikembalikan untuk diperbaiki"),
        to_correct,
        correct_item,
        allowed=may_correct,
        order=12,
        models=(QuarterSubmission,),
    )
