import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_kepala_dinas_sees_the_dashboard_charts_render(page, live_server, personas):
    from django.core.cache import cache

    from sikumi.monev import demo
    from sikumi.monev.models import PromiseFigure

    demo.generate(seed=2026)
    cache.clear()
    total = sum(f.new_entrepreneurs for f in PromiseFigure.objects.all())
    login(page, live_server, "kartika", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/monev/dasbor/")
    page.wait_for_selector("#chart-absorption canvas")
    page.wait_for_selector("#iku-charts canvas")
    assert page.locator("canvas").count() >= 4
    assert page.locator("#promise-new").inner_text() == f"{total:,}".replace(",", ".")
    assert "Nilai SAKIP" in page.locator("#iku-charts").inner_text()
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
