"""排队模拟 a discrete-event simulation of a call centre (M/M/c, first come first served).

Calls arrive at random (Poisson: exponential gaps with mean 1 / ``arrival_rate``), each needs an exponential handle
time with mean ``aht``, ``agents`` identical agents answer them in order of arrival, and nobody hangs up. These are
exactly the assumptions of the Erlang C formula (:mod:`crmlab.service`), so the simulation is a way to *see* the
formula at work — one call at a time — and :func:`compare_with_erlang_c` puts the two side by side.

* :func:`queue_waits` — the waits for given arrival times and handle times (the engine; no randomness);
* :func:`simulate_queue` — draw arrivals and handle times and run :func:`queue_waits`;
* :class:`QueueSimulation` — the per-call record and its summary (probability of waiting, service level,
  average speed of answer, occupancy);
* :func:`batch_means_se` — a standard error for averages of correlated waits (batch means);
* :func:`compare_with_erlang_c` — simulation and formula side by side;
* :func:`service_level_by_period` — hour by hour (or any period): how much one stretch differs from the average;
* :func:`wait_survival` — the share of calls waiting longer than t, simulated and by the formula.

All times in one unit (seconds in this workbook): ``arrival_rate`` in calls per second, ``aht`` and
``target_time`` in seconds. Random numbers are drawn with numpy in one go; the queue itself is a short loop with
a heap of agents' free times (the FIFO recursion of Kiefer & Wolfowitz), about 0.1 s per 100 000 calls.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_int, require_nonnegative, require_positive
from .service import average_speed_of_answer, erlang_c, occupancy, service_level

__all__ = [
    "QueueSimulation",
    "batch_means_se",
    "compare_with_erlang_c",
    "queue_waits",
    "service_level_by_period",
    "simulate_queue",
    "wait_survival",
]

_MAX_CALLS = 5_000_000


def _times(values: object, zh: str, en: str) -> np.ndarray:
    try:
        x = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 必须是数字序列 (a sequence of numbers)，收到 {values!r}") from None
    bad = np.flatnonzero(~np.isfinite(x) | (x < 0))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{zh} {en} 第 {i + 1} 个值必须是有限的非负数 (finite, ≥ 0)，收到 {x[i]!r}")
    return x


def queue_waits(arrival_times: Sequence[float] | np.ndarray, service_times: Sequence[float] | np.ndarray,
                agents: int) -> np.ndarray:
    """排队等待时间 the wait of each call when ``agents`` agents answer calls in order of arrival (FIFO).

    ``arrival_times`` (non-decreasing, ≥ 0) and ``service_times`` (≥ 0), one per call, in one time unit. Each call
    starts at the later of its arrival and the moment the first agent becomes free; its wait is start − arrival.
    E.g. one agent, arrivals 0, 1, 2 and handle times 3, 1, 1: starts 0, 3, 4, so waits 0, 2, 2.
    """
    a = _times(arrival_times, "到达时间", "arrival_times")
    s = _times(service_times, "处理时长", "service_times")
    if a.size != s.size:
        raise InputError(f"到达时间 arrival_times 与处理时长 service_times 个数必须相同，收到 {a.size} 与 {s.size}")
    if a.size and np.any(np.diff(a) < 0):
        i = int(np.flatnonzero(np.diff(a) < 0)[0]) + 1
        raise InputError(f"到达时间 arrival_times 必须按先后排列 (non-decreasing)：第 {i + 1} 个 {a[i]:g} 早于前一个 "
                         f"{a[i - 1]:g}")
    n = require_int(agents, "座席数", "agents", minimum=1)
    free = [0.0] * n                      # when each agent is next free; a heap, so free[0] is the earliest
    waits = []
    append = waits.append
    replace = heapq.heapreplace
    for arrive, handle in zip(a.tolist(), s.tolist(), strict=True):
        earliest = free[0]
        start = arrive if arrive >= earliest else earliest
        append(start - arrive)
        replace(free, start + handle)
    return np.asarray(waits, dtype=float)


@dataclass(frozen=True)
class QueueSimulation:
    """模拟结果 one simulated run: the inputs, the per-call record and summary figures.

    ``arrivals``, ``service_times`` and ``waits`` hold every call (same time unit as ``aht``); the first ``warmup``
    calls (while the empty centre fills up) are left out of every summary figure. ``horizon`` is the length of the
    observed period (``duration``, or the last arrival when a number of calls was asked for).
    """

    arrival_rate: float
    aht: float
    agents: int
    target_time: float
    arrivals: np.ndarray
    service_times: np.ndarray
    waits: np.ndarray
    warmup: int
    horizon: float
    seed: int | None

    @property
    def traffic(self) -> float:
        """话务量 offered traffic in Erlangs, arrival_rate × aht."""
        return self.arrival_rate * self.aht

    @property
    def counted_waits(self) -> np.ndarray:
        """The waits that enter the summary (after the warm-up calls)."""
        return self.waits[self.warmup:]

    @property
    def calls(self) -> int:
        """Number of calls in the summary."""
        return int(self.counted_waits.size)

    @property
    def wait_probability(self) -> float:
        """等待概率 share of calls that had to wait at all (wait > 0); Erlang C predicts this."""
        return float(np.mean(self.counted_waits > 0))

    def service_level(self, target_time: float | None = None) -> float:
        """服务水平 share of calls answered within ``target_time`` (default: the run's ``target_time``)."""
        t = self.target_time if target_time is None else require_nonnegative(target_time, "目标应答时间",
                                                                              "target_time")
        return float(np.mean(self.counted_waits <= t))

    @property
    def asa(self) -> float:
        """平均应答速度 average speed of answer: the mean wait of all counted calls (unit of ``aht``)."""
        return float(np.mean(self.counted_waits))

    @property
    def occupancy(self) -> float:
        """座席占用率 handle time of the calls that arrived in the observed period ÷ (agents × period).

        In the long run this is the share of the agents' time spent on calls, A / N when N > A (it exceeds 1 when
        the centre is overloaded: more work arrives than the agents can do).
        """
        return float(self.service_times.sum() / (self.agents * self.horizon))

    def summary(self) -> pd.Series:
        """The run's figures: calls, traffic, wait_probability, service_level, asa, max_wait, occupancy."""
        w = self.counted_waits
        return pd.Series({"calls": self.calls, "traffic": self.traffic, "wait_probability": self.wait_probability,
                          "service_level": self.service_level(), "asa": self.asa, "max_wait": float(w.max()),
                          "occupancy": self.occupancy}, name="模拟 simulation")

    def __repr__(self) -> str:
        return (f"QueueSimulation({self.calls:,} 通来电，{self.agents} 名座席，话务量 {self.traffic:.2f} Erlang："
                f"等待概率 {self.wait_probability:.1%}，{self.target_time:g} 秒内接通 {self.service_level():.1%}，"
                f"ASA {self.asa:.1f}，占用率 {self.occupancy:.1%})")


def simulate_queue(arrival_rate: float, aht: float, agents: int, *, n_calls: int | None = None,
                   duration: float | None = None, seed: int | None = None, target_time: float = 20.0,
                   warmup: int = 0) -> QueueSimulation:
    """模拟呼叫中心排队 simulate an M/M/c call centre, first come first served, nobody hangs up.

    ``arrival_rate`` calls per time unit (> 0; e.g. 300 calls per hour = 300 / 3600 per second), ``aht`` mean
    handle time (> 0, same unit), ``agents`` ≥ 1. Give either ``n_calls`` (that many calls) or ``duration`` (all
    calls arriving in [0, duration)). ``seed`` makes the run repeatable. ``warmup`` calls at the start (the centre
    opens empty) are left out of the summary. ``target_time`` is the service-level goal (e.g. 20 s).

    The queue may be unstable (agents ≤ traffic): the simulation then shows waits growing call after call, where
    the Erlang C formula has no answer.
    """
    lam = require_positive(arrival_rate, "来电率", "arrival_rate")
    h = require_positive(aht, "平均处理时长", "aht")
    n = require_int(agents, "座席数", "agents", minimum=1)
    t = require_nonnegative(target_time, "目标应答时间", "target_time")
    if (n_calls is None) == (duration is None):
        raise InputError("请给出来电数 n_calls 或模拟时长 duration 其中之一 (exactly one of n_calls, duration)，"
                         f"收到 n_calls={n_calls!r}, duration={duration!r}")
    rng = np.random.default_rng(seed)
    if n_calls is not None:
        count = require_int(n_calls, "来电数", "n_calls", minimum=1)
        if count > _MAX_CALLS:
            raise InputError(f"来电数 n_calls 不能超过 {_MAX_CALLS:,}，收到 {count:,}")
        arrivals = np.cumsum(rng.exponential(1.0 / lam, count))
        horizon = float(arrivals[-1])
    else:
        horizon = require_positive(duration, "模拟时长", "duration")
        expected = lam * horizon
        if expected > _MAX_CALLS:
            raise InputError(f"模拟时长 duration 太长：预计 {expected:,.0f} 通来电，超过 {_MAX_CALLS:,}")
        count = int(rng.poisson(expected))
        # given their number, Poisson arrivals in [0, T) are uniform order statistics
        arrivals = np.sort(rng.uniform(0.0, horizon, count))
        if count == 0:
            raise InputError(f"模拟时长 duration={horizon:g} 内没有来电，请延长时长或提高来电率 arrival_rate")
    if not np.isfinite(arrivals[-1]):
        raise InputError(f"来电率 arrival_rate 太小，来电间隔超出了数值范围 (too small)，收到 {arrival_rate!r}")
    services = rng.exponential(h, arrivals.size)
    if not np.all(np.isfinite(services)):
        raise InputError(f"平均处理时长 aht 太大，超出了数值范围 (too large)，收到 {aht!r}")
    w = require_int(warmup, "预热来电数", "warmup", minimum=0)
    if w >= arrivals.size:
        raise InputError(f"预热来电数 warmup 必须小于来电数 {arrivals.size}，收到 {w}")
    waits = queue_waits(arrivals, services, n)
    return QueueSimulation(lam, h, n, t, arrivals, services, waits, w, horizon, seed)


def batch_means_se(values: Sequence[float] | np.ndarray, batches: int = 20) -> float:
    """批均值标准误 standard error of the mean of ``values`` by batch means.

    Successive waits in a queue are correlated (one long wait makes the next one long too), so the textbook
    s / √n understates the uncertainty. Split the values, in order, into ``batches`` equal batches (the last few
    values are dropped if they do not divide evenly) and use the spread of the batch averages:
    SE = sd(batch means, ddof=1) / √batches. With batches long compared with the correlation, the batch means are
    nearly independent.
    """
    try:
        x = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"观测值 values 必须是数字序列 (a sequence of numbers)，收到 {values!r}") from None
    if not np.all(np.isfinite(x)):
        i = int(np.flatnonzero(~np.isfinite(x))[0])
        raise InputError(f"观测值 values 第 {i + 1} 个值必须是有限的数字 (finite)，收到 {x[i]!r}")
    k = require_int(batches, "批数", "batches", minimum=2)
    size = x.size // k
    if size < 1:
        raise InputError(f"观测值 values 太少：{x.size} 个值分不成 {k} 批")
    means = x[: size * k].reshape(k, size).mean(axis=1)
    return float(means.std(ddof=1) / math.sqrt(k))


