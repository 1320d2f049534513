"""试卷分析 item analysis of a class's answers: how hard each item was, whether it separates strong from
weak candidates, how reliable the paper is, and which topics each candidate should revise.

Input: a responses table (CSV) with one row per candidate × question::

    candidate_id, question_id, response, correct            # correct = 1 / 0
    candidate_id, question_id, response, score, max_score   # marks earned of max_score (case, calc, …)

``topic`` is read from a column if there is one, else looked up in the question bank; ``response`` is optional.

Statistics (N candidates, item score x = marks earned / item marks, total T = Σ marks earned):

* 难度 difficulty p — the mean of x (for right/wrong items: the share who got it right);
* 区分度 discrimination D = p(upper) − p(lower), the upper and lower groups being the top and bottom
  ``round(0.27 N)`` candidates by T (Kelley's 27 %); ties at a group boundary are broken by candidate id;
* 点二列相关 point-biserial r_pb = Pearson correlation of x with T, and the corrected item-total correlation
  with T minus the item's own marks (the item no longer correlates with itself);
* KR-20 = k/(k−1) · (1 − Σ p(1−p) / σ²), σ² the variance of the number-correct score, for right/wrong
  items; Cronbach's α = k/(k−1) · (1 − Σ σ²_item / σ²_T) on the marks, for any items. Variances are
  population variances (divide by N), so α equals KR-20 when every item is right/wrong and worth the same;
* discrimination quality by Ebel & Frisbie (1991): D ≥ 0.40 优, 0.30–0.39 良, 0.20–0.29 尚可（需修改）,
  below 0.20 差; a negative D or corrected correlation flags an item that may be miskeyed.

A correlation is undefined when everyone scored the same on the item; it is then missing (NaN) and the
item's flags say why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .bank import QuestionBank, load_bank

__all__ = [
    "BANDS",
    "ExamAnalysis",
    "analyze_responses",
    "discrimination_quality",
    "group_size",
    "load_responses",
]

#: Score bands of the distribution (percent of the total marks): label → [low, high).
BANDS: dict[str, tuple[float, float]] = {
    "不及格 <60": (0, 60), "及格 60–69": (60, 70), "中等 70–79": (70, 80), "良好 80–89": (80, 90),
    "优秀 ≥90": (90, math.inf),
}
TOO_EASY = 0.9
TOO_HARD = 0.2


def discrimination_quality(d: float) -> str:
    """区分度评价 Ebel & Frisbie (1991): ≥ 0.40 优, 0.30–0.39 良, 0.20–0.29 尚可, < 0.20 差."""
    if d is None or not math.isfinite(d):
        return "无法计算"
    if d >= 0.40:
        return "优"
    if d >= 0.30:
        return "良"
    if d >= 0.20:
        return "尚可"
    return "差"


def group_size(n_candidates: int, fraction: float = 0.27) -> int:
    """高低分组人数 round(fraction × N), at least 1 (halves round up)."""
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction <= 0.5:
        raise InputError(f"高低分组比例 group_fraction 必须在 0 和 0.5 之间 (0, 0.5]，收到 {fraction!r}")
    return max(1, math.floor(fraction * n_candidates + 0.5))


# --- reading --------------------------------------------------------------------------------------------------------

def _row(i: int) -> str:
    return f"第 {i + 2} 行 row {i + 2}"   # CSV line: header is line 1


def load_responses(source: str | Path | pd.DataFrame, bank: QuestionBank | None = None) -> pd.DataFrame:
    """读取作答记录 read and check a responses CSV (or DataFrame).

    Returns columns candidate_id, question_id, topic, response, score, max_score (marks as floats). Raises
    :class:`InputError` naming the row and column of the first problem: a missing column, an empty id, a
    ``correct`` other than 0/1, a score outside [0, max_score], a duplicate candidate × question, or a question
    unknown to the bank when there is no ``topic`` column.
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy()
        name = "responses"
    else:
        p = Path(source)
        if not p.is_file():
            raise InputError(f"作答记录 responses 文件不存在 (not found)：{p}")
        df = pd.read_csv(p, dtype={"candidate_id": str, "question_id": str}, keep_default_na=False)
        name = p.name
    for col in ("candidate_id", "question_id"):
        if col not in df.columns:
            raise InputError(f"{name}: 缺少列 missing column {col}；现有列 columns: {list(df.columns)}")
    if "correct" not in df.columns and "score" not in df.columns:
        raise InputError(f"{name}: 需要 correct (0/1) 列或 score 列 (needs a correct or score column)")
    df = df.reset_index(drop=True)
    for col in ("candidate_id", "question_id"):
        df[col] = df[col].astype(str).str.strip()
        bad = df.index[(df[col] == "") | (df[col] == "nan")]
        if len(bad):
            raise InputError(f"{name} {_row(bad[0])}: 列 {col} 不能为空 (empty)")
    if "correct" in df.columns and "score" not in df.columns:
        c = pd.to_numeric(df["correct"], errors="coerce")
        bad = df.index[~c.isin([0, 1])]
        if len(bad):
            raise InputError(f"{name} {_row(bad[0])}: 列 correct 必须是 0 或 1，收到 {df['correct'].iloc[bad[0]]!r}")
        df["score"] = c.astype(float)
        df["max_score"] = 1.0
    else:
        s = pd.to_numeric(df["score"], errors="coerce")
        if "max_score" in df.columns:
            m = pd.to_numeric(df["max_score"], errors="coerce")
        else:
            m = pd.Series(1.0, index=df.index)
        bad = df.index[~np.isfinite(m) | (m <= 0)]
        if len(bad):
            raise InputError(f"{name} {_row(bad[0])}: 列 max_score 必须是大于 0 的数字，"
                             f"收到 {df['max_score'].iloc[bad[0]]!r}")
        bad = df.index[~np.isfinite(s) | (s < 0) | (s > m + 1e-9)]
        if len(bad):
            limit = "max_score" if "max_score" in df.columns else "1（没有 max_score 列时 score 是 0–1 的得分率）"
            raise InputError(f"{name} {_row(bad[0])}: 列 score 必须在 0 和 {limit} 之间，"
                             f"收到 {df['score'].iloc[bad[0]]!r}")
        df["score"], df["max_score"] = s.astype(float), m.astype(float)
    dup = df.index[df.duplicated(["candidate_id", "question_id"], keep="first")]
    if len(dup):
        r = df.loc[dup[0]]
        raise InputError(f"{name} {_row(dup[0])}: 考生 {r['candidate_id']} 的题目 {r['question_id']} "
                         "重复出现 (duplicate)")
    maxes = df.groupby("question_id")["max_score"].nunique()
    if (maxes > 1).any():
        raise InputError(f"{name}: 题目 {maxes[maxes > 1].index[0]} 的 max_score 前后不一致 (inconsistent)")
    topic = df["topic"].astype(str).str.strip() if "topic" in df.columns else pd.Series("", index=df.index)
    need = df.index[topic == ""]
    if len(need):
        bank = bank if bank is not None else load_bank()
        for i in need:
            qid = df.at[i, "question_id"]
            if qid not in bank.questions:
                raise InputError(f"{name} {_row(i)}: 题目 question_id {qid!r} 不在题库中，又没有给出 topic "
                                 "(unknown question and no topic)")
            topic.at[i] = bank.questions[qid].topic
    df["topic"] = topic
    if "response" not in df.columns:
        df["response"] = ""
    return df[["candidate_id", "question_id", "topic", "response", "score", "max_score"]]


