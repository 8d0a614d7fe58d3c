"""Hostile query parameters: every page reachable without a path argument, fuzzed with bad
values for every parameter its FilterSet declares (and the parameters views read by hand),
answers a page, never a 500 (issue 15, item 10)."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Parameters some views read without a FilterSet.
READ_BY_HAND = [
    "page",
    "year",
    "tahun",
    "triwulan",
    "parent",
    "plan",
    "hari",
    "kecamatan",
    "indicator",
    "inspection",
    "method",
    "jenis",
    "key",
    "q",
    "cooperative",
    "enterprise",
    "pribadi",
]

BAD_VALUES = [
    "0",
    "-1",
    "99999999999999999999999",
    "abc",
    "1e400",
    "\x00",
    "x" * 3000,
]

# Not list pages: logging out, Django's admin, the API (its own tests), downloads of files.
SKIP_PREFIXES = ("/logout", "/keluar", "/admin/", "/api/", "/static/", "/media/", "/i18n/")


def _plain_paths() -> list[str]:
    """Every URL without a path argument."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if "<" in route or "(?P" in route:
                    continue
                walk(p.url_patterns, prefix + route.lstrip("^"))
            elif isinstance(p, URLPattern):
                if "<" in route or "(?P" in route or route.startswith("^"):
                    continue
                found.append("/" + (prefix + route).lstrip("/"))

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in found if not p.startswith(SKIP_PREFIXES)})


PATHS = _plain_paths()


@pytest.fixture
def filter_fields(monkeypatch):
    """Records the field names of every FilterSet a request builds."""
    seen: set[str] = set()
    original = django_filters.filterset.BaseFilterSet.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.update(self.base_filters)
        original(self, *args, **kwargs)

    monkeypatch.setattr(django_filters.filterset.BaseFilterSet, "__init__", spy)
    return seen


def test_the_fuzz_covers_the_list_pages():
    for expected in ("/pengawasan/layanan/", "/kegiatan/pembiayaan/", "/organisasi/unit/baru/"):
        assert expected in PATHS


@pytest.mark.parametrize("path", PATHS)
def test_bad_query_values_never_answer_500(path, personas, client_for, filter_fields):
    client = client_for(personas.ani)
    client.raise_request_exception = False
    first = client.get(path)
    if first.status_code >= 500:
        pytest.fail(f"{path} answers {first.status_code} without parameters")
    if first.status_code != 200:
        return
    names = sorted(set(READ_BY_HAND) | filter_fields)
    failures = []
    for value in BAD_VALUES:
        response = client.get(path, dict.fromkeys(names, value))
        if response.status_code >= 500:
            failures.append(value[:30])
    assert not failures, f"{path} answers 500 for {failures} in {names}"


def test_a_bad_year_shows_the_list_with_a_message(personas, client_for):
    response = client_for(personas.ani).get("/pengawasan/layanan/", {"year": "0"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "tidak valid" in text
    assert "Tahun harus antara 1 dan 9999." in text


def test_an_id_beyond_64_bits_is_refused_with_a_message(personas, client_for):
    response = client_for(personas.ani).get(
        "/kegiatan/pembiayaan/", {"enterprise": "99999999999999999999999"}
    )
    assert response.status_code == 200
    assert "Angka ini terlalu besar." in response.content.decode()


def test_a_non_numeric_parent_unit_opens_an_empty_form(personas, client_for):
    response = client_for(personas.ani).get("/organisasi/unit/baru/", {"parent": "abc"})
    assert response.status_code == 200
