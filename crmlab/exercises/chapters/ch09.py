"""第 9 章练习 客户的忠诚: retention and lifetime, the Dick & Basu matrix, loyalty-programme economics."""

from __future__ import annotations

from typing import Any

from ...loyalty import dick_basu, loyalty_programme_economics, retention_rate
from ...value import expected_lifetime
from ..spec import Exercise, Question
from ._draw import grid, rng_for


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 9)
    start = int(grid(rng, 800, 2000, 50))
    new = int(grid(rng, 100, 400, 10))
    return {"start_customers": start, "new_customers": new,
            "end_customers": int(start * grid(rng, 0.7, 0.9, 0.01)) + new,
            "attitude": grid(rng, 1, 7, 0.5), "patronage": grid(rng, 0, 12, 1),
            "members": int(grid(rng, 2000, 10000, 500)), "margin": grid(rng, 80, 200, 10),
            "baseline_retention": grid(rng, 0.6, 0.8, 0.01), "uplift": grid(rng, 0.02, 0.08, 0.01),
            "reward_cost": grid(rng, 5, 25, 1)}


def _programme(p: Any):
    return loyalty_programme_economics(p["members"], p["margin"], p["baseline_retention"], p["uplift"],
                                       reward_cost_per_member=p["reward_cost"], discount=0.1)


EXERCISE = Exercise(
    id="ch09",
    title="保留率、忠诚矩阵与忠诚计划的经济账",
    chapter="第 9 章 客户的忠诚",
    notebook="ch09_保留率忠诚矩阵与忠诚计划.ipynb",
    defaults={"student_id": "示例", "seed": 0, "start_customers": 1000, "new_customers": 200, "end_customers": 1000,
              "attitude": 5.5, "patronage": 3, "members": 5000, "margin": 120.0, "baseline_retention": 0.7,
              "uplift": 0.05, "reward_cost": 10.0},
    variant_of_seed=_variant,
    questions=(
        Question("q1", "本期客户保留率",
                 lambda p, d: retention_rate(p["start_customers"], p["end_customers"], p["new_customers"]),
                 "保留率 = (期末客户数 − 本期新客户数) ÷ 期初客户数（教材 9.1.3 节）。", points=2),
        Question("q2", "按这个保留率，客户的预期寿命（期）",
                 lambda p, d: expected_lifetime(
                     retention_rate(p["start_customers"], p["end_customers"], p["new_customers"])),
                 "预期寿命 = 1 ÷ (1 − 保留率)。", points=2),
        Question("q3", "Dick & Basu 矩阵中这位客户的类型",
                 lambda p, d: str(dick_basu(p["attitude"], p["patronage"], 4.0, 6)),
                 "相对态度 ≥ 4 分为高、重复购买 ≥ 6 次为高；两高是真正忠诚，态度高购买低是潜在忠诚，"
                 "态度低购买高是虚假忠诚（教材 9.1.1 节；Dick & Basu 1994）。", points=2, kind="text"),
        Question("q4", "忠诚计划的净价值（元）", lambda p, d: _programme(p).net_value,
                 "净价值 = 会员数 × 毛利 × (M(r') − M(r)) − 会员数 × 奖励成本 × M(r')，M(r) = r ÷ (1 + d − r)，"
                 "d = 10%（教材 9.3.2 节 奖励客户的忠诚）。", points=2),
        Question("q5", "盈亏平衡的保留率提升", lambda p, d: _programme(p).break_even_uplift,
                 "找出让净价值恰好为 0 的保留率提升（用 loyalty_programme_economics 的 break_even_uplift）。",
                 points=2, abs_tol=0.0005, rel_tol=0.005),
    ),
)
