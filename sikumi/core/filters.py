"""Filters shared by every app's FilterSets, so that lists speak Indonesian: a yes/no filter reads
"Semua / Ya / Tidak" (django-filter's default reads "Tidak diketahui" for "all"), and a filter by
one record is a search picker, not a bare database id."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.core.forms import LookupInput


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
