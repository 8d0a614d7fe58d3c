"""The "Tugas saya" inbox: the work waiting for a user, collected from every app.

Core never imports the apps: each app registers its sources of work here from its
``AppConfig.ready()`` (as it registers its menu items and lookups). A source is a queryset of the
records the user may act on now (realisations to verify, service cases to handle, certificates
about to expire...), built from ``sikumi.accounts.access`` and the user's unit scope, and a
function turning one record into an :class:`Item` (what, for which record, since / due when, and
the page where it is done).

The page counts each source with one ``COUNT`` and shows its first rows with one query; the menu
badge is the sum of the same counts. Every source must stay fast at a million businesses and ten
thousand cooperatives: filter on indexed columns and select the related rows the item shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from sikumi.accounts import access

# Rows shown per source on the page before its "Lihat semua" link.
PREVIEW = 5


@dataclass(frozen=True)
class Item:
    """One piece of work as the user reads it."""

    what: str
    subject: str
    url: str
    since: dt.date | dt.datetime | None = None
    due: dt.date | None = None
    detail: str = ""

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


Rows = Callable[[Any, dt.date], QuerySet[Any]]


@dataclass(frozen=True)
class Source:
    code: str
    label: Promise | str
    rows: Rows
    item: Callable[[Any], Item]
    allowed: Callable[[Any], bool]
    order: int = 100
    # The app's own page for this kind of work (e.g. the expiring-certificates page), if any.
    page_url: Callable[[], str] | None = None


_SOURCES: dict[str, Source] = {}


def register(
    code: str,
    label: Promise | str,
    rows: Rows,
    item: Callable[[Any], Item],
    *,
    allowed: Callable[[Any], bool],
    order: int = 100,
    page_url: Callable[[], str] | None = None,
) -> None:
    """Add a source of work: ``rows(user, today)`` is the queryset of the records ``user`` may
    act on, in the order shown (soonest first); ``allowed(user)`` a cheap role check done before
    any query; ``item(record)`` what one row says. Registering a code again replaces it."""
    _SOURCES[code] = Source(code, label, rows, item, allowed, order, page_url)


def sources_for(user: Any) -> list[Source]:
    return sorted(
        (s for s in _SOURCES.values() if s.allowed(user)), key=lambda s: (s.order, s.code)
    )


def get(code: str) -> Source | None:
    return _SOURCES.get(code)


def has_sources(user: Any) -> bool:
    """Whether any kind of work can reach this user (the menu entry is shown only then)."""
    return any(s.allowed(user) for s in _SOURCES.values())


def expiry_days() -> int:
    """How many days ahead an expiring certificate becomes work (SIKUMI_INBOX_EXPIRY_DAYS)."""
    return max(1, int(getattr(settings, "SIKUMI_INBOX_EXPIRY_DAYS", 60)))


class OwnUnitRecord:
    """Stands for any record of the user's own unit, to ask ``sikumi.accounts.access`` whether
    the user may act on such records at all (``access.can_verify(user, own_record(user))``)
    before querying them."""

    def __init__(self, user: Any) -> None:
        self.owner_unit = getattr(user, "unit", None)


def own_record(user: Any) -> OwnUnitRecord:
    return OwnUnitRecord(user)


def unit_scope(user: Any) -> QuerySet[Any] | None:
    """The units whose records this user acts on: None for every unit (administrators), else
    the user's Bidang and its Seksi (``access.editable_units``; empty for read-only roles)."""
    if access.is_admin(user):
        return None
    return access.editable_units(user)


def in_scope(queryset: QuerySet[Any], user: Any, field_name: str = "owner_unit") -> QuerySet[Any]:
    """``queryset`` limited to the records owned (through ``field_name``) by the user's units."""
    units = unit_scope(user)
    if units is None:
        return queryset
    return queryset.filter(**{f"{field_name}__in": units.values("pk")})


def counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """Records waiting for ``user``, per source code: one COUNT per source the user may have."""
    today = today or timezone.localdate()
    return {s.code: s.rows(user, today).count() for s in sources_for(user)}


def counts_for_request(user: Any) -> dict[str, int]:
    """:func:`counts` for today, kept on the user object so the page and its menu badge count
    once per request (``request.user`` is loaded afresh for every request)."""
    today = timezone.localdate()
    cached = getattr(user, "_sikumi_inbox_counts", None)
    if cached is None or cached[0] != today:
        cached = (today, counts(user, today))
        user._sikumi_inbox_counts = cached
    return cached[1]


def menu_count(user: Any) -> int:
    """The menu badge: every record waiting for the user."""
    return sum(counts_for_request(user).values())


@dataclass
class Group:
    source: Source
    count: int
    items: list[Item] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.source.code

    @property
    def label(self) -> Promise | str:
        return self.source.label

    @property
    def more(self) -> bool:
        return self.count > len(self.items)

    @property
    def page_url(self) -> str:
        return self.source.page_url() if self.source.page_url else ""


def summary(
    user: Any, *, today: dt.date | None = None, preview: int = PREVIEW, with_items: bool = True
) -> list[Group]:
    """The groups of work of ``user``, each with its count and its first ``preview`` items
    (two queries per source that has work: the count, then the rows)."""
    today = today or timezone.localdate()
    known = counts_for_request(user) if today == timezone.localdate() else counts(user, today)
    groups = []
    for source in sources_for(user):
        count = known.get(source.code, 0)
        group = Group(source, count)
        if count and with_items:
            group.items = [source.item(row) for row in source.rows(user, today)[:preview]]
        groups.append(group)
    return groups


def items(source: Source, rows: Any) -> list[Item]:
    return [source.item(row) for row in rows]
