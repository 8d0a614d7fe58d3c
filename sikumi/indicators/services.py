from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.indicators.engine import Computer, Result
from sikumi.indicators.measures import REGISTRY, Period
from sikumi.indicators.models import (
    ComputedValue,
    CustomIndicator,
    CustomIndicatorValue,
    IndicatorBinding,
    ManualFigure,
    Method,
)
from sikumi.plans.models import Indicator, Plan
from sikumi.rules.completeness import FINAL

DATA_DIR = Path(__file__).parent / "data"


class BindingsError(ValueError):
    """A bindings file that cannot be loaded as it is: nothing of it was loaded."""


def _check_bindings(bindings: dict[str, Any], *, known: set[str], plan: Plan, path: Path) -> None:
    """Refuse the whole file when it names an indicator the plan does not have, or a measure
    Sikumi does not know: skipping such an entry would leave an indicator silently unmeasured."""
    unknown = [str(key) for key in bindings if key not in known]
    if unknown:
        raise BindingsError(
            _(
                "Berkas %(file)s menyebut %(n)d indikator yang tidak ada di Renstra %(plan)s: "
                "%(ids)s. Tidak ada pengikatan yang dimuat; perbaiki id indikatornya."
            )
            % {"file": path.name, "n": len(unknown), "plan": plan, "ids": ", ".join(unknown)}
        )
    measures = sorted(
        {
            f"{key}: {spec.get(name)}"
            for key, spec in bindings.items()
            for name in ("measure", "denominator_measure")
            if isinstance(spec, dict) and spec.get(name) and spec[name] not in REGISTRY
        }
    )
    if measures:
        raise BindingsError(
            _(
                "Berkas %(file)s menyebut ukuran yang tidak dikenal: %(items)s. Tidak ada "
                "pengikatan yang dimuat."
            )
            % {"file": path.name, "items": ", ".join(measures)}
        )


