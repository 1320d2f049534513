"""呼叫中心部件 chapter-2 widget: calls per hour, handle time and the service goal → agents needed (Erlang C).

* :func:`render_staffing` — print traffic, agents needed, service level, ASA, occupancy and scheduled staff, and
  draw the service level against the number of agents;
* :func:`erlang_staffing_explorer` — sliders over :func:`render_staffing`.

Every number comes from :mod:`crmlab.service`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from ..plotting import new_figure
from ..service import agents_needed, scheduled_staff, service_curve, traffic_intensity
from .common import show_errors

__all__ = ["erlang_staffing_explorer", "render_staffing"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}


def render_staffing(calls_per_hour: float, aht: float, target_time: float, target_level: float,
                    shrinkage: float = 0.0) -> pd.Series:
    """Staff one hour of ``calls_per_hour`` calls with AHT ``aht`` seconds for the goal “``target_level`` of calls
    answered within ``target_time`` seconds”; print the results, draw service level against agents, and return the
    figures for the chosen number of agents (``traffic``, ``agents``, ``wait_probability``, ``service_level``,
    ``asa``, ``occupancy``, ``scheduled``)."""
    a = traffic_intensity(calls_per_hour, 3600, aht)
    n = agents_needed(a, aht, target_time, target_level)
    scheduled = scheduled_staff(n, shrinkage)
    if n == 0:
        print("没有来电，不需要座席。")
        return pd.Series({"traffic": 0.0, "agents": 0, "wait_probability": 0.0, "service_level": 1.0, "asa": 0.0,
                          "occupancy": 0.0, "scheduled": 0})
    low = max(int(a) + 1, n - 8)
    curve = service_curve(a, aht, target_time, range(low, n + 9))
    row = curve.loc[n]
    print(f"话务量 traffic = {calls_per_hour:,.0f} 通/小时 × {aht:,.0f} 秒 ÷ 3600 = {a:,.2f} Erlang")
    print(f"要达到 {target_level:.0%} 的来电在 {target_time:.0f} 秒内接通，至少需要 {n} 名座席同时在线")
    print(f"  服务水平 {row['service_level']:.1%}，来电需要等待的概率 {row['wait_probability']:.1%}，"
          f"平均应答速度 ASA {row['asa']:.1f} 秒，座席占用率 {row['occupancy']:.1%}")
    if n - 1 > a:
        print(f"  少 1 人（{n - 1} 名）时服务水平只有 {curve.loc[n - 1, 'service_level']:.1%}")
    print(f"  考虑 {shrinkage:.0%} 的缩减率（休息、培训、缺勤），需要排班 {scheduled} 人")
    _fig, ax = new_figure("服务水平随座席数变化（Erlang C）", "座席数（名）", f"{target_time:.0f} 秒内接通的比例")
    ax.plot(curve.index, curve["service_level"], marker="o", markersize=3, color="tab:blue")
    ax.axhline(target_level, color="tab:red", linestyle="--", label=f"目标 {target_level:.0%}")
    ax.scatter([n], [row["service_level"]], color="tab:red", zorder=3, label=f"所需 {n} 名")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.legend(loc="lower right")
    plt.show()
    return pd.Series({"traffic": a, "agents": n, **row.to_dict(), "scheduled": scheduled})


def erlang_staffing_explorer(calls_per_hour: int = 300, aht: int = 240, target_time: int = 20,
                             target_level: float = 0.8, shrinkage: float = 0.3) -> widgets.VBox:
    """座席需求探索器: sliders for calls per hour (来电量), AHT (平均处理时长, s), target answer time (目标应答时间, s)
    and the service-level goal (目标服务水平); shrinkage (缩减率) is fixed at ``shrinkage``."""
    calls = widgets.IntSlider(value=calls_per_hour, min=10, max=3000, step=10, description="每小时来电量（通）",
                              continuous_update=False, style=_STYLE, layout=_LAYOUT)
    handle = widgets.IntSlider(value=aht, min=30, max=900, step=10, description="平均处理时长 AHT（秒）",
                               continuous_update=False, style=_STYLE, layout=_LAYOUT)
    answer = widgets.IntSlider(value=target_time, min=5, max=120, step=5, description="目标应答时间（秒）",
                               continuous_update=False, style=_STYLE, layout=_LAYOUT)
    level = widgets.FloatSlider(value=target_level, min=0.5, max=0.99, step=0.01, description="目标服务水平",
                                readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(calls_per_hour: int, aht: int, target_time: int, target_level: float) -> None:
        render_staffing(calls_per_hour, aht, target_time, target_level, shrinkage)

    out = widgets.interactive_output(render, {"calls_per_hour": calls, "aht": handle, "target_time": answer,
                                              "target_level": level})
    return widgets.VBox([calls, handle, answer, level, out])
