"""XLSX exports of the filtered lists (streamed, constant memory); personal data only for roles
allowed to see it, and such an export is recorded."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from django.db import models

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core.exports import DATE, NUMBER, RUPIAH, TEXT, Column, xlsx_response
from sikumi.enterprises.models import Enterprise, Person


def enterprise_columns(full: bool) -> list[Column]:
    """The export's columns: first every import column stored on the business or its owner
    (`sikumi.enterprises.importer.COLUMNS`, same header, so an exported file imports again),
    masked as the import preview masks them unless `full`; then what only the registry
    derives (kelurahan code, scale, woman-owned, example flag)."""
    from sikumi.enterprises.importer import COLUMNS

    scales = _labels(Enterprise._meta.get_field("scale")) or {}

    columns = [
        column
        for spec in COLUMNS
        if (column := _export_column(spec.label, spec.model_field, None if full else spec.mask))
    ]
    return [
        *columns,
        Column("Kode Kelurahan", lambda e: e.kelurahan_id, TEXT),
        Column("Skala", lambda e: scales.get(e.scale, e.scale)),
        Column("Wirausaha Perempuan", lambda e: "Ya" if e.is_woman_owned else "Tidak"),
        Column("Data Contoh", lambda e: "Ya" if e.is_example else "Tidak"),
    ]


_FORMATS = {
    "DateField": DATE,
    "DecimalField": RUPIAH,
    "PositiveIntegerField": NUMBER,
    "IntegerField": NUMBER,
}


def _labels(field: Any) -> dict[Any, str] | None:
    """{stored value: its label} of a field with choices, as `get_<field>_display` shows it."""
    if not field.choices:
        return None
    return {key: str(label) for key, label in field.flatchoices}


def _export_column(label: str, model_field: str, mask: Any) -> Column | None:
    """A declared import column as an export column, read from its model field; None when
    the value is not stored on the business or its owner (turnover, kecamatan)."""
    model_label, _, name = model_field.rpartition(".")
    if model_label == Person._meta.label:
        holder: Callable[[Any], Any] = operator.attrgetter("owner")
        model: Any = Person
    elif model_label == Enterprise._meta.label:
        holder, model = (lambda e: e), Enterprise
    else:
        return None
    field = model._meta.get_field(name)
    if name == "programme_year":
        kind = None  # a year: never grouped
    else:
        kind = (
            TEXT if isinstance(field, models.CharField) else _FORMATS.get(field.get_internal_type())
        )
    width = 30 if isinstance(field, models.CharField) and (field.max_length or 0) > 100 else 18
    # The labels once per export, in the request's language: `get_<field>_display` rebuilds a
    # dict of lazy labels (each hashed through gettext) on every call, a third of the time of
    # a large export.
    labels = _labels(field)

    def value(record: Any) -> Any:
        target = holder(record)
        if isinstance(field, models.ForeignKey):
            related = getattr(target, name)
            return getattr(related, "name", "") if related is not None else ""
        data = getattr(target, field.attname)
        if labels is not None:
            return labels.get(data, data)
        if isinstance(field, models.BooleanField):
            return "Ya" if data else "Tidak"
        if mask is not None:
            return mask(data)
        return "" if data is None and kind == TEXT else data

    return Column(label, value, kind, width=width)


def enterprise_export(*, user: Any, queryset: Any) -> Any:
    # Records of the registry belong to one Bidang; personal data goes out in full only to
    # roles that may see it for that Bidang's records (checked on the registry's owner).
    full = access.can_view_personal_data(user, _registry_owner())
    rows = queryset.select_related("owner", "kelurahan").order_by("-id").iterator(chunk_size=2000)
    if full:
        record_personal_data_access(
            actor=user,
            action=Action.EXPORT_PERSONAL,
            what="Ekspor usaha mikro dengan NIK dan nomor HP pemilik",
            model=Enterprise,
        )
    return xlsx_response(
        "usaha-mikro.xlsx",
        enterprise_columns(full),
        rows,
        title="Daftar usaha mikro",
        note="Kolom Data Contoh = Ya menandai data contoh, bukan data nyata.",
    )


def _registry_owner() -> Any:
    from sikumi.enterprises.services import default_owner_unit

    return Enterprise(owner_unit=default_owner_unit())
