"""客户忠诚 customer loyalty (chapter 9): how loyal customers are, what kind of loyalty it is, and what it is worth.

* :data:`LOYALTY_INDICATORS` and :func:`loyalty_index` — the textbook's loyalty indicators (重复购买次数,
  需求满足率, 对本企业品牌的关注程度, 对竞争品牌的态度, 对价格的敏感程度, 对产品质量事故的承受能力,
  购买挑选时间) combined into one weighted score from 0 to 100; :func:`indicator_scores` shows the scaling.
* :func:`share_of_wallet` — 需求满足率: the customer's spend with us over their spend in the category.
* :func:`dick_basu` and :func:`dick_basu_summary` — Dick & Basu (1994): relative attitude × repeat patronage →
  真正忠诚 / 潜在忠诚 / 虚假忠诚 / 不忠诚.
* :func:`retention_rate`, :func:`churn_rate`, :func:`active_customer_counts`, :func:`cohort_retention`,
  :func:`repurchase_rate_by` and (re-exported from
  :mod:`crmlab.value`) :func:`expected_lifetime`.
* :func:`fit_satisfaction_loyalty` and :func:`loyalty_zones` — the satisfaction → repurchase curve and the zones
  of Jones & Sasser (1995), "Why satisfied customers defect".
* :func:`loyalty_programme_economics` — what a loyalty programme (奖励客户的忠诚) gains in retained margin
  against what its rewards cost, and the retention uplift at which it breaks even.
* :func:`switching_cost` and :func:`periods_to_recoup` — 转换成本 and how long a saving takes to pay it back.

Money is in 元 (or any one unit), rates are fractions per period (0.8 = 80 %).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from .display import html_rows, uplift_label
from .errors import InputError, require_finite, require_fraction, require_nonnegative, require_positive
from .value import expected_lifetime, margin_multiple, retention_for_margin_multiple

__all__ = [
    "DICK_BASU_ACTIONS",
    "DICK_BASU_CELLS",
    "LOYALTY_INDICATORS",
    "LOYALTY_ZONES",
    "CustomerCounts",
    "LoyaltyIndicator",
    "LoyaltyProgrammeResult",
    "SatisfactionLoyaltyFit",
    "SwitchingCost",
    "active_customer_counts",
    "churn_rate",
    "cohort_retention",
    "dick_basu",
    "dick_basu_summary",
    "expected_lifetime",
    "fit_satisfaction_loyalty",
    "indicator_scores",
    "loyalty_index",
    "loyalty_programme_economics",
    "loyalty_zones",
    "periods_to_recoup",
    "repurchase_rate_by",
    "retention_rate",
    "share_of_wallet",
    "switching_cost",
]


# --- 忠诚度指标与综合指数 ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LoyaltyIndicator:
    """一个忠诚度指标 one loyalty indicator: its Chinese name, unit, the direction in which it means more loyalty
    (``"higher"`` or ``"lower"``) and the default bounds used to scale it to 0–1."""

    name: str
    unit: str
    direction: Literal["higher", "lower"]
    bounds: tuple[float, float]


#: The textbook's loyalty indicators (苏朝晖 9.1.3), with the units and default bounds of this workbook's survey
#: (``datasets/loyalty/``). The bounds are a choice of the workbook, stated so that a score can be read back.
LOYALTY_INDICATORS: dict[str, LoyaltyIndicator] = {
    "repeat_purchases": LoyaltyIndicator("重复购买次数", "次/12 个月", "higher", (0.0, 12.0)),
    "share_of_wallet": LoyaltyIndicator("需求满足率", "比例 0–1", "higher", (0.0, 1.0)),
    "brand_attention": LoyaltyIndicator("对本企业品牌的关注程度", "评分 1–5", "higher", (1.0, 5.0)),
    "competitor_attitude": LoyaltyIndicator("对竞争品牌的好感", "评分 1–5", "lower", (1.0, 5.0)),
    "price_sensitivity": LoyaltyIndicator("对价格的敏感程度", "评分 1–5", "lower", (1.0, 5.0)),
    "quality_tolerance": LoyaltyIndicator("对产品质量事故的承受能力", "评分 1–5", "higher", (1.0, 5.0)),
    "choice_time": LoyaltyIndicator("购买挑选时间", "分钟", "lower", (0.0, 30.0)),
}


def _frame(df: object, zh: str = "指标数据", en: str = "df") -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{zh} {en} 必须是 pandas DataFrame，收到 {type(df).__name__}")
    if df.empty:
        raise InputError(f"{zh} {en} 不能为空 (empty)")
    return df


def indicator_scores(df: pd.DataFrame, columns: object = None, directions: Mapping[str, str] | None = None,
                     bounds: Mapping[str, tuple[float, float]] | None = None, *, clip: bool = False) -> pd.DataFrame:
    """指标得分 each indicator scaled to 0–1 by min–max against stated bounds (low, high):

    * ``direction="higher"`` (more is more loyal): score = (x − low) / (high − low);
    * ``direction="lower"`` (less is more loyal, e.g. 对价格的敏感程度, 购买挑选时间):
      score = (high − x) / (high − low).

    So x = low scores 0 and x = high scores 1 for a "higher" indicator, the other way round for a "lower" one.
    ``columns`` defaults to every column of ``df`` that is in :data:`LOYALTY_INDICATORS`; ``directions`` and
    ``bounds`` override (or, for other columns, supply) the defaults of :data:`LOYALTY_INDICATORS`. A value
    outside its bounds is an :class:`InputError` naming the row and column, unless ``clip=True``, which counts it
    as the nearest bound.
    """
    data = _frame(df)
    directions = dict(directions or {})
    bounds = dict(bounds or {})
    cols = [c for c in data.columns if c in LOYALTY_INDICATORS] if columns is None else list(columns)
    if not cols:
        raise InputError(f"指标数据 df 中没有可识别的忠诚度指标列 (no indicator columns)；"
                         f"可用: {list(LOYALTY_INDICATORS)}")
    out = {}
    for col in cols:
        if col not in data.columns:
            raise InputError(f"指标数据 df 缺少列 missing column {col!r}；现有列: {list(data.columns)}")
        known = LOYALTY_INDICATORS.get(col)
        direction = directions.get(col, known.direction if known else None)
        if direction not in ("higher", "lower"):
            raise InputError(f"指标 {col} 的方向 direction 必须是 'higher' 或 'lower'，收到 {direction!r}")
        lo_hi = bounds.get(col, known.bounds if known else None)
        if lo_hi is None or len(lo_hi) != 2:
            raise InputError(f"指标 {col} 需要给出上下界 bounds=(low, high)，收到 {lo_hi!r}")
        lo = require_finite(lo_hi[0], f"指标 {col} 的下界", "bounds[0]")
        hi = require_finite(lo_hi[1], f"指标 {col} 的上界", "bounds[1]")
        if hi <= lo:
            raise InputError(f"指标 {col} 的上界必须大于下界 (high > low)，收到 bounds=({lo:g}, {hi:g})")
        x = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(x)
        if not clip:
            bad |= (x < lo) | (x > hi)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"指标数据 df 第 {i + 1} 行、列 {col} 必须是 [{lo:g}, {hi:g}] 之间的数字"
                             f"（或设 clip=True 截断），收到 {data[col].iloc[i]!r}")
        x = np.clip(x, lo, hi)
        scaled = (x - lo) / (hi - lo)
        out[col] = scaled if direction == "higher" else 1.0 - scaled
    return pd.DataFrame(out, index=data.index)


def loyalty_index(df: pd.DataFrame, weights: Mapping[str, float], directions: Mapping[str, str] | None = None,
                  bounds: Mapping[str, tuple[float, float]] | None = None, *, normalize: bool = False,
                  clip: bool = False) -> pd.Series:
    """客户忠诚度指数 loyalty index from 0 (least loyal) to 100 (most loyal), one per row of ``df``.

    index = 100 × Σ_k w_k × score_k, where score_k is indicator k scaled to 0–1 by :func:`indicator_scores`
    (min–max against ``bounds``, reversed for indicators where lower means more loyal). ``weights`` maps
    indicator columns to weights ≥ 0 that must sum to 1 (±1e-6); with ``normalize=True`` they are divided by
    their sum instead. So a customer at the loyal end of every indicator scores 100 and one at the other end 0.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(f"权重 weights 必须是非空的字典 {{指标: 权重}}，收到 {weights!r}")
    w = {}
    for col, value in weights.items():
        w[col] = require_nonnegative(value, f"指标 {col} 的权重", "weight")
    total = sum(w.values())
    if total <= 0:
        raise InputError(f"权重 weights 之和必须大于 0，收到 {total:g}")
    if normalize:
        w = {k: v / total for k, v in w.items()}
    elif abs(total - 1.0) > 1e-6:
        raise InputError(f"权重 weights 之和必须为 1（或设 normalize=True 自动归一），收到 {total:.6g}")
    scores = indicator_scores(df, list(w), directions, bounds, clip=clip)
    index = 100.0 * (scores * pd.Series(w)).sum(axis=1)
    return index.rename("loyalty_index")


