"""sBG (contractual retention) and BG/BB (discrete-time, non-contractual): published fits, first principles,
parameter recovery from simulations, and loud failures on bad input or degenerate data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betaln, gammaln, hyp2f1

from crmlab import InputError
from crmlab.btyd import (
    BetaGeoBetaBinom,
    FitError,
    ShiftedBetaGeo,
    simulate_bgbb,
    simulate_sbg,
    survivors_from_customers,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Fader & Hardie (2007), "How to project customer retention", Journal of Interactive Marketing 21(1), 76-90,
# Table 1 (% of each 1,000-customer segment still active, years 0-12; the model is calibrated on years 0-7).
# Regular years 6 and 7 are 26.2% and 24.1%, i.e. 262 and 241 customers (also in sbg_cohorts.csv).
HIGHEND = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


def sig3(x: float) -> str:
    return f"{x:.3g}"


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is missing: the shared reference data (../shared/data) is not beside the checkout")
    return path


@pytest.fixture(scope="module")
def cohorts() -> pd.DataFrame:
    return pd.read_csv(_shared("retention", "sbg_cohorts.csv"))


@pytest.fixture(scope="module")
def donations() -> pd.DataFrame:
    return pd.read_csv(_shared("retention", "donations_bgbb.csv"))


@pytest.fixture(scope="module")
def highend(cohorts) -> ShiftedBetaGeo:
    g = cohorts[cohorts["cohort"] == "highend"]
    return ShiftedBetaGeo().fit_customers(g["recency"], g["T"])


@pytest.fixture(scope="module")
def bgbb(donations) -> BetaGeoBetaBinom:
    d = donations
    return BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])


# --- sBG: published values --------------------------------------------------------------------------
def test_customer_file_gives_the_survivors_of_table_1(cohorts):
    assert len(cohorts) == 2000
    for name, table in (("highend", HIGHEND), ("regular", REGULAR)):
        g = cohorts[cohorts["cohort"] == name]
        assert survivors_from_customers(g["recency"], g["T"]).tolist() == table[:8]
        assert ShiftedBetaGeo.survivors_from_customers(g["recency"], 8).tolist() == table[:8]


@pytest.mark.parametrize(("name", "survivors", "published"), [
    # Fader & Hardie (2007), section "Estimating the model" and Appendix B (Excel Solver run on the High End
    # data): alpha = 0.668, beta = 3.806, LL = -1611.2; Regular: alpha = 0.704, beta = 1.182. Seven years of churn.
    ("highend", HIGHEND[:8], {"alpha": "0.668", "beta": "3.81"}),
    ("regular", REGULAR[:8], {"alpha": "0.704", "beta": "1.18"}),
])
def test_sbg_reproduces_fader_hardie_2007(name, survivors, published):
    m = ShiftedBetaGeo().fit(survivors)
    assert {k: sig3(v) for k, v in m.params_.items()} == published
    if name == "highend":
        assert round(m.params_["beta"], 3) == 3.806
        assert m.log_likelihood_ == pytest.approx(-1611.2, abs=0.05)
    # the fit on the per-customer file is the same fit
    assert m.n_customers_ == 1000


def test_sbg_projection_to_year_12_is_within_the_published_error(highend):
    # Fader & Hardie (2007) report year-12 survival forecast errors of about 4% (High End) and 2% (Regular),
    # against -81%/+92% for curve fitting. Our projections sit 4.1% and 1.7% below the actual survivors.
    regular = ShiftedBetaGeo().fit(REGULAR[:8])
    for model, actual, err in ((highend, HIGHEND, 0.04), (regular, REGULAR, 0.02)):
        projected = model.expected_survivors(1000, 12)
        assert projected[:8] == pytest.approx(np.array(actual[:8]), rel=0.05)
        assert round(abs(projected[12] / actual[12] - 1), 2) == err


# --- sBG: first principles --------------------------------------------------------------------------
def test_survival_and_churn_probabilities_add_up(highend):
    t = np.arange(1, 301)
    churn = highend.churn_probability(t)
    surv = highend.survival(t)
    assert highend.survival(0) == 1.0
    assert surv == pytest.approx(1 - np.cumsum(churn), abs=1e-12)
    assert churn[0] == pytest.approx(0.668 / (0.668 + 3.806), rel=1e-3)  # P(T = 1) = alpha / (alpha + beta)
    assert (np.diff(surv) < 0).all()


def test_retention_rate_is_the_ratio_of_survivals_and_rises(highend):
    t = np.arange(1, 60)
    r = highend.retention_rate(t)
    assert r == pytest.approx(highend.survival(t) / highend.survival(t - 1), rel=1e-12)
    assert (np.diff(r) > 0).all()  # heterogeneity alone makes the aggregate retention rate rise
    assert highend.retention_rate(1) == pytest.approx(1 - highend.churn_probability(1))


def explicit_derl(model: ShiftedBetaGeo, d: float, renewals: int) -> float:
    """Σ_{t ≥ n} S(t)/S(n−1) (1+d)^{−(t−n)}, n = renewals + 1, summed until the tail is below 1e-15."""
    n = renewals + 1
    horizon = int(40 / math.log1p(d)) + 10
    t = np.arange(n, n + horizon)
    return float(np.sum(model.survival(t) / model.survival(n - 1) * (1 + d) ** -(t - n)))


@pytest.mark.parametrize("discount", [0.01, 0.1, 0.25, 1.0])
@pytest.mark.parametrize("renewals", [0, 1, 4, 30])
def test_derl_is_the_discounted_sum_of_conditional_survival(highend, discount, renewals):
    assert highend.derl(discount, renewals) == pytest.approx(explicit_derl(highend, discount, renewals), rel=1e-9)


def test_derl_matches_the_hypergeometric_closed_form_of_fader_hardie_2010(highend):
    # Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of ignoring
    # heterogeneity", Marketing Science 29(1): DERL = (b+n-1)/(a+b+n-1) 2F1(1, b+n; a+b+n; 1/(1+d)).
    a, b = highend.params_["alpha"], highend.params_["beta"]
    for d in (0.05, 0.1, 0.2):
        for renewals in (0, 2, 6):
            n = renewals + 1
            closed = (b + n - 1) / (a + b + n - 1) * hyp2f1(1, b + n, a + b + n, 1 / (1 + d))
            assert highend.derl(d, renewals) == pytest.approx(closed, rel=1e-9)
    # a customer who has renewed more often is worth more: the sorting effect of heterogeneity
    assert np.all(np.diff(highend.derl(0.1, np.arange(10))) > 0)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.05, 30), b=st.floats(0.05, 300), d=st.floats(0.02, 3), renewals=st.integers(0, 500))
def test_derl_is_accurate_where_library_hypergeometrics_fail(a, b, d, renewals):
    m = ShiftedBetaGeo()
    m.params_ = {"alpha": a, "beta": b}
    value = m.derl(d, renewals)
    assert np.isfinite(value) and 0 < value < (1 + d) / d  # below the value of a customer who never leaves
    assert value == pytest.approx(explicit_derl(m, d, renewals), rel=1e-8)


def test_expected_lifetime_value_is_margin_times_derl(highend):
    assert highend.expected_lifetime_value(120.0, 0.1) == pytest.approx(120.0 * highend.derl(0.1))
    assert highend.expected_lifetime_value(50.0, 0.1, [0, 3]) == pytest.approx(50.0 * highend.derl(0.1, [0, 3]))


def test_sbg_simulation_matches_the_model_and_recovers_the_parameters():
    alpha, beta = 0.7, 2.5
    survivors = simulate_sbg(alpha, beta, 200_000, 10, seed=7)
    assert survivors.tolist() == simulate_sbg(alpha, beta, 200_000, 10, seed=7).tolist()
    truth = ShiftedBetaGeo()
    truth.params_ = {"alpha": alpha, "beta": beta}
    assert survivors == pytest.approx(truth.expected_survivors(200_000, 10), rel=0.02)
    m = ShiftedBetaGeo().fit(survivors)
    for k, true in (("alpha", alpha), ("beta", beta)):
        assert abs(m.params_[k] - true) < 4 * m.standard_errors_[k]


# --- sBG: loud failures -----------------------------------------------------------------------------
@pytest.mark.parametrize(("survivors", "message"), [
    ([1000, 1001, 900], "第 2 个值 1001 大于前一个值 1000"),
    ([1000, 900.5, 800], "存活人数 survivors 第 2 个值必须是有限的整数"),
    ([1000, float("nan"), 800], "存活人数 survivors 第 2 个值.*nan"),
    ([1000, -1, -2], "存活人数 survivors 第 2 个值.*-1"),
    ([1000, 900], "至少需要 3 个值"),
    ([0, 0, 0], "cohort size.*0"),
    ([500, 500, 500], "no churn"),
    ([500, 0, 0], "everyone churned in period 1"),
    ("many", "存活人数 survivors 必须是数字数组"),
])
def test_bad_survivors_are_named(survivors, message):
    with pytest.raises(InputError, match=message):
        ShiftedBetaGeo().fit(survivors)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.integers(-5, 1200), st.floats(allow_nan=True, allow_infinity=True)),
                min_size=1, max_size=8))
def test_any_survivor_list_fits_or_fails_loudly(values):
    m = ShiftedBetaGeo()
    try:
        m.fit(values)
    except InputError as exc:
        assert "存活人数 survivors" in str(exc)
    except FitError as exc:
        assert "未收敛" in str(exc) or "fit failed" in str(exc)
        assert not hasattr(m, "params_")  # never a half-fitted model with meaningless numbers
    else:
        assert all(np.isfinite(v) and v > 0 for v in m.params_.values())
        assert all(np.isfinite(v) for v in m.standard_errors_.values())


@pytest.mark.parametrize("survivors", [
    [1000, 800, 640, 512, 410, 328],  # constant retention: no heterogeneity, alpha and beta run off together
    [1000, 900, 700, 400, 100],  # falling retention, which no sBG can produce
    [1000, 999, 998, 997],
])
def test_degenerate_cohorts_raise_fit_error_and_leave_the_model_unfitted(survivors):
    m = ShiftedBetaGeo()
    with pytest.raises(FitError, match="未收敛"):
        m.fit(survivors)
    with pytest.raises(InputError, match="尚未拟合"):
        m.survival(1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda m: m.churn_probability(0), "期数 t 第 1 个值必须是有限的整数.*≥ 1，收到 0.0"),
    (lambda m: m.survival(1.5), "期数 t 第 1 个值必须是有限的整数"),
    (lambda m: m.retention_rate([1, -2]), "期数 t 第 2 个值.*-2"),
    (lambda m: m.derl(0), "折现率 discount 必须大于 0.*收到 0"),
    (lambda m: m.derl(0.1, -1), "续约次数 renewals 第 1 个值.*-1"),
    (lambda m: m.expected_survivors(-5, 3), "群组人数 cohort_size 不能为负数.*-5"),
    (lambda m: m.expected_lifetime_value(float("nan"), 0.1), "每期利润 margin"),
])
def test_bad_prediction_inputs_are_named(highend, call, message):
    with pytest.raises(InputError, match=message):
        call(highend)


def test_customer_file_errors_are_named():
    with pytest.raises(InputError, match="recency=9 超过观察期数 T=8"):
        survivors_from_customers([1, 9], [8, 8])
    with pytest.raises(InputError, match="观察期数 T 在同一群组"):
        survivors_from_customers([1, 2], [8, 7])
    with pytest.raises(InputError, match="最近活跃期 recency 第 1 个值.*0"):
        survivors_from_customers([0, 2], 8)


# --- BG/BB: published values ------------------------------------------------------------------------
def test_donation_data_has_the_published_shape(donations):
    assert len(donations) == 22
    assert donations["weights"].sum() == 11_104
    assert (donations["periods"] == 6).all()


def test_bgbb_reproduces_fader_hardie_shang_2010(bgbb):
    # Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time noncontractual setting",
    # Marketing Science 29(6), 1086-1108, on the 1995 cohort of 11,104 donors (6 annual opportunities):
    # alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6 (the same figures are in
    # Fader & Hardie's note "Implementing the BG/BB model for customer-base analysis in Excel", 2011).
    p = bgbb.params_
    assert [sig3(p[k]) for k in ("alpha", "beta", "gamma", "delta")] == ["1.2", "0.75", "0.657", "2.78"]
    assert [round(p[k], 3) for k in ("alpha", "beta", "gamma", "delta")] == pytest.approx(
        [1.204, 0.750, 0.657, 2.783], abs=1.5e-3)
    assert bgbb.log_likelihood_ == pytest.approx(-33_225.6, abs=0.05)
    assert bgbb.n_customers_ == 11_104


def test_one_row_per_donor_gives_the_same_fit(donations, bgbb):
    d = donations.loc[donations.index.repeat(donations["weights"])]
    m = BetaGeoBetaBinom().fit(d["frequency"].to_numpy(), d["recency"].to_numpy(), 6)
    for k in m.params_:
        assert m.params_[k] == pytest.approx(bgbb.params_[k], rel=1e-6)
    assert m.log_likelihood_ == pytest.approx(bgbb.log_likelihood_, rel=1e-10)


# --- BG/BB: first principles ------------------------------------------------------------------------
def all_histories(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every possible (x, t_x) after n opportunities and how many 0/1 purchase sequences give it."""
    x, tx, count = [0], [0], [1]
    for last in range(1, n + 1):
        for k in range(1, last + 1):
            x.append(k)
            tx.append(last)
            count.append(math.comb(last - 1, k - 1))
    return np.array(x), np.array(tx), np.array(count, dtype=float)


