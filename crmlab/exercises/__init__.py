"""练习 exercises: instant feedback in a student's notebook, per-student variants, batch grading.

* :func:`start` — in a notebook: ``ex = start("ch01", student_id=..., seed=..., ...)``, then ``ex.check("q1", x)``;
* :func:`assign` — ``crmlab assign``: one personal notebook per roster row (papermill injects the parameters);
* :func:`grade` — ``crmlab grade``: run every submission in its own kernel and write the gradebook and report.
"""

from __future__ import annotations

from .assign import assign, derive_seed, student_notebook
from .catalog import exercise_ids, get_exercise, solution_path
from .grade import GradingLimits, grade
from .notebook import make_student_version, strip_solution
from .roster import read_roster
from .session import ExerciseSession, start
from .spec import Exercise, Question, Verdict, compare_answer

__all__ = [
    "Exercise",
    "ExerciseSession",
    "GradingLimits",
    "Question",
    "Verdict",
    "assign",
    "compare_answer",
    "derive_seed",
    "exercise_ids",
    "get_exercise",
    "grade",
    "make_student_version",
    "read_roster",
    "solution_path",
    "start",
    "strip_solution",
    "student_notebook",
]
