from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sikumi.core import lookups
from sikumi.rules.parsing import ParseError, parse_number

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


def number_for_input(value: Any, *, grouping: bool = True) -> str:
    """A number as a person types it back: ``Decimal("321311250.00")`` -> ``"321.311.250"``,
    ``Decimal("58.4000")`` -> ``"58,4"`` (no trailing zeros, comma decimal mark, dots between
    thousands unless `grouping` is off, as for years). ``None`` gives ``""``; text is kept as
    typed (a bound form shows back what was posted)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _sep, fraction = text.lstrip("-").partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


class NumberInput(forms.TextInput):
    """A text input for numbers typed the Indonesian way ("1.250.000.000", "Rp 1.250.000,50",
    "85,5"): a browser's number input would turn "1.250.000.000" into 1.25. numbers.js groups
    the thousands as one types (``data-number="grouped"``); years are left plain."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, grouping: bool = True) -> None:
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "num"}
        if grouping:
            base["data-number"] = "grouped"
        super().__init__(attrs={**base, **(attrs or {})})
        self.grouping = grouping

    def format_value(self, value: Any) -> str | None:
        text = number_for_input(value, grouping=self.grouping)
        return text or None


def _read_number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = parse_number(value.strip() if isinstance(value, str) else value)
    except ParseError as exc:
        raise ValidationError(
            _("'%(value)s' bukan angka: tulis misalnya 1.250.000 atau 85,5.") % {"value": value},
            code="invalid",
        ) from exc
    if number is not None and not number.is_finite():
        raise ValidationError(_("'%(value)s' bukan angka.") % {"value": value}, code="invalid")
    return number


class IndonesianDecimalField(forms.DecimalField):
    """A decimal typed as Indonesians write it, read with the imports' rule
    (`sikumi.rules.parsing.parse_number`): "1.250.000.000", "Rp 1.250.000.000,50", "1,5"."""

    widget = NumberInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        return _read_number(value)


class IndonesianFloatField(forms.FloatField):
    """A float typed as Indonesians write it (see IndonesianDecimalField). Floats here are
    measures such as coordinates: shown without thousands grouping."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumberInput(grouping=False))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        number = _read_number(value)
        return None if number is None else float(number)


class IndonesianIntegerField(forms.IntegerField):
    """A whole number typed as Indonesians write it ("1.250", "Rp 5.000.000"); "1,5" is refused,
    not rounded. With ``grouping=False`` (years) the input shows the plain digits."""

    widget = NumberInput

    def __init__(self, *, grouping: bool = True, **kwargs: Any) -> None:
        if "widget" not in kwargs:
            kwargs["widget"] = NumberInput(grouping=grouping)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        number = _read_number(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(
                _("'%(value)s' harus bilangan bulat, tanpa desimal.") % {"value": value},
                code="invalid",
            )
        return int(number)


def _is_year(db_field: models.Field) -> bool:
    name = db_field.name or ""
    if name == "year" or name.endswith("_year") or name.startswith("year_"):
        return True
    # "tahun awal", "tahun buku": a year whatever the field's name.
    return str(db_field.verbose_name or "").lower().startswith("tahun ")


def indonesian_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field of a model field, with numbers read and shown the Indonesian way."""
    if not db_field.choices and "form_class" not in kwargs:
        if isinstance(db_field, models.DecimalField):
            kwargs["form_class"] = IndonesianDecimalField
        elif isinstance(db_field, models.FloatField):
            kwargs["form_class"] = IndonesianFloatField
        elif isinstance(db_field, models.IntegerField) and not isinstance(
            db_field, models.AutoField
        ):
            kwargs["form_class"] = IndonesianIntegerField
            if _is_year(db_field):
                kwargs.setdefault("widget", NumberInput(grouping=False))
    return db_field.formfield(**kwargs)


class IndonesianModelFormMetaclass(ModelFormMetaclass):
    """Gives every model form of Sikumi `indonesian_formfield`, unless its Meta names another."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = indonesian_formfield
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=IndonesianModelFormMetaclass):
    """Sikumi's base model form: Indonesian number fields (see `indonesian_formfield`)."""


class VersionedModelForm(ModelForm):
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
