"""Chapter 10 and CDNOW helpers: BG/NBD expectations for heavy buyers, CLV with a cost per purchase,
a cohort's cumulative repeat purchases, lost customers' values and the totals of a win-back plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.special import betaln

from crmlab import InputError
from crmlab.btyd import (
    BetaGeo,
    GammaGamma,
    cumulative_repeat_transactions,
    customer_lifetime_value,
    first_purchase_times,
    load_cdnow_summary,
    load_cdnow_transactions,
)
from crmlab.churn import allocate_winback_budget, lost_customer_values, summarize_winback_plan

CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_GG = {"p": 6.25, "q": 3.74, "v": 15.44}
# a heavy buyer seen in the 鲜果园 data: 39 repeat purchases in 29 weeks, with parameters of that fit
HEAVY = {"r": 0.4873, "alpha": 2.196, "a": 3.921, "b": 19.85}


def fixed(model_class, params):
    model = model_class()
    model.params_ = dict(params)
    return model


def euler_2f1(A, B, C, w):
    """2F1(A, B; C; w) from Euler's integral (C > B > 0, w ≤ 0): a first-principles reference."""
    f = lambda u: np.exp((B - 1) * np.log(u) + (C - B - 1) * np.log1p(-u) - A * np.log1p(-w * u))  # noqa: E731
    return quad(f, 0, 1, limit=200, epsabs=0, epsrel=1e-12)[0] / np.exp(betaln(B, C - B))


def bgnbd_conditional_reference(t, x, tx, T, r, alpha, a, b):
    """FHL (2005) eq. (10), its hypergeometric term after Pfaff's transformation, by quadrature."""
    z = t / (alpha + T + t)
    term = euler_2f1(r + x, a - 1, a + b + x - 1, z / (z - 1))
    p_alive = 1 / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    return (a + b + x - 1) / (a - 1) * (1 - term) * p_alive


@pytest.mark.parametrize("t", [4.33, 26, 52, 70, 80, 104, 200, 1000])
def test_bgnbd_conditional_expectation_for_a_heavy_buyer(t):
    # scipy's hyp2f1 returned −359 at t = 70 and −2,184 at t = 80 for this customer before the fix
    bg = fixed(BetaGeo, HEAVY)
    got = bg.conditional_expected_purchases(t, [39], [29.2857], [29.2857])[0]
    assert got == pytest.approx(bgnbd_conditional_reference(t, 39, 29.2857, 29.2857, **HEAVY), rel=1e-8)


@pytest.mark.parametrize(("params", "x", "tx", "T", "t"), [
    ({"r": 3.0, "alpha": 1.0, "a": 2.0, "b": 12.0}, 92, 1.0, 1.0, 20.0),     # C − A − B whole: scipy gave inf
    ({"r": 1.1677, "alpha": 5.0, "a": 41.1677, "b": 77.19}, 37, 30.0, 60.0, 700.0),  # scipy: 0.639 for 5e-19
    ({"r": 0.243, "alpha": 4.414, "a": 1.5, "b": 2.426}, 0, 0.0, 38.86, 500.0),
])
def test_bgnbd_conditional_expectation_where_scipy_fails(params, x, tx, T, t):
    bg = fixed(BetaGeo, params)
    got = bg.conditional_expected_purchases(t, [x], [tx], [T])[0]
    assert got == pytest.approx(bgnbd_conditional_reference(t, x, tx, T, **params), rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(x=st.integers(0, 150), T=st.floats(1, 200), gap=st.floats(0, 1), a=st.floats(1.05, 8),
       b=st.floats(0.5, 60), r=st.floats(0.1, 3), alpha=st.floats(0.5, 50))
def test_bgnbd_expectations_grow_with_the_horizon(x, T, gap, a, b, r, alpha):
    bg = fixed(BetaGeo, {"r": r, "alpha": alpha, "a": a, "b": b})
    tx = 0.0 if x == 0 else max(T * (1 - gap), 1e-3)
    ts = np.array([1, 5, 20, 50, 100, 200, 500, 1000], dtype=float)
    cond = np.array([bg.conditional_expected_purchases(t, [x], [tx], [T])[0] for t in ts])
    assert np.all(np.isfinite(cond)) and np.all(cond >= -1e-9)
    assert np.all(np.diff(cond) >= -1e-7 * np.maximum(1, cond[1:]))
    uncond = bg.expected_purchases(ts)
    assert np.all(uncond >= 0) and np.all(np.diff(uncond) >= -1e-9)


def test_clv_cost_per_purchase_is_subtracted_from_every_discounted_purchase():
    bg, gg = fixed(BetaGeo, CDNOW_BGNBD), fixed(GammaGamma, CDNOW_GG)
    x, tx, T, m = [2, 5, 0], [30.43, 20.0, 0.0], [38.86, 38.0, 30.0], [40.0, 25.0, 0.0]
    # discounted expected purchases by hand: Σ_k (E[Y(k·Δ)] − E[Y((k−1)·Δ)]) / (1 + d)^k
    step, d, H = 52 / 12, 0.01, 12
    cum = [np.zeros(3)] + [bg.conditional_expected_purchases(k * step, x, tx, T) for k in range(1, H + 1)]
    disc = sum((cum[k] - cum[k - 1]) / (1 + d) ** k for k in range(1, H + 1))
    spend = gg.conditional_expected_average_spend(x, m)
    plain = customer_lifetime_value(bg, gg, x, tx, T, m, margin=0.3)
    costly = customer_lifetime_value(bg, gg, x, tx, T, m, margin=0.3, cost_per_purchase=5.0)
    assert plain == pytest.approx(0.3 * spend * disc)
    assert costly == pytest.approx((0.3 * spend - 5.0) * disc)
    tiny_margin = customer_lifetime_value(bg, gg, x, tx, T, m, margin=0.01, cost_per_purchase=5.0)
    assert np.all(tiny_margin < 0)   # orders that cost more to serve than they earn
    with pytest.raises(InputError, match="cost_per_purchase"):
        customer_lifetime_value(bg, gg, x, tx, T, m, cost_per_purchase=-1)


TX = pd.DataFrame({
    "cust": ["a", "a", "a", "a", "b", "b", "c"],
    "day": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-16",
                           "2024-01-03", "2024-01-08", "2024-01-20"]),
})


