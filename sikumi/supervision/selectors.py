"""Reads of this app that take the user (permissions) and aggregate in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from sikumi.accounts import access
from sikumi.rules import supervision as supervision_rules
from sikumi.supervision.choices import (
    OPEN_STATUSES,
    FindingStatus,
    FollowUpStatus,
    ServiceKind,
)
from sikumi.supervision.models import (
    CaseRequirement,
    CaseStatusChange,
    Finding,
    FollowUp,
    HealthAssessment,
    HealthMethodology,
    Inspection,
    InspectionPlan,
    PlannedInspection,
    Sanction,
    ServiceCase,
)


def case_list(*, user: Any) -> QuerySet[ServiceCase]:
    if not access.can_view(user, ServiceCase):
        return ServiceCase.objects.none()
    return ServiceCase.objects.active().select_related("cooperative", "officer", "owner_unit")


def case_get(*, user: Any, pk: int) -> ServiceCase:
    access.require(access.can_view(user, ServiceCase))
    return ServiceCase.objects.select_related("cooperative", "officer", "owner_unit__parent").get(
        pk=pk
    )


def status_history() -> Prefetch:
    """The cases' status changes, oldest first, with who made them."""
    return Prefetch(
        "status_changes",
        queryset=CaseStatusChange.objects.select_related("changed_by").order_by("changed_at", "id"),
    )


def inspection_list(*, user: Any) -> QuerySet[Inspection]:
    if not access.can_view(user, Inspection):
        return Inspection.objects.none()
    return Inspection.objects.active().select_related("cooperative", "checklist", "owner_unit")


def inspection_get(*, user: Any, pk: int) -> Inspection:
    access.require(access.can_view(user, Inspection))
    return Inspection.objects.select_related(
        "cooperative", "checklist", "owner_unit__parent", "planned__plan"
    ).get(pk=pk)


def requirement_get(*, user: Any, pk: int) -> CaseRequirement:
    """One requirement of a service case (its file carries the case's documents)."""
    access.require(access.can_view(user, ServiceCase))
    return CaseRequirement.objects.select_related("case__owner_unit", "case__cooperative").get(
        pk=pk
    )


def follow_up_overdue(today: dt.date) -> Q:
    """SQL form of ``rules.supervision.follow_up_status(...) == "overdue"``."""
    return Q(status=FollowUpStatus.OPEN, due_date__lt=today)


def with_follow_up_status(findings: QuerySet[Finding], today: dt.date) -> QuerySet[Finding]:
    """Each finding with ``follow_up_status`` (SQL form of ``rules.supervision.finding_status``
    over its active follow-ups), ``status_rank`` (the order of FindingStatus: overdue first) and
    ``next_due`` (the earliest due date of its open follow-ups)."""
    follow_ups = FollowUp.objects.active().filter(finding=OuterRef("pk")).order_by()
    still_open = follow_ups.filter(status=FollowUpStatus.OPEN)
    order = {status: rank for rank, status in enumerate(FindingStatus.values)}
    return findings.annotate(
        follow_up_status=Case(
            When(Exists(follow_ups.filter(follow_up_overdue(today))), then=Value("overdue")),
            When(Exists(still_open), then=Value("open")),
            When(Exists(follow_ups), then=Value("done")),
            default=Value("none"),
            output_field=CharField(),
        ),
        status_rank=Case(
            *(When(follow_up_status=status, then=Value(rank)) for status, rank in order.items()),
            output_field=IntegerField(),
        ),
        next_due=Subquery(still_open.order_by("due_date").values("due_date")[:1]),
    )


def finding_list(*, user: Any, today: dt.date | None = None) -> QuerySet[Finding]:
    """Findings of active inspections with their follow-up status, what needs action first."""
    if not access.can_view(user, Inspection):
        return Finding.objects.none()
    findings = (
        Finding.objects.active()
        .filter(inspection__archived_at__isnull=True)
        .select_related("inspection__cooperative")
    )
    return with_follow_up_status(findings, today or timezone.localdate())


