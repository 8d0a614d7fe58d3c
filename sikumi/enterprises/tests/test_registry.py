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
    person.nik = None  # a NIK would say the sex itself (see the next test)
    person.sex = "P"
    services.person_update(actor=personas.sari, person=person, expected_version=person.version)
    assert Enterprise.objects.get(pk=budi_shop.pk).is_woman_owned


def test_a_sex_that_contradicts_the_nik_is_refused_on_the_form(personas, budi_shop, client_for):
    person = budi_shop.owner
    response = client_for(personas.sari).post(
        reverse("enterprises:person-edit", args=[person.pk]),
        {"nik": person.nik, "name": person.name, "sex": "P", "version": person.version},
    )
    assert "Jenis kelamin tidak sesuai dengan NIK" in response.content.decode()
    person.refresh_from_db()
    assert person.sex == "L"


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


def test_naik_kelas_count_applies_the_rule_of_sikumi_rules(personas, depok):
    """The registry's SQL count and `rules.msme.naik_kelas` never disagree on a business."""
    from sikumi.rules.msme import naik_kelas as rule

    pairs = {
        "mikro-kecil": (1_900_000_000, 2_300_000_000),
        "mikro-menengah": (1_000_000_000, 20_000_000_000),
        "kecil-menengah": (3_000_000_000, 20_000_000_000),
        "batas": (2_000_000_000, 2_000_000_000),
        "tepat-di-atas": (2_000_000_000, 2_000_000_001),
        "turun": (2_300_000_000, 1_900_000_000),
    }
    shops = {}
    for name, (before, after) in pairs.items():
        shops[name] = services.enterprise_create(
            actor=personas.sari,
            enterprise=Enterprise(name=name, kelurahan_id="32.76.01.1006"),
            owner={"nik": None, "name": name, "sex": "L"},
        )
        for year, amount in ((2024, before), (2025, after)):
            EnterpriseTurnover.objects.create(
                enterprise=shops[name], year=year, amount=amount, kecamatan_code="32.76.01"
            )
    counted = {e.name for e in naik_kelas(2025)["enterprises"]}
    assert counted == {name for name, pair in pairs.items() if rule(*pair)}
    assert counted == {"mikro-kecil", "mikro-menengah", "tepat-di-atas"}


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


def _new_business(client, **owner):
    data = {
        "name": "Bengkel Baru",
        "kelurahan": "32.76.03.1012",
        "owner_unit": Enterprise.objects.first().owner_unit_id,
        **{f"pemilik-{k}": v for k, v in owner.items()},
    }
    return client.post(reverse("enterprises:create"), data)


def test_a_nik_held_by_another_person_is_refused_on_the_form_until_confirmed(
    personas, budi_shop, client_for
):
    """The form and the import apply one rule: a NIK never silently joins two people."""
    client = client_for(personas.sari)
    response = _new_business(client, nik=NIK_BUDI, name="Joko Susilo", sex="L")
    assert "sudah terdaftar atas nama Budi Santoso" in response.content.decode()
    assert Enterprise.objects.count() == 1
    # The user says it is the same person: the business joins him and his name is updated.
    response = _new_business(client, nik=NIK_BUDI, name="Budi Santosa", sex="L", same_person="on")
    assert response.status_code == 302
    person = Person.objects.get(nik=NIK_BUDI)
    assert person.name == "Budi Santosa" and person.enterprises.count() == 2


def test_the_same_owner_typed_again_needs_no_confirmation(personas, budi_shop, client_for):
    response = _new_business(client_for(personas.sari), nik=NIK_BUDI, name="budi  santoso")
    assert response.status_code == 302
    assert Person.objects.count() == 1


def test_forms_refuse_a_phone_with_letters_and_a_latitude_out_of_range(
    personas, budi_shop, client_for
):
    client = client_for(personas.sari)
    person = budi_shop.owner
    response = client.post(
        reverse("enterprises:person-edit", args=[person.pk]),
        {
            "nik": person.nik,
            "name": person.name,
            "sex": "L",
            "phone": "08abc",
            "version": person.version,
        },
    )
    assert "Nomor HP &#x27;08abc&#x27; tidak valid" in response.content.decode()
    response = client.post(
        reverse("enterprises:edit", args=[budi_shop.pk]),
        {
            "name": budi_shop.name,
            "kelurahan": budi_shop.kelurahan_id,
            "latitude": "999",
            "owner_unit": budi_shop.owner_unit_id,
            "version": budi_shop.version,
        },
    )
    assert response.status_code == 200
    assert Enterprise.objects.get(pk=budi_shop.pk).latitude is None
