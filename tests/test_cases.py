"""Chapter-1 case models: the book's own figures, first-principles identities and input checks."""

from __future__ import annotations

import math

import matplotlib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import InputError, clv_closed_form, clv_finite_horizon, expected_lifetime
from crmlab.cases import pg_walmart, skyworth, starbucks, taxi

rates = st.floats(0.0, 0.5)


def explicit_annuity(d: float, years: int) -> float:
    return sum((1 + d) ** -t for t in range(1, years + 1))


# --- 出租车司机 -------------------------------------------------------------------------------

def test_book_figures_double_business_in_three_quarters_of_the_hours():
    cmp = taxi.book_driver_comparison()
    assert cmp.business_ratio == pytest.approx(2.0)          # 12 万 vs 6 万 a month
    assert cmp.hours_ratio == pytest.approx(9 / 12)          # 8–10 h (midpoint 9) vs 12 h a day
    assert cmp.hourly_ratio == pytest.approx(2.0 * 12 / 9)   # so 8/3 ≈ 2.67 times the business per hour


@given(days=st.floats(1, 31), hours=st.floats(8, 10))
def test_working_days_cancel_out_of_the_comparison(days, hours):
    cmp = taxi.book_driver_comparison(zhou_hours_per_day=hours, days_per_month=days)
    assert cmp.hourly_ratio == pytest.approx(2.0 * 12 / hours)


def test_implied_cost_ratio_from_85_wan_of_144_wan():
    f = taxi.TAXI_FACTS
    assert taxi.implied_cost_ratio(f.zhou_monthly_business, f.zhou_annual_earnings) == pytest.approx(1 - 85 / 144)


def test_trade_markup_covers_an_empty_return():
    # 跑两趟赚一趟钱: +50 % and back empty means 0.75 of a meter fare per leg driven.
    trip = taxi.long_trip(1000, 0.5, 1.0)
    assert trip.revenue == pytest.approx(1500)
    assert trip.revenue_per_leg == pytest.approx(750)


def test_break_even_empty_return_rate_with_book_markups():
    assert taxi.break_even_empty_return_rate(0.17) == pytest.approx(0.67)


@given(fare=st.floats(1, 1e5), markup=st.floats(0.0, 0.5))
def test_at_break_even_the_low_markup_earns_what_the_trade_earns(fare, markup):
    e = taxi.break_even_empty_return_rate(markup)
    assert taxi.long_trip(fare, markup, e).revenue == pytest.approx(taxi.long_trip(fare, 0.5, 1.0).revenue)


@given(r0=st.floats(0, 1), p2=st.floats(0.01, 5))
def test_zero_premium_gives_base_retention(r0, p2):
    assert taxi.retention_at_premium(0.0, r0, p2) == pytest.approx(r0)


@given(r0=st.floats(0.9, 1), p2=st.floats(0.05, 2))
def test_churn_doubles_at_the_doubling_premium(r0, p2):
    churn = 1 - taxi.retention_at_premium(p2, r0, p2)
    assert churn == pytest.approx(2 * (1 - r0), abs=1e-12)


@given(p=st.floats(0, 2), q=st.floats(0, 2))
def test_retention_falls_as_premium_rises(p, q):
    lo, hi = sorted((p, q))
    assert taxi.retention_at_premium(hi) <= taxi.retention_at_premium(lo)


def test_default_monthly_fare_is_12_wan_over_200_clients():
    assert taxi.DEFAULT_MODEL["monthly_fare"] == pytest.approx(120_000 / 200)


@given(p=st.floats(0, 1), cost=st.floats(0, 0.6), empty=st.floats(0, 1), d=st.floats(0.001, 0.05))
def test_taxi_clv_is_the_value_formula_for_the_same_inputs(p, cost, empty, d):
    v = taxi.regular_client_value(p, cost_ratio=cost, empty_ratio=empty, discount=d)
    fare = 600.0
    margin = fare * (1 + p) - fare * cost * (1 + empty)
    r = taxi.retention_at_premium(p)
    assert v.monthly_margin == pytest.approx(margin)
    assert v.clv == pytest.approx(clv_closed_form(margin, r, d))
    assert v.expected_lifetime_months == pytest.approx(expected_lifetime(r))


