"""鲜果园客服工单 the running case's support-ticket and call log: a seeded generator, a writer, validators, a loader.

Every number is 模拟数据 (simulated). The log covers one quarter (default 2024-10-01 … 2024-12-31) of 鲜果园's
customer-service desk and uses the customer ids of :func:`crmlab.datasets.load_green_food`. Two tables:

* ``agents`` — the ten agents of the desk (:data:`AGENT_COLUMNS`): team 电话组 (4, answer the phone) or 在线组
  (6, answer the online chat), hire date, shift (早班 08:00–16:00 or 晚班 14:00–22:00, 8 staffed hours) and two
  fixed days off a week (:data:`WEEKDAYS` names). Eight are veterans hired between 2019 and 2024-03-31; two 在线组
  agents join on
  2024-11-01 as reinforcements before the 双十一 promotion;
* ``tickets`` — one row per contact (:data:`TICKET_COLUMNS`).

How the log is simulated (documented so that students can check what the metrics recover):

* **arrivals** — tickets per day ~ Poisson(``daily_tickets`` × weekday factor × promotion factor); weekday factors
  周一 1.15, 周二–周四 1.0, 周五 0.95, 周六 1.1, 周日 1.05. Channel mix 电话 30 %, 在线客服 35 %, App 留言 25 %,
  邮件 10 %. During the promotion week (default 2024-11-11 for 7 days) the online channels carry
  ``promotion_lift`` (default 2.5) times the usual volume and the phone 1 + 0.4 × (lift − 1) times;
* **time of day** — phone and chat arrive only in service hours 08:00–22:00, with peaks at 10–11 h and 19–20 h
  (:data:`LIVE_HOUR_WEIGHTS`); App messages and e-mails arrive around the clock, few at night
  (:data:`ASYNC_HOUR_WEIGHTS`); the second within the hour is uniform;
* **category** — 配送查询 25 %, 优惠活动 12 %, 账户登录 10 %, 订单修改 12 %, 商品质量 15 %, 退款售后 18 %,
  支付问题 8 %; in the promotion week 优惠活动 ×3 and 配送查询 ×1.5 before renormalising. 配送查询, 优惠活动 and
  账户登录 are questions a good FAQ/self-service page can answer (:data:`FAQ_DEFLECTABLE`);
* **customer** — drawn among the green-food customers registered by the ticket's day (non-customers excluded),
  with weight (2024 orders + 0.5), doubled for 企业客户;
* **queue** — a simulation of the desk: an agent on duty first answers the oldest waiting contact of their live
  channel (电话组 the phone, 在线组 the chat); otherwise works, one minute at a time, on their own unfinished
  work (a message being answered, follow-up work); otherwise opens the oldest App message or e-mail (both teams
  share that queue; a phone agent does so only while another phone agent is on duty and free). So a live contact
  waits at most a minute for an agent busy with messages, but waits the whole contact when every agent of the team
  is on a live contact. Agents work only in their shift on working days (from their hire date) and finish live
  contacts that came in before the shift ended; a message arriving at night waits for the morning. The first
  response comes 5–25 s (phone), 10–60 s (chat) or 1–5 min (messages) after the agent takes the ticket;
* **handle time** — contact minutes lognormal (σ = 0.5) with median 电话 5, 在线客服 10, App 留言 6, 邮件 8
  minutes, times a category factor (配送查询 0.7, 优惠活动 0.8, 账户登录 0.9, 订单修改 1.0, 商品质量 1.3,
  退款售后 1.5, 支付问题 1.2) and the agent's speed factor; a ticket not solved at first contact adds follow-up work
  lognormal(median 10 min, σ = 0.6) × speed, done by the same agent after the contact. ``handle_minutes`` is the
  agent's total work on the ticket;
* **resolution** — solved at first contact with probability (by category 0.85, 0.85, 0.75, 0.70, 0.45, 0.35, 0.55
  in the order above) × channel factor (电话 1.0, 在线客服 1.0, App 留言 0.9, 邮件 0.85) × the agent's skill;
  otherwise resolved once the follow-up work is done and a wait for other departments (warehouse, courier,
  finance) is over, that wait lognormal(σ = 0.8) after the contact with median 配送查询 4, 优惠活动 6, 账户登录 8,
  订单修改 3, 商品质量 24, 退款售后 48, 支付问题 12 hours. A resolved ticket is reopened with
  probability 4 % (first-contact) or 12 % (otherwise), ×1.5 for new hires; a reopened ticket is resolved about a
  day later (lognormal median 24 h) and does not count as first-contact resolved;
* **agents' skill** (not in the CSV, for the metrics to uncover) — speed factor lognormal(0, 0.15), ×1.35 for
  new hires; first-contact skill U(0.9, 1.1), 0.8 for new hires; satisfaction effect N(0, 0.25), −0.2 for new hires;
* **satisfaction** — 40 % of resolved tickets answer the survey: 4.6 − 0.9 (first response later than the SLA in
  :data:`DEFAULT_SLA_MINUTES`) − 0.7 (not first-contact resolved) − 1.0 (reopened) − 0.4 (resolution > 48 h) +
  agent effect + N(0, 0.8), rounded and clipped to 1–5; otherwise missing;
* the log is extracted on ``end`` + 7 days at 00:00: a ticket not resolved by then has an empty ``resolved``.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, require_int, require_nonnegative, require_positive
from .paths import dataset_path, datasets_dir

__all__ = [
    "AGENT_COLUMNS",
    "ASYNC_HOUR_WEIGHTS",
    "DEFAULT_SLA_MINUTES",
    "FAQ_DEFLECTABLE",
    "LIVE_HOUR_WEIGHTS",
    "SHIFTS",
    "TEAMS",
    "TICKETS_DEFAULT",
    "TICKET_CATEGORIES",
    "TICKET_CHANNELS",
    "TICKET_COLUMNS",
    "WEEKDAYS",
    "ServiceTickets",
    "generate_service_tickets",
    "load_service_tickets",
    "parse_days_off",
    "validate_agents",
    "validate_tickets",
    "write_service_tickets",
]

TICKET_CHANNELS: tuple[str, ...] = ("电话", "在线客服", "App 留言", "邮件")
TICKET_CATEGORIES: tuple[str, ...] = (
    "配送查询", "优惠活动", "账户登录", "订单修改", "商品质量", "退款售后", "支付问题")
#: Categories whose questions a good FAQ / self-service page can answer (FAQ 可分流的类别).
FAQ_DEFLECTABLE: tuple[str, ...] = ("配送查询", "优惠活动", "账户登录")
TEAMS: tuple[str, ...] = ("电话组", "在线组")
#: Shift name → (start hour, end hour); 8 staffed hours each.
SHIFTS: dict[str, tuple[int, int]] = {"早班": (8, 16), "晚班": (14, 22)}
WEEKDAYS: tuple[str, ...] = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
#: 鲜果园's published first-response promise by channel, in minutes (模拟数据): phone answered within 30 s,
#: chat within 2 min, App messages within 4 h, e-mail within 24 h.
DEFAULT_SLA_MINUTES: dict[str, float] = {"电话": 0.5, "在线客服": 2.0, "App 留言": 240.0, "邮件": 1440.0}

TICKET_COLUMNS: dict[str, str] = {
    "ticket_id": "工单编号",
    "customer_id": "客户编号（→ green_food/customers.csv）",
    "agent_id": "首次响应的客服编号（尚未响应为空）",
    "channel": "渠道",
    "category": "问题类别",
    "created": "创建时间",
    "first_response": "首次响应时间（尚未响应为空）",
    "resolved": "解决时间（尚未解决为空）",
    "resolved_first_contact": "首次接触即解决（且未重开）",
    "satisfaction": "满意度 1–5（未评价为空）",
    "reopened": "是否被重新打开",
    "handle_minutes": "客服处理时长（分钟）",
}
AGENT_COLUMNS: dict[str, str] = {
    "agent_id": "客服编号",
    "team": "班组",
    "hire_date": "入职日期",
    "shift": "班次",
    "days_off": "每周固定休息日（用“、”分隔）",
}

#: Relative arrival weights by hour of day (0–23) for the live channels (电话, 在线客服): service hours only.
LIVE_HOUR_WEIGHTS: tuple[float, ...] = (
    0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.0, 1.3, 1.2, 0.9, 0.8, 0.9, 0.9, 0.9, 1.0, 1.1, 1.4, 1.4, 1.0, 0, 0)
#: Relative arrival weights by hour of day for App 留言 and 邮件: around the clock, few at night.
ASYNC_HOUR_WEIGHTS: tuple[float, ...] = (
    0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.4, 0.6, 1.0, 1.3, 1.2, 0.9, 0.8, 0.9, 0.9, 0.9, 1.0, 1.1, 1.4, 1.4,
    1.0, 0.8, 0.5)

#: The size committed to ``datasets/service_tickets/``: regenerate it with :func:`write_service_tickets`.
TICKETS_DEFAULT: dict[str, object] = {"start": "2024-10-01", "end": "2024-12-31", "daily_tickets": 90.0,
                                      "promotion_start": "2024-11-11", "promotion_days": 7,
                                      "promotion_lift": 2.5, "seed": 2024}

_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_WEEKDAY_FACTOR = (1.15, 1.0, 1.0, 1.0, 0.95, 1.1, 1.05)
_CHANNEL_P = (0.30, 0.35, 0.25, 0.10)
_CATEGORY_P = (0.25, 0.12, 0.10, 0.12, 0.15, 0.18, 0.08)
_CONTACT_MEDIAN = (5.0, 10.0, 6.0, 8.0)                      # minutes, by channel
_CATEGORY_FACTOR = (0.7, 0.8, 0.9, 1.0, 1.3, 1.5, 1.2)
_FCR_BASE = (0.85, 0.85, 0.75, 0.70, 0.45, 0.35, 0.55)
_FCR_CHANNEL = (1.0, 1.0, 0.9, 0.85)
_WAIT_MEDIAN_HOURS = (4.0, 6.0, 8.0, 3.0, 24.0, 48.0, 12.0)
_PICKUP_SECONDS = ((5, 25), (10, 60), (60, 300), (60, 300))
_WORK_SLICE = 1.0                                               # minutes of message/follow-up work between checks
# roster: (team, shift, days off as weekday numbers, new hire?)
_ROSTER = (
    ("电话组", "早班", (0, 1), False), ("电话组", "晚班", (2, 3), False),
    ("电话组", "早班", (3, 4), False), ("电话组", "晚班", (0, 1), False),
    ("在线组", "早班", (0, 1), False), ("在线组", "晚班", (1, 2), False),
    ("在线组", "早班", (2, 3), False), ("在线组", "晚班", (3, 4), False),
    ("在线组", "早班", (3, 4), True), ("在线组", "晚班", (0, 1), True),
)
_NEW_HIRE_DATE = "2024-11-01"


@dataclass(frozen=True)
class ServiceTickets:
    """鲜果园客服工单 the two tables of the service desk: ``tickets`` and ``agents``."""

    tickets: pd.DataFrame
    agents: pd.DataFrame

    def __repr__(self) -> str:
        return f"ServiceTickets({len(self.tickets):,} 张工单 tickets, {len(self.agents)} 名客服 agents)"


def parse_days_off(text: object) -> frozenset[int]:
    """休息日 the weekday numbers (0 = 周一 … 6 = 周日) in a text such as ``"周一、周二"``; empty text → none.

    Raises :class:`InputError` naming the unknown day.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return frozenset()
    parts = [p.strip() for p in str(text).replace(",", "、").split("、") if p.strip()]
    days = set()
    for p in parts:
        if p not in WEEKDAYS:
            raise InputError(f"休息日 days_off 只能是 {list(WEEKDAYS)} 用“、”分隔，收到 {text!r}")
        days.add(WEEKDAYS.index(p))
    return frozenset(days)


