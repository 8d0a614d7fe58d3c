import datetime as dt
from decimal import Decimal

import pytest

from sikumi.rules.cooperative import (
    Status,
    all_met,
    evaluate_rule,
    evaluate_rule_set,
    expand_rule_set,
    ksp_class,
    load_rule_sets,
    rat_deadline,
    rat_on_time,
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
