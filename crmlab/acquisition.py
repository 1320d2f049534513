"""客户的开发 acquiring customers (chapter 4): the sales funnel, promotion economics and acquisition payback.

* :func:`funnel` — 销售漏斗: counts at each stage (潜在客户 → 目标客户 → 初次购买客户, or any number of stages)
  with stage-to-stage and overall conversion; :func:`funnel_sensitivity` — which stage's conversion rate, raised by
  one percentage point, adds the most buyers (where to invest);
* :func:`promotion_economics` — 促销的经济账: incremental margin from extra sales against the margin given up on
  sales that would have happened anyway, the net effect and the break-even uplift;
* :func:`acquisition_payback` — 获客成本回收期: months until a new customer's expected (discounted) margin repays
  the acquisition cost, first-year margin against the cost, and the lifetime value to cost ratio.

Money in 元 (or any one currency), rates as fractions (0.05 = 5 %).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError, require_fraction, require_int, require_nonnegative, require_positive

__all__ = [
    "DEFAULT_STAGES",
    "AcquisitionPayback",
    "PromotionResult",
    "acquisition_payback",
    "funnel",
    "funnel_sensitivity",
    "promotion_economics",
]

DEFAULT_STAGES = ("潜在客户", "目标客户", "初次购买客户")
"""The book's three stages of a new customer: prospect, target customer, first-time buyer."""


def _stage_names(stages: Sequence[str] | None, k: int) -> list[str]:
    if stages is None:
        return list(DEFAULT_STAGES) if k == len(DEFAULT_STAGES) else [f"阶段 {i + 1}" for i in range(k)]
    names = [str(s) for s in stages]
    if len(names) != k:
        raise InputError(f"阶段名称 stages 的个数 ({len(names)}) 必须等于阶段数 ({k})")
    if len(set(names)) != k:
        raise InputError(f"阶段名称 stages 不能重复，收到 {names}")
    return names


def _rates(conversion_rates: object) -> list[float]:
    if isinstance(conversion_rates, (str, bytes)) or not isinstance(conversion_rates, Sequence):
        raise InputError(f"转化率 conversion_rates 必须是 0–1 之间的数字列表，收到 {conversion_rates!r}")
    if not conversion_rates:
        raise InputError("转化率 conversion_rates 不能为空 (empty)")
    return [require_fraction(r, f"第 {i + 1} 段转化率", "conversion_rate") for i, r in enumerate(conversion_rates)]