@pytest.mark.parametrize("n", [1, 6, 15])
def test_history_probabilities_are_a_distribution_with_the_right_moments(bgbb, n):
    # The likelihood of (x, t_x, n) is the probability of one particular purchase sequence; multiplying by the
    # number of sequences with that (x, t_x) gives a distribution over histories, whose moments must agree
    # with the model's predictions.
    x, tx, count = all_histories(n)
    prob = count * np.exp(bgbb.log_likelihood(x, tx, n))
    assert prob.sum() == pytest.approx(1.0, abs=1e-12)
    assert (prob * x).sum() == pytest.approx(bgbb.expected_transactions(n), rel=1e-10)
    g, d = bgbb.params_["gamma"], bgbb.params_["delta"]
    alive = bgbb.probability_alive(x, tx, np.full(x.size, n))
    assert (prob * alive).sum() == pytest.approx(np.exp(betaln(g, d + n + 1) - betaln(g, d)), rel=1e-10)
    future = bgbb.conditional_expected_transactions(5, x, tx, np.full(x.size, n))
    assert (prob * future).sum() == pytest.approx(
        bgbb.expected_transactions(n + 5) - bgbb.expected_transactions(n), rel=1e-10)
    # P(X(n) = k) is the same distribution, summed over recency
    pk = bgbb.probability_of_n_transactions(n, np.arange(n + 1))
    assert pk == pytest.approx(np.bincount(x, weights=prob), abs=1e-12)
    assert bgbb.probability_of_n_transactions(n, n + 1) == 0.0


