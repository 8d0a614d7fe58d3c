import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sikumi.activities import selectors, services
from sikumi.activities.models import Training, TrainingParticipant
from sikumi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(training, **changes):
    data = {
        "topic": training.topic,
        "kind": training.kind,
        "organiser": training.organiser,
        "starts_on": training.starts_on.isoformat(),
        "ends_on": training.ends_on.isoformat(),
        "place": training.place,
        "target_group": training.target_group,
        "year": training.year,
        "description": training.description,
        "owner_unit": training.owner_unit_id,
        "version": training.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("intruder", ["wawan", "kiki"])
def test_staf_of_another_bidang_cannot_edit_a_pemberdayaan_training_on_the_page(
    personas, world, client_for, intruder
):
    training = world.training
    client = client_for(getattr(personas, intruder))
    edit = reverse("activities:training-edit", args=[training.pk])
    assert client.get(edit).status_code == 403
    response = client.post(edit, _form(training, topic="Diubah orang lain"))
    assert response.status_code == 403
    assert "tidak berwenang" in response.content.decode()
    add = reverse("activities:participant-add", args=[training.pk])
    assert client.post(add, {"person": world.persons[0].pk}).status_code == 403
    archive = reverse("activities:training-archive", args=[training.pk])
    assert client.post(archive).status_code == 403
    training.refresh_from_db()
    assert training.topic == "Pemasaran digital untuk usaha mikro"
    assert training.archived_at is None and training.version == 1
    assert not TrainingParticipant.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="activities").exists()
    # Reading is allowed; the edit button is not offered.
    page = client.get(reverse("activities:training-detail", args=[training.pk]))
    assert page.status_code == 200 and edit not in page.content.decode()


