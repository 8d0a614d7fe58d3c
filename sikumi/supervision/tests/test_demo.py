import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikumi.supervision import demo
from sikumi.supervision.models import HealthAssessment, Inspection, ServiceCase

pytestmark = pytest.mark.django_db
# Generating stays a handful of bulk queries: far fewer than the rows it writes.
QUERY_BUDGET = 60


def test_example_data_is_labelled_realistic_and_idempotent(personas, make_cooperative):
    for i in range(60):
        make_cooperative(
            name=f"Koperasi Contoh {i}",
            jenis="simpan_pinjam" if i % 3 else "konsumen",
            has_usp=i % 6 == 0,
            is_example=True,
        )
    make_cooperative(name="Koperasi Nyata", jenis="simpan_pinjam")
    # Its speed is measured in bench/demo_and_plan_timing.py; here: batched, never per row.
    with CaptureQueriesContext(connection) as generating:
        summary = demo.generate(seed=7)
    assert "penilaian kesehatan" in summary
    assert len(generating.captured_queries) <= QUERY_BUDGET, len(generating.captured_queries)
    cases, inspections, assessments = (
        ServiceCase.objects.count(),
        Inspection.objects.count(),
        HealthAssessment.objects.count(),
    )
    assert cases and inspections and assessments
    assert cases + inspections + assessments > 3 * QUERY_BUDGET
    assert not ServiceCase.objects.filter(is_example=False).exists()
    assert not HealthAssessment.objects.filter(is_example=False).exists()
    assert ServiceCase.objects.filter(kind="iusp", decision_result="disetujui").count() > 10
    share_patuh = Inspection.objects.filter(result="patuh").count() / inspections
    assert 0.7 < share_patuh < 0.98
    healthy = HealthAssessment.objects.filter(predicate__in=["Sehat", "Cukup Sehat"]).count()
    assert 0.55 < healthy / assessments < 0.95
    assert HealthAssessment.objects.exclude(predicate__in=["Sehat", "Cukup Sehat"]).exists()
    # Each book year is assessed with the methodology in force for it (2016 up to 2020).
    from sikumi.supervision.services import methodology_for_year

    for year, code in HealthAssessment.objects.values_list("year", "methodology__code").distinct():
        assert code == methodology_for_year(year).code, (year, code)
    assert {"2016", "2021"} <= set(
        HealthAssessment.objects.values_list("methodology__code", flat=True)
    )
    # every example case has a status history that ends in its status
    from sikumi.supervision.models import CaseStatusChange

    for case in ServiceCase.objects.all():
        moves = list(CaseStatusChange.objects.filter(case=case).order_by("changed_at", "id"))
        assert moves[0].to_status == "diajukan" and moves[-1].to_status == case.status
        assert all(a.to_status == b.from_status for a, b in itertools.pairwise(moves))
    demo.generate(seed=7)
    assert (
        ServiceCase.objects.count(),
        Inspection.objects.count(),
        HealthAssessment.objects.count(),
    ) == (cases, inspections, assessments)
