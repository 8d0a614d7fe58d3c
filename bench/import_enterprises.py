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


def floor_child(path: str, db: str, replay_db: str) -> None:
    """SQLite's own share of the import: the file is imported once into `db` while every
    INSERT/UPDATE the writer sends is recorded (its rows pickled to a temporary file, in the
    same transactions); then the recorded statements are replayed into the fresh `replay_db`
    and only SQLite's work is timed: executemany, commits and the index builds at the end.
    No reading, validation, Python row building or duplicate lookup is in that time."""
    import pickle

    _django()
    from django.db import connection, connections, transaction

    from sikumi.enterprises import bulk
    from sikumi.imports import engine
    from sikumi.imports.models import ImportBatch, ImportStatus

    record = Path(db).with_suffix(".statements")
    batch = ImportBatch.objects.create(
        kind="enterprises", file=path, original_name=Path(path).name, status=ImportStatus.CONFIRMED
    )
    connection.ensure_connection()
    real = connection.connection
    out = record.open("wb")
    groups = 0

    class Recorder:
        """The sqlite3 connection, with executemany recorded; commits mark the groups."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def executemany(self, sql: str, rows: Any) -> Any:
            rows = list(rows)
            pickle.dump(("rows", sql, rows), out, protocol=pickle.HIGHEST_PROTOCOL)
            return real.executemany(sql, rows)

        def commit(self) -> None:
            nonlocal groups
            groups += 1
            pickle.dump(("commit", "", []), out)
            real.commit()

    connection.connection = Recorder()
    engine.run("enterprises", path, commit=True, batch=batch, parallel=False)
    connection.connection = real
    out.close()

    # The replay: the same schema, batch and organisation, nothing else written yet.
    connections.close_all()
    os.environ["SIKUMI_SQLITE_PATH"] = replay_db
    connections["default"].settings_dict["NAME"] = replay_db
    ImportBatch.objects.create(
        pk=batch.pk, kind="enterprises", file=path, original_name="x", status=ImportStatus.CONFIRMED
    )
    writer = bulk.EnterpriseWriter(batch=batch)
    writer.tune(rows_estimate=10**9)
    connection.ensure_connection()
    raw = connection.connection
    seconds = 0.0
    atomic = None
    with record.open("rb") as stream:
        while True:
            try:
                kind, sql, rows = pickle.load(stream)  # noqa: S301 (written above)
            except EOFError:
                break
            started = time.perf_counter()
            if kind == "rows":
                if atomic is None:
                    atomic = transaction.atomic()
                    atomic.__enter__()
                raw.executemany(sql, rows)
            elif atomic is not None:
                atomic.__exit__(None, None, None)
                atomic = None
            seconds += time.perf_counter() - started
    if atomic is not None:
        atomic.__exit__(None, None, None)
    started = time.perf_counter()
    writer.untune()
    builds = time.perf_counter() - started
    record.unlink()
    print(json.dumps({"seconds": seconds, "index_seconds": builds, "transactions": groups}))


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
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time SQLite alone storing the same rows (recorded statements replayed)",
    )
    parser.add_argument("--child", choices=["calamine", "import", "floor"], help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child == "calamine":
        calamine_child(rest[0])
        return
    if args.child == "import":
        import_child(rest[0])
        return
    if args.child == "floor":
        floor_child(*rest[:3])
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
    if args.floor:
        with tempfile.TemporaryDirectory(prefix="sikumi-bench-") as tmp:
            db, replay = str(Path(tmp) / "record.sqlite3"), str(Path(tmp) / "replay.sqlite3")
            prepare_db(db)
            prepare_db(replay)
            floor = _child(["--child", "floor", str(path), db, replay], db)
        alone = floor["seconds"] + floor["index_seconds"]
        print(
            f"SQLite alone storing the same rows: {floor['seconds']:.1f} s of INSERTs and commits "
            f"({floor['transactions']} transactions) + {floor['index_seconds']:.1f} s of index "
            f"builds = {alone:.1f} s, {alone / read['seconds']:.2f}x calamine's read "
            f"(a ratio of 0.50 allows {2 * read['seconds']:.1f} s for the whole import)"
        )
    ok = ratio >= 0.5 and memory < 500
    print("RESULT:", "OK" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
