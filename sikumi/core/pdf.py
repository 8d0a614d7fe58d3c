"""Every PDF of Sikumi goes through :func:`render`: WeasyPrint with local resources only, a
cache keyed by the document's content, and a warm-up for the workers.

Why a cache keyed by content: the same report is downloaded again and again (after a look at
the page, by the Kepala Dinas, by the auditor) while its data have not changed. The HTML a PDF
is made from holds every figure, the letterhead (logo included, as a data URI) and the date
of signing, so two equal HTML texts make equal PDFs; a changed figure, official or day makes a
new key. Nothing can be stale and nothing needs invalidating. The files are kept in
``SIKUMI_PDF_CACHE_DIR`` (owner-only, the same data as the database), the oldest removed
beyond ``SIKUMI_PDF_CACHE_FILES``.

Why prepare: the E.81 takes about 2 s of CPU to lay out (some 2.000 table cells); the report
page, which a user opens before "Unduh PDF", starts rendering it in a background thread
(:func:`prepare`), and the download takes the result from the cache (or waits for the part
left).

Why a warm-up: importing WeasyPrint (Pango, HarfBuzz, fontconfig through cffi) and loading
the fonts costs 1-3 s on this kind of machine; without it the first PDF of every new web
worker pays it (`bench/pdfs.py`: "cold"). ``config/wsgi.py`` runs it in a thread at worker
start.

No document ever fetches a URL: the fetcher allows ``data:`` URIs only, so a template cannot
make the server request itself (or anything else) while rendering.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger("sikumi.pdf")

# Part of every cache key: bump when rendering changes in a way the HTML does not show.
RENDER_VERSION = "1"

# The text face of every PDF (Debian: fonts-liberation); DejaVu where it is missing.
FONT_FAMILY = '"Liberation Sans Narrow", "DejaVu Sans Condensed", sans-serif'
FONT_FAMILY_WIDE = '"Liberation Sans", "DejaVu Sans", sans-serif'

_warm = threading.Event()


def _weasyprint_version() -> str:
    # From the package metadata: a cache hit must not pay for importing WeasyPrint.
    from importlib.metadata import version

    return version("weasyprint")


def cache_key(html: str, css: Sequence[str] = ()) -> str:
    digest = hashlib.sha256()
    for part in (RENDER_VERSION, _weasyprint_version(), html, *css):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _cache_dir() -> Path:
    return Path(settings.SIKUMI_PDF_CACHE_DIR)


def _cache_get(key: str) -> bytes | None:
    path = _cache_dir() / f"{key}.pdf"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return data


def _cache_put(key: str, data: bytes) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, folder / f"{key}.pdf")
        _cache_prune(folder)
    except OSError as exc:  # a full or read-only disk must not fail the download
        log.warning("PDF cache not written: %s", exc)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another worker
        return 0.0


def _cache_prune(folder: Path) -> None:
    """Keep the SIKUMI_PDF_CACHE_FILES most recently used PDFs; drop markers of preparations
    a killed process left."""
    keep = max(0, int(settings.SIKUMI_PDF_CACHE_FILES))
    files = sorted(folder.glob("*.pdf"), key=_mtime)
    stale = [m for m in folder.glob(".*.pending") if time.time() - _mtime(m) > 2 * 60]
    for path in files[: max(0, len(files) - keep)] + stale:
        with contextlib.suppress(OSError):
            path.unlink()


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # data: URIs only (the logo): never the network, never a file named by a template.
    return URLFetcher(allowed_protocols={"data"})


def _write_pdf(html: str, css: Sequence[str]) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    return bytes(
        HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=text, url_fetcher=fetcher) for text in css]
        )
    )


PREPARED_WAIT_SECONDS = 60.0  # a preparation older than this is taken as dead


def _pending_marker(key: str) -> Path:
    """Exists while a process prepares ``key`` (any web worker may get the download)."""
    return _cache_dir() / f".{key}.pending"


def _being_prepared(marker: Path) -> bool:
    try:
        return time.time() - marker.stat().st_mtime < PREPARED_WAIT_SECONDS
    except OSError:
        return False


def render(html: str, *, css: Sequence[str] = ()) -> bytes:
    """The PDF of ``html`` (with extra stylesheets given as text), from the cache when the
    same document was rendered before, or when it is being prepared: then once it is done."""
    if not getattr(settings, "SIKUMI_PDF_CACHE", True):
        return _write_pdf(html, css)
    key = cache_key(html, css)
    marker = _pending_marker(key)
    while (cached := _cache_get(key)) is None and _being_prepared(marker):
        time.sleep(0.05)
    if cached is not None:
        return cached
    pdf = _write_pdf(html, css)
    _cache_put(key, pdf)
    return pdf


def prepare(html: str, *, css: Sequence[str] = ()) -> None:
    """Render ``html`` into the cache in a background thread, so that the download that
    usually follows (the report page's "Unduh PDF") is served at once, whichever web worker
    gets it. Nothing is done when the document is cached or being prepared already, or with
    ``SIKUMI_PDF_PREPARE`` off. Only WeasyPrint runs in the thread: no database, no
    template."""
    if not (getattr(settings, "SIKUMI_PDF_CACHE", True) and settings.SIKUMI_PDF_PREPARE):
        return
    key = cache_key(html, css)
    marker = _pending_marker(key)
    if (_cache_dir() / f"{key}.pdf").exists() or _being_prepared(marker):
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        marker.touch(mode=0o600)
    except OSError:
        return

    def run() -> None:
        try:
            _cache_put(key, _write_pdf(html, css))
        except Exception:  # the download will render it (and show the error) itself
            log.exception("PDF not prepared")
        finally:
            with contextlib.suppress(OSError):
                marker.unlink()

    threading.Thread(target=run, name="pdf-prepare", daemon=True).start()


WARM_UP_HTML = (
    "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><style>"
    "@page { size: A4 landscape; margin: 10mm; "
    "@bottom-right { content: 'Halaman ' counter(page) ' dari ' counter(pages); } }"
    f"body {{ font-family: {FONT_FAMILY}; font-size: 7pt; }} "
    f".w {{ font-family: {FONT_FAMILY_WIDE}; }} th, td {{ border: 0.4pt solid #555; }}"
    "</style></head><body><h1>Sikumi</h1><p class='w'>Rp 1.234.567,89 <b>Tebal</b> <i>miring</i>"
    " &#9745; &#9744; &#10003;</p><table><tr><th>No</th><td>1.234</td></tr></table></body></html>"
)


def warm_up() -> None:
    """Import WeasyPrint and lay out a small page with the fonts the PDFs use (and load the
    URLconf), once per process, so that the first user's PDF does not pay for it. Never
    raises."""
    if _warm.is_set():
        return
    try:
        from django.urls import get_resolver
        from weasyprint import HTML

        # The URLconf imports every view module: also paid by a new worker's first request.
        get_resolver().url_patterns  # noqa: B018
        HTML(string=WARM_UP_HTML, url_fetcher=_fetcher()).write_pdf()
    except Exception:  # a failed warm-up only leaves the cost to the first PDF
        log.exception("PDF warm-up failed")
    _warm.set()


def warm_up_in_background() -> None:
    """Start :func:`warm_up` in a daemon thread (web worker start: serving is not delayed)."""
    if getattr(settings, "SIKUMI_PDF_WARM_UP", True):
        threading.Thread(target=warm_up, name="pdf-warm-up", daemon=True).start()


# --- column widths of printed tables ----------------------------------------------------------
#
# WeasyPrint lays a table out fastest with `table-layout: fixed` and widths it is given: with
# `auto` it first measures every cell's text twice (its narrowest and widest line). And only
# widths computed from the figures keep an amount from being broken inside the number. So the
# tables of the PDFs are sized here: every figure column as wide as its widest figure (figures
# never wrap), text columns share the rest by weight (their XLSX widths), and the font shrinks
# when the figures alone do not fit.

PT_MM = 25.4 / 72
#: paper (width, height) in mm, portrait
PAPERS = {"A4": (210.0, 297.0), "F4": (215.9, 330.2), "A3": (297.0, 420.0)}
SAFETY = 1.08  # estimated widths are widened by this much (hinting, a fallback face)
MIN_TEXT_MM = 9.0
#: a text column is kept as wide as its longest word, up to this many em (longer ones break)
MAX_WORD_EM = 7.0

# Advance widths (em) of the figures in Liberation Sans Narrow and in Liberation Sans (Arial's
# metrics), the same in bold; letters by their average (lower case, capitals; bold).
_NARROW = {**dict.fromkeys("0123456789", 0.456), ".": 0.228, ",": 0.228, " ": 0.228}
_NARROW.update({"-": 0.273, "%": 0.729, "R": 0.592, "p": 0.456, "(": 0.273, ")": 0.273})
_WIDE = {**dict.fromkeys("0123456789", 0.556), ".": 0.278, ",": 0.278, " ": 0.278}
_WIDE.update({"-": 0.333, "%": 0.889, "R": 0.722, "p": 0.556, "(": 0.333, ")": 0.333})
_LETTERS = {  # (wide, bold): (lower case, capital)
    (False, False): (0.45, 0.58),
    (False, True): (0.5, 0.62),
    (True, False): (0.53, 0.68),
    (True, True): (0.58, 0.72),
}


def configured_paper() -> str:
    """The paper of printed outputs (``SIKUMI_PAPER_SIZE``): A4 or F4."""
    paper = str(getattr(settings, "SIKUMI_PAPER_SIZE", "A4")).upper()
    return "F4" if paper in ("F4", "FOLIO") else "A4"


def landscape_size(paper: str) -> str:
    """The CSS ``@page`` size of ``paper`` in landscape."""
    width, height = PAPERS[paper]
    return f"{height:g}mm {width:g}mm"


def text_em(text: str, *, bold: bool = False, wide: bool = False) -> float:
    """Estimated width of ``text`` in em: Liberation Sans Narrow, or Liberation Sans (Arial)
    when ``wide``."""
    figures = _WIDE if wide else _NARROW
    lower, capital = _LETTERS[wide, bold]
    return sum(figures.get(ch, capital if ch.isupper() else lower) for ch in text)


_BREAKS = re.compile(r"\s+|(?<=[/-])(?=\D)")  # a line may break at a space, after "/" or "-"


def longest_word_em(text: str, *, bold: bool = False, wide: bool = False) -> float:
    """Width in em of the longest piece of ``text`` a line cannot break inside."""
    pieces = _BREAKS.split(text)
    return max((text_em(piece, bold=bold, wide=wide) for piece in pieces), default=0.0)


def fit_widths(
    fixed_em: Sequence[float | None],
    weights: Sequence[float],
    min_em: Sequence[float],
    *,
    usable_mm: float,
    font_pt: float,
    pad_pt: float,
    min_share: float = 0.0,
) -> list[float] | None:
    """Column widths in mm: a column with a ``fixed_em`` width (at 1 pt) gets it, the others
    share what is left by ``weights``, none narrower than its ``min_em`` or MIN_TEXT_MM; None
    when the columns do not fit on ``usable_mm`` or the text columns would get less than
    ``min_share`` of it. ``pad_pt``: a cell's padding and border."""
    pad = pad_pt * PT_MM
    widths: list[float | None] = [
        None if em is None else em * font_pt * PT_MM + pad for em in fixed_em
    ]
    flexible = [i for i, w in enumerate(widths) if w is None]
    minimum = {i: max(MIN_TEXT_MM, min_em[i] * font_pt * PT_MM + pad) for i in flexible}
    room = usable_mm - sum(w for w in widths if w is not None)
    if room < sum(minimum.values()) - 0.01 or (flexible and room < min_share * usable_mm):
        return None
    # Share the room by weight; a column below its minimum gets the minimum and the others
    # share what is left.
    free = set(flexible)
    while free:
        total = sum(weights[i] for i in free) or 1.0
        share = room - sum(widths[i] or 0.0 for i in flexible if i not in free)
        short = [i for i in free if share * weights[i] / total < minimum[i]]
        if not short:
            for i in free:
                widths[i] = share * weights[i] / total
            break
        for i in short:
            widths[i] = minimum[i]
            free.discard(i)
    return [round(w or 0.0, 2) for w in widths]


#: the text columns of a table should get this share of the width, or the font shrinks
TEXT_SHARE = 0.2


def choose_widths(
    fixed_em: Sequence[float | None],
    weights: Sequence[float],
    min_em: Sequence[float],
    *,
    usable_mm: float,
    fonts: Sequence[float],
    pad_pt: float,
) -> tuple[float, list[float]] | None:
    """(font size, widths): the largest of ``fonts`` (largest first) leaving the text columns
    TEXT_SHARE of the width; else the smallest, which leaves them the most; None when the
    columns do not fit at all."""
    for share, sizes in ((TEXT_SHARE, fonts), (0.0, fonts[-1:])):
        for font in sizes:
            widths = fit_widths(
                fixed_em,
                weights,
                min_em,
                usable_mm=usable_mm,
                font_pt=font,
                pad_pt=pad_pt,
                min_share=share,
            )
            if widths is not None:
                return font, widths
    return None
