"""Hostile access: who may reach which record (issue 15, items 2 and 15).

The scan at the end asks every URL pattern, with the ids of records that exist, as a user who
is logged in but holds no role: none may answer 200 with data.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from sikumi.accounts.models import User
from sikumi.audit.models import AuditEntry
from sikumi.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

RAW_FILE = b"PK raw import file with NIK 3276011203850001"


@pytest.fixture
def enterprise_batch(personas):
    """An enterprise import uploaded by Sari (Staf Bidang Pemberdayaan, the registry's owner)."""
    batch = ImportBatch(
        kind="enterprises", original_name="pendataan.xlsx", created_by=personas.sari
    )
    batch.file.save("pendataan.xlsx", ContentFile(RAW_FILE), save=False)
    batch.save()
    return batch


def _download(client: Any, batch: ImportBatch) -> Any:
    return client.get(reverse("imports:file", args=[batch.pk]))


@pytest.mark.parametrize("name", ["wawan", "wulan", "kiki", "putri"])
def test_staff_of_another_bidang_cannot_download_a_raw_import_file(
    name, personas, client_for, enterprise_batch
):
    response = _download(client_for(getattr(personas, name)), enterprise_batch)
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export_personal").exists()


@pytest.mark.parametrize("name", ["sari", "pandu", "kartika", "aulia", "ani"])
def test_the_registrys_bidang_and_the_readers_of_personal_data_download_it_recorded(
    name, personas, client_for, enterprise_batch
):
    user = getattr(personas, name)
    response = _download(client_for(user), enterprise_batch)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == RAW_FILE
    assert AuditEntry.objects.filter(
        action="export_personal", personal_data=True, actor=user, object_id=str(enterprise_batch.pk)
    ).exists()


def test_a_cooperative_import_file_is_not_for_the_enterprise_bidang(personas, client_for):
    batch = ImportBatch(
        kind="cooperatives", original_name="koperasi.xlsx", created_by=personas.kiki
    )
    batch.file.save("koperasi.xlsx", ContentFile(RAW_FILE), save=False)
    batch.save()
    assert _download(client_for(personas.sari), batch).status_code == 403
    assert _download(client_for(personas.kiki), batch).status_code == 200


# --- every URL with existing records, as a user without a role ---------------------------------


def _patterns(resolver: Any, prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: staff only, tested by Django
            ns = ":".join(x for x in (namespace, entry.namespace or "") if x)
            found += _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found.append((name, entry))
    return found


# Values of the path parameters that are not record ids.
SAMPLE = {
    "kind": "enterprises",
    "key": "tujuan",
    "fmt": "xlsx",
    "level": "kecamatan",
    "name": "e81",
    "action": "submit",
    "quarter": 1,
}
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>")


def _params(entry: URLPattern) -> list[str]:
    names = [name or regex_name for _conv, name, regex_name in _PARAM.findall(str(entry.pattern))]
    return [n for n in names if n != "format"]


def _candidate_ids(module: str) -> list[int]:
    """The first id of every table of the view's app (and of the plan, which monev and the
    indicators show), without repeats."""
    app = module.split(".")[1] if module.startswith("sikumi.") else ""
    labels = {app, "plans"} if app else {"plans"}
    ids: set[int] = set()
    for model in apps.get_models():
        if model._meta.app_label in labels:
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if isinstance(first, int):
                ids.add(first)
    return sorted(ids)


@pytest.fixture
def world(personas, depok):
    """Example data of every app, small."""
    from sikumi.activities import demo as activities
    from sikumi.cooperatives import demo as cooperatives
    from sikumi.enterprises import demo as enterprises
    from sikumi.monev import demo as monev
    from sikumi.supervision import demo as supervision

    cooperatives.generate(count=6)
    supervision.generate()
    enterprises.generate(count=30)
    activities.generate()
    monev.generate()
    ImportBatch.objects.create(kind="enterprises", original_name="x.xlsx", created_by=personas.sari)


def test_a_user_without_a_role_gets_no_record_from_any_url(world, client):
    nobody = User.objects.create_user(username="tamu", password="rahasia-uji-123")
    client.force_login(nobody)
    leaks = []
    asked = 0
    for name, entry in _patterns(get_resolver()):
        params = _params(entry)
        ids_needed = [p for p in params if p not in SAMPLE]
        if not ids_needed:
            continue  # lists and forms without a record: covered by the role tests
        module = entry.callback.__module__
        for pk in _candidate_ids(module):
            kwargs = {p: SAMPLE.get(p, pk) for p in params}
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:  # a sample value that does not fit this pattern
                continue
            response = client.get(url)
            asked += 1
            if response.status_code == 200:
                leaks.append(url)
    assert asked > 100
    assert leaks == []


def test_a_user_without_a_role_cannot_open_the_evidence_form_of_a_realisation(world, client):
    from sikumi.monev.models import IndicatorRealisation

    row = IndicatorRealisation.objects.select_related("indicator").first()
    assert row is not None
    nobody = User.objects.create_user(username="tamu", password="rahasia-uji-123")
    client.force_login(nobody)
    response = client.get(reverse("monev:evidence-upload", args=[row.pk]))
    assert response.status_code == 403
    assert row.indicator.name not in response.content.decode()
