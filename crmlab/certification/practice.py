"""练习模式 practice: deal questions one at a time, mark each answer at once, keep a running score.

    bank = load_bank()
    session = PracticeSession(bank, topics=["lxg07", "szh07"], count=10, seed=1)
    q = session.current            # DealtQuestion: number, stem (numbers filled in), options …
    fb = session.answer("B")       # Feedback: correct, expected, explanation; the session moves on
    session.tally()                # per topic: answered, score, rate

Calculation questions draw fresh numbers every time they are dealt and are checked with the crmlab
calculator. Case questions are self-assessed: :meth:`PracticeSession.answer` returns the marking guide
(``pending``) and :meth:`PracticeSession.self_assess` records which guide points the answer covered.

Scoring: every question counts as one — 1 if right, 0 if wrong; a case question counts the share of
its marks the student gave themself — so the running score reads "x of n questions".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, require_int
from .answers import Feedback, mark
from .bank import Question, QuestionBank
from .generators import draw_params, render_stem

__all__ = ["DealtQuestion", "PracticeSession"]


@dataclass(frozen=True)
class DealtQuestion:
    """发出的一道题 a question as dealt: its place in the session, the drawn numbers and the filled-in stem."""

    number: int
    total: int
    question: Question
    stem: str
    params: dict[str, float | int] = field(default_factory=dict)

    @property
    def header(self) -> str:
        """题头 e.g. ``第 3/10 题 · 单项选择题 · 难度 中 · lxg07 · 第一节 …``."""
        q = self.question
        return (f"第 {self.number}/{self.total} 题 · {q.type_label} · 难度 {q.difficulty_label} · "
                f"{q.topic} · {q.section}")

    def __repr__(self) -> str:
        opts = "".join(f"\n  {k}. {v}" for k, v in self.question.options.items())
        return f"{self.header}\n{self.stem}{opts}"


class PracticeSession:
    """练习会话 one round of practice.

    ``topics`` (ids, default all), ``types`` and ``difficulties`` narrow the pool; ``count`` questions (≥ 1) are
    drawn from it at random without repeats (fewer if the pool is smaller). ``seed`` makes the round and its
    numbers reproducible; None gives a new round each time.
    """

    def __init__(self, bank: QuestionBank, topics: Iterable[str] | None = None, count: int = 10,
                 seed: int | None = None, *, types: Iterable[str] | None = None,
                 difficulties: Iterable[int] | None = None) -> None:
        if not isinstance(bank, QuestionBank):
            raise InputError(f"题库 bank 必须是 load_bank() 的结果，收到 {type(bank).__name__}")
        n = require_int(count, "题目数量", "count", minimum=1)
        pool = bank.select(topics, types, difficulties)
        if not pool:
            raise InputError("所选考点、题型和难度下没有题目 (no questions match)：请放宽条件")
        self.bank = bank
        self.rng = np.random.default_rng(seed)
        picked = self.rng.permutation(len(pool))[: min(n, len(pool))]
        self.questions: list[Question] = [pool[int(i)] for i in picked]
        self.feedback: list[Feedback] = []
        self._dealt: DealtQuestion | None = None
        self._pending: tuple[Feedback, object] | None = None
        self._deal()

    # --- dealing -------------------------------------------------------------------------------------------------
    def _deal(self) -> None:
        i = len(self.feedback)
        if i >= len(self.questions):
            self._dealt = None
            return
        q = self.questions[i]
        params = draw_params(q, self.rng) if q.type == "calc" else {}
        self._dealt = DealtQuestion(i + 1, len(self.questions), q, render_stem(q, params), params)

    @property
    def current(self) -> DealtQuestion | None:
        """当前题目 the question waiting for an answer (None when the round is over)."""
        return self._dealt

    @property
    def finished(self) -> bool:
        """本轮是否结束 True once every question has been answered."""
        return self._dealt is None

    @property
    def awaiting_self_assessment(self) -> bool:
        """A case question has been answered and waits for :meth:`self_assess`."""
        return self._pending is not None

    # --- answering -----------------------------------------------------------------------------------------------
    def answer(self, response: object) -> Feedback:
        """作答 mark ``response`` to the current question and move on (a case question waits for
        :meth:`self_assess`). Raises :class:`InputError` for a blank or unreadable response."""
        dealt = self._require_open()
        if self._pending is not None:
            raise InputError("请先对上一道案例题自评 (self-assess the case question first)")
        fb = mark(dealt.question, response, params=dealt.params or None)
        if fb.received == "（未作答）":
            raise InputError("请先作答再提交 (no answer given)")
        if fb.pending:
            self._pending = (fb, response)
            return fb
        self._record(fb)
        return fb

    def self_assess(self, met: float | Iterable[int]) -> Feedback:
        """案例题自评 record the marks for the pending case answer: the 0-based indices of the marking-guide
        points the answer covered, or a number of marks (0 … points). Moves on to the next question."""
        self._require_open()
        if self._pending is None:
            raise InputError("当前没有等待自评的案例题 (no case answer waiting for self-assessment)")
        _, response = self._pending
        result = mark(self._dealt.question, response, self_score=met)  # type: ignore[union-attr]
        self._pending = None
        self._record(result)
        return result

    def _require_open(self) -> DealtQuestion:
        if self._dealt is None:
            raise InputError("本轮练习已结束 (the round is over)：请开始新的一轮")
        return self._dealt

    def _record(self, fb: Feedback) -> None:
        self.feedback.append(fb)
        self._deal()

    # --- score ---------------------------------------------------------------------------------------------------
    @property
    def answered(self) -> int:
        """已答题数 questions answered so far."""
        return len(self.feedback)

    @property
    def score(self) -> float:
        """得分（题）: each question counts 1 if right, a case question its self-assessed share of marks."""
        return float(sum(fb.score / fb.max_score for fb in self.feedback))

    @property
    def rate(self) -> float:
        """正确率 score / answered, 0–1 (0 before the first answer)."""
        return self.score / self.answered if self.answered else 0.0

    def summary(self) -> str:
        """One line for the score label: 已答 3/10 题，得分 2 题（67%）."""
        from .answers import format_number

        return (f"已答 {self.answered}/{len(self.questions)} 题，得分 {format_number(self.score)} 题"
                f"（正确率 {self.rate:.0%}）")

    def history(self) -> pd.DataFrame:
        """作答记录 one row per answered question: id, topic, type, difficulty, correct, score (0–1)."""
        rows = [{"question_id": fb.question_id, "topic": q.topic, "type": q.type, "difficulty": q.difficulty,
                 "correct": fb.correct, "score": fb.score / fb.max_score, "received": fb.received,
                 "expected": fb.expected}
                for fb, q in zip(self.feedback, self.questions, strict=False)]
        return pd.DataFrame(rows, columns=["question_id", "topic", "type", "difficulty", "correct", "score",
                                           "received", "expected"])

    def tally(self) -> pd.DataFrame:
        """分考点统计 per topic of the round (in topic order): title, questions dealt, answered, score, rate
        (score / answered; NaN for a topic with no answer yet)."""
        hist = self.history()
        topics = sorted({q.topic for q in self.questions})
        rows = []
        for t in topics:
            h = hist[hist["topic"] == t]
            answered = len(h)
            score = float(h["score"].sum())
            rows.append({"topic": t, "title": self.bank.topic(t).title,
                         "questions": sum(q.topic == t for q in self.questions), "answered": answered,
                         "score": score, "rate": score / answered if answered else float("nan")})
        return pd.DataFrame(rows, columns=["topic", "title", "questions", "answered", "score", "rate"])

    def __repr__(self) -> str:
        return f"PracticeSession({self.summary()})"
