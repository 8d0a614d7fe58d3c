from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumi.core.forms import VersionedModelForm
from sikumi.monev.models import PromiseFigure
from sikumi.plans.models import Combine

# What the realisation form asks for, by the indicator's combining rule (how monev combines the
# quarters into the year: sikumi.monev.selectors.rule_of, sikumi.rules.capaian.combine_quarters).
# "as printed" indicators are combined as levels, so they ask what "last" asks.
ENTRY_HINTS: dict[str, Any] = {
    Combine.SUM: _("Isi capaian triwulan ini saja; capaian tahun = jumlah keempat triwulan."),
    Combine.LAST: _(
        "Isi capaian kumulatif s.d. triwulan ini; nilai triwulan terakhir menjadi capaian tahun."
    ),
    Combine.AVERAGE: _(
        "Isi capaian triwulan ini saja; capaian tahun = rata-rata triwulan yang terisi."
    ),
    Combine.AS_PRINTED: _(
        "Isi capaian kumulatif s.d. triwulan ini; nilai triwulan terakhir menjadi capaian tahun."
    ),
}
ENTRY_KINDS: dict[str, Any] = {
    Combine.SUM: _("nilai triwulan"),
    Combine.LAST: _("nilai kumulatif"),
    Combine.AVERAGE: _("nilai triwulan"),
    Combine.AS_PRINTED: _("nilai kumulatif"),
}


def entry_hint(combine: str) -> tuple[str, str]:
    """(short kind, sentence) of the value the realisation form expects for an indicator
    combined by ``combine``; an unknown rule is read as a level, like monev computes it."""
    key = combine if combine in ENTRY_HINTS else Combine.LAST
    return str(ENTRY_KINDS[key]), str(ENTRY_HINTS[key])


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