# --- validation ----------------------------------------------------------------------------------------------

def _where(name: str, header_rows: int):
    def where(i: int, col: str) -> str:
        return f"{name} 第 {i + 1 + header_rows} 行、列 {col}"
    return where


def _first(mask: pd.Series | np.ndarray) -> int | None:
    arr = np.asarray(mask, dtype=bool)
    return int(np.flatnonzero(arr)[0]) if arr.any() else None


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype(str).str.strip() == "")


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _times(df: pd.DataFrame, col: str, where, *, allow_blank: bool, fmt: str = _TIME_FORMAT) -> pd.Series:
    raw = df[col]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
        bad = raw.isna() if not allow_blank else pd.Series(False, index=raw.index)
    else:
        blank = _blank(raw)
        parsed = pd.to_datetime(raw.where(~blank), errors="coerce", format=fmt)
        bad = (parsed.isna() & ~blank) | (blank & (not allow_blank))
    i = _first(bad)
    if i is not None:
        shown = fmt.replace("%", "")
        raise InputError(f"{where(i, col)} 不是有效时间 ({shown})，收到 {_plain(raw.iloc[i])!r}")
    return parsed


def _bools(df: pd.DataFrame, col: str, where) -> pd.Series:
    if pd.api.types.is_bool_dtype(df[col]):
        return df[col].astype(bool)
    def parse(v: object) -> bool | None:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, np.integer)) and v in (0, 1):
            return bool(v)
        return {"true": True, "false": False, "1": True, "0": False}.get(str(v).strip().lower())

    parsed = df[col].map(parse)
    i = _first(parsed.isna())
    if i is not None:
        raise InputError(f"{where(i, col)} 必须是 True 或 False，收到 {_plain(df[col].iloc[i])!r}")
    return parsed.astype(bool)


