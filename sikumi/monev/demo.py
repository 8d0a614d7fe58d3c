"""Example monitoring data (clearly labelled, is_example=True): Renja 2021-2026 from the loaded
Renstra, approved quarterly realisations for 2021-2025 and TW I-III 2026 with plausible
values, budget realisations and the promise figures. Deterministic for a seed and idempotent:
a second run changes nothing; real (non-example) records are never touched."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sikumi.monev.choices import SubmissionStatus
from sikumi.monev.models import (
    BudgetRealisation,
    IndicatorRealisation,
    PromiseFigure,
    QuarterSubmission,
    Renja,
    RenjaBudget,
    RenjaTarget,
)
from sikumi.monev.selectors import active_plan, load_plan_data, rule_of
from sikumi.monev.services import (
    RENJA_TABLES,
    _fallback_targets,
    responsible_unit,
)
from sikumi.plans.models import BUDGET_KINDS, Indicator, Plan, PlanNode

CURRENT_YEAR = 2026
LAST_QUARTER = 3  # the current year is reported up to TW III


def _renja(plan: Plan, year: int) -> Renja:
    renja = Renja.objects.filter(plan=plan, year=year).first()
    if renja is not None:
        return renja
    renja = Renja.objects.create(
        plan=plan, year=year, status="adopted", owner_unit=plan.owner_unit, is_example=True
    )
    fallback = _fallback_targets(plan, year)
    indicators = Indicator.objects.filter(plan=plan, table__in=RENJA_TABLES).prefetch_related(
        "targets"
    )
    rows = []
    for ind in indicators:
        value = next((t.value for t in ind.targets.all() if t.year == year), None)
        if value is None:
            value = fallback.get(ind.source_id)
        rows.append(RenjaTarget(renja=renja, indicator=ind, target=value, is_example=True))
    RenjaTarget.objects.bulk_create(rows)
    pagu = {p.node_id: p.value for p in plan.pagu.filter(year=year, node__isnull=False)}
    RenjaBudget.objects.bulk_create(
        RenjaBudget(renja=renja, node=n, pagu=pagu.get(n.pk), is_example=True)
        for n in PlanNode.objects.filter(plan=plan, kind__in=BUDGET_KINDS)
    )
    return renja


def _quarter_value(
    rng: random.Random, rule: str, target: Decimal, q: int, pace: float, whole: bool
) -> Decimal:
    t = float(target)
    if rule == "sum":
        value = t / 4 * rng.uniform(0.75, 1.2) * pace
        return Decimal(round(value)) if whole else Decimal(str(round(value, 2)))
    if rule == "average":
        value = t * rng.uniform(0.85, 1.15) * pace
    else:  # levels and percentages approach the target over the year
        value = t * (0.7 + 0.08 * q) * rng.uniform(0.95, 1.15) * pace
    if t <= 100:
        value = min(value, 100.0)
    return Decimal(round(value)) if whole else Decimal(str(round(value, 2)))


@transaction.atomic
def generate(*, seed: int = 2026) -> str:
    plan = active_plan()
    if plan is None:
        from sikumi.plans.loader import load_plan

        plan = load_plan().plan
    data = load_plan_data(plan)
    now = timezone.now()
    created_real = created_budget = 0
    years = [y for y in plan.years if y <= CURRENT_YEAR]
    for year in years:
        renja = _renja(plan, year)
        if not renja.is_example:
            continue  # a real Renja: never mix example figures into it
        targets = dict(
            RenjaTarget.objects.filter(renja=renja).values_list("indicator_id", "target")
        )
        pagu = dict(RenjaBudget.objects.filter(renja=renja).values_list("node_id", "pagu"))
        last_q = LAST_QUARTER if year == CURRENT_YEAR else 4
        existing = set(
            IndicatorRealisation.objects.filter(renja=renja).values_list("indicator_id", "quarter")
        )
        existing_budget = set(
            BudgetRealisation.objects.filter(renja=renja).values_list("node_id", "quarter")
        )
        submissions: dict[tuple[int, int], QuarterSubmission] = {}

        def submission(
            unit_id: int,
            q: int,
            renja: Renja = renja,
            submissions: dict[tuple[int, int], QuarterSubmission] = submissions,
        ) -> QuarterSubmission:
            key = (unit_id, q)
            if key not in submissions:
                submissions[key], _ = QuarterSubmission.objects.get_or_create(
                    renja=renja,
                    owner_unit_id=unit_id,
                    quarter=q,
                    defaults={
                        "status": SubmissionStatus.APPROVED,
                        "is_example": True,
                        "submitted_at": now,
                        "verified_at": now,
                        "approved_at": now,
                        "notes": "Data contoh",
                    },
                )
            return submissions[key]

        new_rows = []
        for ind in data.indicators:
            target = targets.get(ind.pk)
            if target is None or target == 0:
                continue
            rng = random.Random(f"{seed}-{year}-{ind.source_id}")
            # a few indicators lag in the current year, so the dashboard has something to warn
            pace = rng.choice([0.55, 1.0, 1.0, 1.0, 1.0]) if year == CURRENT_YEAR else 1.0
            unit = responsible_unit(ind.node)
            # counts of things (documents, people, units) are whole numbers
            whole = target == target.to_integral_value() and not ind.is_percent and target >= 1
            for q in range(1, last_q + 1):
                value = _quarter_value(rng, rule_of(ind), target, q, pace, whole)
                if (ind.pk, q) in existing:
                    continue
                new_rows.append(
                    IndicatorRealisation(
                        renja=renja,
                        indicator=ind,
                        quarter=q,
                        submission=submission(unit.pk, q),
                        value=value,
                        note="Data contoh",
                        owner_unit=unit,
                        is_example=True,
                    )
                )
        IndicatorRealisation.objects.bulk_create(new_rows)
        created_real += len(new_rows)
        budget_rows = []
        for node in data.ordered:
            if not data.budget_leaf(node) or not pagu.get(node.pk):
                continue
            rng = random.Random(f"{seed}-{year}-budget-{node.source_id}")
            unit = responsible_unit(node)
            amount = pagu[node.pk] or Decimal(0)
            for q in range(1, last_q + 1):
                if (node.pk, q) in existing_budget:
                    continue
                share = Decimal(str(rng.uniform(0.15, 0.25) if q < 4 else rng.uniform(0.25, 0.3)))
                anggaran = (amount / 4).quantize(Decimal(1))
                realisasi = (amount * share).quantize(Decimal(1))
                budget_rows.append(
                    BudgetRealisation(
                        renja=renja,
                        node=node,
                        quarter=q,
                        submission=submission(unit.pk, q),
                        anggaran=anggaran,
                        realisasi=realisasi,
                        note="Data contoh",
                        owner_unit=unit,
                        is_example=True,
                    )
                )
        BudgetRealisation.objects.bulk_create(budget_rows)
        created_budget += len(budget_rows)
    rng = random.Random(f"{seed}-promise")
    for year in years:
        if year == CURRENT_YEAR or PromiseFigure.objects.filter(year=year).exists():
            continue
        new = rng.randint(780, 980)
        PromiseFigure.objects.create(
            year=year,
            new_entrepreneurs=new,
            women_entrepreneurs=int(new * rng.uniform(0.18, 0.24)),
            source="Data contoh",
            is_example=True,
        )
    return (
        f"Renja {years[0]}-{years[-1]}: {created_real} realisasi indikator, "
        f"{created_budget} realisasi anggaran (contoh)."
    )