def active_follow_ups() -> Prefetch:
    """The findings' follow-ups (not archived) as ``active_follow_ups``, soonest due first."""
    return Prefetch(
        "follow_ups",
        queryset=FollowUp.objects.active().order_by("due_date", "id"),
        to_attr="active_follow_ups",
    )


def follow_up_with_finding_get(*, user: Any, pk: int) -> FollowUp:
    access.require(access.can_view(user, Inspection))
    return FollowUp.objects.active().select_related("finding__inspection__owner_unit").get(pk=pk)


def finding_get(*, user: Any, inspection: Inspection, pk: int) -> Finding:
    access.require(access.can_view(user, Inspection))
    return Finding.objects.get(pk=pk, inspection=inspection)


def finding_with_inspection_get(*, user: Any, pk: int) -> Finding:
    access.require(access.can_view(user, Inspection))
    return Finding.objects.select_related("inspection__owner_unit").get(pk=pk)


def follow_up_get(*, user: Any, finding: Finding, pk: int) -> FollowUp:
    access.require(access.can_view(user, Inspection))
    return FollowUp.objects.get(pk=pk, finding=finding)


def sanction_get(*, user: Any, pk: int) -> Sanction:
    access.require(access.can_view(user, Sanction))
    return Sanction.objects.select_related("owner_unit").get(pk=pk)


def plan_get(*, user: Any, pk: int) -> InspectionPlan:
    access.require(access.can_view(user, InspectionPlan))
    return InspectionPlan.objects.select_related("owner_unit__parent").get(pk=pk)


def planned_get(*, user: Any, pk: int) -> PlannedInspection:
    access.require(access.can_view(user, InspectionPlan))
    return PlannedInspection.objects.active().select_related("plan", "cooperative").get(pk=pk)


def plan_items(*, user: Any, plan: InspectionPlan) -> QuerySet[PlannedInspection]:
    """The cooperatives of a plan, each with the inspections recorded from (or linked to) its
    row in ``recorded`` (newest first; one prefetch query per page)."""
    if not access.can_view(user, InspectionPlan):
        return PlannedInspection.objects.none()
    return (
        PlannedInspection.objects.active()
        .filter(plan=plan)
        .select_related("cooperative")
        .prefetch_related(
            Prefetch(
                "inspections",
                queryset=Inspection.objects.active().order_by("-date", "-id"),
                to_attr="recorded",
            )
        )
        .order_by("quarter", "cooperative__name", "id")
    )


def plan_progress(items: QuerySet[PlannedInspection]) -> dict[str, int]:
    """How many cooperatives of the plan are inspected, in one grouped query."""
    inspected = Inspection.objects.active().filter(planned=OuterRef("pk"))
    counts = items.order_by().aggregate(
        total=Count("id"), inspected=Count("id", filter=Q(Exists(inspected)))
    )
    return {"total": counts["total"] or 0, "inspected": counts["inspected"] or 0}


def plan_list(*, user: Any) -> QuerySet[Any]:
    if not access.can_view(user, InspectionPlan):
        return InspectionPlan.objects.none()
    return (
        InspectionPlan.objects.active()
        .select_related("owner_unit")
        .annotate(planned_count=Count("items", filter=Q(items__archived_at__isnull=True)))
    )


def assessment_list(*, user: Any) -> QuerySet[HealthAssessment]:
    if not access.can_view(user, HealthAssessment):
        return HealthAssessment.objects.none()
    return HealthAssessment.objects.active().select_related(
        "cooperative", "methodology", "owner_unit"
    )


def assessment_get(*, user: Any, pk: int) -> HealthAssessment:
    access.require(access.can_view(user, HealthAssessment))
    return HealthAssessment.objects.select_related(
        "cooperative", "methodology", "assessor", "owner_unit__parent"
    ).get(pk=pk)


