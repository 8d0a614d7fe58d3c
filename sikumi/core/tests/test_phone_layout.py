"""On a 390 px phone the menu collapses behind a toggle and no page scrolls sideways.

Every page is reached as in the crawl of test_indonesian_pages.py (the plain pages, then the
links each persona sees, one page per URL shape over the example data) and opened once in a
390x844 phone browser, as the first persona (in the order below) that reaches it, one browser
context per persona. A page fails when the document is wider than the screen; the message names
the widest element that sticks out of the screen without a scroll box of its own around it
(a wide table is fine inside `.table-scroll`).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from sikumi.core.testing import PASSWORD
from sikumi.core.tests.browser import login
from sikumi.core.tests.test_indonesian_pages import _plain_routes, _shape, walk

# The administrator reaches every page and sees every button; the head of the office, a staff
# member and the auditor have menus of their own and would add any page only they reach.
PERSONAS = ("ani", "kartika", "sari", "aulia")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}

# Run in the page: None when the page fits the screen, else its widths and the widest element
# sticking out of the screen that no horizontal scroll box (overflow-x auto/scroll/hidden) holds.
OVERFLOW = """() => {
  const root = document.documentElement;
  const screen = root.clientWidth;
  if (root.scrollWidth <= screen) return null;
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) part += "#" + e.id;
      else if (e.classList.length) part += "." + [...e.classList].join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const scrolled = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  // The right edge of an element's box or of its own text, which may run out of the box.
  const range = document.createRange();
  const rightEdge = (el, box) => {
    let right = box.right;
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      range.selectNodeContents(node);
      right = Math.max(right, range.getBoundingClientRect().right);
    }
    return right;
  };
  let worst = null;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const right = rightEdge(el, box);
    if (right <= screen + 0.5 || scrolled(el)) continue;
    if (!worst || right > worst.right + 0.5) {
      worst = { right: Math.round(right), width: Math.round(box.width), element: name(el),
                text: (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60) };
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: screen, widest: worst };
}"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached registry counts are keyed by a version row that rolls back with each test: clear
    them, so no figure computed here is served to a later test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def example_data(personas, depok):
    """A small version of `make run`'s example data (as test_console_errors.py)."""
    from sikumi.core.management.commands.demo_data import _generator

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


