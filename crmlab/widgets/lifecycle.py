"""生命周期部件 widgets over :mod:`crmlab.lifecycle`: explore state flows between two dates."""

from __future__ import annotations

import dataclasses

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from ..lifecycle import BOOK_STATES, GREEN_FOOD_APP, StateRules, state_flows
from ..lifecycle_charts import draw_state_diagram
from .common import show_errors

__all__ = ["PRESETS", "render_state_flows", "state_flow_explorer"]

PRESETS: dict[str, StateRules] = {"苏朝晖 图1-1": BOOK_STATES, "梁燕冰 绿色食品 App": GREEN_FOOD_APP}


def render_state_flows(
    customers: pd.DataFrame, transactions: pd.DataFrame, start: object, end: object, rules: StateRules
) -> pd.DataFrame:
    """Show the flow table and the state diagram for ``start`` → ``end``; returns the flow table."""
    flows = state_flows(customers, transactions, start, end, rules)
    display(flows)
    draw_state_diagram(flows, rules)
    plt.show()
    return flows


def state_flow_explorer(customers: pd.DataFrame, transactions: pd.DataFrame) -> widgets.VBox:
    """客户状态流转探索器: pick the rules (preset and window), the start and the end month.

    Dates offered are month-ends within the transactions' range; the window slider overrides
    the preset's ``window_days``.
    """
    dates = pd.to_datetime(transactions["date"])
    months = pd.date_range(dates.min(), dates.max(), freq="ME")
    options = [(d.strftime("%Y-%m-%d"), d) for d in months]
    if len(options) < 2:
        raise ValueError("交易数据 transactions 至少要跨两个月 (need at least two months)")
    preset = widgets.Dropdown(options=list(PRESETS), description="规则")
    window = widgets.IntSlider(value=BOOK_STATES.window_days, min=30, max=365, step=15, description="窗口(天)",
                               continuous_update=False)
    start = widgets.SelectionSlider(options=options, value=options[len(options) // 2][1], description="起始",
                                    continuous_update=False)
    end = widgets.SelectionSlider(options=options, value=options[-1][1], description="结束", continuous_update=False)

    def on_preset(change: dict) -> None:
        window.value = PRESETS[change["new"]].window_days

    preset.observe(on_preset, names="value")

    @show_errors
    def render(preset: str, window: int, start: pd.Timestamp, end: pd.Timestamp) -> None:
        base = PRESETS[preset]
        rules = dataclasses.replace(base, window_days=window)
        render_state_flows(customers, transactions, start, end, rules)

    out = widgets.interactive_output(render, {"preset": preset, "window": window, "start": start, "end": end})
    return widgets.VBox([widgets.HBox([preset, window]), widgets.HBox([start, end]), out])