def test_expected_transactions_matches_the_closed_form(bgbb):
    # FHS (2010), eq. (8): E[X(n)] = a/(a+b) * d/(g-1) * [1 - G(g+d) G(1+d+n) / (G(g+d+n) G(1+d))]
    a, b, g, d = (bgbb.params_[k] for k in ("alpha", "beta", "gamma", "delta"))
    n = np.arange(0, 40)
    ratio = np.exp(gammaln(g + d) + gammaln(1 + d + n) - gammaln(g + d + n) - gammaln(1 + d))
    assert bgbb.expected_transactions(n) == pytest.approx(a / (a + b) * d / (g - 1) * (1 - ratio), rel=1e-10)
    assert bgbb.expected_transactions(0) == 0.0


def test_bgbb_predictions_match_a_simulation(bgbb):
    p = bgbb.params_
    sim = simulate_bgbb(p["alpha"], p["beta"], p["gamma"], p["delta"], 200_000, 6, seed=3)
    assert sim["frequency"].mean() == pytest.approx(bgbb.expected_transactions(6), rel=0.01)
    freq = np.bincount(sim["frequency"], minlength=7) / len(sim)
    assert freq == pytest.approx(bgbb.probability_of_n_transactions(6, np.arange(7)), abs=0.004)
    alive = bgbb.probability_alive(sim["frequency"], sim["recency"], sim["n_periods"])
    assert alive.mean() == pytest.approx(sim["alive_next"].mean(), abs=0.005)
    never = sim["frequency"] == 0
    assert bgbb.probability_alive(0, 0, 6) == pytest.approx(sim.loc[never, "alive_next"].mean(), abs=0.02)


