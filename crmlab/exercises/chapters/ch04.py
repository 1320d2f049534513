"""第 4 章练习 客户的开发: the sales funnel, promotion economics and acquisition payback."""

from __future__ import annotations

from typing import Any

from ...acquisition import acquisition_payback, funnel, promotion_economics
from ..spec import Exercise, Question
from ._draw import grid, rng_for


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 4)
    margin, retention = grid(rng, 10, 40, 1), grid(rng, 0.85, 0.97, 0.01)
    # the undiscounted lifetime margin is margin / (1 − r); keep the cost well below it so that it is repaid
    cac_high = max(60, min(200, 10 * int(0.6 * margin / (1 - retention) / 10)))
    return {"prospects": int(grid(rng, 5000, 20000, 500)), "to_target": grid(rng, 0.2, 0.5, 0.01),
            "to_buyer": grid(rng, 0.05, 0.20, 0.01), "baseline_units": int(grid(rng, 1000, 4000, 100)),
            "uplift_units": int(grid(rng, 200, 1500, 50)), "price": grid(rng, 20, 60, 1),
            "unit_cost": grid(rng, 8, 15, 1), "discount_rate": grid(rng, 0.1, 0.3, 0.05),
            "cac": grid(rng, 60, cac_high, 10), "monthly_margin": margin, "monthly_retention": retention}


def _promo(p: Any):
    return promotion_economics(p["baseline_units"], p["uplift_units"], p["price"], p["unit_cost"],
                               discount_rate=p["discount_rate"])


def _payback(p: Any):
    return acquisition_payback(p["cac"], p["monthly_margin"], p["monthly_retention"])


EXERCISE = Exercise(
    id="ch04",
    title="销售漏斗、促销的经济账与获客回收期",
    chapter="第 4 章 客户的开发",
    notebook="ch04_销售漏斗与促销的经济账.ipynb",
    defaults={"student_id": "示例", "seed": 0, "prospects": 10000, "to_target": 0.3, "to_buyer": 0.1,
              "baseline_units": 2000, "uplift_units": 600, "price": 40.0, "unit_cost": 12.0, "discount_rate": 0.2,
              "cac": 120.0, "monthly_margin": 20.0, "monthly_retention": 0.9},
    variant_of_seed=_variant,
    questions=(
        Question("q1", "漏斗末端的初次购买客户数",
                 lambda p, d: float(funnel(entrants=p["prospects"],
                                           conversion_rates=[p["to_target"], p["to_buyer"]])["count"].iloc[-1]),
                 "潜在客户 × 转为目标客户的比例 × 转为初次购买的比例（教材 4.2 节 推销导向的开发）。", points=2),
        Question("q2", "促销带来的增量毛利（元）", lambda p, d: _promo(p).incremental_margin,
                 "增量毛利 = 新增销量 × (促销价 − 单位成本)，促销价 = 原价 × (1 − 折扣率)（教材 4.1.4 节 促销方案）。",
                 points=2),
        Question("q3", "让利给本来就会购买的客户的成本（元）", lambda p, d: _promo(p).subsidy_cost,
                 "本来就会买的销量也享受了折扣：基础销量 × 原价 × 折扣率（教材 4.1.4 节 促销方案）。", points=2),
        Question("q4", "促销的净效果（元）", lambda p, d: _promo(p).net_effect,
                 "净效果 = 增量毛利 − 让利成本 − 固定成本（本题固定成本为 0）。", points=2),
        Question("q5", "获客成本在第几个月收回", lambda p, d: _payback(p).payback_month,
                 "逐月累加 月毛利 × 保留率^(t−1)，第一次超过获客成本的那个月（第 4 章；不折现）。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
    ),
)
