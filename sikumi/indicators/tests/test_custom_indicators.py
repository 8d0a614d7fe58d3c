"""Indicators the Dinas tracks beside the Renstra (issue 12, item 5)."""

import datetime as dt
import html
import json
import re
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from sikumi.audit.choices import Action
from sikumi.audit.models import AuditEntry
from sikumi.cooperatives.models import CompetenceCertificate, Cooperative, RatReport
from sikumi.indicators import services
from sikumi.indicators.measures import Period
from sikumi.indicators.models import CustomIndicator, CustomIndicatorValue, IndicatorBinding
from sikumi.indicators.selectors import custom_indicator_rows
from sikumi.indicators.services import compute_and_store
from sikumi.plans.selectors import active_plan
from sikumi.rules import cooperative as coop_rules
from sikumi.supervision.choices import ServiceKind
from sikumi.supervision.models import ServiceCase

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def plan(personas, depok):
    call_command("load_renstra", stdout=StringIO())
    call_command("load_indicator_bindings", stdout=StringIO())
    return active_plan()


@pytest.fixture
def cooperatives(plan):
    """Labelled example cooperatives with RATs, officials, certificates and service cases."""
    from sikumi.cooperatives import demo as cooperatives
    from sikumi.supervision import demo as supervision

    cooperatives.generate(count=60, seed=7)
    supervision.generate(seed=7)
    return plan


def _add(personas, **fields):
    spec = {
        "code": "DINAS-RAT",
        "name": "Persentase koperasi yang RAT tepat waktu",
        "unit": "%",
        "description": "Koperasi RAT tepat waktu dibagi koperasi terdaftar, dikali 100.",
        "measure": "koperasi_rat_tepat_waktu",
        "denominator": "measure",
        "denominator_measure": "koperasi_terdaftar",
        "percent": True,
        "owner_unit": personas.unit("seksi-kelembagaan"),
        **fields,
    }
    return services.custom_indicator_create(actor=personas.ani, indicator=CustomIndicator(**spec))


