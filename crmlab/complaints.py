"""客户投诉 complaints (chapter 7): what the complaint log says, what complaints hide, and how to handle one.

* :func:`validate_complaint_log` — check a complaint log (schema :data:`COMPLAINT_COLUMNS`) and parse its times;
* :func:`complaint_summary` — counts by category and channel, time to resolve (median, 90th percentile) and the
  share resolved within a service-level target (SLA);
* :func:`repurchase_after_complaint` — repurchase rate of complainants whose complaint was resolved, of those
  whose complaint was not, and of comparable customers who did not complain;
* :func:`complaint_iceberg` — the unvoiced-complaint iceberg: from the complaints a firm hears to the unhappy
  customers it does not hear from, and the people they tell;
* :data:`COMPLAINT_STEPS` and :func:`score_complaint_handling` — the textbook's four-step complaint handling
  (处理客户投诉的四步曲, 苏朝晖 7.4.3) as data, and a score for a learner's chosen steps and order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_fraction, require_int, require_nonnegative, require_positive

__all__ = [
    "CHANNELS",
    "COMPLAINT_CATEGORIES",
    "COMPLAINT_COLUMNS",
    "COMPLAINT_DISTRACTORS",
    "COMPLAINT_STEPS",
    "ComplaintHandlingScore",
    "ComplaintStep",
    "ComplaintSummary",
    "IcebergResult",
    "complaint_iceberg",
    "complaint_summary",
    "repurchase_after_complaint",
    "score_complaint_handling",
    "validate_complaint_log",
]

#: Columns of a complaint log and their meaning (see ``datasets/complaints/README.md``).
COMPLAINT_COLUMNS: dict[str, str] = {
    "complaint_id": "投诉编号",
    "customer_id": "客户编号",
    "order_date": "相关订单日期",
    "received": "受理时间",
    "category": "投诉类别",
    "channel": "投诉渠道",
    "resolved": "是否已解决",
    "resolved_at": "解决时间（未解决为空）",
    "compensation": "补偿金额（元）",
}
COMPLAINT_CATEGORIES: tuple[str, ...] = ("配送延迟", "商品质量", "缺货", "价格", "服务态度", "App 故障")
CHANNELS: tuple[str, ...] = ("客服电话", "App 在线客服", "小程序留言", "微信公众号", "门店")
_TIME_FORMAT = "%Y-%m-%d %H:%M"


def _bool_column(values: pd.Series) -> pd.Series:
    def parse(v: object) -> bool | None:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, np.integer)) and v in (0, 1):
            return bool(v)
        text = str(v).strip().lower()
        return {"true": True, "false": False, "1": True, "0": False}.get(text)

    return values.map(parse)


def validate_complaint_log(log: pd.DataFrame, source: str | None = None, header_rows: int = 0) -> pd.DataFrame:
    """检查投诉记录 check a complaint log and return a copy with parsed times and booleans.

    Required columns: :data:`COMPLAINT_COLUMNS`. ``received`` and (when resolved) ``resolved_at`` are times
    ``YYYY-MM-DD HH:MM`` (or datetimes); ``order_date`` a date; ``resolved`` True/False; ``resolved_at`` empty
    when not resolved and not before ``received``; ``category`` in :data:`COMPLAINT_CATEGORIES`; ``channel`` in
    :data:`CHANNELS`; ``compensation`` ≥ 0; ``complaint_id`` unique. An error names the row and the column; with
    ``source`` (a file name) rows are numbered as in the file (``header_rows`` = 1 for a CSV header).
    """
    if not isinstance(log, pd.DataFrame):
        raise InputError(f"投诉记录 log 必须是 pandas DataFrame，收到 {type(log).__name__}")
    name = f"数据文件 {source}" if source else "投诉记录 log"

    def where(i: int, col: str) -> str:
        return f"{name} 第 {i + 1 + header_rows} 行、列 {col}"

    missing = [c for c in COMPLAINT_COLUMNS if c not in log.columns]
    if missing:
        raise InputError(f"{name} 缺少列 missing columns {missing}")
    df = log.copy().reset_index(drop=True)
    for col, fmt in (("received", _TIME_FORMAT), ("order_date", "%Y-%m-%d")):
        parsed = df[col] if pd.api.types.is_datetime64_any_dtype(df[col]) else pd.to_datetime(
            df[col], errors="coerce", format=fmt)
        if parsed.isna().any():
            i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
            raise InputError(f"{where(i, col)} 不是有效时间 ({fmt.replace('%', '')})，收到 {log[col].iloc[i]!r}")
        df[col] = parsed
    resolved = _bool_column(df["resolved"])
    if resolved.isna().any():
        i = int(np.flatnonzero(resolved.isna().to_numpy())[0])
        raise InputError(f"{where(i, 'resolved')} 必须是 True 或 False，收到 {log['resolved'].iloc[i]!r}")
    df["resolved"] = resolved.astype(bool)
    at = df["resolved_at"] if pd.api.types.is_datetime64_any_dtype(df["resolved_at"]) else pd.to_datetime(
        df["resolved_at"], errors="coerce", format=_TIME_FORMAT)
    blank = df["resolved_at"].isna() | (df["resolved_at"].astype(str).str.strip() == "")
    bad = (df["resolved"] & at.isna()) | (~df["resolved"] & ~blank)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        need = ("已解决的投诉必须有有效的解决时间 (YYYY-MM-DD HH:MM)" if df["resolved"].iloc[i]
                else "未解决的投诉解决时间应为空")
        raise InputError(f"{where(i, 'resolved_at')} {need}，收到 {log['resolved_at'].iloc[i]!r}")
    df["resolved_at"] = at.where(df["resolved"])
    early = df["resolved"] & (df["resolved_at"] < df["received"])
    if early.any():
        i = int(np.flatnonzero(early.to_numpy())[0])
        raise InputError(f"{where(i, 'resolved_at')} 不能早于受理时间 received，收到 {log['resolved_at'].iloc[i]!r}")
    for col, allowed in (("category", COMPLAINT_CATEGORIES), ("channel", CHANNELS)):
        bad = ~df[col].isin(allowed)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{where(i, col)} 只能是 {list(allowed)}，收到 {log[col].iloc[i]!r}")
    comp = pd.to_numeric(df["compensation"], errors="coerce")
    bad = comp.isna() | (comp < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{where(i, 'compensation')} 必须是 ≥ 0 的数字（元），收到 {log['compensation'].iloc[i]!r}")
    df["compensation"] = comp.astype(float)
    dup = df["complaint_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"{where(i, 'complaint_id')} 重复 (duplicate id)，收到 {log['complaint_id'].iloc[i]!r}")
    return df


# --- 投诉统计 ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintSummary:
    """投诉统计 totals of a complaint log and the same figures by category and by channel.

    Hours to resolve are over resolved complaints only; ``within_sla_share`` is over *all* complaints (an
    unresolved complaint is not within the SLA).
    """

    complaints: int
    resolved_share: float
    median_hours: float
    p90_hours: float
    within_sla_share: float
    sla_hours: float
    compensation: float
    by_category: pd.DataFrame
    by_channel: pd.DataFrame

    def __repr__(self) -> str:
        return (f"ComplaintSummary({self.complaints} 件投诉, 解决率 {self.resolved_share:.1%}, 解决用时中位数 "
                f"{self.median_hours:.1f} 小时, P90 {self.p90_hours:.1f} 小时, {self.sla_hours:g} 小时内解决 "
                f"{self.within_sla_share:.1%}, 补偿合计 {self.compensation:,.0f} 元)")


def _group_table(df: pd.DataFrame, by: str, sla: float, order: Sequence[str]) -> pd.DataFrame:
    rows = {}
    for key, g in df.groupby(by, sort=False):
        hours = g.loc[g["resolved"], "hours"]
        rows[key] = {
            "complaints": len(g),
            "share": len(g) / len(df),
            "resolved_share": g["resolved"].mean(),
            "median_hours": float(hours.median()) if len(hours) else np.nan,
            "p90_hours": float(np.percentile(hours, 90)) if len(hours) else np.nan,
            "within_sla_share": float((g["resolved"] & (g["hours"] <= sla)).mean()),
            "compensation": float(g["compensation"].sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    present = [k for k in order if k in table.index] + [k for k in table.index if k not in order]
    table = table.loc[present].sort_values("complaints", ascending=False, kind="stable")
    table.index.name = by
    table["complaints"] = table["complaints"].astype(int)
    return table


def complaint_summary(log: pd.DataFrame, sla_hours: float = 48.0) -> ComplaintSummary:
    """投诉统计 summary of a complaint log (see :func:`validate_complaint_log` for the columns).

    Time to resolve = ``resolved_at − received`` in hours, for resolved complaints; its median and 90th
    percentile (numpy's default linear interpolation). Share within SLA = complaints resolved within
    ``sla_hours`` (> 0) / all complaints. Tables by category and by channel (most complaints first) hold the
    same figures plus each group's share of all complaints and its compensation (元).
    """
    sla = require_positive(sla_hours, "服务时限", "sla_hours")
    df = validate_complaint_log(log)
    if df.empty:
        raise InputError("投诉记录 log 不能为空 (empty)")
    df["hours"] = (df["resolved_at"] - df["received"]).dt.total_seconds() / 3600.0
    hours = df.loc[df["resolved"], "hours"]
    return ComplaintSummary(
        complaints=len(df),
        resolved_share=float(df["resolved"].mean()),
        median_hours=float(hours.median()) if len(hours) else float("nan"),
        p90_hours=float(np.percentile(hours, 90)) if len(hours) else float("nan"),
        within_sla_share=float((df["resolved"] & (df["hours"] <= sla)).mean()),
        sla_hours=sla,
        compensation=float(df["compensation"].sum()),
        by_category=_group_table(df, "category", sla, COMPLAINT_CATEGORIES),
        by_channel=_group_table(df, "channel", sla, CHANNELS),
    )


def repurchase_after_complaint(log: pd.DataFrame, transactions: pd.DataFrame, window_days: int = 90,
                               reference_date: object = None) -> pd.DataFrame:
    """投诉后的复购 repurchase rate within ``window_days`` days, for three groups of customers:

    * 投诉已解决 / 投诉未解决 — customers by their *first* complaint in the log: repurchased if they bought on a
      later day than the complaint was received, up to ``window_days`` days after it. Complaints whose window
      runs past the last transaction date are left out (not yet observable).
    * 未投诉 — customers who never complained and bought in the ``window_days`` days up to ``reference_date``
      (default: the median day on which the included complaints were received): repurchased if they bought in
      the ``window_days`` days after it. Like a complainant, each had a recent order at the reference day.

    Returns ``customers``, ``repurchased`` and ``repurchase_rate`` per group. The groups are compared, not
    matched: heavier buyers complain more often (they order more), so read the differences with care.
    """
    w = require_int(window_days, "观察窗口天数", "window_days", minimum=1)
    df = validate_complaint_log(log)
    if df.empty:
        raise InputError("投诉记录 log 不能为空 (empty)")
    if not isinstance(transactions, pd.DataFrame) or not {"customer_id", "date"} <= set(transactions.columns):
        raise InputError("交易表 transactions 必须是含列 customer_id 与 date 的 pandas DataFrame")
    tx = pd.DataFrame({"customer_id": transactions["customer_id"].to_numpy(),
                       "date": pd.to_datetime(transactions["date"], errors="coerce").dt.normalize().to_numpy()})
    if tx["date"].isna().any():
        i = int(np.flatnonzero(tx["date"].isna().to_numpy())[0])
        raise InputError(f"交易表 transactions 第 {i + 1} 行、列 date 不是有效日期，"
                         f"收到 {transactions['date'].iloc[i]!r}")
    if tx.empty:
        raise InputError("交易表 transactions 不能为空 (empty)")
    end = tx["date"].max()
    window = pd.Timedelta(days=w)

    first = df.sort_values("received", kind="stable").drop_duplicates("customer_id")
    first = first.assign(day=first["received"].dt.normalize())
    first = first[first["day"] + window <= end]
    if first.empty:
        raise InputError(f"没有投诉之后留有完整的 {w} 天观察窗口（交易数据截止 {end.date()}）")
    merged = first[["customer_id", "day", "resolved"]].merge(tx, on="customer_id", how="left")
    hit = (merged["date"] > merged["day"]) & (merged["date"] <= merged["day"] + window)
    bought = merged.assign(hit=hit).groupby("customer_id")["hit"].any()
    first = first.assign(repurchased=first["customer_id"].map(bought).fillna(False).astype(bool))

    ref = first["day"].sort_values().iloc[(len(first) - 1) // 2] if reference_date is None else None
    if reference_date is not None:
        try:
            ref = pd.Timestamp(reference_date).normalize()
        except (TypeError, ValueError):
            raise InputError(f"参照日期 reference_date 不是有效日期，收到 {reference_date!r}") from None
    if ref + window > end:
        raise InputError(f"参照日期 reference_date 之后必须有完整的 {w} 天观察窗口（交易截止 {end.date()}），"
                         f"收到 {ref.date()}")
    others = tx[~tx["customer_id"].isin(df["customer_id"])]
    before = others[(others["date"] > ref - window) & (others["date"] <= ref)]["customer_id"].unique()
    after = set(others[(others["date"] > ref) & (others["date"] <= ref + window)]["customer_id"])
    rows = {
        "投诉已解决": first.loc[first["resolved"], "repurchased"],
        "投诉未解决": first.loc[~first["resolved"], "repurchased"],
        "未投诉": pd.Series([c in after for c in before], dtype=bool),
    }
    table = pd.DataFrame({
        "customers": {k: len(v) for k, v in rows.items()},
        "repurchased": {k: int(v.sum()) for k, v in rows.items()},
    })
    table["repurchase_rate"] = table["repurchased"] / table["customers"].where(table["customers"] > 0)
    table.index.name = "group"
    return table


# --- 投诉冰山 ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IcebergResult:
    """投诉冰山 numbers of customers (and people told) implied by the complaints a firm receives."""

    complaints: float
    unhappy: float
    silent: float
    unresolved: float
    negative_told: float
    positive_told: float

    @property
    def still_unhappy(self) -> float:
        """仍然不满的客户 silent customers + complainants whose problem was not resolved."""
        return self.silent + self.unresolved

    @property
    def silent_per_complaint(self) -> float:
        """每一件投诉背后沉默的不满客户数 silent / complaints."""
        return self.silent / self.complaints if self.complaints > 0 else float("nan")

    def __repr__(self) -> str:
        return (f"IcebergResult(投诉 {self.complaints:,.0f}, 不满客户 {self.unhappy:,.0f}, 沉默 {self.silent:,.0f}, "
                f"未解决 {self.unresolved:,.0f}, 听到负面口碑 {self.negative_told:,.0f} 人, "
                f"听到正面口碑 {self.positive_told:,.0f} 人)")


def complaint_iceberg(complaints: float, voice_rate: float = 0.04, word_of_mouth: float = 10.0,
                      resolved_share: float = 0.0, positive_word_of_mouth: float = 0.0) -> IcebergResult:
    """投诉冰山 the unvoiced-complaint iceberg, as simple arithmetic:

        unhappy       = complaints / voice_rate                (voice_rate: share of unhappy customers who complain)
        silent        = unhappy − complaints
        unresolved    = complaints × (1 − resolved_share)
        negative_told = (silent + unresolved) × word_of_mouth  (people each still-unhappy customer tells)
        positive_told = complaints × resolved_share × positive_word_of_mouth

    ``complaints`` ≥ 0 (a count); ``voice_rate`` in (0, 1]; ``resolved_share`` in [0, 1]; the word-of-mouth
    numbers ≥ 0 (people per customer). The defaults (4 % complain, each unhappy customer tells 10 people) are the
    order of magnitude of the commonly quoted TARP figures; they are assumptions, not constants of nature.
    """
    n = require_nonnegative(complaints, "投诉数", "complaints")
    v = require_fraction(voice_rate, "投诉率", "voice_rate", closed_low=False)
    wom = require_nonnegative(word_of_mouth, "负面口碑人数", "word_of_mouth")
    r = require_fraction(resolved_share, "投诉解决比例", "resolved_share")
    pos = require_nonnegative(positive_word_of_mouth, "正面口碑人数", "positive_word_of_mouth")
    unhappy = n / v
    silent = unhappy - n
    unresolved = n * (1.0 - r)
    return IcebergResult(complaints=n, unhappy=unhappy, silent=silent, unresolved=unresolved,
                         negative_told=(silent + unresolved) * wom, positive_told=n * r * pos)


# --- 处理投诉的四步 -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintStep:
    """处理投诉的一步 one step (or one tempting mistake) with a short explanation."""

    key: str
    name: str
    detail: str


#: The four steps of complaint handling, in order — the workbook's summary, in its own words, of 苏朝晖 7.4.3
#: (处理客户投诉的四步曲).
COMPLAINT_STEPS: tuple[ComplaintStep, ...] = (
    ComplaintStep("listen", "让客户把不满说出来", "耐心倾听、不打断不辩解，先让客户的情绪平复下来"),
    ComplaintStep("record", "记录要点并判断投诉是否成立",
                  "问清事实、记下要点，确认问题出在哪里、责任在谁，同时向客户表示歉意与理解"),
    ComplaintStep("resolve", "提出并落实客户能接受的解决办法",
                  "给出具体方案（更换、退款、补偿等），说到做到、尽快落实"),
    ComplaintStep("follow_up", "跟踪回访", "事后回访确认客户是否满意，并把问题反馈给相关部门加以改进"),
)

#: Tempting but wrong moves for the checklist (not steps of the process).
COMPLAINT_DISTRACTORS: tuple[ComplaintStep, ...] = (
    ComplaintStep("argue", "先和客户讲清楚谁对谁错", "争辩只会让客户更生气；先处理情绪，再处理事情"),
    ComplaintStep("transfer", "让客户去找负责的部门", "推来推去是投诉升级的常见原因；第一位接待者要负责到底"),
    ComplaintStep("promise", "先答应客户的一切要求再说", "做不到的承诺会带来第二次失望"),
    ComplaintStep("close", "问题解决后立即结案、不再联系", "不回访就不知道客户是否真的满意，也学不到改进之处"),
)

_STEP_KEYS = tuple(s.key for s in COMPLAINT_STEPS)
_ALL_ITEMS = {s.key: s for s in (*COMPLAINT_STEPS, *COMPLAINT_DISTRACTORS)}


@dataclass(frozen=True)
class ComplaintHandlingScore:
    """处理投诉的得分 0–100 and what it is made of."""

    score: float
    included: tuple[str, ...]
    missing: tuple[str, ...]
    wrong: tuple[str, ...]
    pairs_in_order: int
    feedback: tuple[str, ...]

    def __repr__(self) -> str:
        return f"ComplaintHandlingScore(得分 {self.score:.0f}/100, 步骤 {len(self.included)}/4, 误选 {len(self.wrong)})"


def score_complaint_handling(chosen: Sequence[str]) -> ComplaintHandlingScore:
    """处理投诉四步曲评分 score a learner's plan: the keys they chose, in the order they would do them.

    Keys are those of :data:`COMPLAINT_STEPS` and :data:`COMPLAINT_DISTRACTORS`. Score (0–100):

        50 × (book steps included) / 4  +  50 × (pairs of book steps in the right order) / 6  −  10 × (mistakes)

    clipped to [0, 100]. A pair counts when both steps are chosen and the earlier book step comes first; there
    are 6 pairs among 4 steps, so all four steps in order score 100, all four in reverse order 50.
    """
    if isinstance(chosen, str) or not isinstance(chosen, Sequence):
        raise InputError(f"所选步骤 chosen 必须是步骤代码的列表 (a list of keys)，收到 {chosen!r}")
    keys = list(chosen)
    unknown = [k for k in keys if k not in _ALL_ITEMS]
    if unknown:
        raise InputError(f"所选步骤 chosen 中有无法识别的代码 unknown keys {unknown}；可用: {list(_ALL_ITEMS)}")
    if len(set(keys)) != len(keys):
        dup = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise InputError(f"所选步骤 chosen 中的每一项只能出现一次，收到重复的 {dup!r}")
    steps = [k for k in keys if k in _STEP_KEYS]
    wrong = tuple(k for k in keys if k not in _STEP_KEYS)
    rank = {k: i for i, k in enumerate(_STEP_KEYS)}
    pairs = sum(1 for i in range(len(steps)) for j in range(i + 1, len(steps)) if rank[steps[i]] < rank[steps[j]])
    raw = 50.0 * len(steps) / 4 + 50.0 * pairs / 6 - 10.0 * len(wrong)
    missing = tuple(k for k in _STEP_KEYS if k not in steps)
    feedback = [f"缺少一步：{_ALL_ITEMS[k].name}（{_ALL_ITEMS[k].detail}）" for k in missing]
    feedback += [f"不宜这样做：{_ALL_ITEMS[k].name}——{_ALL_ITEMS[k].detail}" for k in wrong]
    if pairs < len(steps) * (len(steps) - 1) // 2:
        feedback.append("顺序有误：正确的顺序是 " + " → ".join(s.name for s in COMPLAINT_STEPS))
    if not feedback:
        feedback.append("完全正确：四步齐全、顺序正确，也没有选错误做法。")
    return ComplaintHandlingScore(score=float(min(100.0, max(0.0, raw))), included=tuple(steps), missing=missing,
                                  wrong=wrong, pairs_in_order=pairs, feedback=tuple(feedback))
