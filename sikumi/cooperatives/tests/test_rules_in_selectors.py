"""The registry's readings evaluate the rules of `sikumi.rules.cooperative`, not copies of them:
the SQL status equals the rule over every case, and changing a rule there changes what the list,
the facts, the detail page and the indicators' rule-set evaluation show."""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.urls import reverse

from sikumi.cooperatives import facts as fact_registry
from sikumi.cooperatives import selectors
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.rules import cooperative as coop_rules

pytestmark = pytest.mark.django_db

RAT_YEARS = [None, 2019, 2021, 2022, 2023, 2024, 2025, 2026]
DISSOLVED = [None, dt.date(2024, 6, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)]


def _coop(name, **extra):
    values = {"name": name, "jenis": "konsumen", "kelurahan_id": "32.76.02.1008"}
    values.update(extra)
    return Cooperative.objects.create(**values)


def _rat(coop, held_on, **figures):
    return RatReport.objects.create(
        cooperative=coop, year=held_on.year, rat_date=held_on, **figures
    )


@pytest.fixture
def grid(depok):
    """One cooperative for each last RAT year and dissolution date."""
    for index, (rat_year, dissolved_at) in enumerate(itertools.product(RAT_YEARS, DISSOLVED)):
        _coop(f"Koperasi {index}", last_rat_year=rat_year, dissolved_at=dissolved_at)
    return Cooperative.objects.all()


def _rule_status(coop, year, window):
    dissolved = coop_rules.dissolved_by(coop.dissolved_at, year)
    return coop_rules.activity_status(coop.last_rat_year, year, window, dissolved=dissolved).code


@pytest.mark.parametrize(("year", "window"), [(2025, 3), (2026, 3), (2026, 1), (2026, 5)])
def test_the_sql_status_is_the_rules_status_for_every_case(grid, year, window):
    annotated: Any = selectors.with_status(grid, year, window)
    in_sql = dict(annotated.values_list("pk", "status"))
    expected = {coop.pk: _rule_status(coop, year, window) for coop in grid}
    assert in_sql == expected
    assert set(expected.values()) == {"aktif", "tidak_aktif", "dibubarkan"}
    for code in ("aktif", "tidak_aktif", "dibubarkan"):  # the list filter
        filtered = set(grid.filter(selectors.status_q(code, year, window)).values_list("pk"))
        assert filtered == {(pk,) for pk, status in expected.items() if status == code}


def test_changing_the_activity_rule_changes_the_list_and_the_detail(
    depok, personas, client_for, monkeypatch
):
    year = selectors.current_year()
    window = selectors.activity_window()
    old = _coop("Koperasi Lama Sekali", last_rat_year=year - window - 1)
    _rat(old, dt.date(year - window - 1, 3, 1), members_men=30)
    client = client_for(personas.kiki)
    listed = client.get(reverse("cooperatives:list"), {"status": "aktif"}).content.decode()
    assert old.name not in listed
    assert selectors.cooperative_status(old).code == "tidak_aktif"

    original = coop_rules.activity_thresholds

    def one_year_longer(as_of_year, window_years=coop_rules.DEFAULT_ACTIVITY_WINDOW_YEARS, on=None):
        return original(as_of_year, window_years + 1, on=on)

    monkeypatch.setattr(coop_rules, "activity_thresholds", one_year_longer)
    listed = client.get(reverse("cooperatives:list"), {"status": "aktif"}).content.decode()
    assert old.name in listed
    assert selectors.cooperative_status(old).code == "aktif"
    assert selectors.quality_facts(year)[old.pk]["status"] == "aktif"


def test_a_rat_on_the_deadline_day_is_on_time_and_a_day_later_is_not(
    depok, personas, client_for, monkeypatch
):
    year = selectors.current_year()
    deadline = coop_rules.rat_deadline(year - 1)
    on_day = _coop("Koperasi Tepat")
    _rat(on_day, deadline, members_men=25)
    late = _coop("Koperasi Telat Sehari")
    _rat(late, deadline + dt.timedelta(days=1), members_men=25)

    facts = selectors.quality_facts(year)
    assert facts[on_day.pk]["rat_tepat_waktu"] is True
    assert facts[late.pk]["rat_tepat_waktu"] is False
    page = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[late.pk]))
    assert "RAT tepat waktu: tidak (syarat: ya)" in page.content.decode()

    # A month's grace in the rule is a month's grace in the registry.
    monkeypatch.setattr(
        coop_rules, "rat_deadline", lambda book_year, months=7: dt.date(book_year + 1, 7, 31)
    )
    facts = selectors.quality_facts(year)
    assert facts[late.pk]["rat_tepat_waktu"] is True
    page = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[late.pk]))
    assert "RAT tepat waktu: ya (syarat: ya)" in page.content.decode()