@transaction.atomic
def bindings_load(*, plan: Plan, path: Path, actor: Any = None) -> int:
    """Create the bindings of the data file that do not exist yet; edited bindings are kept."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("bindings"), dict):
        raise BindingsError(
            _("Berkas %(file)s tidak berisi daftar 'bindings'.") % {"file": path.name}
        )
    indicators = {i.source_id: i for i in Indicator.objects.filter(plan=plan)}
    _check_bindings(data["bindings"], known=set(indicators), plan=plan, path=path)
    existing = set(
        IndicatorBinding.objects.filter(indicator__plan=plan).values_list(
            "indicator__source_id", flat=True
        )
    )
    created = 0
    for source_id, spec in data["bindings"].items():
        indicator = indicators.get(source_id)
        if indicator is None or source_id in existing:
            continue
        binding = IndicatorBinding(
            indicator=indicator,
            method=spec["method"],
            measure=spec.get("measure", ""),
            denominator=spec.get("denominator", "none"),
            denominator_measure=spec.get("denominator_measure", ""),
            data_dasar=spec.get("data_dasar"),
            manual_key=spec.get("manual_key", "" if spec["method"] != Method.MANUAL else source_id),
            percent=spec.get("percent", False),
            description=spec["description"],
        )
        core.record_create(actor=actor, instance=binding)
        created += 1
    return created


def binding_update(
    *, actor: Any, binding: IndicatorBinding, expected_version: int | None
) -> IndicatorBinding:
    access.require(access.can_manage_plan(actor))
    if binding.method == Method.MEASURE and binding.measure not in REGISTRY:
        from django.core.exceptions import ValidationError

        raise ValidationError({"measure": _("Ukuran tidak dikenal.")})
    return core.record_update(actor=actor, instance=binding, expected_version=expected_version)


def manual_figure_save(
    *, actor: Any, figure: ManualFigure, expected_version: int | None = None
) -> ManualFigure:
    access.require(access.can_manage_plan(actor))
    if figure.pk is None:
        return core.record_create(actor=actor, instance=figure)
    return core.record_update(actor=actor, instance=figure, expected_version=expected_version)


def compute_all(*, plan: Plan, year: int, quarter: int | None = None) -> list[Result]:
    computer = Computer(Period(year, quarter))
    bindings = (
        IndicatorBinding.objects.active()
        .filter(indicator__plan=plan)
        .select_related("indicator")
        .order_by("indicator__table", "indicator__order")
    )
    return [computer.compute(b) for b in bindings]


def _dec(value: Decimal | None) -> Decimal | None:
    return value if value is None else Decimal(value)


def _stored(r: Result, actor: Any) -> dict[str, Any]:
    """The fields of a `StoredValue` (Renstra or Dinas indicator) from one computation."""
    return {
        "value": _dec(r.value),
        "numerator": _dec(r.numerator),
        "denominator": _dec(r.denominator),
        "by_kecamatan": r.by_kecamatan,
        "by_kelurahan": r.by_kelurahan,
        "reason": r.reason,
        "sources": r.sources,
        "status": r.status,
        "completeness": r.completeness,
        "completeness_share": r.completeness_share,
        "computed_by": actor if actor is not None and actor.is_authenticated else None,
    }


@transaction.atomic
def compute_and_store(
    *, plan: Plan, year: int, quarter: int | None = None, actor: Any = None
) -> list[Result]:
    """Compute every indicator of the plan and keep the values with when and from what."""
    results = compute_all(plan=plan, year=year, quarter=quarter)
    for r in results:
        ComputedValue.objects.update_or_create(
            indicator_id=r.indicator_id,
            year=year,
            quarter=quarter or 0,
            defaults=_stored(r, actor),
        )
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        model=ComputedValue,
        object_repr=f"Perhitungan indikator {year}" + (f" TW {quarter}" if quarter else ""),
        note=f"{len(results)} indikator dihitung",
    )
    # The Dinas' own indicators are recomputed with the Renstra's (stored apart from them).
    custom_indicators_compute_and_store(year=year, quarter=quarter, actor=actor)
    return results


def ensure_computed(*, plan: Plan, year: int, quarter: int | None = None) -> bool:
    """Compute and store the period's values when none are stored yet (a first visit sees
    values, not "belum dihitung"); True when it computed."""
    if ComputedValue.objects.filter(indicator__plan=plan, year=year, quarter=quarter or 0).exists():
        return False
    compute_and_store(plan=plan, year=year, quarter=quarter)
    return True


@transaction.atomic
def realisations_propose(
    *, actor: Any, renja: Any, quarter: int, include_provisional: bool = False
) -> dict[str, int]:
    """Propose the values computed from the registries as the quarter's realisation.

    Each indicator of the Renja that is measured from the registries gets `computed_value`
    on its realisation row for the quarter (a new row waits for the unit to confirm it). For
    indicators whose year adds up its quarters, the quarter's share is proposed (the value up
    to this quarter less the value up to the previous one), so that the quarters add up to the
    year. Approved (locked) quarters are left alone. Only final values are proposed unless the
    user chose to include provisional (sementara) ones with their completeness in view; the
    completeness goes with the proposal into its source text.
    """
    from django.utils import timezone

    from sikumi.monev import services as monev
    from sikumi.monev.models import IndicatorRealisation, RenjaTarget

    access.require(access.can_manage_plan(actor))
    year = renja.year
    now = Computer(Period(year, quarter))
    before = Computer(Period(year, quarter - 1)) if quarter > 1 else None
    indicator_ids = set(
        RenjaTarget.objects.filter(renja=renja).values_list("indicator_id", flat=True)
    )
    bindings = (
        IndicatorBinding.objects.active()
        .filter(indicator__plan=renja.plan, method=Method.MEASURE, indicator_id__in=indicator_ids)
        .select_related("indicator__node")
    )
    counts = {"proposed": 0, "locked": 0, "without_value": 0, "provisional": 0}
    stamp = timezone.now()
    for binding in bindings:
        indicator = binding.indicator
        result = now.compute(binding)
        if result.value is None:
            counts["without_value"] += 1
            continue
        if result.status != FINAL and not include_provisional:
            counts["provisional"] += 1
            continue
        value = result.value
        if indicator.combine == "sum" and before is not None:
            previous = before.compute(binding).value
            value = value - (previous or 0)
        unit = monev.responsible_unit(indicator.node)
        submission = monev.submission_for(renja=renja, unit=unit, quarter=quarter)
        if not submission.editable:
            counts["locked"] += 1
            continue
        row = IndicatorRealisation.objects.filter(
            renja=renja, indicator=indicator, quarter=quarter
        ).first()
        source = f"{result.sources} (dihitung {stamp:%d-%m-%Y %H:%M})"
        if result.status != FINAL:
            source += f"; {result.status_label.upper()}: {result.completeness}"
        if row is None:
            row = IndicatorRealisation(
                renja=renja,
                indicator=indicator,
                quarter=quarter,
                submission=submission,
                owner_unit=unit,
                computed_value=value,
                computed_at=stamp,
                computed_source=source,
                computed_status=result.status,
                computed_completeness=result.completeness,
            )
            core.record_create(actor=actor, instance=row, note="Usulan dari hasil hitung data")
        else:
            row.computed_value, row.computed_at, row.computed_source = value, stamp, source
            row.computed_status, row.computed_completeness = result.status, result.completeness
            core.record_update(actor=actor, instance=row, note="Usulan dari hasil hitung data")
        counts["proposed"] += 1
    return counts


# --- Indikator Dinas (di luar Renstra) ----------------------------------------------------


def custom_engine_binding(indicator: CustomIndicator) -> IndicatorBinding:
    """The Dinas indicator in the shape the engine computes: an unsaved binding to an unsaved
    plan indicator carrying its code, name and unit. Nothing is written to the plan, so the
    indicator stays out of the Renstra, the Renja, E.81 and the LKjIP while being computed,
    split by kecamatan and drilled down exactly as the Renstra's indicators are."""
    shown = Indicator(pk=indicator.pk, source_id=indicator.code, name=indicator.name)
    shown.unit = indicator.unit
    shown.data_dasar = indicator.data_dasar
    return IndicatorBinding(
        indicator=shown,
        method=Method.MEASURE,
        measure=indicator.measure,
        denominator=indicator.denominator,
        denominator_measure=indicator.denominator_measure,
        data_dasar=indicator.data_dasar,
        manual_key=indicator.manual_key,
        percent=indicator.percent,
        description=indicator.description,
    )


