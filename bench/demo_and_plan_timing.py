"""Benchmark: the timings that used to be wall-clock assertions in tests (issue 12, item 7).

    .venv/bin/python bench/demo_and_plan_timing.py [--cooperatives 10000] [--repeat 3]

Each run creates a fresh SQLite database in a temporary folder (the example-data generators add
nothing when example data exists), loads the organisation, Depok's regions and the Renstra, then
times:

- loading the Renstra a second time with unchanged files (a digest comparison; was `< 1 s` in
  sikumi/plans/tests/test_storage.py);
- generating `--cooperatives` example cooperatives with their RAT history and officials (was
  `< 60 s` for 10.000 in sikumi/cooperatives/tests/test_demo.py);
- the quality rules over them, `selectors.qualifying_ids(2025)` (was `< 20 s` there);
- the supervision example data (cases, inspections, health assessments) for the 190 default
  example cooperatives, on a second fresh database (was `< 20 s` for 60 cooperatives in
  sikumi/supervision/tests/test_demo.py).

The tests now assert query counts (batched, never per row); the speed is measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LIMITS = {
    "renstra second load": 1.0,
    "cooperatives demo": 60.0,
    "qualifying_ids(2025)": 20.0,
    "supervision demo": 20.0,
}


def _timed(label: str, func: Callable[[], object], results: dict[str, list[float]]) -> None:
    started = time.perf_counter()
    func()
    results.setdefault(label, []).append(time.perf_counter() - started)


def _fresh_database(folder: Path, name: str) -> None:
    """Point the default connection at a new SQLite file and migrate it with reference data."""
    from django.core.management import call_command
    from django.db import connection

    from sikumi.accounts.services import organisation_load
    from sikumi.core.testing import load_depok_regions

    connection.close()
    connection.settings_dict["NAME"] = str(folder / f"{name}.sqlite3")
    call_command("migrate", verbosity=0)
    organisation_load()
    load_depok_regions()


def one_run(folder: Path, cooperatives: int, results: dict[str, list[float]]) -> None:
    from django.core.management import call_command

    from sikumi.cooperatives import demo as cooperative_demo
    from sikumi.cooperatives import selectors
    from sikumi.plans.loader import load_plan
    from sikumi.supervision import demo as supervision_demo

    _fresh_database(folder, "cooperatives")
    load_plan()
    _timed("renstra second load", lambda: call_command("load_renstra", verbosity=0), results)
    _timed(
        "cooperatives demo",
        lambda: cooperative_demo.generate(count=cooperatives, seed=7),
        results,
    )
    _timed("qualifying_ids(2025)", lambda: selectors.qualifying_ids(2025), results)

    _fresh_database(folder, "supervision")
    call_command("load_health_methodologies", verbosity=0)
    cooperative_demo.generate(seed=7)
    _timed("supervision demo", lambda: supervision_demo.generate(seed=7), results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cooperatives", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    results: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="sikumi-bench-") as folder:
            one_run(Path(folder), args.cooperatives, results)
    print(f"{args.repeat} runs, {args.cooperatives:,} example cooperatives, SQLite")
    for label, times in results.items():
        median = statistics.median(times)
        limit = LIMITS[label]
        verdict = "within" if median < limit else "OVER"
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label}: median {median:.2f} s (runs {runs}); {verdict} the old {limit:g} s limit")


if __name__ == "__main__":
    main()