def validate_agents(agents: pd.DataFrame, source: str | None = None, header_rows: int = 0) -> pd.DataFrame:
    """检查客服名册 check an agent table (:data:`AGENT_COLUMNS`) and return a copy with parsed hire dates.

    ``agent_id`` unique and not empty; ``team`` in :data:`TEAMS`; ``hire_date`` YYYY-MM-DD; ``shift`` in
    :data:`SHIFTS`; ``days_off`` weekday names joined by “、” (may be empty). Errors name the row and the column.
    """
    if not isinstance(agents, pd.DataFrame):
        raise InputError(f"客服名册 agents 必须是 pandas DataFrame，收到 {type(agents).__name__}")
    name = f"数据文件 {source}" if source else "客服名册 agents"
    where = _where(name, header_rows)
    missing = [c for c in AGENT_COLUMNS if c not in agents.columns]
    if missing:
        raise InputError(f"{name} 缺少列 missing columns {missing}")
    df = agents.copy().reset_index(drop=True)
    i = _first(_blank(df["agent_id"]))
    if i is not None:
        raise InputError(f"{where(i, 'agent_id')} 不能为空 (empty)")
    df["agent_id"] = df["agent_id"].astype(str).str.strip()
    i = _first(df["agent_id"].duplicated())
    if i is not None:
        raise InputError(f"{where(i, 'agent_id')} 重复 (duplicate id)，收到 {df['agent_id'].iloc[i]!r}")
    for col, allowed in (("team", TEAMS), ("shift", tuple(SHIFTS))):
        i = _first(~df[col].isin(allowed))
        if i is not None:
            raise InputError(f"{where(i, col)} 只能是 {list(allowed)}，收到 {_plain(df[col].iloc[i])!r}")
    df["hire_date"] = _times(df, "hire_date", where, allow_blank=False, fmt="%Y-%m-%d")
    for i, text in enumerate(df["days_off"]):
        try:
            days = parse_days_off(text)
        except InputError:
            raise InputError(f"{where(i, 'days_off')} 只能是 {list(WEEKDAYS)} 用“、”分隔，收到 {text!r}") from None
        if len(days) == 7:
            raise InputError(f"{where(i, 'days_off')} 一周至少要工作一天，收到 {text!r}")
    df["days_off"] = df["days_off"].fillna("").astype(str)
    return df


