import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.cooperatives.services import rat_report_update
from sikumi.indicators.models import ComputedValue, IndicatorBinding, ManualFigure
from sikumi.indicators.services import compute_all, compute_and_store
from sikumi.plans.models import Indicator
from sikumi.plans.selectors import active_plan

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def plan(personas, depok):
    call_command("load_renstra", stdout=StringIO())
    call_command("load_indicator_bindings", stdout=StringIO())
    return active_plan()


@pytest.fixture
def example(plan):
    """A small but complete set of labelled example data across every registry."""
    from sikumi.activities import demo as activities
    from sikumi.cooperatives import demo as cooperatives
    from sikumi.enterprises import demo as enterprises
    from sikumi.supervision import demo as supervision

    cooperatives.generate(count=60, seed=7)
    supervision.generate(seed=7)
    enterprises.generate(count=600, seed=7)
    activities.generate(seed=7)
    return plan


def _by_id(results):
    return {r.source_id: r for r in results}


def _kecamatan(coop_id):
    return Cooperative.objects.get(pk=coop_id).kecamatan_id


def test_moving_a_cooperatives_last_rat_raises_koperasi_aktif_by_exactly_one_share(
    example, personas, client_for
):
    # A cooperative whose last RAT was held 4 years ago (2021) is not active in 2025.
    coop = (
        Cooperative.objects.active()
        .filter(last_rat_year__lte=YEAR - 4, dissolved_at__isnull=True)
        .exclude(kelurahan=None)
        .order_by("pk")
        .first()
    )
    assert coop is not None, "the example data has cooperatives without a recent RAT"
    last = RatReport.objects.active().filter(cooperative=coop).order_by("-year").first()
    assert last is not None
    if last.year != YEAR - 4:
        last.year, last.rat_date = YEAR - 4, dt.date(YEAR - 4, 4, 20)
        last = rat_report_update(actor=personas.kiki, report=last, expected_version=last.version)
    before = _by_id(compute_all(plan=example, year=YEAR))["IKK1"]

    last.year = YEAR - 1
    last.rat_date = dt.date(YEAR - 1, 3, 15)
    rat_report_update(actor=personas.kiki, report=last, expected_version=last.version)

    after = _by_id(compute_all(plan=example, year=YEAR))["IKK1"]
    assert after.numerator == before.numerator + 1
    assert after.denominator == before.denominator
    share = Decimal(100) / before.denominator
    assert abs((after.value - before.value) - share) < Decimal("0.01")
    kec = _kecamatan(coop.pk)
    assert (
        after.by_kecamatan[kec]["numerator"]
        == before.by_kecamatan.get(kec, {}).get("numerator", 0) + 1
    )

    compute_and_store(plan=example, year=YEAR)
    indicator = Indicator.objects.get(plan=example, source_id="IKK1")
    page = client_for(personas.kartika).get(
        reverse("indicators:records", args=[indicator.pk]), {"year": YEAR, "kecamatan": kec}
    )
    assert coop.name in page.content.decode()


def test_for_every_count_indicator_the_kecamatan_values_add_up_to_the_city(example):
    results = compute_all(plan=example, year=YEAR)
    checked = 0
    for r in results:
        if r.numerator is None or r.method != "measure" or r.measure == "pertumbuhan_volume_usaha":
            continue
        parts = sum(Decimal(str(row["numerator"])) for row in r.by_kecamatan.values())
        assert parts == r.numerator, r.source_id
        checked += 1
    assert checked >= 30


def test_with_example_data_every_indicator_has_a_value_or_says_why(example):
    results = compute_all(plan=example, year=YEAR)
    assert len(results) == IndicatorBinding.objects.filter(indicator__plan=example).count()
    assert len(results) == Indicator.objects.filter(plan=example).count()
    for r in results:
        assert r.value is not None or r.reason, r.source_id
    values = _by_id(results)
    for key in [
        "IKK1",
        "S2.1/I1",
        "P2/I1",
        "P3/I1",
        "P4/I1",
        "P5/I1",
        "P5.K1/I1",
        "P6/I1",
        "P7/I1",
        "P8/I1",
        "P8.K1/I1",
        "P7.K1.S3/I1",
        "P8.K1.S1/I3",
        "T2/I1",
    ]:
        assert values[key].value is not None, (key, values[key].reason)
    assert "belum diisi" in values["T1/I1"].reason


