"""The timeline on a business's page: turnover and programme events here; other apps add
theirs (trainings, certificates, curation, events) by registering a provider:

    from sikumi.enterprises.timeline import TimelineEntry, register

    @register
    def trainings(enterprise, user):
        for p in Participant.objects.filter(enterprise=enterprise).select_related("session"):
            yield TimelineEntry(date=p.session.start_date, title="Pelatihan " + p.session.topic,
                                kind="pelatihan", url=p.session.get_absolute_url())

A provider receives the enterprise and the user and returns an iterable of entries; it must make
a bounded number of queries (one or two), never one per entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    title: str
    detail: str = ""
    kind: str = ""
    url: str = ""


Provider = Callable[[Any, Any], Iterable[TimelineEntry]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def timeline_for(enterprise: Any, user: Any) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in _PROVIDERS:
        entries.extend(provider(enterprise, user))
    return sorted(entries, key=lambda e: e.date, reverse=True)


@register
def _registry_events(enterprise: Any, user: Any) -> Iterable[TimelineEntry]:
    from sikumi.core.templatetags.sikumi import rupiah

    if enterprise.start_date:
        yield TimelineEntry(enterprise.start_date, _("Mulai usaha"), kind="usaha")
    if enterprise.is_new_entrepreneur and enterprise.programme_year:
        yield TimelineEntry(
            dt.date(enterprise.programme_year, 1, 1),
            _("Wirausaha baru program %(year)s") % {"year": enterprise.programme_year},
            detail=enterprise.cohort,
            kind="program",
        )
    for turnover in enterprise.turnovers.filter(archived_at__isnull=True).order_by("year"):
        yield TimelineEntry(
            dt.date(turnover.year, 12, 31),
            _("Omzet tahun %(year)s") % {"year": turnover.year},
            detail=rupiah(turnover.amount),
            kind="omzet",
        )
