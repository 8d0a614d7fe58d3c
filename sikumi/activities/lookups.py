"""Finding a person, business or product by name, NIK, NIB or number, for the participant search
and the lookup fields (registered in sikumi.core.lookups by ActivitiesConfig.ready(); the
cooperative and official searches are sikumi.cooperatives.lookups). Every search uses an index
(exact NIK/NIB, name-key prefix) so it stays fast with a million businesses; NIKs are shown masked
unless the user may see them."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import access
from sikumi.core import lookups, personal_search
from sikumi.core.lookups import Hit
from sikumi.enterprises.selectors import person_hints

# The kinds the training's participant search offers, in its order.
PARTICIPANT_KINDS = ("person", "enterprise", "cooperative", "official")
_DIGITS = re.compile(r"^\d+$")


def _person(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.enterprises.filters import prefix_search
    from sikumi.enterprises.models import Person

    qs: QuerySet[Any] = Person.objects.active().select_related("owner_unit__parent")
    if personal_search.is_personal_id(query):
        # A full NIK: only for those who may see it (recorded, limited), their records only.
        if not personal_search.is_nik(query) or not personal_search.allow(
            user=user, term=query, model=Person
        ):
            return []
        nik = personal_search.compact(query)
        people = personal_search.visible(user, list(qs.filter(nik=nik)[:limit]))
    else:
        people = list(prefix_search(qs, query).order_by("name_key", "id")[:limit])
    # Namesakes told apart by the NIK's last digits, the kelurahan and the birth year, never
    # the full NIK (a list of hits is no place for it).
    hints = person_hints(people)
    return [Hit("person", p.pk, p.name, str(hints[p.pk]), p.is_example) for p in people]


def _enterprise(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.enterprises.filters import prefix_search
    from sikumi.enterprises.models import Enterprise

    qs: QuerySet[Any] = Enterprise.objects.active().select_related("owner", "kelurahan")
    if _DIGITS.match(query) and len(query) == 13:
        qs = qs.filter(nib=query)
    elif personal_search.is_personal_id(query):
        # The owner's full NIK: as for people (only for those who may see it, recorded).
        if not personal_search.is_nik(query) or not personal_search.allow(
            user=user, term=query, model=Enterprise
        ):
            return []
        found = personal_search.visible(
            user,
            list(qs.filter(owner__nik=personal_search.compact(query))[:limit]),
            owner=lambda e: e.owner,
        )
        qs = qs.filter(pk__in=[e.pk for e in found])
    else:
        qs = prefix_search(qs, query)
    return [
        Hit(
            "enterprise",
            e.pk,
            e.name,
            " · ".join(
                x
                for x in (
                    e.owner.name,
                    f"NIB {e.nib}" if e.nib else "",
                    e.kelurahan.name if e.kelurahan_id else "",
                )
                if x
            ),
            e.is_example,
        )
        for e in qs.order_by("name_key", "id")[:limit]
    ]


def product_matches(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Products whose name starts with the query (a range over the name-key index), or the
    products of the business whose NIB it is: the product search of the lookup field and of
    the products list."""
    from sikumi.enterprises.filters import prefix_search

    query = query.strip()
    if _DIGITS.match(query) and len(query) == 13:
        return queryset.filter(enterprise__nib=query)
    return prefix_search(queryset, query).order_by("name_key", "id")


def _product(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.activities.models import Product

    qs = product_matches(Product.objects.active().select_related("enterprise__kelurahan"), query)
    return [
        Hit(
            "product",
            p.pk,
            p.name,
            " · ".join(
                x
                for x in (p.enterprise.name, p.enterprise.kelurahan and p.enterprise.kelurahan.name)
                if x
            ),
            p.is_example,
        )
        for p in qs[:limit]
    ]


def register() -> None:
    internal = access.is_internal
    lookups.register("person", _person, allowed=internal, description=_("Orang (nama atau NIK)"))
    lookups.register(
        "enterprise",
        _enterprise,
        allowed=internal,
        description=_("Usaha (nama, NIB atau NIK pemilik)"),
    )
    lookups.register(
        "product",
        _product,
        allowed=internal,
        description=_("Produk (nama produk atau NIB usaha)"),
    )
