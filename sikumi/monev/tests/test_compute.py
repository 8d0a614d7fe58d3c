"""Pure computation: no database."""

from decimal import Decimal

from sikumi.monev import compute
from sikumi.rules.capaian import capaian, format_capaian, predicate


def test_lower_is_better_target_8_realisation_9_gives_87_50_tinggi():
    value = capaian(8, 9, "lower")
    assert format_capaian(value) == "87,50%"
    assert predicate(value) == "Tinggi"


def test_a_zero_target_gives_no_capaian_shown_as_a_dash():
    assert capaian(0, 5, "higher") is None
    assert format_capaian(capaian(0, 5, "higher")) == "-"
    figures = compute.kinerja_figures(
        year=2026,
        rule="sum",
        polarity="higher",
        target=0,
        realisation=5,
        previous={},
        previous_targets={},
        end_target=0,
    )
    assert figures.capaian is None and figures.predicate is None and figures.end_capaian is None


def _e81(**kw):
    base: dict = {
        "rule": "sum",
        "polarity": "higher",
        "end_target": 100,
        "previous_years": {2024: 20, 2025: 30},
        "target": 25,
        "quarters": {1: 5, 2: 6, 3: None, 4: 7},
        "end_pagu": 1000,
        "previous_spent": 400,
        "pagu": 250,
        "quarters_spent": {1: 50, 2: 60, 4: 70},
    }
    base.update(kw)
    return compute.e81_figures(compute.E81Input(**base))


def test_e81_sum_indicator_adds_the_quarters_and_the_previous_years():
    f = _e81()
    assert f.year_k == 18  # (12) = 5 + 6 + 7
    assert f.previous_k == 50  # (6)
    assert f.cumulative_k == 68  # (13) = (6) + (12)
    assert f.capaian_k == Decimal("68.00")  # (14) = (13) / (5) x 100
    assert f.year_rp == 180 and f.cumulative_rp == 580 and f.capaian_rp == Decimal("58.00")
    assert f.year_capaian == Decimal("72.00") and f.predicate == "Sedang"


def test_e81_level_indicator_takes_the_last_reported_quarter_and_year():
    f = _e81(rule="last", previous_years={2024: 40, 2025: 45}, quarters={1: 47, 2: 49})
    assert f.previous_k == 45  # (6): last year's level
    assert f.year_k == 49  # (12): last reported quarter
    assert f.cumulative_k == 49  # (13) = (12) for levels
    assert f.capaian_k == Decimal("49.00")


def test_e81_level_indicator_without_a_report_this_year_keeps_last_years_level():
    f = _e81(rule="last", previous_years={2025: 45}, quarters={})
    assert f.year_k is None and f.cumulative_k == 45


def test_e81_average_indicator_averages_all_years_so_far():
    f = _e81(rule="average", previous_years={2024: 4, 2025: 6}, quarters={1: 5, 2: 5})
    assert f.year_k == 5
    assert f.cumulative_k == 5  # (4 + 6 + 5) / 3


def test_e81_lower_is_better_uses_the_inverse_formula_against_the_end_target():
    f = _e81(rule="last", polarity="lower", end_target=8, previous_years={}, quarters={1: 9})
    assert f.capaian_k == Decimal("87.50")


def test_e81_without_an_end_target_has_no_capaian():
    f = _e81(end_target=None, end_pagu=0)
    assert f.capaian_k is None and f.capaian_rp is None


def test_a_printed_figure_is_kept_only_when_it_differs():
    assert not compute.checked(Decimal("100.14"), Decimal("100.14")).differs
    assert compute.checked(Decimal("100.14"), Decimal("102.80")).printed == Decimal("102.80")
    assert not compute.checked(None, "-").differs
    assert compute.checked(None, "#DIV/0!").differs


def test_t_c_23_ratios_are_recomputed_from_target_and_realisation():
    row = compute.performance_row(
        "Presentase Koperasi Aktif",
        "%",
        "higher",
        {2016: Decimal("62.43")},
        {2016: Decimal("62.52")},
        {2016: Decimal("102.8")},
        [2016],
    )
    ratio = row.years[2016].ratio
    assert ratio.value == Decimal("100.14") and ratio.printed == Decimal("102.8")
    naik = compute.performance_row(
        "Naik kelas",
        "%",
        "higher",
        {2017: 5},
        {2017: Decimal("0.7")},
        {2017: Decimal("9.33")},
        [2017],
    )
    assert naik.years[2017].ratio.value == Decimal("14.00") and naik.years[2017].ratio.differs


def test_budget_rows_flag_spending_above_the_budget_and_average_growth():
    row = compute.budget_row(
        "Program",
        "program",
        {2019: 100, 2020: 200},
        {2019: 120, 2020: 100},
        [2019, 2020],
        {2019: Decimal("120")},
        Decimal("150"),
        None,
    )
    assert row.years[2019].over_budget and row.years[2019].ratio.value == Decimal("120.00")
    assert not row.years[2019].ratio.differs
    assert row.growth_budget.value == Decimal("100.00") and row.growth_budget.printed == 150
    assert compute.average_growth([None, Decimal(0), Decimal(5)]) is None


def test_an_indicator_is_at_risk_when_the_projection_stays_below_76_percent():
    risky, projected, value = compute.at_risk(100, {1: 10, 2: 15}, "sum", "higher")
    assert risky and projected == 50 and value == Decimal("50.00")
    assert not compute.at_risk(100, {1: 25, 2: 25}, "sum", "higher")[0]
    assert not compute.at_risk(0, {1: 25}, "sum", "higher")[0]
