"""RFM 分析 recency, frequency and monetary value: how recently, how often and how much each customer bought
(苏朝晖 第 5 章 5.4.1 运用数据库分析客户的消费行为; 数据库营销, 第 2 章 2.2).

The same analysis runs two ways and gives the same answer, customer for customer:

* in pandas — :func:`rfm_table` then :func:`rfm_scores`, from a transactions DataFrame;
* in SQL — :func:`rfm_table_sql` and :func:`rfm_scores_sql`, from a transactions table in SQLite
  (``customer_id``, ``date`` as ISO text ``YYYY-MM-DD``, ``amount`` in 元), e.g. the workbook's
  customer database (:mod:`crmlab.customer_db`).

Definitions (as of a date ``as_of``; dates are compared by calendar day, ``as_of`` included):

* **R recency** — days from the customer's last purchase on or before ``as_of`` to ``as_of`` (0 = bought
  that day);
* **F frequency** — number of purchases;
* **M monetary** — spend in 元: the total (``monetary="sum"``, default) or the mean per purchase
  (``monetary="mean"``). Amounts are counted in whole 分 (each amount rounded half up to 0.01 元 before
  adding), so both paths add exact integers and agree to the last digit.

With ``window_days`` only the purchases in the ``window_days`` days ending on ``as_of`` count (all three
measures); customers with no purchase in the window are left out.

**Scores** (:func:`rfm_scores`): each measure becomes a score 1…q (q = 5: quintiles) by its rank among the
n customers. "Better" ranks higher: a *more recent* purchase (smaller R), more purchases, more money. With
rank k (1 = worst) the score is ⌊(k − 1)·q / n⌋ + 1, so each score holds n/q customers when there are no
ties. **Ties** are explicit (``method``):

* ``"min"`` (default) — tied customers all get the lowest rank of their group, hence the same (lower)
  score: the same behaviour, the same score;
* ``"max"`` — the highest rank of the group (the same, higher score);
* ``"average"`` — the mean rank of the group (which may be k + ½);
* ``"first"`` — ties broken by customer id (ascending): equal-sized scores, but equal behaviour can get
  different scores.

Example: F = 1, 1, 1, 2, 5 for five customers A…E, q = 5. Ranks with ``"min"``: 1, 1, 1, 4, 5 → scores 1, 1,
1, 4, 5; ``"average"``: 2, 2, 2, 4, 5 → 2, 2, 2, 4, 5; ``"first"``: 1, 2, 3, 4, 5 → 1, 2, 3, 4, 5.

**Segments** (:func:`rfm_segments`): each score is "high" (≥ ``cut``, default 3, or above the mean score
with ``cut="mean"``) or "low"; the 2 × 2 × 2 combinations give the eight groups of :data:`RFM_SEGMENTS`,
each with a suggested action. Everything is vectorised (no loop over customers): 10^7 transactions take a
few seconds in pandas (see ``benchmarks/rfm_sql_vs_pandas.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_int, require_nonnegative

__all__ = [
    "RFM_SEGMENTS",
    "TIE_METHODS",
    "RfmSegment",
    "plot_rfm_segments",
    "response_by_segment",
    "rfm_scores",
    "rfm_scores_sql",
    "rfm_segment_summary",
    "rfm_segments",
    "rfm_sql",
    "rfm_table",
    "rfm_table_sql",
    "segment_migration",
]

TIE_METHODS: tuple[str, ...] = ("min", "max", "average", "first")
_MONETARY = ("sum", "mean")
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class RfmSegment:
    """RFM 客户类别 one of the eight groups: which of R, F, M are high, what it means, what to do."""

    name: str
    r_high: bool
    f_high: bool
    m_high: bool
    meaning: str
    action: str


#: 八类 RFM 客户 (the common high/low scheme), in display order; keyed by name.
RFM_SEGMENTS: dict[str, RfmSegment] = {s.name: s for s in (
    RfmSegment("重要价值客户", True, True, True, "最近买过、买得勤、花得多：最有价值的核心客户",
               "重点维护：专属服务、新品优先体验、会员特权，防止被竞争对手挖走"),
    RfmSegment("重要保持客户", False, True, True, "过去买得勤、花得多，但最近没有来",
               "主动联系：回访了解原因，用个性化关怀把他们请回来"),
    RfmSegment("重要发展客户", True, False, True, "最近来过、花得多，但购买次数少",
               "提高购买频次：会员计划、定期配送或订阅，推荐相关商品"),
    RfmSegment("重要挽留客户", False, False, True, "花得多，但次数少、很久没来，有流失的危险",
               "重点挽留：尽快了解流失原因，给出有针对性的挽回方案"),
    RfmSegment("一般价值客户", True, True, False, "常来、最近也来过，但每次花得少",
               "提高客单价：组合套餐、满额优惠、向上销售"),
    RfmSegment("一般发展客户", True, False, False, "刚来不久、次数少、金额小，多为新客户",
               "新客培育：首单后的关怀与引导，促成第二次购买"),
    RfmSegment("一般保持客户", False, True, False, "以前常来但金额小，最近没有来",
               "低成本提醒：短信或推送优惠，唤醒购买"),
    RfmSegment("一般挽留客户", False, False, False, "很久没来、次数少、金额小",
               "控制成本：只做低成本的群发触达，不单独投入资源"),
)}
_CODE_TO_SEGMENT = {(s.r_high, s.f_high, s.m_high): i for i, s in enumerate(RFM_SEGMENTS.values())}


# --- input checks ------------------------------------------------------------------------------------------

def _as_of(as_of: object) -> pd.Timestamp:
    if isinstance(as_of, bool):
        raise InputError(f"截止日期 as_of 不是有效日期 (invalid date)，收到 {as_of!r}")
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise InputError(f"截止日期 as_of 不是有效日期 (invalid date)，收到 {as_of!r}") from None
    if ts is pd.NaT or pd.isna(ts):
        raise InputError(f"截止日期 as_of 不是有效日期 (invalid date)，收到 {as_of!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _window(window_days: object) -> int | None:
    if window_days is None:
        return None
    return require_int(window_days, "统计窗口天数", "window_days", minimum=1)


def _monetary(monetary: object) -> str:
    if monetary not in _MONETARY:
        raise InputError(f"金额口径 monetary 只能是 'sum'（总额）或 'mean'（每次平均），收到 {monetary!r}")
    return str(monetary)


def _where(df: pd.DataFrame, pos: int, col: str) -> str:
    return f"交易表 transactions 第 {pos + 1} 行（索引 {_plain(df.index[pos])!r}）、列 {col}"


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _check_transactions(tx: object, customer_col: str, date_col: str, amount_col: str
                        ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Customer ids, days since 1970-01-01 (int64) and amounts in 分 (int64) of a transactions table."""
    if not isinstance(tx, pd.DataFrame):
        raise InputError(f"交易表 transactions 必须是 pandas DataFrame，收到 {type(tx).__name__}")
    missing = [c for c in (customer_col, date_col, amount_col) if c not in tx.columns]
    if missing:
        raise InputError(f"交易表 transactions 缺少列 missing columns {missing}；现有列 {list(tx.columns)}")
    if len(tx) == 0:
        raise InputError("交易表 transactions 是空的 (no rows)")
    ids = tx[customer_col]
    if ids.isna().any():
        i = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise InputError(f"{_where(tx, i, customer_col)} 客户编号为空 (missing id)")
    dates = tx[date_col]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(dates.dtype):
        raw = dates
        dates = pd.to_datetime(raw, errors="coerce", format="mixed")
        if dates.isna().any():
            i = int(np.flatnonzero(dates.isna().to_numpy())[0])
            raise InputError(f"{_where(tx, i, date_col)} 不是有效日期 (invalid date)，收到 {_plain(raw.iloc[i])!r}")
    elif dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"{_where(tx, i, date_col)} 日期为空 (missing date)")
    days = dates.to_numpy().astype("datetime64[D]").view("int64")
    raw_amount = tx[amount_col]
    if pd.api.types.is_bool_dtype(raw_amount.dtype):
        raise InputError(f"交易表 transactions 列 {amount_col} 必须是金额数字 (numbers)，收到布尔值")
    amount = pd.to_numeric(raw_amount, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(amount)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{_where(tx, i, amount_col)} 金额必须是有限的数字 (finite number)，"
                         f"收到 {_plain(raw_amount.iloc[i])!r}")
    if (amount < 0).any():
        i = int(np.flatnonzero(amount < 0)[0])
        raise InputError(f"{_where(tx, i, amount_col)} 金额 amount 不能为负数（退货请先冲减原交易），"
                         f"收到 {float(amount[i])!r}")
    cents = np.floor(amount * 100.0 + 0.5).astype(np.int64)    # half up, as SQLite's ROUND(x) for x ≥ 0
    return ids, days, cents


