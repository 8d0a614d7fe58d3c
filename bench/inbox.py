"""Benchmark: "Tugas saya" (one COUNT per source, the page, the menu badge) at scale.

    .venv/bin/python bench/inbox.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/inbox.py            # SQLite in bench/data/inbox.sqlite3

Builds (or reuses) a database of its own (PostgreSQL: `sikumi_inbox_bench` next to the given
one) with 10.000 cooperatives and their officials (sikumi.cooperatives.demo) and 30.000 more
competence certificates,
`--enterprises` businesses (sikumi.enterprises.demo), one product and one or two legality
certificates per business, 20.000 service cases, this year's inspection plan of 2.000
cooperatives and 40.000 follow-ups of findings, all bulk-inserted. Then times, for the
administrator (every unit: the widest scope) and a Staf of each Bidang, each source's COUNT, the
whole count of the menu badge when it is not cached, and through the test client the page
/tugas/ (always counted afresh), the home page (its summary and badge from the per-user cache)
and a page with only the badge (first request, then the median of `--repeat`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "sikumi_inbox_bench"


def _setup(args: argparse.Namespace) -> None:
    if args.postgres:
        import psycopg

        base = args.postgres.rsplit("/", 1)[0]
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
            ).fetchone()
            if args.fresh and exists:
                conn.execute(f"DROP DATABASE {BENCH_DB}")
                exists = None
            if not exists:
                conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
        path = ROOT / "bench" / "data" / "inbox.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.fresh and path.exists():
            path.unlink()
        os.environ["SIKUMI_SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _fill(enterprises: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sikumi.accounts.models import Unit
    from sikumi.activities.models import LegalityApplication, Product
    from sikumi.cooperatives.models import CompetenceCertificate, Cooperative, CooperativeOfficial
    from sikumi.enterprises.models import Enterprise
    from sikumi.supervision.models import (
        ChecklistTemplate,
        Finding,
        FollowUp,
        Inspection,
        InspectionPlan,
        PlannedInspection,
        ServiceCase,
    )

    call_command("migrate", verbosity=0)
    if Cooperative.objects.exists():
        return
    from sikumi.accounts.services import organisation_load
    from sikumi.cooperatives import demo as cooperatives_demo
    from sikumi.core.testing import load_depok_regions, make_personas
    from sikumi.enterprises import demo as enterprises_demo

    started = time.perf_counter()
    organisation_load()
    load_depok_regions()
    make_personas()
    print("cooperatives:", cooperatives_demo.generate(count=10_000, seed=7))
    print("enterprises:", enterprises_demo.generate(count=enterprises, seed=7))
    rng = random.Random(7)
    today = timezone.localdate()
    kelembagaan = Unit.objects.get(code="bidang-kelembagaan")
    pengawasan = Unit.objects.get(code="bidang-pengawasan")
    pemberdayaan = Unit.objects.get(code="bidang-pemberdayaan")
    coop_ids = list(Cooperative.objects.values_list("pk", flat=True))
    ent_ids = list(Enterprise.objects.values_list("pk", flat=True))
    batch = 5000

    official_ids = list(CooperativeOfficial.objects.values_list("pk", flat=True))
    CompetenceCertificate.objects.bulk_create(
        (
            CompetenceCertificate(
                official_id=rng.choice(official_ids),
                scheme="Pengurus Koperasi",
                issued_on=(issued := today - dt.timedelta(days=rng.randint(0, 1800))),
                expires_on=issued + dt.timedelta(days=1095),
            )
            for _ in range(30_000)
        ),
        batch_size=batch,
    )
    Product.objects.bulk_create(
        (
            Product(
                enterprise_id=e, name=f"Produk {e}", category="makanan", owner_unit=pemberdayaan
            )
            for e in ent_ids
        ),
        batch_size=batch,
    )
    legalities = []
    for p in Product.objects.values_list("pk", flat=True).iterator():
        for kind in ("pirt", "halal")[: rng.choice((1, 2))]:
            issued = today - dt.timedelta(days=rng.randint(30, 1800))
            legalities.append(
                LegalityApplication(
                    product_id=p,
                    kind=kind,
                    status="terbit",
                    applied_on=issued - dt.timedelta(days=20),
                    issued_on=issued,
                    expires_on=issued + dt.timedelta(days=rng.choice((365, 1095, 1825))),
                    year=issued.year,
                    owner_unit=pemberdayaan,
                )
            )
        if len(legalities) >= batch:
            LegalityApplication.objects.bulk_create(legalities)
            legalities = []
    LegalityApplication.objects.bulk_create(legalities)

    statuses = ["diajukan", "verifikasi", "perbaikan", "diproses", "selesai", "selesai", "ditolak"]
    ServiceCase.objects.bulk_create(
        (
            ServiceCase(
                kind="iusp",
                cooperative_id=rng.choice(coop_ids),
                applicant_name="Pemohon",
                status=rng.choice(statuses),
                requested_on=today - dt.timedelta(days=rng.randint(0, 1500)),
                owner_unit=kelembagaan,
            )
            for _ in range(20_000)
        ),
        batch_size=batch,
    )
    plan = InspectionPlan.objects.create(year=today.year, owner_unit=pengawasan)
    planned = PlannedInspection.objects.bulk_create(
        PlannedInspection(plan=plan, cooperative_id=c, quarter=rng.randint(1, 4))
        for c in rng.sample(coop_ids, 2000)
    )
    checklist = ChecklistTemplate.objects.first()
    inspections = Inspection.objects.bulk_create(
        (
            Inspection(
                cooperative_id=rng.choice(coop_ids),
                planned=planned[n] if n < 1500 else None,
                date=today - dt.timedelta(days=rng.randint(0, 1500)),
                checklist=checklist,
                owner_unit=pengawasan,
            )
            for n in range(20_000)
        ),
        batch_size=batch,
    )
    findings = Finding.objects.bulk_create(
        (Finding(inspection=rng.choice(inspections), description="Temuan") for _ in range(40_000)),
        batch_size=batch,
    )
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                finding=f,
                action="Tindak lanjut",
                due_date=today + dt.timedelta(days=rng.randint(-900, 200)),
                responsible="Pengurus",
                status=(status := "open" if rng.random() < 0.5 else "done"),
                done_on=today if status == "done" else None,
            )
            for f in findings
        ),
        batch_size=batch,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data built in {time.perf_counter() - started:.0f} s")


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="URL of an existing PostgreSQL database")
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    _setup(args)
    _fill(args.enterprises)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from sikumi.accounts.models import User
    from sikumi.activities.models import LegalityApplication
    from sikumi.cooperatives.models import CompetenceCertificate, Cooperative
    from sikumi.core import inbox
    from sikumi.enterprises.models import Enterprise
    from sikumi.supervision.models import FollowUp, ServiceCase

    print(
        f"{connection.vendor}: {Enterprise.objects.count():,} businesses, "
        f"{Cooperative.objects.count():,} cooperatives, "
        f"{CompetenceCertificate.objects.count():,} competence certificates, "
        f"{LegalityApplication.objects.count():,} legality certificates, "
        f"{ServiceCase.objects.count():,} service cases, {FollowUp.objects.count():,} follow-ups"
    )
    today = timezone.localdate()
    setup_test_environment()
    for username in ("ani", "kiki", "wawan", "sari"):
        user = User.objects.get(username=username)
        print(f"\n{username}:")
        for source in inbox.sources_for(user):
            rows = source.rows(user, today)
            times = [_ms(rows.count) for _ in range(args.repeat)]
            print(
                f"  {source.code:24} {rows.count():>7,} rows  COUNT median "
                f"{statistics.median(times):6.1f} ms (max {max(times):.1f})"
            )
        badge = [_ms(lambda u=user: inbox.counts(u, today)) for _ in range(args.repeat)]
        print(f"  all counts (uncached badge) median {statistics.median(badge):6.1f} ms")
        client = Client()
        client.force_login(user)
        for url in ("/tugas/", "/", "/monev/renja/"):
            first = _ms(lambda c=client, u=url: c.get(u))
            times = [_ms(lambda c=client, u=url: c.get(u)) for _ in range(args.repeat)]
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"  GET {url:8} first {first:6.0f} ms, median {statistics.median(times):6.0f} ms, "
                f"{len(queries.captured_queries)} queries"
            )


if __name__ == "__main__":
    main()
