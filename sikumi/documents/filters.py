import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.filters import FilterSet
from sikumi.documents.choices import DocumentCategory
from sikumi.documents.models import Document


class DocumentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    category = django_filters.ChoiceFilter(label=_("Kategori"), choices=DocumentCategory.choices)
    owner_unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.active())
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="date", lookup_expr="year")

    class Meta:
        model = Document
        fields = ["q", "category", "owner_unit", "year"]

    def search(self, queryset: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value))
