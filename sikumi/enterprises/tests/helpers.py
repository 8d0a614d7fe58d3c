"""Small builders shared by the registry tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

HEADERS = [
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "Jenis Kelamin",
    "Kelurahan",
    "Kecamatan",
    "NIB",
    "Tanggal Mulai Usaha",
    "Modal Usaha",
    "Omzet per Tahun",
    "Tahun Omzet",
    "Wirausaha Baru",
    "Tahun Program",
]
# NIKs with Depok codes: men (day as is) and women (day + 40).
NIK_BUDI = "3276011203850001"
NIK_SITI = "3276025507900002"  # a woman: day 55 = 15 + 40
NIK_ANI = "3276034411920003"  # a woman: day 44


def write_xlsx(path: Path, rows: list[list[Any]], headers: list[str] | None = None) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for c, header in enumerate(headers or HEADERS):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    r, c, dt.datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return path


def row(
    name: str,
    owner: str,
    nik: str | None,
    sex: str = "Laki-laki",
    kelurahan: str = "Kedaung",
    kecamatan: str | None = "Sawangan",
    nib: str | None = None,
    start: Any = dt.date(2022, 3, 1),
    capital: Any = 25_000_000,
    omzet: Any = 120_000_000,
    omzet_year: Any = 2025,
    wub: str = "Tidak",
    year: Any = None,
) -> list[Any]:
    return [
        name,
        owner,
        nik,
        sex,
        kelurahan,
        kecamatan,
        nib,
        start,
        capital,
        omzet,
        omzet_year,
        wub,
        year,
    ]
