import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import User
from sikumi.audit.choices import Action
from sikumi.audit.models import AuditEntry
from sikumi.core.filters import BooleanFilter, FilterSet


class AuditEntryFilter(FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Pengguna"), queryset=User.objects.all())
    content_type = django_filters.ModelChoiceFilter(
        label=_("Jenis data"),
        queryset=ContentType.objects.filter(
            app_label__in=[
                "accounts",
                "documents",
                "plans",
                "monev",
                "cooperatives",
                "enterprises",
                "activities",
                "indicators",
            ]
        ).order_by("app_label", "model"),
    )
    object_id = django_filters.CharFilter(label=_("ID data"))
    action = django_filters.ChoiceFilter(label=_("Tindakan"), choices=Action.choices)
    date_from = django_filters.DateFilter(
        label=_("Dari tanggal"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Sampai tanggal"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    personal_data = BooleanFilter(label=_("Hanya akses data pribadi"))

    class Meta:
        model = AuditEntry
        fields = [
            "actor",
            "content_type",
            "object_id",
            "action",
            "date_from",
            "date_to",
            "personal_data",
        ]
