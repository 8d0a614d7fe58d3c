"""Benchmark: computing every indicator of the Renstra for one year over 1.000.000 micro
enterprises and 10.000 cooperatives, on SQLite.

    .venv/bin/python bench/compute_indicators.py [--enterprises 1000000] [--cooperatives 10000]
                                                 [--db bench/data/indicators.sqlite3] [--year 2025]

Creates (or reuses) its own SQLite database with the Depok Renstra, the indicator bindings and
labelled example data at that scale (cooperatives with RAT reports, officials, inspections, health
assessments, cases; micro enterprises with turnover; trainings, certificates, events), then times
`sikumi.indicators.services.compute_all` for the year (each run starts with cold measure caches;
the first run also warms SQLite's page cache). Target: under 2 seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--cooperatives", type=int, default=10_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "data" / "indicators.sqlite3"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ["SIKUMI_SQLITE_PATH"] = args.db
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sikumi.cooperatives.models import Cooperative
    from sikumi.enterprises.models import Enterprise

    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    if (
        Cooperative.objects.count() < args.cooperatives
        or Enterprise.objects.count() < args.enterprises
    ):
        started = time.perf_counter()
        from sikumi.accounts.services import organisation_load
        from sikumi.core.testing import load_depok_regions

        organisation_load()
        load_depok_regions()
        call_command("load_health_methodologies", verbosity=0)
        call_command("load_renstra", verbosity=0)
        call_command("load_indicator_bindings", verbosity=0)
        call_command(
            "demo_data", enterprises=args.enterprises, cooperatives=args.cooperatives, verbosity=0
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"example data generated in {time.perf_counter() - started:.0f} s")
    print(
        f"{Enterprise.objects.count():,} usaha mikro, {Cooperative.objects.count():,} koperasi "
        f"in {args.db}"
    )

    from sikumi.indicators.services import compute_all
    from sikumi.plans.selectors import active_plan

    plan = active_plan()
    assert plan is not None, "the Renstra was not loaded"
    times = []
    results = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        results = compute_all(plan=plan, year=args.year)
        times.append(time.perf_counter() - started)
    with_value = sum(1 for r in results if r.value is not None)
    print(
        f"{len(results)} indicators for {args.year}: {with_value} with a value, "
        f"{len(results) - with_value} saying why not"
    )
    print("runs (s): " + ", ".join(f"{t:.2f}" for t in times))
    median = statistics.median(times)
    print(
        f"median {median:.2f} s, first (cold) {times[0]:.2f} s; target < 2 s: "
        f"{'met' if median < 2 else 'NOT met'}"
    )

    from sikumi.indicators.engine import Computer
    from sikumi.indicators.measures import REGISTRY, Period

    per_measure = []
    for code in REGISTRY:
        computer = Computer(Period(args.year))
        started = time.perf_counter()
        computer.measure(code)
        per_measure.append((time.perf_counter() - started, code))
    slowest = sorted(per_measure, reverse=True)[:10]
    print("slowest measures, each alone: " + ", ".join(f"{c} {t:.2f} s" for t, c in slowest))


if __name__ == "__main__":
    main()
