import datetime as dt
import json
from pathlib import Path

import pytest

from sikumi.supervision import services

EXAMPLE = Path(__file__).resolve().parents[2] / "rules" / "data" / "health-2016-example.json"


@pytest.fixture
def example_inputs():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def methodologies(db):
    services.methodologies_load()


@pytest.fixture
def make_cooperative(db):
    from sikumi.cooperatives.models import Cooperative

    def make(name="KSP Mawar Sejahtera", jenis="simpan_pinjam", **extra):
        return Cooperative.objects.create(name=name, jenis=jenis, **extra)

    return make


@pytest.fixture
def ksp(personas, make_cooperative):
    return make_cooperative(owner_unit=personas.unit("bidang-kelembagaan"))


def weak_inputs(example):
    """The hand-computed example (80,60) made weaker: no "Ya" in manajemen (-11,60) and few
    member loans (value 0, -7,50): 61,50 Dalam Pengawasan."""
    inputs = dict(example)
    for key in inputs:
        if key.startswith("manajemen_"):
            inputs[key] = 0
    inputs["pinjaman_anggota"] = 1_000_000
    return inputs


@pytest.fixture
def assess(personas, methodologies):
    from sikumi.supervision.models import HealthAssessment

    def make(cooperative, year, inputs, actor=None):
        return services.assessment_create(
            actor=actor or personas.wawan,
            assessment=HealthAssessment(
                cooperative=cooperative,
                year=year,
                methodology=services.methodology_current("2016"),
                assessed_on=dt.date(year + 1, 3, 1),
                inputs=inputs,
            ),
        )

    return make


@pytest.fixture
def iusp_case(personas, ksp):
    """An IUSP application of `ksp`, recorded by Kiki (Bidang Kelembagaan)."""
    from sikumi.supervision.models import ServiceCase

    return services.case_create(
        actor=personas.kiki,
        case=ServiceCase(
            kind="iusp", cooperative=ksp, applicant_name="Budi", requested_on=dt.date(2026, 11, 2)
        ),
    )


@pytest.fixture
def inspection(personas, ksp):
    """An inspection of `ksp` on the standard checklist, by Wawan (Bidang Pengawasan)."""
    from sikumi.supervision.models import ChecklistTemplate, Inspection

    created = services.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(
            cooperative=ksp,
            date=dt.date(2026, 5, 4),
            checklist=ChecklistTemplate.objects.get(),
        ),
        answers={},
    )
    # labelled as the example-data generator labels its records (services never do)
    Inspection.objects.filter(pk=created.pk).update(is_example=True)
    created.is_example = True
    return created
