"""The base of every list's FilterSet, and filters shared by every app's FilterSets.

A bad query value becomes a message on the filter form, never a 500.

Query strings are typed by hand, pasted, cut and fuzzed: `?year=0` makes a `__year` lookup build
the date 0000-01-01, `?cooperative=99999999999999999999999` does not fit a 64-bit column, `1e400`
is a finite Decimal no database takes. Every NumberFilter is therefore bounded (years 1-9999,
other numbers to the range of a 64-bit integer) and every model choice refuses an id that no
column could hold; the filter form shows the reason and the list ignores that filter.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from sikumi.core.forms import LookupInput

BIGINT_MAX = 2**63 - 1
YEAR_MIN, YEAR_MAX = 1, 9999


def _is_year(flt: django_filters.Filter) -> bool:
    lookup = str(flt.lookup_expr or "")
    name = str(flt.field_name or "")
    return lookup.split("__")[0] == "year" or name == "year" or name.endswith("_year")


class SafeModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose lookup cannot fail on an id too large for the column."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value)
        if text.lstrip("-").isdigit() and abs(int(text)) > BIGINT_MAX:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return super().to_python(value)
        except (OverflowError, DatabaseError) as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc


def bound_filter(flt: django_filters.Filter) -> None:
    """Give `flt` the bounds every query value must respect (before its form field exists)."""
    if isinstance(flt, django_filters.NumberFilter):
        if _is_year(flt):
            low, high = YEAR_MIN, YEAR_MAX
            message: Any = _("Tahun harus antara %(low)s dan %(high)s.") % {
                "low": low,
                "high": high,
            }
        else:
            low, high = -BIGINT_MAX, BIGINT_MAX
            message = _("Angka ini terlalu besar.")
        flt.extra["validators"] = [
            *flt.extra.get("validators", []),
            MinValueValidator(low, message=message),
            MaxValueValidator(high, message=message),
        ]
    elif isinstance(flt, django_filters.ModelChoiceFilter) and (
        flt.field_class is django_filters.fields.ModelChoiceField
    ):
        flt.field_class = SafeModelChoiceField


class FilterSet(django_filters.FilterSet):
    """Base of the FilterSets of every list page, its XLSX export and its API."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            bound_filter(flt)


# Lists speak Indonesian: a yes/no filter reads "Semua / Ya / Tidak" (django-filter's default
# reads "Tidak diketahui" for "all"), and a filter by one record is a search picker.


class YesNoSelect(forms.NullBooleanSelect):
    """ "Semua" (no filter), "Ya", "Tidak"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))]


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice says "Semua"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", YesNoSelect)
        super().__init__(*args, **kwargs)


class RecordFilter(django_filters.NumberFilter):
    """Filter by one record (a cooperative, a business...), chosen with the search of the lookup
    kind `kind` (sikumi.core.lookups); without a kind, a plain number input. The query string
    stays the record's id, so links such as ``?koperasi=12`` keep working."""

    def __init__(self, kind: str | None = None, *args: Any, **kwargs: Any) -> None:
        if kind:
            kwargs.setdefault("widget", LookupInput(kind))
        else:
            kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)
