"""The view helpers every edit page uses: `submit_form` (form, service, errors, message,
redirect) and `or_404` (a selector's missing record is a 404)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.test import RequestFactory

from sikumi.core.views import or_404, submit_form


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _request(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _shown(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_get_renders_the_page_and_never_calls_the_service():
    calls = []
    request = _request("GET")
    form = NameForm(None)
    assert (
        submit_form(request, form, lambda: calls.append(1), success="Tersimpan.", then="/ok/")
        is None
    )
    assert calls == []


def test_an_invalid_form_is_shown_again_with_its_errors():
    calls = []
    request = _request("POST", {"name": ""})
    form = NameForm(request.POST)
    assert submit_form(request, form, lambda: calls.append(1), success="x", then="/ok/") is None
    assert calls == []
    assert form.errors["name"]


def test_a_refused_save_puts_the_service_message_on_its_field_or_the_form():
    request = _request("POST", {"name": "Ani"})
    form = NameForm(request.POST)

    def refuse_field():
        raise ValidationError({"name": "Nama sudah dipakai."})

    assert submit_form(request, form, refuse_field, success="x", then="/ok/") is None
    assert form.errors["name"] == ["Nama sudah dipakai."]

    form = NameForm(request.POST)

    def refuse_all():
        raise ValidationError("Data ini sudah diubah oleh Budi.")

    assert submit_form(request, form, refuse_all, success="x", then="/ok/") is None
    assert form.non_field_errors() == ["Data ini sudah diubah oleh Budi."]
    assert _shown(request) == []


def test_a_saved_form_shows_the_message_and_goes_where_the_result_says():
    request = _request("POST", {"name": "Ani"})
    form = NameForm(request.POST)
    response = submit_form(
        request,
        form,
        lambda: 7,
        success=lambda n: f"{n} angka berubah.",
        then=lambda n: f"/rencana/{n}/",
    )
    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "/rencana/7/"
    assert _shown(request) == ["7 angka berubah."]


def test_or_404_turns_a_missing_record_into_not_found():
    def selector(*, user, pk):
        if pk != 1:
            raise ObjectDoesNotExist
        return "koperasi"

    assert or_404(selector, user=None, pk=1) == "koperasi"
    with pytest.raises(Http404):
        or_404(selector, user=None, pk=2)
