"""客户分级部件 chapter-6 widget: cut points of the customer pyramid → grade sizes and each grade's share of value.

* :func:`draw_pyramid` — a customer pyramid (centred bars, top grade on top) from a :func:`grade_summary` table;
* :func:`render_grading` — grade customers with a custom :class:`~crmlab.segmentation.GradingScheme` (top share
  and middle share of customers), print each grade's share of customers and of value, draw the pyramid;
* :func:`grading_explorer` — two sliders over :func:`render_grading`.

Every number comes from :func:`crmlab.segmentation.grade_customers` and :func:`~crmlab.segmentation.grade_summary`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..errors import InputError, require_fraction
from ..plotting import new_figure
from ..segmentation import GradingScheme, grade_customers, grade_summary
from .common import show_errors

__all__ = ["draw_pyramid", "grading_explorer", "render_grading"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "420px"}
_COLORS = ("#c0392b", "#e67e22", "#f1c40f", "#7f8c8d")


def draw_pyramid(table: pd.DataFrame, title: str, value_label: str = "利润") -> None:
    """Draw the customer pyramid of ``table`` (rows = grades from the top, with ``customers``,
    ``customer_share`` and ``value_share``): one centred bar per grade, as wide as its number of customers,
    labelled with its share of customers and of value. Does not call ``plt.show()``."""
    n = len(table)
    widest = max(float(table["customers"].max()), 1.0)
    _fig, ax = new_figure(title, "客户数（位）", "", figsize=(7.2, 0.9 + 0.75 * n))
    for i, (grade, row) in enumerate(table.iterrows()):
        y = n - 1 - i                                  # the first grade at the top
        ax.barh(y, row["customers"], left=-row["customers"] / 2, height=0.8, color=_COLORS[i % len(_COLORS)],
                edgecolor="white")
        ax.text(widest * 0.55, y, f"{grade}：{int(row['customers'])} 位（{row['customer_share']:.0%}）"
                f"，{value_label}占 {row['value_share']:.0%}", va="center", ha="left", fontsize=9)
    ax.set_yticks([])
    ax.set_xlim(-widest * 0.55, widest * 1.65)
    ticks = [t for t in ax.get_xticks() if -widest / 2 <= t <= widest / 2]
    ax.set_xticks(ticks, [f"{abs(t):.0f}" for t in ticks])
    ax.spines[["left", "right", "top"]].set_visible(False)


def render_grading(values: object, top_share: float, middle_share: float,
                   grades: tuple[str, str, str] = ("关键客户", "普通客户", "小客户"),
                   value_label: str = "利润") -> pd.DataFrame:
    """Grade the customers in ``values`` (e.g. profit per customer, may be negative) into three grades: the top
    ``top_share`` of customers, the next ``middle_share``, and the rest. Print each grade's share of customers and
    of the total value, draw the pyramid, and return the :func:`grade_summary` table."""
    t = require_fraction(top_share, "顶层客户比例", "top_share", closed_low=False)
    m = require_fraction(middle_share, "中层客户比例", "middle_share")
    if t + m > 1 + 1e-12:
        raise InputError(f"顶层与中层客户比例之和不能超过 100%，收到 {t:.0%} + {m:.0%}")
    bottom = max(0.0, 1.0 - t - m)
    scheme = GradingScheme("自定义", tuple(grades), (t, m, bottom), "本工作簿：滑块设定的分界")
    x = np.asarray(values, dtype=float)
    table = grade_summary(x, grade_customers(x, scheme))
    for grade, row in table.iterrows():
        print(f"{grade}：{int(row['customers'])} 位，占客户 {row['customer_share']:.1%}，"
              f"{value_label} {row['value']:,.0f} 元，占{value_label} {row['value_share']:.1%}")
    draw_pyramid(table, f"客户金字塔：顶层 {t:.0%}、中层 {m:.0%}、底层 {bottom:.0%}", value_label)
    plt.show()
    return table


def grading_explorer(values: object, top_share: float = 0.2, middle_share: float = 0.3,
                     grades: tuple[str, str, str] = ("关键客户", "普通客户", "小客户"),
                     value_label: str = "利润") -> widgets.VBox:
    """客户金字塔探索器: sliders for the share of customers in the top grade and in the middle grade."""
    top = widgets.FloatSlider(value=top_share, min=0.01, max=0.5, step=0.01, description="顶层客户比例",
                              readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    middle = widgets.FloatSlider(value=middle_share, min=0.0, max=0.6, step=0.01, description="中层客户比例",
                                 readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(top_share: float, middle_share: float) -> None:
        render_grading(values, top_share, middle_share, grades, value_label)

    out = widgets.interactive_output(render, {"top_share": top, "middle_share": middle})
    return widgets.VBox([top, middle, out])
