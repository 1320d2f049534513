"""出租车司机的客户关系管理 (周春明): a private driver for a group of regular clients vs street hailing.

The figures the book states are kept in :data:`TAXI_FACTS`. Around them this module builds a small
model whose other parameters are **assumptions (假设)** a student can change:

* :func:`driver_economics` / :func:`compare_drivers` — business per month and per working hour;
* :func:`long_trip` / :func:`break_even_empty_return_rate` — one long trip with the return leg,
  the trade's +50 % surcharge against 周春明's +17 %;
* :func:`retention_at_premium` — 保留率 as a function of the premium (an assumed response curve);
* :func:`regular_client_value` — CLV of one regular client (uses :mod:`crmlab.value`);
* :func:`optimal_premium` — the premium that maximises the lifetime profit of the client base;
* :func:`fleet_capacity` / :func:`cars_needed` — the hours limit of one car and of a fleet.

Money is in 元 as the book writes it (the story is set around 新竹 and 台中, so the currency of the
original is presumably the New Taiwan dollar; the model does not depend on it). Time is in months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from ..errors import InputError, require_fraction, require_int, require_nonnegative, require_positive
from ..value import clv_closed_form, clv_finite_horizon, expected_lifetime, margin_multiple

__all__ = [
    "DEFAULT_DAYS_PER_MONTH",
    "DEFAULT_MODEL",
    "HOURS_PER_CLIENT_MONTH",
    "TAXI_FACTS",
    "DriverComparison",
    "DriverEconomics",
    "LongTrip",
    "PremiumOptimum",
    "RegularClientValue",
    "TaxiFacts",
    "book_driver_comparison",
    "break_even_empty_return_rate",
    "cars_needed",
    "client_base_value",
    "compare_drivers",
    "driver_economics",
    "fleet_capacity",
    "implied_cost_ratio",
    "long_trip",
    "optimal_premium",
    "regular_client_value",
    "retention_at_premium",
]


@dataclass(frozen=True)
class TaxiFacts:
    """案例事实 the figures stated in the book's case (第1章「出租车司机的客户关系管理」).

    Where the book says "at least", "more than" or "about", the number here is that bound or estimate.
    """

    typical_hours_per_day: float = 12.0          # 一般个人出租车每天至少开 12 小时
    typical_monthly_business: float = 60_000.0   # 一个月平均做 6 万元的生意
    zhou_hours_per_day: tuple[float, float] = (8.0, 10.0)   # 周春明每天工作 8 到 10 小时
    zhou_monthly_business: float = 120_000.0     # 去年每月超过 12 万元的生意
    zhou_annual_earnings: float = 850_000.0      # 全年约赚进 85 万元
    regular_clients: int = 200                   # 熟客名单两百多位（教授和中小企业老板）
    booking_lead_days: int = 7                   # 最晚必须一星期前预订
    trade_long_trip_markup: float = 0.50         # 同业长途计价比跳表高 50%
    zhou_long_trip_markup: float = 0.17          # 周春明只加价 17%
    partner_cars: tuple[int, int] = (7, 8)       # 现在要七八辆合作的出租车才跑得完
    car_age_years: float = 3.5                   # 车龄三年半的福特
    breakthrough_year: int = 4                   # 开车第四年打开长途商务客源

    @property
    def zhou_hours_mid(self) -> float:
        """周春明每天工时的中点 midpoint of 8–10 hours, in hours per day."""
        return sum(self.zhou_hours_per_day) / 2


TAXI_FACTS = TaxiFacts()

#: 每月出车天数 working days per month — an assumption (假设); the book gives hours per day only.
DEFAULT_DAYS_PER_MONTH = 26.0

#: 每位熟客每月占用的工时 hours one regular client takes per month — derived, not stated: if about 200
#: clients fill one car working 9 h × 26 days, each takes 9 × 26 / 200 ≈ 1.17 hours a month.
HOURS_PER_CLIENT_MONTH = TAXI_FACTS.zhou_hours_mid * DEFAULT_DAYS_PER_MONTH / TAXI_FACTS.regular_clients


# --- 营业额与工时 ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DriverEconomics:
    """司机经营数据 a driver's monthly business and hours (元, hours)."""

    label: str
    monthly_business: float
    hours_per_day: float
    days_per_month: float

    @property
    def hours_per_month(self) -> float:
        """每月工时 hours worked per month."""
        return self.hours_per_day * self.days_per_month

    @property
    def revenue_per_hour(self) -> float:
        """每小时营业额 business per working hour, 元/小时."""
        return self.monthly_business / self.hours_per_month

    @property
    def annual_business(self) -> float:
        """全年营业额 business per year (12 months), 元."""
        return 12.0 * self.monthly_business

    def __repr__(self) -> str:
        return (f"DriverEconomics({self.label}: 月营业额={self.monthly_business:,.0f} 元, "
                f"工时={self.hours_per_day:g} 小时/天 × {self.days_per_month:g} 天, "
                f"每小时营业额={self.revenue_per_hour:,.1f} 元)")


