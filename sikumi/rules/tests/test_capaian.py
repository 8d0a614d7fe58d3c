from decimal import Decimal

import pytest

from sikumi.rules.capaian import (
    DEFAULT_PREDICATE_BANDS,
    absorption,
    capaian,
    combine_quarters,
    combine_years,
    cumulative_realisation,
    format_capaian,
    predicate,
    projected_capaian,
)


def test_lower_is_better_above_target_is_below_100():
    value = capaian(8, 9, "lower")
    assert value == Decimal("87.50")
    assert format_capaian(value) == "87,50%"
    assert predicate(value) == "Tinggi"


def test_lower_is_better_below_target_is_above_100():
    assert capaian(7, Decimal("6.5"), "lower") == Decimal("107.14")


def test_higher_is_better_is_realisation_over_target():
    assert capaian(165, 132, "higher") == Decimal("80.00")
    assert capaian(4, 5, "higher") == Decimal("125.00")


def test_full_precision_on_request():
    assert capaian(3, 1, "higher", decimals=None) == Decimal(1) / Decimal(3) * 100


@pytest.mark.parametrize("target", [0, None, Decimal("0.00")])
def test_zero_or_missing_target_has_no_capaian(target):
    assert capaian(target, 5, "higher") is None
    assert capaian(target, 5, "lower") is None
    assert format_capaian(capaian(target, 5, "higher")) == "-"
    assert predicate(None) is None


def test_missing_realisation_has_no_capaian():
    assert capaian(10, None, "higher") is None


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError):
        capaian(1, 1, "up")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (Decimal("150"), "Sangat Tinggi"),
        (Decimal("91"), "Sangat Tinggi"),
        (Decimal("90.99"), "Tinggi"),
        (Decimal("76"), "Tinggi"),
        (Decimal("75.99"), "Sedang"),
        (Decimal("66"), "Sedang"),
        (Decimal("65.99"), "Rendah"),
        (Decimal("51"), "Rendah"),
        (Decimal("50.99"), "Sangat Rendah"),
        (Decimal("0"), "Sangat Rendah"),
        (Decimal("-20"), "Sangat Rendah"),
    ],
)
def test_predicate_band_edges(value, label):
    assert predicate(value) == label


def test_predicate_bands_are_data():
    bands = [(80, "Baik"), (None, "Kurang")]
    assert predicate(85, bands) == "Baik"
    assert predicate(79, bands) == "Kurang"
    assert DEFAULT_PREDICATE_BANDS[0] == (91, "Sangat Tinggi")


def test_combine_quarters_sum_skips_unreported():
    quarters = {1: Decimal(10), 2: None, 3: Decimal(5), 4: None}
    assert combine_quarters(quarters, "sum") == Decimal(15)


def test_combine_quarters_last_takes_latest_reported_quarter():
    assert combine_quarters({1: 40, 2: 55, 3: None}, "last") == Decimal(55)
    assert combine_quarters({3: 70, 1: 40}, "last") == Decimal(70)


def test_combine_quarters_average_of_reported():
    assert combine_quarters({1: 80, 2: 90, 3: None}, "average") == Decimal(85)


def test_combine_nothing_reported_is_none():
    assert combine_quarters({1: None}, "sum") is None
    assert combine_quarters({}, "last") is None


def test_combine_years():
    years = {2021: 100, 2022: 120, 2023: None, 2024: 140}
    assert combine_years(years, "sum") == Decimal(360)
    assert combine_years(years, "last") == Decimal(140)
    assert combine_years(years, "average") == Decimal(120)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        combine_years({2021: 1}, "max")  # type: ignore[arg-type]


def test_cumulative_realisation_sum_adds_this_year():
    assert cumulative_realisation(300, 120, "sum") == Decimal(420)
    assert cumulative_realisation(None, 120, "sum") == Decimal(120)
    assert cumulative_realisation(None, None, "sum") is None


def test_cumulative_realisation_last_keeps_previous_until_reported():
    assert cumulative_realisation(Decimal("72.5"), None, "last") == Decimal("72.5")
    assert cumulative_realisation(Decimal("72.5"), 80, "last") == Decimal(80)


def test_cumulative_realisation_average_needs_year_count():
    assert cumulative_realisation(160, 90, "average", previous_years_count=2) == Decimal(
        250
    ) / Decimal(3)
    assert cumulative_realisation(160, None, "average", previous_years_count=2) == Decimal(80)
    with pytest.raises(ValueError):
        cumulative_realisation(160, 90, "average")


def test_absorption():
    assert absorption(1_000_000, 875_000) == (Decimal("87.50"), False)
    assert absorption(1_000_000, 1_100_000) == (Decimal("110.00"), True)
    assert absorption(0, 5) == (None, True)
    assert absorption(None, None) == (None, False)


def test_projection_of_additive_indicator_scales_to_four_quarters():
    projection = projected_capaian(100, {1: 20, 2: 15}, "sum", "higher")
    assert projection.realisation == Decimal(70)
    assert projection.capaian == Decimal("70.00")


def test_projection_counts_unreported_earlier_quarter_as_elapsed():
    projection = projected_capaian(100, {1: None, 2: None, 3: 30}, "sum", "higher")
    assert projection.realisation == Decimal(40)


def test_projection_of_level_keeps_last_value():
    projection = projected_capaian(8, {1: 10, 2: 9}, "last", "lower")
    assert projection.realisation == Decimal(9)
    assert projection.capaian == Decimal("87.50")


def test_projection_without_reports():
    assert projected_capaian(100, {}, "sum", "higher") == (None, None)
