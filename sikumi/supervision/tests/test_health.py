import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.rules.supervision import predicate_at_least
from sikumi.supervision.models import HealthAssessment, HealthMethodology
from sikumi.supervision.tests.conftest import weak_inputs

pytestmark = pytest.mark.django_db


def _component_row(html: str, code: str) -> list[str]:
    row = re.search(rf'<tr data-component="{code}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {code}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def _indonesian(inputs):
    """Figures as an officer types them: 16.650.000."""
    return {f"in_{k}": f"{v:,}".replace(",", ".") for k, v in inputs.items()}


def test_the_worked_ratio_gives_value_75_and_score_7_50_on_the_calculator_page(
    personas, client_for, methodologies, example_inputs
):
    client = client_for(personas.sari)
    response = client.post(
        reverse("supervision:calculator"), {"method": "2016", **_indonesian(example_inputs)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    _label, ratio, value, weight, score, _predicate = _component_row(html, "pinjaman_anggota")
    assert (ratio, value, weight, score) == ("73,34%", "75,00", "10,00", "7,50")
    assert re.search(r'id="total-score">80,60<', html)
    assert re.search(r'id="total-predicate">Sehat<', html)
    assert not HealthAssessment.objects.exists()


def test_the_worked_ratio_gives_value_75_and_score_7_50_through_the_api(
    personas, api_for, methodologies, example_inputs
):
    response = api_for(personas.aulia).post(
        "/api/health/calculate/", {"method": "2016", "inputs": example_inputs}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    component = next(
        c for a in body["aspects"] for c in a["components"] if c["code"] == "pinjaman_anggota"
    )
    assert (component["ratio"], component["value"], component["score"]) == (73.34, 75.0, 7.5)
    assert (body["total"], body["predicate"]) == (80.6, "Sehat")
    assert not HealthAssessment.objects.exists()


def test_the_worked_ratio_gives_value_75_and_score_7_50_through_the_command(
    methodologies, example_inputs, tmp_path
):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(example_inputs))
    out = StringIO()
    call_command("health_score", "--method", "2016", str(path), stdout=out)
    body = json.loads(out.getvalue())
    component = next(
        c for a in body["aspects"] for c in a["components"] if c["code"] == "pinjaman_anggota"
    )
    assert (component["ratio"], component["value"], component["score"]) == (73.34, 75.0, 7.5)
    aspects = {a["code"]: (a["score"], a["predicate"]) for a in body["aspects"]}
    assert aspects["permodalan"] == (14.25, "Sehat")
    assert aspects["manajemen"] == (11.6, "Cukup Sehat")
    assert (body["total"], body["predicate"]) == (80.6, "Sehat")


def test_the_command_works_before_the_methodologies_are_loaded(example_inputs, tmp_path, db):
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"inputs": example_inputs}))
    out = StringIO()
    call_command("health_score", "--method", "2016", str(path), stdout=out)
    assert json.loads(out.getvalue())["total"] == 80.6