def driver_economics(
    monthly_business: float, hours_per_day: float, days_per_month: float = DEFAULT_DAYS_PER_MONTH, label: str = ""
) -> DriverEconomics:
    """司机经营数据 a driver's business per month and per working hour.

    ``monthly_business`` 月营业额 in 元 (≥ 0); ``hours_per_day`` 每天工时 in hours, (0, 24];
    ``days_per_month`` 每月出车天数 in days, (0, 31] (an assumption: the book gives hours per day only).
    """
    business = require_nonnegative(monthly_business, "月营业额", "monthly_business")
    hours = require_positive(hours_per_day, "每天工时", "hours_per_day")
    if hours > 24:
        raise InputError(f"每天工时 hours_per_day 不能超过 24 小时，收到 {hours_per_day!r}")
    days = require_positive(days_per_month, "每月出车天数", "days_per_month")
    if days > 31:
        raise InputError(f"每月出车天数 days_per_month 不能超过 31 天，收到 {days_per_month!r}")
    return DriverEconomics(label=str(label), monthly_business=business, hours_per_day=hours, days_per_month=days)


@dataclass(frozen=True)
class DriverComparison:
    """两位司机的对比 a regular-client driver against a street-hailing driver."""

    private: DriverEconomics
    street: DriverEconomics

    @property
    def business_ratio(self) -> float:
        """月营业额之比 monthly business of ``private`` / ``street`` (dimensionless)."""
        return self.private.monthly_business / self.street.monthly_business

    @property
    def hours_ratio(self) -> float:
        """月工时之比 monthly hours of ``private`` / ``street``."""
        return self.private.hours_per_month / self.street.hours_per_month

    @property
    def hourly_ratio(self) -> float:
        """每小时营业额之比 business per hour of ``private`` / ``street``."""
        return self.private.revenue_per_hour / self.street.revenue_per_hour

    def __repr__(self) -> str:
        return (f"DriverComparison(月营业额之比={self.business_ratio:.2f}, 工时之比={self.hours_ratio:.2f}, "
                f"每小时营业额之比={self.hourly_ratio:.2f})")


def compare_drivers(private: DriverEconomics, street: DriverEconomics) -> DriverComparison:
    """司机对比 compare two :class:`DriverEconomics`; ratios are ``private / street`` (street business > 0)."""
    for name, d in (("private", private), ("street", street)):
        if not isinstance(d, DriverEconomics):
            raise InputError(f"司机数据 {name} 必须是 DriverEconomics，收到 {type(d).__name__}")
    if street.monthly_business <= 0:
        raise InputError(f"对照司机的月营业额 street.monthly_business 必须大于 0，收到 {street.monthly_business!r}")
    return DriverComparison(private=private, street=street)


def book_driver_comparison(
    zhou_hours_per_day: float = TAXI_FACTS.zhou_hours_mid, days_per_month: float = DEFAULT_DAYS_PER_MONTH
) -> DriverComparison:
    """书中两位司机的对比 周春明 (about 12 万元 a month, 8–10 h a day) against a typical driver (6 万元, 12 h).

    ``zhou_hours_per_day`` in hours (the book says 8 to 10; default the midpoint 9);
    ``days_per_month`` is the same for both drivers, so it cancels out of every ratio.
    """
    f = TAXI_FACTS
    return compare_drivers(
        driver_economics(f.zhou_monthly_business, zhou_hours_per_day, days_per_month, label="周春明"),
        driver_economics(f.typical_monthly_business, f.typical_hours_per_day, days_per_month, label="一般司机"),
    )


def implied_cost_ratio(monthly_business: float, annual_earnings: float) -> float:
    """隐含成本率 the share of business that is not kept, ``1 − annual_earnings / (12 × monthly_business)``.

    An interpretation, not a book statement: if 周春明's "全年约赚进 85 万元" is what he keeps after costs,
    while he does more than 12 万元 of business a month, costs take about 1 − 85/144 ≈ 41 % of business.
    Both inputs in 元 (``monthly_business`` > 0, ``annual_earnings`` ≥ 0); the result is a fraction
    (negative if the earnings exceed the business).
    """
    business = require_positive(monthly_business, "月营业额", "monthly_business")
    earnings = require_nonnegative(annual_earnings, "年收入", "annual_earnings")
    return 1.0 - earnings / (12.0 * business)


