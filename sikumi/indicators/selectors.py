from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.indicators.measures import REGISTRY, Counted, Period
from sikumi.indicators.models import ComputedValue, IndicatorBinding, ManualFigure
from sikumi.regions.selectors import kecamatan_list, kelurahan_list


def binding_list(*, user: Any, plan: Any) -> QuerySet[IndicatorBinding]:
    access.require(access.can_view(user, IndicatorBinding))
    return (
        IndicatorBinding.objects.active()
        .filter(indicator__plan=plan)
        .select_related("indicator", "indicator__node")
        .order_by("indicator__table", "indicator__order")
    )


def binding_get(*, user: Any, indicator_id: int) -> IndicatorBinding:
    access.require(access.can_view(user, IndicatorBinding))
    return (
        IndicatorBinding.objects.active().select_related("indicator").get(indicator_id=indicator_id)
    )


def manual_figure_list(*, user: Any) -> QuerySet[ManualFigure]:
    access.require(access.can_view(user, ManualFigure))
    return ManualFigure.objects.active().order_by("key", "-year", "quarter")


def manual_figure_get(*, user: Any, pk: int) -> ManualFigure:
    access.require(access.can_view(user, ManualFigure))
    return ManualFigure.objects.active().get(pk=pk)


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