def _date_text(day: int | np.int64) -> str:
    return str(np.datetime64(int(day), "D"))


# --- the RFM table ------------------------------------------------------------------------------------------

def rfm_table(transactions: pd.DataFrame, as_of: object, *, window_days: int | None = None,
              monetary: str = "sum", customer_col: str = "customer_id", date_col: str = "date",
              amount_col: str = "amount") -> pd.DataFrame:
    """RFM 指标表 recency (days), frequency (purchases) and monetary (元) per customer as of ``as_of``.

    ``transactions`` has one row per purchase: customer id, date (datetime or ``YYYY-MM-DD`` text) and amount
    (元, ≥ 0). Purchases after ``as_of`` are ignored; with ``window_days`` only those in the last
    ``window_days`` days up to ``as_of`` count. ``monetary`` is ``"sum"`` (total spend) or ``"mean"`` (spend
    per purchase). Returns one row per customer who bought, indexed by ``customer_id`` in ascending order,
    with integer ``recency`` ≥ 0 and ``frequency`` ≥ 1 and float ``monetary``.

    Raises :class:`InputError` naming the row and column for a missing column, an empty id, a bad date or a
    negative/non-numeric amount, and when ``as_of`` lies before the first purchase.
    """
    day = _as_of(as_of)
    window = _window(window_days)
    how = _monetary(monetary)
    ids, days, cents = _check_transactions(transactions, customer_col, date_col, amount_col)
    as_of_day = int(np.datetime64(day.date(), "D").view("int64"))
    first = int(days.min())
    if as_of_day < first:
        raise InputError(f"截止日期 as_of {day.date()} 早于第一笔交易 {_date_text(first)} "
                         f"(before the first transaction)：没有可以分析的交易")
    keep = days <= as_of_day
    if window is not None:
        keep &= days > as_of_day - window
    if not keep.any():
        raise InputError(f"截止日期 as_of {day.date()} 之前 {window} 天内没有交易 (no purchases in the window)")
    if not keep.all():
        ids, days, cents = ids[keep], days[keep], cents[keep]
    codes, uniques = pd.factorize(ids, sort=True)
    k = len(uniques)
    frequency = np.bincount(codes, minlength=k).astype(np.int64)
    total_cents = np.bincount(codes, weights=cents, minlength=k)     # exact: integer sums below 2^53
    last = np.full(k, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, codes, days)
    money = total_cents / 100.0 if how == "sum" else (total_cents / frequency) / 100.0
    index = pd.Index(uniques, name="customer_id")
    return pd.DataFrame({"recency": as_of_day - last, "frequency": frequency, "monetary": money}, index=index)


