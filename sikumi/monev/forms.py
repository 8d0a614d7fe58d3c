from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.core.forms import VersionedModelForm
from sikumi.monev.models import PromiseFigure


class RenjaCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti (PDF/JPG/PNG, maks. 10 MB)"))
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=255)


class PromiseFigureForm(VersionedModelForm):
    class Meta:
        model = PromiseFigure
        fields = ["year", "new_entrepreneurs", "women_entrepreneurs", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True

    def validate_unique(self) -> None:
        """The service updates the year's figure when it exists."""
