"""Erlang C staffing: a published worked example, the textbook formula in exact arithmetic, and scale to 1,000+
agents."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from crmlab import InputError
from crmlab.service import (
    agents_needed,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    scheduled_staff,
    service_curve,
    service_level,
    staffing_summary,
    staffing_table,
    traffic_intensity,
)


def direct_erlang_b(a: float, n: int) -> float:
    """B = (A^N / N!) / Σ_{k=0..N} A^k / k!, in exact rational arithmetic."""
    x = Fraction(a)
    terms = [x**k / math.factorial(k) for k in range(n + 1)]
    return float(terms[-1] / sum(terms))


def direct_erlang_c(a: float, n: int) -> float:
    """The textbook Erlang C formula, exactly: X = A^N/N! · N/(N − A), Y = Σ_{k=0..N−1} A^k/k!, C = X / (X + Y)."""
    x = Fraction(a)
    big_x = x**n / math.factorial(n) * n / (n - x)
    big_y = sum(x**k / math.factorial(k) for k in range(n))
    return float(big_x / (big_x + big_y))


# --- the published worked example -----------------------------------------------------------------------------
# Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example" (callcentrehelper.com): 100 calls
# in 30 minutes, AHT 180 s, target 80 % of calls answered within 20 s, maximum occupancy 85 %, shrinkage 30 %.
# Traffic 200 calls/h × 3 min / 60 = 10 Erlangs; start at N = A + 1 = 11 and add agents until the target is met:
# 14 agents on the phones, 20 to schedule after shrinkage. The per-N figures below are those printed for the same
# example in the README of the CRAN package ErlangC 0.1.0 (Damonsoul/ErlangC, `calculate_agents(100, 30 min,
# 180 s, 20 s, 0.8, 0.85, 0.3)`), which reproduces the article: wait probability, service level, ASA (s), occupancy.
PUBLISHED = {
    11: (0.6821182, 0.3896138, 122.78127684408, 0.9090909),
    12: (0.4493882, 0.640158, 40.4449401868444, 0.8333333),
    13: (0.2852705, 0.7955948, 17.1162271821896, 0.7692308),
    14: (0.1741319, 0.88835, 7.83593701177724, 0.7142857),
}


def test_call_centre_helper_worked_example():
    a = traffic_intensity(100, 30 * 60, 180)
    assert a == pytest.approx(10.0)
    for n, (pw, sl, asa, occ) in PUBLISHED.items():
        assert erlang_c(a, n) == pytest.approx(pw, abs=5e-8)
        assert service_level(a, n, 20, 180) == pytest.approx(sl, abs=5e-7 if n == 12 else 5e-8)
        assert average_speed_of_answer(a, n, 180) == pytest.approx(asa, rel=1e-12)
        assert occupancy(a, n) == pytest.approx(occ, abs=5e-8)
    # 13 agents give 79.6 % < 80 %, 14 give 88.8 %: the answer is 14; the 85 % occupancy cap does not bind (71 %)
    assert agents_needed(a, 180, 20, 0.8) == 14
    assert agents_needed(a, 180, 20, 0.8, max_occupancy=0.85) == 14
    assert scheduled_staff(14, 0.30) == 20          # 14 / 0.7 = 20 (not 21: no rounding-up of 20.000000000000004)
    table = staffing_table([100], 180, 1800, 20, 0.8, shrinkage=0.3, max_occupancy=0.85)
    assert table.iloc[0][["traffic", "agents", "scheduled"]].tolist() == [10.0, 14, 20]
    assert table.iloc[0]["service_level"] == pytest.approx(0.88835, abs=5e-6)


# --- first principles ------------------------------------------------------------------------------------------
def test_tiny_cases_by_hand():
    # One agent (M/M/1): C = A, ASA = A·AHT/(1 − A), SL = 1 − A·e^{−(1−A)t/AHT}
    assert erlang_c(0.5, 1) == pytest.approx(0.5)
    assert average_speed_of_answer(0.5, 1, 60) == pytest.approx(60.0)
    assert service_level(0.5, 1, 60, 60) == pytest.approx(1 - 0.5 * math.exp(-0.5))
    # Two agents, A = 1: B = (1/2)/(1 + 1 + 1/2) = 1/5, C = 2·(1/5)/(2 − 1·(4/5)) = 1/3
    assert erlang_b(1, 2) == pytest.approx(0.2)
    assert erlang_c(1, 2) == pytest.approx(1 / 3)
    # Erlang B, A = 2, N = 5: (32/120) / (1 + 2 + 2 + 4/3 + 2/3 + 4/15) = 0.0366972…
    assert erlang_b(2, 5) == pytest.approx((32 / 120) / (1 + 2 + 2 + 4 / 3 + 2 / 3 + 4 / 15), rel=1e-12)
    assert erlang_b(3.7, 0) == 1.0 and erlang_b(0, 4) == 0.0
    assert erlang_c(0, 3) == 0.0 and service_level(0, 3, 0, 100) == 1.0
    # target time 0: the service level is the share answered at once, 1 − C
    assert service_level(10, 12, 0, 180) == pytest.approx(1 - erlang_c(10, 12))


@pytest.mark.parametrize("a", [0.3, 1.0, 2.5, 7.25, 10.0, 19.9, 33.3, 48.0])
def test_agrees_with_the_textbook_formula_in_exact_arithmetic(a):
    for n in range(math.floor(a) + 1, math.floor(a) + 25):
        assert erlang_b(a, n) == pytest.approx(direct_erlang_b(a, n), abs=1e-9, rel=1e-9)
        assert erlang_c(a, n) == pytest.approx(direct_erlang_c(a, n), abs=1e-9, rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(a=st.floats(0.01, 60.0), extra=st.integers(1, 40))
def test_property_matches_the_formula(a, extra):
    n = math.floor(a) + extra
    assert erlang_c(a, n) == pytest.approx(direct_erlang_c(a, n), abs=1e-9, rel=1e-9)


def test_thousand_agents_are_finite_and_monotone():
    a = 950.0
    curve = service_curve(a, 240, 20, range(951, 1101))
    assert len(curve) == 150
    assert np.isfinite(curve.to_numpy()).all()
    assert (np.diff(curve["service_level"]) >= 0).all() and curve["service_level"].iloc[-1] > 0.999
    assert (np.diff(curve["asa"]) < 0).all()
    assert (np.diff(curve["wait_probability"]) < 0).all()
    # Erlang B = Poisson pmf(N) / cdf(N): an independent, log-space evaluation (scipy) for large N
    for n in (951, 1000, 1100, 2000):
        expected_b = math.exp(stats.poisson.logpmf(n, a) - stats.poisson.logcdf(n, a))
        assert erlang_b(a, n) == pytest.approx(expected_b, rel=1e-9)
        assert erlang_c(a, n) == pytest.approx(n * expected_b / (n - a * (1 - expected_b)), rel=1e-9)
    row = curve.loc[1000]
    assert row["service_level"] == pytest.approx(service_level(a, 1000, 20, 240), rel=1e-12)
    needed = agents_needed(a, 240, 20, 0.8)
    assert service_level(a, needed, 20, 240) >= 0.8 > service_level(a, needed - 1, 20, 240)
    assert 950 < needed < 1000                          # large centres run at high occupancy (pooling)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.05, 300.0), target=st.floats(0.05, 0.99), t=st.floats(0.0, 120.0), aht=st.floats(10.0, 900.0))
def test_agents_needed_is_the_minimum(a, target, t, aht):
    n = agents_needed(a, aht, t, target)
    assert n > a
    assert service_level(a, n, t, aht) >= target
    if n - 1 > a:
        assert service_level(a, n - 1, t, aht) < target


def test_staffing_table_for_a_day():
    hours = [f"{h:02d}:00" for h in range(8, 14)]
    calls = pd.Series([0, 60, 200, 350, 500, 120], index=hours)
    table = staffing_table(calls, aht=240, interval=3600, target_time=20, target_level=0.8, shrinkage=0.25)
    assert list(table.index) == hours
    assert table.loc["08:00"].tolist() == [0.0, 0.0, 0, 0.0, 1.0, 0.0, 0.0, 0]
    for hour, c in calls.items():
        if c == 0:
            continue
        a = c * 240 / 3600
        n = agents_needed(a, 240, 20, 0.8)
        assert table.loc[hour, "traffic"] == pytest.approx(a)
        assert table.loc[hour, "agents"] == n
        assert table.loc[hour, "service_level"] == pytest.approx(service_level(a, n, 20, 240))
        assert table.loc[hour, "asa"] == pytest.approx(average_speed_of_answer(a, n, 240))
        assert table.loc[hour, "scheduled"] == math.ceil(n / 0.75 - 1e-9)
    assert table["agents"].is_monotonic_increasing is False   # follows the volume, not the clock
    plain = staffing_table([10, 20], 300)
    assert list(plain.index) == [1, 2] and (plain["scheduled"] == plain["agents"]).all()


def test_staffing_summary_by_hand():
    # two hours: 100 calls (10 Erlangs, 14 agents) and 200 calls (20 Erlangs) at AHT 360 s per hour
    table = staffing_table([100, 200], aht=360, interval=3600, shrinkage=0.2)
    n1, n2 = agents_needed(10, 360, 20, 0.8), agents_needed(20, 360, 20, 0.8)
    total = staffing_summary(table)
    assert total["calls"] == 300 and total["agent_intervals"] == n1 + n2
    assert total["scheduled_intervals"] == math.ceil(n1 / 0.8 - 1e-9) + math.ceil(n2 / 0.8 - 1e-9)
    assert total["occupancy"] == pytest.approx(30 / (n1 + n2))          # 30 Erlang-hours of talk over n1 + n2 hours
    sl1, sl2 = service_level(10, n1, 20, 360), service_level(20, n2, 20, 360)
    assert total["service_level"] == pytest.approx((100 * sl1 + 200 * sl2) / 300)
    with pytest.raises(InputError, match="staffing_table"):
        staffing_summary(pd.DataFrame({"calls": [1]}))
    with pytest.raises(InputError, match="没有来电"):
        staffing_summary(staffing_table([0, 0], 180))


# --- input validation -------------------------------------------------------------------------------------------
def test_unstable_queue_is_explained():
    with pytest.raises(InputError, match=r"queue unstable.*agents=10, traffic=10"):
        erlang_c(10, 10)
    with pytest.raises(InputError, match="排队会无限增长"):
        service_level(12.5, 12, 20, 180)
    with pytest.raises(InputError, match="agents=3"):
        occupancy(4, 3)
    with pytest.raises(InputError, match="agents=5"):
        service_curve(6, 180, 20, [5, 8])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: erlang_c(-1, 3), "话务量 traffic"),
    (lambda: erlang_c(float("nan"), 3), "有限"),
    (lambda: erlang_c(2, 3.5), "座席数 agents 必须是整数"),
    (lambda: erlang_c(2, True), "座席数 agents"),
    (lambda: erlang_b(2, -1), "座席数 agents 必须 ≥ 0"),
    (lambda: service_level(2, 3, -5, 180), "目标应答时间 target_time"),
    (lambda: average_speed_of_answer(2, 3, 0), "平均处理时长 aht"),
    (lambda: agents_needed(5, 180, 20, 1.0), "目标服务水平 target_level"),
    (lambda: agents_needed(5, 180, 20, 0.8, max_occupancy=0), "最高占用率 max_occupancy"),
    (lambda: scheduled_staff(10, 1.0), "缩减率 shrinkage"),
    (lambda: traffic_intensity(100, 0, 180), "统计时段 interval"),
    (lambda: staffing_table([], 180), "不能为空"),
    (lambda: staffing_table([10, -2], 180), "第 2 个时段"),
    (lambda: staffing_table([10, 20], 180, index=["a"]), "index"),
    (lambda: staffing_table(5, 180), "sequence"),
])
def test_bad_inputs_name_the_field(call, message):
    with pytest.raises(InputError, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.0, 500.0), short=st.integers(0, 20))
def test_property_too_few_agents_always_raise(a, short):
    n = max(1, math.floor(a) - short)
    if n > a:                      # only the unstable cases
        return
    with pytest.raises(InputError, match="queue unstable"):
        erlang_c(a, n)
    with pytest.raises(InputError, match="queue unstable"):
        average_speed_of_answer(a, n, 180)


@settings(max_examples=60, deadline=None)
@given(bad=st.one_of(st.floats(max_value=-1e-9), st.just(float("inf")), st.just(float("nan")), st.text(max_size=3)))
def test_property_bad_traffic_is_rejected(bad):
    with pytest.raises(InputError, match="traffic"):
        erlang_c(bad, 5)
    with pytest.raises(InputError, match="traffic"):
        agents_needed(bad, 180, 20, 0.8)


@settings(max_examples=60, deadline=None)
@given(level=st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.0), st.just(float("nan"))))
def test_property_bad_target_level_is_rejected(level):
    with pytest.raises(InputError, match="target_level"):
        agents_needed(10, 180, 20, level)
