import re

import pytest
from django.core.cache import cache

from sikumi.monev import demo
from sikumi.monev.models import PromiseFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(plan):
    demo.generate(seed=2026)
    cache.clear()


def test_the_public_page_needs_no_login_and_shows_aggregates_only(
    demo_data, client, personas, django_assert_num_queries
):
    response = client.get("/monev/publik/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Capaian Indikator Kinerja Utama" in html and "Serapan anggaran per program" in html
    assert "Nilai SAKIP" in html
    # no person: no user names, no NIK-like numbers, no e-mail addresses
    for name in ("Sari", "Putri", "Pandu", "Kartika", "sari", "putri"):
        assert name not in html
    assert not re.search(r"\b\d{16}\b", html)
    assert not re.search(r"[\w.]+@[\w.]+", html)
    with django_assert_num_queries(5):  # the database's stamp of the figures, nothing else
        again = client.get("/monev/publik/")
    assert again.status_code == 200 and "Nilai SAKIP" in again.content.decode()


def test_an_approval_made_through_another_process_refreshes_the_public_page(demo_data, client):
    """The cache of the public figures is keyed by the database's stamp: an approval made by
    another web process (which only changes the database, not this process' memory) shows."""
    import datetime as dt

    from django.utils import timezone

    from sikumi.monev import dashboard
    from sikumi.monev.models import QuarterSubmission

    client.get("/monev/publik/")
    first = dashboard.public_data()
    assert first is not None and dashboard.public_data() == first  # served from the cache
    approved = QuarterSubmission.objects.order_by("pk")[0]
    later = timezone.now() + dt.timedelta(seconds=1)
    QuarterSubmission.objects.filter(pk=approved.pk).update(updated_at=later)
    again = dashboard.public_data()
    assert again is not None and again["generated"] > first["generated"]


def test_the_dashboard_shows_iku_absorption_risk_and_the_promise(demo_data, personas, client_for):
    page = client_for(personas.kartika).get("/monev/dasbor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="monev-charts"' in html and "echarts.min.js" in html
    assert "Indikator berisiko" in html and "Janji wali kota" in html
    assert "diisi Perencana" in html
    total = sum(f.new_entrepreneurs for f in PromiseFigure.objects.all())
    assert f'id="promise-new">{total:,}'.replace(",", ".") in html
    assert "<script>" not in html and 'style="' not in html


def test_the_dashboard_lists_a_lagging_indicator_as_at_risk(demo_data, personas):
    from sikumi.monev.dashboard import dashboard_data
    from sikumi.monev.selectors import active_plan

    plan = active_plan()
    assert plan is not None
    data = dashboard_data(plan, 2026)
    assert data["at_risk"], "the example data has lagging indicators in 2026"
    assert all(row["capaian"] < 76 for row in data["at_risk"])


def test_the_perencana_types_in_the_promise_figures(plan, personas, client_for):
    client = client_for(personas.putri)
    response = client.post(
        "/monev/janji-wali-kota/",
        {"year": 2024, "new_entrepreneurs": 900, "women_entrepreneurs": 200, "source": "BPS"},
    )
    assert response.status_code == 302
    assert PromiseFigure.objects.get(year=2024).new_entrepreneurs == 900
    bad = client.post(
        "/monev/janji-wali-kota/",
        {"year": 2025, "new_entrepreneurs": 10, "women_entrepreneurs": 20, "source": ""},
    )
    assert bad.status_code == 200 and "tidak boleh lebih banyak" in bad.content.decode()
    assert client_for(personas.sari).get("/monev/janji-wali-kota/").status_code == 403


def test_renja_pages_create_adjust_and_show_history(plan, personas, client_for):
    client = client_for(personas.putri)
    response = client.post("/monev/renja/", {"year": 2026})
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail)
    assert page.status_code == 200 and "Riwayat perubahan" in page.content.decode()
    from sikumi.monev.models import Renja

    renja = Renja.objects.get(year=2026)
    target = renja.targets.exclude(target__isnull=True).earliest("id")
    response = client.post(
        detail,
        {"version": renja.version, f"t-{target.indicator_id}": "55", "reason": "Perubahan APBD"},
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "Perubahan APBD" in page
    assert client.post("/monev/renja/", {"year": 2026}).status_code == 200  # duplicate: message
    assert client_for(personas.sari).post("/monev/renja/", {"year": 2025}).status_code == 403


def test_menu_items_are_registered(personas, client_for):
    html = client_for(personas.kartika).get("/").content.decode()
    for label in (
        "Renja",
        "Realisasi triwulan",
        "Dasbor Kepala Dinas",
        "Evaluasi Renja (E.81)",
        "Laporan Kinerja",
        "Riwayat kinerja 2016-2020",
    ):
        assert label in html


def test_the_dashboard_uses_the_registry_when_it_counts_entrepreneurs(
    plan, personas, client_for, monkeypatch
):
    from sikumi.enterprises import selectors as registry

    monkeypatch.setattr(
        registry,
        "promise_progress",
        lambda year=None: {"new_entrepreneurs": 1234, "women_entrepreneurs": 321, "per_year": []},
    )
    html = client_for(personas.kartika).get("/monev/dasbor/").content.decode()
    assert "basis data usaha mikro (dihitung otomatis)" in html
    assert 'id="promise-new">1.234' in html


def test_the_api_lists_realisation_for_staff_and_refuses_the_public(demo_data, personas, api_for):
    from rest_framework.test import APIClient

    response = api_for(personas.sari).get("/api/monev/realisations/?quarter=1")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows and all(r["quarter"] == 1 and r["status"] == "approved" for r in rows)
    assert APIClient().get("/api/monev/renja/").status_code in (401, 403)


def test_the_owner_of_each_indicator_at_risk_costs_no_query(demo_data):
    """The dashboard names each at-risk indicator's unit from the nodes already read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sikumi.monev import dashboard
    from sikumi.monev.selectors import load_plan_data
    from sikumi.monev.services import responsible_unit
    from sikumi.plans.selectors import figure_marks

    plan = dashboard.active_plan()
    assert plan is not None
    data = load_plan_data(plan)
    year = dashboard.default_year(plan)
    quarters, example = dashboard.indicator_quarters(plan, years=[year])
    figure_marks(plan)  # the checker's marks are cached apart
    responsible_unit(None)  # the organisation too
    with CaptureQueriesContext(connection) as queries:
        rows = dashboard.indicators_at_risk(data, quarters, year, example)
    assert rows, "the example data has indicators at risk"
    by_name = {ind.name: ind for ind in data.indicators}
    for row in rows:
        assert row["owner"] == responsible_unit(by_name[row["name"]].node).name
    # the Renja, its targets and the stamp of the checked figures: none per indicator
    assert len(queries) <= 6, [q["sql"][:80] for q in queries.captured_queries]
