"""客户忠诚部件 chapter-9 widget: what a loyalty programme gains and costs.

* :func:`render_loyalty_programme` — print the economics of one programme
  (:func:`crmlab.loyalty.loyalty_programme_economics`) and draw its net value against the retention uplift,
  with the break-even uplift marked;
* :func:`loyalty_programme_explorer` — sliders for the reward cost per member and the retention uplift.

Every number comes from :func:`crmlab.loyalty.loyalty_programme_economics`.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ..loyalty import LoyaltyProgrammeResult, loyalty_programme_economics
from .common import show_errors
from .uplift_chart import draw_net_value_by_uplift

__all__ = ["loyalty_programme_explorer", "render_loyalty_programme"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}


def render_loyalty_programme(members: float, margin: float, baseline_retention: float, retention_uplift: float,
                             reward_cost: float, discount: float = 0.10, fixed_cost: float = 0.0
                             ) -> LoyaltyProgrammeResult:
    """Print a loyalty programme's retained-margin gain, reward cost, net value and break-even uplift, and draw
    the net value (元) against the retention uplift (0 to 30 points, never past a retention of 0.99), marking the chosen
    uplift and the break-even point. ``reward_cost`` is per member per period (元)."""
    res = loyalty_programme_economics(members, margin, baseline_retention, retention_uplift,
                                      reward_cost_per_member=reward_cost, discount=discount, fixed_cost=fixed_cost)
    print(f"保留率 {res.baseline_retention:.1%} → {res.new_retention:.1%}"
          f"（提升 {res.retention_uplift * 100:+.1f} 个百分点），"
          f"预期客户寿命 {res.lifetime_before:.2f} → {res.lifetime_after:.2f} 期")
    print(f"多留住客户带来的毛利（现值）：{res.margin_gain:,.0f} 元")
    print(f"奖励成本（现值，每位会员每期 {res.reward_cost_per_member:,.1f} 元）：{res.reward_cost:,.0f} 元；"
          f"固定成本 {res.fixed_cost:,.0f} 元")
    print(f"净价值：{res.net_value:,.0f} 元 —— {'值得做' if res.net_value > 0 else '不划算'}")
    if math.isinf(res.break_even_uplift):
        print("无论保留率提高多少都无法收回成本（奖励不低于每期毛利，或固定成本太高）")
    else:
        print(f"盈亏平衡所需的保留率提升：{res.break_even_uplift * 100:.2f} 个百分点（保留率达到 "
              f"{res.baseline_retention + res.break_even_uplift:.1%}）")
    draw_net_value_by_uplift(
        "忠诚计划的净价值与保留率提升",
        lambda u: loyalty_programme_economics(members, margin, baseline_retention, u,
                                              reward_cost_per_member=reward_cost, discount=discount,
                                              fixed_cost=fixed_cost).net_value,
        res.retention_uplift, res.net_value, res.baseline_retention, res.break_even_uplift)
    return res


def loyalty_programme_explorer(members: float, margin: float, baseline_retention: float, reward_cost: float = 20.0,
                               retention_uplift: float = 0.05, discount: float = 0.10, fixed_cost: float = 0.0,
                               max_reward: float | None = None) -> widgets.VBox:
    """忠诚计划探索器: sliders for the reward cost per member per period (元, up to ``max_reward``, default the
    margin) and the retention uplift (percentage points, 0–30 but never past a retention of 0.99)."""
    top_reward = float(max_reward if max_reward is not None else max(margin, 1.0))
    reward = widgets.FloatSlider(value=reward_cost, min=0.0, max=top_reward, step=max(top_reward / 100, 0.1),
                                 description="每位会员每期奖励成本（元）", readout_format=".1f",
                                 continuous_update=False, style=_STYLE, layout=_LAYOUT)
    top_uplift = max(0.0, min(0.30, 0.99 - baseline_retention))
    uplift = widgets.FloatSlider(value=min(retention_uplift, top_uplift), min=0.0, max=top_uplift, step=0.005,
                                 description="保留率提升", readout_format=".1%", continuous_update=False,
                                 style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(reward_cost: float, retention_uplift: float) -> None:
        render_loyalty_programme(members, margin, baseline_retention, retention_uplift, reward_cost, discount,
                                 fixed_cost)

    out = widgets.interactive_output(render, {"reward_cost": reward, "retention_uplift": uplift})
    return widgets.VBox([reward, uplift, out])
