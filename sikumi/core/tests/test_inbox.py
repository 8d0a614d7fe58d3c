"""The "Tugas saya" registry, page and menu badge, with a source of work made up for the test."""

import datetime as dt
from typing import Any, cast

import pytest

from sikumi.core import inbox, navigation

pytestmark = pytest.mark.django_db


class _ManyRows:
    """Stands for a queryset of 1.234 records (only COUNT and the first rows are ever read)."""

    def count(self):
        return 1234

    def __getitem__(self, index):
        return [f"Berkas {n}" for n in range(1, 1235)][index]

    def __iter__(self):
        return iter(self[:])

    def __len__(self):
        return 1234


@pytest.fixture
def many(monkeypatch, personas):
    source = inbox.Source(
        code="uji",
        label="Berkas menunggu diperiksa",
        rows=lambda user, today: cast(Any, _ManyRows()),
        item=lambda row: inbox.Item(
            what=f"Periksa {row}", subject="Koperasi Uji", url="/koperasi/", due=dt.date(2026, 1, 2)
        ),
        allowed=lambda user: user.username == "wawan",
        order=1,
    )
    monkeypatch.setitem(inbox._SOURCES, "uji", source)
    return source


def test_the_badge_and_the_page_group_thousands(many, personas, client_for):
    client = client_for(personas.wawan)
    home = client.get("/").content.decode()
    assert 'Tugas saya <span class="badge count">1.234</span>' in home
    assert 'Berkas menunggu diperiksa</a> <span class="badge">1.234</span>' in home
    page = client.get("/tugas/").content.decode()
    assert "1.234 tugas menunggu Anda." in page
    assert page.count("Periksa Berkas") == inbox.PREVIEW
    assert 'href="?jenis=uji"' in page and "Lihat semua (1.234)" in page
    assert "2 Januari 2026" in page and "terlambat" in page
    every = client.get("/tugas/", {"jenis": "uji", "page": 2}).content.decode()
    assert "Periksa Berkas 51<" in every and "Periksa Berkas 100<" in every
    assert "Periksa Berkas 50<" not in every
    assert "Halaman 2 dari 25" in every


def test_a_source_is_only_for_whom_it_is_allowed(many, personas, client_for):
    assert client_for(personas.wulan).get("/tugas/", {"jenis": "uji"}).status_code == 404
    assert "uji" not in inbox.counts(personas.wulan)


def test_a_menu_entry_without_a_count_has_no_badge(personas):
    sections = navigation.menu_for(personas.wawan)
    counts = {str(i["label"]): i["count"] for s in sections for i in s.items}
    assert counts["Pemeriksaan"] is None
    assert counts["Tugas saya"] == sum(inbox.counts(personas.wawan).values())


def test_someone_with_no_work_to_do_gets_no_menu_entry(personas):
    labels = {str(i["label"]) for s in navigation.menu_for(personas.aulia) for i in s.items}
    assert "Tugas saya" not in labels
    labels = {str(i["label"]) for s in navigation.menu_for(personas.wawan) for i in s.items}
    assert "Tugas saya" in labels


def test_a_menu_count_runs_only_for_users_allowed_the_entry(personas, monkeypatch):
    calls: list[Any] = []

    def count(user: Any) -> int:
        calls.append(user)
        return 1

    monkeypatch.setattr(navigation, "_ITEMS", list(navigation._ITEMS))
    navigation.register("kerja", "Uji", "home", lambda user: user.username == "ani", count=count)
    navigation.menu_for(personas.wawan)
    assert calls == []
    navigation.menu_for(personas.ani)
    assert calls == [personas.ani]
