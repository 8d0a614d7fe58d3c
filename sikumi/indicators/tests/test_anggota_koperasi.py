"""`anggota_koperasi` counts the members reported at the RATs held in the year (the count the
Dinas has that year: the RAT held in 2026, on the books of 2025, counts for 2026), and what the
measure and its binding say is what it computes."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.indicators.measures import REGISTRY
from sikumi.indicators.models import IndicatorBinding
from sikumi.indicators.services import compute_all, compute_and_store
from sikumi.plans.models import Indicator
from sikumi.plans.selectors import active_plan

pytestmark = pytest.mark.django_db

SOURCE_ID = "P5.K1.S1/I2"


@pytest.fixture
def plan(personas, depok):
    call_command("load_renstra", stdout=StringIO())
    call_command("load_indicator_bindings", stdout=StringIO())
    return active_plan()


def _coop(name):
    return Cooperative.objects.create(name=name, jenis="konsumen", kelurahan_id="32.76.02.1008")


def _rat(coop, held_on, **members):
    return RatReport.objects.create(
        cooperative=coop, year=held_on.year, rat_date=held_on, **members
    )


def _members(plan, year):
    result = next(r for r in compute_all(plan=plan, year=year) if r.source_id == SOURCE_ID)
    return result.value


def test_a_rat_held_in_2026_on_book_year_2025_counts_for_2026(plan):
    mawar, melati = _coop("Koperasi Mawar"), _coop("Koperasi Melati")
    _rat(mawar, dt.date(2024, 3, 20), members_men=100, members_women=50)
    _rat(mawar, dt.date(2025, 3, 20), members_men=12, members_women=9)
    _rat(melati, dt.date(2025, 6, 30), members_other=40)  # a total without men/women: counts
    _rat(melati, dt.date(2026, 2, 1), members_men=1)

    assert _members(plan, 2025) == 12 + 9 + 40
    assert _members(plan, 2024) == 150


def test_the_description_says_the_year_held_as_the_filter_does(plan, personas, client_for):
    measure_text = str(REGISTRY["anggota_koperasi"].description)
    assert "diselenggarakan pada tahun periode" in measure_text
    assert "RAT 2026 (atas tahun buku 2025) dihitung untuk tahun 2026" in measure_text
    binding = IndicatorBinding.objects.get(indicator__plan=plan, indicator__source_id=SOURCE_ID)
    assert "RAT 2026 atas tahun buku 2025 dihitung untuk 2026" in binding.description

    _rat(_coop("Koperasi Kenanga"), dt.date(2025, 4, 2), members_men=7, members_women=8)
    compute_and_store(plan=plan, year=2025)
    indicator = Indicator.objects.get(plan=plan, source_id=SOURCE_ID)
    page = client_for(personas.kartika).get(
        reverse("indicators:records", args=[indicator.pk]), {"year": 2025}
    )
    assert page.status_code == 200
    assert "Koperasi Kenanga" in page.content.decode()
