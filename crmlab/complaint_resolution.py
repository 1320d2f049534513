"""处理投诉的经济账 complaint-resolution economics: what resolving complaints costs against the customer value it
keeps (李先国《客户服务实务》7.2 有效处理客户投诉的意义).

A complainant whose problem is resolved stays with probability ``stay_if_resolved``; one whose problem is not
resolved stays with ``stay_if_unresolved``. Resolving therefore keeps, on average, the difference of the two per
complaint, each worth ``customer_value`` 元 (e.g. a CLV from :func:`crmlab.value.clv_closed_form`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import require_fraction, require_nonnegative

__all__ = ["ComplaintResolutionResult", "complaint_resolution_economics"]


@dataclass(frozen=True)
class ComplaintResolutionResult:
    """处理投诉的经济账 (money in 元)."""

    complaints: float
    resolved: float
    extra_customers_kept: float
    value_kept: float
    resolution_cost: float
    fixed_cost: float
    break_even_cost_per_complaint: float

    @property
    def total_cost(self) -> float:
        """总成本 resolution cost + fixed cost (元)."""
        return self.resolution_cost + self.fixed_cost

    @property
    def net_value(self) -> float:
        """净价值 value kept − total cost (元)."""
        return self.value_kept - self.total_cost

    @property
    def roi(self) -> float:
        """投资回报率 net value / total cost (inf when nothing is spent)."""
        return self.net_value / self.total_cost if self.total_cost > 0 else math.inf

    def __repr__(self) -> str:
        return (f"ComplaintResolutionResult(解决 {self.resolved:,.0f} 件投诉, 多留住 {self.extra_customers_kept:,.1f} "
                f"位客户, 保住价值 {self.value_kept:,.0f} 元, 成本 {self.total_cost:,.0f} 元, "
                f"净价值 {self.net_value:,.0f} 元)")


def complaint_resolution_economics(
    complaints: float, cost_per_resolution: float, customer_value: float, stay_if_resolved: float,
    stay_if_unresolved: float, *, resolved_share: float = 1.0, fixed_cost: float = 0.0,
) -> ComplaintResolutionResult:
    """处理投诉的经济账 complaint-resolution economics:

        resolved              = complaints × resolved_share
        extra_customers_kept  = resolved × (stay_if_resolved − stay_if_unresolved)
        value_kept            = extra_customers_kept × customer_value
        resolution_cost       = resolved × cost_per_resolution
        net_value             = value_kept − resolution_cost − fixed_cost
        break_even_cost_per_complaint = (stay_if_resolved − stay_if_unresolved) × customer_value

    ``complaints`` ≥ 0 (a count); ``cost_per_resolution`` (补偿 + 人工, 元) ≥ 0; ``customer_value`` (元, ≥ 0) the
    value of a customer who stays; the stay probabilities and ``resolved_share`` in [0, 1]; ``fixed_cost`` (元,
    e.g. a complaint centre) ≥ 0. The break-even cost is the most worth spending on one complaint; it is ≤ 0 when
    resolving does not make customers more likely to stay.
    """
    n = require_nonnegative(complaints, "投诉数", "complaints")
    c = require_nonnegative(cost_per_resolution, "每件投诉的处理成本", "cost_per_resolution")
    v = require_nonnegative(customer_value, "客户价值", "customer_value")
    p_r = require_fraction(stay_if_resolved, "投诉解决后的留存概率", "stay_if_resolved")
    p_u = require_fraction(stay_if_unresolved, "投诉未解决的留存概率", "stay_if_unresolved")
    s = require_fraction(resolved_share, "投诉解决比例", "resolved_share")
    f = require_nonnegative(fixed_cost, "固定成本", "fixed_cost")
    resolved = n * s
    kept = resolved * (p_r - p_u)
    return ComplaintResolutionResult(complaints=n, resolved=resolved, extra_customers_kept=kept,
                                     value_kept=kept * v, resolution_cost=resolved * c, fixed_cost=f,
                                     break_even_cost_per_complaint=(p_r - p_u) * v)
