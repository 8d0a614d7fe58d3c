from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from sikumi.accounts import access
from sikumi.indicators.measures import REGISTRY, Counted, Period
from sikumi.indicators.models import (
    ComputedValue,
    CustomIndicator,
    CustomIndicatorValue,
    IndicatorBinding,
    ManualFigure,
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


def recompute_state() -> Any:
    from sikumi.indicators.models import RecomputeState

    return RecomputeState.objects.filter(pk=1).first()


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


@dataclass
class Beside:
    """The approved realisation of an indicator for a period beside its computed value."""

    approved: Decimal | None
    computed: Decimal | None
    status: str
    reasons: list[str]

    @property
    def status_label(self) -> str:
        from sikumi.indicators.completeness import status_label

        return status_label(self.status)

    @property
    def difference(self) -> Decimal | None:
        if self.approved is None or self.computed is None:
            return None
        return self.approved - self.computed

    @property
    def differs(self) -> bool:
        difference = self.difference
        return difference is not None and difference.quantize(Decimal("0.01")) != 0


def approved_realisations(
    *, plan: Any, year: int, quarter: int | None
) -> dict[int, tuple[Decimal | None, list[str]]]:
    """{indicator id: (approved realisation for the period, reasons recorded for differences)}.

    The year's approved quarters (up to ``quarter``) combined by the indicator's rule (sum,
    last, average), i.e. comparable with the value computed for the same period."""
    from sikumi.monev.models import IndicatorRealisation
    from sikumi.monev.selectors import indicator_quarters, rule_of
    from sikumi.plans.models import Indicator
    from sikumi.rules.capaian import combine_quarters

    quarters, _example = indicator_quarters(plan, approved_only=True, years=[year])
    upto = quarter or 4
    rules = {i.pk: i for i in Indicator.objects.filter(plan=plan, pk__in=[k[1] for k in quarters])}
    reasons: dict[int, list[str]] = {}
    rows = (
        IndicatorRealisation.objects.active()
        .filter(
            renja__plan=plan, renja__year=year, quarter__lte=upto, submission__status="approved"
        )
        .exclude(override_reason="")
        .order_by("quarter")
        .values_list("indicator_id", "quarter", "override_reason")
    )
    for ind, q, reason in rows:
        reasons.setdefault(ind, []).append(f"TW {q}: {reason}")
    out: dict[int, tuple[Decimal | None, list[str]]] = {}
    for (_y, ind), values in quarters.items():
        if ind not in rules:
            continue
        upto_values = {q: v for q, v in values.items() if q <= upto}
        combined = combine_quarters(upto_values, rule_of(rules[ind]))  # type: ignore[arg-type]
        if combined is not None:
            out[ind] = (combined, reasons.get(ind, []))
    return out


def beside(
    *, plan: Any, year: int, quarter: int | None, stored: dict[int, ComputedValue]
) -> dict[int, Beside]:
    """Approved beside computed, for every indicator that has either."""
    approved = approved_realisations(plan=plan, year=year, quarter=quarter)
    out: dict[int, Beside] = {}
    for ind in set(approved) | set(stored):
        value, reasons = approved.get(ind, (None, []))
        computed = stored.get(ind)
        out[ind] = Beside(
            approved=value,
            computed=computed.value if computed is not None else None,
            status=computed.status if computed is not None else "belum_ada_data",
            reasons=reasons,
        )
    return out


def monev_figures(plan: Any, year: int, quarter: int | None) -> dict[int, Any]:
    """The provider registered with `sikumi.monev.computed`: stored values (computed on the spot
    the first time a period is asked for) as the evaluation's computed figures."""
    from sikumi.indicators.services import ensure_computed
    from sikumi.monev.computed import ComputedFigure

    ensure_computed(plan=plan, year=year, quarter=quarter)
    return {
        ind: ComputedFigure(
            value=None if v.value is None else Decimal(v.value),
            status=v.status,
            status_label=v.get_status_display(),
            completeness=v.completeness,
            computed_at=v.computed_at,
        )
        for ind, v in stored_values(plan=plan, year=year, quarter=quarter).items()
    }
