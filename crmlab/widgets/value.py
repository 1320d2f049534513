"""价值部件 value widgets: sliders over the CLV calculators of :mod:`crmlab.value`."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import value
from ..plotting import new_figure
from .common import show_errors

__all__ = ["describe_margin_multiple", "margin_multiple_explorer"]


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
