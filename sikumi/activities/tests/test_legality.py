import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sikumi.activities import selectors, services
from sikumi.activities.models import LegalityApplication, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(world, personas):
    return Product.objects.create(
        enterprise=world.enterprises[0],
        name="Keripik Singkong Pedas",
        category="makanan",
        owner_unit=personas.unit("bidang-pemberdayaan"),
    )


def _certificate(product, kind, number, issued, expires, **extra):
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
        **extra,
    )


def test_a_certificate_expiring_in_30_days_is_listed_and_one_expiring_in_a_year_is_not(
    personas, product, client_for
):
    today = timezone.localdate()
    _certificate(
        product,
        "pirt",
        "PIRT-SOON-30",
        today - dt.timedelta(days=1800),
        today + dt.timedelta(days=30),
    )
    _certificate(
        product,
        "haki",
        "HAKI-LATER-365",
        today - dt.timedelta(days=100),
        today + dt.timedelta(days=365),
    )
    _certificate(
        product, "bpom", "BPOM-GONE", today - dt.timedelta(days=900), today - dt.timedelta(days=5)
    )

    page = client_for(personas.kiki).get(reverse("activities:legality-expiring"))

    html = page.content.decode()
    assert page.status_code == 200
    soon, expired = html.split("sudah kedaluwarsa")
    assert "PIRT-SOON-30" in soon
    assert "HAKI-LATER-365" not in html
    assert "BPOM-GONE" in expired and "BPOM-GONE" not in soon
    # The window is configurable: 400 days takes in the HAKI certificate too.
    wider = client_for(personas.kiki).get(reverse("activities:legality-expiring"), {"hari": 400})
    assert "HAKI-LATER-365" in wider.content.decode()
    # A nonsense number of days gives the default window, not an error.
    odd = client_for(personas.kiki).get(reverse("activities:legality-expiring"), {"hari": "abc"})
    assert odd.status_code == 200 and "PIRT-SOON-30" in odd.content.decode()


def test_an_expired_certificate_that_was_renewed_is_not_listed_as_expired(personas, product):
    today = timezone.localdate()
    _certificate(
        product, "pirt", "OLD", today - dt.timedelta(days=2000), today - dt.timedelta(days=10)
    )
    _certificate(
        product, "pirt", "NEW", today - dt.timedelta(days=9), today + dt.timedelta(days=1800)
    )
    expired = selectors.expired_certificates(user=personas.sari, today=today)
    assert list(expired) == []


def test_an_expiry_date_before_the_issue_date_is_refused_with_a_clear_message(personas, product):
    application = LegalityApplication(
        product=product,
        kind="halal",
        status="terbit",
        applied_on=dt.date(2026, 1, 5),
        certificate_number="ID32110000123",
        issued_on=dt.date(2026, 2, 1),
        expires_on=dt.date(2026, 1, 31),
        owner_unit=product.owner_unit,
    )
    with pytest.raises(ValidationError) as exc:
        services.legality_create(actor=personas.sari, application=application)
    assert "harus sesudah tanggal terbit" in str(exc.value.message_dict["expires_on"])
    assert not LegalityApplication.objects.exists()


def test_the_year_follows_the_application_date_when_left_empty(personas, product):
    application = services.legality_create(
        actor=personas.sari,
        application=LegalityApplication(
            product=product,
            kind="halal",
            applied_on=dt.date(2025, 7, 1),
            owner_unit=product.owner_unit,
        ),
    )
    assert application.year == 2025


def test_certified_products_count_each_product_once_per_year_and_add_up(personas, world, product):
    other = Product.objects.create(
        enterprise=world.enterprises[1],
        name="Batik Tulis",
        category="fashion",
        owner_unit=product.owner_unit,
    )
    _certificate(product, "pirt", "A", dt.date(2025, 3, 1), dt.date(2030, 3, 1))
    _certificate(product, "halal", "B", dt.date(2025, 6, 1), None)
    _certificate(other, "haki", "C", dt.date(2025, 8, 1), dt.date(2035, 8, 1))
    _certificate(other, "sni", "D", dt.date(2024, 8, 1), dt.date(2028, 8, 1))
    LegalityApplication.objects.create(
        product=other,
        kind="bpom",
        status="diproses",
        applied_on=dt.date(2025, 9, 1),
        year=2025,
        owner_unit=product.owner_unit,
    )

    tally = selectors.certified_products(2025)

    assert tally.total == 2
    assert tally.by_kecamatan == {"32.76.03": 1, "32.76.06": 1}
    assert sum(tally.by_kecamatan.values()) == tally.total
    assert selectors.certificates_issued(2025).total == 3
    assert selectors.legality_by_kind(2025) == {
        "haki": 1,
        "sni": 0,
        "halal": 1,
        "bpom": 0,
        "pirt": 1,
    }
    assert selectors.legality_by_year_and_kind([2024, 2025])[2024]["sni"] == 1
