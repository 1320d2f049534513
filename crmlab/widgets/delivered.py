"""让渡价值部件 delivered-value widget: compare offers by total value, total cost and delivered value.

Every number comes from :func:`crmlab.value.delivered_value`; this module only lays the results
out as a table and a bar chart and puts sliders on one offer.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from ..errors import InputError
from ..plotting import new_figure
from ..value import CUSTOMER_COST_PARTS, CUSTOMER_VALUE_PARTS, DeliveredValue, delivered_value
from .common import show_errors

__all__ = ["delivered_value_explorer", "delivered_value_table", "render_delivered_value"]

Offer = tuple[Mapping[str, float], Mapping[str, float]]

#: Columns of :func:`delivered_value_table`, in order.
TABLE_COLUMNS = ("总客户价值", "总客户成本", "让渡价值", "价值成本比")


def delivered_value_table(results: Mapping[str, DeliveredValue]) -> pd.DataFrame:
    """让渡价值对比表: one row per offer with 总客户价值, 总客户成本, 让渡价值 and 价值成本比 (value / cost)."""
    if not results:
        raise InputError("方案 offers 至少需要一个 (at least one offer)，收到 0 个")
    rows = {name: [r.total_value, r.total_cost, r.delivered, r.ratio] for name, r in results.items()}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(TABLE_COLUMNS))
    table.index.name = "方案"
    return table


def render_delivered_value(offers: Mapping[str, Offer], unit: str = "分") -> pd.DataFrame:
    """Show the comparison table and a grouped bar chart for ``offers``; returns the table.

    ``offers`` maps an offer's name to ``(values, costs)``, the two dicts that
    :func:`crmlab.value.delivered_value` takes. ``unit`` labels the axis (分 for rating points, 元).
    """
    if not isinstance(offers, Mapping) or not offers:
        raise InputError(f"方案 offers 必须是非空字典 {{名称: (values, costs)}}，收到 {offers!r}")
    results = {name: delivered_value(dict(v), dict(c)) for name, (v, c) in offers.items()}
    table = delivered_value_table(results)
    display(table.round(2))
    _fig, ax = new_figure("客户让渡价值对比", "", f"数值（{unit}）", figsize=(6.4, 3.8))
    metrics = list(TABLE_COLUMNS[:3])
    x = np.arange(len(metrics))
    width = 0.8 / len(results)
    for i, name in enumerate(results):
        heights = table.loc[name, metrics].to_numpy(dtype=float)
        bars = ax.bar(x + (i - (len(results) - 1) / 2) * width, heights, width, label=str(name))
        ax.bar_label(bars, fmt="%.0f", fontsize=9)
    ax.axhline(0, color="#444", lw=0.8)
    ax.set_xticks(x, metrics)
    ax.legend()
    plt.show()
    return table


def delivered_value_explorer(
    offer: Offer, competitor: Offer, names: tuple[str, str] = ("本企业", "竞争者"), maximum: int = 100
) -> widgets.VBox:
    """让渡价值探索器: sliders for the four value parts and four cost parts of ``offer`` (0 … ``maximum``).

    ``competitor`` stays fixed as the benchmark. Each part is one of the keys of
    :data:`crmlab.value.CUSTOMER_VALUE_PARTS` / :data:`crmlab.value.CUSTOMER_COST_PARTS`.
    """
    values, costs = offer
    v_sliders = {
        k: widgets.IntSlider(value=int(values.get(k, 0)), min=0, max=maximum, description=zh,
                             continuous_update=False)
        for k, zh in CUSTOMER_VALUE_PARTS.items()
    }
    c_sliders = {
        k: widgets.IntSlider(value=int(costs.get(k, 0)), min=0, max=maximum, description=zh,
                             continuous_update=False)
        for k, zh in CUSTOMER_COST_PARTS.items()
    }

    @show_errors
    def render(**parts: int) -> None:
        mine = ({k: parts[f"v_{k}"] for k in v_sliders}, {k: parts[f"c_{k}"] for k in c_sliders})
        render_delivered_value({names[0]: mine, names[1]: competitor})

    controls = {f"v_{k}": s for k, s in v_sliders.items()} | {f"c_{k}": s for k, s in c_sliders.items()}
    out = widgets.interactive_output(render, controls)
    header = widgets.HTML(f"<b>调整“{names[0]}”的各项价值（左）与成本（右）；“{names[1]}”保持不变</b>")
    columns = widgets.HBox([widgets.VBox(list(v_sliders.values())), widgets.VBox(list(c_sliders.values()))])
    return widgets.VBox([header, columns, out])
