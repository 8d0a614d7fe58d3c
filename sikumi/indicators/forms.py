from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.models import Unit
from sikumi.core.forms import VersionedModelForm
from sikumi.indicators.measures import REGISTRY
from sikumi.indicators.models import CustomIndicator, IndicatorBinding, ManualFigure
from sikumi.rules.parsing import ParseError, parse_number


def _measure_choices() -> list[tuple[str, str]]:
    return [
        ("", "-"),
        *sorted(((c, str(m.label)) for c, m in REGISTRY.items()), key=lambda x: x[1]),
    ]


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


# --- Indikator Dinas (di luar Renstra) ----------------------------------------------------

# Indicators the Dinas commonly tracks beside the Renstra, offered on the "add" page. Only
# those whose measures exist are offered (see `custom_suggestions`).
SUGGESTIONS: dict[str, dict[str, Any]] = {
    "lama-layanan-iusp": {
        "code": "DINAS-IUSP-HARI",
        "name": "Rata-rata lama layanan Izin Usaha Simpan Pinjam",
        "unit": "hari",
        "measure": "iusp_hari_layanan",
        "denominator": "measure",
        "denominator_measure": "iusp_diputuskan",
        "higher_is_better": False,
        "owner_unit": "seksi-kelembagaan",
        "description": (
            "Jumlah hari dari permohonan sampai keputusan atas permohonan IUSP yang diputuskan "
            "dalam periode, dibagi banyaknya permohonan itu."
        ),
    },
    "rat-tepat-waktu": {
        "code": "DINAS-RAT",
        "name": "Persentase koperasi yang RAT tepat waktu",
        "unit": "%",
        "measure": "koperasi_rat_tepat_waktu",
        "denominator": "measure",
        "denominator_measure": "koperasi_terdaftar",
        "percent": True,
        "owner_unit": "seksi-kelembagaan",
        "description": (
            "Koperasi yang menyelenggarakan RAT tahun ini paling lambat 30 Juni dibagi seluruh "
            "koperasi terdaftar yang belum dibubarkan, dikali 100."
        ),
    },
    "sertifikat-kompetensi-berakhir": {
        "code": "DINAS-SERT-KOMP",
        "name": "Sertifikat kompetensi pengurus koperasi yang habis masa berlakunya",
        "unit": "sertifikat",
        "measure": "sertifikat_kompetensi_berakhir",
        "higher_is_better": False,
        "owner_unit": "seksi-sdm",
        "description": (
            "Sertifikat kompetensi pengurus, pengawas dan pengelola koperasi yang masa "
            "berlakunya habis dalam periode (perlu diperpanjang)."
        ),
    },
    "legalitas-produk-berakhir": {
        "code": "DINAS-LEGAL-PRODUK",
        "name": "Sertifikat legalitas produk usaha mikro yang habis masa berlakunya",
        "unit": "sertifikat",
        "measure": "legalitas_produk_berakhir",
        "higher_is_better": False,
        "owner_unit": "seksi-pengembangan-um",
        "description": (
            "Sertifikat HAKI, SNI, Halal, BPOM atau PIRT yang terbit dan masa berlakunya habis "
            "dalam periode (perlu diperpanjang)."
        ),
    },
}


def custom_suggestions() -> dict[str, dict[str, Any]]:
    return {
        key: spec
        for key, spec in SUGGESTIONS.items()
        if spec["measure"] in REGISTRY
        and spec.get("denominator_measure", spec["measure"]) in REGISTRY
    }


def _targets_text(targets: dict[str, Any]) -> str:
    return "\n".join(
        f"{year}: {str(value).replace('.', ',')}" for year, value in sorted(targets.items())
    )


class CustomIndicatorForm(VersionedModelForm):
    measure = forms.ChoiceField(label=_("Ukuran"), choices=_measure_choices)
    denominator_measure = forms.ChoiceField(
        label=_("Ukuran pembagi"), required=False, choices=_measure_choices
    )
    targets = forms.CharField(
        label=_("Target per tahun"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Satu tahun per baris, mis. "2026: 14,5". Kosongkan bila tanpa target.'),
    )

    class Meta:
        model = CustomIndicator
        fields = [
            "code",
            "name",
            "unit",
            "description",
            "measure",
            "denominator",
            "denominator_measure",
            "data_dasar",
            "manual_key",
            "percent",
            "higher_is_better",
            "targets",
            "owner_unit",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.active()  # type: ignore[attr-defined]
        if not self.is_bound:
            targets = self.initial.get("targets")
            if isinstance(targets, dict):
                self.initial["targets"] = _targets_text(targets)

    def clean_targets(self) -> dict[str, str]:
        targets: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data.get("targets", "").splitlines(), 1):
            if not line.strip():
                continue
            year, sep, raw = line.partition(":")
            if not sep or not year.strip().isdigit() or not 2000 <= int(year) <= 2100:
                raise forms.ValidationError(
                    _('Baris %(n)d: tulis tahun lalu titik dua lalu target, mis. "2026: 14,5".')
                    % {"n": number}
                )
            try:
                value = parse_number(raw)
            except ParseError:
                value = None
            if value is None:
                raise forms.ValidationError(
                    _("Baris %(n)d: target tahun %(y)s bukan angka.")
                    % {"n": number, "y": year.strip()}
                )
            if year.strip() in targets:
                raise forms.ValidationError(
                    _("Tahun %(y)s tertulis dua kali.") % {"y": year.strip()}
                )
            targets[year.strip()] = str(value)
        return targets
