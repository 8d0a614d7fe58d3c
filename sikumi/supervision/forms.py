from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import access
from sikumi.accounts.models import User
from sikumi.core.forms import (
    DateInput,
    ModelForm,
    VersionedModelForm,
    VersionField,
    number_for_input,
    use_lookup,
)
from sikumi.supervision.choices import Answer, CaseStatus, DecisionResult
from sikumi.supervision.models import (
    CaseRequirement,
    Finding,
    FollowUp,
    HealthAssessment,
    Inspection,
    InspectionPlan,
    PlannedInspection,
    Sanction,
    ServiceCase,
)


def _cooperative_lookup(form: forms.ModelForm, *, savings_and_loan: bool = False) -> None:
    """The form's cooperative as a lookup field (a search box, not a select of every
    cooperative), validated on the cooperatives a record may name: not dissolved (and
    savings-and-loan ones for a health assessment), plus the record's own cooperative so an
    older record stays editable after its cooperative was dissolved."""
    from sikumi.cooperatives import selectors as cooperative_selectors
    from sikumi.cooperatives.models import Cooperative

    field = form.fields["cooperative"]
    queryset = cooperative_selectors.choosable(savings_and_loan=savings_and_loan)
    current = getattr(form.instance, "cooperative_id", None)
    if current:
        queryset = queryset | Cooperative.objects.filter(pk=current)
    field.queryset = queryset  # type: ignore[attr-defined]
    use_lookup(
        field,
        "cooperative_ksp" if savings_and_loan else "cooperative_undissolved",
        help_text=_(
            "Ketik nama koperasi, NIK Koperasi atau nomor badan hukum di kotak cari, lalu pilih."
        ),
        invalid_choice=(
            _(
                "Pilih koperasi simpan pinjam atau koperasi dengan unit simpan pinjam yang "
                "terdaftar dan belum dibubarkan."
            )
            if savings_and_loan
            else _("Pilih koperasi yang terdaftar dan belum dibubarkan.")
        ),
    )