def test_cohort_tracking_by_hand():
    # a: first 01-01 (the second order that day is the same purchase), repeats 01-05 (week 1), 01-16 (week 3)
    # b: first 01-03, repeat 01-08 (day 7 → week 2); c: first 01-20, no repeat
    births = first_purchase_times(TX, "cust", "day", start="2024-01-01")
    assert births.to_dict() == pytest.approx({"a": 0.0, "b": 2 / 7, "c": 19 / 7})
    cum = cumulative_repeat_transactions(TX, "cust", "day", "2024-01-01", "2024-01-21")
    assert cum.index.tolist() == [1, 2, 3] and cum.tolist() == [1, 2, 3]
    days = cumulative_repeat_transactions(TX, "cust", "day", "2024-01-01", "2024-01-09", freq="D")
    assert days.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2]     # day 5 is 01-05, day 8 is 01-08
    # only whole weeks up to the end are reported: 01-01 … 01-17 is two whole weeks and three days
    assert cumulative_repeat_transactions(TX, "cust", "day", "2024-01-01", "2024-01-17").tolist() == [1, 2]


def test_cohort_tracking_rejects_purchases_before_the_start():
    with pytest.raises(InputError, match="start"):
        cumulative_repeat_transactions(TX, "cust", "day", "2024-01-02", "2024-01-21")
    with pytest.raises(InputError, match="end"):
        cumulative_repeat_transactions(TX, "cust", "day", "2024-01-01", "2024-01-03")
    with pytest.raises(InputError, match="freq"):
        first_purchase_times(TX, "cust", "day", "2024-01-01", freq="Y")


def test_cdnow_weekly_tracking_adds_up_to_the_calibration_and_holdout_totals():
    try:
        tx = load_cdnow_transactions()
    except InputError:
        pytest.skip("CDNOW data not available")
    summary = load_cdnow_summary(holdout=True)
    cum = cumulative_repeat_transactions(tx, "customer_id", "date", "1997-01-01", "1998-06-30")
    assert len(cum) == 78
    assert cum[39] == summary["frequency"].sum() == 2457
    assert cum[78] - cum[39] == summary["frequency_holdout"].sum() == 1882
    births = first_purchase_times(tx, "customer_id", "date", "1997-01-01")
    assert births.index.equals(summary.index)
    assert (births + summary["T"]).to_numpy() == pytest.approx(272 / 7)   # everyone observed to 1997-09-30


def test_lost_customer_values():
    bg, gg = fixed(BetaGeo, CDNOW_BGNBD), fixed(GammaGamma, CDNOW_GG)
    hist = pd.DataFrame({"x": [2, 6, 6, 0], "tx": [30.43, 5.0, 38.0, 0.0], "T": [38.86, 38.0, 38.0, 38.0],
                         "m": [40.0, 25.0, 25.0, 0.0]}, index=["p", "q", "r", "s"])
    opts = {"periods": 24, "margin": 0.3}
    out = lost_customer_values(bg, gg, hist["x"], hist["tx"], hist["T"], hist["m"], **opts)
    assert out.index.tolist() == ["p", "q", "r", "s"]
    assert out["p_alive"].to_numpy() == pytest.approx(bg.probability_alive(hist["x"], hist["tx"], hist["T"]))
    assert out["value_now"].to_numpy() == pytest.approx(
        customer_lifetime_value(bg, gg, hist["x"], hist["tx"], hist["T"], hist["m"], **opts))
    # won back today = the same history with the last purchase moved to today
    assert out.loc["q", "value_if_regained"] == pytest.approx(out.loc["r", "value_now"])
    assert out.loc["q", "value_at_stake"] > 0 and out.loc["q", "p_alive"] < 0.05
    assert out.loc["r", "value_at_stake"] == pytest.approx(0)       # bought this week: nothing to win back
    assert out.loc["s", "value_at_stake"] == 0                      # one-time buyer: nothing to move
    assert (out["value_at_stake"] >= -1e-12).all()
    assert (out["value_if_regained"] - out["value_now"]).to_numpy() == pytest.approx(out["value_at_stake"])


def test_winback_plan_totals_by_hand():
    plan = allocate_winback_budget([1000, 200, 50, 800], [0.1, 0.1, 0.1, 0.05], [10, 10, 10, 10], budget=20)
    res = summarize_winback_plan(plan)   # contacts the 1000 (gain 90) and the 800 (gain 30)
    assert res.contacted == 2
    assert res.expected_regained == pytest.approx(0.15)
    assert res.regained_value == pytest.approx(100 + 40)
    assert res.cost == pytest.approx(20)
    assert res.net == pytest.approx(120)
    with pytest.raises(InputError, match="plan"):
        summarize_winback_plan(pd.DataFrame({"contact": [True]}))