def funnel(stage_counts: Mapping[str, float] | Sequence[float] | None = None, *, entrants: object | None = None,
           conversion_rates: Sequence[float] | None = None, stages: Sequence[str] | None = None) -> pd.DataFrame:
    """销售漏斗 sales funnel: customers at each stage and the conversion between stages.

    Give either ``stage_counts`` (a dict ``{stage: count}`` in funnel order, or a list of counts; each stage at
    most the previous one) or ``entrants`` (customers entering the first stage) with ``conversion_rates`` (one
    rate per step, 0–1). Three stages are named 潜在客户/目标客户/初次购买客户 unless ``stages`` says otherwise.

    Returns one row per stage: ``count``, ``stage_conversion`` (count ÷ previous stage; 1 for the first stage),
    ``overall_conversion`` (count ÷ first stage) and ``drop_off`` (customers lost since the previous stage).
    """
    if (stage_counts is None) == (entrants is None and conversion_rates is None):
        raise InputError("请给出 stage_counts，或者 entrants 与 conversion_rates，二者选一 "
                         "(give counts or entrants + rates)")
    if stage_counts is not None:
        if isinstance(stage_counts, Mapping):
            names = [str(s) for s in stage_counts]
            raw = list(stage_counts.values())
            if stages is not None:
                raise InputError("stage_counts 为字典时阶段名称已给出，不要再传 stages")
        elif isinstance(stage_counts, Sequence) and not isinstance(stage_counts, (str, bytes)):
            raw = list(stage_counts)
            names = _stage_names(stages, len(raw))
        else:
            raise InputError(f"各阶段人数 stage_counts 必须是字典或数字列表，收到 {stage_counts!r}")
        if len(raw) < 2:
            raise InputError(f"漏斗至少要有两个阶段 (at least two stages)，收到 {len(raw)} 个")
        counts = [require_nonnegative(c, f"阶段 {names[i]} 的人数", "count") for i, c in enumerate(raw)]
        for i in range(1, len(counts)):
            if counts[i] > counts[i - 1]:
                raise InputError(f"阶段 {names[i]} 的人数 ({counts[i]:g}) 不能多于上一阶段 {names[i - 1]} "
                                 f"({counts[i - 1]:g})：漏斗只会逐级变窄")
    else:
        if entrants is None or conversion_rates is None:
            raise InputError("entrants 与 conversion_rates 必须同时给出 (both are needed)")
        first = require_nonnegative(entrants, "进入漏斗的人数", "entrants")
        rates = _rates(conversion_rates)
        names = _stage_names(stages, len(rates) + 1)
        counts = [first]
        for r in rates:
            counts.append(counts[-1] * r)
    if counts[0] <= 0:
        raise InputError(f"第一阶段 {names[0]} 的人数必须大于 0，收到 {counts[0]:g}")
    c = np.asarray(counts, dtype=float)
    previous = np.concatenate([[c[0]], c[:-1]])
    stage_conversion = np.divide(c, previous, out=np.zeros_like(c), where=previous > 0)
    return pd.DataFrame({
        "count": c,
        "stage_conversion": stage_conversion,
        "overall_conversion": c / c[0],
        "drop_off": previous - c,
    }, index=pd.Index(names, name="stage"))


def funnel_sensitivity(entrants: object, conversion_rates: Sequence[float], stages: Sequence[str] | None = None,
                       step: object = 0.01, margin_per_buyer: object | None = None) -> pd.DataFrame:
    """漏斗敏感性 which conversion step, raised by ``step`` (default one percentage point, capped at 100 %), adds
    the most buyers at the bottom of the funnel.

    One row per step (``from → to``): ``rate``, ``new_rate``, ``buyers`` (bottom-stage customers now),
    ``new_buyers`` and ``extra_buyers``; with ``margin_per_buyer`` (元) also ``extra_margin``; ``rank`` 1 = the best
    place to invest. Because buyers = entrants × Π rates, +1 point on a step adds buyers × 0.01 ÷ rate: the weakest
    step gains most.
    """
    first = require_nonnegative(entrants, "进入漏斗的人数", "entrants")
    rates = _rates(conversion_rates)
    names = _stage_names(stages, len(rates) + 1)
    d = require_fraction(step, "提升幅度", "step", closed_low=False)
    margin = None if margin_per_buyer is None else require_nonnegative(margin_per_buyer, "每位新客户的毛利",
                                                                          "margin_per_buyer")
    buyers = first * math.prod(rates)
    rows = []
    for i, r in enumerate(rates):
        new = min(1.0, r + d)
        new_buyers = first * math.prod(rates[:i]) * new * math.prod(rates[i + 1:])
        row = {"step": f"{names[i]} → {names[i + 1]}", "rate": r, "new_rate": new, "buyers": buyers,
               "new_buyers": new_buyers, "extra_buyers": new_buyers - buyers}
        if margin is not None:
            row["extra_margin"] = (new_buyers - buyers) * margin
        rows.append(row)
    table = pd.DataFrame(rows).set_index("step")
    table["rank"] = table["extra_buyers"].rank(ascending=False, method="min").astype(int)
    return table


