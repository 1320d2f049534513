"""客户分级与集中度 grading customers and measuring how concentrated value is (chapters 3 and 6).

* :func:`gini`, :func:`lorenz_curve`, :func:`top_share` — concentration of value (sales or profit);
* :func:`pareto_table` — ABC classes by cumulative share of value;
* :func:`grade_customers` with :data:`GRADING_SCHEMES` — the books' customer pyramids;
* :func:`grade_summary` — customers and value per grade; :func:`allocate_service_budget` — a service budget
  split across grades and its (assumed) effect on margin;
* :func:`customer_profit` and :func:`whale_curve` — profit after the cost to serve, and the curve that shows
  some big customers destroying profit ("大客户不等于好客户").

Values are per customer, in 元 (or any one unit). Everything is vectorised: sorting dominates, so 10^7
customers take a second or two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_fraction, require_nonnegative
from .rfm import rfm_scores  # noqa: F401  (public API sketch: segmentation.rfm_scores; lives in crmlab.rfm)

__all__ = [
    "GRADING_SCHEMES",
    "GradingScheme",
    "allocate_service_budget",
    "customer_profit",
    "gini",
    "grade_customers",
    "grade_summary",
    "grade_upgrade_value",
    "lorenz_curve",
    "pareto_table",
    "top_share",
    "whale_curve",
]


def _values(values: object, zh: str = "客户价值", en: str = "values", *, nonnegative: bool = True) -> np.ndarray:
    try:
        x = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 必须是数字 (numbers)，收到 {values!r:.80}") from None
    if x.size == 0:
        raise InputError(f"{zh} {en} 不能为空 (empty)")
    bad = ~np.isfinite(x) | ((x < 0) if nonnegative else False)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        need = "≥ 0 的有限数字" if nonnegative else "有限数字"
        raise InputError(f"{zh} {en} 第 {i + 1} 个值必须是{need}，收到 {float(x[i])!r}")
    if nonnegative and x.sum() <= 0:
        raise InputError(f"{zh} {en} 的总和必须大于 0 (total must be > 0)")
    return x


def gini(values: object) -> float:
    """基尼系数 Gini coefficient of non-negative values, in [0, 1): 0 = everyone equal.

    Population definition G = Σ_i Σ_j |x_i − x_j| / (2 n² μ), computed from the sorted values as
    G = 2 Σ_k k·x_(k) / (n Σ x) − (n + 1)/n.
    """
    x = np.sort(_values(values))
    n = x.size
    k = np.arange(1, n + 1, dtype=float)
    return float(2.0 * np.dot(k, x) / (n * x.sum()) - (n + 1.0) / n)


def lorenz_curve(values: object, points: int | None = 101) -> pd.DataFrame:
    """洛伦兹曲线 Lorenz curve: share of customers (poorest first) against their share of the total value.

    Returns ``customer_share`` and ``value_share``, both from 0 to 1. With ``points`` the curve is sampled
    at that many evenly spaced customer shares (by linear interpolation); ``None`` keeps every customer.
    """
    x = np.sort(_values(values))
    cum = np.concatenate([[0.0], np.cumsum(x)]) / x.sum()
    share = np.linspace(0.0, 1.0, x.size + 1)
    if points is not None:
        if not isinstance(points, int) or points < 2:
            raise InputError(f"采样点数 points 必须是 ≥ 2 的整数，收到 {points!r}")
        grid = np.linspace(0.0, 1.0, points)
        cum, share = np.interp(grid, share, cum), grid
    return pd.DataFrame({"customer_share": share, "value_share": cum})


def top_share(values: object, share: float = 0.2) -> float:
    """前若干客户的价值占比 the share of total value from the top ``share`` (0–1) of customers by value.

    Fractional customers are interpolated, so the answer is 1 − L(1 − share) on the Lorenz curve.
    """
    s = require_fraction(share, "客户比例", "share")
    x = np.sort(_values(values))
    cum = np.concatenate([[0.0], np.cumsum(x)]) / x.sum()
    grid = np.linspace(0.0, 1.0, x.size + 1)
    return float(1.0 - np.interp(1.0 - s, grid, cum))


def pareto_table(values: object, cuts: tuple[float, float] = (0.8, 0.95), labels: tuple[str, ...] = ("A", "B", "C")
                 ) -> pd.DataFrame:
    """ABC 分析 classes by cumulative share of value: A up to ``cuts[0]`` of the total, B up to ``cuts[1]``,
    C the rest. A customer belongs to the class in which the cumulative share *before* them lies, so the
    largest customer is always A. Returns count, share of customers, value and share of value per class."""
    x = _values(values)
    if len(cuts) != len(labels) - 1 or any(not 0 < c <= 1 for c in cuts) or list(cuts) != sorted(cuts):
        raise InputError(f"分界 cuts 必须是递增的 (0, 1] 之间的数，且比类别少一个，收到 cuts={cuts}, labels={labels}")
    order = np.argsort(-x, kind="stable")
    before = np.concatenate([[0.0], np.cumsum(x[order])[:-1]]) / x.sum()
    cls = np.empty(x.size, dtype=object)
    cls[order] = np.array(labels, dtype=object)[np.searchsorted(np.asarray(cuts), before, side="right")]
    frame = pd.DataFrame({"class": cls, "value": x})
    table = frame.groupby("class")["value"].agg(customers="size", value="sum").reindex(list(labels), fill_value=0)
    table["customer_share"] = table["customers"] / x.size
    table["value_share"] = table["value"] / x.sum()
    return table


@dataclass(frozen=True)
class GradingScheme:
    """客户分级方案 grades from the top down with the share of customers (or of value) each takes.

    ``shares`` sum to 1. ``one_time`` names an extra grade for customers flagged as one-time buyers
    (李先国's 临时客户), assigned before the shares are applied; ``source`` says where the scheme comes from.
    """

    name: str
    grades: tuple[str, ...]
    shares: tuple[float, ...]
    source: str
    one_time: str | None = None

    def __post_init__(self) -> None:
        if len(self.grades) != len(self.shares) or abs(sum(self.shares) - 1.0) > 1e-9:
            raise InputError(
                f"分级方案 {self.name}: grades 与 shares 个数必须相同且 shares 之和为 1，收到 {self.shares}"
            )


GRADING_SCHEMES: dict[str, GradingScheme] = {
    "李先国": GradingScheme(
        "李先国", ("头顶客户", "潜力客户", "常规客户"), (0.05, 0.15, 0.80),
        "李先国《客户服务实务》表1-1：客户数 5%/15%/80%，利润贡献 80%/15%/5%；一次性客户另列为临时客户",
        one_time="临时客户"),
    "梁燕冰": GradingScheme(
        "梁燕冰", ("贵宾型客户", "重要型客户", "普通型客户"), (0.05, 0.15, 0.80),
        "梁燕冰《客户关系管理》模块一：前 20% 的客户（贵宾型与重要型）创造约 80% 的利润；"
        "书中未给出贵宾型与重要型的分界，本工作簿取 5% 与 15%"),
    "苏朝晖": GradingScheme(
        "苏朝晖", ("关键客户", "普通客户", "小客户"), (0.20, 0.30, 0.50),
        "苏朝晖《客户关系管理》第 6 章：关键客户、普通客户、小客户；书中比例未收入本工作簿的资料，"
        "本工作簿按二八法则取关键客户 20%、普通客户 30%、小客户 50%"),
}


def grade_customers(values: object, scheme: str | GradingScheme = "李先国", *, by: str = "customers",
                    one_time: object | None = None) -> pd.Series:
    """客户分级 one grade per customer, from the top by value.

    ``by="customers"``: the top ``shares[0]`` of customers get the first grade, and so on (ties broken by
    order; each grade's size is its share of the customers rounded to the nearest customer).
    ``by="value"``: grades by cumulative share of the total value before each customer (as in
    :func:`pareto_table`). ``one_time`` (bools, optional) marks one-time buyers, who get ``scheme.one_time``
    when the scheme has such a grade. Returns an ordered categorical Series (index as ``values`` if a Series).
    """
    sch = GRADING_SCHEMES.get(scheme) if isinstance(scheme, str) else scheme
    if not isinstance(sch, GradingScheme):
        raise InputError(f"分级方案 scheme 只能是 {', '.join(GRADING_SCHEMES)} 或 GradingScheme，收到 {scheme!r}")
    if by not in ("customers", "value"):
        raise InputError(f"分级依据 by 只能是 'customers' 或 'value'，收到 {by!r}")
    index = values.index if isinstance(values, pd.Series) else None
    x = _values(values, nonnegative=(by == "value"))
    flags = np.zeros(x.size, dtype=bool)
    if one_time is not None:
        flags = np.asarray(one_time, dtype=bool).reshape(-1)
        if flags.size != x.size:
            raise InputError(f"一次性客户标记 one_time 的长度必须等于客户数 {x.size}，收到 {flags.size}")
        if sch.one_time is None and flags.any():
            raise InputError(f"分级方案 {sch.name} 没有一次性客户这一级 (no one-time grade)")
    ranked = np.flatnonzero(~flags)[np.argsort(-x[~flags], kind="stable")]
    bounds = np.cumsum(sch.shares)[:-1]
    if by == "customers":
        # the middle of each customer's slice of the ranking, so grade sizes are the shares rounded to the nearest
        # customer (with 90 customers, 5 % is 4.5 → 4 and 5 % + 15 % = 18)
        position = (np.arange(ranked.size) + 0.5) / max(ranked.size, 1)
    else:
        v = x[ranked]
        position = np.concatenate([[0.0], np.cumsum(v)[:-1]]) / v.sum() if v.sum() > 0 else np.zeros(v.size)
    grade_idx = np.searchsorted(bounds, position, side="right")
    codes = np.full(x.size, len(sch.grades), dtype=np.int8)   # the one-time grade, if any, comes last
    codes[ranked] = grade_idx
    order = [*sch.grades, *([sch.one_time] if sch.one_time else [])]
    return pd.Series(pd.Categorical.from_codes(codes, categories=order, ordered=True), index=index, name="grade")


def customer_profit(gross_margin: object, **costs: object) -> np.ndarray:
    """客户利润 profit per customer = gross margin − the costs to serve (each ≥ 0), all in 元.

    Pass the costs by name, e.g. ``customer_profit(margin, order_handling=..., service_contacts=...,
    discounts=..., returns=..., payment_terms=...)``; each is one value per customer or one for all.
    """
    m = _values(gross_margin, "毛利", "gross_margin", nonnegative=False)
    total = np.zeros_like(m)
    for name, c in costs.items():
        arr = np.broadcast_to(np.asarray(c, dtype=float), m.shape) if np.ndim(c) == 0 else _values(
            c, "服务成本", name, nonnegative=False)
        if arr.shape != m.shape:
            raise InputError(f"服务成本 {name} 的长度必须等于客户数 {m.size}，收到 {arr.size}")
        if (arr < 0).any() or not np.isfinite(arr).all():
            i = int(np.flatnonzero((arr < 0) | ~np.isfinite(arr))[0])
            raise InputError(f"服务成本 {name} 第 {i + 1} 个值必须 ≥ 0，收到 {float(arr[i])!r}")
        total = total + arr
    return m - total


def whale_curve(profit: object) -> pd.DataFrame:
    """鲸鱼曲线 cumulative profit (as a share of total profit) against the share of customers ranked from the
    most to the least profitable. It rises above 100 % and falls back: the customers at the right end destroy
    profit. Needs a positive total profit."""
    p = _values(profit, "客户利润", "profit", nonnegative=False)
    total = p.sum()
    if total <= 0:
        raise InputError(f"客户利润 profit 的总和必须大于 0 才能画鲸鱼曲线，收到 {total:.2f}")
    ranked = np.sort(p)[::-1]
    return pd.DataFrame({
        "customer_share": np.arange(0, p.size + 1) / p.size,
        "profit_share": np.concatenate([[0.0], np.cumsum(ranked)]) / total,
    })


def grade_upgrade_value(
    P: pd.DataFrame, margins: dict[str, float], discount: float, from_grade: str, to_grade: str,
    customers: float, horizon: int | None = None,
) -> float:
    """升级客户的价值 value (元, present value) of moving ``customers`` from ``from_grade`` to ``to_grade`` now.

    ``P`` is the grade-to-grade transition matrix per period (rows and columns labelled by grade, rows sum
    to 1), ``margins`` the margin per customer per period in each grade (元). Each grade's value V comes from
    :func:`crmlab.value.markov_clv` (this period counts in full); the answer is customers × (V[to] − V[from]).
    """
    from .value import markov_clv

    if not isinstance(P, pd.DataFrame) or list(P.index) != list(P.columns):
        raise InputError("转移矩阵 P 必须是行列标签相同的 pandas DataFrame (grades as index and columns)")
    for name, label in ((from_grade, "from_grade"), (to_grade, "to_grade")):
        if name not in P.index:
            raise InputError(f"等级 {label} 不在转移矩阵中 (unknown grade)，收到 {name!r}；可用: {list(P.index)}")
    missing = [g for g in P.index if g not in margins]
    if missing:
        raise InputError(f"各等级毛利 margins 缺少等级 missing grades {missing}")
    n = require_nonnegative(customers, "升级客户数", "customers")
    V = pd.Series(markov_clv(P.to_numpy(), [margins[g] for g in P.index], discount, horizon), index=P.index)
    return float(n * (V[to_grade] - V[from_grade]))


def grade_summary(values: object, grades: object) -> pd.DataFrame:
    """各级客户汇总 per grade: number of customers, share of customers, total value and share of the total value.

    ``values`` (one per customer, may be negative, e.g. profit) and ``grades`` (one per customer, e.g. from
    :func:`grade_customers`) line up by position. The grade order is kept when ``grades`` is categorical; an
    empty grade shows 0. ``value_share`` needs a positive total value.
    """
    x = _values(values, nonnegative=False)
    g = pd.Series(grades).reset_index(drop=True)
    if g.size != x.size:
        raise InputError(f"等级 grades 的个数必须等于客户数 {x.size}，收到 {g.size}")
    if x.sum() <= 0:
        raise InputError(f"客户价值 values 的总和必须大于 0 才能计算占比，收到 {x.sum():.2f}")
    order = list(g.cat.categories) if isinstance(g.dtype, pd.CategoricalDtype) else list(dict.fromkeys(g))
    frame = pd.DataFrame({"grade": g.astype(object), "value": x})
    table = frame.groupby("grade", sort=False)["value"].agg(customers="size", value="sum").reindex(order, fill_value=0)
    table.index.name = "grade"
    table["customer_share"] = table["customers"] / x.size
    table["value_share"] = table["value"] / x.sum()
    return table[["customers", "customer_share", "value", "value_share"]]


def allocate_service_budget(budget: float, customers: object, response: object, saturation: object,
                            weights: object | None = None) -> pd.DataFrame:
    """服务预算在各级客户间的分配 split a service budget across grades and the margin it adds (a simple model).

    ``customers``, ``response`` and ``saturation`` are per grade (dicts or Series with the grades as keys, in
    the same order). Grade g gets ``budget × w_g / Σ w``: with ``weights=None`` every *customer* gets the same
    amount (w_g = customers_g). Model (an assumption, to be stated with the numbers): each 元 spent per customer
    adds ``response_g`` 元 of margin, up to ``saturation_g`` 元 per customer; beyond that, nothing more, so

        margin_gain_g = customers_g × response_g × min(budget_g / customers_g, saturation_g).

    Returns per grade: customers, budget, per_customer, margin_gain and net_gain (= margin_gain − budget).
    """
    b = require_nonnegative(budget, "服务预算", "budget")
    n = pd.Series(customers, dtype=float)
    grades = list(n.index)
    parts = {"response": (response, "每元服务的毛利提升"), "saturation": (saturation, "每位客户的饱和投入")}
    series = {}
    for key, (obj, zh) in parts.items():
        s = pd.Series(obj, dtype=float)
        if sorted(map(str, s.index)) != sorted(map(str, grades)):
            raise InputError(f"{zh} {key} 的等级必须与 customers 相同 {grades}，收到 {list(s.index)}")
        series[key] = s.reindex(grades)
    w = n.copy() if weights is None else pd.Series(weights, dtype=float)
    if weights is not None and sorted(map(str, w.index)) != sorted(map(str, grades)):
        raise InputError(f"分配权重 weights 的等级必须与 customers 相同 {grades}，收到 {list(w.index)}")
    w = w.reindex(grades)
    for name, s in (("customers", n), ("response", series["response"]), ("saturation", series["saturation"]),
                    ("weights", w)):
        if not np.isfinite(s.to_numpy()).all() or (s < 0).any():
            raise InputError(f"{name} 的每个值都必须是 ≥ 0 的有限数字，收到 {s.to_dict()}")
    if (n <= 0).any():
        raise InputError(f"各级客户数 customers 必须大于 0，收到 {n.to_dict()}")
    if w.sum() <= 0:
        raise InputError(f"分配权重 weights 的总和必须大于 0，收到 {w.to_dict()}")
    alloc = b * w / w.sum()
    per = alloc / n
    gain = n * series["response"] * np.minimum(per, series["saturation"])
    table = pd.DataFrame({"customers": n, "budget": alloc, "per_customer": per, "margin_gain": gain,
                          "net_gain": gain - alloc})
    table.index.name = "grade"
    return table
