"""Health assessment (penilaian kesehatan) of KSP/USP driven by methodology data.

A methodology is a JSON document (``data/health-2016.json``, ``data/health-2021.json``) listing
its input fields, aspects, components, weights, ratio definitions, band tables and predicates;
``docs/health-score.md`` documents the schema and every field. The engine below knows nothing of
either regulation, so the Dinas can correct a band or a weight by editing data.

Computation:
- a *ratio* component divides the sum of its numerator terms by the sum of its denominator terms
  (x 100, rounded to ``ratio_decimals``) and reads a value 0-100 from its band table;
- a *questionnaire* component counts "yes" answers: score = answers x points per answer;
- a *rating* component maps a rating (1 = best) to a score (4 = best);
- component score = value x weight / 100. An aspect's score is the sum of its component scores
  (``"weighting": "components"``) or, with ``"weighting": "equal"``, aspect % = mean of component
  values and score = % x aspect weight / 100 (method 2021: sum of scores / (n x 4) x 100);
- total = sum of aspect scores, rounded to 2 decimals; predicates come from the same thresholds
  applied to the total and to each aspect's percentage (score / weight x 100).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._data import load_json
from ._decimal import HUNDRED, round_half_up, to_decimal

METHODOLOGIES = {"2016": "health-2016.json", "2021": "health-2021.json"}

Methodology = dict[str, Any]

_COMPARISONS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
}


class HealthInputError(ValueError):
    """Inputs do not allow an assessment; ``errors`` lists every problem in Bahasa Indonesia."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class MethodologyError(ValueError):
    """The methodology data itself is inconsistent (weights, unknown fields, bands)."""


def load_methodology(code: str) -> Methodology:
    """The shipped methodology ``"2016"`` (Perdep 06/2016) or ``"2021"`` (Juknis 15/2021)."""
    try:
        name = METHODOLOGIES[code]
    except KeyError:
        raise MethodologyError(f"Metode penilaian kesehatan '{code}' tidak dikenal") from None
    methodology: Methodology = load_json(name)
    validate_methodology(methodology)
    return methodology


# ---------------------------------------------------------------------------------- results


@dataclass
class ComponentResult:
    """One component: its ratio (percent, ratio kind only), value 0-100 and weighted score."""

    code: str
    label: str
    kind: str
    weight: Decimal
    value: Decimal
    score: Decimal
    ratio: Decimal | None = None
    answer: Decimal | None = None  # "yes" count or rating, for questionnaire and rating kinds


@dataclass
class AspectResult:
    """One aspect: score out of its weight, the score as a percentage of the weight, predicate."""

    code: str
    label: str
    weight: Decimal
    score: Decimal
    percent: Decimal
    predicate: str
    components: list[ComponentResult] = field(default_factory=list)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value, 2))


@dataclass
class HealthResult:
    """Outcome of one assessment; ``as_dict()`` gives a JSON-ready copy."""

    methodology: str
    title: str
    aspects: list[AspectResult]
    total: Decimal
    predicate: str

    @property
    def components(self) -> list[ComponentResult]:
        return [component for aspect in self.aspects for component in aspect.components]

    def as_dict(self) -> dict[str, Any]:
        """Plain dict with numbers as floats rounded to 2 decimals (ratios in percent)."""
        return {
            "methodology": self.methodology,
            "title": self.title,
            "total": _number(self.total),
            "predicate": self.predicate,
            "aspects": [
                {
                    "code": aspect.code,
                    "label": aspect.label,
                    "weight": _number(aspect.weight),
                    "score": _number(aspect.score),
                    "percent": _number(aspect.percent),
                    "predicate": aspect.predicate,
                    "components": [
                        {
                            "code": component.code,
                            "label": component.label,
                            "kind": component.kind,
                            "weight": _number(component.weight),
                            "ratio": _number(component.ratio),
                            "answer": _number(component.answer),
                            "value": _number(component.value),
                            "score": _number(component.score),
                        }
                        for component in aspect.components
                    ],
                }
                for aspect in self.aspects
            ],
        }


