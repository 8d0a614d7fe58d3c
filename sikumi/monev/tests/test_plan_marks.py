"""The plan checker's marks travel with the figures they are about: a target or pagu the
checker flags is flagged on every E.81 and LKjIP row, indicator page and dashboard row using it."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from sikumi.monev import services
from sikumi.monev.reports.builders import E81_COLUMNS, build
from sikumi.plans.models import Indicator
from sikumi.plans.selectors import figure_marks

pytestmark = pytest.mark.django_db

# Two end targets of the Depok Renstra the checker flags (see docs/plan.md):
WIRAUSAHA = "Persentase jumlah wirausaha baru dan pengusaha perempuan"  # 5000 for a percentage
DOKUMEN = "Jumlah Dokumen"  # of P1.K1.S1: printed 12, the yearly targets add up to 11
NODES = {WIRAUSAHA: "P7.K1", DOKUMEN: "P1.K1.S1"}
MARK = "Target akhir Renstra ditandai salah oleh pemeriksa rencana"


def _indicator(plan, name):
    return Indicator.objects.get(plan=plan, name=name, node__source_id=NODES[name])


def _e81_row(report, ind):
    node = f"{ind.node.code} {ind.node.name}".strip()
    return next(
        r
        for r in report.tables[0].rows
        if r.cells[E81_COLUMNS["indikator"]].value.startswith(ind.name)
        and r.cells[E81_COLUMNS["program"]].value == node
    )


def test_the_checker_marks_are_attached_to_the_indicators_they_are_about(plan):
    marks = figure_marks(plan)
    wirausaha = marks.of_indicator(_indicator(plan, WIRAUSAHA).pk, fields=["end_target"])
    assert [m.kind for m in wirausaha] == ["semantics"]
    assert wirausaha[0].text.startswith(MARK)
    assert "tercetak 5.000, hitung ulang 100" in wirausaha[0].text
    dokumen = marks.of_indicator(_indicator(plan, DOKUMEN).pk, fields=["end_target"])
    assert [m.kind for m in dokumen] == ["error"]
    assert "tercetak 12, hitung ulang 11" in dokumen[0].text
    assert dokumen[0].url.startswith("/renstra/pemeriksaan/?plan=")
    # an unflagged indicator carries no mark
    clean = Indicator.objects.filter(plan=plan, table="program").exclude(
        pk__in=list(marks.indicators)
    )
    assert not marks.of_indicator(clean.first().pk)


def test_the_e81_row_of_a_flagged_end_target_says_so_in_keterangan_page_xlsx_and_pdf(
    plan, personas, client_for
):
    services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    report = build("e81", year=2026, plan=plan)
    ind = _indicator(plan, WIRAUSAHA)
    row = _e81_row(report, ind)
    keterangan = row.cells[E81_COLUMNS["16"]]
    assert keterangan.text.startswith(MARK + " (makna angka keliru): Target akhir periode bukan")
    assert "#temuan-indicator-" in keterangan.link
    other = _e81_row(report, _indicator(plan, DOKUMEN))
    assert other.cells[E81_COLUMNS["16"]].text.startswith(MARK + ": Target akhir periode tidak")
    # a row whose figures the checker does not flag says nothing of the sort
    unflagged = [
        r
        for r in report.tables[0].rows
        if "pemeriksa rencana" not in r.cells[E81_COLUMNS["16"]].text
    ]
    assert len(unflagged) > 50

    client = client_for(personas.kartika)
    page = client.get("/monev/laporan/e81/?tahun=2026").content.decode()
    start = page.index(WIRAUSAHA)
    html_row = page[start : page.index("</tr>", start)]
    assert MARK in html_row and "Lihat temuan" in html_row
    assert f'href="{keterangan.link}"' in html_row

    xlsx = client.get("/monev/laporan/e81/?tahun=2026&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    cells = [
        r
        for r in sheet.iter_rows(values_only=True)
        if isinstance(r[E81_COLUMNS["indikator"]], str)
        and r[E81_COLUMNS["indikator"]].startswith(WIRAUSAHA)
    ]
    assert cells and cells[0][E81_COLUMNS["16"]].startswith(MARK)

    pdf_html = render_to_string("monev/report_pdf.html", {"report": report})
    start = pdf_html.index(WIRAUSAHA)
    assert MARK in pdf_html[start : pdf_html.index("</tr>", start)]


def test_the_lkjip_has_a_keterangan_column_stating_the_marks(plan, personas):
    services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    report = build("lkjip", year=2026, plan=plan)
    table = report.tables[0]
    assert table.header[0][-1].label == "Keterangan"
    assert all(len(r.cells) == len(table.rows[0].cells) for r in table.rows)
    marks = figure_marks(plan)
    for row in table.rows:
        name = row.cells[2].value
        ind = next(i for i in Indicator.objects.filter(plan=plan) if name.startswith(i.name))
        expected = marks.of_indicator(ind.pk, fields=["end_target"])
        expected += marks.of_indicator(ind.pk, fields=["target"], year=2026)
        assert (row.cells[-1].text != "") == bool(expected), name


def test_the_indicator_page_shows_the_mark_with_a_link_to_the_finding(plan, personas, client_for):
    call_command("load_indicator_bindings", stdout=StringIO())
    ind = _indicator(plan, WIRAUSAHA)
    page = client_for(personas.kartika).get(f"/indikator/{ind.pk}/").content.decode()
    assert 'id="plan-marks"' in page
    assert MARK in page and "Lihat temuan" in page
    assert f"#temuan-indicator-{ind.pk}-end_target" in page
    # the checker page has the row the link points at
    check = client_for(personas.kartika).get(f"/renstra/pemeriksaan/?plan={plan.pk}")
    assert f'id="temuan-indicator-{ind.pk}-end_target"' in check.content.decode()


def test_a_corrected_end_target_loses_its_mark_on_the_e81_row(plan, personas):
    from decimal import Decimal

    from sikumi.plans.services import end_target_set

    services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    ind = _indicator(plan, DOKUMEN)
    assert MARK in _e81_row(build("e81", year=2026, plan=plan), ind).cells[E81_COLUMNS["16"]].text
    end_target_set(
        actor=personas.putri,
        indicator=ind,
        value=Decimal(11),
        reason="Target akhir = jumlah target tahunan",
        expected_version=ind.version,
    )
    row = _e81_row(build("e81", year=2026, plan=plan), ind)
    assert "pemeriksa rencana" not in row.cells[E81_COLUMNS["16"]].text
    assert row.cells[E81_COLUMNS["16"]].link == ""


def test_the_dashboard_at_risk_list_marks_an_indicator_with_a_flagged_target(
    plan, personas, client_for, pemberdayaan_indicator
):
    renja = services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    flagged, clean = _indicator(plan, WIRAUSAHA), pemberdayaan_indicator
    assert not figure_marks(plan).of_indicator(clean.pk)
    for ind in (flagged, clean):  # both far behind their targets after TW I
        row = services.realisation_save(
            actor=personas.sari, renja=renja, indicator=ind, quarter=1, value=0
        )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)
    sub = services.submission_verify(actor=personas.pandu, submission=sub)
    services.submission_approve(actor=personas.putri, submission=sub)

    page = client_for(personas.kartika).get("/monev/dasbor/?tahun=2026").content.decode()
    start = page.index('id="at-risk"')
    table = page[start : page.index("</table>", start)]

    def row_of(name):
        at = table.index(name)
        return table[at : table.index("</tr>", at)]

    assert MARK in row_of(WIRAUSAHA) and "Lihat temuan" in row_of(WIRAUSAHA)
    assert f"#temuan-indicator-{flagged.pk}-end_target" in row_of(WIRAUSAHA)
    assert "pemeriksa rencana" not in row_of(clean.name)
