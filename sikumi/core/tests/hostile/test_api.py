"""Hostile API clients (issue 15, item 13): the schema is not public, a bad token gets 401 with
a WWW-Authenticate header, and DRF answers in Bahasa Indonesia."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sikumi.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_its_documentation_need_a_login(url, client):
    response = client.get(url)
    assert response.status_code == 401
    assert b"/api/documents/" not in response.content


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_a_user_without_a_role_gets_no_schema(url, client):
    client.force_login(User.objects.create_user(username="tamu", password="rahasia-uji-123"))
    response = client.get(url)
    assert response.status_code == 403
    assert b"/api/documents/" not in response.content


def test_an_invalid_token_gets_401_with_the_scheme_to_use(db):
    response = APIClient().get("/api/enterprises/", HTTP_AUTHORIZATION="Token bukan-token-asli")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Token tidak valid."}


def test_no_credentials_get_401_in_indonesian(db):
    response = APIClient().get("/api/persons/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "data autentikasi tidak diberikan" in response.json()["detail"]


def test_a_valid_token_still_works(personas):
    from sikumi.accounts.tokens import token_create

    _token, key = token_create(user=personas.sari)
    response = APIClient().get("/api/enterprises/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_validation_messages_are_in_indonesian(personas, depok, api_for):
    response = api_for(personas.sari).post(
        "/api/enterprises/",
        {"kelurahan": "32.76.03.1012", "capital": "banyak", "employees": "dua"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["capital"] == ["Isi kolom ini harus angka yang valid."]
    assert errors["employees"] == ["Isi kolom ini harus bilangan bulat."]
    assert errors["name"] == ["Kolom ini wajib diisi."]
    assert "required" not in str(errors) and "valid number" not in str(errors)


def test_a_bad_page_number_is_answered_in_indonesian(personas, api_for):
    response = api_for(personas.sari).get("/api/documents/", {"page": "999"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Halaman tidak valid."}


def test_a_malformed_body_is_answered_in_indonesian(personas, api_for):
    response = api_for(personas.sari).generic(
        "POST", "/api/documents/", "{bukan json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Isi permintaan tidak dapat dibaca")
    assert "parse error" not in response.json()["detail"].lower()
