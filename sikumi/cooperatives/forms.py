from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import access
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeAward,
    CooperativeOfficial,
    CooperativeRating,
    EmpowermentRecord,
    QualityRuleSet,
    RatReport,
)
from sikumi.core.forms import DateInput, VersionedModelForm
from sikumi.regions.models import Region
from sikumi.regions.selectors import kelurahan_list


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Names repeat across kecamatan ("Curug"): always show the kecamatan.
        return f"{obj.name} ({obj.parent})" if obj.parent_id else obj.name


class CooperativeForm(VersionedModelForm):
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"), queryset=Region.objects.none(), required=False
    )

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "nik_koperasi",
            "legal_entity_number",
            "legal_entity_date",
            "jenis",
            "pola",
            "has_usp",
            "address",
            "kelurahan",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "bookkeeping_digital",
            "online_services",
            "cashless_payments",
            "owner_unit",
        ]
        widgets = {"legal_entity_date": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan_list()  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = access.editable_units(user)  # type: ignore[attr-defined]
        self.fields["owner_unit"].required = False


class DissolveForm(forms.Form):
    date = forms.DateField(label=_("Tanggal pembubaran"), widget=DateInput())
    note = forms.CharField(label=_("Dasar pembubaran"), required=False, max_length=500)
    confirm = forms.BooleanField(
        label=_("Saya memahami bahwa pembubaran bersifat final."), required=True
    )


class OfficialForm(VersionedModelForm):
    class Meta:
        model = CooperativeOfficial
        fields = ["role", "name", "position", "term_start", "term_end", "phone", "nik"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class CertificateForm(VersionedModelForm):
    class Meta:
        model = CompetenceCertificate
        fields = ["scheme", "number", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}


class RatReportForm(VersionedModelForm):
    class Meta:
        model = RatReport
        # The year it was held follows from the date (services.settle_rat_years).
        fields = [
            "book_year",
            "rat_date",
            "members_men",
            "members_women",
            "members_other",
            "own_capital",
            "external_capital",
            "assets",
            "business_volume",
            "shu",
            "employees",
        ]
        widgets = {"rat_date": DateInput()}


class AwardForm(VersionedModelForm):
    class Meta:
        model = CooperativeAward
        fields = ["name", "giver", "year", "rank"]


class RatingForm(VersionedModelForm):
    class Meta:
        model = CooperativeRating
        fields = [
            "year",
            "score_kelembagaan",
            "score_usaha",
            "score_keuangan",
            "score_manfaat_anggota",
            "score_manfaat_masyarakat",
            "total",
            "rating_class",
        ]


class EmpowermentForm(VersionedModelForm):
    class Meta:
        model = EmpowermentRecord
        fields = ["kind", "date", "official", "description", "lender", "amount", "owner_unit"]
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, cooperative: Cooperative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = CooperativeOfficial.objects.active().filter(  # type: ignore[attr-defined]
            cooperative=cooperative
        )
        self.fields["owner_unit"].queryset = access.editable_units(user)  # type: ignore[attr-defined]
        self.fields["owner_unit"].required = False


class SettingsForm(forms.Form):
    activity_window_years = forms.IntegerField(
        label=_("Jendela keaktifan (tahun)"),
        min_value=1,
        max_value=20,
        help_text=_("Koperasi aktif bila RAT terakhir diadakan dalam sekian tahun terakhir."),
    )


class RuleSetForm(VersionedModelForm):
    rules_json = forms.CharField(
        label=_("Aturan (JSON)"), widget=forms.Textarea(attrs={"rows": 14, "class": "mono"})
    )

    class Meta:
        model = QualityRuleSet
        fields = ["label", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["rules_json"] = json.dumps(
                self.instance.rules, indent=2, ensure_ascii=False
            )

    def clean_rules_json(self) -> list[Any]:
        try:
            rules = json.loads(self.cleaned_data["rules_json"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON tidak valid (baris %(line)s): %(msg)s")
                % {"line": exc.lineno, "msg": exc.msg}
            ) from exc
        if not isinstance(rules, list):
            raise forms.ValidationError(_("Aturan harus berupa daftar (list) JSON."))
        return rules

    def save(self, commit: bool = True) -> QualityRuleSet:
        instance: QualityRuleSet = super().save(commit=False)
        instance.rules = self.cleaned_data["rules_json"]
        if commit:
            instance.save()
        return instance
