"""Chapter 10: win-back economics, tiers of lost customers, budget allocation."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.churn import allocate_winback_budget, break_even_success_rate, lost_customer_tiers, winback_economics


def test_winback_economics_by_hand():
    # 1,000 lost customers, 8 % come back, each then worth 500 元; 20 元 per contact plus 5,000 元 fixed
    res = winback_economics(1000, 0.08, 500, 20, fixed_cost=5000)
    assert res.expected_regained == pytest.approx(80)
    assert res.regained_value == pytest.approx(40_000)
    assert res.cost == pytest.approx(25_000)
    assert res.net == pytest.approx(15_000)
    assert res.roi == pytest.approx(0.6)


@given(value=st.floats(1, 1e5), cost=st.floats(0, 1e3))
def test_break_even_rate_gives_zero_net(value, cost):
    p = break_even_success_rate(value, cost)
    if p <= 1:
        assert winback_economics(100, p, value, cost).net == pytest.approx(0, abs=1e-6 * max(1, value))


def test_tiers_follow_the_book_and_the_shares():
    values = pd.Series([-50, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], index=list("abcdefghijkl"))
    tiers = lost_customer_tiers(values, key_share=0.2, small_share=0.5)
    assert tiers[["a", "b"]].eq("劣质客户").all()          # no value: give up
    assert list(tiers[["k", "l"]]) == ["关键客户", "关键客户"]   # top 20 % of the 10 with value
    assert (tiers == "小客户").sum() == 5                   # bottom half of the 10
    assert (tiers == "普通客户").sum() == 3


def test_budget_goes_to_the_largest_expected_gains_first():
    plan = allocate_winback_budget([1000, 200, 50, 800], [0.1, 0.1, 0.1, 0.05], [10, 10, 10, 10], budget=20)
    # gains: 90, 10, -5, 30 → contact the 90 and the 30 (budget 20 = two contacts); never the negative one
    assert plan.loc[plan["contact"]].index.tolist() == [0, 3]
    assert plan["spent"].max() == 20
    assert not plan.loc[2, "contact"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lost_customers": -1, "success_rate": 0.1, "value_if_regained": 1, "cost_per_contact": 1}, "流失客户数"),
    ({"lost_customers": 1, "success_rate": 1.5, "value_if_regained": 1, "cost_per_contact": 1}, "挽回成功率.*1.5"),
])
def test_bad_inputs(kwargs, message):
    with pytest.raises(InputError, match=message):
        winback_economics(**kwargs)
    with pytest.raises(InputError, match="挽回提升率 response_uplift 第 1 个值无效.*2.0"):
        allocate_winback_budget([1], [2.0], [1], 10)
