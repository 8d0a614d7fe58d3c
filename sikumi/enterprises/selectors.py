"""Reads of the registry: lists, the mayor's promise, naik omzet and naik kelas.

All counts are SQL aggregates. The promise and growth figures are cached under the registry
version (`RegistryVersion`, bumped by every write path), so a page over a million businesses
computes them once per change, in any process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person, RegistryVersion
from sikumi.rules.identifiers import mask_nik_tail
from sikumi.rules.msme import DEFAULT_CRITERIA, mikro_sales_max

# The mayor's promise (RPJMD 2021-2026), counted in people (distinct owners).
PROMISE = {"start": 2021, "end": 2026, "new_target": 5000, "women_target": 1000}
# Data dasar: micro enterprises registered at the start of the Renstra.
BASELINE_ENTERPRISES = 8570
CACHE_SECONDS = 3600


def registry_version() -> int:
    row = RegistryVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def invalidate_counts() -> None:
    """Call after any write to people, businesses or turnover (services, imports, reverts)."""
    updated = RegistryVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        RegistryVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def _cached(name: str, compute: Any) -> Any:
    key = f"enterprises:{registry_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def kecamatan_names() -> dict[str, str]:
    from sikumi.regions.selectors import kecamatan_list

    return dict(kecamatan_list().values_list("code", "name"))


# ---------------------------------------------------------------------------------- lists


def enterprise_list(*, user: Any) -> QuerySet[Enterprise]:
    if not access.can_view(user, Enterprise):
        return Enterprise.objects.none()
    return Enterprise.objects.active().select_related("owner", "kelurahan")


def enterprise_get(*, user: Any, pk: int) -> Enterprise:
    access.require(access.can_view(user, Enterprise))
    return Enterprise.objects.select_related(
        "owner", "kelurahan", "owner_unit__parent", "owner__owner_unit__parent"
    ).get(pk=pk)


def person_list(*, user: Any) -> QuerySet[Person]:
    if not access.can_view(user, Person):
        return Person.objects.none()
    return Person.objects.active()


def person_get(*, user: Any, pk: int) -> Person:
    access.require(access.can_view(user, Person))
    return Person.objects.select_related("owner_unit__parent").get(pk=pk)


@dataclass(frozen=True)
class PersonHints:
    """What tells namesakes apart without showing personal data: the NIK's last four digits,
    the kelurahan of their first business and the birth year."""

    nik_tail: str
    kelurahan: str
    birth_year: int | None

    def __str__(self) -> str:
        parts = [self.nik_tail, self.kelurahan]
        if self.birth_year:
            parts.append(_("lahir %(year)s") % {"year": self.birth_year})
        return " · ".join(p for p in parts if p)


def person_hints(people: Iterable[Person]) -> dict[int, PersonHints]:
    """The hints of these people (one query for the kelurahan names)."""
    from sikumi.regions.models import Region

    people = list(people)
    codes = {p.kelurahan_code for p in people if p.kelurahan_code}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return {
        p.pk: PersonHints(
            mask_nik_tail(p.nik),
            names.get(p.kelurahan_code, ""),
            p.birth_date.year if p.birth_date else None,
        )
        for p in people
    }


def turnovers_of(enterprise: Enterprise) -> QuerySet[EnterpriseTurnover]:
    return EnterpriseTurnover.objects.filter(
        enterprise=enterprise, archived_at__isnull=True
    ).order_by("year")


# ------------------------------------------------------------------------------- promise


def promise_people(
    *, year: int | None = None, women: bool = False, kecamatan: str | None = None
) -> QuerySet[Person]:
    """The people behind a promise number: each counted once, in the first programme year of
    their new-entrepreneur businesses and at the place of their first business
    (`sikumi.enterprises.facts`), as the Renstra indicators count them."""
    qs = Person.objects.active().filter(
        new_entrepreneur_year__gte=PROMISE["start"], new_entrepreneur_year__lte=PROMISE["end"]
    )
    if year:
        qs = qs.filter(new_entrepreneur_year=year)
    if women:
        qs = qs.filter(sex="P")
    if kecamatan:
        qs = qs.filter(kecamatan_code=kecamatan)
    return qs


def _promise(year: int | None) -> dict[str, Any]:
    people = Count("pk")
    women = Count("pk", filter=Q(sex="P"))
    per_year: dict[Any, Any] = {
        row["new_entrepreneur_year"]: row
        for row in promise_people()
        .values("new_entrepreneur_year")
        .annotate(new=people, women=women)
        .order_by()
    }
    names = kecamatan_names()
    per_kecamatan: dict[Any, Any] = {
        row["kecamatan_code"]: row
        for row in promise_people(year=year)
        .values("kecamatan_code")
        .annotate(new=people, women=women)
        .order_by()
    }
    totals = {
        "new": sum(row["new"] for row in per_kecamatan.values()),
        "women": sum(row["women"] for row in per_kecamatan.values()),
    }
    new_total, women_total = totals["new"] or 0, totals["women"] or 0
    return {
        "year": year,
        "start": PROMISE["start"],
        "end": PROMISE["end"],
        "new_target": PROMISE["new_target"],
        "women_target": PROMISE["women_target"],
        "new_entrepreneurs": new_total,
        "women_entrepreneurs": women_total,
        "new_percent": round(100 * new_total / PROMISE["new_target"], 2),
        "women_percent": round(100 * women_total / PROMISE["women_target"], 2),
        "per_year": [
            {
                "year": y,
                "new": per_year.get(y, {}).get("new", 0),
                "women": per_year.get(y, {}).get("women", 0),
            }
            for y in range(PROMISE["start"], PROMISE["end"] + 1)
        ],
        "per_kecamatan": [
            {
                "code": code,
                "name": name,
                "new": per_kecamatan.get(code, {}).get("new", 0),
                "women": per_kecamatan.get(code, {}).get("women", 0),
            }
            for code, name in sorted(names.items())
        ],
    }


def promise_progress(year: int | None = None) -> dict[str, Any]:
    """The mayor's promise: new entrepreneurs / start-ups (target 5.000) and women entrepreneurs
    (target 1.000) under the programme 2021-2026, in people (`promise_people`), in total, per
    programme year and per kecamatan (`year` limits totals and per-kecamatan to that year).
    Each person counts once, so the years and the kecamatan add up to the total.

    Women entrepreneurs are the women among those new entrepreneurs.
    """
    return _cached(f"promise:{year or 'all'}", lambda: _promise(year))


# ------------------------------------------------------------------------ naik omzet / kelas


def _previous_amount() -> Subquery:
    previous = EnterpriseTurnover.objects.filter(
        enterprise=OuterRef("enterprise"), year=OuterRef("year") - 1, archived_at__isnull=True
    ).values("amount")[:1]
    return Subquery(previous)


def _growth_turnovers(year: int) -> QuerySet[EnterpriseTurnover]:
    return (
        EnterpriseTurnover.objects.filter(
            year=year, archived_at__isnull=True, enterprise__archived_at__isnull=True
        )
        .annotate(previous=_previous_amount())
        .filter(previous__isnull=False)
    )


def _mikro_max_sales() -> Any:
    return mikro_sales_max(DEFAULT_CRITERIA)


def _growth(year: int, kind: str) -> dict[str, Any]:
    qs = _growth_turnovers(year)
    if kind == "omzet":
        qs = qs.filter(amount__gt=F("previous"))
    else:
        ceiling = _mikro_max_sales()
        qs = qs.filter(previous__lte=ceiling, amount__gt=ceiling)  # type: ignore[misc]
    count = qs.count()
    names = kecamatan_names()
    rows = {
        row["kecamatan_code"]: row["n"]
        for row in qs.values("kecamatan_code").annotate(n=Count("id")).order_by()
    }
    return {
        "year": year,
        "count": count,
        "baseline": BASELINE_ENTERPRISES,
        "percent": round(100 * count / BASELINE_ENTERPRISES, 2),
        "per_kecamatan": [
            {"code": code, "name": name, "count": rows.get(code, 0)}
            for code, name in sorted(names.items())
        ],
    }


def naik_omzet(year: int) -> dict[str, Any]:
    """Businesses whose turnover of `year` is above their record of `year - 1`, against the data
    dasar of 8.570; `enterprises` is a queryset of them for the drill-down list."""
    result = dict(_cached(f"omzet:{year}", lambda: _growth(year, "omzet")))
    result["enterprises"] = naik_omzet_enterprises(year)
    return result


def naik_kelas(year: int) -> dict[str, Any]:
    """Businesses that moved from mikro to kecil by sales (PP 7/2021, thresholds from
    sikumi.rules.msme data) between `year - 1` and `year`."""
    result = dict(_cached(f"kelas:{year}", lambda: _growth(year, "kelas")))
    result["enterprises"] = naik_kelas_enterprises(year)
    return result


def naik_omzet_enterprises(year: int) -> QuerySet[Enterprise]:
    ids = _growth_turnovers(year).filter(amount__gt=F("previous")).values("enterprise_id")
    return Enterprise.objects.active().filter(pk__in=ids)


def naik_kelas_enterprises(year: int) -> QuerySet[Enterprise]:
    ceiling = _mikro_max_sales()
    ids = (
        _growth_turnovers(year)
        .filter(previous__lte=ceiling, amount__gt=ceiling)  # type: ignore[misc]
        .values("enterprise_id")
    )
    return Enterprise.objects.active().filter(pk__in=ids)


def counts_summary() -> dict[str, Any]:
    """Businesses and people in the registry, per scale (for the dashboard)."""

    def compute() -> dict[str, Any]:
        qs = Enterprise.objects.active()
        by_scale = {
            r["scale"] or "": r["n"] for r in qs.values("scale").annotate(n=Count("id")).order_by()
        }
        return {
            "enterprises": sum(by_scale.values()),
            "people": Person.objects.active().count(),
            "by_scale": by_scale,
            "women_owned": qs.filter(is_woman_owned=True).count(),
        }

    return _cached("summary", compute)


def enterprises_per_kecamatan() -> dict[str, int]:
    """Active businesses per kecamatan code (for the map)."""

    def compute() -> dict[str, int]:
        return {
            r["kecamatan_code"]: r["n"]
            for r in Enterprise.objects.active()
            .values("kecamatan_code")
            .annotate(n=Count("id"))
            .order_by()
        }

    return _cached("per-kecamatan", compute)
