"""第 5 章练习 客户的信息: an RFM table, quintile scores and the eight RFM segments, in pandas or SQL."""

from __future__ import annotations

from typing import Any

from ...datasets import generate_green_food
from ...rfm import rfm_scores, rfm_segments, rfm_table
from ..spec import Exercise, Question
from ._draw import grid, rng_for

AS_OF_CHOICES = ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31")


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 5)
    return {"n_customers": int(grid(rng, 300, 600, 50)),
            "as_of": AS_OF_CHOICES[int(rng.integers(0, len(AS_OF_CHOICES)))]}


def _data(p: Any) -> dict[str, Any]:
    food = generate_green_food(n_customers=int(p["n_customers"]), seed=int(p["seed"]))
    return {"transactions": food.transactions}


def _scores(p: Any, d: Any):
    return rfm_scores(rfm_table(d["transactions"], p["as_of"]))


EXERCISE = Exercise(
    id="ch05",
    title="用 RFM 分析客户的消费行为",
    chapter="第 5 章 客户的信息",
    notebook="ch05_用RFM分析客户的消费行为.ipynb",
    defaults={"student_id": "示例", "seed": 0, "n_customers": 400, "as_of": "2024-12-31"},
    variant_of_seed=_variant,
    make_data=_data,
    questions=(
        Question("q1", "截止日之前买过东西的客户数", lambda p, d: len(rfm_table(d["transactions"], p["as_of"])),
                 "RFM 表每位买过东西的客户一行；截止日之后的交易不算（教材 5.4.1 节）。",
                 points=2, abs_tol=0.5, rel_tol=0.0),
        Question("q2", "消费总额最高的客户距上次购买的天数",
                 lambda p, d: int(rfm_table(d["transactions"], p["as_of"]).sort_values(
                     "monetary", ascending=False, kind="stable")["recency"].iloc[0]),
                 "R（recency）= 截止日 − 最后一次购买日期，单位天；先找 monetary 最大的客户。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q3", "RFM 代码为 555 的客户数",
                 lambda p, d: int((_scores(p, d)["rfm_code"] == "555").sum()),
                 "五分位打分：R 越近越高，F、M 越大越高，并列取最小名次（rfm_scores 的默认做法）。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q4", "“重要价值客户”的人数",
                 lambda p, d: int((rfm_segments(_scores(p, d)) == "重要价值客户").sum()),
                 "三项得分都 ≥ 3 为“高”；R、F、M 都高的是重要价值客户（教材 5.4.1 节；rfm_segments）。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q5", "R 得分为 5 的客户平均消费总额（元）",
                 lambda p, d: float(_scores(p, d).query("r_score == 5")["monetary"].mean()),
                 "先打分，再取 r_score 等于 5 的客户，求 monetary 的平均值。", points=2),
    ),
)
