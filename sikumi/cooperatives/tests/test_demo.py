import pytest
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


def test_the_generator_scales_to_ten_thousand_cooperatives(db):
    import time

    started = time.monotonic()
    demo.generate(count=10000, seed=7)
    elapsed = time.monotonic() - started
    assert Cooperative.objects.count() == 10000
    assert elapsed < 60, elapsed
    started = time.monotonic()
    result = selectors.qualifying_ids(2025)
    assert set(result) == {"berkualitas", "modern"}
    assert time.monotonic() - started < 20
