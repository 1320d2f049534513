"""客服指标 service-desk metrics from a ticket log, FAQ deflection economics, the agent dashboard and performance pay.

The ticket log has the columns of :data:`crmlab.ticket_data.TICKET_COLUMNS` (load 鲜果园's with
:func:`crmlab.ticket_data.load_service_tickets`); every function checks it with
:func:`~crmlab.ticket_data.validate_tickets` first.

* :func:`first_response_minutes`, :func:`resolution_hours` — per ticket: 首次响应时间 (first response − created,
  minutes) and 解决时长 (resolved − created, hours); NaN when not yet answered / resolved;
* :func:`response_summary` — by channel (or any column): tickets, median and P90 of both times, first-contact
  resolution, reopen rate, mean satisfaction, and a 合计 row;
* :func:`sla_attainment` — 服务水平达成率: share of tickets whose first response came within the channel's SLA;
* :func:`arrival_pattern` — 来访规律: average tickets per day by hour of day or by weekday, per channel;
* :func:`backlog` — 积压工单: open tickets (and tickets not yet answered) at each time of a grid, vectorised;
* :func:`agents_on_duty` — 在岗人数: how many agents are on shift at each time;
* :func:`monthly_tickets`, :func:`deflectable_share`, :func:`handle_cost_per_ticket`,
  :func:`faq_deflection_economics` — FAQ 分流的经济账;
* :func:`staffed_hours`, :func:`agent_dashboard`, :func:`staff_cost_per_ticket` — 客服团队看板;
* :class:`PayScheme`, :func:`performance_pay` — 绩效工资: base pay plus a bonus driven by weighted KPIs.

Percentiles use numpy's default (linear interpolation between order statistics).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_fraction, require_nonnegative
from .ticket_data import (
    DEFAULT_SLA_MINUTES,
    FAQ_DEFLECTABLE,
    SHIFTS,
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
    parse_days_off,
    validate_agents,
    validate_tickets,
)

__all__ = [
    "DEFAULT_SLA_MINUTES",
    "KPI_DEFINITIONS",
    "FAQEconomics",
    "PayScheme",
    "agent_dashboard",
    "agents_on_duty",
    "arrival_pattern",
    "backlog",
    "deflectable_share",
    "faq_deflection_economics",
    "first_response_minutes",
    "handle_cost_per_ticket",
    "monthly_tickets",
    "performance_pay",
    "resolution_hours",
    "response_summary",
    "sla_attainment",
    "staff_cost_per_ticket",
    "staffed_hours",
]

TOTAL = "合计"


# --- times per ticket ----------------------------------------------------------------------------------------

def first_response_minutes(tickets: pd.DataFrame) -> pd.Series:
    """首次响应时间 first-response time of each ticket in minutes (first_response − created); NaN if not answered.

    Indexed by ``ticket_id``.
    """
    df = validate_tickets(tickets)
    minutes = (df["first_response"] - df["created"]).dt.total_seconds() / 60.0
    return pd.Series(minutes.to_numpy(dtype=float), index=pd.Index(df["ticket_id"], name="ticket_id"),
                     name="first_response_minutes")


def resolution_hours(tickets: pd.DataFrame) -> pd.Series:
    """解决时长 resolution time of each ticket in hours (resolved − created); NaN if still open. By ``ticket_id``."""
    df = validate_tickets(tickets)
    hours = (df["resolved"] - df["created"]).dt.total_seconds() / 3600.0
    return pd.Series(hours.to_numpy(dtype=float), index=pd.Index(df["ticket_id"], name="ticket_id"),
                     name="resolution_hours")


def _pct(values: pd.Series, q: float) -> float:
    v = values.dropna().to_numpy(dtype=float)
    return float(np.percentile(v, q)) if len(v) else float("nan")


def _order(keys: Iterable[object], preferred: Iterable[object]) -> list[object]:
    keys = list(keys)
    return [k for k in preferred if k in keys] + sorted((k for k in keys if k not in set(preferred)), key=str)


def response_summary(tickets: pd.DataFrame, by: str | None = "channel") -> pd.DataFrame:
    """响应与解决统计 response and resolution figures per group of ``by`` (a column, e.g. ``"channel"``,
    ``"category"``, ``"agent_id"``; ``None`` = totals only), plus a ``合计`` (total) row.

    Columns: ``tickets``; ``frt_median_min`` / ``frt_p90_min`` (first-response time, minutes, answered tickets);
    ``resolved_share``; ``resolution_median_h`` / ``resolution_p90_h`` (hours, resolved tickets); ``fcr_rate``
    (first-contact resolution, share of all tickets); ``reopen_rate``; ``satisfaction`` (mean 1–5 of the answered
    surveys) and ``ratings`` (how many).
    """
    df = validate_tickets(tickets)
    if df.empty:
        raise InputError("工单记录 tickets 不能为空 (empty)")
    if by is not None and by not in df.columns:
        raise InputError(f"分组列 by 不在工单记录中 (unknown column)，收到 {by!r}")
    df["frt"] = (df["first_response"] - df["created"]).dt.total_seconds() / 60.0
    df["res"] = (df["resolved"] - df["created"]).dt.total_seconds() / 3600.0

    def row(g: pd.DataFrame) -> dict[str, float]:
        return {
            "tickets": len(g),
            "frt_median_min": _pct(g["frt"], 50), "frt_p90_min": _pct(g["frt"], 90),
            "resolved_share": float(g["resolved"].notna().mean()),
            "resolution_median_h": _pct(g["res"], 50), "resolution_p90_h": _pct(g["res"], 90),
            "fcr_rate": float(g["resolved_first_contact"].mean()), "reopen_rate": float(g["reopened"].mean()),
            "satisfaction": float(g["satisfaction"].mean()) if g["satisfaction"].notna().any() else float("nan"),
            "ratings": int(g["satisfaction"].notna().sum()),
        }

    rows: dict[object, dict[str, float]] = {}
    if by is not None:
        groups = dict(tuple(df.groupby(by, sort=False)))
        preferred = {"channel": TICKET_CHANNELS, "category": TICKET_CATEGORIES}.get(by, ())
        for key in _order(groups, preferred):
            rows[key] = row(groups[key])
    rows[TOTAL] = row(df)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by or ""
    table["tickets"] = table["tickets"].astype(int)
    table["ratings"] = table["ratings"].astype(int)
    return table


# --- SLA ------------------------------------------------------------------------------------------------------

def _sla_table(sla_minutes: Mapping[str, float] | float | None, channels: Iterable[str]) -> dict[str, float]:
    if sla_minutes is None:
        sla = dict(DEFAULT_SLA_MINUTES)
    elif isinstance(sla_minutes, Mapping):
        sla = {}
        for ch, v in sla_minutes.items():
            if ch not in TICKET_CHANNELS:
                raise InputError(f"服务时限 sla_minutes 中的渠道 channel 未知，收到 {ch!r}；"
                                 f"可用 {list(TICKET_CHANNELS)}")
            x = require_finite(v, f"服务时限 sla_minutes[{ch}]", "(minutes)")
            if x <= 0:
                raise InputError(f"服务时限 sla_minutes[{ch}] 必须大于 0 分钟，收到 {v!r}")
            sla[ch] = x
    else:
        x = require_finite(sla_minutes, "服务时限", "sla_minutes")
        if x <= 0:
            raise InputError(f"服务时限 sla_minutes 必须大于 0 分钟，收到 {sla_minutes!r}")
        sla = dict.fromkeys(TICKET_CHANNELS, x)
    for ch in channels:
        if ch not in sla:
            raise InputError(f"渠道 {ch!r} 没有给出服务时限 sla_minutes (missing SLA for a channel)")
    return sla


def sla_attainment(tickets: pd.DataFrame, sla_minutes: Mapping[str, float] | float | None = None) -> pd.DataFrame:
    """服务水平达成率 SLA attainment: per channel, the share of tickets answered within the channel's time limit.

    ``sla_minutes``: channel → minutes (> 0), one number for every channel, or ``None`` for 鲜果园's
    :data:`DEFAULT_SLA_MINUTES` (电话 0.5, 在线客服 2, App 留言 240, 邮件 1440). A ticket is within the SLA when
    first_response − created ≤ the limit (inclusive); a ticket not yet answered is not within it. Columns
    ``sla_minutes``, ``tickets``, ``within_sla``, ``share``; a ``合计`` row pools all channels (each ticket judged
    by its own channel's limit).
    """
    df = validate_tickets(tickets)
    if df.empty:
        raise InputError("工单记录 tickets 不能为空 (empty)")
    sla = _sla_table(sla_minutes, df["channel"].unique())
    frt = (df["first_response"] - df["created"]).dt.total_seconds() / 60.0
    limit = df["channel"].map(sla).astype(float)
    df["within"] = (frt <= limit + 1e-9).fillna(False).astype(bool)
    rows = {}
    for ch in _order(df["channel"].unique(), TICKET_CHANNELS):
        g = df[df["channel"] == ch]
        rows[ch] = {"sla_minutes": sla[ch], "tickets": len(g), "within_sla": int(g["within"].sum()),
                    "share": float(g["within"].mean())}
    rows[TOTAL] = {"sla_minutes": float("nan"), "tickets": len(df), "within_sla": int(df["within"].sum()),
                   "share": float(df["within"].mean())}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "channel"
    table[["tickets", "within_sla"]] = table[["tickets", "within_sla"]].astype(int)
    return table


# --- arrivals -----------------------------------------------------------------------------------------------

def arrival_pattern(tickets: pd.DataFrame, by: str = "hour") -> pd.DataFrame:
    """来访规律 arrival pattern: average tickets per day created in each hour of the day (``by="hour"``, rows
    0–23) or on each weekday (``by="weekday"``, rows 周一 … 周日), one column per channel plus ``合计``.

    "Per day" divides by the number of calendar days from the first to the last ``created`` date (both included),
    or, for weekdays, by how many of that weekday the period contains (NaN for a weekday it does not contain).
    """
    from .ticket_data import WEEKDAYS

    if by not in ("hour", "weekday"):
        raise InputError(f"分组方式 by 只能是 'hour' 或 'weekday'，收到 {by!r}")
    df = validate_tickets(tickets)
    if df.empty:
        raise InputError("工单记录 tickets 不能为空 (empty)")
    days = pd.date_range(df["created"].min().normalize(), df["created"].max().normalize(), freq="D")
    if by == "hour":
        key, index = df["created"].dt.hour, pd.Index(range(24), name="hour")
        per = pd.Series(float(len(days)), index=index)
    else:
        key, index = df["created"].dt.day_of_week, pd.Index(range(7), name="weekday")
        per = pd.Series(days.day_of_week).value_counts().reindex(index, fill_value=0).astype(float)
    counts = pd.crosstab(key, df["channel"]).reindex(index=index, fill_value=0)
    channels = _order(counts.columns, TICKET_CHANNELS)
    table = counts[channels].astype(float)
    table[TOTAL] = table.sum(axis=1)
    table = table.div(per.where(per > 0), axis=0)
    table.columns.name = "channel"
    if by == "weekday":
        table.index = pd.Index([WEEKDAYS[i] for i in index], name="weekday")
    return table


def agents_on_duty(agents: pd.DataFrame, times: Iterable[object], team: str | None = None) -> pd.Series:
    """在岗人数 the number of agents on shift at each of ``times`` (optionally only ``team``): hired by then,
    not on a day off, and inside their shift hours (start included, end excluded). Overtime is not counted."""
    ag = validate_agents(agents)
    if team is not None:
        if team not in ag["team"].unique():
            raise InputError(f"班组 team 不在客服名册中，收到 {team!r}")
        ag = ag[ag["team"] == team]
    try:
        grid = pd.DatetimeIndex([pd.Timestamp(t) for t in times])
    except (TypeError, ValueError):
        raise InputError("时间点 times 必须是可解析的时间 (parsable times)") from None
    if grid.isna().any():
        raise InputError("时间点 times 中有空值 (missing time)")
    hour = grid.hour + grid.minute / 60.0 + grid.second / 3600.0
    count = np.zeros(len(grid), dtype=int)
    for _, a in ag.iterrows():
        s, e = SHIFTS[a["shift"]]
        off = parse_days_off(a["days_off"])
        working = ~np.isin(grid.day_of_week, list(off)) & (grid >= a["hire_date"])
        count += (working & (hour >= s) & (hour < e)).astype(int)
    return pd.Series(count, index=pd.DatetimeIndex(grid, name="time"), name="agents_on_duty")


# --- backlog --------------------------------------------------------------------------------------------------

def backlog(tickets: pd.DataFrame, times: Iterable[object] | None = None, freq: str = "1h",
            start: object = None, end: object = None) -> pd.DataFrame:
    """积压工单 backlog: how many tickets are open, and how many not yet answered, at each time.

    A ticket is **open** at time t when created ≤ t < resolved (still open if ``resolved`` is empty) and
    **awaiting response** when created ≤ t < first_response. ``times``: the moments to count at; by default a
    grid every ``freq`` (a pandas frequency such as ``"1h"``, ``"30min"``, ``"1D"``) from ``start`` (default: the
    first ``created`` floored to the day) to ``end`` (default: the last ``created`` ceiled to the day).
    Vectorised: counts come from sorted times and :func:`numpy.searchsorted` (O((n + m) log n) for n tickets and
    m time points), with no loop over tickets. Returns columns ``created`` (tickets created by t), ``open``,
    ``awaiting_response``, indexed by time.
    """
    df = validate_tickets(tickets)
    if times is None:
        if df.empty and (start is None or end is None):
            raise InputError("工单记录 tickets 为空时必须给出 start 和 end")
        try:
            step = pd.tseries.frequencies.to_offset(freq)
            t_start = pd.Timestamp(start) if start is not None else df["created"].min().floor("D")
            t_end = pd.Timestamp(end) if end is not None else df["created"].max().ceil("D")
        except (TypeError, ValueError):
            raise InputError(f"时间网格 freq/start/end 无效 (invalid)，收到 freq={freq!r}, start={start!r}, "
                             f"end={end!r}") from None
        if t_end < t_start:
            raise InputError(f"结束时间 end 不能早于开始时间 start，收到 start={t_start}, end={t_end}")
        grid = pd.date_range(t_start, t_end, freq=step)
    else:
        try:
            grid = pd.DatetimeIndex([pd.Timestamp(t) for t in times])
        except (TypeError, ValueError):
            raise InputError("时间点 times 必须是可解析的时间 (parsable times)") from None
        if grid.isna().any():
            raise InputError("时间点 times 中有空值 (missing time)")
    unit = "ns"
    t = grid.as_unit(unit).asi8

    def sorted_i8(col: str) -> np.ndarray:
        s = df[col].dropna()
        return np.sort(s.astype(f"datetime64[{unit}]").to_numpy().astype("int64")) if len(s) else np.array([], "int64")

    created = np.searchsorted(sorted_i8("created"), t, side="right")
    answered = np.searchsorted(sorted_i8("first_response"), t, side="right")
    resolved = np.searchsorted(sorted_i8("resolved"), t, side="right")
    out = pd.DataFrame({"created": created, "open": created - resolved, "awaiting_response": created - answered},
                       index=pd.DatetimeIndex(grid, name="time"))
    return out


# --- FAQ deflection -------------------------------------------------------------------------------------------

def monthly_tickets(tickets: pd.DataFrame) -> pd.Series:
    """每月工单量 tickets created per calendar month (index ``YYYY-MM``)."""
    df = validate_tickets(tickets)
    counts = df.groupby(df["created"].dt.strftime("%Y-%m")).size()
    counts.index.name = "month"
    return counts.rename("tickets")


def deflectable_share(tickets: pd.DataFrame, categories: Iterable[str] = FAQ_DEFLECTABLE) -> float:
    """可分流比例 share (0–1) of tickets whose category an FAQ / self-service page could answer.

    ``categories`` defaults to :data:`~crmlab.ticket_data.FAQ_DEFLECTABLE` (配送查询, 优惠活动, 账户登录); an
    unknown category name is an error.
    """
    cats = list(categories)
    for c in cats:
        if c not in TICKET_CATEGORIES:
            raise InputError(f"问题类别 category 未知，收到 {c!r}；可用 {list(TICKET_CATEGORIES)}")
    df = validate_tickets(tickets)
    if df.empty:
        raise InputError("工单记录 tickets 不能为空 (empty)")
    return float(df["category"].isin(cats).mean())


def handle_cost_per_ticket(tickets: pd.DataFrame, hourly_cost: float,
                           categories: Iterable[str] | None = None) -> float:
    """每张工单的处理成本 marginal cost of a ticket (元): mean ``handle_minutes`` × ``hourly_cost`` (元 per hour of
    agent time) ÷ 60, over the tickets of ``categories`` (default: all). This is what a ticket that never
    arrives saves in agent time; see :func:`staff_cost_per_ticket` for the fully loaded cost."""
    cost = require_nonnegative(hourly_cost, "每小时人工成本", "hourly_cost")
    df = validate_tickets(tickets)
    if categories is not None:
        cats = list(categories)
        for c in cats:
            if c not in TICKET_CATEGORIES:
                raise InputError(f"问题类别 category 未知，收到 {c!r}；可用 {list(TICKET_CATEGORIES)}")
        df = df[df["category"].isin(cats)]
    if df.empty:
        raise InputError("没有符合条件的工单 (no tickets)，无法计算每张工单的处理成本")
    return float(df["handle_minutes"].mean()) * cost / 60.0


@dataclass(frozen=True)
class FAQEconomics:
    """FAQ 分流的经济账 FAQ deflection economics (money in 元, time in months); see
    :func:`faq_deflection_economics`."""

    tickets_per_month: float
    deflectable_share: float
    deflection_rate: float
    cost_per_ticket: float
    build_cost: float
    upkeep_per_month: float
    deflected_per_month: float
    gross_savings_per_month: float
    net_savings_per_month: float
    payback_months: float

    def cumulative(self, months: int) -> float:
        """累计净收益 net result after ``months`` months: −build cost + months × net monthly savings (元)."""
        m = require_nonnegative(months, "月数", "months")
        return -self.build_cost + m * self.net_savings_per_month

    def __repr__(self) -> str:
        payback = "永远收不回" if math.isinf(self.payback_months) else f"{self.payback_months:.1f} 个月"
        return (f"FAQEconomics(每月分流 {self.deflected_per_month:,.0f} 张工单, 每月节省 "
                f"{self.gross_savings_per_month:,.0f} 元, 扣维护后净节省 {self.net_savings_per_month:,.0f} 元, "
                f"回收期 {payback})")


def faq_deflection_economics(tickets_per_month: float, deflectable_share: float, deflection_rate: float,
                             cost_per_ticket: float, faq_build_cost: float,
                             faq_upkeep_per_month: float) -> FAQEconomics:
    """FAQ 分流的经济账 FAQ / self-service deflection: monthly savings and payback.

    deflected per month = ``tickets_per_month`` × ``deflectable_share`` (0–1, tickets an FAQ could answer) ×
    ``deflection_rate`` (0–1, of those, the share the customers really solve themselves);
    gross savings = deflected × ``cost_per_ticket`` (元 per ticket handled by an agent);
    net monthly savings = gross − ``faq_upkeep_per_month`` (元); payback months = ``faq_build_cost`` (元) ÷ net
    monthly savings — ``math.inf`` when the net saving is ≤ 0 (the FAQ never pays back), 0 when it costs nothing
    to build. Example: 2,700 tickets × 45 % × 40 % = 486 deflected; × 12 元 = 5,832 元; − 1,500 元 upkeep =
    4,332 元 a month; a 30,000 元 build pays back in 30,000 / 4,332 ≈ 6.9 months.
    """
    n = require_nonnegative(tickets_per_month, "每月工单量", "tickets_per_month")
    share = require_fraction(deflectable_share, "可分流比例", "deflectable_share")
    rate = require_fraction(deflection_rate, "自助解决率", "deflection_rate")
    cost = require_nonnegative(cost_per_ticket, "每张工单成本", "cost_per_ticket")
    build = require_nonnegative(faq_build_cost, "FAQ 建设成本", "faq_build_cost")
    upkeep = require_nonnegative(faq_upkeep_per_month, "FAQ 每月维护成本", "faq_upkeep_per_month")
    deflected = n * share * rate
    gross = deflected * cost
    net = gross - upkeep
    payback = (0.0 if build == 0 else build / net) if net > 0 else math.inf
    return FAQEconomics(n, share, rate, cost, build, upkeep, deflected, gross, net, payback)


# --- team dashboard -------------------------------------------------------------------------------------------

def _period(start: object, end: object, df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        t0 = pd.Timestamp(start).normalize() if start is not None else df["created"].min().normalize()
        t1 = pd.Timestamp(end).normalize() if end is not None else df["created"].max().normalize()
    except (TypeError, ValueError):
        raise InputError(f"统计期 start/end 不是有效日期，收到 start={start!r}, end={end!r}") from None
    if pd.isna(t0) or pd.isna(t1):
        raise InputError("统计期 start/end 必须给出（工单记录为空）")
    if t1 < t0:
        raise InputError(f"统计期结束 end 不能早于开始 start，收到 start={t0.date()}, end={t1.date()}")
    return t0, t1


def staffed_hours(agents: pd.DataFrame, start: object, end: object) -> pd.Series:
    """在岗时间 staffed hours of each agent from ``start`` to ``end`` (dates, both included).

    = shift length (8 h for 早班/晚班, :data:`~crmlab.ticket_data.SHIFTS`) × working days: days in the period, on
    or after the hire date, that are not the agent's days off. Indexed by ``agent_id``.
    """
    ag = validate_agents(agents)
    t0, t1 = _period(start, end, pd.DataFrame({"created": [pd.NaT]}))
    hours = {}
    for _, a in ag.iterrows():
        first = max(t0, a["hire_date"].normalize())
        off = parse_days_off(a["days_off"])
        mask = "".join("0" if d in off else "1" for d in range(7))
        days = 0 if first > t1 else int(np.busday_count(first.date(), (t1 + pd.Timedelta(days=1)).date(),
                                                           weekmask=mask))
        s, e = SHIFTS[a["shift"]]
        hours[a["agent_id"]] = float(days * (e - s))
    return pd.Series(hours, name="staffed_hours").rename_axis("agent_id")


def agent_dashboard(tickets: pd.DataFrame, agents: pd.DataFrame, start: object = None,
                    end: object = None) -> pd.DataFrame:
    """客服团队看板 one row per agent for the tickets created from ``start`` to ``end`` (dates, both included;
    default: the whole log), counting each ticket for the agent who first answered it.

    Columns: ``team``; ``tickets`` (处理工单数); ``handle_hours`` (total handle time, h); ``aht_minutes`` (平均处理
    时长 = handle minutes / tickets); ``fcr_rate`` (首次解决率, share of the agent's tickets resolved at first
    contact and not reopened); ``reopen_rate`` (重开率); ``satisfaction`` (平均满意度, mean of the answered surveys,
    NaN if none) and ``ratings``; ``staffed_hours`` (在岗时间, :func:`staffed_hours`); ``occupancy`` (占用率 = handle
    time / staffed time; it can exceed 1 with overtime; low values mean idle time, very high ones burnout risk).
    Agents without tickets have 0 tickets and NaN averages.
    """
    df = validate_tickets(tickets, agents)
    ag = validate_agents(agents)
    t0, t1 = _period(start, end, df)
    day = df["created"].dt.normalize()
    df = df[(day >= t0) & (day <= t1) & df["agent_id"].notna()]
    g = df.groupby("agent_id")
    table = pd.DataFrame({
        "team": ag.set_index("agent_id")["team"],
        "tickets": g.size(),
        "handle_hours": g["handle_minutes"].sum() / 60.0,
        "fcr_rate": g["resolved_first_contact"].mean(),
        "reopen_rate": g["reopened"].mean(),
        "satisfaction": g["satisfaction"].mean(),
        "ratings": g["satisfaction"].count(),
    }).reindex(ag["agent_id"])
    table["tickets"] = table["tickets"].fillna(0).astype(int)
    table["ratings"] = table["ratings"].fillna(0).astype(int)
    table["handle_hours"] = table["handle_hours"].fillna(0.0).astype(float)
    table["aht_minutes"] = np.where(table["tickets"] > 0, table["handle_hours"] * 60.0 / table["tickets"].clip(lower=1),
                                    np.nan)
    table["staffed_hours"] = staffed_hours(ag, t0, t1).reindex(table.index)
    table["occupancy"] = np.where(table["staffed_hours"] > 0,
                                  table["handle_hours"] / table["staffed_hours"].where(table["staffed_hours"] > 0),
                                  np.nan)
    for col in ("fcr_rate", "reopen_rate", "satisfaction", "aht_minutes", "occupancy"):
        table[col] = table[col].astype(float)
    table.index.name = "agent_id"
    return table[["team", "tickets", "handle_hours", "aht_minutes", "fcr_rate", "reopen_rate", "satisfaction",
                  "ratings", "staffed_hours", "occupancy"]]


def staff_cost_per_ticket(dashboard: pd.DataFrame, hourly_cost: float) -> float:
    """每张工单的人工成本 fully loaded staff cost per ticket (元): staffed hours × ``hourly_cost`` (元 per staffed
    hour, wages plus overheads) ÷ tickets, over all agents of an :func:`agent_dashboard`. Idle time is included,
    which is what a ticket saved by self-service really saves only if staffing is cut accordingly."""
    cost = require_nonnegative(hourly_cost, "每小时人工成本", "hourly_cost")
    _need_columns(dashboard, ("staffed_hours", "tickets"), "客服看板 dashboard")
    n = float(dashboard["tickets"].sum())
    if n <= 0:
        raise InputError("客服看板 dashboard 中工单数 tickets 合计为 0，无法计算每张工单成本")
    return float(dashboard["staffed_hours"].sum()) * cost / n


def _need_columns(df: object, cols: Iterable[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{name} 必须是 pandas DataFrame，收到 {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(f"{name} 缺少列 missing columns {missing}")


# --- performance pay ------------------------------------------------------------------------------------------

#: KPI name (a column of :func:`agent_dashboard`) → (Chinese name, higher is better?, unit).
KPI_DEFINITIONS: dict[str, tuple[str, bool, str]] = {
    "tickets": ("处理工单数", True, "张"),
    "aht_minutes": ("平均处理时长", False, "分钟"),
    "fcr_rate": ("首次解决率", True, ""),
    "satisfaction": ("平均满意度", True, "分"),
    "occupancy": ("占用率", True, ""),
    "reopen_rate": ("重开率", False, ""),
}


def _kpi_name(name: object) -> str:
    if name not in KPI_DEFINITIONS:
        raise InputError(f"未知的考核指标 unknown KPI {name!r}；可用 available: {list(KPI_DEFINITIONS)}")
    return str(name)


@dataclass(frozen=True)
class PayScheme:
    """绩效工资方案 a performance-pay scheme an instructor configures.

    * ``base_pay`` — 基本工资 (元 per pay period), paid whatever the results;
    * ``bonus_pay`` — 绩效工资基数 (元 per period), paid in full when the weighted score is exactly 1;
    * ``weights`` — KPI name (see :data:`KPI_DEFINITIONS`) → weight ≥ 0; the weights must sum to 1 (±1e-6), or,
      with ``normalize=True``, are divided by their sum;
    * ``targets`` — KPI name → target (> 0) for every weighted KPI;
    * ``floor`` — 门槛 (0–1): a KPI whose achievement is below it earns no credit; ``cap`` — 封顶 (1–5): credit
      per KPI is at most this.

    Achievement (完成率) of a KPI = actual ÷ target, or target ÷ actual for a lower-is-better KPI (平均处理时长,
    重开率). Build from a dict (e.g. loaded from YAML) with :meth:`from_dict`.
    """

    base_pay: float
    bonus_pay: float
    weights: Mapping[str, float]
    targets: Mapping[str, float]
    floor: float = 0.6
    cap: float = 1.2
    normalize: bool = False
    _w: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        base = require_nonnegative(self.base_pay, "基本工资", "base_pay")
        bonus = require_nonnegative(self.bonus_pay, "绩效工资基数", "bonus_pay")
        if not isinstance(self.weights, Mapping) or not self.weights:
            raise InputError(f"权重 weights 必须是非空的 {{指标: 权重}} 字典，收到 {self.weights!r}")
        if not isinstance(self.targets, Mapping):
            raise InputError(f"目标值 targets 必须是 {{指标: 目标}} 字典，收到 {self.targets!r}")
        weights = {_kpi_name(k): require_nonnegative(v, f"权重 weights[{k}]", "(weight)")
                   for k, v in self.weights.items()}
        targets = {}
        for k, v in self.targets.items():
            name = _kpi_name(k)
            t = require_finite(v, f"目标值 targets[{k}]", "(target)")
            if t <= 0:
                raise InputError(f"目标值 targets[{k}] 必须大于 0，收到 {v!r}")
            targets[name] = t
        total = sum(weights.values())
        if total <= 0:
            raise InputError(f"权重 weights 之和必须大于 0，收到 {self.weights!r}")
        if not isinstance(self.normalize, bool):
            raise InputError(f"normalize 必须是 True 或 False，收到 {self.normalize!r}")
        if not self.normalize and abs(total - 1.0) > 1e-6:
            raise InputError(f"权重 weights 之和必须等于 1（或设 normalize=True 按比例缩放），收到合计 {total:g}")
        for k, w in weights.items():
            if w > 0 and k not in targets:
                raise InputError(f"考核指标 {k!r} 有权重但缺少目标值 targets[{k!r}] (missing target)")
        floor = require_fraction(self.floor, "门槛", "floor")
        cap = require_finite(self.cap, "封顶", "cap")
        if not 1 <= cap <= 5:
            raise InputError(f"封顶 cap 必须在 1 和 5 之间，收到 {self.cap!r}")
        for name, value in (("base_pay", base), ("bonus_pay", bonus), ("floor", floor), ("cap", cap)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "weights", dict(weights))
        object.__setattr__(self, "targets", dict(targets))
        object.__setattr__(self, "_w", {k: w / total for k, w in weights.items()})

    @property
    def effective_weights(self) -> dict[str, float]:
        """实际权重 the weights used, scaled to sum to 1."""
        return dict(self._w)

    @classmethod
    def from_dict(cls, spec: Mapping[str, object]) -> PayScheme:
        """Build a scheme from ``{"base_pay": …, "bonus_pay": …, "kpis": {name: {"weight": …, "target": …}},
        "floor": …, "cap": …, "normalize": …}`` (``floor``, ``cap``, ``normalize`` optional) — e.g. the result of
        ``yaml.safe_load``. Unknown keys are an error naming them."""
        if not isinstance(spec, Mapping):
            raise InputError(f"绩效方案 scheme 必须是字典 (a mapping)，收到 {type(spec).__name__}")
        allowed = {"base_pay", "bonus_pay", "kpis", "floor", "cap", "normalize"}
        unknown = [k for k in spec if k not in allowed]
        if unknown:
            raise InputError(f"绩效方案 scheme 中有未知的键 unknown keys {unknown}；可用 {sorted(allowed)}")
        for key in ("base_pay", "bonus_pay", "kpis"):
            if key not in spec:
                raise InputError(f"绩效方案 scheme 缺少 {key!r} (missing key)")
        kpis = spec["kpis"]
        if not isinstance(kpis, Mapping) or not kpis:
            raise InputError(f"绩效方案 kpis 必须是非空的 {{指标: {{weight, target}}}} 字典，收到 {kpis!r}")
        weights, targets = {}, {}
        for name, item in kpis.items():
            if not isinstance(item, Mapping) or set(item) - {"weight", "target"} or "weight" not in item:
                raise InputError(f"绩效方案 kpis[{name!r}] 必须是 {{weight: …, target: …}}，收到 {item!r}")
            weights[name] = item["weight"]
            if "target" in item:
                targets[name] = item["target"]
        extra = {k: spec[k] for k in ("floor", "cap", "normalize") if k in spec}
        return cls(base_pay=spec["base_pay"], bonus_pay=spec["bonus_pay"], weights=weights, targets=targets,
                   **extra)  # type: ignore[arg-type]


def performance_pay(dashboard: pd.DataFrame, scheme: PayScheme) -> pd.DataFrame:
    """绩效工资 performance pay of each agent (row) of an :func:`agent_dashboard` under ``scheme``.

    For every weighted KPI: ``<kpi>`` (the actual value), ``<kpi>_achievement`` (完成率: actual / target, or
    target / actual when lower is better; an actual of 0 for such a KPI counts as the cap) and ``<kpi>_credit``
    (0 below ``scheme.floor``, else the achievement capped at ``scheme.cap``; a missing actual — e.g. no
    satisfaction ratings — earns 0). Then ``score`` = Σ weight × credit (weights scaled to sum 1), ``bonus`` =
    ``bonus_pay`` × score and ``total_pay`` = ``base_pay`` + bonus (元).
    """
    if not isinstance(scheme, PayScheme):
        raise InputError(f"绩效方案 scheme 必须是 PayScheme（可用 PayScheme.from_dict 构造），"
                         f"收到 {type(scheme).__name__}")
    kpis = [k for k, w in scheme.effective_weights.items() if w > 0]
    _need_columns(dashboard, kpis, "客服看板 dashboard")
    out = pd.DataFrame(index=dashboard.index)
    score = np.zeros(len(dashboard))
    for k in kpis:
        actual = pd.to_numeric(dashboard[k], errors="coerce").to_numpy(dtype=float)
        if (actual[~np.isnan(actual)] < 0).any():
            i = int(np.flatnonzero(actual < 0)[0])
            raise InputError(f"客服看板 dashboard 第 {i + 1} 行、列 {k} 不能为负数，收到 {actual[i]:g}")
        target = scheme.targets[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            ach = actual / target if KPI_DEFINITIONS[k][1] else np.where(actual == 0, np.inf, target / actual)
        credit = np.where(np.isnan(ach) | (ach < scheme.floor), 0.0, np.minimum(ach, scheme.cap))
        out[k] = actual
        out[f"{k}_achievement"] = ach
        out[f"{k}_credit"] = credit
        score = score + scheme.effective_weights[k] * credit
    out["score"] = score
    out["bonus"] = scheme.bonus_pay * score
    out["total_pay"] = scheme.base_pay + out["bonus"]
    return out
