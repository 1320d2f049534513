"""判分 marking one response: read what the student gave, compare it with the key, explain.

Rules (the usual ones of vocational certification papers):

* 单项选择题 single — one option key; right or wrong.
* 多项选择题 multiple — the exact set of keys; choosing too many or too few scores nothing (多选、少选均不得分).
* 判断题 judge — true/false (对/错, 正确/错误, √/×, T/F are read too).
* 计算题 calc — a number within the question's relative tolerance of the calculator's result
  (:func:`crmlab.certification.generators.check_calc`).
* 案例分析题 case — no automatic key: the student compares the answer with the marking guide and gives
  the marks (self-assessment, or a trainer's marks); until then the feedback is ``pending``.

A blank response (None, empty text or an empty selection) scores 0 and is shown as （未作答）.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from .bank import Question
from .generators import check_calc, expected_answer

__all__ = ["BLANK", "Feedback", "format_answer", "format_number", "mark", "normalize_response", "self_assessed_score"]

BLANK = "（未作答）"
_TRUE = {"true", "t", "yes", "y", "1", "对", "正确", "是", "√", "✓", "✔"}
_FALSE = {"false", "f", "no", "n", "0", "错", "错误", "否", "×", "✗", "✘", "x"}


@dataclass(frozen=True)
class Feedback:
    """判分结果 the outcome of one response.

    ``correct`` is None for a case question (marked against the guide, not a key). ``score`` and ``max_score``
    are marks; ``pending`` is true while a case question waits for its self-assessed marks.
    """

    question_id: str
    correct: bool | None
    expected: str
    received: str
    explanation: str
    score: float
    max_score: float
    marking_guide: tuple[str, ...] = ()
    pending: bool = False

    @property
    def verdict(self) -> str:
        """结论 回答正确 / 回答错误 / 待自评 / 已自评 …"""
        if self.pending:
            return "请对照评分要点自评 (self-assess against the marking guide)"
        if self.correct is None:
            return f"自评得分 {format_number(self.score)} / {format_number(self.max_score)} 分"
        return "回答正确 ✔" if self.correct else "回答错误 ✘"

    def __repr__(self) -> str:
        return (f"Feedback({self.question_id}: {self.verdict}；正确答案 {self.expected}；你的答案 {self.received}；"
                f"得分 {format_number(self.score)}/{format_number(self.max_score)})")


def format_number(x: float, digits: int = 2) -> str:
    """A number as a student reads it: thousands separators, at most ``digits`` decimals, no trailing zeros."""
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        return str(x)
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_blank(response: object) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, list | tuple | set | frozenset):
        return len(response) == 0
    return False


def _keys(question: Question, response: object) -> list[str]:
    if isinstance(response, str):
        text = unicodedata.normalize("NFKC", response).upper()
        parts = [c for c in re.sub(r"[\s,;，、；/]+", "", text)]
    elif isinstance(response, list | tuple | set | frozenset):
        parts = [unicodedata.normalize("NFKC", str(k)).strip().upper() for k in response]
    else:
        raise InputError(f"题目 {question.id}: 选择题的答案必须是选项字母，如 'B' 或 ['A', 'C']，收到 {response!r}")
    bad = [k for k in parts if k not in question.options]
    if bad:
        raise InputError(f"题目 {question.id}: 选项 {bad} 不存在 (not an option)；可选 {', '.join(question.options)}")
    return parts


def normalize_response(question: Question, response: object) -> Any:
    """Read ``response`` for ``question``: a key (single), a sorted tuple of keys (multiple), a bool (judge),
    a float (calc) or the text (case); None when blank. Raises :class:`InputError` when it cannot be read."""
    if _is_blank(response):
        return None
    t = question.type
    if t == "single":
        keys = _keys(question, response)
        if len(set(keys)) != 1:
            raise InputError(f"题目 {question.id}: 单项选择题只能选一个选项 (exactly one)，收到 {response!r}")
        return keys[0]
    if t == "multiple":
        return tuple(sorted(set(_keys(question, response))))
    if t == "judge":
        if isinstance(response, bool):
            return response
        word = unicodedata.normalize("NFKC", str(response)).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InputError(f"题目 {question.id}: 判断题请回答 对 或 错 (true/false)，收到 {response!r}")
    if t == "calc":
        from .generators import parse_number

        return parse_number(response, question.unit)
    return str(response).strip()


def format_answer(question: Question, answer: Any) -> str:
    """A key, keys, bool or number written the way the paper shows it (B; A、C; 正确; 1,234.5 元)."""
    if answer is None:
        return BLANK
    if question.type == "single":
        return f"{answer}"
    if question.type == "multiple":
        return "、".join(answer)
    if question.type == "judge":
        return "正确（√）" if answer else "错误（×）"
    if question.type == "calc":
        unit = question.unit
        return f"{format_number(float(answer))}{unit if unit == '%' else (' ' + unit if unit else '')}"
    return str(answer)


def self_assessed_score(question: Question, met: float | Iterable[int], points: float | None = None) -> float:
    """自评得分 marks for a case answer: either a number of marks (0 … points) or the 0-based indices of the
    marking-guide points the answer covered (each guide point is worth points / number of points)."""
    total = float(points if points is not None else (question.points or 1.0))
    if isinstance(met, bool):
        raise InputError(f"自评得分 self-assessed score 必须是分数或要点序号，收到 {met!r}")
    if isinstance(met, int | float):
        if not 0 <= met <= total:
            raise InputError(f"自评得分 self-assessed score 必须在 0 和 {format_number(total)} 之间，收到 {met!r}")
        return float(met)
    idx = list(met)
    n = len(question.marking_guide)
    bad = [i for i in idx if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
    if bad or len(set(idx)) != len(idx):
        raise InputError(f"评分要点序号 marking-guide indices 必须是 0…{n - 1} 且不重复，收到 {idx}")
    return total * len(idx) / n if n else 0.0


def mark(question: Question, response: object, *, params: Mapping[str, float] | None = None,
         points: float | None = None, self_score: float | Iterable[int] | None = None) -> Feedback:
    """判分 mark ``response`` to ``question``.

    ``params`` are the drawn values of a calc question (required for calc). ``points`` is what the question
    is worth (default 1, or the question's own ``points`` for a case). For a case question pass ``self_score``
    (marks, or the indices of the guide points covered) once the student has compared the answer with the
    guide; without it the feedback is ``pending``.
    """
    worth = float(points if points is not None else (question.points if question.type == "case" else 1.0))
    value = normalize_response(question, response)
    received = format_answer(question, value) if question.type != "case" else (value or BLANK)
    if question.type == "case":
        pending = self_score is None
        score = 0.0 if pending else self_assessed_score(question, self_score, worth)  # type: ignore[arg-type]
        return Feedback(question.id, None, "见评分要点 (see the marking guide)", received, question.explanation,
                        score, worth, question.marking_guide, pending)
    if question.type == "calc":
        if params is None:
            raise InputError(f"题目 {question.id}: 计算题判分需要本次抽到的参数 params")
        expected = expected_answer(question, params)
        correct = value is not None and check_calc(question, params, value).correct
        tol = f"（允许相对误差 ±{question.tolerance:.1%}）"
        return Feedback(question.id, bool(correct), format_answer(question, expected) + tol, received,
                        question.explanation, worth if correct else 0.0, worth)
    correct = value is not None and value == question.answer
    return Feedback(question.id, bool(correct), format_answer(question, question.answer), received,
                    question.explanation, worth if correct else 0.0, worth)
