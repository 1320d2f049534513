"""排队模拟部件 waiting-line widget (李先国 第 4 章 及时服务): simulate a call centre and set it beside Erlang C.

* :func:`render_queue` — simulate ``n_calls`` calls (:func:`crmlab.queue_sim.simulate_queue`), print the simulated
  and the Erlang C figures side by side (:func:`crmlab.queue_sim.compare_with_erlang_c`) and draw the share of
  calls waiting longer than t (:func:`crmlab.queue_sim.wait_survival`);
* :func:`queue_explorer` — sliders for the number of agents and the calls per hour over :func:`render_queue`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from ..plotting import new_figure
from ..queue_sim import compare_with_erlang_c, simulate_queue, wait_survival
from .common import show_errors

__all__ = ["queue_explorer", "render_queue"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}
_LABELS = {
    "wait_probability": ("来电需要排队的概率", "{:.1%}", 100, "个百分点"),
    "service_level": ("服务水平（目标时间内接通）", "{:.1%}", 100, "个百分点"),
    "asa": ("平均应答速度 ASA（秒）", "{:.1f}", 1, "秒"),
    "occupancy": ("座席占用率", "{:.1%}", 100, "个百分点"),
}


def render_queue(calls_per_hour: float, aht: float, agents: int, target_time: float = 20.0,
                 n_calls: int = 100_000, seed: int = 2024) -> pd.DataFrame:
    """Simulate ``n_calls`` calls at ``calls_per_hour`` with AHT ``aht`` seconds and ``agents`` agents (the first
    1 % of calls are a warm-up and not counted); print simulation and Erlang C side by side; draw P(wait > t).
    Returns the :func:`~crmlab.queue_sim.compare_with_erlang_c` table."""
    sim = simulate_queue(calls_per_hour / 3600.0, aht, agents, n_calls=n_calls, seed=seed, target_time=target_time,
                         warmup=max(1, n_calls // 100))
    print(f"话务量 = {calls_per_hour:,.0f} 通/小时 × {aht:,.0f} 秒 ÷ 3600 = {sim.traffic:.2f} Erlang，"
          f"座席 {agents} 名；模拟 {sim.calls:,} 通来电（约 {sim.horizon / 3600:,.0f} 小时）")
    if agents <= sim.traffic:
        print(f"座席数不大于话务量：队伍越排越长，Erlang C 公式没有稳定的答案。模拟中平均等待 {sim.asa:,.0f} 秒，"
              f"最后一通来电等了 {sim.waits[-1]:,.0f} 秒。请增加座席。")
        return pd.DataFrame()
    table = compare_with_erlang_c(sim)
    for key, (label, fmt, scale, unit) in _LABELS.items():
        row = table.loc[key]
        label = label.replace("目标时间", f"{target_time:g} 秒")
        print(f"{label}：模拟 {fmt.format(row['simulated'])}，Erlang C 公式 {fmt.format(row['erlang_c'])}，"
              f"差 {row['difference'] * scale:+.1f} {unit}（{row['z']:+.1f} 个标准误）")
    curve = wait_survival(sim)
    _fig, ax = new_figure(f"等待超过 t 秒的来电比例（{agents} 名座席）", "等待时间 t（秒）", "等待超过 t 的比例",
                          figsize=(6.6, 3.8))
    ax.step(curve.index, curve["simulated"], where="post", color="tab:orange", label="模拟")
    ax.plot(curve.index, curve["erlang_c"], color="tab:blue", linestyle="--", label="Erlang C 公式")
    ax.axvline(target_time, color="grey", linestyle=":", label=f"目标 {target_time:g} 秒")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.legend(loc="upper right")
    plt.show()
    return table


def queue_explorer(calls_per_hour: int = 300, aht: int = 240, agents: int = 23, target_time: int = 20,
                   n_calls: int = 100_000, seed: int = 2024) -> widgets.VBox:
    """排队模拟探索器: sliders for the number of agents (座席数) and calls per hour (每小时来电量); AHT, target time,
    number of simulated calls and seed stay fixed."""
    staff = widgets.IntSlider(value=agents, min=1, max=80, step=1, description="座席数（名）",
                              continuous_update=False, style=_STYLE, layout=_LAYOUT)
    calls = widgets.IntSlider(value=calls_per_hour, min=30, max=1200, step=10, description="每小时来电量（通）",
                              continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(agents: int, calls_per_hour: int) -> None:
        render_queue(calls_per_hour, aht, agents, target_time, n_calls, seed)

    out = widgets.interactive_output(render, {"agents": staff, "calls_per_hour": calls})
    return widgets.VBox([staff, calls, out])
