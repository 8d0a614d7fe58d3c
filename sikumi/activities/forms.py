from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sikumi.accounts import access
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.core.forms import DateInput, VersionedModelForm, use_lookup

# Which search kind (sikumi.core.lookups) each lookup field uses.
LOOKUPS = {
    "enterprise": "enterprise",
    "cooperative": "cooperative",
    "person": "person",
    "official": "official",
    "product": "product",
}


class ActivityForm(VersionedModelForm):
    """Model form of the app: owner units limited to the user's, lookups for big tables."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owner_unit" in self.fields:
            units = access.editable_units(user)
            self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
            if not self.instance.pk and units.count() == 1:
                self.initial.setdefault("owner_unit", units.first().pk)
        for name, kind in LOOKUPS.items():
            if name in self.fields:
                use_lookup(
                    self.fields[name],
                    kind,
                    help_text=_("Ketik nama, NIK, NIB atau nomor di kotak cari, lalu pilih."),
                    invalid_choice=_("Data yang dipilih tidak ditemukan."),
                )


class ProductForm(ActivityForm):
    class Meta:
        model = Product
        fields = ["enterprise", "name", "category", "description", "owner_unit"]


class LegalityForm(ActivityForm):
    class Meta:
        model = LegalityApplication
        fields = [
            "product",
            "kind",
            "status",
            "applied_on",
            "certificate_number",
            "issued_on",
            "expires_on",
            "facilitated",
            "year",
            "notes",
            "owner_unit",
        ]
        widgets = {"applied_on": DateInput(), "issued_on": DateInput(), "expires_on": DateInput()}


class TrainingForm(ActivityForm):
    class Meta:
        model = Training
        fields = [
            "topic",
            "kind",
            "organiser",
            "starts_on",
            "ends_on",
            "place",
            "target_group",
            "year",
            "description",
            "owner_unit",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class ParticipantForm(ActivityForm):
    class Meta:
        model = TrainingParticipant
        fields = [
            "person",
            "enterprise",
            "cooperative",
            "official",
            "attendance",
            "outcome",
            "certificate_number",
            "notes",
        ]


class CurationForm(ActivityForm):
    class Meta:
        model = Curation
        fields = ["enterprise", "product", "date", "curator", "result", "notes", "owner_unit"]
        widgets = {"date": DateInput()}


class EventForm(ActivityForm):
    class Meta:
        model = PromotionEvent
        fields = [
            "kind",
            "name",
            "starts_on",
            "ends_on",
            "place",
            "organiser",
            "description",
            "owner_unit",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class EventParticipantForm(ActivityForm):
    class Meta:
        model = EventParticipant
        fields = ["enterprise", "cooperative", "sales", "notes"]


class FinancingForm(ActivityForm):
    class Meta:
        model = FinancingFacilitation
        fields = [
            "enterprise",
            "cooperative",
            "lender",
            "scheme",
            "amount",
            "date",
            "status",
            "notes",
            "owner_unit",
        ]
        widgets = {"date": DateInput()}


class PartnershipForm(ActivityForm):
    class Meta:
        model = Partnership
        fields = [
            "enterprise",
            "cooperative",
            "partner",
            "kind",
            "started_on",
            "description",
            "owner_unit",
        ]
        widgets = {"started_on": DateInput()}
