import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login
from sikumi.monev import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_verifier_follows_the_badge_to_the_quarter_waiting_for_them(
    page, live_server, personas, renja, pemberdayaan_indicator
):
    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=2, value=12
    )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)

    login(page, live_server, "pandu", PASSWORD)
    entry = page.locator("nav.sidebar a", has_text="Tugas saya")
    assert entry.locator(".badge").inner_text() == "1"
    entry.click()
    page.wait_for_selector("h1:has-text('Tugas saya')")
    assert "Realisasi menunggu verifikasi" in page.locator("main").inner_text()
    page.click("text=Verifikasi realisasi Triwulan II 2026")
    page.wait_for_url(f"**/monev/realisasi/{renja.pk}/tw2/#unit-{sub.owner_unit_id}")
    section = page.locator(f"#unit-{sub.owner_unit_id}")
    assert "Diajukan" in section.inner_text()
    verify = section.locator("form[data-confirm] button", has_text="Verifikasi")
    assert verify.count() == 1
    # The verifier is asked first; dismissing the question changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    verify.click()
    page.wait_for_timeout(300)  # time for a POST, had one been sent
    sub.refresh_from_db()
    assert sub.status == "submitted"
    page.once("dialog", lambda dialog: dialog.accept())
    verify.click()
    page.wait_for_selector("text=Status pengajuan: Diverifikasi.")
    assert page.locator("nav.sidebar a", has_text="Tugas saya").locator(".badge").count() == 0
    assert not page.console_errors
