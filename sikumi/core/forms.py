from typing import Any

from django import forms


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the record's version, so a stale edit is refused by the
    service instead of overwriting someone else's change."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"

    @property
    def expected_version(self) -> int | None:
        if not self.instance.pk:
            return None
        return self.cleaned_data.get("version") or None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