def custom_indicator_create(*, actor: Any, indicator: CustomIndicator) -> CustomIndicator:
    access.require(access.can_create(actor, CustomIndicator))
    return core.record_create(actor=actor, instance=indicator)


def custom_indicator_update(
    *, actor: Any, indicator: CustomIndicator, expected_version: int | None
) -> CustomIndicator:
    access.require(access.can_edit(actor, indicator))
    return core.record_update(actor=actor, instance=indicator, expected_version=expected_version)


def custom_indicator_archive(*, actor: Any, indicator: CustomIndicator) -> CustomIndicator:
    access.require(access.can_archive(actor, indicator))
    return core.record_archive(actor=actor, instance=indicator)


def custom_indicators_compute(
    *, year: int, quarter: int | None = None
) -> list[tuple[CustomIndicator, Result]]:
    """Compute every active Dinas indicator for the period with the Renstra's engine."""
    computer = Computer(Period(year, quarter))
    indicators = CustomIndicator.objects.active().filter(is_active=True).order_by("code")
    return [(i, computer.compute(custom_engine_binding(i))) for i in indicators]


@transaction.atomic
def custom_indicators_compute_and_store(
    *, year: int, quarter: int | None = None, actor: Any = None
) -> list[Result]:
    """Compute the active Dinas indicators and keep the values with when and from what."""
    computed = custom_indicators_compute(year=year, quarter=quarter)
    for indicator, r in computed:
        CustomIndicatorValue.objects.update_or_create(
            indicator=indicator, year=year, quarter=quarter or 0, defaults=_stored(r, actor)
        )
    if computed:
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            model=CustomIndicatorValue,
            object_repr=f"Perhitungan indikator Dinas {Period(year, quarter)}",
            note=f"{len(computed)} indikator Dinas dihitung",
        )
    return [r for _i, r in computed]
