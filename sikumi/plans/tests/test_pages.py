from decimal import Decimal

from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.plans.models import Indicator, IndicatorTarget, Pagu, PlanNode, TargetChange


def _indicator(plan, source_id="P1.K1/I1"):
    return Indicator.objects.get(plan=plan, table="program", source_id=source_id)


def _targets_post(indicator, **changes):
    data: dict = {"reason": "Renstra perubahan ke-1", "end_target": ""}
    for target in IndicatorTarget.objects.filter(indicator=indicator):
        data[f"target_{target.year}"] = str(target.value).replace(".", ",")
        data[f"version_{target.year}"] = target.version
    if indicator.end_target is not None:
        data["end_target"] = str(indicator.end_target).replace(".", ",")
    data["end_version"] = indicator.version
    data.update(changes)
    return data


def _pagu_post(node, **changes):
    data: dict = {"reason": "Penyesuaian pagu", "pagu_total": ""}
    for pagu in Pagu.objects.filter(node=node):
        data[f"pagu_{pagu.year}"] = str(pagu.value)
        data[f"version_{pagu.year}"] = pagu.version
    if node.pagu_total is not None:
        data["pagu_total"] = str(node.pagu_total)
    data["total_version"] = node.version
    data.update(changes)
    return data


def test_the_cascade_shows_visi_to_sub_kegiatan_with_targets_and_pagu(
    plan_with_personas, personas, client_for
):
    response = client_for(personas.sari).get(reverse("plans:cascade"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "DEPOK YANG MAJU" in page
    assert "Pemberdayaan dan Perlindungan Koperasi".lower() in page.lower()
    assert "24.285.144.731" in page  # OPD pagu 2022
    assert "Ubah target" not in page  # Sari may not edit


def test_the_cascade_filters_by_unit_and_year(plan_with_personas, personas, client_for):
    response = client_for(personas.putri).get(
        reverse("plans:cascade"), {"unit": "bidang-pengawasan", "year": 2024}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2.17.03" in page and "2.17.07" not in page
    head = page.split('<table class="plan-table">')[1].split("<tbody>")[0]
    assert "<th>2024</th>" in head and "<th>2025</th>" not in head


def test_putri_edits_a_target_and_it_shows_in_the_history_and_the_audit_trail(
    plan_with_personas, personas, client_for
):
    indicator = _indicator(plan_with_personas)
    url = reverse("plans:indicator_edit", args=[indicator.pk])
    client = client_for(personas.putri)
    assert client.get(url).status_code == 200
    response = client.post(url, _targets_post(indicator, target_2024="95"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    target = IndicatorTarget.objects.get(indicator=indicator, year=2024)
    assert target.value == Decimal("95") and target.printed == "95%"
    change = TargetChange.objects.get(target=target)
    assert change.old_value == Decimal("100") and change.new_value == Decimal("95")
    assert change.changed_by == personas.putri and change.reason == "Renstra perubahan ke-1"
    assert AuditEntry.objects.filter(
        object_id=str(target.pk), note__contains="Renstra perubahan"
    ).exists()
    history = client.get(reverse("plans:changes")).content.decode()
    assert "95%" in history and "Renstra perubahan ke-1" in history


def test_sari_cannot_edit_a_target(plan_with_personas, personas, client_for):
    indicator = _indicator(plan_with_personas)
    url = reverse("plans:indicator_edit", args=[indicator.pk])
    client = client_for(personas.sari)
    assert client.get(url).status_code == 403
    assert client.post(url, _targets_post(indicator, target_2024="95")).status_code == 403
    assert IndicatorTarget.objects.get(indicator=indicator, year=2024).value == Decimal("100")


def test_a_negative_budget_is_refused_with_a_message_and_nothing_is_saved(
    plan_with_personas, personas, client_for
):
    node = PlanNode.objects.get(plan=plan_with_personas, source_id="P6")
    before = list(Pagu.objects.filter(node=node).values_list("value", flat=True))
    response = client_for(personas.putri).post(
        reverse("plans:pagu_edit", args=[node.pk]),
        _pagu_post(node, pagu_2022="1000", pagu_2023="-5000000"),
    )
    assert response.status_code == 200
    assert "Pagu tidak boleh negatif." in response.content.decode()
    assert list(Pagu.objects.filter(node=node).values_list("value", flat=True)) == before
    assert not TargetChange.objects.exists()


def test_a_non_numeric_budget_is_refused(plan_with_personas, personas, client_for):
    node = PlanNode.objects.get(plan=plan_with_personas, source_id="P6")
    response = client_for(personas.putri).post(
        reverse("plans:pagu_edit", args=[node.pk]), _pagu_post(node, pagu_2022="sepuluh juta")
    )
    assert "harus berupa angka" in response.content.decode()
    assert not TargetChange.objects.exists()


def test_a_year_outside_the_period_is_refused(plan_with_personas, personas, client_for):
    node = PlanNode.objects.get(plan=plan_with_personas, source_id="P6")
    response = client_for(personas.putri).post(
        reverse("plans:pagu_edit", args=[node.pk]),
        _pagu_post(node, pagu_2022="1000", extra_year="2030", extra_value="5000"),
    )
    assert "Tahun 2030 di luar periode Renstra 2021-2026." in response.content.decode()
    assert not Pagu.objects.filter(year=2030).exists()
    assert not TargetChange.objects.exists()


def test_120_percent_for_a_percentage_indicator_is_refused(
    plan_with_personas, personas, client_for
):
    indicator = _indicator(plan_with_personas)
    response = client_for(personas.putri).post(
        reverse("plans:indicator_edit", args=[indicator.pk]),
        _targets_post(indicator, target_2022="90", target_2024="120"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak boleh lebih dari 100%" in page
    assert IndicatorTarget.objects.get(indicator=indicator, year=2022).value == Decimal("100")
    assert not TargetChange.objects.exists()


def test_a_stale_edit_is_refused(plan_with_personas, personas, client_for):
    indicator = _indicator(plan_with_personas)
    stale = _targets_post(indicator, target_2024="90")
    client = client_for(personas.putri)
    assert (
        client.post(
            reverse("plans:indicator_edit", args=[indicator.pk]),
            _targets_post(indicator, target_2024="95"),
        ).status_code
        == 302
    )
    response = client.post(reverse("plans:indicator_edit", args=[indicator.pk]), stale)
    assert response.status_code == 200
    assert "sudah diubah" in response.content.decode()
    assert IndicatorTarget.objects.get(indicator=indicator, year=2024).value == Decimal("95")


def test_the_checker_page_groups_findings_errors_first_and_exports_xlsx(
    plan_with_personas, personas, client_for
):
    client = client_for(personas.kartika)
    page = client.get(reverse("plans:check")).content.decode()
    assert page.index("Kesalahan hitung") < page.index("Peringatan")
    assert "14.257.236.000" in page
    errors_only = client.get(reverse("plans:check"), {"kind": "error"}).content.decode()
    assert "Peringatan (" not in errors_only
    response = client.get(reverse("plans:check"), {"kind": "error", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_tables_page_downloads_xlsx_and_pdf(plan_with_personas, personas, client_for):
    client = client_for(personas.sari)
    assert "Tabel T-C.24" in client.get(reverse("plans:tables")).content.decode()
    response = client.get(reverse("plans:table_download", args=["iku", "xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get(reverse("plans:table_download", args=["tc23", "pdf"]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_the_api_reads_for_staff_and_writes_for_the_perencana(
    plan_with_personas, personas, api_for
):
    indicator = _indicator(plan_with_personas)
    read = api_for(personas.sari).get("/api/indicators/", {"plan": plan_with_personas.pk})
    assert read.status_code == 200 and read.json()["count"] >= 59
    assert api_for(personas.sari).get("/api/plan-nodes/").status_code == 200
    assert api_for(personas.sari).get("/api/plans/").json()["count"] == 1
    version = IndicatorTarget.objects.get(indicator=indicator, year=2025).version
    body = {"year": 2025, "value": "97", "reason": "Revisi", "version": version}
    assert api_for(personas.sari).patch(f"/api/indicators/{indicator.pk}/", body).status_code == 403
    ok = api_for(personas.putri).patch(f"/api/indicators/{indicator.pk}/", body, format="json")
    assert ok.status_code == 200, ok.content
    bad = api_for(personas.putri).patch(
        f"/api/indicators/{indicator.pk}/",
        {**body, "value": "120", "version": version + 1},
        format="json",
    )
    assert bad.status_code == 400 and "100%" in bad.content.decode()
    node = PlanNode.objects.get(plan=plan_with_personas, source_id="P6")
    pagu = Pagu.objects.get(node=node, year=2022)
    neg = api_for(personas.putri).patch(
        f"/api/plan-nodes/{node.pk}/",
        {"year": 2022, "value": "-1", "reason": "x", "version": pagu.version},
        format="json",
    )
    assert neg.status_code == 400 and "negatif" in neg.content.decode()