def validate_tickets(tickets: pd.DataFrame, agents: pd.DataFrame | None = None, source: str | None = None,
                     header_rows: int = 0) -> pd.DataFrame:
    """检查工单记录 check a ticket log (:data:`TICKET_COLUMNS`) and return a copy with parsed times and booleans.

    Rules: ``ticket_id`` unique; ``customer_id`` not empty; ``channel`` in :data:`TICKET_CHANNELS`; ``category`` in
    :data:`TICKET_CATEGORIES`; ``created`` a time ``YYYY-MM-DD HH:MM:SS`` (or datetime); ``first_response`` and
    ``resolved`` times or empty, with created ≤ first_response ≤ resolved (a resolved ticket must have a first
    response); ``agent_id`` empty exactly when there is no first response (and, when ``agents`` is given, one of
    its ids); ``resolved_first_contact`` and ``reopened`` True/False, first-contact resolved only if resolved and
    not reopened; ``satisfaction`` a whole number 1–5 or empty; ``handle_minutes`` a number ≥ 0. An error names the
    row and the column; with ``source`` (a file name) rows are numbered as in the file (``header_rows`` = 1).
    """
    if not isinstance(tickets, pd.DataFrame):
        raise InputError(f"工单记录 tickets 必须是 pandas DataFrame，收到 {type(tickets).__name__}")
    name = f"数据文件 {source}" if source else "工单记录 tickets"
    where = _where(name, header_rows)
    missing = [c for c in TICKET_COLUMNS if c not in tickets.columns]
    if missing:
        raise InputError(f"{name} 缺少列 missing columns {missing}")
    df = tickets.copy().reset_index(drop=True)
    for col in ("ticket_id", "customer_id"):
        i = _first(_blank(df[col]))
        if i is not None:
            raise InputError(f"{where(i, col)} 不能为空 (empty)")
    i = _first(df["ticket_id"].duplicated())
    if i is not None:
        raise InputError(f"{where(i, 'ticket_id')} 重复 (duplicate id)，收到 {_plain(df['ticket_id'].iloc[i])!r}")
    for col, allowed in (("channel", TICKET_CHANNELS), ("category", TICKET_CATEGORIES)):
        i = _first(~df[col].isin(allowed))
        if i is not None:
            raise InputError(f"{where(i, col)} 只能是 {list(allowed)}，收到 {_plain(df[col].iloc[i])!r}")
    created = _times(df, "created", where, allow_blank=False)
    first = _times(df, "first_response", where, allow_blank=True)
    resolved = _times(df, "resolved", where, allow_blank=True)
    checks = (
        (first < created, "first_response", "首次响应时间不能早于创建时间 created"),
        (resolved < created, "resolved", "解决时间不能早于创建时间 created (resolved before created)"),
        (resolved.notna() & first.isna(), "first_response", "已解决的工单必须有首次响应时间"),
        (resolved < first, "resolved", "解决时间不能早于首次响应时间 first_response"),
    )
    for bad, col, msg in checks:
        i = _first(bad.fillna(False) if hasattr(bad, "fillna") else bad)
        if i is not None:
            raise InputError(f"{where(i, col)} {msg}，收到 {_plain(df[col].iloc[i])!r}"
                             f"（created = {created.iloc[i]}）")
    no_agent = _blank(df["agent_id"])
    i = _first(no_agent != first.isna())
    if i is not None:
        need = "尚未响应的工单客服编号应为空" if first.isna().iloc[i] else "已响应的工单必须有客服编号"
        raise InputError(f"{where(i, 'agent_id')} {need}，收到 {_plain(df['agent_id'].iloc[i])!r}")
    df["agent_id"] = df["agent_id"].where(~no_agent).astype(object)
    if agents is not None:
        known = set(validate_agents(agents)["agent_id"])
        i = _first(~no_agent & ~df["agent_id"].astype(str).isin(known))
        if i is not None:
            raise InputError(f"{where(i, 'agent_id')} 不在客服名册中 (unknown agent)，收到 {df['agent_id'].iloc[i]!r}")
    fcr = _bools(df, "resolved_first_contact", where)
    reopened = _bools(df, "reopened", where)
    i = _first(fcr & (resolved.isna() | reopened))
    if i is not None:
        raise InputError(f"{where(i, 'resolved_first_contact')} 只有已解决且未重开的工单才算首次解决，收到 True")
    sat_blank = _blank(df["satisfaction"])
    sat = pd.to_numeric(df["satisfaction"].where(~sat_blank), errors="coerce")
    bad = ~sat_blank & (sat.isna() | ~sat.isin([1, 2, 3, 4, 5]))
    i = _first(bad)
    if i is not None:
        raise InputError(f"{where(i, 'satisfaction')} 必须是 1–5 的整数或为空，"
                         f"收到 {_plain(df['satisfaction'].iloc[i])!r}")
    handle = pd.to_numeric(df["handle_minutes"], errors="coerce")
    i = _first(handle.isna() | (handle < 0))
    if i is not None:
        raise InputError(f"{where(i, 'handle_minutes')} 必须是 ≥ 0 的数字（分钟），"
                         f"收到 {_plain(df['handle_minutes'].iloc[i])!r}")
    df["created"], df["first_response"], df["resolved"] = created, first, resolved
    df["resolved_first_contact"], df["reopened"] = fcr, reopened
    df["satisfaction"] = sat.astype(float)
    df["handle_minutes"] = handle.astype(float)
    return df[list(TICKET_COLUMNS) + [c for c in df.columns if c not in TICKET_COLUMNS]]