def test_p_alive_is_a_probability_for_every_history_even_extreme_ones():
    m = BetaGeoBetaBinom()
    for params in ((1.2, 0.75, 0.66, 2.78), (50.0, 0.05, 0.02, 80.0), (0.02, 40.0, 30.0, 0.05)):
        m.params_ = dict(zip(m.param_names, params, strict=True))
        x, tx, _ = all_histories(40)
        alive = m.probability_alive(x, tx, np.full(x.size, 40))
        assert np.isfinite(alive).all() and ((alive >= 0) & (alive <= 1)).all()
        future = m.conditional_expected_transactions(10, x, tx, np.full(x.size, 40))
        assert np.isfinite(future).all() and ((future >= 0) & (future <= 10)).all()
    m.params_ = {"alpha": 1.2, "beta": 0.75, "gamma": 0.66, "delta": 2.78}
    assert m.probability_alive(6, 6, 6) > m.probability_alive(6, 6, 6 + 10)  # silence is bad news
    assert m.probability_alive([3], [6], [6])[0] > m.probability_alive([3], [3], [6])[0]  # so is an old last visit


def test_bgbb_simulation_recovers_the_parameters():
    truth = (1.2, 0.75, 0.66, 2.8)
    sim = simulate_bgbb(*truth, n_customers=100_000, n_periods=8, seed=11)
    m = BetaGeoBetaBinom().fit(sim["frequency"], sim["recency"], sim["n_periods"])
    for k, true in zip(m.param_names, truth, strict=True):
        assert abs(m.params_[k] - true) < 4 * m.standard_errors_[k], k


