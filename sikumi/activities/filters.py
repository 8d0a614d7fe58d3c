"""One FilterSet per list, shared by the page, its XLSX export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.activities import choices as c
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.core.filters import BooleanFilter, FilterSet, RecordFilter
from sikumi.regions.selectors import kecamatan_list


def _kecamatan_choices() -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in kecamatan_list()]


class _Base(FilterSet):
    owner_unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.active())
    is_example = BooleanFilter(label=_("Data contoh"))


def _beneficiary_search(queryset: QuerySet[Any], value: str) -> Q:
    return Q(enterprise__name__icontains=value) | Q(cooperative__name__icontains=value)


def _beneficiary_kecamatan(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    return queryset.filter(Q(enterprise__kecamatan_code=value) | Q(cooperative__kecamatan=value))


class ProductFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari nama produk / NIB"), method="search")
    category = django_filters.ChoiceFilter(label=_("Kategori"), choices=c.ProductCategory.choices)
    enterprise = RecordFilter("enterprise", label=_("Usaha"))
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), choices=_kecamatan_choices, field_name="enterprise__kecamatan_code"
    )

    class Meta:
        model = Product
        fields = ["q", "category", "kecamatan", "enterprise", "owner_unit", "is_example"]

    def search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        """By the product's name (a prefix, over its index) or its business's NIB; the
        business's own name is the business list's search."""
        from sikumi.activities.lookups import product_matches

        return product_matches(queryset, value)


class LegalityFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=c.LegalityKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=c.LegalityStatus.choices)
    year = django_filters.NumberFilter(label=_("Tahun program"))
    issued_year = django_filters.NumberFilter(
        label=_("Tahun terbit"), field_name="issued_on", lookup_expr="year"
    )
    facilitated = BooleanFilter(label=_("Difasilitasi Dinas"))
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"),
        choices=_kecamatan_choices,
        field_name="product__enterprise__kecamatan_code",
    )
    product = RecordFilter("product", label=_("Produk"))

    class Meta:
        model = LegalityApplication
        fields = [
            "q",
            "kind",
            "status",
            "year",
            "issued_year",
            "facilitated",
            "kecamatan",
            "product",
            "owner_unit",
            "is_example",
        ]

    def search(
        self, queryset: QuerySet[LegalityApplication], name: str, value: str
    ) -> QuerySet[LegalityApplication]:
        return queryset.filter(
            Q(product__name__icontains=value)
            | Q(product__enterprise__name__icontains=value)
            | Q(certificate_number__icontains=value)
        )


class TrainingFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=c.TrainingKind.choices)
    target_group = django_filters.ChoiceFilter(label=_("Sasaran"), choices=c.TargetGroup.choices)
    year = django_filters.NumberFilter(label=_("Tahun"))

    class Meta:
        model = Training
        fields = ["q", "kind", "target_group", "year", "owner_unit", "is_example"]

    def search(self, queryset: QuerySet[Training], name: str, value: str) -> QuerySet[Training]:
        return queryset.filter(
            Q(topic__icontains=value) | Q(place__icontains=value) | Q(organiser__icontains=value)
        )


class ParticipantFilter(FilterSet):
    training = RecordFilter(label=_("Nomor pelatihan"))
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="training__year")
    target_group = django_filters.ChoiceFilter(
        label=_("Sasaran"), choices=c.TargetGroup.choices, field_name="training__target_group"
    )
    attendance = django_filters.ChoiceFilter(label=_("Kehadiran"), choices=c.Attendance.choices)
    outcome = django_filters.ChoiceFilter(label=_("Hasil"), choices=c.Outcome.choices)
    person = RecordFilter("person", label=_("Orang"))
    enterprise = RecordFilter("enterprise", label=_("Usaha"))
    cooperative = RecordFilter("cooperative", label=_("Koperasi"))
    official = RecordFilter("official", label=_("Pengurus"))
    is_example = BooleanFilter(label=_("Data contoh"))

    class Meta:
        model = TrainingParticipant
        fields = [
            "training",
            "year",
            "target_group",
            "attendance",
            "outcome",
            "person",
            "enterprise",
            "cooperative",
            "official",
            "is_example",
        ]


class CurationFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    result = django_filters.ChoiceFilter(label=_("Hasil"), choices=c.CurationResult.choices)
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="date", lookup_expr="year")
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), choices=_kecamatan_choices, field_name="enterprise__kecamatan_code"
    )
    enterprise = RecordFilter("enterprise", label=_("Usaha"))

    class Meta:
        model = Curation
        fields = ["q", "result", "year", "kecamatan", "enterprise", "owner_unit", "is_example"]

    def search(self, queryset: QuerySet[Curation], name: str, value: str) -> QuerySet[Curation]:
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(product__name__icontains=value)
            | Q(curator__icontains=value)
        )


class EventFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=c.EventKind.choices)
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="starts_on", lookup_expr="year")

    class Meta:
        model = PromotionEvent
        fields = ["q", "kind", "year", "owner_unit", "is_example"]

    def search(
        self, queryset: QuerySet[PromotionEvent], name: str, value: str
    ) -> QuerySet[PromotionEvent]:
        return queryset.filter(
            Q(name__icontains=value) | Q(place__icontains=value) | Q(organiser__icontains=value)
        )


class EventParticipantFilter(FilterSet):
    event = RecordFilter(label=_("Nomor kegiatan"))
    year = django_filters.NumberFilter(
        label=_("Tahun"), field_name="event__starts_on", lookup_expr="year"
    )
    enterprise = RecordFilter("enterprise", label=_("Usaha"))
    cooperative = RecordFilter("cooperative", label=_("Koperasi"))

    class Meta:
        model = EventParticipant
        fields = ["event", "year", "enterprise", "cooperative"]


class FinancingFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    scheme = django_filters.ChoiceFilter(label=_("Skema"), choices=c.FinancingScheme.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=c.FinancingStatus.choices)
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="date", lookup_expr="year")
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), choices=_kecamatan_choices, method="by_kecamatan"
    )
    enterprise = RecordFilter("enterprise", label=_("Usaha"))
    cooperative = RecordFilter("cooperative", label=_("Koperasi"))

    class Meta:
        model = FinancingFacilitation
        fields = [
            "q",
            "scheme",
            "status",
            "year",
            "kecamatan",
            "enterprise",
            "cooperative",
            "owner_unit",
            "is_example",
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(_beneficiary_search(queryset, value) | Q(lender__icontains=value))

    def by_kecamatan(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _beneficiary_kecamatan(queryset, value)


class PartnershipFilter(_Base):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=c.PartnershipKind.choices)
    year = django_filters.NumberFilter(
        label=_("Tahun"), field_name="started_on", lookup_expr="year"
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), choices=_kecamatan_choices, method="by_kecamatan"
    )
    enterprise = RecordFilter("enterprise", label=_("Usaha"))
    cooperative = RecordFilter("cooperative", label=_("Koperasi"))

    class Meta:
        model = Partnership
        fields = [
            "q",
            "kind",
            "year",
            "kecamatan",
            "enterprise",
            "cooperative",
            "owner_unit",
            "is_example",
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(_beneficiary_search(queryset, value) | Q(partner__icontains=value))

    def by_kecamatan(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _beneficiary_kecamatan(queryset, value)