def _connection(conn: object) -> sqlite3.Connection:
    if not isinstance(conn, sqlite3.Connection):
        raise InputError(f"数据库连接 conn 必须是 sqlite3.Connection，收到 {type(conn).__name__}")
    return conn


def _table_name(conn: sqlite3.Connection, table: str) -> str:
    """The quoted name of an existing table or view with ``customer_id``, ``date`` and ``amount`` columns."""
    if not isinstance(table, str) or not table:
        raise InputError(f"表名 table 必须是非空字符串，收到 {table!r}")
    found = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                         (table,)).fetchone()
    if found is None:
        raise InputError(f"数据库中没有表 table {table!r} (no such table)")
    quoted = '"' + table.replace('"', '""') + '"'
    cols = {row[1] for row in conn.execute(f"PRAGMA table_info({quoted})")}
    missing = [c for c in ("customer_id", "date", "amount") if c not in cols]
    if missing:
        raise InputError(f"表 {table} 缺少列 missing columns {missing}；现有列 {sorted(cols)}")
    return quoted


def _rfm_base_sql(quoted: str, window: int | None, how: str) -> str:
    """The SQL of the RFM table: one aggregate pass over the transactions (named parameters :as_of, :next_day,
    :start). ``min_amount`` and ``bad_dates`` let the caller reject negative amounts and unreadable dates."""
    since = " AND date >= :start" if window is not None else ""
    money = "cents / 100.0" if how == "sum" else "(1.0 * cents / frequency) / 100.0"
    return f"""
        SELECT customer_id, recency, frequency, {money} AS monetary, min_amount, bad_dates
        FROM (
            SELECT customer_id,
                   CAST(julianday(:as_of) - julianday(date(MAX(date))) AS INTEGER) AS recency,
                   COUNT(*) AS frequency,
                   SUM(CAST(ROUND(amount * 100) AS INTEGER)) AS cents,
                   MIN(amount) AS min_amount,
                   SUM(date(date, '+0 days') IS NOT substr(date, 1, 10))
                     + SUM(typeof(amount) NOT IN ('integer', 'real')) AS bad_dates
            FROM {quoted}
            WHERE date < :next_day{since}
            GROUP BY customer_id
        )"""


