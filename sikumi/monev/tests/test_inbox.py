"""Realisation work in "Tugas saya": who sees which quarter, the counts, the links, the badge."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from sikumi.accounts import access
from sikumi.core import inbox
from sikumi.monev import services

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 17)


def _submitted(personas, renja, indicator, quarter=1, actor=None):
    actor = actor or personas.sari
    row = services.realisation_save(
        actor=actor, renja=renja, indicator=indicator, quarter=quarter, value=10
    )
    return services.submission_submit(actor=actor, submission=row.submission)


def _count(user, code):
    return inbox.counts(user, TODAY).get(code, 0)


def _items(user, code):
    return next(g for g in inbox.summary(user, today=TODAY) if g.code == code).items


def test_a_submitted_quarter_waits_for_the_pimpinan_of_its_own_bidang_only(
    renja, personas, pemberdayaan_indicator
):
    sub = _submitted(personas, renja, pemberdayaan_indicator)
    assert _count(personas.pandu, "realisasi-verifikasi") == 1
    assert _count(personas.ani, "realisasi-verifikasi") == 1  # administrators may verify
    assert _count(personas.wulan, "realisasi-verifikasi") == 0  # another Bidang's Pimpinan
    for user in (personas.sari, personas.putri, personas.kartika, personas.aulia):
        assert "realisasi-verifikasi" not in inbox.counts(user, TODAY)
    [group] = [g for g in inbox.summary(personas.pandu, today=TODAY) if g.count]
    [item] = group.items
    assert item.what == "Verifikasi realisasi Triwulan I 2026"
    assert item.subject == "Bidang Pemberdayaan dan Pengembangan Usaha Mikro"
    assert item.url == f"/monev/realisasi/{renja.pk}/tw1/#unit-{sub.owner_unit_id}"
    assert item.detail == "Diajukan oleh Sari"
    assert item.since == sub.submitted_at


def test_nobody_is_asked_to_verify_or_approve_their_own_submission(
    renja, personas, pemberdayaan_indicator
):
    _submitted(personas, renja, pemberdayaan_indicator, actor=personas.pandu)
    assert _count(personas.pandu, "realisasi-verifikasi") == 0
    assert _count(personas.ani, "realisasi-verifikasi") == 1
    _submitted(personas, renja, pemberdayaan_indicator, quarter=2, actor=personas.ani)
    assert _count(personas.ani, "realisasi-verifikasi") == 1  # the quarter Pandu submitted
    assert _count(personas.pandu, "realisasi-verifikasi") == 1  # the quarter Ani submitted


def test_a_verified_quarter_waits_for_the_approvers_and_a_returned_one_for_its_unit(
    renja, personas, pemberdayaan_indicator
):
    sub = _submitted(personas, renja, pemberdayaan_indicator)
    sub = services.submission_verify(actor=personas.pandu, submission=sub)
    assert _count(personas.pandu, "realisasi-verifikasi") == 0
    for approver in (personas.putri, personas.kartika, personas.ani):
        assert _count(approver, "realisasi-persetujuan") == 1
    for other in (personas.sari, personas.pandu, personas.wulan, personas.aulia):
        assert _count(other, "realisasi-persetujuan") == 0
    [item] = _items(personas.putri, "realisasi-persetujuan")
    assert item.what == "Setujui realisasi Triwulan I 2026"
    assert item.detail == "Diverifikasi oleh Pandu"

    services.submission_return(actor=personas.putri, submission=sub, note="Bukti belum lengkap")
    assert _count(personas.putri, "realisasi-persetujuan") == 0
    assert _count(personas.sari, "realisasi-perbaikan") == 1
    assert _count(personas.pandu, "realisasi-perbaikan") == 1
    assert _count(personas.kiki, "realisasi-perbaikan") == 0  # Bidang Kelembagaan
    assert _count(personas.wawan, "realisasi-perbaikan") == 0
    [item] = _items(personas.sari, "realisasi-perbaikan")
    assert item.what == "Perbaiki realisasi Triwulan I 2026 yang dikembalikan"
    assert item.detail == "Bukti belum lengkap"


def test_every_listed_quarter_is_one_the_user_may_act_on(renja, personas, pemberdayaan_indicator):
    """The SQL of each source agrees with sikumi.accounts.access for every persona."""
    first = _submitted(personas, renja, pemberdayaan_indicator, quarter=1)
    services.submission_verify(actor=personas.pandu, submission=first)
    second = _submitted(personas, renja, pemberdayaan_indicator, quarter=2)
    services.submission_return(actor=personas.pandu, submission=second, note="Perbaiki")
    _submitted(personas, renja, pemberdayaan_indicator, quarter=3)
    checks = {
        "realisasi-verifikasi": lambda user, sub: access.can_verify(user, sub),
        "realisasi-persetujuan": lambda user, sub: access.can_approve(
            user, sub, submitted_by=sub.submitted_by
        ),
        "realisasi-perbaikan": lambda user, sub: access.can_submit(user, sub),
    }
    seen = 0
    for name in ("ani", "kartika", "putri", "pandu", "wulan", "sari", "wawan", "kiki", "aulia"):
        user = getattr(personas, name)
        for code, check in checks.items():
            source = inbox.get(code)
            assert source is not None
            if not source.allowed(user):
                continue
            for sub in source.rows(user, TODAY):
                assert check(user, sub), (name, code, sub)
                seen += 1
    assert seen >= 6


def test_the_menu_badge_shows_the_number_waiting(
    renja, personas, pemberdayaan_indicator, client_for
):
    _submitted(personas, renja, pemberdayaan_indicator, quarter=1)
    _submitted(personas, renja, pemberdayaan_indicator, quarter=2)
    html = client_for(personas.pandu).get("/").content.decode()
    assert 'Tugas saya <span class="badge count">2</span></a>' in html
    html = client_for(personas.wulan).get("/").content.decode()
    assert "Tugas saya</a>" in html and 'Tugas saya <span class="badge' not in html


def test_the_auditor_has_no_tugas_saya_entry(personas, client_for):
    html = client_for(personas.aulia).get("/").content.decode()
    assert "Tugas saya" not in html
    assert client_for(personas.aulia).get("/tugas/").status_code == 200


def test_the_page_groups_the_work_and_links_to_the_realisation(
    renja, personas, pemberdayaan_indicator, client_for
):
    sub = _submitted(personas, renja, pemberdayaan_indicator)
    html = client_for(personas.pandu).get("/tugas/").content.decode()
    assert "1 tugas menunggu Anda." in html
    assert "Realisasi menunggu verifikasi" in html
    assert f'href="/monev/realisasi/{renja.pk}/tw1/#unit-{sub.owner_unit_id}"' in html
    assert "Verifikasi realisasi Triwulan I 2026" in html
    with translation.override("id"):
        since = date_format(timezone.localtime(sub.submitted_at), "j F Y")
    assert f"<td>{since}</td>" in html
    empty = client_for(personas.wulan).get("/tugas/").content.decode()
    assert "Tidak ada tugas yang menunggu Anda." in empty


def test_lihat_semua_lists_every_item_of_one_kind_page_by_page(
    renja, personas, pemberdayaan_indicator, client_for
):
    for quarter in (1, 2, 3, 4):
        _submitted(personas, renja, pemberdayaan_indicator, quarter=quarter)
    client = client_for(personas.pandu)
    html = client.get("/tugas/").content.decode()
    assert "Verifikasi realisasi Triwulan IV 2026" in html  # 4 items: all fit the preview
    assert "?jenis=realisasi-verifikasi" not in html
    page = client.get("/tugas/", {"jenis": "realisasi-verifikasi"}).content.decode()
    for roman in ("I", "II", "III", "IV"):
        assert f"Verifikasi realisasi Triwulan {roman} 2026" in page
    assert client.get("/tugas/", {"jenis": "tidak-ada"}).status_code == 404
    # a kind the user may not have: 404, never someone else's list
    assert client.get("/tugas/", {"jenis": "realisasi-persetujuan"}).status_code == 404


def test_the_page_queries_do_not_grow_with_the_number_of_items(
    renja, personas, pemberdayaan_indicator, client_for
):
    client = client_for(personas.ani)
    _submitted(personas, renja, pemberdayaan_indicator, quarter=1)
    client.get("/tugas/")
    with CaptureQueriesContext(connection) as one:
        client.get("/tugas/")
    for quarter in (2, 3, 4):
        _submitted(personas, renja, pemberdayaan_indicator, quarter=quarter)
    with CaptureQueriesContext(connection) as four:
        html = client.get("/tugas/").content.decode()
    assert "Verifikasi realisasi Triwulan IV 2026" in html
    assert len(four.captured_queries) == len(one.captured_queries)
    counts = [q["sql"] for q in four.captured_queries if "COUNT(" in q["sql"].upper()]
    # one COUNT per source the administrator has, shared by the page and its menu badge
    assert len(counts) == len(inbox.sources_for(personas.ani))


def test_the_badge_is_cached_briefly_and_follows_a_change_at_once(
    renja, personas, pemberdayaan_indicator, client_for, django_assert_num_queries
):
    from sikumi.monev.models import QuarterSubmission

    client = client_for(personas.pandu)
    sub = _submitted(personas, renja, pemberdayaan_indicator)
    assert 'Tugas saya <span class="badge count">1</span>' in client.get("/").content.decode()
    # A change the services did not make (no signal) shows after SIKUMI_INBOX_BADGE_SECONDS...
    QuarterSubmission.objects.filter(pk=sub.pk).update(status="verified")
    assert 'Tugas saya <span class="badge count">1</span>' in client.get("/").content.decode()
    # ...or at once on the page "Tugas saya", which always counts afresh.
    page = client.get("/tugas/").content.decode()
    assert "Tidak ada tugas yang menunggu Anda." in page and "badge count" not in page
    assert "badge count" not in client.get("/").content.decode()
    # A change through the services refreshes the badge at once.
    QuarterSubmission.objects.filter(pk=sub.pk).update(status="submitted")
    sub.refresh_from_db()
    services.submission_return(actor=personas.pandu, submission=sub, note="Lengkapi bukti")
    _submitted(personas, renja, pemberdayaan_indicator, quarter=2)
    # Pandu now has the returned quarter to correct and the second one to verify
    html = client.get("/").content.decode()
    assert 'Tugas saya <span class="badge count">2</span>' in html, re.findall(
        r"Tugas saya[^/]*", html
    )


def test_a_cached_badge_costs_no_count(renja, personas, pemberdayaan_indicator, client_for):
    client = client_for(personas.pandu)
    _submitted(personas, renja, pemberdayaan_indicator)
    client.get("/monev/renja/")
    with CaptureQueriesContext(connection) as cached:
        html = client.get("/monev/renja/").content.decode()
    assert 'Tugas saya <span class="badge count">1</span>' in html
    assert not [q for q in cached.captured_queries if "monev_quartersubmission" in q["sql"]]
