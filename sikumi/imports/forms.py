from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.imports.models import SavedMapping

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas Excel (.xlsx) atau CSV"))
    mapping = forms.ModelChoiceField(
        label=_("Pemetaan kolom tersimpan"), queryset=SavedMapping.objects.none(), required=False
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = SavedMapping.objects.filter(kind=kind)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".xlsm", ".csv")):
            raise forms.ValidationError(_("Unggah berkas Excel .xlsx atau CSV."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 200 MB)."))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".csv"):
            if b"\x00" in head or head.startswith(b"PK"):
                raise forms.ValidationError(_("Berkas ini bukan berkas CSV (teks)."))
        elif head != b"PK\x03\x04":
            raise forms.ValidationError(_("Berkas ini bukan berkas Excel .xlsx yang sah."))
        return upload


class MappingForm(forms.Form):
    """Save the header -> field mapping of the batch's file under a name."""

    name = forms.CharField(label=_("Nama pemetaan"), max_length=100)
