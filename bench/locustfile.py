"""Locust users for bench/load.py (run it through that script: it prepares the database, starts
the server and passes the sampled ids in SIKUMI_LOAD_IDS).

- OfficeUser: an example persona logging in through the login form (with its CSRF token),
  then a weighted mix of what the office does all day: the business registry filtered by
  kecamatan, sector or a name, businesses and their owners, the cooperative registry,
  the monev dashboard, the indicator pages, the Renstra pages, and now and then an XLSX export
  of a filtered list.
- PublicReader: an anonymous visitor of the public transparency page, with think time (part of
  the office run's mix).
- Importer, Reporter: one each, in the background of the office run: a 10.000-row pendataan
  file uploaded, previewed and confirmed through the import pages; the E.81 report built as a
  background task (XLSX, then PDF) and downloaded. Their durations go to SIKUMI_LOAD_BACKGROUND
  (a JSON file), not into the page statistics.
- PublicVisitor: anonymous visitors on the public page with no think time (requests per second).

Each request is named by its page kind, so locust's statistics are per kind.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, HttpUser, between, constant, task

IDS: dict[str, Any] = json.loads(Path(os.environ["SIKUMI_LOAD_IDS"]).read_text())
PASSWORD = os.environ.get("SIKUMI_LOAD_PASSWORD", "")
BACKGROUND_OUT = os.environ.get("SIKUMI_LOAD_BACKGROUND", "")
BACKGROUND_DELAY = float(os.environ.get("SIKUMI_LOAD_BACKGROUND_DELAY", "20"))
# Think time of the office users between two pages (seconds).
THINK = [float(x) for x in os.environ.get("SIKUMI_LOAD_THINK", "1,3").split(",")]

# Every persona of sikumi.core.testing reads the registries; who exports full NIK differs.
OFFICE_PERSONAS = ["sari", "pandu", "kiki", "wawan", "wulan", "putri", "kartika", "aulia", "ani"]
_persona = itertools.cycle(OFFICE_PERSONAS)

SECTORS = ["kuliner", "fesyen", "kriya", "perdagangan", "jasa", "pertanian", "industri", "digital"]
NAME_WORDS = ["keripik", "warung", "laundry", "toko", "bengkel", "kue", "butik", "konter", "dapur"]
COOP_WORDS = ["mawar", "melati", "ksp", "koperasi", "bina", "karya", "sinar", "harapan"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BATCH = re.compile(r"/impor/batch/(\d+)/")
PROGRESS = re.compile(r'data-status="(\w+)"')
TASK_URL = re.compile(r"/(?:tugas|monev/laporan/berkas)/(\d+)/")


def _record(kind: str, **values: Any) -> None:
    if not BACKGROUND_OUT:
        return
    path = Path(BACKGROUND_OUT)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[kind] = values
    path.write_text(json.dumps(data, indent=1))


def login(client: Any, username: str) -> None:
    """The login form as a person fills it: GET for the CSRF token, POST, follow to home."""
    with client.get("/masuk/", name="login form", catch_response=True) as page:
        match = CSRF.search(page.text or "")
        if not match:
            page.failure("no CSRF token on the login form")
            return
    with client.post(
        "/masuk/",
        data={"csrfmiddlewaretoken": match.group(1), "username": username, "password": PASSWORD},
        name="login (POST, then home)",
        catch_response=True,
    ) as response:
        if "/masuk/" in str(response.url) or 'action="/keluar/"' not in (response.text or ""):
            response.failure(f"login as {username} failed")


def _check(response: Any, marker: str | None = None) -> None:
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif marker and marker not in (response.text or ""):
        response.failure(f"{marker!r} missing")
    else:
        response.success()


class OfficeUser(FastHttpUser):
    weight = 9
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.username = next(_persona)
        login(self.client, self.username)

    def _get(self, url: str, name: str, marker: str | None = None) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            _check(response, marker)

    # --- the business registry -----------------------------------------------------------

    @task(8)
    def enterprise_list_filtered(self) -> None:
        choice = random.random()
        if choice < 0.35:
            query = f"kecamatan={random.choice(IDS['kecamatan'])}&page={random.randint(1, 20)}"
        elif choice < 0.6:
            query = f"sector={random.choice(SECTORS)}&is_woman_owned=true"
        elif choice < 0.85:
            query = f"q={random.choice(NAME_WORDS)}"
        else:
            query = f"kelurahan={random.choice(IDS['kelurahan'])}&sector={random.choice(SECTORS)}"
        self._get(f"/usaha-mikro/?{query}", "enterprise list (filters)")

    @task(2)
    def enterprise_list(self) -> None:
        self._get(f"/usaha-mikro/?page={random.randint(1, 5)}", "enterprise list")

    @task(8)
    def enterprise_detail(self) -> None:
        pk = random.choice(IDS["enterprises"])
        self._get(f"/usaha-mikro/{pk}/", "enterprise detail")

    @task(3)
    def person_list(self) -> None:
        choice = random.random()
        if choice < 0.5:
            query = f"kecamatan={random.choice(IDS['kecamatan'])}&page={random.randint(1, 10)}"
        elif choice < 0.8:
            query = "perempuan=true&programme_year=2024"
        else:
            query = f"q={random.choice(['agus', 'budi', 'siti', 'dewi', 'eko'])}"
        self._get(f"/usaha-mikro/pelaku/?{query}", "person list (filters)")

    @task(3)
    def person_detail(self) -> None:
        self._get(f"/usaha-mikro/pelaku/{random.choice(IDS['persons'])}/", "person detail")

    @task(1)
    def promise_tracker(self) -> None:
        self._get("/usaha-mikro/janji/", "promise tracker")

    @task(1)
    def enterprise_export(self) -> None:
        # A kelurahan and a sector: about 1.600 of the million businesses.
        query = f"kelurahan={random.choice(IDS['kelurahan'])}&sector={random.choice(SECTORS)}"
        with self.client.get(
            f"/usaha-mikro/?{query}&format=xlsx", name="enterprise export XLSX", catch_response=True
        ) as response:
            if response.status_code != 200 or not (response.content or b"").startswith(b"PK"):
                response.failure(f"HTTP {response.status_code}, not an XLSX file")

    # --- cooperatives ----------------------------------------------------------------------

    @task(5)
    def cooperative_list_filtered(self) -> None:
        choice = random.random()
        if choice < 0.4:
            query = f"kecamatan={random.choice(IDS['kecamatan'])}&status=aktif"
        elif choice < 0.7:
            query = f"jenis=simpan_pinjam&pola={random.choice(['konvensional', 'syariah'])}"
        else:
            query = f"q={random.choice(COOP_WORDS)}&page={random.randint(1, 3)}"
        self._get(f"/koperasi/?{query}", "cooperative list (filters)")

    @task(5)
    def cooperative_detail(self) -> None:
        self._get(f"/koperasi/{random.choice(IDS['cooperatives'])}/", "cooperative detail")

    # --- monev, indicators, Renstra ----------------------------------------------------------

    @task(2)
    def home(self) -> None:
        self._get("/", "home")

    @task(4)
    def dashboard(self) -> None:
        self._get("/monev/dasbor/", "monev dashboard")

    @task(3)
    def indicator_list(self) -> None:
        self._get("/indikator/", "indicator list")

    @task(3)
    def indicator_detail(self) -> None:
        self._get(f"/indikator/{random.choice(IDS['indicators'])}/", "indicator detail")

    @task(2)
    def plan_cascade(self) -> None:
        self._get("/renstra/", "Renstra cascade")

    @task(1)
    def plan_tables(self) -> None:
        self._get("/renstra/tabel/", "Renstra tables")

    @task(1)
    def plan_check(self) -> None:
        self._get("/renstra/pemeriksaan/", "Renstra check")


class PublicReader(FastHttpUser):
    """Anonymous, with think time: the public page inside the office run's mix."""

    weight = 1
    wait_time = between(*THINK)

    @task
    def public(self) -> None:
        with self.client.get("/monev/publik/", name="public page", catch_response=True) as r:
            _check(r)