def test_taxi_finite_horizon_uses_the_finite_formula():
    v = taxi.regular_client_value(0.17, horizon_months=36)
    assert v.clv == pytest.approx(clv_finite_horizon(v.monthly_margin, v.retention, v.discount, 36))


def test_base_retention_of_98_percent_means_50_months():
    assert taxi.regular_client_value(0.0).expected_lifetime_months == pytest.approx(50)


@pytest.mark.parametrize(
    "model",
    [{}, {"base_retention": 0.95}, {"churn_doubling_premium": 0.6}, {"cost_ratio": 0.5, "empty_ratio": 0.4}],
)
def test_optimal_premium_is_a_true_maximum(model):
    best = taxi.optimal_premium(**model)
    assert 0 < best.premium < best.max_premium
    for step in (1e-3, 1e-2):
        for neighbour in (best.premium - step, best.premium + step):
            assert taxi.client_base_value(neighbour, **model) < best.base_value
    grid = [i / 200 for i in range(201)]
    assert best.base_value >= max(taxi.client_base_value(p, **model) for p in grid) - 1e-6


def test_default_calibration_reproduces_the_book_premium_within_two_points():
    assert taxi.optimal_premium().premium == pytest.approx(taxi.TAXI_FACTS.zhou_long_trip_markup, abs=0.02)


def test_when_retention_ignores_price_the_highest_premium_wins():
    best = taxi.optimal_premium(churn_doubling_premium=1e6, max_premium=0.8)
    assert best.premium == pytest.approx(0.8)


def test_base_value_is_clients_times_clv():
    assert taxi.client_base_value(0.17, clients=250) == pytest.approx(250 * taxi.regular_client_value(0.17).clv)


def test_one_car_serves_the_books_200_clients():
    assert taxi.fleet_capacity(1) == pytest.approx(taxi.TAXI_FACTS.regular_clients)


@given(cars=st.integers(0, 50), h=st.floats(4, 14), per=st.floats(0.2, 5))
def test_cars_needed_inverts_fleet_capacity(cars, h, per):
    capacity = taxi.fleet_capacity(cars, hours_per_day=h, hours_per_client_month=per)
    assert taxi.cars_needed(capacity, hours_per_day=h, hours_per_client_month=per) == cars


# --- 星巴克 -----------------------------------------------------------------------------------

def test_3000_wan_at_1_percent_means_30_yi_revenue_and_peers_spend_10_percent():
    f = starbucks.STARBUCKS_FACTS
    revenue = starbucks.implied_revenue(f.ad_spend, f.ad_share_of_revenue)
    assert revenue == pytest.approx(3e9)
    assert starbucks.spend_share(f.peer_ad_spend, revenue) == pytest.approx(0.10)
    assert starbucks.PARTNER_DRIVEN_SHARE == pytest.approx(0.10)
    assert f.cup_price_ratio == pytest.approx(6)


def test_growth_figures():
    assert starbucks.compound_growth(0.20, 10) == pytest.approx(1.2**10)
    # +2200 % is 23 times: 23 ** (1/10) − 1 ≈ 36.8 % a year
    assert starbucks.implied_annual_growth(22.0, 10) == pytest.approx(23 ** 0.1 - 1)


@given(g=st.floats(-0.3, 2), years=st.floats(0.5, 30))
def test_implied_growth_inverts_compound_growth(g, years):
    total = starbucks.compound_growth(g, years) - 1
    assert starbucks.implied_annual_growth(total, years) == pytest.approx(g, abs=1e-9)


@given(d=rates, years=st.integers(1, 40))
def test_annuity_factor_is_the_discounted_sum(d, years):
    assert starbucks.annuity_factor(d, years) == pytest.approx(explicit_annuity(d, years))


@given(r0=st.floats(0, 0.5), r1=st.floats(0.5, 1), h=st.floats(0.1, 100))
def test_partner_retention_base_half_and_limit(r0, r1, h):
    assert starbucks.partner_retention(0, r0, r1, h) == pytest.approx(r0)
    assert starbucks.partner_retention(h, r0, r1, h) == pytest.approx((r0 + r1) / 2)
    assert starbucks.partner_retention(1e9 * h, r0, r1, h) == pytest.approx(r1, abs=1e-6)