def share_of_wallet(spend_with_us: object, total_category_spend: object) -> float | np.ndarray:
    """需求满足率 share of wallet: spend with us / the customer's total spend in the category, in [0, 1].

    Both in 元 over the same period; scalars give a float, arrays an array. Needs 0 ≤ spend_with_us ≤ total
    and total > 0 for every customer.
    """
    ours = np.asarray(spend_with_us, dtype=float)
    total = np.asarray(total_category_spend, dtype=float)
    if ours.shape != total.shape:
        raise InputError(f"本企业消费 spend_with_us 与品类总消费 total_category_spend 的个数必须相同，"
                         f"收到 {ours.size} 和 {total.size}")
    if ours.size == 0:
        raise InputError("本企业消费 spend_with_us 不能为空 (empty)")
    o, t = ours.reshape(-1), total.reshape(-1)
    for arr, zh, en in ((o, "本企业消费", "spend_with_us"), (t, "品类总消费", "total_category_spend")):
        bad = ~np.isfinite(arr) | (arr < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{zh} {en} 第 {i + 1} 个值必须是 ≥ 0 的数字，收到 {float(arr[i])!r}")
    bad = (t <= 0) | (o > t)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"第 {i + 1} 位客户：品类总消费 total_category_spend 必须大于 0 且不小于本企业消费，"
                         f"收到 spend_with_us={o[i]:g}, total_category_spend={t[i]:g}")
    result = ours / total
    return float(result) if result.ndim == 0 else result


