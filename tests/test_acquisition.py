"""Customer acquisition: funnel, promotion economics and CAC payback, each against hand arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.acquisition import acquisition_payback, funnel, funnel_sensitivity, promotion_economics


def test_funnel_from_counts_by_hand():
    table = funnel({"潜在客户": 10_000, "目标客户": 2_000, "初次购买客户": 100})
    assert list(table.index) == ["潜在客户", "目标客户", "初次购买客户"]
    # 2000/10000 = 20 %, 100/2000 = 5 %; overall 100/10000 = 1 %; lost 8000 then 1900
    assert table["stage_conversion"].tolist() == pytest.approx([1.0, 0.2, 0.05])
    assert table["overall_conversion"].tolist() == pytest.approx([1.0, 0.2, 0.01])
    assert table["drop_off"].tolist() == pytest.approx([0, 8000, 1900])


def test_funnel_from_rates_matches_counts_and_generalises():
    assert funnel(entrants=10_000, conversion_rates=[0.2, 0.05]).equals(funnel([10_000, 2_000, 100]))
    four = funnel(entrants=800, conversion_rates=[0.5, 0.25, 0.5], stages=["访客", "注册", "试用", "购买"])
    assert four["count"].tolist() == pytest.approx([800, 400, 100, 50])      # 800 × .5 × .25 × .5
    assert four["overall_conversion"].iloc[-1] == pytest.approx(0.0625)
    assert list(funnel([5, 3, 1, 0]).index) == ["阶段 1", "阶段 2", "阶段 3", "阶段 4"]
    # an empty middle stage: the next step's conversion is reported as 0, not NaN
    assert funnel([5, 0, 0])["stage_conversion"].tolist() == [1.0, 0.0, 0.0]


def test_funnel_sensitivity_by_hand():
    # 10 000 prospects, 20 % become targets, 5 % of targets buy → 100 buyers.
    # +1 point on step 1: 10 000 × 0.21 × 0.05 = 105 (+5); on step 2: 10 000 × 0.20 × 0.06 = 120 (+20)
    table = funnel_sensitivity(10_000, [0.2, 0.05], margin_per_buyer=300)
    assert list(table.index) == ["潜在客户 → 目标客户", "目标客户 → 初次购买客户"]
    assert table["buyers"].tolist() == pytest.approx([100, 100])
    assert table["extra_buyers"].tolist() == pytest.approx([5, 20])
    assert table["extra_margin"].tolist() == pytest.approx([1500, 6000])
    assert table["rank"].tolist() == [2, 1]
    capped = funnel_sensitivity(100, [0.995, 0.5], step=0.01)
    assert capped["new_rate"].iloc[0] == 1.0                                 # capped at 100 %
    assert capped["extra_buyers"].iloc[0] == pytest.approx(100 * 0.005 * 0.5)


@settings(max_examples=60, deadline=None)
@given(entrants=st.floats(1, 1e6), rates=st.lists(st.floats(0.01, 0.98), min_size=1, max_size=5))
def test_property_weakest_step_gains_most(entrants, rates):
    table = funnel_sensitivity(entrants, rates)
    buyers = entrants * math.prod(rates)
    assert table["extra_buyers"].tolist() == pytest.approx([buyers * 0.01 / r for r in rates], rel=1e-9)
    assert table["extra_buyers"].iloc[rates.index(min(rates))] == pytest.approx(table["extra_buyers"].max())


def test_promotion_economics_by_hand():
    # 1000 units a month at 20 元, unit cost 12 元; 20 % off → 4 元 off, promo price 16, promo margin 4 元.
    # 500 extra units → +2000 元; the 1000 baseline units also get 4 元 off → −4000 元; net −2000 元.
    # Break-even: 4000 / 4 = 1000 extra units, i.e. +100 % of the baseline.
    r = promotion_economics(1000, 500, 20, 12, discount_rate=0.2)
    assert (r.discount_per_unit, r.promo_price, r.unit_margin, r.promo_unit_margin) == (4.0, 16.0, 8.0, 4.0)
    assert (r.incremental_margin, r.subsidy_cost, r.net_effect) == (2000.0, 4000.0, -2000.0)
    assert r.breakeven_uplift == 1000.0 and r.breakeven_uplift_share == 1.0
    # a coupon only 30 % of regular buyers redeem: subsidy 1000 × 0.3 × 4 = 1200; net 2000 − 1200 − 500 = 300;
    # break-even (1200 + 500) / 4 = 425 units
    c = promotion_economics(1000, 500, 20, 12, coupon_value=4, redemption=0.3, fixed_cost=500)
    assert c.subsidy_cost == pytest.approx(1200) and c.net_effect == pytest.approx(300)
    assert c.breakeven_uplift == pytest.approx(425) and c.breakeven_uplift_share == pytest.approx(0.425)
    assert c.table()["净效果（元）"] == pytest.approx(300)


def test_promotion_that_cannot_pay():
    # 40 % off a 20 元 item costing 12 元: promo price 12 = cost, every extra unit earns 0 → no uplift pays back
    r = promotion_economics(1000, 5000, 20, 12, discount_rate=0.4)
    assert r.promo_unit_margin == 0 and r.net_effect == pytest.approx(-8000)
    assert r.breakeven_uplift == math.inf
    free = promotion_economics(0, 100, 10, 4)                                  # no discount, no cost
    assert free.net_effect == 600 and free.breakeven_uplift == 0 and free.breakeven_uplift_share == 0
    assert promotion_economics(0, 10, 10, 4, fixed_cost=60).breakeven_uplift_share == math.inf


def test_acquisition_payback_by_hand():
    # no churn, no discount: 300 元 / 50 元 a month = 6 months; first year 12 × 50 = 600 元, ROI (600 − 300)/300 = 1
    flat = acquisition_payback(300, 50)
    assert flat.payback_month == 6 and flat.first_year_margin == pytest.approx(600)
    assert flat.first_year_roi == pytest.approx(1.0) and flat.lifetime_value == math.inf
    # retention 50 %/month: 60, 90, 105 … → paid back in month 3; first year 60·(1 − 0.5¹²)/(1 − 0.5)
    half = acquisition_payback(100, 60, 0.5)
    assert half.payback_month == 3
    assert half.first_year_margin == pytest.approx(120 * (1 - 0.5**12))
    assert half.lifetime_value == pytest.approx(120) and half.ltv_to_cac == pytest.approx(1.2)
    assert half.schedule["survival"].iloc[:3].tolist() == [1.0, 0.5, 0.25]
    # margin 40: the whole lifetime is worth 40 / (1 − 0.5) = 80 < 100 → never paid back
    never = acquisition_payback(100, 40, 0.5)
    assert never.payback_month is None and never.lifetime_value == pytest.approx(80)
    assert never.schedule["net_position"].max() < 0


def test_acquisition_payback_discounting():
    # 12.68 % a year is 1 % a month: i = 1.1268^(1/12) − 1; with r = 0.9 the lifetime value is m / (1 + i − r)
    res = acquisition_payback(500, 100, 0.9, 1.01**12 - 1)
    assert res.monthly_discount == pytest.approx(0.01)
    assert res.lifetime_value == pytest.approx(100 / 0.11)
    # month by month 100/1.01, 90/1.01², 81/1.01³ …: 99.01, 88.23, 78.62, 70.06, 62.43, 55.63, 49.57; cumulative
    # 453.96 after month 6 and 503.53 after month 7 → paid back in month 7
    cum = [sum(100 * 0.9 ** (t - 1) / 1.01**t for t in range(1, m + 1)) for m in (6, 7)]
    assert cum == pytest.approx([453.96, 503.53], abs=0.01)
    assert res.payback_month == 7
    assert res.schedule["cumulative"].loc[7] == pytest.approx(cum[1])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: funnel([100, 120, 10]), "不能多于上一阶段"),
    (lambda: funnel([0, 0]), "必须大于 0"),
    (lambda: funnel([10]), "至少要有两个阶段"),
    (lambda: funnel(), "stage_counts"),
    (lambda: funnel([10, 5], entrants=10, conversion_rates=[0.5]), "stage_counts"),
    (lambda: funnel(entrants=10), "同时给出"),
    (lambda: funnel(entrants=100, conversion_rates=[0.5, 1.2]), "第 2 段转化率 conversion_rate"),
    (lambda: funnel([10, 5], stages=["a"]), "stages"),
    (lambda: funnel({"a": 10, "b": -1}), "阶段 b 的人数 count"),
    (lambda: funnel_sensitivity(100, [], step=0.01), "不能为空"),
    (lambda: funnel_sensitivity(100, [0.5], step=0), "提升幅度 step"),
    (lambda: promotion_economics(100, 10, 0, 5), "原价 price"),
    (lambda: promotion_economics(100, 10, 10, 5, discount_rate=1), "折扣率 discount_rate"),
    (lambda: promotion_economics(100, 10, 10, 5, coupon_value=12), "不能超过原价"),
    (lambda: promotion_economics(100, 10, 10, 5, redemption=1.5), "使用率 redemption"),
    (lambda: promotion_economics(-1, 10, 10, 5), "基线销量 baseline_units"),
    (lambda: acquisition_payback(0, 10), "获客成本 acquisition_cost"),
    (lambda: acquisition_payback(100, 10, 1.1), "月保留率 monthly_retention"),
    (lambda: acquisition_payback(100, 10, 0.9, -0.1), "年折现率 discount"),
    (lambda: acquisition_payback(100, 10, horizon_months=6), "计算月数 horizon_months"),
])
def test_bad_inputs_name_the_field(call, message):
    with pytest.raises(InputError, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(rates=st.lists(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.000001), st.just(float("nan"))),
                      min_size=1, max_size=3))
def test_property_rates_outside_0_1_are_rejected(rates):
    with pytest.raises(InputError, match="conversion_rate"):
        funnel(entrants=100, conversion_rates=rates)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.floats(0, 1e6), min_size=2, max_size=6))
def test_property_funnel_counts_never_grow(counts):
    if counts[0] <= 0 or any(counts[i + 1] > counts[i] for i in range(len(counts) - 1)):
        with pytest.raises(InputError):
            funnel(counts)
        return
    table = funnel(counts)
    assert table["overall_conversion"].between(0, 1).all() and table["stage_conversion"].between(0, 1).all()
    assert table["drop_off"].sum() == pytest.approx(counts[0] - counts[-1])


@settings(max_examples=60, deadline=None)
@given(base=st.floats(0, 1e5), up=st.floats(0, 1e5), price=st.floats(1, 1000), cost_share=st.floats(0, 0.9),
       rate=st.floats(0, 0.5), red=st.floats(0, 1))
def test_property_breakeven_uplift_gives_zero_net(base, up, price, cost_share, rate, red):
    r = promotion_economics(base, up, price, price * cost_share, discount_rate=rate, redemption=red)
    if math.isfinite(r.breakeven_uplift):
        at = promotion_economics(base, r.breakeven_uplift, price, price * cost_share, discount_rate=rate,
                                 redemption=red)
        assert at.net_effect == pytest.approx(0.0, abs=1e-6 * max(1.0, r.subsidy_cost))


@settings(max_examples=60, deadline=None)
@given(cost=st.one_of(st.floats(max_value=0), st.just(float("nan"))), retention=st.floats(0, 1))
def test_property_bad_cac_is_rejected(cost, retention):
    with pytest.raises(InputError, match="acquisition_cost"):
        acquisition_payback(cost, 10, retention)


@settings(max_examples=60, deadline=None)
@given(price=st.one_of(st.floats(max_value=0), st.just(float("nan")), st.just(float("inf")), st.text(max_size=2)),
       rate=st.one_of(st.floats(min_value=1.0), st.floats(max_value=-1e-9)))
def test_property_bad_price_and_discount_are_rejected(price, rate):
    with pytest.raises(InputError, match="price"):
        promotion_economics(100, 10, price, 5)
    with pytest.raises(InputError, match="discount_rate"):
        promotion_economics(100, 10, 20, 5, discount_rate=rate)
