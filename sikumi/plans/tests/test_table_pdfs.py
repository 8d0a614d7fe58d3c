"""The Renstra's tables as printed: every figure whole on one line, a font size and paper chosen
from the figures, and XLSX files that print landscape, one page wide."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from sikumi.plans.document import load_document
from sikumi.plans.exports import export_table
from sikumi.plans.loader import DEFAULT_FOLDER
from sikumi.plans.reports import TABLES, build_sheet, sheet_layout

# the program table names the units as the organisation chart does (a query)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def yaml_doc():
    return load_document(DEFAULT_FOLDER)


def _lines(content: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() for page in pages).splitlines()


@pytest.mark.parametrize("key", ["program", "tc24", "tc23"])
def test_every_figure_of_the_table_pdf_stands_whole_on_one_line(yaml_doc, key):
    out = io.BytesIO()
    export_table(yaml_doc, key, "pdf", out)
    lines = _lines(out.getvalue())
    sheet = build_sheet(yaml_doc, key)
    figures = {
        cell.text() for row in sheet.rows for cell in row.cells if cell.is_number and cell.value
    }
    figures = {f for f in figures if len(f) >= 5}
    assert figures
    broken = [
        f
        for f in figures
        if not any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d.,])", line) for line in lines)
    ]
    assert broken == []


def test_the_program_table_keeps_a_readable_font_and_a4(yaml_doc, settings):
    layout = sheet_layout(build_sheet(yaml_doc, "program"))
    assert layout.paper == "A4" and layout.font_pt >= 5.5
    assert sum(layout.widths_mm) <= 297 - 20 + 0.1
    settings.SIKUMI_PAPER_SIZE = "F4"
    wider = sheet_layout(build_sheet(yaml_doc, "program"))
    assert wider.paper == "F4" and wider.page_size == "330.2mm 215.9mm"
    assert sum(wider.widths_mm) > sum(layout.widths_mm)


@pytest.mark.parametrize("key", sorted(TABLES))
def test_each_renstra_table_xlsx_prints_landscape_one_page_wide(
    plan_with_personas, personas, client_for, key
):
    response = client_for(personas.putri).get(reverse("plans:table_download", args=[key, "xlsx"]))
    if response.status_code == 404:
        pytest.skip(f"{key} is not in this Renstra")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1, "1")  # absent: OOXML's default of 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows  # the header rows repeat on every page
