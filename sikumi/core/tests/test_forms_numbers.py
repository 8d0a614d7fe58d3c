"""Forms accept numbers as people type them ("1.250.000.000", "Rp 1.250.000.000,50", "1,5") and
show saved numbers back the same way ("321.311.250", "58,4"), never "321311250.00"."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sikumi.core.forms import (
    IndonesianDecimalField,
    IndonesianFloatField,
    IndonesianIntegerField,
    number_for_input,
)
from sikumi.core.templatetags.sikumi import cetak_id, isian
from sikumi.enterprises import services
from sikumi.enterprises.forms import EnterpriseForm
from sikumi.enterprises.models import Enterprise
from sikumi.enterprises.tests.helpers import NIK_BUDI


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached registry counts are keyed by a version row that rolls back with each test: clear
    them, so no figure computed here is served to a later test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _error(field, value) -> str:
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return " ".join(caught.value.messages)


def test_a_money_field_reads_what_people_type():
    field = IndonesianDecimalField(max_digits=18, decimal_places=2)
    assert field.clean("Rp 1.250.000.000,50") == Decimal("1250000000.50")
    assert field.clean("1.250.000.000") == Decimal("1250000000")
    assert field.clean("Rp 1.250.000.000") == Decimal("1250000000")
    assert field.clean("1.250.000.000,50") == Decimal("1250000000.50")
    assert field.clean("  20.000.000 ") == Decimal("20000000")


def test_a_decimal_with_a_comma_is_a_decimal():
    assert IndonesianDecimalField().clean("1,5") == Decimal("1.5")
    assert IndonesianFloatField().clean("1,5") == 1.5
    assert IndonesianFloatField().clean("-6,4025") == -6.4025


def test_bad_text_gets_an_indonesian_message(settings):
    settings.LANGUAGE_CODE = "id"
    message = _error(IndonesianDecimalField(), "seratus ribu")
    assert "'seratus ribu' bukan angka" in message
    assert "1.250.000" in message  # says how to write it
    assert "harus bilangan bulat" in _error(IndonesianIntegerField(), "1,5")
    assert "bukan angka" in _error(IndonesianIntegerField(), "dua")


def test_an_empty_optional_field_is_none():
    assert IndonesianDecimalField(required=False).clean("") is None
    assert IndonesianIntegerField(required=False).clean("") is None


def test_limits_still_apply_after_reading():
    field = IndonesianDecimalField(max_digits=5, decimal_places=2, min_value=0)
    assert "2 angka desimal" in _error(field, "1,505")
    assert _error(field, "-1")  # below the minimum


def test_saved_numbers_are_shown_back_as_typed():
    assert number_for_input(Decimal("58.4000")) == "58,4"
    assert number_for_input(Decimal("321311250.00")) == "321.311.250"
    assert number_for_input(Decimal("-1234.50")) == "-1.234,5"
    assert number_for_input(None) == ""
    assert number_for_input(2026, grouping=False) == "2026"
    assert isian(Decimal("321311250.00")) == "321.311.250"
    assert cetak_id("70.15", "en") == "70,15"
    assert cetak_id("1,234.5", "en") == "1.234,5"
    assert cetak_id("1.234,5", "id") == "1.234,5"


@pytest.mark.django_db
def test_every_number_of_a_model_form_is_a_text_input_years_not_grouped(personas, depok):
    form = EnterpriseForm(user=personas.ani)
    capital = str(form["capital"])
    assert 'type="text"' in capital and 'inputmode="decimal"' in capital
    assert 'data-number="grouped"' in capital
    year = str(form["programme_year"])
    assert 'type="text"' in year and "data-number" not in year
    assert isinstance(form.fields["employees"], IndonesianIntegerField)


@pytest.fixture
def shop(personas, depok):
    return services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(
            name="Warung Budi",
            kelurahan_id="32.76.03.1012",
            capital=Decimal("20000000"),
            start_date=dt.date(2020, 5, 1),
        ),
        owner={"nik": NIK_BUDI, "name": "Budi Santoso", "sex": "L", "phone": "081234567890"},
    )


@pytest.mark.django_db
def test_the_capital_typed_with_dots_is_saved_as_that_amount(personas, shop, client_for):
    client = client_for(personas.sari)
    url = reverse("enterprises:edit", args=[shop.pk])
    page = client.get(url).content.decode()
    # The saved 20000000.00 is shown as people write it.
    assert re.search(r'name="capital" value="20\.000\.000"', page)
    assert "- Select an option -" not in page and "- Pilih -" in page
    response = client.post(
        url,
        {
            "name": shop.name,
            "kelurahan": shop.kelurahan_id,
            "capital": "1.250.000.000",
            "employees": "1.250",
            "owner_unit": shop.owner_unit_id,
            "version": shop.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shop.refresh_from_db()
    assert shop.capital == Decimal("1250000000")
    assert shop.employees == 1250
    page = client.get(url).content.decode()
    assert 'value="1.250.000.000"' in page


@pytest.mark.django_db
def test_rupiah_with_cents_and_bad_text_on_the_form(personas, shop, client_for):
    client = client_for(personas.sari)
    url = reverse("enterprises:edit", args=[shop.pk])
    data = {
        "name": shop.name,
        "kelurahan": shop.kelurahan_id,
        "owner_unit": shop.owner_unit_id,
        "version": shop.version,
    }
    response = client.post(url, {**data, "capital": "Rp 1.250.000.000,50"})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.capital == Decimal("1250000000.50")
    response = client.post(url, {**data, "capital": "satu milyar", "version": shop.version})
    assert response.status_code == 200
    assert "bukan angka" in response.content.decode()
    shop.refresh_from_db()
    assert shop.capital == Decimal("1250000000.50")  # nothing written


@pytest.mark.django_db
def test_the_renstra_pagu_typed_with_dots_is_saved(personas, client_for):
    from sikumi.plans.models import NodeKind, Pagu, PlanNode

    node = PlanNode.objects.filter(kind=NodeKind.PROGRAM).order_by("pk").first()
    client = client_for(personas.putri)
    url = reverse("plans:pagu_edit", args=[node.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    year = form.years[0]
    stored = Pagu.objects.filter(node=node, year=year).first()
    if stored is not None and stored.value is not None:
        # Shown grouped, not "321311250.00".
        assert form[f"{form.prefix_name}_{year}"].value() == number_for_input(stored.value)
    data = {
        name: (field.value() if field.value() is not None else "")
        for name, field in ((n, form[n]) for n in form.fields)
    }
    data[f"{form.prefix_name}_{year}"] = "1.250.000.000"
    data["reason"] = "Uji: pagu diketik dengan titik ribuan"
    data["revision"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Pagu.objects.get(node=node, year=year).value == Decimal("1250000000")


@pytest.mark.django_db
def test_the_audit_trail_shows_words_not_python_values(personas, shop):
    from django.contrib.contenttypes.models import ContentType

    from sikumi.audit.models import AuditEntry
    from sikumi.core.templatetags.sikumi import audit_value

    entry = AuditEntry(content_type=ContentType.objects.get_for_model(Enterprise))
    assert audit_value(entry, "is_new_entrepreneur", True) == "Ya"
    assert audit_value(entry, "is_new_entrepreneur", False) == "Tidak"
    assert audit_value(entry, "sector", "kriya") == "Kriya dan kerajinan"
    assert audit_value(entry, "capital", "321311250.00") == "321.311.250"
    assert audit_value(entry, "programme_year", 2026) == "2026"
    assert audit_value(entry, "capital", None) == "∅"
    assert "<code" in audit_value(entry, "inputs", {"modal_sendiri": 1})


@pytest.mark.django_db
def test_list_filters_speak_indonesian(personas, client_for):
    page = client_for(personas.ani).get(reverse("activities:participant-list")).content.decode()
    assert "(id)" not in page
    assert "Tidak diketahui" not in page and "Unknown" not in page
    assert 'data-lookup="cooperative"' in page  # the cooperative is searched, not typed as an id
    assert ">Semua</option>" in page


def test_quality_details_show_years_plain_and_codes_as_words():
    from sikumi.rules.cooperative import evaluate_rule

    rat = evaluate_rule(
        {
            "code": "rat_tahun_lalu",
            "label": "RAT tahun buku terakhir",
            "fact": "last_rat_year",
            "fact_label": "Tahun RAT terakhir",
            "op": "within_years",
            "value": 1,
        },
        {"last_rat_year": 2026, "as_of_year": 2026},
    )
    assert "Tahun RAT terakhir: 2026 " in rat.detail
    status = evaluate_rule(
        {"code": "aktif", "label": "Aktif", "fact": "status", "op": "==", "value": "aktif"},
        {"status": "tidak_aktif"},
    )
    assert "tidak aktif" in status.detail and "tidak_aktif" not in status.detail


@pytest.mark.django_db
def test_e81_remarks_write_percentages_with_a_comma(personas):
    from sikumi.monev import demo
    from sikumi.monev.reports.builders import build
    from sikumi.plans.loader import load_plan

    plan = load_plan().plan
    demo.generate(seed=2026)
    report = build("e81", year=2026, plan=plan)
    remarks = [
        str(cell.value)
        for row in report.tables[0].rows
        for cell in row.cells
        if isinstance(cell.value, str) and "Capaian tahun ini" in cell.value
    ]
    assert remarks
    for remark in remarks:
        assert re.search(r"Capaian tahun ini -?\d{1,3}(\.\d{3})*,\d{2}% \(", remark), remark
