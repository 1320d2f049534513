"""呼叫中心排班 call-centre staffing with the Erlang C model (chapter 2, 呼叫中心技术).

The Erlang C model (M/M/N queue) assumes calls arrive at random (Poisson), handle times are exponential, callers
wait until answered (nobody hangs up) and are served first come, first served by ``N`` identical agents.

* :func:`traffic_intensity` — 话务量 in Erlangs = arrival rate × average handle time (AHT);
* :func:`erlang_b` — Erlang B blocking probability (no queue), computed by the stable recursion
  B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1));
* :func:`erlang_c` — probability that an arriving call has to wait, C = N·B / (N − A·(1 − B));
* :func:`service_level`, :func:`average_speed_of_answer`, :func:`occupancy` — the quantities a call centre
  reports; :func:`agents_needed` — the fewest agents that meet a target such as 80 % of calls within 20 s;
* :func:`scheduled_staff` — agents on the phones grossed up for shrinkage (breaks, training, absence);
* :func:`staffing_table` — a day's hourly (or half-hourly) call volumes turned into a staffing plan.

No factorial is ever formed, so a thousand or more agents (hundreds of Erlangs) are as accurate as ten.
All times (AHT, target answer time, interval) must be in the same unit, seconds throughout this workbook.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import pandas as pd

from .errors import InputError, require_fraction, require_int, require_nonnegative, require_positive

__all__ = [
    "agents_needed",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "scheduled_staff",
    "service_curve",
    "service_level",
    "staffing_summary",
    "staffing_table",
    "traffic_intensity",
]

_MAX_AGENTS = 1_000_000


def _traffic(traffic: object) -> float:
    return require_nonnegative(traffic, "话务量", "traffic (Erlangs)")


def _agents(agents: object, minimum: int = 1) -> int:
    return require_int(agents, "座席数", "agents", minimum=minimum)


def _stable(a: float, n: int) -> None:
    if n <= a:
        raise InputError(
            f"座席数 agents 必须大于话务量 traffic，否则排队会无限增长 (queue unstable: agents must exceed traffic)，"
            f"收到 agents={n}, traffic={a:g} Erlang"
        )


def _erlang_b_values(a: float, start: int = 0) -> Iterator[tuple[int, float]]:
    """Yield (n, B(n)) for n = 0, 1, 2, … (only from ``start`` on), by the Erlang B recursion."""
    b = 1.0
    n = 0
    while True:
        if n >= start:
            yield n, b
        n += 1
        b = a * b / (n + a * b)


def traffic_intensity(calls: object, interval: object, aht: object) -> float:
    """话务量 traffic intensity in Erlangs: ``calls`` arriving in ``interval`` (time), each taking ``aht`` on average.

    A = calls × aht / interval, e.g. 100 calls per 1800 s with AHT 180 s → 10 Erlangs. ``interval`` and ``aht``
    in the same unit (seconds).
    """
    c = require_nonnegative(calls, "来电量", "calls")
    t = require_positive(interval, "统计时段", "interval")
    h = require_positive(aht, "平均处理时长", "aht")
    return c * h / t


def erlang_b(traffic: object, agents: object) -> float:
    """爱尔兰 B 公式 Erlang B: probability that a call finds all ``agents`` busy when calls cannot queue (lost).

    ``traffic`` in Erlangs (≥ 0), ``agents`` a whole number ≥ 0. Computed by the recursion
    B(n) = A·B(n−1) / (n + A·B(n−1)), B(0) = 1, which stays in [0, 1] and never overflows.
    """
    a = _traffic(traffic)
    n = _agents(agents, minimum=0)
    if n > _MAX_AGENTS:
        raise InputError(f"座席数 agents 不能超过 {_MAX_AGENTS:,}，收到 {n}")
    return next(b for _k, b in _erlang_b_values(a, start=n))


def _c_from_b(a: float, n: int, b: float) -> float:
    return n * b / (n - a * (1.0 - b))


def erlang_c(traffic: object, agents: object) -> float:
    """爱尔兰 C 公式 Erlang C: probability that an arriving call has to wait (所有座席都忙的概率), in [0, 1).

    ``traffic`` A in Erlangs (arrival rate × AHT), ``agents`` N a whole number > A (otherwise the queue grows
    without bound and :class:`InputError` is raised). C = N·B / (N − A·(1 − B)) with B the Erlang B value.
    """
    a = _traffic(traffic)
    n = _agents(agents)
    _stable(a, n)
    return _c_from_b(a, n, erlang_b(a, n))


def _times(target_time: object, aht: object) -> tuple[float, float]:
    t = require_nonnegative(target_time, "目标应答时间", "target_time")
    h = require_positive(aht, "平均处理时长", "aht")
    return t, h


def _sl(a: float, n: int, c: float, t: float, h: float) -> float:
    return 1.0 - c * math.exp(-(n - a) * t / h)


def service_level(traffic: object, agents: object, target_time: object, aht: object) -> float:
    """服务水平 service level: share of calls answered within ``target_time`` (0–1).

    SL = 1 − C·exp(−(N − A)·t / AHT), with C the Erlang C probability of waiting. ``target_time`` and ``aht`` in the
    same unit (seconds). E.g. “80/20”: 80 % of calls answered within 20 s.
    """
    a = _traffic(traffic)
    n = _agents(agents)
    t, h = _times(target_time, aht)
    return _sl(a, n, erlang_c(a, n), t, h)


def average_speed_of_answer(traffic: object, agents: object, aht: object) -> float:
    """平均应答速度 average speed of answer (ASA): mean wait of all calls, in the unit of ``aht`` (seconds).

    ASA = C·AHT / (N − A); calls answered at once count with a wait of 0.
    """
    a = _traffic(traffic)
    n = _agents(agents)
    h = require_positive(aht, "平均处理时长", "aht")
    return erlang_c(a, n) * h / (n - a)


def occupancy(traffic: object, agents: object) -> float:
    """座席占用率 occupancy: share of the agents' logged-in time spent handling calls, A / N (0–1).

    Requires N > A, as for the other Erlang C quantities.
    """
    a = _traffic(traffic)
    n = _agents(agents)
    _stable(a, n)
    return a / n


def agents_needed(traffic: object, aht: object, target_time: object, target_level: object, *,
                  max_occupancy: object | None = None) -> int:
    """所需座席数 the fewest agents N > A for which the service level reaches ``target_level``.

    E.g. ``agents_needed(10, 180, 20, 0.8)``: 10 Erlangs, AHT 180 s, 80 % of calls within 20 s. With
    ``max_occupancy`` (0–1] the answer is also at least A / max_occupancy. No traffic needs no agents (returns 0).
    The search walks N upwards from ⌊A⌋ + 1 with the Erlang B recursion, so it is linear in N.
    """
    a = _traffic(traffic)
    t, h = _times(target_time, aht)
    level = require_fraction(target_level, "目标服务水平", "target_level", closed_high=False)
    cap = None
    if max_occupancy is not None:
        cap = require_fraction(max_occupancy, "最高占用率", "max_occupancy", closed_low=False)
    if a == 0:
        return 0
    first = math.floor(a) + 1
    if cap is not None:
        # the smallest n with a / n ≤ cap; the small tolerance keeps 8.5 / 0.85 = 10.000000000000002 at 10
        first = max(first, math.ceil(a / cap - 1e-9))
    for n, b in _erlang_b_values(a, start=first):
        if _sl(a, n, _c_from_b(a, n, b), t, h) >= level:
            return n
        if n > _MAX_AGENTS:  # pragma: no cover - only for absurd targets with huge traffic
            raise InputError(f"所需座席数超过 {_MAX_AGENTS:,}，请检查话务量 traffic={a:g}")
    raise AssertionError("unreachable")  # pragma: no cover


def scheduled_staff(agents: object, shrinkage: object) -> int:
    """排班人数 staff to schedule so that ``agents`` are on the phones after ``shrinkage`` (0–1).

    Shrinkage (缩减率) is the share of paid time not available for calls: breaks, training, meetings, absence.
    Scheduled = ⌈agents / (1 − shrinkage)⌉, e.g. 14 agents at 30 % shrinkage → 20.
    """
    n = _agents(agents, minimum=0)
    s = require_fraction(shrinkage, "缩减率", "shrinkage", closed_high=False)
    return math.ceil(n / (1.0 - s) - 1e-9)


def staffing_table(calls_per_interval: Sequence[float] | pd.Series, aht: object, interval: object = 3600,
                   target_time: object = 20, target_level: object = 0.8, *, shrinkage: object = 0.0,
                   max_occupancy: object | None = None, index: Sequence[object] | None = None) -> pd.DataFrame:
    """排班表 staffing plan for a day: one row per interval (e.g. per hour) of forecast call volume.

    ``calls_per_interval`` — calls expected in each interval (≥ 0; a Series keeps its index as row labels, or
    give ``index``, e.g. ``["08:00", "09:00", …]``); ``aht``, ``interval`` and ``target_time`` in seconds;
    ``target_level`` the service-level goal (0–1). Columns:

    ``calls``, ``traffic`` (Erlangs), ``agents`` (fewest meeting the goal, :func:`agents_needed`),
    ``wait_probability`` (Erlang C), ``service_level``, ``asa`` (seconds), ``occupancy`` and ``scheduled``
    (agents grossed up for ``shrinkage``, :func:`scheduled_staff`). An interval with no calls needs no agents and
    is reported with service level 1, ASA 0 and occupancy 0.
    """
    if isinstance(calls_per_interval, pd.Series):
        labels = list(calls_per_interval.index) if index is None else list(index)
        values = calls_per_interval.to_list()
    else:
        try:
            values = list(calls_per_interval)
        except TypeError:
            raise InputError(f"来电量 calls_per_interval 必须是数字序列 (a sequence)，收到 {calls_per_interval!r}"
                             ) from None
        labels = list(range(1, len(values) + 1)) if index is None else list(index)
    if not values:
        raise InputError("来电量 calls_per_interval 不能为空 (empty)")
    if len(labels) != len(values):
        raise InputError(f"时段标签 index 的个数 ({len(labels)}) 必须等于来电量的个数 ({len(values)})")
    calls = [require_nonnegative(v, f"来电量 第 {i + 1} 个时段", "calls_per_interval") for i, v in enumerate(values)]
    period = require_positive(interval, "统计时段", "interval")
    h = require_positive(aht, "平均处理时长", "aht")
    t = require_nonnegative(target_time, "目标应答时间", "target_time")
    require_fraction(shrinkage, "缩减率", "shrinkage", closed_high=False)
    rows = []
    for c in calls:
        a = traffic_intensity(c, period, h)
        n = agents_needed(a, h, t, target_level, max_occupancy=max_occupancy)
        if n == 0:
            row = {"wait_probability": 0.0, "service_level": 1.0, "asa": 0.0, "occupancy": 0.0}
        else:
            pw = erlang_c(a, n)
            row = {"wait_probability": pw, "service_level": _sl(a, n, pw, t, h), "asa": pw * h / (n - a),
                   "occupancy": a / n}
        rows.append({"calls": c, "traffic": a, "agents": n, **row, "scheduled": scheduled_staff(n, shrinkage)})
    table = pd.DataFrame(rows, index=pd.Index(labels, name="interval"))
    return table.astype({"agents": int, "scheduled": int})


def staffing_summary(table: pd.DataFrame) -> pd.Series:
    """排班汇总 totals of a :func:`staffing_table` for the whole day.

    ``calls`` (total calls), ``agent_intervals`` (Σ agents, i.e. agent-hours for hourly rows), ``scheduled_intervals``
    (Σ scheduled staff), ``occupancy`` (Σ traffic ÷ Σ agents: the share of on-line agent time spent on calls),
    ``service_level`` and ``asa`` (averages weighted by calls, i.e. over all the day's calls).
    """
    needed = ["calls", "traffic", "agents", "service_level", "asa", "scheduled"]
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in needed):
        raise InputError(f"需要 staffing_table 的结果 (a staffing table with columns {needed})")
    calls = float(table["calls"].sum())
    agents = int(table["agents"].sum())
    if calls <= 0 or agents <= 0:
        raise InputError("排班表中没有来电 (no calls in the staffing table)")
    return pd.Series({
        "calls": calls,
        "agent_intervals": agents,
        "scheduled_intervals": int(table["scheduled"].sum()),
        "occupancy": float(table["traffic"].sum()) / agents,
        "service_level": float((table["calls"] * table["service_level"]).sum()) / calls,
        "asa": float((table["calls"] * table["asa"]).sum()) / calls,
    }, name="全天 whole day")


def service_curve(traffic: object, aht: object, target_time: object, agents: Sequence[int] | None = None
                  ) -> pd.DataFrame:
    """服务水平曲线 Erlang C results for a range of agent numbers (one row per N > A).

    ``agents`` defaults to ⌊A⌋ + 1 … ⌊A⌋ + 1 + max(10, ⌈A / 2⌉). Columns ``wait_probability``, ``service_level``,
    ``asa`` (unit of ``aht``) and ``occupancy``; computed in one pass of the Erlang B recursion.
    """
    a = require_positive(traffic, "话务量", "traffic (Erlangs)")
    t, h = _times(target_time, aht)
    if agents is None:
        low = math.floor(a) + 1
        wanted = list(range(low, low + max(10, math.ceil(a / 2)) + 1))
    else:
        wanted = sorted({_agents(n) for n in agents})
        if not wanted:
            raise InputError("座席数 agents 不能为空 (empty)")
        _stable(a, wanted[0])
        if wanted[-1] > _MAX_AGENTS:
            raise InputError(f"座席数 agents 不能超过 {_MAX_AGENTS:,}，收到 {wanted[-1]}")
    todo = set(wanted)
    rows = {}
    for n, b in _erlang_b_values(a, start=wanted[0]):
        if n in todo:
            c = _c_from_b(a, n, b)
            rows[n] = {"wait_probability": c, "service_level": _sl(a, n, c, t, h), "asa": c * h / (n - a),
                       "occupancy": a / n}
            if n == wanted[-1]:
                break
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("agents")
