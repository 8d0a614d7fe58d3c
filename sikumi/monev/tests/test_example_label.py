"""The "Data contoh" label follows the record: on an instance loaded with the example data,
what a user enters through the pages is real and is never badged, while the generated records
keep their badge."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sikumi.cooperatives import demo as cooperatives_demo
from sikumi.cooperatives.models import Cooperative
from sikumi.enterprises import demo as enterprises_demo
from sikumi.enterprises.models import Enterprise, Person
from sikumi.monev import demo as monev_demo
from sikumi.monev import services
from sikumi.monev.models import IndicatorRealisation, QuarterSubmission, Renja, RenjaTarget
from sikumi.monev.reports.builders import E81_COLUMNS, build
from sikumi.plans.models import Indicator

pytestmark = pytest.mark.django_db

BADGE = "Data contoh"


@pytest.fixture
def example_instance(plan, personas, depok):
    cooperatives_demo.generate(count=30, seed=7)
    enterprises_demo.generate(count=60, seed=7)
    monev_demo.generate(seed=2026)
    return plan


def _row(html, name):
    """The heading or table row of the page that names the record."""
    for found in re.finditer(r"<(h1|tr)\b.*?</\1>", html, re.S):
        if name in found.group(0):
            return found.group(0)
    raise AssertionError(f"{name} not in a heading or row")


def test_a_cooperative_entered_through_the_page_is_never_badged(
    example_instance, personas, client_for
):
    client = client_for(personas.kiki)
    response = client.post(
        reverse("cooperatives:create"),
        {
            "name": "Koperasi Warga Nyata Sejahtera",
            "jenis": "konsumen",
            "pola": "konvensional",
            "kelurahan": "32.76.02.1008",
            "owner_unit": personas.unit("bidang-kelembagaan").pk,
        },
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S
    )
    real = Cooperative.objects.get(name="Koperasi Warga Nyata Sejahtera")
    assert real.is_example is False
    detail = client.get(reverse("cooperatives:detail", args=[real.pk])).content.decode()
    assert BADGE not in detail
    listing = client.get(reverse("cooperatives:list"), {"q": "Nyata Sejahtera"}).content.decode()
    assert real.name in listing and BADGE not in _row(listing, real.name)
    # an example cooperative still says what it is
    example = Cooperative.objects.filter(is_example=True).first()
    assert BADGE in client.get(reverse("cooperatives:detail", args=[example.pk])).content.decode()


def test_an_enterprise_entered_through_the_page_is_never_badged(
    example_instance, personas, client_for
):
    client = client_for(personas.sari)
    response = client.post(
        reverse("enterprises:create"),
        {
            "name": "Keripik Nyata Bu Rina",
            "kelurahan": "32.76.06.1001",
            "is_example": "on",  # not a field of the form any more: ignored
            "pemilik-name": "Rina Nyata",
            "pemilik-sex": "P",
        },
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S
    )
    real = Enterprise.objects.get(name="Keripik Nyata Bu Rina")
    assert real.is_example is False
    assert Person.objects.get(name="Rina Nyata").is_example is False
    detail = client.get(reverse("enterprises:detail", args=[real.pk])).content.decode()
    assert BADGE not in _row(detail, real.name)
    listing = client.get(reverse("enterprises:list"), {"q": "Keripik Nyata"}).content.decode()
    assert real.name in listing and BADGE not in _row(listing, real.name)
    example = Enterprise.objects.filter(is_example=True).first()
    page = client.get(reverse("enterprises:detail", args=[example.pk])).content.decode()
    assert BADGE in _row(page, example.name)


def test_a_realisation_entered_in_an_example_renja_is_real_through_every_status(
    example_instance, personas, client_for
):
    renja = Renja.objects.get(plan=example_instance, year=2026)
    assert renja.is_example
    # An indicator without any generated realisation in 2026 (the generator skips those
    # without a target): Putri sets its target, Ani (administrator) reports it for TW IV.
    generated = set(
        IndicatorRealisation.objects.filter(renja=renja).values_list("indicator_id", flat=True)
    )
    ind = (
        Indicator.objects.filter(
            pk__in=RenjaTarget.objects.filter(renja=renja).values("indicator_id")
        )
        .exclude(pk__in=generated)
        .order_by("order")
        .first()
    )
    assert ind is not None
    renja = services.renja_adjust(
        actor=personas.putri,
        renja=renja,
        reason="Target BLUD ditetapkan",
        targets={ind.pk: Decimal(10)},
    )
    assert not RenjaTarget.objects.get(renja=renja, indicator=ind).is_example
    unit = services.responsible_unit(ind.node)
    url = reverse("monev:realisation-quarter", kwargs={"renja_pk": renja.pk, "quarter": 4})
    ani = client_for(personas.ani)
    response = ani.post(url, {"unit": unit.pk, f"i-{ind.pk}-value": "7", f"i-{ind.pk}-note": ""})
    assert response.status_code == 302, re.findall(
        r'class="errors".*?</div>', response.content.decode(), re.S
    )
    row = IndicatorRealisation.objects.get(renja=renja, indicator=ind, quarter=4)
    assert row.is_example is False and row.submission.is_example is False

    def badged_on_the_realisation_page():
        html = ani.get(url).content.decode()
        section = html[html.index(f'id="unit-{unit.pk}"') :]
        section = section[: section.index("</section>")]
        return BADGE in section

    assert not badged_on_the_realisation_page()
    sub = services.submission_submit(actor=personas.ani, submission=row.submission)
    assert not badged_on_the_realisation_page()
    from sikumi.accounts.choices import RoleCode
    from sikumi.core.testing import _user

    sekretaris = _user("sekar", "Sekar", unit.code, RoleCode.PIMPINAN)
    sub = services.submission_verify(actor=sekretaris, submission=sub)
    assert not badged_on_the_realisation_page()
    services.submission_approve(actor=personas.putri, submission=sub)
    assert not badged_on_the_realisation_page()
    assert not QuarterSubmission.objects.get(pk=sub.pk).is_example

    # E.81: the row of the real figure is not an example row; generated rows still are
    report = build("e81", year=2026, plan=example_instance)
    rows = [
        r
        for r in report.tables[0].rows
        if r.cells[E81_COLUMNS["indikator"]].value.startswith(ind.name)
        and r.cells[E81_COLUMNS["12k"]].value == 7
    ]
    assert len(rows) == 1 and not rows[0].example
    assert any(r.example for r in report.tables[0].rows)
    page = client_for(personas.kartika).get("/monev/laporan/e81/?tahun=2026").content.decode()
    html_rows = [
        m.group(0)
        for m in re.finditer(r"<tr class=\"level-[a-z]+[^\"]*\">.*?</tr>", page, re.S)
        if ind.name in m.group(0)
    ]
    real_rows = [r for r in html_rows if "example-row" not in r]
    assert real_rows and all("example-data" not in r for r in real_rows)
    assert "example-row" in page  # the generated rows keep their mark

    # Dashboard: the at-risk row of the real figure carries no badge
    dash = client_for(personas.kartika).get("/monev/dasbor/?tahun=2026").content.decode()
    table = dash[dash.index('id="at-risk"') :]
    table = table[: table.index("</table>")]
    if ind.name in table:
        assert BADGE not in _row(table, ind.name)
    assert BADGE in table  # lagging generated indicators are still labelled
