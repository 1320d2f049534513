"""Loyalty: indicator index, Dick & Basu cells, retention, the satisfaction curve, programme economics, data.

Every expected value is worked out by hand in a comment or comes from the definition it tests.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.loyalty import (
    DICK_BASU_CELLS,
    LOYALTY_INDICATORS,
    active_customer_counts,
    churn_rate,
    cohort_retention,
    dick_basu,
    dick_basu_summary,
    expected_lifetime,
    fit_satisfaction_loyalty,
    indicator_scores,
    loyalty_index,
    loyalty_programme_economics,
    loyalty_zones,
    periods_to_recoup,
    repurchase_rate_by,
    retention_rate,
    share_of_wallet,
    switching_cost,
)

# --- Dick & Basu (1994): relative attitude × repeat patronage --------------------------------------


def test_dick_basu_four_cells():
    # Dick & Basu (1994, JAMS 22(2), Fig. 2): high/high loyalty, high attitude/low patronage latent loyalty,
    # low attitude/high patronage spurious loyalty, low/low no loyalty
    assert dick_basu(6, 0.8, 5, 0.5) == "真正忠诚"
    assert dick_basu(6, 0.2, 5, 0.5) == "潜在忠诚"
    assert dick_basu(2, 0.8, 5, 0.5) == "虚假忠诚"
    assert dick_basu(2, 0.2, 5, 0.5) == "不忠诚"
    # "high" means at or above the cut
    assert dick_basu(5, 0.5, 5, 0.5) == "真正忠诚"


def test_dick_basu_on_series_keeps_the_index_and_summary_counts():
    att = pd.Series([7, 1, 6, 2, 3], index=list("abcde"))
    pat = [0.9, 0.9, 0.1, 0.1, 0.2]
    cells = dick_basu(att, pat, 5, 0.5)
    assert list(cells.index) == list("abcde")
    assert cells.tolist() == ["真正忠诚", "虚假忠诚", "潜在忠诚", "不忠诚", "不忠诚"]
    table = dick_basu_summary(cells)
    assert list(table.index) == list(DICK_BASU_CELLS)
    assert table["customers"].tolist() == [1, 1, 1, 2]
    assert table["share"].tolist() == pytest.approx([0.2, 0.2, 0.2, 0.4])
    with pytest.raises(InputError, match="个数必须相同"):
        dick_basu([1, 2], [1], 1, 1)
    with pytest.raises(InputError, match="第 2 个值"):
        dick_basu([1, float("nan")], [1, 1], 1, 1)
    with pytest.raises(InputError, match="只能是"):
        dick_basu_summary(["忠诚"])


# --- retention -------------------------------------------------------------------------------------


def test_retention_rate_hand_example():
    # S = 1000 at the start, E = 1100 at the end of which N = 300 are new: 800 of the 1000 stayed → 80 %
    assert retention_rate(1000, 1100, 300) == pytest.approx(0.8)
    assert churn_rate(1000, 1100, 300) == pytest.approx(0.2)
    # nobody new and nobody left → 100 %; everybody left and replaced → 0 %
    assert retention_rate(50, 50, 0) == 1.0
    assert retention_rate(50, 50, 50) == 0.0


@pytest.mark.parametrize(("args", "message"), [
    ((0, 10, 0), "期初客户数 start_customers"),
    ((100, 10, 20), "new_customers 不能大于期末客户数"),
    ((100, 250, 20), "E − N 不能多于期初客户数"),
    ((100, -1, 0), "期末客户数 end_customers"),
])
def test_retention_rate_rejects_impossible_counts(args, message):
    with pytest.raises(InputError, match=message):
        retention_rate(*args)


@settings(max_examples=100, deadline=None)
@given(st.floats(-10, 1e4), st.floats(-10, 1e4), st.floats(-10, 1e4))
def test_retention_rate_validation(s, e, n):
    valid = s > 0 and e >= 0 and 0 <= n <= e and e - n <= s
    try:
        r = retention_rate(s, e, n)
    except InputError:
        assert not valid
    else:
        assert valid and 0 <= r <= 1
        assert churn_rate(s, e, n) == pytest.approx(1 - r)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 7), st.floats(0, 1)), min_size=1, max_size=30), st.floats(1, 7),
       st.floats(0, 1))
def test_dick_basu_cells_follow_the_two_comparisons(pairs, a_cut, p_cut):
    att, pat = zip(*pairs, strict=True)
    cells = dick_basu(list(att), list(pat), a_cut, p_cut)
    for (a, p), cell in zip(pairs, cells, strict=True):
        expected = {(True, True): "真正忠诚", (True, False): "潜在忠诚", (False, True): "虚假忠诚",
                    (False, False): "不忠诚"}[(a >= a_cut, p >= p_cut)]
        assert cell == expected


def test_active_customer_counts_by_hand():
    tx = pd.DataFrame({
        "customer_id": ["a", "b", "c", "a", "c", "d", "e", "b"],
        "date": ["2023-03-01", "2023-05-01", "2023-12-31", "2024-02-01", "2024-06-01", "2024-07-01", "2024-12-31",
                 "2025-01-01"],
    })
    counts = active_customer_counts(tx, "2024-01-01", "2025-01-01")
    # 2023: a, b, c → S = 3; 2024: a, c, d, e → E = 4; d and e are new → N = 2; b's 2025 purchase is outside
    assert (counts.start_customers, counts.end_customers, counts.new_customers) == (3, 4, 2)
    assert counts.retention == pytest.approx(2 / 3)            # (4 − 2) / 3: a and c stayed
    with pytest.raises(InputError, match="期初客户数为 0"):
        active_customer_counts(tx, "2030-01-01", "2031-01-01")
    with pytest.raises(InputError, match="必须晚于"):
        active_customer_counts(tx, "2024-01-01", "2023-01-01")


def test_repurchase_rate_by_groups_and_bands():
    table = repurchase_rate_by(["x", "y", "x", "x"], [1, 0, 0, 1])
    assert table.loc["x"].tolist() == pytest.approx([3, 2, 2 / 3])
    assert table.loc["y"].tolist() == pytest.approx([1, 0, 0.0])
    # bands (0, 50] with 0 included, and (50, 100]: 0 and 50 in the first, 51 and 100 in the second
    bands = repurchase_rate_by([0, 50, 51, 100], [0, 1, 1, 1], edges=[0, 50, 100])
    assert list(bands.index) == ["0–50", "50–100"]
    assert bands["repurchase_rate"].tolist() == pytest.approx([0.5, 1.0])
    cells = dick_basu([6, 6], [0.9, 0.8], 5, 0.5)
    by_cell = repurchase_rate_by(cells, [1, 0])
    assert list(by_cell.index) == list(DICK_BASU_CELLS) and by_cell["customers"].tolist() == [2, 0, 0, 0]
    with pytest.raises(InputError, match=r"第 1 个值必须在 \[0, 100\]"):
        repurchase_rate_by([101], [1], edges=[0, 100])
    with pytest.raises(InputError, match="edges"):
        repurchase_rate_by([1], [1], edges=[5, 1])
    with pytest.raises(InputError, match="0 或 1"):
        repurchase_rate_by(["a"], [2])


def test_expected_lifetime_is_the_value_module_function():
    import crmlab.value

    assert expected_lifetime is crmlab.value.expected_lifetime
    assert expected_lifetime(0.8) == pytest.approx(5.0)     # 1 / (1 − 0.8)


def test_cohort_retention_by_hand():
    tx = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b", "c", "d"],
        "date": ["2024-01-05", "2024-04-02", "2024-10-01", "2024-02-01", "2024-02-20", "2024-05-01", "2024-06-30"],
    })
    table = cohort_retention(tx, "Q")
    # cohort 2024Q1 = {a, b}: Q2 only a (1/2), Q3 nobody (0), Q4 a (1/2); cohort 2024Q2 = {c, d}: nobody after
    assert table.loc[pd.Period("2024Q1"), "size"] == 2
    assert table.loc[pd.Period("2024Q1"), [0, 1, 2, 3]].tolist() == [1.0, 0.5, 0.0, 0.5]
    q2 = table.loc[pd.Period("2024Q2"), [0, 1, 2, 3]].tolist()
    assert q2[:3] == [1.0, 0.0, 0.0] and math.isnan(q2[3])     # 2024Q2 + 3 = 2025Q1: not observed yet
    with pytest.raises(InputError, match="周期 freq"):
        cohort_retention(tx, "W")
    with pytest.raises(InputError, match="第 2 行、列 date"):
        cohort_retention(tx.assign(date=["2024-01-01", "x", *tx["date"][2:]]), "Q")


# --- the loyalty index -----------------------------------------------------------------------------


def test_index_endpoints_and_reversal():
    weights = {"repeat_purchases": 0.5, "price_sensitivity": 0.5}
    df = pd.DataFrame({"repeat_purchases": [0, 12, 12, 6], "price_sensitivity": [5, 1, 5, 2]})
    index = loyalty_index(df, weights)
    # row 0: no purchases and very price-sensitive → 0; row 1: 12 purchases (top bound) and not sensitive → 100
    # row 2: 0.5 × 1 + 0.5 × 0 = 50; row 3: 0.5 × 6/12 + 0.5 × (5 − 2)/4 = 0.25 + 0.375 → 62.5
    assert index.tolist() == pytest.approx([0.0, 100.0, 50.0, 62.5])
    scores = indicator_scores(df, ["price_sensitivity"])
    assert scores["price_sensitivity"].tolist() == pytest.approx([0.0, 1.0, 0.0, 0.75])   # reversed: lower = loyal


def test_every_indicator_has_a_direction_and_all_seven_reach_0_and_100():
    assert {k: v.direction for k, v in LOYALTY_INDICATORS.items()} == {
        "repeat_purchases": "higher", "share_of_wallet": "higher", "brand_attention": "higher",
        "competitor_attitude": "lower", "price_sensitivity": "lower", "quality_tolerance": "higher",
        "choice_time": "lower"}
    loyal = {k: (v.bounds[1] if v.direction == "higher" else v.bounds[0]) for k, v in LOYALTY_INDICATORS.items()}
    disloyal = {k: (v.bounds[0] if v.direction == "higher" else v.bounds[1]) for k, v in LOYALTY_INDICATORS.items()}
    df = pd.DataFrame([loyal, disloyal])
    w = {k: 1 / 7 for k in LOYALTY_INDICATORS}
    assert loyalty_index(df, w).tolist() == pytest.approx([100.0, 0.0])


def test_custom_direction_and_bounds():
    df = pd.DataFrame({"complaints": [0, 2, 4]})
    index = loyalty_index(df, {"complaints": 1.0}, directions={"complaints": "lower"}, bounds={"complaints": (0, 4)})
    assert index.tolist() == pytest.approx([100.0, 50.0, 0.0])
    with pytest.raises(InputError, match="bounds"):
        loyalty_index(df, {"complaints": 1.0}, directions={"complaints": "lower"})
    with pytest.raises(InputError, match="方向 direction"):
        loyalty_index(df, {"complaints": 1.0}, bounds={"complaints": (0, 4)})


def test_weights_must_sum_to_one_unless_normalised():
    df = pd.DataFrame({"repeat_purchases": [3, 9], "brand_attention": [2, 5]})
    with pytest.raises(InputError, match="之和必须为 1"):
        loyalty_index(df, {"repeat_purchases": 1, "brand_attention": 1})
    same = loyalty_index(df, {"repeat_purchases": 1, "brand_attention": 1}, normalize=True)
    assert same.tolist() == pytest.approx(loyalty_index(df, {"repeat_purchases": 0.5, "brand_attention": 0.5}).tolist())
    with pytest.raises(InputError, match="权重"):
        loyalty_index(df, {"repeat_purchases": -0.5, "brand_attention": 1.5})
    with pytest.raises(InputError, match="非空"):
        loyalty_index(df, {})


def test_out_of_range_values_name_row_and_column_or_are_clipped():
    df = pd.DataFrame({"repeat_purchases": [3, 20], "choice_time": [5.0, 45.0]})
    with pytest.raises(InputError, match=r"第 2 行、列 repeat_purchases 必须是 \[0, 12\]"):
        loyalty_index(df, {"repeat_purchases": 1.0})
    # clipped: 20 purchases count as 12 → 100; 45 minutes count as 30 → 0
    assert loyalty_index(df, {"repeat_purchases": 1.0}, clip=True).tolist() == pytest.approx([25.0, 100.0])
    assert loyalty_index(df, {"choice_time": 1.0}, clip=True).tolist() == pytest.approx([100 * 25 / 30, 0.0])
    with pytest.raises(InputError, match="不能为空"):
        loyalty_index(df.iloc[:0], {"repeat_purchases": 1.0})
    with pytest.raises(InputError, match="缺少列"):
        loyalty_index(df, {"share_of_wallet": 1.0})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=7, max_size=7).filter(lambda w: sum(w) > 1e-3),
       st.lists(st.floats(0, 1), min_size=7, max_size=7))
def test_index_stays_between_0_and_100(weights, position):
    # each indicator placed at a fraction of the way from its low to its high bound
    row = {k: v.bounds[0] + p * (v.bounds[1] - v.bounds[0])
           for (k, v), p in zip(LOYALTY_INDICATORS.items(), position, strict=True)}
    w = dict(zip(LOYALTY_INDICATORS, weights, strict=True))
    value = loyalty_index(pd.DataFrame([row]), w, normalize=True).iloc[0]
    assert -1e-9 <= value <= 100 + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(list(LOYALTY_INDICATORS)), st.floats(-2, 2, allow_nan=False),
                       min_size=1, max_size=7))
def test_weights_are_checked(weights):
    df = pd.DataFrame([{k: v.bounds[0] for k, v in LOYALTY_INDICATORS.items()}])
    ok = all(w >= 0 for w in weights.values()) and abs(sum(weights.values()) - 1) <= 1e-6
    try:
        loyalty_index(df, weights)
    except InputError:
        assert not ok
    else:
        assert ok


def test_share_of_wallet():
    assert share_of_wallet(300, 1200) == pytest.approx(0.25)
    assert share_of_wallet([0, 50], [10, 50]).tolist() == [0.0, 1.0]
    with pytest.raises(InputError, match="第 2 位客户"):
        share_of_wallet([1, 60], [10, 50])
    with pytest.raises(InputError, match="total_category_spend 必须大于 0"):
        share_of_wallet(0, 0)
    with pytest.raises(InputError, match="第 1 个值"):
        share_of_wallet([-1], [5])


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.floats(-1e3, 1e4), st.just(math.nan), st.just(math.inf)),
       st.one_of(st.floats(-1e3, 1e4), st.just(math.nan), st.just(math.inf)))
def test_share_of_wallet_validation(ours, total):
    valid = np.isfinite(ours) and np.isfinite(total) and 0 <= ours <= total and total > 0
    try:
        sow = share_of_wallet(ours, total)
    except InputError:
        assert not valid
    else:
        assert valid and 0 <= sow <= 1


# --- satisfaction → loyalty (Jones & Sasser 1995) --------------------------------------------------


def test_logistic_fit_recovers_the_two_point_closed_form():
    # Two satisfaction scores only: the maximum-likelihood logistic curve passes through both observed rates.
    # 20 % repurchase at score 1 and 80 % at score 5: b = (logit .8 − logit .2) / 4 = 2 ln 4 / 4 = ln 2,
    # a = logit .2 − b = −ln 4 − ln 2 = −ln 8
    s = [1] * 10 + [5] * 10
    y = [1] * 2 + [0] * 8 + [1] * 8 + [0] * 2
    fit = fit_satisfaction_loyalty(s, y)
    assert fit.slope_ == pytest.approx(math.log(2), abs=1e-6)
    assert fit.intercept_ == pytest.approx(-math.log(8), abs=1e-6)
    assert fit.predict(1) == pytest.approx(0.2, abs=1e-6) and fit.predict(5) == pytest.approx(0.8, abs=1e-6)
    assert fit.predict(3) == pytest.approx(0.5, abs=1e-6)          # symmetric: halfway on the logit scale
    assert fit.odds_ratio == pytest.approx(2.0, abs=1e-5)
    assert fit.observed_["repurchase_rate"].tolist() == pytest.approx([0.2, 0.8])


def test_logistic_fit_satisfies_the_likelihood_equations_on_the_survey():
    # At the maximum of the logistic likelihood Σ (y − p) = 0 and Σ s (y − p) = 0
    from crmlab.loyalty_data import load_loyalty_survey

    survey = load_loyalty_survey()
    fit = fit_satisfaction_loyalty(survey["satisfaction"], survey["repurchased"])
    p = fit.predict(survey["satisfaction"].to_numpy())
    y, s = survey["repurchased"].to_numpy(), survey["satisfaction"].to_numpy()
    assert np.sum(y - p) == pytest.approx(0.0, abs=1e-4)
    assert np.sum(s * (y - p)) == pytest.approx(0.0, abs=1e-4)
    assert fit.slope_ > 0


@pytest.mark.parametrize(("s", "y", "message"), [
    ([1, 2, 3], [0, 1], "个数必须相同"),
    ([1, 2, 6], [0, 1, 1], "第 3 个值必须在 1 和 5 之间"),
    ([3, 3, 3], [0, 1, 1], "两种不同的分数"),
    ([1, 2, 3], [1, 1, 1], "同时有复购"),
    ([1, 2, 4, 5], [0, 0, 1, 1], "complete separation"),
    ([1, 2, 4, 5], [0, 2, 1, 1], "第 2 个值必须是 0 或 1"),
    ([], [], "不能为空"),
])
def test_satisfaction_fit_rejects_bad_data(s, y, message):
    with pytest.raises(InputError, match=message):
        fit_satisfaction_loyalty(s, y)


def test_loyalty_zones_of_jones_and_sasser():
    # scores 1–2 zone of defection, 3–4 zone of indifference, 5 zone of affection (default cuts 2.5 and 4.5)
    assert loyalty_zones([1, 2, 3, 4, 5]).tolist() == ["背叛区", "背叛区", "冷漠区", "冷漠区", "情感区"]
    assert loyalty_zones(4.5) == "情感区"
    assert loyalty_zones([1, 4], cuts=(1.5, 4.0)).tolist() == ["背叛区", "情感区"]
    with pytest.raises(InputError, match="分界 cuts"):
        loyalty_zones([3], cuts=(4, 2))
    with pytest.raises(InputError, match="1 和 5 之间"):
        loyalty_zones([0])


# --- loyalty-programme economics -------------------------------------------------------------------


def test_programme_break_even_by_hand():
    # r = 0.6, d = 0.1: M(0.6) = 0.6 / 0.5 = 1.2. margin 100, reward 20, 1000 members, no fixed cost:
    # M(r + u) = 100 × 1.2 / (100 − 20) = 1.5 → r + u = 1.5 × 1.1 / 2.5 = 0.66 → u* = 0.06
    res = loyalty_programme_economics(1000, 100, 0.6, 0.06, reward_cost_per_member=20, discount=0.1)
    assert res.break_even_uplift == pytest.approx(0.06)
    # at u = 0.06: M(0.66) = 0.66 / 0.44 = 1.5; gain 1000 × 100 × 0.3 = 30 000 = rewards 1000 × 20 × 1.5
    assert res.margin_gain == pytest.approx(30_000)
    assert res.reward_cost == pytest.approx(30_000)
    assert res.net_value == pytest.approx(0.0, abs=1e-6)
    assert res.extra_retained == pytest.approx(60.0)
    # at u = 0.10: M(0.7) = 0.7 / 0.4 = 1.75; gain 100 000 × 0.55 = 55 000; rewards 20 000 × 1.75 = 35 000
    up = loyalty_programme_economics(1000, 100, 0.6, 0.10, reward_cost_per_member=20, discount=0.1)
    assert up.net_value == pytest.approx(20_000)
    assert (up.lifetime_before, up.lifetime_after) == pytest.approx((2.5, 1 / 0.3))
    # the same reward given as 2 % of 1000 元 spend
    rate = loyalty_programme_economics(1000, 100, 0.6, 0.10, reward_rate=0.02, spend_per_member=1000, discount=0.1)
    assert rate.net_value == pytest.approx(20_000)


def test_programme_break_even_with_a_fixed_cost():
    # fixed 10 000 元 over 1000 members = 10 per member: M(r + u) = (10 + 120) / 80 = 1.625
    # → r + u = 1.625 × 1.1 / 2.625 = 0.680952…, u* = 0.080952…
    res = loyalty_programme_economics(1000, 100, 0.6, 0.0, reward_cost_per_member=20, discount=0.1, fixed_cost=10_000)
    assert res.break_even_uplift == pytest.approx(1.625 * 1.1 / 2.625 - 0.6)
    at = loyalty_programme_economics(1000, 100, 0.6, res.break_even_uplift, reward_cost_per_member=20,
                                     discount=0.1, fixed_cost=10_000)
    assert at.net_value == pytest.approx(0.0, abs=1e-6)


def test_programme_that_cannot_break_even():
    # rewards as large as the margin: every retained member costs as much as they bring
    assert math.isinf(loyalty_programme_economics(100, 50, 0.5, 0.1, reward_cost_per_member=50).break_even_uplift)
    # a huge fixed cost: no retention ≤ 1 pays for it
    res = loyalty_programme_economics(10, 10, 0.5, 0.1, reward_cost_per_member=1, fixed_cost=1e9)
    assert math.isinf(res.break_even_uplift) and res.net_value < 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"reward_cost_per_member": 5, "reward_rate": 0.1}, "只能用一种方式"),
    ({}, "请给出"),
    ({"reward_rate": 1.5, "spend_per_member": 10}, "奖励比例 reward_rate"),
    ({"reward_cost_per_member": -1}, "reward_cost_per_member"),
])
def test_programme_reward_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        loyalty_programme_economics(100, 50, 0.5, 0.1, **kwargs)


def test_programme_retention_must_stay_a_probability():
    with pytest.raises(InputError, match="必须在 0 和 1 之间"):
        loyalty_programme_economics(100, 50, 0.95, 0.1, reward_cost_per_member=1)
    with pytest.raises(InputError, match="原保留率"):
        loyalty_programme_economics(100, 50, 1.2, 0.0, reward_cost_per_member=1)


@settings(max_examples=80, deadline=None)
@given(n=st.floats(1, 1e5), m=st.floats(1, 500), c=st.floats(0, 400), r0=st.floats(0.05, 0.9),
       d=st.floats(0.0, 0.3), f=st.floats(0, 1e5))
def test_net_value_is_zero_at_the_break_even_uplift(n, m, c, r0, d, f):
    base = loyalty_programme_economics(n, m, r0, 0.0, reward_cost_per_member=c, discount=d, fixed_cost=f)
    u = base.break_even_uplift
    assume(math.isfinite(u) and r0 + u < 0.995)
    at = loyalty_programme_economics(n, m, r0, u, reward_cost_per_member=c, discount=d, fixed_cost=f)
    scale = n * m * 10 + f + 1
    assert abs(at.net_value) <= 1e-7 * scale or u == 0.0
    if u > 0 and r0 + u + 0.001 <= 1:
        above = loyalty_programme_economics(n, m, r0, u + 0.001, reward_cost_per_member=c, discount=d, fixed_cost=f)
        assert above.net_value > at.net_value


# --- switching cost --------------------------------------------------------------------------------


def test_switching_cost_and_payback():
    cost = switching_cost(procedural=100, financial=150, relational=50)
    assert cost.total == 300.0
    assert periods_to_recoup(cost.total, 50) == pytest.approx(6.0)      # 300 / 50
    assert math.isinf(periods_to_recoup(300, 0))
    with pytest.raises(InputError, match="财务性转换成本"):
        switching_cost(financial=-1)


# --- the survey data -------------------------------------------------------------------------------


def test_committed_survey_is_the_generator_output():
    from crmlab.loyalty_data import LOYALTY_SURVEY_DEFAULT, generate_loyalty_survey, load_loyalty_survey

    pd.testing.assert_frame_equal(load_loyalty_survey(), generate_loyalty_survey(**LOYALTY_SURVEY_DEFAULT),
                                  check_dtype=False)


def test_survey_repurchase_and_repeat_purchases_come_from_the_transactions():
    from crmlab.datasets import load_green_food
    from crmlab.loyalty_data import load_loyalty_survey

    survey = load_loyalty_survey().set_index("customer_id")
    tx = load_green_food().transactions
    day = pd.Timestamp("2024-07-01")
    bought_after = set(tx.loc[(tx["date"] >= day) & (tx["date"] < day + pd.Timedelta(days=180)), "customer_id"])
    assert survey["repurchased"].to_dict() == {c: int(c in bought_after) for c in survey.index}
    year = tx[(tx["date"] >= day - pd.Timedelta(days=365)) & (tx["date"] < day)].groupby("customer_id").size()
    assert (survey["repeat_purchases"] == year.reindex(survey.index)).all()


def test_survey_loader_names_row_and_column(tmp_path, monkeypatch):
    from crmlab.loyalty_data import load_loyalty_survey, write_loyalty_survey

    (tmp_path / "notebooks").mkdir()
    folder = write_loyalty_survey(tmp_path / "datasets" / "loyalty")
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    df = pd.read_csv(folder / "survey.csv", dtype=str)
    df.loc[3, "satisfaction"] = "6"
    df.to_csv(folder / "survey.csv", index=False)
    with pytest.raises(InputError, match=r"survey.csv 第 5 行、列 satisfaction（总体满意度 1–5）必须是 \[1, 5\]"):
        load_loyalty_survey()
    df.loc[3, "satisfaction"] = "4"
    df.loc[6, "customer_id"] = df.loc[0, "customer_id"]
    df.to_csv(folder / "survey.csv", index=False)
    with pytest.raises(InputError, match="第 8 行、列 customer_id 重复"):
        load_loyalty_survey()
