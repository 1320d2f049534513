"""Cash-flow CLV, Markov-chain CLV (Pfeifer & Carraway), delivered value, expected lifetime."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import (
    InputError,
    clv_finite_horizon,
    clv_from_cash_flows,
    delivered_value,
    expected_lifetime,
    margin_multiple,
    markov_clv,
)

from .test_value import GUPTA_LEHMANN_TABLE


def test_cash_flow_clv_discounts_each_period():
    table = pd.DataFrame({
        "period": [0, 1, 2],
        "revenue": [0.0, 110.0, 121.0],
        "acquisition_cost": [50.0, 0.0, 0.0],
        "service_cost": [0.0, 11.0, 0.0],
    })
    result = clv_from_cash_flows(table, discount=0.10)
    # −50 today, (110 − 11) / 1.1 = 90 next period, 121 / 1.21 = 100 after two periods
    assert result.table["present_value"].tolist() == pytest.approx([-50.0, 90.0, 100.0])
    assert result.value == pytest.approx(140.0)
    assert "客户终生价值 CLV = 140.00 元" in result._repr_html_()


@given(m=st.floats(1, 1000), r=st.floats(0, 0.99), d=st.floats(0, 0.5), n=st.integers(1, 40))
def test_expected_cash_flows_equal_the_finite_horizon_formula(m, r, d, n):
    table = pd.DataFrame({"period": range(1, n + 1), "revenue": [m * r**t for t in range(1, n + 1)]})
    assert clv_from_cash_flows(table, d).value == pytest.approx(clv_finite_horizon(m, r, d, n), rel=1e-9)


@pytest.mark.parametrize(("table", "message"), [
    (pd.DataFrame({"revenue": [1.0]}), "缺少列 period"),
    (pd.DataFrame({"period": [1], "profit": [1.0]}), r"unknown columns \['profit'\]"),
    (pd.DataFrame({"period": [1], "service_cost": [-3.0]}), "第 1 行的服务成本 service_cost.*-3.0"),
    (pd.DataFrame({"period": [1, 1], "revenue": [1.0, 2.0]}), "期数 period 重复"),
    (pd.DataFrame({"period": [1.5], "revenue": [1.0]}), "period.*1.5"),
])
def test_cash_flow_errors(table, message):
    with pytest.raises(InputError, match=message):
        clv_from_cash_flows(table, 0.1)


@pytest.mark.parametrize(("rates", "published"), GUPTA_LEHMANN_TABLE.items())
def test_two_state_markov_chain_reproduces_the_margin_multiple_table(rates, published):
    # Retention as a Markov chain (active → active with r, active → lost with 1 − r, lost absorbing):
    # the value of an active customer with margin 1 is this period's 1 plus the margin multiple.
    r, d = rates
    V = markov_clv([[r, 1 - r], [0, 1]], [1.0, 0.0], d)
    assert round(V[0] - 1.0, 2) == published


def recency_chain(p=(0.3, 0.2, 0.15, 0.05), margin=40.0, mailing=4.0):
    """Pfeifer & Carraway's catalogue example: states = periods since the last purchase (1 … 5),
    a purchase sends the customer back to state 1, state 5 is no longer mailed (absorbing)."""
    P = np.zeros((5, 5))
    for i, pi in enumerate(p):
        P[i, 0] = pi
        P[i, i + 1] = 1 - pi
    P[4, 4] = 1.0
    R = np.array([margin - mailing, -mailing, -mailing, -mailing, 0.0])
    return P, R


def test_recency_example_without_discounting():
    # Undiscounted infinite-horizon value of a customer who has just bought, 64.25, as reproduced in
    # public write-ups of Pfeifer & Carraway (2000); it also solves the four Bellman equations by hand.
    P, R = recency_chain()
    V = markov_clv(P, R, discount=0.0, horizon=2000)
    assert V[0] == pytest.approx(64.25, abs=0.01)
    np.testing.assert_allclose(V, R + P @ V, atol=1e-9)


def test_finite_horizon_is_the_explicit_sum_of_matrix_powers():
    P, R = recency_chain()
    d, T = 0.2, 4
    explicit = sum(np.linalg.matrix_power(P / (1 + d), t) @ R for t in range(T + 1))
    np.testing.assert_allclose(markov_clv(P, R, d, horizon=T), explicit)
    # and a long horizon converges to the closed form
    np.testing.assert_allclose(markov_clv(P, R, d, horizon=400), markov_clv(P, R, d), rtol=1e-10)


def test_stopping_mailing_a_loss_making_state_raises_value():
    # The decision the paper illustrates: a state whose value is negative should not be mailed.
    P, R = recency_chain()
    V = markov_clv(P, R, 0.2)
    assert V[3] < 0
    P2, R2 = recency_chain(p=(0.3, 0.2, 0.15, 0.0))
    R2[3] = 0.0
    assert markov_clv(P2, R2, 0.2)[0] > V[0]


def test_markov_clv_errors():
    with pytest.raises(InputError, match="rewards 的个数必须等于状态数 2"):
        markov_clv([[1, 0], [0, 1]], [1, 2, 3], 0.1)
    with pytest.raises(InputError, match="方阵"):
        markov_clv([[1, 0]], [1], 0.1)
    with pytest.raises(InputError, match="horizon"):
        markov_clv([[0.5, 0.5], [0, 1]], [1, 0], 0.0)
    with pytest.raises(InputError, match="折现率 discount.*-0.1"):
        markov_clv([[1.0]], [1], -0.1)


def test_delivered_value():
    dv = delivered_value({"product": 60, "service": 20, "personnel": 10, "image": 10},
                         {"money": 70, "time": 10, "energy": 5, "physical": 5})
    assert (dv.total_value, dv.total_cost, dv.delivered) == (100, 90, 10)
    assert dv.ratio == pytest.approx(100 / 90)
    with pytest.raises(InputError, match="unknown part 'price'"):
        delivered_value({"price": 1}, {})
    with pytest.raises(InputError, match="时间成本 time.*-2"):
        delivered_value({}, {"time": -2})


@given(r=st.floats(0, 0.999))
def test_expected_lifetime_is_the_geometric_mean(r):
    # P(stay exactly k periods) = r^(k−1) (1 − r); its mean is 1 / (1 − r)
    assert expected_lifetime(r) == pytest.approx(1 / (1 - r))
    assert expected_lifetime(r) == pytest.approx(1 + margin_multiple(r, 0.0), rel=1e-9)


def test_expected_lifetime_rejects_full_retention():
    with pytest.raises(InputError, match=r"保留率 retention.*\[0, 1\).*1.0"):
        expected_lifetime(1.0)


def test_retention_for_margin_multiple_inverts_the_margin_multiple():
    from crmlab.value import margin_multiple, retention_for_margin_multiple

    # Gupta & Lehmann (2003) Table 1: r = 0.8, d = 0.1 → multiple 0.8 / 0.3 = 2.667; the inverse gives 0.8 back
    assert retention_for_margin_multiple(0.8 / 0.3, 0.1) == pytest.approx(0.8)
    assert retention_for_margin_multiple(0.0, 0.1) == 0.0
    assert retention_for_margin_multiple(11.0, 0.1) == math.inf      # beyond 1 / d = 10: unreachable
    assert retention_for_margin_multiple(10.0, 0.1) == pytest.approx(1.0)
    assert retention_for_margin_multiple(50.0, 0.0) == pytest.approx(50 / 51)
    for r in (0.1, 0.5, 0.9, 0.99):
        assert margin_multiple(retention_for_margin_multiple(margin_multiple(r, 0.12), 0.12), 0.12) == pytest.approx(
            margin_multiple(r, 0.12))
    with pytest.raises(InputError, match="multiple"):
        retention_for_margin_multiple(-1, 0.1)


def test_display_rules():
    from crmlab.display import html_rows, uplift_label

    assert uplift_label(0.0213) == "2.13 个百分点" and uplift_label(math.inf) == "无法达到"
    assert html_rows([("a", "1")]) == "<table><tr><td>a</td><td style='text-align:right'>1</td></tr></table>"