# ----------------------------------------------------------------------------- validation


def _terms(spec: Any) -> list[tuple[str, Decimal]]:
    """Ratio terms: ``"field"``, ``{"field": "x", "factor": "0.5"}`` or a list of those."""
    items = spec if isinstance(spec, list) else [spec]
    terms = []
    for item in items:
        if isinstance(item, str):
            terms.append((item, Decimal(1)))
        else:
            factor = to_decimal(item.get("factor", 1))
            assert factor is not None
            terms.append((str(item["field"]), factor))
    return terms


def validate_methodology(methodology: Mapping[str, Any]) -> None:
    """Check that weights add up, every referenced field exists and every band table is usable.

    Raises :class:`MethodologyError` listing every problem, so an edited file fails loudly.
    """
    code = methodology.get("code", "?")
    problems: list[str] = []
    fields = methodology.get("fields", {})
    derived = methodology.get("derived", {})
    names = set(fields) | set(derived)
    for name, definition in derived.items():
        for term, _ in _terms(definition["terms"]):
            if term not in fields:
                problems.append(f"angka turunan '{name}' memakai '{term}' yang tidak ada")
    total_weight = Decimal(0)
    for aspect in methodology["aspects"]:
        weight = to_decimal(aspect["weight"])
        assert weight is not None
        total_weight += weight
        weighting = aspect.get("weighting", "components")
        if weighting not in ("components", "equal"):
            problems.append(f"aspek '{aspect['code']}': pembobotan '{weighting}' tidak dikenal")
        if not aspect["components"]:
            problems.append(f"aspek '{aspect['code']}' tidak memiliki komponen")
        component_weight = Decimal(0)
        for component in aspect["components"]:
            kind = component["kind"]
            if kind == "ratio":
                for part in ("numerator", "denominator"):
                    for term, _ in _terms(component[part]):
                        if term not in names:
                            problems.append(
                                f"komponen '{component['code']}' memakai '{term}' yang tidak ada"
                            )
                _check_bands(component, problems)
            elif kind in ("questionnaire", "rating"):
                if component["field"] not in fields:
                    problems.append(
                        f"komponen '{component['code']}' memakai '{component['field']}' "
                        "yang tidak ada"
                    )
            else:
                problems.append(f"komponen '{component['code']}': jenis '{kind}' tidak dikenal")
            if kind == "questionnaire":
                expected = Decimal(component["questions"]) * Decimal(str(component["points"]))
                if to_decimal(component["weight"]) != expected:
                    problems.append(
                        f"komponen '{component['code']}': bobot harus {expected} "
                        "(jumlah pertanyaan x nilai per jawaban)"
                    )
            if weighting == "components":
                component_weight += to_decimal(component["weight"]) or Decimal(0)
        if weighting == "components" and component_weight != weight:
            problems.append(
                f"aspek '{aspect['code']}': bobot komponen berjumlah {component_weight}, "
                f"seharusnya {weight}"
            )
    if total_weight != HUNDRED:
        problems.append(f"bobot aspek berjumlah {total_weight}, seharusnya 100")
    if problems:
        raise MethodologyError(f"Metode {code}: " + "; ".join(problems))


def _check_bands(component: Mapping[str, Any], problems: list[str]) -> None:
    bands = component.get("bands", {})
    kind = bands.get("kind")
    if kind == "thresholds":
        rules = bands.get("rules", [])
        if not rules or rules[-1].get("op") != "else":
            problems.append(f"komponen '{component['code']}': tabel nilai harus diakhiri 'else'")
        for rule in rules:
            if rule.get("op") not in (*_COMPARISONS, "else"):
                problems.append(
                    f"komponen '{component['code']}': pembanding '{rule.get('op')}' tidak dikenal"
                )
    elif kind != "step":
        problems.append(f"komponen '{component['code']}': jenis tabel nilai '{kind}' tidak dikenal")


