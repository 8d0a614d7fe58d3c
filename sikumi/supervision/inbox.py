"""Supervision work for "Tugas saya" (sikumi.core.inbox): open service cases waiting on the
user or their unit, this year's planned inspections not yet recorded, and follow-ups of findings
past their due date. Each source is one small function over indexed columns; the records are
those the user may edit (``sikumi.accounts.access.can_edit``: staff of the owning Bidang)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts import access
from sikumi.core import inbox
from sikumi.supervision.choices import CaseStatus
from sikumi.supervision.models import FollowUp, Inspection, PlannedInspection, ServiceCase

# Open statuses in which the Dinas, not the applicant, has the next step ("perlu perbaikan"
# waits for the applicant's documents).
WAITING_ON_DINAS = (CaseStatus.DIAJUKAN, CaseStatus.VERIFIKASI, CaseStatus.DIPROSES)


def may_act(user: Any) -> bool:
    return access.can_edit(user, inbox.own_record(user))


def cases(user: Any, today: dt.date) -> QuerySet[ServiceCase]:
    """Open cases of the user's Bidang assigned to the user or to nobody yet, oldest first."""
    rows = ServiceCase.objects.active().filter(status__in=WAITING_ON_DINAS)
    rows = inbox.in_scope(rows, user).filter(Q(officer=user) | Q(officer__isnull=True))
    return rows.select_related("cooperative").order_by("requested_on", "id")


def case_item(case: ServiceCase) -> inbox.Item:
    who = case.cooperative.name if case.cooperative_id else case.proposed_name  # type: ignore[union-attr]
    return inbox.Item(
        what=case.get_kind_display(),
        subject=who or case.applicant_name,
        url=reverse("supervision:case-detail", args=[case.pk]),
        since=case.requested_on,
        detail=" · ".join(p for p in (case.get_status_display(), case.number) if p),
    )


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def planned_inspections(user: Any, today: dt.date) -> QuerySet[PlannedInspection]:
    """Cooperatives in this year's inspection plan of the user's Bidang with no inspection
    recorded yet, soonest quarter first."""
    recorded = Inspection.objects.active().filter(planned=OuterRef("pk"))
    rows = PlannedInspection.objects.active().filter(
        plan__year=today.year, plan__archived_at__isnull=True
    )
    rows = inbox.in_scope(rows, user, "plan__owner_unit").filter(~Exists(recorded))
    return rows.select_related("cooperative", "plan").order_by("quarter", "id")


def planned_item(row: PlannedInspection) -> inbox.Item:
    query = urlencode({"cooperative": row.cooperative_id, "planned": row.pk})
    return inbox.Item(
        what=_("Pemeriksaan terencana %(quarter)s %(year)s")
        % {"quarter": row.get_quarter_display(), "year": row.plan.year},
        subject=row.cooperative.name,
        url=f"{reverse('supervision:inspection-create')}?{query}",
        due=quarter_end(row.plan.year, row.quarter),
        detail=row.note,
    )


def overdue_follow_ups(user: Any, today: dt.date) -> QuerySet[FollowUp]:
    """Open follow-ups of findings of the user's Bidang whose due date has passed, the longest
    overdue first (FollowUp.due_date; indexed with the status)."""
    rows = (
        FollowUp.objects.active()
        .overdue(today)
        .filter(finding__archived_at__isnull=True, finding__inspection__archived_at__isnull=True)
    )
    rows = inbox.in_scope(rows, user, "finding__inspection__owner_unit")
    return rows.select_related("finding__inspection__cooperative").order_by("due_date", "id")


def follow_up_item(row: FollowUp) -> inbox.Item:
    return inbox.Item(
        what=_("Tindak lanjut temuan lewat batas waktu"),
        subject=row.finding.inspection.cooperative.name,
        url=reverse("supervision:follow-up-edit", args=[row.finding_id, row.pk]),
        due=row.due_date,
        detail=row.action,
    )


def register() -> None:
    inbox.register(
        "layanan",
        gettext_lazy("Layanan kelembagaan menunggu diproses"),
        cases,
        case_item,
        allowed=may_act,
        order=20,
        models=(ServiceCase,),
    )
    inbox.register(
        "pemeriksaan-rencana",
        gettext_lazy("Pemeriksaan terencana belum dilaksanakan"),
        planned_inspections,
        planned_item,
        allowed=may_act,
        order=30,
        models=(PlannedInspection, Inspection),
    )
    inbox.register(
        "temuan-terlambat",
        gettext_lazy("Tindak lanjut temuan lewat batas waktu"),
        overdue_follow_ups,
        follow_up_item,
        allowed=may_act,
        order=40,
        models=(FollowUp,),
    )
