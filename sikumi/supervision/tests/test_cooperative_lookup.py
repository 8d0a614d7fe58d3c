"""The supervision forms pick the cooperative with a lookup field (a search box), never a select
of every cooperative, and still refuse a cooperative they may not name."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sikumi.cooperatives.models import Cooperative
from sikumi.supervision import services
from sikumi.supervision.models import (
    HealthAssessment,
    Inspection,
    InspectionPlan,
    PlannedInspection,
    Sanction,
    ServiceCase,
)

pytestmark = pytest.mark.django_db

KSP_MESSAGE = (
    "Pilih koperasi simpan pinjam atau koperasi dengan unit simpan pinjam yang terdaftar dan "
    "belum dibubarkan."
)
MESSAGE = "Pilih koperasi yang terdaftar dan belum dibubarkan."


@pytest.fixture
def many(personas):
    """30 cooperatives besides the `ksp` fixture's: a select would list every one of them."""
    return [
        Cooperative.objects.create(
            name=f"Koperasi Uji Lookup {i:02d}", jenis="simpan_pinjam" if i % 2 else "jasa"
        )
        for i in range(30)
    ]


@pytest.fixture
def records(personas, ksp, iusp_case, inspection, assess, example_inputs):
    sanction = services.sanction_save(
        actor=personas.wawan,
        sanction=Sanction(
            cooperative=ksp,
            inspection=inspection,
            kind="teguran_1",
            number="S-1",
            date=dt.date(2026, 6, 1),
            reason="Belum RAT",
        ),
    )
    plan = services.plan_save(
        actor=personas.wawan, plan=InspectionPlan(year=2026, title="Rencana 2026")
    )
    return {
        "case": iusp_case,
        "inspection": inspection,
        "sanction": sanction,
        "plan": plan,
        "assessment": assess(ksp, 2025, example_inputs),
    }


def _field(html: str) -> str:
    """The HTML of the cooperative field's box."""
    match = re.search(r'<input[^>]*name="cooperative".*?</span>', html, re.S)
    assert match, "no cooperative input"
    return match.group(0)


def test_no_supervision_form_lists_the_cooperatives(
    personas, client_for, ksp, many, records, methodologies
):
    pages = [
        ("kiki", "supervision:case-create", [], "cooperative_undissolved", None),
        ("kiki", "supervision:case-edit", [records["case"].pk], "cooperative_undissolved", ksp),
        ("wawan", "supervision:plan-detail", [records["plan"].pk], "cooperative_undissolved", None),
        ("wawan", "supervision:inspection-create", [], "cooperative_undissolved", None),
        (
            "wawan",
            "supervision:inspection-edit",
            [records["inspection"].pk],
            "cooperative_undissolved",
            ksp,
        ),
        ("wawan", "supervision:sanction-create", [], "cooperative_undissolved", None),
        (
            "wawan",
            "supervision:sanction-edit",
            [records["sanction"].pk],
            "cooperative_undissolved",
            ksp,
        ),
        ("wawan", "supervision:assessment-create", [], "cooperative_ksp", None),
        (
            "wawan",
            "supervision:assessment-edit",
            [records["assessment"].pk],
            "cooperative_ksp",
            ksp,
        ),
    ]
    for who, name, args, kind, current in pages:
        client = client_for(personas.kiki if who == "kiki" else personas.wawan)
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<select name="cooperative"' not in html, name
        for cooperative in [ksp, *many]:
            assert f">{cooperative.name}</option>" not in html, name
        for cooperative in many:
            assert cooperative.name not in html, name
        field = _field(html)
        assert f'data-lookup="{kind}"' in field and 'data-lookup-url="/cari/"' in field, name
        if current is not None:  # an edit names the current cooperative beside its id
            assert f'value="{current.pk}"' in field, name
            assert f'<span class="lookup-label" aria-live="polite">{current.name}</span>' in field
        else:
            assert 'aria-live="polite"></span>' in field, name


def test_a_link_preselecting_a_cooperative_names_it(personas, client_for, ksp):
    html = (
        client_for(personas.wawan)
        .get(reverse("supervision:inspection-create") + f"?cooperative={ksp.pk}")
        .content.decode()
    )
    assert f">{ksp.name}</span>" in _field(html)


