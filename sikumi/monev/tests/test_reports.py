import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from sikumi.monev import demo, services
from sikumi.monev.models import IndicatorRealisation, PromiseFigure, Renja
from sikumi.monev.reports.builders import E81_COLUMNS, build
from sikumi.monev.reports.render import render_pdf, write_xlsx
from sikumi.monev.tests.conftest import approve_quarter

pytestmark = pytest.mark.django_db

HEADER_ROWS = 4  # title rows 0-3, then the headers


def _sheet_rows(path, sheet_index=0):
    ws = openpyxl.load_workbook(path).worksheets[sheet_index]
    return ws, list(ws.iter_rows(values_only=True))


def _match(pattern: str, text: str) -> str:
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    return found.group(0)


def test_history_page_recomputes_the_ratios_and_marks_the_printed_figures(
    plan, personas, client_for
):
    page = client_for(personas.kartika).get("/monev/laporan/riwayat/?dari=2016&sampai=2020")
    assert page.status_code == 200
    html = page.content.decode()
    row = _match(r"Presentase Koperasi Aktif.*?</tr>", html)
    cell = _match(r'<td class="num differs">100,14%.*?</td>', row)
    assert "tercetak" in cell and "102,80%" in cell
    row = _match(r"Presentase Usaha Mikro Naik Kelas.*?</tr>", html)
    cell = _match(r'<td class="num differs">14,00%.*?</td>', row)
    assert "9,33%" in cell
    # a ratio the document printed right is not marked
    assert '<td class="num">96,92%' in html


def test_history_xlsx_marks_the_cells_with_a_comment_naming_the_printed_figure(plan, tmp_path):
    report = build("history", year_from=2016, year_to=2020, plan=plan)
    path = tmp_path / "riwayat.xlsx"
    write_xlsx(report, str(path))
    ws = openpyxl.load_workbook(path).worksheets[0]
    found = {}
    for row in ws.iter_rows():
        name = row[1].value
        if name in ("Presentase Koperasi Aktif", "Presentase Usaha Mikro Naik Kelas"):
            ratios = row[3 + 5 + 5 : 3 + 15]  # No, name, unit, 5 targets, 5 realisations
            found[name] = ratios
    koperasi = found["Presentase Koperasi Aktif"][0]  # 2016
    assert koperasi.value == pytest.approx(100.14)
    assert "102,80%" in koperasi.comment.text and "100,14%" in koperasi.comment.text
    naik = found["Presentase Usaha Mikro Naik Kelas"][1]  # 2017
    assert naik.value == pytest.approx(14.0) and "9,33%" in naik.comment.text
    assert found["Presentase Koperasi Aktif"][1].comment is None  # 96,92% printed right


def test_history_budget_table_recomputes_ratios_and_growth(plan):
    report = build("history", year_from=2016, year_to=2020, plan=plan)
    budget = report.tables[1]
    total = budget.rows[-1]
    assert total.cells[1].value == "TOTAL"
    ratio_2016 = total.cells[2 + 10]
    assert ratio_2016.text == "87,43%" and not ratio_2016.differs
    growth = total.cells[-2]
    assert growth.differs  # the document printed a mean in rupiah under "average growth"


def test_e81_xlsx_rows_satisfy_13_equals_6_plus_12_and_14_equals_13_over_5(
    plan, personas, tmp_path
):
    demo.generate(seed=2026)
    path = tmp_path / "e81.xlsx"
    call_command("report", "e81", "--year", "2026", "--format", "xlsx", "--out", str(path))
    ws, rows = _sheet_rows(path)
    c = E81_COLUMNS
    data = rows[HEADER_ROWS + 4 :]
    data = [r for r in data if r[c["no"]] is not None and r[c["indikator"]] is not None]
    assert len(data) > 50
    checked_k = checked_rp = 0
    for r in data:
        rule = r[c["rule"]]
        k6, k12, k13, k5, k14 = r[c["6k"]], r[c["12k"]], r[c["13k"]], r[c["5k"]], r[c["14k"]]
        if rule == "jumlah" and (k6 is not None or k12 is not None):
            assert k13 == pytest.approx((k6 or 0) + (k12 or 0))
            checked_k += 1
        if rule == "nilai terakhir":
            assert k13 == (k12 if k12 is not None else k6)
        if k13 is not None and k5:
            assert k14 == pytest.approx(k13 / k5 * 100, abs=0.005)
        rp6, rp12, rp13, rp5, rp14 = (
            r[c["6rp"]],
            r[c["12rp"]],
            r[c["13rp"]],
            r[c["5rp"]],
            r[c["14rp"]],
        )
        if rp13 is not None:
            assert rp13 == pytest.approx((rp6 or 0) + (rp12 or 0))
            checked_rp += 1
            if rp5:
                assert rp14 == pytest.approx(rp13 / rp5 * 100, abs=0.005)
    assert checked_k > 10 and checked_rp > 10
    assert ws.cell(row=HEADER_ROWS + 5, column=len(E81_COLUMNS) + 1).value == "Ya"