def _officers() -> Any:
    return (
        User.objects.filter(is_active=True, roles__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )


class ServiceCaseForm(VersionedModelForm):
    class Meta:
        model = ServiceCase
        fields = [
            "kind",
            "cooperative",
            "proposed_name",
            "applicant_name",
            "applicant_contact",
            "requested_on",
            "officer",
            "owner_unit",
            "founder_count",
            "branch_address",
            "branch_member_count",
            "branch_capital",
            "statement_years",
            "iusp_number",
            "iusp_date",
            "notes",
        ]
        widgets = {"requested_on": DateInput(), "iusp_date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _cooperative_lookup(self)
        self.fields["officer"].queryset = _officers()  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = access.editable_units(user)  # type: ignore[attr-defined]
        self.fields["owner_unit"].required = False
        if self.instance.pk:
            self.fields["kind"].disabled = True


class CaseTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=CaseStatus.choices)
    version = VersionField()
    note = forms.CharField(label=_("Catatan"), required=False, max_length=255)

    def __init__(self, *args: Any, case: ServiceCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sikumi.supervision.choices import TRANSITIONS

        allowed = [
            s
            for s in TRANSITIONS.get(case.status, ())
            if s not in (CaseStatus.DISETUJUI, CaseStatus.DITOLAK)
        ]
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [(s, CaseStatus(s).label) for s in allowed]
        self.initial.setdefault("version", case.version)


class CaseDecisionForm(forms.Form):
    result = forms.ChoiceField(label=_("Hasil"), choices=DecisionResult.choices)
    number = forms.CharField(label=_("Nomor keputusan"), max_length=100)
    date = forms.DateField(label=_("Tanggal keputusan"), widget=DateInput())
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea)
    version = VersionField()


class RequirementRowForm(VersionedModelForm):
    """One row of a case's checklist page: received and valid, its file, a note."""

    class Meta:
        model = CaseRequirement
        fields = ["fulfilled", "file", "note"]
        labels = {"fulfilled": _("Diterima dan sah")}
        # The current file is linked through the download view, never its storage URL.
        widgets = {"file": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The requirement's label names the row's inputs for screen readers.
        label = self.instance.label
        for name in self.Meta.fields:
            self.fields[name].widget.attrs["aria-label"] = f"{self.fields[name].label}: {label}"


RequirementFormSet = forms.modelformset_factory(
    CaseRequirement, form=RequirementRowForm, extra=0, can_delete=False
)


class PlanForm(VersionedModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["year", "title", "notes"]


class PlannedForm(ModelForm):
    class Meta:
        model = PlannedInspection
        fields = ["cooperative", "quarter", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _cooperative_lookup(self)


class InspectionForm(VersionedModelForm):
    """The inspection with one answer (and note) per checklist item of its checklist."""

    class Meta:
        model = Inspection
        fields = [
            "cooperative",
            "date",
            "number",
            "checklist",
            "inspectors",
            "inspector_names",
            "summary",
            "planned",
        ]
        widgets = {
            "date": DateInput(),
            "inspectors": forms.CheckboxSelectMultiple,
            "planned": forms.HiddenInput,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sikumi.supervision.models import ChecklistTemplate

        _cooperative_lookup(self)
        # The plan row the inspection was recorded from (hidden; the service checks it names
        # the inspected cooperative). A stored inspection keeps its row even if the row was
        # taken out of the plan since.
        rows = PlannedInspection.objects.active()
        if self.instance.planned_id:
            rows = rows | PlannedInspection.objects.filter(pk=self.instance.planned_id)
        self.fields["planned"].queryset = rows  # type: ignore[attr-defined]
        self.fields["checklist"].queryset = ChecklistTemplate.objects.active().filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["inspectors"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, unit__in=access.editable_units(user))
            if not access.is_admin(user)
            else _officers()
        )
        checklist = None
        if self.instance.pk:
            checklist = self.instance.checklist
        else:
            checklist = ChecklistTemplate.objects.active().filter(is_active=True).first()
            if checklist is not None:
                self.initial.setdefault("checklist", checklist.pk)
        self.items = list(checklist.items.all()) if checklist else []
        stored: dict[int, tuple[str, str]] = {}
        if self.instance.pk:
            stored = {a.item_id: (a.answer, a.note) for a in self.instance.answers.all()}
        for item in self.items:
            answer, note = stored.get(item.pk, ("", ""))
            self.fields[f"answer_{item.pk}"] = forms.ChoiceField(
                label=item.text + ("" if item.mandatory else " " + str(_("(tidak wajib)"))),
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=item.mandatory,
                initial=answer or None,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Catatan"), required=False, max_length=255, initial=note
            )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        errors: Any = self.errors
        if "planned" in errors:  # hidden: shown above the form
            errors.pop("planned")
            self.add_error(
                None, _("Koperasi ini sudah dikeluarkan dari rencana pemeriksaan; muat ulang.")
            )
        return cleaned

    def answers(self) -> dict[int, tuple[str, str]]:
        out = {}
        for item in self.items:
            answer = self.cleaned_data.get(f"answer_{item.pk}")
            if answer:
                out[item.pk] = (answer, self.cleaned_data.get(f"note_{item.pk}", ""))
        return out

    def answer_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"answer_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]


class FindingForm(VersionedModelForm):
    """A finding; a new one takes its follow-up (what, by when, who) on the same form."""

    follow_up_action = forms.CharField(
        label=_("Tindak lanjut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kosongkan untuk memakai rekomendasi sebagai tindak lanjut."),
    )
    follow_up_due = forms.DateField(
        label=_("Batas waktu tindak lanjut"), required=False, widget=DateInput()
    )
    follow_up_responsible = forms.CharField(
        label=_("Penanggung jawab tindak lanjut"),
        required=False,
        max_length=200,
        help_text=_("Mis. Ketua pengurus koperasi."),
    )

    class Meta:
        model = Finding
        fields = ["description", "severity", "recommendation"]

    FOLLOW_UP_FIELDS = ("follow_up_action", "follow_up_due", "follow_up_responsible")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # an existing finding's follow-ups are edited one by one
            for name in self.FOLLOW_UP_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if self.instance.pk or not any(cleaned.get(n) for n in self.FOLLOW_UP_FIELDS):
            return cleaned
        if not cleaned.get("follow_up_due"):
            self.add_error("follow_up_due", _("Isi batas waktu tindak lanjut."))
        if not cleaned.get("follow_up_responsible"):
            self.add_error("follow_up_responsible", _("Isi penanggung jawab tindak lanjut."))
        if not (cleaned.get("follow_up_action") or cleaned.get("recommendation")):
            self.add_error("follow_up_action", _("Isi tindak lanjut atau rekomendasi."))
        return cleaned

    def follow_up(self) -> FollowUp | None:
        """The follow-up entered with a new finding (unsaved), or None."""
        data = self.cleaned_data
        if self.instance.pk or not data.get("follow_up_due"):
            return None
        return FollowUp(
            action=data.get("follow_up_action") or data.get("recommendation", ""),
            due_date=data["follow_up_due"],
            responsible=data.get("follow_up_responsible", ""),
        )


class FollowUpDoneForm(forms.Form):
    """Mark one follow-up done: the date it was done (today unless said otherwise)."""

    done_on = forms.DateField(label=_("Selesai pada"), widget=DateInput())
    version = VersionField()


class FollowUpForm(VersionedModelForm):
    class Meta:
        model = FollowUp
        fields = ["action", "due_date", "responsible", "status", "done_on"]
        widgets = {"due_date": DateInput(), "done_on": DateInput()}


class SanctionForm(VersionedModelForm):
    class Meta:
        model = Sanction
        fields = ["cooperative", "kind", "number", "date", "reason"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _cooperative_lookup(self)


def input_fields(definition: Mapping[str, Any], initial: Mapping[str, Any]) -> dict[str, Any]:
    """One text field per input figure of a methodology (Indonesian number formats accepted)."""
    fields: dict[str, Any] = {}
    for code, spec in definition.get("fields", {}).items():
        value = initial.get(code)
        unit = spec.get("unit", "")
        # The engine reads the text with parse_number; shown grouped, as people type it.
        fields[f"in_{code}"] = forms.CharField(
            label=spec.get("label", code),
            required=False,
            help_text=" · ".join(
                part
                for part in (spec.get("description", ""), _("satuan: %s") % unit if unit else "")
                if part
            ),
            initial=number_for_input(value, grouping=unit != "tahun"),
            widget=forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "num",
                    **({"data-number": "grouped"} if unit != "tahun" else {}),
                }
            ),
        )
    return fields


class HealthInputsMixin:
    """Collects the ``in_<code>`` fields into the inputs dict (empty fields left out, so the
    engine reports them as missing by their label)."""

    fields: dict[str, Any]
    cleaned_data: dict[str, Any]

    def inputs(self) -> dict[str, Any]:
        return {
            name[3:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("in_") and value not in (None, "")
        }

    def input_bound_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("in_")]  # type: ignore[index]


class CalculatorForm(HealthInputsMixin, forms.Form):
    def __init__(self, *args: Any, definition: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(input_fields(definition, {}))


class HealthAssessmentForm(HealthInputsMixin, VersionedModelForm):
    class Meta:
        model = HealthAssessment
        fields = ["cooperative", "year", "assessed_on", "notes"]
        widgets = {"assessed_on": DateInput()}

    def __init__(self, *args: Any, definition: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _cooperative_lookup(self, savings_and_loan=True)
        self.fields.update(input_fields(definition, self.instance.inputs or {}))
