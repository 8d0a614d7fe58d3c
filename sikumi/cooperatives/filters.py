"""One FilterSet per list, shared by the page, its XLSX export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.cooperatives import selectors
from sikumi.cooperatives.choices import ActivityStatus, EmpowermentKind, Jenis, OfficialRole, Pola
from sikumi.cooperatives.models import (
    Cooperative,
    CooperativeOfficial,
    EmpowermentRecord,
    RatReport,
)
from sikumi.core.filters import FilterSet
from sikumi.regions.selectors import kecamatan_list, kelurahan_list

YES_NO = (("1", _("Ya")), ("0", _("Tidak")))


def _yes(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "ya", "yes")


class CooperativeFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=kecamatan_list(), field_name="kecamatan"
    )
    kelurahan = django_filters.ModelChoiceFilter(
        label=_("Kelurahan"), queryset=kelurahan_list(), field_name="kelurahan"
    )
    jenis = django_filters.ChoiceFilter(label=_("Jenis"), choices=Jenis.choices)
    pola = django_filters.ChoiceFilter(label=_("Pola"), choices=Pola.choices)
    simpan_pinjam = django_filters.ChoiceFilter(
        label=_("KSP/USP"), choices=YES_NO, method="filter_savings_and_loan"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActivityStatus.choices, method="filter_status"
    )
    rat_year = django_filters.NumberFilter(
        label=_("RAT diselenggarakan tahun"), method="filter_rat_year"
    )
    is_example = django_filters.ChoiceFilter(
        label=_("Data contoh"), choices=YES_NO, method="filter_example"
    )

    class Meta:
        model = Cooperative
        fields = [
            "q",
            "kecamatan",
            "kelurahan",
            "jenis",
            "pola",
            "simpan_pinjam",
            "status",
            "rat_year",
            "is_example",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sikumi.cooperatives import facts

        health = facts.health_filter()
        if health is not None:
            choices, _method = health
            health_filter = django_filters.ChoiceFilter(
                label=_("Predikat kesehatan"), choices=choices, method="filter_health"
            )
            health_filter.parent = self
            health_filter.model = Cooperative
            self.filters["health"] = health_filter

    def search(self, queryset: QuerySet[Cooperative], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value) | Q(legal_entity_number__icontains=value)
        if value.isdigit():
            condition |= Q(nik_koperasi=value)
        return queryset.filter(condition)

    def filter_savings_and_loan(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = selectors.savings_and_loan_q()
        return queryset.filter(condition) if _yes(value) else queryset.exclude(condition)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # An SQL condition on last_rat_year / dissolved_at, never a Python loop.
        return queryset.filter(selectors.status_q(value))

    def filter_rat_year(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        year = int(value)
        held = RatReport.objects.filter(
            cooperative=OuterRef("pk"), year=year, archived_at__isnull=True
        )
        return queryset.filter(Exists(held))

    def filter_example(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_example=_yes(value))

    def filter_health(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from sikumi.cooperatives import facts

        health = facts.health_filter()
        if health is None:
            return queryset
        return health[1](queryset, value)


class OfficialFilter(FilterSet):
    cooperative = django_filters.NumberFilter(label=_("Koperasi"), field_name="cooperative")
    role = django_filters.ChoiceFilter(label=_("Unsur"), choices=OfficialRole.choices)
    q = django_filters.CharFilter(label=_("Nama"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = CooperativeOfficial
        fields = ["cooperative", "role", "q"]


class RatReportFilter(FilterSet):
    cooperative = django_filters.NumberFilter(label=_("Koperasi"), field_name="cooperative")
    book_year = django_filters.NumberFilter(label=_("Tahun buku"))
    year = django_filters.NumberFilter(label=_("Tahun diselenggarakan"))
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=kecamatan_list(), field_name="cooperative__kecamatan"
    )

    class Meta:
        model = RatReport
        fields = ["cooperative", "book_year", "year", "kecamatan"]


class EmpowermentFilter(FilterSet):
    cooperative = django_filters.NumberFilter(label=_("Koperasi"), field_name="cooperative")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=EmpowermentKind.choices)
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="date", lookup_expr="year")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=kecamatan_list(), field_name="cooperative__kecamatan"
    )

    class Meta:
        model = EmpowermentRecord
        fields = ["cooperative", "kind", "year", "kecamatan"]
