import pytest

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cooperative_is_added_to_the_inspection_plan_by_searching_for_it(
    page, live_server, personas
):
    from sikumi.cooperatives.models import Cooperative
    from sikumi.supervision import services
    from sikumi.supervision.models import InspectionPlan, PlannedInspection

    for i in range(30):
        Cooperative.objects.create(name=f"Koperasi Uji Lookup {i:02d}", jenis="simpan_pinjam")
    wanted = Cooperative.objects.get(name="Koperasi Uji Lookup 17")
    plan = services.plan_save(
        actor=personas.wawan, plan=InspectionPlan(year=2026, title="Rencana 2026")
    )
    login(page, live_server, "wawan", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/pengawasan/rencana/{plan.pk}/")
    assert page.locator("select#id_cooperative").count() == 0
    search = page.locator("input.lookup-search")
    assert search.get_attribute("aria-label", timeout=5000).startswith("Koperasi yang belum")
    search.fill("KSP uji lookup 1")
    results = page.locator(".lookup-results button")
    results.first.wait_for()
    assert results.count() == 10
    page.get_by_role("button", name="Koperasi Uji Lookup 17 · Simpan Pinjam").click()
    assert page.locator("#id_cooperative").input_value() == str(wanted.pk)
    assert page.locator(".lookup-label").inner_text() == "Koperasi Uji Lookup 17"
    assert results.count() == 0
    # Enter in the search box does not post the half-filled form.
    search.fill("zzz")
    page.locator(".lookup-results li").first.wait_for()
    assert page.locator(".lookup-results").inner_text() == "Tidak ada yang cocok."
    search.press("Enter")
    page.wait_for_timeout(500)
    # A post would have reloaded the page: the box and the choice would be empty.
    assert search.input_value() == "zzz"
    assert page.locator("#id_cooperative").input_value() == str(wanted.pk)
    assert PlannedInspection.objects.count() == 0
    page.select_option("#id_quarter", "2")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=Koperasi ditambahkan ke rencana.")
    assert PlannedInspection.objects.get().cooperative == wanted
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
