import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from sikumi.activities import selectors
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def example_world(personas, depok):
    """A small example registry (the registries' own generators are tested by their apps)."""
    from sikumi.cooperatives.models import Cooperative, CooperativeOfficial
    from sikumi.enterprises.models import Enterprise, Person
    from sikumi.regions.selectors import kelurahan_list

    unit = personas.unit("bidang-pemberdayaan")
    kelurahan = list(kelurahan_list())
    persons = Person.objects.bulk_create(
        Person(name=f"Warga {i} (contoh)", sex="LP"[i % 2], owner_unit=unit, is_example=True)
        for i in range(120)
    )
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"Usaha {i} (contoh)",
            owner=persons[i % 100],  # some people own two businesses
            kelurahan=kelurahan[i % len(kelurahan)],
            kecamatan_code=kelurahan[i % len(kelurahan)].code[:8],
            owner_unit=unit,
            is_example=True,
        )
        for i in range(150)
    )
    cooperatives = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Koperasi {i} (contoh)",
            jenis="konsumen",
            kelurahan=kelurahan[i * 3 % len(kelurahan)],
            kecamatan_id=kelurahan[i * 3 % len(kelurahan)].code[:8],
            owner_unit=personas.unit("bidang-kelembagaan"),
            is_example=True,
        )
        for i in range(30)
    )
    CooperativeOfficial.objects.bulk_create(
        CooperativeOfficial(
            cooperative=cooperatives[i % 30], role="pengurus", name=f"Pengurus {i}", is_example=True
        )
        for i in range(90)
    )


def test_the_example_data_is_realistic_labelled_and_generated_only_once(
    example_world, personas, client_for
):
    from sikumi.activities.demo import generate

    summary = generate(seed=2026)
    assert "pelatihan" in summary
    counts = {
        model: model.objects.count()
        for model in (
            Training,
            TrainingParticipant,
            Product,
            LegalityApplication,
            Curation,
            PromotionEvent,
            EventParticipant,
            FinancingFacilitation,
            Partnership,
        )
    }
    assert all(counts.values()), counts
    assert not Training.objects.filter(is_example=False).exists()
    assert Training.objects.filter(place__icontains="Balatkop").exists()
    assert set(Training.objects.values_list("year", flat=True)) == set(range(2021, 2027))
    # Participants come from the example registries.
    assert TrainingParticipant.objects.filter(enterprise__is_example=True).exists()
    assert TrainingParticipant.objects.filter(official__is_example=True).exists()
    # Some certificates run out soon; the page lists them, with the example badge.
    soon = selectors.expiring_certificates(user=personas.sari)
    assert soon.exists()
    page = client_for(personas.sari).get(reverse("activities:legality-expiring"))
    assert 'class="example-data"' in page.content.decode()
    # Officials certified and cooperatives trained are counted, per kecamatan adding up.
    for year in range(2021, 2026):
        for tally in (
            selectors.certified_officials(year),
            selectors.trained_cooperatives(year),
            selectors.participants(year),
            selectors.event_participants(year),
            selectors.financing(year),
        ):
            assert sum(tally.by_kecamatan.values()) == tally.total
    assert selectors.certified_officials(2025).total > 0

    again = generate(seed=2026)
    assert "tidak ada yang diubah" in again
    assert Training.objects.count() == counts[Training]
    assert TrainingParticipant.objects.count() == counts[TrainingParticipant]


def test_every_list_page_and_its_export_answer(example_world, personas, client_for):
    from sikumi.activities.demo import generate

    generate(seed=1)
    client = client_for(personas.kartika)
    for name in [
        "product",
        "legality",
        "training",
        "participant",
        "curation",
        "event",
        "eventparticipant",
        "financing",
        "partnership",
    ]:
        url = reverse(f"activities:{name}-list")
        page = client.get(url)
        assert page.status_code == 200, name
        assert 'class="example-data"' in page.content.decode(), name
        assert client.get(url, {"year": "abc", "q": "x"}).status_code == 200
        export = client.get(url, {"ekspor": "xlsx"})
        assert export.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
        header = [cell.value for cell in sheet[4]]
        assert "Data contoh" in header, name
        assert sheet.cell(row=5, column=header.index("Data contoh") + 1).value == "Ya", name