# --- Dick & Basu (1994) -------------------------------------------------------------------------------

#: The four cells of Dick & Basu (1994, JAMS 22(2): 99–113), relative attitude × repeat patronage.
DICK_BASU_CELLS: tuple[str, ...] = ("真正忠诚", "潜在忠诚", "虚假忠诚", "不忠诚")

#: What each cell means and what to do about it (our summary).
DICK_BASU_ACTIONS: dict[str, str] = {
    "真正忠诚": "态度好、买得多 (loyalty)：重点维护，奖励并请他们推荐",
    "潜在忠诚": "态度好、买得少 (latent loyalty)：找出妨碍购买的障碍（价格、渠道、品类），让好感变成购买",
    "虚假忠诚": "买得多、态度一般 (spurious loyalty)：靠习惯、便利或转换成本维系，对手一有更好条件就可能离开；"
                "要提升满意和情感",
    "不忠诚": "态度差、买得少 (no loyalty)：先判断值不值得投入，不必强求",
}


def dick_basu(attitude: object, patronage: object, attitude_cut: float, patronage_cut: float) -> str | pd.Series:
    """Dick & Basu 忠诚矩阵 one cell per customer from relative attitude (相对态度) and repeat patronage (重复购买).

    "High" means ≥ the cut: high attitude & high patronage → 真正忠诚 (loyalty); high attitude & low patronage →
    潜在忠诚 (latent loyalty); low attitude & high patronage → 虚假忠诚 (spurious loyalty); both low → 不忠诚
    (no loyalty). Attitude and patronage can be on any scale (e.g. a 1–7 rating and share of wallet 0–1), the
    cuts on the same scales. Scalars give a label; sequences give an ordered categorical Series (index kept
    when ``attitude`` is a Series).
    """
    a_cut = require_finite(attitude_cut, "态度分界", "attitude_cut")
    p_cut = require_finite(patronage_cut, "购买分界", "patronage_cut")
    scalar = np.ndim(attitude) == 0 and np.ndim(patronage) == 0
    index = attitude.index if isinstance(attitude, pd.Series) else None
    a = np.asarray(attitude, dtype=float).reshape(-1)
    p = np.asarray(patronage, dtype=float).reshape(-1)
    if a.size != p.size:
        raise InputError(f"相对态度 attitude 与重复购买 patronage 的个数必须相同，收到 {a.size} 和 {p.size}")
    if a.size == 0:
        raise InputError("相对态度 attitude 不能为空 (empty)")
    for arr, zh, en in ((a, "相对态度", "attitude"), (p, "重复购买", "patronage")):
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{zh} {en} 第 {i + 1} 个值必须是有限的数字，收到 {float(arr[i])!r}")
    high_a, high_p = a >= a_cut, p >= p_cut
    codes = np.where(high_a, np.where(high_p, 0, 1), np.where(high_p, 2, 3))
    if scalar:
        return DICK_BASU_CELLS[int(codes[0])]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(DICK_BASU_CELLS), ordered=True),
                     index=index, name="dick_basu")


def dick_basu_summary(cells: object) -> pd.DataFrame:
    """Dick & Basu 各类客户汇总: number and share of customers in each of the four cells (empty cells show 0),
    with the suggested action of :data:`DICK_BASU_ACTIONS`."""
    s = pd.Series(cells, dtype=object)
    if s.empty:
        raise InputError("忠诚类型 cells 不能为空 (empty)")
    unknown = sorted(set(s) - set(DICK_BASU_CELLS))
    if unknown:
        raise InputError(f"忠诚类型 cells 只能是 {list(DICK_BASU_CELLS)}，收到 {unknown}")
    counts = s.value_counts().reindex(list(DICK_BASU_CELLS), fill_value=0)
    table = pd.DataFrame({"customers": counts.astype(int), "share": counts / counts.sum(),
                          "action": pd.Series(DICK_BASU_ACTIONS)})
    table.index.name = "cell"
    return table