def test_the_members_fact_is_the_rules_members_total(depok, monkeypatch):
    year = selectors.current_year()
    coop = _coop("Koperasi Anggota")
    _rat(coop, dt.date(year, 3, 1), members_men=12, members_women=None, members_other=9)
    assert selectors.quality_facts(year)[coop.pk]["jumlah_anggota"] == 21
    monkeypatch.setattr(coop_rules, "members_total", lambda men, women, other: men)
    assert selectors.quality_facts(year)[coop.pk]["jumlah_anggota"] == 12


def test_changing_an_operator_changes_the_indicators_rule_sets_and_the_detail_page(
    depok, personas, client_for, monkeypatch
):
    year = selectors.current_year()
    coop = _coop("Koperasi Dua Puluh", last_rat_year=year)
    _rat(coop, dt.date(year, 3, 1), members_men=20, shu=5)
    fact_registry.register("test", lambda ids, y: {coop.pk: {"patuh_pemeriksaan": True}})
    try:
        assert coop.pk in selectors.qualifying_ids(year)["berkualitas"]
        # ">=" made strict in the rules module: exactly 20 members no longer meets "minimal 20"
        monkeypatch.setitem(coop_rules._ORDERINGS, ">=", lambda left, right: left > right)
        assert coop.pk not in selectors.qualifying_ids(year)["berkualitas"]
        page = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[coop.pk]))
        assert "✗ Jumlah anggota minimal 20 orang" in page.content.decode()
    finally:
        fact_registry.unregister("test")


def test_certified_officials_are_counted_with_the_rules_validity(depok, monkeypatch):
    from sikumi.cooperatives.models import CompetenceCertificate, CooperativeOfficial
    from sikumi.indicators.engine import Period
    from sikumi.indicators.measures import pengurus_kompeten

    year = 2026
    coop = _coop("Koperasi Sertifikat")
    cases = [
        (dt.date(2025, 5, 1), None),
        (dt.date(2026, 5, 1), None),
        (dt.date(2027, 5, 1), None),
        (dt.date(2020, 5, 1), dt.date(2026, 12, 31)),
        (dt.date(2020, 5, 1), dt.date(2026, 5, 1)),  # expired during the year
        (None, None),
    ]
    for index, (issued, expires) in enumerate(cases):
        official = CooperativeOfficial.objects.create(
            cooperative=coop, role="manajer", name=f"Pengelola {index}"
        )
        CompetenceCertificate.objects.create(
            official=official, scheme="Manajer", issued_on=issued, expires_on=expires
        )
    end = coop_rules.year_end(year)
    expected = sum(coop_rules.certificate_valid_on(i, e, end) for i, e in cases)
    facts = selectors.quality_facts(year)
    assert facts[coop.pk]["jumlah_pengelola_bersertifikat"] == expected == 3
    # The indicator "pengurus kompeten" counts the same certificates at the end of the year.
    counted = pengurus_kompeten(Period(year)).queryset.filter(cooperative=coop)
    assert counted.count() == 3

    original = coop_rules.certificate_thresholds
    monkeypatch.setattr(  # a certificate must still be held on the first day of the next year
        coop_rules,
        "certificate_thresholds",
        lambda on: coop_rules.CertificateThresholds(
            original(on).issued_through, on + dt.timedelta(days=1)
        ),
    )
    expected = sum(coop_rules.certificate_valid_on(i, e, end) for i, e in cases)
    facts = selectors.quality_facts(year)
    assert facts[coop.pk]["jumlah_pengelola_bersertifikat"] == expected == 2


def test_a_quarter_takes_dissolution_and_activity_on_the_same_day(depok):
    """Dissolved in November: on the register and aktif in the first quarter, in neither for the
    year, so that "koperasi aktif" never exceeds "koperasi terdaftar" in any period."""
    from sikumi.indicators.measures import Period, koperasi_aktif, koperasi_terdaftar

    coop = _coop("Koperasi Bubar November", last_rat_year=2025, dissolved_at=dt.date(2026, 11, 5))
    first_quarter, year = Period(2026, 1), Period(2026)
    assert koperasi_terdaftar(first_quarter).queryset.filter(pk=coop.pk).exists()
    assert koperasi_aktif(first_quarter).queryset.filter(pk=coop.pk).exists()
    assert not koperasi_terdaftar(year).queryset.filter(pk=coop.pk).exists()
    assert not koperasi_aktif(year).queryset.filter(pk=coop.pk).exists()
