"""The indicator map reads the indicator's own unit: a percentage per kecamatan from that
kecamatan's numerator and denominator, a count by count, the city value always shown."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sikumi.cooperatives import services as cooperatives
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.indicators.models import IndicatorBinding
from sikumi.indicators.services import compute_and_store
from sikumi.plans.selectors import active_plan

pytestmark = pytest.mark.django_db

YEAR = 2025
CIMANGGIS, BEJI = "32.76.02", "32.76.06"
BEJI_KEL = "32.76.06.1001"


@pytest.fixture
def plan(personas, depok):
    call_command("load_renstra", stdout=StringIO())
    call_command("load_indicator_bindings", stdout=StringIO())
    return active_plan()


@pytest.fixture
def cooperatives_with_rat(plan, personas):
    """Four cooperatives in Cimanggis, two of them holding their RAT in 2025 (15 members
    each), and one in Beji holding it (7 members): koperasi aktif 2 of 4 and 1 of 1."""
    unit = personas.unit("bidang-kelembagaan")

    def coop(name, kelurahan, members=None):
        made = cooperatives.cooperative_create(
            actor=personas.kiki,
            cooperative=Cooperative(
                name=name, jenis="konsumen", kelurahan_id=kelurahan, owner_unit=unit
            ),
        )
        if members is not None:
            cooperatives.rat_report_create(
                actor=personas.kiki,
                report=RatReport(
                    cooperative=made,
                    year=YEAR,
                    rat_date=dt.date(YEAR, 3, 20),
                    members_men=members[0],
                    members_women=members[1],
                ),
            )
        return made

    coop("Koperasi Satu", "32.76.02.1008", (10, 5))
    coop("Koperasi Dua", "32.76.02.1008", (10, 5))
    coop("Koperasi Tiga", "32.76.02.1008")
    coop("Koperasi Empat", "32.76.02.1008")
    coop("Koperasi Lima", "32.76.06.1001", (4, 3))
    compute_and_store(plan=plan, year=YEAR)
    return plan


def _indicator(source_id):
    return IndicatorBinding.objects.get(indicator__source_id=source_id).indicator_id


def test_a_percentage_indicator_is_mapped_by_percentage_per_kecamatan(
    cooperatives_with_rat, personas, client_for
):
    client = client_for(personas.kartika)
    pk = _indicator("IKK1")  # koperasi aktif / koperasi terdaftar x 100
    data = client.get(reverse("indicators:map-data"), {"indicator": pk, "year": YEAR}).json()
    assert data["scale"] == "percent" and data["legend"] == "Persentase (%)"
    assert data["kecamatan"] == {CIMANGGIS: 50.0, BEJI: 100.0}  # not the counts 2 and 1
    rows = {r["code"]: r for r in data["rows"]}
    assert (rows[CIMANGGIS]["numerator"], rows[CIMANGGIS]["denominator"]) == (2, 4)
    assert data["city"]["text"] == "60,00%"  # 3 of 5
    page = client.get(reverse("indicators:map"), {"indicator": pk, "year": YEAR}).content.decode()
    assert "Persentase (%)" in page and "Nilai kota" in page and "60,00%" in page
    assert "50,00%" in page and "100,00%" in page


def test_a_count_indicator_is_mapped_by_count(cooperatives_with_rat, personas, client_for):
    client = client_for(personas.kartika)
    pk = _indicator("P5.K1.S1/I2")  # anggota koperasi (sum of members in the year's RAT)
    data = client.get(reverse("indicators:map-data"), {"indicator": pk, "year": YEAR}).json()
    assert data["scale"] == "count" and data["legend"].startswith("Jumlah")
    assert data["kecamatan"] == {CIMANGGIS: 30.0, BEJI: 7.0}
    assert data["city"]["text"] == "37"
    assert data["kelurahan"]  # counts can be drilled down to the kelurahan


def test_a_percentage_of_a_data_dasar_uses_the_population_of_each_kecamatan(
    cooperatives_with_rat, personas, client_for
):
    # koperasi dilatih / 165 (data dasar) x 100: per kecamatan over the cooperatives there
    pk = _indicator("P5/I1")
    data = (
        client_for(personas.kartika)
        .get(reverse("indicators:map-data"), {"indicator": pk, "year": YEAR})
        .json()
    )
    assert data["scale"] == "percent"
    assert data["kecamatan"] == {CIMANGGIS: 0.0, BEJI: 0.0}  # nobody trained: 0 of 4, 0 of 1
    rows = {r["code"]: r for r in data["rows"]}
    assert rows[CIMANGGIS]["denominator"] == 4
    assert "koperasi terdaftar di kecamatan itu" in data["note"]


def test_a_percentage_without_a_denominator_per_kecamatan_is_not_coloured_and_says_why(
    cooperatives_with_rat, personas, client_for
):
    client = client_for(personas.kartika)
    pk = _indicator("IKU3")  # wirausaha / penduduk usia produktif (BPS, city only)
    data = client.get(reverse("indicators:map-data"), {"indicator": pk, "year": YEAR}).json()
    assert data["scale"] == "percent" and data["legend"] == "Persentase (%)"
    assert all(v is None for v in data["kecamatan"].values())
    assert "Pembagi per kecamatan tidak tersedia" in data["note"]
    page = client.get(reverse("indicators:map"), {"indicator": pk, "year": YEAR}).content.decode()
    assert "Nilai kota" in page and "penduduk_usia_produktif" in page  # the reason, not "-"


def test_a_percentage_of_a_figure_from_outside_uses_the_figure_entered_per_kecamatan(
    plan, personas, client_for
):
    from decimal import Decimal

    from sikumi.enterprises import services as enterprises
    from sikumi.enterprises.models import Enterprise
    from sikumi.indicators.models import ManualFigure
    from sikumi.indicators.services import manual_figure_save

    for name, kelurahan in (("Rina", "32.76.02.1008"), ("Sri", "32.76.02.1008"), ("Ani", BEJI_KEL)):
        enterprises.enterprise_create(
            actor=personas.sari,
            enterprise=Enterprise(name=f"Warung {name}", kelurahan_id=kelurahan),
            owner={"name": name, "sex": "P"},
        )
    for key, value in (
        ("penduduk_usia_produktif", 100),
        (f"penduduk_usia_produktif@{CIMANGGIS}", 8),
        (f"penduduk_usia_produktif@{BEJI}", 4),
    ):
        manual_figure_save(
            actor=personas.putri,
            figure=ManualFigure(
                key=key,
                label="Penduduk usia produktif",
                year=YEAR,
                value=Decimal(value),
                source="BPS",
            ),
        )
    compute_and_store(plan=plan, year=YEAR)
    pk = _indicator("IKU3")  # wirausaha / penduduk usia produktif x 100
    data = (
        client_for(personas.kartika)
        .get(reverse("indicators:map-data"), {"indicator": pk, "year": YEAR})
        .json()
    )
    assert data["scale"] == "percent"
    assert data["kecamatan"] == {CIMANGGIS: 25.0, BEJI: 25.0}  # 2 of 8, 1 of 4
    assert data["city"]["text"] == "3,00%"  # 3 of 100


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_of_a_percentage_renders_with_its_legend_in_a_browser(
    page, live_server, cooperatives_with_rat
):
    from sikumi.core.testing import PASSWORD
    from sikumi.core.tests.browser import login

    login(page, live_server, "kartika", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/indikator/peta/?indicator={_indicator('IKK1')}&year={YEAR}")
    page.wait_for_selector("#indicator-map canvas")
    assert "Persentase (%)" in page.locator("#map-legend").inner_text()
    assert "60,00%" in page.locator("#map-city").inner_text()
    assert "50,00%" in page.locator("#map-table").inner_text()
    assert not page.console_errors
