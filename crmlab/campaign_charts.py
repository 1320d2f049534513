"""营销活动图表 charts for chapter 2's campaign analysis: cumulative gains, lift and the mailing profit curve.

Each function draws one figure from a table computed by :mod:`crmlab.campaign` and returns ``(fig, ax)``; none
calls ``plt.show()`` and none computes anything beyond what it is given.
"""

from __future__ import annotations

import pandas as pd

from .campaign import MailingDepth
from .errors import InputError
from .plotting import new_figure

__all__ = ["gains_chart", "lift_chart", "profit_chart"]


def _check(table: object, columns: list[str]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in columns):
        raise InputError(f"需要 gains_table 的结果 (a gains table with columns {columns})")
    return table


def _percent_axes(ax, x: bool = True, y: bool = True) -> None:
    if x:
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    if y:
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")


def gains_chart(tables: pd.DataFrame | dict[str, pd.DataFrame], title: str = "累计增益图 cumulative gains",
                mark_depth: float | None = None):
    """累计增益图: share of all responders captured (y) against the share of the list contacted (x).

    ``tables`` is one :func:`~crmlab.campaign.gains_table` or a dict ``{label: table}`` to compare models; the
    diagonal is random mailing. ``mark_depth`` (0–1) draws a vertical line at a chosen mailing depth.
    """
    named = tables if isinstance(tables, dict) else {"模型": tables}
    fig, ax = new_figure(title, "投放深度（名单的前 x%）", "累计捕获的响应者比例")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="随机投放")
    for label, table in named.items():
        t = _check(table, ["depth", "cum_gains"])
        ax.plot([0, *t["depth"]], [0, *t["cum_gains"]], marker="o", markersize=3, label=label)
    if mark_depth is not None:
        ax.axvline(mark_depth, color="tab:red", alpha=0.6, label=f"投放深度 {mark_depth:.0%}")
    _percent_axes(ax)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    return fig, ax


def lift_chart(table: pd.DataFrame, title: str = "提升度图 lift by decile"):
    """提升度图: each group's lift (bars) and the cumulative lift (line); 1 = no better than random."""
    t = _check(table, ["lift", "cum_lift"])
    fig, ax = new_figure(title, "分组（按得分从高到低）", "提升度 lift（倍）")
    ax.bar(t.index.astype(str), t["lift"], color="tab:blue", alpha=0.6, label="本组提升度")
    ax.plot(t.index.astype(str), t["cum_lift"], color="tab:orange", marker="o", label="累计提升度")
    ax.axhline(1.0, color="grey", linestyle="--", label="随机 = 1")
    ax.legend()
    return fig, ax


def profit_chart(result: MailingDepth, title: str = "投放利润曲线 profit by mailing depth",
                 mark_depth: float | None = None):
    """利润曲线: campaign profit (元) against mailing depth, with the optimum marked (from :func:`mailing_depth`)."""
    if not isinstance(result, MailingDepth):
        raise InputError("需要 mailing_depth 的结果 (a MailingDepth)")
    curve = result.curve
    fig, ax = new_figure(title, "投放深度（名单的前 x%）", "利润（元）")
    ax.plot(curve["depth"], curve["profit"], color="tab:green")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.scatter([result.best.depth], [result.best.profit], color="tab:red", zorder=3,
               label=f"最优 {result.best.depth:.0%}：{result.best.profit:,.0f} 元")
    if mark_depth is not None:
        ax.axvline(mark_depth, color="tab:purple", alpha=0.6, label=f"所选深度 {mark_depth:.0%}")
    _percent_axes(ax, y=False)
    ax.legend()
    return fig, ax