# ---------------------------------------------------------------------------- computation


def band_value(ratio: Decimal, bands: Mapping[str, Any]) -> Decimal:
    """Value 0-100 for a ratio (in percent) from a band table.

    ``thresholds``: rules ``{"op": "<=", "limit": 25, "value": 0}`` tried in order, the first that
    holds (``ratio op limit``) gives the value; the last rule is ``{"op": "else", "value": ...}``.
    ``step``: ``value_per_step x ceil(ratio / step)`` (or floor), kept within ``min``..``max``;
    e.g. cadangan risiko / RPM: 10 x ceil(ratio / 10), at most 100.
    """
    if bands["kind"] == "step":
        step = to_decimal(bands["step"])
        per_step = to_decimal(bands.get("value_per_step", bands["step"]))
        assert step is not None and per_step is not None
        quotient = ratio / step
        steps = math.floor(quotient) if bands.get("rounding") == "floor" else math.ceil(quotient)
        value = per_step * steps
        low, high = to_decimal(bands.get("min", 0)), to_decimal(bands.get("max", 100))
        assert low is not None and high is not None
        return max(low, min(high, value))
    for rule in bands["rules"]:
        op = rule["op"]
        limit = to_decimal(rule.get("limit"))
        if op == "else" or (limit is not None and _COMPARISONS[op](ratio, limit)):
            result = to_decimal(rule["value"])
            assert result is not None
            return result
    raise MethodologyError("tabel nilai tidak memiliki baris 'else'")


def predicate_for(score: Decimal, predicates: list[Mapping[str, Any]]) -> str:
    """First predicate whose inclusive minimum the score reaches; ``min: null`` catches the rest."""
    for item in predicates:
        minimum = to_decimal(item.get("min"))
        if minimum is None or score >= minimum:
            return str(item["label"])
    raise MethodologyError("daftar predikat tidak memiliki batas terbawah (min: null)")


class _Reader:
    """Reads input figures, collecting every problem instead of stopping at the first one."""

    def __init__(self, methodology: Mapping[str, Any], inputs: Mapping[str, Any]) -> None:
        self.fields: Mapping[str, Any] = methodology.get("fields", {})
        self.derived: Mapping[str, Any] = methodology.get("derived", {})
        self.inputs = inputs
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def label(self, name: str) -> str:
        definition = self.fields.get(name) or self.derived.get(name) or {}
        return str(definition.get("label", name))

    def figure(self, name: str) -> Decimal | None:
        if name in self.derived:
            return self.terms(self.derived[name]["terms"])
        raw = self.inputs.get(name)
        if raw is None or raw == "":
            self.error(f"Angka '{self.label(name)}' belum diisi")
            return None
        try:
            return to_decimal(raw)
        except (TypeError, ValueError):
            self.error(f"Angka '{self.label(name)}' tidak valid: {raw!r}")
            return None

    def terms(self, spec: Any) -> Decimal | None:
        total: Decimal | None = Decimal(0)
        for name, factor in _terms(spec):
            value = self.figure(name)
            if value is None:
                total = None
            elif total is not None:
                total += value * factor
        return total

    def terms_label(self, component: Mapping[str, Any], part: str) -> str:
        explicit = component.get(f"{part}_label")
        if explicit:
            return str(explicit)
        return " + ".join(self.label(name) for name, _ in _terms(component[part]))


