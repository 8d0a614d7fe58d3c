from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.cooperatives.choices import ActivityStatus
from sikumi.cooperatives.models import Cooperative, EmpowermentRecord

STATUS_LABELS = dict(ActivityStatus.choices)


def example_badge() -> SafeString:
    return format_html('<span class="example-data">{}</span>', _("Data contoh"))


class CooperativeTable(tables.Table):
    name = tables.Column(verbose_name=gettext_lazy("Nama koperasi"))
    jenis = tables.Column(verbose_name=gettext_lazy("Jenis"))
    pola = tables.Column(verbose_name=gettext_lazy("Pola"))
    kecamatan = tables.Column(verbose_name=gettext_lazy("Kecamatan"), accessor="kecamatan__name")
    kelurahan = tables.Column(verbose_name=gettext_lazy("Kelurahan"), accessor="kelurahan__name")
    last_rat_year = tables.Column(verbose_name=gettext_lazy("RAT terakhir (tahun diselenggarakan)"))
    status = tables.Column(verbose_name=gettext_lazy("Status"), orderable=True)

    class Meta:
        model = Cooperative
        fields = ["name", "jenis", "pola", "kecamatan", "kelurahan", "last_rat_year", "status"]
        order_by = ["name"]
        attrs = {"class": "table"}

    def render_name(self, value: str, record: Cooperative) -> SafeString:
        url = reverse("cooperatives:detail", args=[record.pk])
        badge = example_badge() if record.is_example else ""
        usp = format_html(' <span class="tag">{}</span>', "USP") if record.has_usp else ""
        return format_html('<a href="{}">{}</a>{} {}', url, value, usp, badge)

    def render_status(self, value: str) -> SafeString:
        css = {"aktif": "ok", "tidak_aktif": "warn", "dibubarkan": "bad"}.get(value, "")
        return format_html('<span class="badge {}">{}</span>', css, STATUS_LABELS.get(value, value))


class EmpowermentTable(tables.Table):
    date = tables.DateColumn(verbose_name=gettext_lazy("Tanggal"), format="j F Y")
    cooperative = tables.Column(verbose_name=gettext_lazy("Koperasi"))
    kind = tables.Column(verbose_name=gettext_lazy("Jenis"))
    description = tables.Column(verbose_name=gettext_lazy("Uraian"))

    class Meta:
        model = EmpowermentRecord
        fields = ["date", "cooperative", "kind", "description"]
        order_by = ["-date"]

    def render_cooperative(self, value: Any, record: EmpowermentRecord) -> SafeString:
        url = reverse("cooperatives:detail", args=[record.cooperative_id])
        badge = example_badge() if record.is_example else ""
        return format_html('<a href="{}">{}</a> {}', url, value, badge)