@pytest.fixture
def phone(browser, live_server, settings):
    """new_phone(username) -> a page in a fresh 390x844 phone context, logged in (or not)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    contexts = []

    def new_phone(username: str | None = None, **options: Any):
        context = browser.new_context(**{**PHONE, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if username:
            login(page, live_server, username, PASSWORD)
            page.wait_for_selector("button.menu-toggle", state="attached")
        return page

    yield new_phone
    for context in contexts:
        context.close()


def pages_by_persona(personas) -> dict[str, list[str]]:
    """Every HTML page, one per URL shape, under the first persona that reaches it. After the
    first persona a crawl opens again only the plain pages (menus and lists differ by role) and
    the shapes not reached yet."""
    start = _plain_routes()
    start_shapes = {_shape(path) for path in start}
    taken: set[str] = set()
    pages: dict[str, list[str]] = {}
    client = Client()
    for name in PERSONAS:
        client.force_login(getattr(personas, name))
        pages[name] = []
        for path, _response, parsed in walk(client, start, skip=frozenset(taken - start_shapes)):
            if parsed is not None and _shape(path) not in taken:
                taken.add(_shape(path))
                pages[name].append(path)
        client.logout()
    return pages


def describe(path: str, overflow: dict) -> str:
    widest = overflow["widest"] or {}
    return (
        f"{path}: {overflow['scrollWidth']} px wide on a {overflow['clientWidth']} px screen; "
        f"widest: {widest.get('element')} (right edge {widest.get('right')} px, "
        f"{widest.get('width')} px wide) {widest.get('text')!r}"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, example_data):
    started = time.monotonic()
    pages = pages_by_persona(example_data)
    crawled = time.monotonic()
    total = sum(len(paths) for paths in pages.values())
    # The crawl reached the detail and form pages of every app, not only the lists.
    assert total > 100, pages
    failures = []
    for name, paths in pages.items():
        if not paths:
            continue
        page = phone(name)
        for path in paths:
            page.goto(f"{live_server.url}{path}", wait_until="load")
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                failures.append(f"{name} {describe(path, overflow)}")
        page.context.close()
    print(
        f"{total} pages at 390 px: crawl {crawled - started:.0f} s, "
        f"browser {time.monotonic() - crawled:.0f} s"
    )
    assert not failures, "\n".join(failures)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_take_the_width_of_their_box(phone, live_server, example_data):
    page = phone("kartika")
    # Charts take the width of their box, and follow it when the phone is turned.
    page.goto(f"{live_server.url}/monev/dasbor/")
    page.wait_for_selector("[_echarts_instance_] canvas")
    widths = """() => [...document.querySelectorAll("[_echarts_instance_]")].map(
      (el) => [el.clientWidth, el.querySelector("canvas").clientWidth])"""
    upright = page.evaluate(widths)
    assert upright and all(box == canvas and box < 390 for box, canvas in upright), upright
    page.set_viewport_size({"width": 844, "height": 390})
    page.wait_for_function(
        """() => [...document.querySelectorAll("[_echarts_instance_]")].every(
          (el) => el.querySelector("canvas").clientWidth === el.clientWidth)"""
    )
    turned = page.evaluate(widths)
    assert all(box > 390 for box, _canvas in turned), turned


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_names_the_element_that_sticks_out(phone, live_server, personas):
    # The login page (no menu) fits too.
    visitor = phone()
    visitor.goto(f"{live_server.url}/masuk/")
    assert visitor.evaluate(OVERFLOW) is None
    page = phone("ani")
    assert page.evaluate(OVERFLOW) is None
    page.evaluate(
        """() => {
          const wide = document.createElement("p");
          wide.className = "too-wide";
          wide.textContent = "Tabel lebar";
          wide.style.width = "900px";
          document.querySelector("main").append(wide);
        }"""
    )
    overflow = page.evaluate(OVERFLOW)
    assert overflow["clientWidth"] == 390
    assert overflow["widest"]["element"].endswith("p.too-wide"), overflow
    # Inside a scroll box the same element is fine.
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.className = "table-scroll";
          document.querySelector("main").append(box);
          box.append(document.querySelector(".too-wide"));
        }"""
    )
    assert page.evaluate(OVERFLOW) is None
    # Text that runs out of its own box is caught too (the box itself stays narrow).
    page.evaluate(
        """() => {
          const line = document.createElement("p");
          line.className = "too-long";
          line.textContent = "Nomor induk koperasi 3276010203040506070809 ".repeat(4);
          line.style.whiteSpace = "nowrap";
          document.querySelector("main").append(line);
        }"""
    )
    overflow = page.evaluate(OVERFLOW)
    assert overflow["widest"]["element"].endswith("p.too-long"), overflow
    assert overflow["widest"]["width"] <= 390


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_hides_behind_a_toggle_on_a_phone(phone, live_server, personas):
    page = phone("ani")
    menu = page.locator("nav#main-menu")
    toggle = page.locator("button.menu-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-controls") == "main-menu"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    # The sections are collapsed; a section's title opens it.
    section = page.get_by_role("button", name="Koperasi", exact=True)
    assert section.get_attribute("aria-expanded") == "false"
    cooperatives = menu.get_by_role("link", name="Daftar koperasi")
    assert cooperatives.is_hidden()
    section.click()
    assert section.get_attribute("aria-expanded") == "true"
    cooperatives.click()
    page.wait_for_url("**/koperasi/")

    # On the page the menu is closed again; opened, it shows the current section open.
    assert menu.is_hidden()
    # By keyboard: Enter on the toggle opens the menu, Escape closes it and gives focus back.
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    current = menu.locator("a[aria-current=page]")
    assert current.is_visible()
    assert current.inner_text() == "Daftar koperasi"
    current.focus()
    page.keyboard.press("Escape")
    assert menu.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")

    # The list's filters collapse too.
    filters = page.locator("form#list-filters")
    assert filters.is_hidden()
    page.get_by_role("button", name="Saringan").click()
    assert filters.is_visible()
    # The toggle says how many filters are in use; a refused filter keeps them open.
    page.goto(f"{live_server.url}/koperasi/?q=Maju&rat_year=2025")
    assert page.locator("button.filters-toggle").inner_text() == "Saringan (2)"
    assert filters.is_hidden()
    page.goto(f"{live_server.url}/koperasi/?rat_year=tahun")
    assert filters.is_visible()
    assert "Saringan berikut tidak dipakai" in filters.inner_text()


