"""第 6 章练习 客户的分级: concentration of value (Gini, top 20 %), ABC classes and the 李先国 pyramid."""

from __future__ import annotations

from typing import Any

from ...datasets import generate_b2b_accounts
from ...segmentation import gini, grade_customers, pareto_table, top_share
from ..spec import Exercise, Question
from ._draw import grid, rng_for


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 6)
    return {"n_accounts": int(grid(rng, 200, 600, 50)), "top": grid(rng, 0.1, 0.3, 0.05),
            "cut_a": grid(rng, 0.6, 0.8, 0.05)}


def _data(p: Any) -> dict[str, Any]:
    return {"accounts": generate_b2b_accounts(int(p["n_accounts"]), int(p["seed"]))}


def _revenue(d: Any):
    return d["accounts"]["revenue"].to_numpy()


EXERCISE = Exercise(
    id="ch06",
    title="客户价值的集中度与客户金字塔",
    chapter="第 6 章 客户的分级",
    notebook="ch06_客户价值的集中度与客户金字塔.ipynb",
    defaults={"student_id": "示例", "seed": 0, "n_accounts": 300, "top": 0.2, "cut_a": 0.8},
    variant_of_seed=_variant,
    make_data=_data,
    questions=(
        Question("q1", "销售额的基尼系数",
                 lambda p, d: gini(_revenue(d)),
                 "基尼系数 = 对角线与洛伦兹曲线之间面积的 2 倍，0 表示完全平均（教材 6.1.1 节）。", points=2),
        Question("q2", "销售额最高的前 top 比例客户贡献的销售额占比",
                 lambda p, d: top_share(_revenue(d), p["top"]),
                 "把客户按销售额从高到低排，取前 top 比例，看他们占总额的比例（教材 6.1.1 节；二八法则）。",
                 points=2),
        Question("q3", "ABC 分析中 A 类客户的数量",
                 lambda p, d: int(pareto_table(_revenue(d), cuts=(p["cut_a"], 0.95)).loc["A", "customers"]),
                 "按销售额从高到低累加，累计占比到 cut_a 之前的客户是 A 类（教材 6.1.1 节；ABC 分析）。",
                 points=2, abs_tol=0.5, rel_tol=0.0),
        Question("q4", "按李先国的方案分级后“潜力客户”的数量",
                 lambda p, d: int((grade_customers(_revenue(d), "李先国") == "潜力客户").sum()),
                 "李先国：头顶 5%、潜力 15%、常规 80%（按客户数，从高到低）（教材 6.2 节；李先国 表1-1）。",
                 points=2, abs_tol=0.5, rel_tol=0.0),
        Question("q5", "“头顶客户”贡献的销售额合计（元）",
                 lambda p, d: float(_revenue(d)[(grade_customers(_revenue(d), "李先国") == "头顶客户").to_numpy()]
                                    .sum()),
                 "先分级，再把头顶客户的销售额加起来（教材 6.3 节 各级客户的管理）。", points=2),
    ),
)
