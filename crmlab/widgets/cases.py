"""案例部件 case widgets: sliders over the chapter-1 case models of :mod:`crmlab.cases`.

Every number shown comes from a function in :mod:`crmlab.cases`; the widgets only collect slider values,
call those functions, print a sentence and draw a chart.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MultipleLocator

from ..cases import pg_walmart, skyworth, starbucks, taxi
from ..plotting import new_figure
from .common import show_errors

__all__ = [
    "describe_service_network",
    "describe_sharing_effect",
    "describe_starbucks_split",
    "describe_taxi_premium",
    "pg_walmart_inventory_explorer",
    "skyworth_service_explorer",
    "starbucks_budget_explorer",
    "taxi_long_trip_explorer",
    "taxi_premium_explorer",
]


def _slider(value: float, lo: float, hi: float, step: float, label: str, fmt: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=label, readout_format=fmt,
        continuous_update=False, style={"description_width": "initial"}, layout={"width": "460px"},
    )


def _percent_axis(axis) -> None:
    axis.set_major_formatter(lambda x, _pos: f"{x:.0%}")


# --- 出租车司机 -------------------------------------------------------------------------------

def describe_taxi_premium(**model: float) -> str:
    """加价说明 Chinese sentences: the optimal premium and the client base's value at 17 % and 50 %.

    All numbers come from :mod:`crmlab.cases.taxi`; ``model`` takes its model keyword arguments.
    """
    best = taxi.optimal_premium(**model)
    facts = taxi.TAXI_FACTS
    at_17 = taxi.client_base_value(facts.zhou_long_trip_markup, **model)
    at_50 = taxi.client_base_value(facts.trade_long_trip_markup, **model)
    return (
        f"最优加价 ≈ {best.premium:.1%}（月保留率 {best.client.retention:.2%}），"
        f"{best.clients:,.0f} 位熟客的终生利润 ≈ {best.base_value:,.0f} 元\n"
        f"加价 17%（周春明）：{at_17:,.0f} 元；加价 50%（同业惯例）：{at_50:,.0f} 元"
    )


def taxi_premium_explorer(**model: float) -> widgets.VBox:
    """加价探索器 (出租车司机): sliders for the assumptions of :func:`crmlab.cases.taxi.regular_client_value`.

    Sliders: 基础月保留率 base_retention (90–99.5 %), 流失率翻倍的加价 churn_doubling_premium (10–100 %),
    成本率 cost_ratio (20–60 %), 空驶比例 empty_ratio (0–100 %), 月折现率 discount (0–3 %). The chart shows the
    lifetime profit of 200 regular clients against the premium, with 17 %, 50 % and the optimum marked.
    Keyword arguments override the starting values.
    """
    start = {**taxi.DEFAULT_MODEL, **model}
    sliders = {
        "base_retention": _slider(start["base_retention"], 0.90, 0.995, 0.005, "基础月保留率", ".1%"),
        "churn_doubling_premium": _slider(start["churn_doubling_premium"], 0.10, 1.00, 0.05, "流失率翻倍的加价", ".0%"),
        "cost_ratio": _slider(start["cost_ratio"], 0.20, 0.60, 0.01, "成本率", ".0%"),
        "empty_ratio": _slider(start["empty_ratio"], 0.0, 1.0, 0.05, "空驶比例", ".0%"),
        "discount": _slider(start["discount"], 0.0, 0.03, 0.0025, "月折现率", ".2%"),
    }
    fare = start["monthly_fare"]

    @show_errors
    def render(**kw: float) -> None:
        kw = {**kw, "monthly_fare": fare}
        print(describe_taxi_premium(**kw))
        grid = np.linspace(0.0, 1.0, 201)
        values = [taxi.client_base_value(p, **kw) / 1e4 for p in grid]
        best = taxi.optimal_premium(**kw)
        _fig, ax = new_figure("加价与熟客群体的终生利润（模拟数据）", "加价 premium", "200 位熟客终生利润（万元）")
        ax.plot(grid, values, color="tab:blue")
        facts = taxi.TAXI_FACTS
        ax.axvline(facts.zhou_long_trip_markup, color="tab:green", ls="--", label="周春明 17%")
        ax.axvline(facts.trade_long_trip_markup, color="tab:gray", ls=":", label="同业 50%")
        ax.scatter([best.premium], [best.base_value / 1e4], color="tab:red", zorder=3, label="最优加价")
        _percent_axis(ax.xaxis)
        ax.legend(loc="lower left")
        plt.show()

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([*sliders.values(), out])


def taxi_long_trip_explorer(meter_fare: float = 1000.0) -> widgets.VBox:
    """长途往返探索器 (出租车司机): revenue of one long round trip against the empty-return rate.

    Sliders: 加价 markup (0–80 %) and 空车返程率 empty_return_rate (0–100 %). The grey line is the trade:
    +50 % and always back empty. ``meter_fare`` is the meter fare of one leg in 元 (an example value).
    """
    markup = _slider(taxi.TAXI_FACTS.zhou_long_trip_markup, 0.0, 0.80, 0.01, "加价", ".0%")
    empty = _slider(0.5, 0.0, 1.0, 0.05, "空车返程率", ".0%")

    @show_errors
    def render(markup: float, empty_return_rate: float) -> None:
        mine = taxi.long_trip(meter_fare, markup, empty_return_rate)
        trade = taxi.long_trip(meter_fare, taxi.TAXI_FACTS.trade_long_trip_markup, 1.0)
        e_star = taxi.break_even_empty_return_rate(markup)
        print(f"往返收入 {mine.revenue:,.0f} 元，同业（加价 50%、空车返回）{trade.revenue:,.0f} 元；"
              f"保本空车返程率 = {e_star:.0%}")
        grid = np.linspace(0.0, 1.0, 101)
        title = f"长途往返一趟的收入（跳表车资 {meter_fare:,.0f} 元为例）"
        _fig, ax = new_figure(title, "空车返程率", "往返收入（元）")
        ax.plot(grid, [taxi.long_trip(meter_fare, markup, e).revenue for e in grid], label=f"加价 {markup:.0%}")
        ax.axhline(trade.revenue, color="tab:gray", ls=":", label="同业：加价 50%，空车返回")
        ax.scatter([empty_return_rate], [mine.revenue], color="tab:red", zorder=3)
        if 0.0 <= e_star <= 1.0:
            ax.axvline(e_star, color="tab:red", ls="--", lw=0.8, label=f"保本点 {e_star:.0%}")
        _percent_axis(ax.xaxis)
        ax.legend(loc="lower left")
        plt.show()

    out = widgets.interactive_output(render, {"markup": markup, "empty_return_rate": empty})
    return widgets.VBox([markup, empty, out])


# --- 星巴克 -----------------------------------------------------------------------------------

def describe_starbucks_split(ad_share: float, **model: float) -> str:
    """预算分配说明 Chinese sentences comparing one split with the best split (from crmlab.cases.starbucks)."""
    now = starbucks.strategy_value(ad_share, **model)
    best = starbucks.optimal_ad_share(**model)
    return (
        f"广告占比 {now.ad_share:.0%}：年保留率 {now.retention:.1%}，每位常客 CLV {now.clv:,.1f} 美元，"
        f"每年新客户 {now.new_customers_per_year / 1e4:,.0f} 万，客户资产 {now.customer_equity / 1e8:,.2f} 亿美元\n"
        f"最优广告占比 ≈ {best.ad_share:.0%}，客户资产 {best.customer_equity / 1e8:,.2f} 亿美元"
    )


def starbucks_budget_explorer(**model: float) -> widgets.VBox:
    """预算分配探索器 (星巴克): how customer equity depends on the share of the budget spent on ads.

    Sliders: 广告占比 ad_share, 获客成本 cost_per_acquisition (50–400 美元), 半效投入 half_effect_spend
    (2–50 美元), 口碑推荐率 referral_rate (0–20 %), 基础/最高保留率. All are assumptions of
    :func:`crmlab.cases.starbucks.strategy_value`; keyword arguments override the starting values.
    """
    start = {**starbucks.DEFAULT_MODEL, **model}
    sliders = {
        "ad_share": _slider(starbucks.PARTNER_DRIVEN_SHARE, 0.0, 1.0, 0.05, "广告占比", ".0%"),
        "cost_per_acquisition": _slider(start["cost_per_acquisition"], 50, 400, 10, "获客成本（美元）", ".0f"),
        "half_effect_spend": _slider(start["half_effect_spend"], 2, 50, 1, "半效投入（美元/人）", ".0f"),
        "referral_rate": _slider(start["referral_rate"], 0.0, 0.20, 0.01, "口碑推荐率", ".0%"),
        "base_retention": _slider(start["base_retention"], 0.20, 0.80, 0.05, "基础保留率", ".0%"),
        "max_retention": _slider(start["max_retention"], 0.50, 0.95, 0.05, "最高保留率", ".0%"),
    }
    fixed = {k: start[k] for k in ("budget", "customers", "margin", "discount", "years")}

    @show_errors
    def render(ad_share: float, **kw: float) -> None:
        kw = {**fixed, **kw}
        print(describe_starbucks_split(ad_share, **kw))
        grid = np.linspace(0.0, 1.0, 101)
        equity = [starbucks.strategy_value(a, **kw).customer_equity / 1e8 for a in grid]
        best = starbucks.optimal_ad_share(**kw)
        now = starbucks.strategy_value(ad_share, **kw)
        _fig, ax = new_figure("广告占比与客户资产（模拟数据）", "广告占预算的比例", "客户资产（亿美元）")
        ax.plot(grid, equity, color="tab:brown")
        ax.axvline(starbucks.PARTNER_DRIVEN_SHARE, color="tab:green", ls="--", label="星巴克：3000 万 / 3 亿")
        ax.axvline(starbucks.AD_DRIVEN_SHARE, color="tab:gray", ls=":", label="同行：全部做广告")
        ax.scatter([best.ad_share], [best.customer_equity / 1e8], color="tab:red", zorder=3, label="最优")
        ax.scatter([now.ad_share], [now.customer_equity / 1e8], color="black", marker="x", zorder=3, label="当前")
        _percent_axis(ax.xaxis)
        ax.legend(loc="lower center")
        plt.show()

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([*sliders.values(), out])


# --- 宝洁与沃尔玛 ------------------------------------------------------------------------------

def describe_sharing_effect(**kw: float) -> str:
    """库存节约说明 Chinese sentence on inventory days, capital freed and carrying cost saved.

    All numbers come from :func:`crmlab.cases.pg_walmart.sharing_effect`, which takes ``kw``.
    """
    s = pg_walmart.sharing_effect(**kw)
    return (
        f"库存天数 {s.days_before:.1f} → {s.days_after:.1f} 天（减少 {s.days_saved:.1f} 天），"
        f"释放资金 {s.capital_freed / 1e8:,.2f} 亿美元，每年节约持有成本 {s.annual_carrying_saving / 1e8:,.2f} 亿美元"
    )


def pg_walmart_inventory_explorer() -> widgets.VBox:
    """信息共享探索器 (宝洁与沃尔玛): inventory days and capital before and after sharing daily sales data.

    Sliders: 年销货成本 annual_cogs (10–500 亿美元), 共享后订货周期 review_days_after (1–14 天),
    共享后提前期 lead_time_after (1–10 天), 共享后需求变异系数 demand_cv_after (0.1–0.8),
    持有成本率 carrying_rate (10–40 %). "Before" values are the defaults of
    :func:`crmlab.cases.pg_walmart.sharing_effect`. All numbers are illustrative (模拟数据).
    """
    d = pg_walmart.SHARING_DEFAULTS
    sliders = {
        "cogs_yi": _slider(d["annual_cogs"] / 1e8, 10, 500, 10, "年销货成本（亿美元）", ".0f"),
        "review_days_after": _slider(d["review_days_after"], 1, 14, 1, "共享后订货周期（天）", ".0f"),
        "lead_time_after": _slider(d["lead_time_after"], 1, 10, 1, "共享后提前期（天）", ".0f"),
        "demand_cv_after": _slider(d["demand_cv_after"], 0.1, 0.8, 0.05, "共享后需求变异系数", ".2f"),
        "carrying_rate": _slider(d["carrying_rate"], 0.10, 0.40, 0.01, "持有成本率", ".0%"),
    }

    @show_errors
    def render(cogs_yi: float, **kw: float) -> None:
        kw = {**kw, "annual_cogs": cogs_yi * 1e8}
        print(describe_sharing_effect(**kw))
        s = pg_walmart.sharing_effect(**kw)
        _fig, ax = new_figure("共享销售数据前后的库存占用资金（模拟数据）", "", "库存占用资金（亿美元）")
        ax.bar(["共享前", "共享后"], [s.capital_before / 1e8, s.capital_after / 1e8], color=["tab:gray", "tab:blue"])
        for i, (cap, days) in enumerate(((s.capital_before, s.days_before), (s.capital_after, s.days_after))):
            ax.annotate(f"{days:.1f} 天", (i, cap / 1e8), ha="center", va="bottom")
        ax.margins(y=0.15)
        plt.show()

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([*sliders.values(), out])


# --- 创维 -------------------------------------------------------------------------------------

def describe_service_network(retention_gain: float, **model: float) -> str:
    """服务网络说明 Chinese sentences on the network's NPV and the break-even retention gain (crmlab.cases.skyworth)."""
    v = skyworth.service_network_value(retention_gain, **model)
    gain = skyworth.break_even_retention_gain(**model)
    need = "无法保本" if gain == float("inf") else f"{gain * 100:.1f} 个百分点"
    return (
        f"成本现值 {v.cost.total_pv / 1e4:,.0f} 万元，收益现值 {v.benefit_pv / 1e4:,.0f} 万元，"
        f"净现值 {v.net_value / 1e4:,.0f} 万元\n保本所需的保留率提升：{need}"
    )