def methodologies() -> QuerySet[HealthMethodology]:
    return HealthMethodology.objects.active().filter(is_active=True).order_by("code", "-revision")


class _Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5) WITHIN GROUP (ORDER BY x), an ordered-set aggregate."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def service_time_report(queryset: QuerySet[ServiceCase]) -> list[dict[str, Any]]:
    """Per kind: cases, decided cases, open cases, median and average days to a decision.

    Counts and averages are one grouped SQL query; on PostgreSQL the median is too
    (percentile_cont). Other databases compute the median from the decided cases' day counts.
    """
    rows: dict[str, Any] = {
        row["kind"]: row
        for row in queryset.order_by()
        .values("kind")
        .annotate(
            total=Count("id"),
            decided=Count("id", filter=Q(service_days__isnull=False)),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            average=Avg("service_days"),
        )
    }
    medians: dict[str, float | None] = {}
    if connection.vendor == "postgresql":
        medians = dict(
            queryset.order_by()
            .filter(service_days__isnull=False)
            .values("kind")
            .annotate(median=_Median("service_days"))
            .values_list("kind", "median")
        )
    else:
        days: dict[str, list[int]] = {}
        for kind, value in (
            queryset.filter(service_days__isnull=False)
            .order_by()
            .values_list("kind", "service_days")
            .iterator()
        ):
            days.setdefault(kind, []).append(int(value or 0))
        medians = {kind: supervision_rules.median(values) for kind, values in days.items()}
    report = []
    for kind, label in ServiceKind.choices:
        row: dict[str, Any] = rows.get(kind, {})
        report.append(
            {
                "kind": kind,
                "label": label,
                "total": row.get("total", 0),
                "decided": row.get("decided", 0),
                "open": row.get("open", 0),
                "average": row.get("average"),
                "median": medians.get(kind),
            }
        )
    return report


# Above this many cooperatives the facts are read for every cooperative and the wanted ones kept
# in Python: a long SQL IN list costs more than the rows it saves.
_FACTS_SQL_IN_LIMIT = 1000


def supervision_facts(cooperative_ids: list[int] | None, year: int) -> dict[int, dict[str, Any]]:
    """Facts for the registry's quality rules (sikumi.cooperatives.facts), in one query:
    the predicate of the latest health assessment up to ``year`` and whether the latest
    inspection up to ``year`` found the cooperative compliant (each a correlated subquery on
    the cooperative's index, evaluated once per cooperative)."""
    from sikumi.cooperatives.models import Cooperative

    latest_health = (
        HealthAssessment.objects.active()
        .filter(cooperative_id=OuterRef("pk"), year__lte=year)
        .order_by("-year", "-assessed_on", "-id")
        .values("predicate")[:1]
    )
    latest_inspection = (
        Inspection.objects.active()
        .filter(cooperative_id=OuterRef("pk"), date__year__lte=year)
        .exclude(result="")
        .order_by("-date", "-id")
        .values("result")[:1]
    )
    cooperatives = Cooperative.objects.order_by()
    wanted: set[int] | None = None
    if cooperative_ids is not None:
        if len(cooperative_ids) <= _FACTS_SQL_IN_LIMIT:
            cooperatives = cooperatives.filter(pk__in=cooperative_ids)
        else:
            wanted = set(cooperative_ids)
    facts: dict[int, dict[str, Any]] = {}
    for pk, predicate, result in cooperatives.annotate(
        _predicate=Subquery(latest_health), _result=Subquery(latest_inspection)
    ).values_list("pk", "_predicate", "_result"):
        if (predicate is None and result is None) or (wanted is not None and pk not in wanted):
            continue
        values: dict[str, Any] = {}
        if predicate is not None:
            values["predikat_kesehatan"] = predicate
        if result is not None:
            values["patuh_pemeriksaan"] = result == "patuh"
        facts[pk] = values
    return facts
