"""美国第一银行：CRM 支持“如您所愿” — offering each card customer what they value (chapter 5 case).

The case is told from widely known facts only; the model below is an illustration with 假设 (assumed)
numbers. A bank's card customers are of three kinds, each valuing one card feature most: 循环信贷型 (carry a
balance: a low interest rate), 消费型 (spend a lot: cash back) and 轻度使用型 (use the card rarely: no annual
fee). A mailing offers one feature. A customer accepts with probability ``accept_match`` when the offer is
the feature they value, else ``accept_mismatch``; an accepted account is worth ``value[kind]`` 元 a year.

* 统一推荐 (one offer for all): everybody gets feature j; cost ``cost_per_offer`` per customer.
* 如您所愿 (personalised): the customer database predicts each customer's kind correctly with probability
  ``accuracy`` (a wrong prediction means a non-matching offer); cost ``cost_per_offer + data_cost``.

Expected accepted accounts, value (元/年), cost and net value follow directly (no simulation), so the
comparison is exact arithmetic: :func:`offer_comparison` and :func:`breakeven_accuracy`.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError, require_fraction, require_int, require_nonnegative

__all__ = ["ACCEPT_MATCH", "ACCEPT_MISMATCH", "CUSTOMER_KINDS", "KIND_VALUE", "breakeven_accuracy",
           "offer_comparison"]

#: 客户类型 → (占比, 最看重的卡片功能)（假设）
CUSTOMER_KINDS: dict[str, tuple[float, str]] = {
    "循环信贷型": (0.30, "低利率"),
    "消费型": (0.45, "现金返还"),
    "轻度使用型": (0.25, "免年费"),
}
#: 每个新开账户每年的价值（元，假设）
KIND_VALUE: dict[str, float] = {"循环信贷型": 600.0, "消费型": 300.0, "轻度使用型": 80.0}
ACCEPT_MATCH = 0.10       # 推荐的正是客户看重的功能时的接受率（假设）
ACCEPT_MISMATCH = 0.02    # 推荐的不是客户看重的功能时的接受率（假设）


def _inputs(n_customers, kinds, value, accept_match, accept_mismatch, cost_per_offer, data_cost):
    n = require_int(n_customers, "客户数", "n_customers", minimum=1)
    if not kinds:
        raise InputError("客户类型 kinds 不能为空 (empty)")
    shares = {k: require_fraction(s, f"{k} 占比", "share") for k, (s, _f) in kinds.items()}
    if abs(sum(shares.values()) - 1.0) > 1e-9:
        raise InputError(f"客户类型占比 shares 之和必须为 1，收到 {sum(shares.values()):.4f}")
    missing = [k for k in kinds if k not in value]
    if missing:
        raise InputError(f"账户价值 value 缺少客户类型 missing kinds {missing}")
    vals = {k: require_nonnegative(value[k], f"{k} 账户价值", "value") for k in kinds}
    am = require_fraction(accept_match, "匹配时的接受率", "accept_match")
    amm = require_fraction(accept_mismatch, "不匹配时的接受率", "accept_mismatch")
    if amm > am:
        raise InputError(f"不匹配时的接受率 accept_mismatch 不应高于匹配时的接受率 accept_match，收到 {amm} > {am}")
    c = require_nonnegative(cost_per_offer, "每位客户的推荐成本", "cost_per_offer")
    d = require_nonnegative(data_cost, "每位客户的数据分析成本", "data_cost")
    return n, shares, vals, am, amm, c, d


def offer_comparison(n_customers: int = 100_000, accuracy: float = 0.7, *,
                     kinds: dict[str, tuple[float, str]] = CUSTOMER_KINDS, value: dict[str, float] = KIND_VALUE,
                     accept_match: float = ACCEPT_MATCH, accept_mismatch: float = ACCEPT_MISMATCH,
                     cost_per_offer: float = 5.0, data_cost: float = 1.0) -> pd.DataFrame:
    """统一推荐与“如您所愿” expected results of each one-offer-for-all mailing and of the personalised one.

    Per strategy: ``accounts`` (expected new accounts), ``value`` (元/年 they bring), ``cost`` (元) and
    ``net`` = value − cost. For one offer j: accounts = n Σ_i s_i a_ij with a_ij = accept_match if kind i values
    feature j, else accept_mismatch. Personalised: accounts_i = n s_i (accuracy·accept_match +
    (1 − accuracy)·accept_mismatch). ``accuracy`` in [0, 1]; money in 元.
    """
    n, shares, vals, am, amm, c, d = _inputs(n_customers, kinds, value, accept_match, accept_mismatch,
                                             cost_per_offer, data_cost)
    acc = require_fraction(accuracy, "预测准确率", "accuracy")
    rows = []
    for feature in dict.fromkeys(f for _s, f in kinds.values()):
        accounts = {k: n * shares[k] * (am if kinds[k][1] == feature else amm) for k in kinds}
        rows.append((f"统一推荐：{feature}", sum(accounts.values()), sum(accounts[k] * vals[k] for k in kinds),
                     n * c))
    p = acc * am + (1 - acc) * amm
    accounts = {k: n * shares[k] * p for k in kinds}
    rows.append(("如您所愿：按客户推荐", sum(accounts.values()), sum(accounts[k] * vals[k] for k in kinds),
                 n * (c + d)))
    table = pd.DataFrame(rows, columns=["strategy", "accounts", "value", "cost"]).set_index("strategy")
    table["net"] = table["value"] - table["cost"]
    return table


def breakeven_accuracy(n_customers: int = 100_000, **kwargs: object) -> float:
    """盈亏平衡的准确率 the prediction accuracy at which the personalised mailing's net value equals the best
    one-offer-for-all mailing's (same keyword arguments as :func:`offer_comparison`, without ``accuracy``).

    Net(accuracy) is linear: n Σ s_i v_i (a_mm + accuracy (a_m − a_mm)) − n (c + d), so the answer is
    (best + n (c + d) − n a_mm Σ s_i v_i) / (n (a_m − a_mm) Σ s_i v_i). Below 0: personalising always pays;
    above 1: it never does. ``inf`` when a_m = a_mm (accuracy then changes nothing).
    """
    if "accuracy" in kwargs:
        raise InputError("breakeven_accuracy 求的就是 accuracy，不要传入 accuracy (do not pass accuracy)")
    table = offer_comparison(n_customers, 0.0, **kwargs)  # type: ignore[arg-type]
    kinds = kwargs.get("kinds", CUSTOMER_KINDS)
    n, shares, vals, am, amm, c, d = _inputs(n_customers, kinds, kwargs.get("value", KIND_VALUE),
                                             kwargs.get("accept_match", ACCEPT_MATCH),
                                             kwargs.get("accept_mismatch", ACCEPT_MISMATCH),
                                             kwargs.get("cost_per_offer", 5.0), kwargs.get("data_cost", 1.0))
    best = float(table["net"].iloc[:-1].max())
    sv = sum(shares[k] * vals[k] for k in kinds)
    if am == amm or sv == 0:
        return float("inf")
    return (best + n * (c + d) - n * amm * sv) / (n * (am - amm) * sv)
