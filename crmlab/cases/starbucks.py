"""星巴克的客户关系: spending on partners (员工) instead of advertising.

The figures the book states are kept in :data:`STARBUCKS_FACTS`. Two groups of functions:

* arithmetic on the book's figures — :func:`implied_revenue`, :func:`spend_share`,
  :func:`compound_growth`, :func:`implied_annual_growth`;
* a budget-split model — a yearly marketing budget is divided between advertising (广告, which
  acquires new customers) and partners (员工福利与培训, which raise the retention of regular customers).
  :func:`partner_retention` is the assumed response of retention to partner spending,
  :func:`strategy_value` the value of the customer base for one split, :func:`optimal_ad_share` the best split.

Every parameter of the budget-split model except the budget is an **assumption (假设)**; defaults are
illustrative (模拟数据). Money is in US dollars (美元), time in years.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from ..errors import InputError, require_finite, require_fraction, require_int, require_nonnegative, require_positive
from ..value import clv_closed_form, clv_finite_horizon, expected_lifetime

__all__ = [
    "AD_DRIVEN_SHARE",
    "DEFAULT_MODEL",
    "PARTNER_DRIVEN_SHARE",
    "STARBUCKS_FACTS",
    "StarbucksFacts",
    "StrategyValue",
    "annuity_factor",
    "compound_growth",
    "implied_annual_growth",
    "implied_revenue",
    "optimal_ad_share",
    "partner_retention",
    "spend_share",
    "strategy_table",
    "strategy_value",
]


@dataclass(frozen=True)
class StarbucksFacts:
    """案例事实 the figures stated in the book (第1章案例分析「星巴克的客户关系」and the coffee-price example)."""

    ad_spend: float = 30_000_000.0          # 每年广告支出约 3000 万美元
    ad_share_of_revenue: float = 0.01       # 约为营业收入的 1%
    peer_ad_spend: float = 300_000_000.0    # 规模相近的消费品公司一年约 3 亿美元广告费
    listing_year: int = 1992                # 1992 年在纳斯达克上市
    sales_growth: float = 0.20              # 1992 年上市后年销售增速在 20% 以上
    stock_gain_10y: float = 22.0            # 过去 10 年股价上涨 2200%
    brand_value_growth: float = 0.12        # 品牌价值比上年增长 12%
    cup_price: float = 3.0                  # 星巴克一杯咖啡 3 美元
    small_shop_cup_price: float = 0.5       # 小咖啡店一杯 0.5 美元
    health_insurance_year: int = 1988       # 兼职员工也享有完整医疗保险（率先这样做）
    bean_stock_year: int = 1991             # 兼职员工也可获得股票期权（"豆股票" bean stock）

    @property
    def cup_price_ratio(self) -> float:
        """价格倍数 Starbucks' cup price over the small shop's (3 / 0.5 = 6)."""
        return self.cup_price / self.small_shop_cup_price


STARBUCKS_FACTS = StarbucksFacts()


def implied_revenue(ad_spend: float, ad_share_of_revenue: float) -> float:
    """隐含营业收入 the revenue implied by an ad budget and its share of revenue, ``ad_spend / share``.

    Book: 3000 万美元 at about 1 % of revenue → revenue ≈ 30 亿美元. ``ad_spend`` ≥ 0 (any currency);
    ``ad_share_of_revenue`` a fraction in (0, 1]. Returns revenue in the currency of ``ad_spend``.
    """
    spend = require_nonnegative(ad_spend, "广告支出", "ad_spend")
    share = require_fraction(ad_share_of_revenue, "广告占收入比例", "ad_share_of_revenue", closed_low=False)
    return spend / share


def spend_share(spend: float, revenue: float) -> float:
    """费用占收入比例 ``spend / revenue`` as a fraction (e.g. peers' 3 亿 over 30 亿 = 10 %).

    ``spend`` ≥ 0 and ``revenue`` > 0 in the same currency.
    """
    s = require_nonnegative(spend, "费用", "spend")
    rev = require_positive(revenue, "营业收入", "revenue")
    return s / rev


def compound_growth(rate: float, years: float) -> float:
    """复合增长倍数 how many times a quantity grows at ``rate`` a year for ``years`` years, ``(1 + rate)^years``.

    ``rate`` a fraction > −1 (0.20 = 20 % a year); ``years`` ≥ 0. 20 % for 10 years ≈ 6.19 times.
    """
    g = require_finite(rate, "年增长率", "rate")
    if g <= -1:
        raise InputError(f"年增长率 rate 必须大于 −1 (> −100%)，收到 {rate!r}")
    n = require_nonnegative(years, "年数", "years")
    return (1.0 + g) ** n


def implied_annual_growth(total_gain: float, years: float) -> float:
    """隐含年均增长率 the yearly rate that compounds to ``total_gain`` in ``years`` years.

    ``total_gain`` is the total rise as a fraction (22.0 = +2200 %, i.e. 23 times), > −1; ``years`` > 0.
    Book: the share price rose 2200 % in 10 years → about 36.8 % a year.
    """
    gain = require_finite(total_gain, "累计涨幅", "total_gain")
    if gain <= -1:
        raise InputError(f"累计涨幅 total_gain 必须大于 −1 (> −100%)，收到 {total_gain!r}")
    n = require_positive(years, "年数", "years")
    return (1.0 + gain) ** (1.0 / n) - 1.0


def annuity_factor(discount: float, years: int) -> float:
    """年金系数 the present value of 1 a year paid at the end of years 1 … ``years``.

    Computed as the CLV of a customer who never leaves (retention 1, margin 1) with
    :func:`crmlab.value.clv_finite_horizon`. ``discount`` ≥ 0 per year; ``years`` whole number ≥ 1.
    """
    return clv_finite_horizon(1.0, 1.0, discount, years)


# --- 广告 vs 员工：预算分配模型 -----------------------------------------------------------------

#: Assumptions of the budget-split model (假设 / 模拟数据). ``budget`` is the book's peer ad spend (3 亿美元);
#: 10 million regular customers is illustrative: with revenue ≈ 30 亿美元 that is 300 美元 a customer a year
#: (100 cups at 3 美元), and a 20 % contribution margin gives the default ``margin`` of 60 美元.
DEFAULT_MODEL: dict[str, float] = {
    "budget": STARBUCKS_FACTS.peer_ad_spend,
    "customers": 10_000_000.0,
    "margin": 60.0,
    "cost_per_acquisition": 150.0,
    "referral_rate": 0.05,
    "base_retention": 0.50,
    "max_retention": 0.85,
    "half_effect_spend": 10.0,
    "discount": 0.10,
    "years": 10,
}

#: 广告驱动 the whole budget on advertising, as consumer-goods peers do.
AD_DRIVEN_SHARE = 1.0
#: 员工驱动 Starbucks' mix: 3000 万美元 of ads within a 3 亿美元 budget (derived from the book: 10 %).
PARTNER_DRIVEN_SHARE = STARBUCKS_FACTS.ad_spend / STARBUCKS_FACTS.peer_ad_spend


def partner_retention(
    partner_spend_per_customer: float,
    base_retention: float = DEFAULT_MODEL["base_retention"],
    max_retention: float = DEFAULT_MODEL["max_retention"],
    half_effect_spend: float = DEFAULT_MODEL["half_effect_spend"],
) -> float:
    """员工投入对保留率的影响 yearly retention of regular customers given partner spending per customer.

    An assumed saturating response (假设, not from the book)::

        r(x) = r_base + (r_max − r_base) · x / (x + h)

    ``partner_spend_per_customer`` x ≥ 0 美元 per customer per year; ``base_retention`` r_base and
    ``max_retention`` r_max fractions in [0, 1] with r_base ≤ r_max; ``half_effect_spend`` h > 0 美元 — the
    spend that buys half of the possible rise. Returns a fraction in [r_base, r_max).
    """
    x = require_nonnegative(partner_spend_per_customer, "每位客户的员工投入", "partner_spend_per_customer")
    r0, r1 = _check_retention_range(base_retention, max_retention)
    h = require_positive(half_effect_spend, "半效投入", "half_effect_spend")
    return r0 + (r1 - r0) * x / (x + h)


def _check_retention_range(base_retention: float, max_retention: float) -> tuple[float, float]:
    r0 = require_fraction(base_retention, "基础保留率", "base_retention")
    r1 = require_fraction(max_retention, "最高保留率", "max_retention")
    if r1 < r0:
        raise InputError(
            f"最高保留率 max_retention 不能低于基础保留率 base_retention，收到 max_retention={max_retention!r}, "
            f"base_retention={base_retention!r}"
        )
    return r0, r1


@dataclass(frozen=True)
class StrategyValue:
    """一种预算分配下的客户资产 value of the customer base for one split of the budget (美元, years).

    The budget is the same for every split, so splits are compared by :attr:`customer_equity` alone.
    """

    ad_share: float
    ad_spend: float
    partner_spend: float
    partner_spend_per_customer: float
    retention: float
    expected_lifetime_years: float
    clv: float
    new_customers_per_year: float
    existing_base_value: float
    new_customers_value: float
    steady_state_customers: float

    @property
    def customer_equity(self) -> float:
        """客户资产 value of today's customers plus those acquired over the horizon (美元)."""
        return self.existing_base_value + self.new_customers_value

    def __repr__(self) -> str:
        return (f"StrategyValue(广告占比={self.ad_share:.0%}, 保留率={self.retention:.1%}, "
                f"CLV={self.clv:,.1f} 美元, 每年新客户={self.new_customers_per_year:,.0f}, "
                f"客户资产={self.customer_equity / 1e8:,.2f} 亿美元)")

    def as_row(self) -> dict[str, float]:
        """表格行 the fields and the customer equity as a flat dict (one table row)."""
        row = {k: getattr(self, k) for k in self.__dataclass_fields__}
        row["customer_equity"] = self.customer_equity
        return row


def strategy_value(
    ad_share: float,
    *,
    budget: float = DEFAULT_MODEL["budget"],
    customers: float = DEFAULT_MODEL["customers"],
    margin: float = DEFAULT_MODEL["margin"],
    cost_per_acquisition: float = DEFAULT_MODEL["cost_per_acquisition"],
    referral_rate: float = DEFAULT_MODEL["referral_rate"],
    base_retention: float = DEFAULT_MODEL["base_retention"],
    max_retention: float = DEFAULT_MODEL["max_retention"],
    half_effect_spend: float = DEFAULT_MODEL["half_effect_spend"],
    discount: float = DEFAULT_MODEL["discount"],
    years: int = int(DEFAULT_MODEL["years"]),
) -> StrategyValue:
    """客户资产（预算分配）value of the customer base when ``ad_share`` of the yearly budget goes to ads.

    * advertising ``A = ad_share × budget`` brings ``A / cost_per_acquisition`` new customers a year;
    * partners get the rest, ``P = budget − A``; retention ``r = partner_retention(P / customers)``;
    * each retained regular brings ``referral_rate`` new customers a year by word of mouth
      (``referral_rate × r × customers``, assumed, 口碑);
    * ``CLV = clv_closed_form(margin, r, discount)``; customer equity = ``customers × CLV`` +
      new customers a year × CLV × :func:`annuity_factor` over ``years``.

    Units: ``budget`` 美元 per year (≥ 0, default the book's 3 亿); ``customers`` today's regular customers (> 0);
    ``margin`` 美元 per customer per year; ``cost_per_acquisition`` 美元 (> 0); ``referral_rate`` ≥ 0 per year;
    ``discount`` ≥ 0 per year; ``years`` whole number ≥ 1. All defaults except the budget are assumptions.
    """
    a = require_fraction(ad_share, "广告占比", "ad_share")
    b = require_nonnegative(budget, "年度预算", "budget")
    n = require_positive(customers, "现有客户数", "customers")
    m = require_finite(margin, "每位客户年毛利", "margin")
    cpa = require_positive(cost_per_acquisition, "获客成本", "cost_per_acquisition")
    rho = require_nonnegative(referral_rate, "口碑推荐率", "referral_rate")
    d = require_nonnegative(discount, "折现率", "discount")
    t = require_int(years, "年数", "years", minimum=1)
    ad = a * b
    partner = b - ad
    r = partner_retention(partner / n, base_retention, max_retention, half_effect_spend)
    clv = clv_closed_form(m, r, d)
    new_per_year = ad / cpa + rho * r * n
    annuity = annuity_factor(d, t)
    return StrategyValue(
        ad_share=a, ad_spend=ad, partner_spend=partner, partner_spend_per_customer=partner / n,
        retention=r, expected_lifetime_years=expected_lifetime(r) if r < 1 else math.inf, clv=clv,
        new_customers_per_year=new_per_year, existing_base_value=n * clv,
        new_customers_value=new_per_year * clv * annuity,
        steady_state_customers=new_per_year / (1.0 - r) if r < 1 else math.inf,
    )


def strategy_table(ad_shares: Iterable[float], **model: float) -> pd.DataFrame:
    """策略对比表 one row of :class:`StrategyValue` per ad share, indexed by ``ad_share``.

    ``ad_shares`` fractions in [0, 1]; ``model`` takes the keyword arguments of :func:`strategy_value`.
    """
    shares = list(ad_shares)
    if not shares:
        raise InputError("广告占比列表 ad_shares 不能为空 (empty)，收到 []")
    rows = [strategy_value(s, **model).as_row() for s in shares]
    return pd.DataFrame(rows).set_index("ad_share")


def optimal_ad_share(**model: float) -> StrategyValue:
    """最优广告占比 the split in [0, 1] that maximises customer equity (the budget is the same for every split).

    A grid of 1001 shares finds the best region, then a bounded scalar search refines it.
    ``model`` takes the keyword arguments of :func:`strategy_value`.
    """
    strategy_value(0.0, **model)  # validate once

    def equity(a: float) -> float:
        return strategy_value(a, **model).customer_equity

    grid = np.linspace(0.0, 1.0, 1001)
    values = np.array([equity(a) for a in grid])
    i = int(np.argmax(values))
    best = float(grid[i])
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = minimize_scalar(lambda a: -equity(a), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    if res.success and -res.fun >= values[i]:
        best = float(res.x)
    return strategy_value(best, **model)