@pytest.mark.parametrize("intruder", ["wawan", "kiki"])
def test_staf_of_another_bidang_cannot_edit_a_pemberdayaan_training_through_the_api(
    personas, world, api_for, intruder
):
    training = world.training
    api = api_for(getattr(personas, intruder))
    url = f"/api/trainings/{training.pk}/"
    assert api.get(url).status_code == 200
    assert api.patch(url, {"topic": "Diubah lewat API"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    response = api.post(
        "/api/training-participants/",
        {"training": training.pk, "person": world.persons[0].pk},
        format="json",
    )
    assert response.status_code == 403
    created = api.post(
        "/api/trainings/",
        {k: v for k, v in _form(training).items() if k != "version"},
        format="json",
    )
    assert created.status_code == 403
    training.refresh_from_db()
    assert training.topic == "Pemasaran digital untuk usaha mikro"
    assert training.archived_at is None
    assert Training.objects.count() == 1
    assert not TrainingParticipant.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="activities").exists()


def test_sari_of_pemberdayaan_edits_the_training_and_every_change_is_in_the_audit_trail(
    personas, world, client_for, api_for
):
    training = world.training
    client = client_for(personas.sari)
    response = client.post(
        reverse("activities:training-edit", args=[training.pk]),
        _form(training, topic="Pemasaran digital (angkatan 2)"),
    )
    assert response.status_code == 302, response.content.decode()
    training.refresh_from_db()
    assert training.topic == "Pemasaran digital (angkatan 2)"
    update = AuditEntry.objects.get(action="update", object_id=str(training.pk))
    assert update.before is not None and update.after is not None
    assert update.actor == personas.sari and update.source == "page"
    assert update.before["topic"] == "Pemasaran digital untuk usaha mikro"
    assert update.after["topic"] == "Pemasaran digital (angkatan 2)"

    # Adding a participant from the search results.
    response = client.post(
        reverse("activities:participant-add", args=[training.pk]), {"person": world.persons[0].pk}
    )
    assert response.status_code == 302
    participant = TrainingParticipant.objects.get()
    assert participant.person == world.persons[0] and participant.attendance == "hadir"
    assert AuditEntry.objects.filter(
        action="create", object_id=str(participant.pk), content_type__model="trainingparticipant"
    ).exists()
    page = client.get(reverse("activities:training-detail", args=[training.pk]))
    assert "Siti Aminah" in page.content.decode()

    # Recording the outcome through the API.
    api = api_for(personas.sari)
    response = api.patch(
        f"/api/training-participants/{participant.pk}/",
        {"outcome": "lulus", "certificate_number": "SRT/2026/001", "version": participant.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(
        action="update", object_id=str(participant.pk), content_type__model="trainingparticipant"
    )
    assert entry.source == "api"
    assert entry.before is not None and entry.after is not None
    assert (entry.before["outcome"], entry.after["outcome"]) == ("belum", "lulus")

    # Archiving through the API keeps the record and writes the trail.
    assert api.delete(f"/api/training-participants/{participant.pk}/").status_code == 204
    participant.refresh_from_db()
    assert participant.archived_at is not None
    assert AuditEntry.objects.filter(action="archive", object_id=str(participant.pk)).exists()


def test_a_new_training_created_on_the_page_is_in_the_audit_trail(personas, client_for):
    response = client_for(personas.sari).post(
        reverse("activities:training-create"),
        {
            "topic": "Bimtek pembukuan koperasi",
            "kind": "bimtek",
            "organiser": "DKUM Kota Depok",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-05",
            "place": "Balatkop",
            "target_group": "pengurus",
            "owner_unit": personas.unit("seksi-pemberdayaan-um").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    training = Training.objects.get(topic="Bimtek pembukuan koperasi")
    assert training.year == 2026
    assert AuditEntry.objects.filter(action="create", object_id=str(training.pk)).exists()


def test_a_training_ending_before_it_starts_is_refused_with_a_clear_message(personas, client_for):
    response = client_for(personas.sari).post(
        reverse("activities:training-create"),
        {
            "topic": "Salah tanggal",
            "kind": "pelatihan",
            "organiser": "DKUM",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-01",
            "place": "Balatkop",
            "target_group": "usaha_mikro",
            "owner_unit": personas.unit("bidang-pemberdayaan").pk,
        },
    )
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in response.content.decode()
    assert not Training.objects.filter(topic="Salah tanggal").exists()


def test_a_participant_without_any_link_is_refused_with_a_clear_message(
    personas, world, client_for, api_for
):
    message = "Peserta harus terhubung ke sedikitnya satu"
    with pytest.raises(ValidationError) as exc:
        services.participant_add(
            actor=personas.sari, participant=TrainingParticipant(training=world.training)
        )
    assert message in " ".join(exc.value.messages)

    page = client_for(personas.sari).post(
        reverse("activities:participant-add", args=[world.training.pk]), {"notes": "tanpa nama"}
    )
    assert page.status_code == 400
    assert message in page.content.decode()

    response = api_for(personas.sari).post(
        "/api/training-participants/", {"training": world.training.pk}, format="json"
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingParticipant.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="trainingparticipant").exists()


def test_the_same_person_cannot_be_added_twice_to_a_training(personas, world, client_for):
    client = client_for(personas.sari)
    url = reverse("activities:participant-add", args=[world.training.pk])
    client.post(url, {"person": world.persons[0].pk})
    response = client.post(url, {"person": world.persons[0].pk})
    assert response.status_code == 400
    assert "sudah terdaftar" in response.content.decode()
    assert TrainingParticipant.objects.count() == 1


def test_an_official_brings_their_cooperative_into_the_participation(personas, world):
    participant = services.participant_add(
        actor=personas.sari,
        participant=TrainingParticipant(training=world.training, official=world.officials[0]),
    )
    assert participant.cooperative == world.cooperatives[0]


def test_the_participant_search_finds_people_by_name_and_nik_with_the_nik_masked_for_others(
    personas, world, client_for
):
    url = reverse("activities:participant-search", args=[world.training.pk])
    sari = client_for(personas.sari).get(url, {"jenis": "person", "q": "siti"})
    assert "Siti Aminah" in sari.content.decode()
    # A list of hits tells namesakes apart by the NIK's last digits, never the full NIK.
    assert "•••• 0001" in sari.content.decode()
    assert "3276034506850001" not in sari.content.decode()
    # A full NIK confirms itself: only roles that see it unmasked may search by it (issue 15).
    by_nik = client_for(personas.kiki).get(url, {"jenis": "person", "q": "3276034506850001"})
    html = by_nik.content.decode()
    assert "Siti Aminah" not in html and "3276034506850001" not in html
    by_nik = client_for(personas.sari).get(url, {"jenis": "person", "q": "3276034506850001"})
    assert "Siti Aminah" in by_nik.content.decode()
    by_name = client_for(personas.kiki).get(url, {"jenis": "person", "q": "siti"})
    html = by_name.content.decode()
    assert "Siti Aminah" in html and "3276034506850001" not in html
    by_nib = client_for(personas.sari).get(url, {"jenis": "enterprise", "q": "1234567890123"})
    assert "Keripik Bu Siti" in by_nib.content.decode()
    coop = client_for(personas.sari).get(url, {"jenis": "cooperative", "q": "mawar"})
    assert "Koperasi Mawar Sejahtera" in coop.content.decode()


def _attend(training, **links):
    defaults = {"attendance": "hadir", "outcome": "belum"}
    defaults.update(links)
    return TrainingParticipant.objects.create(training=training, **defaults)


def test_training_counts_per_kecamatan_add_up_to_the_city_total(personas, world, client_for):
    pengurus = Training.objects.create(
        topic="Diklat perkoperasian",
        kind="diklat",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 3),
        place="Balatkop",
        target_group="pengurus",
        year=2026,
        owner_unit=world.training.owner_unit,
    )
    hendra, rina, joko, agus = world.officials
    mawar, melati, tanpa_alamat = world.cooperatives
    _attend(pengurus, official=hendra, cooperative=mawar, outcome="bersertifikat")
    _attend(pengurus, official=rina, cooperative=mawar, outcome="lulus")
    _attend(pengurus, official=joko, outcome="bersertifikat")  # cooperative derived via official
    _attend(pengurus, official=agus, cooperative=tanpa_alamat, outcome="bersertifikat")
    _attend(pengurus, cooperative=melati, attendance="tidak_hadir")
    _attend(world.training, person=world.persons[0], enterprise=world.enterprises[0])
    _attend(world.training, enterprise=world.enterprises[1], outcome="lulus")
    _attend(world.training, person=world.persons[2])  # no place known
    _attend(world.training, person=world.persons[1], attendance="tidak_hadir")

    coops = selectors.trained_cooperatives(2026)
    assert coops.total == 3  # Mawar (twice) once, Melati through Joko, the one without address
    assert coops.by_kecamatan == {"32.76.03": 1, "32.76.06": 1, "": 1}
    assert set(coops.queryset) == {mawar, melati, tanpa_alamat}

    certified = selectors.certified_officials(2026)
    assert certified.total == 3
    assert certified.by_kecamatan == {"32.76.03": 1, "32.76.06": 1, "": 1}
    assert set(certified.queryset) == {hendra, joko, agus}

    everyone = selectors.participants(2026)
    assert everyone.total == 7
    assert sum(everyone.by_kecamatan.values()) == everyone.total
    micro = selectors.participants(2026, "usaha_mikro")
    assert micro.total == 3
    assert micro.by_kecamatan == {"32.76.03": 1, "32.76.06": 1, "": 1}
    assert selectors.participants(2025).total == 0

    # The overview page shows the same figures, city total in the footer.
    page = client_for(personas.kartika).get(reverse("activities:overview"), {"tahun": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    footer = html.split("<tfoot>")[1]
    assert "<th>7</th><th>3</th><th>3</th>" in footer


def test_trainings_of_a_cooperatives_officials_show_on_its_timeline(personas, world):
    from sikumi.cooperatives import timeline

    _attend(world.training, official=world.officials[0], cooperative=world.cooperatives[0])
    titles = [event.title for event in timeline.timeline(world.cooperatives[0])]
    assert any("Pemasaran digital" in t and "Hendra" in t for t in titles)


def test_a_business_shows_its_trainings_and_certificates_on_its_timeline(personas, world):
    from sikumi.activities.models import LegalityApplication, Product
    from sikumi.enterprises import timeline

    _attend(world.training, person=world.persons[0], enterprise=world.enterprises[0])
    product = Product.objects.create(
        enterprise=world.enterprises[0],
        name="Keripik",
        category="makanan",
        owner_unit=world.training.owner_unit,
    )
    LegalityApplication.objects.create(
        product=product,
        kind="pirt",
        status="terbit",
        applied_on=dt.date(2025, 1, 2),
        issued_on=dt.date(2025, 2, 1),
        expires_on=dt.date(2030, 2, 1),
        year=2025,
        owner_unit=product.owner_unit,
    )
    titles = [entry.title for entry in timeline.timeline_for(world.enterprises[0], personas.sari)]
    assert any("Pemasaran digital" in t for t in titles)
    assert any("PIRT" in t and "Keripik" in t for t in titles)
