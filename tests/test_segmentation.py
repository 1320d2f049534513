"""Concentration, ABC classes, customer grading and the whale curve: closed forms and hand-worked tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.segmentation import (
    GRADING_SCHEMES,
    customer_profit,
    gini,
    grade_customers,
    lorenz_curve,
    pareto_table,
    top_share,
    whale_curve,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=40).filter(lambda v: sum(v) > 1e-6))
def test_gini_equals_the_mean_absolute_difference_definition(values):
    x = np.asarray(values)
    expected = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert gini(x) == pytest.approx(expected, abs=1e-9)


def test_gini_closed_forms():
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    # two-point: a share k/n of customers with nothing, the rest equal → G = k/n
    assert gini([0] * 3 + [7] * 7) == pytest.approx(0.3)
    rng = np.random.default_rng(0)
    assert gini(rng.uniform(0, 1, 1_000_000)) == pytest.approx(1 / 3, abs=2e-3)       # uniform: 1/3
    assert gini(rng.exponential(1.0, 1_000_000)) == pytest.approx(1 / 2, abs=2e-3)    # exponential: 1/2
    alpha = 3.0
    assert gini(rng.pareto(alpha, 2_000_000) + 1) == pytest.approx(1 / (2 * alpha - 1), abs=5e-3)  # Pareto


def test_lorenz_curve_of_1_to_n_is_exact():
    n = 10
    curve = lorenz_curve(np.arange(1, n + 1), points=None)
    k = np.arange(n + 1)
    assert curve["value_share"].to_numpy() == pytest.approx(k * (k + 1) / (n * (n + 1)))
    sampled = lorenz_curve(np.random.default_rng(1).uniform(0, 1, 400_000), points=11)
    assert sampled["value_share"].to_numpy() == pytest.approx(sampled["customer_share"].to_numpy() ** 2, abs=2e-3)


def test_top_share_states_the_pareto_principle():
    # 20 customers: 4 with 20 元 each, 16 with 1.25 元 each → top 20 % bring 80 / 100
    values = [20.0] * 4 + [1.25] * 16
    assert top_share(values, 0.2) == pytest.approx(0.8)
    assert top_share(values, 0.0) == pytest.approx(0.0)
    assert top_share(values, 1.0) == pytest.approx(1.0)


def test_pareto_table_by_hand():
    values = [50, 30, 10, 5, 3, 2]  # total 100; shares before each: 0, .5, .8, .9, .95, .98
    table = pareto_table(values)
    assert table["customers"].tolist() == [2, 2, 2]          # A: 50, 30; B: 10, 5; C: 3, 2
    assert table["value_share"].tolist() == pytest.approx([0.8, 0.15, 0.05])


def test_li_xianguo_preset_reproduces_table_1_1():
    scheme = GRADING_SCHEMES["李先国"]
    assert scheme.grades == ("头顶客户", "潜力客户", "常规客户") and scheme.shares == (0.05, 0.15, 0.80)
    values = pd.Series(np.arange(100, 0, -1, dtype=float), index=[f"c{i}" for i in range(100)])
    grades = grade_customers(values, "李先国")
    assert grades.value_counts()[["头顶客户", "潜力客户", "常规客户"]].tolist() == [5, 15, 80]
    assert grades["c0"] == "头顶客户" and grades["c5"] == "潜力客户" and grades["c20"] == "常规客户"
    one_time = np.zeros(100, bool)
    one_time[-10:] = True
    with_temp = grade_customers(values, "李先国", one_time=one_time)
    assert (with_temp == "临时客户").sum() == 10
    # 5 %/15 %/80 % of the other 90: 4.5 → 4, 13.5 → 14 (cumulative 18), 72
    assert with_temp.value_counts()[["头顶客户", "潜力客户", "常规客户"]].tolist() == [4, 14, 72]


def test_grading_by_cumulative_value():
    values = [50, 30, 10, 5, 3, 2]
    grades = grade_customers(values, "梁燕冰", by="value").tolist()
    # cumulative value share before each customer: 0, .5, .8, .9, .95, .98; the cuts are 5 % and 20 %:
    # only the largest customer starts below 5 %, nobody starts between 5 % and 20 %
    assert grades == ["贵宾型客户", "普通型客户", "普通型客户", "普通型客户", "普通型客户", "普通型客户"]
    # 4 customers, 20 %/30 %/50 %: 0.8 → 1 关键; 20 % + 30 % of 4 = 2 → 1 普通; 2 小
    assert grade_customers([10, 10, 10, 10], "苏朝晖").tolist() == ["关键客户", "普通客户", "小客户", "小客户"]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(0, 1e5), min_size=1, max_size=60).filter(lambda v: sum(v) > 0),
       scheme=st.sampled_from(list(GRADING_SCHEMES)), by=st.sampled_from(["customers", "value"]))
def test_every_customer_gets_exactly_one_grade(values, scheme, by):
    grades = grade_customers(values, scheme, by=by)
    assert len(grades) == len(values)
    assert grades.notna().all()
    assert set(grades.astype(str)) <= set(GRADING_SCHEMES[scheme].grades)


@pytest.mark.parametrize(("values", "message"), [
    ([1.0, -2.0], r"第 2 个值必须是≥ 0 的有限数字，收到 -2.0"),
    ([1.0, float("nan")], "第 2 个值"),
    ([], "不能为空"),
    ([0.0, 0.0], "总和必须大于 0"),
])
def test_bad_values_are_named(values, message):
    with pytest.raises(InputError, match=message):
        gini(values)


def test_unknown_scheme_and_basis():
    with pytest.raises(InputError, match="分级方案 scheme"):
        grade_customers([1, 2], "ABC")
    with pytest.raises(InputError, match="分级依据 by"):
        grade_customers([1, 2], by="profit")


def test_customer_profit_and_whale_curve_by_hand():
    margin = [100.0, 80.0, 40.0, 30.0]
    profit = customer_profit(margin, order_handling=[10, 10, 5, 5], service_contacts=[0, 0, 60, 5], returns=5.0)
    assert profit.tolist() == [85.0, 65.0, -30.0, 15.0]     # the third customer destroys profit
    curve = whale_curve(profit)                           # total 135
    assert curve["profit_share"].tolist() == pytest.approx([0, 85 / 135, 150 / 135, 165 / 135, 1.0])
    assert curve["profit_share"].max() > 1.0
    with pytest.raises(InputError, match="服务成本 returns"):
        customer_profit(margin, returns=[-1, 0, 0, 0])


def test_upgrade_value_when_nobody_changes_grade():
    # With customers staying in their grade for ever, V = m (1 + d) / d (this period in full, then a perpetuity),
    # so moving one customer from 普通 (m = 10) to 关键 (m = 50) at d = 10 % is worth (50 − 10) × 11 = 440.
    from crmlab.segmentation import grade_upgrade_value

    grades = ["关键客户", "普通客户", "小客户"]
    P = pd.DataFrame(np.eye(3), index=grades, columns=grades)
    value = grade_upgrade_value(P, {"关键客户": 50, "普通客户": 10, "小客户": 2}, 0.10, "普通客户", "关键客户", 1)
    assert value == pytest.approx(440.0)
    # 100 customers, and a finite horizon of 0 periods: only this period's margin difference
    assert grade_upgrade_value(P, {"关键客户": 50, "普通客户": 10, "小客户": 2}, 0.1, "普通客户", "关键客户", 100,
                               horizon=0) == pytest.approx(4000.0)
    with pytest.raises(InputError, match="unknown grade"):
        grade_upgrade_value(P, {"关键客户": 50, "普通客户": 10, "小客户": 2}, 0.1, "VIP", "关键客户", 1)


def test_grade_summary_by_hand():
    from crmlab.segmentation import grade_summary

    profit = [50.0, -10.0, 30.0, 20.0, 10.0]                  # total 100
    # 20 % / 30 % / 50 % of 5 customers: the middle of each one's slice is at 10/30/50/70/90 %, so 1 / 1 / 3
    grades = grade_customers(profit, GRADING_SCHEMES["苏朝晖"])
    assert grades.tolist() == ["关键客户", "小客户", "普通客户", "小客户", "小客户"]
    table = grade_summary(profit, grades)
    assert list(table.index) == ["关键客户", "普通客户", "小客户"]
    assert table["customers"].tolist() == [1, 1, 3]
    assert table["value"].tolist() == [50.0, 30.0, 20.0]
    assert table["value_share"].tolist() == pytest.approx([0.5, 0.3, 0.2])
    assert table["customer_share"].tolist() == pytest.approx([0.2, 0.2, 0.6])
    with pytest.raises(InputError, match="总和必须大于 0"):
        grade_summary([-1.0, 0.5], ["a", "b"])


def test_allocate_service_budget_by_hand():
    from crmlab.segmentation import allocate_service_budget

    n = {"关键客户": 10, "普通客户": 30, "小客户": 60}
    r = {"关键客户": 3.0, "普通客户": 1.5, "小客户": 0.5}
    cap = {"关键客户": 200.0, "普通客户": 50.0, "小客户": 20.0}
    # equal per customer: 10 000 / 100 = 100 元 each → 关键 10×3×min(100,200) = 3000; 普通 30×1.5×50 = 2250;
    # 小 60×0.5×20 = 600
    equal = allocate_service_budget(10_000, n, r, cap)
    assert equal["budget"].tolist() == pytest.approx([1000, 3000, 6000])
    assert equal["margin_gain"].tolist() == pytest.approx([3000, 2250, 600])
    assert equal["net_gain"].sum() == pytest.approx(5850 - 10_000)
    # weighted 20/15/6: 关键 2000 → 200 each → 10×3×200 = 6000; 普通 1500 → 50 each → 2250; 小 600 → 10 each → 300
    tiered = allocate_service_budget(4100, n, r, cap, weights={"关键客户": 20, "普通客户": 15, "小客户": 6})
    assert tiered["per_customer"].tolist() == pytest.approx([200, 50, 10])
    assert tiered["margin_gain"].tolist() == pytest.approx([6000, 2250, 300])
    assert tiered["net_gain"].sum() == pytest.approx(8550 - 4100)
    with pytest.raises(InputError, match="saturation"):
        allocate_service_budget(100, n, r, {"关键客户": 1.0})
    with pytest.raises(InputError, match="服务预算"):
        allocate_service_budget(-1, n, r, cap)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(-1.0)), min_size=1, max_size=20))
def test_bad_value_tables_raise_the_clear_error(values):
    ok = all(np.isfinite(v) and v >= 0 for v in values) and sum(values) > 0
    for func in (gini, lambda v: grade_customers(v, "李先国", by="value")):
        try:
            func(values)
        except InputError as exc:
            assert not ok
            assert "客户价值 values" in str(exc)
        else:
            assert ok
