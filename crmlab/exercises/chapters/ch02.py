"""第 2 章练习 CRM 的技术: call-centre staffing with Erlang C and the profit-optimal mailing depth."""

from __future__ import annotations

from typing import Any

from ...campaign import mailing_depth, simulate_campaign
from ...service import agents_needed, erlang_c, service_level, traffic_intensity
from ..spec import Exercise, Question
from ._draw import grid, rng_for


def _variant(seed: int) -> dict[str, Any]:
    rng = rng_for(seed, 2)
    calls = int(grid(rng, 120, 400, 10))
    aht = int(grid(rng, 150, 300, 10))
    traffic = calls * aht / 3600
    return {"calls_per_hour": calls, "aht": aht, "agents": int(traffic) + 2, "target_time": 20,
            "target_level": grid(rng, 0.75, 0.90, 0.05), "n_customers": int(grid(rng, 2000, 5000, 500)),
            "contact_cost": grid(rng, 2, 8, 0.5), "margin_per_response": grid(rng, 40, 120, 5)}


def _traffic(p: Any) -> float:
    return traffic_intensity(p["calls_per_hour"], 3600, p["aht"])


def _depth(p: Any, d: Any):
    camp = d["campaign"]
    return mailing_depth(camp["responded"], camp["p_true"], p["contact_cost"], p["margin_per_response"]).best


EXERCISE = Exercise(
    id="ch02",
    title="呼叫中心排班与数据库营销",
    chapter="第 2 章 客户关系管理的技术",
    notebook="ch02_呼叫中心排班与数据库营销.ipynb",
    defaults={"student_id": "示例", "seed": 0, "calls_per_hour": 200, "aht": 180, "agents": 12, "target_time": 20,
              "target_level": 0.8, "n_customers": 3000, "contact_cost": 5.0, "margin_per_response": 80.0},
    variant_of_seed=_variant,
    make_data=lambda p: {"campaign": simulate_campaign(int(p["n_customers"]), int(p["seed"]))},
    questions=(
        Question("q1", "话务量（Erlang）", lambda p, d: _traffic(p),
                 "话务量 = 每小时来电数 × 平均处理时长（秒）÷ 3600（教材 2.3 节 呼叫中心）。", points=1),
        Question("q2", "来电需要排队的概率（Erlang C）", lambda p, d: erlang_c(_traffic(p), p["agents"]),
                 "用 erlang_c(话务量, 座席数)；座席数必须大于话务量（教材 2.3 节）。", points=2),
        Question("q3", "目标时间内接起的比例（服务水平）",
                 lambda p, d: service_level(_traffic(p), p["agents"], p["target_time"], p["aht"]),
                 "服务水平 = 1 − C × exp(−(N − A) × 目标时间 ÷ 平均处理时长)（教材 2.3 节）。", points=2),
        Question("q4", "达到目标服务水平最少需要的座席数",
                 lambda p, d: agents_needed(_traffic(p), p["aht"], p["target_time"], p["target_level"]),
                 "从话务量向上逐个增加座席，直到服务水平达到目标（教材 2.3 节）。", points=2,
                 abs_tol=0.5, rel_tol=0.0),
        Question("q5", "利润最高时应联系的客户数", lambda p, d: _depth(p, d).contacts,
                 "按响应概率从高到低联系客户，利润 = 响应人数 × 每位响应毛利 − 联系人数 × 每人成本，取利润最大处"
                 "（教材 2.2.2 节 数据库营销）。", points=2, abs_tol=0.5, rel_tol=0.0),
        Question("q6", "这时的活动利润（元）", lambda p, d: _depth(p, d).profit,
                 "用 mailing_depth(...) 的 best.profit（教材 2.2.2 节）。", points=1),
    ),
)
