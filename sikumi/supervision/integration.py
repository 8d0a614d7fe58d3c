"""Hooks into the cooperative registry: timeline events and facts for its quality rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sikumi.rules.formatting import format_number


def supervision_events(cooperative: Any, user: Any) -> list[Any]:
    """Cases, inspections, sanctions and health assessments of one cooperative."""
    from sikumi.cooperatives.timeline import Event
    from sikumi.supervision.models import HealthAssessment, Inspection, Sanction, ServiceCase

    events: list[Any] = []
    for case in ServiceCase.objects.active().filter(cooperative=cooperative)[:100]:
        events.append(
            Event(
                date=case.decided_on or case.requested_on,
                kind="layanan",
                title=f"{case.get_kind_display()}: {case.get_status_display()}",
                detail=case.decision_number,
                url=reverse("supervision:case-detail", args=[case.pk]),
                is_example=case.is_example,
            )
        )
    for inspection in Inspection.objects.active().filter(cooperative=cooperative)[:100]:
        events.append(
            Event(
                date=inspection.date,
                kind="pemeriksaan",
                title=_("Pemeriksaan: %(result)s")
                % {"result": inspection.get_result_display() or "-"},
                url=reverse("supervision:inspection-detail", args=[inspection.pk]),
                is_example=inspection.is_example,
            )
        )
    for sanction in Sanction.objects.active().filter(cooperative=cooperative)[:100]:
        events.append(
            Event(
                date=sanction.date,
                kind="sanksi",
                title=sanction.get_kind_display(),
                detail=sanction.number,
                is_example=sanction.is_example,
            )
        )
    for assessment in HealthAssessment.objects.active().filter(cooperative=cooperative)[:100]:
        events.append(
            Event(
                date=assessment.assessed_on,
                kind="kesehatan",
                title=_("Penilaian kesehatan %(year)s: %(predicate)s")
                % {"year": assessment.year, "predicate": assessment.predicate},
                detail=_("Skor %(score)s") % {"score": format_number(assessment.total_score, 2)},
                url=reverse("supervision:assessment-detail", args=[assessment.pk]),
                is_example=assessment.is_example,
            )
        )
    return events


def register() -> None:
    try:
        from sikumi.cooperatives import facts, timeline
    except ImportError:  # the registry app is not installed
        return
    from sikumi.supervision.selectors import supervision_facts

    timeline.register("supervision", supervision_events)
    facts.register("supervision", supervision_facts)
