"""Benchmark: simulated office users and public visitors against `make run`'s server, with a
million businesses and ten thousand cooperatives, on SQLite or PostgreSQL.

    .venv/bin/python bench/load.py                     # SQLite: bench/data/load.sqlite3
    .venv/bin/python bench/load.py --postgres postgres://postgres@127.0.0.1:5432/sikumi_loadbench
    options: --users 50 --spawn-rate 1 --time 3m --think 1,5 --public-users 50
             --public-time 1m --enterprises 1000000 --cooperatives 10000 --skip-prepare
             --prepare-only --no-background --no-public --label WORD
             --web-concurrency N (gunicorn workers; scripts/run.sh's default otherwise)

1. Prepares the database once (reused when it already holds the data): `manage.py migrate`,
   `setup_instance --no-demo` (regions, organisation, Renstra, indicator bindings, first admin),
   `demo_data --enterprises N --cooperatives M` (the example generators of every app: the
   businesses through the import's bulk writer, the cooperatives with their RAT history),
   `recompute_indicators`, the example personas of `sikumi.core.testing` (password
   `rahasia-uji-123`), ANALYZE. PostgreSQL: the database named in the URL is created when
   missing; it must be one of its own (never `test` or `postgres`).
2. Samples ids of businesses, people, cooperatives and indicators for the detail pages, and
   writes a 10.000-row pendataan file for the background import (a new seed per run, so each
   run imports new businesses).
3. Starts the server exactly as `make run` does (`scripts/run.sh`: migrate, setup_instance,
   the task-worker supervisor, gunicorn with its workers) on a free loopback port, pointed at
   that database; its log goes to bench/data/load-<engine>-server.log.
4. Runs locust headless (bench/locustfile.py): `--users` users, 9 in 10 office personas
   logging in through the login form (at `--spawn-rate` a second: each login is a PBKDF2 hash
   of about a second of CPU) on a weighted mix of pages with `--think` seconds between two,
   1 in 10 anonymous visitors of the public page; plus one import and one report started in
   the background 10 s into the measured part. The statistics are reset once every user has
   started, so `--time` is the steady state only. Then a separate run of anonymous visitors
   on the public page only, without think time (requests per second).
5. Prints a table per page kind (requests, p50, p95, p99, errors) and writes it to
   bench/data/load-<engine>-<stamp>.md, with locust's CSV files beside it.

Locust runs in one process on the same 2-core machine as the server (no --processes): the
load generator competes with gunicorn and the task workers for the CPU.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
# The example personas' published password (sikumi.core.testing.PASSWORD; checked in child_finish).
PERSONAS_PASSWORD = "rahasia-uji-123"  # noqa: S105
IMPORT_ROWS = 10_000
FORBIDDEN_PG_NAMES = {"test", "postgres", "template0", "template1"}


def uptime() -> str:
    with open("/proc/loadavg") as f:
        one, five, fifteen = f.read().split()[:3]
    return f"load average {one}, {five}, {fifteen}"


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("DATABASE_URL", None)
    env.pop("SIKUMI_SQLITE_PATH", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    else:
        env["SIKUMI_SQLITE_PATH"] = str(Path(args.db).resolve())
    # The server's own data folder (secret key, uploads, report files, static), not var/.
    env["SIKUMI_DATA_DIR"] = str(DATA / f"load-{engine(args)}-var")
    if args.web_concurrency:
        env["WEB_CONCURRENCY"] = str(args.web_concurrency)
    return env


def engine(args: argparse.Namespace) -> str:
    return "postgresql" if args.postgres else "sqlite"


def manage(env: dict[str, str], *command: str) -> None:
    started = time.perf_counter()
    subprocess.run([PY, "manage.py", *command], env=env, cwd=ROOT, check=True)
    print(f"  manage.py {' '.join(command)}: {time.perf_counter() - started:.1f} s", flush=True)


def child(env: dict[str, str], what: str, *extra: str) -> Any:
    """Runs this script's `--child WHAT` in the benchmark's environment; returns its JSON."""
    out = subprocess.run(
        [PY, __file__, "--child", what, *extra],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- 1. the database --------------------------------------------------------------------------


def ensure_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    name = settings["NAME"]
    if not name or name in FORBIDDEN_PG_NAMES:
        raise SystemExit(f"--postgres: use a database of the benchmark's own, not {name!r}")
    conninfo: dict[str, Any] = {
        "host": settings.get("HOST") or "127.0.0.1",
        "port": settings.get("PORT") or 5432,
        "user": settings.get("USER") or "postgres",
        "password": settings.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"  created PostgreSQL database {name}")


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    started = time.perf_counter()
    print(f"Preparing the {engine(args)} database ({uptime()})", flush=True)
    DATA.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        ensure_postgres_database(args.postgres)
    manage(env, "migrate", "--noinput", "-v0")
    state = child(env, "state")
    if (
        state["enterprises"] >= args.enterprises
        and state["cooperatives"] >= args.cooperatives
        and state["personas"]
        and state["indicators"]
    ):
        print(f"  reusing the prepared database: {state}")
        return
    manage(env, "setup_instance", "--no-demo")
    manage(
        env,
        "demo_data",
        "--enterprises",
        str(args.enterprises),
        "--cooperatives",
        str(args.cooperatives),
    )
    manage(env, "recompute_indicators")
    print(f"  {child(env, 'finish')}")
    print(f"prepared in {time.perf_counter() - started:.0f} s ({uptime()})", flush=True)


def child_state() -> dict[str, Any]:
    from sikumi.accounts.models import User
    from sikumi.cooperatives.models import Cooperative
    from sikumi.enterprises.models import Enterprise
    from sikumi.indicators.models import IndicatorBinding

    return {
        "enterprises": Enterprise.objects.count(),
        "cooperatives": Cooperative.objects.count(),
        "personas": User.objects.filter(username="kartika").exists(),
        "indicators": IndicatorBinding.objects.exists(),
    }


def child_finish() -> dict[str, Any]:
    """The example personas (one per role) and fresh planner statistics."""
    from django.db import connection

    from sikumi.accounts.models import User
    from sikumi.core.testing import PASSWORD, make_personas

    assert PASSWORD == PERSONAS_PASSWORD
    if not User.objects.filter(username="kartika").exists():
        make_personas()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return child_state()


# --- 2. what the users will ask for -----------------------------------------------------------


def child_sample(count: int, seed: int) -> dict[str, Any]:
    """Ids of live records for the detail pages: random ids in the range of each table,
    kept when they exist (no ORDER BY RANDOM() over a million rows)."""
    from django.db.models import Max, Min

    from sikumi.cooperatives.models import Cooperative
    from sikumi.enterprises.models import Enterprise, Person
    from sikumi.indicators.models import IndicatorBinding
    from sikumi.regions.selectors import kecamatan_list, kelurahan_list

    rng = random.Random(seed)

    def ids(queryset: Any, want: int) -> list[int]:
        bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return []
        found: set[int] = set()
        for _attempt in range(20):
            guesses = {rng.randint(bounds["low"], bounds["high"]) for _ in range(want * 2)}
            found.update(queryset.filter(pk__in=guesses).values_list("pk", flat=True))
            if len(found) >= want:
                break
        return sorted(found)[:want] if len(found) <= want else rng.sample(sorted(found), want)

    return {
        "enterprises": ids(Enterprise.objects.filter(archived_at__isnull=True), count),
        "persons": ids(Person.objects.filter(archived_at__isnull=True), count),
        "cooperatives": ids(Cooperative.objects.filter(archived_at__isnull=True), count // 2),
        "indicators": sorted(set(IndicatorBinding.objects.values_list("indicator_id", flat=True))),
        "kecamatan": list(kecamatan_list().values_list("code", flat=True)),
        "kelurahan": list(kelurahan_list().values_list("code", flat=True)),
    }


def child_import_file(path: str, seed: int) -> dict[str, Any]:
    from sikumi.enterprises.demo import write_xlsx

    rows = write_xlsx(path, IMPORT_ROWS, seed)
    return {"path": path, "rows": rows}


# --- 3. the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    handle = log.open("wb")
    # A session of its own: the whole group (run.sh, gunicorn and its workers, the task
    # worker supervisor and its workers) is stopped together at the end.
    server = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        env=env,
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(1)
    stop_server(server)
    raise SystemExit(f"the server did not answer within 15 minutes; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def cpu_seconds(server: subprocess.Popen[bytes]) -> dict[str, float]:
    """CPU time (user + system) used so far by the server's processes: the gunicorn workers
    (requests) and the task workers (import, report), whatever the machine's load."""
    import psutil

    used = {"web": 0.0, "tasks": 0.0}
    for process in psutil.Process(server.pid).children(recursive=True):
        try:
            times = process.cpu_times()
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        # Everything else under run.sh: the task-worker supervisor and its workers.
        kind = "web" if "gunicorn" in command else "tasks"
        used[kind] += times.user + times.system
    return used