@given(a=st.floats(0, 1))
def test_strategy_value_assembles_the_value_formulas(a):
    m = starbucks.DEFAULT_MODEL
    v = starbucks.strategy_value(a)
    partner = (1 - a) * m["budget"]
    r = starbucks.partner_retention(partner / m["customers"])
    clv = clv_closed_form(m["margin"], r, m["discount"])
    new = a * m["budget"] / m["cost_per_acquisition"] + m["referral_rate"] * r * m["customers"]
    assert v.retention == pytest.approx(r)
    assert v.clv == pytest.approx(clv)
    assert v.new_customers_per_year == pytest.approx(new)
    expected = m["customers"] * clv + new * clv * explicit_annuity(m["discount"], m["years"])
    assert v.customer_equity == pytest.approx(expected)
    assert v.steady_state_customers == pytest.approx(new / (1 - r))


def test_all_ads_leaves_base_retention():
    assert starbucks.strategy_value(1.0).retention == pytest.approx(starbucks.DEFAULT_MODEL["base_retention"])


def test_optimal_ad_share_is_a_true_maximum():
    best = starbucks.optimal_ad_share()
    assert 0 < best.ad_share < 1
    for step in (1e-3, 1e-2):
        for a in (best.ad_share - step, best.ad_share + step):
            assert starbucks.strategy_value(a).customer_equity < best.customer_equity


def test_without_a_retention_effect_or_word_of_mouth_all_ads_wins():
    model = {"max_retention": 0.5, "base_retention": 0.5, "referral_rate": 0.0}
    assert starbucks.optimal_ad_share(**model).ad_share == pytest.approx(1.0)


def test_strategy_table_has_one_row_per_share():
    table = starbucks.strategy_table([starbucks.AD_DRIVEN_SHARE, starbucks.PARTNER_DRIVEN_SHARE])
    assert list(table.index) == pytest.approx([1.0, 0.1])
    assert table.loc[1.0, "partner_spend"] == 0


# --- 宝洁与沃尔玛 ------------------------------------------------------------------------------

@given(r=st.floats(0.1, 60), lt=st.floats(0, 60))
def test_without_demand_noise_stock_is_half_a_review_period(r, lt):
    assert pg_walmart.inventory_days(r, lt, 0.0) == pytest.approx(r / 2)
    assert pg_walmart.inventory_days(r, lt, 0.5, service_z=0.0) == pytest.approx(r / 2)


def test_safety_stock_grows_with_the_square_root_of_exposure():
    # R = 1, L = 3: safety days = z · cv · √4 = 2 z cv
    assert pg_walmart.inventory_days(1, 3, 0.5, 2.0) == pytest.approx(0.5 + 2.0 * 0.5 * 2)


def test_one_day_of_inventory_is_one_365th_of_cogs():
    assert pg_walmart.inventory_capital(365e6, 1) == pytest.approx(1e6)


@given(cogs=st.floats(1e6, 1e12), days=st.floats(0, 400))
def test_implied_days_inverts_inventory_capital(cogs, days):
    capital = pg_walmart.inventory_capital(cogs, days)
    assert pg_walmart.implied_days_reduction(capital, cogs) == pytest.approx(days, abs=1e-9)


def test_book_saving_of_300_yi_is_a_year_of_stock_at_cogs_of_300_yi():
    assert pg_walmart.implied_days_reduction(pg_walmart.PG_WALMART_FACTS.capital_saved, 3e10) == pytest.approx(365)


@given(cogs=st.floats(1e6, 1e12), before=st.floats(0, 100), after=st.floats(0, 100), h=st.floats(0, 1))
def test_inventory_savings_chain(cogs, before, after, h):
    s = pg_walmart.inventory_savings(cogs, before, after, h)
    assert s.capital_freed == pytest.approx(cogs * (before - after) / 365)
    assert s.annual_carrying_saving == pytest.approx(s.capital_freed * h)


def test_sharing_data_cuts_inventory_days():
    s = pg_walmart.sharing_effect()
    assert s.days_after < s.days_before and s.capital_freed > 0


