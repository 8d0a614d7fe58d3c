"""The derived facts the indicators count (sikumi.enterprises.facts) stay true on every path:
forms and services, the bulk writer (imports, example data) and the revert of a batch."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from sikumi.enterprises import facts, services
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.enterprises.tests.helpers import NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

PERSON_FACTS = (
    "has_business",
    "kecamatan_code",
    "kelurahan_code",
    "business_since",
    "new_entrepreneur_year",
)


def person_facts(nik):
    return Person.objects.filter(nik=nik).values_list(*PERSON_FACTS).get()


def snapshot():
    people = {p[0]: p[1:] for p in Person.objects.values_list("pk", *PERSON_FACTS)}
    turnovers = {
        t[0]: t[1:]
        for t in EnterpriseTurnover.objects.values_list(
            "pk", "grew", "kecamatan_code", "kelurahan_code"
        )
    }
    return people, turnovers


OWNERS = {NIK_SITI: "Siti"}


def shop(actor, name, nik, kelurahan="32.76.03.1012", **fields):
    return services.enterprise_create(
        actor=actor,
        enterprise=Enterprise(name=name, kelurahan_id=kelurahan, **fields),
        owner={"nik": nik, "name": OWNERS.get(nik, name), "sex": "P"},
    )


def test_a_person_is_placed_at_their_first_business_with_their_earliest_start(personas, depok):
    sari = personas.sari
    first = shop(sari, "Kue Siti", NIK_SITI, start_date=dt.date(2022, 1, 5))
    assert person_facts(NIK_SITI) == (True, "32.76.03", "32.76.03.1012", dt.date(2022, 1, 5), None)
    shop(
        sari,
        "Katering Siti",
        NIK_SITI,
        kelurahan="32.76.01.1006",
        start_date=dt.date(2021, 7, 1),
        is_new_entrepreneur=True,
        programme_year=2024,
    )
    assert person_facts(NIK_SITI) == (True, "32.76.03", "32.76.03.1012", dt.date(2021, 7, 1), 2024)
    # A business without a start date: the person counts from any date on.
    third = shop(sari, "Jahit Siti", NIK_SITI, is_new_entrepreneur=True, programme_year=2022)
    assert person_facts(NIK_SITI)[3:] == (None, 2022)
    services.enterprise_archive(actor=sari, enterprise=third)
    services.enterprise_archive(actor=sari, enterprise=first)
    # Placed at the remaining business now.
    assert person_facts(NIK_SITI) == (True, "32.76.01", "32.76.01.1006", dt.date(2021, 7, 1), 2024)


def test_editing_a_business_moves_its_owner_and_its_turnover(personas, depok):
    sari = personas.sari
    business = shop(sari, "Kue Siti", NIK_SITI)
    services.turnover_set(actor=sari, enterprise=business, year=2024, amount=Decimal(100))
    business.kelurahan_id = "32.76.01.1006"
    services.enterprise_update(actor=sari, enterprise=business, expected_version=business.version)
    assert person_facts(NIK_SITI)[1:3] == ("32.76.01", "32.76.01.1006")
    turnover = EnterpriseTurnover.objects.get(enterprise=business)
    assert (turnover.kecamatan_code, turnover.kelurahan_code) == ("32.76.01", "32.76.01.1006")


def test_naik_omzet_follows_each_turnover_and_the_business(personas, depok):
    sari = personas.sari
    business = shop(sari, "Kue Siti", NIK_SITI)

    def grew(year):
        return EnterpriseTurnover.objects.get(enterprise=business, year=year).grew

    services.turnover_set(actor=sari, enterprise=business, year=2025, amount=Decimal(150))
    assert grew(2025) is False  # nothing to compare with
    services.turnover_set(actor=sari, enterprise=business, year=2024, amount=Decimal(100))
    assert (grew(2024), grew(2025)) == (False, True)
    services.turnover_set(actor=sari, enterprise=business, year=2024, amount=Decimal(200))
    assert grew(2025) is False
    services.turnover_set(actor=sari, enterprise=business, year=2024, amount=Decimal(120))
    assert grew(2025) is True
    services.enterprise_archive(actor=sari, enterprise=business)
    assert grew(2025) is False  # an archived business is not counted


def run_import(path):
    out = StringIO()
    call_command("import_enterprises", str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_an_import_and_its_revert_keep_the_facts(personas, depok, tmp_path):
    from sikumi.imports.services import batch_revert

    shop(personas.sari, "Kue Siti", NIK_SITI, start_date=dt.date(2023, 2, 1))
    before = person_facts(NIK_SITI)
    report = run_import(
        write_xlsx(
            tmp_path / "pendataan.xlsx",
            [
                # An existing person's second business, new entrepreneur in 2023, earlier start.
                row(
                    "Katering Siti",
                    "Siti",
                    NIK_SITI,
                    "P",
                    start=dt.date(2020, 1, 1),
                    wub="Ya",
                    year=2023,
                ),
                row("Warung Budi", "Budi", NIK_BUDI, wub="Ya", year=2024),
                row("Bengkel Budi", "Budi", NIK_BUDI, kelurahan="Pasir Putih", wub="Ya", year=2022),
            ],
        )
    )
    assert report["errors"] == [] and report["duplicates"] == [], report
    assert person_facts(NIK_SITI) == (True, "32.76.03", "32.76.03.1012", dt.date(2020, 1, 1), 2023)
    budi = person_facts(NIK_BUDI)
    first_budi = Enterprise.objects.get(name="Warung Budi")
    assert budi == (
        True,
        first_budi.kecamatan_code,
        first_budi.kelurahan_id,
        dt.date(2022, 3, 1),
        2022,
    )
    # The bulk writer and the SQL of the services agree.
    written = snapshot()
    facts.refresh_people(None)
    facts.refresh_turnovers(None)
    assert snapshot() == written
    batch_revert(actor=personas.sari, batch=ImportBatch.objects.get(pk=report["batch"]))
    assert person_facts(NIK_SITI) == before
    assert not Person.objects.filter(nik=NIK_BUDI).exists()


def test_example_data_is_written_with_the_same_facts_the_services_compute(personas, depok):
    from sikumi.enterprises.demo import generate

    generate(count=400, seed=5)
    written = snapshot()
    assert EnterpriseTurnover.objects.filter(grew=True).exists()
    assert Person.objects.filter(new_entrepreneur_year__isnull=False).exists()
    facts.refresh_people(None)
    facts.refresh_turnovers(None)
    assert snapshot() == written