def _sql_params(day: pd.Timestamp, window: int | None) -> dict[str, str]:
    params = {"as_of": day.strftime("%Y-%m-%d"), "next_day": (day + pd.Timedelta(days=1)).strftime("%Y-%m-%d")}
    if window is not None:
        params["start"] = (day - pd.Timedelta(days=window - 1)).strftime("%Y-%m-%d")
    return params


def _check_sql_result(conn: sqlite3.Connection, quoted: str, frame: pd.DataFrame, day: pd.Timestamp,
                      window: int | None) -> None:
    if frame.empty:
        first = conn.execute(f"SELECT MIN(date) FROM {quoted}").fetchone()[0]
        if first is None:
            raise InputError(f"交易表 {quoted} 是空的 (no rows)")
        if window is None or str(first) > day.strftime("%Y-%m-%d"):
            raise InputError(f"截止日期 as_of {day.date()} 早于第一笔交易 {first} "
                             f"(before the first transaction)：没有可以分析的交易")
        raise InputError(f"截止日期 as_of {day.date()} 之前 {window} 天内没有交易 (no purchases in the window)")
    if frame["customer_id"].isna().any():
        raise InputError(f"交易表 {quoted} 有客户编号为空的行 (missing customer_id)")
    bad = frame["bad_dates"] > 0
    if bad.any() or frame["recency"].isna().any():
        who = frame.loc[bad | frame["recency"].isna(), "customer_id"].iloc[0]
        raise InputError(f"交易表 {quoted} 中客户 {who!r} 有无效的日期 date 或金额 amount "
                         f"(dates must be YYYY-MM-DD text, amounts numbers)")
    neg = frame["min_amount"] < 0
    if neg.any():
        row = frame.loc[neg].iloc[0]
        raise InputError(f"交易表 {quoted} 中客户 {row['customer_id']!r} 有负的金额 amount "
                         f"（退货请先冲减原交易），收到 {float(row['min_amount'])!r}")


def rfm_sql(table: str = "transactions", *, window_days: int | None = None, monetary: str = "sum") -> str:
    """RFM 的 SQL 语句 the query text that :func:`rfm_table_sql` runs (named parameters ``:as_of``, ``:next_day``
    and, with a window, ``:start``), for reading and for running elsewhere. ``table`` is quoted, not checked."""
    if not isinstance(table, str) or not table:
        raise InputError(f"表名 table 必须是非空字符串，收到 {table!r}")
    quoted = '"' + table.replace('"', '""') + '"'
    body = _rfm_base_sql(quoted, _window(window_days), _monetary(monetary)) + "\n        ORDER BY customer_id"
    return "\n".join(line[8:] if line.startswith(" " * 8) else line for line in body.strip("\n").splitlines())


