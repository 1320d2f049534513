"""客户价值 customer value: deterministic customer-lifetime-value calculators.

Conventions used throughout (state them to students the same way):

* ``margin`` — 每期毛利 the margin a surviving customer brings in each period, in 元 per period;
  it arrives at the *end* of each period, the first one at the end of period 1.
* ``retention`` — 保留率 the probability that a customer active in one period is still active in the
  next, a fraction in [0, 1).
* ``discount`` — 折现率 the discount rate per period, a fraction ≥ 0 (0.10 = 10 % per period).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_fraction, require_int, require_nonnegative

__all__ = [
    "CASH_FLOW_COLUMNS",
    "CUSTOMER_COST_PARTS",
    "CUSTOMER_VALUE_PARTS",
    "CashFlowCLV",
    "DeliveredValue",
    "clv_closed_form",
    "clv_finite_horizon",
    "clv_from_cash_flows",
    "delivered_value",
    "expected_lifetime",
    "margin_multiple",
    "markov_clv",
    "retention_for_margin_multiple",
]


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


def retention_for_margin_multiple(multiple: float, discount: float) -> float:
    """所需保留率 the retention r whose margin multiple r / (1 + d − r) equals ``multiple`` (≥ 0): the inverse of
    :func:`margin_multiple`, ``r = k (1 + d) / (1 + k)``.

    Returns ``inf`` when no retention in [0, 1] reaches the multiple (k > 1 / d; with d = 0 every finite k is
    reachable below r = 1). Used to find break-even retention uplifts.
    """
    k = require_nonnegative(multiple, "利润乘数", "multiple")
    d = require_nonnegative(discount, "折现率", "discount")
    r = k * (1.0 + d) / (1.0 + k)
    return math.inf if r > 1.0 or (d == 0 and r >= 1.0) else r


def expected_lifetime(retention: float) -> float:
    """预期客户寿命 expected number of periods a new customer stays, ``1 / (1 − r)``, in periods (≥ 1).

    Counts the first period: with retention 0.8 the customer is there for 5 periods on average.
    """
    r = require_fraction(retention, "保留率", "retention", closed_high=False)
    return 1.0 / (1.0 - r)


# --- 客户终生价值：逐期现金流 ------------------------------------------------------------------

CASH_FLOW_COLUMNS: dict[str, str] = {
    "revenue": "收入",
    "acquisition_cost": "获取成本",
    "selling_cost": "销售成本",
    "retention_cost": "保持成本",
    "service_cost": "服务成本",
}


@dataclass(frozen=True)
class CashFlowCLV:
    """逐期现金流的客户终生价值: the discounted table and its total (元)."""

    table: pd.DataFrame
    discount: float

    @property
    def value(self) -> float:
        """客户终生价值 CLV in 元: the sum of the discounted net flows."""
        return float(self.table["present_value"].sum())

    def __repr__(self) -> str:
        return f"CashFlowCLV(value={self.value:,.2f} 元, periods={len(self.table)}, discount={self.discount:.2%})"

    def _repr_html_(self) -> str:
        labels = {**CASH_FLOW_COLUMNS, "period": "期 period", "net": "净现金流 net",
                  "discount_factor": "折现系数", "present_value": "现值 PV"}
        shown = self.table.rename(columns=labels)
        return shown.to_html(index=False, float_format=lambda x: f"{x:,.2f}") + (
            f"<p><b>客户终生价值 CLV = {self.value:,.2f} 元</b>（折现率 {self.discount:.1%}）</p>"
        )


def clv_from_cash_flows(cash_flows: pd.DataFrame, discount: float) -> CashFlowCLV:
    """客户终生价值（按教材定义）: revenue minus the costs of attracting, selling to, keeping and serving
    the customer, period by period, discounted to present value.

    ``cash_flows`` has a column ``period`` (whole number ≥ 0; period 0 is today and is not
    discounted, period t is discounted by ``(1 + discount) ** t``) and any of the columns
    ``revenue`` (收入), ``acquisition_cost`` (获取成本), ``selling_cost`` (销售成本),
    ``retention_cost`` (保持成本), ``service_cost`` (服务成本), all in 元; a missing column counts
    as 0. Costs are entered as positive amounts. ``discount`` is per period (≥ 0).
    """
    d = require_nonnegative(discount, "折现率", "discount")
    if not isinstance(cash_flows, pd.DataFrame):
        raise InputError(f"现金流表 cash_flows 必须是 pandas DataFrame，收到 {type(cash_flows).__name__}")
    if "period" not in cash_flows.columns:
        raise InputError(f"现金流表 cash_flows 缺少列 period（期），现有列 columns: {list(cash_flows.columns)}")
    unknown = set(cash_flows.columns) - {"period", *CASH_FLOW_COLUMNS}
    if unknown:
        raise InputError(
            f"现金流表 cash_flows 有无法识别的列 unknown columns {sorted(unknown)}；"
            f"可用 allowed: period, {', '.join(CASH_FLOW_COLUMNS)}"
        )
    table = pd.DataFrame({"period": cash_flows["period"]})
    for i, p in enumerate(table["period"]):
        require_int(p, f"第 {i + 1} 行的期数", "period", minimum=0)
    if table["period"].duplicated().any():
        dup = table["period"][table["period"].duplicated()].iloc[0]
        raise InputError(f"期数 period 重复 (duplicate)，收到 {dup!r}")
    for col, zh in CASH_FLOW_COLUMNS.items():
        values = cash_flows[col] if col in cash_flows.columns else pd.Series(0.0, index=cash_flows.index)
        for i, v in enumerate(values):
            if col == "revenue":
                require_finite(v, f"第 {i + 1} 行的{zh}", col)
            else:
                require_nonnegative(v, f"第 {i + 1} 行的{zh}", col)
        table[col] = values.astype(float).to_numpy()
    table["period"] = table["period"].astype(int)
    costs = [c for c in CASH_FLOW_COLUMNS if c != "revenue"]
    table["net"] = table["revenue"] - table[costs].sum(axis=1)
    table["discount_factor"] = (1.0 + d) ** (-table["period"].astype(float))
    table["present_value"] = table["net"] * table["discount_factor"]
    return CashFlowCLV(table=table.sort_values("period").reset_index(drop=True), discount=d)


# --- 马尔可夫链客户终生价值 (Pfeifer & Carraway 2000) -----------------------------------------

def _check_transition_matrix(P: object) -> np.ndarray:
    try:
        M = np.asarray(P, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"转移矩阵 transition matrix 必须是数字组成的方阵，收到 {P!r}") from None
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise InputError(f"转移矩阵 transition matrix 必须是方阵 (square)，收到形状 shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise InputError("转移矩阵 transition matrix 含有非有限值 (NaN/inf)")
    bad = np.argwhere((M < 0) | (M > 1))
    if bad.size:
        i, j = bad[0]
        raise InputError(f"转移概率 transition probability P[{i}][{j}] 必须在 0 和 1 之间，收到 {float(M[i, j])!r}")
    sums = M.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
    if off.size:
        i = off[0]
        raise InputError(f"转移矩阵 transition matrix 第 {i} 行之和 row sum 必须为 1，收到 {sums[i]:.6g}")
    return M


def markov_clv(
    P: object, rewards: object, discount: float, horizon: int | None = None
) -> np.ndarray:
    """马尔可夫链客户终生价值 Markov-chain CLV (Pfeifer & Carraway 2000): one value per state, in 元.

    ``P[i][j]`` is the probability that a customer in state i this period is in state j next
    period (rows sum to 1). ``rewards[i]`` is the net contribution (元) of a customer in state
    i in a period — margin minus the period's marketing cost. Rewards arrive at the start of
    each period: the current period counts in full (t = 0), period t is discounted by
    ``(1 + discount) ** t``. With ``horizon=T`` the sum runs over t = 0 … T; with
    ``horizon=None`` over all periods, ``V = (I − P/(1+d))⁻¹ R``.
    """
    M = _check_transition_matrix(P)
    try:
        R = np.asarray(rewards, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"各状态收益 rewards 必须是数字，收到 {rewards!r}") from None
    if R.shape[0] != M.shape[0]:
        raise InputError(f"各状态收益 rewards 的个数必须等于状态数 {M.shape[0]}，收到 {R.shape[0]} 个")
    if not np.all(np.isfinite(R)):
        raise InputError(f"各状态收益 rewards 含有非有限值 (NaN/inf)，收到 {R.tolist()}")
    d = require_nonnegative(discount, "折现率", "discount")
    Q = M / (1.0 + d)
    if horizon is None:
        A = np.eye(M.shape[0]) - Q
        if d == 0 or np.linalg.cond(A) > 1e12:
            raise InputError("折现率 discount 为 0 时无限期价值可能无穷大：请给出有限的期数 horizon")
        return np.linalg.solve(A, R)
    T = require_int(horizon, "期数", "horizon", minimum=0)
    value = R.copy()
    term = R.copy()
    for _ in range(T):
        term = Q @ term
        value += term
    return value


# --- 让渡价值 (Kotler) ------------------------------------------------------------------------

CUSTOMER_VALUE_PARTS: dict[str, str] = {
    "product": "产品价值", "service": "服务价值", "personnel": "人员价值", "image": "形象价值",
}
CUSTOMER_COST_PARTS: dict[str, str] = {
    "money": "货币成本", "time": "时间成本", "energy": "精神成本", "physical": "体力成本",
}


@dataclass(frozen=True)
class DeliveredValue:
    """客户让渡价值 customer delivered value: total customer value − total customer cost (same units)."""

    values: dict[str, float]
    costs: dict[str, float]

    @property
    def total_value(self) -> float:
        """总客户价值 total customer value."""
        return float(sum(self.values.values()))

    @property
    def total_cost(self) -> float:
        """总客户成本 total customer cost."""
        return float(sum(self.costs.values()))

    @property
    def delivered(self) -> float:
        """让渡价值 = 总客户价值 − 总客户成本."""
        return self.total_value - self.total_cost

    @property
    def ratio(self) -> float:
        """价值成本比 total value / total cost (inf when the cost is 0)."""
        return self.total_value / self.total_cost if self.total_cost > 0 else math.inf

    def __repr__(self) -> str:
        return (f"DeliveredValue(总客户价值={self.total_value:,.2f}, 总客户成本={self.total_cost:,.2f}, "
                f"让渡价值={self.delivered:,.2f})")


def _check_parts(parts: object, allowed: dict[str, str], zh: str, en: str) -> dict[str, float]:
    if not isinstance(parts, dict):
        raise InputError(f"{zh} {en} 必须是字典 dict，收到 {parts!r}")
    out: dict[str, float] = {}
    for key, v in parts.items():
        if key not in allowed:
            names = ", ".join(f"{k}（{z}）" for k, z in allowed.items())
            raise InputError(f"{zh} {en} 中无法识别的项 unknown part {key!r}；可用 allowed: {names}")
        out[key] = require_nonnegative(v, allowed[key], key)
    return out


def delivered_value(values: dict[str, float], costs: dict[str, float]) -> DeliveredValue:
    """客户让渡价值 (Kotler): total customer value minus total customer cost.

    ``values`` may hold ``product`` (产品价值), ``service`` (服务价值), ``personnel`` (人员价值),
    ``image`` (形象价值); ``costs`` may hold ``money`` (货币成本), ``time`` (时间成本), ``energy``
    (精神成本), ``physical`` (体力成本). All in the same unit (元 or rating points), each ≥ 0.
    """
    return DeliveredValue(
        values=_check_parts(values, CUSTOMER_VALUE_PARTS, "客户价值", "values"),
        costs=_check_parts(costs, CUSTOMER_COST_PARTS, "客户成本", "costs"),
    )
