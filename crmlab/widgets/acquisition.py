"""客户开发部件 chapter-4 widget: conversion rates of the sales funnel → customers at each stage.

* :func:`draw_funnel` — the funnel as centred bars, widest stage on top;
* :func:`render_funnel` — print each stage and the step where one more percentage point adds most buyers, draw the
  funnel;
* :func:`funnel_explorer` — one slider per conversion rate.

Every number comes from :func:`crmlab.acquisition.funnel` and :func:`~crmlab.acquisition.funnel_sensitivity`.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from ..acquisition import funnel, funnel_sensitivity
from ..plotting import new_figure
from .common import show_errors

__all__ = ["draw_funnel", "funnel_explorer", "render_funnel"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}
_COLORS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd")


def draw_funnel(table: pd.DataFrame, title: str = "销售漏斗") -> None:
    """Draw a :func:`~crmlab.acquisition.funnel` table as centred bars (width = customers), first stage on top,
    each labelled with its count and overall conversion. Does not call ``plt.show()``."""
    n = len(table)
    widest = max(float(table["count"].max()), 1.0)
    _fig, ax = new_figure(title, "客户数（人）", "", figsize=(7.2, 0.9 + 0.8 * n))
    for i, (stage, row) in enumerate(table.iterrows()):
        y = n - 1 - i
        ax.barh(y, row["count"], left=-row["count"] / 2, height=0.8, color=_COLORS[i % len(_COLORS)],
                edgecolor="white")
        ax.text(widest * 0.55, y, f"{stage}：{row['count']:,.0f} 人（占第一阶段 {row['overall_conversion']:.1%}）",
                va="center", ha="left", fontsize=9)
    ax.set_yticks([])
    ax.set_xlim(-widest * 0.55, widest * 1.7)
    ticks = [t for t in ax.get_xticks() if -widest / 2 <= t <= widest / 2]
    ax.set_xticks(ticks, [f"{abs(t):,.0f}" for t in ticks])
    ax.spines[["left", "right", "top"]].set_visible(False)


def render_funnel(entrants: float, conversion_rates: Sequence[float], stages: Sequence[str] | None = None,
                  margin_per_buyer: float | None = None) -> pd.DataFrame:
    """Run ``entrants`` prospects through the funnel with ``conversion_rates``; print every stage, the buyers at the
    bottom and which step's +1 percentage point adds most buyers; draw the funnel. Returns the funnel table."""
    table = funnel(entrants=entrants, conversion_rates=list(conversion_rates), stages=stages)
    sens = funnel_sensitivity(entrants, list(conversion_rates), stages, margin_per_buyer=margin_per_buyer)
    names = list(table.index)
    for i, (stage, row) in enumerate(table.iterrows()):
        step = "" if i == 0 else f"，由上一阶段转化 {row['stage_conversion']:.1%}"
        print(f"{stage}：{row['count']:,.0f} 人{step}")
    print(f"从{names[0]}到{names[-1]}的总转化率 {table['overall_conversion'].iloc[-1]:.2%}")
    best = sens.sort_values("rank").iloc[0]
    extra = f"，多 {best['extra_margin']:,.0f} 元毛利" if "extra_margin" in sens else ""
    print(f"把哪一步提高 1 个百分点最有效？“{best.name}”：{best['rate']:.1%} → {best['new_rate']:.1%}，"
          f"多 {best['extra_buyers']:,.1f} 位{names[-1]}{extra}")
    draw_funnel(table, "销售漏斗（模拟数据）")
    plt.show()
    return table


def funnel_explorer(entrants: float = 10_000, conversion_rates: Sequence[float] = (0.2, 0.05),
                    stages: Sequence[str] | None = None, margin_per_buyer: float | None = None) -> widgets.VBox:
    """漏斗探索器: one slider per conversion step (0–100 %) over :func:`render_funnel`."""
    table = funnel(entrants=entrants, conversion_rates=list(conversion_rates), stages=stages)   # validates
    names = list(table.index)
    sliders = {
        f"r{i}": widgets.FloatSlider(value=r, min=0.0, max=1.0, step=0.005, description=f"{names[i]}→{names[i + 1]}",
                                     readout_format=".1%", continuous_update=False, style=_STYLE, layout=_LAYOUT)
        for i, r in enumerate(conversion_rates)
    }

    @show_errors
    def render(**rates: float) -> None:
        render_funnel(entrants, [rates[f"r{i}"] for i in range(len(sliders))], stages, margin_per_buyer)

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([*sliders.values(), out])
