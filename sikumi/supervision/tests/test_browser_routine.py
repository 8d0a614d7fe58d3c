"""In chromium: the health form proposes the methodology of the book year typed, and marking a
follow-up done asks first (app.js data-confirm)."""

import datetime as dt

import pytest
from django.utils import timezone

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_changing_the_book_year_proposes_its_methodology(page, live_server, personas):
    from sikumi.supervision import services

    services.methodologies_load()
    login(page, live_server, "wawan", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/pengawasan/kesehatan/baru/")
    method = page.locator("form.form input[name=method]")
    assert method.input_value() == "2021"
    assert page.locator("#id_year").input_value() == "2025"
    proposal = page.locator("#method-proposal")
    assert not proposal.is_visible()
    page.fill("#id_year", "2019")
    proposal.wait_for(state="visible")
    assert "Untuk tahun buku 2019 berlaku metode 2016" in proposal.inner_text()
    page.fill("#id_year", "2024")  # the methodology on the page applies again
    proposal.wait_for(state="hidden")
    page.fill("#id_year", "2018")
    proposal.get_by_role("link", name="Gunakan metode ini").click()
    page.wait_for_url("**/kesehatan/baru/?year=2018&method=2016")
    assert page.locator("form.form input[name=method]").input_value() == "2016"
    assert page.locator("#id_year").input_value() == "2018"
    assert (
        "metode yang berlaku untuk tahun buku 2018" in page.locator(".method-in-use").inner_text()
    )
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_marking_a_follow_up_done_asks_first(page, live_server, personas):
    from sikumi.cooperatives.models import Cooperative
    from sikumi.supervision import services
    from sikumi.supervision.models import ChecklistTemplate, Finding, FollowUp, Inspection

    coop = Cooperative.objects.create(name="KSP Teratai", jenis="simpan_pinjam")
    # (a transactional test starts without the reference data of the migrations)
    checklist = ChecklistTemplate.objects.create(
        code="uji", title="Daftar periksa uji", valid_from=dt.date(2026, 1, 1)
    )
    inspection = services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(cooperative=coop, date=dt.date(2026, 3, 2), checklist=checklist),
        answers={},
    )
    services.finding_save(
        actor=personas.wawan,
        finding=Finding(inspection=inspection, description="Kas tidak direkonsiliasi"),
        follow_up=FollowUp(action="Rekonsiliasi", due_date=dt.date(2026, 6, 30), responsible="A"),
    )
    login(page, live_server, "wawan", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/pengawasan/temuan/?status=overdue")
    assert "Terlambat" in page.locator("table.findings").inner_text()
    questions: list[str] = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Tandai selesai").click()
    page.wait_for_timeout(300)
    assert FollowUp.objects.get().status == "open"  # "Batal": nothing posted
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Tandai selesai").click()
    page.wait_for_selector("text=Tindak lanjut ditandai selesai.")
    assert questions[0].startswith("Tandai tindak lanjut ini selesai?")
    assert len(questions) == 2
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.done_on) == ("done", timezone.localdate())
    assert "Belum ada temuan yang sesuai." in page.content()  # no overdue finding left
