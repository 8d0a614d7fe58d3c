"""Facts, the health filter and timeline events read from `sikumi.supervision`, when that app's
models are installed. Registered from CooperativesConfig.ready() under the name "supervision";
if the supervision app registers its own providers under the same names they replace these.

Everything here is bulk SQL: subqueries on the cooperative list, never a query per cooperative.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery

from sikumi.cooperatives import facts, timeline
from sikumi.rules.formatting import format_number

HEALTH_PREDICATES = [
    ("Sehat", "Sehat"),
    ("Cukup Sehat", "Cukup Sehat"),
    ("Dalam Pengawasan", "Dalam Pengawasan"),
    ("Dalam Pengawasan Khusus", "Dalam Pengawasan Khusus"),
]


def _model(name: str) -> Any:
    try:
        return apps.get_model("supervision", name)
    except LookupError:
        return None


def _latest_health(year: int | None = None) -> Subquery | None:
    model = _model("HealthAssessment")
    if model is None:
        return None
    qs = model.objects.filter(cooperative=OuterRef("pk"), archived_at__isnull=True)
    if year is not None:
        qs = qs.filter(year__lte=year)
    return Subquery(qs.order_by("-year", "-id").values("predicate")[:1])


def _latest_inspection(year: int) -> Subquery | None:
    model = _model("Inspection")
    if model is None:
        return None
    qs = (
        model.objects.filter(
            cooperative=OuterRef("pk"), archived_at__isnull=True, date__year__lte=year
        )
        .exclude(result="")
        .order_by("-date", "-id")
        .values("result")[:1]
    )
    return Subquery(qs)


def supervision_facts(cooperative_ids: list[int] | None, year: int) -> dict[int, dict[str, Any]]:
    from sikumi.cooperatives.models import Cooperative

    health = _latest_health(year)
    inspection = _latest_inspection(year)
    if health is None and inspection is None:
        return {}
    qs = Cooperative.objects.active().order_by()
    if cooperative_ids is not None:
        qs = qs.filter(pk__in=cooperative_ids)
    annotations: dict[str, Any] = {}
    if health is not None:
        annotations["health_predicate"] = health
    if inspection is not None:
        annotations["inspection_result"] = inspection
    result: dict[int, dict[str, Any]] = {}
    for row in qs.annotate(**annotations).values("pk", *annotations):
        values: dict[str, Any] = {}
        if row.get("health_predicate"):
            values["predikat_kesehatan"] = row["health_predicate"]
        if row.get("inspection_result"):
            values["patuh_pemeriksaan"] = row["inspection_result"] == "patuh"
        if values:
            result[row["pk"]] = values
    return result


def filter_by_health(queryset: QuerySet, value: str) -> QuerySet:
    latest = _latest_health()
    if latest is None or not value:
        return queryset
    return queryset.annotate(latest_health_predicate=latest).filter(latest_health_predicate=value)


def supervision_events(cooperative: Any, user: Any) -> list[timeline.Event]:
    events: list[timeline.Event] = []
    health = _model("HealthAssessment")
    if health is not None:
        for a in health.objects.active().filter(cooperative=cooperative).order_by("-year")[:50]:
            events.append(
                timeline.Event(
                    date=a.assessed_on,
                    kind="kesehatan",
                    title=f"Penilaian kesehatan tahun buku {a.year}: {a.predicate}",
                    detail=f"Skor {format_number(a.total_score, 2)}",
                    is_example=a.is_example,
                )
            )
    inspection = _model("Inspection")
    if inspection is not None:
        for i in inspection.objects.active().filter(cooperative=cooperative).order_by("-date")[:50]:
            events.append(
                timeline.Event(
                    date=i.date,
                    kind="pemeriksaan",
                    title="Pemeriksaan kepatuhan",
                    detail=i.get_result_display() if i.result else "",
                    is_example=i.is_example,
                )
            )
    return events


def register() -> None:
    if _model("HealthAssessment") is None and _model("Inspection") is None:
        return
    facts.register("supervision", supervision_facts)
    if _model("HealthAssessment") is not None:
        facts.register_health_filter(HEALTH_PREDICATES, filter_by_health)
    timeline.register("supervision", supervision_events)
