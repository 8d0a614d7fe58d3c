"""Derived facts the indicators count, kept up to date on every write of the registry.

Counting people (not businesses) over a million businesses would otherwise group the whole
table at every computation. So each person carries the facts of their active businesses, and
each turnover record says whether it counts as "naik omzet":

- `Person.has_business`, `kecamatan_code`, `kelurahan_code`: the person has an active business
  and is placed at the first one (lowest id), so per-kecamatan counts of people add up to the
  city's count;
- `Person.business_since`: the earliest start date of those businesses (NULL when one has
  none: it counts from any date on);
- `Person.new_entrepreneur_year`: the first programme year of their new-entrepreneur businesses;
- `EnterpriseTurnover.grew`: this record, its business and the previous year's record are
  active, and the amount is above the previous year's; `kecamatan_code` and `kelurahan_code`
  follow the business.

The bulk writer (`sikumi.enterprises.bulk`) computes the same facts from the rows it inserts;
the services and the import revert call `refresh_people` / `refresh_turnovers` for the records
they touched. Both are single UPDATE statements with correlated subqueries (any database), in
chunks of ids; without ids they refresh everything (the migration that added the facts).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Exists, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person

CHUNK = 500


def _chunks(ids: Iterable[int] | None) -> Iterable[list[int] | None]:
    if ids is None:
        yield None
        return
    unique = sorted({i for i in ids if i is not None})
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def person_fact_updates(enterprises: Any = Enterprise) -> dict[str, Any]:
    """The UPDATE expressions of the people's facts (`enterprises`: the model, also the
    historical one in a migration)."""
    owned = enterprises.objects.filter(owner=OuterRef("pk"), archived_at__isnull=True)
    first = owned.order_by("id")
    earliest = owned.order_by().values("owner").annotate(m=Min("start_date")).values("m")
    first_year = (
        owned.filter(is_new_entrepreneur=True, programme_year__isnull=False)
        .order_by()
        .values("owner")
        .annotate(m=Min("programme_year"))
        .values("m")
    )
    return {
        "has_business": Exists(owned),
        "kecamatan_code": Coalesce(Subquery(first.values("kecamatan_code")[:1]), Value("")),
        "kelurahan_code": Coalesce(Subquery(first.values("kelurahan_id")[:1]), Value("")),
        "business_since": Case(
            When(Exists(owned.filter(start_date__isnull=True)), then=Value(None)),
            default=Subquery(earliest),
        ),
        "new_entrepreneur_year": Subquery(first_year),
    }


def turnover_fact_updates(
    enterprises: Any = Enterprise, turnovers: Any = EnterpriseTurnover
) -> dict[str, Any]:
    business = enterprises.objects.filter(pk=OuterRef("enterprise_id"))
    previous = turnovers.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        year=OuterRef("year") - 1,
        archived_at__isnull=True,
        amount__lt=OuterRef("amount"),
    )
    return {
        "kecamatan_code": Coalesce(Subquery(business.values("kecamatan_code")[:1]), Value("")),
        "kelurahan_code": Coalesce(Subquery(business.values("kelurahan_id")[:1]), Value("")),
        "grew": Case(
            When(
                Q(archived_at__isnull=True)
                & Exists(business.filter(archived_at__isnull=True))
                & Exists(previous),
                then=Value(True),
            ),
            default=Value(False),
        ),
    }


def refresh_people(ids: Iterable[int] | None) -> None:
    """Recompute the facts of these people (all when `ids` is None)."""
    updates = person_fact_updates()
    for chunk in _chunks(ids):
        qs = Person.objects.all() if chunk is None else Person.objects.filter(pk__in=chunk)
        qs.update(**updates)


def refresh_turnovers(enterprise_ids: Iterable[int] | None) -> None:
    """Recompute the facts of the turnover records of these businesses (all when None)."""
    updates = turnover_fact_updates()
    for chunk in _chunks(enterprise_ids):
        qs = (
            EnterpriseTurnover.objects.all()
            if chunk is None
            else EnterpriseTurnover.objects.filter(enterprise_id__in=chunk)
        )
        qs.update(**updates)


def refresh_enterprise(enterprise: Enterprise, *owner_ids: int | None) -> None:
    """After a business was created, edited or archived: its owner(s) and its turnover."""
    refresh_people([enterprise.owner_id, *[i for i in owner_ids if i is not None]])
    refresh_turnovers([enterprise.pk])