def rfm_table_sql(conn: sqlite3.Connection, as_of: object, *, table: str = "transactions",
                  window_days: int | None = None, monetary: str = "sum") -> pd.DataFrame:
    """RFM 指标表（SQL 版）the same table as :func:`rfm_table`, computed by SQLite in one ``GROUP BY`` query.

    ``table`` (a table or view in ``conn``) must have ``customer_id``, ``date`` (ISO text ``YYYY-MM-DD``,
    a time part is ignored) and ``amount`` (元, ≥ 0). Same definitions, index and errors as
    :func:`rfm_table`; the result equals it row for row. Rows are selected by comparing the date text with
    ``as_of``, so the checks for an invalid date (``2024-1-5``, ``2024-02-30``) or a non-numeric amount cover
    the rows up to ``as_of``; text that sorts after every date (e.g. ``'soon'``) is simply never selected.
    The crmlab customer database rules such rows out with ``CHECK`` constraints.
    """
    con = _connection(conn)
    day, window, how = _as_of(as_of), _window(window_days), _monetary(monetary)
    quoted = _table_name(con, table)
    frame = pd.read_sql_query(_rfm_base_sql(quoted, window, how) + " ORDER BY customer_id", con,
                              params=_sql_params(day, window))
    _check_sql_result(con, quoted, frame, day, window)
    out = frame.set_index("customer_id")[["recency", "frequency", "monetary"]]
    return out.astype({"recency": "int64", "frequency": "int64", "monetary": "float64"})


# --- scores ----------------------------------------------------------------------------------------------------

def _check_q(q: object) -> int:
    return require_int(q, "分档数", "q", minimum=2)


def _check_method(method: object) -> str:
    if method not in TIE_METHODS:
        raise InputError(f"并列处理方式 method 只能是 {', '.join(TIE_METHODS)}，收到 {method!r}")
    return str(method)


def _check_weights(weights: object) -> tuple[float, float, float]:
    try:
        w = tuple(weights)  # type: ignore[arg-type]
    except TypeError:
        raise InputError(f"权重 weights 必须是 R、F、M 三个数，收到 {weights!r}") from None
    if len(w) != 3:
        raise InputError(f"权重 weights 必须是 R、F、M 三个数，收到 {weights!r}")
    out = tuple(require_nonnegative(x, f"{name} 权重", "weight") for name, x in zip("RFM", w, strict=True))
    if sum(out) <= 0:
        raise InputError(f"权重 weights 之和必须大于 0，收到 {weights!r}")
    return out  # type: ignore[return-value]


def _score(good: np.ndarray, q: int, method: str) -> np.ndarray:
    """Score 1…q of each value in ``good`` (larger = better), rows already in ascending id order."""
    n = good.size
    if method == "first":
        order = np.argsort(good, kind="stable")          # ties keep the id order
        twice_rank = np.empty(n, dtype=np.int64)
        twice_rank[order] = 2 * np.arange(1, n + 1)
    else:
        rank = pd.Series(good).rank(method=method).to_numpy()
        twice_rank = np.rint(2 * rank).astype(np.int64)   # exact: ranks are whole or halves
    return ((twice_rank - 2) * q) // (2 * n) + 1


