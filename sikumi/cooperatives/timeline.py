"""The timeline on a cooperative's detail page, and the hook other apps extend it with.

The registry app contributes RAT reports, empowerment, awards, ratings and dissolution. Another app
(e.g. `sikumi.supervision`: cases, inspections, health assessments) registers a provider from its
``AppConfig.ready()``::

    from sikumi.cooperatives import timeline

    def supervision_events(cooperative, user):
        return [
            timeline.Event(date=a.assessed_on, kind="kesehatan",
                           title=f"Penilaian kesehatan: {a.predicate}", url=a.get_absolute_url()),
            ...
        ]

    timeline.register("supervision", supervision_events)

A provider takes ``(cooperative, user)`` and returns a list of :class:`Event` (query only what
belongs to that one cooperative, newest first is not required: the page sorts). A provider that
fails is skipped (and logged) so it never breaks the page.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One entry on the timeline."""

    date: dt.date
    kind: str  # short code shown as a label: "rat", "pemberdayaan", "penghargaan", ...
    title: str
    detail: str = ""
    url: str = ""
    is_example: bool = False


Provider = Callable[[Any, Any], list[Event]]

_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace) a timeline provider under a unique name."""
    _PROVIDERS[name] = provider


def unregister(name: str) -> None:
    _PROVIDERS.pop(name, None)


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def timeline_extra(cooperative: Any, user: Any = None) -> list[Event]:
    """Events from the other apps' providers (everything except this app's own)."""
    events: list[Event] = []
    for name, provider in _PROVIDERS.items():
        if name == "cooperatives":
            continue
        try:
            events.extend(provider(cooperative, user))
        except Exception:  # a broken extension must not break the registry's page
            logger.exception("timeline provider %s failed for cooperative %s", name, cooperative.pk)
    return events


def timeline(cooperative: Any, user: Any = None, limit: int = 200) -> list[Event]:
    """All events of one cooperative, newest first."""
    events: list[Event] = []
    own = _PROVIDERS.get("cooperatives")
    if own is not None:
        events.extend(own(cooperative, user))
    events.extend(timeline_extra(cooperative, user))
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]