def test_a_figure_from_outside_the_dinas_is_typed_in_and_used(example, personas, client_for):
    client = client_for(personas.putri)
    response = client.post(
        reverse("indicators:manual-create"),
        {
            "key": "penduduk_usia_produktif",
            "label": "Penduduk usia produktif (BPS)",
            "year": YEAR,
            "quarter": 0,
            "value": "1400000",
            "source": "BPS Kota Depok 2025",
        },
    )
    assert response.status_code == 302
    r = _by_id(compute_all(plan=example, year=YEAR))["S2.1/I2"]
    assert r.denominator == Decimal(1400000)
    assert r.value == (r.numerator / Decimal(1400000) * 100).quantize(Decimal("0.01"))
    assert AuditEntry.objects.filter(content_type__model="manualfigure", action="create").exists()
    assert (
        client_for(personas.sari).post(reverse("indicators:manual-create"), {}).status_code == 403
    )


def test_the_binding_is_data_a_perencana_changes_and_staf_cannot(plan, personas, client_for):
    indicator = Indicator.objects.get(plan=plan, source_id="P3/I1")
    binding = indicator.binding
    data = {
        "method": "measure",
        "measure": "koperasi_diperiksa",
        "denominator": "data_dasar",
        "denominator_measure": "",
        "data_dasar": "165",
        "manual_key": "",
        "percent": "on",
        "description": "Koperasi yang diperiksa dibagi 165.",
        "version": binding.version,
    }
    url = reverse("indicators:binding-edit", args=[indicator.pk])
    assert client_for(personas.sari).post(url, data).status_code == 403
    assert client_for(personas.putri).post(url, data).status_code == 302
    binding.refresh_from_db()
    assert binding.measure == "koperasi_diperiksa"
    entry = AuditEntry.objects.get(content_type__model="indicatorbinding", action="update")
    assert (entry.before["measure"], entry.after["measure"]) == (
        "koperasi_patuh",
        "koperasi_diperiksa",
    )


def test_compute_indicators_prints_json_per_indicator_with_kecamatan_values(example):
    out = StringIO()
    call_command("compute_indicators", year=YEAR, json=True, stdout=out)
    rows = {row["id"]: row for row in json.loads(out.getvalue())}
    row = rows["P8/I1"]
    assert set(row) >= {"id", "name", "value", "numerator", "denominator", "per_kecamatan"}
    assert row["denominator"] == 8570
    assert sum(v["numerator"] for v in row["per_kecamatan"].values()) == row["numerator"]


def test_a_stored_value_says_when_and_from_what_and_the_pages_show_it(
    example, personas, client_for
):
    client = client_for(personas.putri)
    response = client.post(reverse("indicators:compute"), {"year": YEAR, "quarter": ""})
    assert response.status_code == 302
    stored = ComputedValue.objects.get(indicator__source_id="IKK1", year=YEAR, quarter=0)
    page = client.get(
        reverse("indicators:detail", args=[stored.indicator_id]), {"year": YEAR}
    ).content.decode()
    assert "Dihitung" in page and str(YEAR) in page
    assert "RAT" in page  # the description of the measure
    listing = client.get(reverse("indicators:list"), {"year": YEAR}).content.decode()
    assert "Persentase koperasi aktif" in listing
    map_page = client.get(
        reverse("indicators:map"), {"year": YEAR, "indicator": stored.indicator_id}
    )
    assert map_page.status_code == 200
    assert 'id="map-data"' in map_page.content.decode()


def test_a_quarter_counts_events_up_to_the_end_of_that_quarter(example):
    q1 = _by_id(compute_all(plan=example, year=YEAR, quarter=1))["P3.K1.S2/I1"].numerator
    year = _by_id(compute_all(plan=example, year=YEAR))["P3.K1.S2/I1"].numerator
    assert q1 <= year


def test_the_docs_list_every_bound_indicator():
    from pathlib import Path

    from sikumi.indicators.docs import render

    docs = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"
    assert docs.read_text(encoding="utf-8") == render()


def test_a_manual_figure_for_a_period_is_unique(plan, personas):
    from django.core.exceptions import ValidationError

    from sikumi.indicators.services import manual_figure_save

    manual_figure_save(
        actor=personas.putri,
        figure=ManualFigure(
            key="nilai_sakip",
            label="SAKIP",
            year=YEAR,
            quarter=0,
            value=Decimal("71.2"),
            source="Inspektorat",
        ),
    )
    with pytest.raises(ValidationError):
        manual_figure_save(
            actor=personas.putri,
            figure=ManualFigure(
                key="nilai_sakip",
                label="SAKIP",
                year=YEAR,
                quarter=0,
                value=Decimal("72"),
                source="x",
            ),
        )