def _form(personas, **fields):
    data = {
        "code": "DINAS-RAT",
        "name": "Persentase koperasi yang RAT tepat waktu",
        "unit": "%",
        "description": "Koperasi RAT tepat waktu dibagi koperasi terdaftar, dikali 100.",
        "measure": "koperasi_rat_tepat_waktu",
        "denominator": "measure",
        "denominator_measure": "koperasi_terdaftar",
        "percent": "on",
        "higher_is_better": "on",
        "targets": "2025: 60\n2026: 62,5",
        "owner_unit": personas.unit("seksi-kelembagaan").pk,
        "is_active": "on",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_an_administrator_adds_a_dinas_indicator_on_the_page_and_the_trail_records_it(
    plan, personas, client_for
):
    client = client_for(personas.ani)
    page = client.get(reverse("indicators:custom-create"))
    assert page.status_code == 200
    response = client.post(reverse("indicators:custom-create"), _form(personas))
    indicator = CustomIndicator.objects.get(code="DINAS-RAT")
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:custom-detail", args=[indicator.pk])
    assert indicator.targets == {"2025": "60", "2026": "62.5"}
    assert indicator.higher_is_better and indicator.percent and indicator.is_active
    entry = AuditEntry.objects.get(
        action=Action.CREATE, object_id=str(indicator.pk), content_type__model="customindicator"
    )
    assert entry.actor_repr and "DINAS-RAT" in entry.object_repr

    edit = client.get(reverse("indicators:custom-edit", args=[indicator.pk]))
    assert "2026: 62,5" in edit.content.decode()
    response = client.post(
        reverse("indicators:custom-edit", args=[indicator.pk]),
        _form(personas, name="RAT tepat waktu (persen)", version=indicator.version),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "RAT tepat waktu (persen)" and indicator.version == 2
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(indicator.pk)).exists()
    # An edit made from a page opened before that change is refused, not applied.
    stale = client.post(
        reverse("indicators:custom-edit", args=[indicator.pk]),
        _form(personas, name="Nama lama", version=1),
    )
    assert "sudah diubah oleh" in _text(stale)
    indicator.refresh_from_db()
    assert indicator.name == "RAT tepat waktu (persen)"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measure": "tidak_ada"}, "Masukkan pilihan yang valid. tidak_ada bukan salah satu"),
        ({"denominator_measure": ""}, "Pilih ukuran pembagi."),
        ({"targets": "2026 14"}, "Baris 1: tulis tahun lalu titik dua lalu target"),
        ({"targets": "2026: banyak"}, "Baris 1: target tahun 2026 bukan angka."),
        ({"denominator": "data_dasar"}, "Isi data dasar lebih dari nol"),
        ({"measure": "pertumbuhan_volume_usaha"}, "Laju pertumbuhan tidak dibagi"),
        ({"code": "rat tepat"}, "Kode hanya boleh berisi huruf"),
        ({"name": ""}, "Kolom ini wajib diisi."),
    ],
)
def test_bad_input_gets_an_indonesian_message_and_nothing_is_saved(
    plan, personas, client_for, fields, message
):
    response = client_for(personas.ani).post(
        reverse("indicators:custom-create"), _form(personas, **fields)
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert not CustomIndicator.objects.exists()


def test_a_code_in_use_is_refused_with_a_message(plan, personas, client_for):
    _add(personas)
    response = client_for(personas.ani).post(
        reverse("indicators:custom-create"), _form(personas, name="Lain")
    )
    assert "Kode indikator ini sudah dipakai." in _text(response)
    assert CustomIndicator.objects.count() == 1


def test_only_an_administrator_adds_edits_or_archives_dinas_indicators(plan, personas, client_for):
    indicator = _add(personas)
    for user in (personas.putri, personas.kartika, personas.sari):
        client = client_for(user)
        assert client.get(reverse("indicators:custom-create")).status_code == 403
        assert (
            client.post(reverse("indicators:custom-create"), _form(personas, code="X")).status_code
            == 403
        )
        assert (
            client.post(reverse("indicators:custom-archive", args=[indicator.pk])).status_code
            == 403
        )
        # Everyone inside the Dinas may read them.
        assert client.get(reverse("indicators:custom-list")).status_code == 200
    with pytest.raises(PermissionDenied):
        services.custom_indicator_archive(actor=personas.putri, indicator=indicator)
    assert CustomIndicator.objects.active().count() == 1


def test_the_indicators_page_shows_the_dinas_indicator_in_its_own_section_computed_by_the_engine(
    cooperatives, personas, client_for
):
    plan = cooperatives
    indicator = _add(personas, targets={str(YEAR): "50"})
    compute_and_store(plan=plan, year=YEAR, actor=personas.putri)

    # Counted independently: registered cooperatives whose RAT of book year YEAR - 1 was held
    # by its deadline.
    registered = {
        c.pk
        for c in Cooperative.objects.active()
        if not (c.dissolved_at and c.dissolved_at <= dt.date(YEAR, 12, 31))
        and not (c.legal_entity_date and c.legal_entity_date > dt.date(YEAR, 12, 31))
    }
    on_time = {
        r.cooperative_id
        for r in RatReport.objects.active()
        if coop_rules.rat_report_on_time(r.book_year, r.rat_date)
        and r.book_year == YEAR - 1
        and r.cooperative_id in registered
    }
    assert on_time, "the example data has cooperatives holding their RAT on time"
    stored = CustomIndicatorValue.objects.get(indicator=indicator, year=YEAR, quarter=0)
    assert stored.numerator == len(on_time)
    assert stored.denominator == len(registered)
    expected = (Decimal(len(on_time)) / len(registered) * 100).quantize(Decimal("0.01"))
    assert stored.value == expected
    assert sum(row["numerator"] for row in stored.by_kecamatan.values()) == len(on_time)

    page = _text(client_for(personas.kartika).get(reverse("indicators:list"), {"year": YEAR}))
    section = page.split("Indikator Dinas (di luar Renstra)", 1)[1]
    assert "DINAS-RAT" in section and "Persentase koperasi yang RAT tepat waktu" in section
    shown = f"{expected:.2f}".replace(".", ",") + "%"
    assert shown in section
    capaian = (expected / 50 * 100).quantize(Decimal("0.01"))
    assert f"{capaian:.2f}".replace(".", ",") + "%" in section
    # The completeness of the data is kept and shown as for the Renstra's indicators.
    from sikumi.indicators.services import custom_indicators_compute

    engine = dict(custom_indicators_compute(year=YEAR))[indicator]
    assert (stored.status, stored.completeness) == (engine.status, engine.completeness)
    assert f'data-status="{stored.status}"' in page_html(client_for(personas.kartika))
    assert str(stored.get_status_display()) in section
    # The Renstra's part of the page is unchanged: the Dinas indicator is not among its rows.
    assert "DINAS-RAT" not in page.split("Indikator Dinas (di luar Renstra)", 1)[0]


def test_a_late_rat_of_an_older_book_year_is_not_on_time(cooperatives, personas):
    """Held in March of the year, but for the book year two years back: late, not counted."""
    from sikumi.indicators.measures import Period, koperasi_rat_tepat_waktu

    coop = Cooperative.objects.active().filter(dissolved_at__isnull=True).order_by("pk")[0]
    RatReport.objects.filter(cooperative=coop).delete()
    late = RatReport.objects.create(
        cooperative=coop, book_year=YEAR - 2, year=YEAR, rat_date=dt.date(YEAR, 3, 10)
    )
    counted = koperasi_rat_tepat_waktu(Period(YEAR)).queryset
    assert not counted.filter(pk=coop.pk).exists()
    assert coop_rules.rat_report_on_time(late.book_year, late.rat_date) is False
    late.book_year = YEAR - 1
    late.save()
    assert koperasi_rat_tepat_waktu(Period(YEAR)).queryset.filter(pk=coop.pk).exists()


def page_html(client):
    return client.get(reverse("indicators:list"), {"year": YEAR}).content.decode()


def test_drill_down_and_map_work_as_for_the_renstra_indicators(cooperatives, personas, client_for):
    indicator = _add(personas)
    compute_and_store(plan=cooperatives, year=YEAR)
    stored = CustomIndicatorValue.objects.get(indicator=indicator, year=YEAR)
    kec, row = next((k, r) for k, r in sorted(stored.by_kecamatan.items()) if k)
    client = client_for(personas.kartika)

    detail = _text(
        client.get(reverse("indicators:custom-detail", args=[indicator.pk]), {"year": YEAR})
    )
    assert "Per kecamatan" in detail and "Lihat data yang dihitung" in detail

    records = client.get(
        reverse("indicators:custom-records", args=[indicator.pk]), {"year": YEAR, "kecamatan": kec}
    )
    counted = records.context["page"].paginator.count
    assert counted == row["numerator"]
    first = records.context["page"].object_list[0]
    assert first.name in records.content.decode()

    page = client.get(reverse("indicators:custom-map"), {"year": YEAR, "indicator": indicator.pk})
    data = json.loads(
        re.search(r'id="map-data"[^>]*>(.*?)</script>', page.content.decode(), re.S).group(1)
    )
    assert data["title"] == indicator.name
    assert data["kecamatan"][kec] == row["value"]


def test_the_iusp_service_time_is_the_average_of_the_decided_cases_days(cooperatives, personas):
    decided = ServiceCase.objects.active().filter(kind=ServiceKind.IUSP, decided_on__isnull=False)
    year = decided.latest("decided_on").decided_on.year
    cases = [c for c in decided if c.decided_on.year == year]
    days = sum((c.decided_on - c.requested_on).days for c in cases)
    expected = (Decimal(days) / len(cases)).quantize(Decimal("0.01"))
    indicator = _add(
        personas,
        code="DINAS-IUSP-HARI",
        name="Rata-rata lama layanan IUSP",
        unit="hari",
        measure="iusp_hari_layanan",
        denominator_measure="iusp_diputuskan",
        percent=False,
        higher_is_better=False,
        targets={str(year): str(expected + 2)},
    )
    services.custom_indicators_compute_and_store(year=year, actor=personas.ani)
    stored = CustomIndicatorValue.objects.get(indicator=indicator, year=year)
    assert stored.denominator == len(cases)
    assert stored.value == expected
    # Lower is better: two days under target is above 100%.
    row = custom_indicator_rows(user=personas.kartika, period=Period(year))[0]
    assert row["capaian"] > 100


def test_certificates_expiring_in_the_period_are_counted(cooperatives, personas):
    official_cert = CompetenceCertificate.objects.active().filter(expires_on__isnull=False).first()
    assert official_cert is not None
    year = official_cert.expires_on.year
    expected = (
        CompetenceCertificate.objects.active()
        .filter(expires_on__year=year, official__archived_at__isnull=True)
        .count()
    )
    indicator = _add(
        personas,
        code="DINAS-SERT",
        name="Sertifikat kompetensi habis",
        unit="sertifikat",
        measure="sertifikat_kompetensi_berakhir",
        denominator="none",
        denominator_measure="",
        percent=False,
    )
    services.custom_indicators_compute_and_store(year=year)
    assert CustomIndicatorValue.objects.get(indicator=indicator, year=year).value == expected


def test_archived_or_inactive_dinas_indicators_are_neither_computed_nor_shown(
    plan, personas, client_for
):
    archived = _add(personas)
    inactive = _add(personas, code="DINAS-DIAM", name="Indikator diam", is_active=False)
    client = client_for(personas.ani)
    response = client.post(reverse("indicators:custom-archive", args=[archived.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.ARCHIVE, object_id=str(archived.pk)).exists()
    assert services.custom_indicators_compute_and_store(year=YEAR) == []
    assert not CustomIndicatorValue.objects.exists()
    page = _text(client.get(reverse("indicators:list"), {"year": YEAR}))
    assert "Belum ada indikator Dinas." in page
    assert "Persentase koperasi yang RAT" not in page and inactive.name not in page
    # A new indicator may take the archived one's code.
    assert _add(personas).code == "DINAS-RAT"


def test_suggested_indicators_prefill_the_form(plan, personas, client_for):
    page = _text(
        client_for(personas.ani).get(
            reverse("indicators:custom-create"), {"usulan": "lama-layanan-iusp"}
        )
    )
    assert "Rata-rata lama layanan Izin Usaha Simpan Pinjam" in page
    assert 'value="DINAS-IUSP-HARI"' in page
    assert "Persentase koperasi yang RAT tepat waktu" in page  # offered as another suggestion


def test_a_dinas_indicator_never_appears_in_e81_renja_lkjip_or_the_renstra_tables(
    plan, personas, client_for, tmp_path
):
    from sikumi.monev import services as monev
    from sikumi.monev.reports.builders import build
    from sikumi.monev.reports.render import write_xlsx
    from sikumi.plans.reports import TABLES

    name, code = "Indikator uji khusus Dinas", "DINAS-UJI-77"
    indicator = _add(personas, code=code, name=name, targets={"2026": "5"})
    renja = monev.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)
    compute_and_store(plan=plan, year=2026, quarter=1, actor=personas.putri)
    assert CustomIndicatorValue.objects.filter(indicator=indicator, year=2026).exists()
    # Offering computed values to the Renja's realisation leaves the Dinas indicator out too.
    services.realisations_propose(actor=personas.putri, renja=renja, quarter=1)

    def cells(path) -> str:
        book = openpyxl.load_workbook(path)
        return " ".join(
            str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r
        )

    e81 = tmp_path / "e81.xlsx"
    write_xlsx(build("e81", year=2026, plan=plan), str(e81))
    lkjip = tmp_path / "lkjip.xlsx"
    write_xlsx(build("lkjip", year=2026, plan=plan), str(lkjip))
    client = client_for(personas.putri)
    outputs = {
        "E.81 xlsx": cells(e81),
        "LKjIP xlsx": cells(lkjip),
        "E.81 page": _text(client.get("/monev/laporan/e81/", {"tahun": 2026, "triwulan": 1})),
        "Renja page": _text(client.get(reverse("monev:renja-detail", args=[renja.pk]))),
    }
    for key in TABLES:
        response = client.get(reverse("plans:table_download", args=[key, "xlsx"]))
        if response.status_code == 200:
            path = tmp_path / f"{key}.xlsx"
            content = getattr(response, "streaming_content", None)
            path.write_bytes(b"".join(content) if content is not None else response.content)
            outputs[f"Renstra {key}"] = cells(BytesIO(path.read_bytes()))
    assert len(outputs) > 5
    # The outputs are real: they list the Renstra's indicators of the Renja.
    renstra = [t.indicator.name for t in renja.targets.select_related("indicator")]
    assert renstra
    for where in ("E.81 xlsx", "E.81 page", "Renja page"):
        assert any(n[:30] in outputs[where] for n in renstra), where
    for where, text in outputs.items():
        assert name not in text, where
        assert code not in text, where


def test_loading_bindings_that_name_an_unknown_indicator_fails_with_the_ids(
    personas, depok, tmp_path
):
    call_command("load_renstra", stdout=StringIO())
    path = tmp_path / "bindings.yaml"
    path.write_text(
        "plan: depok-2021-2026\n"
        "bindings:\n"
        "  IKK1: {method: measure, measure: koperasi_aktif, description: aktif}\n"
        "  X9/I9: {method: measure, measure: koperasi_aktif, description: salah}\n"
        "  DINAS-RAT: {method: manual, description: bukan indikator Renstra}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("load_indicator_bindings", file=str(path), stdout=StringIO())
    assert "X9/I9" in str(error.value) and "DINAS-RAT" in str(error.value)
    assert "tidak ada di Renstra" in str(error.value)
    assert not IndicatorBinding.objects.exists()  # nothing of the file was loaded

    path.write_text(
        "bindings:\n  IKK1: {method: measure, measure: koperasi_hilang, description: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="IKK1: koperasi_hilang"):
        call_command("load_indicator_bindings", file=str(path), stdout=StringIO())
    assert not IndicatorBinding.objects.exists()

    out = StringIO()
    call_command("load_indicator_bindings", stdout=out)  # the shipped file loads cleanly
    assert "Pengikatan indikator: 68 baru." in out.getvalue()


def test_the_planner_recomputes_the_dinas_indicators_from_their_section(plan, personas, client_for):
    indicator = _add(personas)
    client = client_for(personas.putri)
    page = client.get(reverse("indicators:list"), {"year": YEAR}).content.decode()
    section = page.split('id="indikator-dinas"', 1)[1]
    assert reverse("indicators:custom-compute") in section
    assert 'name="csrfmiddlewaretoken"' in section
    response = client.post(reverse("indicators:custom-compute"), {"year": YEAR, "quarter": ""})
    assert response.status_code == 302
    stored = CustomIndicatorValue.objects.get(indicator=indicator, year=YEAR, quarter=0)
    # No cooperative is registered in this database: no ratio, and the page says why.
    assert stored.value is None and stored.reason
    page = _text(client.get(reverse("indicators:list"), {"year": YEAR}))
    assert stored.reason in page.split("Indikator Dinas (di luar Renstra)", 1)[1]
    # Kepala Dinas reads the values but does not recompute them.
    kepala = client_for(personas.kartika)
    assert kepala.post(reverse("indicators:custom-compute"), {"year": YEAR}).status_code == 403


def test_the_dinas_section_costs_the_same_queries_for_one_or_many_indicators(
    plan, personas, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.kartika)
    _add(personas)
    services.custom_indicators_compute_and_store(year=YEAR)
    client.get(reverse("indicators:list"), {"year": YEAR})  # warm caches (session, regions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("indicators:list"), {"year": YEAR})
    for n in range(4):
        _add(personas, code=f"DINAS-{n}", name=f"Indikator {n}")
    services.custom_indicators_compute_and_store(year=YEAR)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("indicators:list"), {"year": YEAR})
    assert "Indikator 3" in page.content.decode()
    assert len(five.captured_queries) == len(one.captured_queries)