def test_the_search_finds_the_cooperatives_the_forms_accept(personas, client_for, ksp, many):
    client = client_for(personas.wawan)
    dissolved = many[1]
    dissolved.dissolved_at = dt.date(2025, 1, 1)
    dissolved.save()
    ksp.nik_koperasi = "3276010099001"
    ksp.legal_entity_number = "518/BH/XIII/2015"
    ksp.save()

    def found(kind, q):
        response = client.get(reverse("lookup"), {"jenis": kind, "q": q})
        assert response.status_code == 200
        return [hit["label"] for hit in response.json()["results"]]

    assert found("cooperative_ksp", "ksp mawar") == [ksp.name]
    assert found("cooperative_ksp", "3276010099001") == [ksp.name]
    assert found("cooperative_undissolved", "518/BH") == [ksp.name]
    lookup_names = found("cooperative_undissolved", "Koperasi Uji Lookup 0")
    assert lookup_names == [c.name for c in many[:10] if c != dissolved]
    # Savings-and-loan only for the health assessment: the odd ones.
    assert found("cooperative_ksp", "Uji Lookup 0") == [
        c.name for c in many[:10] if c.jenis == "simpan_pinjam" and c != dissolved
    ]
    # Limited to 20 matches.
    assert len(found("cooperative_undissolved", "uji lookup")) == 20


def test_posting_a_found_id_saves_and_an_id_outside_the_choices_is_refused_by_name(
    personas, client_for, ksp, many, records, methodologies, example_inputs
):
    wawan = client_for(personas.wawan)
    plan_url = reverse("supervision:plan-detail", args=[records["plan"].pk])
    jasa = next(c for c in many if c.jenis == "jasa")
    assert wawan.post(plan_url, {"cooperative": jasa.pk, "quarter": 2}).status_code == 302
    assert PlannedInspection.objects.get().cooperative == jasa

    dissolved = many[3]
    dissolved.dissolved_at = dt.date(2025, 1, 1)
    dissolved.save()
    archived = many[5]
    archived.archived_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    archived.save()
    for refused in (dissolved.pk, archived.pk, 999999):
        response = wawan.post(plan_url, {"cooperative": refused, "quarter": 3})
        assert response.status_code == 200
        assert MESSAGE in response.content.decode()
    assert PlannedInspection.objects.count() == 1

    # The health assessment takes savings-and-loan cooperatives only.
    create = reverse("supervision:assessment-create") + "?method=2016"
    figures = {f"in_{k}": f"{v:,}".replace(",", ".") for k, v in example_inputs.items()}
    data = {"method": "2016", "year": 2024, "assessed_on": "2025-03-10", **figures}
    response = wawan.post(create, {**data, "cooperative": jasa.pk})
    assert response.status_code == 400
    assert KSP_MESSAGE in response.content.decode()
    saved = wawan.post(create, {**data, "cooperative": ksp.pk})
    assert saved.status_code == 302
    assert HealthAssessment.objects.filter(cooperative=ksp, year=2024).exists()

    # A service case.
    kiki = client_for(personas.kiki)
    response = kiki.post(
        reverse("supervision:case-create"),
        {
            "kind": "perubahan_ad",
            "cooperative": dissolved.pk,
            "applicant_name": "Budi",
            "requested_on": "2026-11-02",
        },
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    response = kiki.post(
        reverse("supervision:case-create"),
        {
            "kind": "perubahan_ad",
            "cooperative": jasa.pk,
            "applicant_name": "Budi",
            "requested_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    assert ServiceCase.objects.filter(kind="perubahan_ad", cooperative=jasa).exists()


def test_an_older_record_stays_editable_after_its_cooperative_was_dissolved(
    personas, client_for, ksp, records
):
    inspection = records["inspection"]
    ksp.dissolved_at = dt.date(2026, 9, 1)
    ksp.save()
    client = client_for(personas.wawan)
    url = reverse("supervision:inspection-edit", args=[inspection.pk])
    assert f">{ksp.name}</span>" in _field(client.get(url).content.decode())
    data = {
        "cooperative": ksp.pk,
        "date": "2026-05-04",
        "number": "BA-9",
        "checklist": inspection.checklist_id,
        "summary": "Diperiksa ulang",
        "version": inspection.version,
    }
    for item in inspection.checklist.items.all():
        data[f"answer_{item.pk}"] = "ya"
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.number == "BA-9"
    # A new inspection may not name it any more.
    other = Inspection.objects.count()
    response = client.post(reverse("supervision:inspection-create"), {**data, "version": ""})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert Inspection.objects.count() == other
