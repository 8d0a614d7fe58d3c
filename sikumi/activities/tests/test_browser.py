import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_financing_form_picks_its_cooperative_by_search(page, live_server, personas):
    from sikumi.cooperatives.models import Cooperative

    mawar = Cooperative.objects.create(name="Koperasi Mawar Sejahtera", jenis="simpan_pinjam")
    Cooperative.objects.create(name="Koperasi Melati", jenis="jasa")
    login(page, live_server, "sari", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/kegiatan/pembiayaan/baru/")
    box = page.locator("#id_cooperative ~ input.lookup-search")
    box.fill("mawar")
    page.get_by_role("button", name="Koperasi Mawar Sejahtera · Simpan Pinjam").click()
    assert page.locator("#id_cooperative").input_value() == str(mawar.pk)
    label = page.locator("#id_cooperative + .lookup-label")
    assert label.inner_text() == "Koperasi Mawar Sejahtera"
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
