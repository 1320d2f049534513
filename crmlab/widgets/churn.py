"""流失与挽回部件 chapter-10 widgets: a customer's purchase history → P(alive), and a win-back budget.

* :func:`p_alive_explorer` — sliders for one customer's frequency, recency and T (weeks) over a fitted
  purchase model (:class:`crmlab.btyd.BetaGeo` or :class:`crmlab.btyd.ParetoNBD`): P(alive), expected
  purchases in the next N weeks, and P(alive) as recency varies.
* :func:`winback_budget_explorer` — a budget slider over :func:`crmlab.churn.allocate_winback_budget`:
  who is contacted, the expected regained value and the net gain, with net gain against the budget.

Both are built from a plain ``render_*`` function (tested on its own) and ``ipywidgets.interactive_output``;
every number comes from a crmlab function.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..churn import WinbackResult, allocate_winback_budget, summarize_winback_plan
from ..errors import InputError, require_int, require_nonnegative, require_positive
from ..plotting import new_figure
from .common import show_errors

__all__ = [
    "PurchaseOutlook",
    "p_alive_explorer",
    "render_p_alive",
    "render_winback_budget",
    "winback_budget_explorer",
]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "420px"}


@dataclass(frozen=True)
class PurchaseOutlook:
    """一位客户的前景 P(alive) and the expected purchases in the next ``horizon`` time units."""

    p_alive: float
    expected_purchases: float
    horizon: float


def render_p_alive(model: object, frequency: int, recency: float, T: float, horizon: float = 13.0,
                   time_unit: str = "周") -> PurchaseOutlook:
    """Print one customer's P(alive) and expected purchases in the next ``horizon`` units, and draw P(alive)
    against recency (0 < recency ≤ T) with the customer marked; for frequency 0, against T instead.

    ``model`` is a fitted purchase model with ``probability_alive`` and ``conditional_expected_purchases``;
    ``frequency`` (repeat purchases), ``recency`` and ``T`` as in :func:`crmlab.btyd.summarize_transactions`.
    """
    h = require_positive(horizon, "预测时长", "horizon")
    p = float(model.probability_alive([frequency], [recency], [T])[0])
    expected = float(model.conditional_expected_purchases(h, [frequency], [recency], [T])[0])
    print(f"重复购买 {frequency} 次，最近一次购买在第 {recency:g} {time_unit}，至今观察了 {T:g} {time_unit}"
          f"（已有 {T - recency:g} {time_unit}没有购买）")
    print(f"仍活跃概率 P(alive) = {p:.1%}；未来 {h:g} {time_unit}的期望购买次数 = {expected:.2f} 次")
    if frequency == 0:
        grid = np.linspace(max(T, 1.0) / 100, max(T, 1.0) * 1.5, 151)
        curve = model.probability_alive(np.zeros_like(grid), np.zeros_like(grid), grid)
        _fig, ax = new_figure("只买过一次的客户：P(alive) 随观察时长的变化", f"观察时长 T（{time_unit}）",
                              "仍活跃概率 P(alive)")
        ax.plot(grid, curve, color="tab:blue")
        ax.scatter([T], [p], color="tab:red", zorder=3, label="这位客户")
    else:
        grid = np.linspace(0.0, T, 151)[1:]
        n = len(grid)
        curve = model.probability_alive(np.full(n, frequency), grid, np.full(n, float(T)))
        _fig, ax = new_figure(f"重复购买 {frequency} 次、观察 {T:g} {time_unit}：P(alive) 与最近购买时间",
                              f"最近一次购买时间 recency（{time_unit}）", "仍活跃概率 P(alive)")
        ax.plot(grid, curve, color="tab:blue")
        ax.scatter([recency], [p], color="tab:red", zorder=3, label="这位客户")
    ax.set_ylim(-0.02, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.legend(loc="lower right")
    plt.show()
    return PurchaseOutlook(p_alive=p, expected_purchases=expected, horizon=h)


def p_alive_explorer(model: object, frequency: int = 5, recency: float = 30.0, T: float = 80.0,
                     horizon: float = 13.0, max_T: float = 156.0, max_frequency: int = 40) -> widgets.VBox:
    """仍活跃概率探索器: sliders for 重复购买次数 frequency, 最近购买时间 recency, 观察时长 T and 预测周数
    horizon (all in weeks) over a fitted ``model``. The recency slider never exceeds T, and is fixed at 0
    when frequency is 0 (the models' convention)."""
    top = require_positive(max_T, "最长观察时长", "max_T")
    kmax = require_int(max_frequency, "最大购买次数", "max_frequency", minimum=1)
    f_slider = widgets.IntSlider(value=frequency, min=0, max=kmax, description="重复购买次数",
                                 continuous_update=False, style=_STYLE, layout=_LAYOUT)
    t_slider = widgets.FloatSlider(value=T, min=1, max=top, step=1, description="观察时长 T（周）",
                                   readout_format=".0f", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    r_slider = widgets.FloatSlider(value=min(recency, T), min=0, max=T, step=1, description="最近购买时间（周）",
                                   readout_format=".0f", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    h_slider = widgets.IntSlider(value=int(horizon), min=1, max=104, description="预测未来（周）",
                                 continuous_update=False, style=_STYLE, layout=_LAYOUT)

    # registered before interactive_output, so the sliders are consistent when it redraws
    def on_T(change: dict) -> None:
        r_slider.max = change["new"]

    def on_frequency(change: dict) -> None:
        if change["new"] == 0:
            r_slider.value = 0
            r_slider.disabled = True
        else:
            r_slider.disabled = False
            if r_slider.value == 0:
                r_slider.value = min(1.0, t_slider.value)

    t_slider.observe(on_T, names="value")
    f_slider.observe(on_frequency, names="value")
    on_frequency({"new": f_slider.value})

    @show_errors
    def render(frequency: int, recency: float, T: float, horizon: int) -> None:
        render_p_alive(model, frequency, recency, T, horizon)

    out = widgets.interactive_output(render, {"frequency": f_slider, "recency": r_slider, "T": t_slider,
                                              "horizon": h_slider})
    return widgets.VBox([widgets.HBox([f_slider, h_slider]), widgets.HBox([t_slider, r_slider]), out])


def render_winback_budget(value_at_stake: object, response_uplift: object, cost_per_contact: object,
                          budget: float, max_budget: float | None = None, points: int = 41) -> WinbackResult:
    """Print what a win-back budget buys (:func:`crmlab.churn.allocate_winback_budget` and
    :func:`crmlab.churn.summarize_winback_plan`) and draw the expected net gain and regained value against
    budgets from 0 to ``max_budget`` (default: twice ``budget``, at least 1 元), the current budget marked.
    Returns the totals for ``budget``."""
    b = require_nonnegative(budget, "挽回预算", "budget")
    top = require_positive(max_budget if max_budget is not None else max(2 * b, 1.0), "最大预算", "max_budget")
    k = require_int(points, "点数", "points", minimum=2)
    plan = allocate_winback_budget(value_at_stake, response_uplift, cost_per_contact, b)
    result = summarize_winback_plan(plan)
    worth = int((plan["gain"] > 0).sum())
    print(f"预算 {b:,.0f} 元：联系 {result.contacted:,.0f} 人（值得联系的共 {worth:,} 人），"
          f"实际花费 {result.cost:,.0f} 元")
    print(f"预计挽回 {result.expected_regained:,.1f} 人，挽回价值 {result.regained_value:,.0f} 元，"
          f"净收益 {result.net:,.0f} 元" + (f"，投资回报率 {result.roi:.0%}" if result.cost > 0 else ""))
    grid = np.linspace(0.0, top, k)
    totals = [summarize_winback_plan(allocate_winback_budget(value_at_stake, response_uplift, cost_per_contact, g))
              for g in grid]
    _fig, ax = new_figure("挽回预算与预期收益", "挽回预算（元）", "金额（元）")
    ax.plot(grid, [t.regained_value for t in totals], color="tab:green", label="预期挽回价值")
    ax.plot(grid, [t.net for t in totals], color="tab:blue", label="预期净收益")
    ax.scatter([b], [result.net], color="tab:red", zorder=3, label="当前预算")
    ax.legend(loc="upper left")
    plt.show()
    return result


def winback_budget_explorer(value_at_stake: object, response_uplift: object, cost_per_contact: object,
                            budget: float | None = None, max_budget: float | None = None,
                            step: float = 100.0) -> widgets.VBox:
    """挽回预算探索器: one slider for the budget (元, 0 to ``max_budget``; by default the cost of contacting
    everyone worth contacting, rounded up to ``step``; starting at ``budget``, by default half of that) over
    the lost customers' values, uplifts and costs."""
    s = require_positive(step, "步长", "step")
    if max_budget is None:
        costs = np.broadcast_to(np.asarray(cost_per_contact, dtype=float), np.shape(value_at_stake))
        everyone = float(costs.sum())  # enough to contact everyone
        full = allocate_winback_budget(value_at_stake, response_uplift, cost_per_contact, everyone)
        max_budget = max(s, float(np.ceil(summarize_winback_plan(full).cost / s) * s))
    top = require_positive(max_budget, "最大预算", "max_budget")
    if budget is None:
        budget = float(np.round(top / 2 / s) * s)
    if not 0 <= budget <= top:
        raise InputError(f"挽回预算 budget 必须在 0 和最大预算 {top:,.0f} 之间，收到 {budget!r}")
    slider = widgets.FloatSlider(value=budget, min=0, max=top, step=s, description="挽回预算（元）",
                                 readout_format=",.0f", continuous_update=False, style=_STYLE,
                                 layout={"width": "560px"})

    @show_errors
    def render(budget: float) -> None:
        render_winback_budget(value_at_stake, response_uplift, cost_per_contact, budget, max_budget=top)

    out = widgets.interactive_output(render, {"budget": slider})
    return widgets.VBox([slider, out])
