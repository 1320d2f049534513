"""客户选择部件 selection-criteria weight panel: re-rank prospects as the weights of the criteria change.

Every number comes from :func:`crmlab.selection.selection_score`; this module only shows its result as a
ranking table and a stacked bar chart (one segment per criterion's contribution) and puts one slider on
each criterion's weight.
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
from ..selection import selection_score
from .common import show_errors

__all__ = ["render_selection_ranking", "selection_weights_explorer"]


def render_selection_ranking(
    candidates: pd.DataFrame, weights: Mapping[str, float], *, scale: tuple[float, float] = (0.0, 10.0),
    title: str = "候选客户综合得分",
) -> pd.DataFrame:
    """Show the ranking table and a stacked bar chart of the scores; returns :func:`selection_score`'s table.

    ``candidates`` has one row per candidate (the index names them) and one column of ratings per criterion;
    ``weights`` maps each criterion to its weight (≥ 0, normalised by :func:`selection_score`).
    """
    table = selection_score(candidates, weights, scale=scale)
    criteria = [c for c in weights]
    shown = table[["rank", "score", *criteria]].rename(columns={"rank": "名次", "score": "综合得分"})
    display(shown.round(2))
    _fig, ax = new_figure(title, f"综合得分（{scale[0]:g}–{scale[1]:g} 分，各色块为各项标准的贡献）", "",
                          figsize=(7.6, 1.0 + 0.45 * max(len(table), 4)))
    y = np.arange(len(table))[::-1]          # best on top
    left = np.zeros(len(table))
    for crit in criteria:
        width = table[crit].to_numpy(dtype=float)
        ax.barh(y, width, left=left, label=str(crit), height=0.7)
        left = left + width
    for yi, total in zip(y, left, strict=True):
        ax.text(total + 0.05 * (scale[1] - scale[0]) / 10, yi, f"{total:.2f}", va="center", fontsize=9)
    ax.set_yticks(y, [str(i) for i in table.index])
    ax.set_xlim(scale[0], scale[1] * 1.08)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="选择标准", title_fontsize=8)
    plt.show()
    return table


def selection_weights_explorer(
    candidates: pd.DataFrame, weights: Mapping[str, float], *, maximum: float = 10.0,
    scale: tuple[float, float] = (0.0, 10.0), title: str = "候选客户综合得分",
) -> widgets.VBox:
    """选择标准权重面板: one slider (0 … ``maximum``) per criterion in ``weights``, starting at its weight.

    Moving a slider re-ranks ``candidates`` with :func:`selection_score` and redraws the table and chart.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(f"权重 weights 必须是非空的字典 {{criterion: weight}}，收到 {weights!r}")
    criteria = list(weights)
    top = max(float(maximum), *(float(v) for v in weights.values()))
    sliders = {
        f"w{i}": widgets.FloatSlider(value=float(weights[c]), min=0.0, max=top, step=0.5, description=str(c),
                                     continuous_update=False, style={"description_width": "initial"})
        for i, c in enumerate(criteria)
    }

    @show_errors
    def render(**values: float) -> None:
        chosen = {c: values[f"w{i}"] for i, c in enumerate(criteria)}
        render_selection_ranking(candidates, chosen, scale=scale, title=title)

    out = widgets.interactive_output(render, sliders)
    header = widgets.HTML("<b>拖动滑块调整各项选择标准的权重（会自动换算成合计 100%），看候选客户的排名如何变化</b>")
    return widgets.VBox([header, widgets.VBox(list(sliders.values())), out])
