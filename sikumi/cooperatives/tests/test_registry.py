import datetime as dt
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sikumi.audit.models import AuditEntry
from sikumi.cooperatives import selectors, services
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeOfficial,
    CooperativeSettings,
    RatReport,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _coop(personas, name, **extra):
    values = {
        "name": name,
        "jenis": "simpan_pinjam",
        "kelurahan_id": "32.76.02.1008",  # Curug, Cimanggis
        "owner_unit": personas.unit("bidang-kelembagaan"),
    }
    values.update(extra)
    return services.cooperative_create(actor=personas.kiki, cooperative=Cooperative(**values))


def _rat(personas, coop, year, **figures):
    return services.rat_report_create(
        actor=personas.kiki,
        report=RatReport(cooperative=coop, year=year, rat_date=dt.date(year, 3, 20), **figures),
    )


@pytest.fixture
def coops(personas, depok):
    old = _coop(personas, "Koperasi Simpan Pinjam Lama Jaya")
    _rat(personas, old, THIS_YEAR - 5)
    _rat(personas, old, THIS_YEAR - 4)
    fresh = _coop(
        personas, "Koperasi Konsumen Segar", jenis="konsumen", kelurahan_id="32.76.11.1005"
    )
    _rat(personas, fresh, THIS_YEAR - 2, business_volume=Decimal("100000000"))
    _rat(personas, fresh, THIS_YEAR - 1, business_volume=Decimal("125000000"), shu=Decimal("5"))
    old.refresh_from_db()
    fresh.refresh_from_db()
    return old, fresh


def _form(coop, **changes):
    data = {
        "name": coop.name,
        "nik_koperasi": coop.nik_koperasi,
        "legal_entity_number": coop.legal_entity_number,
        "jenis": coop.jenis,
        "pola": coop.pola,
        "address": coop.address,
        "kelurahan": coop.kelurahan_id or "",
        "owner_unit": coop.owner_unit_id,
        "version": coop.version,
    }
    data.update(changes)
    return data