def test_a_saved_assessment_matches_the_hand_computed_total_and_is_audited(
    personas, client_for, ksp, methodologies, example_inputs
):
    client = client_for(personas.wawan)
    response = client.post(
        reverse("supervision:assessment-create") + "?method=2016",
        {
            "method": "2016",
            "cooperative": ksp.pk,
            "year": 2025,
            "assessed_on": "2026-03-10",
            **_indonesian(example_inputs),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = HealthAssessment.objects.get()
    assert (str(assessment.total_score), assessment.predicate) == ("80.60", "Sehat")
    assert assessment.inputs["pinjaman_anggota"] == 16650000
    aspects = {a["code"]: a["score"] for a in assessment.result["aspects"]}
    assert aspects == {
        "permodalan": 14.25,
        "kualitas_aktiva_produktif": 18.25,
        "manajemen": 11.6,
        "efisiensi": 7.5,
        "likuiditas": 13.75,
        "kemandirian_pertumbuhan": 7.75,
        "jatidiri": 7.5,
    }
    assert AuditEntry.objects.filter(
        action="create", content_type__model="healthassessment", object_id=str(assessment.pk)
    ).exists()
    detail = client.get(reverse("supervision:assessment-detail", args=[assessment.pk]))
    assert "80,60" in detail.content.decode()


def test_a_missing_figure_is_named_on_the_page_the_api_and_the_command(
    personas, client_for, api_for, ksp, methodologies, example_inputs, tmp_path
):
    inputs = dict(example_inputs)
    del inputs["pinjaman_diberikan"]
    message = "Angka &#x27;Pinjaman diberikan&#x27; belum diisi"

    page = client_for(personas.wawan).post(
        reverse("supervision:calculator"), {"method": "2016", **_indonesian(inputs)}
    )
    assert page.status_code == 400
    assert message in page.content.decode()

    saved = client_for(personas.wawan).post(
        reverse("supervision:assessment-create"),
        {
            "method": "2016",
            "cooperative": ksp.pk,
            "year": 2025,
            "assessed_on": "2026-03-10",
            **_indonesian(inputs),
        },
    )
    assert saved.status_code == 400
    assert message in saved.content.decode()
    assert not HealthAssessment.objects.exists()

    api = api_for(personas.wawan).post(
        "/api/health/calculate/", {"method": "2016", "inputs": inputs}, format="json"
    )
    assert api.status_code == 400
    assert "Angka 'Pinjaman diberikan' belum diisi" in json.dumps(api.json(), ensure_ascii=False)

    path = tmp_path / "input.json"
    path.write_text(json.dumps(inputs))
    with pytest.raises(CommandError, match="Angka 'Pinjaman diberikan' belum diisi"):
        call_command("health_score", "--method", "2016", str(path))


def test_a_zero_denominator_is_named_on_the_page_the_api_and_the_command(
    personas, client_for, api_for, methodologies, example_inputs, tmp_path
):
    inputs = dict(example_inputs, total_aset=0)
    page = client_for(personas.kiki).post(
        reverse("supervision:calculator"), {"method": "2016", **_indonesian(inputs)}
    )
    assert page.status_code == 400
    assert "Pembagi &#x27;Total aset&#x27; bernilai nol" in page.content.decode()

    api = api_for(personas.kiki).post(
        "/api/health/calculate/", {"method": "2016", "inputs": inputs}, format="json"
    )
    assert api.status_code == 400
    assert "Pembagi 'Total aset' bernilai nol" in json.dumps(api.json(), ensure_ascii=False)

    path = tmp_path / "input.json"
    path.write_text(json.dumps(inputs))
    with pytest.raises(CommandError, match="Pembagi 'Total aset' bernilai nol"):
        call_command("health_score", "--method", "2016", str(path))


def test_the_api_refuses_text_that_is_not_a_number_naming_the_figure(
    personas, api_for, methodologies, example_inputs
):
    inputs = dict(example_inputs, kas="banyak")
    api = api_for(personas.wawan).post(
        "/api/health/calculate/", {"method": "2016", "inputs": inputs}, format="json"
    )
    assert api.status_code == 400
    assert "Angka 'Kas' tidak valid" in json.dumps(api.json(), ensure_ascii=False)


def test_an_assessment_through_the_api_stores_score_and_predicate(
    personas, api_for, ksp, methodologies, example_inputs
):
    response = api_for(personas.wawan).post(
        "/api/health-assessments/",
        {
            "cooperative": ksp.pk,
            "year": 2025,
            "method": "2016",
            "assessed_on": "2026-03-10",
            "inputs": weak_inputs(example_inputs),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["total_score"], response.json()["predicate"]) == (
        "61.50",
        "Dalam Pengawasan",
    )
    listed = api_for(personas.kiki).get("/api/health-assessments/?predicate=Dalam+Pengawasan")
    assert listed.json()["count"] == 1


def test_staf_of_another_bidang_cannot_change_an_assessment(
    personas, api_for, ksp, assess, example_inputs
):
    assessment = assess(ksp, 2025, example_inputs)
    response = api_for(personas.sari).patch(
        f"/api/health-assessments/{assessment.pk}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.notes == ""


def test_loading_the_methodologies_is_idempotent_and_keeps_an_administrators_edit(
    personas, methodologies
):
    from sikumi.supervision import services

    method = HealthMethodology.objects.get(code="2016")
    definition = dict(method.definition)
    definition["predicates"] = [dict(p) for p in definition["predicates"]]
    definition["predicates"][0]["min"] = 85
    method.definition = definition
    services.methodology_save(actor=personas.ani, methodology=method, expected_version=1)
    assert services.methodologies_load() == 0
    assert HealthMethodology.objects.count() == 2
    result = services.calculate(
        services.methodology_definition("2016"),
        json.loads(
            (
                __import__("pathlib").Path(__file__).resolve().parents[2]
                / "rules"
                / "data"
                / "health-2016-example.json"
            ).read_text()
        ),
    )
    assert result.predicate == "Cukup Sehat"  # 80,60 is below the edited 85
    assert AuditEntry.objects.filter(
        action="update", content_type__model="healthmethodology"
    ).exists()


def test_an_inconsistent_methodology_edit_is_refused(personas, methodologies):
    from django.core.exceptions import ValidationError

    from sikumi.supervision import services

    method = HealthMethodology.objects.get(code="2016")
    definition = dict(method.definition)
    definition["aspects"] = definition["aspects"][:-1]  # weights no longer add up to 100
    method.definition = definition
    with pytest.raises(ValidationError, match="seharusnya 100"):
        services.methodology_save(actor=personas.ani, methodology=method)


def test_the_pdf_result_sheet_is_an_a4_pdf(personas, client_for, ksp, assess, example_inputs):
    assessment = assess(ksp, 2025, example_inputs)
    response = client_for(personas.kiki).get(
        reverse("supervision:assessment-pdf", args=[assessment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_predicates_compare_best_first():
    assert predicate_at_least("Sehat", "Cukup Sehat")
    assert predicate_at_least("Cukup Sehat", "Cukup Sehat")
    assert not predicate_at_least("Dalam Pengawasan", "Cukup Sehat")
    assert not predicate_at_least(None, "Cukup Sehat")
