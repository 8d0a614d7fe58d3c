"""Benchmark: every PDF a user can ask for, on the example data `make run` loads.

    .venv/bin/python bench/pdfs.py [--db bench/data/pdfs.sqlite3] [--repeat 5] [--kinds e81,lkjip]

Builds (or reuses) a SQLite database with what `manage.py setup_instance` loads (regions,
organisation, health methodologies, the Depok Renstra, indicator bindings and the labelled
example data), then measures each kind of PDF through the Django test client, each kind in a
fresh Python process of its own:

- cold: the first request of the process (what the first user of a new worker waits for:
  importing WeasyPrint, loading fonts, Django's first queries);
- cold after warm-up: the first request after `sikumi.core.pdf.warm_up()`, which every web
  worker runs as it starts (`config/wsgi.py`): what the first user of a worker waits for;
- warm: the median of `--repeat` further requests with the PDF cache off (every one rendered);
- cached: the median of `--repeat` requests with the cache on (same data, same day);
- for the reports (E.81, LKjIP, Riwayat), the download `--think` seconds after opening the
  report page, which prepares its PDF in the background.

Each figure is wall time with the process's CPU time beside it: the machine is shared, and CPU
time is what the load does not inflate. The target (under 3 s) is checked on what a user of
`make run` gets: the first PDF of a warmed-up worker and every later one (cold and cached are
shown for reference).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 3.0


def _kinds() -> dict[str, tuple[str, Callable[[], str | None]]]:
    """label and URL of every PDF a user can ask for (None: not available in this checkout)."""
    from django.urls import NoReverseMatch, reverse

    from sikumi.supervision.models import HealthAssessment, ServiceCase

    def url(name: str, *args: object, query: str = "") -> Callable[[], str | None]:
        def build() -> str | None:
            try:
                return reverse(name, args=args) + query
            except NoReverseMatch:
                return None

        return build

    def assessment() -> str | None:
        # The assessment with the most inputs: the longest result sheet.
        found = HealthAssessment.objects.order_by("-year", "pk").first()
        return reverse("supervision:assessment-pdf", args=[found.pk]) if found else None

    def receipt() -> str | None:
        case = ServiceCase.objects.order_by("pk").first()
        try:
            return reverse("supervision:case-receipt", args=[case.pk]) if case else None
        except NoReverseMatch:
            return None

    kinds: dict[str, tuple[str, Callable[[], str | None]]] = {
        "e81": ("E.81 (evaluasi Renja)", url("monev:report-e81", query="?format=pdf")),
        "lkjip": ("Laporan Kinerja (LKjIP)", url("monev:report-lkjip", query="?format=pdf")),
        "history": (
            "Riwayat kinerja dan pendanaan",
            url("monev:report-history", query="?format=pdf"),
        ),
    }
    for key, label in [
        ("program", "Renstra: tabel program"),
        ("tujuan-sasaran", "Renstra: tabel 4.2"),
        ("strategi", "Renstra: tabel T-C.26"),
        ("ikk", "Renstra: tabel 7.1 IKK"),
        ("iku", "Renstra: tabel 7.2 IKU"),
        ("tc23", "Renstra: tabel T-C.23"),
        ("tc24", "Renstra: tabel T-C.24"),
    ]:
        kinds[key] = (label, url("plans:table_download", key, "pdf"))
    kinds["health"] = ("Hasil penilaian kesehatan", assessment)
    kinds["receipt"] = ("Tanda terima layanan", receipt)
    return kinds


def _setup_django(db: str) -> None:
    os.environ["SIKUMI_SQLITE_PATH"] = db
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _ensure_data(db: str) -> None:
    """The data `make run` loads (setup_instance without creating the administrator)."""
    _setup_django(db)
    from django.core.management import call_command, get_commands

    from sikumi.core.management.commands.setup_instance import STEPS
    from sikumi.monev.models import Renja

    Path(db).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    if Renja.objects.exists():
        return
    started = time.perf_counter()
    available = get_commands()
    for name, kwargs in STEPS:
        if name != "ensure_admin" and name in available:
            call_command(name, verbosity=0, **kwargs)
    print(f"example data loaded in {time.perf_counter() - started:.1f} s")


def _timed(client: Any, url: str) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/pdf", (url, response["Content-Type"])
    return wall, cpu, len(response.content)


def child(db: str, kind: str, repeat: int, warm_up: bool, think: float) -> None:
    """One fresh process: the first request (after the warm-up if asked), then the repeats."""
    started = time.perf_counter()
    _setup_django(db)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sikumi.accounts.models import User

    setup_time = time.perf_counter() - started
    url = _kinds()[kind][1]()
    if url is None:
        print(json.dumps({"kind": kind, "missing": True}))
        return
    warm_up_time = None
    if warm_up:
        from sikumi.core.pdf import warm_up as run_warm_up

        began = time.perf_counter()
        run_warm_up()
        warm_up_time = time.perf_counter() - began
    setup_test_environment()
    user, _ = User.objects.get_or_create(
        username="bench-pdf", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    # Every render of the repeats, then the cache (when there is one) for the last column; a
    # cache folder of this run only.
    settings.SIKUMI_PDF_CACHE_DIR = Path(tempfile.mkdtemp(prefix="sikumi-bench-pdf-"))
    settings.SIKUMI_PDF_CACHE = False
    cold = _timed(client, url)
    warm = [_timed(client, url) for _ in range(repeat)]
    settings.SIKUMI_PDF_CACHE = True
    client.get(url)
    cached = [_timed(client, url) for _ in range(repeat)]
    # A report: its page first, the user reads for `think` seconds, then "Unduh PDF" (the
    # page prepares the PDF in the background where that exists).
    after_page = None
    if "format=pdf" in url:
        shutil.rmtree(settings.SIKUMI_PDF_CACHE_DIR, ignore_errors=True)
        client.get(url.replace("format=pdf", ""))
        time.sleep(think)
        after_page = _timed(client, url)[:2]
    shutil.rmtree(settings.SIKUMI_PDF_CACHE_DIR, ignore_errors=True)
    print(
        json.dumps(
            {
                "kind": kind,
                "url": url,
                "setup": setup_time,
                "warm_up": warm_up_time,
                "cold": cold[:2],
                "bytes": cold[2],
                "warm": [
                    statistics.median(t[0] for t in warm),
                    statistics.median(t[1] for t in warm),
                ],
                "cached": [
                    statistics.median(t[0] for t in cached),
                    statistics.median(t[1] for t in cached),
                ],
                "after_page": after_page,
            }
        )
    )


def _run_child(args: argparse.Namespace, kind: str, warm_up: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--db", args.db]
    command += ["--repeat", str(args.repeat), "--think", str(args.think)]
    command += ["--warm-up"] if warm_up else []
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def _fmt(pair: Any) -> str:
    wall, cpu = pair
    return f"{wall:5.2f} s ({cpu:4.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "bench" / "data" / "pdfs.sqlite3"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--kinds", default="", help="comma-separated subset (default: all)")
    parser.add_argument(
        "--think", type=float, default=3.0, help="seconds between a report page and its download"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--warm-up", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.db = str(Path(args.db).resolve())
    if args.child:
        child(args.db, args.child, args.repeat, args.warm_up, args.think)
        return

    _ensure_data(args.db)
    kinds = _kinds()
    chosen = [k for k in args.kinds.split(",") if k] or list(kinds)
    load = os.getloadavg()[0]
    print(f"PDFs on the example data ({args.db}); load average {load:.1f}; wall s (CPU s)")
    print(
        f"{'PDF':34} {'cold':>15} {'cold+warm-up':>15} {'warm':>15} {'cached':>15} "
        f"{'KB':>5}  target {TARGET_SECONDS:g} s"
    )
    slowest = 0.0
    for kind in chosen:
        label = kinds[kind][0]
        plain = _run_child(args, kind, warm_up=False)
        if plain.get("missing"):
            print(f"{label:34} (not available)")
            continue
        warmed = _run_child(args, kind, warm_up=True)
        worst = max(warmed["cold"][0], plain["warm"][0])
        slowest = max(slowest, worst)
        print(
            f"{label:34} {_fmt(plain['cold']):>15} {_fmt(warmed['cold']):>15} "
            f"{_fmt(plain['warm']):>15} {_fmt(plain['cached']):>15} "
            f"{int(plain['bytes']) // 1024:5d}  {'ok' if worst < TARGET_SECONDS else 'OVER'}"
        )
        notes = []
        if warmed.get("warm_up") is not None:
            notes.append(f"warm-up at worker start {warmed['warm_up']:.2f} s")
        if warmed.get("after_page"):
            after = _fmt(warmed["after_page"])
            notes.append(f"download {args.think:g} s after opening the report page {after}")
        if notes:
            print(f"{'':34} ({'; '.join(notes)})")
    load = os.getloadavg()[0]
    print(f"slowest: {slowest:.2f} s (target < {TARGET_SECONDS:g} s); load average now {load:.1f}")


if __name__ == "__main__":
    main()