# --- analysis ---------------------------------------------------------------------------------------------------------

def _corr(x: np.ndarray, y: np.ndarray) -> float:
    sx, sy = x.std(), y.std()
    if sx < 1e-12 or sy < 1e-12:
        return float("nan")
    return float(((x - x.mean()) * (y - y.mean())).mean() / (sx * sy))


def _reliability(items: np.ndarray) -> float:
    """k/(k−1) · (1 − Σ var(item) / var(total)), population variances; NaN-free inputs."""
    k = items.shape[1]
    total_var = items.sum(axis=1).var()
    if k < 2 or total_var < 1e-12:
        return float("nan")
    return float(k / (k - 1) * (1.0 - items.var(axis=0).sum() / total_var))


@dataclass(frozen=True)
class ExamAnalysis:
    """试卷分析结果.

    ``items`` — per question: topic, max_score, p, p_upper, p_lower, D, r_pb, r_corrected, quality, flags;
    ``candidates`` — per candidate: score, max_score, percent, passed, rank, weakest_topic, weakest_rate;
    ``topic_rates`` — candidate × topic share of marks; ``class_topics`` — the class per topic, weakest first;
    ``kr20`` (None unless every item is right/wrong) and ``alpha`` (None when every total is the same);
    ``group`` — size of the upper/lower groups.
    """

    items: pd.DataFrame
    candidates: pd.DataFrame
    topic_rates: pd.DataFrame
    class_topics: pd.DataFrame
    kr20: float | None
    alpha: float | None
    group: int
    pass_percent: float

    def flagged(self) -> pd.DataFrame:
        """负区分度的题 items with negative discrimination (D < 0 or corrected r < 0): check their keys."""
        neg = (self.items["D"] < 0) | (self.items["r_corrected"] < 0)
        return self.items[neg]

    def distribution(self) -> pd.DataFrame:
        """分数段 candidates per score band (percent of total marks) and their share."""
        pct = self.candidates["percent"]
        rows = [{"band": label, "candidates": int(((pct >= lo - 1e-9) & (pct < hi - 1e-9)).sum())}
                for label, (lo, hi) in BANDS.items()]
        table = pd.DataFrame(rows).set_index("band")
        table["share"] = table["candidates"] / len(pct)
        return table

    def score_summary(self) -> pd.Series:
        """成绩概况 count, mean, standard deviation (population), min, quartiles, max of the percent scores,
        and the pass rate."""
        pct = self.candidates["percent"]
        return pd.Series({"考生数 candidates": float(len(pct)), "平均分 mean %": pct.mean(),
                          "标准差 sd %": pct.std(ddof=0), "最低 min %": pct.min(),
                          "下四分位 Q1 %": pct.quantile(0.25), "中位数 median %": pct.median(),
                          "上四分位 Q3 %": pct.quantile(0.75), "最高 max %": pct.max(),
                          "及格率 pass rate": float(self.candidates["passed"].mean())})

    def __repr__(self) -> str:
        kr = "—" if self.kr20 is None else f"{self.kr20:.3f}"
        return (f"ExamAnalysis({len(self.candidates)} 位考生, {len(self.items)} 道题, KR-20 = {kr}, "
                f"α = {'—' if self.alpha is None else format(self.alpha, '.3f')}, 负区分度 {len(self.flagged())} 题)")


