import os
from pathlib import Path

import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_the_login_page_speaks_indonesian_and_the_admin_gets_the_menu(
    page, live_server, personas, tmp_path
):
    page.goto(f"{live_server.url}/")
    assert "/masuk/" in page.url
    assert page.locator("h1").inner_text() == "Masuk ke Sikumi"
    assert page.locator("label[for=id_password]").inner_text() == "Kata sandi"
    login(page, live_server, "ani", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    menu = page.locator("nav.sidebar").text_content() or ""
    assert "Pengaturan" in menu
    assert "Jejak audit" in menu
    # SIKUMI_SCREENSHOTS=1 refreshes the README's screenshot; otherwise it stays out of the tree.
    shots = DOCS if os.environ.get("SIKUMI_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(shots / "screenshot-home.png"))
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_a_wrong_password_says_so_and_repeated_failures_are_throttled(page, live_server, personas):
    for _ in range(5):
        login(page, live_server, "sari", "salah")
        assert "Nama pengguna atau kata sandi salah" in page.content()
    login(page, live_server, "sari", PASSWORD)
    assert "Terlalu banyak percobaan masuk yang gagal" in page.content()
    assert "/masuk/" in page.url


def test_the_api_documentation_page_works_under_the_strict_csp(page, live_server, personas):
    login(page, live_server, "ani", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20000)
    tags = [t.text_content() for t in page.locator(".opblock-tag").all()]
    assert "cooperatives" in tags
    blocked_scripts = [e for e in page.console_errors if "script-src" in e]
    assert blocked_scripts == []
