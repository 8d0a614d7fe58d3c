"""Adding a training's participants from a pasted list of NIKs: the preview (found, not in
the registry, invalid, registered already), the one-transaction add, the personal-data rules."""

import datetime as dt

import pytest
from django.urls import reverse

from sikumi.activities.models import Training, TrainingParticipant
from sikumi.activities.selectors import pasted_numbers
from sikumi.audit.models import AuditEntry
from sikumi.core.personal_search import SEARCH_WHAT
from sikumi.enterprises.models import Person

from .conftest import KEDAUNG

SITI = "3276034506850001"  # in the world fixture
BUDI = "3276061203800002"  # in the world fixture
NEW = "3276014506900003"  # valid, nobody holds it (a woman: day 45)


def test_a_pasted_list_is_split_like_an_excel_column():
    pasted = "NIK\tNama\n1\t3276034506850001\tSiti Aminah\n3276061203800002, 3276014506900003;12"
    lines = pasted_numbers(pasted)
    assert [line.value for line in lines] == [SITI, BUDI, NEW, "12"]
    # The name copied beside a NIK travels with it; the row number "1" is no NIK.
    assert lines[0].words == "Siti Aminah"
    assert lines[1].words == ""
    # Excel's scientific notation stays one value (and is refused with its reason later).
    assert [line.value for line in pasted_numbers("3,27603E+15")] == ["3,27603E+15"]


def _paste(client, training, text, step="periksa", **names):
    data = {"daftar": text, "langkah": step}
    data.update({f"nama-{nik}": name for nik, name in names.items()})
    return client.post(reverse("activities:participant-paste", args=[training.pk]), data)


def _searches(user):
    return AuditEntry.objects.filter(actor=user, personal_data=True, object_repr=SEARCH_WHAT)


pytestmark = pytest.mark.django_db


def test_the_preview_sorts_the_list_then_one_click_adds_everyone(personas, world, client_for):
    siti, budi = world.persons[0], world.persons[1]
    Person.objects.filter(pk=siti.pk).update(kelurahan_code=KEDAUNG, birth_date=dt.date(1985, 6, 5))
    TrainingParticipant.objects.create(training=world.training, person=budi)
    client = client_for(personas.sari)
    text = f"{SITI}\n{BUDI}\n{NEW}\t Dewi Kartika\n12345\n3276999999990001\n{SITI}"

    preview = _paste(client, world.training, text)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="count-found">1<' in html and 'id="count-unknown">1<' in html
    assert 'id="count-invalid">2<' in html and 'id="count-registered">1<' in html
    # Found: the name, the NIK masked, the kelurahan and birth year that tell namesakes apart.
    assert "Siti Aminah" in html and "3276********0001" in html
    assert "Kedaung" in html and "1985" in html
    # Invalid, each with its reason (the import's NIK column: same messages as an upload).
    assert "NIK harus 16 digit angka (terisi 5 karakter)" in html
    assert "Bulan lahir pada NIK (99) tidak valid" in html
    # Not in the registry: the name pasted beside it is offered for the new person.
    assert f'name="nama-{NEW}" value="Dewi Kartika"' in html
    assert "Tambahkan 2 peserta" in html
    # Looking the NIKs up was one recorded search, with every NIK masked.
    [search] = _searches(personas.sari)
    assert "3276********0001" in search.note and SITI not in search.note
    assert TrainingParticipant.objects.filter(training=world.training).count() == 1  # nothing yet

    done = _paste(client, world.training, text, step="tambah", **{NEW: "Dewi Kartika"})
    assert done.status_code == 302
    page = client.get(done.url).content.decode()
    assert "2 peserta ditambahkan." in page
    assert "1 orang baru ditambahkan ke data pelaku usaha." in page
    assert "Siti Aminah" in page and "Dewi Kartika" in page and "Peserta (3)" in page
    dewi = Person.objects.get(nik=NEW)
    assert dewi.name == "Dewi Kartika" and dewi.sex == "P"  # the sex the NIK encodes
    # One audit entry per record written.
    created = AuditEntry.objects.filter(action="create", actor=personas.sari)
    assert created.filter(content_type__model="trainingparticipant").count() == 2
    assert created.filter(content_type__model="person", object_id=str(dewi.pk)).count() == 1


def test_an_empty_name_skips_a_nik_nobody_holds(personas, world, client_for):
    client = client_for(personas.sari)
    done = _paste(client, world.training, f"{SITI} {NEW}", step="tambah", **{NEW: ""})
    assert done.status_code == 302
    assert list(
        TrainingParticipant.objects.filter(training=world.training).values_list(
            "person__name", flat=True
        )
    ) == ["Siti Aminah"]
    assert not Person.objects.filter(nik=NEW).exists()