def test_a_cooperative_whose_last_rat_was_four_years_ago_shows_tidak_aktif_with_the_reason(
    coops, personas, client_for
):
    old, _fresh = coops
    assert old.last_rat_year == THIS_YEAR - 4
    page = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[old.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tidak aktif" in html
    assert f"RAT terakhir tahun {THIS_YEAR - 4}, lebih dari 3 tahun yang lalu" in html


def test_a_cooperative_with_a_rat_last_year_shows_aktif(coops, personas, client_for):
    _old, fresh = coops
    html = client_for(personas.sari).get(reverse("cooperatives:detail", args=[fresh.pk]))
    text = html.content.decode()
    assert ">Aktif<" in text
    assert f"RAT terakhir tahun {THIS_YEAR - 1}, dalam 3 tahun terakhir" in text


def test_the_status_filter_is_sql_and_agrees_with_the_rule(coops, personas, client_for):
    old, fresh = coops
    qs = selectors.cooperative_list(user=personas.kiki)
    assert list(qs.filter(selectors.status_q("aktif")).values_list("pk", flat=True)) == [fresh.pk]
    assert list(qs.filter(selectors.status_q("tidak_aktif")).values_list("pk", flat=True)) == [
        old.pk
    ]
    client = client_for(personas.kiki)
    html = client.get(reverse("cooperatives:list"), {"status": "tidak_aktif"}).content.decode()
    assert "Lama Jaya" in html and "Konsumen Segar" not in html
    api = client.get("/api/cooperatives/", {"status": "aktif"}).json()
    assert [row["name"] for row in api["results"]] == ["Koperasi Konsumen Segar"]
    assert api["results"][0]["status"] == "aktif"


def test_the_activity_window_is_data_an_administrator_can_change(coops, personas):
    old, _fresh = coops
    services.settings_update(actor=personas.ani, activity_window_years=5)
    assert CooperativeSettings.load().activity_window_years == 5
    status = selectors.cooperative_status(old)
    assert status.code == "aktif"
    assert "dalam 5 tahun terakhir" in status.reason
    assert AuditEntry.objects.filter(action="update", after__activity_window_years=5).exists()


def test_staf_of_another_bidang_cannot_edit_a_cooperative_on_the_page_or_the_api(
    coops, personas, client_for, api_for
):
    old, _fresh = coops
    client = client_for(personas.sari)
    url = reverse("cooperatives:edit", args=[old.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form(old, name="Diubah Sari")).status_code == 403
    assert (
        client.post(
            reverse("cooperatives:rat-create", args=[old.pk]), {"year": THIS_YEAR}
        ).status_code
        == 403
    )
    api = api_for(personas.sari)
    assert (
        api.patch(f"/api/cooperatives/{old.pk}/", {"name": "API"}, format="json").status_code == 403
    )
    assert api.delete(f"/api/cooperatives/{old.pk}/").status_code == 403
    assert (
        api.post(
            "/api/rat-reports/", {"cooperative": old.pk, "year": THIS_YEAR}, format="json"
        ).status_code
        == 403
    )
    old.refresh_from_db()
    assert old.name == "Koperasi Simpan Pinjam Lama Jaya"
    assert old.archived_at is None
    assert old.last_rat_year == THIS_YEAR - 4
    assert not AuditEntry.objects.filter(actor=personas.sari).exists()


def test_kiki_of_kelembagaan_edits_a_cooperative_and_the_change_is_audited(
    coops, personas, client_for, api_for
):
    old, _fresh = coops
    client = client_for(personas.kiki)
    response = client.post(
        reverse("cooperatives:edit", args=[old.pk]), _form(old, name="KSP Lama Jaya Baru")
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.name == "KSP Lama Jaya Baru"
    assert old.last_rat_year == THIS_YEAR - 4  # derived field survives the form
    entry = AuditEntry.objects.get(action="update", object_id=str(old.pk), actor=personas.kiki)
    assert (entry.before or {})["name"] == "Koperasi Simpan Pinjam Lama Jaya"
    assert (entry.after or {})["name"] == "KSP Lama Jaya Baru"
    api = api_for(personas.kiki)
    answer = api.patch(
        f"/api/cooperatives/{old.pk}/",
        {"phone": "0217770001", "version": old.version},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert AuditEntry.objects.filter(action="update", object_id=str(old.pk)).count() == 2


def test_a_stale_edit_is_refused_with_a_clear_message(coops, personas, client_for):
    old, _fresh = coops
    client = client_for(personas.kiki)
    stale = _form(old, name="Versi lama")
    client.post(reverse("cooperatives:edit", args=[old.pk]), _form(old, name="Versi baru"))
    response = client.post(reverse("cooperatives:edit", args=[old.pk]), stale)
    assert response.status_code == 200
    assert "sudah diubah oleh" in response.content.decode()
    old.refresh_from_db()
    assert old.name == "Versi baru"


def test_rat_reports_keep_last_rat_year_in_step_and_are_audited(coops, personas):
    old, _fresh = coops
    report = _rat(personas, old, THIS_YEAR)
    old.refresh_from_db()
    assert old.last_rat_year == THIS_YEAR
    assert AuditEntry.objects.filter(action="create", object_id=str(report.pk)).exists()
    services.rat_report_archive(actor=personas.kiki, report=report)
    old.refresh_from_db()
    assert old.last_rat_year == THIS_YEAR - 4
    with pytest.raises(Exception, match="sudah ada"):
        _rat(personas, old, THIS_YEAR - 4)


def test_a_rat_date_outside_its_year_is_refused_on_the_page(coops, personas, client_for):
    old, _fresh = coops
    response = client_for(personas.kiki).post(
        reverse("cooperatives:rat-create", args=[old.pk]),
        {"year": THIS_YEAR, "rat_date": f"{THIS_YEAR - 1}-05-01", "members_men": "abc"},
    )
    assert response.status_code == 200
    assert RatReport.objects.filter(cooperative=old).count() == 2


def test_dibubarkan_is_final(coops, personas):
    _old, fresh = coops
    services.cooperative_dissolve(
        actor=personas.kiki, cooperative=fresh, date=dt.date(THIS_YEAR, 2, 1)
    )
    fresh.refresh_from_db()
    assert selectors.cooperative_status(fresh).code == "dibubarkan"
    with pytest.raises(Exception, match="sudah dibubarkan"):
        services.cooperative_dissolve(
            actor=personas.kiki, cooperative=fresh, date=dt.date(THIS_YEAR, 3, 1)
        )
    fresh.dissolved_at = None
    with pytest.raises(Exception, match="tidak dapat diubah statusnya"):
        services.cooperative_update(actor=personas.kiki, cooperative=fresh, expected_version=None)
    qs = selectors.cooperative_list(user=personas.kiki)
    assert qs.filter(selectors.status_q("dibubarkan")).get().pk == fresh.pk


def test_nik_koperasi_is_unique_when_present(personas, depok):
    _coop(personas, "A", nik_koperasi="3276010000000001")
    _coop(personas, "B")
    _coop(personas, "C")  # two without NIK are fine
    with pytest.raises(Exception, match="sudah dipakai"):
        _coop(personas, "D", nik_koperasi="3276010000000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cooperative.objects.create(name="E", jenis="jasa", nik_koperasi="3276010000000001")


def test_business_volume_growth_per_year(coops):
    _old, fresh = coops
    trend = selectors.business_volume_trend(cooperative=fresh)
    assert [row["year"] for row in trend] == [THIS_YEAR - 2, THIS_YEAR - 1]
    assert trend[0]["growth_percent"] is None
    assert trend[1]["growth_percent"] == Decimal(25)


def test_the_detail_page_shows_the_quality_rules_met_and_missed(coops, personas, client_for):
    _old, fresh = coops
    html = (
        client_for(personas.kiki)
        .get(reverse("cooperatives:detail", args=[fresh.pk]))
        .content.decode()
    )
    assert "Koperasi berkualitas" in html
    assert "Koperasi modern" in html
    assert "rule-met" in html and "rule-missed" in html
    assert "Jumlah anggota minimal 20 orang" in html


def test_qualifying_ids_counts_cooperatives_meeting_each_rule_set(coops, personas):
    _old, fresh = coops
    # Make "fresh" meet every berkualitas rule that the registry alone can decide.
    fresh.jenis = "konsumen"
    services.cooperative_update(actor=personas.kiki, cooperative=fresh, expected_version=None)
    report = RatReport.objects.get(cooperative=fresh, year=THIS_YEAR - 1)
    report.members_men, report.members_women = 15, 10
    report.rat_date = dt.date(THIS_YEAR - 1, 4, 2)
    services.rat_report_update(actor=personas.kiki, report=report, expected_version=None)
    from sikumi.cooperatives import facts

    facts.register("test", lambda ids, year: {fresh.pk: {"patuh_pemeriksaan": True}})
    try:
        result = selectors.qualifying_ids(THIS_YEAR)
    finally:
        facts.unregister("test")
    assert result["berkualitas"] == {fresh.pk}
    assert result["modern"] == set()
    with_certificate: dict = selectors.quality_facts(THIS_YEAR)[fresh.pk]
    assert with_certificate["jumlah_anggota"] == 25
    assert with_certificate["rat_tepat_waktu"] is True


def test_certified_officials_are_counted_for_the_modern_rules(coops, personas):
    _old, fresh = coops
    official = services.official_create(
        actor=personas.kiki,
        official=CooperativeOfficial(cooperative=fresh, role="manajer", name="Budi"),
    )
    services.certificate_create(
        actor=personas.kiki,
        certificate=CompetenceCertificate(
            official=official, scheme="Manajer KSP", issued_on=dt.date(THIS_YEAR - 1, 1, 5)
        ),
    )
    assert selectors.quality_facts(THIS_YEAR)[fresh.pk]["jumlah_pengelola_bersertifikat"] == 1


def test_official_nik_and_phone_are_masked_for_other_bidang_and_full_views_are_logged(
    coops, personas, client_for, api_for
):
    old, _fresh = coops
    services.official_create(
        actor=personas.kiki,
        official=CooperativeOfficial(
            cooperative=old,
            role="pengurus",
            name="Siti",
            phone="081234567890",
            nik="3276014501900001",
        ),
    )
    sari_page = client_for(personas.sari).get(
        reverse("cooperatives:detail", args=[old.pk]), {"pribadi": "1"}
    )
    html = sari_page.content.decode()
    assert "3276014501900001" not in html and "3276********0001" in html
    api_rows = api_for(personas.sari).get("/api/cooperative-officials/").json()["results"]
    assert api_rows[0]["nik"] == "3276********0001"
    kiki_page = client_for(personas.kiki).get(
        reverse("cooperatives:detail", args=[old.pk]), {"pribadi": "1"}
    )
    assert "3276014501900001" in kiki_page.content.decode()
    assert AuditEntry.objects.filter(personal_data=True, actor=personas.kiki).count() == 1


def test_a_filtered_list_exports_to_xlsx_with_the_example_data_column(coops, personas, client_for):
    _old, fresh = coops
    Cooperative.objects.filter(pk=fresh.pk).update(is_example=True)
    response = client_for(personas.kiki).get(
        reverse("cooperatives:list"), {"jenis": "konsumen", "format": "xlsx"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "ID")
    data = rows[rows.index(header) + 1 :]
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=False))
    assert record["Nama koperasi"] == "Koperasi Konsumen Segar"
    assert record["Kelurahan"] == "Curug" and record["Kecamatan"] == "Bojongsari"
    assert record["Data contoh"] == "Ya"
    assert record["Status"] == "Aktif"


def test_list_filters_by_kecamatan_and_rat_year_and_shows_the_example_badge(
    coops, personas, client_for
):
    old, _fresh = coops
    Cooperative.objects.filter(pk=old.pk).update(is_example=True)
    client = client_for(personas.kiki)
    html = client.get(reverse("cooperatives:list"), {"kecamatan": "32.76.02"}).content.decode()
    assert "Lama Jaya" in html and "Konsumen Segar" not in html
    assert 'class="example-data"' in html
    html = client.get(reverse("cooperatives:list"), {"rat_year": THIS_YEAR - 1}).content.decode()
    assert "Konsumen Segar" in html and "Lama Jaya" not in html
    bad = client.get(reverse("cooperatives:list"), {"rat_year": "dua ribu"})
    assert bad.status_code == 200


def test_map_and_timeline_pages_render(coops, personas, client_for):
    old, _fresh = coops
    client = client_for(personas.kiki)
    page = client.get(reverse("cooperatives:map"))
    assert page.status_code == 200
    assert "cooperative-map-data" in page.content.decode()
    detail = client.get(reverse("cooperatives:detail", args=[old.pk])).content.decode()
    # the timeline names the RAT by the book year it approved (held the year after)
    assert f"RAT tahun buku {THIS_YEAR - 5}</a>" in detail


def test_timeline_providers_from_other_apps_are_shown(coops, personas, client_for):
    from sikumi.cooperatives import timeline

    old, _fresh = coops
    timeline.register(
        "test-extension",
        lambda coop, user: [
            timeline.Event(date=dt.date(THIS_YEAR, 1, 2), kind="uji", title="Kejadian X")
        ],
    )
    try:
        html = client_for(personas.kiki).get(reverse("cooperatives:detail", args=[old.pk]))
    finally:
        timeline.unregister("test-extension")
    assert "Kejadian X" in html.content.decode()


def test_empowerment_records_are_counted_per_year_kind_and_kecamatan(coops, personas, client_for):
    from sikumi.cooperatives.models import EmpowermentRecord

    old, fresh = coops
    for coop, kind in ((old, "digitalisasi"), (fresh, "digitalisasi"), (fresh, "manajemen")):
        services.empowerment_create(
            actor=personas.kiki,
            record=EmpowermentRecord(cooperative=coop, kind=kind, date=dt.date(THIS_YEAR, 5, 1)),
        )
    counts = {
        (r["year"], r["kind"]): r["cooperatives"]
        for r in selectors.empowerment_counts_by_year_kind()
    }
    assert counts == {(THIS_YEAR, "digitalisasi"): 2, (THIS_YEAR, "manajemen"): 1}
    by_kecamatan = {
        r["cooperative__kecamatan__name"]: r["records"]
        for r in selectors.empowerment_counts_by_kecamatan(THIS_YEAR)
    }
    assert by_kecamatan == {"Cimanggis": 1, "Bojongsari": 2}
    assert selectors.cooperatives_empowered(THIS_YEAR) == 2
    html = client_for(personas.kiki).get(reverse("cooperatives:empowerment-list")).content.decode()
    assert "Digitalisasi" in html
    with pytest.raises(Exception, match="tidak berwenang"):
        services.empowerment_create(
            actor=personas.sari,
            record=EmpowermentRecord(
                cooperative=old, kind="jejaring", date=dt.date(THIS_YEAR, 6, 1)
            ),
        )


def test_the_list_filters_by_the_latest_health_predicate(coops, personas, client_for, api_for):
    _old, _fresh = coops
    page = client_for(personas.kiki).get(reverse("cooperatives:list"), {"health": "Sehat"})
    assert page.status_code == 200
    assert 'name="health"' in page.content.decode()
    assert "Lama Jaya" not in page.content.decode()  # no assessment recorded
    answer = api_for(personas.kiki).get("/api/cooperatives/", {"health": "Sehat"})
    assert answer.status_code == 200 and answer.json()["count"] == 0
