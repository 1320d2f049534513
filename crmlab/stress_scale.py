"""知觉压力量表 Perceived Stress Scale, 10-item version (PSS-10): items, scoring and the commonly used bands.

Sources:

* Cohen, S., Kamarck, T., & Mermelstein, R. (1983). A global measure of perceived stress. *Journal of Health and
  Social Behavior*, 24(4), 385–396 — the scale (14 items).
* Cohen, S., & Williamson, G. (1988). Perceived stress in a probability sample of the United States. In S. Spacapan
  & S. Oskamp (Eds.), *The Social Psychology of Health* (pp. 31–67). Newbury Park, CA: Sage — the 10-item version.
* A published Chinese version, the 14-item 中文版知觉压力量表 (CPSS), was used by 杨廷忠、黄汉腾 (2003).
  社会转型中城市居民心理压力的流行病学研究. 中华流行病学杂志, 24(9), 760–764. Its wording is not reproduced
  here: the items below are the workbook's own Chinese rendering of the ten English items, in their order.

Scoring (Cohen's): each answer 0 = 从不 never … 4 = 非常频繁 very often; the four positively worded items 4, 5, 7
and 8 are reverse-scored (4 − answer); the total is the sum, 0–40, higher = more perceived stress. The bands
0–13 低, 14–26 中等, 27–40 较高 are a commonly used convention for reading a score, not clinical cut-offs set
by the authors; the PSS is not a diagnostic instrument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_int

__all__ = [
    "PSS10_ITEMS",
    "PSS_BANDS",
    "PSS_COLUMNS",
    "PSS_STEM",
    "RESPONSE_LABELS",
    "REVERSED_ITEMS",
    "PssItem",
    "PssResult",
    "pss_band",
    "score_pss10",
    "score_pss10_table",
    "simulate_pss10_answers",
]

#: Answer options, 0–4.
RESPONSE_LABELS: dict[int, str] = {0: "从不", 1: "几乎不", 2: "有时", 3: "比较频繁", 4: "非常频繁"}
#: The positively worded items, reverse-scored (Cohen & Williamson 1988).
REVERSED_ITEMS: tuple[int, ...] = (4, 5, 7, 8)
#: Commonly used bands for reading a PSS-10 total (not clinical cut-offs).
PSS_BANDS: tuple[tuple[int, int, str], ...] = ((0, 13, "低"), (14, 26, "中等"), (27, 40, "较高"))
#: Column names of a table of answers (one row per respondent), see :func:`score_pss10_table`.
PSS_COLUMNS: tuple[str, ...] = tuple(f"item{i}" for i in range(1, 11))


@dataclass(frozen=True)
class PssItem:
    """量表的一题 one item: number (1–10), the workbook's Chinese rendering, a short English gloss, reversed?"""

    number: int
    text: str
    gloss: str
    reversed: bool


#: The stem every item completes.
PSS_STEM = "在过去一个月里，你有多少时候"
#: The ten items, in the order of the PSS-10; ``text`` completes the stem "在过去一个月里，你有多少时候……".
PSS10_ITEMS: tuple[PssItem, ...] = tuple(PssItem(n, text, gloss, n in REVERSED_ITEMS) for n, text, gloss in (
    (1, "因为一件意料之外的事而心烦意乱？", "upset by something unexpected"),
    (2, "觉得自己没法掌控生活中那些重要的事？", "unable to control important things"),
    (3, "感到神经紧绷、“压力山大”？", "nervous and stressed"),
    (4, "对自己处理个人问题的能力感到有把握？", "confident in handling personal problems"),
    (5, "觉得事情正朝着自己希望的方向发展？", "things going your way"),
    (6, "发现自己应付不过来所有必须做的事？", "could not cope with all you had to do"),
    (7, "能够管住生活中那些让人烦躁的事？", "able to control irritations"),
    (8, "觉得一切都在自己的把握之中？", "on top of things"),
    (9, "因为一些自己控制不了的事而发火？", "angered by things outside your control"),
    (10, "觉得难题越堆越多、自己已经无力应对？", "difficulties piling up beyond overcoming"),
))


def pss_band(total: float) -> str:
    """压力水平 the commonly used band of a PSS-10 total (0–40): 低 (0–13), 中等 (14–26), 较高 (27–40)."""
    t = require_finite(total, "量表总分", "total")
    if t != int(t) or not 0 <= t <= 40:
        raise InputError(f"量表总分 total 必须是 0–40 的整数，收到 {total!r}")
    return next(name for low, high, name in PSS_BANDS if low <= t <= high)


def _answer(value: object, item: int) -> int:
    label = f"第 {item} 题的回答"
    if isinstance(value, np.generic):
        value = value.item()
    a = require_int(value, label, f"answer to item {item}", minimum=0)
    if a > 4:
        raise InputError(f"{label} answer to item {item} 必须是 0–4 的整数 "
                         f"(0 = {RESPONSE_LABELS[0]} … 4 = {RESPONSE_LABELS[4]})，收到 {value!r}")
    return a


@dataclass(frozen=True)
class PssResult:
    """量表得分 the answers, the item scores after reverse-scoring, the total (0–40) and its band."""

    answers: tuple[int, ...]
    item_scores: tuple[int, ...]
    total: int
    band: str

    def __repr__(self) -> str:
        return f"PssResult(总分 {self.total}/40，压力水平 {self.band})"