def test_another_bidang_pastes_full_niks_and_sees_them_masked(personas, world, client_for):
    """Kiki (kelembagaan) sees the pemberdayaan registry's NIKs masked; she typed the NIKs
    of her own training's participants, so they are matched, and shown masked."""
    training = Training.objects.create(
        topic="Diklat perkoperasian",
        kind="diklat",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 4, 2),
        place="Balatkop",
        target_group="koperasi",
        year=2026,
        owner_unit=personas.unit("bidang-kelembagaan"),
    )
    client = client_for(personas.kiki)
    html = _paste(client, training, f"{SITI}\n{NEW}").content.decode()
    assert "Siti Aminah" in html and "3276********0001" in html
    # The full NIK of the matched person appears nowhere (not even in the textarea's echo
    # beside her row: only the list she typed is echoed back to her).
    assert html.count(SITI) == 1
    # She may not add people to another Bidang's registry: the unknown NIK is skipped.
    assert "Dilewati" in html and f'name="nama-{NEW}"' not in html
    done = _paste(client, training, f"{SITI}\n{NEW}", step="tambah", **{NEW: "Orang Baru"})
    assert done.status_code == 302
    assert [p.person.name for p in training.participants.all()] == ["Siti Aminah"]
    assert not Person.objects.filter(nik=NEW).exists()


def test_staf_of_another_bidang_cannot_paste_into_a_training(personas, world, client_for):
    response = _paste(client_for(personas.wawan), world.training, SITI, step="tambah")
    assert response.status_code == 403
    assert not TrainingParticipant.objects.exists()
    assert not _searches(personas.wawan).exists()


def test_the_nik_search_limit_applies_to_pasted_lists(personas, world, client_for, settings):
    settings.SIKUMI_PERSONAL_SEARCH_MAX = 1
    client = client_for(personas.sari)
    assert _paste(client, world.training, SITI).status_code == 200
    refused = _paste(client, world.training, SITI, step="tambah")
    assert refused.status_code == 429
    assert "Terlalu banyak pencarian dengan NIK" in refused.content.decode()
    assert not TrainingParticipant.objects.exists()


def test_a_list_longer_than_the_limit_is_refused_whole(personas, world, client_for, monkeypatch):
    from sikumi.activities import selectors

    monkeypatch.setattr(selectors, "MAX_PASTE", 1)
    client = client_for(personas.sari)
    html = _paste(client, world.training, f"{SITI} {BUDI}").content.decode()
    assert "Daftar memuat lebih dari 1 NIK" in html and "Tambahkan" not in html.split("</h2>")[-1]
    assert _paste(client, world.training, f"{SITI} {BUDI}", step="tambah").status_code == 200
    assert not TrainingParticipant.objects.exists()


@pytest.fixture
def event(world):
    from sikumi.activities.models import PromotionEvent

    return PromotionEvent.objects.create(
        kind="pameran",
        name="Pameran Produk Depok",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
        place="Balai Kota",
        organiser="Dinas",
        owner_unit=world.training.owner_unit,
    )


def test_a_promotion_event_takes_a_pasted_list_of_nibs_and_owner_niks(
    personas, world, event, client_for
):
    from sikumi.activities.models import EventParticipant
    from sikumi.enterprises.models import Enterprise

    keripik, batik = world.enterprises
    second = Enterprise.objects.create(
        name="Kedai Budi",
        owner=world.persons[1],
        kelurahan=batik.kelurahan,
        owner_unit=keripik.owner_unit,
    )
    client = client_for(personas.sari)
    url = reverse("activities:eventparticipant-paste", args=[event.pk])
    # Keripik by its NIB and again by Siti's NIK (one business); Budi owns two businesses.
    text = f"1234567890123\n{SITI}\n{BUDI}\n9999999999999\n12345"
    html = client.post(url, {"daftar": text, "langkah": "periksa"}).content.decode()
    assert 'id="count-found">1<' in html and "Keripik Bu Siti" in html
    assert 'id="count-several">1<' in html and "Batik Beji" in html and "Kedai Budi" in html
    assert "3276********0002" in html and BUDI not in html.split("</textarea>")[1]
    assert 'id="count-unknown">1<' in html and "9999999999999" in html
    assert "Tulis NIB usaha (13 digit) atau NIK pemiliknya (16 digit)" in html
    assert _searches(personas.sari).count() == 1  # the NIKs, looked up as one search

    done = client.post(url, {"daftar": text, "langkah": "tambah"})
    assert done.status_code == 302
    assert [p.enterprise for p in EventParticipant.objects.filter(event=event)] == [keripik]
    assert (
        AuditEntry.objects.filter(action="create", content_type__model="eventparticipant").count()
        == 1
    )
    again = client.post(url, {"daftar": "1234567890123", "langkah": "periksa"}).content.decode()
    assert 'id="count-registered">1<' in again and "Tambahkan" not in again.split("<h2>")[-1]
    assert second.pk  # Budi's second business stays out until its NIB is pasted
