"""价值部件 value widgets: sliders over the CLV calculators of :mod:`crmlab.value`."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import value
from ..plotting import new_figure
from .common import show_errors

__all__ = ["clv_explorer", "describe_margin_multiple", "margin_multiple_explorer", "render_clv"]


def describe_margin_multiple(retention: float, discount: float, margin: float) -> str:
    """One Chinese sentence stating the margin multiple and the CLV for the given inputs (all from crmlab.value)."""
    mult = value.margin_multiple(retention, discount)
    clv = value.clv_closed_form(margin, retention, discount)
    return (
        f"保留率 {retention:.0%}、折现率 {discount:.0%} 时，利润乘数 margin multiple = {mult:.2f}；"
        f"每期毛利 {margin:,.0f} 元的客户终生价值 CLV ≈ {clv:,.0f} 元"
    )


def margin_multiple_explorer(
    retention: float = 0.80, discount: float = 0.12, margin: float = 100.0
) -> widgets.VBox:
    """利润乘数探索器: sliders for retention (保留率, 0.05–0.95) and discount (折现率, 0–30 %).

    Shows the sentence of :func:`describe_margin_multiple` and a chart of CLV against retention
    with the current point marked. ``margin`` is the per-period margin in 元.
    """
    r_slider = widgets.FloatSlider(
        value=retention, min=0.05, max=0.95, step=0.05, description="保留率",
        readout_format=".0%", continuous_update=False,
    )
    d_slider = widgets.FloatSlider(
        value=discount, min=0.0, max=0.30, step=0.01, description="折现率",
        readout_format=".0%", continuous_update=False,
    )

    @show_errors
    def render(retention: float, discount: float) -> None:
        print(describe_margin_multiple(retention, discount, margin))
        grid = np.linspace(0.05, 0.95, 91)
        curve = [value.clv_closed_form(margin, r, discount) for r in grid]
        _fig, ax = new_figure("客户终生价值随保留率变化", "保留率 retention", "客户终生价值 CLV（元）")
        ax.plot(grid, curve, color="tab:blue")
        current = value.clv_closed_form(margin, retention, discount)
        ax.scatter([retention], [current], color="tab:red", zorder=3)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
        plt.show()

    out = widgets.interactive_output(render, {"retention": r_slider, "discount": d_slider})
    return widgets.VBox([r_slider, d_slider, out])


def render_clv(margin: float, retention: float, discount: float, horizon: int) -> None:
    """Print the CLV figures and draw cumulative discounted value per period (all from crmlab.value)."""
    finite = value.clv_finite_horizon(margin, retention, discount, horizon)
    print(f"每期毛利 {margin:,.0f} 元，保留率 {retention:.0%}，折现率 {discount:.0%}：")
    print(f"  {horizon} 期内的客户终生价值 CLV = {finite:,.1f} 元")
    if retention > 0 and (retention < 1 or discount > 0):
        infinite = value.clv_closed_form(margin, retention, discount)
        print(f"  无限期（公式 m·r/(1+d−r)）= {infinite:,.1f} 元；{horizon} 期已实现其中的 {finite / infinite:.0%}")
    if retention < 1:
        print(f"  预期客户寿命 = {value.expected_lifetime(retention):.1f} 期")
    periods = np.arange(1, horizon + 1)
    cumulative = [value.clv_finite_horizon(margin, retention, discount, int(t)) for t in periods]
    _fig, ax = new_figure("客户终生价值的逐期累积", "期数（期）", "累计折现价值（元）")
    ax.bar(periods, np.diff([0.0, *cumulative]), color="tab:green", alpha=0.6, label="当期贡献的现值")
    ax.plot(periods, cumulative, marker="o", color="tab:blue", label="累计")
    ax.legend()
    plt.show()


def clv_explorer(
    margin: float = 100.0, retention: float = 0.8, discount: float = 0.1, horizon: int = 10
) -> widgets.VBox:
    """客户终生价值探索器: sliders for 每期毛利 margin (元), 保留率 retention, 折现率 discount and 期数 horizon."""
    controls = {
        "margin": widgets.FloatSlider(value=margin, min=10, max=1000, step=10, description="每期毛利(元)",
                                      continuous_update=False, style={"description_width": "initial"}),
        "retention": widgets.FloatSlider(value=retention, min=0.0, max=0.99, step=0.01, description="保留率",
                                         readout_format=".0%", continuous_update=False),
        "discount": widgets.FloatSlider(value=discount, min=0.0, max=0.3, step=0.01, description="折现率",
                                        readout_format=".0%", continuous_update=False),
        "horizon": widgets.IntSlider(value=horizon, min=1, max=40, description="期数", continuous_update=False),
    }
    out = widgets.interactive_output(show_errors(render_clv), controls)
    return widgets.VBox([widgets.HBox([controls["margin"], controls["retention"]]),
                         widgets.HBox([controls["discount"], controls["horizon"]]), out])
