"""Calculation-question generators: answers by hand from the formulas, parameter grids, number parsing, tolerance."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.certification import generators as gen
from crmlab.certification.bank import load_bank, parse_question
from crmlab.certification.generators import (
    GENERATORS,
    check_calc,
    draw_params,
    expected_answer,
    param_grid,
    parse_number,
    register_generator,
    render_stem,
)

FIXTURES = Path(__file__).parent / "fixtures" / "certification"


@pytest.mark.parametrize(("name", "params", "expected"), [
    # CLV = m r / (1 + d − r) = 100 × 0.8 / 0.3 (Gupta & Lehmann 2003 margin multiple)
    ("clv_closed_form", {"margin": 100, "retention": 0.8, "discount": 0.1}, 800 / 3),
    ("clv_net", {"margin": 100, "retention": 0.8, "discount": 0.1, "acquisition_cost": 50}, 800 / 3 - 50),
    # 0.9 / (1 + 0.12 − 0.9) = 0.9 / 0.22 = 4.0909… (the ch00 slider's 4.09)
    ("margin_multiple", {"retention": 0.9, "discount": 0.12}, 0.9 / 0.22),
    ("expected_lifetime", {"retention": 0.8}, 5.0),               # 1 / (1 − 0.8)
    ("lifetime_from_churn", {"churn": 0.25}, 4.0),                # 1 / 0.25
    # two periods, r = 0.5, d = 0: 100 × 0.5 + 100 × 0.25
    ("clv_finite_horizon", {"margin": 100, "retention": 0.5, "discount": 0, "periods": 2}, 75.0),
    # total value 100 + 50 + 30 + 20 = 200, total cost 80 + 20 + 10 + 10 = 120
    ("delivered_value", {"product": 100, "service": 50, "personnel": 30, "image": 20,
                         "money": 80, "time": 20, "energy": 10, "physical": 10}, 80.0),
    # one customer holds everything: G = 2·(5·10)/(5·10) − 6/5 = 0.8
    ("gini", {"v1": 0, "v2": 0, "v3": 0, "v4": 0, "v5": 10}, 0.8),
    ("gini", {"v1": 7, "v2": 7, "v3": 7, "v4": 7, "v5": 7}, 0.0),
    # top 20 % of five customers = the largest: 50 / 100; top 40 %: (50 + 20) / 100
    ("top_share", {"v1": 10, "v2": 50, "v3": 10, "v4": 20, "v5": 10, "share": 0.2}, 0.5),
    ("top_share", {"v1": 10, "v2": 50, "v3": 10, "v4": 20, "v5": 10, "share": 0.4}, 0.7),
    ("break_even_success_rate", {"value_if_regained": 500, "cost_per_contact": 25}, 0.05),   # 25 / 500
    # 100 contacted × 10 % × 500 元 − 100 × 20 元
    ("winback_net", {"lost_customers": 100, "success_rate": 0.1, "value_if_regained": 500,
                     "cost_per_contact": 20}, 3000.0),
])
def test_generators_compute_the_textbook_formulas(name, params, expected):
    assert GENERATORS[name](**params) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_generator_rejects_wrong_or_bad_parameters():
    with pytest.raises(InputError, match=r"缺少 missing \['discount'\]"):
        GENERATORS["clv_closed_form"](margin=1, retention=0.5)
    with pytest.raises(InputError, match="保留率 retention"):
        GENERATORS["margin_multiple"](retention=1.5, discount=0.1)
    with pytest.raises(InputError, match="流失率 churn"):
        GENERATORS["lifetime_from_churn"](churn=0)
    with pytest.raises(InputError, match="not finite"):
        GENERATORS["break_even_success_rate"](value_if_regained=0, cost_per_contact=5)


def test_register_generator_is_one_line_and_the_bank_accepts_it(monkeypatch):
    monkeypatch.setattr(gen, "GENERATORS", dict(GENERATORS))
    monkeypatch.setattr("crmlab.certification.bank.GENERATORS", gen.GENERATORS)

    def doubled(x: float, unused: float = 1.0) -> float:
        return 2 * x

    g = register_generator("doubled", doubled)
    assert g.params == ("x",)                       # parameters without defaults
    q = parse_question({"id": "t-1", "type": "calc", "difficulty": 1, "section": "s", "stem": "x = {x}，求 2x",
                        "generator": "doubled", "params": {"x": [1, 9, 2]}, "explanation": "乘 2。"}, "t")
    assert check_calc(q, {"x": 3}, "6").correct
    with pytest.raises(InputError, match="generator name"):
        register_generator("Bad-Name", doubled)


def test_param_grid_rounds_and_keeps_integers():
    assert param_grid((0.6, 0.9, 0.05)) == [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
    assert param_grid((100, 500, 100)) == [100, 200, 300, 400, 500]
    assert all(isinstance(v, int) for v in param_grid((100, 500, 100)))
    assert param_grid((1, 2, 0.5)) == [1.0, 1.5, 2.0]
    assert param_grid(0.1) == [0.1]
    assert param_grid((0, 10, 3)) == [0, 3, 6, 9]       # the grid stops at or below high


@settings(max_examples=80, deadline=None)
@given(low=st.integers(-50, 50), steps=st.integers(0, 30), step_hundredths=st.integers(1, 200))
def test_param_grid_property(low, steps, step_hundredths):
    step = step_hundredths / 100
    high = low + steps * step
    grid = param_grid((float(low), high, step))
    assert len(grid) == steps + 1
    assert grid[0] == low and grid[-1] == pytest.approx(high)
    assert all(low - 1e-9 <= v <= high + 1e-9 for v in grid)


def test_draws_stay_on_the_grid_and_cover_it():
    bank = load_bank(FIXTURES)
    q = bank["tst01-005"]
    rng = np.random.default_rng(0)
    seen = {name: set() for name in q.params}
    for _ in range(600):
        p = draw_params(q, rng)
        for name, v in p.items():
            assert v in param_grid(q.params[name])
            seen[name].add(v)
    assert seen["retention"] == set(param_grid((0.6, 0.9, 0.05)))   # all 7 values appear in 600 draws
    assert len(seen["margin"]) == 9
    assert draw_params(q, 5) == draw_params(q, 5)                   # a seed fixes the draw


def test_render_stem_uses_format_specs():
    q = load_bank(FIXTURES)["tst01-005"]
    assert render_stem(q, {"margin": 200, "retention": 0.85, "discount": 0.1}) == (
        "每期毛利 200 元，保留率 85%，折现率 10%，求客户终生价值。")


def test_check_calc_relative_tolerance_and_percent_unit():
    bank = load_bank(FIXTURES)
    clv = bank["tst01-005"]
    p = {"margin": 100, "retention": 0.8, "discount": 0.1}        # 266.666…
    assert check_calc(clv, p, 266.67).correct
    assert check_calc(clv, p, "269").correct                       # 0.875 % off, within 1 %
    assert not check_calc(clv, p, "270").correct                   # 1.25 % off
    assert check_calc(clv, p, "２６６.７ 元").correct                # full-width digits and the unit
    assert check_calc(clv, p, "266.7元").expected == pytest.approx(800 / 3)
    with pytest.raises(InputError, match="不要写 %"):
        check_calc(clv, p, "266%")
    rate = bank["tst02-003"]                                       # break-even rate shown in %
    p2 = {"value_if_regained": 400, "cost_per_contact": 20}       # 20 / 400 = 5 %
    assert expected_answer(rate, p2) == pytest.approx(5.0)
    assert check_calc(rate, p2, "5%").correct and check_calc(rate, p2, 5.02).correct
    assert not check_calc(rate, p2, 0.05).correct                  # the question asks for per cent
    zero = replace(clv, tolerance=0.01)
    assert check_calc(zero, {"margin": 0, "retention": 0.8, "discount": 0.1}, "0.005").correct   # absolute at 0


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", None, [1], "--5"])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(InputError, match="必须是一个数字"):
        parse_number(text)


def test_parse_number_reads_common_forms():
    assert parse_number("1,234.5") == 1234.5
    assert parse_number(" -3 ") == -3
    assert parse_number("1e3") == 1000
    assert parse_number("12.5%", "%") == 12.5
    assert parse_number(7) == 7.0


def test_service_satisfaction_and_loyalty_generators():
    from crmlab.certification.generators import GENERATORS

    def run(name, **kw):
        return GENERATORS[name].func(**{k: kw[k] for k in GENERATORS[name].params})

    assert run("traffic_intensity", calls=120, interval=3600, aht=180) == pytest.approx(6.0)   # 120 × 180 / 3600
    # Call Centre Helper's worked example (10 Erlangs, 14 agents, AHT 180 s, 20 s target): P(wait) 0.1741,
    # service level 0.8884 — the same figures tests/test_service.py checks for crmlab.service
    assert run("erlang_c", traffic=10, agents=14) == pytest.approx(0.1741319, abs=1e-6)
    assert run("service_level", traffic=10, agents=14, target_time=20, aht=180) == pytest.approx(0.88835, abs=1e-5)
    assert run("nps", promoters=60, passives=50, detractors=40) == pytest.approx(100 * 20 / 150)
    assert run("retention_rate", start_customers=1000, end_customers=1050, new_customers=200) == pytest.approx(0.85)
    assert GENERATORS["erlang_c"].share and GENERATORS["retention_rate"].share and not GENERATORS["nps"].share
