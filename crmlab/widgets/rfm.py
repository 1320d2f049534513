"""RFM 分类部件 chapter-5 widget: the as-of date, the high/low cut and the tie rule → the eight RFM segments.

* :func:`render_rfm_segments` — RFM table, scores, segments and their summary for one setting; prints one
  line per segment and draws :func:`crmlab.rfm.plot_rfm_segments`;
* :func:`rfm_segment_explorer` — a date slider (first), a cut and a tie-rule menu and a window menu over it.

Every number comes from :mod:`crmlab.rfm` (``rfm_table`` → ``rfm_scores`` → ``rfm_segment_summary``).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from ..errors import InputError
from ..rfm import plot_rfm_segments, rfm_scores, rfm_segment_summary, rfm_table
from .common import show_errors

__all__ = ["as_of_options", "render_rfm_segments", "rfm_segment_explorer"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "460px"}
_TIES = {"min": "并列取最低名次 (min)", "max": "并列取最高名次 (max)", "average": "并列取平均名次 (average)",
         "first": "按客户编号拆开 (first)"}
_CUTS = {"≥ 3 分为高": 3, "≥ 2 分为高": 2, "≥ 4 分为高": 4, "高于平均分为高": "mean"}
_WINDOWS = {"全部历史": None, "最近 365 天": 365, "最近 730 天": 730}


def render_rfm_segments(transactions: pd.DataFrame, as_of: object, *, cut: float | str = 3, method: str = "min",
                        window_days: int | None = None, q: int = 5) -> pd.DataFrame:
    """Segment the customers of ``transactions`` as of ``as_of``: print each segment's customers, share of
    customers and share of money with its mean R/F/M, draw the segment chart, and return the
    :func:`crmlab.rfm.rfm_segment_summary` table."""
    rfm = rfm_table(transactions, as_of, window_days=window_days)
    scores = rfm_scores(rfm, q=q, method=method)
    summary = rfm_segment_summary(scores, cut=cut)
    day = pd.Timestamp(as_of).date()
    print(f"截至 {day}：{len(rfm):,} 位有购买记录的客户，消费合计 {rfm['monetary'].sum():,.0f} 元")
    for name, row in summary.iterrows():
        if row["customers"] == 0:
            print(f"{name}：0 位")
            continue
        print(f"{name}：{int(row['customers'])} 位（{row['customer_share']:.1%}），"
              f"消费占 {row['monetary_share']:.1%}；平均 R {row['recency_mean']:.0f} 天、"
              f"F {row['frequency_mean']:.1f} 次、M {row['monetary_mean']:,.0f} 元")
    plot_rfm_segments(summary, f"RFM 客户分类（截至 {day}）")
    plt.show()
    return summary


def as_of_options(transactions: pd.DataFrame, date_col: str = "date", months: int = 3) -> list[pd.Timestamp]:
    """Candidate as-of dates: the ends of every ``months``-month period from the first full period after the
    first purchase to the last purchase's period end."""
    if not isinstance(transactions, pd.DataFrame) or date_col not in transactions.columns or transactions.empty:
        raise InputError(f"交易表 transactions 必须是含有列 {date_col} 的非空 DataFrame")
    dates = pd.to_datetime(transactions[date_col])
    freq = {1: ("ME", "M"), 3: ("QE", "Q"), 12: ("YE", "Y")}.get(months)
    if freq is None:
        raise InputError(f"间隔月数 months 只能是 1、3 或 12，收到 {months!r}")
    last = dates.max().to_period(freq[1]).end_time.normalize()
    return list(pd.date_range(dates.min().normalize(), last, freq=freq[0]))


def rfm_segment_explorer(transactions: pd.DataFrame, *, as_of: object | None = None, months: int = 3,
                         cut: float | str = 3, method: str = "min") -> widgets.VBox:
    """RFM 客户分类探索器: a slider over the as-of date (period ends), menus for the high/low cut, the tie rule
    and the window. Without ``as_of`` the slider starts one step before the last date, so it can move both
    ways."""
    options = as_of_options(transactions, months=months)
    labels = [(d.strftime("%Y-%m-%d"), d) for d in options]
    if as_of is None:
        start = options[-2] if len(options) > 1 else options[-1]
    else:
        start = pd.Timestamp(as_of)
        if start not in options:
            raise InputError(f"截止日期 as_of 必须是 {labels[0][0]} … {labels[-1][0]} 之间的期末日期，收到 {as_of!r}")
    date = widgets.SelectionSlider(options=labels, value=start, description="截止日期 as of",
                                   continuous_update=False, style=_STYLE, layout=_LAYOUT)
    cut_menu = widgets.Dropdown(options=list(_CUTS.items()), value=cut, description="高/低分界", style=_STYLE)
    tie_menu = widgets.Dropdown(options=[(v, k) for k, v in _TIES.items()], value=method, description="并列处理",
                                style=_STYLE)
    window_menu = widgets.Dropdown(options=list(_WINDOWS.items()), value=None, description="统计窗口", style=_STYLE)

    @show_errors
    def render(as_of: pd.Timestamp, cut: float | str, method: str, window_days: int | None) -> None:
        render_rfm_segments(transactions, as_of, cut=cut, method=method, window_days=window_days)

    out = widgets.interactive_output(render, {"as_of": date, "cut": cut_menu, "method": tie_menu,
                                              "window_days": window_menu})
    return widgets.VBox([date, widgets.HBox([cut_menu, tie_menu, window_menu]), out])
