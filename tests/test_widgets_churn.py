"""Chapter 10 widgets: the P(alive) explorer and the win-back budget explorer show crmlab's numbers.

Expected values are computed here from first principles (the BG/NBD P(alive) formula, the published
example customer of Fader, Hardie & Lee 2005, hand-summed win-back plans), not read from the printout.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from crmlab import InputError
from crmlab.btyd import BetaGeo, ParetoNBD
from crmlab.churn import allocate_winback_budget
from crmlab.widgets import p_alive_explorer, winback_budget_explorer
from crmlab.widgets.churn import render_p_alive, render_winback_budget

matplotlib.use("Agg")

# Fader, Hardie & Lee (2005), CDNOW, 39-week calibration period
CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


def fixed(model_class, params):
    model = model_class()
    model.params_ = dict(params)
    return model


def bgnbd_p_alive(x, tx, T, r, alpha, a, b):
    """FHL (2005) eq. (A.12): P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x))."""
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_p_alive_reading_matches_the_paper(no_show):
    bg = fixed(BetaGeo, CDNOW_BGNBD)
    out = render_p_alive(bg, 2, 30.43, 38.86, horizon=39)
    assert out.p_alive == pytest.approx(bgnbd_p_alive(2, 30.43, 38.86, **CDNOW_BGNBD), rel=1e-12)
    # FHL (2005), section 4: this customer is expected to make 1.226 purchases in the next 39 weeks
    assert out.expected_purchases == pytest.approx(1.226, abs=1e-3)
    assert out.horizon == 39


def test_p_alive_chart_is_the_formula_with_the_customer_marked(no_show):
    bg = fixed(BetaGeo, CDNOW_BGNBD)
    render_p_alive(bg, 4, 20.0, 52.0, horizon=13)
    ax = plt.gcf().axes[0]
    line = ax.get_lines()[0]
    xs, ys = line.get_xdata(), line.get_ydata()
    assert xs.min() > 0 and xs.max() == pytest.approx(52.0)
    assert ys == pytest.approx([bgnbd_p_alive(4, t, 52.0, **CDNOW_BGNBD) for t in xs], rel=1e-10)
    assert np.all(np.diff(ys) > 0)  # a more recent last purchase means more likely alive
    point = ax.collections[0].get_offsets()[0]
    assert point[0] == pytest.approx(20.0)
    assert point[1] == pytest.approx(bgnbd_p_alive(4, 20.0, 52.0, **CDNOW_BGNBD))


def test_one_time_buyers_bgnbd_says_alive_pareto_nbd_declines(no_show):
    bg = fixed(BetaGeo, CDNOW_BGNBD)
    assert render_p_alive(bg, 0, 0, 38.86).p_alive == 1.0
    ax = plt.gcf().axes[0]
    assert np.all(ax.get_lines()[0].get_ydata() == 1.0)
    pn = fixed(ParetoNBD, CDNOW_PARETO)
    out = render_p_alive(pn, 0, 0, 38.86)
    ys = plt.gcf().axes[0].get_lines()[0].get_ydata()
    assert 0 < out.p_alive < 1 and np.all(np.diff(ys) < 0)
    # the chart point is the model's own P(alive) for this customer
    assert out.p_alive == pytest.approx(pn.probability_alive([0], [0], [38.86])[0])


def test_bad_history_is_an_input_error(no_show):
    bg = fixed(BetaGeo, CDNOW_BGNBD)
    with pytest.raises(InputError, match="recency"):
        render_p_alive(bg, 3, 40.0, 30.0)          # last purchase after the end of observation
    with pytest.raises(InputError, match="horizon"):
        render_p_alive(bg, 3, 10.0, 30.0, horizon=0)


def test_p_alive_explorer_keeps_recency_consistent(no_show):
    box = p_alive_explorer(fixed(BetaGeo, CDNOW_BGNBD), frequency=3, recency=20, T=40)
    (f_slider, h_slider), (t_slider, r_slider) = box.children[0].children, box.children[1].children
    sliders = [f_slider, h_slider, t_slider, r_slider]
    assert all(not s.continuous_update for s in sliders)
    t_slider.value = 15
    assert r_slider.max == 15 and r_slider.value <= 15
    f_slider.value = 0
    assert r_slider.value == 0 and r_slider.disabled
    f_slider.value = 2
    assert r_slider.value > 0 and not r_slider.disabled


LOST = {  # value at stake (元), uplift, cost per contact (元): a small hand-checkable set
    "value_at_stake": [2000.0, 600.0, 150.0, 900.0, 40.0],
    "response_uplift": [0.30, 0.15, 0.10, 0.20, 0.05],
    "cost_per_contact": [100.0, 20.0, 2.0, 50.0, 5.0],
}
# gains = 500, 70, 13, 130, −3 → order 0, 3, 1, 2; cumulative cost 100, 150, 170, 172


@pytest.mark.parametrize(("budget", "chosen"), [(0, []), (100, [0]), (160, [0, 3]), (171, [0, 3, 1]),
                                                 (1000, [0, 3, 1, 2])])
def test_budget_render_totals_match_the_plan(no_show, budget, chosen):
    res = render_winback_budget(**LOST, budget=budget)
    v, u, c = (np.array(LOST[k]) for k in ("value_at_stake", "response_uplift", "cost_per_contact"))
    assert res.contacted == len(chosen)
    assert res.expected_regained == pytest.approx(u[chosen].sum())
    assert res.regained_value == pytest.approx((v[chosen] * u[chosen]).sum())
    assert res.cost == pytest.approx(c[chosen].sum())
    assert res.net == pytest.approx((v[chosen] * u[chosen] - c[chosen]).sum())
    plan = allocate_winback_budget(LOST["value_at_stake"], LOST["response_uplift"], LOST["cost_per_contact"], budget)
    assert sorted(plan.index[plan["contact"]]) == sorted(chosen)


def test_budget_chart_is_net_gain_against_budget(no_show):
    render_winback_budget(**LOST, budget=150, max_budget=200, points=5)
    ax = plt.gcf().axes[0]
    regained, net = ax.get_lines()
    assert list(net.get_xdata()) == [0, 50, 100, 150, 200]
    # budgets 0, 50, 100, 150, 200 buy {}, {}, {0}, {0, 3}, {0, 3, 1, 2}
    assert list(net.get_ydata()) == pytest.approx([0, 0, 500, 630, 713])
    assert list(regained.get_ydata()) == pytest.approx([0, 0, 600, 780, 885])
    assert list(ax.collections[0].get_offsets()[0]) == pytest.approx([150, 630])


def test_budget_explorer_defaults_to_contacting_everyone_worth_it(no_show):
    box = winback_budget_explorer(LOST["value_at_stake"], LOST["response_uplift"], LOST["cost_per_contact"],
                                  step=50)
    slider = box.children[0]
    assert isinstance(slider, widgets.FloatSlider) and not slider.continuous_update
    assert slider.max == 200          # 172 元 for the four worth contacting, rounded up to 50
    assert slider.value == 100
    with pytest.raises(InputError, match="budget"):
        winback_budget_explorer(**LOST, budget=500, max_budget=200)
