import pytest


@pytest.fixture
def plan(personas):
    from sikumi.plans.loader import load_plan

    return load_plan().plan


@pytest.fixture
def renja(plan, personas):
    from sikumi.monev import services

    return services.renja_create_from_plan(actor=personas.putri, plan=plan, year=2026)


@pytest.fixture
def pemberdayaan_indicator(plan):
    """An indicator reported by Bidang Pemberdayaan (Sari's Bidang)."""
    from sikumi.plans.models import Indicator

    return (
        Indicator.objects.filter(
            plan=plan, table="program", node__unit__code="bidang-pemberdayaan", combine="sum"
        )
        .order_by("order")
        .first()
    )


def approve_quarter(personas, renja, indicator, quarter, value):
    """Sari enters and submits, Pandu verifies, Putri approves."""
    from sikumi.monev import services

    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=indicator, quarter=quarter, value=value
    )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)
    sub = services.submission_verify(actor=personas.pandu, submission=sub)
    return services.submission_approve(actor=personas.putri, submission=sub)
