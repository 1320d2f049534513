"""客户终生价值（概率模型）expected discounted margin per customer from BG/NBD (or Pareto/NBD) + Gamma-Gamma.

CLV_i = Σ_{k=1}^{H} (margin · E[M_i] − c) · (E[Y_i(k·Δ)] − E[Y_i((k−1)·Δ)]) / (1 + d)^k, where Δ is the
length of one discounting period in the time unit of the purchase model (e.g. Δ = 52/12 weeks for
a month), H the number of such periods, d the discount rate per period and c a cost per purchase
(履约成本, e.g. delivery; 0 by default).
"""

from __future__ import annotations

import numpy as np

from ..errors import require_fraction, require_int, require_nonnegative, require_positive
from .gammagamma import GammaGamma

__all__ = ["customer_lifetime_value"]


def customer_lifetime_value(
    purchase_model: object,
    spend_model: GammaGamma,
    frequency: object,
    recency: object,
    T: object,
    monetary_value: object,
    *,
    periods: int = 12,
    period_length: float = 52.0 / 12.0,
    discount: float = 0.01,
    margin: float = 1.0,
    cost_per_purchase: float = 0.0,
) -> np.ndarray:
    """客户终生价值 expected discounted margin of each customer over ``periods`` future periods (money unit).

    ``purchase_model`` is a fitted :class:`BetaGeo` or :class:`ParetoNBD` (anything with
    ``conditional_expected_purchases``); ``spend_model`` a fitted :class:`GammaGamma`.
    ``period_length`` is one discounting period in the purchase model's time unit (default: a month
    when the model is in weeks); ``discount`` per period in [0, 1); ``margin`` the share of spend
    kept as margin, in [0, 1]; ``cost_per_purchase`` (≥ 0, money unit) is subtracted from the margin of
    every expected purchase, so a customer whose orders cost more to serve than they earn has CLV < 0.
    """
    H = require_int(periods, "期数", "periods", minimum=1)
    step = require_positive(period_length, "每期时长", "period_length")
    d = require_nonnegative(discount, "折现率", "discount")
    share = require_fraction(margin, "毛利率", "margin")
    cost = require_nonnegative(cost_per_purchase, "每笔履约成本", "cost_per_purchase")
    spend = spend_model.conditional_expected_average_spend(frequency, monetary_value)
    cum_prev = np.zeros_like(spend)
    total = np.zeros_like(spend)
    for k in range(1, H + 1):
        cum = purchase_model.conditional_expected_purchases(k * step, frequency, recency, T)
        total += (cum - cum_prev) / (1.0 + d) ** k
        cum_prev = cum
    return (share * spend - cost) * total