# --- 长途载客与空车返程 ------------------------------------------------------------------------

@dataclass(frozen=True)
class LongTrip:
    """长途往返一趟 one long trip out and the drive back (元)."""

    meter_fare: float
    markup: float
    empty_return_rate: float
    cost_per_leg: float

    @property
    def outbound_revenue(self) -> float:
        """去程收入 the fare of the trip out, ``meter_fare × (1 + markup)``."""
        return self.meter_fare * (1.0 + self.markup)

    @property
    def expected_return_revenue(self) -> float:
        """回程期望收入 the expected fare of the way back, ``meter_fare × (1 − empty_return_rate)``."""
        return self.meter_fare * (1.0 - self.empty_return_rate)

    @property
    def revenue(self) -> float:
        """往返收入 expected revenue of the round trip."""
        return self.outbound_revenue + self.expected_return_revenue

    @property
    def revenue_per_leg(self) -> float:
        """每趟平均收入 revenue per leg driven (two legs per round trip)."""
        return self.revenue / 2.0

    @property
    def profit(self) -> float:
        """往返利润 revenue minus the cost of both legs."""
        return self.revenue - 2.0 * self.cost_per_leg

    def __repr__(self) -> str:
        return (f"LongTrip(加价={self.markup:.0%}, 空车返程率={self.empty_return_rate:.0%}, "
                f"往返收入={self.revenue:,.0f} 元, 往返利润={self.profit:,.0f} 元)")


def long_trip(
    meter_fare: float, markup: float, empty_return_rate: float, cost_per_leg: float = 0.0
) -> LongTrip:
    """长途往返 one long trip: the passenger pays ``meter_fare × (1 + markup)``; the way back carries a paying
    passenger at the plain meter fare with probability ``1 − empty_return_rate``.

    ``meter_fare`` 跳表车资 of one leg in 元 (≥ 0); ``markup`` 加价 as a fraction (0.5 = +50 %, ≥ 0);
    ``empty_return_rate`` 空车返程率 in [0, 1] (1 = always back empty, "跑两趟赚一趟钱");
    ``cost_per_leg`` 每趟成本 fuel, tolls and wear of one leg in 元 (≥ 0, an assumption).
    """
    return LongTrip(
        meter_fare=require_nonnegative(meter_fare, "跳表车资", "meter_fare"),
        markup=require_nonnegative(markup, "加价", "markup"),
        empty_return_rate=require_fraction(empty_return_rate, "空车返程率", "empty_return_rate"),
        cost_per_leg=require_nonnegative(cost_per_leg, "每趟成本", "cost_per_leg"),
    )


def break_even_empty_return_rate(
    markup: float,
    reference_markup: float = TAXI_FACTS.trade_long_trip_markup,
    reference_empty_return_rate: float = 1.0,
) -> float:
    """保本空车返程率 the empty-return rate at which a low ``markup`` earns as much per round trip as the trade.

    Equal revenue means ``(1 + m) + (1 − e) = (1 + M) + (1 − e_ref)``, so ``e = e_ref − (M − m)``.
    With the book's figures (m = 17 %, M = 50 %, the trade always back empty) e = 0.67: 周春明 earns at
    least as much per round trip as long as no more than two returns in three are empty.
    Inputs: markups as fractions (≥ 0), ``reference_empty_return_rate`` in [0, 1]. The result is a fraction;
    a value ≤ 0 means the low markup can never catch up, ≥ 1 that it is ahead even when always back empty.
    """
    m = require_nonnegative(markup, "加价", "markup")
    big_m = require_nonnegative(reference_markup, "同业加价", "reference_markup")
    e_ref = require_fraction(reference_empty_return_rate, "同业空车返程率", "reference_empty_return_rate")
    return e_ref - (big_m - m)


# --- 加价 → 保留率 → 熟客终生价值 -----------------------------------------------------------------

#: Default assumptions of the regular-client model (all 假设 except ``monthly_fare``, which is derived
#: from the book: 12 万元 a month over about 200 clients ≈ 600 元 per client per month).
DEFAULT_MODEL: dict[str, float] = {
    "monthly_fare": TAXI_FACTS.zhou_monthly_business / TAXI_FACTS.regular_clients,
    "cost_ratio": 0.35,
    "empty_ratio": 0.15,
    "base_retention": 0.98,
    "churn_doubling_premium": 0.40,
    "discount": 0.01,
}


