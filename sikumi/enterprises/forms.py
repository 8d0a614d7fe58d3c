from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import access
from sikumi.core.forms import DateInput, IndonesianDecimalField, VersionedModelForm
from sikumi.enterprises.choices import Sex
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.validators import enterprise_errors, person_errors


class EnterpriseForm(VersionedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "kelurahan",
            "address",
            "latitude",
            "longitude",
            "sector",
            "kbli",
            "main_products",
            "nib",
            "start_date",
            "capital",
            "employees",
            "is_new_entrepreneur",
            "programme_year",
            "cohort",
            "owner_unit",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sikumi.regions.selectors import kelurahan_list

        self.fields["kelurahan"].queryset = kelurahan_list()  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = access.editable_units(user)  # type: ignore[attr-defined]
        self.fields["owner_unit"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Enterprise(
            **{
                k: v
                for k, v in data.items()
                if k in {"nib", "start_date", "capital", "is_new_entrepreneur", "programme_year"}
            }
        )
        for field, messages in enterprise_errors(probe).items():
            if field in self.fields:
                self.add_error(field, messages)
        return data


class OwnerForm(forms.Form):
    """The owner of a new business: found by NIK when already registered."""

    nik = forms.CharField(label=_("NIK pemilik"), max_length=16, required=False)
    name = forms.CharField(label=_("Nama pemilik"), max_length=200)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", "-"), *Sex.choices], required=False
    )
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    same_person = forms.BooleanField(
        label=_("Orang yang sama dengan pemilik NIK yang sudah terdaftar (perbarui datanya)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Person(
            nik=data.get("nik") or None,
            sex=data.get("sex") or "",
            birth_date=data.get("birth_date"),
        )
        for field, messages in person_errors(probe).items():
            self.add_error(field, messages)
        return data


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = ["nik", "name", "sex", "birth_date", "phone"]
        widgets = {"birth_date": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Person(
            nik=data.get("nik") or None,
            sex=data.get("sex") or "",
            birth_date=data.get("birth_date"),
        )
        for field, messages in person_errors(probe).items():
            if field in self.fields:
                self.add_error(field, messages)
        return data


class TurnoverForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    amount = IndonesianDecimalField(
        label=_("Omzet (Rp)"), min_value=0, max_digits=18, decimal_places=2
    )
