"""第 8 章练习 客户的满意: NPS with its interval, a weighted CSI and the Kano table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...satisfaction import csi, kano_category, nps, nps_interval
from ..spec import Exercise, Question
from ._draw import grid, rng_for

ITEMS = ("商品新鲜", "配送准时", "价格合理", "客服态度")


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 8)
    w = rng.dirichlet([4, 4, 4, 4])
    w = np.round(w, 2)
    w[-1] = round(1 - w[:-1].sum(), 2)
    return {"n_respondents": int(grid(rng, 80, 200, 10)), "weights": [float(x) for x in w],
            "functional": int(rng.integers(1, 6)), "dysfunctional": int(rng.integers(1, 6))}


def _data(p: Any) -> dict[str, Any]:
    rng = rng_for(int(p["seed"]), 88)
    n = int(p["n_respondents"])
    recommend = np.clip(np.round(rng.normal(7.6, 2.0, n)), 0, 10).astype(int)
    base = rng.normal(0, 0.8, n)
    survey = pd.DataFrame({item: np.clip(np.round(3.7 + shift + base + rng.normal(0, 0.7, n)), 1, 5).astype(int)
                           for item, shift in zip(ITEMS, (0.3, -0.2, -0.4, 0.1), strict=True)})
    return {"recommend": recommend, "survey": survey}


EXERCISE = Exercise(
    id="ch08",
    title="净推荐值、满意度指数与 Kano 分类",
    chapter="第 8 章 客户的满意",
    notebook="ch08_净推荐值满意度指数与Kano.ipynb",
    defaults={"student_id": "示例", "seed": 0, "n_respondents": 120, "weights": [0.4, 0.3, 0.2, 0.1],
              "functional": 1, "dysfunctional": 5},
    variant_of_seed=_variant,
    make_data=_data,
    questions=(
        Question("q1", "净推荐值 NPS", lambda p, d: nps(d["recommend"]),
                 "NPS = 推荐者（9—10 分）比例 − 贬损者（0—6 分）比例，乘以 100（教材 8.1.3 节）。",
                 points=2, abs_tol=0.05, rel_tol=0.0),
        Question("q2", "NPS 95% 置信区间的下限", lambda p, d: nps_interval(d["recommend"], 0.95).lower,
                 "用 nps_interval(answers, 0.95)；区间来自推荐者与贬损者比例之差的方差（正态近似）。", points=2,
                 abs_tol=0.05, rel_tol=0.0),
        Question("q3", "加权满意度指数 CSI（0—100）",
                 lambda p, d: csi(d["survey"], dict(zip(ITEMS, p["weights"], strict=True))).index,
                 "每项平均分换算到 0—100（1 分 = 0，5 分 = 100），再按权重加权（教材 8.1.3 节）。", points=3),
        Question("q4", "这一对 Kano 回答属于哪一类（A/O/M/I/R/Q）",
                 lambda p, d: kano_category(p["functional"], p["dysfunctional"]),
                 "查 Kano 评价表：行是“有这个功能时”的回答，列是“没有时”的回答（教材 8.2.1 节 客户期望；Kano 模型）。",
                 points=3,
                 kind="text"),
    ),
)
