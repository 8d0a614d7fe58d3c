"""One FilterSet per list, shared by the page, its XLSX export and the API."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.core.filters import BooleanFilter, FilterSet, RecordFilter
from sikumi.regions.selectors import kecamatan_list
from sikumi.supervision.choices import (
    OPEN_STATUSES,
    CaseStatus,
    FindingStatus,
    InspectionResult,
    Predicate,
    ServiceKind,
    Severity,
)
from sikumi.supervision.models import Finding, HealthAssessment, Inspection, ServiceCase


def _kecamatan() -> Any:
    return kecamatan_list()


class ServiceCaseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis layanan"), choices=ServiceKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    open = BooleanFilter(label=_("Masih berjalan"), method="filter_open")
    year = django_filters.NumberFilter(
        label=_("Tahun permohonan"), field_name="requested_on", lookup_expr="year"
    )
    cooperative = RecordFilter("cooperative", label=_("Koperasi"), field_name="cooperative")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=_kecamatan(), field_name="cooperative__kecamatan"
    )

    class Meta:
        model = ServiceCase
        fields = ["q", "kind", "status", "open", "year", "cooperative", "kecamatan"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(cooperative__name__icontains=value)
            | Q(proposed_name__icontains=value)
            | Q(applicant_name__icontains=value)
        )

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)


class InspectionFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    result = django_filters.ChoiceFilter(label=_("Hasil"), choices=InspectionResult.choices)
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="date", lookup_expr="year")
    cooperative = RecordFilter("cooperative", label=_("Koperasi"), field_name="cooperative")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=_kecamatan(), field_name="cooperative__kecamatan"
    )

    class Meta:
        model = Inspection
        fields = ["q", "result", "year", "cooperative", "kecamatan"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(cooperative__name__icontains=value) | Q(number__icontains=value))


class FindingFilter(FilterSet):
    """Findings by their follow-up status (``selectors.finding_list`` annotates it)."""

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status tindak lanjut"), choices=FindingStatus.choices, method="filter_status"
    )
    severity = django_filters.ChoiceFilter(label=_("Tingkat"), choices=Severity.choices)
    year = django_filters.NumberFilter(
        label=_("Tahun pemeriksaan"), field_name="inspection__date", lookup_expr="year"
    )
    cooperative = RecordFilter(
        "cooperative", label=_("Koperasi"), field_name="inspection__cooperative"
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=_kecamatan(), field_name="inspection__cooperative__kecamatan"
    )

    class Meta:
        model = Finding
        fields = ["q", "status", "severity", "year", "cooperative", "kecamatan"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(description__icontains=value) | Q(inspection__cooperative__name__icontains=value)
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(follow_up_status=value)


class HealthAssessmentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    year = django_filters.NumberFilter(label=_("Tahun buku"), field_name="year")
    predicate = django_filters.ChoiceFilter(label=_("Predikat"), choices=Predicate.choices)
    method = django_filters.CharFilter(label=_("Metode"), field_name="methodology__code")
    cooperative = RecordFilter("cooperative", label=_("Koperasi"), field_name="cooperative")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=_kecamatan(), field_name="cooperative__kecamatan"
    )

    class Meta:
        model = HealthAssessment
        fields = ["q", "year", "predicate", "method", "cooperative", "kecamatan"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(cooperative__name__icontains=value)