class _Waiting:
    """Stands for a queryset of 1.234 records waiting for someone (only COUNT is read here)."""

    def count(self) -> int:
        return 1234


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_closed_menu_shows_how_much_work_waits_behind_it(
    phone, live_server, personas, monkeypatch
):
    from sikumi.core import inbox

    source = inbox.Source(
        code="uji",
        label="Berkas menunggu diperiksa",
        rows=lambda user, today: cast(Any, _Waiting()),
        item=lambda row: inbox.Item(what=str(row), subject="Koperasi Uji", url="/koperasi/"),
        allowed=lambda user: user.username == "wawan",
    )
    monkeypatch.setitem(inbox._SOURCES, "uji", source)
    page = phone("wawan")
    toggle = page.locator("button.menu-toggle")
    # Seen as "1.234", read out as "1.234 menunggu".
    assert toggle.locator(".badge").text_content() == "1.234 menunggu"
    assert toggle.locator(".badge").is_visible()
    assert toggle.locator(".visually-hidden").bounding_box()["width"] <= 1
    toggle.click()
    mine = page.get_by_role("button", name="Kerja saya")
    assert mine.locator(".badge").inner_text() == "1.234"
    # Ani has no work of that kind: no badge.
    assert phone("ani").locator("button.menu-toggle .badge").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_stays_open_on_a_wide_screen_and_without_javascript(phone, live_server, personas):
    wide = phone("ani", viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False)
    wide.goto(f"{live_server.url}/koperasi/")
    assert wide.locator("button.menu-toggle").is_hidden()
    assert wide.locator("nav#main-menu").get_by_role("link", name="Jejak audit").is_visible()
    assert wide.locator("form#list-filters").is_visible()

    # Without JavaScript nobody could open it: the menu and the filters stay open.
    plain = phone(java_script_enabled=False)
    login(plain, live_server, "ani", PASSWORD)
    plain.goto(f"{live_server.url}/koperasi/")
    assert plain.locator("button.menu-toggle").is_hidden()
    assert plain.locator("nav#main-menu").get_by_role("link", name="Jejak audit").is_visible()
    assert plain.locator("form#list-filters").is_visible()


TEMPLATE_TAGS = re.compile(r"{%.*?%}|{#.*?#}", re.S)


def test_every_table_of_a_page_scrolls_inside_its_own_box():
    """A table written into a page template sits in a .table-scroll, whatever its data today
    (django-tables2 tables get theirs from core/table.html; printed sheets, which do not extend
    base.html, are left alone)."""
    bare = []
    pages = 0
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        text = template.read_text()
        if '{% extends "base.html" %}' not in text:
            continue
        pages += 1
        for match in re.finditer(r"<table\b", text):
            before = TEMPLATE_TAGS.sub("", text[: match.start()]).rstrip()
            if not before.endswith('<div class="table-scroll">'):
                line = text.count("\n", 0, match.start()) + 1
                bare.append(f"{template.relative_to(settings.BASE_DIR)}:{line}")
    assert pages > 50
    assert not bare, "tables without a .table-scroll around them: " + ", ".join(bare)
