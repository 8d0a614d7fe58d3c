from decimal import Decimal

import pytest

from sikumi.rules.sakip import akip_grade, akip_score


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "AA"),
        (Decimal("90.01"), "AA"),
        (90, "A"),
        (Decimal("80.01"), "A"),
        (80, "BB"),
        (71, "BB"),
        (70, "B"),
        (61, "B"),
        (60, "CC"),
        (51, "CC"),
        (50, "C"),
        (31, "C"),
        (30, "D"),
        (0, "D"),
    ],
)
def test_akip_grade_bands_are_exclusive(score, grade):
    assert akip_grade(score) == grade


def test_akip_grade_custom_bands_and_none():
    assert akip_grade(None) is None
    assert akip_grade(75, [(70, "Baik"), (None, "Kurang")]) == "Baik"


def test_akip_score_adds_components_within_their_weights():
    scores: dict[str, Decimal | int] = {
        "perencanaan": Decimal("24.5"),
        "pengukuran": 22,
        "pelaporan": Decimal("11.25"),
        "evaluasi_internal": 18,
    }
    assert akip_score(scores) == Decimal("75.75")
    assert akip_grade(akip_score(scores)) == "BB"


def test_akip_score_refuses_more_than_weight_or_missing_component():
    with pytest.raises(ValueError):
        akip_score({"perencanaan": 31, "pengukuran": 1, "pelaporan": 1, "evaluasi_internal": 1})
    with pytest.raises(ValueError):
        akip_score({"perencanaan": 20})
