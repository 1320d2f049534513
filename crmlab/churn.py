"""客户流失与挽回 churn and win-back (chapter 10): who is silently lost, what is at stake, whom to win back.

* :func:`winback_economics` — one win-back campaign: expected regained value against its cost, and
  the success rate at which it breaks even.
* :func:`lost_customer_tiers` — the book's four ways of treating lost customers (关键客户 极力挽回,
  普通客户 尽力挽回, 小客户 见机行事, 劣质客户 彻底放弃), assigned from each customer's value.
* :func:`allocate_winback_budget` — spend a fixed budget on the lost customers whose expected net
  gain is largest, and report what it buys; :func:`summarize_winback_plan` totals such a plan.
* :func:`lost_customer_values` — from a fitted purchase model (BG/NBD, Pareto/NBD) and Gamma-Gamma: each
  customer's P(alive), expected value as things stand, and value if won back today.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_fraction, require_nonnegative

__all__ = [
    "TIER_ACTIONS",
    "WinbackResult",
    "allocate_winback_budget",
    "break_even_success_rate",
    "lost_customer_tiers",
    "lost_customer_values",
    "summarize_winback_plan",
    "winback_economics",
]

#: What to do with each tier of lost customer (our wording of 苏朝晖 10.3).
TIER_ACTIONS: dict[str, str] = {
    "关键客户": "极力挽回：高层出面、专人跟进，查明原因并给出有分量的补救",
    "普通客户": "尽力挽回：有针对性的沟通与优惠，成本要低于挽回后的价值",
    "小客户": "见机行事：低成本、标准化的挽回（短信、优惠券），不主动投入人力",
    "劣质客户": "彻底放弃：挽回只会继续亏损，不必挽留",
}


@dataclass(frozen=True)
class WinbackResult:
    """一次挽回活动的经济账 (money in 元)."""

    contacted: float
    expected_regained: float
    regained_value: float
    cost: float

    @property
    def net(self) -> float:
        """净收益 expected regained value − cost."""
        return self.regained_value - self.cost

    @property
    def roi(self) -> float:
        """投资回报率 net / cost (inf when the cost is 0)."""
        return self.net / self.cost if self.cost > 0 else float("inf")

    def __repr__(self) -> str:
        return (f"WinbackResult(联系 {self.contacted:,.0f} 人, 预计挽回 {self.expected_regained:,.1f} 人, "
                f"挽回价值 {self.regained_value:,.0f} 元, 成本 {self.cost:,.0f} 元, 净收益 {self.net:,.0f} 元)")


def winback_economics(
    lost_customers: float, success_rate: float, value_if_regained: float, cost_per_contact: float,
    fixed_cost: float = 0.0,
) -> WinbackResult:
    """挽回活动的经济账: contact ``lost_customers`` (≥ 0); each comes back with probability ``success_rate``
    (0–1) and is then worth ``value_if_regained`` 元 (e.g. their CLV); each contact costs
    ``cost_per_contact`` 元 and the campaign ``fixed_cost`` 元 on top."""
    n = require_nonnegative(lost_customers, "流失客户数", "lost_customers")
    p = require_fraction(success_rate, "挽回成功率", "success_rate")
    v = require_finite(value_if_regained, "挽回后的价值", "value_if_regained")
    c = require_nonnegative(cost_per_contact, "每人联系成本", "cost_per_contact")
    f = require_nonnegative(fixed_cost, "固定成本", "fixed_cost")
    return WinbackResult(contacted=n, expected_regained=n * p, regained_value=n * p * v, cost=n * c + f)


def break_even_success_rate(value_if_regained: float, cost_per_contact: float) -> float:
    """盈亏平衡的挽回成功率 cost_per_contact / value_if_regained (inf if the value is ≤ 0)."""
    v = require_finite(value_if_regained, "挽回后的价值", "value_if_regained")
    c = require_nonnegative(cost_per_contact, "每人联系成本", "cost_per_contact")
    return c / v if v > 0 else float("inf")


def lost_customer_tiers(value: object, key_share: float = 0.2, small_share: float = 0.5) -> pd.Series:
    """流失客户分级: 劣质客户 if the value is ≤ 0; of the rest, the top ``key_share`` by value are
    关键客户, the bottom ``small_share`` 小客户, and those in between 普通客户.

    ``value`` is each lost customer's value if won back (元), e.g. their CLV; the shares are fractions
    of the customers with positive value, ``key_share + small_share ≤ 1``.
    """
    k = require_fraction(key_share, "关键客户比例", "key_share")
    s = require_fraction(small_share, "小客户比例", "small_share")
    if k + s > 1:
        raise InputError(f"关键客户比例 key_share + 小客户比例 small_share 不能超过 1，收到 {k} + {s}")
    v = pd.Series(value, dtype=float) if not isinstance(value, pd.Series) else value.astype(float)
    if v.isna().any() or not np.isfinite(v.to_numpy()).all():
        i = int(np.flatnonzero(~np.isfinite(v.to_numpy()))[0])
        raise InputError(f"客户价值 value 第 {i + 1} 个值必须是有限的数字，收到 {v.iloc[i]!r}")
    tiers = pd.Series("劣质客户", index=v.index, name="tier")
    positive = v[v > 0]
    if len(positive):
        rank = positive.rank(ascending=False, method="first") / len(positive)  # (0, 1], 1/n = most valuable
        tiers[positive.index] = np.select([rank <= k, rank > 1 - s], ["关键客户", "小客户"], "普通客户")
    return tiers


def allocate_winback_budget(
    value_at_stake: object, response_uplift: object, cost_per_contact: object, budget: float
) -> pd.DataFrame:
    """挽回预算分配: contact lost customers in order of expected net gain until ``budget`` (元) runs out.

    For each customer: expected gain = ``value_at_stake`` × ``response_uplift`` (the extra probability
    of coming back because of the contact, 0–1) − ``cost_per_contact``. Only customers with a positive
    expected gain are contacted. Returns the customers with ``gain``, ``contact`` (bool) and the
    cumulative ``spent``, sorted by gain.
    """
    b = require_nonnegative(budget, "挽回预算", "budget")
    frame = pd.DataFrame({"value_at_stake": value_at_stake, "response_uplift": response_uplift,
                          "cost_per_contact": cost_per_contact})
    labels = {"value_at_stake": "流失价值", "response_uplift": "挽回提升率", "cost_per_contact": "每人联系成本"}
    for col, zh in labels.items():
        vals = frame[col].to_numpy(dtype=float)
        bad = ~np.isfinite(vals) | (vals < 0) | ((vals > 1) if col == "response_uplift" else False)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{zh} {col} 第 {i + 1} 个值无效 (invalid)，收到 {vals[i]!r}")
    frame["gain"] = frame["value_at_stake"] * frame["response_uplift"] - frame["cost_per_contact"]
    frame = frame.sort_values("gain", ascending=False, kind="stable")
    spend = frame["cost_per_contact"].where(frame["gain"] > 0, 0.0).cumsum()
    frame["contact"] = (frame["gain"] > 0) & (spend <= b)
    frame["spent"] = frame["cost_per_contact"].where(frame["contact"], 0.0).cumsum()
    return frame


def summarize_winback_plan(plan: pd.DataFrame) -> WinbackResult:
    """挽回计划汇总 the totals of a plan from :func:`allocate_winback_budget`, over the contacted customers:
    how many, expected number regained (Σ response_uplift), expected regained value
    (Σ value_at_stake × response_uplift) and cost (Σ cost_per_contact); ``.net`` is the expected net gain."""
    need = ["value_at_stake", "response_uplift", "cost_per_contact", "contact"]
    if not isinstance(plan, pd.DataFrame) or any(c not in plan.columns for c in need):
        raise InputError(f"挽回计划 plan 必须是 allocate_winback_budget 的结果，含列 columns {need}")
    chosen = plan[plan["contact"].astype(bool)]
    return WinbackResult(
        contacted=float(len(chosen)),
        expected_regained=float(chosen["response_uplift"].sum()),
        regained_value=float((chosen["value_at_stake"] * chosen["response_uplift"]).sum()),
        cost=float(chosen["cost_per_contact"].sum()),
    )


def lost_customer_values(
    purchase_model: object, spend_model: object, frequency: object, recency: object, T: object,
    monetary_value: object, **clv_options: float,
) -> pd.DataFrame:
    """流失客户的价值 for each customer: ``p_alive`` (P(alive) from the purchase model), ``value_now`` (the
    expected CLV as things stand), ``value_if_regained`` (the CLV if the customer were won back today) and
    ``value_at_stake`` = value_if_regained − value_now (what a successful win-back adds), in the money unit.

    Both values come from :func:`crmlab.btyd.customer_lifetime_value` with ``clv_options`` (``periods``,
    ``period_length``, ``discount``, ``margin``, ``cost_per_purchase``). "Won back today" means the
    customer's latest purchase is moved to today: recency = T, their history (frequency, spend) unchanged,
    so a customer who has been silent for long regains the purchase rate their history suggests. A
    customer with frequency 0 has no later purchase to move; their two values are equal (and BG/NBD
    treats them as alive anyway). The result is indexed like ``frequency`` when it is a Series.
    """
    from .btyd import customer_lifetime_value  # late import: btyd is the heavier module

    index = frequency.index if isinstance(frequency, pd.Series) else None
    x = np.asarray(frequency, dtype=float).reshape(-1)
    T_ = np.asarray(T, dtype=float).reshape(-1)
    if x.shape != T_.shape:
        raise InputError(f"frequency 与 T 的长度必须相同，收到 {len(x)} 和 {len(T_)}")
    now = customer_lifetime_value(purchase_model, spend_model, frequency, recency, T, monetary_value,
                                  **clv_options)
    regained = customer_lifetime_value(purchase_model, spend_model, frequency, np.where(x > 0, T_, 0.0), T,
                                       monetary_value, **clv_options)
    p_alive = purchase_model.probability_alive(frequency, recency, T)
    return pd.DataFrame({"p_alive": p_alive, "value_now": now, "value_if_regained": regained,
                         "value_at_stake": regained - now}, index=index)
