"""File exports of a plan: the Renstra's tables (XLSX/PDF) and the checker's findings (XLSX)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from sikumi.plans import document as d
from sikumi.plans.reports import (
    KIND_LABELS,
    Cell,
    Head,
    Row,
    Sheet,
    build_sheet,
    write_sheet_pdf,
    write_sheet_xlsx,
)
from sikumi.plans.selectors import PlanFinding

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_table(
    doc: d.PlanDocument, key: str, fmt: str, out: Any, *, is_example: bool = False
) -> None:
    sheet = build_sheet(doc, key, is_example=is_example)
    if fmt == "pdf":
        write_sheet_pdf(sheet, out)
    else:
        write_sheet_xlsx(sheet, out if not hasattr(out, "__fspath__") else str(out))


def table_response(doc: d.PlanDocument, key: str, fmt: str, *, is_example: bool) -> HttpResponse:
    buffer = io.BytesIO()
    export_table(doc, key, fmt, buffer, is_example=is_example)
    content_type = "application/pdf" if fmt == "pdf" else XLSX_TYPE
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="renstra-{key}.{fmt}"'
    return response


def findings_sheet(findings: Sequence[PlanFinding], subtitle: str) -> Sheet:
    heads = [
        Head("No", 0, 0),
        Head("Jenis", 0, 1),
        Head("Tabel", 0, 2),
        Head("Lokasi (baris / kolom)", 0, 3),
        Head("Tercetak", 0, 4),
        Head("Hasil hitung ulang", 0, 5),
        Head("Selisih", 0, 6),
        Head("Keterangan", 0, 7),
    ]
    sheet = Sheet(
        "temuan",
        "Hasil Pemeriksaan Angka Renstra",
        subtitle,
        heads,
        [5, 18, 28, 50, 18, 18, 16, 60],
    )
    for number, item in enumerate(findings, start=1):
        f = item.finding
        diff = (
            f.recomputed - f.printed
            if isinstance(f.printed, d.Decimal) and isinstance(f.recomputed, d.Decimal)
            else None
        )
        sheet.rows.append(
            Row(
                [
                    Cell(number),
                    Cell(KIND_LABELS.get(f.kind, f.kind)),
                    Cell(f.table),
                    Cell(f.location),
                    _num(f.printed),
                    _num(f.recomputed),
                    _num(diff),
                    Cell(f.message),
                ],
                "total" if f.kind == "error" else "",
            )
        )
    return sheet


def _num(value: Any) -> Cell:
    if isinstance(value, d.Decimal):
        exponent = value.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return Cell(value, places=min(places, 4))
    return Cell(value)


def findings_response(findings: Sequence[PlanFinding], subtitle: str) -> HttpResponse:
    buffer = io.BytesIO()
    write_sheet_xlsx(findings_sheet(findings, subtitle), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="pemeriksaan-renstra.xlsx"'
    return response
