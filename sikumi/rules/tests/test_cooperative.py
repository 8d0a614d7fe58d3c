import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from sikumi.rules import cooperative as coop_rules
from sikumi.rules.cooperative import (
    OPERATORS,
    Status,
    activity_thresholds,
    all_met,
    compile_rule,
    dissolved_by,
    evaluate_rule,
    evaluate_rule_set,
    expand_rule_set,
    ksp_class,
    load_rule_sets,
    members_total,
    qualifying,
    rat_book_year,
    rat_deadline,
    rat_held_on_time,
    rat_on_time,
    rat_year_of_book_year,
)
from sikumi.rules.cooperative import activity_status as status


def test_rat_within_window_is_active():
    assert status(2022, 2025) == Status("aktif", "RAT terakhir tahun 2022, dalam 3 tahun terakhir")
    assert status(2025, 2026).code == "aktif"  # RAT last year
    assert status(2023, 2026).code == "aktif"  # exactly three years before


def test_rat_four_years_ago_is_inactive():
    assert status(2019, 2023) == Status(
        "tidak_aktif", "RAT terakhir tahun 2019, lebih dari 3 tahun yang lalu"
    )
    assert status(2022, 2026).code == "tidak_aktif"


def test_never_reported_rat_and_dissolved():
    assert status(None, 2026) == Status("tidak_aktif", "Belum pernah melaporkan RAT")
    assert status(2025, 2026, dissolved=True).code == "dibubarkan"


def test_window_is_configurable():
    assert status(2024, 2026, window_years=1).code == "tidak_aktif"
    assert status(2022, 2026, window_years=5).reason.endswith("dalam 5 tahun terakhir")


def test_rat_on_time_by_end_of_june():
    assert rat_deadline(2025) == dt.date(2026, 6, 30)
    assert rat_on_time(2025, dt.date(2026, 6, 30))
    assert not rat_on_time(2025, dt.date(2026, 7, 1))
    assert not rat_on_time(2025, None)
    assert rat_deadline(2025, deadline_months=3) == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("capital", "klass"),
    [
        (0, "I"),
        (2_500_000_000, "I"),
        (2_500_000_001, "II"),
        (15_000_000_000, "II"),
        (Decimal("15000000000.01"), "III"),
        (50_000_000_000, "III"),
        (50_000_000_001, "IV"),
        (None, None),
    ],
)
def test_ksp_class_bands(capital, klass):
    assert ksp_class(capital) == klass


def test_ksp_class_custom_bands():
    bands: list[dict[str, object]] = [
        {"code": "kecil", "own_capital_max": 100},
        {"code": "besar", "own_capital_max": None},
    ]
    assert ksp_class(100, bands) == "kecil"
    assert ksp_class(101, bands) == "besar"


@pytest.mark.parametrize(
    ("op", "value", "fact", "met"),
    [
        (">=", 20, 20, True),
        (">=", 20, 19, False),
        (">", 0, Decimal("0.01"), True),
        (">", 0, 0, False),
        ("<=", 5, 5, True),
        ("<", 5, 5, False),
        ("==", "aktif", "aktif", True),
        ("==", "aktif", "tidak_aktif", False),
        ("in", ["Sehat", "Cukup Sehat"], "Cukup Sehat", True),
        ("in", ["Sehat", "Cukup Sehat"], "Dalam Pengawasan", False),
        ("true", None, True, True),
        ("true", None, False, False),
        ("within_years", 1, 2025, True),
        ("within_years", 1, 2024, False),
    ],
)
def test_operators(op, value, fact, met):
    rule = {"code": "r", "label": "R", "fact": "x", "op": op, "value": value}
    assert evaluate_rule(rule, {"x": fact, "as_of_year": 2026}).met is met


def test_missing_fact_is_not_met_and_says_so():
    rule = {"code": "r", "label": "R", "fact": "shu", "fact_label": "SHU", "op": ">", "value": 0}
    outcome = evaluate_rule(rule, {})
    assert (outcome.met, outcome.detail) == (False, "Data 'SHU' belum tersedia")


