import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Role, Unit, User
from sikumi.core.filters import BooleanFilter, FilterSet
from sikumi.rules.identifiers import normalise_nip


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari nama, nama pengguna atau NIP"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit kerja"), queryset=Unit.objects.active(), empty_label=_("Semua")
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Peran"), field_name="roles", queryset=Role.objects.all(), empty_label=_("Semua")
    )
    is_active = BooleanFilter(label=_("Aktif"))

    class Meta:
        model = User
        fields = ["q", "unit", "role", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        # Every word must match a part of the name or the username ("ani wij" finds Ani
        # Wijaya); a NIP is typed whole or by its first digits, with or without spaces.
        matches = Q()
        for word in value.split():
            matches &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
            )
        digits = normalise_nip(value)
        if digits.isdigit() and len(digits) >= 4:
            matches |= Q(nip__startswith=digits)
        return queryset.filter(matches)