def _component(
    component: Mapping[str, Any], reader: _Reader, weight: Decimal, ratio_decimals: int
) -> ComponentResult | None:
    kind = component["kind"]
    code, label = str(component["code"]), str(component["label"])
    ratio: Decimal | None = None
    answer: Decimal | None = None
    if kind == "ratio":
        numerator = reader.terms(component["numerator"])
        denominator = reader.terms(component["denominator"])
        if numerator is None or denominator is None:
            return None
        if denominator == 0:
            fallback = component.get("on_zero_denominator")
            if fallback is None:
                reader.error(
                    f"Pembagi '{reader.terms_label(component, 'denominator')}' bernilai nol"
                )
                return None
            value = to_decimal(fallback)
        else:
            ratio = round_half_up(numerator / denominator * HUNDRED, ratio_decimals)
            value = band_value(ratio, component["bands"])
    elif kind == "questionnaire":
        answer = reader.figure(component["field"])
        if answer is None:
            return None
        questions = int(component["questions"])
        if answer != answer.to_integral_value() or not 0 <= answer <= questions:
            reader.error(
                f"Jumlah jawaban 'Ya' untuk '{reader.label(component['field'])}' "
                f"harus bilangan bulat 0 sampai {questions}"
            )
            return None
        # Score answers x points exactly (0,25 x 10 = 2,50) rather than via a rounded value.
        score = answer * Decimal(str(component["points"]))
        return ComponentResult(
            code=code,
            label=label,
            kind=kind,
            weight=weight,
            value=score / weight * HUNDRED,
            score=score,
            answer=answer,
        )
    else:  # rating
        answer = reader.figure(component["field"])
        if answer is None:
            return None
        scores: Mapping[str, Any] = component.get("scores", {"1": 4, "2": 3, "3": 2, "4": 1})
        key = str(int(answer)) if answer == answer.to_integral_value() else ""
        if key not in scores:
            allowed = ", ".join(sorted(scores))
            reader.error(
                f"Peringkat '{reader.label(component['field'])}' harus salah satu dari {allowed}"
            )
            return None
        best = max(Decimal(str(score)) for score in scores.values())
        value = Decimal(str(scores[key])) / best * HUNDRED
    assert value is not None
    return ComponentResult(
        code=code,
        label=label,
        kind=kind,
        weight=weight,
        value=value,
        score=value * weight / HUNDRED,
        ratio=ratio,
        answer=answer,
    )


def compute(methodology: Mapping[str, Any], inputs: Mapping[str, Any]) -> HealthResult:
    """Assess one KSP/USP with ``methodology`` from ``inputs`` (field code -> number).

    Raises :class:`HealthInputError` listing every missing or invalid figure, every zero
    denominator and every unknown input name, so an officer can fix the form in one pass.
    """
    validate_methodology(methodology)
    reader = _Reader(methodology, inputs)
    for name in inputs:
        if name not in reader.fields:
            reader.error(f"Angka '{name}' tidak dikenal dalam metode {methodology['code']}")
    ratio_decimals = int(methodology.get("ratio_decimals", 2))
    predicates = methodology["predicates"]
    aspects: list[AspectResult] = []
    for aspect in methodology["aspects"]:
        aspect_weight = to_decimal(aspect["weight"])
        assert aspect_weight is not None
        equal = aspect.get("weighting", "components") == "equal"
        count = len(aspect["components"])
        components = []
        for component in aspect["components"]:
            weight = aspect_weight / count if equal else to_decimal(component["weight"])
            assert weight is not None
            result = _component(component, reader, weight, ratio_decimals)
            if result is not None:
                components.append(result)
        if len(components) != count:
            continue  # errors were recorded; keep going to report them all
        if equal:
            percent = sum((c.value for c in components), Decimal(0)) / count
            score = percent * aspect_weight / HUNDRED
        else:
            score = sum((c.score for c in components), Decimal(0))
            percent = score / aspect_weight * HUNDRED
        aspects.append(
            AspectResult(
                code=str(aspect["code"]),
                label=str(aspect["label"]),
                weight=aspect_weight,
                score=score,
                percent=percent,
                predicate=predicate_for(round_half_up(percent, 2), predicates),
                components=components,
            )
        )
    if reader.errors:
        raise HealthInputError(reader.errors)
    total = round_half_up(sum((a.score for a in aspects), Decimal(0)), 2)
    return HealthResult(
        methodology=str(methodology["code"]),
        title=str(methodology.get("title", "")),
        aspects=aspects,
        total=total,
        predicate=predicate_for(total, predicates),
    )