# --- 4. locust --------------------------------------------------------------------------------


def seconds(duration: str) -> int:
    """Locust's durations: 90, 90s, 3m, 1h30m."""
    total, number = 0, ""
    for char in duration:
        if char.isdigit():
            number += char
        else:
            total += int(number) * {"h": 3600, "m": 60, "s": 1}[char]
            number = ""
    return total + int(number or 0)


def run_locust(
    port: int,
    prefix: Path,
    users: int,
    spawn_rate: float,
    run_time: str,
    classes: list[str],
    env: dict[str, str],
) -> float:
    """Locust headless; the statistics are reset once every user has started (logged in),
    so they cover the steady state only. Returns the CPU seconds locust used."""
    command = [
        LOCUST,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        run_time,
        "--csv",
        str(prefix),
        "--only-summary",
        "--reset-stats",
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
        *classes,
    ]
    print(f"  locust: {' '.join(command[1:])}", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return used


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def read_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def ms(value: str) -> str:
    if value in ("", "N/A"):
        return "-"
    return f"{float(value):,.0f}".replace(",", ".")


def table(stats: list[dict[str, str]], goal_ms: int = 500) -> list[str]:
    lines = [
        "| page kind | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = sorted(
        (s for s in stats if s["Name"] != "Aggregated"),
        key=lambda s: -int(s["Request Count"]),
    )
    total = [s for s in stats if s["Name"] == "Aggregated"]
    for s in [*rows, *total]:
        p95 = s["95%"]
        over = p95 not in ("", "N/A") and float(p95) > goal_ms
        name = "**all**" if s["Name"] == "Aggregated" else s["Name"]
        mark = "**" if over else ""
        lines.append(
            f"| {name} | {count(s['Request Count'])} | {ms(s['50%'])} | {mark}{ms(p95)}{mark} | "
            f"{ms(s['99%'])} | {ms(s['Max Response Time'])} | {count(s['Failure Count'])} |"
        )
    return lines


def cpu_line(cpu: dict[str, float], requests: int, ramp_web: float) -> str:
    per_request = cpu["web"] / max(1, requests) * 1000
    return (
        f"CPU of the server's processes in the measured part: web workers {cpu['web']:.0f} s "
        f"for {count(str(requests))} requests ({per_request:.0f} ms a request, the background "
        f"jobs' page requests included), task workers {cpu['tasks']:.0f} s (import, report, "
        f"their supervisor); before it, the ramp (logins, first pages) "
        f"took {ramp_web:.0f} s of web CPU."
    )


def count(value: str) -> str:
    return f"{int(value):,}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--postgres", help="PostgreSQL URL of the benchmark's own database")
    parser.add_argument("--db", default=str(DATA / "load.sqlite3"), help="SQLite file")
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--cooperatives", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50, help="simulated office users")
    parser.add_argument(
        "--spawn-rate", type=float, default=1, help="users logging in per second (not measured)"
    )
    parser.add_argument(
        "--time", default="3m", help="measured duration of the office users' run (after the ramp)"
    )
    parser.add_argument(
        "--think", default="1,5", help="office users' think time between pages: MIN,MAX seconds"
    )
    parser.add_argument("--public-users", type=int, default=50)
    parser.add_argument("--public-time", default="1m")
    parser.add_argument("--web-concurrency", type=int, default=0, help="gunicorn workers")
    parser.add_argument("--skip-prepare", action="store_true", help="use the database as it is")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--no-background", action="store_true", help="no import, no report")
    parser.add_argument("--no-public", action="store_true", help="skip the public-page run")
    parser.add_argument("--label", default="", help="a word added to the result files' names")
    parser.add_argument("--seed", type=int, default=0, help="import file seed (0: new per run)")
    args, rest = parser.parse_known_args()

    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        handlers: dict[str, Any] = {
            "state": child_state,
            "finish": child_finish,
            "sample": lambda: child_sample(int(rest[0]), int(rest[1])),
            "import-file": lambda: child_import_file(rest[0], int(rest[1])),
        }
        print(json.dumps(handlers[args.child]()))
        return

    env = server_env(args)
    if not args.skip_prepare:
        prepare(args, env)
    if args.prepare_only:
        return

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    name = f"load-{engine(args)}{'-' + args.label if args.label else ''}-{stamp}"
    seed = args.seed or int(time.time()) % 100_000 + 1
    samples = child(env, "sample", "2000", str(seed))
    ids_path = DATA / f"{name}-ids.json"
    import_file = DATA / f"load-import-{seed}.xlsx"
    if not args.no_background:
        child(env, "import-file", str(import_file), str(seed))
    samples["import_file"] = "" if args.no_background else str(import_file)
    ids_path.write_text(json.dumps(samples))
    background_path = DATA / f"{name}-background.json"
    locust_env = {
        **env,
        "SIKUMI_LOAD_IDS": str(ids_path),
        "SIKUMI_LOAD_PASSWORD": PERSONAS_PASSWORD,
        "SIKUMI_LOAD_BACKGROUND": str(background_path),
        "SIKUMI_LOAD_THINK": args.think,
    }

    port = free_port()
    log = DATA / f"{name}-server.log"
    print(f"Starting the server as `make run` does on port {port} ({uptime()})", flush=True)
    started = time.perf_counter()
    server = start_server(env, port, log)
    print(f"  serving after {time.perf_counter() - started:.0f} s; log: {log}", flush=True)
    report: list[str] = [
        f"# Load: {engine(args)}, {args.users} users, {args.time}",
        "",
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {args.enterprises:,} businesses, "
        f"{args.cooperatives:,} cooperatives; gunicorn workers: "
        f"{args.web_concurrency or 'scripts/run.sh default'}".replace(",", "."),
        "",
    ]
    try:
        before = uptime()
        cpu_before = cpu_seconds(server)
        office = DATA / f"{name}-office"
        classes = [
            "OfficeUser",
            "PublicReader",
            *([] if args.no_background else ["Importer", "Reporter"]),
        ]
        background = 0 if args.no_background else 2
        ramp = int((args.users + background) / args.spawn_rate) + 5
        # The import and the report start 10 s into the measured part of the run.
        locust_env["SIKUMI_LOAD_BACKGROUND_DELAY"] = str(ramp + 10)
        # The server's CPU once every user has logged in: the measured part's share.
        at_reset: dict[str, float] = {}
        timer = threading.Timer(ramp + 2, lambda: at_reset.update(cpu_seconds(server)))
        timer.start()
        locust_cpu = run_locust(
            port,
            office,
            args.users + background,
            args.spawn_rate,
            f"{seconds(args.time) + ramp}s",
            classes,
            locust_env,
        )
        after = uptime()
        timer.cancel()
        cpu_end = cpu_seconds(server)
        cpu = {k: v - at_reset.get(k, cpu_before[k]) for k, v in cpu_end.items()}
        stats = read_stats(office)
        requests = sum(int(s["Request Count"]) for s in stats if s["Name"] == "Aggregated")
        report += [
            f"## Office users ({args.users}: 9 in 10 logged in, 1 in 10 anonymous on the public "
            f"page; think time {args.think} s; logged in at {args.spawn_rate:g}/s before the "
            f"measured {args.time}; + {background} background jobs; machine before: "
            f"{before}; after: {after})",
            "",
            *table(stats),
            "",
            cpu_line(cpu, requests, at_reset.get("web", cpu_before["web"]) - cpu_before["web"]),
            f"Locust itself (one process, ramp included): {locust_cpu:.0f} s of CPU.",
            "",
        ]
        if background_path.exists():
            jobs = json.loads(background_path.read_text())
            report += ["Background jobs:", ""]
            report += [f"- {kind}: {json.dumps(result)}" for kind, result in jobs.items()]
            report.append("")
        failures = read_failures(office)
        if failures:
            report += ["Errors:", ""]
            report += [
                f"- {f['Method']} {f['Name']}: {f['Error'][:300]} ({f['Occurrences']}x)"
                for f in failures
            ]
            report.append("")
        if not args.no_public:
            before = uptime()
            cpu_before = cpu_seconds(server)
            public = DATA / f"{name}-public"
            locust_cpu = run_locust(
                port,
                public,
                args.public_users,
                args.public_users,
                f"{seconds(args.public_time) + 2}s",
                ["PublicVisitor"],
                locust_env,
            )
            after = uptime()
            stats = read_stats(public)
            total = next(s for s in stats if s["Name"] == "Aggregated")
            web = cpu_seconds(server)["web"] - cpu_before["web"]
            per_request = web / max(1, int(total["Request Count"])) * 1000
            report += [
                f"## Public page only ({args.public_users} anonymous visitors, no wait; "
                f"machine before: {before}; after: {after})",
                "",
                *table(stats),
                "",
                f"Requests per second: **{float(total['Requests/s']):.0f}** (goal >= 300); "
                f"web workers' CPU: {per_request:.1f} ms a request; locust's CPU: "
                f"{locust_cpu:.0f} s",
                "",
            ]
    finally:
        stop_server(server)
    text = "\n".join(report)
    out = DATA / f"{name}.md"
    out.write_text(text)
    print()
    print(text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