def score_pss10(answers: Sequence[int] | Mapping[int, int]) -> PssResult:
    """知觉压力量表计分 score one PSS-10 questionnaire.

    ``answers``: ten answers 0–4 in item order (a list), or a mapping ``{item number 1–10: answer}`` with all ten
    items. Items 4, 5, 7 and 8 are reverse-scored (4 − answer); the total (0–40) is the sum of the item scores; the
    band follows :data:`PSS_BANDS`. A missing, extra or out-of-range answer raises :class:`InputError` naming the
    item and the value received.
    """
    if isinstance(answers, Mapping):
        keys = list(answers)
        bad = [k for k in keys if isinstance(k, bool) or k not in range(1, 11)]
        if bad:
            raise InputError(f"题号 item 必须是 1–10，收到 {bad[0]!r}")
        missing = [i for i in range(1, 11) if i not in answers]
        if missing:
            raise InputError(f"知觉压力量表 PSS-10 必须回答全部 10 题，缺少第 {missing[0]} 题 (item {missing[0]} "
                             f"missing)")
        raw = [answers[i] for i in range(1, 11)]
    elif isinstance(answers, (str, bytes)) or not isinstance(answers, (Sequence, np.ndarray, pd.Series)):
        raise InputError(f"回答 answers 必须是 10 个 0–4 的整数组成的列表 (a list of 10 answers)，收到 {answers!r}")
    else:
        raw = list(answers)
        if len(raw) != 10:
            raise InputError(f"知觉压力量表 PSS-10 必须有 10 个回答 (10 answers)，收到 {len(raw)} 个")
    values = tuple(_answer(v, i + 1) for i, v in enumerate(raw))
    scores = tuple(4 - a if i + 1 in REVERSED_ITEMS else a for i, a in enumerate(values))
    total = sum(scores)
    return PssResult(answers=values, item_scores=scores, total=total, band=pss_band(total))


def score_pss10_table(table: pd.DataFrame) -> pd.DataFrame:
    """知觉压力量表批量计分 score many questionnaires: one row per respondent, columns :data:`PSS_COLUMNS`
    (``item1`` … ``item10``, answers 0–4). Returns a table with the same index and columns ``total`` (0–40) and
    ``band``. An error names the row (1-based) and the column."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"回答表 table 必须是 pandas DataFrame，收到 {type(table).__name__}")
    missing = [c for c in PSS_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"回答表 table 缺少列 missing columns {missing}（需要 item1 … item10）")
    if table.empty:
        raise InputError("回答表 table 不能为空 (empty)")
    values = table[list(PSS_COLUMNS)]
    numeric = values.apply(pd.to_numeric, errors="coerce")
    ok = numeric.isin([0, 1, 2, 3, 4]) & values.map(lambda v: not isinstance(v, bool))
    if not ok.to_numpy().all():
        r, c = map(int, np.argwhere(~ok.to_numpy())[0])
        got = values.iloc[r, c]
        got = got.item() if isinstance(got, np.generic) else got
        raise InputError(f"回答表 table 第 {r + 1} 行、列 {PSS_COLUMNS[c]} 必须是 0–4 的整数，收到 {got!r}")
    arr = numeric.to_numpy(dtype=int)
    rev = np.array([i + 1 in REVERSED_ITEMS for i in range(10)])
    totals = np.where(rev, 4 - arr, arr).sum(axis=1)
    return pd.DataFrame({"total": totals, "band": [pss_band(int(t)) for t in totals]}, index=table.index)


def simulate_pss10_answers(respondents: int, seed: int = 0, mean_level: float = 1.6,
                           spread: float = 0.6, noise: float = 0.7) -> pd.DataFrame:
    """模拟问卷 simulated PSS-10 answers (模拟数据) for ``respondents`` people, reproducible by ``seed``.

    Each person has a stress level L ~ Normal(``mean_level``, ``spread``) on the 0–4 answer scale; each answer is
    round(L + e) for the six negatively worded items and round(4 − L + e) for the four reversed items, with
    e ~ Normal(0, ``noise``), clipped to 0–4. Columns :data:`PSS_COLUMNS`; index ``respondent`` 1…n.
    """
    n = require_int(respondents, "人数", "respondents", minimum=1)
    mu = require_finite(mean_level, "平均压力水平", "mean_level")
    sd = require_finite(spread, "个体差异", "spread")
    e_sd = require_finite(noise, "回答噪声", "noise")
    if sd < 0 or e_sd < 0:
        raise InputError(f"标准差 spread / noise 不能为负数，收到 spread={spread!r}, noise={noise!r}")
    rng = np.random.default_rng(seed)
    level = rng.normal(mu, sd, size=(n, 1))
    rev = np.array([i + 1 in REVERSED_ITEMS for i in range(10)])
    centre = np.where(rev, 4.0 - level, level)
    answers = np.clip(np.rint(centre + rng.normal(0.0, e_sd, size=(n, 10))), 0, 4).astype(int)
    return pd.DataFrame(answers, columns=list(PSS_COLUMNS),
                        index=pd.RangeIndex(1, n + 1, name="respondent"))
