"""第 3 章练习 客户的选择: profit per business account, the whale curve, and a weighted selection score."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...datasets import generate_b2b_accounts
from ...segmentation import customer_profit, whale_curve
from ...selection import selection_score
from ..spec import Exercise, Question
from ._draw import grid, rng_for

CRITERIA = ("规模", "成长性", "信用", "匹配度")


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 3)
    return {
        "n_accounts": int(grid(rng, 200, 500, 50)),
        "w_size": grid(rng, 0.1, 0.4, 0.05),
        "w_growth": grid(rng, 0.1, 0.4, 0.05),
        "w_credit": grid(rng, 0.1, 0.4, 0.05),
        "w_fit": grid(rng, 0.1, 0.4, 0.05),
    }


def _data(p: Any) -> dict[str, Any]:
    accounts = generate_b2b_accounts(int(p["n_accounts"]), int(p["seed"]))
    rng = rng_for(int(p["seed"]), 33)
    candidates = pd.DataFrame(rng.integers(3, 11, size=(6, len(CRITERIA))), columns=list(CRITERIA),
                              index=pd.Index([f"候选{c}" for c in "ABCDEF"], name="candidate"))
    return {"accounts": accounts, "candidates": candidates}


def _profit(d: Any) -> np.ndarray:
    a = d["accounts"]
    return customer_profit(a["gross_margin"], order_handling=a["order_cost"], service_contacts=a["service_cost"],
                           returns=a["returns"], payment_terms=a["payment_cost"])


def _scores(p: Any, d: Any) -> pd.DataFrame:
    weights = {"规模": p["w_size"], "成长性": p["w_growth"], "信用": p["w_credit"], "匹配度": p["w_fit"]}
    return selection_score(d["candidates"], weights)


EXERCISE = Exercise(
    id="ch03",
    title="客户利润与客户选择",
    chapter="第 3 章 客户的选择",
    notebook="ch03_客户利润与客户选择.ipynb",
    defaults={"student_id": "示例", "seed": 0, "n_accounts": 300, "w_size": 0.25, "w_growth": 0.25,
              "w_credit": 0.25, "w_fit": 0.25},
    variant_of_seed=_variant,
    make_data=_data,
    questions=(
        Question("q1", "亏损的企业客户数",
                 lambda p, d: int((_profit(d) < 0).sum()),
                 "客户利润 = 毛利 − 订单处理、服务、退货、账期成本；数一数小于 0 的"
                 "（教材 3.2.2 节 大客户不等于好客户）。",
                 points=2, abs_tol=0.5, rel_tol=0.0),
        Question("q2", "全部客户的利润总额（元）",
                 lambda p, d: float(_profit(d).sum()),
                 "用 customer_profit 算出每家客户的利润再求和（教材 3.1.2 节）。", points=2),
        Question("q3", "鲸鱼曲线的最高点（累计利润占总利润的比例）",
                 lambda p, d: float(whale_curve(_profit(d))["profit_share"].max()),
                 "按利润从高到低累加，最高点出现在最后一家盈利客户处，通常超过 1（教材 3.1.2 节；鲸鱼曲线）。",
                 points=2),
        Question("q4", "利润最高的客户编号",
                 lambda p, d: str(d["accounts"].loc[int(np.argmax(_profit(d))), "account_id"]),
                 "找利润最大的一行，答它的 account_id（字符串）。", points=1, kind="text"),
        Question("q5", "加权评分最高的候选客户",
                 lambda p, d: str(_scores(p, d).index[0]),
                 "每项评分乘以权重再相加（权重先归一化），分数最高者优先（教材 3.3 节 选择客户的指导思想）。",
                 points=1, kind="text"),
        Question("q6", "该候选客户的加权得分（0—10 分）",
                 lambda p, d: float(_scores(p, d)["score"].iloc[0]),
                 "用 selection_score(candidates, weights)，看 score 列（教材 3.3 节）。", points=2),
    ),
)
