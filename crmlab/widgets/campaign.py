"""数据库营销部件 chapter-2 widget: how deep into a scored customer list to mail.

* :func:`render_mailing_depth` — print the result of mailing the top ``depth`` of the list and the optimum, draw
  the cumulative gains chart and the profit curve with the chosen depth marked;
* :func:`mailing_depth_explorer` — sliders for the depth, the contact cost and the margin per response.

Every number comes from :func:`crmlab.campaign.campaign_profit`, :func:`~crmlab.campaign.mailing_depth` and
:func:`~crmlab.campaign.gains_table`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..campaign import CampaignProfit, campaign_profit, gains_table, mailing_depth
from ..campaign_charts import gains_chart, profit_chart
from .common import show_errors

__all__ = ["mailing_depth_explorer", "render_mailing_depth"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}


def render_mailing_depth(y_true: object, scores: object, depth: float, contact_cost: float,
                         margin_per_response: float, bins: int = 10) -> CampaignProfit:
    """Mail the top ``depth`` (0–1) of the list ranked by ``scores``; ``y_true`` are the responses (0/1) of a test
    campaign. Prints the chosen depth's responders, cost and profit and the profit-optimal depth; draws the gains
    chart and the profit curve; returns the chosen depth's :class:`~crmlab.campaign.CampaignProfit`."""
    chosen = campaign_profit(y_true, scores, depth, contact_cost, margin_per_response)
    best = mailing_depth(y_true, scores, contact_cost, margin_per_response)
    table = gains_table(y_true, scores, bins)
    total = best.mail_all.responders
    print(f"投放名单前 {chosen.depth:.0%}（{chosen.contacts:,} 人）：响应 {chosen.responders:,.0f} 人，"
          f"占全部响应者的 {chosen.responders / total:.1%}")
    print(f"  毛利 {chosen.revenue:,.0f} 元 − 接触成本 {chosen.cost:,.0f} 元 = 利润 {chosen.profit:,.0f} 元")
    print(f"利润最高的投放深度：前 {best.best.depth:.1%}（{best.best.contacts:,} 人），"
          f"利润 {best.best.profit:,.0f} 元；全部投放的利润 {best.mail_all.profit:,.0f} 元")
    print(f"盈亏平衡响应率 = 接触成本 ÷ 每个响应的毛利 = {best.breakeven_rate:.2%}")
    gains_chart(table, mark_depth=chosen.depth)
    profit_chart(best, mark_depth=chosen.depth)
    plt.show()
    return chosen


def mailing_depth_explorer(y_true: object, scores: object, depth: float = 0.3, contact_cost: float = 2.0,
                           margin_per_response: float = 40.0, bins: int = 10) -> widgets.VBox:
    """投放深度探索器: sliders for the mailing depth (投放深度), the cost per contact (单位接触成本, 元) and the margin
    per response (每个响应的毛利, 元), over a scored list with known responses."""
    d = widgets.FloatSlider(value=depth, min=0.0, max=1.0, step=0.05, description="投放深度（名单前 x%）",
                            readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    cost = widgets.FloatSlider(value=contact_cost, min=0.1, max=20.0, step=0.1, description="单位接触成本（元）",
                               readout_format=".1f", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    margin = widgets.FloatSlider(value=margin_per_response, min=1.0, max=200.0, step=1.0,
                                 description="每个响应的毛利（元）", readout_format=".0f", continuous_update=False,
                                 style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(depth: float, contact_cost: float, margin_per_response: float) -> None:
        render_mailing_depth(y_true, scores, depth, contact_cost, margin_per_response, bins)

    out = widgets.interactive_output(render, {"depth": d, "contact_cost": cost, "margin_per_response": margin})
    return widgets.VBox([d, cost, margin, out])
