from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.indicators.measures import REGISTRY, Counted, Period
from sikumi.indicators.models import (
    ComputedValue,
    CustomIndicator,
    CustomIndicatorValue,
    IndicatorBinding,
)
from sikumi.regions.selectors import kecamatan_list, kelurahan_list
from sikumi.rules.capaian import capaian


def binding_list(*, user: Any, plan: Any) -> QuerySet[IndicatorBinding]:
    access.require(access.can_view(user, IndicatorBinding))
    return (
        IndicatorBinding.objects.active()
        .filter(indicator__plan=plan)
        .select_related("indicator", "indicator__node")
        .order_by("indicator__table", "indicator__order")
    )


def stored_values(*, plan: Any, year: int, quarter: int | None) -> dict[int, ComputedValue]:
    rows = ComputedValue.objects.filter(indicator__plan=plan, year=year, quarter=quarter or 0)
    return {row.indicator_id: row for row in rows}


def region_names() -> dict[str, str]:
    names = {r.code: r.name for r in kecamatan_list()}
    names.update({r.code: r.name for r in kelurahan_list()})
    names[""] = "Tanpa wilayah"
    return names


def counted_records(
    *, user: Any, binding: IndicatorBinding, period: Period, kecamatan: str | None = None
) -> Counted | None:
    """The records behind a computed value (the drill-down), optionally for one kecamatan."""
    access.require(access.can_view(user, binding))
    spec = REGISTRY.get(binding.measure)
    if spec is None or spec.kind == "growth":
        return None
    counted = spec.compute(period)
    assert isinstance(counted, Counted)
    if kecamatan is not None and counted.kecamatan_field:
        if kecamatan == "":
            counted.queryset = counted.queryset.filter(
                **{f"{counted.kecamatan_field}__isnull": True}
            )
        else:
            counted.queryset = counted.queryset.filter(**{counted.kecamatan_field: kecamatan})
    return counted


# --- Indikator Dinas (di luar Renstra) ----------------------------------------------------


def custom_indicator_list(
    *, user: Any, include_inactive: bool = False
) -> QuerySet[CustomIndicator]:
    access.require(access.can_view(user, CustomIndicator))
    queryset = CustomIndicator.objects.active().select_related("owner_unit").order_by("code")
    return queryset if include_inactive else queryset.filter(is_active=True)


def custom_stored_values(*, year: int, quarter: int | None) -> dict[int, CustomIndicatorValue]:
    rows = CustomIndicatorValue.objects.filter(
        indicator__archived_at__isnull=True, year=year, quarter=quarter or 0
    )
    return {row.indicator_id: row for row in rows}


def custom_indicator_rows(*, user: Any, period: Period) -> list[dict[str, Any]]:
    """The active Dinas indicators with their stored value, the year's target and capaian."""
    stored = custom_stored_values(year=period.year, quarter=period.quarter)
    rows = []
    for indicator in custom_indicator_list(user=user):
        value = stored.get(indicator.pk)
        target = indicator.target_for(period.year)
        realised = value.value if value is not None else None
        rows.append(
            {
                "indicator": indicator,
                "value": value,
                "target": target,
                "capaian": capaian(target, realised, indicator.polarity),
            }
        )
    return rows
