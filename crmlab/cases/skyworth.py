"""创维 "客户，您是总裁": the cost of a service network against the customer value it keeps.

The book's figures are in :data:`SKYWORTH_FACTS`: in May 2000 Skyworth launched the idea "客户，您是总裁",
spent 1000 万元 on service vehicles for its technical-service branches and completed a "一县一点"
(one service point per county) network; a service website went live at the end of 2000.

The model asks a break-even question: the network costs the vehicles up front plus a running cost per
service point each year; it pays if it raises the yearly retention (repeat purchase and recommendation) of
the customers it serves enough that the extra customer lifetime value covers the cost.

* :func:`network_cost` — present value of the network's cost;
* :func:`service_network_value` — cost against the CLV gain (uses :func:`crmlab.value.clv_closed_form`);
* :func:`break_even_retention_gain` / :func:`break_even_customers` — what it takes to break even.

Except the 1000 万元, every number is an **assumption (假设 / 模拟数据)**. Money in 元, time in years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq

from ..errors import InputError, require_finite, require_fraction, require_int, require_nonnegative
from ..value import clv_closed_form, clv_finite_horizon

__all__ = [
    "DEFAULT_MODEL",
    "SKYWORTH_FACTS",
    "NetworkCost",
    "ServiceNetworkValue",
    "SkyworthFacts",
    "break_even_customers",
    "break_even_retention_gain",
    "network_cost",
    "service_network_value",
]


@dataclass(frozen=True)
class SkyworthFacts:
    """案例事实 the figures stated in the book (第1章案例「客户，您是总裁——创维集团经营新观念」)."""

    launch_year: int = 2000                    # 2000 年 5 月推出"客户，您是总裁"
    launch_month: int = 5
    vehicle_investment: float = 10_000_000.0   # 1000 万元用于给各地技术服务部添置服务车
    points_per_county: int = 1                 # "一县一点"的服务网络工程已完成
    systems: int = 5                           # 5 大系统
    subsystems: int = 12                       # 12 个子系统
    service_site_year: int = 2000              # 专门的服务网站 2000 年年底启用


SKYWORTH_FACTS = SkyworthFacts()

#: Assumptions of the service-network model (假设 / 模拟数据), except ``vehicle_investment`` (the book's
#: 1000 万元). 2000 points stands for "one per county" (China has two thousand-odd county-level areas).
DEFAULT_MODEL: dict[str, float] = {
    "vehicle_investment": SKYWORTH_FACTS.vehicle_investment,
    "service_points": 2000,
    "annual_cost_per_point": 30_000.0,
    "customers_per_year": 2_000_000.0,
    "margin": 100.0,
    "base_retention": 0.50,
    "discount": 0.08,
    "years": 5,
}


@dataclass(frozen=True)
class NetworkCost:
    """服务网络成本 the network's cost: vehicles now plus the points' running cost over the horizon (元)."""

    vehicle_investment: float
    service_points: int
    annual_cost_per_point: float
    discount: float
    years: int

    @property
    def annual_running_cost(self) -> float:
        """每年运营成本 running cost of all points per year (元)."""
        return self.service_points * self.annual_cost_per_point

    @property
    def running_cost_pv(self) -> float:
        """运营成本现值 present value of the running cost, paid at the end of years 1 … ``years`` (元)."""
        return self.annual_running_cost * clv_finite_horizon(1.0, 1.0, self.discount, self.years)

    @property
    def total_pv(self) -> float:
        """总成本现值 vehicles plus the running cost's present value (元)."""
        return self.vehicle_investment + self.running_cost_pv

    def __repr__(self) -> str:
        return (f"NetworkCost(车辆投入={self.vehicle_investment / 1e4:,.0f} 万元, 网点={self.service_points}, "
                f"每年运营={self.annual_running_cost / 1e4:,.0f} 万元, {self.years} 年总成本现值="
                f"{self.total_pv / 1e4:,.0f} 万元)")


def network_cost(
    *,
    vehicle_investment: float = DEFAULT_MODEL["vehicle_investment"],
    service_points: int = int(DEFAULT_MODEL["service_points"]),
    annual_cost_per_point: float = DEFAULT_MODEL["annual_cost_per_point"],
    discount: float = DEFAULT_MODEL["discount"],
    years: int = int(DEFAULT_MODEL["years"]),
) -> NetworkCost:
    """服务网络成本 present value of the network: ``I + N · c · Σ_{t=1}^{T} (1 + d)^(−t)``, in 元.

    ``vehicle_investment`` I 元 up front (≥ 0; the book's 1000 万元); ``service_points`` N whole number ≥ 0
    (假设 2000 = one per county); ``annual_cost_per_point`` c 元 per point per year (≥ 0, 假设 3 万元);
    ``discount`` d ≥ 0 per year; ``years`` T whole number ≥ 1.
    """
    return NetworkCost(
        vehicle_investment=require_nonnegative(vehicle_investment, "车辆投入", "vehicle_investment"),
        service_points=require_int(service_points, "服务网点数", "service_points", minimum=0),
        annual_cost_per_point=require_nonnegative(annual_cost_per_point, "每个网点年运营成本", "annual_cost_per_point"),
        discount=require_nonnegative(discount, "折现率", "discount"),
        years=require_int(years, "年数", "years", minimum=1),
    )


