"""Password guessing (issue 15, item 7): one throttle for every login path, and every failure is
recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sikumi.accounts.models import LoginFailure
from sikumi.audit.models import AuditEntry
from sikumi.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def staff(personas):
    personas.ani.is_staff = True
    personas.ani.save(update_fields=["is_staff"])
    return personas.ani


def _admin_login(client, password):
    return client.post(
        ADMIN_LOGIN + "?next=/admin/", {"username": "ani", "password": password}, follow=False
    )


def test_eight_wrong_passwords_on_the_admin_login_then_the_right_one_is_refused(staff, client):
    for _ in range(8):
        response = _admin_login(client, "tebak-tebak")
        assert response.status_code == 200
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still the login page
    # Every attempt is in the audit trail; the throttle counted the five that used up the limit.
    failed = AuditEntry.objects.filter(action="login_failed", object_repr="ani")
    assert failed.count() == 9
    assert LoginFailure.objects.filter(username="ani").count() == 5


def test_the_admin_login_and_the_sikumi_login_share_one_throttle(staff, client):
    for _ in range(5):
        _admin_login(client, "tebak-tebak")
    response = client.post(reverse("login"), {"username": "ani", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_sikumi_login_lock_the_admin_login(staff, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "ani", "password": "salah"})
    response = _admin_login(client, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


def test_the_right_password_on_the_admin_login_works_when_not_throttled(staff, client):
    _admin_login(client, "salah")
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_guesser_trying_many_accounts_from_one_address_is_stopped(personas, client, settings):
    settings.SIKUMI_LOGIN_MAX_FAILURES = 2  # per address: 20
    for n in range(20):
        client.post(ADMIN_LOGIN, {"username": f"tamu{n}", "password": "salah"})
    response = client.post(reverse("login"), {"username": "sari", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
