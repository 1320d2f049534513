"""宝洁与沃尔玛: sharing sales data, the capital tied up in inventory, and gross profit.

The book's figures are in :data:`PG_WALMART_FACTS`: from 1977 Walmart was a main retailer of P&G; the two
exchanged price, supply, sales and stock data by computer every day; P&G saved 300 亿美元 of capital and its
gross profit rose by about 11 %. The model is the chain

    information shared → shorter review period, shorter lead time, less demand noise
    → fewer days of inventory → less capital tied up → lower carrying cost,

plus the leverage of a cost saving on gross profit. Days, lead times, demand noise, carrying rate, cost of
goods and gross margin are **assumptions (假设 / 模拟数据)**. Money in 美元 (any currency works), time in days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError, require_fraction, require_nonnegative, require_positive

__all__ = [
    "DEFAULT_DAYS_PER_YEAR",
    "PG_WALMART_FACTS",
    "SHARING_DEFAULTS",
    "GrossProfitChange",
    "InventorySaving",
    "PgWalmartFacts",
    "cost_cut_for_gross_profit_uplift",
    "gross_profit_change",
    "implied_days_reduction",
    "inventory_capital",
    "inventory_days",
    "inventory_savings",
    "sharing_effect",
]

DEFAULT_DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class PgWalmartFacts:
    """案例事实 the figures stated in the book (第1章案例「宝洁与沃尔玛的合作实现了双赢」)."""

    partnership_year: int = 1977              # 1977 年沃尔玛成为宝洁的主要零售商
    capital_saved: float = 30_000_000_000.0   # 宝洁因此节约了 300 亿美元的资金
    gross_profit_uplift: float = 0.11         # 毛利大约增加了 11%


PG_WALMART_FACTS = PgWalmartFacts()


def inventory_days(
    review_days: float, lead_time_days: float, demand_cv: float, service_z: float = 1.65
) -> float:
    """平均库存天数 average inventory in days of demand under periodic review (定期订货).

    Cycle stock plus safety stock, both in days of average demand::

        days = R / 2 + z · cv · √(L + R)

    ``review_days`` R — days between orders (> 0); ``lead_time_days`` L — days from order to shelf (≥ 0);
    ``demand_cv`` cv — coefficient of variation of daily demand as seen by the planner (≥ 0, e.g. 0.5);
    ``service_z`` z — safety factor (≥ 0; 1.65 ≈ 95 % of cycles without a stock-out).
    Sharing daily sales data shortens R and L and lowers the cv the supplier sees (less bullwhip).
    """
    r = require_positive(review_days, "订货周期", "review_days")
    lt = require_nonnegative(lead_time_days, "订货提前期", "lead_time_days")
    cv = require_nonnegative(demand_cv, "需求变异系数", "demand_cv")
    z = require_nonnegative(service_z, "安全系数", "service_z")
    return r / 2.0 + z * cv * math.sqrt(lt + r)


def inventory_capital(annual_cogs: float, days: float, days_per_year: float = DEFAULT_DAYS_PER_YEAR) -> float:
    """库存占用资金 capital tied up in inventory, ``annual_cogs × days / days_per_year``.

    ``annual_cogs`` 年销货成本 (cost of goods sold per year, ≥ 0, 美元); ``days`` 库存天数 ≥ 0;
    ``days_per_year`` > 0 (default 365). Returns 美元.
    """
    c = require_nonnegative(annual_cogs, "年销货成本", "annual_cogs")
    d = require_nonnegative(days, "库存天数", "days")
    y = require_positive(days_per_year, "一年天数", "days_per_year")
    return c * d / y


def implied_days_reduction(
    capital_freed: float, annual_cogs: float, days_per_year: float = DEFAULT_DAYS_PER_YEAR
) -> float:
    """隐含库存天数减少 the cut in inventory days that frees ``capital_freed`` for a given cost of goods.

    The inverse of :func:`inventory_capital`: ``capital_freed × days_per_year / annual_cogs``.
    ``capital_freed`` ≥ 0 美元, ``annual_cogs`` > 0 美元 per year. Use it to test the book's 300 亿美元
    against a plausible cost of goods: a one-off saving of that size needs a very large cut in days.
    """
    k = require_nonnegative(capital_freed, "释放资金", "capital_freed")
    c = require_positive(annual_cogs, "年销货成本", "annual_cogs")
    y = require_positive(days_per_year, "一年天数", "days_per_year")
    return k * y / c


@dataclass(frozen=True)
class InventorySaving:
    """库存节约 capital freed and carrying cost saved when inventory days fall (美元, days)."""

    annual_cogs: float
    days_before: float
    days_after: float
    carrying_rate: float
    capital_before: float
    capital_after: float

    @property
    def days_saved(self) -> float:
        """减少的库存天数 days of inventory saved."""
        return self.days_before - self.days_after

    @property
    def capital_freed(self) -> float:
        """释放的资金 capital no longer tied up in stock (美元, one-off)."""
        return self.capital_before - self.capital_after

    @property
    def annual_carrying_saving(self) -> float:
        """每年节约的持有成本 carrying cost saved every year, ``capital_freed × carrying_rate`` (美元)."""
        return self.capital_freed * self.carrying_rate

    def __repr__(self) -> str:
        return (f"InventorySaving(库存天数 {self.days_before:.1f} → {self.days_after:.1f} 天, "
                f"释放资金={self.capital_freed / 1e8:,.2f} 亿美元, "
                f"每年节约持有成本={self.annual_carrying_saving / 1e8:,.2f} 亿美元)")


def inventory_savings(
    annual_cogs: float,
    days_before: float,
    days_after: float,
    carrying_rate: float = 0.25,
    days_per_year: float = DEFAULT_DAYS_PER_YEAR,
) -> InventorySaving:
    """库存节约 capital freed and carrying cost saved a year as stock falls from ``days_before`` to ``days_after``.

    ``annual_cogs`` ≥ 0 美元 per year; days ≥ 0; ``carrying_rate`` 持有成本率 in [0, 1] per year — interest,
    storage, shrinkage and obsolescence as a share of the stock's value (假设, often 20–30 %).
    """
    c = require_nonnegative(annual_cogs, "年销货成本", "annual_cogs")
    h = require_fraction(carrying_rate, "持有成本率", "carrying_rate")
    before = inventory_capital(c, days_before, days_per_year)
    after = inventory_capital(c, days_after, days_per_year)
    return InventorySaving(
        annual_cogs=c, days_before=float(days_before), days_after=float(days_after), carrying_rate=h,
        capital_before=before, capital_after=after,
    )


#: Assumed planning parameters (假设 / 模拟数据) before and after daily data sharing.
SHARING_DEFAULTS: dict[str, float] = {
    "annual_cogs": 10_000_000_000.0,
    "review_days_before": 14.0,
    "review_days_after": 1.0,
    "lead_time_before": 10.0,
    "lead_time_after": 5.0,
    "demand_cv_before": 0.8,
    "demand_cv_after": 0.4,
    "service_z": 1.65,
    "carrying_rate": 0.25,
}


def sharing_effect(
    annual_cogs: float = SHARING_DEFAULTS["annual_cogs"],
    *,
    review_days_before: float = SHARING_DEFAULTS["review_days_before"],
    review_days_after: float = SHARING_DEFAULTS["review_days_after"],
    lead_time_before: float = SHARING_DEFAULTS["lead_time_before"],
    lead_time_after: float = SHARING_DEFAULTS["lead_time_after"],
    demand_cv_before: float = SHARING_DEFAULTS["demand_cv_before"],
    demand_cv_after: float = SHARING_DEFAULTS["demand_cv_after"],
    service_z: float = SHARING_DEFAULTS["service_z"],
    carrying_rate: float = SHARING_DEFAULTS["carrying_rate"],
) -> InventorySaving:
    """信息共享的库存效果 inventory days before and after sharing sales data, and what the cut saves.

    Days come from :func:`inventory_days` with the "before" and "after" parameters, the saving from
    :func:`inventory_savings`. All defaults are assumptions: 100 亿美元 of goods at cost a year flowing
    through the channel, ordering every 14 days on a 10-day lead time with noisy demand signals (cv 0.8)
    before; daily orders, a 5-day lead time and cv 0.4 after; carrying cost 25 % a year.
    """
    before = inventory_days(review_days_before, lead_time_before, demand_cv_before, service_z)
    after = inventory_days(review_days_after, lead_time_after, demand_cv_after, service_z)
    return inventory_savings(annual_cogs, before, after, carrying_rate)


@dataclass(frozen=True)
class GrossProfitChange:
    """毛利变化 gross profit before and after a cost cut and/or revenue growth (美元)."""

    revenue_before: float
    cogs_before: float
    revenue_after: float
    cogs_after: float

    @property
    def gross_profit_before(self) -> float:
        """原毛利 revenue − cost of goods, before."""
        return self.revenue_before - self.cogs_before

    @property
    def gross_profit_after(self) -> float:
        """新毛利 revenue − cost of goods, after."""
        return self.revenue_after - self.cogs_after

    @property
    def uplift(self) -> float:
        """毛利增幅 relative change of gross profit (0.11 = +11 %)."""
        return self.gross_profit_after / self.gross_profit_before - 1.0

    def __repr__(self) -> str:
        return (f"GrossProfitChange(毛利 {self.gross_profit_before / 1e8:,.2f} → "
                f"{self.gross_profit_after / 1e8:,.2f} 亿美元, 增幅={self.uplift:+.1%})")


def gross_profit_change(
    revenue: float, gross_margin: float, cost_reduction: float = 0.0, revenue_growth: float = 0.0
) -> GrossProfitChange:
    """毛利变化 gross profit when unit cost falls by ``cost_reduction`` and sales grow by ``revenue_growth``.

    Before: revenue R, cost of goods ``C = R × (1 − gross_margin)``. After: ``R' = R (1 + g)`` and
    ``C' = C (1 + g)(1 − s)`` (volume grows, unit cost falls). ``revenue`` > 0 美元; ``gross_margin`` 毛利率
    in (0, 1]; ``cost_reduction`` s in [0, 1]; ``revenue_growth`` g ≥ 0 (fractions).
    """
    r = require_positive(revenue, "营业收入", "revenue")
    gm = require_fraction(gross_margin, "毛利率", "gross_margin", closed_low=False)
    s = require_fraction(cost_reduction, "成本降幅", "cost_reduction")
    g = require_nonnegative(revenue_growth, "收入增长率", "revenue_growth")
    cogs = r * (1.0 - gm)
    return GrossProfitChange(
        revenue_before=r, cogs_before=cogs, revenue_after=r * (1.0 + g), cogs_after=cogs * (1.0 + g) * (1.0 - s)
    )


def cost_cut_for_gross_profit_uplift(uplift: float, gross_margin: float) -> float:
    """所需成本降幅 the cut in cost of goods (flat revenue) that raises gross profit by ``uplift``.

    Gross profit rises by ``s × C``, so ``uplift = s (1 − gm) / gm`` and ``s = uplift × gm / (1 − gm)``.
    With a 30 % gross margin, +11 % gross profit needs a cost cut of only about 4.7 %.
    ``uplift`` ≥ 0 and ``gross_margin`` in (0, 1) as fractions. Returns a fraction in [0, 1].
    """
    u = require_nonnegative(uplift, "毛利增幅", "uplift")
    gm = require_fraction(gross_margin, "毛利率", "gross_margin", closed_low=False, closed_high=False)
    s = u * gm / (1.0 - gm)
    if s > 1.0:
        raise InputError(
            f"毛利增幅 uplift 过大：毛利率 {gm:.0%} 时需要把成本削减 {s:.0%} (> 100%)，无法做到；收到 {uplift!r}"
        )
    return s