# --- 保留率与流失率 ---------------------------------------------------------------------------------

def retention_rate(start_customers: float, end_customers: float, new_customers: float) -> float:
    """客户保留率 retention rate over a period = (E − N) / S.

    S = customers at the start of the period (> 0), E = customers at the end, N = new customers gained during
    the period (0 ≤ N ≤ E). E − N are the start customers still there, so 0 ≤ E − N ≤ S is required.
    """
    s = require_positive(start_customers, "期初客户数", "start_customers")
    e = require_nonnegative(end_customers, "期末客户数", "end_customers")
    n = require_nonnegative(new_customers, "新增客户数", "new_customers")
    if n > e:
        raise InputError(f"新增客户数 new_customers 不能大于期末客户数 end_customers，收到 N={n:g}, E={e:g}")
    if e - n > s:
        raise InputError(f"留下的老客户 E − N 不能多于期初客户数 S，收到 E={e:g}, N={n:g}, S={s:g}")
    return (e - n) / s


def churn_rate(start_customers: float, end_customers: float, new_customers: float) -> float:
    """客户流失率 churn rate = 1 − retention rate = (S − (E − N)) / S; see :func:`retention_rate`."""
    return 1.0 - retention_rate(start_customers, end_customers, new_customers)


@dataclass(frozen=True)
class CustomerCounts:
    """期初、期末与新增客户数 the counts behind :func:`retention_rate` for one period."""

    start_customers: int
    end_customers: int
    new_customers: int

    @property
    def retention(self) -> float:
        """保留率 (E − N) / S."""
        return retention_rate(self.start_customers, self.end_customers, self.new_customers)

    def __repr__(self) -> str:
        return (f"CustomerCounts(期初 S={self.start_customers:,}, 期末 E={self.end_customers:,}, "
                f"新增 N={self.new_customers:,}, 保留率 {self.retention:.1%})")


def active_customer_counts(transactions: pd.DataFrame, start: object, end: object, customer_col: str = "customer_id",
                           date_col: str = "date") -> CustomerCounts:
    """按购买定义的客户数 counts for :func:`retention_rate` from purchases, for the period [start, end).

    A customer "is a customer" in a period if they bought in it. E = customers who bought in [start, end);
    S = customers who bought in the previous period of the same length, [start − (end − start), start);
    N = customers in E who were not in S (first-time buyers and customers won back), so E − N = customers in both.
    """
    if not isinstance(transactions, pd.DataFrame) or not {customer_col, date_col} <= set(transactions.columns):
        raise InputError(f"交易表 transactions 必须是含列 {customer_col} 与 {date_col} 的 pandas DataFrame")
    try:
        t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    except (TypeError, ValueError):
        raise InputError(f"起止日期 start/end 不是有效日期，收到 start={start!r}, end={end!r}") from None
    if t1 <= t0:
        raise InputError(f"结束日期 end 必须晚于开始日期 start，收到 start={t0.date()}, end={t1.date()}")
    dates = pd.to_datetime(transactions[date_col], errors="coerce")
    if dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"交易表 transactions 第 {i + 1} 行、列 {date_col} 不是有效日期，"
                         f"收到 {transactions[date_col].iloc[i]!r}")
    ids = transactions[customer_col]
    before = set(ids[(dates >= t0 - (t1 - t0)) & (dates < t0)])
    during = set(ids[(dates >= t0) & (dates < t1)])
    if not before:
        raise InputError(f"{(t0 - (t1 - t0)).date()} 到 {t0.date()} 之间没有购买的客户，期初客户数为 0")
    return CustomerCounts(start_customers=len(before), end_customers=len(during),
                          new_customers=len(during - before))


