"""模拟作答 simulated responses (模拟数据) of a class sitting a paper, for demonstrating item analysis.

Each candidate has an ability θ ~ Normal(0, 1); each item a difficulty b (易 −1, 中 0, 难 +1, plus
Normal(0, 0.3) noise) and a discrimination a ~ Uniform(0.8, 2.0). A candidate gets a right/wrong item
right with the two-parameter logistic probability 1 / (1 + exp(−a(θ − b))); a case item earns each
marking-guide point with that probability. ``miskeyed`` items get a negative a — stronger candidates
"fail" them, as happens when the key is wrong — so the analysis has something to flag.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError, require_int
from .answers import format_answer
from .exam import Exam

__all__ = ["simulate_responses"]

_B = {1: -1.0, 2: 0.0, 3: 1.0}


def simulate_responses(exam: Exam, n_candidates: int = 60, seed: int = 0,
                       miskeyed: int | Sequence[str] = 1) -> pd.DataFrame:
    """模拟一个班的作答 responses of ``n_candidates`` (≥ 2) to ``exam``, in the CSV layout of
    :mod:`crmlab.certification.analytics`: candidate_id, question_id, topic, response, score, max_score.

    ``miskeyed`` is a number of objective items to treat as miskeyed (chosen at random) or their question
    ids; the chosen ids are in ``result.attrs["miskeyed"]``. Deterministic for a seed.
    """
    if not isinstance(exam, Exam):
        raise InputError(f"试卷 exam 必须是 assemble_exam() 的结果，收到 {type(exam).__name__}")
    n = require_int(n_candidates, "考生人数", "n_candidates", minimum=2)
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    objective = [it.question.id for it in exam.items if it.question.type != "case"]
    if isinstance(miskeyed, int) and not isinstance(miskeyed, bool):
        if not 0 <= miskeyed <= len(objective):
            raise InputError(f"答案标错的题数 miskeyed 必须在 0 和 {len(objective)} 之间，收到 {miskeyed}")
        bad = {objective[int(i)] for i in rng.choice(len(objective), size=miskeyed, replace=False)}
    else:
        bad = set(miskeyed)
        unknown = bad - {it.question.id for it in exam.items}
        if unknown:
            raise InputError(f"答案标错的题 miskeyed 不在试卷中 (not on the paper)：{sorted(unknown)}")
    theta = rng.normal(0.0, 1.0, n)
    rows = []
    ids = [f"S{i + 1:03d}" for i in range(n)]
    for it in exam.items:
        q = it.question
        b = _B[q.difficulty] + rng.normal(0.0, 0.3)
        a = rng.uniform(0.8, 2.0) * (-1.0 if q.id in bad else 1.0)
        prob = 1.0 / (1.0 + np.exp(-a * (theta - b)))
        if q.type == "case":
            k = len(q.marking_guide)
            met = rng.binomial(k, prob)
            scores = it.points * met / k
            responses = [f"（模拟作答，答到 {m}/{k} 个要点）" for m in met]
        else:
            right = rng.random(n) < prob
            scores = np.where(right, it.points, 0.0)
            responses = [_response(it, bool(r), rng) for r in right]
        rows.extend({"candidate_id": cid, "question_id": q.id, "topic": q.topic, "response": resp,
                     "score": float(s), "max_score": it.points}
                    for cid, resp, s in zip(ids, responses, scores, strict=True))
    frame = pd.DataFrame(rows)
    frame.attrs["miskeyed"] = sorted(bad)
    return frame


def _response(item: object, right: bool, rng: np.random.Generator) -> str:
    q = item.question  # type: ignore[attr-defined]
    if q.type == "single":
        wrong = [k for k in q.options if k != q.answer]
        return q.answer if right else wrong[int(rng.integers(len(wrong)))]
    if q.type == "multiple":
        if right:
            return format_answer(q, q.answer)
        keys = list(q.options)
        pick = tuple(sorted(rng.choice(keys, size=max(1, len(q.answer) - 1), replace=False)))
        return format_answer(q, pick if pick != q.answer else tuple(keys))
    if q.type == "judge":
        return format_answer(q, q.answer if right else not q.answer)
    expected = item.expected  # type: ignore[attr-defined]
    return format_answer(q, expected if right else expected * float(rng.choice([0.5, 0.8, 1.25, 2.0])))
