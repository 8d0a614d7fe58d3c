"""Every form page opens in a real browser without a JavaScript error, numbers are grouped as one
types, the double-submit guard works on the health assessment (its field named "method" once
broke it) and charts write Indonesian numbers."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login
from sikumi.core.tests.test_indonesian_pages import _plain_routes, _shape, _VisibleText

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIPPED = re.compile(
    r"^/(api|admin|static|media|keluar|bahasa|cari|wilayah|favicon|health)\b"
    r"|/berkas/|/pdf/|\.(pdf|xlsx|csv|geojson|json)$|/cari/"
)
# A form a person fills in: a POST form with at least one visible field.
FORM = re.compile(
    r'<form[^>]*method="post"[^>]*>(?:(?!</form>).)*?'
    r'<(?:input(?![^>]*type="(?:hidden|submit)")|select|textarea)\b',
    re.S | re.I,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached registry counts are keyed by a version row that rolls back with each test: clear
    them, so no figure computed here is served to a later test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def form_pages(client: Client, limit: int = 400) -> list[str]:
    """Pages with a form to fill in, one per URL shape, reached from every plain page."""
    queue = list(_plain_routes())
    seen: set[str] = set()
    found = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if FORM.search(html):
            found.append(path)
        parser = _VisibleText()
        parser.feed(html)
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if not SKIPPED.search(parts.path) and _shape(parts.path) not in seen:
                queue.append(parts.path)
    return found


@pytest.fixture
def example_data(personas, depok):
    from django.core.management import call_command

    from sikumi.core.management.commands.demo_data import _generator
    from sikumi.plans.loader import load_plan
    from sikumi.plans.models import Plan

    if not Plan.objects.exists():
        load_plan()
    call_command("load_indicator_bindings", verbosity=0)
    for app, kwargs in (
        ("cooperatives", {"count": 6, "seed": 5}),
        ("supervision", {"seed": 5}),
        ("enterprises", {"count": 12, "seed": 5}),
        ("activities", {"seed": 5}),
        ("monev", {"seed": 5}),
    ):
        generate = _generator(app)
        if generate is not None:
            generate(**kwargs)
    return personas


def test_every_form_page_opens_without_a_javascript_error(page, live_server, example_data):
    client = Client()
    client.force_login(example_data.ani)
    pages = form_pages(client)
    # Create and edit pages of every app were found.
    for expected in ("/koperasi/baru/", "/usaha-mikro/baru/", "/pengawasan/kesehatan/baru/"):
        assert expected in pages, pages
    assert any(re.fullmatch(r"/usaha-mikro/\d+/ubah/", p) for p in pages), pages
    assert len(pages) > 30, pages

    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    login(page, live_server, "ani", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    failures = []
    for path in pages:
        page_errors.clear()
        page.console_errors.clear()
        page.goto(f"{live_server.url}{path}", wait_until="load")
        page.wait_for_timeout(50)  # deferred scripts have run at "load"; let handlers settle
        errors = page_errors + [e for e in page.console_errors if "favicon" not in e]
        if errors:
            failures.append(f"{path}: {errors}")
    assert not failures, "\n".join(failures)


def test_numbers_are_grouped_as_one_types_and_the_health_form_keeps_its_guard(
    page, live_server, example_data
):
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    login(page, live_server, "ani", PASSWORD)
    page.wait_for_selector("nav.sidebar")

    page.goto(f"{live_server.url}/usaha-mikro/baru/")
    capital = page.locator("input[name=capital]")
    capital.press_sequentially("1250000000")
    assert capital.input_value() == "1.250.000.000"
    capital.fill("")
    capital.press_sequentially("2500000,5")
    page.locator("input[name=name]").click()  # leaves the field
    assert capital.input_value() == "2.500.000,5"
    # Deleting a digit regroups; a dot typed by the person is left for the server to read.
    capital.fill("")
    capital.press_sequentially("1250000")
    capital.press("Backspace")
    assert capital.input_value() == "125.000"
    capital.fill("")
    capital.press_sequentially("12.5")
    assert capital.input_value() == "12.5"
    capital.fill("")
    capital.press_sequentially("1.2345")
    assert capital.input_value() == "1.2345"

    # The health assessment has a field named "method": submitting must go through the guard
    # (form.getAttribute("method")), without "form.method.toLowerCase is not a function".
    page.goto(f"{live_server.url}/pengawasan/kesehatan/baru/")
    form = page.locator("form[method=post]").filter(has=page.locator("[name=method]")).first
    if form.count() == 0:
        form = page.locator("main form[method=post]").last
    form.evaluate("f => f.requestSubmit ? f.requestSubmit() : f.submit()")
    page.wait_for_load_state("load")
    assert not [e for e in page_errors if "toLowerCase" in e], page_errors
    assert not [e for e in page.console_errors if "toLowerCase" in e]


def test_charts_write_indonesian_numbers(page, live_server, example_data):
    login(page, live_server, "kartika", PASSWORD)
    page.wait_for_selector("nav.sidebar")
    page.goto(f"{live_server.url}/monev/dasbor/")
    page.wait_for_function("() => window.echarts && document.querySelector('[_echarts_instance_]')")
    labels = page.evaluate(
        """() => {
          const el = document.querySelector('[_echarts_instance_]');
          const option = echarts.getInstanceByDom(el).getOption();
          const axes = [].concat(option.xAxis || [], option.yAxis || []);
          const axis = axes.find(a => a.type === 'value');
          const tip = option.tooltip[0].valueFormatter;
          return [axis.axisLabel.formatter(5000), axis.axisLabel.formatter(2.5),
                  tip ? tip(1234567.5) : null];
        }"""
    )
    assert labels[0] == "5.000"
    assert labels[1] == "2,5"
    assert labels[2] in (None, "1.234.567,5")
    assert page.evaluate("window.sikumiFormatNumber(1234567.891)") == "1.234.567,89"