def repurchase_rate_by(groups: object, repurchased: object, edges: object = None) -> pd.DataFrame:
    """各组复购率 number of customers, number who repurchased and the repurchase rate per group.

    ``groups`` are labels (an ordered categorical keeps its order, empty groups show 0 customers) or, with
    ``edges`` (increasing numbers), numeric scores put into the bands (e0, e1], (e1, e2], … with the lowest edge
    included, labelled "e0–e1", "e1–e2", …. ``repurchased`` is 0/1 or bool, one per customer.
    """
    y = np.asarray(repurchased, dtype=float).reshape(-1)
    g = pd.Series(groups).reset_index(drop=True)
    if g.size != y.size:
        raise InputError(f"分组 groups 与是否复购 repurchased 的个数必须相同，收到 {g.size} 和 {y.size}")
    if y.size == 0:
        raise InputError("是否复购 repurchased 不能为空 (empty)")
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"是否复购 repurchased 第 {i + 1} 个值必须是 0 或 1，收到 {float(y[i])!r}")
    if edges is not None:
        e = np.asarray(edges, dtype=float).reshape(-1)
        if e.size < 2 or not np.all(np.isfinite(e)) or np.any(np.diff(e) <= 0):
            raise InputError(f"分段 edges 必须是至少两个递增的数字，收到 {edges!r}")
        x = pd.to_numeric(g, errors="coerce")
        outside = x.isna() | (x < e[0]) | (x > e[-1])
        if outside.any():
            i = int(np.flatnonzero(outside.to_numpy())[0])
            raise InputError(f"分组 groups 第 {i + 1} 个值必须在 [{e[0]:g}, {e[-1]:g}] 之间，收到 {g.iloc[i]!r}")
        labels = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(e)]
        g = pd.cut(x, e, include_lowest=True, labels=labels)
    frame = pd.DataFrame({"group": g, "y": y})
    table = frame.groupby("group", observed=False, sort=isinstance(g.dtype, pd.CategoricalDtype))["y"].agg(
        customers="size", repurchased="sum")
    table["repurchased"] = table["repurchased"].astype(int)
    table["repurchase_rate"] = table["repurchased"] / table["customers"].where(table["customers"] > 0)
    return table


