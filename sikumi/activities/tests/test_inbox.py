"""Product legality certificates about to expire in "Tugas saya": the window, who sees them,
the link."""

import datetime as dt

import pytest

from sikumi.activities.models import LegalityApplication, Product
from sikumi.core import inbox

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 17)


@pytest.fixture
def product(world, personas):
    return Product.objects.create(
        enterprise=world.enterprises[0],
        name="Keripik Singkong Pedas",
        category="makanan",
        owner_unit=personas.unit("bidang-pemberdayaan"),
    )


def _certificate(product, kind, number, expires, issued=dt.date(2022, 1, 10)):
    return LegalityApplication.objects.create(
        product=product,
        kind=kind,
        status="terbit",
        applied_on=issued - dt.timedelta(days=30),
        certificate_number=number,
        issued_on=issued,
        expires_on=expires,
        year=issued.year,
        owner_unit=product.owner_unit,
    )


def _count(user):
    return inbox.counts(user, TODAY).get("sertifikat-legalitas", 0)


def test_a_certificate_expiring_within_the_window_waits_on_its_bidang(personas, product, settings):
    soon = _certificate(product, "pirt", "PIRT-30", TODAY + dt.timedelta(days=30))
    _certificate(product, "haki", "HAKI-90", TODAY + dt.timedelta(days=90))
    _certificate(product, "bpom", "BPOM-GONE", TODAY - dt.timedelta(days=5))
    assert _count(personas.sari) == 1 and _count(personas.pandu) == 1
    assert _count(personas.kiki) == 0 and _count(personas.wawan) == 0
    assert "sertifikat-legalitas" not in inbox.counts(personas.kartika, TODAY)
    group = next(g for g in inbox.summary(personas.sari, today=TODAY) if g.count)
    [item] = group.items
    assert item.what == "Sertifikat PIRT akan berakhir"
    assert item.subject == "Keripik Singkong Pedas · Keripik Bu Siti"
    assert item.due == TODAY + dt.timedelta(days=30)
    assert item.detail == "PIRT-30"
    assert item.url == f"/kegiatan/legalitas/{soon.pk}/"
    assert group.page_url == "/kegiatan/legalitas/kedaluwarsa/?hari=60"
    settings.SIKUMI_INBOX_EXPIRY_DAYS = 120  # the window is a setting
    assert _count(personas.sari) == 2


def test_a_renewed_certificate_is_no_longer_work(personas, product):
    _certificate(product, "pirt", "OLD", TODAY + dt.timedelta(days=10))
    _certificate(product, "pirt", "NEW", TODAY + dt.timedelta(days=1800), dt.date(2026, 8, 1))
    assert _count(personas.sari) == 0


def test_the_page_links_to_the_certificate_and_the_expiring_page(personas, product, client_for):
    from django.utils import timezone

    cert = _certificate(product, "halal", "ID-HALAL-7", timezone.localdate() + dt.timedelta(days=7))
    html = client_for(personas.sari).get("/tugas/").content.decode()
    assert "Sertifikat legalitas produk akan berakhir" in html
    assert f'href="/kegiatan/legalitas/{cert.pk}/"' in html and "ID-HALAL-7" in html
    assert 'href="/kegiatan/legalitas/kedaluwarsa/?hari=60"' in html
