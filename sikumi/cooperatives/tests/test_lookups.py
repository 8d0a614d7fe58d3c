"""Finding a cooperative for a lookup field: by name prefix (then a word inside the name), NIK
Koperasi or legal-entity number, only for the Dinas' staff."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from sikumi.accounts.models import User
from sikumi.cooperatives import selectors
from sikumi.cooperatives.lookups import matching_q
from sikumi.cooperatives.models import Cooperative
from sikumi.core import lookups

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(personas):
    make = Cooperative.objects.create
    return {
        "mawar": make(
            name="Koperasi Simpan Pinjam Mawar Sejahtera",
            jenis="simpan_pinjam",
            nik_koperasi="3276010020001",
            legal_entity_number="AHU-0001234.AH.01.29.TAHUN 2019",
            kelurahan_id="32.76.03.1012",
        ),
        "melati": make(name="KSU Melati Jaya", jenis="jasa", has_usp=True),
        "mangga": make(name="Koperasi Mangga Dua", jenis="konsumen"),
        "markisa": make(name="Koperasi Markisa", jenis="jasa", dissolved_at=dt.date(2024, 5, 1)),
        "lama": make(
            name="Koperasi Mawar Lama",
            jenis="jasa",
            archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        ),
    }


def _names(kind, query, user):
    return [hit.label for hit in lookups.search(kind, query, user=user)]


def test_a_cooperative_is_found_by_the_start_of_its_name_without_its_legal_form(registry, personas):
    sari = personas.sari
    assert _names("cooperative", "mawar", sari) == ["Koperasi Simpan Pinjam Mawar Sejahtera"]
    # "KSP" and "Koperasi" are legal-form words: the name key is "mawar sejahtera".
    assert _names("cooperative", "KSP Mawar Sej", sari) == [
        "Koperasi Simpan Pinjam Mawar Sejahtera"
    ]
    assert _names("cooperative", "ma", sari) == [
        "Koperasi Mangga Dua",
        "Koperasi Markisa",
        "Koperasi Simpan Pinjam Mawar Sejahtera",
    ]
    # Words inside a name come after the names that start with the query.
    assert _names("cooperative", "sejahtera", sari) == ["Koperasi Simpan Pinjam Mawar Sejahtera"]
    assert _names("cooperative", "dua", sari) == ["Koperasi Mangga Dua"]
    assert _names("cooperative", "ar", sari) == [
        "Koperasi Markisa",
        "Koperasi Simpan Pinjam Mawar Sejahtera",
    ]
    assert _names("cooperative", "Koperasi", sari) == []  # only legal-form words
    hit = lookups.search("cooperative", "mawar", user=sari)[0]
    assert hit.kind == "cooperative" and hit.id == registry["mawar"].pk
    assert "Simpan Pinjam" in hit.detail and "NIK Koperasi 3276010020001" in hit.detail
    markisa = lookups.search("cooperative", "markisa", user=sari)[0]
    assert markisa.detail.endswith("dibubarkan")


def test_a_cooperative_is_found_by_its_nik_koperasi_or_legal_entity_number(registry, personas):
    sari = personas.sari
    assert _names("cooperative", "3276010020001", sari) == [registry["mawar"].name]
    assert _names("cooperative", "327601002000", sari) == []  # the NIK Koperasi is exact
    assert _names("cooperative", "AHU-0001234", sari) == [registry["mawar"].name]
    assert _names("cooperative", "ahu-0001234.ah", sari) == [registry["mawar"].name]


def test_the_supervision_kinds_leave_out_dissolved_and_non_savings_cooperatives(registry, personas):
    sari = personas.sari
    assert _names("cooperative_undissolved", "ma", sari) == [
        "Koperasi Mangga Dua",
        "Koperasi Simpan Pinjam Mawar Sejahtera",
    ]
    assert _names("cooperative_ksp", "m", sari) == []  # too short
    assert _names("cooperative_ksp", "me", sari) == ["KSU Melati Jaya"]  # with a USP
    assert _names("cooperative_ksp", "ma", sari) == ["Koperasi Simpan Pinjam Mawar Sejahtera"]
    assert set(selectors.choosable(savings_and_loan=True)) == {
        registry["mawar"],
        registry["melati"],
    }
    assert registry["markisa"] not in selectors.choosable()


def test_only_the_dinas_staff_may_search_cooperatives(registry, personas, client_for):
    outsider = User.objects.create_user(username="tamu", password="x")
    assert lookups.search("cooperative", "mawar", user=outsider) == []
    url = reverse("lookup")
    for kind in ("cooperative", "cooperative_undissolved", "cooperative_ksp", "official"):
        assert client_for(outsider).get(url, {"jenis": kind, "q": "mawar"}).status_code == 403
    answer = client_for(personas.kiki).get(url, {"jenis": "cooperative_ksp", "q": "AHU-0001234"})
    assert answer.status_code == 200
    assert answer.json()["results"] == [
        {
            "id": registry["mawar"].pk,
            "label": "Koperasi Simpan Pinjam Mawar Sejahtera",
            "detail": answer.json()["results"][0]["detail"],
            "example": False,
        }
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_on_postgresql_every_search_condition_can_use_an_index(registry):
    """With sequential scans off, the plan reaches the matching rows through the indexes only:
    a condition no index serves would force a sequential scan. (On 10.000 cooperatives the
    planner picks these indexes by itself: a BitmapOr of index scans.)"""
    from django.db import connection as conn

    with conn.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for query, indexes in [
        ("KSP Mawar", ["cooperative_namekey_prefix_idx"]),
        (
            "3276010020001",
            [
                "cooperative_namekey_prefix_idx",
                "cooperative_nik_koperasi_unique",
                "cooperative_legal_no_idx",
            ],
        ),
        ("AHU-0001234", ["cooperative_namekey_prefix_idx", "cooperative_legal_no_idx"]),
    ]:
        plan = Cooperative.objects.filter(matching_q(query)).explain()
        assert "Seq Scan" not in plan, plan
        # A range on the index, not a scan of all of it.
        assert "(name_key)::text ~>=~" in plan, plan
        for index in indexes:
            assert index in plan, plan
