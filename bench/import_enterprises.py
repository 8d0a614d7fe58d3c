"""Benchmark: import of a pendataan XLSX file against the database's own storing time.

    .venv/bin/python bench/import_enterprises.py --rows 1000000 --floor \
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--baseline-rows 20000]

1. Generates (or reuses) bench/data/enterprises-<rows>.xlsx: example businesses, 20 columns,
   written by sikumi.enterprises.demo.write_xlsx (xlsxwriter, constant memory).
2. Measures python-calamine alone reading every row (in a subprocess), for reference.
3. Imports the file into a fresh SQLite database (migrated, regions and organisation loaded) in
   a subprocess, measuring wall time and the peak memory of the importing process and of its
   reading child (getrusage maxrss of each; also the peak of their sum of PSS, sampled).
4. With --floor: the storage floor, the database alone storing the same rows (every statement
   the writer sends recorded, then replayed into a fresh database and only that timed).
5. With --postgres URL: steps 3 and 4 on a fresh PostgreSQL database (created and dropped on
   that server; the import writes with COPY).
6. With --baseline-rows N: django-import-export (bulk mode) importing the first N rows of the
   same kind of file into the same models, against our import of that same file.
Targets: import <= 1,35x the floor; memory < 500 MB (the two processes' peaks added up);
our rate >= 4x django-import-export's.
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
    if db and db.startswith("postgres"):
        env["DATABASE_URL"] = db
    elif db:
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
                "conflict_rows": report["conflict_rows"],
                "created": report["created"],
                "seconds": seconds,
                "max_rss_mb": rss,
                "first_errors": report["errors"][:3],
                "pss_sum_mb": peak["pss_mb"],
            }
        )
    )


def floor_child(path: str, replay: str) -> None:
    """The database's own share of the import: the file is imported once while every chunk
    the writer stores (`EnterpriseWriter._insert`: its INSERT or COPY rows and its updates) is
    recorded, pickled to a temporary file, with the transactions; then the chunks are stored
    again into the fresh database `replay` (a SQLite path or a PostgreSQL URL) and only that is
    timed: executemany or COPY, commits and (SQLite) the index builds at the end. No reading,
    validation, row building or duplicate lookup is in that time."""
    import pickle

    _django()
    from django.db import connections, transaction

    from sikumi.enterprises import bulk
    from sikumi.imports import engine
    from sikumi.imports.models import ImportBatch, ImportStatus

    record = Path(tempfile.mkstemp(prefix="sikumi-floor-", suffix=".pickle")[1])
    batch = ImportBatch.objects.create(
        kind="enterprises", file=path, original_name=Path(path).name, status=ImportStatus.CONFIRMED
    )
    out = record.open("wb")
    groups = 0
    insert = bulk.EnterpriseWriter._insert
    group_commit = engine._Group.commit

    def recording_insert(self: Any, *tables: Any) -> None:
        pickle.dump(("rows", tables), out, protocol=pickle.HIGHEST_PROTOCOL)
        insert(self, *tables)

    def recording_commit(self: Any) -> None:
        nonlocal groups
        groups += 1
        pickle.dump(("commit", ()), out)
        group_commit(self)

    bulk.EnterpriseWriter._insert = recording_insert  # type: ignore[method-assign,assignment]
    engine._Group.commit = recording_commit  # type: ignore[method-assign]
    engine.run("enterprises", path, commit=True, batch=batch, parallel=False)
    bulk.EnterpriseWriter._insert = insert  # type: ignore[method-assign]
    engine._Group.commit = group_commit  # type: ignore[method-assign]
    out.close()

    # The replay: the same schema, batch and organisation, nothing else written yet.
    connections.close_all()
    settings = connections["default"].settings_dict
    if replay.startswith("postgres"):
        import dj_database_url

        settings.update(dj_database_url.parse(replay))
    else:
        settings["NAME"] = replay
    ImportBatch.objects.create(
        pk=batch.pk, kind="enterprises", file=path, original_name="x", status=ImportStatus.CONFIRMED
    )
    writer = bulk.EnterpriseWriter(batch=batch)
    writer.tune(rows_estimate=10**9)
    seconds = 0.0
    atomic = None
    with record.open("rb") as stream:
        while True:
            try:
                kind, tables = pickle.load(stream)  # noqa: S301 (written above)
            except EOFError:
                break
            started = time.perf_counter()
            if kind == "rows":
                if atomic is None:
                    atomic = transaction.atomic()
                    atomic.__enter__()
                insert(writer, *tables)
            elif atomic is not None:
                atomic.__exit__(None, None, None)
                atomic = None
            seconds += time.perf_counter() - started
    if atomic is not None:
        started = time.perf_counter()
        atomic.__exit__(None, None, None)
        seconds += time.perf_counter() - started
    started = time.perf_counter()
    writer.untune()
    builds = time.perf_counter() - started
    record.unlink()
    print(json.dumps({"seconds": seconds, "index_seconds": builds, "transactions": groups}))


def baseline_child(path: str) -> None:
    """django-import-export in its bulk mode, as a developer would use it on this file: a
    resource for the owners (people, by NIK) and one for the businesses (owner by NIK,
    kelurahan by name through a cached widget), both `use_bulk=True`; the file read by
    tablib (openpyxl), as import-export reads XLSX."""
    import resource as rusage

    _django()
    import tablib
    from import_export import fields, resources, widgets

    from sikumi.enterprises.models import Enterprise, Person
    from sikumi.enterprises.services import default_owner_unit
    from sikumi.regions.models import Level, Region

    unit = default_owner_unit()
    kelurahan = {
        r.name.lower(): r
        for r in Region.objects.filter(code__startswith="32.76.", level=Level.KELURAHAN)
    }

    class KelurahanWidget(widgets.ForeignKeyWidget):
        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            return kelurahan.get(str(value).strip().lower())

    class PersonResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="NIK")
        name = fields.Field(attribute="name", column_name="Nama Pemilik")
        phone = fields.Field(attribute="phone", column_name="No. HP")

        class Meta:
            model = Person
            fields = ("nik", "name", "phone")
            import_id_fields = ("nik",)
            use_bulk = True
            batch_size = 2000
            skip_diff = True

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            instance.owner_unit = unit
            instance.name_key = instance.name.lower()

    class EnterpriseResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="Nama Usaha")
        owner = fields.Field(
            attribute="owner", column_name="NIK", widget=widgets.ForeignKeyWidget(Person, "nik")
        )
        kelurahan = fields.Field(
            attribute="kelurahan", column_name="Kelurahan", widget=KelurahanWidget(Region)
        )
        address = fields.Field(attribute="address", column_name="Alamat")
        kbli = fields.Field(attribute="kbli", column_name="KBLI")
        main_products = fields.Field(attribute="main_products", column_name="Produk Utama")
        nib = fields.Field(attribute="nib", column_name="NIB")
        capital = fields.Field(
            attribute="capital", column_name="Modal Usaha", widget=widgets.DecimalWidget()
        )
        employees = fields.Field(
            attribute="employees",
            column_name="Jumlah Tenaga Kerja",
            widget=widgets.IntegerWidget(),
        )

        class Meta:
            model = Enterprise
            fields = (
                "name",
                "owner",
                "kelurahan",
                "address",
                "kbli",
                "main_products",
                "nib",
                "capital",
                "employees",
            )
            import_id_fields = ()
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            force_init_instance = True

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            instance.owner_unit = unit
            instance.kecamatan_code = instance.kelurahan_id[:8]
            instance.name_key = instance.name.lower()
            instance.nib = instance.nib or None

    started = time.perf_counter()
    with open(path, "rb") as stream:
        data = tablib.Dataset().load(stream.read(), format="xlsx")
    read = time.perf_counter() - started
    people = PersonResource().import_data(data, use_transactions=True)
    businesses = EnterpriseResource().import_data(data, use_transactions=True)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": len(data),
                "seconds": seconds,
                "read_seconds": read,
                "errors": people.has_errors() or businesses.has_errors(),
                "enterprises": Enterprise.objects.count(),
                "max_rss_mb": rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def prepare_db(db: str) -> None:
    """Migrate a fresh database (a SQLite path, or a PostgreSQL URL whose database is created
    here) and load the organisation and Depok's regions."""
    if db.startswith("postgres"):
        _create_pg(db)
    env = _env(db)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    code = (
        "import django; django.setup();"
        "from sikumi.accounts.services import organisation_load; organisation_load();"
        "from sikumi.core.testing import load_depok_regions; load_depok_regions()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def _pg_admin(url: str) -> tuple[Any, str]:
    import psycopg

    base, _, name = url.rpartition("/")
    admin = psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
    admin.autocommit = True
    return admin, name


def _create_pg(url: str) -> None:
    admin, name = _pg_admin(url)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _drop_pg(url: str) -> None:
    admin, name = _pg_admin(url)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


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


def _file(rows: int, seed: int, regenerate: bool = False) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"enterprises-{rows}-{seed}.xlsx"
    if regenerate or not path.exists():
        generate(path, rows, seed)
    else:
        print(f"reusing {path}")
    return path


def _databases(kind: str, pg_url: str | None, tmp: str, name: str) -> str:
    """A fresh database for one measurement: a SQLite file in `tmp`, or a PostgreSQL
    database on the server of `pg_url` (named after `name`)."""
    if kind == "sqlite":
        return str(Path(tmp) / f"{name}.sqlite3")
    assert pg_url
    return pg_url.rpartition("/")[0] + f"/sikumi_bench_{name}"


def measure(path: Path, kind: str, pg_url: str | None, floor: bool) -> dict[str, Any]:
    """Import `path` into a fresh database of `kind`, and with `floor` time that database
    alone storing the same rows; prints and returns the figures."""
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    with tempfile.TemporaryDirectory(prefix="sikumi-bench-") as tmp:
        db = _databases(kind, pg_url, tmp, "import")
        prepare_db(db)
        try:
            result = _child(["--child", "import", str(path)], db)
        finally:
            if kind == "postgresql":
                _drop_pg(db)
        rate = result["rows"] / result["seconds"]
        memory = result["max_rss_mb"] + result["child_max_rss_mb"]
        print(
            f"[{label}] import: {result['rows']:,} rows in {result['seconds']:.1f} s = "
            f"{rate:,.0f} rows/s; created {result['created']}; {result['error_rows']} errors, "
            f"{result['duplicate_rows']} duplicates, {result['conflict_rows']} conflicts"
        )
        if result["first_errors"]:
            print(f"[{label}] first errors: {result['first_errors']}")
        print(
            f"[{label}] peak memory: import process {result['max_rss_mb']:.0f} MB + reading "
            f"child {result['child_max_rss_mb']:.0f} MB = {memory:.0f} MB (target < 500 MB); "
            f"peak PSS of both together {result['pss_sum_mb']:.0f} MB"
        )
        result.update(rate=rate, memory=memory)
        if floor:
            record, replay = (_databases(kind, pg_url, tmp, n) for n in ("record", "replay"))
            prepare_db(record)
            prepare_db(replay)
            try:
                stored = _child(["--child", "floor", str(path), replay], record)
            finally:
                if kind == "postgresql":
                    _drop_pg(record)
                    _drop_pg(replay)
            alone = stored["seconds"] + stored["index_seconds"]
            result["floor"] = alone
            print(
                f"[{label}] storage floor: {stored['seconds']:.1f} s of writes and commits "
                f"({stored['transactions']} transactions) + {stored['index_seconds']:.1f} s of "
                f"index builds = {alone:.1f} s; import / floor = "
                f"{result['seconds'] / alone:.2f} (target <= 1.35)"
            )
    return result


def baseline(rows: int, seed: int) -> bool:
    """django-import-export (bulk) against our import, same file, fresh SQLite each."""
    path = _file(rows, seed)
    with tempfile.TemporaryDirectory(prefix="sikumi-bench-") as tmp:
        db = str(Path(tmp) / "baseline.sqlite3")
        prepare_db(db)
        theirs = _child(["--child", "baseline", str(path)], db)
    ours = measure(path, "sqlite", None, floor=False)
    their_rate = theirs["rows"] / theirs["seconds"]
    factor = ours["rate"] / their_rate
    print(
        f"django-import-export (bulk): {theirs['rows']:,} rows in {theirs['seconds']:.1f} s "
        f"(of which reading {theirs['read_seconds']:.1f} s) = {their_rate:,.0f} rows/s, "
        f"peak {theirs['max_rss_mb']:.0f} MB, errors: {theirs['errors']}; "
        f"ours {ours['rate']:,.0f} rows/s = {factor:.1f}x (target >= 4x)"
    )
    return factor >= 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--file", help="use this XLSX file instead of generating one")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the database alone storing the same rows (recorded chunks replayed)",
    )
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=0,
        help="compare with django-import-export on a file of this many rows",
    )
    parser.add_argument("--skip-sqlite", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--child", choices=["calamine", "import", "floor", "baseline"], help=argparse.SUPPRESS
    )
    args, rest = parser.parse_known_args()
    if args.child:
        children: dict[str, Any] = {
            "calamine": calamine_child,
            "import": import_child,
            "floor": floor_child,
            "baseline": baseline_child,
        }
        children[args.child](*rest)
        return

    path = Path(args.file) if args.file else _file(args.rows, args.seed, args.regenerate)
    read = _child(["--child", "calamine", str(path)])
    print(
        f"python-calamine alone reading: {read['rows']:,} rows in {read['seconds']:.1f} s = "
        f"{read['rows'] / read['seconds']:,.0f} rows/s (peak {read['max_rss_mb']:.0f} MB)"
    )
    ok = True
    kinds = [] if args.skip_sqlite else ["sqlite"]
    if args.postgres:
        kinds.append("postgresql")
    for kind in kinds:
        result = measure(path, kind, args.postgres, args.floor)
        ok = ok and result["memory"] < 500
        if "floor" in result:
            ok = ok and result["seconds"] <= 1.35 * result["floor"]
    if args.baseline_rows:
        ok = baseline(args.baseline_rows, args.seed) and ok
    print("RESULT:", "OK" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
