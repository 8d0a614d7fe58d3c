"""Search-as-you-type pickers for big tables ("lookups").

A form field holds a record's id (``core.forms.LookupInput``); the search box that
``static/sikumi/lookup.js`` puts beside it lists matches from one JSON endpoint (``lookup``,
``/cari/``) and fills the id. A select with 10.000 cooperatives or a million businesses would
not load.

Core never imports the apps: each app registers its search kinds here from its
``AppConfig.ready()`` (as it registers its menu items), with the check of who may search them.
A search takes ``(query, user, limit)`` and returns up to ``limit`` hits; it must stay fast at
its table's scale (an index for a million businesses: exact number, name-key prefix), and it gets
the user to mask what they may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from sikumi.accounts import access
from sikumi.rules.identifiers import mask_nik

LIMIT = 20
MIN_QUERY = 2


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    label: str
    detail: str = ""
    is_example: bool = False


Search = Callable[[str, Any, int], list[Hit]]


@dataclass(frozen=True)
class Kind:
    code: str
    search: Search
    allowed: Callable[[Any], bool]
    description: Promise | str


_KINDS: dict[str, Kind] = {}


def register(
    code: str, search: Search, *, allowed: Callable[[Any], bool], description: Promise | str
) -> None:
    """Make `code` searchable by users for whom `allowed(user)` is true (registering the same
    code again replaces it)."""
    _KINDS[code] = Kind(code, search, allowed, description)


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def codes() -> list[str]:
    return sorted(_KINDS)


def is_allowed(code: str, user: Any) -> bool:
    kind = _KINDS.get(code)
    return kind is not None and bool(kind.allowed(user))


def describe(code: str) -> str:
    """What the kind finds and by what, for the search box's label."""
    kind = _KINDS.get(code)
    return str(kind.description) if kind else code


def search(code: str, query: str, *, user: Any, limit: int = LIMIT) -> list[Hit]:
    """Up to `limit` records of kind `code` matching `query`; none for an unknown kind, a user
    who may not search it, or a query shorter than MIN_QUERY characters."""
    kind = _KINDS.get(code)
    query = (query or "").strip()
    if kind is None or len(query) < MIN_QUERY or not kind.allowed(user):
        return []
    return list(kind.search(query, user, limit))[:limit]


def shown_nik(user: Any, obj: Any, nik: str | None) -> str:
    """A NIK as this user may see it on `obj`: in full or masked."""
    if not nik:
        return ""
    return nik if access.can_view_personal_data(user, obj) else mask_nik(nik)
