"""Edit forms of a plan: the yearly targets of one indicator, the yearly pagu of one program /
kegiatan / sub kegiatan. One field per year of the period (a formset in one form), each with
the version it was read at; saved together by the services in one transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sikumi.core.forms import NumberInput, number_for_input
from sikumi.core.templatetags.sikumi import cetak_id
from sikumi.plans.models import Indicator, IndicatorTarget, Pagu, Plan, PlanNode, PlanRevision
from sikumi.plans.services import read_number, validate_pagu, validate_target, validate_year


def as_printed_id(record: Any) -> str:
    """The printed figure with Indonesian separators (a document written "70.15" shows 70,15)."""
    return cetak_id(record.printed, getattr(record, "number_format", "id"))


def _shown(value: Decimal | None) -> str:
    # "321.311.250", "58,4": as people type it (read back by read_number).
    return number_for_input(value)


class _YearlyForm(forms.Form):
    prefix_name = "value"
    reason = forms.CharField(
        label=_l("Alasan perubahan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("Wajib: misalnya nomor dan tanggal Renstra perubahan."),
    )
    revision = forms.ModelChoiceField(
        label=_l("Renstra perubahan"), queryset=PlanRevision.objects.none(), required=False
    )
    extra_year = forms.CharField(
        label=_l("Tambah tahun"),
        required=False,
        help_text=_l("Opsional: tahun lain dalam periode Renstra."),
    )
    extra_value = forms.CharField(
        label=_l("Nilai tahun tambahan"), required=False, widget=NumberInput()
    )

    def __init__(self, *args: Any, plan: Plan, stored: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.stored = stored
        self.years = sorted({int(y) for y in plan.target_years} | set(stored))
        self.fields["revision"].queryset = (  # type: ignore[attr-defined]
            PlanRevision.objects.filter(plan=plan)
        )
        for year in self.years:
            record = stored.get(year)
            self.fields[f"{self.prefix_name}_{year}"] = forms.CharField(
                label=str(year),
                required=False,
                initial=_shown(record.value) if record else "",
                widget=NumberInput(),
                help_text=(_("Tercetak: %(p)s") % {"p": as_printed_id(record)}) if record else "",
            )
            self.fields[f"version_{year}"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                initial=record.version if record else None,
            )

    def year_fields(self) -> list[Any]:
        return [self[f"{self.prefix_name}_{y}"] for y in self.years]

    def validate_value(self, value: Decimal | None) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values: dict[int, Decimal | None] = {}
        for year in self.years:
            name = f"{self.prefix_name}_{year}"
            try:
                value = read_number(data.get(name), label=str(year))
                self.validate_value(value)
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            values[year] = value
        raw_year = (data.get("extra_year") or "").strip()
        if raw_year:
            try:
                year = int(raw_year)
            except ValueError:
                self.add_error("extra_year", _("Tahun harus berupa angka, misalnya 2025."))
            else:
                try:
                    validate_year(self.plan, year)
                    value = read_number(data.get("extra_value"), label=_("Nilai"))
                    self.validate_value(value)
                except ValidationError as exc:
                    self.add_error("extra_value" if "angka" in str(exc) else "extra_year", exc)
                else:
                    values[year] = value
        self.values = values
        self.versions = {y: data.get(f"version_{y}") for y in self.years}
        return data


class TargetsForm(_YearlyForm):
    prefix_name = "target"
    end_target = forms.CharField(
        label=_l("Target akhir periode"), required=False, widget=NumberInput()
    )
    end_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        self.indicator = indicator
        stored = {t.year: t for t in IndicatorTarget.objects.filter(indicator=indicator)}
        super().__init__(*args, plan=indicator.plan, stored=stored, **kwargs)
        self.fields["end_target"].initial = _shown(indicator.end_target)
        if indicator.end_target_printed:
            self.fields["end_target"].help_text = _("Tercetak: %(p)s") % {
                "p": cetak_id(indicator.end_target_printed, indicator.end_target_format)
            }
        self.fields["end_version"].initial = indicator.version

    def validate_value(self, value: Decimal | None) -> None:
        validate_target(self.indicator, value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.end_value = read_number(data.get("end_target"), label=_("Target akhir"))
            validate_target(self.indicator, self.end_value)
        except ValidationError as exc:
            self.add_error("end_target", exc)
        return data


class PaguForm(_YearlyForm):
    prefix_name = "pagu"
    pagu_total = forms.CharField(
        label=_l("Total pagu (tercetak)"), required=False, widget=NumberInput()
    )
    total_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, node: PlanNode, **kwargs: Any) -> None:
        self.node = node
        stored = {p.year: p for p in Pagu.objects.filter(node=node)}
        super().__init__(*args, plan=node.plan, stored=stored, **kwargs)
        self.fields["pagu_total"].initial = _shown(node.pagu_total)
        if node.pagu_total_printed:
            self.fields["pagu_total"].help_text = _("Tercetak: %(p)s") % {
                "p": node.pagu_total_printed
            }
        self.fields["total_version"].initial = node.version

    def validate_value(self, value: Decimal | None) -> None:
        validate_pagu(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.total_value = read_number(data.get("pagu_total"), label=_("Total pagu"))
            validate_pagu(self.total_value)
        except ValidationError as exc:
            self.add_error("pagu_total", exc)
        return data


class CascadeFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_l("Unit penanggung jawab"), required=False)
    year = forms.TypedChoiceField(label=_l("Tahun"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, plan: Plan, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit"))] + [  # type: ignore[attr-defined]
            (u.code, u.name) for u in units
        ]
        self.fields["year"].choices = [("", _("Semua tahun"))] + [  # type: ignore[attr-defined]
            (y, str(y)) for y in plan.target_years
        ]


class FindingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Jenis"), required=False)
    table = forms.ChoiceField(label=_l("Tabel"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], tables: list[str], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["kind"].choices = [("", _("Semua jenis")), *kinds]  # type: ignore[attr-defined]
        self.fields["table"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua tabel")),
            *[(t, t) for t in tables],
        ]


class RevisionForm(forms.Form):
    """Opening a Renstra perubahan: its date and why the plan changes."""

    date = forms.DateField(label=_l("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_l("Alasan perubahan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
