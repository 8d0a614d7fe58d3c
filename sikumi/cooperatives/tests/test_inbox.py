"""Competence certificates of cooperative officials about to expire in "Tugas saya"."""

import datetime as dt

import pytest

from sikumi.cooperatives.models import CompetenceCertificate, Cooperative, CooperativeOfficial
from sikumi.core import inbox

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 17)


@pytest.fixture
def official(personas):
    cooperative = Cooperative.objects.create(
        name="Koperasi Melati", jenis="konsumen", owner_unit=personas.unit("bidang-kelembagaan")
    )
    return CooperativeOfficial.objects.create(cooperative=cooperative, role="manajer", name="Rina")


def _certificate(official, scheme, expires, **extra):
    return CompetenceCertificate.objects.create(
        official=official,
        scheme=scheme,
        number=f"BNSP-{scheme[:3].upper()}",
        issued_on=dt.date(2023, 1, 1),
        expires_on=expires,
        **extra,
    )


def _count(user):
    return inbox.counts(user, TODAY).get("sertifikat-kompetensi", 0)


def test_a_certificate_expiring_within_60_days_waits_on_the_cooperatives_bidang(personas, official):
    cert = _certificate(official, "Manajer KSP", TODAY + dt.timedelta(days=60))
    _certificate(official, "Pengawas", TODAY + dt.timedelta(days=61))
    _certificate(official, "Akuntansi", TODAY - dt.timedelta(days=1))
    _certificate(official, "Tanpa batas", None)
    assert _count(personas.kiki) == 1
    assert _count(personas.ani) == 1
    assert _count(personas.sari) == 0 and _count(personas.wawan) == 0
    [item] = next(g for g in inbox.summary(personas.kiki, today=TODAY) if g.count).items
    assert item.what == "Sertifikat kompetensi Manajer KSP akan berakhir"
    assert item.subject == "Rina · Koperasi Melati"
    assert item.due == dt.date(2026, 10, 16)
    assert item.url == (
        f"/koperasi/{official.cooperative_id}/pengurus/{official.pk}/sertifikat/{cert.pk}/"
    )


def test_a_dissolved_cooperative_or_a_former_official_brings_no_work(personas, official):
    _certificate(official, "Manajer KSP", TODAY + dt.timedelta(days=10))
    assert _count(personas.kiki) == 1
    Cooperative.objects.filter(pk=official.cooperative_id).update(dissolved_at=TODAY)
    assert _count(personas.kiki) == 0
    Cooperative.objects.filter(pk=official.cooperative_id).update(dissolved_at=None)
    CooperativeOfficial.objects.filter(pk=official.pk).update(archived_at=dt.datetime.now(dt.UTC))
    assert _count(personas.kiki) == 0


def test_the_badge_counts_them(personas, official, client_for):
    from django.utils import timezone

    for days in (5, 20, 40):
        _certificate(official, f"Skema {days}", timezone.localdate() + dt.timedelta(days=days))
    html = client_for(personas.kiki).get("/").content.decode()
    assert 'Tugas saya <span class="badge count">3</span>' in html
    page = client_for(personas.kiki).get("/tugas/").content.decode()
    assert "Sertifikat kompetensi pengurus akan berakhir" in page
