"""A GET never writes: opening any page (or API list) leaves the database as it was.

Every page without a path argument is opened by the administrator and by a Staf, and the SQL
sent is captured; an INSERT, UPDATE or DELETE fails the test, except the session row a login
keeps (Django's own) and the audit entry of a personal-data view (the law asks for that one)."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Writes a GET may do: the login session, and the audit of a personal-data view.
ALLOWED_TABLES = ("django_session", "audit_auditentry")
# Pages that are no GET pages (they answer 405 or sign out), or that need query parameters.
SKIPPED = {"logout", "set_language", "admin:logout"}


def _page_names(resolver: URLResolver, prefix: str = "") -> list[str]:
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names.extend(_page_names(entry, namespace))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{prefix}{entry.name}")
    return names


def _urls_without_arguments() -> list[str]:
    names = sorted(set(_page_names(get_resolver())) - SKIPPED)
    urls = []
    for name in names:
        if name.startswith("admin:"):
            continue  # Django's own admin: its pages are Django's business
        with contextlib.suppress(NoReverseMatch):  # a pattern with arguments: not this test's
            urls.append(reverse(name))
    return urls


def _writes(queries: list[dict[str, str]]) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"]
        if WRITE.match(sql) and not any(f'"{t}"' in sql or f" {t} " in sql for t in ALLOWED_TABLES):
            found.append(sql[:200])
    return found


def test_there_are_many_pages_to_open():
    urls = _urls_without_arguments()
    assert len(urls) > 40, urls
    assert reverse("cooperatives:settings") in urls


@pytest.mark.parametrize("persona", ["ani", "sari"])
def test_opening_any_page_writes_nothing(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    client.get(reverse("home"))  # the session is stored now, not inside the capture
    offending: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    for url in _urls_without_arguments():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        statuses[url] = response.status_code
        writes = _writes(captured.captured_queries)
        if writes:
            offending[url] = writes
    assert offending == {}
    assert all(status < 500 for status in statuses.values()), statuses
    assert statuses[reverse("cooperatives:settings")] == (200 if persona == "ani" else 403)


def _cooperative_with_records(personas):
    import datetime as dt

    from sikumi.cooperatives import services
    from sikumi.cooperatives.models import Cooperative, CooperativeOfficial, RatReport

    coop = services.cooperative_create(
        actor=personas.kiki,
        cooperative=Cooperative(
            name="Koperasi Simpan Pinjam Tulus",
            jenis="simpan_pinjam",
            kelurahan_id="32.76.02.1008",
            owner_unit=personas.unit("bidang-kelembagaan"),
        ),
    )
    report = services.rat_report_create(
        actor=personas.kiki,
        report=RatReport(cooperative=coop, year=2025, rat_date=dt.date(2025, 3, 20)),
    )
    official = services.child_create(
        actor=personas.kiki,
        instance=CooperativeOfficial(
            cooperative=coop, role="pengurus", name="Budi Santoso", phone="081234567890"
        ),
    )
    return coop, report, official


def test_opening_a_cooperative_and_its_forms_writes_nothing_but_the_personal_data_audit(
    personas, depok, client_for
):
    coop, report, official = _cooperative_with_records(personas)
    client = client_for(personas.ani)
    client.get(reverse("home"))
    pages = [
        reverse("cooperatives:detail", args=[coop.pk]),
        reverse("cooperatives:edit", args=[coop.pk]),
        reverse("cooperatives:dissolve", args=[coop.pk]),
        reverse("cooperatives:rat-edit", args=[coop.pk, report.pk]),
        reverse("cooperatives:empowerment-create", args=[coop.pk]),
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        assert [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])] == [], url
    # Views that show personal data in full write exactly their audit entry, nothing else:
    # the detail page with ?pribadi=1, and the official's edit form (NIK and phone in full).
    for url, params in (
        (pages[0], {"pribadi": "1"}),
        (reverse("cooperatives:official-edit", args=[coop.pk, official.pk]), {}),
    ):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url, params).content.decode()
        assert "081234567890" in html or "0812" in html, url
        writes = [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])]
        assert len(writes) == 1 and "audit_auditentry" in writes[0], url