# --- BG/BB: loud failures ---------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (([3], [2], [6]), "frequency=3, recency=2, n_periods=6"),
    (([1], [7], [6]), "recency=7, n_periods=6"),
    (([0], [2], [6]), "frequency=0, recency=2"),
    (([2], [0], [6]), "frequency=2, recency=0"),
    (([1.5], [2], [6]), "交易次数 frequency 第 1 个值必须是有限的整数"),
    (([1], [-2], [6]), "最近交易机会 recency 第 1 个值.*-2"),
    (([0], [0], [0]), "交易机会数 n_periods 第 1 个值.*≥ 1，收到 0.0"),
    (([1, 2], [2, 2, 3], [6]), "长度必须相同"),
])
def test_bad_bgbb_inputs_are_named(args, message):
    with pytest.raises(InputError, match=message):
        BetaGeoBetaBinom().fit(*args)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 8), st.integers(-2, 8), st.integers(-1, 8)), min_size=1, max_size=6))
def test_any_history_is_accepted_exactly_when_it_is_consistent(rows):
    x, tx, n = (list(c) for c in zip(*rows, strict=True))
    ok = all(0 <= a <= b <= c and c >= 1 and (a == 0) == (b == 0) for a, b, c in rows)
    m = BetaGeoBetaBinom()
    m.params_ = {"alpha": 1.2, "beta": 0.75, "gamma": 0.66, "delta": 2.78}
    try:
        alive = m.probability_alive(x, tx, n)
    except InputError as exc:
        assert not ok
        assert any(f in str(exc) for f in ("frequency", "recency", "n_periods"))
    else:
        assert ok and np.all((alive >= 0) & (alive <= 1))


def test_degenerate_donor_data_fails_loudly():
    with pytest.raises(InputError, match="至少需要一位有交易的客户"):
        BetaGeoBetaBinom().fit([0, 0], [0, 0], [6, 6])
    m = BetaGeoBetaBinom()
    with pytest.raises(FitError, match="未收敛"):  # everyone buys at every opportunity: p -> 1, nobody leaves
        m.fit([6] * 50, [6] * 50, [6] * 50)
    assert not hasattr(m, "params_")
    with pytest.raises(InputError, match="尚未拟合"):
        m.expected_transactions(3)


def test_bad_bgbb_prediction_inputs_are_named(bgbb):
    with pytest.raises(InputError, match="交易机会数 n_future 第 1 个值.*-1"):
        bgbb.expected_transactions(-1)
    with pytest.raises(InputError, match="预测机会数 n_future 必须是整数.*2.5"):
        bgbb.conditional_expected_transactions(2.5, [1], [1], [6])
    with pytest.raises(InputError, match="交易次数 k 第 1 个值.*-1"):
        bgbb.probability_of_n_transactions(6, -1)
    with pytest.raises(InputError, match="weights 的长度"):
        BetaGeoBetaBinom().fit([1, 0], [1, 0], 6, weights=[1.0])
