"""The health assessment defaults to the methodology in force for the book year (form, API,
command), from one rule: sikumi.rules.health_methodology."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sikumi.rules import health as health_rules
from sikumi.rules.health_methodology import Edition, by_book_year, for_book_year, in_force
from sikumi.supervision import services
from sikumi.supervision.models import HealthAssessment, HealthMethodology

SHIPPED = [
    Edition("a", "2016", 1, dt.date(2016, 4, 1)),
    Edition("b", "2021", 1, dt.date(2021, 1, 1)),
]


def test_a_book_year_is_assessed_with_the_methodology_in_force_when_its_books_close():
    assert for_book_year(SHIPPED, 2015) is None
    assert for_book_year(SHIPPED, 2016).code == "2016"  # in force from April 2016
    assert for_book_year(SHIPPED, 2020).code == "2016"  # even when assessed in 2021
    assert for_book_year(SHIPPED, 2021).code == "2021"
    assert for_book_year(SHIPPED, 2025).code == "2021"
    revised = [*SHIPPED, Edition("c", "2021", 2, dt.date(2024, 7, 1))]
    assert for_book_year(revised, 2023).key == "b"
    assert for_book_year(revised, 2024).key == "c"  # took effect during 2024
    assert in_force(revised, dt.date(2024, 6, 30)).key == "b"
    assert {y: e.code for y, e in by_book_year(SHIPPED, range(2014, 2023)).items()} == {
        2016: "2016",
        2017: "2016",
        2018: "2016",
        2019: "2016",
        2020: "2016",
        2021: "2021",
        2022: "2021",
    }


def _inputs_2021():
    fields = health_rules.load_methodology("2021")["fields"]
    return dict.fromkeys(fields, 1)


def _method_input(html):
    return re.search(r'<input type="hidden" name="method" value="(\w+)">', html).group(1)


@pytest.mark.django_db
def test_the_form_opens_on_the_last_book_year_and_its_methodology(
    personas, client_for, methodologies
):
    html = client_for(personas.wawan).get(reverse("supervision:assessment-create")).content
    html = html.decode()
    assert _method_input(html) == "2021"
    assert "metode yang berlaku untuk tahun buku 2025" in html  # today: December 2026
    assert re.search(r'name="year"[^>]*value="2025"', html)
    table = json.loads(
        re.search(
            r'<script id="method-by-year" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert table["2019"]["code"] == "2016" and table["2025"]["code"] == "2021"
    assert "2015" not in table
    assert re.search(r'<p id="method-proposal"[^>]* hidden>', html)  # nothing to propose


@pytest.mark.django_db
def test_a_year_in_the_address_picks_its_methodology(personas, client_for, methodologies):
    client = client_for(personas.wawan)
    html = client.get(reverse("supervision:assessment-create") + "?year=2019").content.decode()
    assert _method_input(html) == "2016"
    assert re.search(r'name="year"[^>]*value="2019"', html)
    assert "Modal sendiri" in html  # the 2016 figures are asked
    # a methodology chosen by hand that does not apply is kept, and the right one proposed
    html = client.get(
        reverse("supervision:assessment-create") + "?year=2019&method=2021"
    ).content.decode()
    assert _method_input(html) == "2021"
    notice = re.search(r'<p id="method-proposal"[^>]*>.*?</p>', html, re.S).group(0)
    assert " hidden" not in notice.split(">")[0]
    assert "Untuk tahun buku 2019 berlaku metode 2016" in notice
    assert 'href="?year=2019&amp;method=2016"' in notice


@pytest.mark.django_db
def test_the_api_takes_the_methodology_of_the_book_year_when_none_is_given(
    personas, api_for, ksp, methodologies, example_inputs
):
    api = api_for(personas.wawan)
    old = api.post(
        "/api/health-assessments/",
        {
            "cooperative": ksp.pk,
            "year": 2019,
            "assessed_on": "2020-03-01",
            "inputs": example_inputs,
        },
        format="json",
    )
    assert old.status_code == 201, old.content
    assert old.json()["method_code"] == "2016"
    recent = api.post(
        "/api/health-assessments/",
        {
            "cooperative": ksp.pk,
            "year": 2025,
            "assessed_on": "2026-03-01",
            "inputs": _inputs_2021(),
        },
        format="json",
    )
    assert recent.status_code == 201, recent.content
    assert recent.json()["method_code"] == "2021"
    too_early = api.post(
        "/api/health-assessments/",
        {"cooperative": ksp.pk, "year": 2014, "assessed_on": "2015-03-01", "inputs": {}},
        format="json",
    )
    assert too_early.status_code == 400
    assert (
        "Tidak ada metode penilaian yang berlaku untuk tahun buku 2014"
        in too_early.content.decode()
    )
    assert HealthAssessment.objects.count() == 2


@pytest.mark.django_db
def test_the_command_takes_the_methodology_of_the_year(methodologies, example_inputs, tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(example_inputs))
    out, err = StringIO(), StringIO()
    call_command("health_score", "--year", "2019", str(path), stdout=out, stderr=err)
    assert json.loads(out.getvalue())["total"] == 80.6
    assert "Metode 2016: metode yang berlaku untuk tahun buku 2019." in err.getvalue()
    path.write_text(json.dumps(_inputs_2021()))
    out, err = StringIO(), StringIO()
    call_command("health_score", str(path), stdout=out, stderr=err)  # last book year: 2025
    assert "Metode 2021" in err.getvalue()
    assert json.loads(out.getvalue())["predicate"]


@pytest.mark.django_db
def test_the_rule_reads_the_stored_validity_dates(methodologies):
    HealthMethodology.objects.filter(code="2021").update(valid_from=dt.date(2023, 1, 1))
    assert services.methodology_for_year(2022).code == "2016"
    assert services.methodology_for_year(2023).code == "2021"
    assert services.methodology_for_year(2010) is None