@dataclass(frozen=True)
class PromotionResult:
    """促销经济账 the economics of a price promotion (money in 元, quantities in units).

    ``incremental_margin`` — margin earned on the extra units at the promotional price; ``subsidy_cost`` — margin
    given up on baseline units that would have sold anyway but were bought at the discount; ``net_effect`` =
    incremental margin − subsidy − fixed cost; ``breakeven_uplift`` — extra units needed for a net effect of 0
    (``math.inf`` when the promotional price does not cover the unit cost, so no uplift can pay); and
    ``breakeven_uplift_share`` the same as a share of the baseline (``math.inf`` if the baseline is 0 and the
    promotion has a cost).
    """

    baseline_units: float
    uplift_units: float
    price: float
    unit_cost: float
    discount_per_unit: float
    promo_price: float
    unit_margin: float
    promo_unit_margin: float
    redemption: float
    incremental_margin: float
    subsidy_cost: float
    fixed_cost: float
    net_effect: float
    breakeven_uplift: float
    breakeven_uplift_share: float

    def table(self) -> pd.Series:
        """The result as a labelled Series (Chinese labels) for display."""
        return pd.Series({
            "原价（元/件）": self.price, "单位成本（元/件）": self.unit_cost, "每件让利（元）": self.discount_per_unit,
            "促销价（元/件）": self.promo_price, "原单位毛利（元）": self.unit_margin,
            "促销单位毛利（元）": self.promo_unit_margin, "基线销量（件）": self.baseline_units,
            "新增销量（件）": self.uplift_units, "新增销量带来的毛利（元）": self.incremental_margin,
            "补贴给原有销量的毛利（元）": self.subsidy_cost, "固定费用（元）": self.fixed_cost,
            "净效果（元）": self.net_effect, "盈亏平衡所需新增销量（件）": self.breakeven_uplift,
            "盈亏平衡所需增幅（占基线）": self.breakeven_uplift_share,
        }, name="促销经济账")

    def __repr__(self) -> str:
        return (f"PromotionResult(新增毛利 {self.incremental_margin:,.0f} 元 − 补贴 {self.subsidy_cost:,.0f} 元 − "
                f"固定费用 {self.fixed_cost:,.0f} 元 = 净效果 {self.net_effect:,.0f} 元；"
                f"盈亏平衡需新增 {self.breakeven_uplift:,.0f} 件)")


def promotion_economics(baseline_units: object, uplift_units: object, price: object, unit_cost: object, *,
                        discount_rate: object = 0.0, coupon_value: object = 0.0, redemption: object = 1.0,
                        fixed_cost: object = 0.0) -> PromotionResult:
    """促销的经济账 does a price promotion pay?

    ``baseline_units`` would have sold in the period anyway at ``price``; the promotion adds ``uplift_units``.
    The customer saves ``price × discount_rate + coupon_value`` per unit. The extra units all use the offer (it is
    what brought them); of the baseline units only the share ``redemption`` (0–1, e.g. coupon redemption rate) do.
    ``fixed_cost`` covers advertising, printing, shelf fees.

    incremental margin = uplift × (promo price − unit cost); subsidy = baseline × redemption × discount per unit;
    net effect = incremental margin − subsidy − fixed cost; break-even uplift = (subsidy + fixed cost) ÷
    (promo price − unit cost).
    """
    base = require_nonnegative(baseline_units, "基线销量", "baseline_units")
    up = require_nonnegative(uplift_units, "新增销量", "uplift_units")
    p = require_positive(price, "原价", "price")
    cost = require_nonnegative(unit_cost, "单位成本", "unit_cost")
    rate = require_fraction(discount_rate, "折扣率", "discount_rate", closed_high=False)
    coupon = require_nonnegative(coupon_value, "优惠券面值", "coupon_value")
    red = require_fraction(redemption, "使用率", "redemption")
    fixed = require_nonnegative(fixed_cost, "固定费用", "fixed_cost")
    discount = p * rate + coupon
    if discount > p:
        raise InputError(f"每件让利 discount ({discount:g} 元) 不能超过原价 price ({p:g} 元)")
    promo_price = p - discount
    promo_margin = promo_price - cost
    incremental = up * promo_margin
    subsidy = base * red * discount
    net = incremental - subsidy - fixed
    burden = subsidy + fixed
    if burden == 0:
        breakeven = 0.0
    elif promo_margin <= 0:
        breakeven = math.inf
    else:
        breakeven = burden / promo_margin
    if breakeven == 0:
        share = 0.0
    else:
        share = breakeven / base if base > 0 else math.inf
    return PromotionResult(base, up, p, cost, discount, promo_price, p - cost, promo_margin, red, incremental,
                           subsidy, fixed, net, breakeven, share)


