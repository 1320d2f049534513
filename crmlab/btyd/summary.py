"""交易汇总 from a transaction log to the per-customer summary the purchase models need.

:func:`summarize_transactions` turns one row per purchase (customer, date, optionally amount) into
one row per customer with

* ``frequency`` x — the number of *repeat* purchases: distinct purchase days minus 1;
* ``recency`` t_x — time from the first to the last purchase (0 when x = 0);
* ``T`` — time from the first purchase to the end of the observation (calibration) period;
* ``monetary_value`` — mean value of the repeat purchases (0 when x = 0), when amounts are given;

and, when a ``calibration_end`` is given, the hold-out columns ``frequency_holdout``,
``monetary_value_holdout`` and ``duration_holdout`` for checking forecasts.

Conventions (those of the CDNOW papers, Fader, Hardie & Lee 2005):

* **Time is counted in whole days.** Dates are truncated to the calendar day (the time of day is
  ignored) and every purchase is at the start of its day; ``observation_end`` and ``calibration_end``
  are days too, and a purchase *on* them belongs to the period they close.
* **Purchases on the same day are one purchase**: a customer who buys twice on 3 March has one
  purchase that day, whose amount is the sum of the two (a basket split over several orders).
* **Units**: ``freq="D"`` days, ``"W"`` weeks of 7 days, ``"M"`` months of 365.25/12 days. So
  T = (observation_end − first purchase day) / 7 in weeks — the CDNOW customer who first bought on
  1997-01-01 has T = 272 / 7 = 38.86 weeks at 1997-09-30.
* The first purchase "gives birth" to the customer and is not counted in ``frequency`` or in
  ``monetary_value`` (its value often differs systematically from later ones).
* A customer whose first purchase falls on the last day gets T = 0; the models need T > 0, so drop
  such customers (``summary[summary["T"] > 0]``) before fitting.

The work is vectorised on integer day numbers (one sort of the (customer, day) pairs), so ten
million transactions take a few seconds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["FREQ_DAYS", "cumulative_repeat_transactions", "first_purchase_times", "summarize_transactions"]

#: Length of one time unit in days, by ``freq``.
FREQ_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}

_EPOCH = np.datetime64("1970-01-01", "D")


def _row(df: pd.DataFrame, pos: int) -> str:
    return f"第 {pos + 1} 行 (row {pos + 1}, index {df.index[pos]!r})"


def _day_of(value: object, zh: str, en: str) -> int:
    """A single date (string, Timestamp, datetime, date) as a day number since 1970-01-01."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if value is None or ts is pd.NaT or isinstance(value, (bool, int, float, np.number)):
        raise InputError(f"{zh} {en} 必须是有效日期 (a valid date, e.g. '1998-06-30')，收到 {value!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int((np.datetime64(ts.date(), "D") - _EPOCH).astype(np.int64))


def _column(df: pd.DataFrame, col: object, zh: str, en: str) -> pd.Series:
    if col not in df.columns:
        raise InputError(
            f"{zh}列 {en} column {col!r} 不在表中 (not found)；表的列 columns: {', '.join(map(repr, df.columns))}"
        )
    values = df[col]
    if isinstance(values, pd.DataFrame):
        raise InputError(f"{zh}列 {en} column {col!r} 在表中出现了多次 (duplicated column name)")
    return values


def _parse_dates(s: pd.Series, fmt: str | None) -> pd.Series:
    """Parse with unparseable values as NaT (reported by the caller, row by row)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Could not infer format", category=UserWarning)
        try:
            return pd.to_datetime(s, errors="coerce", format=fmt)
        except (TypeError, ValueError, OverflowError):  # e.g. mixed time zones: convert to UTC
            return pd.to_datetime(s, errors="coerce", format=fmt, utc=True)


def _day_numbers(df: pd.DataFrame, col: object) -> np.ndarray:
    """The date column as int64 day numbers since 1970-01-01; InputError naming the first bad row."""
    s = _column(df, col, "日期", "date")
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        raise InputError(
            f"日期列 date column {col!r} 是数字 (numbers, dtype {s.dtype})，不是日期；"
            f"请先转换，例如 pd.to_datetime(df[{col!r}].astype(str), format='%Y%m%d')；"
            f"{_row(df, 0)} 的值为 {s.iloc[0]!r}"
        )
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)  # local wall-clock days
    if pd.api.types.is_datetime64_dtype(s.dtype):
        dt = s
    else:
        dt = _parse_dates(s, None)
        if (dt.isna() & s.notna()).any():  # pandas guesses one format from the first value: allow several
            dt = _parse_dates(s, "mixed")
        if isinstance(dt.dtype, pd.DatetimeTZDtype):
            dt = dt.dt.tz_localize(None)
    missing = dt.isna().to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        kind = "缺失 (missing)" if pd.isna(s.iloc[i]) else "无法识别 (not a valid date)"
        raise InputError(f"日期 date 列 {col!r} {_row(df, i)} 的值{kind}，收到 {s.iloc[i]!r}")
    return (dt.to_numpy().astype("datetime64[D]") - _EPOCH).astype(np.int64)


def _sort_order(uniques: pd.Index) -> np.ndarray | None:
    """Positions that sort the distinct customer ids, or None when they cannot be compared (mixed types)."""
    if uniques.inferred_type == "string" and hasattr(np.dtypes, "StringDType"):
        # numpy's variable-width strings sort several times faster than Python objects (code-point order)
        return np.argsort(np.asarray(uniques, dtype=object).astype(np.dtypes.StringDType()), kind="stable")
    try:
        return np.asarray(uniques.argsort())
    except TypeError:
        return None


def _customer_codes(df: pd.DataFrame, col: object) -> tuple[np.ndarray, pd.Index]:
    """Integer codes 0..k-1 of the customer ids, numbered in sorted id order where ids can be sorted."""
    s = _column(df, col, "客户", "customer")
    codes, uniques = pd.factorize(s, sort=False)
    if (codes < 0).any():
        i = int(np.flatnonzero(codes < 0)[0])
        raise InputError(f"客户编号 customer id 列 {col!r} {_row(df, i)} 缺失 (missing)，收到 {s.iloc[i]!r}")
    uniques = pd.Index(uniques, name=col)
    order = _sort_order(uniques)
    if order is None:  # keep the order of first appearance
        return codes.astype(np.int64, copy=False), uniques
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], uniques[order]


def _amounts(df: pd.DataFrame, col: object) -> np.ndarray:
    s = _column(df, col, "金额", "amount")
    if pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna().to_numpy() & s.notna().to_numpy()
        if bad.any() or pd.api.types.is_bool_dtype(s.dtype):
            i = int(np.flatnonzero(bad)[0]) if bad.any() else 0
            raise InputError(f"金额 amount 列 {col!r} 必须是数字 (numbers)；{_row(df, i)} 收到 {s.iloc[i]!r}")
        s = num
    a = s.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(a)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"金额 amount 列 {col!r} {_row(df, i)} 缺失或不是有限数字 (missing / not finite)，"
                         f"收到 {s.iloc[i]!r}")
    neg = a < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise InputError(f"金额 amount 列 {col!r} {_row(df, i)} 不能为负数 (must be ≥ 0; 退货请另行处理 "
                         f"handle returns separately)，收到 {a[i]!r}")
    return a


def _distinct_days(key: np.ndarray, amounts: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Sorted distinct (customer, day) keys and, with amounts, the amount summed over each key.

    np.sort of int64 is several times faster than np.argsort (and than np.unique), so when it fits in
    int64 the row number is packed into the low digits of the key and recovered after one plain sort.
    """
    n = len(key)
    if amounts is None:
        skey = np.sort(key)
        sorted_amt = None
    elif int(key.max()) < (np.iinfo(np.int64).max - n) // max(n, 1):
        packed = np.sort(key * n + np.arange(n, dtype=np.int64))
        skey, order = np.divmod(packed, n)
        sorted_amt = amounts[order]
    else:
        order = np.argsort(key)
        skey, sorted_amt = key[order], amounts[order]
    starts = np.flatnonzero(np.r_[True, skey[1:] != skey[:-1]])
    return skey[starts], None if sorted_amt is None else np.add.reduceat(sorted_amt, starts)


def summarize_transactions(
    df: pd.DataFrame,
    customer_col: object,
    date_col: object,
    amount_col: object | None = None,
    *,
    observation_end: object,
    freq: str = "W",
    calibration_end: object | None = None,
) -> pd.DataFrame:
    """交易汇总 one row per customer: ``frequency``, ``recency``, ``T`` (+ ``monetary_value``, hold-out).

    Parameters
    ----------
    df : one row per transaction.
    customer_col, date_col : column names of the customer id and of the purchase date (datetimes or
        date strings; the time of day is ignored).
    amount_col : optional column of the (≥ 0) value of each transaction; adds ``monetary_value``.
    observation_end : last day of the data (inclusive); no transaction may be later.
    freq : time unit of ``recency``/``T``: ``"D"`` days, ``"W"`` weeks (7 days), ``"M"`` months
        (365.25/12 days).
    calibration_end : optional last day of the calibration period (inclusive, ≤ ``observation_end``).
        Then ``frequency``, ``recency``, ``T`` and ``monetary_value`` use purchases up to this day only,
        only customers whose first purchase is in the calibration period are kept, and the result gains
        ``frequency_holdout`` (purchase days in (calibration_end, observation_end]),
        ``monetary_value_holdout`` (mean value of those purchases, 0 if none; with amounts) and
        ``duration_holdout`` ((observation_end − calibration_end) in ``freq`` units).

    Returns a DataFrame indexed by customer id (sorted where the ids can be sorted). Same-day purchases
    of a customer count as one purchase with the summed amount; see the module docstring for the
    conventions. Raises :class:`~crmlab.InputError` naming the column and row of any bad value.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"交易表 transactions 必须是 pandas DataFrame，收到 {type(df).__name__}")
    if freq not in FREQ_DAYS:
        raise InputError(f"时间单位 freq 必须是 'D'（天）、'W'（周）或 'M'（月），收到 {freq!r}")
    unit = FREQ_DAYS[freq]
    for col, zh, en in ((customer_col, "客户", "customer"), (date_col, "日期", "date")):
        _column(df, col, zh, en)
    if amount_col is not None:
        _column(df, amount_col, "金额", "amount")
    if len(df) == 0:
        raise InputError("交易表 transactions 是空的 (no rows)")
    end = _day_of(observation_end, "观察截止日", "observation_end")
    cal = end if calibration_end is None else _day_of(calibration_end, "校准截止日", "calibration_end")
    if cal > end:
        raise InputError(
            f"校准截止日 calibration_end 不能晚于观察截止日 observation_end，收到 calibration_end={calibration_end!r}, "
            f"observation_end={observation_end!r}"
        )

    codes, customers = _customer_codes(df, customer_col)
    days = _day_numbers(df, date_col)
    late = days > end
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise InputError(
            f"日期 date 列 {date_col!r} {_row(df, i)} 晚于观察截止日 (after observation_end {observation_end!r})，"
            f"收到 {df[date_col].iloc[i]!r}"
        )
    amounts = None if amount_col is None else _amounts(df, amount_col)

    # one sort of the (customer, day) keys: each customer's purchase days end up together, in order
    dmin = int(days.min())
    span = end - dmin + 1
    key = codes * span + (days - dmin)
    ukey, uamt = _distinct_days(key, amounts)
    ucode = ukey // span
    uday = ukey % span + dmin

    n_cust = len(customers)  # every code 0..n_cust-1 occurs, so customer k's days start at start_of[k]
    start_of = np.flatnonzero(np.r_[True, ucode[1:] != ucode[:-1]])
    first = uday[start_of]
    in_cal = uday <= cal
    n_cal = np.bincount(ucode[in_cal], minlength=n_cust)
    keep = n_cal > 0  # first purchase on or before calibration_end
    last = uday[start_of + np.maximum(n_cal, 1) - 1]

    out = pd.DataFrame(index=customers)
    out["frequency"] = n_cal - 1
    out["recency"] = (last - first) / unit
    out["T"] = (cal - first) / unit
    if uamt is not None:
        repeat = in_cal.copy()
        repeat[start_of] = False  # the first purchase is not a repeat purchase
        repeat_total = np.bincount(ucode[repeat], weights=uamt[repeat], minlength=n_cust)
        out["monetary_value"] = np.where(n_cal > 1, repeat_total / np.maximum(n_cal - 1, 1), 0.0)
    if calibration_end is not None:
        hold = ~in_cal
        n_hold = np.bincount(ucode[hold], minlength=n_cust)
        out["frequency_holdout"] = n_hold
        if uamt is not None:
            h_total = np.bincount(ucode[hold], weights=uamt[hold], minlength=n_cust)
            out["monetary_value_holdout"] = np.where(n_hold > 0, h_total / np.maximum(n_hold, 1), 0.0)
        out["duration_holdout"] = (end - cal) / unit
        out = out[keep]
        if out.empty:
            raise InputError(
                f"校准期内没有客户 (no customer made a first purchase on or before calibration_end "
                f"{calibration_end!r})；最早的交易日 earliest purchase: {_EPOCH + np.timedelta64(int(dmin), 'D')}"
            )
    return out


def _cohort_days(df: pd.DataFrame, customer_col: object, date_col: object, start: object
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index, int]:
    """Distinct (customer, day) pairs of a cohort as day offsets from ``start``, customer by customer in
    date order: (codes, offsets, first-purchase flags, customer ids, start day). InputError if a purchase
    precedes ``start``."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"交易表 transactions 必须是 pandas DataFrame，收到 {type(df).__name__}")
    for col, zh, en in ((customer_col, "客户", "customer"), (date_col, "日期", "date")):
        _column(df, col, zh, en)
    if len(df) == 0:
        raise InputError("交易表 transactions 是空的 (no rows)")
    s = _day_of(start, "起始日", "start")
    codes, customers = _customer_codes(df, customer_col)
    days = _day_numbers(df, date_col)
    early = days < s
    if early.any():
        i = int(np.flatnonzero(early)[0])
        raise InputError(
            f"日期 date 列 {date_col!r} {_row(df, i)} 早于起始日 (before start {start!r})：客户群 cohort 的全部交易"
            f"都应在起始日当天或之后，收到 {df[date_col].iloc[i]!r}"
        )
    offsets = days - s
    span = int(offsets.max()) + 1
    ukey, _ = _distinct_days(codes * span + offsets, None)
    ucode, uoff = ukey // span, ukey % span
    first = np.r_[True, ucode[1:] != ucode[:-1]]
    return ucode, uoff, first, customers, s


def first_purchase_times(
    df: pd.DataFrame, customer_col: object, date_col: object, start: object, freq: str = "W"
) -> pd.Series:
    """首次购买时间 each customer's first purchase, in ``freq`` units after the day ``start``.

    A purchase on ``start`` itself is at time 0, one on the next day at 1/7 week, and so on (whole days,
    as in :func:`summarize_transactions`). Indexed by customer id (sorted where ids can be sorted); the
    ``first_purchase`` argument of :func:`crmlab.btyd.plots.plot_cumulative_tracking`.
    """
    if freq not in FREQ_DAYS:
        raise InputError(f"时间单位 freq 必须是 'D'（天）、'W'（周）或 'M'（月），收到 {freq!r}")
    ucode, uoff, first, customers, _ = _cohort_days(df, customer_col, date_col, start)
    times = np.empty(len(customers))
    times[ucode[first]] = uoff[first] / FREQ_DAYS[freq]
    return pd.Series(times, index=customers, name="first_purchase")


def cumulative_repeat_transactions(
    df: pd.DataFrame, customer_col: object, date_col: object, start: object, end: object, freq: str = "W"
) -> pd.Series:
    """累计重复购买次数 a cohort's cumulative repeat purchases at the end of each whole period after ``start``.

    Period k (k = 1, 2, …) covers the days ``start + (k−1)·unit`` ≤ day < ``start + k·unit`` (unit = 7 days
    for ``"W"``); only the whole periods up to ``end`` (inclusive) are reported, and purchases after them are
    left out. A repeat purchase is a purchase day of a customer after their first one; same-day purchases count
    once, as in :func:`summarize_transactions`. So with the CDNOW cohort (start 1997-01-01) the value at week
    39 is the total calibration ``frequency`` to 1997-09-30. Returns a Series indexed by period number 1…n:
    the ``actual_cumulative`` argument of :func:`crmlab.btyd.plots.plot_cumulative_tracking`.
    """
    if freq not in FREQ_DAYS:
        raise InputError(f"时间单位 freq 必须是 'D'（天）、'W'（周）或 'M'（月），收到 {freq!r}")
    unit = FREQ_DAYS[freq]
    _codes, uoff, first, _, s = _cohort_days(df, customer_col, date_col, start)
    e = _day_of(end, "截止日", "end")
    n = int(np.floor((e - s + 1) / unit + 1e-9))
    if n < 1:
        raise InputError(f"起始日 start 到截止日 end 不足一个完整时间单位 (less than one whole {freq!r} period)，"
                         f"收到 start={start!r}, end={end!r}")
    period = np.floor(uoff[~first] / unit + 1e-9).astype(np.int64)  # 0-based period of each repeat purchase
    counts = np.bincount(period[period < n], minlength=n)
    return pd.Series(np.cumsum(counts), index=pd.RangeIndex(1, n + 1, name="period"),
                     name="cumulative_repeat_transactions")
