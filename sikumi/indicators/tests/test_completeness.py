"""Completeness before value, computed beside approved, always current (issue 13, items 1-3).

The cases of the issue, built exactly: the year's RAT data holds one report (of three active
cooperatives), no turnover (omzet) of the year is recorded yet; the page, the API and the XLSX
export must say "sementara" with the completeness, "belum ada data" instead of 0,00%, and never
a growth rate of a partial year against a full one.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sikumi.cooperatives import services as coops
from sikumi.cooperatives.models import Cooperative, RatReport
from sikumi.enterprises import services as enterprises
from sikumi.enterprises.models import Enterprise
from sikumi.indicators.models import ComputedValue, RecomputeState
from sikumi.indicators.services import compute_all, compute_and_store
from sikumi.plans.models import Indicator
from sikumi.plans.selectors import active_plan

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
ANGGOTA = "P5.K1.S1/I2"  # Jumlah anggota koperasi
NAIK_OMZET = "P8/I1"  # usaha mikro naik omzet (percent of 8.570)
VOLUME = "T2/I1"  # pertumbuhan volume usaha koperasi dan UMKM


@pytest.fixture
def plan(personas, depok):
    call_command("load_renstra", stdout=StringIO())
    call_command("load_indicator_bindings", stdout=StringIO())
    return active_plan()


def _coop(personas, name):
    return coops.cooperative_create(
        actor=personas.kiki,
        cooperative=Cooperative(
            name=name,
            jenis="konsumen",
            kelurahan_id="32.76.02.1008",
            owner_unit=personas.unit("bidang-kelembagaan"),
        ),
    )


def _rat(personas, coop, year, members, volume):
    day = min(dt.date(year, 3, 20), timezone.localdate())
    return coops.rat_report_create(
        actor=personas.kiki,
        report=RatReport(
            cooperative=coop,
            year=year,
            rat_date=day,
            members_men=members,
            members_women=0,
            business_volume=Decimal(volume),
        ),
    )


@pytest.fixture
def one_rat(plan, personas):
    """Three cooperatives with last year's RAT; one RAT of this year; omzet only last year."""
    first = None
    for i in range(3):
        coop = _coop(personas, f"Koperasi Uji Kelengkapan {i}")
        _rat(personas, coop, LAST_YEAR, 1000, "500000000")
        first = first or coop
    _rat(personas, first, THIS_YEAR, 310, "350000")
    business = enterprises.enterprise_create(
        actor=personas.sari,
        enterprise=Enterprise(name="Keripik Uji", kelurahan_id="32.76.03.1012"),
        owner={"nik": None, "name": "Budi", "sex": "L"},
    )
    enterprises.turnover_set(
        actor=personas.sari, enterprise=business, year=LAST_YEAR, amount=Decimal(100_000_000)
    )
    return plan


def _by_id(results):
    return {r.source_id: r for r in results}


def _indicator(plan, source_id):
    return Indicator.objects.get(plan=plan, source_id=source_id)


def test_one_rat_of_the_year_makes_members_provisional_and_says_how_complete(one_rat):
    results = _by_id(compute_all(plan=one_rat, year=THIS_YEAR))
    anggota = results[ANGGOTA]
    assert anggota.value == 310
    assert anggota.status == "sementara"
    assert anggota.completeness == f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif"
    # Last year: every active cooperative's RAT is in, the year is closed: final.
    last = _by_id(compute_all(plan=one_rat, year=LAST_YEAR))[ANGGOTA]
    assert last.value == 3000 and last.status == "final"


def test_a_year_without_omzet_has_no_data_not_zero_and_growth_is_not_a_collapse(one_rat):
    results = _by_id(compute_all(plan=one_rat, year=THIS_YEAR))
    naik = results[NAIK_OMZET]
    assert naik.value is None
    assert naik.status == "belum_ada_data"
    assert f"omzet {THIS_YEAR} belum tercatat" in naik.completeness
    assert naik.by_kecamatan == {} and naik.by_kelurahan == {}  # the map has nothing to colour
    volume = results[VOLUME]
    # The numerator is one small RAT against a full year: no -99,93%, no value at all yet.
    assert volume.value is None
    assert volume.status == "sementara"
    assert "belum lengkap" in volume.reason
    assert f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in volume.completeness