def test_gross_margin_50_percent_needs_an_11_percent_cost_cut():
    assert pg_walmart.cost_cut_for_gross_profit_uplift(0.11, 0.5) == pytest.approx(0.11)


@given(gm=st.floats(0.05, 0.7), uplift=st.floats(0, 0.3))
def test_cost_cut_gives_the_requested_gross_profit_uplift(gm, uplift):
    s = pg_walmart.cost_cut_for_gross_profit_uplift(uplift, gm)
    change = pg_walmart.gross_profit_change(1e9, gm, cost_reduction=s)
    assert change.uplift == pytest.approx(uplift, abs=1e-9)


@given(gm=st.floats(0.05, 1), g=st.floats(0, 1))
def test_growth_alone_raises_gross_profit_in_proportion(gm, g):
    assert pg_walmart.gross_profit_change(1e9, gm, revenue_growth=g).uplift == pytest.approx(g, abs=1e-9)


# --- 创维 -------------------------------------------------------------------------------------

def test_network_cost_is_vehicles_plus_discounted_running_cost():
    c = skyworth.network_cost(service_points=2000, annual_cost_per_point=3e4, discount=0.08, years=5)
    assert c.vehicle_investment == pytest.approx(1e7)   # the book's 1000 万元
    assert c.total_pv == pytest.approx(1e7 + 2000 * 3e4 * explicit_annuity(0.08, 5))
    assert skyworth.network_cost(service_points=0).total_pv == pytest.approx(1e7)


def test_no_retention_gain_loses_the_whole_cost():
    v = skyworth.service_network_value(0.0)
    assert v.clv_gain == 0
    assert v.net_value == pytest.approx(-v.cost.total_pv)


@given(gain=st.floats(0, 0.4), m=st.floats(1, 1000))
def test_clv_gain_is_the_difference_of_two_value_formulas(gain, m):
    v = skyworth.service_network_value(gain, margin=m, base_retention=0.5)
    assert v.clv_gain == pytest.approx(clv_closed_form(m, 0.5 + gain, 0.08) - clv_closed_form(m, 0.5, 0.08))


def test_break_even_gain_zeroes_the_npv():
    g = skyworth.break_even_retention_gain()
    assert 0 < g < 0.5
    assert skyworth.service_network_value(g).net_value == pytest.approx(0, abs=1.0)
    assert skyworth.service_network_value(g - 0.001).net_value < 0 < skyworth.service_network_value(g + 0.001).net_value


@given(gain=st.floats(0.01, 0.4))
def test_break_even_customers_zeroes_the_npv(gain):
    n = skyworth.break_even_customers(gain)
    v = skyworth.service_network_value(gain, customers_per_year=n)
    assert v.net_value == pytest.approx(0, abs=1e-9 * v.cost.total_pv)


def test_free_network_breaks_even_at_once_and_hopeless_one_never():
    assert skyworth.break_even_retention_gain(vehicle_investment=0, annual_cost_per_point=0) == 0
    assert skyworth.break_even_retention_gain(margin=0.01) == math.inf
    assert skyworth.break_even_customers(0.0) == math.inf


# --- 输入检查 ---------------------------------------------------------------------------------

bad_numbers = st.one_of(
    st.floats(max_value=-1e-6), st.just(math.nan), st.just(math.inf), st.text(max_size=3), st.none(), st.booleans()
)
bad_fractions = st.one_of(st.floats(min_value=1.0001, max_value=1e6), bad_numbers)