def cohort_retention(transactions: pd.DataFrame, freq: str = "Q", customer_col: str = "customer_id",
                     date_col: str = "date", end: object = None) -> pd.DataFrame:
    """同期群保留曲线 cohort retention: customers grouped by the period of their first purchase (the cohort);
    for each cohort and each period offset k = 0, 1, 2, … the share of the cohort that bought in period
    cohort + k. Offset 0 is 1 by construction. Periods are pandas periods (``"M"``, ``"Q"``, ``"Y"``); cells
    past ``end`` (default: the last transaction's period) are NaN — not observed yet, not zero. The column
    ``size`` holds each cohort's number of customers.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise InputError(f"交易表 transactions 必须是 pandas DataFrame，收到 {type(transactions).__name__}")
    for col in (customer_col, date_col):
        if col not in transactions.columns:
            raise InputError(f"交易表 transactions 缺少列 missing column {col!r}；现有列: {list(transactions.columns)}")
    if transactions.empty:
        raise InputError("交易表 transactions 不能为空 (empty)")
    if freq not in ("M", "Q", "Y"):
        raise InputError(f"周期 freq 只能是 'M'（月）、'Q'（季）或 'Y'（年），收到 {freq!r}")
    dates = pd.to_datetime(transactions[date_col], errors="coerce")
    if dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"交易表 transactions 第 {i + 1} 行、列 {date_col} 不是有效日期，"
                         f"收到 {transactions[date_col].iloc[i]!r}")
    ordinal = pd.PeriodIndex(dates, freq=freq).asi8          # consecutive periods have consecutive ordinals
    frame = pd.DataFrame({"customer": transactions[customer_col].to_numpy(), "period": ordinal})
    frame["cohort"] = frame.groupby("customer")["period"].transform("min")
    frame["offset"] = frame["period"] - frame["cohort"]
    active = frame.drop_duplicates(["customer", "offset"])
    counts = active.groupby(["cohort", "offset"]).size().unstack(fill_value=0)
    size = counts[0]
    if end is not None:
        try:
            last = pd.Period(pd.Timestamp(end), freq).ordinal
        except (TypeError, ValueError):
            raise InputError(f"截止日期 end 不是有效日期 (invalid date)，收到 {end!r}") from None
    else:
        last = int(ordinal.max())
    table = counts.div(size, axis=0).astype(float)
    table = table.reindex(columns=range(max(int(last - table.index.min()) + 1, 1)), fill_value=0.0)
    observed = last - table.index.to_numpy()[:, None]
    table = table.where(table.columns.to_numpy()[None, :] <= observed)
    table.index = pd.PeriodIndex.from_ordinals(table.index.to_numpy(), freq=freq)
    table.index.name = "cohort"
    table.columns.name = "offset"
    table.insert(0, "size", size.to_numpy().astype(int))
    return table


# --- 满意与忠诚 (Jones & Sasser 1995) -------------------------------------------------------------------

#: Zones of Jones & Sasser (1995) on a 1–5 satisfaction scale and the default cut points of :func:`loyalty_zones`.
LOYALTY_ZONES: tuple[str, ...] = ("背叛区", "冷漠区", "情感区")


def loyalty_zones(satisfaction: object, cuts: tuple[float, float] = (2.5, 4.5)) -> str | pd.Series:
    """满意—忠诚区域 zones of Jones & Sasser (1995) for satisfaction scores on a 1–5 scale.

    With the default ``cuts=(2.5, 4.5)``: scores 1–2 → 背叛区 (zone of defection), 3–4 → 冷漠区 (zone of
    indifference), 5 → 情感区 (zone of affection): a score below ``cuts[0]`` is defection, a score ≥ ``cuts[1]``
    affection, the rest indifference. This is the workbook's reading of their figure; the cut points are
    parameters so the assumption can be changed. Scalars give a label, sequences an ordered categorical Series.
    """
    lo = require_finite(cuts[0], "背叛区上限", "cuts[0]")
    hi = require_finite(cuts[1], "情感区下限", "cuts[1]")
    if not 1 <= lo < hi <= 5:
        raise InputError(f"分界 cuts 必须满足 1 ≤ cuts[0] < cuts[1] ≤ 5，收到 {cuts!r}")
    scalar = np.ndim(satisfaction) == 0
    index = satisfaction.index if isinstance(satisfaction, pd.Series) else None
    s = _scores(satisfaction)
    codes = np.where(s < lo, 0, np.where(s >= hi, 2, 1))
    if scalar:
        return LOYALTY_ZONES[int(codes[0])]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(LOYALTY_ZONES), ordered=True),
                     index=index, name="zone")


def _scores(satisfaction: object) -> np.ndarray:
    try:
        s = np.asarray(satisfaction, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"满意度 satisfaction 必须是 1–5 的数字，收到 {satisfaction!r:.80}") from None
    if s.size == 0:
        raise InputError("满意度 satisfaction 不能为空 (empty)")
    bad = ~np.isfinite(s) | (s < 1) | (s > 5)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"满意度 satisfaction 第 {i + 1} 个值必须在 1 和 5 之间，收到 {float(s[i])!r}")
    return s


@dataclass(frozen=True)
class SatisfactionLoyaltyFit:
    """满意—复购曲线 a fitted logistic curve P(repurchase | satisfaction s) = 1 / (1 + exp(−(a + b s))).

    ``intercept_`` = a, ``slope_`` = b (per satisfaction point), ``n_`` the number of customers, ``observed_``
    the observed repurchase rate and count at each satisfaction score.
    """

    intercept_: float
    slope_: float
    n_: int
    observed_: pd.DataFrame

    def predict(self, satisfaction: object) -> float | np.ndarray:
        """预测复购概率 P(repurchase) at the given satisfaction score(s) (1–5)."""
        s = _scores(satisfaction)
        p = 1.0 / (1.0 + np.exp(-(self.intercept_ + self.slope_ * s)))
        return float(p[0]) if np.ndim(satisfaction) == 0 else p

    @property
    def odds_ratio(self) -> float:
        """每提高 1 分，复购的优势比 odds ratio per satisfaction point, exp(b)."""
        return math.exp(self.slope_)

    def __repr__(self) -> str:
        return (f"SatisfactionLoyaltyFit(a={self.intercept_:.3f}, b={self.slope_:.3f} 每分, "
                f"n={self.n_}, 每提高 1 分复购优势比 ×{self.odds_ratio:.2f})")


def fit_satisfaction_loyalty(satisfaction: object, repurchased: object) -> SatisfactionLoyaltyFit:
    """拟合满意—复购曲线 logistic regression (maximum likelihood, no penalty; scikit-learn) of whether each
    customer repurchased (0/1 or bool) on their satisfaction score (1–5).

    Assumptions to state with the result: one straight line on the log-odds scale (so the curve is an S shape,
    steepest where P = 0.5); customers independent; satisfaction measured before the repurchase window; the
    curve describes association, not the effect of raising a customer's score. Needs at least two different
    scores and both outcomes; if the scores separate buyers from non-buyers completely the maximum-likelihood
    slope is infinite and an :class:`InputError` is raised.
    """
    from sklearn.linear_model import LogisticRegression

    s = _scores(satisfaction)
    try:
        y_raw = np.asarray(repurchased, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"是否复购 repurchased 必须是 0/1 或 True/False，收到 {repurchased!r:.80}") from None
    if y_raw.size != s.size:
        raise InputError(f"满意度 satisfaction 与是否复购 repurchased 的个数必须相同，收到 {s.size} 和 {y_raw.size}")
    bad = ~np.isin(y_raw, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"是否复购 repurchased 第 {i + 1} 个值必须是 0 或 1，收到 {float(y_raw[i])!r}")
    y = y_raw.astype(int)
    if np.unique(s).size < 2:
        raise InputError("满意度 satisfaction 至少要有两种不同的分数才能拟合曲线")
    if y.min() == y.max():
        raise InputError(f"是否复购 repurchased 必须同时有复购 (1) 和未复购 (0) 的客户，收到全部为 {y[0]}")
    if s[y == 0].max() < s[y == 1].min() or s[y == 1].max() < s[y == 0].min():
        raise InputError("满意度完全分开了复购与未复购的客户 (complete separation)：斜率的最大似然估计为无穷大，"
                         "请增加样本")
    model = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(s[:, None], y)
    observed = pd.DataFrame({"satisfaction": s, "repurchased": y}).groupby("satisfaction")["repurchased"].agg(
        customers="size", repurchase_rate="mean")
    return SatisfactionLoyaltyFit(intercept_=float(model.intercept_[0]), slope_=float(model.coef_[0, 0]),
                                  n_=int(s.size), observed_=observed)


# --- 忠诚计划的经济账 -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoyaltyProgrammeResult:
    """忠诚计划的经济账 (money in 元, present values at the discount rate)."""

    members: float
    baseline_retention: float
    new_retention: float
    margin: float
    reward_cost_per_member: float
    discount: float
    margin_gain: float
    reward_cost: float
    fixed_cost: float
    break_even_uplift: float

    @property
    def retention_uplift(self) -> float:
        """保留率提升 new − baseline retention."""
        return self.new_retention - self.baseline_retention

    @property
    def net_value(self) -> float:
        """净价值 margin gain − reward cost − fixed cost (元)."""
        return self.margin_gain - self.reward_cost - self.fixed_cost

    @property
    def extra_retained(self) -> float:
        """第一期多留住的会员数 members × uplift."""
        return self.members * self.retention_uplift

    @property
    def lifetime_before(self) -> float:
        """原来的预期客户寿命 1 / (1 − r), in periods."""
        return expected_lifetime(self.baseline_retention)

    @property
    def lifetime_after(self) -> float:
        """实施计划后的预期客户寿命 1 / (1 − r'), in periods (inf if r' = 1)."""
        return math.inf if self.new_retention >= 1 else expected_lifetime(self.new_retention)

    def __repr__(self) -> str:
        be = uplift_label(self.break_even_uplift)
        return (f"LoyaltyProgrammeResult(保留率 {self.baseline_retention:.1%} → {self.new_retention:.1%}, "
                f"毛利增加 {self.margin_gain:,.0f} 元, 奖励成本 {self.reward_cost:,.0f} 元, "
                f"固定成本 {self.fixed_cost:,.0f} 元, 净价值 {self.net_value:,.0f} 元, 盈亏平衡提升 {be})")

    def _repr_html_(self) -> str:
        be = uplift_label(self.break_even_uplift)
        rows = [("会员数", f"{self.members:,.0f}"),
                ("保留率：原来 → 实施后", f"{self.baseline_retention:.1%} → {self.new_retention:.1%}"),
                ("预期客户寿命（期）", f"{self.lifetime_before:.2f} → {self.lifetime_after:.2f}"),
                ("多留住的客户带来的毛利（现值）", f"{self.margin_gain:,.0f} 元"),
                ("奖励成本（现值）", f"{self.reward_cost:,.0f} 元"), ("固定成本", f"{self.fixed_cost:,.0f} 元"),
                ("净价值", f"<b>{self.net_value:,.0f} 元</b>"), ("盈亏平衡所需的保留率提升", be)]
        return html_rows(rows)


def _break_even_uplift(n: float, m: float, c: float, r0: float, d: float, fixed: float) -> float:
    """Smallest uplift u with n[(m − c)·M(r0 + u) − m·M(r0)] = fixed, where M(r) = r / (1 + d − r)."""
    if m <= c:
        return math.inf                       # every retained member costs more in rewards than they bring
    if n == 0:
        return 0.0 if fixed == 0 else math.inf
    r1 = retention_for_margin_multiple((fixed / n + m * margin_multiple(r0, d)) / (m - c), d)
    return math.inf if math.isinf(r1) else max(r1 - r0, 0.0)


def loyalty_programme_economics(
    members: float, margin: float, baseline_retention: float, retention_uplift: float, *,
    reward_cost_per_member: float | None = None, reward_rate: float | None = None,
    spend_per_member: float | None = None, discount: float = 0.10, fixed_cost: float = 0.0,
) -> LoyaltyProgrammeResult:
    """忠诚计划的经济账 loyalty-programme economics over the members' remaining lifetime.

    Model (stated with the numbers): ``members`` customers each bring ``margin`` 元 per period (before rewards)
    at the end of every period they survive, as in :func:`crmlab.value.clv_closed_form`. Without the programme
    they stay from one period to the next with probability r = ``baseline_retention``; with it, r' = r +
    ``retention_uplift``. Each member still there at the end of a period receives rewards worth c 元 — either
    ``reward_cost_per_member`` or ``reward_rate`` × ``spend_per_member`` (e.g. 2 % back on 1,000 元) — and the
    programme costs ``fixed_cost`` 元 up front. With the margin multiple M(r) = r / (1 + d − r):

        margin_gain = members × margin × (M(r') − M(r))     extra margin from keeping customers longer
        reward_cost = members × c × M(r')                   rewards paid to every surviving member
        net_value   = margin_gain − reward_cost − fixed_cost

    ``break_even_uplift`` is the uplift at which net_value = 0, from M(r + u) = (fixed/members + margin·M(r)) /
    (margin − c); it is inf when margin ≤ c or when no retention ≤ 1 is enough.
    """
    n = require_nonnegative(members, "会员数", "members")
    m = require_nonnegative(margin, "每期毛利", "margin")
    r0 = require_fraction(baseline_retention, "原保留率", "baseline_retention")
    u = require_finite(retention_uplift, "保留率提升", "retention_uplift")
    d = require_nonnegative(discount, "折现率", "discount")
    f = require_nonnegative(fixed_cost, "固定成本", "fixed_cost")
    if reward_cost_per_member is not None:
        if reward_rate is not None or spend_per_member is not None:
            raise InputError("奖励成本只能用一种方式给出：reward_cost_per_member，或 reward_rate 与 spend_per_member")
        c = require_nonnegative(reward_cost_per_member, "每位会员每期奖励成本", "reward_cost_per_member")
    elif reward_rate is not None and spend_per_member is not None:
        c = (require_fraction(reward_rate, "奖励比例", "reward_rate")
             * require_nonnegative(spend_per_member, "每位会员每期消费", "spend_per_member"))
    else:
        raise InputError("请给出每位会员每期奖励成本 reward_cost_per_member，或奖励比例 reward_rate 与每期消费 "
                         "spend_per_member")
    r1 = r0 + u
    if not 0 <= r1 <= 1:
        raise InputError(f"实施后的保留率 baseline_retention + retention_uplift 必须在 0 和 1 之间，"
                         f"收到 {r0:g} + {u:g} = {r1:g}")
    if d == 0 and r1 >= 1:
        raise InputError("折现率 discount = 0 且实施后保留率为 1 时价值无限大，请降低 retention_uplift 或设折现率")
    m0, m1 = margin_multiple(r0, d), margin_multiple(r1, d)
    return LoyaltyProgrammeResult(
        members=n, baseline_retention=r0, new_retention=r1, margin=m, reward_cost_per_member=c, discount=d,
        margin_gain=n * m * (m1 - m0), reward_cost=n * c * m1, fixed_cost=f,
        break_even_uplift=_break_even_uplift(n, m, c, r0, d, f),
    )


# --- 转换成本 ----------------------------------------------------------------------------------------

#: Kinds of switching cost (Burnham, Frels & Mahajan 2003, JAMS 31(2)): 程序性、财务性、关系性.
SWITCHING_COST_PARTS: dict[str, str] = {
    "procedural": "程序性转换成本（时间、精力、学习新流程）",
    "financial": "财务性转换成本（失去积分、优惠、违约金）",
    "relational": "关系性转换成本（放弃熟悉的人和感情）",
}


@dataclass(frozen=True)
class SwitchingCost:
    """客户的转换成本 a customer's switching costs by kind, in 元 (or 元-equivalents)."""

    parts: dict[str, float]

    @property
    def total(self) -> float:
        """总转换成本 the sum of the parts."""
        return float(sum(self.parts.values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{SWITCHING_COST_PARTS[k].split('（')[0]} {v:,.0f}" for k, v in self.parts.items())
        return f"SwitchingCost({inner}; 合计 {self.total:,.0f} 元)"


def switching_cost(procedural: float = 0.0, financial: float = 0.0, relational: float = 0.0) -> SwitchingCost:
    """转换成本 what a customer would give up by moving to a competitor, by kind (each ≥ 0, 元 or 元-equivalent):
    ``procedural`` (程序性: time, effort, learning), ``financial`` (财务性: lost points, discounts, fees) and
    ``relational`` (关系性: relationships and attachment), after Burnham, Frels & Mahajan (2003)."""
    return SwitchingCost({
        "procedural": require_nonnegative(procedural, "程序性转换成本", "procedural"),
        "financial": require_nonnegative(financial, "财务性转换成本", "financial"),
        "relational": require_nonnegative(relational, "关系性转换成本", "relational"),
    })


def periods_to_recoup(switching_cost_total: float, saving_per_period: float) -> float:
    """收回转换成本所需期数 switching cost / saving per period (periods; inf if the competitor saves nothing).

    A customer who would save ``saving_per_period`` 元 per period with a competitor needs this many periods to
    win back the one-off cost of switching; the longer, the less tempting the move.
    """
    c = require_nonnegative(switching_cost_total, "转换成本", "switching_cost_total")
    s = require_finite(saving_per_period, "每期节省", "saving_per_period")
    return c / s if s > 0 else math.inf
