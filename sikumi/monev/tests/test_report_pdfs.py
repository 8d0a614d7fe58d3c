"""The E.81 and Laporan Kinerja as the office prints and signs them: every amount whole on one
line, the letterhead, the signature block of the Kepala Dinas or of the official picked, the
XLSX ready to print (landscape, fitted to the width, header rows repeated)."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from sikumi.monev.reports.builders import build
from sikumi.rules.formatting import format_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def kartika_signs(personas):
    personas.kartika.first_name, personas.kartika.last_name = "Kartika", "Sari Dewi"
    personas.kartika.nip = "197001011990032001"
    personas.kartika.save()
    return personas.kartika


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _whole_on_a_line(text: str, lines: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\d.,]){re.escape(text)}(?![\d.,])")
    return any(pattern.search(line) for line in lines)


def test_every_amount_of_the_e81_pdf_stands_whole_on_one_line(plan, renja, personas, client_for):
    report = build("e81", year=2026, plan=plan)
    response = client_for(personas.putri).get("/monev/laporan/e81/?tahun=2026&format=pdf")
    assert response.status_code == 200
    lines = _pdf_text(response.content).splitlines()
    figures = {
        cell.text
        for table in report.pdf.tables
        for row in table.rows
        for cell in row.cells
        if cell.numeric and len(cell.text) >= 5
    }
    assert "56.587.533.834" in figures  # the Renstra's pagu of the first program, in Rp
    broken = [f for f in figures if not _whole_on_a_line(f, lines)]
    assert broken == []


def test_the_e81_pdf_carries_the_letterhead_and_the_kepala_dinas_signature(
    plan, renja, personas, client_for, kartika_signs
):
    response = client_for(personas.putri).get("/monev/laporan/e81/?tahun=2026&format=pdf")
    text = _pdf_text(response.content)
    for line in (
        "PEMERINTAH KOTA DEPOK",
        "DINAS KOPERASI DAN USAHA MIKRO",
        "Jl. Margonda Raya No. 54",
        f"Depok, {format_date(timezone.localdate())}",
        "KEPALA DINAS KOPERASI DAN USAHA MIKRO",
        "KOTA DEPOK",
        "Kartika Sari Dewi",
        "NIP. 19700101 199003 2 001",
    ):
        assert line in text, line
    # the data checks of Sikumi follow the form and its signature
    assert text.index("NIP. 19700101") < text.index("pemeriksaan data Sikumi")


def test_a_plt_picked_on_the_report_page_signs_the_lkjip(
    plan, renja, personas, client_for, kartika_signs
):
    plt = personas.pandu
    plt.nip, plt.position = (
        "198002022005011003",
        "Plt. Kepala Dinas Koperasi dan Usaha Mikro Kota Depok",
    )
    plt.save()
    client = client_for(personas.putri)
    page = client.get("/monev/laporan/lkjip/?tahun=2026").content.decode()
    assert f'<option value="{plt.pk}">' in page and "Penandatangan" in page
    text = _pdf_text(
        client.get(f"/monev/laporan/lkjip/?tahun=2026&format=pdf&penandatangan={plt.pk}").content
    )
    assert "PLT. KEPALA DINAS KOPERASI DAN USAHA MIKRO" in text
    assert "NIP. 19800202 200501 1 003" in text
    assert "Kartika Sari Dewi" not in text


def test_someone_without_a_nip_cannot_be_named_to_sign(
    plan, renja, personas, client_for, kartika_signs
):
    client = client_for(personas.putri)
    for value in (personas.sari.pk, "abc", "99999"):
        response = client.get(f"/monev/laporan/e81/?tahun=2026&format=pdf&penandatangan={value}")
        assert response.status_code == 200
        assert "Kartika Sari Dewi" in _pdf_text(response.content)


def test_without_a_kepala_dinas_on_record_the_block_is_left_to_sign_by_hand(plan, renja, personas):
    from sikumi.monev.reports.render import render_pdf

    text = _pdf_text(render_pdf(build("lkjip", year=2026, plan=plan)))
    assert "Kartika\nNIP. ......" in text  # the Kepala Dinas has no NIP on record yet
    personas.kartika.roles.clear()
    text = _pdf_text(render_pdf(build("lkjip", year=2026, plan=plan)))
    assert "KEPALA DINAS KOPERASI DAN USAHA MIKRO" in text
    assert "(......" in text and "NIP. ......" in text
    assert "Kartika" not in text


def test_the_history_is_no_official_document(plan):
    from sikumi.monev.reports.render import render_pdf

    text = _pdf_text(render_pdf(build("history", year_from=2016, year_to=2020, plan=plan)))
    assert "PEMERINTAH KOTA DEPOK" not in text and "NIP." not in text


def test_amounts_under_a_rupiah_header_are_printed_without_repeating_rp(plan, renja):
    report = build("lkjip", year=2026, plan=plan)
    budget = report.pdf.tables[-1]
    assert [h.label for h in budget.header[0]][2] == "Pagu 2026 (Rp)"
    total = budget.rows[-1].cells
    assert total[1].text == "JUMLAH" and not total[2].text.startswith("Rp")
    # on the page the same cell keeps its "Rp"
    assert report.tables[-1].rows[-1].cells[2].text.startswith("Rp ")


@pytest.mark.parametrize(("paper", "code"), [("A4", 9), ("F4", 14)])
def test_the_e81_xlsx_prints_landscape_fitted_to_the_width_with_the_letterhead(
    plan, renja, personas, client_for, settings, paper, code
):
    settings.SIKUMI_PAPER_SIZE = paper
    response = client_for(personas.putri).get("/monev/laporan/e81/?tahun=2026&format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == code
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # one page wide (absent: OOXML's default of 1), as many pages tall as needed
    assert setup.fitToWidth in (None, 1, "1") and int(setup.fitToHeight) == 0
    assert ws.print_title_rows == "$5:$8"  # the four header rows of the form
    assert "PEMERINTAH KOTA DEPOK" in ws.oddHeader.center.text
    assert "Halaman &P dari &N" in ws.oddFooter.center.text
    assert ws.page_margins.left <= 0.3


def test_the_report_page_prepares_the_pdf_its_download_button_fetches(
    plan, renja, personas, client_for, settings, tmp_path, monkeypatch
):
    import threading

    import weasyprint

    settings.SIKUMI_PDF_CACHE_DIR = tmp_path / "pdf"
    client = client_for(personas.putri)
    assert client.get("/monev/laporan/e81/?tahun=2026").status_code == 200
    for thread in threading.enumerate():
        if thread.name == "pdf-prepare":
            thread.join(60)
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("rendered on download")

    monkeypatch.setattr(weasyprint, "HTML", refuse)
    response = client.get("/monev/laporan/e81/?tahun=2026&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "PEMERINTAH KOTA DEPOK" in _pdf_text(response.content)