def skyworth_service_explorer(**model: float) -> widgets.VBox:
    """服务网络探索器 (创维): net present value of the "一县一点" network against the retention gain.

    Sliders: 保留率提升 retention_gain (0–20 个百分点), 每位客户年毛利 margin (20–300 元),
    每个网点年运营成本 annual_cost_per_point (0–10 万元), 每年服务客户数 customers_per_year (50–500 万),
    基础保留率 base_retention (20–80 %). All except the 1000 万元 vehicle budget are assumptions.
    """
    start = {**skyworth.DEFAULT_MODEL, **model}
    sliders = {
        "retention_gain": _slider(0.05, 0.0, 0.20, 0.01, "保留率提升", ".0%"),
        "margin": _slider(start["margin"], 20, 300, 10, "每位客户年毛利（元）", ".0f"),
        "cost_wan": _slider(start["annual_cost_per_point"] / 1e4, 0, 10, 0.5, "每个网点年运营成本（万元）", ".1f"),
        "customers_wan": _slider(start["customers_per_year"] / 1e4, 50, 500, 10, "每年服务客户数（万）", ".0f"),
        "base_retention": _slider(start["base_retention"], 0.20, 0.80, 0.05, "基础保留率", ".0%"),
    }
    fixed = {k: start[k] for k in ("vehicle_investment", "service_points", "discount", "years")}

    @show_errors
    def render(retention_gain: float, margin: float, cost_wan: float, customers_wan: float,
               base_retention: float) -> None:
        kw = {**fixed, "margin": margin, "annual_cost_per_point": cost_wan * 1e4,
              "customers_per_year": customers_wan * 1e4, "base_retention": base_retention}
        print(describe_service_network(retention_gain, **kw))
        top = min(0.20, 1.0 - base_retention)
        grid = np.linspace(0.0, top, 81)
        npv = [skyworth.service_network_value(g, **kw).net_value / 1e4 for g in grid]
        _fig, ax = new_figure("服务网络的净现值（模拟数据）", "保留率提升（百分点）", "净现值（万元）")
        ax.plot(grid, npv, color="tab:purple")
        ax.axhline(0, color="black", lw=0.8)
        current = skyworth.service_network_value(retention_gain, **kw).net_value / 1e4
        ax.scatter([retention_gain], [current], color="tab:red", zorder=3)
        gain_star = skyworth.break_even_retention_gain(**kw)
        if gain_star <= top:
            ax.axvline(gain_star, color="tab:red", ls="--", lw=0.8, label=f"保本点 {gain_star * 100:.1f} 个百分点")
            ax.legend(loc="upper left")
        ax.xaxis.set_major_locator(MultipleLocator(0.02))
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x * 100:.0f}")
        plt.show()

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([*sliders.values(), out])
