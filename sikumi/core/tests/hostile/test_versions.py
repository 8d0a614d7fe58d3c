"""Edits must carry the version they were made from (issue 15, item 11): a form or an API
PUT/PATCH without it, or with version 0, is refused; a stale one is refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(personas):
    return Document.objects.create(
        title="Laporan Pemeriksaan Koperasi Mawar",
        category="laporan",
        date=dt.date(2026, 3, 2),
        owner_unit=personas.unit("seksi-pengawasan"),
        version=3,
    )


def _form(doc, **changes):
    data = {
        "title": doc.title,
        "category": doc.category,
        "number": doc.number,
        "date": doc.date.isoformat(),
        "owner_unit": doc.owner_unit_id,
        "notes": doc.notes,
        "version": doc.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _unchanged(doc):
    doc.refresh_from_db()
    assert doc.title == "Laporan Pemeriksaan Koperasi Mawar"
    assert doc.version == 3
    assert not AuditEntry.objects.filter(action="update", object_id=str(doc.pk)).exists()


@pytest.mark.parametrize("version", [None, "", "0", "-1", "abc", "99999999999999999999"])
def test_a_form_without_a_valid_version_is_refused_with_a_message(
    personas, doc, client_for, version
):
    url = reverse("documents:edit", args=[doc.pk])
    response = client_for(personas.wawan).post(url, _form(doc, title="Ditimpa", version=version))
    assert response.status_code == 200
    assert "Versi data yang diubah tidak terkirim atau tidak valid" in response.content.decode()
    _unchanged(doc)


def test_a_stale_form_is_refused_and_names_who_changed_it(personas, doc, client_for):
    url = reverse("documents:edit", args=[doc.pk])
    response = client_for(personas.wawan).post(url, _form(doc, title="Ditimpa", version=2))
    assert response.status_code == 200
    assert "sudah diubah oleh" in response.content.decode()
    _unchanged(doc)


def test_a_form_with_the_current_version_saves(personas, doc, client_for):
    url = reverse("documents:edit", args=[doc.pk])
    response = client_for(personas.wawan).post(url, _form(doc, title="Revisi"))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Revisi", 4)


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("version", [None, "", 0, -1, "abc", True])
def test_an_api_edit_without_a_valid_version_is_a_400(personas, doc, api_for, method, version):
    body = {"title": "Ditimpa lewat API"}
    if method == "put":
        body = {k: v for k, v in _form(doc, title="Ditimpa lewat API").items() if k != "version"}
    if version is not None:
        body["version"] = version
    response = getattr(api_for(personas.wawan), method)(
        f"/api/documents/{doc.pk}/", body, format="json"
    )
    assert response.status_code == 400
    assert "Versi wajib dikirim" in response.json()["version"][0]
    _unchanged(doc)


def test_a_stale_api_patch_is_a_409_with_a_message(personas, doc, api_for):
    response = api_for(personas.wawan).patch(
        f"/api/documents/{doc.pk}/", {"title": "Ditimpa", "version": 2}, format="json"
    )
    assert response.status_code == 409
    assert "sudah diubah oleh" in response.json()["detail"]
    _unchanged(doc)


def test_an_api_patch_with_the_current_version_saves(personas, doc, api_for):
    response = api_for(personas.wawan).patch(
        f"/api/documents/{doc.pk}/", {"title": "Revisi API", "version": 3}, format="json"
    )
    assert response.status_code == 200, response.content
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Revisi API", 4)


# --- every API endpoint that edits ---------------------------------------------------------


def _editable_routes() -> list[tuple[str, type]]:
    """(prefix, viewset) of every registered API endpoint with PUT or PATCH."""
    from config.urls import api_router

    return [
        (prefix, viewset)
        for prefix, viewset, _basename in api_router.registry
        if hasattr(viewset, "partial_update") or hasattr(viewset, "update")
    ]


@pytest.fixture
def every_kind_of_record(personas, depok, doc):
    """At least one record behind each editable endpoint: the example generators of every app
    at a small scale, and the Renstra."""
    from sikumi.activities import demo as activities_demo
    from sikumi.cooperatives import demo as cooperatives_demo
    from sikumi.enterprises import demo as enterprises_demo
    from sikumi.plans.loader import DEFAULT_FOLDER, load_plan
    from sikumi.supervision import demo as supervision_demo

    load_plan(DEFAULT_FOLDER)
    cooperatives_demo.generate(count=12)
    supervision_demo.generate()
    enterprises_demo.generate(count=20)
    activities_demo.generate()


def test_every_editing_endpoint_is_known_to_this_test():
    # A new editing endpoint shows up here first; then it is in the test below as well.
    assert {prefix for prefix, _viewset in _editable_routes()} >= {
        "documents",
        "cooperatives",
        "rat-reports",
        "enterprises",
        "indicators",
        "plan-nodes",
    }


@pytest.mark.parametrize("method", ["patch", "put"])
def test_no_api_endpoint_edits_without_a_version(every_kind_of_record, personas, api_for, method):
    """Every PUT/PATCH of every endpoint, as the administrator (who may edit everything), with
    an empty body: a 400 naming the version, in Indonesian, for each."""
    api = api_for(personas.ani)
    answers = {}
    for prefix, _viewset in _editable_routes():
        listed = api.get(f"/api/{prefix}/").json()
        rows = listed["results"] if isinstance(listed, dict) and "results" in listed else listed
        assert rows, f"/api/{prefix}/ lists no record to edit"
        url = f"/api/{prefix}/{rows[0]['id']}/"
        response = getattr(api, method)(url, {}, format="json")
        body = response.json()
        answers[url] = (response.status_code, str(body.get("version", body))[:120])
    refused = {url: a for url, a in answers.items() if a[0] == 400 and "Versi wajib" in a[1]}
    assert refused == answers
