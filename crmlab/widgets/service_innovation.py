"""服务创新部件 widgets for 李先国 chapter 6: the economics of a value-added service.

* :func:`render_value_added_service` — print what a value-added service costs and the customer value it keeps
  (:func:`crmlab.service_innovation.value_added_service_economics`) and draw the net value against the retention
  uplift, with the break-even uplift marked;
* :func:`value_added_service_explorer` — sliders for the retention uplift (first) and the cost per customer.

The classification drill uses the workbook's drill widget: ``drill_explorer(INNOVATION_DRILLS)`` from
:mod:`crmlab.widgets.drills`.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ..service_innovation import COST_TIMINGS, ValueAddedServiceResult, value_added_service_economics
from .common import show_errors
from .uplift_chart import draw_net_value_by_uplift

__all__ = ["render_value_added_service", "value_added_service_explorer"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "460px"}


def render_value_added_service(customers: float, margin_per_period: float, baseline_retention: float,
                               retention_uplift: float, cost_per_customer: float, discount: float = 0.10,
                               cost_timing: str = "per_period", fixed_cost: float = 0.0) -> ValueAddedServiceResult:
    """Print the extra customer lifetime value, the service cost, the net value and the break-even uplift of a
    value-added service, and draw the net value (元) against the retention uplift (0 to 30 points, never past a
    retention of 0.99), marking the chosen uplift and the break-even point."""
    res = value_added_service_economics(customers, cost_per_customer, baseline_retention, retention_uplift,
                                        margin_per_period, discount, cost_timing=cost_timing, fixed_cost=fixed_cost)
    print(f"保留率 {res.baseline_retention:.1%} → {res.new_retention:.1%}"
          f"（提升 {res.retention_uplift * 100:+.1f} 个百分点）")
    print(f"每位客户的终生价值 CLV：{res.clv_before:,.1f} → {res.clv_after:,.1f} 元；"
          f"{res.customers:,.0f} 位客户合计增加 {res.extra_clv:,.0f} 元")
    print(f"服务成本（{COST_TIMINGS[res.cost_timing]}，每位 {res.cost_per_customer:,.1f} 元，现值）："
          f"{res.service_cost:,.0f} 元；固定成本 {res.fixed_cost:,.0f} 元")
    print(f"净价值：{res.net_value:,.0f} 元 —— {'值得做' if res.net_value > 0 else '不划算'}")
    if math.isinf(res.break_even_uplift):
        print("无论保留率提高多少都收不回成本（每期服务成本不低于每期毛利，或成本太高）")
    else:
        print(f"盈亏平衡所需的保留率提升：{res.break_even_uplift * 100:.2f} 个百分点（保留率达到 "
              f"{res.baseline_retention + res.break_even_uplift:.1%}）")
    draw_net_value_by_uplift(
        "超值服务的净价值与保留率提升",
        lambda u: value_added_service_economics(customers, cost_per_customer, baseline_retention, u,
                                                margin_per_period, discount, cost_timing=cost_timing,
                                                fixed_cost=fixed_cost).net_value,
        res.retention_uplift, res.net_value, res.baseline_retention, res.break_even_uplift)
    return res


def value_added_service_explorer(customers: float, margin_per_period: float, baseline_retention: float,
                                 retention_uplift: float = 0.05, cost_per_customer: float = 20.0,
                                 discount: float = 0.10, cost_timing: str = "per_period", fixed_cost: float = 0.0,
                                 max_cost: float | None = None) -> widgets.VBox:
    """超值服务探索器: sliders for the retention uplift (percentage points, 0–30 but never past a retention of
    0.99) and the cost of the service per customer (元, up to ``max_cost``, default the margin per period)."""
    top_uplift = max(0.0, min(0.30, 0.99 - baseline_retention))
    uplift = widgets.FloatSlider(value=min(max(retention_uplift, 0.0), top_uplift), min=0.0, max=top_uplift,
                                 step=0.005, description="保留率提升", readout_format=".1%",
                                 continuous_update=False, style=_STYLE, layout=_LAYOUT)
    top_cost = float(max_cost if max_cost is not None else max(margin_per_period, 1.0))
    cost = widgets.FloatSlider(value=min(cost_per_customer, top_cost), min=0.0, max=top_cost,
                               step=max(top_cost / 100, 0.1), description="每位客户的服务成本（元）",
                               readout_format=".1f", continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(retention_uplift: float, cost_per_customer: float) -> None:
        render_value_added_service(customers, margin_per_period, baseline_retention, retention_uplift,
                                   cost_per_customer, discount, cost_timing, fixed_cost)

    out = widgets.interactive_output(render, {"retention_uplift": uplift, "cost_per_customer": cost})
    return widgets.VBox([uplift, cost, out])
