import datetime as dt
from decimal import Decimal

import pytest

from sikumi.rules.completeness import (
    FINAL,
    NO_DATA,
    PROVISIONAL,
    Rule,
    RuleError,
    SourceCount,
    add_months,
    evaluate,
    rule_from_data,
    worst,
)

YEAR_END = dt.date(2026, 12, 31)
RAT = rule_from_data({"sources": ["rat"], "final_share": 90})


def test_one_rat_of_165_is_provisional_with_its_share():
    state = evaluate(RAT, [SourceCount("rat", 12, 165)], period_end=YEAR_END, today=YEAR_END)
    assert state.status == PROVISIONAL
    assert state.share == Decimal("7.27")
    assert not state.hide_value


def test_ninety_percent_of_the_rat_is_final_and_none_is_no_data():
    assert (
        evaluate(RAT, [SourceCount("rat", 149, 165)], period_end=YEAR_END, today=YEAR_END).status
        == FINAL
    )
    assert (
        evaluate(RAT, [SourceCount("rat", 148, 165)], period_end=YEAR_END, today=YEAR_END).status
        == PROVISIONAL
    )
    assert (
        evaluate(RAT, [SourceCount("rat", 0, 165)], period_end=YEAR_END, today=YEAR_END).status
        == NO_DATA
    )


def test_absent_data_can_stay_provisional_for_measures_over_a_window():
    rule = rule_from_data({"sources": "rat", "final_share": 90, "absent": "provisional"})
    state = evaluate(rule, [SourceCount("rat", 0, 165)], period_end=YEAR_END, today=YEAR_END)
    assert state.status == PROVISIONAL


def test_growth_hides_a_provisional_value_when_one_source_is_missing():
    rule = rule_from_data({"sources": ["rat", "omzet"], "final_share": 90, "provisional": "hide"})
    counts = [SourceCount("rat", 1, 165), SourceCount("omzet", 0, 8570)]
    state = evaluate(rule, counts, period_end=YEAR_END, today=YEAR_END)
    assert state.status == PROVISIONAL and state.hide_value


def test_an_event_count_is_final_once_the_period_closed_long_enough():
    rule = rule_from_data({"closed_months": 1})
    q1_end = dt.date(2026, 3, 31)
    assert evaluate(rule, [], period_end=q1_end, today=dt.date(2026, 4, 29)).status == PROVISIONAL
    assert evaluate(rule, [], period_end=q1_end, today=dt.date(2026, 4, 30)).status == FINAL
    assert evaluate(Rule(), [], period_end=q1_end, today=dt.date(2026, 1, 1)).status == FINAL


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)


def test_worst_status_wins_and_bad_rules_are_refused():
    assert worst([FINAL, PROVISIONAL]) == PROVISIONAL
    assert worst([FINAL, NO_DATA, PROVISIONAL]) == NO_DATA
    assert worst([]) == NO_DATA
    with pytest.raises(RuleError):
        rule_from_data({"final_share": 120})
    with pytest.raises(RuleError):
        rule_from_data({"threshold": 90})
    with pytest.raises(RuleError):
        rule_from_data({"provisional": "maybe"})
