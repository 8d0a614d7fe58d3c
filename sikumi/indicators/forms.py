from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.core.forms import VersionedModelForm
from sikumi.indicators.measures import REGISTRY
from sikumi.indicators.models import IndicatorBinding, ManualFigure


def _measure_choices() -> list[tuple[str, str]]:
    return [("", "-"), *sorted((code, f"{m.label} ({code})") for code, m in REGISTRY.items())]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Triwulan"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Setahun")), (1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV")],
    )


class BindingForm(VersionedModelForm):
    measure = forms.ChoiceField(label=_("Ukuran"), required=False, choices=_measure_choices)
    denominator_measure = forms.ChoiceField(
        label=_("Ukuran pembagi"), required=False, choices=_measure_choices
    )

    class Meta:
        model = IndicatorBinding
        fields = [
            "method",
            "measure",
            "denominator",
            "denominator_measure",
            "data_dasar",
            "manual_key",
            "percent",
            "description",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == "measure" and not data.get("measure"):
            self.add_error("measure", _("Pilih ukuran untuk indikator yang dihitung dari data."))
        if data.get("denominator") == "measure" and not data.get("denominator_measure"):
            self.add_error("denominator_measure", _("Pilih ukuran pembagi."))
        if data.get("denominator") == "manual" and not data.get("manual_key"):
            self.add_error("manual_key", _("Isi kunci angka manual untuk pembagi."))
        if data.get("data_dasar") is not None and data["data_dasar"] <= 0:
            self.add_error("data_dasar", _("Data dasar harus lebih dari nol."))
        return data


class ManualFigureForm(VersionedModelForm):
    class Meta:
        model = ManualFigure
        fields = ["key", "label", "year", "quarter", "value", "source"]