def retention_at_premium(
    premium: float,
    base_retention: float = DEFAULT_MODEL["base_retention"],
    churn_doubling_premium: float = DEFAULT_MODEL["churn_doubling_premium"],
) -> float:
    """保留率对加价的反应 monthly retention of a regular client when charged ``premium`` above the meter.

    An assumed response curve (假设, not from the book): the monthly churn ``1 − r`` doubles every time the
    premium rises by ``churn_doubling_premium``::

        r(p) = max(0, 1 − (1 − r₀) · 2^(p / p₂))

    so ``r(0) = r₀`` and retention falls ever faster as the premium grows. ``premium`` p ≥ 0 as a fraction
    (0.17 = +17 %); ``base_retention`` r₀ in [0, 1] per month (default 0.98: a client stays 50 months on
    average); ``churn_doubling_premium`` p₂ > 0 (default 0.40). Returns a fraction in [0, 1].
    """
    p = require_nonnegative(premium, "加价", "premium")
    r0 = require_fraction(base_retention, "基础保留率", "base_retention")
    p2 = require_positive(churn_doubling_premium, "流失率翻倍的加价", "churn_doubling_premium")
    churn = (1.0 - r0) * 2.0 ** min(p / p2, 1024.0)
    return max(0.0, 1.0 - churn)


@dataclass(frozen=True)
class RegularClientValue:
    """熟客终生价值 the lifetime value of one regular client at a given premium (元, months)."""

    premium: float
    retention: float
    monthly_margin: float
    discount: float
    margin_multiple: float
    expected_lifetime_months: float
    clv: float

    def __repr__(self) -> str:
        return (f"RegularClientValue(加价={self.premium:.1%}, 月保留率={self.retention:.2%}, "
                f"每月毛利={self.monthly_margin:,.0f} 元, 预期寿命={self.expected_lifetime_months:,.1f} 个月, "
                f"CLV={self.clv:,.0f} 元)")


def _check_model(
    monthly_fare: float, cost_ratio: float, empty_ratio: float, discount: float
) -> tuple[float, float, float, float]:
    fare = require_nonnegative(monthly_fare, "每位熟客每月跳表车资", "monthly_fare")
    c = require_nonnegative(cost_ratio, "成本率", "cost_ratio")
    e = require_nonnegative(empty_ratio, "空驶比例", "empty_ratio")
    d = require_nonnegative(discount, "月折现率", "discount")
    return fare, c, e, d


def regular_client_value(
    premium: float,
    *,
    monthly_fare: float = DEFAULT_MODEL["monthly_fare"],
    cost_ratio: float = DEFAULT_MODEL["cost_ratio"],
    empty_ratio: float = DEFAULT_MODEL["empty_ratio"],
    base_retention: float = DEFAULT_MODEL["base_retention"],
    churn_doubling_premium: float = DEFAULT_MODEL["churn_doubling_premium"],
    discount: float = DEFAULT_MODEL["discount"],
    horizon_months: int | None = None,
) -> RegularClientValue:
    """熟客终生价值 CLV of one regular client charged ``premium`` above the meter, in 元.

    Monthly margin ``m(p) = F · (1 + p) − F · c · (1 + e)``: the client's trips at the meter come to
    ``monthly_fare`` F 元 a month (default 600, derived from the book: 12 万元 / 200 clients); driving costs
    ``cost_ratio`` c of the meter fare per paid kilometre (假设 0.35) and every paid kilometre brings
    ``empty_ratio`` e empty kilometres (空驶比例, 假设 0.15). Retention comes from
    :func:`retention_at_premium`; the value from :func:`crmlab.value.clv_closed_form` (or
    :func:`~crmlab.value.clv_finite_horizon` for ``horizon_months`` ≥ 1). ``discount`` is per month (假设 0.01).
    """
    fare, c, e, d = _check_model(monthly_fare, cost_ratio, empty_ratio, discount)
    r = retention_at_premium(premium, base_retention, churn_doubling_premium)
    p = float(premium)
    margin = fare * (1.0 + p) - fare * c * (1.0 + e)
    if horizon_months is None:
        clv = clv_closed_form(margin, r, d)
    else:
        clv = clv_finite_horizon(margin, r, d, require_int(horizon_months, "期数（月）", "horizon_months", minimum=1))
    lifetime = expected_lifetime(r) if r < 1 else math.inf
    return RegularClientValue(
        premium=p, retention=r, monthly_margin=margin, discount=d,
        margin_multiple=margin_multiple(r, d), expected_lifetime_months=lifetime, clv=clv,
    )


