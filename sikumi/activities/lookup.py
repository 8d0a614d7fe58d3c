"""Finding a person, business, cooperative, official or product by name, NIK, NIB or number,
for the participant search and the lookup fields. Every search uses an index (exact NIK/NIB,
name-key prefix) so it stays fast with a million businesses; NIKs are shown masked unless the
user may see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.rules.identifiers import mask_nik

LIMIT = 20
KINDS = ("person", "enterprise", "cooperative", "official", "product")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    label: str
    detail: str
    is_example: bool


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).lower()


def _nik(user: Any, obj: Any, nik: str | None) -> str:
    if not nik:
        return ""
    return nik if access.can_view_personal_data(user, obj) else mask_nik(nik)


def search(kind: str, query: str, *, user: Any, limit: int = LIMIT) -> list[Hit]:
    """Up to `limit` matches of `query` among records of `kind` (a value of KINDS)."""
    query = (query or "").strip()
    if kind not in KINDS or len(query) < 2 or not access.is_internal(user):
        return []
    return list(globals()[f"_{kind}"](query, user, limit))


def _person(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.enterprises.models import Person

    qs = Person.objects.active().select_related("owner_unit__parent")
    if _DIGITS.match(query) and len(query) == 16:
        qs = qs.filter(nik=query)
    else:
        qs = qs.filter(name_key__startswith=_key(query))
    return [
        Hit("person", p.pk, p.name, _nik(user, p, p.nik), p.is_example)
        for p in qs.order_by("name_key", "id")[:limit]
    ]


def _enterprise(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.enterprises.models import Enterprise

    qs = Enterprise.objects.active().select_related("owner", "kelurahan")
    if _DIGITS.match(query) and len(query) == 13:
        qs = qs.filter(nib=query)
    elif _DIGITS.match(query) and len(query) == 16:
        qs = qs.filter(owner__nik=query)
    else:
        qs = qs.filter(name_key__startswith=_key(query))
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


def _cooperative(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.cooperatives.models import Cooperative

    qs = Cooperative.objects.filter(archived_at__isnull=True).select_related("kecamatan")
    if _DIGITS.match(query):
        qs = qs.filter(Q(nik_koperasi=query) | Q(legal_entity_number__startswith=query))
    else:
        qs = qs.filter(Q(name_key__contains=_key(query)) | Q(name__icontains=query))
    return [
        Hit(
            "cooperative",
            k.pk,
            k.name,
            " · ".join(
                x for x in (k.get_jenis_display(), k.kecamatan.name if k.kecamatan else "") if x
            ),
            k.is_example,
        )
        for k in qs.order_by("name", "id")[:limit]
    ]


def _official(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.cooperatives.models import CooperativeOfficial

    qs = CooperativeOfficial.objects.filter(archived_at__isnull=True).select_related(
        "cooperative__owner_unit__parent"
    )
    if _DIGITS.match(query) and len(query) == 16:
        qs = qs.filter(nik=query)
    else:
        qs = qs.filter(name__icontains=query)
    return [
        Hit(
            "official",
            o.pk,
            o.name,
            " · ".join(
                x for x in (o.get_role_display(), o.cooperative.name, _nik(user, o, o.nik)) if x
            ),
            o.is_example,
        )
        for o in qs.order_by("name", "id")[:limit]
    ]


def _product(query: str, user: Any, limit: int) -> list[Hit]:
    from sikumi.activities.models import Product

    qs = Product.objects.active().select_related("enterprise")
    if _DIGITS.match(query) and len(query) == 13:
        qs = qs.filter(enterprise__nib=query)
    else:
        qs = qs.filter(Q(name__icontains=query) | Q(enterprise__name_key__startswith=_key(query)))
    return [
        Hit("product", p.pk, p.name, p.enterprise.name, p.is_example)
        for p in qs.order_by("name", "id")[:limit]
    ]


def describe(kind: str) -> str:
    return {
        "person": _("Orang (nama atau NIK)"),
        "enterprise": _("Usaha (nama, NIB atau NIK pemilik)"),
        "cooperative": _("Koperasi (nama atau NIK Koperasi)"),
        "official": _("Pengurus koperasi (nama atau NIK)"),
        "product": _("Produk (nama, nama usaha atau NIB)"),
    }[kind]