def _z(diff: float, se: float) -> float:
    if se > 0:
        return diff / se
    return 0.0 if diff == 0 else math.copysign(math.inf, diff)


def compare_with_erlang_c(sim: QueueSimulation, batches: int = 20) -> pd.DataFrame:
    """模拟与公式对照 the simulation next to the Erlang C formulas of :mod:`crmlab.service`.

    Rows: ``wait_probability`` (等待概率), ``service_level`` (服务水平, within the run's target time), ``asa``
    (平均应答速度) and ``occupancy`` (占用率). Columns: ``simulated``, ``erlang_c``, ``difference`` (simulated −
    formula), ``std_error`` (batch means over the counted calls, :func:`batch_means_se`; for occupancy the
    Poisson spread of the work offered) and ``z`` = difference ÷ std_error. Raises :class:`InputError` when
    agents ≤ traffic (the formula has no steady state).
    """
    if not isinstance(sim, QueueSimulation):
        raise InputError(f"模拟结果 sim 必须是 QueueSimulation，收到 {type(sim).__name__}")
    a, n, h, t = sim.traffic, sim.agents, sim.aht, sim.target_time
    formula = {
        "wait_probability": erlang_c(a, n),
        "service_level": service_level(a, n, t, h),
        "asa": average_speed_of_answer(a, n, h),
        "occupancy": occupancy(a, n),
    }
    w = sim.counted_waits
    simulated = {"wait_probability": sim.wait_probability, "service_level": sim.service_level(), "asa": sim.asa,
                 "occupancy": sim.occupancy}
    # occupancy = Σ handle times / (N·T): a compound-Poisson total, whose variance is λT·E[S²] = λT·2h² for
    # exponential handle times, so its standard error is √(2λT)·h / (N·T)
    occ_se = math.sqrt(2.0 * sim.arrival_rate * sim.horizon) * h / (n * sim.horizon)
    se = {"wait_probability": batch_means_se((w > 0).astype(float), batches),
          "service_level": batch_means_se((w <= t).astype(float), batches),
          "asa": batch_means_se(w, batches), "occupancy": occ_se}
    rows = {}
    for key in formula:
        diff = simulated[key] - formula[key]
        rows[key] = {"simulated": simulated[key], "erlang_c": formula[key], "difference": diff,
                     "std_error": se[key], "z": _z(diff, se[key])}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "measure"
    return table


