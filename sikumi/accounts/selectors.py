"""Reads of the organisation and its users.

`unit_for_function` answers "which unit owns the records of this urusan" for every app, so that no
app names a unit by its code: a Dinas with one Bidang per urusan and a Dinas with a merged
"Bidang Kelembagaan dan Pengawasan" run the same code. The answer is cached (the organisation
changes a few times a year, the question is asked on every new record) and dropped whenever a unit
is saved; other processes see a change within CACHE_SECONDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.choices import RoleCode, UnitFunction
from sikumi.accounts.models import Unit, User

CACHE_KEY = "accounts:organisation:v1"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Organisation:
    """What the other apps ask of the organisation, read in one query."""

    holders: dict[str, Unit]  # urusan code -> the active unit holding it
    labels: dict[str, str]  # unit code -> short name (or name), archived units included


def _load() -> Organisation:
    holders: dict[str, Unit] = {}
    labels: dict[str, str] = {}
    for unit in Unit.objects.order_by("order", "pk"):
        labels[unit.code] = unit.label
        if unit.archived_at is None:
            for code in unit.functions or []:
                holders.setdefault(code, unit)
    return Organisation(holders=holders, labels=labels)


def organisation() -> Organisation:
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _load()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def invalidate_organisation(**_kwargs: Any) -> None:
    """Connected to every save of a unit (sikumi.accounts.apps). Dropped now, for the rest of
    the saving transaction, and again at its commit, so that a read made in between by another
    request (of the units as they were) is not kept."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def unit_for_function(code: str) -> Unit | None:
    """The active unit that holds the urusan `code` (a UnitFunction), or None when no unit
    holds it."""
    return organisation().holders.get(code)


def required_unit_for_function(code: str) -> Unit:
    """As `unit_for_function`, for records that must have an owner: a missing holder is a
    ValidationError telling the administrator what to set."""
    unit = organisation().holders.get(code)
    if unit is None:
        label = dict(UnitFunction.choices).get(code, code)
        raise ValidationError(
            _(
                "Belum ada unit kerja yang memegang urusan “%(function)s”. Administrator "
                "menetapkannya di Pengaturan > Unit kerja."
            )
            % {"function": label}
        )
    return unit


def unit_labels() -> dict[str, str]:
    """Unit code -> its short name (or its name), for narrow table columns."""
    return organisation().labels


def unassigned_functions() -> list[tuple[str, str]]:
    """The urusan no active unit holds, as (code, label)."""
    holders = organisation().holders
    return [(code, str(label)) for code, label in UnitFunction.choices if code not in holders]


def unit_tree() -> list[tuple[Unit, int]]:
    """The active units in tree order with their depth."""
    units = list(Unit.objects.active().select_related("parent"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int) -> list[tuple[Unit, int]]:
        rows: list[tuple[Unit, int]] = []
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            rows.extend(build(unit.pk, depth + 1))
        return rows

    return build(None, 0)


# --- users ------------------------------------------------------------------------------------


def user_list(*, user: Any) -> QuerySet[User]:
    """Every user, for administrators (one query for the page, one for the roles of its rows)."""
    access.require(access.can_manage_users(user))
    return (
        User.objects.select_related("unit")
        .prefetch_related("roles")
        .order_by("first_name", "last_name", "username")
    )


def user_get(*, user: Any, pk: int) -> User:
    access.require(access.can_manage_users(user))
    return User.objects.select_related("unit").prefetch_related("roles").get(pk=pk)


def active_administrators() -> QuerySet[User]:
    """Active users who administer Sikumi (the role, or a Django superuser)."""
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(roles__code=RoleCode.ADMIN)
    )