class PublicVisitor(FastHttpUser):
    """Anonymous, no think time: how many requests per second the public page sustains."""

    weight = 1
    wait_time = constant(0)

    @task
    def public(self) -> None:
        with self.client.get("/monev/publik/", name="public page", catch_response=True) as r:
            _check(r)


class _Background(HttpUser):
    """One persona doing one long job once, then idling until the run ends."""

    abstract = True
    fixed_count = 1
    wait_time = constant(1)
    username = ""

    def on_start(self) -> None:
        self.done = False
        login(self.client, self.username)
        gevent.sleep(BACKGROUND_DELAY)

    @task
    def once(self) -> None:
        if self.done:
            gevent.sleep(1)
            return
        self.done = True
        self.job()

    def job(self) -> None:
        raise NotImplementedError

    def csrf(self, url: str, name: str) -> str:
        page = self.client.get(url, name=name)
        match = CSRF.search(page.text or "")
        return match.group(1) if match else ""

    def poll(self, url: str, name: str, done: Any, limit: float = 900) -> str:
        """GETs `url` every 2 s until `done(text)` says so (or `limit` seconds)."""
        deadline = time.monotonic() + limit
        text = ""
        while time.monotonic() < deadline:
            text = self.client.get(url, name=name).text or ""
            if done(text):
                return text
            gevent.sleep(2)
        return text