def wait_survival(sim: QueueSimulation, times: Sequence[float] | np.ndarray | None = None) -> pd.DataFrame:
    """等待超过 t 的比例 share of calls that wait longer than each time ``t``: simulated and by Erlang C.

    Erlang C gives P(wait > t) = C·exp(−(N − A)·t / AHT), i.e. 1 − :func:`crmlab.service.service_level` at target
    time t. ``times`` (≥ 0, unit of ``aht``) default to 0 … 4 × the run's target time in 41 steps. Columns
    ``simulated`` and ``erlang_c``, indexed by ``t``. Needs agents > traffic.
    """
    if not isinstance(sim, QueueSimulation):
        raise InputError(f"模拟结果 sim 必须是 QueueSimulation，收到 {type(sim).__name__}")
    if times is None:
        grid = np.linspace(0.0, 4.0 * max(sim.target_time, 1.0), 41)
    else:
        grid = _times(times, "等待时间", "times")
    w = np.sort(sim.counted_waits)
    above = 1.0 - np.searchsorted(w, grid, side="right") / w.size
    formula = [1.0 - service_level(sim.traffic, sim.agents, t, sim.aht) for t in grid]
    return pd.DataFrame({"simulated": above, "erlang_c": formula}, index=pd.Index(grid, name="t"))


def service_level_by_period(sim: QueueSimulation, period: float = 3600.0, target_time: float | None = None
                            ) -> pd.DataFrame:
    """分时段服务水平 the counted calls grouped by the period in which they arrived (period 1 = [0, period), …).

    ``period`` in the unit of ``aht`` (3600 = one hour when times are in seconds). Columns ``calls``,
    ``service_level`` (share answered within ``target_time``, default the run's) and ``asa`` (mean wait). Periods
    with no counted call are left out. Shows how much a single hour can differ from the long-run Erlang C figure.
    """
    if not isinstance(sim, QueueSimulation):
        raise InputError(f"模拟结果 sim 必须是 QueueSimulation，收到 {type(sim).__name__}")
    p = require_positive(period, "统计时段", "period")
    t = sim.target_time if target_time is None else require_nonnegative(target_time, "目标应答时间", "target_time")
    w = sim.counted_waits
    which = (sim.arrivals[sim.warmup:] // p).astype(int) + 1
    frame = pd.DataFrame({"period": which, "answered": w <= t, "wait": w})
    table = frame.groupby("period").agg(calls=("wait", "size"), service_level=("answered", "mean"),
                                        asa=("wait", "mean"))
    return table.astype({"calls": int, "service_level": float})
