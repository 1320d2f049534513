"""练习的定义 what an exercise is: its parameters, its questions and how an answer is compared.

An :class:`Exercise` belongs to one chapter. Its parameters are the student id, a seed and the exercise's own
knobs (rates, sizes); :meth:`Exercise.variant` derives the knobs from the seed so that two students get different
numbers. Each :class:`Question` recomputes its expected answer from the parameters with crmlab's tested
calculators, so the answer never has to be stored anywhere a student can read it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Literal

from ..errors import InputError

__all__ = ["Exercise", "Question", "Verdict", "compare_answer"]

Params = Mapping[str, Any]
Kind = Literal["number", "text", "set"]


@dataclass(frozen=True)
class Question:
    """一道题 one question: ``expected(params, data)`` gives the answer; ``kind`` says how answers compare.

    * ``number`` — right when ``|answer − expected| ≤ max(abs_tol, rel_tol·|expected|)``; the defaults accept an
      answer rounded to two decimals or to 0.5 %;
    * ``text`` — right when the stripped strings are equal (e.g. a category such as ``"流失客户"``);
    * ``set`` — right when the answer holds the same items in any order (e.g. customer ids).

    ``hint`` (Chinese) points the student to the chapter section to reread; ``points`` ≥ 0.
    """

    id: str
    prompt: str
    expected: Callable[[Params, Any], Any]
    hint: str
    points: float = 1.0
    kind: Kind = "number"
    rel_tol: float = 0.005
    abs_tol: float = 0.005


@dataclass(frozen=True)
class Exercise:
    """一份练习 one exercise notebook: ``id`` (e.g. ``"ch01"``), the solution notebook's file name in
    ``exercises/``, default parameters, the seed → knobs rule, the data it builds and its questions."""

    id: str
    title: str
    chapter: str
    notebook: str
    defaults: Mapping[str, Any]
    questions: tuple[Question, ...]
    variant_of_seed: Callable[[int], dict[str, Any]] = field(default=lambda seed: {})
    make_data: Callable[[Params], Any] = field(default=lambda params: None)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        known = "、".join(q.id for q in self.questions)
        raise InputError(f"题号 question id {qid!r} 不存在于练习 {self.id}（有：{known}）")

    @property
    def max_points(self) -> float:
        return float(sum(q.points for q in self.questions))

    def variant(self, student_id: str, seed: int) -> dict[str, Any]:
        """The full parameter set of one student's variant: defaults, then the seed's knobs, then id and seed."""
        params = dict(self.defaults)
        params.update(self.variant_of_seed(int(seed)))
        params.update(student_id=str(student_id), seed=int(seed))
        return params

    def expected(self, params: Params, data: Any = None) -> dict[str, Any]:
        """The expected answer of every question for ``params`` (the data is built once if not given)."""
        if data is None:
            data = self.make_data(params)
        return {q.id: q.expected(params, data) for q in self.questions}


@dataclass(frozen=True)
class Verdict:
    """判定 the outcome of comparing one answer: ``status`` is ``correct``, ``wrong``, ``unanswered`` or
    ``invalid`` (an answer of the wrong type); ``message`` is the Chinese feedback shown to the student."""

    status: Literal["correct", "wrong", "unanswered", "invalid"]
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Real):
        return float(value)
    try:  # numpy scalars, 0-d arrays
        if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
            inner = value.item()
            if isinstance(inner, Real) and not isinstance(inner, bool):
                return float(inner)
    except (TypeError, ValueError):
        return None
    return None


def _items(value: Any) -> list[str] | None:
    if isinstance(value, str | bytes) or value is None:
        return None
    try:
        return sorted(str(v).strip() for v in value)
    except TypeError:
        return None


def compare_answer(question: Question, answer: Any, expected: Any) -> Verdict:
    """Compare ``answer`` with ``expected`` for ``question`` (see :class:`Question` for the rules)."""
    if answer is None or answer is Ellipsis:
        return Verdict("unanswered", "还没有作答 not answered yet：把你的答案赋给变量，再运行这个单元格。")
    if question.kind == "number":
        x = _as_number(answer)
        if x is None:
            kind = type(answer).__name__
            return Verdict("invalid", f"答案应当是一个数字 (a number)，收到 {kind} 类型的 {answer!r:.60}")
        if not math.isfinite(x):
            return Verdict("invalid", f"答案应当是有限的数字 (finite number)，收到 {x!r}")
        e = float(expected)
        ok = abs(x - e) <= max(question.abs_tol, question.rel_tol * abs(e))
    elif question.kind == "text":
        if not isinstance(answer, str):
            return Verdict("invalid", f"答案应当是文字 (a string)，例如 \"流失客户\"，收到 {answer!r:.60}")
        ok = answer.strip() == str(expected).strip()
    else:
        items = _items(answer)
        if items is None:
            example = '["C00012", "C00031"]'
            return Verdict("invalid", f"答案应当是一个列表 (a list)，例如 {example}，收到 {answer!r:.60}")
        ok = items == sorted(str(v).strip() for v in expected)
    if ok:
        return Verdict("correct", "✅ 正确 correct！")
    return Verdict("wrong", f"❌ 还不对 not yet。提示 hint：{question.hint}")