def client_base_value(premium: float, clients: float = TAXI_FACTS.regular_clients, **model: float) -> float:
    """熟客群体终生价值 lifetime profit of the whole client base, ``clients × CLV(premium)``, in 元.

    ``clients`` 熟客人数 ≥ 0 (default 200, the book's figure); ``model`` takes the keyword arguments of
    :func:`regular_client_value`.
    """
    n = require_nonnegative(clients, "熟客人数", "clients")
    return n * regular_client_value(premium, **model).clv


@dataclass(frozen=True)
class PremiumOptimum:
    """最优加价 the premium that maximises the client base's lifetime profit."""

    premium: float
    client: RegularClientValue
    clients: float
    base_value: float
    max_premium: float

    def __repr__(self) -> str:
        return (f"PremiumOptimum(最优加价={self.premium:.1%}, 月保留率={self.client.retention:.2%}, "
                f"每位熟客 CLV={self.client.clv:,.0f} 元, {self.clients:,.0f} 位熟客合计={self.base_value:,.0f} 元)")


def optimal_premium(
    *, clients: float = TAXI_FACTS.regular_clients, max_premium: float = 1.0, **model: float
) -> PremiumOptimum:
    """最优加价 the premium in ``[0, max_premium]`` that maximises :func:`client_base_value`.

    A grid of 2001 premiums finds the best region, then a bounded scalar search refines it. With the
    default assumptions the optimum is about 16–17 %: those defaults were chosen so that the model
    reproduces 周春明's 17 % (a calibration, not a book fact). ``max_premium`` > 0 as a fraction
    (default 1.0 = +100 %); ``model`` takes the keyword arguments of :func:`regular_client_value`.
    """
    top = require_positive(max_premium, "最高加价", "max_premium")
    n = require_nonnegative(clients, "熟客人数", "clients")
    regular_client_value(0.0, **model)  # validates the model once, before the search

    def clv(p: float) -> float:
        return regular_client_value(p, **model).clv

    grid = np.linspace(0.0, top, 2001)
    values = np.array([clv(p) for p in grid])
    i = int(np.argmax(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    best = float(grid[i])
    if hi > lo:
        res = minimize_scalar(lambda p: -clv(p), bounds=(lo, hi), method="bounded", options={"xatol": 1e-9})
        if res.success and -res.fun >= values[i]:
            best = float(res.x)
    client = regular_client_value(best, **model)
    return PremiumOptimum(premium=best, client=client, clients=n, base_value=n * client.clv, max_premium=top)


# --- 工时与车队 -------------------------------------------------------------------------------

def _check_hours(hours_per_day: float, days_per_month: float, hours_per_client_month: float) -> float:
    h = require_positive(hours_per_day, "每天工时", "hours_per_day")
    if h > 24:
        raise InputError(f"每天工时 hours_per_day 不能超过 24 小时，收到 {hours_per_day!r}")
    days = require_positive(days_per_month, "每月出车天数", "days_per_month")
    if days > 31:
        raise InputError(f"每月出车天数 days_per_month 不能超过 31 天，收到 {days_per_month!r}")
    per_client = require_positive(hours_per_client_month, "每位熟客每月工时", "hours_per_client_month")
    return h * days / per_client


def fleet_capacity(
    cars: int,
    *,
    hours_per_day: float = TAXI_FACTS.zhou_hours_mid,
    days_per_month: float = DEFAULT_DAYS_PER_MONTH,
    hours_per_client_month: float = HOURS_PER_CLIENT_MONTH,
) -> float:
    """车队容量 how many regular clients ``cars`` cars can serve: ``cars × hours_per_day × days / hours_per_client``.

    ``cars`` whole number ≥ 0; ``hours_per_day`` in (0, 24]; ``days_per_month`` in (0, 31];
    ``hours_per_client_month`` > 0 hours a client takes per month (default ≈ 1.17, derived from one car
    being full with about 200 clients — see :data:`HOURS_PER_CLIENT_MONTH`). Returns clients (a float).
    """
    n = require_int(cars, "车辆数", "cars", minimum=0)
    return n * _check_hours(hours_per_day, days_per_month, hours_per_client_month)


def cars_needed(
    clients: float,
    *,
    hours_per_day: float = TAXI_FACTS.zhou_hours_mid,
    days_per_month: float = DEFAULT_DAYS_PER_MONTH,
    hours_per_client_month: float = HOURS_PER_CLIENT_MONTH,
) -> int:
    """所需车辆数 the fewest cars whose :func:`fleet_capacity` covers ``clients`` regular clients (≥ 0).

    Other arguments as for :func:`fleet_capacity`. Returns a whole number of cars.
    """
    n = require_nonnegative(clients, "熟客人数", "clients")
    per_car = _check_hours(hours_per_day, days_per_month, hours_per_client_month)
    return math.ceil(n / per_car - 1e-9)

