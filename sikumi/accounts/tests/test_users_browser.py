import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_creates_a_user_who_then_logs_in_and_sees_their_menu(
    page, live_server, personas
):
    from sikumi.accounts.models import User

    login(page, live_server, "ani", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.locator("nav.sidebar").get_by_role("link", name="Pengguna dan peran").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    # Unit and role come first on the form.
    first = page.locator("form.form .field").first
    assert first.locator("select").get_attribute("name") == "unit"
    page.select_option("#id_unit", label="Seksi Pemberdayaan Usaha Mikro")
    page.get_by_label("Staf Bidang").check()
    page.fill("#id_first_name", "Rahmat")
    page.fill("#id_last_name", "Hidayat")
    page.fill("#id_username", "rahmat")
    page.fill("#id_nip", "19900101 201503 1 002")
    page.fill("#id_password", "Sementara-2026!")
    page.fill("#id_password_again", "Sementara-2026!")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=Pengguna tersimpan.")
    assert "Seksi Pemberdayaan Usaha Mikro" in page.locator("dl.props").inner_text()
    rahmat = User.objects.get(username="rahmat")
    assert rahmat.role_codes() == {"staf"} and rahmat.nip == "199001012015031002"

    page.get_by_role("button", name="Keluar").click()
    login(page, live_server, "rahmat", "Sementara-2026!")
    page.wait_for_selector("text=Anda masuk dengan kata sandi sementara dari administrator")
    page.fill("#id_old_password", "Sementara-2026!")
    page.fill("#id_password", "Kopi-Tubruk-2026!")
    page.fill("#id_password_again", "Kopi-Tubruk-2026!")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=Kata sandi Anda sudah diganti.")
    menu = page.locator("nav.sidebar").text_content()
    assert "Usaha Mikro" in menu and "Ubah kata sandi" in menu
    assert "Pengguna dan peran" not in menu
    userbox = page.locator(".userbox").inner_text()
    assert "Rahmat Hidayat · Seksi Pemberdayaan Usaha Mikro" in userbox
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
