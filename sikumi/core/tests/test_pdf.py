"""The shared PDF machinery: a cache keyed by the document, no URL ever fetched, the warm-up,
the letterhead and signing official from settings and the organisation, the XLSX print
setup."""

import pytest
from pypdf import PdfReader

from sikumi.core import pdf
from sikumi.core.letterhead import (
    chosen_official,
    format_nip,
    letterhead,
    position_lines,
    signatory,
)

DOC = "<!DOCTYPE html><html><body><p>Rp 1.234.567 nomor {n}</p></body></html>"


@pytest.fixture
def cache_dir(settings, tmp_path):
    settings.SIKUMI_PDF_CACHE = True
    settings.SIKUMI_PDF_CACHE_DIR = tmp_path / "pdf"
    return tmp_path / "pdf"


def test_the_same_document_is_served_from_the_cache(cache_dir, monkeypatch):
    first = pdf.render(DOC.format(n=1))
    assert first.startswith(b"%PDF") and len(list(cache_dir.glob("*.pdf"))) == 1

    import weasyprint

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(weasyprint, "HTML", no_rendering)
    assert pdf.render(DOC.format(n=1)) == first
    with pytest.raises(AssertionError, match="rendered again"):
        pdf.render(DOC.format(n=2))  # another figure: another document


def _join_preparations():
    import threading

    for thread in threading.enumerate():
        if thread.name == "pdf-prepare":
            thread.join(60)


def _no_rendering(monkeypatch):
    import weasyprint

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(weasyprint, "HTML", refuse)


def test_a_prepared_document_is_served_without_rendering_it_again(cache_dir, monkeypatch):
    pdf.prepare(DOC.format(n=5))
    _join_preparations()
    assert len(list(cache_dir.glob("*.pdf"))) == 1
    _no_rendering(monkeypatch)
    assert pdf.render(DOC.format(n=5)).startswith(b"%PDF")
    pdf.prepare(DOC.format(n=5))  # cached: nothing started, nothing rendered


def test_a_download_waits_for_the_preparation_under_way(cache_dir, monkeypatch):
    import threading

    html = DOC.format(n=6)
    key = pdf.cache_key(html)
    cache_dir.mkdir(parents=True)
    pdf._pending_marker(key).touch()  # another worker is preparing it

    def finish():
        (cache_dir / f"{key}.pdf").write_bytes(b"%PDF-prepared")
        pdf._pending_marker(key).unlink()

    threading.Timer(0.3, finish).start()
    _no_rendering(monkeypatch)
    assert pdf.render(html) == b"%PDF-prepared"


def test_nothing_is_prepared_when_turned_off(cache_dir, settings):
    settings.SIKUMI_PDF_PREPARE = False
    pdf.prepare(DOC.format(n=7))
    _join_preparations()
    assert not cache_dir.exists()


def test_the_cache_keeps_the_most_recent_files_only(cache_dir, settings):
    settings.SIKUMI_PDF_CACHE_FILES = 2
    for n in range(4):
        pdf.render(DOC.format(n=n))
    assert len(list(cache_dir.glob("*.pdf"))) == 2


def test_without_the_cache_nothing_is_kept(cache_dir, settings):
    settings.SIKUMI_PDF_CACHE = False
    assert pdf.render(DOC.format(n=1)).startswith(b"%PDF")
    assert not cache_dir.exists()


def test_a_document_cannot_make_the_server_fetch_a_url(tmp_path):
    fetcher = pdf._fetcher()
    for url in ("http://127.0.0.1:9/secret.png", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher(url)
    assert fetcher("data:text/plain,halo").read() == b"halo"


def test_the_warm_up_runs_once_and_never_fails(monkeypatch):
    import weasyprint

    pdf._warm.clear()
    pdf.warm_up()
    assert pdf._warm.is_set()
    calls = []
    monkeypatch.setattr(weasyprint, "HTML", lambda *a, **k: calls.append(a))
    pdf.warm_up()
    assert calls == []  # once per process
    pdf._warm.clear()
    pdf.warm_up()  # a broken renderer: logged, the first PDF will tell
    assert calls and pdf._warm.is_set()


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "Kepala Dinas Koperasi dan Usaha Mikro Kota Depok",
            ["KEPALA DINAS KOPERASI DAN USAHA MIKRO", "KOTA DEPOK"],
        ),
        ("Plt. Kepala Dinas", ["PLT. KEPALA DINAS"]),
        ("", []),
    ],
)
def test_a_position_is_printed_in_capitals_with_the_city_on_its_own_line(text, lines):
    assert position_lines(text) == lines


def test_a_nip_is_grouped_as_on_letters():
    assert format_nip("197001011990031001") == "19700101 199003 1 001"
    assert format_nip("12345") == "12345"


def test_the_letterhead_comes_from_the_settings(settings, tmp_path):
    settings.SIKUMI_LETTERHEAD_PHONE = "(021) 1234567"
    settings.SIKUMI_LETTERHEAD_EMAIL = ""
    head = letterhead()
    assert head.lines[:2] == ["PEMERINTAH KOTA DEPOK", "DINAS KOPERASI DAN USAHA MIKRO"]
    assert head.contact == "Telp. (021) 1234567 · Laman: www.depok.go.id"
    assert head.logo.startswith("data:image/png;base64,")
    settings.SIKUMI_LETTERHEAD_LOGO = str(tmp_path / "missing.png")
    assert letterhead().logo == ""


@pytest.mark.django_db
def test_the_signing_official_defaults_to_the_kepala_dinas(personas):
    personas.putri.nip = "198501012010012001"
    personas.putri.save()
    assert chosen_official(None) == personas.kartika
    assert chosen_official(str(personas.putri.pk)) == personas.putri
    assert chosen_official(personas.sari.pk) == personas.kartika  # no NIP: not an official
    block = signatory(personas.kartika)
    assert block.position == ["KEPALA DINAS KOPERASI DAN USAHA MIKRO", "KOTA DEPOK"]
    assert block.place == "Depok" and block.name == "Kartika"
    assert signatory(personas.putri).position == []  # a staff member without a position


@pytest.mark.django_db
def test_a_registry_export_prints_landscape_one_page_wide(tmp_path, settings):
    import openpyxl

    from sikumi.core.exports import Column, write_xlsx

    path = tmp_path / "daftar.xlsx"
    write_xlsx(str(path), [Column("Nama", lambda r: r)], ["A", "B"], title="Daftar")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4 unless SIKUMI_PAPER_SIZE says F4
    assert ws.page_setup.fitToWidth in (None, 1, "1")  # absent: OOXML's default of 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"  # the column headers, under the title


def test_the_rendered_pdf_is_one_a4_page(cache_dir):
    import io

    reader = PdfReader(io.BytesIO(pdf.render(DOC.format(n=3))))
    assert len(reader.pages) == 1 and "Rp 1.234.567" in reader.pages[0].extract_text()
