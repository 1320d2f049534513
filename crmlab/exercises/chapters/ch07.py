"""第 7 章练习 客户的沟通: the complaint iceberg and a complaint log."""

from __future__ import annotations

from typing import Any

from ...complaint_data import generate_complaints
from ...complaints import complaint_iceberg, complaint_summary
from ..spec import Exercise, Question
from ._draw import grid, rng_for


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 7)
    return {"complaints": int(grid(rng, 50, 400, 10)), "voice_rate": grid(rng, 0.04, 0.10, 0.01),
            "word_of_mouth": grid(rng, 8, 15, 1), "resolved_share": grid(rng, 0.5, 0.9, 0.05),
            "sla_hours": int(grid(rng, 24, 72, 12))}


def _iceberg(p: Any):
    return complaint_iceberg(p["complaints"], p["voice_rate"], p["word_of_mouth"], p["resolved_share"])


def _summary(p: Any, d: Any):
    return complaint_summary(d["log"], sla_hours=p["sla_hours"])


EXERCISE = Exercise(
    id="ch07",
    title="投诉冰山与投诉记录分析",
    chapter="第 7 章 客户的沟通",
    notebook="ch07_投诉冰山与投诉记录分析.ipynb",
    defaults={"student_id": "示例", "seed": 0, "complaints": 120, "voice_rate": 0.05, "word_of_mouth": 10,
              "resolved_share": 0.7, "sla_hours": 48},
    variant_of_seed=_variant,
    make_data=lambda p: {"log": generate_complaints(seed=int(p["seed"]))},
    questions=(
        Question("q1", "不满意的客户总数", lambda p, d: _iceberg(p).unhappy,
                 "投诉只是冰山一角：不满意的客户数 = 投诉数 ÷ 投诉率（教材 7.4.2 节）。", points=2),
        Question("q2", "没有开口投诉的不满意客户数", lambda p, d: _iceberg(p).silent,
                 "沉默的不满意客户 = 不满意客户总数 − 投诉数。", points=2),
        Question("q3", "听到负面口碑的人数", lambda p, d: _iceberg(p).negative_told,
                 "仍不满意的人 = 沉默者 + 投诉未解决者；每人告诉 word_of_mouth 个人。", points=2),
        Question("q4", "投诉记录中在时限内处理完的比例", lambda p, d: _summary(p, d).within_sla_share,
                 "用 complaint_summary(log, sla_hours=...) 的 within_sla_share（教材 7.4.4 节）。", points=2),
        Question("q5", "投诉最多的类别", lambda p, d: str(_summary(p, d).by_category.index[0]),
                 "看 complaint_summary(...).by_category 排在第一的类别（字符串）。", points=2, kind="text"),
    ),
)
