"""Trainings, certificates, events, curation and financing on the enterprise and cooperative
detail timelines, when those apps offer a timeline registry (`<app>/timeline.py` with
`register(provider)`). Until they do, this is a no-op."""

from __future__ import annotations

import dataclasses
import inspect
from importlib import import_module
from typing import Any


def register_providers() -> None:
    """Register on each registry's timeline, whichever of the two contracts it offers:
    `register(name, provider)` (cooperatives) or `register(provider)` (enterprises); a provider
    is `(obj, user) -> [entry]`, built with the registry's own entry class."""
    for app, build in (
        ("enterprises", enterprise_events),
        ("cooperatives", cooperative_events),
    ):
        try:
            registry = import_module(f"sikumi.{app}.timeline")
        except ImportError:
            continue
        register = getattr(registry, "register", None)
        if not callable(register):
            continue
        provider = _provider(registry, build)
        if len(inspect.signature(register).parameters) >= 2:
            register("activities", provider)
        else:
            register(provider)


def _provider(registry: Any, build: Any) -> Any:
    entry_class = getattr(registry, "Event", None) or getattr(registry, "TimelineEntry", None)
    accepted = (
        {f.name for f in dataclasses.fields(entry_class)}
        if entry_class is not None and dataclasses.is_dataclass(entry_class)
        else set()
    )

    def activities_events(obj: Any, user: Any = None) -> list[Any]:
        items = build(obj)
        if entry_class is None:
            return items
        return [entry_class(**{k: v for k, v in i.items() if k in accepted}) for i in items]

    return activities_events


def enterprise_events(enterprise: Any) -> list[dict[str, Any]]:
    """Dated events of one business, newest first: {date, kind, title, url}."""
    from django.urls import reverse

    from sikumi.activities.models import (
        Curation,
        EventParticipant,
        FinancingFacilitation,
        LegalityApplication,
        TrainingParticipant,
    )

    items: list[dict[str, Any]] = []
    for p in (
        TrainingParticipant.objects.active()
        .filter(enterprise=enterprise)
        .select_related("training")
    ):
        items.append(
            _item(
                p.training.starts_on,
                "pelatihan",
                f"{p.training} ({p.get_outcome_display()})",
                reverse("activities:training-detail", args=[p.training_id]),
                example=p.is_example,
            )
        )
    for cert in (
        LegalityApplication.objects.active()
        .filter(product__enterprise=enterprise)
        .select_related("product")
    ):
        items.append(
            _item(
                cert.issued_on or cert.applied_on,
                "legalitas",
                f"{cert.get_kind_display()} {cert.product} ({cert.get_status_display()})",
                reverse("activities:legality-detail", args=[cert.pk]),
                example=cert.is_example,
            )
        )
    for ep in (
        EventParticipant.objects.active().filter(enterprise=enterprise).select_related("event")
    ):
        items.append(
            _item(
                ep.event.starts_on,
                "promosi",
                str(ep.event),
                reverse("activities:event-detail", args=[ep.event_id]),
                example=ep.is_example,
            )
        )
    for cur in Curation.objects.active().filter(enterprise=enterprise):
        items.append(
            _item(
                cur.date,
                "kurasi",
                f"{cur} ({cur.get_result_display()})",
                reverse("activities:curation-detail", args=[cur.pk]),
                example=cur.is_example,
            )
        )
    for fin in FinancingFacilitation.objects.active().filter(enterprise=enterprise):
        items.append(
            _item(
                fin.date,
                "pembiayaan",
                f"{fin.get_scheme_display()} {fin.lender}",
                reverse("activities:financing-detail", args=[fin.pk]),
                example=fin.is_example,
            )
        )
    return sorted(items, key=lambda i: i["date"], reverse=True)


def cooperative_events(cooperative: Any) -> list[dict[str, Any]]:
    """Dated events of one cooperative (its own and its officials' trainings), newest first."""
    from django.db.models import Q
    from django.urls import reverse

    from sikumi.activities.models import (
        EventParticipant,
        FinancingFacilitation,
        TrainingParticipant,
    )

    items: list[dict[str, Any]] = []
    for p in (
        TrainingParticipant.objects.active()
        .filter(Q(cooperative=cooperative) | Q(official__cooperative=cooperative))
        .select_related("training", "official")
    ):
        who = f" - {p.official.name}" if p.official_id else ""
        items.append(
            _item(
                p.training.starts_on,
                "pelatihan",
                f"{p.training}{who} ({p.get_outcome_display()})",
                reverse("activities:training-detail", args=[p.training_id]),
                example=p.is_example,
            )
        )
    for ep in (
        EventParticipant.objects.active().filter(cooperative=cooperative).select_related("event")
    ):
        items.append(
            _item(
                ep.event.starts_on,
                "promosi",
                str(ep.event),
                reverse("activities:event-detail", args=[ep.event_id]),
                example=ep.is_example,
            )
        )
    for fin in FinancingFacilitation.objects.active().filter(cooperative=cooperative):
        items.append(
            _item(
                fin.date,
                "pembiayaan",
                f"{fin.get_scheme_display()} {fin.lender}",
                reverse("activities:financing-detail", args=[fin.pk]),
                example=fin.is_example,
            )
        )
    return sorted(items, key=lambda i: i["date"], reverse=True)


def _item(date: Any, kind: str, title: str, url: str, example: bool = False) -> dict[str, Any]:
    return {"date": date, "kind": kind, "title": title, "url": url, "is_example": example}