def _check_rfm_frame(rfm: object) -> pd.DataFrame:
    if not isinstance(rfm, pd.DataFrame):
        raise InputError(f"RFM 表 rfm 必须是 pandas DataFrame（rfm_table 的结果），收到 {type(rfm).__name__}")
    missing = [c for c in ("recency", "frequency", "monetary") if c not in rfm.columns]
    if missing:
        raise InputError(f"RFM 表 rfm 缺少列 missing columns {missing}")
    if len(rfm) == 0:
        raise InputError("RFM 表 rfm 是空的 (no customers)")
    if not rfm.index.is_unique:
        dup = rfm.index[rfm.index.duplicated()][0]
        raise InputError(f"RFM 表 rfm 的客户编号重复 (duplicate customer id)：{_plain(dup)!r}")
    for col in ("recency", "frequency", "monetary"):
        values = pd.to_numeric(rfm[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"RFM 表 rfm 客户 {_plain(rfm.index[i])!r} 的 {col} 必须是 ≥ 0 的数字，"
                             f"收到 {_plain(rfm[col].iloc[i])!r}")
    return rfm.sort_index(kind="stable") if not rfm.index.is_monotonic_increasing else rfm


def rfm_scores(rfm: pd.DataFrame, *, q: int = 5, method: str = "min",
               weights: Sequence[float] = (1.0, 1.0, 1.0)) -> pd.DataFrame:
    """RFM 评分 scores 1…``q`` for recency, frequency and monetary from an :func:`rfm_table`.

    ``r_score`` is higher for a *more recent* purchase (smaller recency); ``f_score`` and ``m_score`` are
    higher for larger values. Score = ⌊(rank − 1)·q / n⌋ + 1 with rank 1 … n from the worst customer; ties as
    ``method`` says (``"min"``, ``"max"``, ``"average"`` or ``"first"``; see the module docstring). Adds
    ``rfm_code`` (e.g. ``"545"``) and ``rfm_score``, the weighted mean of the three scores with ``weights``
    (w_R, w_F, w_M ≥ 0). Returns the input columns plus the scores, rows in ascending customer id.
    """
    frame = _check_rfm_frame(rfm)
    k = _check_q(q)
    how = _check_method(method)
    w = _check_weights(weights)
    out = frame[["recency", "frequency", "monetary"]].copy()
    out["r_score"] = _score(-frame["recency"].to_numpy(dtype=float), k, how)
    out["f_score"] = _score(frame["frequency"].to_numpy(dtype=float), k, how)
    out["m_score"] = _score(frame["monetary"].to_numpy(dtype=float), k, how)
    return _finish_scores(out, w)


def _finish_scores(out: pd.DataFrame, w: tuple[float, float, float]) -> pd.DataFrame:
    r, f, m = (out[c].astype(np.int64).astype(str) for c in ("r_score", "f_score", "m_score"))
    sep = "" if out[["r_score", "f_score", "m_score"]].to_numpy().max() < 10 else "-"
    out["rfm_code"] = r + sep + f + sep + m
    out["rfm_score"] = (w[0] * out["r_score"] + w[1] * out["f_score"] + w[2] * out["m_score"]) / sum(w)
    return out


def _rank_sql(column: str, method: str, descending: bool) -> str:
    order = f"{column} DESC" if descending else column
    if method == "first":
        return f"2 * ROW_NUMBER() OVER (ORDER BY {order}, customer_id)"
    low = f"RANK() OVER (ORDER BY {order})"
    ties = f"COUNT(*) OVER (PARTITION BY {column})"
    return {"min": f"2 * {low}", "max": f"2 * ({low} + {ties} - 1)", "average": f"2 * {low} + {ties} - 1"}[method]


def rfm_scores_sql(conn: sqlite3.Connection, as_of: object, *, table: str = "transactions",
                   window_days: int | None = None, monetary: str = "sum", q: int = 5, method: str = "min",
                   weights: Sequence[float] = (1.0, 1.0, 1.0)) -> pd.DataFrame:
    """RFM 评分（SQL 版）:func:`rfm_table_sql` and :func:`rfm_scores` in one SQLite query with window functions
    (``RANK``/``ROW_NUMBER``/``COUNT(*) OVER``). Same arguments, columns and answer as the pandas path."""
    con = _connection(conn)
    day, window, how = _as_of(as_of), _window(window_days), _monetary(monetary)
    k, tie, w = _check_q(q), _check_method(method), _check_weights(weights)
    quoted = _table_name(con, table)
    base = _rfm_base_sql(quoted, window, how)
    sql = f"""
        WITH base AS ({base}),
        ranked AS (
            SELECT *, COUNT(*) OVER () AS n,
                   {_rank_sql("recency", tie, True)} AS r2,
                   {_rank_sql("frequency", tie, False)} AS f2,
                   {_rank_sql("monetary", tie, False)} AS m2
            FROM base)
        SELECT customer_id, recency, frequency, monetary, min_amount, bad_dates,
               ((r2 - 2) * :q) / (2 * n) + 1 AS r_score,
               ((f2 - 2) * :q) / (2 * n) + 1 AS f_score,
               ((m2 - 2) * :q) / (2 * n) + 1 AS m_score
        FROM ranked ORDER BY customer_id"""
    frame = pd.read_sql_query(sql, con, params={**_sql_params(day, window), "q": k})
    _check_sql_result(con, quoted, frame, day, window)
    out = frame.set_index("customer_id")[["recency", "frequency", "monetary", "r_score", "f_score", "m_score"]]
    out = out.astype({"recency": "int64", "frequency": "int64", "monetary": "float64", "r_score": "int64",
                      "f_score": "int64", "m_score": "int64"})
    return _finish_scores(out, w)


# --- segments ---------------------------------------------------------------------------------------------

def rfm_segments(scores: pd.DataFrame, *, cut: float | str = 3) -> pd.Series:
    """RFM 客户分类 one of the eight :data:`RFM_SEGMENTS` per customer from :func:`rfm_scores`.

    A score is "high" when it is ≥ ``cut`` (a number, default 3 on the 1–5 scale) or, with ``cut="mean"``,
    when it is above the mean of that score over all customers. Returns an ordered categorical Series (in the
    order of :data:`RFM_SEGMENTS`) indexed like ``scores``.
    """
    if not isinstance(scores, pd.DataFrame):
        raise InputError(f"评分表 scores 必须是 rfm_scores 的结果 (DataFrame)，收到 {type(scores).__name__}")
    cols = ("r_score", "f_score", "m_score")
    missing = [c for c in cols if c not in scores.columns]
    if missing:
        raise InputError(f"评分表 scores 缺少列 missing columns {missing}")
    if len(scores) == 0:
        raise InputError("评分表 scores 是空的 (no customers)")
    values = {c: scores[c].to_numpy(dtype=float) for c in cols}
    if cut == "mean":
        high = [values[c] > values[c].mean() for c in cols]
    elif isinstance(cut, str):
        raise InputError(f"高低分界 cut 必须是数字或 'mean'，收到 {cut!r}")
    else:
        c = require_nonnegative(cut, "高低分界", "cut")
        high = [values[col] >= c for col in cols]
    code = high[0].astype(np.int64) * 4 + high[1].astype(np.int64) * 2 + high[2].astype(np.int64)
    lookup = np.empty(8, dtype=np.int64)
    for (r, f, m), i in _CODE_TO_SEGMENT.items():
        lookup[int(r) * 4 + int(f) * 2 + int(m)] = i
    return pd.Series(pd.Categorical.from_codes(lookup[code], categories=list(RFM_SEGMENTS), ordered=True),
                     index=scores.index, name="segment")


def rfm_segment_summary(scores: pd.DataFrame, segments: pd.Series | None = None, *, cut: float | str = 3
                        ) -> pd.DataFrame:
    """RFM 分类汇总 per segment: customers, share of customers, mean recency/frequency/monetary, total
    monetary (元) and its share, and the suggested action. ``segments`` defaults to
    ``rfm_segments(scores, cut=cut)``. All eight segments are listed (empty ones with 0 customers)."""
    seg = rfm_segments(scores, cut=cut) if segments is None else segments
    if not isinstance(seg, pd.Series) or not seg.index.equals(scores.index):
        raise InputError("客户分类 segments 必须是与 scores 同索引的 Series（rfm_segments 的结果）")
    frame = scores[["recency", "frequency", "monetary"]].assign(segment=pd.Categorical(
        seg.astype(str), categories=list(RFM_SEGMENTS)))
    grouped = frame.groupby("segment", observed=False)
    table = pd.DataFrame({
        "customers": grouped.size(),
        "recency_mean": grouped["recency"].mean(),
        "frequency_mean": grouped["frequency"].mean(),
        "monetary_mean": grouped["monetary"].mean(),
        "monetary_total": grouped["monetary"].sum(),
    }).reindex(list(RFM_SEGMENTS))
    table["customers"] = table["customers"].fillna(0).astype(np.int64)
    table["monetary_total"] = table["monetary_total"].fillna(0.0)
    table.insert(1, "customer_share", table["customers"] / len(frame))
    total = float(frame["monetary"].sum())
    table["monetary_share"] = table["monetary_total"] / total if total > 0 else 0.0
    table["action"] = [RFM_SEGMENTS[name].action for name in table.index]
    table.index.name = "segment"
    return table


def plot_rfm_segments(summary: pd.DataFrame, title: str = "RFM 客户分类：客户占比与金额占比"):
    """Draw each segment's share of customers and share of money (horizontal bars) from
    :func:`rfm_segment_summary`; returns ``(fig, ax)`` and does not call ``plt.show()``."""
    from .plotting import new_figure

    for col in ("customer_share", "monetary_share"):
        if col not in summary.columns:
            raise InputError(f"汇总表 summary 缺少列 missing column {col!r}（请用 rfm_segment_summary 的结果）")
    fig, ax = new_figure(title, "占比（%）", "", figsize=(7.2, 4.2))
    y = np.arange(len(summary))[::-1]
    ax.barh(y + 0.2, summary["customer_share"] * 100, height=0.4, color="tab:blue", label="客户数占比")
    ax.barh(y - 0.2, summary["monetary_share"] * 100, height=0.4, color="tab:orange", label="消费金额占比")
    ax.set_yticks(y, list(summary.index))
    ax.legend(loc="lower right")
    return fig, ax


# --- using the segments: campaign response and migration ---------------------------------------------------

def response_by_segment(segments: pd.Series, responses: pd.DataFrame, *,
                        no_history: str = "无购买记录") -> pd.DataFrame:
    """营销活动按客户类别的响应 contacted customers, responders, response rate, order amount (元) and amount
    per contact, per segment (or any grouping Series indexed by customer id, e.g. ``r_score``).

    ``responses`` has one row per contacted customer with ``customer_id``, ``responded`` (0/1 or bool) and
    ``order_amount`` (元, ≥ 0). Contacted customers missing from ``segments`` (no purchase before the
    campaign) form the group ``no_history``.
    """
    if not isinstance(responses, pd.DataFrame):
        raise InputError(f"响应表 responses 必须是 DataFrame，收到 {type(responses).__name__}")
    missing = [c for c in ("customer_id", "responded", "order_amount") if c not in responses.columns]
    if missing:
        raise InputError(f"响应表 responses 缺少列 missing columns {missing}")
    if len(responses) == 0:
        raise InputError("响应表 responses 是空的 (no contacted customers)")
    if not isinstance(segments, pd.Series):
        raise InputError(f"客户分类 segments 必须是以客户编号为索引的 Series，收到 {type(segments).__name__}")
    responded = pd.to_numeric(responses["responded"], errors="coerce")
    if not responded.isin([0, 1]).all():
        i = int(np.flatnonzero(~responded.isin([0, 1]).to_numpy())[0])
        raise InputError(f"响应表 responses 第 {i + 1} 行、列 responded 只能是 0 或 1，"
                         f"收到 {_plain(responses['responded'].iloc[i])!r}")
    amount = pd.to_numeric(responses["order_amount"], errors="coerce")
    if amount.isna().any() or (amount < 0).any():
        i = int(np.flatnonzero((amount.isna() | (amount < 0)).to_numpy())[0])
        raise InputError(f"响应表 responses 第 {i + 1} 行、列 order_amount 必须是 ≥ 0 的数字，"
                         f"收到 {_plain(responses['order_amount'].iloc[i])!r}")
    groups = responses["customer_id"].map(segments.astype(object)).fillna(no_history)
    order = [*(list(segments.cat.categories) if isinstance(segments.dtype, pd.CategoricalDtype)
               else sorted(segments.dropna().unique().tolist())), no_history]
    frame = pd.DataFrame({"group": groups.to_numpy(), "responded": responded.to_numpy(dtype=np.int64),
                          "amount": amount.to_numpy(dtype=float)})
    table = frame.groupby("group").agg(contacted=("responded", "size"), responders=("responded", "sum"),
                                       order_amount=("amount", "sum"))
    table = table.reindex([g for g in order if g in table.index])
    table["response_rate"] = table["responders"] / table["contacted"]
    table["amount_per_contact"] = table["order_amount"] / table["contacted"]
    table.index.name = segments.name or "segment"
    return table[["contacted", "responders", "response_rate", "order_amount", "amount_per_contact"]]


def segment_migration(before: pd.Series, after: pd.Series, *, absent: str = "无记录") -> pd.DataFrame:
    """客户类别的迁移 how many customers moved from each segment at one date (rows) to each at a later date
    (columns): the dynamic view of 5.4.4. Customers present at only one date count under ``absent``."""
    for name, s in (("before", before), ("after", after)):
        if not isinstance(s, pd.Series):
            raise InputError(f"客户分类 {name} 必须是以客户编号为索引的 Series，收到 {type(s).__name__}")
        if not s.index.is_unique:
            raise InputError(f"客户分类 {name} 的客户编号重复 (duplicate customer id)")
    ids = before.index.union(after.index)
    a = before.astype(object).reindex(ids).fillna(absent)
    b = after.astype(object).reindex(ids).fillna(absent)

    def order(s: pd.Series) -> list[str]:
        cats = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(map(str, s.unique()))
        return [*cats, absent]

    table = pd.crosstab(pd.Categorical(a, categories=order(before)), pd.Categorical(b, categories=order(after)),
                        dropna=False)
    table.index.name, table.columns.name = "之前 before", "之后 after"
    return table