# --- generator ----------------------------------------------------------------------------------------------

def _on_duty(t: float, day0_weekday: int, start_min: int, end_min: int, off: frozenset[int], hire_day: int) -> float:
    """The earliest minute ≥ ``t`` (minutes since the first day 00:00) at which the agent is on duty."""
    d = max(int(t // 1440), hire_day)
    m = t - d * 1440 if d == int(t // 1440) else 0.0
    for _ in range(15):
        if (day0_weekday + d) % 7 not in off:
            if m < start_min:
                return d * 1440.0 + start_min
            if m < end_min:
                return d * 1440.0 + m
        d, m = d + 1, 0.0
    raise AssertionError("agent never on duty")  # pragma: no cover - rosters always have working days


def _green_food_customers() -> tuple[pd.DataFrame, pd.DataFrame]:
    from .datasets import load_green_food

    data = load_green_food()
    return data.customers, data.transactions


def generate_service_tickets(customers: pd.DataFrame | None = None, transactions: pd.DataFrame | None = None,
                             start: str = "2024-10-01", end: str = "2024-12-31", daily_tickets: float = 90.0,
                             promotion_start: str | None = "2024-11-11", promotion_days: int = 7,
                             promotion_lift: float = 2.5, seed: int = 2024) -> ServiceTickets:
    """生成客服工单 simulate 鲜果园's service desk between ``start`` and ``end`` (dates, at most 366 days).

    ``customers``/``transactions`` default to the committed green-food tables; ``daily_tickets`` (> 0, at most 2000)
    is the mean number of tickets on an ordinary 周二; ``promotion_lift`` (≥ 1) multiplies the online channels'
    volume for ``promotion_days`` days from ``promotion_start`` (``None`` = no promotion). Deterministic for a given
    ``seed``. See the module docstring for every distribution.
    """
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    daily = require_positive(daily_tickets, "日均工单量", "daily_tickets")
    if daily > 2000:
        raise InputError(f"日均工单量 daily_tickets 不能超过 2000（十名客服处理不了），收到 {daily_tickets!r}")
    lift = require_nonnegative(promotion_lift, "促销放大倍数", "promotion_lift")
    if lift < 1:
        raise InputError(f"促销放大倍数 promotion_lift 必须 ≥ 1，收到 {promotion_lift!r}")
    p_days = require_int(promotion_days, "促销天数", "promotion_days", minimum=0)
    try:
        t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        promo0 = pd.Timestamp(promotion_start).normalize() if promotion_start is not None else None
    except (TypeError, ValueError):
        raise InputError(f"日期 start/end/promotion_start 不是有效日期，收到 start={start!r}, end={end!r}, "
                         f"promotion_start={promotion_start!r}") from None
    days = (t1 - t0).days + 1
    if not 1 <= days <= 366:
        raise InputError(f"模拟期 period 必须是 1–366 天，收到 start={t0.date()}, end={t1.date()}")
    if customers is None or transactions is None:
        customers, transactions = _green_food_customers()
    need_c, need_t = {"customer_id", "registered", "segment", "non_customer"}, {"customer_id", "date"}
    if not isinstance(customers, pd.DataFrame) or not need_c <= set(customers.columns):
        raise InputError(f"客户表 customers 必须是含列 {sorted(need_c)} 的 pandas DataFrame")
    if not isinstance(transactions, pd.DataFrame) or not need_t <= set(transactions.columns):
        raise InputError(f"交易表 transactions 必须是含列 {sorted(need_t)} 的 pandas DataFrame")

    # --- arrivals: per day and channel, then hour and second ---
    day_idx = np.arange(days)
    weekday = (t0.weekday() + day_idx) % 7
    in_promo = np.zeros(days, dtype=bool)
    if promo0 is not None and p_days > 0:
        off = (promo0 - t0).days
        in_promo[max(off, 0):max(min(off + p_days, days), 0)] = True
    base = daily * np.asarray(_WEEKDAY_FACTOR)[weekday]
    ch_lift = np.array([1 + 0.4 * (lift - 1), lift, lift, lift])
    mean = base[:, None] * np.asarray(_CHANNEL_P)[None, :] * np.where(in_promo[:, None], ch_lift[None, :], 1.0)
    counts = rng.poisson(mean)                                          # days × channels
    tk_day = np.repeat(np.repeat(day_idx, 4), counts.ravel())
    tk_channel = np.repeat(np.tile(np.arange(4), days), counts.ravel())
    n = len(tk_day)
    if n == 0:
        raise InputError("模拟期内没有产生任何工单 (no tickets)：请加大 daily_tickets 或延长模拟期")
    live_p = np.asarray(LIVE_HOUR_WEIGHTS) / sum(LIVE_HOUR_WEIGHTS)
    async_p = np.asarray(ASYNC_HOUR_WEIGHTS) / sum(ASYNC_HOUR_WEIGHTS)
    hour = np.where(tk_channel < 2, rng.choice(24, size=n, p=live_p), rng.choice(24, size=n, p=async_p))
    second = rng.integers(0, 3600, size=n)
    created_min = tk_day * 1440.0 + hour * 60.0 + second / 60.0
    order = np.lexsort((tk_channel, created_min))
    tk_day, tk_channel, created_min = tk_day[order], tk_channel[order], created_min[order]
    promo_t = in_promo[tk_day]

    cat_base = np.asarray(_CATEGORY_P)
    cat_promo = cat_base * np.array([1.5, 3.0, 1, 1, 1, 1, 1])
    u = rng.random(n)
    category = np.where(promo_t, np.searchsorted(np.cumsum(cat_promo / cat_promo.sum()), u, side="right"),
                        np.searchsorted(np.cumsum(cat_base), u * cat_base.sum(), side="right"))
    category = np.minimum(category, len(TICKET_CATEGORIES) - 1)

    # --- customers: registered by the ticket's day, weighted by activity ---
    cust = customers.loc[~customers["non_customer"].astype(bool)].copy()
    cust["registered"] = pd.to_datetime(cust["registered"])
    tx_dates = pd.to_datetime(transactions["date"])
    orders = transactions.loc[tx_dates.dt.year == t0.year, "customer_id"].value_counts()
    cust["w"] = (cust["customer_id"].map(orders).fillna(0) + 0.5) * np.where(cust["segment"] == "企业客户", 2.0, 1.0)
    cust = cust.sort_values(["registered", "customer_id"], kind="stable").reset_index(drop=True)
    reg_day = ((cust["registered"] - t0).dt.days).to_numpy()
    eligible = np.searchsorted(reg_day, tk_day, side="right")
    if (eligible == 0).any():
        raise InputError("有工单日期早于所有客户的注册日期 (no registered customer yet)：请调整 start")
    cum_w = np.cumsum(cust["w"].to_numpy())
    pick = np.searchsorted(cum_w, rng.random(n) * cum_w[eligible - 1], side="right")
    customer_id = cust["customer_id"].to_numpy()[np.minimum(pick, eligible - 1)]

    # --- agents ---
    veteran_days = (pd.Timestamp("2024-03-31") - pd.Timestamp("2019-01-01")).days
    roster = []
    for k, (team, shift, off, new) in enumerate(_ROSTER):
        hire = pd.Timestamp(_NEW_HIRE_DATE) if new else pd.Timestamp("2019-01-01") + pd.Timedelta(
            days=int(rng.integers(0, veteran_days + 1)))
        roster.append({
            "agent_id": f"A{k + 1:02d}", "team": team, "hire_date": hire, "shift": shift,
            "days_off": "、".join(WEEKDAYS[d] for d in off),
            "start": SHIFTS[shift][0] * 60, "end": SHIFTS[shift][1] * 60, "off": frozenset(off),
            "hire_day": max((hire - t0).days, 0), "new": new,
            "speed": float(rng.lognormal(0.0, 0.15)) * (1.35 if new else 1.0),
            "skill": 0.8 if new else float(rng.uniform(0.9, 1.1)),
            "mood": float(rng.normal(0.0, 0.25)) - (0.2 if new else 0.0),
        })

    # --- work content drawn per ticket, then the queue decides who and when ---
    contact_med = np.asarray(_CONTACT_MEDIAN)[tk_channel] * np.asarray(_CATEGORY_FACTOR)[category]
    contact_z = rng.lognormal(0.0, 0.5, size=n)
    fcr_u = rng.random(n)
    follow_z = rng.lognormal(np.log(10.0), 0.6, size=n)
    wait_h = np.asarray(_WAIT_MEDIAN_HOURS)[category] * rng.lognormal(0.0, 0.8, size=n)
    reopen_u = rng.random(n)
    reopen_h = rng.lognormal(np.log(24.0), 0.6, size=n)
    lo = np.array([p[0] for p in _PICKUP_SECONDS])[tk_channel]
    hi = np.array([p[1] for p in _PICKUP_SECONDS])[tk_channel]
    pickup = rng.uniform(lo, hi) / 60.0
    survey_u = rng.random(n)
    noise = rng.normal(0.0, 0.8, size=n)

    # the handle time depends on the agent (speed, first-contact skill), so the queue draws it when it assigns
    fcr_p = np.asarray(_FCR_BASE)[category] * np.asarray(_FCR_CHANNEL)[tk_channel]
    desk = _queue_with_agents(created_min, tk_channel, contact_med * contact_z, follow_z, fcr_u, fcr_p, pickup,
                              roster, t0.weekday(), rng)
    who, first_min, handle, fcr0 = desk["who"], desk["first"], desk["handle"], desk["solved"]
    resolved_min = np.where(fcr0, desk["contact_end"],
                            np.maximum(desk["contact_end"] + wait_h * 60.0, desk["follow_end"]))
    new_hire = np.array([a["new"] for a in roster])[who]
    reopened = reopen_u < np.where(fcr0, 0.04, 0.12) * np.where(new_hire, 1.5, 1.0)
    resolved_min = resolved_min + np.where(reopened, reopen_h * 60.0, 0.0)
    fcr = fcr0 & ~reopened

    extract = days * 1440.0 + 7 * 1440.0
    responded = first_min < extract
    done = responded & (resolved_min < extract)
    frt = first_min - created_min
    sla = np.array([DEFAULT_SLA_MINUTES[c] for c in TICKET_CHANNELS])[tk_channel]
    mood = np.array([a["mood"] for a in roster])[who]
    score = (4.6 - 0.9 * (frt > sla) - 0.7 * ~fcr0 - 1.0 * reopened - 0.4 * ((resolved_min - created_min) > 2880)
             + mood + noise)
    satisfaction = np.where(done & (survey_u < 0.4), np.clip(np.round(score), 1, 5), np.nan)

    def stamp(minutes: np.ndarray, ok: np.ndarray) -> pd.Series:
        ts = t0 + pd.to_timedelta(np.round(np.where(ok, minutes, 0.0) * 60.0).astype(np.int64), unit="s")
        return pd.Series(ts).where(ok)

    ids = np.array([a["agent_id"] for a in roster], dtype=object)
    tickets = pd.DataFrame({
        "ticket_id": [f"T{i:06d}" for i in range(1, n + 1)],
        "customer_id": customer_id,
        "agent_id": pd.Series(ids[who]).where(responded),
        "channel": np.asarray(TICKET_CHANNELS, dtype=object)[tk_channel],
        "category": np.asarray(TICKET_CATEGORIES, dtype=object)[category],
        "created": stamp(created_min, np.ones(n, dtype=bool)),
        "first_response": stamp(first_min, responded),
        "resolved": stamp(resolved_min, done),
        "resolved_first_contact": fcr & done,
        "satisfaction": satisfaction,
        "reopened": reopened & responded,
        "handle_minutes": np.where(responded, np.round(handle, 1), 0.0),
    })
    # rounding to the second can put a response a fraction before creation: keep the order exact
    tickets["first_response"] = tickets[["created", "first_response"]].max(axis=1).where(responded)
    tickets["resolved"] = tickets[["first_response", "resolved"]].max(axis=1).where(done)
    agents = pd.DataFrame([{c: a[c] for c in AGENT_COLUMNS} for a in roster])
    return ServiceTickets(tickets=tickets, agents=agents)


def _queue_with_agents(created: np.ndarray, channel: np.ndarray, contact: np.ndarray, follow: np.ndarray,
                       solve_u: np.ndarray, solve_p: np.ndarray, pickup: np.ndarray, roster: list[dict],
                       day0_weekday: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Run the desk minute by minute of work (see the module docstring) and return, per ticket, the agent index
    ``who``, the minutes (since the first day 00:00) of the first response ``first``, of the end of the contact
    work ``contact_end`` and of the end of the follow-up work ``follow_end`` (= contact_end when solved at first
    contact), whether it was ``solved`` at first contact and the agent's total work ``handle`` (minutes)."""
    n = len(created)
    queues = {c: list(np.flatnonzero(channel == c)) for c in range(len(TICKET_CHANNELS))}
    lines = {"phone": queues[0], "chat": queues[1],
             "async": sorted(queues[2] + queues[3], key=lambda i: (created[i], i))}
    heads = dict.fromkeys(lines, 0)
    out = {"who": np.zeros(n, dtype=int), "first": np.full(n, np.inf), "contact_end": np.full(n, np.inf),
           "follow_end": np.full(n, np.inf), "solved": np.zeros(n, dtype=bool), "handle": np.zeros(n)}
    tasks: list[list[list]] = [[] for _ in roster]        # per agent: [ticket, minutes left, "contact"/"follow"]
    busy_until = np.full(len(roster), -np.inf)
    phone_team = [k for k, a in enumerate(roster) if a["team"] == "电话组"]

    def duty(k: int, t: float) -> float:
        a = roster[k]
        return _on_duty(t, day0_weekday, a["start"], a["end"], a["off"], a["hire_day"])

    def waiting(line: str, t: float) -> bool:
        h = heads[line]
        return h < len(lines[line]) and created[lines[line][h]] <= t

    def take(line: str, k: int) -> int:
        i = lines[line][heads[line]]
        heads[line] += 1
        a = roster[k]
        solved = bool(solve_u[i] < min(solve_p[i] * a["skill"], 0.98))
        out["who"][i], out["solved"][i] = k, solved
        out["handle"][i] = (contact[i] + (0.0 if solved else follow[i])) * a["speed"]
        return i

    heap: list[tuple[float, float, int]] = []

    def push(t: float, k: int) -> None:
        heapq.heappush(heap, (t, float(rng.random()), k))

    for k in range(len(roster)):
        push(duty(k, 0.0), k)
    while heap:
        f, _tie, k = heapq.heappop(heap)
        a = roster[k]
        phone = a["team"] == "电话组"
        live = "phone" if phone else "chat"
        on = duty(k, f)
        shift_end = (f // 1440) * 1440 + a["end"]
        if waiting(live, f if on == f else min(f, shift_end)):
            # a live contact (also in overtime, if it came in before the shift ended): answer it now
            i = take(live, k)
            out["first"][i] = f + pickup[i]
            out["contact_end"][i] = out["first"][i] + contact[i] * a["speed"]
            if out["solved"][i]:
                out["follow_end"][i] = out["contact_end"][i]
            else:
                tasks[k].append([i, follow[i] * a["speed"], "follow"])
            busy_until[k] = out["contact_end"][i]
            push(busy_until[k], k)
            continue
        if on > f:
            push(on, k)
            continue
        cover = not phone or any(busy_until[j] <= f and duty(j, f) == f for j in phone_team if j != k)
        if not tasks[k] and waiting("async", f) and cover:
            i = take("async", k)
            out["first"][i] = f + pickup[i]
            tasks[k].append([i, contact[i] * a["speed"], "contact"])
        if tasks[k]:
            task = tasks[k][0]
            step = min(_WORK_SLICE, task[1])
            task[1] -= step
            end = f + step
            if task[1] <= 1e-9:
                tasks[k].pop(0)
                i = task[0]
                if task[2] == "contact":
                    out["contact_end"][i] = max(end, out["first"][i])
                    if out["solved"][i]:
                        out["follow_end"][i] = out["contact_end"][i]
                    else:
                        tasks[k].append([i, follow[i] * a["speed"], "follow"])
                else:
                    out["follow_end"][i] = end
            busy_until[k] = end
            push(end, k)
            continue
        own = (live, "async")
        upcoming = [created[lines[ln][heads[ln]]] for ln in own if heads[ln] < len(lines[ln])]
        if upcoming:
            nxt = min(upcoming)
            # a phone agent kept off the messages (nobody else free for the phone) looks again a minute later
            push(duty(k, nxt if nxt > f else f + 1.0), k)
    return out


# --- files ----------------------------------------------------------------------------------------------------

def _to_csv(tickets: pd.DataFrame) -> str:
    out = tickets.copy()
    for col in ("created", "first_response", "resolved"):
        out[col] = out[col].dt.strftime(_TIME_FORMAT).fillna("")
    out["satisfaction"] = out["satisfaction"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    out["handle_minutes"] = out["handle_minutes"].map(lambda v: f"{v:.1f}")
    out["agent_id"] = out["agent_id"].fillna("")
    return out.to_csv(index=False)


def _agents_csv(agents: pd.DataFrame) -> str:
    out = agents.copy()
    out["hire_date"] = pd.to_datetime(out["hire_date"]).dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False)


def write_service_tickets(folder: str | Path | None = None, **params: object) -> Path:
    """Write ``tickets.csv`` and ``agents.csv`` (UTF-8) for ``params`` into ``folder``
    (default ``datasets/service_tickets``)."""
    from .fileio import atomic_write_text

    data = generate_service_tickets(**{**TICKETS_DEFAULT, **params})
    out = Path(folder) if folder is not None else datasets_dir() / "service_tickets"
    atomic_write_text(out / "agents.csv", _agents_csv(data.agents))
    atomic_write_text(out / "tickets.csv", _to_csv(data.tickets))
    return out


def load_service_tickets() -> ServiceTickets:
    """读取客服工单 load ``datasets/service_tickets/{tickets,agents}.csv`` with parsed times, checking the schema.

    A missing column, an unparsable time, times out of order (e.g. resolved before created), an unknown channel,
    category, team or agent, a satisfaction outside 1–5 or a duplicate id is an :class:`InputError` naming the
    file, the row (as numbered in the file, header = row 1) and the column.
    """
    a_path = dataset_path("service_tickets/agents.csv")
    t_path = dataset_path("service_tickets/tickets.csv")
    agents = validate_agents(pd.read_csv(a_path, dtype=str, keep_default_na=False), source=a_path.name,
                             header_rows=1)
    raw = pd.read_csv(t_path, dtype=str, keep_default_na=False)
    tickets = validate_tickets(raw, source=t_path.name, header_rows=1)
    known = set(agents["agent_id"])
    unknown = tickets["agent_id"].notna() & ~tickets["agent_id"].isin(known)
    i = _first(unknown)
    if i is not None:
        raise InputError(f"数据文件 {t_path.name} 第 {i + 2} 行、列 agent_id 不在 {a_path.name} 中 (unknown agent)，"
                         f"收到 {tickets['agent_id'].iloc[i]!r}")
    return ServiceTickets(tickets=tickets, agents=agents)
