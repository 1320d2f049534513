"""第 1 章练习 客户终生价值与客户状态: margin multiple, CLV, expected lifetime, and the 梁燕冰 green-food states."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...datasets import generate_green_food
from ...lifecycle import GREEN_FOOD_APP, classify_states, state_counts
from ...value import clv_closed_form, expected_lifetime, margin_multiple
from ..spec import Exercise, Question
from ._draw import grid, rng_for

AS_OF = "2024-12-31"


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 1)
    return {
        "margin": grid(rng, 200, 800, 10),
        "retention": grid(rng, 0.60, 0.90, 0.01),
        "discount": grid(rng, 0.06, 0.15, 0.01),
        "acquisition_cost": grid(rng, 100, 400, 10),
        "n_customers": int(grid(rng, 300, 600, 50)),
    }


def _data(p: Any) -> dict[str, Any]:
    food = generate_green_food(n_customers=int(p["n_customers"]), seed=int(p["seed"]))
    states = classify_states(food.customers, food.transactions, AS_OF, GREEN_FOOD_APP)
    spend = food.transactions.groupby("customer_id")["amount"].sum()
    return {"customers": food.customers, "transactions": food.transactions, "states": states,
            "top_spender": str(spend.idxmax()), "as_of": pd.Timestamp(AS_OF)}


def _count(state: str):
    return lambda p, d: int(state_counts(d["states"], GREEN_FOOD_APP)[state])


EXERCISE = Exercise(
    id="ch01",
    title="客户终生价值与客户状态",
    chapter="第 1 章 客户关系管理的理念",
    notebook="ch01_客户终生价值与客户状态.ipynb",
    defaults={"student_id": "示例", "seed": 0, "margin": 500.0, "retention": 0.8, "discount": 0.1,
              "acquisition_cost": 300.0, "n_customers": 400},
    variant_of_seed=_variant,
    make_data=_data,
    questions=(
        Question("q1", "利润乘数 margin multiple",
                 lambda p, d: margin_multiple(p["retention"], p["discount"]),
                 "利润乘数 = r / (1 + d − r)，r 是保留率，d 是折现率（教材 1.1.1 节“客户的终生价值”）。", points=2),
        Question("q2", "扣除获取成本后的客户终生价值 CLV（元）",
                 lambda p, d: clv_closed_form(p["margin"], p["retention"], p["discount"], p["acquisition_cost"]),
                 "CLV = 每年毛利 × 利润乘数 − 获取成本；毛利在每年年末到账（教材 1.1.1 节）。", points=2),
        Question("q3", "预期客户寿命（年）",
                 lambda p, d: expected_lifetime(p["retention"]),
                 "每年流失的概率是 1 − r，平均要过 1 / (1 − r) 年才流失（教材 1.1.1 节）。", points=1),
        Question("q4", "截至 2024-12-31 的流失客户人数",
                 _count("流失客户"),
                 "流失客户：以前买过、但最近 90 天没有购买（教材 1.4.2 节 图1-1 客户的状态；梁燕冰 模块一）。",
                 points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q5", "截至 2024-12-31 的 VIP 客户人数",
                 _count("VIP客户"),
                 "VIP 客户：最近 90 天消费超过 500 元，优先于新/老客户判断（梁燕冰 模块一 任务一）。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q6", "累计消费最多的客户当前的状态",
                 lambda p, d: str(d["states"].loc[d["top_spender"], "state"]),
                 "先按客户汇总全部消费额找出最多的那位，再看他最近 90 天的购买（教材 1.4.2 节）。", points=1,
                 kind="text"),
    ),
)
