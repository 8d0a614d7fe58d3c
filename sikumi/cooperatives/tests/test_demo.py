import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikumi.cooperatives import demo, selectors
from sikumi.cooperatives.models import Cooperative, CooperativeOfficial, RatReport

pytestmark = pytest.mark.django_db


def test_example_cooperatives_follow_the_renstra_baselines_and_are_labelled(
    personas, depok, client_for
):
    message = demo.generate()
    assert "190 koperasi contoh" in message
    qs = Cooperative.objects.active()
    assert qs.count() == 190
    assert not qs.filter(is_example=False).exists()
    assert not qs.exclude(name__endswith=" (contoh)").exists()
    active = qs.filter(selectors.status_q("aktif", as_of_year=2026, window=3))
    assert 160 <= active.count() <= 170
    assert 128 <= active.filter(selectors.savings_and_loan_q()).count() <= 136
    # Yearly RAT rates near the Renstra's realisation (2019 ~75%, 2020 ~35%).
    held_2019 = RatReport.objects.filter(year=2019).count() / 190
    held_2020 = RatReport.objects.filter(year=2020).count() / 190
    assert 0.6 <= held_2019 <= 0.9
    assert 0.25 <= held_2020 <= 0.45
    assert CooperativeOfficial.objects.filter(is_example=True).count() >= 190 * 4
    assert not qs.filter(kelurahan__isnull=True).exists()
    # Idempotent.
    assert "sudah ada" in demo.generate()
    assert Cooperative.objects.count() == 190
    # Labelled wherever it shows.
    html = client_for(personas.kiki).get(reverse("cooperatives:list")).content.decode()
    assert 'class="example-data"' in html
    one = qs.get(pk=qs.order_by("pk").values_list("pk", flat=True)[0])
    detail = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[one.pk]))
    assert "Data contoh" in detail.content.decode()


def test_the_generator_and_the_quality_rules_batch_their_queries(db):
    """Thousands of cooperatives in a constant handful of queries (bulk inserts, set-based
    rules), never a query per row. Its speed at 10.000 is measured in
    bench/demo_and_plan_timing.py, not here."""
    with CaptureQueriesContext(connection) as generating:
        demo.generate(count=2000, seed=7)
    assert Cooperative.objects.count() == 2000
    assert RatReport.objects.count() > 2000
    assert CooperativeOfficial.objects.count() >= 2000 * 4
    assert len(generating.captured_queries) <= 30, len(generating.captured_queries)
    with CaptureQueriesContext(connection) as qualifying:
        result = selectors.qualifying_ids(2025)
    assert set(result) == {"berkualitas", "modern"}
    assert len(qualifying.captured_queries) <= 30, len(qualifying.captured_queries)
