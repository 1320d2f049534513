"""M/M/c call-centre simulation: hand-worked queues, agreement with Erlang C, speed and input validation."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab.errors import InputError
from crmlab.queue_sim import (
    QueueSimulation,
    batch_means_se,
    compare_with_erlang_c,
    queue_waits,
    service_level_by_period,
    simulate_queue,
    wait_survival,
)
from crmlab.service import erlang_c, service_level

# --- the FIFO engine by hand ------------------------------------------------------------------------------------


def test_one_agent_by_hand():
    # arrivals 0, 1, 2; handle 3, 1, 1. Call 1 starts at 0 (ends 3); call 2 waits for 3 (wait 2, ends 4);
    # call 3 waits for 4 (wait 2).
    assert queue_waits([0, 1, 2], [3, 1, 1], 1).tolist() == [0, 2, 2]


def test_two_agents_by_hand():
    # agent 1 busy 0–3 with call 1; call 2 takes agent 2 at 1 (ends 2); call 3 arrives at 2 as agent 2 frees: no wait;
    # call 4 arrives at 2.5: agents free at 3 and 3 (call 3 ends 2 + 1) → waits 0.5
    assert queue_waits([0, 1, 2, 2.5], [3, 1, 1, 1], 2).tolist() == [0, 0, 0, 0.5]


def test_first_come_first_served_with_a_burst():
    # three calls at time 0, two agents, handle times 4, 2, 5: calls 1 and 2 start at once, call 3 takes the first
    # agent to free up (at 2) → wait 2; a fourth call at 1 waits until agent 1 frees at 4 → wait 3
    assert queue_waits([0, 0, 0, 1], [4, 2, 5, 1], 2).tolist() == [0, 0, 2, 3]


def test_enough_agents_means_nobody_waits():
    rng = np.random.default_rng(1)
    arrivals = np.cumsum(rng.exponential(1.0, 50))
    assert not queue_waits(arrivals, rng.exponential(5.0, 50), 50).any()


@pytest.mark.parametrize("arrivals, services, agents, match", [
    ([0, 2, 1], [1, 1, 1], 1, "第 3 个 1 早于前一个 2"),
    ([0, 1], [1], 1, "个数必须相同"),
    ([0, -1], [1, 1], 1, "第 2 个值必须是有限的非负数"),
    ([0, 1], [1, float("nan")], 1, "处理时长 service_times 第 2 个值"),
    ([0, 1], [1, 1], 0, "座席数 agents 必须 ≥ 1"),
    ([0, 1], [1, 1], 1.5, "座席数 agents 必须是整数"),
    (["a"], [1], 1, "到达时间 arrival_times 必须是数字序列"),
])
def test_queue_waits_rejects_malformed_input(arrivals, services, agents, match):
    with pytest.raises(InputError, match=match):
        queue_waits(arrivals, services, agents)


# --- simulate_queue ---------------------------------------------------------------------------------------------

def test_seeded_runs_repeat_and_inputs_are_drawn_with_the_right_means():
    a = simulate_queue(0.1, 8.0, 1, n_calls=20_000, seed=7)
    b = simulate_queue(0.1, 8.0, 1, n_calls=20_000, seed=7)
    assert np.array_equal(a.waits, b.waits)
    assert a.calls == 20_000 and a.traffic == pytest.approx(0.8)
    # exponential means: gaps 1/λ = 10, handle 8; sd of a mean of 20 000 exponentials = mean/√20000 ≈ 0.7 % of it;
    # 4 sd is 2.8 %
    assert np.diff(a.arrivals).mean() == pytest.approx(10.0, rel=0.03)
    assert a.service_times.mean() == pytest.approx(8.0, rel=0.03)


def test_duration_mode_counts_calls_in_the_window():
    sim = simulate_queue(0.5, 1.0, 2, duration=40_000, seed=3)
    assert sim.horizon == 40_000 and sim.arrivals.max() < 40_000
    # Poisson count with mean λT = 20 000, sd √20 000 ≈ 141; allow 4 sd
    assert abs(sim.arrivals.size - 20_000) < 4 * math.sqrt(20_000)


def _check(sim, tolerance=4.0):
    """Every simulated figure lies within ``tolerance`` standard errors of Erlang C.

    Why 4 standard errors: each |z| exceeds 4 with probability about 6e-5 when the simulation is right, so with a
    fixed seed a failure means a bug, not bad luck. The standard errors come from batch means because successive
    waits are correlated (the naive s/√n would be several times too small and the test would fail on a correct
    simulation).
    """
    table = compare_with_erlang_c(sim)
    assert (table["z"].abs() < tolerance).all(), table
    return table


@pytest.mark.parametrize("calls_per_hour, aht, agents, seed", [
    (300, 240, 23, 11),     # 20 Erlangs on 23 agents: a busy centre (occupancy 87 %)
    (120, 180, 8, 12),      # 6 Erlangs on 8 agents
    (90, 20, 1, 13),        # M/M/1 at ρ = 0.5
])
def test_simulation_agrees_with_erlang_c_within_sampling_error(calls_per_hour, aht, agents, seed):
    sim = simulate_queue(calls_per_hour / 3600, aht, agents, n_calls=200_000, seed=seed, warmup=2_000)
    table = _check(sim)
    # and the differences are small in absolute terms as well (a few percentage points at most)
    assert abs(table.loc["service_level", "difference"]) < 0.03
    assert abs(table.loc["occupancy", "difference"]) < 0.01


def test_mm1_first_principles():
    # M/M/1 with ρ = 0.5: P(wait) = ρ = 0.5, mean wait = ρ/(1 − ρ) · AHT = AHT, P(wait ≤ t) = 1 − ρ·e^{−(1−ρ)t/AHT}
    aht = 20.0
    sim = simulate_queue(0.5 / aht, aht, 1, n_calls=200_000, seed=5, warmup=2_000, target_time=20)
    assert erlang_c(0.5, 1) == pytest.approx(0.5)
    table = _check(sim)
    assert table.loc["wait_probability", "erlang_c"] == pytest.approx(0.5)
    assert table.loc["asa", "erlang_c"] == pytest.approx(aht)
    assert table.loc["service_level", "erlang_c"] == pytest.approx(1 - 0.5 * math.exp(-0.5))


def test_the_check_would_catch_a_wrong_model():
    # the same run compared with the formula for one agent more must fail the 4-standard-error check:
    # 20 Erlangs on 23 agents waits 42 % of the time, on 24 agents 31 %
    sim = simulate_queue(300 / 3600, 240, 23, n_calls=200_000, seed=11, warmup=2_000)
    wrong = compare_with_erlang_c(dataclasses.replace(sim, agents=24))
    assert wrong.loc["wait_probability", "z"] > 4
    assert (wrong["z"].abs() >= 4).any()


def test_wait_survival_matches_the_summary_and_the_formula_at_zero():
    sim = simulate_queue(300 / 3600, 240, 23, n_calls=50_000, seed=2, warmup=500)
    curve = wait_survival(sim, [0, 20, 60])
    assert curve.loc[0, "simulated"] == pytest.approx(sim.wait_probability)
    assert curve.loc[20, "simulated"] == pytest.approx(1 - sim.service_level(20))
    assert curve.loc[0, "erlang_c"] == pytest.approx(erlang_c(20, 23))
    assert curve.loc[60, "erlang_c"] == pytest.approx(1 - service_level(20, 23, 60, 240))
    assert wait_survival(sim).index.size == 41


def test_an_overloaded_centre_is_simulated_but_has_no_formula():
    sim = simulate_queue(1.0, 1.0, 1, n_calls=20_000, seed=4)          # traffic 1 Erlang on 1 agent
    first, last = sim.waits[:1000].mean(), sim.waits[-1000:].mean()
    assert last > first                                                  # waits keep growing
    with pytest.raises(InputError, match="座席数 agents 必须大于话务量"):
        compare_with_erlang_c(sim)


def test_hundred_thousand_calls_in_about_a_second():
    start = time.perf_counter()
    sim = simulate_queue(300 / 3600, 240, 23, n_calls=100_000, seed=1)
    assert time.perf_counter() - start < 2.0
    assert sim.calls == 100_000


def test_batch_means_by_hand():
    # batches [1, 1] and [3, 3]: means 1 and 3, sd √2, SE = √2 / √2 = 1
    assert batch_means_se([1, 1, 3, 3], batches=2) == pytest.approx(1.0)
    # the last value is dropped when 5 values make 2 batches of 2
    assert batch_means_se([1, 1, 3, 3, 100], batches=2) == pytest.approx(1.0)
    with pytest.raises(InputError, match="分不成 4 批"):
        batch_means_se([1, 2, 3], batches=4)
    with pytest.raises(InputError, match="第 2 个值必须是有限的数字"):
        batch_means_se([1, float("inf"), 3, 4], batches=2)


def test_summary_and_repr():
    sim = simulate_queue(0.05, 10, 2, n_calls=1_000, seed=9, warmup=100)
    s = sim.summary()
    assert s["calls"] == 900 and s["traffic"] == pytest.approx(0.5)
    assert s["service_level"] == sim.service_level()
    assert "900 通来电" in repr(sim)


# --- validation -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw, match", [
    ({"arrival_rate": 0}, "来电率 arrival_rate 必须大于 0"),
    ({"aht": -1}, "平均处理时长 aht 必须大于 0"),
    ({"agents": 2.5}, "座席数 agents 必须是整数"),
    ({"n_calls": None}, "其中之一"),
    ({"duration": 100}, "其中之一"),
    ({"n_calls": 0}, "来电数 n_calls 必须 ≥ 1"),
    ({"n_calls": 10_000_000}, "不能超过"),
    ({"warmup": 100}, "预热来电数 warmup 必须小于来电数 100"),
    ({"target_time": -5}, "目标应答时间 target_time 不能为负数"),
    ({"arrival_rate": 1e-310}, "来电率 arrival_rate 太小"),
    ({"aht": 1e308}, "平均处理时长 aht 太大"),
])
def test_simulate_queue_rejects_malformed_input(kw, match):
    args = {"arrival_rate": 0.1, "aht": 5.0, "agents": 1, "n_calls": 100}
    args.update(kw)
    with pytest.raises(InputError, match=match):
        simulate_queue(**args)


def test_duration_with_no_calls():
    with pytest.raises(InputError, match="没有来电"):
        simulate_queue(1e-9, 1.0, 1, duration=1.0, seed=0)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none(), st.booleans()))
def test_any_bad_arrival_rate_gives_input_error(rate):
    try:
        sim = simulate_queue(rate, 10.0, 2, n_calls=50, seed=0)
    except InputError as exc:
        assert "来电率 arrival_rate" in str(exc)
    else:
        assert math.isfinite(rate) and rate > 0 and sim.calls == 50


@given(st.one_of(st.integers(-5, 5), st.floats(-5, 5), st.text(max_size=2)))
def test_any_bad_agent_count_gives_input_error(agents):
    try:
        sim = simulate_queue(0.1, 10.0, agents, n_calls=50, seed=0)
    except InputError as exc:
        assert "座席数 agents" in str(exc)
    else:
        assert agents == int(agents) >= 1 and sim.agents == agents


def test_service_level_by_period_by_hand():
    # arrivals 0 and 10 s in hour 1 (waits 0 and 30), 3600 and 3700 s in hour 2 (waits 5 and 25); target 20 s:
    # each hour has one of its two calls answered within 20 s → 50 %; ASA 15 s in both hours
    arrivals = np.array([0.0, 10.0, 3600.0, 3700.0])
    sim = QueueSimulation(0.001, 10.0, 1, 20.0, arrivals, np.ones(4), np.array([0.0, 30.0, 5.0, 25.0]), 0, 3700.0,
                          None)
    table = service_level_by_period(sim, 3600)
    assert table.index.tolist() == [1, 2] and table["calls"].tolist() == [2, 2]
    assert table["service_level"].tolist() == [0.5, 0.5] and table["asa"].tolist() == [15.0, 15.0]
    # with a 30 s target every call counts as answered in time
    assert service_level_by_period(sim, 3600, target_time=30)["service_level"].tolist() == [1.0, 0.75 + 0.25]
    # warm-up calls are left out: without the first call, hour 1 holds only the 30 s wait
    later = dataclasses.replace(sim, warmup=1)
    assert service_level_by_period(later, 3600).loc[1, "service_level"] == 0.0
    with pytest.raises(InputError, match="统计时段 period 必须大于 0"):
        service_level_by_period(sim, 0)


def test_hours_of_a_long_run_average_to_the_whole_run():
    sim = simulate_queue(300 / 3600, 240, 23, duration=8 * 3600, seed=3, warmup=100)
    table = service_level_by_period(sim)
    assert table.index.tolist() == list(range(1, 9))
    assert int(table["calls"].sum()) == sim.calls
    assert (table["calls"] * table["service_level"]).sum() / sim.calls == pytest.approx(sim.service_level())


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none()))
def test_any_bad_handle_time_gives_input_error(aht):
    try:
        sim = simulate_queue(0.1, aht, 2, n_calls=50, seed=0)
    except InputError as exc:
        assert "平均处理时长 aht" in str(exc)
    else:
        assert math.isfinite(aht) and aht > 0 and sim.aht == aht
