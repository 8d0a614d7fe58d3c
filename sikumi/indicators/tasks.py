"""Keeping the computed indicator values current without anyone pressing "Hitung ulang".

- A write to a registry the indicators read (cooperatives, RAT, supervision, enterprises,
  activities, committed imports, manual figures, bindings) marks the values *dirty* (one row,
  `RecomputeState.dirty_since`) through model signals connected in `IndicatorsConfig.ready()`.
- The first write after a computation queues `recompute_task` to run
  `SIKUMI_INDICATOR_RECOMPUTE_MINUTES` (default 5) minutes later: the writes of those minutes
  are covered by one computation (debounce). A task lost with a stopped worker is queued again
  by a write once three times that delay has passed.
- Nightly, `manage.py recompute_indicators` (cron or the worker host) recomputes everything.
- With a backend that cannot defer (the immediate one of the tests), writes only mark; pages
  compute a period that has never been computed when it is first visited.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from sikumi.indicators.models import ComputedValue, RecomputeState

log = logging.getLogger(__name__)

# Apps whose records the measures read; `imports` only for its committed batches.
SOURCE_APPS = ("cooperatives", "supervision", "enterprises", "activities")
SOURCE_MODELS = ("imports.ImportBatch", "indicators.ManualFigure", "indicators.IndicatorBinding")


def delay() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "SIKUMI_INDICATOR_RECOMPUTE_MINUTES", 5)))


def state() -> RecomputeState:
    row, _created = RecomputeState.objects.get_or_create(pk=1)
    return row


def mark_dirty(**_: Any) -> None:
    """Signal receiver: the registries changed. Marked once the writer's transaction commits,
    so no writer ever waits on the one state row (or marks a change that was rolled back)."""
    transaction.on_commit(_mark, robust=True)


def _mark() -> None:
    now = timezone.now()
    due = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - 3 * delay())
    if RecomputeState.objects.filter(pk=1, dirty_since__isnull=False).exclude(due).exists():
        return  # already marked and a computation is queued: the usual case, one read
    if not RecomputeState.objects.filter(pk=1, dirty_since__isnull=True).update(dirty_since=now):
        RecomputeState.objects.get_or_create(pk=1, defaults={"dirty_since": now})
    if not default_task_backend.supports_defer:
        return
    # Only the process that sets `enqueued_at` queues the task.
    if RecomputeState.objects.filter(due, pk=1).update(enqueued_at=now):
        recompute_task.using(run_after=now + delay()).enqueue()


def periods_to_refresh(year: int | None = None) -> list[tuple[int, int | None]]:
    """The current and previous year (RAT and omzet of a year keep arriving in the next),
    and every quarter of those years already stored."""
    from sikumi.plans.selectors import active_plan

    plan = active_plan()
    if plan is None:
        return []
    this_year = timezone.localdate().year
    years = [year] if year is not None else [this_year - 1, this_year]
    years = [y for y in years if plan.period_start <= y <= plan.period_end]
    periods: list[tuple[int, int | None]] = [(y, None) for y in years]
    stored = (
        ComputedValue.objects.filter(year__in=years, quarter__gt=0)
        .values_list("year", "quarter")
        .distinct()
        .order_by("year", "quarter")
    )
    periods += [(y, q) for y, q in stored]
    return periods


def recompute(year: int | None = None) -> int:
    """Recompute and store the values of the periods to refresh; returns how many periods."""
    from sikumi.indicators.services import compute_and_store
    from sikumi.plans.selectors import active_plan

    plan = active_plan()
    if plan is None:
        return 0
    started = timezone.now()
    # Writes from now on need another run; the state row says one is no longer queued.
    RecomputeState.objects.update_or_create(
        pk=1, defaults={"dirty_since": None, "enqueued_at": None, "started_at": started}
    )
    periods = periods_to_refresh(year)
    for y, q in periods:
        compute_and_store(plan=plan, year=y, quarter=q)
    RecomputeState.objects.filter(pk=1).update(finished_at=timezone.now())
    log.info("indicators recomputed for %s", periods)
    return len(periods)


@task
def recompute_task() -> None:
    recompute()


def connect_signals() -> None:
    """Mark the values dirty on every save or delete of a record the measures read."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    models = [m for label in SOURCE_APPS for m in apps.get_app_config(label).get_models()]
    models += [apps.get_model(label) for label in SOURCE_MODELS]
    for model in models:
        uid = f"indicators-dirty-{model._meta.label_lower}"
        post_save.connect(mark_dirty, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(mark_dirty, sender=model, dispatch_uid=f"{uid}-delete")
