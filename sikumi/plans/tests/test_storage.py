from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikumi.plans.checker import check_document
from sikumi.plans.convert import plan_to_document
from sikumi.plans.document import load_document
from sikumi.plans.loader import DEFAULT_FOLDER, load_plan
from sikumi.plans.models import (
    HistoricalBudget,
    HistoricalPerformance,
    Indicator,
    IndicatorTarget,
    NodeKind,
    Pagu,
    Plan,
    PlanNode,
)


def _findings(doc):
    return [f.as_dict() for f in check_document(doc)]


def test_the_stored_plan_converts_back_to_the_same_document(plan):
    yaml_doc = load_document(DEFAULT_FOLDER)
    stored = plan_to_document(plan)
    assert stored == yaml_doc


def test_checking_the_stored_plan_gives_the_same_findings_as_the_yaml(plan):
    assert _findings(plan_to_document(plan)) == _findings(load_document(DEFAULT_FOLDER))


def test_it_loads_every_level_of_the_cascade(plan):
    counts = {
        kind: PlanNode.objects.filter(plan=plan, kind=kind).count() for kind in NodeKind.values
    }
    assert counts["program"] == 8
    assert counts["kegiatan"] == 13
    assert counts["sub_kegiatan"] == 27
    assert counts["misi"] == 5
    assert Pagu.objects.get(plan=plan, node=None, year=2026).printed == "42.518.851.413"
    p6 = PlanNode.objects.get(plan=plan, code="2.17.06")
    assert p6.pagu_total_printed == "14.107.236.000"
    assert Indicator.objects.filter(plan=plan, table="program").count() == 59
    assert (
        HistoricalPerformance.objects.filter(plan=plan, source_id="C1", year=2016)
        .get()
        .target_grade
        == "C"
    )
    total_2018 = HistoricalBudget.objects.get(plan=plan, source_id="TOTAL", year=2018)
    assert total_2018.realisation_printed == "16,107,705,910.00"


def test_loading_twice_changes_nothing_and_skips_the_work(plan):
    """Unchanged files: the second load compares the folder digest and writes nothing (its time
    is measured in bench/demo_and_plan_timing.py)."""
    counts = (PlanNode.objects.count(), IndicatorTarget.objects.count(), Pagu.objects.count())
    with CaptureQueriesContext(connection) as second:
        call_command("load_renstra")
    writes = [
        q["sql"]
        for q in second.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert len(second.captured_queries) <= 5, second.captured_queries
    assert Plan.objects.count() == 1
    assert (
        PlanNode.objects.count(),
        IndicatorTarget.objects.count(),
        Pagu.objects.count(),
    ) == counts


def test_a_forced_reload_updates_in_place_without_duplicates(plan):
    counts = (PlanNode.objects.count(), IndicatorTarget.objects.count(), Pagu.objects.count())
    result = load_plan(DEFAULT_FOLDER, force=True)
    assert result.plan.pk == plan.pk
    assert (
        PlanNode.objects.count(),
        IndicatorTarget.objects.count(),
        Pagu.objects.count(),
    ) == counts
