"""A RAT report says which year's books it approves (tahun buku) and when the meeting was held
(tanggal RAT), on the form, the API, the import and the pages; one rule checks them."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
import xlsxwriter
from django.core.management import call_command
from django.urls import reverse

from sikumi.cooperatives import services
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.rules.cooperative import rat_problems

TODAY = dt.date(2026, 12, 3)


def test_the_meeting_comes_after_the_book_year_ends():
    assert rat_problems(2025, dt.date(2026, 3, 14), TODAY) == {}
    assert rat_problems(2025, None, TODAY) == {}
    assert rat_problems(2025, dt.date(2025, 12, 31), TODAY) == {
        "rat_date": [
            "Tanggal RAT (31 Desember 2025) harus sesudah tahun buku 2025 berakhir "
            "(31 Desember 2025)."
        ]
    }
    assert rat_problems(2026, None, TODAY) == {
        "book_year": [
            "Tahun buku 2026 belum berakhir: RAT atas tahun buku 2026 baru dapat "
            "diselenggarakan mulai 1 Januari 2027."
        ]
    }
    assert rat_problems(2025, dt.date(2026, 12, 4), TODAY) == {
        "rat_date": ["Tanggal RAT tidak boleh di masa depan."]
    }
    assert rat_problems(2023, dt.date(2026, 2, 1), TODAY) == {}  # a late RAT is still a RAT


@pytest.fixture
def coop(personas):
    return Cooperative.objects.create(
        name="Koperasi Konsumen Flamboyan",
        jenis="konsumen",
        owner_unit=personas.unit("bidang-kelembagaan"),
    )


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_form_asks_for_the_book_year_and_the_meeting_date(personas, client_for, coop):
    client = client_for(personas.kiki)
    url = reverse("cooperatives:rat-create", args=[coop.pk])
    form = client.get(url).content.decode()
    assert 'name="year"' not in form
    assert re.search(r'<label for="id_book_year">Tahun buku:?</label>', form)
    assert re.search(r'<label for="id_rat_date">Tanggal RAT:?</label>', form)
    assert "mis. 2025 untuk RAT yang diselenggarakan pada Maret 2026" in form
    assert "sesudah tahun buku berakhir" in form
    response = client.post(url, {"book_year": "2025", "rat_date": "2026-03-14", "members_men": 30})
    assert response.status_code == 302, _text(response.content.decode())
    report = RatReport.objects.get()
    assert (report.book_year, report.year, report.rat_date) == (2025, 2026, dt.date(2026, 3, 14))
    coop.refresh_from_db()
    assert coop.last_rat_year == 2026  # activity and indicators count the year it was held

    detail = _text(client.get(reverse("cooperatives:detail", args=[coop.pk])).content.decode())
    assert "RAT terakhir RAT tahun buku 2025, diselenggarakan 14 Maret 2026" in detail
    assert "Tahun buku Diselenggarakan" in detail  # the table's first two columns
    assert "2025 14 Maret 2026 30" in detail
    listed = client.get(reverse("cooperatives:list"), {"rat_year": 2026}).content.decode()
    assert "Koperasi Konsumen Flamboyan" in listed
    assert "RAT terakhir (tahun diselenggarakan)" in listed


@pytest.mark.django_db
def test_a_meeting_before_the_book_year_ends_is_refused_on_the_form(personas, client_for, coop):
    response = client_for(personas.kiki).post(
        reverse("cooperatives:rat-create", args=[coop.pk]),
        {"book_year": "2025", "rat_date": "2025-11-10"},
    )
    assert response.status_code == 200
    assert (
        "Tanggal RAT (10 November 2025) harus sesudah tahun buku 2025 berakhir "
        "(31 Desember 2025)." in response.content.decode()
    )
    assert not RatReport.objects.exists()


@pytest.mark.django_db
def test_editing_the_book_year_and_date_moves_the_year_held(personas, client_for, coop):
    report = services.rat_report_create(
        actor=personas.kiki,
        report=RatReport(cooperative=coop, book_year=2024, rat_date=dt.date(2025, 4, 2)),
    )
    assert report.year == 2025
    response = client_for(personas.kiki).post(
        reverse("cooperatives:rat-edit", args=[coop.pk, report.pk]),
        {"book_year": "2025", "rat_date": "2026-02-20", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.book_year, report.year) == (2025, 2026)
    # a late RAT: the books of 2023 approved in 2026 still count for 2026
    late = services.rat_report_create(
        actor=personas.kiki,
        report=RatReport(cooperative=coop, book_year=2023, rat_date=dt.date(2025, 1, 10)),
    )
    assert late.year == 2025
    with pytest.raises(Exception, match="tahun buku 2023 untuk koperasi ini sudah ada"):
        services.rat_report_create(
            actor=personas.kiki, report=RatReport(cooperative=coop, book_year=2023)
        )


@pytest.mark.django_db
def test_the_api_takes_the_book_year_and_still_accepts_the_year_held(personas, api_for, coop):
    api = api_for(personas.kiki)
    created = api.post(
        "/api/rat-reports/",
        {"cooperative": coop.pk, "book_year": 2025, "rat_date": "2026-03-14"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["book_year"], created.json()["year"]) == (2025, 2026)
    older = api.post("/api/rat-reports/", {"cooperative": coop.pk, "year": 2024}, format="json")
    assert older.status_code == 201, older.content
    assert (older.json()["book_year"], older.json()["year"]) == (2023, 2024)
    bad = api.post(
        "/api/rat-reports/",
        {"cooperative": coop.pk, "book_year": 2021, "rat_date": "2021-06-30"},
        format="json",
    )
    assert bad.status_code == 400
    assert "harus sesudah tahun buku 2021 berakhir" in bad.content.decode()
    assert api.get("/api/rat-reports/?book_year=2025").json()["count"] == 1


@pytest.mark.django_db
def test_the_rat_report_is_archived_after_a_question(personas, client_for, coop):
    report = services.rat_report_create(
        actor=personas.kiki, report=RatReport(cooperative=coop, book_year=2025)
    )
    client = client_for(personas.kiki)
    html = client.get(reverse("cooperatives:detail", args=[coop.pk])).content.decode()
    archive = reverse("cooperatives:rat-archive", args=[coop.pk, report.pk])
    form = re.search(rf'<form[^>]*action="{archive}"[^>]*>', html).group(0)
    assert 'data-confirm="Arsipkan laporan RAT ini?' in form
    assert client.post(archive).status_code == 302
    report.refresh_from_db()
    coop.refresh_from_db()
    assert report.archived_at is not None and coop.last_rat_year is None


def _xlsx(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    header = [
        "Nama Koperasi",
        "Jenis Koperasi",
        "Kelurahan",
        "Kecamatan",
        "Tahun Buku RAT Terakhir",
        "Tanggal RAT Terakhir",
        "Jumlah Anggota",
    ]
    for col, text in enumerate(header):
        sheet.write(0, col, text)
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if value is not None:
                sheet.write(r, col, value)
    book.close()
    return path


@pytest.mark.django_db
def test_the_import_reads_the_book_year_and_the_meeting_date_by_the_same_rule(
    personas, depok, tmp_path
):
    path = _xlsx(
        tmp_path / "koperasi.xlsx",
        [
            ["Koperasi Jasa Dahlia", "Jasa", "Curug", "Cimanggis", 2025, "14-03-2026", 25],
            ["Koperasi Jasa Kenanga", "Jasa", "Kukusan", "Beji", 2025, "20-12-2025", 25],
            ["Koperasi Jasa Melur", "Jasa", "Kukusan", "Beji", 2024, None, 25],
        ],
    )
    out = StringIO()
    call_command("import_cooperatives", str(path), "--dry-run", "--json", stdout=out)
    report = json.loads(out.getvalue())
    errors = {(e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert errors == {
        (3, "Tanggal RAT Terakhir"): "Tanggal RAT (20 Desember 2025) harus sesudah tahun buku "
        "2025 berakhir (31 Desember 2025)."
    }
    call_command("import_cooperatives", str(path), "--user", "kiki", stdout=StringIO())
    stored = {
        r.cooperative.name: (r.book_year, r.year, r.rat_date)
        for r in RatReport.objects.select_related("cooperative")
    }
    assert stored == {
        "Koperasi Jasa Dahlia": (2025, 2026, dt.date(2026, 3, 14)),
        "Koperasi Jasa Melur": (2024, 2025, None),
    }
    assert Cooperative.objects.get(name="Koperasi Jasa Dahlia").last_rat_year == 2026