def test_computed_values_are_proposed_and_an_override_needs_a_reason_that_stays_visible(
    example, personas, client_for
):
    from django.core.exceptions import ValidationError

    from sikumi.indicators.services import realisations_propose
    from sikumi.monev import services as monev
    from sikumi.monev.models import IndicatorRealisation
    from sikumi.monev.reports.builders import build_e81

    renja = monev.renja_create_from_plan(actor=personas.putri, plan=example, year=YEAR)
    counts = realisations_propose(actor=personas.putri, renja=renja, quarter=2)
    assert counts["proposed"] > 10
    q2 = _by_id(compute_all(plan=example, year=YEAR, quarter=2))
    q1 = _by_id(compute_all(plan=example, year=YEAR, quarter=1))
    # A level ("last value"): the value at the end of the quarter.
    level = Indicator.objects.get(plan=example, source_id="P3.K1.S2/I1")  # koperasi diperiksa
    row = IndicatorRealisation.objects.get(renja=renja, indicator=level, quarter=2)
    assert level.combine == "last"
    assert row.computed_value == q2["P3.K1.S2/I1"].numerator
    # A count the year adds up ("sum"): the quarter's share, so the quarters add up to the year.
    count = Indicator.objects.get(plan=example, source_id="P5.K1.S1/I3")  # pengurus terlatih
    assert count.combine == "sum"
    share = IndicatorRealisation.objects.get(renja=renja, indicator=count, quarter=2)
    assert share.computed_value == q2["P5.K1.S1/I3"].numerator - q1["P5.K1.S1/I3"].numerator
    assert row.value is None  # proposed, not entered behind the unit's back
    indicator = level

    different = row.computed_value + 3
    with pytest.raises(ValidationError, match="berbeda dari hasil hitung data"):
        monev.realisation_save(
            actor=personas.wawan,
            renja=renja,
            indicator=indicator,
            quarter=2,
            value=different,
            expected_version=row.version,
        )
    saved = monev.realisation_save(
        actor=personas.wawan,
        renja=renja,
        indicator=indicator,
        quarter=2,
        value=different,
        override_reason="Dua pemeriksaan belum diinput",
        expected_version=row.version,
    )
    assert saved.override_reason == "Dua pemeriksaan belum diinput"
    page = client_for(personas.wawan).get(reverse("monev:realisation-quarter", args=[renja.pk, 2]))
    assert "Dua pemeriksaan belum diinput" in page.content.decode()
    report = build_e81(year=YEAR, quarter=2, plan=example, approved_only=False)
    notes = [
        c.value
        for t in report.tables
        for r in t.rows
        for c in r.cells
        if isinstance(c.value, str) and "hasil hitung data" in c.value
    ]
    assert any("Dua pemeriksaan belum diinput" in n for n in notes)


def test_a_new_entrepreneur_is_one_person_counted_in_their_first_programme_year(plan, personas):
    from sikumi.enterprises import services
    from sikumi.enterprises.models import Enterprise

    def shop(name, kelurahan, year):
        return services.enterprise_create(
            actor=personas.sari,
            enterprise=Enterprise(
                name=name, kelurahan_id=kelurahan, is_new_entrepreneur=True, programme_year=year
            ),
            owner={"nik": "3276025507900002", "name": "Siti", "sex": "P"},
        )

    shop("Kue Siti", "32.76.03.1012", 2024)
    shop("Katering Siti", "32.76.01.1006", 2025)
    y2024 = _by_id(compute_all(plan=plan, year=2024))["P7/I1"]
    y2025 = _by_id(compute_all(plan=plan, year=2025))["P7/I1"]
    assert y2024.numerator == 1 and y2025.numerator == 0
    # Placed at her first business only, so the kecamatan add up to the city.
    assert list(y2024.by_kecamatan) == ["32.76.03"]
    assert y2024.by_kecamatan["32.76.03"]["numerator"] == 1.0


def test_naik_omzet_counts_a_business_whose_turnover_rose_and_lists_it(plan, personas, client_for):
    from sikumi.enterprises import services
    from sikumi.enterprises.models import Enterprise

    business = services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(name="Keripik Naik", kelurahan_id="32.76.03.1012"),
        owner={"nik": None, "name": "Budi", "sex": "L"},
    )
    services.turnover_set(
        actor=personas.sari, enterprise=business, year=YEAR - 1, amount=Decimal(100)
    )
    services.turnover_set(actor=personas.sari, enterprise=business, year=YEAR, amount=Decimal(90))
    assert _by_id(compute_all(plan=plan, year=YEAR))["P8/I1"].numerator == 0
    services.turnover_set(actor=personas.sari, enterprise=business, year=YEAR, amount=Decimal(130))
    result = _by_id(compute_all(plan=plan, year=YEAR))["P8/I1"]
    assert result.numerator == 1
    assert result.by_kecamatan["32.76.03"]["numerator"] == 1
    assert result.by_kelurahan == {"32.76.03.1012": 1.0}
    indicator = Indicator.objects.get(plan=plan, source_id="P8/I1")
    page = client_for(personas.kartika).get(
        reverse("indicators:records", args=[indicator.pk]), {"year": YEAR, "kecamatan": "32.76.03"}
    )
    assert "Keripik Naik" in page.content.decode()
