"""服务创新: the value-added service economics worked by hand, its break-even uplift, and the classification drill."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError, clv_closed_form
from crmlab.drills import VERDICT_RIGHT, VERDICT_WRONG, Drill
from crmlab.service_innovation import (
    EXPERIENCE_MODULES,
    INNOVATION_DRILLS,
    INNOVATION_EXAMPLES,
    INNOVATION_KINDS,
    check_innovation_kind,
    innovation_kind_key,
    value_added_service_economics,
)

# --- economics, by hand --------------------------------------------------------------------------------------
# 1000 customers, margin 100 元/period, r = 0.8 → 0.85, d = 0.1.
# Margin multiples r / (1 + d − r): M(0.8) = 0.8 / 0.3 = 8/3 (Gupta & Lehmann 2003, Table 1: 2.67 at r = 80 %,
# d = 10 %), M(0.85) = 0.85 / 0.25 = 3.4. CLV per customer 266.67 → 340; extra CLV 1000 × 73.33 = 73,333.33.


def test_upfront_cost_by_hand():
    res = value_added_service_economics(1000, 20, 0.8, 0.05, 100, 0.10, cost_timing="upfront")
    assert res.clv_before == pytest.approx(800 / 3)
    assert res.clv_after == pytest.approx(340.0)
    assert res.extra_clv == pytest.approx(1000 * (340 - 800 / 3))        # 73,333.33
    assert res.service_cost == pytest.approx(20_000)                     # 1000 × 20, paid once
    assert res.net_value == pytest.approx(73_333.333333 - 20_000)
    # break-even: M(r1) = M(0.8) + 20 / 100 = 2.8667 → r1 = 2.8667 × 1.1 / 3.8667 = 0.815517 → 1.5517 points
    k = 8 / 3 + 0.2
    assert res.break_even_uplift == pytest.approx(k * 1.1 / (1 + k) - 0.8)
    assert res.break_even_uplift == pytest.approx(0.015517, abs=1e-6)


def test_per_period_cost_by_hand():
    res = value_added_service_economics(1000, 20, 0.8, 0.05, 100, 0.10)
    # every customer still there gets the service each period: PV per customer 20 × M(0.85) = 68
    assert res.service_cost == pytest.approx(68_000)
    assert res.net_value == pytest.approx(73_333.333333 - 68_000)
    # break-even: (100 − 20) M(r1) = 100 M(0.8) → M(r1) = 10/3 → r1 = (10/3)(1.1)/(13/3) = 11/13 → u = 0.046154
    assert res.break_even_uplift == pytest.approx(11 / 13 - 0.8)
    assert res.roi == pytest.approx((73_333.333333 - 68_000) / 68_000)


def test_extra_clv_uses_the_value_module():
    res = value_added_service_economics(50, 5, 0.6, 0.1, 80, 0.12, fixed_cost=300)
    assert res.extra_clv == pytest.approx(50 * (clv_closed_form(80, 0.7, 0.12) - clv_closed_form(80, 0.6, 0.12)))
    assert res.total_cost == pytest.approx(res.service_cost + 300)


def test_no_uplift_means_the_cost_is_lost():
    res = value_added_service_economics(200, 10, 0.7, 0.0, 50, 0.1, cost_timing="upfront")
    assert res.extra_clv == 0 and res.net_value == pytest.approx(-2000)


def test_break_even_is_infinite_when_the_service_costs_more_than_the_margin():
    res = value_added_service_economics(100, 120, 0.7, 0.1, 100, 0.1)
    assert math.isinf(res.break_even_uplift)
    # upfront cost too high: even r = 1 gives M = 1/d = 10; needs M(r1) = M(0.7) + 5000/100 → impossible
    assert math.isinf(value_added_service_economics(100, 5000, 0.7, 0.1, 100, 0.1,
                                                    cost_timing="upfront").break_even_uplift)


def test_free_service_breaks_even_at_once():
    assert value_added_service_economics(100, 0, 0.7, 0.05, 100, 0.1).break_even_uplift == pytest.approx(0.0)


@settings(max_examples=80, deadline=None)
@given(n=st.floats(1, 1e5), c=st.floats(0, 50), r0=st.floats(0.05, 0.9), m=st.floats(60, 500),
       d=st.floats(0.01, 0.3), timing=st.sampled_from(["per_period", "upfront"]), fixed=st.floats(0, 1e4))
def test_net_value_is_zero_at_the_break_even_uplift(n, c, r0, m, d, timing, fixed):
    res = value_added_service_economics(n, c, r0, 0.0, m, d, cost_timing=timing, fixed_cost=fixed)
    u = res.break_even_uplift
    if math.isinf(u) or r0 + u > 1:
        return
    at = value_added_service_economics(n, c, r0, u, m, d, cost_timing=timing, fixed_cost=fixed)
    scale = max(1.0, n * m * 10, fixed)
    assert abs(at.net_value) <= 1e-7 * scale


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"customers": -1}, r"客户数 customers 不能为负数.*-1"),
    ({"cost_per_customer": float("nan")}, r"每位客户的服务成本 cost_per_customer 必须是有限的数字"),
    ({"baseline_retention": 1.2}, r"原保留率 baseline_retention 必须在 0 和 1 之间.*1\.2"),
    ({"retention_uplift": 0.5}, r"baseline_retention \+ retention_uplift 必须在 0 和 1 之间.*0\.8 \+ 0\.5"),
    ({"margin_per_period": "100"}, r"每期毛利 margin_per_period 必须是数字.*'100'"),
    ({"discount": -0.1}, r"折现率 discount 不能为负数"),
    ({"cost_timing": "monthly"}, r"成本发生方式 cost_timing 必须是.*'monthly'"),
    ({"discount": 0.0, "retention_uplift": 0.2}, r"折现率 discount = 0 且保留率为 1"),
])
def test_bad_inputs_name_the_field(kwargs, message):
    args = {"customers": 100, "cost_per_customer": 10, "baseline_retention": 0.8, "retention_uplift": 0.05,
            "margin_per_period": 100, "discount": 0.1}
    timing = kwargs.pop("cost_timing", "per_period")
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        value_added_service_economics(**args, cost_timing=timing)


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(["customers", "cost_per_customer", "margin_per_period", "discount"]),
       bad=st.one_of(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False), st.just(float("nan")),
                     st.just(float("inf")), st.text(max_size=3), st.none(), st.booleans()))
def test_malformed_amounts_raise_a_named_error(field, bad):
    args = {"customers": 100, "cost_per_customer": 10, "baseline_retention": 0.8, "retention_uplift": 0.05,
            "margin_per_period": 100, "discount": 0.1}
    args[field] = bad
    with pytest.raises(InputError, match=field):
        value_added_service_economics(**args)


@settings(max_examples=60, deadline=None)
@given(r=st.one_of(st.floats(min_value=1.0000001, max_value=1e6), st.floats(max_value=-1e-9, min_value=-1e6)))
def test_retention_outside_unit_interval_is_refused(r):
    with pytest.raises(InputError, match="baseline_retention"):
        value_added_service_economics(100, 10, r, 0.0, 100, 0.1)


# --- the drill ------------------------------------------------------------------------------------------------

def test_four_kinds_and_five_experience_modules():
    assert [k.name for k in INNOVATION_KINDS.values()] == ["超值服务", "顾问式服务", "体验服务", "个性化服务"]
    assert len(EXPERIENCE_MODULES) == 5                     # Schmitt (1999): sense, feel, think, act, relate
    # every kind appears in the drill at least twice
    for key in INNOVATION_KINDS:
        assert sum(e.kind == key for e in INNOVATION_EXAMPLES) >= 2


def test_drills_are_built_on_the_drill_engine():
    assert len(INNOVATION_DRILLS) == len(INNOVATION_EXAMPLES)
    for drill, ex in zip(INNOVATION_DRILLS, INNOVATION_EXAMPLES, strict=True):
        assert isinstance(drill, Drill) and drill.points == 1.0
        assert drill.answer == (INNOVATION_KINDS[ex.kind].name,)
        assert set(drill.options) == {k.name for k in INNOVATION_KINDS.values()}


def test_right_answer_scores_one_point_wrong_answer_zero():
    right = check_innovation_kind("E3", "顾问式服务")
    assert right.correct and right.score == 1.0 and right.verdict == VERDICT_RIGHT
    also_right = check_innovation_kind("E3", "consultative")          # the key works as well as the name
    assert also_right.score == 1.0
    wrong = check_innovation_kind("E3", "超值服务")
    assert not wrong.correct and wrong.score == 0.0 and wrong.verdict == VERDICT_WRONG
    assert "正确答案：顾问式服务" in wrong.feedback[-1]


def test_every_example_is_right_only_for_its_own_kind():
    for ex in INNOVATION_EXAMPLES:
        for key in INNOVATION_KINDS:
            assert check_innovation_kind(ex.key, key).score == (1.0 if key == ex.kind else 0.0)


@pytest.mark.parametrize(("example", "answer", "message"), [
    ("E9", "超值服务", r"题号 example 必须是 .*'E9'"),
    ("E1", "增值服务", r"服务类型 kind 必须是以下之一.*'增值服务'"),
    ("E1", 3, r"服务类型 kind .*收到 3"),
])
def test_unknown_example_or_kind_is_named(example, answer, message):
    with pytest.raises(InputError, match=message):
        check_innovation_kind(example, answer)


_VALID = {*INNOVATION_KINDS, *(k.name for k in INNOVATION_KINDS.values())}


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=6), st.integers(), st.none()).filter(
    lambda a: not (isinstance(a, str) and a.strip() in _VALID)))
def test_any_other_answer_is_refused(answer):
    with pytest.raises(InputError, match="服务类型 kind"):
        innovation_kind_key(answer)
