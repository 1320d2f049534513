"""即时反馈 instant feedback inside a student's notebook.

A student notebook starts with::

    ex = start("ch01", student_id=student_id, seed=seed, ...)   # the parameters cell's variables

and every question ends with ``ex.check("q1", answer_q1)``, which prints 正确 or a hint. The expected answer is
recomputed here from the parameters by crmlab's calculators; it is never written into the notebook.
"""

from __future__ import annotations

from typing import Any

from .catalog import get_exercise
from .spec import Exercise, Verdict, compare_answer

__all__ = ["ExerciseSession", "start"]


class ExerciseSession:
    """One student's variant of an exercise: its parameters, its data and :meth:`check`."""

    def __init__(self, exercise: Exercise, params: dict[str, Any]) -> None:
        self.exercise = exercise
        self.params = params
        self._data: Any = None
        self._expected: dict[str, Any] | None = None

    @property
    def data(self) -> Any:
        """练习数据 the data of this variant (built from the seed the first time it is asked for)."""
        if self._data is None:
            self._data = self.exercise.make_data(self.params)
        return self._data

    def _answers(self) -> dict[str, Any]:
        if self._expected is None:
            self._expected = self.exercise.expected(self.params, self.data)
        return self._expected

    def verdict(self, qid: str, answer: Any) -> Verdict:
        """The :class:`Verdict` for ``answer`` to question ``qid`` (nothing printed)."""
        q = self.exercise.question(qid)
        return compare_answer(q, answer, self._answers()[qid])

    def check(self, qid: str, answer: Any) -> None:
        """检查答案 print whether ``answer`` to question ``qid`` is right, with a hint if not.

        Prints only (so the notebook shows no stray ``True``); use :meth:`verdict` to get the result."""
        v = self.verdict(qid, answer)
        q = self.exercise.question(qid)
        print(f"第 {qid[1:] if qid[:1] == 'q' else qid} 题（{q.points:g} 分）{v.message}")

    def __repr__(self) -> str:
        knobs = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"练习 {self.exercise.id}《{self.exercise.title}》({knobs})"


def start(exercise: str, **params: Any) -> ExerciseSession:
    """开始练习 open one variant of ``exercise`` (e.g. ``"ch01"``) with the notebook's parameters.

    Parameters not given take the exercise's defaults; ``student_id`` and ``seed`` are required in spirit
    (they come from the notebook's ``parameters`` cell) but default to the demo variant.
    """
    ex = get_exercise(exercise)
    full = dict(ex.defaults)
    full.update(params)
    return ExerciseSession(ex, full)
