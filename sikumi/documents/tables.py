import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from sikumi.documents.models import Document


class DocumentTable(tables.Table):
    title = tables.Column(
        verbose_name=_("Judul"), linkify=("documents:detail", {"pk": tables.A("pk")})
    )
    category = tables.Column(verbose_name=_("Kategori"))
    number = tables.Column(verbose_name=_("Nomor"))
    date = tables.DateColumn(verbose_name=_("Tanggal"))
    owner_unit = tables.Column(verbose_name=_("Unit"))

    class Meta:
        model = Document
        fields = ["title", "category", "number", "date", "owner_unit"]
        order_by = ["-date"]