CHECKS = [
    (lambda x: taxi.retention_at_premium(x), "加价 premium", bad_numbers),
    (lambda x: taxi.retention_at_premium(0.1, base_retention=x), "基础保留率 base_retention", bad_fractions),
    (lambda x: taxi.regular_client_value(0.1, cost_ratio=x), "成本率 cost_ratio", bad_numbers),
    (lambda x: taxi.regular_client_value(0.1, empty_ratio=x), "空驶比例 empty_ratio", bad_numbers),
    (lambda x: taxi.long_trip(1000, 0.2, x), "空车返程率 empty_return_rate", bad_fractions),
    (lambda x: taxi.driver_economics(x, 9), "月营业额 monthly_business", bad_numbers),
    (lambda x: taxi.optimal_premium(clients=x), "熟客人数 clients", bad_numbers),
    (lambda x: taxi.fleet_capacity(x), "车辆数 cars", bad_numbers),
    (lambda x: starbucks.implied_revenue(x, 0.01), "广告支出 ad_spend", bad_numbers),
    (lambda x: starbucks.strategy_value(x), "广告占比 ad_share", bad_fractions),
    (lambda x: starbucks.strategy_value(0.5, cost_per_acquisition=x), "获客成本 cost_per_acquisition", bad_numbers),
    (lambda x: starbucks.partner_retention(x), "每位客户的员工投入 partner_spend_per_customer", bad_numbers),
    (lambda x: pg_walmart.inventory_days(7, 3, x), "需求变异系数 demand_cv", bad_numbers),
    (lambda x: pg_walmart.inventory_savings(1e9, 10, 5, x), "持有成本率 carrying_rate", bad_fractions),
    (lambda x: pg_walmart.gross_profit_change(1e9, x), "毛利率 gross_margin", bad_fractions),
    (lambda x: skyworth.service_network_value(x), "保留率提升 retention_gain", bad_fractions),
    (lambda x: skyworth.network_cost(annual_cost_per_point=x), "每个网点年运营成本 annual_cost_per_point", bad_numbers),
]


@pytest.mark.parametrize(("call", "field", "values"), CHECKS, ids=[c[1].split()[-1] for c in CHECKS])
@given(data=st.data())
def test_bad_input_raises_input_error_naming_the_field(call, field, values, data):
    x = data.draw(values)
    with pytest.raises(InputError) as info:
        call(x)
    assert field in str(info.value)
    assert repr(x) in str(info.value)


def test_relations_between_inputs_are_checked():
    with pytest.raises(InputError, match="max_retention"):
        starbucks.partner_retention(10, base_retention=0.8, max_retention=0.6)
    with pytest.raises(InputError, match="retention_gain.*0.6"):
        skyworth.service_network_value(0.6, base_retention=0.5)
    with pytest.raises(InputError, match="uplift"):
        pg_walmart.cost_cut_for_gross_profit_uplift(3.0, 0.8)
    with pytest.raises(InputError, match="hours_per_day.*25"):
        taxi.driver_economics(1000, 25)


# --- 部件 -------------------------------------------------------------------------------------

def test_case_widgets_build_and_show_input_errors_inside(capsys):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlab import widgets

    for make in (widgets.taxi_premium_explorer, widgets.taxi_long_trip_explorer, widgets.starbucks_budget_explorer,
                 widgets.pg_walmart_inventory_explorer, widgets.skyworth_service_explorer):
        box = make()
        assert len(box.children) >= 3
    capsys.readouterr()
    box = widgets.starbucks_budget_explorer()
    sliders = {s.description: s for s in box.children[:-1]}
    sliders["基础保留率"].value = 0.80
    sliders["最高保留率"].value = 0.50   # below the base: the message is shown in the widget, nothing is raised
    plt.close("all")
    assert "最高保留率 max_retention" in capsys.readouterr().out


def test_industrial_bank_card_tiers_and_profit_by_hand():
    from crmlab.cases.industrial_bank import card_tiers, household_profit, simulate_household_assets

    assets = [10_000, 50_000, 499_900, 500_000, 2_000_000]
    tiers = card_tiers(assets)
    assert list(tiers) == ["普通卡", "金卡", "金卡", "白金卡", "白金卡"]       # thresholds reached exactly count
    assert list(tiers.categories) == ["白金卡", "金卡", "普通卡"]
    profit = household_profit(assets, tiers)
    assert profit.tolist() == pytest.approx([100 - 30, 500 - 300, 4999 - 300, 5000 - 2500, 20000 - 2500])
    sim = simulate_household_assets(1000, seed=1)
    assert len(sim) == 1000 and (sim >= 0).all() and (sim % 100 == 0).all()
    with pytest.raises(InputError, match="家庭资产 assets 第 2 个值"):
        card_tiers([1.0, -5.0])
