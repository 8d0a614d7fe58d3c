import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sikumi.audit.models import AuditEntry
from sikumi.enterprises import services
from sikumi.enterprises.models import Enterprise, EnterpriseTurnover, Person
from sikumi.enterprises.selectors import naik_kelas, naik_omzet, promise_progress
from sikumi.enterprises.tests.helpers import NIK_BUDI, NIK_SITI

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi_shop(personas, depok):
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


def test_a_new_business_gets_its_derived_fields(budi_shop):
    assert budi_shop.kecamatan_code == "32.76.03"
    assert budi_shop.scale == "mikro"
    assert budi_shop.owner_unit.code == "bidang-pemberdayaan"
    assert not budi_shop.is_woman_owned


def test_staf_of_another_bidang_cannot_edit_an_enterprise(personas, budi_shop, client_for, api_for):
    url = reverse("enterprises:edit", args=[budi_shop.pk])
    assert client_for(personas.wawan).get(url).status_code == 403
    assert client_for(personas.wawan).post(url, {"name": "Diubah"}).status_code == 403
    api = api_for(personas.wawan)
    response = api.patch(f"/api/enterprises/{budi_shop.pk}/", {"name": "Diubah"}, format="json")
    assert response.status_code == 403
    budi_shop.refresh_from_db()
    assert budi_shop.name == "Warung Budi"
    # The owning Bidang may.
    response = api_for(personas.sari).patch(
        f"/api/enterprises/{budi_shop.pk}/",
        {"name": "Warung Budi Jaya", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert Enterprise.objects.get(pk=budi_shop.pk).name == "Warung Budi Jaya"


def test_nik_is_masked_for_a_role_without_need_and_the_full_view_is_recorded(
    personas, budi_shop, client_for, api_for
):
    url = reverse("enterprises:detail", args=[budi_shop.pk])
    html = client_for(personas.kiki).get(url).content.decode()
    assert NIK_BUDI not in html and "3276********0001" in html
    assert "081234567890" not in html
    assert not AuditEntry.objects.filter(personal_data=True).exists()

    html = client_for(personas.sari).get(url).content.decode()
    assert NIK_BUDI in html
    entry = AuditEntry.objects.get(personal_data=True)
    assert entry.actor == personas.sari and entry.object_id == str(budi_shop.owner_id)

    person_url = f"/api/persons/{budi_shop.owner_id}/"
    assert api_for(personas.kiki).get(person_url).json()["nik"] == "3276********0001"
    assert api_for(personas.pandu).get(person_url).json()["nik"] == NIK_BUDI
    assert (
        api_for(personas.pandu).get("/api/persons/").json()["results"][0]["nik"]
        == "3276********0001"
    )
    assert AuditEntry.objects.filter(personal_data=True).count() == 2


def test_the_owner_changing_sex_updates_the_woman_entrepreneur_flag(personas, budi_shop):
    person = budi_shop.owner
    person.sex = "P"
    services.person_update(actor=personas.sari, person=person, expected_version=person.version)
    assert Enterprise.objects.get(pk=budi_shop.pk).is_woman_owned


def test_the_list_filters_and_exports_with_masked_nik(personas, budi_shop, client_for):
    siti = services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(name="Kue Siti", kelurahan_id="32.76.06.1001"),
        owner={"nik": NIK_SITI, "name": "Siti", "sex": "P"},
    )
    # labelled as the example-data generator labels its records (services never do)
    Enterprise.objects.filter(pk=siti.pk).update(is_example=True)
    client = client_for(personas.kiki)
    html = client.get(reverse("enterprises:list"), {"kecamatan": "32.76.06"}).content.decode()
    assert "Kue Siti" in html and "Warung Budi" not in html and "Data contoh" in html
    html = client.get(reverse("enterprises:list"), {"q": "warung"}).content.decode()
    assert "Warung Budi" in html and "Kue Siti" not in html
    response = client.get(reverse("enterprises:list"), {"is_woman_owned": "true", "format": "xlsx"})
    sheet = load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = values.index(next(r for r in values if r[0] == "Nama Usaha"))
    rows = values[header + 1 :]
    assert [r[0] for r in rows] == ["Kue Siti"]
    assert rows[0][2] == "3276********0002"
    assert rows[0][-1] == "Ya"  # Data Contoh


def test_an_export_with_personal_data_is_recorded(personas, budi_shop, client_for):
    response = client_for(personas.sari).get(reverse("enterprises:list"), {"format": "xlsx"})
    b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(action="export_personal", actor=personas.sari).exists()


def test_the_promise_page_links_each_number_to_the_people_behind_it(personas, depok, client_for):
    for name, nik, sex in (("Siti", NIK_SITI, "P"), ("Budi", NIK_BUDI, "L")):
        for shop in ("A", "B"):
            services.enterprise_create(
                actor=personas.sari,
                enterprise=Enterprise(
                    name=f"{shop} {name}",
                    kelurahan_id="32.76.03.1012",
                    is_new_entrepreneur=True,
                    programme_year=2025,
                ),
                owner={"nik": nik, "name": name, "sex": sex},
            )
    client = client_for(personas.kartika)
    html = client.get(reverse("enterprises:promise")).content.decode()
    assert 'id="promise-new" href="/usaha-mikro/pelaku/?janji=true">2<' in html
    assert 'id="promise-women" href="/usaha-mikro/pelaku/?janji=true&amp;perempuan=true">1<' in html
    people = client.get("/usaha-mikro/pelaku/?janji=true&perempuan=true").content.decode()
    assert "Siti" in people and "Budi" not in people and "1 orang" in people


def test_naik_omzet_and_naik_kelas_are_counted_per_year(personas, depok):
    def shop(name, amounts):
        enterprise = services.enterprise_create(
            actor=personas.sari,
            enterprise=Enterprise(name=name, kelurahan_id="32.76.01.1006"),
            owner={"nik": None, "name": name, "sex": "L"},
        )
        for year, amount in amounts.items():
            EnterpriseTurnover.objects.create(
                enterprise=enterprise, year=year, amount=amount, kecamatan_code="32.76.01"
            )
        return enterprise

    grows = shop("Naik", {2024: 100_000_000, 2025: 150_000_000})
    shop("Turun", {2024: 100_000_000, 2025: 90_000_000})
    jumps = shop("Naik Kelas", {2024: 1_900_000_000, 2025: 2_300_000_000})
    shop("Baru", {2025: 50_000_000})
    omzet = naik_omzet(2025)
    assert omzet["count"] == 2 and omzet["baseline"] == 8570
    assert set(omzet["enterprises"]) == {grows, jumps}
    kelas = naik_kelas(2025)
    assert kelas["count"] == 1 and list(kelas["enterprises"]) == [jumps]
    assert {r["code"]: r["count"] for r in kelas["per_kecamatan"]}["32.76.01"] == 1


def test_example_data_is_generated_and_labelled(personas, depok):
    from sikumi.enterprises.demo import generate

    generate(count=300, seed=3)
    assert Enterprise.objects.count() == 300
    assert not Enterprise.objects.filter(is_example=False).exists()
    assert Person.objects.count() < 300  # some people own several businesses
    women = Enterprise.objects.filter(is_woman_owned=True).count()
    assert 30 <= women <= 100
    assert EnterpriseTurnover.objects.filter(year=2020).exists()
    assert promise_progress()["new_entrepreneurs"] > 0
    # Running it again (as `make run` does) adds nothing; a larger count tops up.
    assert "tidak ada yang ditambahkan" in generate(count=300, seed=3)
    generate(count=450, seed=3)
    assert Enterprise.objects.count() == 450
