"""BG/NBD, Pareto/NBD and Gamma-Gamma against the published CDNOW results, plus first principles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.btyd import BetaGeo, FitError, GammaGamma, ParetoNBD

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def sig3(x: float) -> str:
    return f"{x:.3g}"


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    path = SHARED / "cdnow" / "cdnow_sample_summary.csv"
    if not path.exists():
        pytest.skip("../shared/data/cdnow is not beside the checkout")
    return pd.read_csv(path)


@pytest.fixture(scope="module")
def bgnbd(cdnow) -> BetaGeo:
    return BetaGeo().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])


def test_bgnbd_reproduces_fader_hardie_lee_2005(bgnbd):
    # Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), p. 279:
    # r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 on the 2,357 CDNOW customers (39 weeks).
    p = bgnbd.params_
    assert [sig3(p[k]) for k in ("r", "alpha", "a", "b")] == ["0.243", "4.41", "0.793", "2.43"]
    assert round(p["alpha"], 3) == pytest.approx(4.414, abs=1e-3)
    assert round(p["b"], 3) == pytest.approx(2.426, abs=1e-3)
    assert bgnbd.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)


def test_bgnbd_conditional_expectation_for_the_papers_example_customer(bgnbd):
    # Same paper, section 4: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
    # 1.226 purchases in the following 39 weeks.
    assert bgnbd.conditional_expected_purchases(39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=5e-4)


def test_pareto_nbd_reproduces_the_published_fit(cdnow):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), Pareto/NBD on the same data:
    # r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0.
    m = ParetoNBD().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    p = m.params_
    assert [sig3(p[k]) for k in ("r", "alpha", "s", "beta")] == ["0.553", "10.6", "0.606", "11.7"]
    assert m.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)


def test_gamma_gamma_reproduces_fader_hardie_2013(cdnow):
    # Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", on the 946 CDNOW customers with
    # repeat purchases: p = 6.25, q = 3.74, gamma = 15.44.
    repeat = cdnow[cdnow["x"] > 0]
    m = GammaGamma().fit(repeat["x"], repeat["zbar"])
    assert len(repeat) == 946
    assert [sig3(m.params_[k]) for k in ("p", "q", "v")] == ["6.25", "3.74", "15.4"]
    # the conditional mean is a weighted average of the population mean and the customer's own mean
    own, pop = 50.0, m.expected_average_spend()
    cond = m.conditional_expected_average_spend([3], [own])[0]
    assert min(own, pop) < cond < max(own, pop)


def test_bgnbd_probabilities_are_a_distribution_and_match_the_mean(bgnbd):
    n = np.arange(400)
    probs = bgnbd.probability_of_n_purchases(39, n)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert (probs >= 0).all()
    assert (n * probs).sum() == pytest.approx(bgnbd.expected_purchases([39])[0], rel=1e-8)


def test_bgnbd_expected_purchases_match_a_simulation():
    # first principles: simulate the BG/NBD story for new customers and count purchases in t = 20
    rng = np.random.default_rng(1)
    m = BetaGeo()
    m.params_ = {"r": 0.8, "alpha": 6.0, "a": 1.5, "b": 4.0}
    n, t = 200_000, 20.0
    lam = rng.gamma(0.8, 1 / 6.0, n)
    p = rng.beta(1.5, 4.0, n)
    count = np.zeros(n)
    time = np.zeros(n)
    alive = np.ones(n, bool)
    while alive.any():
        time[alive] += rng.exponential(1 / lam[alive])
        bought = alive & (time <= t)
        count[bought] += 1
        alive = bought & (rng.random(n) >= p)
    assert count.mean() == pytest.approx(m.expected_purchases([t])[0], rel=0.02)


def test_p_alive_is_a_probability_and_never_nan_for_extreme_customers(bgnbd, cdnow):
    x = np.array([0, 1, 50, 5000, 5000])
    tx = np.array([0, 38.0, 38.0, 38.0, 1.0])
    T = np.full(5, 38.86)
    for model in (bgnbd, ParetoNBD().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])):
        pa = model.probability_alive(x, tx, T)
        assert np.isfinite(pa).all() and ((pa >= 0) & (pa <= 1)).all()
        assert pa[4] < 1e-6  # thousands of purchases, then silence for 37 weeks: gone
        ce = model.conditional_expected_purchases(10, x, tx, T)
        assert np.isfinite(ce).all() and (ce >= 0).all()
    assert bgnbd.probability_alive([0], [0], [38.86])[0] == 1.0  # BG/NBD: no repeat purchase, no chance to drop


def test_grouped_weights_give_the_same_fit(cdnow):
    counts = cdnow.groupby(["x", "t_x", "T"]).size().reset_index(name="w")
    a = BetaGeo().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    b = BetaGeo().fit(counts["x"], counts["t_x"], counts["T"], weights=counts["w"])
    for k in a.params_:
        assert a.params_[k] == pytest.approx(b.params_[k], rel=1e-6)
    assert a.log_likelihood_ == pytest.approx(b.log_likelihood_, rel=1e-9)


def test_time_unit_does_not_change_the_answer(cdnow):
    weeks = BetaGeo().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    days = BetaGeo().fit(cdnow["x"], cdnow["t_x"] * 7, cdnow["T"] * 7)
    assert days.params_["alpha"] == pytest.approx(7 * weeks.params_["alpha"], rel=1e-5)
    assert days.params_["a"] == pytest.approx(weeks.params_["a"], rel=1e-5)


def test_data_without_dropout_fails_loudly():
    rng = np.random.default_rng(0)
    x, tx = [], []
    for _ in range(2000):  # identical Poisson buyers who never leave: no heterogeneity, no dropout
        times = np.cumsum(rng.exponential(2.0, 200))
        times = times[times <= 52]
        x.append(len(times))
        tx.append(times[-1] if len(times) else 0.0)
    with pytest.raises(FitError, match="未收敛|fit failed"):
        BetaGeo().fit(x, tx, np.full(2000, 52.0))


@pytest.mark.parametrize(("args", "message"), [
    (([1], [5.0], [4.0]), "recency=5, T=4"),
    (([0], [2.0], [4.0]), "frequency=0"),
    (([1.5], [2.0], [4.0]), "购买次数 frequency 第 1 个值必须是有限的整数"),
    (([1], [2.0], [0.0]), "观察时长 T"),
    (([1, 2], [2.0], [4.0]), "长度必须相同"),
])
def test_bad_inputs_are_named(args, message):
    with pytest.raises(InputError, match=message):
        BetaGeo().fit(*args)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5)), min_size=1, max_size=5))
def test_monetary_values_must_be_positive(values):
    ok = all(np.isfinite(v) and v > 0 for v in values)
    try:
        GammaGamma().fit([1] * len(values), values)
    except InputError as exc:
        assert not ok and "平均消费额 monetary_value" in str(exc)
    except FitError:
        assert ok
    else:
        assert ok


def test_predicting_before_fitting_is_an_error():
    with pytest.raises(InputError, match="尚未拟合"):
        BetaGeo().probability_alive([1], [1.0], [2.0])


def test_large_data_shortcut_finds_the_same_maximum():
    # Above `subsample_threshold` distinct rows the fit starts from a subsample's optimum and polishes it
    # with Newton steps; the answer must be the full-data maximum all the same.
    from crmlab.btyd import simulate_bgnbd

    rng = np.random.default_rng(5)
    sim = simulate_bgnbd(r=0.3, alpha=5.0, a=0.9, b=2.0, n_customers=60_000, T=rng.uniform(10, 60, 60_000), seed=5)
    args = (sim["frequency"], sim["recency"], sim["T"])
    fast = BetaGeo().fit(*args)
    plain = BetaGeo()
    plain.subsample_threshold = 10**9
    plain.fit(*args)
    for k in fast.params_:
        assert fast.params_[k] == pytest.approx(plain.params_[k], rel=1e-6)
        assert fast.standard_errors_[k] == pytest.approx(plain.standard_errors_[k], rel=1e-3)
    assert fast.log_likelihood_ == pytest.approx(plain.log_likelihood_, abs=1e-6)
