"""客户价值 customer value: deterministic customer-lifetime-value calculators.

Conventions used throughout (state them to students the same way):

* ``margin`` — 每期毛利 the margin a surviving customer brings in each period, in 元 per period;
  it arrives at the *end* of each period, the first one at the end of period 1.
* ``retention`` — 保留率 the probability that a customer active in one period is still active in the
  next, a fraction in [0, 1).
* ``discount`` — 折现率 the discount rate per period, a fraction ≥ 0 (0.10 = 10 % per period).
"""

from __future__ import annotations

from .errors import InputError, require_finite, require_fraction, require_int, require_nonnegative

__all__ = ["clv_closed_form", "clv_finite_horizon", "margin_multiple"]


def _check_rates(retention: float, discount: float) -> tuple[float, float]:
    r = require_fraction(retention, "保留率", "retention")
    d = require_nonnegative(discount, "折现率", "discount")
    if r >= 1 and d == 0:
        raise InputError(
            "保留率 retention = 1 且折现率 discount = 0 时终生价值无限大 (infinite CLV)，收到 retention=1, discount=0"
        )
    return r, d


def margin_multiple(retention: float, discount: float) -> float:
    """利润乘数 margin multiple: the lifetime value of one 元 of per-period margin, ``r / (1 + d − r)``.

    Gupta & Lehmann (2003): a customer's value is the per-period margin times this multiple.
    ``retention`` in [0, 1], ``discount`` ≥ 0 per period; the result is dimensionless (≥ 0).
    """
    r, d = _check_rates(retention, discount)
    return r / (1.0 + d - r)


def clv_closed_form(
    margin: float, retention: float, discount: float, acquisition_cost: float = 0.0
) -> float:
    """客户终生价值（无限期公式）CLV over an infinite horizon with constant margin and retention, in 元.

    ``CLV = margin × r / (1 + d − r) − acquisition_cost``, the sum of ``margin × r^t / (1 + d)^t``
    over t = 1, 2, … less the cost of acquiring the customer (获取成本, 元, ≥ 0).
    """
    m = require_finite(margin, "每期毛利", "margin")
    ac = require_nonnegative(acquisition_cost, "获取成本", "acquisition_cost")
    return m * margin_multiple(retention, discount) - ac


def clv_finite_horizon(
    margin: float,
    retention: float,
    discount: float,
    periods: int,
    acquisition_cost: float = 0.0,
) -> float:
    """客户终生价值（有限期）CLV over ``periods`` periods (≥ 1), in 元.

    ``Σ_{t=1}^{periods} margin × r^t / (1 + d)^t − acquisition_cost``; tends to
    :func:`clv_closed_form` as ``periods`` grows.
    """
    m = require_finite(margin, "每期毛利", "margin")
    r = require_fraction(retention, "保留率", "retention")
    d = require_nonnegative(discount, "折现率", "discount")
    n = require_int(periods, "期数", "periods", minimum=1)
    ac = require_nonnegative(acquisition_cost, "获取成本", "acquisition_cost")
    q = r / (1.0 + d)
    total = m * n if q == 1.0 else m * q * (1.0 - q**n) / (1.0 - q)
    return total - ac