def test_unknown_operator_is_refused():
    with pytest.raises(ValueError):
        evaluate_rule({"code": "r", "label": "R", "fact": "x", "op": "~"}, {"x": 1})


def _berkualitas_facts(**changes):
    facts = {
        "as_of_year": 2026,
        "status": "aktif",
        "last_rat_year": 2026,
        "rat_tepat_waktu": True,
        "simpan_pinjam": True,
        "predikat_kesehatan": "Cukup Sehat",
        "shu": Decimal("12500000"),
        "patuh_pemeriksaan": True,
        "jumlah_anggota": 20,
    }
    facts.update(changes)
    return facts


def test_default_berkualitas_rules_all_met():
    rules = expand_rule_set(load_rule_sets(), "berkualitas")
    outcomes = evaluate_rule_set(rules, _berkualitas_facts())
    assert all_met(outcomes)
    assert [o.code for o in outcomes] == [
        "aktif",
        "rat_tahun_lalu",
        "rat_tepat_waktu",
        "kesehatan",
        "shu_positif",
        "patuh_pemeriksaan",
        "anggota_minimal",
    ]


def test_berkualitas_shows_which_rule_failed():
    rules = expand_rule_set(load_rule_sets(), "berkualitas")
    outcomes = evaluate_rule_set(rules, _berkualitas_facts(jumlah_anggota=19))
    failed = [o for o in outcomes if not o.met]
    assert [o.code for o in failed] == ["anggota_minimal"]
    assert failed[0].detail == "Jumlah anggota: 19 (syarat: minimal 20)"


def test_health_rule_does_not_apply_to_non_savings_cooperative():
    rules = expand_rule_set(load_rule_sets(), "berkualitas")
    facts = _berkualitas_facts(simpan_pinjam=False, predikat_kesehatan=None)
    outcome = next(o for o in evaluate_rule_set(rules, facts) if o.code == "kesehatan")
    assert (outcome.met, outcome.applicable, outcome.detail) == (True, False, "Tidak berlaku")


def test_modern_includes_berkualitas():
    rule_sets = load_rule_sets()
    rules = expand_rule_set(rule_sets, "modern")
    codes = [rule["code"] for rule in rules]
    assert codes[:7] == [rule["code"] for rule in rule_sets["berkualitas"]["rules"]]
    facts = _berkualitas_facts(
        pembukuan_digital=True,
        layanan_daring=True,
        jumlah_pengelola_bersertifikat=2,
        punya_nik_koperasi=True,
        transaksi_nontunai=True,
    )
    assert all_met(evaluate_rule_set(rules, facts))
    assert not all_met(evaluate_rule_set(rules, dict(facts, shu=-1)))


def test_rule_set_including_itself_is_refused():
    with pytest.raises(ValueError):
        expand_rule_set({"a": {"includes": ["a"], "rules": []}}, "a")


# ------------------------------------------------------------- rules compiled for bulk use

VALUES = [
    None,
    0,
    1,
    20,
    2024,
    -3,
    Decimal("0"),
    Decimal("0.50"),
    Decimal("25.00"),
    Decimal("NaN"),
    Decimal("Infinity"),
    1.5,
    float("nan"),
    "5",
    "abc",
    "aktif",
    "Sehat",
    True,
    False,
    [1],
    {"a": 1},
]
RULE_VALUES = [None, 0, 20, 1, Decimal("0.5"), "5", 1.5, True, "aktif", ["Sehat", "Cukup Sehat"]]
CONDITIONS = [
    None,
    {"fact": "flag", "op": "true"},
    {"fact": "flag", "op": ">", "value": 0},
    {"fact": "flag", "op": "bogus"},
]


