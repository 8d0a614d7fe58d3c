import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(iusp_case, inspection, ksp, assess, example_inputs):
    return iusp_case, inspection, assess(ksp, 2025, example_inputs)


def test_every_page_opens_for_the_owning_staff(personas, client_for, records):
    case, inspection, assessment = records
    kiki, wawan = client_for(personas.kiki), None
    for name, args in [
        ("supervision:case-list", []),
        ("supervision:case-create", []),
        ("supervision:service-time", []),
        ("supervision:case-detail", [case.pk]),
        ("supervision:case-edit", [case.pk]),
        ("supervision:case-decide", [case.pk]),
        ("supervision:case-requirements", [case.pk]),
        ("supervision:calculator", []),
    ]:
        response = kiki.get(reverse(name, args=args))
        assert response.status_code == 200, name
    wawan = client_for(personas.wawan)
    for name, args in [
        ("supervision:plan-list", []),
        ("supervision:plan-create", []),
        ("supervision:inspection-list", []),
        ("supervision:inspection-create", []),
        ("supervision:inspection-detail", [inspection.pk]),
        ("supervision:inspection-edit", [inspection.pk]),
        ("supervision:finding-create", [inspection.pk]),
        ("supervision:sanction-create", []),
        ("supervision:assessment-list", []),
        ("supervision:assessment-create", []),
        ("supervision:assessment-detail", [assessment.pk]),
        ("supervision:assessment-edit", [assessment.pk]),
        ("supervision:calculator", []),
    ]:
        response = wawan.get(
            reverse(name, args=args) + ("?method=2021" if name.endswith("calculator") else "")
        )
        assert response.status_code == 200, name
    html = wawan.get(reverse("supervision:inspection-list")).content.decode()
    assert "Data contoh" in html and "Tidak patuh" in html  # no answers: mandatory items unmet


def test_the_lists_export_to_xlsx(personas, client_for, records):
    client = client_for(personas.aulia)
    for name in ("supervision:case-list", "supervision:assessment-list"):
        response = client.get(reverse(name) + "?format=xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_menu_lists_the_pages_under_koperasi(personas, client_for):
    html = client_for(personas.kiki).get(reverse("supervision:case-list")).content.decode()
    for label in (
        "Layanan kelembagaan",
        "Pemeriksaan",
        "Penilaian kesehatan",
        "Kalkulator kesehatan",
    ):
        assert label in html


def test_the_cooperative_timeline_and_facts_include_supervision(personas, ksp, records):
    from sikumi.cooperatives import facts, timeline

    kinds = {event.kind for event in timeline.timeline_extra(ksp, personas.kiki)}
    assert {"layanan", "pemeriksaan", "kesehatan"} <= kinds
    assert facts.extra_facts([ksp.pk], 2026)[ksp.pk] == {
        "predikat_kesehatan": "Sehat",
        "patuh_pemeriksaan": False,
    }


def test_recording_a_sanction_and_saving_an_assessment_ask_first(
    personas, client_for, inspection, methodologies
):
    import re

    client = client_for(personas.wawan)
    for url in (
        reverse("supervision:sanction-create") + f"?inspection={inspection.pk}",
        reverse("supervision:assessment-create"),
    ):
        html = client.get(url).content.decode()
        posting = re.search(r'<form method="post"[^>]*class="form"[^>]*>', html).group(0)
        assert "data-confirm=" in posting, url
    # a plain edit (a finding) does not interrupt
    html = client.get(reverse("supervision:finding-create", args=[inspection.pk])).content
    assert b"data-confirm" not in html
