"""Cooperatives and their officials for the lookup fields (sikumi.core.lookups), registered in
CooperativesConfig.ready().

A cooperative is found by the start of its name (compared as `name_key`, so "KSP Maju" finds
"Koperasi Simpan Pinjam Maju Jaya"), by its NIK Koperasi or by the start of its legal-entity
number; each of these uses an index (`cooperative_namekey_prefix_idx`,
`cooperative_nik_koperasi_unique`, `cooperative_legal_no_idx`). When fewer than the limit match,
names with the words inside follow ("mangga" finds "Koperasi Konsumen Mangga Dua"): a scan of the
name keys, a few milliseconds for 10.000 cooperatives.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.accounts import access
from sikumi.cooperatives import selectors
from sikumi.cooperatives.models import Cooperative, CooperativeOfficial
from sikumi.core import lookups, personal_search
from sikumi.core.lookups import Hit
from sikumi.rules.parsing import normalise_name

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"^\d+$")


def matching_q(query: str) -> Q | None:
    """Cooperatives whose name starts with `query` (as name keys), whose NIK Koperasi is
    `query` or whose legal-entity number starts with it; None when nothing can match (the query
    is only legal-form words such as "Koperasi")."""
    query = query.strip()
    conditions = []
    key = normalise_name(query)
    if key:
        conditions.append(Q(name_key__startswith=key))
    if _DIGIT.search(query):
        compact = "".join(query.split())
        if _DIGITS.match(compact):
            conditions.append(Q(nik_koperasi=compact))
        for number in {query, query.upper()}:
            conditions.append(Q(legal_entity_number__startswith=number))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def _cooperatives(queryset: QuerySet[Cooperative], query: str, user: Any, limit: int) -> list[Hit]:
    condition = matching_q(query)
    if condition is None:
        return []
    found = list(
        queryset.filter(condition)
        .select_related("kecamatan")
        .order_by("name_key", "name", "id")[:limit]
    )
    key = normalise_name(query)
    if key and len(found) < limit:
        # Then a word inside the name ("mangga" for "Koperasi Konsumen Mangga Dua"), after the
        # names that start with it: a scan, which 10.000 cooperatives keep short.
        found += list(
            queryset.filter(name_key__contains=key)
            .exclude(pk__in=[k.pk for k in found])
            .select_related("kecamatan")
            .order_by("name_key", "name", "id")[: limit - len(found)]
        )
    return [Hit("cooperative", k.pk, k.name, _detail(k), k.is_example) for k in found]


def _detail(k: Cooperative) -> str:
    if k.nik_koperasi:
        number = f"NIK Koperasi {k.nik_koperasi}"
    elif k.legal_entity_number:
        number = _("BH %(number)s") % {"number": k.legal_entity_number}
    else:
        number = ""
    parts = [
        k.get_jenis_display(),
        k.kecamatan.name if k.kecamatan_id and k.kecamatan else "",
        number,
        _("dibubarkan") if k.dissolved_at else "",
    ]
    return " · ".join(p for p in parts if p)


def _officials(query: str, user: Any, limit: int) -> list[Hit]:
    qs = CooperativeOfficial.objects.filter(archived_at__isnull=True).select_related(
        "cooperative__owner_unit__parent"
    )
    if personal_search.is_personal_id(query):
        # A full NIK: only for those who may see it (recorded, limited), their records only.
        if not personal_search.is_nik(query) or not personal_search.allow(
            user=user, term=query, model=CooperativeOfficial
        ):
            return []
        nik = personal_search.compact(query)
        found = personal_search.visible(user, list(qs.filter(nik=nik)[:limit]))
        qs = qs.filter(pk__in=[o.pk for o in found])
    else:
        qs = qs.filter(name__icontains=query)
    return [
        Hit(
            "official",
            o.pk,
            o.name,
            " · ".join(
                x
                for x in (
                    o.get_role_display(),
                    o.cooperative.name,
                    lookups.shown_nik(user, o, o.nik),
                )
                if x
            ),
            o.is_example,
        )
        for o in qs.order_by("name", "id")[:limit]
    ]


def _may_search_cooperatives(user: Any) -> bool:
    return access.can_view(user, Cooperative)


def register() -> None:
    lookups.register(
        "cooperative",
        lambda query, user, limit: _cooperatives(Cooperative.objects.active(), query, user, limit),
        allowed=_may_search_cooperatives,
        description=gettext_lazy("Koperasi (nama, NIK Koperasi atau nomor badan hukum)"),
    )
    # The cooperatives a new record may name (selectors.choosable): not dissolved, and for a
    # health assessment savings-and-loan only.
    lookups.register(
        "cooperative_undissolved",
        lambda query, user, limit: _cooperatives(selectors.choosable(), query, user, limit),
        allowed=_may_search_cooperatives,
        description=gettext_lazy(
            "Koperasi yang belum dibubarkan (nama, NIK Koperasi atau nomor badan hukum)"
        ),
    )
    lookups.register(
        "cooperative_ksp",
        lambda query, user, limit: _cooperatives(
            selectors.choosable(savings_and_loan=True), query, user, limit
        ),
        allowed=_may_search_cooperatives,
        description=gettext_lazy(
            "Koperasi simpan pinjam atau ber-USP (nama, NIK Koperasi atau nomor badan hukum)"
        ),
    )
    lookups.register(
        "official",
        _officials,
        allowed=lambda user: access.can_view(user, CooperativeOfficial),
        description=gettext_lazy("Pengurus koperasi (nama atau NIK)"),
    )
