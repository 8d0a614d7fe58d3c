"""Every page speaks Indonesian: no English placeholder, no raw code, no unformatted number.

The crawl starts from every page without URL arguments, follows the links each persona sees (one
page per URL shape: ``/koperasi/12/`` stands for every cooperative) over the example data, and
reads the visible text of each page (text nodes and option labels; not scripts, styles, input
values, codes shown as ``<code>``/``<kbd>`` or attribute values).
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# English (or Django's untranslated) placeholders that must never reach a page.
PLACEHOLDERS = ("Select an option", "---------", "Unknown", "Choose a file", "Currently:")
# A value printed straight from Python.
PYTHON_VALUES = re.compile(r"(?<![\w-])(True|False|None)(?![\w-])")
# A raw code of a choice or a field name: two or more lowercase words joined by "_".
SNAKE_CASE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.@-])")
# A number of five digits or more printed without grouping (1234567 instead of 1.234.567).
UNGROUPED = re.compile(r"(?<![\w.,/:-])\d{5,}(?![\w.,/:-])")
# A percentage or a decimal written the English way (116.38%, 2.5 %).
ENGLISH_PERCENT = re.compile(r"(?<![\w.,])\d+\.\d+\s?%")
# English thousands grouping in money (Rp 5,000,000).
ENGLISH_MONEY = re.compile(r"Rp\s?\d{1,3}(?:,\d{3})+(?!\d)")

# A decimal written the English way (78.50, 0.1255); not a time of day ("2026 14.30") nor
# a section number ("Sasaran 2.1"); three decimals read as Indonesian thousands (12.500).
ENGLISH_DECIMAL = re.compile(r"(?<![\w.,:])(?<!\d{4} )\d+\.(?:\d{2}|\d{4,})(?![\w.,])")
# English words of libraries or raw code names that reached a page.
ENGLISH_WORDS = re.compile(
    r"\b(enterprises|cooperatives|persons|Unknown|Submit|This field is required|Enter a number"
    r"|Enter a whole number|Enter a valid)\b"
)

# Visible text that legitimately looks like one of the patterns above.
ALLOWED_TEXT = (
    # Identifiers people read and type as they are: NIK, NIB, KBLI, phone, postal codes, Renstra
    # codes. They are shown as digits without grouping on purpose.
    re.compile(r"^\d{5,}$"),
)

SKIPPED_PATHS = re.compile(
    r"^/(api|admin|static|media|keluar|bahasa|cari|wilayah|favicon|health)\b"
    r"|/berkas/|/pdf/|\.(pdf|xlsx|csv|geojson|json)$|/kegiatan/cari/|/peserta/cari/"
)
# Elements whose text is not prose: codes and numbers meant to be copied as they are.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp", "pre", "textarea", "template"}
CODE_CLASSES = {"code", "nik", "nib", "ident", "mono"}

MAX_PAGES_PER_PERSONA = 400


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached registry counts are keyed by a version row that rolls back with each test: clear
    them, so no figure computed here is served to a later test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class _VisibleText(HTMLParser):
    """Collects the visible text nodes and the links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        classes = set((attributes.get("class") or "").split())
        hidden = tag in SKIPPED_ELEMENTS or classes & CODE_CLASSES or "hidden" in attributes
        if hidden and tag not in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _plain_routes() -> list[str]:
    """The paths of every page that takes no URL argument."""

    def walk(patterns, prefix: str = "", namespace: str | None = None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:" if namespace else "") + pattern.name

    paths = []
    for name in walk(get_resolver().url_patterns):
        # A page that needs arguments is reached through the links instead.
        with contextlib.suppress(NoReverseMatch):
            paths.append(reverse(name))
    return sorted({p for p in paths if not SKIPPED_PATHS.search(p)})


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def problems_in(texts: list[str]) -> list[str]:
    """What a user should not see in these visible texts."""
    found = []
    for text in texts:
        if any(allowed.fullmatch(text) for allowed in ALLOWED_TEXT):
            continue
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                found.append(f"English placeholder {placeholder!r} in {text!r}")
        for regex, what in (
            (PYTHON_VALUES, "Python value"),
            (SNAKE_CASE, "raw code"),
            (UNGROUPED, "ungrouped number"),
            (ENGLISH_PERCENT, "English decimal"),
            (ENGLISH_MONEY, "English grouping"),
            (ENGLISH_DECIMAL, "English decimal"),
            (ENGLISH_WORDS, "English word"),
        ):
            match = regex.search(text)
            if match:
                found.append(f"{what} {match.group(0)!r} in {text[:120]!r}")
    return found


def walk(
    client,
    start: list[str],
    limit: int = MAX_PAGES_PER_PERSONA,
    skip: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, HttpResponse, _VisibleText | None]]:
    """The pages reachable from `start`, one per URL shape and none of the shapes in `skip`, as
    (path, response, the page's text and links, or None when the answer is not an HTML page with
    status 200). Shared by the crawls of other tests (the phone layout)."""
    queue = deque(start)
    seen_shapes: set[str] = set(skip)
    visited = 0
    while queue and visited < limit:
        path = queue.popleft()
        shape = _shape(path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            yield path, response, None
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        yield path, response, parser
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIPPED_PATHS.search(parts.path) or _shape(parts.path) in seen_shapes:
                continue
            queue.append(parts.path)


def crawl(client, start: list[str]) -> tuple[dict[str, list[str]], int]:
    """Visit the pages reachable from `start`, one per URL shape; problems by page."""
    problems: dict[str, list[str]] = {}
    visited = 0
    for path, response, parser in walk(client, start):
        visited += 1
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if parser is None:
            continue
        found = problems_in(parser.texts)
        if found:
            problems[path] = sorted(set(found))
    return problems, visited


@pytest.fixture
def example_data(personas, depok):
    """A small version of `make run`'s example data, plus the indicator bindings."""
    out = StringIO()
    call_command("load_indicator_bindings", stdout=out)
    from sikumi.core.management.commands.demo_data import _generator

    for app, kwargs in (
        ("cooperatives", {"count": 12, "seed": 7}),
        ("supervision", {"seed": 7}),
        ("enterprises", {"count": 40, "seed": 7}),
        ("activities", {"seed": 7}),
        ("monev", {"seed": 7}),
    ):
        generate = _generator(app)
        if generate is not None:
            generate(**kwargs)
    return personas


def test_problems_in_finds_what_users_should_not_see():
    assert problems_in(["- Select an option -"])
    assert problems_in(["Status: tidak_aktif"])
    assert problems_in(["Data pribadi: True"])
    assert problems_in(["Modal Rp 1250000"])
    assert problems_in(["Capaian tahun ini 116.38%"])
    assert problems_in(["Rp 5,000,000"])
    assert problems_in(["Skor 78.50"])
    assert problems_in(["enterprises"])
    assert not problems_in(
        ["Capaian tahun ini 116,38% (Sangat Tinggi)", "Rp 1.250.000", "2026", "2 Mei 2026 14.30"]
    )


def test_every_page_speaks_indonesian_to_every_persona(example_data, client):
    start = _plain_routes()
    report = []
    total = 0
    for name in ("ani", "kartika", "putri", "pandu", "wulan", "sari", "wawan", "kiki", "aulia"):
        client.force_login(getattr(example_data, name))
        problems, visited = crawl(client, start)
        total += visited
        for path, found in problems.items():
            report.append(f"{name} {path}: " + "; ".join(found))
        client.logout()
    # The crawl reached the detail pages, not only the lists.
    assert total > 9 * 60, total
    print(f"{total} pages crawled")
    assert not report, "\n".join(report)
