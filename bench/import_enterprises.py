"""Benchmark: import of a pendataan XLSX file against python-calamine reading it.

    .venv/bin/python bench/import_enterprises.py --rows 1000000

1. Generates (or reuses) bench/data/enterprises-<rows>.xlsx: example businesses, 20 columns,
   written by sikumi.enterprises.demo.write_xlsx (xlsxwriter, constant memory).
2. Measures python-calamine alone reading every row (in a subprocess).
3. Imports the file into a fresh SQLite database (migrated, regions and organisation loaded) in
   a subprocess, measuring wall time and the peak memory of the importing process and of its
   reading child (getrusage maxrss of each; also the peak of their sum of PSS, sampled).
4. Prints both rates, the ratio and the peak memory; targets: ratio >= 0.5, memory < 500 MB for
   the import as a whole (the two processes' peaks added up).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def _env(db: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.pop("DATABASE_URL", None)
    if db:
        env["SIKUMI_SQLITE_PATH"] = db
    env["PYTHONPATH"] = str(ROOT)
    return env


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def generate(path: Path, rows: int, seed: int) -> None:
    _django()
    from sikumi.enterprises.demo import write_xlsx

    started = time.perf_counter()
    write_xlsx(path, rows, seed)
    print(f"generated {path} ({rows:,} rows) in {time.perf_counter() - started:.1f} s")


def calamine_child(path: str) -> None:
    import resource

    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    count = 0
    for _row in sheet.iter_rows():
        count += 1
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": count - 1, "seconds": seconds, "max_rss_mb": rss}))


def _pss_sampler() -> tuple[dict[str, float], Any]:
    """Samples, every 0.2 s, the PSS of this process and its children (Linux; shared pages
    are split between the processes, so the sum is the memory the import really holds)."""
    import threading

    peak = {"pss_mb": 0.0}
    stop = threading.Event()

    def pss(pid: str) -> float:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def children() -> list[str]:
        try:
            with open(f"/proc/self/task/{os.getpid()}/children") as f:
                return f.read().split()
        except OSError:
            return []

    def sample() -> None:
        while not stop.wait(0.2):
            total = pss("self") + sum(pss(pid) for pid in children())
            peak["pss_mb"] = max(peak["pss_mb"], total)

    threading.Thread(target=sample, daemon=True).start()
    return peak, stop


def import_child(path: str) -> None:
    import resource

    _django()
    from sikumi.imports import engine
    from sikumi.imports.models import ImportBatch, ImportStatus

    batch = ImportBatch.objects.create(
        kind="enterprises", file=path, original_name=Path(path).name, status=ImportStatus.CONFIRMED
    )
    peak, stop = _pss_sampler()
    started = time.perf_counter()
    report = engine.run("enterprises", path, commit=True, batch=batch)
    seconds = time.perf_counter() - started
    stop.set()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "child_max_rss_mb": child,
                "rows": report["total_rows"],
                "valid_rows": report["valid_rows"],
                "error_rows": report["error_rows"],
                "duplicate_rows": report["duplicate_rows"],
                "created": report["created"],
                "seconds": seconds,
                "max_rss_mb": rss,
                "first_errors": report["errors"][:3],
                "pss_sum_mb": peak["pss_mb"],
            }
        )
    )


def prepare_db(db: str) -> None:
    env = _env(db)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    code = (
        "import django; django.setup();"
        "from sikumi.accounts.services import organisation_load; organisation_load();"
        "from sikumi.core.testing import load_depok_regions; load_depok_regions()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def _child(args: list[str], db: str | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        env=_env(db),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--file", help="use this XLSX file instead of generating one")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--child", choices=["calamine", "import"], help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child == "calamine":
        calamine_child(rest[0])
        return
    if args.child == "import":
        import_child(rest[0])
        return

    if args.file:
        path = Path(args.file)
    else:
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"enterprises-{args.rows}-{args.seed}.xlsx"
        if args.regenerate or not path.exists():
            generate(path, args.rows, args.seed)
        else:
            print(f"reusing {path}")
    read = _child(["--child", "calamine", str(path)])
    read_rate = read["rows"] / read["seconds"]
    print(
        f"python-calamine read: {read['rows']:,} rows in {read['seconds']:.1f} s = "
        f"{read_rate:,.0f} rows/s (peak {read['max_rss_mb']:.0f} MB)"
    )
    with tempfile.TemporaryDirectory(prefix="sikumi-bench-") as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        prepare_db(db)
        result = _child(["--child", "import", str(path)], db)
    rate = result["rows"] / result["seconds"]
    print(
        f"import into fresh SQLite: {result['rows']:,} rows in {result['seconds']:.1f} s = "
        f"{rate:,.0f} rows/s; created {result['created']}; "
        f"{result['error_rows']} errors, {result['duplicate_rows']} duplicates"
    )
    if result["first_errors"]:
        print(f"first errors: {result['first_errors']}")
    ratio = rate / read_rate
    print(f"ratio import/read: {ratio:.2f} (target >= 0.50)")
    memory = result["max_rss_mb"] + result["child_max_rss_mb"]
    print(
        f"peak memory: import process {result['max_rss_mb']:.0f} MB + its reading child "
        f"{result['child_max_rss_mb']:.0f} MB = {memory:.0f} MB (peaks added up, target < 500 MB); "
        f"peak PSS of both together {result['pss_sum_mb']:.0f} MB"
    )
    ok = ratio >= 0.5 and memory < 500
    print("RESULT:", "OK" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
