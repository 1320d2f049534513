"""第 10 章练习 客户的流失与挽回: P(alive) from BG/NBD, win-back economics and its break-even."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...btyd import BetaGeo
from ...churn import break_even_success_rate, winback_economics
from ..spec import Exercise, Question
from ._draw import grid, rng_for

#: BG/NBD parameters of the CDNOW cohort, Fader, Hardie & Lee (2005), "Counting your customers the easy way",
#: Marketing Science 24(2), table in section 5: r = 0.243, α = 4.414, a = 0.793, b = 2.426 (time unit: weeks).
CDNOW_PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 10)
    x = int(grid(rng, 1, 8, 1))
    T = grid(rng, 30, 39, 1)
    return {"x": x, "t_x": grid(rng, 2, T - 4, 1), "T": T, "lost": int(grid(rng, 200, 1000, 50)),
            "success_rate": grid(rng, 0.05, 0.30, 0.01), "value": grid(rng, 100, 600, 10),
            "cost": grid(rng, 5, 40, 1), "fixed": grid(rng, 1000, 5000, 500)}


def _p_alive(p: Any) -> float:
    model = BetaGeo()
    model.params_ = dict(CDNOW_PARAMS)
    return float(np.asarray(model.probability_alive(p["x"], p["t_x"], p["T"])).reshape(-1)[0])


def _winback(p: Any):
    return winback_economics(p["lost"], p["success_rate"], p["value"], p["cost"], p["fixed"])


EXERCISE = Exercise(
    id="ch10",
    title="客户流失的判断与挽回的经济账",
    chapter="第 10 章 客户的流失与挽回",
    notebook="ch10_客户流失的判断与挽回.ipynb",
    defaults={"student_id": "示例", "seed": 0, "x": 4, "t_x": 20.0, "T": 36.0, "lost": 500, "success_rate": 0.15,
              "value": 300.0, "cost": 20.0, "fixed": 2000.0},
    variant_of_seed=_variant,
    make_data=lambda p: None,
    questions=(
        Question("q1", "该客户仍然“活着”的概率 P(alive)",
                 lambda p, d: _p_alive(p),
                 "用 BG/NBD 模型和 CDNOW 的参数，输入购买次数 x、最后一次购买时间 t_x、观察期 T（教材 10.2 节；"
                 "Fader-Hardie-Lee 2005）。", points=3, abs_tol=0.005, rel_tol=0.0),
        Question("q2", "挽回活动预计挽回的客户数",
                 lambda p, d: _winback(p).expected_regained,
                 "预计挽回人数 = 联系人数 × 挽回成功率（教材 10.4 节 挽回流失客户的策略）。", points=2),
        Question("q3", "挽回活动的净收益（元）",
                 lambda p, d: _winback(p).net,
                 "净收益 = 挽回人数 × 每人价值 − 联系人数 × 每人联系成本 − 固定成本（教材 10.4 节）。", points=3),
        Question("q4", "不计固定成本时盈亏平衡的挽回成功率",
                 lambda p, d: break_even_success_rate(p["value"], p["cost"]),
                 "成功率 × 每人价值 = 每人联系成本 时刚好不赚不赔（教材 10.4 节）。", points=2),
    ),
)
