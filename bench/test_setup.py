"""Benchmark: the setup floor of a pytest run (time before the first database test runs).

    .venv/bin/python bench/test_setup.py [--repeat 3] [--postgres postgres://.../tests]

Runs one small database test (`TEST` below) with `--durations`, alternately with the test
database cloned from its template (sikumi/core/testdb.py) and with `SIKUMI_TEST_TEMPLATE=0`
(migrate the empty database, then load the reference data: the path every run took before).
Reports, per mode, the median of the first test's fixture setup (the test database and reference
data), of the whole pytest command's wall time (interpreter, Django and plugins included) and of
its CPU time (user + sys of pytest and its children: what the machine's load does not change).
The first run with templates may build the template (it says so); later runs reuse it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "sikumi/documents/tests/test_documents.py::test_a_bulk_change_records_one_entry_per_record"


def one_run(env: dict[str, str]) -> tuple[float, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", TEST, "--durations=5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    match = re.search(r"([\d.]+)s setup", result.stdout)
    if result.returncode != 0 or match is None:
        sys.exit(f"pytest failed:\n{result.stdout}\n{result.stderr}")
    return float(match.group(1)), wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="", help="DATABASE_URL; SQLite when empty")
    args = parser.parse_args()

    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    if args.postgres:
        base["DATABASE_URL"] = args.postgres
    modes = {"template": {**base, "SIKUMI_TEST_TEMPLATE": "1"}}
    modes["migrate+load"] = {**base, "SIKUMI_TEST_TEMPLATE": "0"}
    one_run(modes["template"])  # builds the template when it is missing or stale
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in modes}
    for _ in range(args.repeat):
        for name, env in modes.items():
            runs[name].append(one_run(env))
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}, {args.repeat} runs each, load average {os.getloadavg()[0]:.1f}")
    for name, values in runs.items():
        setup, wall, cpu = (statistics.median(v[i] for v in values) for i in range(3))
        setups = ", ".join(f"{v[0]:.1f}" for v in values)
        print(
            f"{name}: first test's setup median {setup:.1f} s ({setups}); "
            f"pytest wall {wall:.1f} s; CPU {cpu:.1f} s"
        )


if __name__ == "__main__":
    main()