def analyze_responses(responses: str | Path | pd.DataFrame, bank: QuestionBank | None = None, *,
                      group_fraction: float = 0.27, pass_percent: float = 60.0,
                      missing: str = "error") -> ExamAnalysis:
    """试卷分析 item analysis of a responses CSV/DataFrame (see the module docstring for the statistics).

    Every candidate should have a row for every question; with ``missing="zero"`` an absent row counts as a
    blank answer (0 marks), with ``"error"`` (default) it raises :class:`InputError` naming the candidate and
    question. ``pass_percent`` is the pass mark in % of the total marks.
    """
    df = load_responses(responses, bank)
    if missing not in ("error", "zero"):
        raise InputError(f"缺失处理 missing 只能是 'error' 或 'zero'，收到 {missing!r}")
    if isinstance(pass_percent, bool) or not isinstance(pass_percent, int | float) or not 0 < pass_percent <= 100:
        raise InputError(f"及格线 pass_percent 必须在 0 和 100 之间，收到 {pass_percent!r}")
    questions = list(dict.fromkeys(df["question_id"]))
    candidates = sorted(dict.fromkeys(df["candidate_id"]))
    if len(candidates) < 2:
        raise InputError(f"试卷分析至少需要 2 位考生 (at least 2 candidates)，收到 {len(candidates)} 位")
    marks = df.pivot(index="candidate_id", columns="question_id", values="score").reindex(
        index=candidates, columns=questions)
    holes = np.argwhere(marks.isna().to_numpy())
    if len(holes) and missing == "error":
        c, q = holes[0]
        raise InputError(f"考生 {candidates[c]} 没有题目 {questions[q]} 的作答记录 (missing row)；"
                         f"共缺 {len(holes)} 条，可用 missing='zero' 按未作答计 0 分")
    marks = marks.fillna(0.0)
    item_max = df.groupby("question_id")["max_score"].first().reindex(questions)
    topic_of = df.groupby("question_id")["topic"].first().reindex(questions)
    M = marks.to_numpy(dtype=float)                     # marks earned, N × k
    X = M / item_max.to_numpy()                          # share of the item's marks, 0–1
    T = M.sum(axis=1)
    n = len(candidates)
    g = group_size(n, group_fraction)
    order = sorted(range(n), key=lambda i: (-T[i], candidates[i]))   # best first; ties by candidate id
    upper, lower = order[:g], order[-g:]
    rows = []
    for j, q in enumerate(questions):
        x = X[:, j]
        p_u, p_l = float(x[upper].mean()), float(x[lower].mean())
        r_pb = _corr(x, T)
        r_c = _corr(x, T - M[:, j])
        flags = []
        if x.std() < 1e-12:
            flags.append("所有人得分相同，无法区分 (no variance)")
        if p_u - p_l < 0 or (math.isfinite(r_c) and r_c < 0):
            flags.append("负区分度：高分组反而得分更低，请检查答案是否标错 "
                         "(negative discrimination — possibly miskeyed)")
        p = float(x.mean())
        if p > TOO_EASY:
            flags.append("过易 too easy")
        elif p < TOO_HARD:
            flags.append("过难 too hard")
        rows.append({"question_id": q, "topic": topic_of[q], "max_score": float(item_max[q]), "p": p,
                     "p_upper": p_u, "p_lower": p_l, "D": p_u - p_l, "r_pb": r_pb, "r_corrected": r_c,
                     "quality": discrimination_quality(p_u - p_l), "flags": "；".join(flags)})
    items = pd.DataFrame(rows).set_index("question_id")
    dichotomous = bool(np.isin(X, (0.0, 1.0)).all())
    kr20 = _reliability(X) if dichotomous else None
    if kr20 is not None and not math.isfinite(kr20):
        kr20 = None
    alpha = _reliability(M)
    total_max = float(item_max.sum())
    # per topic: marks earned / marks available
    topics = sorted(dict.fromkeys(topic_of))
    earned = pd.DataFrame({t: M[:, (topic_of == t).to_numpy()].sum(axis=1) for t in topics}, index=candidates)
    avail = pd.Series({t: float(item_max[(topic_of == t).to_numpy()].sum()) for t in topics})
    rates = earned / avail
    weakest = rates.idxmin(axis=1)   # first topic in id order when tied
    cand = pd.DataFrame({"score": T, "max_score": total_max, "percent": 100.0 * T / total_max}, index=candidates)
    cand["passed"] = cand["percent"] >= pass_percent - 1e-9
    cand["rank"] = cand["score"].rank(ascending=False, method="min").astype(int)
    cand["weakest_topic"] = weakest
    cand["weakest_rate"] = [rates.loc[c, t] for c, t in weakest.items()]
    cand.index.name = "candidate_id"
    class_topics = pd.DataFrame({"questions": [int((topic_of == t).sum()) for t in topics],
                                 "marks": avail.to_numpy(), "rate": (earned.sum() / (avail * n)).to_numpy()},
                                index=pd.Index(topics, name="topic"))
    class_topics = class_topics.sort_values("rate", kind="stable")
    rates.index.name = "candidate_id"
    return ExamAnalysis(items, cand, rates, class_topics, kr20, alpha if math.isfinite(alpha) else None,
                        g, float(pass_percent))