class Importer(_Background):
    """Sari of the Bidang Pemberdayaan imports the 10.000-row pendataan file."""

    username = "sari"

    def job(self) -> None:
        path = IDS.get("import_file")
        if not path:
            return
        token = self.csrf("/impor/enterprises/unggah/", "import: upload form")
        started = time.monotonic()
        with Path(path).open("rb") as f:
            response = self.client.post(
                "/impor/enterprises/unggah/",
                data={"csrfmiddlewaretoken": token},
                files={"file": (Path(path).name, f)},
                name="import: upload (POST)",
            )
        match = BATCH.search(str(response.url))
        if not match:
            _record("import", error=f"upload refused: HTTP {response.status_code}")
            return
        batch = f"/impor/batch/{match.group(1)}/"

        def previewed(text: str) -> bool:
            return "/konfirmasi/" in text or 'data-status="failed"' in text

        text = self.poll(batch, "import: batch page (poll)", previewed)
        preview = time.monotonic() - started
        if "/konfirmasi/" not in text:
            _record("import", error="no confirm button after the preview", preview_s=preview)
            return
        form_token = CSRF.search(text)
        self.client.post(
            f"{batch}konfirmasi/",
            data={"csrfmiddlewaretoken": form_token.group(1) if form_token else ""},
            name="import: confirm (POST)",
        )
        confirmed = time.monotonic()

        def stored(text: str) -> bool:
            status = re.search(r'id="batch-status">([^<]*)<', text)
            return bool(status) and status.group(1) in ("Tersimpan", "Gagal")  # type: ignore[union-attr]

        text = self.poll(batch, "import: batch page (poll)", stored)
        status = re.search(r'id="batch-status">([^<]*)<', text)
        _record(
            "import",
            rows=10_000,
            preview_s=round(preview, 1),
            commit_s=round(time.monotonic() - confirmed, 1),
            status=status.group(1) if status else "?",
        )


class Reporter(_Background):
    """Putri, the planner, builds the E.81 report in the background, as XLSX then PDF."""

    username = "putri"

    def job(self) -> None:
        results: dict[str, Any] = {}
        for fmt in ("xlsx", "pdf"):
            token = self.csrf("/monev/laporan/e81/", "report: E.81 page")
            started = time.monotonic()
            response = self.client.post(
                "/monev/laporan/e81/latar/",
                data={"csrfmiddlewaretoken": token, "format": fmt},
                name="report: start (POST)",
            )
            match = TASK_URL.search(response.text or "")
            if not match:
                results[fmt] = {"error": f"not started: HTTP {response.status_code}"}
                continue
            pk = match.group(1)

            def finished(text: str) -> bool:
                state = PROGRESS.search(text)
                return bool(state) and state.group(1) in ("done", "failed")  # type: ignore[union-attr]

            text = self.poll(f"/tugas/{pk}/", "report: progress (poll)", finished)
            state = PROGRESS.search(text)
            seconds = time.monotonic() - started
            download = self.client.get(f"/monev/laporan/berkas/{pk}/", name="report: download")
            results[fmt] = {
                "seconds": round(seconds, 1),
                "status": state.group(1) if state else "?",
                "bytes": len(download.content or b""),
                "http": download.status_code,
            }
        _record("report", **results)
