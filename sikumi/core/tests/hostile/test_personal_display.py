"""Full personal data shown without a record of it (issue 15, item 8): edit forms, the officials
API and the audit trail's own snapshots."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

NIK = "3276011203850001"
PHONE = "081234567890"


def _views(user):
    return AuditEntry.objects.filter(actor=user, action="view_personal", personal_data=True)


@pytest.fixture
def budi(personas, depok):
    from sikumi.enterprises import services
    from sikumi.enterprises.models import Enterprise

    enterprise = services.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(
            name="Warung Budi", kelurahan_id="32.76.03.1012", capital=Decimal("1000000")
        ),
        owner={"nik": NIK, "name": "Budi Santoso", "sex": "L", "phone": PHONE},
    )
    return enterprise.owner


@pytest.fixture
def coop(personas, depok):
    from sikumi.cooperatives import services
    from sikumi.cooperatives.models import Cooperative

    return services.cooperative_create(
        actor=personas.kiki,
        cooperative=Cooperative(
            name="Koperasi Maju",
            jenis="simpan_pinjam",
            kelurahan_id="32.76.02.1008",
            owner_unit=personas.unit("bidang-kelembagaan"),
        ),
    )


def test_the_person_edit_form_records_that_it_shows_the_nik(personas, budi, client_for):
    html = client_for(personas.sari).get(reverse("enterprises:person-edit", args=[budi.pk]))
    assert NIK in html.content.decode()
    entry = _views(personas.sari).get()
    assert entry.object_id == str(budi.pk) and "formulir ubah" in entry.note


def test_the_official_edit_form_records_that_it_shows_nik_and_phone(personas, coop, client_for):
    from sikumi.cooperatives.models import CooperativeOfficial

    official = CooperativeOfficial.objects.create(
        cooperative=coop, name="Ibu Ketua", role="pengurus", nik="3276014501900001", phone=PHONE
    )
    url = reverse("cooperatives:official-edit", args=[coop.pk, official.pk])
    html = client_for(personas.kiki).get(url).content.decode()
    assert "3276014501900001" in html and PHONE in html
    entry = _views(personas.kiki).get()
    assert entry.object_id == str(official.pk) and "formulir ubah" in entry.note


def test_the_officials_api_records_a_phone_shown_in_full_without_a_nik(personas, coop, api_for):
    from sikumi.cooperatives.models import CooperativeOfficial

    CooperativeOfficial.objects.create(
        cooperative=coop, name="Pak Sekretaris", role="pengurus", phone=PHONE
    )
    rows = api_for(personas.kiki).get("/api/cooperative-officials/").json()["results"]
    assert [r["phone"] for r in rows] == [PHONE]
    assert _views(personas.kiki).count() == 1
    # A role that sees it masked leaves no record (nothing was shown).
    rows = api_for(personas.sari).get("/api/cooperative-officials/").json()["results"]
    assert "*" in rows[0]["phone"]
    assert _views(personas.sari).count() == 0


def _person_update_entry(budi):
    return AuditEntry.objects.filter(
        content_type__model="person", object_id=str(budi.pk), action="create"
    ).get()


def test_the_audit_list_masks_personal_data_in_snapshots(personas, budi, client_for):
    from sikumi.audit.services import record

    # A correction of the NIK and the phone: the trail keeps the values as saved.
    record(
        actor=personas.sari,
        action="update",
        instance=budi,
        before={"nik": "3276011203850002", "phone": "081111111111"},
        after={"nik": NIK, "phone": PHONE},
    )
    html = client_for(personas.kartika).get(reverse("audit:list")).content.decode()
    assert NIK not in html and PHONE not in html and "3276011203850002" not in html
    assert "3276********0002 → 3276********0001" in html
    assert _views(personas.kartika).count() == 0


def test_one_audit_entry_shows_personal_data_to_the_kepala_and_records_it(
    personas, budi, client_for
):
    entry = _person_update_entry(budi)
    html = client_for(personas.kartika).get(reverse("audit:detail", args=[entry.pk]))
    assert NIK in html.content.decode()
    assert _views(personas.kartika).filter(note__contains=f"#{entry.pk}").count() == 1


def test_a_role_that_may_not_see_personal_data_gets_the_snapshot_masked(
    personas, budi, client_for, monkeypatch
):
    from sikumi.accounts import access

    # No role reads the trail without seeing personal data today; the page must still mask
    # for one (the decision is access.can_view_audit_personal_data).
    monkeypatch.setattr(access, "can_view_audit_personal_data", lambda user: False)
    entry = _person_update_entry(budi)
    html = client_for(personas.aulia).get(reverse("audit:detail", args=[entry.pk]))
    text = html.content.decode()
    assert NIK not in text and PHONE not in text and "3276********0001" in text
    assert "disamarkan" in text
    assert _views(personas.aulia).count() == 0


def test_nik_in_an_audit_note_is_masked_in_the_list(personas, client_for):
    from sikumi.audit.services import record

    record(actor=personas.sari, action="update", note=f"NIK {NIK} diperbaiki")
    html = client_for(personas.aulia).get(reverse("audit:list")).content.decode()
    assert NIK not in html and "NIK 3276********0001 diperbaiki" in html
