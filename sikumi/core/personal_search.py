"""Searching by a full NIK (or phone number) is a personal-data access (issue 15).

A search that answers "found" or "not found" for a 16-digit NIK confirms the number: with the
eight digits a mask hides, a few tens of thousands of guesses find anyone's NIK. So a search by a
full NIK is

- allowed only to roles that see NIKs unmasked (`access.can_search_personal_ids`); for everyone
  else the search matches nothing by it (the callers then also keep only the records whose NIK
  the user may see in full);
- recorded in the audit trail as a personal-data access, with the number masked;
- limited per user: `SIKUMI_PERSONAL_SEARCH_MAX` searches within
  `SIKUMI_PERSONAL_SEARCH_WINDOW_SECONDS`, counted from those audit entries (so the limit holds
  across processes); past it `SearchThrottled` (an Indonesian message, HTTP 429).

No search of Sikumi matches phone numbers; `is_personal_id` recognises them too so that any
later one goes through here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.models import AuditEntry
from sikumi.audit.services import record_personal_data_access
from sikumi.rules.identifiers import mask_nik, mask_phone

NIK = re.compile(r"^\d{16}$")
PHONE = re.compile(r"^(?:\+?62|0)8\d{7,12}$")
# The audit entries of these searches carry this as their object, which also counts them.
SEARCH_WHAT = "Pencarian dengan NIK atau nomor HP"


class SearchThrottled(Exception):
    """Too many searches by NIK or phone number by one user within the window."""

    def __init__(self) -> None:
        minutes = max(1, settings.SIKUMI_PERSONAL_SEARCH_WINDOW_SECONDS // 60)
        super().__init__(
            _(
                "Terlalu banyak pencarian dengan NIK atau nomor HP. Coba lagi setelah "
                "%(minutes)d menit, atau hubungi administrator."
            )
            % {"minutes": minutes}
        )


def compact(term: str) -> str:
    """The number as stored: spaces, dots and dashes dropped."""
    return re.sub(r"[\s.\-]", "", term or "")


def is_nik(term: str) -> bool:
    return bool(NIK.match(compact(term)))


def is_personal_id(term: str) -> bool:
    """A full NIK or a phone number (spaces, dots and dashes ignored)."""
    number = compact(term)
    return bool(NIK.match(number) or PHONE.match(number))


def allow(*, user: Any, term: str, model: type[models.Model] | None = None) -> bool:
    """Whether `user` may search by this NIK or phone number. When allowed, the search is
    counted (SearchThrottled past the limit) and recorded; when not, the caller matches nothing
    by it."""
    if not access.can_search_personal_ids(user):
        return False
    _count_and_record(user, f"{SEARCH_WHAT}: {_masked(term)}", model)
    return True


# A list of numbers looked up at once (a pasted attendance list): its masked numbers in the
# audit note up to this many.
LISTED = 50


def allow_many(
    *, user: Any, terms: list[str], model: type[models.Model] | None = None, purpose: str = ""
) -> bool:
    """`allow` for a list of numbers looked up together (e.g. the NIKs of an attendance list
    pasted on a training's page): one search against the same per-user limit, recorded with
    every number masked and what the list was for."""
    if not access.can_search_personal_ids(user):
        return False
    shown = ", ".join(_masked(t) for t in terms[:LISTED])
    if len(terms) > LISTED:
        shown += f" (+{len(terms) - LISTED})"
    reason = f" ({purpose})" if purpose else ""
    _count_and_record(user, f"{SEARCH_WHAT}{reason}, {len(terms)} nomor: {shown}", model)
    return True


def _masked(term: str) -> str:
    number = compact(term)
    return mask_nik(number) if NIK.match(number) else mask_phone(number)


def _count_and_record(user: Any, note: str, model: type[models.Model] | None) -> None:
    """One search by NIK or phone number: refused past the per-user limit (counted from the
    audit entries these write), recorded."""
    since = timezone.now() - timedelta(seconds=settings.SIKUMI_PERSONAL_SEARCH_WINDOW_SECONDS)
    done = AuditEntry.objects.filter(
        actor=user, at__gte=since, personal_data=True, object_repr=SEARCH_WHAT
    ).count()
    if done >= settings.SIKUMI_PERSONAL_SEARCH_MAX:
        raise SearchThrottled
    record_personal_data_access(
        actor=user, action=Action.VIEW_PERSONAL, what=SEARCH_WHAT, model=model, note=note
    )


def visible(user: Any, records: list[Any], owner: Any = None) -> list[Any]:
    """Of the records a NIK search found, those whose NIK the user may see in full (`owner`
    gives the record that carries the owning unit, e.g. an official's cooperative)."""
    return [r for r in records if access.can_view_personal_data(user, owner(r) if owner else r)]
