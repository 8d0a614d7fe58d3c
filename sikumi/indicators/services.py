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
from sikumi.indicators.models import ComputedValue, IndicatorBinding, ManualFigure, Method
from sikumi.plans.models import Indicator, Plan
from sikumi.rules.completeness import FINAL

DATA_DIR = Path(__file__).parent / "data"


@transaction.atomic
def bindings_load(*, plan: Plan, path: Path, actor: Any = None) -> int:
    """Create the bindings of the data file that do not exist yet; edited bindings are kept."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    indicators = {i.source_id: i for i in Indicator.objects.filter(plan=plan)}
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
            defaults={
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
            },
        )
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        model=ComputedValue,
        object_repr=f"Perhitungan indikator {year}" + (f" TW {quarter}" if quarter else ""),
        note=f"{len(results)} indikator dihitung",
    )
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