@dataclass(frozen=True)
class AcquisitionPayback:
    """获客回收 the payback of acquiring one customer (money in 元, time in months).

    ``payback_month`` — the first month in which the cumulative expected (discounted) margin reaches the acquisition
    cost, or ``None`` if it never does (within ``horizon_months`` or ever); ``first_year_margin`` — expected
    discounted margin of months 1–12; ``first_year_roi`` = (first-year margin − cost) ÷ cost; ``lifetime_value`` —
    expected discounted margin over an unlimited horizon, m ÷ (1 + i − r) with i the monthly discount rate;
    ``ltv_to_cac`` = lifetime value ÷ cost; ``schedule`` — month by month: ``survival`` (chance the customer is
    still active), ``expected_margin``, ``discounted_margin``, ``cumulative`` and ``net_position`` (cumulative − cost).
    """

    acquisition_cost: float
    monthly_margin: float
    monthly_retention: float
    monthly_discount: float
    payback_month: int | None
    first_year_margin: float
    first_year_roi: float
    lifetime_value: float
    ltv_to_cac: float
    schedule: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        back = f"第 {self.payback_month} 个月收回" if self.payback_month is not None else "收不回获客成本"
        return (f"AcquisitionPayback(获客成本 {self.acquisition_cost:,.0f} 元，{back}；首年毛利 "
                f"{self.first_year_margin:,.0f} 元；终生价值/获客成本 = {self.ltv_to_cac:.2f})")


def acquisition_payback(acquisition_cost: object, monthly_margin: object, monthly_retention: object = 1.0,
                        discount: object = 0.0, *, horizon_months: int = 120) -> AcquisitionPayback:
    """获客成本回收期 how many months a new customer needs to repay the cost of acquiring them (CAC payback).

    ``acquisition_cost`` (元, > 0) is spent at month 0. The customer yields ``monthly_margin`` (元) in month 1 and
    in every later month while still active; each month a share ``monthly_retention`` (0–1) of active customers
    stays, so month t is reached with probability r^(t−1). ``discount`` is an annual discount rate, applied
    monthly as i = (1 + discount)^(1/12) − 1; month t is discounted by (1 + i)^t. With r = 1 and no discount the
    payback is simply ⌈cost ÷ margin⌉ months.
    """
    cac = require_positive(acquisition_cost, "获客成本", "acquisition_cost")
    m = require_positive(monthly_margin, "月毛利", "monthly_margin")
    r = require_fraction(monthly_retention, "月保留率", "monthly_retention")
    d = require_nonnegative(discount, "年折现率", "discount")
    horizon = require_int(horizon_months, "计算月数", "horizon_months", minimum=12)
    i = (1.0 + d) ** (1.0 / 12.0) - 1.0
    t = np.arange(1, horizon + 1)
    survival = r ** (t - 1.0)
    expected = m * survival
    discounted = expected / (1.0 + i) ** t
    cumulative = np.cumsum(discounted)
    schedule = pd.DataFrame({"survival": survival, "expected_margin": expected, "discounted_margin": discounted,
                             "cumulative": cumulative, "net_position": cumulative - cac},
                            index=pd.Index(t, name="month"))
    reached = np.flatnonzero(cumulative >= cac * (1 - 1e-12))
    payback = int(t[reached[0]]) if reached.size else None
    lifetime = math.inf if (r == 1.0 and i == 0.0) else m / (1.0 + i - r)
    first_year = float(cumulative[11])
    return AcquisitionPayback(cac, m, r, i, payback, first_year, (first_year - cac) / cac, lifetime,
                              lifetime / cac, schedule)
