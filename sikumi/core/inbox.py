"""The "Tugas saya" inbox: the work waiting for a user, collected from every app.

Core never imports the apps: each app registers its sources of work here from its
``AppConfig.ready()`` (as it registers its menu items and lookups). A source is a queryset of the
records the user may act on now (realisations to verify, service cases to handle, certificates
about to expire...), built from ``sikumi.accounts.access`` and the user's unit scope, and a
function turning one record into an :class:`Item` (what, for which record, since / due when, and
the page where it is done).

The page counts each source with one ``COUNT`` and shows its first rows with one query; the menu
badge is the sum of the same counts, cached per user for a short time (see below). Every source
must stay fast at a million businesses and ten thousand cooperatives: filter on indexed columns
and select the related rows the item shows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
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
    # Models whose saved or deleted records change what this source counts.
    models: tuple[type[Model], ...] = ()


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
    models: tuple[type[Model], ...] = (),
) -> None:
    """Add a source of work: ``rows(user, today)`` is the queryset of the records ``user`` may
    act on, in the order shown (soonest first); ``allowed(user)`` a cheap role check done before
    any query; ``item(record)`` what one row says; ``models`` those whose writes change the
    count (the cached badge is refreshed when one is saved or deleted). Registering a code
    again replaces it."""
    _SOURCES[code] = Source(code, label, rows, item, allowed, order, page_url, tuple(models))
    for model in models:
        uid = f"sikumi-inbox-{model._meta.label_lower}"
        post_save.connect(records_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(records_changed, sender=model, dispatch_uid=uid, weak=False)


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


QS = TypeVar("QS", bound=QuerySet[Any])


def in_scope(queryset: QS, user: Any, field_name: str = "owner_unit") -> QS:
    """``queryset`` limited to the records owned (through ``field_name``) by the user's units."""
    units = unit_scope(user)
    if units is None:
        return queryset
    return queryset.filter(**{f"{field_name}__in": units.values("pk")})


def counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """Records waiting for ``user``, per source code: one COUNT per source the user may have."""
    today = today or timezone.localdate()
    return {s.code: s.rows(user, today).count() for s in sources_for(user)}


# --- the figures of the menu badge and the home page, cached per user for a short time ---------
#
# The badge is on every page, and a COUNT over thousands of expiring certificates or overdue
# follow-ups costs tens of milliseconds: the counts are kept per user for
# SIKUMI_INBOX_BADGE_SECONDS. Saving or deleting a record of a model a source counts (the
# ``models`` it registers) changes a version in the key, so the badge follows an approval at
# once in this process; other processes (each has its own cache) catch up when the time runs
# out. The page "Tugas saya" always counts afresh and refreshes the cached figures.

VERSION_KEY = "sikumi:inbox:version"
_MEMO = "_sikumi_inbox_counts"


def badge_seconds() -> int:
    return max(0, int(getattr(settings, "SIKUMI_INBOX_BADGE_SECONDS", 60)))


def _key(user: Any, today: dt.date) -> str:
    return f"sikumi:inbox:{cache.get(VERSION_KEY, 0)}:{user.pk}:{today.isoformat()}"


def records_changed(**_kwargs: Any) -> None:
    """A record some source counts was saved or deleted: every cached figure is stale."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def fresh_counts(user: Any) -> dict[str, int]:
    """Today's counts, computed now (once per request: kept on the user object, which is loaded
    afresh for every request) and stored for the badge."""
    today = timezone.localdate()
    memo = getattr(user, _MEMO, None)
    if memo is None or memo[0] != today or not memo[2]:
        memo = (today, counts(user, today), True)
        setattr(user, _MEMO, memo)
        cache.set(_key(user, today), memo[1], badge_seconds())
    return memo[1]


def cached_counts(user: Any) -> dict[str, int]:
    """Today's counts as the menu badge and the home page show them: this request's, else the
    cached ones, else computed now."""
    today = timezone.localdate()
    memo = getattr(user, _MEMO, None)
    if memo is not None and memo[0] == today:
        return memo[1]
    found = cache.get(_key(user, today))
    if found is None:
        return fresh_counts(user)
    setattr(user, _MEMO, (today, found, False))
    return found


def menu_count(user: Any) -> int:
    """The menu badge: every record waiting for the user."""
    return sum(cached_counts(user).values())


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
    (two queries per source that has work: the count, then the rows). Without items (the home
    page) the counts may come from the badge's cache."""
    if today is not None:
        known = counts(user, today)
    elif with_items:
        known = fresh_counts(user)
    else:
        known = cached_counts(user)
    today = today or timezone.localdate()
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
