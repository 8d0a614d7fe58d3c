from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sikumi.core import lookups

VERSION_MISSING = _lazy(
    "Versi data yang diubah tidak terkirim atau tidak valid. Muat ulang halaman, lalu ulangi "
    "perubahan Anda."
)


class VersionField(forms.IntegerField):
    """The version of the record a form was built from (hidden). Required on every edit: without
    it a stale edit would overwrite someone else's change silently."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        messages = {"required": VERSION_MISSING, "invalid": VERSION_MISSING}
        messages.update({"min_value": VERSION_MISSING, "max_value": VERSION_MISSING})
        kwargs.setdefault("error_messages", messages)
        super().__init__(**kwargs)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the record's version, so a stale edit is refused by the
    service instead of overwriting someone else's change. Editing a stored record requires the
    version; a new record has none."""

    version = VersionField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # A hidden field's error would be shown nowhere: show it above the form.
        errors: Any = self.errors
        if "version" in errors:
            self.add_error(None, list(errors.pop("version")))
        return cleaned

    @property
    def expected_version(self) -> int | None:
        """The version the user edited (None for a new record)."""
        if not self.instance.pk:
            return None
        return self.cleaned_data.get("version")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class LookupInput(forms.TextInput):
    """A record picked by its id, filled from the search box that lookup.js puts next to it
    (searching the registered kind `kind`, see sikumi.core.lookups): a select with 10.000
    cooperatives would not load. The name of the record currently chosen is shown beside it.

    Use it through `use_lookup`, on a ModelChoiceField: validation stays the field's queryset.
    """

    # Set by ModelChoiceField (its queryset): used to name the record currently chosen.
    choices: Any = None

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        base = {"data-lookup": kind, "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, "class": "lookup", **(attrs or {})})
        self.kind = kind

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Resolved when rendering, so the URL and the language are the request's.
        context["widget"]["attrs"].update(
            {
                "data-lookup-url": reverse("lookup"),
                "data-lookup-description": lookups.describe(self.kind),
                "data-lookup-placeholder": _("Cari…"),
                "data-lookup-empty": _("Tidak ada yang cocok."),
                "data-lookup-example": _("Data contoh"),
            }
        )
        return context

    def current_label(self, value: Any) -> str:
        """The chosen record's name, when `value` is the id of a record the field accepts."""
        value = getattr(value, "pk", value)
        queryset = getattr(self.choices, "queryset", None)
        if value in (None, "") or queryset is None:
            return ""
        try:
            obj = queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return ""
        if obj is None:
            return ""
        return str(self.choices.field.label_from_instance(obj))

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<span class="lookup-label" aria-live="polite">{}</span>',
            html,
            self.current_label(value),
        )


def use_lookup(
    field: forms.Field,
    kind: str,
    *,
    help_text: Any = None,
    invalid_choice: Any = None,
) -> None:
    """Show the ModelChoiceField `field` as a lookup of the registered search `kind`. A posted id
    outside the field's queryset is still refused (with `invalid_choice` when given)."""
    widget = LookupInput(kind)
    widget.choices = getattr(field, "choices", None)
    widget.is_required = field.required
    field.widget = widget
    if help_text is not None:
        field.help_text = help_text
    if invalid_choice is not None:
        field.error_messages["invalid_choice"] = invalid_choice
