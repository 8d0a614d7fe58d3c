"""The year values of the Renstra over the API (issue 15, item 11): a PATCH of a yearly target
or pagu must carry the version of that year's row as the client read it (0 for a year without
a value yet); without one it is a 400 in Indonesian, with a stale one a 409, and nothing is
written either way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumi.plans.models import Indicator, IndicatorTarget, Pagu, PlanNode, TargetChange

MISSING = "Versi wajib dikirim"
STALE = "sudah diubah oleh"


@pytest.fixture
def indicator(plan_with_personas):
    return Indicator.objects.get(plan=plan_with_personas, table="program", source_id="P1.K1/I1")


@pytest.fixture
def node(plan_with_personas):
    return PlanNode.objects.get(plan=plan_with_personas, source_id="P6")


def _target(indicator, year):
    return IndicatorTarget.objects.get(indicator=indicator, year=year)


def _read_version(api, url, key, year):
    rows = api.get(url).json()[key]
    return next(row["version"] for row in rows if row["year"] == year)


@pytest.mark.parametrize("version", ["absent", None, "", "abc", -1, True])
def test_a_target_patch_without_a_valid_version_is_a_400_and_changes_nothing(
    personas, api_for, indicator, version
):
    before = _target(indicator, 2025)
    body = {"year": 2025, "value": "97", "reason": "Revisi"}
    if version != "absent":
        body["version"] = version
    response = api_for(personas.putri).patch(
        f"/api/indicators/{indicator.pk}/", body, format="json"
    )
    assert response.status_code == 400
    assert MISSING in response.json()["version"][0]
    after = _target(indicator, 2025)
    assert (after.value, after.version) == (before.value, before.version)
    assert not TargetChange.objects.filter(target=after).exists()


def test_a_target_patch_with_the_version_read_saves_and_a_second_one_from_that_read_is_a_409(
    personas, api_for, indicator
):
    api = api_for(personas.putri)
    url = f"/api/indicators/{indicator.pk}/"
    version = _read_version(api, url, "targets", 2025)
    body = {"year": 2025, "value": "97", "reason": "Revisi", "version": version}
    saved = api.patch(url, body, format="json")
    assert saved.status_code == 200, saved.content
    assert _target(indicator, 2025).value == Decimal("97")

    # A colleague who read the same version before that save is refused.
    stale = api_for(personas.ani).patch(url, {**body, "value": "95"}, format="json")
    assert stale.status_code == 409, stale.content
    assert STALE in stale.json()["detail"]
    assert _target(indicator, 2025).value == Decimal("97")


def test_version_0_adds_a_year_without_a_value_but_not_over_one_added_since(
    personas, api_for, node
):
    api = api_for(personas.putri)
    url = f"/api/plan-nodes/{node.pk}/"
    Pagu.objects.filter(node=node, year=2022).delete()
    body = {"year": 2022, "value": "1500000", "reason": "Pagu baru", "version": 0}
    created = api.patch(url, body, format="json")
    assert created.status_code == 200, created.content
    assert Pagu.objects.get(node=node, year=2022).value == Decimal("1500000")

    # Someone else who also saw no value for 2022 would overwrite it: refused.
    again = api_for(personas.ani).patch(url, {**body, "value": "9"}, format="json")
    assert again.status_code == 409, again.content
    assert STALE in again.json()["detail"]
    assert Pagu.objects.get(node=node, year=2022).value == Decimal("1500000")


def test_a_pagu_patch_without_a_version_is_a_400(personas, api_for, node):
    before = Pagu.objects.filter(node=node).order_by("year").first()
    response = api_for(personas.putri).patch(
        f"/api/plan-nodes/{node.pk}/",
        {"year": before.year, "value": "1", "reason": "Tanpa versi"},
        format="json",
    )
    assert response.status_code == 400
    assert MISSING in response.json()["version"][0]
    before_value = before.value
    before.refresh_from_db()
    assert before.value == before_value