def test_the_pages_show_status_and_completeness_and_never_zero_for_absent_data(
    one_rat, personas, client_for
):
    client = client_for(personas.kartika)
    # First visit of the Kepala Dinas: nobody pressed "Hitung ulang", values are there.
    assert not ComputedValue.objects.filter(year=THIS_YEAR).exists()
    listing = client.get(reverse("indicators:list"), {"year": THIS_YEAR}).content.decode()
    assert "Belum dihitung" not in listing
    assert "Dihitung terakhir" in listing
    assert f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in listing
    row = listing.split(f'id="indicator-{_indicator(one_rat, NAIK_OMZET).pk}"')[1].split("</tr>")[0]
    assert "belum ada data" in row
    assert "0,00" not in row
    assert "-99,9" not in listing

    anggota = _indicator(one_rat, ANGGOTA)
    detail = client.get(
        reverse("indicators:detail", args=[anggota.pk]), {"year": THIS_YEAR}
    ).content.decode()
    value = detail.split('id="indicator-value"')[1].split("</dd>")[0]
    assert "310" in value and "sementara" in value
    assert f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in value

    map_page = client.get(
        reverse("indicators:map"), {"year": THIS_YEAR, "indicator": anggota.pk}
    ).content.decode()
    assert "sementara" in map_page


def test_the_api_gives_status_and_completeness(one_rat, personas, api_for):
    response = api_for(personas.kartika).get("/api/indicator-values/", {"year": THIS_YEAR})
    assert response.status_code == 200
    rows = {r["source_id"]: r for r in response.json()}
    assert rows[ANGGOTA]["status"] == "sementara"
    assert rows[ANGGOTA]["status_label"] == "sementara"
    assert rows[ANGGOTA]["completeness"] == f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif"
    assert rows[NAIK_OMZET]["value"] is None
    assert rows[NAIK_OMZET]["status"] == "belum_ada_data"
    assert rows[VOLUME]["value"] is None
    bad = api_for(personas.kartika).get("/api/indicator-values/", {"year": "dua ribu"})
    assert bad.status_code == 400
    assert "angka" in str(bad.json())


def test_the_export_states_the_status_of_every_value(one_rat, personas, client_for):
    response = client_for(personas.kartika).get(reverse("indicators:export"), {"year": THIS_YEAR})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Kode")
    names = rows[header]
    by_id = {r[0]: dict(zip(names, r, strict=False)) for r in rows[header + 1 :]}
    assert by_id[ANGGOTA]["Hasil hitung data"] == 310
    assert by_id[ANGGOTA]["Status data"] == "sementara"
    assert by_id[ANGGOTA]["Kelengkapan data"] == (
        f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif"
    )
    assert by_id[NAIK_OMZET]["Hasil hitung data"] is None
    assert by_id[NAIK_OMZET]["Status data"] == "belum ada data"


def test_provisional_values_are_proposed_only_when_the_user_chooses_so(
    one_rat, personas, client_for
):
    from sikumi.monev import services as monev
    from sikumi.monev.models import IndicatorRealisation

    renja = monev.renja_create_from_plan(actor=personas.putri, plan=one_rat, year=THIS_YEAR)
    anggota = _indicator(one_rat, ANGGOTA)
    quarter = (timezone.localdate().month - 1) // 3 + 1
    client = client_for(personas.putri)
    client.post(reverse("indicators:propose"), {"year": THIS_YEAR, "quarter": quarter})
    assert not IndicatorRealisation.objects.filter(
        renja=renja, indicator=anggota, computed_value__isnull=False
    ).exists()
    listing = client.get(
        reverse("indicators:list"), {"year": THIS_YEAR, "quarter": quarter}
    ).content.decode()
    assert "Sertakan" in listing and "nilai sementara" in listing
    client.post(
        reverse("indicators:propose"),
        {"year": THIS_YEAR, "quarter": quarter, "include_provisional": "1"},
    )
    row = IndicatorRealisation.objects.get(renja=renja, indicator=anggota, quarter=quarter)
    assert row.value is None  # still only proposed
    assert row.computed_status == "sementara"
    assert row.computed_completeness == f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif"
    form = client.get(reverse("monev:realisation-quarter", args=[renja.pk, quarter]))
    html = form.content.decode()
    assert f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in html
    assert "sementara" in html


