"""The region pickers and the region API: Depok's kelurahan offered by kecamatan code, and the
Kemendagri codes filtered by level and parent."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_kecamatan_offers_only_its_own_kelurahan_named_with_the_kecamatan(
    depok, personas, client_for
):
    client = client_for(personas.sari)
    rows = client.get(reverse("regions:kelurahan-options"), {"kecamatan": "32.76.03"}).json()
    names = [row["name"] for row in rows["results"]]
    assert "Kedaung (Sawangan)" in names
    assert all(row["code"].startswith("32.76.03.") for row in rows["results"])
    everything = client.get(reverse("regions:kelurahan-options")).json()["results"]
    assert len(everything) == 63


def test_the_kelurahan_picker_needs_a_login(depok, client):
    response = client.get(reverse("regions:kelurahan-options"))
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_the_region_api_filters_by_level_and_parent(depok, personas, api_for):
    api = api_for(personas.sari)
    body = api.get("/api/regions/", {"level": 3, "parent": "32.76"}).json()
    assert body["count"] == 11
    assert {row["level"] for row in body["results"]} == {3}
    kedaung = api.get("/api/regions/32.76.03.1012/").json()
    assert (kedaung["name"], kedaung["parent"]) == ("Kedaung", "32.76.03")
