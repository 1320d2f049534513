"""客服团队部件 service-desk widgets: FAQ deflection economics and the performance-pay calculator.

* :func:`render_faq_deflection` / :func:`faq_deflection_explorer` — how much an FAQ / self-service page saves a
  month and when it pays back (:func:`crmlab.service_metrics.faq_deflection_economics`);
* :func:`render_performance_pay` / :func:`performance_pay_explorer` — KPI weights and targets → each agent's
  performance pay (:func:`crmlab.service_metrics.performance_pay`).

Every number comes from :mod:`crmlab.service_metrics`; these functions only print, draw and wire sliders.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..errors import InputError
from ..plotting import new_figure
from ..service_metrics import KPI_DEFINITIONS, FAQEconomics, PayScheme, faq_deflection_economics, performance_pay
from .common import show_errors

__all__ = ["faq_deflection_explorer", "performance_pay_explorer", "render_faq_deflection", "render_performance_pay"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "420px"}
#: slider range (min, max, step, readout format) for the target of each KPI
_TARGET_RANGE: dict[str, tuple[float, float, float, str]] = {
    "tickets": (20, 800, 10, ".0f"),
    "aht_minutes": (4, 40, 0.5, ".1f"),
    "fcr_rate": (0.3, 0.95, 0.01, ".0%"),
    "satisfaction": (2.5, 5.0, 0.1, ".1f"),
    "occupancy": (0.2, 0.95, 0.01, ".0%"),
    "reopen_rate": (0.01, 0.3, 0.01, ".0%"),
}


def render_faq_deflection(tickets_per_month: float, deflectable_share: float, deflection_rate: float,
                          cost_per_ticket: float, faq_build_cost: float, faq_upkeep_per_month: float,
                          months: int = 24) -> FAQEconomics:
    """Print the FAQ deflection economics and draw the cumulative net result over ``months`` months."""
    econ = faq_deflection_economics(tickets_per_month, deflectable_share, deflection_rate, cost_per_ticket,
                                    faq_build_cost, faq_upkeep_per_month)
    print(f"每月工单 {econ.tickets_per_month:,.0f} 张 × 可分流比例 {econ.deflectable_share:.1%} × 自助解决率 "
          f"{econ.deflection_rate:.0%} = 每月少进线 {econ.deflected_per_month:,.0f} 张")
    print(f"每月节省 {econ.deflected_per_month:,.0f} × {econ.cost_per_ticket:,.2f} 元 = "
          f"{econ.gross_savings_per_month:,.0f} 元；扣除维护 {econ.upkeep_per_month:,.0f} 元后净节省 "
          f"{econ.net_savings_per_month:,.0f} 元/月")
    if math.isinf(econ.payback_months):
        print(f"净节省不为正：建设投入 {econ.build_cost:,.0f} 元永远收不回来")
    else:
        print(f"建设投入 {econ.build_cost:,.0f} 元，回收期 {econ.payback_months:.1f} 个月；"
              f"{months} 个月累计净收益 {econ.cumulative(months):,.0f} 元")
    m = np.arange(0, months + 1)
    _fig, ax = new_figure("FAQ 自助服务的累计净收益", "上线后的月数（月）", "累计净收益（元）")
    ax.plot(m, [econ.cumulative(int(x)) for x in m], color="tab:green", marker="o", markersize=3)
    ax.axhline(0, color="grey", linewidth=1)
    if not math.isinf(econ.payback_months) and econ.payback_months <= months:
        ax.axvline(econ.payback_months, color="tab:red", linestyle="--",
                   label=f"回收期 {econ.payback_months:.1f} 个月")
        ax.legend(loc="upper left")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    plt.show()
    return econ


def faq_deflection_explorer(tickets_per_month: float, deflectable_share: float, cost_per_ticket: float,
                            deflection_rate: float = 0.3, faq_build_cost: float = 30_000,
                            faq_upkeep_per_month: float = 1_500, months: int = 24) -> widgets.VBox:
    """FAQ 分流探索器: sliders for the self-service success rate (自助解决率), the build cost, the monthly upkeep
    and the cost per ticket; ``tickets_per_month`` and ``deflectable_share`` come from the ticket log."""
    rate = widgets.FloatSlider(value=deflection_rate, min=0.0, max=0.9, step=0.05, description="自助解决率",
                               readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    build = widgets.IntSlider(value=int(faq_build_cost), min=0, max=200_000, step=5_000,
                              description="建设成本（元）", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    upkeep = widgets.IntSlider(value=int(faq_upkeep_per_month), min=0, max=20_000, step=500,
                               description="每月维护成本（元）", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    cost = widgets.FloatSlider(value=float(cost_per_ticket), min=1.0, max=60.0, step=0.5,
                               description="每张工单成本（元）", continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(deflection_rate: float, faq_build_cost: int, faq_upkeep_per_month: int,
               cost_per_ticket: float) -> None:
        render_faq_deflection(tickets_per_month, deflectable_share, deflection_rate, cost_per_ticket,
                              faq_build_cost, faq_upkeep_per_month, months)

    out = widgets.interactive_output(render, {"deflection_rate": rate, "faq_build_cost": build,
                                              "faq_upkeep_per_month": upkeep, "cost_per_ticket": cost})
    return widgets.VBox([rate, build, upkeep, cost, out])


def _pay_table(pay: pd.DataFrame, scheme: PayScheme) -> pd.DataFrame:
    kpis = [k for k, w in scheme.effective_weights.items() if w > 0]
    cols = {f"{k}_credit": f"{KPI_DEFINITIONS[k][0]}得分" for k in kpis}
    table = pay[list(cols)].rename(columns=cols)
    table["综合得分"] = pay["score"]
    table["绩效工资（元）"] = pay["bonus"]
    table["应发合计（元）"] = pay["total_pay"]
    return table


def render_performance_pay(dashboard: pd.DataFrame, scheme: PayScheme) -> pd.DataFrame:
    """Print the scheme (weights used, targets), a table of each agent's KPI credits, score and pay, and draw
    each agent's pay (base + bonus); return :func:`~crmlab.service_metrics.performance_pay`'s table."""
    pay = performance_pay(dashboard, scheme)
    parts = [f"{KPI_DEFINITIONS[k][0]} {w:.0%}（目标 {scheme.targets[k]:g}{KPI_DEFINITIONS[k][2]}）"
             for k, w in scheme.effective_weights.items() if w > 0]
    print("实际权重：" + "，".join(parts))
    print(f"基本工资 {scheme.base_pay:,.0f} 元，绩效工资基数 {scheme.bonus_pay:,.0f} 元；"
          f"完成率低于 {scheme.floor:.0%} 的指标不得分，单项最多按 {scheme.cap:.0%} 计")
    table = _pay_table(pay, scheme)
    fmt = {c: (lambda v: f"{v:,.0f}") if "元" in c else (lambda v: f"{v:.2f}") for c in table.columns}
    print(table.to_string(formatters=fmt))
    print(f"绩效工资合计 {pay['bonus'].sum():,.0f} 元（基数合计 {scheme.bonus_pay * len(pay):,.0f} 元）")
    _fig, ax = new_figure("每位客服的应发工资", "客服", "工资（元）", figsize=(7.2, 3.6))
    x = np.arange(len(pay))
    ax.bar(x, np.full(len(pay), scheme.base_pay), color="#bdc3c7", label="基本工资")
    ax.bar(x, pay["bonus"], bottom=scheme.base_pay, color="tab:orange", label="绩效工资")
    ax.set_xticks(x, [str(i) for i in pay.index])
    ax.legend(loc="lower right")
    plt.show()
    return pay


def performance_pay_explorer(dashboard: pd.DataFrame, scheme: PayScheme) -> widgets.VBox:
    """绩效工资探索器: one weight slider and one target slider per KPI of ``scheme`` (weights are scaled to sum
    to 1), plus the floor (门槛) and cap (封顶); base pay and bonus base stay as in ``scheme``."""
    if not isinstance(scheme, PayScheme):
        raise InputError(f"绩效方案 scheme 必须是 PayScheme，收到 {type(scheme).__name__}")
    kpis = list(scheme.weights)
    weights = {k: widgets.FloatSlider(value=scheme.weights[k], min=0.0, max=1.0, step=0.05,
                                      description=f"权重：{KPI_DEFINITIONS[k][0]}", continuous_update=False,
                                      style=_STYLE, layout=_LAYOUT) for k in kpis}
    targets = {}
    for k in kpis:
        lo, hi, step, fmt = _TARGET_RANGE[k]
        value = float(np.clip(scheme.targets.get(k, (lo + hi) / 2), lo, hi))
        targets[k] = widgets.FloatSlider(value=value, min=lo, max=hi, step=step, readout_format=fmt,
                                         description=f"目标：{KPI_DEFINITIONS[k][0]}", continuous_update=False,
                                         style=_STYLE, layout=_LAYOUT)
    floor = widgets.FloatSlider(value=scheme.floor, min=0.0, max=1.0, step=0.05, readout_format=".0%",
                                description="门槛（完成率）", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    cap = widgets.FloatSlider(value=scheme.cap, min=1.0, max=2.0, step=0.05, readout_format=".0%",
                              description="封顶（完成率）", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    controls = {f"w_{k}": s for k, s in weights.items()} | {f"t_{k}": s for k, s in targets.items()}
    controls |= {"floor": floor, "cap": cap}

    @show_errors
    def render(**values: float) -> None:
        new = PayScheme(base_pay=scheme.base_pay, bonus_pay=scheme.bonus_pay,
                        weights={k: values[f"w_{k}"] for k in kpis}, targets={k: values[f"t_{k}"] for k in kpis},
                        floor=values["floor"], cap=values["cap"], normalize=True)
        render_performance_pay(dashboard, new)

    out = widgets.interactive_output(render, controls)
    left = widgets.VBox([*weights.values(), floor, cap])
    right = widgets.VBox(list(targets.values()))
    return widgets.VBox([widgets.HBox([left, right]), out])