def _outcome(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # the same error, not just an error
        return type(exc)


def _engine_met(rule, facts):
    return evaluate_rule(rule, facts).met


def test_compiled_rules_give_the_engines_outcome_or_error():
    rules: list[dict[str, Any]] = []
    for op, value, condition in itertools.product([*OPERATORS, "bogus"], RULE_VALUES, CONDITIONS):
        rule: dict[str, Any] = {"code": "r", "label": "R", "fact": "x", "op": op, "value": value}
        if condition is not None:
            rule["applies_if"] = condition
        rules.append(rule)
    rules.append(
        {
            "code": "r",
            "label": "R",
            "fact": "x",
            "op": "within_years",
            "value": 1,
            "as_of_fact": "other_year",
        }
    )
    rules.append({"label": "R", "fact": "x", "op": "true"})  # no code
    rules.append({"code": "r", "label": "R", "op": "true"})  # no fact
    checked = 0
    for rule in rules:
        predicate = compile_rule(rule)
        for actual, flag, as_of in itertools.product(VALUES, [None, True, 3, "x"], [2025, None]):
            facts = {"x": actual, "flag": flag, "as_of_year": as_of, "other_year": 2020}
            expected = _outcome(_engine_met, rule, facts)
            assert _outcome(predicate, facts) == expected, (rule, facts)
            checked += 1
    assert checked > 10_000
    shipped = load_rule_sets()
    for code in shipped:  # the shipped rules are compiled, not left to the explaining engine
        for rule in expand_rule_set(shipped, code):
            assert compile_rule(rule).__name__ != "refused", rule


# ------------------------------------------------------------------ the bounds bulk readings use


def test_activity_thresholds_are_the_years_activity_status_compares_with():
    bounds = activity_thresholds(2026)
    assert (bounds.active_from, bounds.dissolved_through) == (2023, dt.date(2026, 12, 31))
    assert activity_thresholds(2026, on=dt.date(2026, 3, 31)).dissolved_through.month == 3
    assert activity_thresholds(2026, window_years=1).active_from == 2025
    for window in (1, 3, 5):
        edge = activity_thresholds(2026, window).active_from
        assert status(edge, 2026, window).code == "aktif"
        assert status(edge - 1, 2026, window).code == "tidak_aktif"


def test_dissolved_during_or_before_the_year_counts_as_dissolved():
    assert dissolved_by(dt.date(2026, 11, 5), 2026)
    assert dissolved_by(dt.date(2020, 1, 1), 2026)
    assert not dissolved_by(dt.date(2027, 1, 1), 2026)
    assert not dissolved_by(None, 2026)
    # A quarter's status is taken on its last day: dissolved in November, not yet by March.
    assert not dissolved_by(dt.date(2026, 11, 5), 2026, on=dt.date(2026, 3, 31))


def test_the_rat_held_in_a_year_closes_the_previous_book_year():
    assert rat_book_year(2026) == 2025
    assert rat_year_of_book_year(2025) == 2026
    assert rat_book_year(rat_year_of_book_year(2024)) == 2024


@pytest.mark.parametrize(
    ("rat_year", "rat_date", "on_time"),
    [
        (2026, dt.date(2026, 6, 30), True),  # on the deadline day
        (2026, dt.date(2026, 7, 1), False),  # a day after
        (2026, dt.date(2026, 1, 2), True),
        (2025, dt.date(2025, 6, 30), True),
        (2025, dt.date(2025, 12, 31), False),
        (2026, None, None),  # no date: not known, not late
        (None, dt.date(2026, 3, 1), None),
    ],
)
def test_rat_held_on_time_is_rat_on_time_for_the_book_year_it_closes(rat_year, rat_date, on_time):
    assert rat_held_on_time(rat_year, rat_date) is on_time
    if on_time is not None:
        assert rat_on_time(rat_year - 1, rat_date) is on_time


def test_members_total_counts_members_of_unknown_sex_too():
    assert members_total(12, 9, None) == 21
    assert members_total(None, None, 40) == 40
    assert members_total(None, 30, None) == 30
    assert members_total(0, None, None) == 0
    assert members_total(None, None, None) is None


# ---------------------------------------------------------------------- rule sets in bulk


def _facts_grid():
    """Cooperatives' facts varied over every default rule's edge."""
    base = _berkualitas_facts(
        pembukuan_digital=True,
        layanan_daring=True,
        jumlah_pengelola_bersertifikat=1,
        punya_nik_koperasi=True,
        transaksi_nontunai=True,
    )
    variations: list[dict[str, Any]] = [
        {},
        {"status": "tidak_aktif"},
        {"last_rat_year": 2025},
        {"last_rat_year": 2024},
        {"rat_tepat_waktu": False},
        {"rat_tepat_waktu": None},
        {"predikat_kesehatan": "Dalam Pengawasan"},
        {"simpan_pinjam": False, "predikat_kesehatan": None},
        {"shu": Decimal("0")},
        {"shu": Decimal("0.01")},
        {"shu": None},
        {"patuh_pemeriksaan": False},
        {"jumlah_anggota": 19},
        {"jumlah_anggota": None},
        {"pembukuan_digital": False},
        {"jumlah_pengelola_bersertifikat": 0},
        {"transaksi_nontunai": False, "layanan_daring": False},
    ]
    return {index: dict(base, **change) for index, change in enumerate(variations)}


@pytest.mark.parametrize("sample", [1, 100])
def test_qualifying_in_bulk_is_all_met_of_each_rule_set(sample):
    rule_sets = load_rule_sets()
    facts_by_id = _facts_grid()
    expected = {
        code: {
            key
            for key, facts in facts_by_id.items()
            if all_met(evaluate_rule_set(expand_rule_set(rule_sets, code), facts))
        }
        for code in rule_sets
    }
    got = qualifying(rule_sets, facts_by_id, sample=sample)
    assert got == expected
    assert got["berkualitas"] == {0, 2, 7, 9, 14, 15, 16}
    assert got["modern"] == {0, 2, 7, 9}


def test_qualifying_follows_a_changed_rule():
    rule_sets = load_rule_sets()
    facts_by_id = _facts_grid()
    assert 12 not in qualifying(rule_sets, facts_by_id)["berkualitas"]  # 19 members
    lowered = {
        "berkualitas": {
            **rule_sets["berkualitas"],
            "rules": [
                dict(rule, value=19) if rule["code"] == "anggota_minimal" else rule
                for rule in rule_sets["berkualitas"]["rules"]
            ],
        },
        "modern": rule_sets["modern"],
    }
    assert 12 in qualifying(lowered, facts_by_id)["berkualitas"]


def test_a_change_to_an_operator_changes_both_evaluations(monkeypatch):
    """The explaining evaluation and the compiled one share one definition per operator."""
    rule = {"code": "r", "label": "R", "fact": "x", "op": ">=", "value": 20}
    facts = {"x": 20}
    assert evaluate_rule(rule, facts).met and compile_rule(rule)(facts)
    monkeypatch.setitem(coop_rules._ORDERINGS, ">=", lambda left, right: left > right)
    assert not evaluate_rule(rule, facts).met
    assert not compile_rule(rule)(facts)


@pytest.mark.parametrize(
    ("issued", "expires", "valid"),
    [
        ("2025-05-01", None, True),
        ("2026-12-31", None, True),  # issued on the day
        ("2027-01-01", None, False),  # not yet issued
        ("2020-05-01", "2026-12-31", True),  # expires that day: still held
        ("2020-05-01", "2026-12-30", False),  # expired the day before
        ("2020-05-01", "2026-05-01", False),  # expired during the year: not held at its end
        (None, None, False),  # no issue date
    ],
)
def test_a_certificate_counts_when_held_on_the_day(issued, expires, valid):
    def day(text):
        return dt.date.fromisoformat(text) if text else None

    on = coop_rules.year_end(2026)
    assert coop_rules.certificate_valid_on(day(issued), day(expires), on) is valid
