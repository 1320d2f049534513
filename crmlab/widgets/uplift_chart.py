"""保留率提升曲线 the chart shared by the loyalty-programme and value-added-service widgets: net value (元) against
the retention uplift, with the current setting and the break-even uplift marked."""

from __future__ import annotations

import math
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import new_figure

__all__ = ["draw_net_value_by_uplift", "uplift_grid"]


def uplift_grid(current_uplift: float, baseline_retention: float, points: int = 100) -> np.ndarray:
    """Uplifts (fractions) from 0 to the larger of the current uplift and min(30 points, room below 99 %)."""
    top = max(current_uplift, min(0.30, 0.99 - baseline_retention), 0.0)
    return np.linspace(0.0, top, points) if top > 0 else np.array([0.0])


def draw_net_value_by_uplift(title: str, net_value_at: Callable[[float], float], current_uplift: float,
                             current_net: float, baseline_retention: float, break_even_uplift: float) -> None:
    """Plot ``net_value_at(u)`` (元, from the calculator) for u on :func:`uplift_grid`; mark the current setting
    and the break-even uplift when it is on the chart. Calls ``plt.show()``."""
    grid = uplift_grid(current_uplift, baseline_retention)
    _fig, ax = new_figure(title, "保留率提升（百分点）", "净价值（元，现值）")
    ax.plot(grid * 100, [net_value_at(float(u)) for u in grid], color="tab:blue")
    ax.axhline(0, color="grey", linewidth=1)
    ax.scatter([current_uplift * 100], [current_net], color="tab:red", zorder=3, label="当前设定")
    if not math.isinf(break_even_uplift) and break_even_uplift <= grid[-1]:
        ax.axvline(break_even_uplift * 100, color="tab:green", linestyle="--",
                   label=f"盈亏平衡：提升 {break_even_uplift * 100:.1f} 个百分点")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.legend(loc="upper left")
    plt.show()