def test_detail_and_edit_pages_answer(example_world, personas, client_for):
    from sikumi.activities.demo import generate

    generate(seed=3)
    client = client_for(personas.ani)
    for key, model in [
        ("product", Product),
        ("legality", LegalityApplication),
        ("training", Training),
        ("curation", Curation),
        ("event", PromotionEvent),
        ("financing", FinancingFacilitation),
        ("partnership", Partnership),
    ]:
        obj = model.objects.first()
        assert obj is not None
        assert client.get(reverse(f"activities:{key}-detail", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"activities:{key}-edit", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"activities:{key}-create")).status_code == 200
    assert client.get(reverse("activities:overview")).status_code == 200
    assert (
        client.get(reverse("activities:lookup"), {"jenis": "enterprise", "q": "wa"}).status_code
        == 200
    )


def test_a_business_financing_amount_is_masked_for_another_bidang_and_full_views_are_logged(
    personas, world, client_for, api_for
):
    financing = FinancingFacilitation.objects.create(
        enterprise=world.enterprises[0],
        lender="Bank BJB",
        scheme="kur",
        amount=Decimal("25000000"),
        date=dt.date(2026, 4, 1),
        status="dicairkan",
        owner_unit=personas.unit("bidang-pemberdayaan"),
    )
    url = reverse("activities:financing-detail", args=[financing.pk])
    kiki = client_for(personas.kiki).get(url).content.decode()
    assert "25.000.000" not in kiki and "••••••" in kiki
    assert api_for(personas.kiki).get(f"/api/financing/{financing.pk}/").json()["amount"] is None
    assert not AuditEntry.objects.filter(personal_data=True).exists()
    sari = client_for(personas.sari).get(url).content.decode()
    assert "Rp 25.000.000" in sari
    entry = AuditEntry.objects.get(personal_data=True)
    assert entry.actor == personas.sari and entry.object_id == str(financing.pk)
    # The yearly figure (an aggregate) is the same for everyone.
    assert selectors.financing(2026).amount == Decimal("25000000")


def test_event_participants_and_sales_add_up_per_kecamatan(personas, world, client_for):
    event = PromotionEvent.objects.create(
        kind="pameran",
        name="Pameran Produk Unggulan",
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2026, 8, 3),
        place="Margo City",
        organiser="DKUM",
        owner_unit=personas.unit("bidang-pemberdayaan"),
    )
    client = client_for(personas.sari)
    add = reverse("activities:eventparticipant-add", args=[event.pk])
    assert (
        client.post(
            add, {"ep-enterprise": world.enterprises[0].pk, "ep-sales": "1500000"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            add, {"ep-enterprise": world.enterprises[1].pk, "ep-sales": "2500000"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            add, {"ep-cooperative": world.cooperatives[2].pk, "ep-sales": "1000000"}
        ).status_code
        == 302
    )
    refused = client.post(add, {"ep-sales": "5"})
    assert refused.status_code == 400 and "Pilih usaha atau koperasi" in refused.content.decode()
    tally = selectors.event_participants(2026)
    assert tally.total == 3
    assert tally.amount == Decimal("5000000")
    assert tally.amount_by_kecamatan == {
        "32.76.03": Decimal("1500000"),
        "32.76.06": Decimal("2500000"),
        "": Decimal("1000000"),
    }
    assert selectors.events(2026).total == 1
    assert (
        AuditEntry.objects.filter(content_type__model="eventparticipant", action="create").count()
        == 3
    )
    # Another Bidang cannot add to it.
    assert (
        client_for(personas.wawan).post(add, {"ep-enterprise": world.enterprises[0].pk}).status_code
        == 403
    )