def test_a_write_to_a_registry_marks_the_values_dirty_and_the_recompute_clears_it(
    one_rat, personas, client_for, django_capture_on_commit_callbacks
):
    from sikumi.indicators.tasks import recompute

    compute_and_store(plan=one_rat, year=THIS_YEAR)
    RecomputeState.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False):
        coop = _coop(personas, "Koperasi Dibatalkan")
    assert not RecomputeState.objects.exists()  # marked only once the write commits
    with django_capture_on_commit_callbacks(execute=True):
        coop = _coop(personas, "Koperasi Baru Sesudah Hitung")
    state = RecomputeState.objects.get(pk=1)
    assert state.dirty_since is not None
    anggota = _indicator(one_rat, ANGGOTA)
    page = client_for(personas.kartika).get(
        reverse("indicators:detail", args=[anggota.pk]), {"year": THIS_YEAR}
    )
    assert "sedang dihitung ulang" in page.content.decode()

    _rat(personas, coop, THIS_YEAR, 5, "1000")
    assert recompute(THIS_YEAR) >= 1
    state.refresh_from_db()
    assert state.dirty_since is None and state.finished_at is not None
    stored = ComputedValue.objects.get(indicator=anggota, year=THIS_YEAR, quarter=0)
    assert stored.value == 315
    assert stored.completeness == f"RAT {THIS_YEAR} diterima dari 2 dari 4 koperasi aktif"
    page = client_for(personas.kartika).get(
        reverse("indicators:detail", args=[anggota.pk]), {"year": THIS_YEAR}
    )
    assert "sedang dihitung ulang" not in page.content.decode()


