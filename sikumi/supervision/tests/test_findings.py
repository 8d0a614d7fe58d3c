"""Findings carry their follow-up: due date and responsible on the finding's form, status
(Terbuka / Selesai / Terlambat) on the inspection page and the findings list, done in one click."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sikumi.audit.models import AuditEntry
from sikumi.rules import supervision as rules
from sikumi.supervision import services
from sikumi.supervision.models import ChecklistTemplate, Finding, FollowUp, Inspection

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_follow_up_is_overdue_from_the_day_after_its_due_date():
    due = dt.date(2026, 6, 30)
    assert rules.follow_up_status("open", due, dt.date(2026, 6, 30)) == "open"
    assert rules.follow_up_status("open", due, dt.date(2026, 7, 1)) == "overdue"
    assert rules.follow_up_status("done", due, dt.date(2026, 7, 1)) == "done"


def test_a_finding_takes_the_most_urgent_status_of_its_follow_ups():
    assert rules.finding_status(["done", "overdue", "open"]) == "overdue"
    assert rules.finding_status(["done", "open"]) == "open"
    assert rules.finding_status(["done", "done"]) == "done"
    assert rules.finding_status([]) == "none"


@pytest.fixture
def inspection(personas, make_cooperative):
    return services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(
            cooperative=make_cooperative(name="KSP Anggrek"),
            date=dt.date(2026, 3, 2),
            checklist=ChecklistTemplate.objects.get(code="kepatuhan-ksp"),
        ),
        answers={},
    )


def _finding(personas, inspection, text, *, due=None, done_on=None):
    follow_up = None
    if due is not None:
        follow_up = FollowUp(action=f"Perbaiki: {text}", due_date=due, responsible="Ketua")
    finding = services.finding_save(
        actor=personas.wawan,
        finding=Finding(inspection=inspection, description=text, severity="sedang"),
        follow_up=follow_up,
    )
    if done_on is not None:
        item = finding.follow_ups.get()
        services.follow_up_complete(
            actor=personas.wawan, follow_up=item, done_on=done_on, expected_version=item.version
        )
    return finding


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_follow_up_is_entered_on_the_finding_form(personas, client_for, inspection):
    client = client_for(personas.wawan)
    url = reverse("supervision:finding-create", args=[inspection.pk])
    form = client.get(url).content.decode()
    assert "Batas waktu tindak lanjut" in form and "Penanggung jawab tindak lanjut" in form
    response = client.post(
        url,
        {
            "description": "Kas tidak direkonsiliasi",
            "severity": "berat",
            "recommendation": "Rekonsiliasi kas setiap bulan",
            "follow_up_due": "2027-01-31",
            "follow_up_responsible": "Bendahara",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.action, follow_up.due_date, follow_up.responsible, follow_up.status) == (
        "Rekonsiliasi kas setiap bulan",
        dt.date(2027, 1, 31),
        "Bendahara",
        "open",
    )
    assert AuditEntry.objects.filter(content_type__model="followup", action="create").exists()
    page = _text(client.get(response["Location"]).content.decode())
    assert "Terbuka batas waktu 31 Januari 2027" in page
    assert "Rekonsiliasi kas setiap bulan · batas waktu 31 Januari 2027 · Bendahara" in page


def test_a_half_entered_follow_up_is_refused_with_the_finding(personas, client_for, inspection):
    response = client_for(personas.wawan).post(
        reverse("supervision:finding-create", args=[inspection.pk]),
        {"description": "Kas", "severity": "ringan", "follow_up_responsible": "Bendahara"},
    )
    assert response.status_code == 200
    assert "Isi batas waktu tindak lanjut." in response.content.decode()
    response = client_for(personas.wawan).post(
        reverse("supervision:finding-create", args=[inspection.pk]),
        {
            "description": "Kas",
            "severity": "ringan",
            "follow_up_due": "2026-01-15",  # before the inspection of 2 March 2026
            "follow_up_responsible": "Bendahara",
            "follow_up_action": "Rekonsiliasi",
        },
    )
    assert response.status_code == 200
    assert "Batas waktu tidak boleh sebelum tanggal pemeriksaan (02-03-2026)" in (
        response.content.decode()
    )
    assert not Finding.objects.exists() and not FollowUp.objects.exists()


def test_the_findings_list_puts_overdue_first_and_filters_by_status(
    personas, client_for, inspection
):
    _finding(personas, inspection, "Temuan selesai", due=dt.date(2026, 4, 30), done_on=TODAY)
    _finding(personas, inspection, "Temuan terbuka", due=TODAY + dt.timedelta(days=30))
    _finding(personas, inspection, "Temuan tanpa tindak lanjut")
    _finding(personas, inspection, "Temuan terlambat", due=dt.date(2026, 6, 30))
    client = client_for(personas.kiki)  # any internal user reads the list
    url = reverse("supervision:finding-list")
    html = client.get(url).content.decode()
    order = [
        html.index(t)
        for t in (
            "Temuan terlambat",
            "Temuan terbuka",
            "Temuan tanpa tindak lanjut",
            "Temuan selesai",
        )
    ]
    assert order == sorted(order)
    row = _text(html[html.index("Terlambat</span>") - 200 : html.index("Temuan terlambat")])
    assert "Terlambat 30 Juni 2026 KSP Anggrek 2 Maret 2026" in row
    only_overdue = _text(client.get(url + "?status=overdue").content.decode())
    assert "Temuan terlambat" in only_overdue
    assert "Temuan terbuka" not in only_overdue and "Temuan selesai" not in only_overdue
    only_done = _text(client.get(url + "?status=done").content.decode())
    assert "Temuan selesai" in only_done and "Temuan terlambat" not in only_done
    none = _text(client.get(url + "?status=none").content.decode())
    assert "Temuan tanpa tindak lanjut Sedang Belum ada tindak lanjut." in none
    # Kiki (Bidang Kelembagaan) reads, but may not mark done
    assert "Tandai selesai" not in html
    assert "Tandai selesai" in client_for(personas.wawan).get(url).content.decode()


def test_the_findings_list_reads_in_a_fixed_number_of_queries(
    personas, client_for, inspection, django_assert_max_num_queries
):
    for i in range(15):
        _finding(personas, inspection, f"Temuan {i}", due=dt.date(2026, 6, 30))
    client = client_for(personas.wawan)
    client.get(reverse("supervision:finding-list"))
    with django_assert_max_num_queries(14):
        html = client.get(reverse("supervision:finding-list")).content.decode()
    assert html.count("Tandai selesai</button>") == 15


def test_marking_a_follow_up_done_is_one_confirmed_click(personas, client_for, inspection):
    finding = _finding(personas, inspection, "Kas", due=dt.date(2026, 6, 30))
    follow_up = finding.follow_ups.get()
    client = client_for(personas.wawan)
    detail_url = reverse("supervision:inspection-detail", args=[inspection.pk])
    html = client.get(detail_url).content.decode()
    form = re.search(r'<form[^>]*follow-up-done[^>]*>|<form[^>]*selesai/"[^>]*>', html).group(0)
    assert "data-confirm=" in form
    assert f'value="{TODAY:%Y-%m-%d}"' in html  # the date defaults to today
    response = client.post(
        reverse("supervision:follow-up-done", args=[follow_up.pk]),
        {"done_on": "2026-07-10", "version": follow_up.version, "next": detail_url},
    )
    assert response.status_code == 302 and response["Location"] == detail_url
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.done_on) == ("done", dt.date(2026, 7, 10))
    entry = AuditEntry.objects.get(content_type__model="followup", action="update")
    assert entry.after["status"] == "done"
    page = _text(client.get(detail_url).content.decode())
    assert "Tindak lanjut ditandai selesai." in page
    assert "Selesai Perbaiki: Kas · batas waktu 30 Juni 2026 · Ketua · selesai 10 Juli 2026" in page
    assert "Tandai selesai" not in page
    # a second click (an old page) is refused, nothing changes
    again = client.post(
        reverse("supervision:follow-up-done", args=[follow_up.pk]),
        {"done_on": "2026-07-11", "version": follow_up.version},
        follow=True,
    )
    assert "Tindak lanjut ini sudah selesai pada 10-07-2026." in again.content.decode()


def test_marking_done_refuses_a_stale_page_a_future_date_and_another_bidang(
    personas, client_for, inspection
):
    finding = _finding(personas, inspection, "Kas", due=dt.date(2026, 6, 30))
    follow_up = finding.follow_ups.get()
    url = reverse("supervision:follow-up-done", args=[follow_up.pk])
    future = client_for(personas.wawan).post(
        url,
        {"done_on": (TODAY + dt.timedelta(days=1)).isoformat(), "version": follow_up.version},
        follow=True,
    )
    assert "Tanggal selesai tidak boleh di masa depan." in future.content.decode()
    stale = client_for(personas.wawan).post(
        url, {"done_on": TODAY.isoformat(), "version": follow_up.version + 5}, follow=True
    )
    assert "sudah diubah oleh" in stale.content.decode()
    assert (
        client_for(personas.kiki)
        .post(url, {"done_on": TODAY.isoformat(), "version": follow_up.version})
        .status_code
        == 403
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.done_on) == ("open", None)