@dataclass(frozen=True)
class ServiceNetworkValue:
    """服务网络的价值 the network's cost against the CLV it adds (元)."""

    cost: NetworkCost
    customers_per_year: float
    margin: float
    base_retention: float
    retention_gain: float
    clv_before: float
    clv_after: float

    @property
    def clv_gain(self) -> float:
        """每位客户的终生价值增量 CLV added per customer served (元)."""
        return self.clv_after - self.clv_before

    @property
    def benefit_pv(self) -> float:
        """收益现值 CLV gain of every yearly cohort served over the horizon, discounted (元)."""
        annuity = clv_finite_horizon(1.0, 1.0, self.cost.discount, self.cost.years)
        return self.customers_per_year * self.clv_gain * annuity

    @property
    def net_value(self) -> float:
        """净现值 benefit minus cost (元); > 0 means the network pays."""
        return self.benefit_pv - self.cost.total_pv

    def __repr__(self) -> str:
        after = self.base_retention + self.retention_gain
        return (f"ServiceNetworkValue(保留率 {self.base_retention:.0%} → {after:.0%}, "
                f"每位客户 CLV 增加 {self.clv_gain:,.1f} 元, 收益现值={self.benefit_pv / 1e4:,.0f} 万元, "
                f"成本现值={self.cost.total_pv / 1e4:,.0f} 万元, 净现值={self.net_value / 1e4:,.0f} 万元)")


def service_network_value(
    retention_gain: float,
    *,
    customers_per_year: float = DEFAULT_MODEL["customers_per_year"],
    margin: float = DEFAULT_MODEL["margin"],
    base_retention: float = DEFAULT_MODEL["base_retention"],
    vehicle_investment: float = DEFAULT_MODEL["vehicle_investment"],
    service_points: int = int(DEFAULT_MODEL["service_points"]),
    annual_cost_per_point: float = DEFAULT_MODEL["annual_cost_per_point"],
    discount: float = DEFAULT_MODEL["discount"],
    years: int = int(DEFAULT_MODEL["years"]),
) -> ServiceNetworkValue:
    """服务网络净现值 the network's net present value when it raises yearly retention by ``retention_gain``.

    ``ΔCLV = CLV(m, r₀ + Δr, d) − CLV(m, r₀, d)`` per customer (:func:`crmlab.value.clv_closed_form`);
    benefit = ``customers_per_year × ΔCLV × Σ_{t=1}^{T} (1 + d)^(−t)`` (one cohort served each year);
    net value = benefit − :func:`network_cost`.

    ``retention_gain`` Δr in [0, 1 − r₀] (fraction points, 0.05 = +5 个百分点); ``customers_per_year`` ≥ 0
    customers served a year (假设 200 万); ``margin`` m 元 per retained customer per year (假设 100 元:
    repurchases and recommendations); ``base_retention`` r₀ in [0, 1] (假设 0.5). Cost arguments as in
    :func:`network_cost`.
    """
    cost = network_cost(
        vehicle_investment=vehicle_investment, service_points=service_points,
        annual_cost_per_point=annual_cost_per_point, discount=discount, years=years,
    )
    gain = require_fraction(retention_gain, "保留率提升", "retention_gain")
    r0 = require_fraction(base_retention, "基础保留率", "base_retention")
    if r0 + gain > 1.0 + 1e-12:
        raise InputError(
            f"保留率提升 retention_gain 使保留率超过 1：基础保留率 {r0:g} + 提升 {gain:g} > 1，收到 {retention_gain!r}"
        )
    n = require_nonnegative(customers_per_year, "每年服务客户数", "customers_per_year")
    m = require_finite(margin, "每位客户年毛利", "margin")
    return ServiceNetworkValue(
        cost=cost, customers_per_year=n, margin=m, base_retention=r0, retention_gain=gain,
        clv_before=clv_closed_form(m, r0, cost.discount),
        clv_after=clv_closed_form(m, min(r0 + gain, 1.0), cost.discount),
    )


def break_even_retention_gain(**model: float) -> float:
    """保本保留率提升 the smallest ``retention_gain`` at which :func:`service_network_value` breaks even (NPV = 0).

    ``model`` takes the keyword arguments of :func:`service_network_value` except ``retention_gain``.
    Returns a fraction in [0, 1 − r₀], or ``math.inf`` when even retention 1 does not cover the cost
    (with a zero discount rate the search stops just below retention 1).
    """
    if "retention_gain" in model:
        raise InputError("break_even_retention_gain 不接受 retention_gain（它就是要求的结果），收到 retention_gain")

    def npv(gain: float) -> float:
        return service_network_value(gain, **model).net_value

    at_zero = npv(0.0)
    if at_zero >= 0:
        return 0.0
    r0 = require_fraction(model.get("base_retention", DEFAULT_MODEL["base_retention"]), "基础保留率", "base_retention")
    d = require_nonnegative(model.get("discount", DEFAULT_MODEL["discount"]), "折现率", "discount")
    top = 1.0 - r0 if d > 0 else max(0.0, 1.0 - r0 - 1e-9)
    if top <= 0 or npv(top) < 0:
        return math.inf
    return float(brentq(npv, 0.0, top, xtol=1e-12))


def break_even_customers(retention_gain: float, **model: float) -> float:
    """保本客户数 customers served per year needed for the network to break even at ``retention_gain``.

    ``cost PV / (ΔCLV × annuity)``; returns ``math.inf`` when the gain adds no value (ΔCLV ≤ 0).
    ``model`` takes the other keyword arguments of :func:`service_network_value` (``customers_per_year`` is
    ignored: it is what is solved for).
    """
    model = {k: v for k, v in model.items() if k != "customers_per_year"}
    per_customer = service_network_value(retention_gain, customers_per_year=1.0, **model)
    if per_customer.benefit_pv <= 0:
        return math.inf
    return per_customer.cost.total_pv / per_customer.benefit_pv