def test_with_a_deferring_backend_the_first_write_queues_one_delayed_recompute(
    plan, personas, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from sikumi.indicators import tasks

    queued = []

    class Deferring:
        supports_defer = True

    class Recorder:
        def using(self, **kwargs):
            queued.append(kwargs["run_after"])
            return self

        def enqueue(self):
            return None

    settings.SIKUMI_INDICATOR_RECOMPUTE_MINUTES = 7
    monkeypatch.setattr(tasks, "default_task_backend", Deferring())
    monkeypatch.setattr(tasks, "recompute_task", Recorder())
    with django_capture_on_commit_callbacks(execute=True):
        _coop(personas, "Koperasi Satu")
        _coop(personas, "Koperasi Dua")
    state = RecomputeState.objects.get(pk=1)
    assert state.dirty_since is not None
    assert len(queued) == 1  # debounced: two writes, one queued computation
    assert queued[0] - state.enqueued_at == dt.timedelta(minutes=7)


def test_setup_command_recomputes(one_rat):
    out = StringIO()
    call_command("recompute_indicators", year=THIS_YEAR, stdout=out)
    assert "dihitung ulang" in out.getvalue()
    assert ComputedValue.objects.filter(year=THIS_YEAR, quarter=0).count() == (
        Indicator.objects.filter(plan=one_rat).count()
    )


PATUH = "P3/I1"  # koperasi patuh / 165 (program indicator of Bidang Pengawasan)


def _approve(personas, renja, indicator, quarter, value, reason=None):
    """Wawan enters and submits, Wulan verifies, Putri approves."""
    from sikumi.monev import services as monev

    row = monev.realisation_save(
        actor=personas.wawan,
        renja=renja,
        indicator=indicator,
        quarter=quarter,
        value=value,
        override_reason=reason,
    )
    sub = monev.submission_submit(actor=personas.wawan, submission=row.submission)
    sub = monev.submission_verify(actor=personas.wulan, submission=sub)
    return monev.submission_approve(actor=personas.putri, submission=sub)


@pytest.fixture
def approved(one_rat, personas):
    """This year's TW I realisation of P3/I1 approved at 5 (%) while the registries hold no
    inspection: the computed value (0, provisional) differs."""
    from sikumi.monev import services as monev

    renja = monev.renja_create_from_plan(actor=personas.putri, plan=one_rat, year=THIS_YEAR)
    _approve(personas, renja, _indicator(one_rat, PATUH), 1, Decimal(5))
    return renja


def test_the_dashboard_shows_approved_beside_computed_never_in_its_place(
    approved, personas, client_for
):
    page = client_for(personas.kartika).get(reverse("monev:dashboard"), {"tahun": THIS_YEAR})
    html = page.content.decode()
    name = _indicator(approved.plan, PATUH).name
    card = html.split(f"<h3>{name}")[1].split("</div></div>")[0]
    assert "Realisasi disetujui" in card and "<strong>5,00</strong>" in card
    assert "Hasil hitung data: 0,00" in card
    assert "sementara" in card
    assert "Selisih (disetujui - hitung): 5,00" in card
    assert "alasan perbedaan belum dicatat" in card
    assert "(dari realisasi disetujui)" in card
    assert 'class="computed-at"' in card


def test_e81_and_lkjip_carry_the_computed_value_its_status_and_the_difference(
    approved, personas, client_for
):
    from sikumi.monev.reports.builders import E81_COLUMNS, build_e81, build_lkjip

    indicator = _indicator(approved.plan, PATUH)
    report = build_e81(year=THIS_YEAR, plan=approved.plan)
    row = next(r for r in report.tables[0].rows if str(r.cells[3].value).startswith(indicator.name))
    assert row.cells[E81_COLUMNS["12k"]].value == 5
    assert row.cells[E81_COLUMNS["computed"]].value == 0
    assert row.cells[E81_COLUMNS["computed_status"]].value.startswith("sementara")
    assert "Alasan perbedaan belum dicatat" in row.cells[E81_COLUMNS["computed_status"]].value
    assert row.cells[E81_COLUMNS["difference"]].value == 5

    anggota = _indicator(approved.plan, ANGGOTA)
    row = next(r for r in report.tables[0].rows if str(r.cells[3].value).startswith(anggota.name))
    assert row.cells[E81_COLUMNS["computed"]].value == 310
    assert f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in (
        row.cells[E81_COLUMNS["computed_status"]].value
    )

    lkjip = build_lkjip(year=THIS_YEAR, plan=approved.plan)
    texts = [" | ".join(str(c.value) for c in r.cells) for r in lkjip.tables[0].rows]
    assert texts and all(
        ("final" in t) or ("sementara" in t) or ("belum ada data" in t) for t in texts
    )

    xlsx = client_for(personas.kartika).get(
        reverse("monev:report-e81"), {"tahun": THIS_YEAR, "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    values = [c for r in sheet.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any(v.startswith("Hasil hitung data (12)") for v in values)
    assert any(f"RAT {THIS_YEAR} diterima dari 1 dari 3 koperasi aktif" in v for v in values)


def test_a_quarter_is_not_approved_while_its_value_differs_from_the_proposal_without_reason(
    one_rat, personas
):
    from django.core.exceptions import ValidationError

    from sikumi.indicators.services import realisations_propose
    from sikumi.monev import services as monev
    from sikumi.monev.models import IndicatorRealisation

    renja = monev.renja_create_from_plan(actor=personas.putri, plan=one_rat, year=LAST_YEAR)
    indicator = _indicator(one_rat, "P3.K1.S2/I1")  # koperasi diperiksa (count, final)
    row = monev.realisation_save(
        actor=personas.wawan, renja=renja, indicator=indicator, quarter=1, value=Decimal(4)
    )
    # Proposed after the entry: the computed (final) 0 now sits beside the entered 4.
    realisations_propose(actor=personas.putri, renja=renja, quarter=1)
    row = IndicatorRealisation.objects.get(pk=row.pk)
    assert row.computed_value == 0 and row.value == 4 and row.override_reason == ""
    sub = monev.submission_submit(actor=personas.wawan, submission=row.submission)
    sub = monev.submission_verify(actor=personas.wulan, submission=sub)
    with pytest.raises(ValidationError, match="berbeda dari hasil hitung data tanpa alasan"):
        monev.submission_approve(actor=personas.putri, submission=sub)


def test_with_the_example_data_no_computed_value_contradicts_an_approved_one_unexplained(
    plan, personas, client_for
):
    """The office's first look: example registries and approved example realisations up to TW
    III 2026. On the dashboard, every indicator with both figures shows both, the status of the
    computed one and, where they differ, the difference with its reason or the note that none
    is recorded; no computed figure stands alone as a realisation."""
    from sikumi.cooperatives import demo as cooperatives
    from sikumi.enterprises import demo as enterprises
    from sikumi.monev import demo as monev
    from sikumi.monev.dashboard import dashboard_data

    cooperatives.generate(count=40, seed=7)
    enterprises.generate(count=200, seed=7)
    monev.generate(seed=2026)
    data = dashboard_data(plan, monev.CURRENT_YEAR)
    both = 0
    for card in data["iku"] + data["program_indicators"]:
        beside = card["beside"]
        assert beside is not None
        if beside["approved"] is not None and beside["computed"] is not None:
            both += 1
            assert beside["computed"]["status"] in ("final", "sementara", "belum_ada_data")
            if beside["computed"]["value"] is not None and (
                round(beside["approved"] - beside["computed"]["value"], 2) != 0
            ):
                assert beside["difference"] is not None, card["name"]
    assert both >= 3
    html = (
        client_for(personas.kartika)
        .get(reverse("monev:dashboard"), {"tahun": monev.CURRENT_YEAR})
        .content.decode()
    )
    assert "Hasil hitung data" in html and "(dari realisasi disetujui)" in html
    assert "-99,9" not in html
