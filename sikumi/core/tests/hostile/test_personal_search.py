"""Confirming a full NIK by searching (issue 15, item 6): only roles that see NIKs unmasked may
search by one; such a search is recorded and limited per user."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

NIK = "3276011203850001"
OTHER = "3276011203850009"  # nobody's


@pytest.fixture
def budi(personas, depok):
    from sikumi.enterprises import services
    from sikumi.enterprises.models import Enterprise

    enterprise = services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(
            name="Warung Budi", kelurahan_id="32.76.03.1012", capital=Decimal("1000000")
        ),
        owner={"nik": NIK, "name": "Budi Santoso", "sex": "L", "phone": "081234567890"},
    )
    return enterprise.owner


def _searches(user):
    return AuditEntry.objects.filter(
        actor=user, personal_data=True, object_repr="Pencarian dengan NIK atau nomor HP"
    )


def _api(api_for, user, q):
    return api_for(user).get("/api/persons/", {"q": q})


def _page(client_for, user, q):
    return client_for(user).get(reverse("enterprises:persons"), {"q": q})


def _lookup(client_for, user, kind, q):
    return client_for(user).get(reverse("lookup"), {"jenis": kind, "q": q})


@pytest.mark.parametrize("name", ["putri", "wawan", "kiki", "wulan"])
def test_roles_that_see_masked_niks_cannot_confirm_one(name, personas, budi, api_for, client_for):
    user = getattr(personas, name)
    hit, miss = _api(api_for, user, NIK).json(), _api(api_for, user, OTHER).json()
    assert hit["count"] == 0 and hit == miss  # the same answer: nothing is confirmed
    assert "Budi" not in _page(client_for, user, NIK).content.decode()
    for kind in ("person", "enterprise"):
        assert _lookup(client_for, user, kind, NIK).json()["results"] == []
    # By name they still find Budi, with only the NIK's last digits.
    found = _lookup(client_for, user, "person", "budi").json()["results"]
    assert [r["detail"] for r in found] == ["•••• 0001 · Kedaung"]


@pytest.mark.parametrize("name", ["sari", "pandu", "kartika", "aulia"])
def test_roles_that_see_niks_search_by_one_and_it_is_recorded(
    name, personas, budi, api_for, client_for
):
    user = getattr(personas, name)
    assert _api(api_for, user, NIK).json()["results"][0]["name"] == "Budi Santoso"
    assert "Budi Santoso" in _page(client_for, user, NIK).content.decode()
    assert _lookup(client_for, user, "person", NIK).json()["results"][0]["label"] == "Budi Santoso"
    assert _lookup(client_for, user, "enterprise", NIK).json()["results"][0]["label"] == (
        "Warung Budi"
    )
    entries = _searches(user)
    assert entries.count() == 4
    # The trail says what was searched without the number in full.
    assert {e.note for e in entries} == {"Pencarian dengan NIK atau nomor HP: 3276********0001"}


def test_an_officials_nik_search_is_only_for_those_who_may_see_it(personas, depok, client_for):
    from sikumi.cooperatives import services
    from sikumi.cooperatives.models import Cooperative, CooperativeOfficial

    coop = services.cooperative_create(
        actor=personas.kiki,
        cooperative=Cooperative(
            name="Koperasi Maju",
            jenis="simpan_pinjam",
            kelurahan_id="32.76.02.1008",
            owner_unit=personas.unit("bidang-kelembagaan"),
        ),
    )
    CooperativeOfficial.objects.create(
        cooperative=coop, name="Ibu Ketua", role="pengurus", nik="3276014501900001"
    )
    assert _lookup(client_for, personas.sari, "official", "3276014501900001").json() == {
        "results": []
    }
    found = _lookup(client_for, personas.kiki, "official", "3276014501900001").json()
    assert [r["label"] for r in found["results"]] == ["Ibu Ketua"]


def test_nik_searches_are_limited_per_user_with_a_clear_message(
    personas, budi, api_for, client_for, settings
):
    settings.SIKUMI_PERSONAL_SEARCH_MAX = 3
    for _ in range(3):
        assert _api(api_for, personas.sari, OTHER).status_code == 200
    api = _api(api_for, personas.sari, NIK)
    assert api.status_code == 429
    assert "Terlalu banyak pencarian dengan NIK" in api.json()["detail"]
    page = _page(client_for, personas.sari, NIK)
    assert page.status_code == 429
    assert "Terlalu banyak pencarian dengan NIK" in page.content.decode()
    assert "Budi" not in page.content.decode()
    lookup = _lookup(client_for, personas.sari, "person", NIK)
    assert lookup.status_code == 429 and lookup.json()["results"] == []
    assert "Terlalu banyak pencarian" in lookup.json()["error"]
    # Another user has a limit of their own; searches by name are not limited.
    assert _api(api_for, personas.pandu, NIK).json()["count"] == 1
    assert _lookup(client_for, personas.sari, "person", "budi").status_code == 200
    assert _searches(personas.sari).count() == 3
