import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sikumi.plans.checker import check_document, corrected_copy
from sikumi.plans.document import load_document
from sikumi.plans.exports import export_table
from sikumi.plans.loader import DEFAULT_FOLDER
from sikumi.plans.models import Indicator, PlanNode

#: (table, fragment of the location, printed, recomputed): the document's real errors
REAL_ERRORS = [
    ("Bab VI", "2.17.06", 14107236000, 14257236000),
    ("Bab VI", "P6.K1.S1", 14107236000, 14257236000),
    ("Bab VI", "Jumlah Dokumen", 12, 11),
    ("Bab VI", "Jumlah Promosi", 45, 40),
    ("T-C.23", "Koperasi Aktif", 102.8, 100.14),
    ("T-C.23", "Naik Kelas", 9.33, 14.0),
    ("", "PNS", 67, 56.67),
    ("", "Non PNS", 33, 43.33),
    ("Tabel e", "Jumlah", 12, 19),
    ("Tabel f", "Jumlah", 34, 32),
]


def _run_check(*args):
    out = io.StringIO()
    call_command("plan_check", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def _find(findings, table, where, printed, recomputed):
    for f in findings:
        if table and table not in f["table"] and table not in f["location"]:
            continue
        if where not in f["location"]:
            continue
        if f["printed"] == printed and f["recomputed"] == pytest.approx(recomputed, abs=0.005):
            return f
    return None


@pytest.fixture(scope="module")
def yaml_doc():
    return load_document(DEFAULT_FOLDER)


def test_plan_check_json_lists_each_real_error_with_its_recomputed_value(plan):
    findings = _run_check()
    assert all({"table", "location", "printed", "recomputed", "kind"} <= set(f) for f in findings)
    for table, where, printed, recomputed in REAL_ERRORS:
        found = _find(findings, table, where, printed, recomputed)
        assert found is not None, (table, where)
        assert found["kind"] == "error"
    asset_total = [
        f for f in findings if "2.4" in f["table"] + f["location"] and f["kind"] == "error"
    ]
    assert asset_total and asset_total[0]["recomputed"] == pytest.approx(4347407744, abs=1)
    assert sum(1 for f in findings if f["kind"] == "error") == 11


def test_rounding_only_differences_are_not_errors(plan):
    findings = _run_check()
    p1 = [f for f in findings if "2.17.01" in f["location"]]
    assert p1 and all(f["kind"] == "rounding" for f in p1)
    for f in findings:
        if f["kind"] == "error" and isinstance(f["printed"], int | float):
            assert abs(f["printed"] - f["recomputed"]) >= 0.01


def test_a_corrected_copy_has_no_error(yaml_doc):
    fixed = corrected_copy(yaml_doc, check_document(yaml_doc))
    assert [f for f in check_document(fixed) if f.kind == "error"] == []


def test_correcting_the_wrong_figures_through_the_services_removes_their_errors(
    plan_with_personas, personas
):
    from sikumi.plans import services

    plan = plan_with_personas
    putri = personas.putri
    before = _run_check()
    for source_id in ("P6", "P6.K1.S1"):
        node = PlanNode.objects.get(plan=plan, source_id=source_id)
        services.pagu_total_set(
            actor=putri, node=node, value=Decimal("14257236000"), reason="Koreksi jumlah"
        )
    for source_id, value in (("P1.K1.S1/I1", 11), ("P8.K1.S1/I3", 40)):
        indicator = Indicator.objects.get(plan=plan, table="program", source_id=source_id)
        services.end_target_set(
            actor=putri, indicator=indicator, value=Decimal(value), reason="Koreksi jumlah"
        )
    after = _run_check()
    for table, where, printed, recomputed in REAL_ERRORS[:4]:
        assert _find(before, table, where, printed, recomputed) is not None
        assert _find(after, table, where, printed, recomputed) is None
    assert sum(1 for f in after if f["kind"] == "error") == 11 - 4
    node = PlanNode.objects.get(plan=plan, source_id="P6")
    assert node.pagu_total_printed == "14.257.236.000"


def _read_program_xlsx(path):
    ws = openpyxl.load_workbook(path, data_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Kode")
    return rows[header], rows[header + 3 :]


def test_the_program_xlsx_holds_every_yearly_pagu_target_and_total_as_numbers(
    plan, yaml_doc, tmp_path
):
    out = tmp_path / "program.xlsx"
    call_command("plan_export", "program", "--format", "xlsx", "--out", str(out))
    _, rows = _read_program_xlsx(out)
    table = yaml_doc.program_table
    years = table.years
    expected = []
    total = [None, None, None, None]
    for y in years:
        total += [None, table.opd_pagu[y].v]
    total += [None, table.opd_pagu_total.v]
    expected.append(total)
    for item in table.items():
        for index, ind in enumerate(item.indicators or [None]):
            first = index == 0
            cells = [item.code or None if first else None, item.name if first else None]
            cells.append(ind.name if ind else None)
            cells.append(ind.baseline.v if ind and ind.baseline else None)
            for y in years:
                target = ind.targets.get(y) if ind else None
                cells.append(target.v if target else None)
                pagu = item.pagu.get(y) if first else None
                cells.append(pagu.v if pagu else None)
            cells.append(ind.end_target.v if ind and ind.end_target else None)
            cells.append(item.pagu_total.v if first and item.pagu_total else None)
            expected.append(cells)
    assert len(rows) == len(expected)
    compared = 0
    for got, want in zip(rows, expected, strict=True):
        for col in range(4, 4 + 2 * len(years) + 2):
            value = want[col]
            if isinstance(value, Decimal):
                assert isinstance(got[col], int | float), (want[1], col, got[col])
                assert Decimal(str(got[col])) == value, (want[1], col)
                compared += 1
            elif value is None:
                assert got[col] in (None, "", "-"), (want[1], col, got[col])
        if want[1]:
            assert got[1] == want[1]
    assert compared > 500
    # the OPD row and a known cell, read like a person would
    assert rows[0][1].startswith("DINAS KOPERASI")
    assert rows[0][5] == 24285144731


def test_the_xlsx_has_merged_headings_and_indonesian_number_formats(plan, yaml_doc, tmp_path):
    out = tmp_path / "program.xlsx"
    export_table(yaml_doc, "program", "xlsx", out)
    ws = openpyxl.load_workbook(out).active
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert len(merged) >= 8
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Kode")
    cell = ws.cell(header_row + 3, 6)
    assert cell.value == 24285144731 and cell.number_format == "#,##0"


@pytest.mark.parametrize("table", ["tujuan-sasaran", "strategi", "ikk", "iku", "tc23", "tc24"])
def test_every_table_exports_to_xlsx(yaml_doc, tmp_path, table):
    out = tmp_path / f"{table}.xlsx"
    export_table(yaml_doc, table, "xlsx", out)
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row > 4


def test_tc24_xlsx_keeps_the_printed_figures_as_numbers(yaml_doc, tmp_path):
    out = tmp_path / "tc24.xlsx"
    export_table(yaml_doc, "tc24", "xlsx", out)
    ws = openpyxl.load_workbook(out).active
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "TOTAL")
    assert total[1] == 5101330600
    assert total[13] == pytest.approx(189.01)


def test_the_pdf_is_a4_landscape_with_page_numbers(db, yaml_doc, tmp_path):
    out = tmp_path / "program.pdf"
    export_table(yaml_doc, "program", "pdf", out)
    reader = PdfReader(out)
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)
    text = first.extract_text()
    assert f"Halaman 1 dari {len(reader.pages)}" in text
    assert "Kondisi Kinerja pada Akhir Periode" in text
    # the heading rows repeat on every page
    assert "Program/Kegiatan/Sub Kegiatan" in reader.pages[1].extract_text()