def test_e81_quarter_limits_the_report_to_the_quarters_so_far(plan, personas):
    renja = services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    from sikumi.plans.models import Indicator

    ind = Indicator.objects.filter(
        plan=plan, table="program", node__unit__code="bidang-pemberdayaan", combine="sum"
    ).earliest("order")
    approve_quarter(personas, renja, ind, 1, 5)
    approve_quarter(personas, renja, ind, 2, 7)
    full = build("e81", year=2026, plan=plan)
    row = next(r for r in full.tables[0].rows if r.cells[3].value.startswith(ind.name))
    assert row.cells[E81_COLUMNS["12k"]].value == 12
    upto1 = build("e81", year=2026, quarter=1, plan=plan)
    row = next(r for r in upto1.tables[0].rows if r.cells[3].value.startswith(ind.name))
    assert row.cells[E81_COLUMNS["12k"]].value == 5


def test_lkjip_shows_capaian_and_predicate_and_a_dash_for_a_zero_target(plan, personas, client_for):
    demo.generate(seed=2026)
    renja = Renja.objects.get(plan=plan, year=2025)
    iku = renja.targets.get(indicator__source_id="S2.1/I1")
    services.renja_adjust(
        actor=personas.putri, renja=renja, reason="uji", targets={iku.indicator_id: Decimal(0)}
    )
    report = build("lkjip", year=2025, plan=plan)
    row = next(r for r in report.tables[0].rows if r.cells[2].value.startswith("Koperasi"))
    assert row.cells[5].text == "-" and row.cells[6].text == "-"
    other = next(r for r in report.tables[0].rows if r.cells[2].value.startswith("Nilai SAKIP"))
    assert other.cells[5].text.endswith("%") and other.cells[6].value != "-"
    page = client_for(personas.kartika).get("/monev/laporan/lkjip/?tahun=2025")
    assert page.status_code == 200
    assert "Koperasi Berkualitas" in page.content.decode()
    assert report.tables[1].rows[-1].cells[1].value == "JUMLAH"


def test_every_report_downloads_as_xlsx_and_pdf(plan, personas, client_for, tmp_path):
    demo.generate(seed=2026)
    client = client_for(personas.putri)
    for url in (
        "/monev/laporan/e81/?tahun=2026&triwulan=3",
        "/monev/laporan/lkjip/?tahun=2025",
        "/monev/laporan/riwayat/?dari=2016&sampai=2026",
    ):
        page = client.get(url)
        assert page.status_code == 200 and "Data contoh" in page.content.decode()
        xlsx = client.get(url + "&format=xlsx")
        assert xlsx.status_code == 200
        path = tmp_path / "x.xlsx"
        path.write_bytes(b"".join(xlsx.streaming_content))
        assert openpyxl.load_workbook(path).worksheets
    pdf = render_pdf(build("history", year_from=2016, year_to=2020, plan=plan))
    assert pdf.startswith(b"%PDF")


def test_a_missing_renja_or_bad_year_gives_a_message_not_an_error_page(plan, personas, client_for):
    page = client_for(personas.kartika).get("/monev/laporan/e81/?tahun=abc")
    assert page.status_code == 200
    page = client_for(personas.kartika).get("/monev/laporan/e81/?tahun=2024")
    assert page.status_code == 200 and "belum dibuat" in page.content.decode()
    page = client_for(personas.kartika).get("/monev/laporan/riwayat/?dari=2020&sampai=2016")
    assert "Tahun awal" in page.content.decode()


def test_the_report_command_writes_a_pdf(plan, tmp_path):
    path = tmp_path / "riwayat.pdf"
    call_command(
        "report",
        "history",
        "--from",
        "2016",
        "--to",
        "2020",
        "--format",
        "pdf",
        "--out",
        str(path),
    )
    assert path.read_bytes().startswith(b"%PDF")


def test_a_report_can_run_in_the_background_with_progress(
    plan, personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.putri)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/monev/laporan/history/latar/", {"dari": "2016", "sampai": "2020", "format": "xlsx"}
        )
    assert response.status_code == 200 and "progress" in response.content.decode()
    from sikumi.core.models import TaskProgress

    progress = TaskProgress.objects.latest("id")
    assert progress.status == "done"
    download = client.get(progress.result_url)
    assert download.status_code == 200


def test_demo_data_is_idempotent_and_labelled(plan):
    demo.generate(seed=2026)
    count = IndicatorRealisation.objects.count()
    demo.generate(seed=2026)
    assert IndicatorRealisation.objects.count() == count > 100
    assert not IndicatorRealisation.objects.filter(is_example=False).exists()
    assert set(
        IndicatorRealisation.objects.filter(renja__year=2026).values_list("quarter", flat=True)
    ) == {1, 2, 3}
    assert PromiseFigure.objects.filter(is_example=True).count() == 5
