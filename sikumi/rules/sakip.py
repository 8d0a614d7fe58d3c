"""SAKIP: the grade of the AKIP evaluation (PermenPAN-RB 88/2021) from its 0-100 score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ._decimal import Number, to_decimal

# (exclusive minimum, grade), highest first; ``None`` catches the rest.
# > 90 AA, > 80 A, > 70 BB, > 60 B, > 50 CC, > 30 C, else D.
DEFAULT_AKIP_BANDS: list[tuple[Number | None, str]] = [
    (90, "AA"),
    (80, "A"),
    (70, "BB"),
    (60, "B"),
    (50, "CC"),
    (30, "C"),
    (None, "D"),
]

# Maximum score of each component of the evaluation worksheet (LKE); they add up to 100.
DEFAULT_AKIP_COMPONENT_WEIGHTS: dict[str, Number] = {
    "perencanaan": 30,
    "pengukuran": 30,
    "pelaporan": 15,
    "evaluasi_internal": 25,
}


def akip_grade(
    score: Number | None, bands: Sequence[tuple[Number | None, str]] = DEFAULT_AKIP_BANDS
) -> str | None:
    """Grade for an AKIP score: the first band whose minimum the score strictly exceeds.

    A score of exactly 90 is therefore "A", not "AA". ``None`` when there is no score.
    """
    value = to_decimal(score)
    if value is None:
        return None
    for minimum, grade in bands:
        bound = to_decimal(minimum)
        if bound is None or value > bound:
            return grade
    return None


def akip_score(
    component_scores: Mapping[str, Number],
    weights: Mapping[str, Number] = DEFAULT_AKIP_COMPONENT_WEIGHTS,
) -> Decimal:
    """Total AKIP score: the sum of the component scores, each out of its weight.

    Raises ``ValueError`` for an unknown or missing component or a score outside 0..weight, since
    the LKE never gives more than a component's weight.
    """
    unknown = set(component_scores) - set(weights)
    missing = set(weights) - set(component_scores)
    if unknown or missing:
        raise ValueError(f"components unknown {sorted(unknown)}, missing {sorted(missing)}")
    total = Decimal(0)
    for code, raw in component_scores.items():
        value, weight = to_decimal(raw), to_decimal(weights[code])
        assert value is not None and weight is not None
        if not Decimal(0) <= value <= weight:
            raise ValueError(f"score of {code} must be between 0 and {weight}, got {value}")
        total += value
    return total
