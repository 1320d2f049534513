"""客户服务职业资格 certification prep: question bank, practice, mock exams and item analysis.

* :mod:`.bank` — load and check the YAML question bank (:func:`load_bank`);
* :mod:`.generators` — calculation questions: fresh numbers per attempt, answers from crmlab calculators;
* :mod:`.answers` — read and mark one response;
* :mod:`.practice` — :class:`PracticeSession`, one question at a time with immediate feedback;
* :mod:`.exam` — blueprints, :func:`assemble_exam`, the paper and answer key (``crmlab exam``);
* :mod:`.analytics` — item analysis of a class's responses (difficulty, discrimination, KR-20);
* :mod:`.simulate` — seeded simulated responses (模拟数据) for demonstrations.
"""

from __future__ import annotations

from .analytics import ExamAnalysis, analyze_responses, load_responses
from .answers import Feedback, mark
from .bank import QUESTION_TYPES, Question, QuestionBank, Topic, load_bank, validate_bank
from .exam import (
    EXAMPLE_BLUEPRINT,
    Blueprint,
    Exam,
    ExamResult,
    assemble_exam,
    exam_main,
    load_blueprint,
    load_exam,
    write_exam,
)
from .generators import GENERATORS, check_calc, draw_params, register_generator, render_stem
from .practice import PracticeSession
from .simulate import simulate_responses

__all__ = [
    "EXAMPLE_BLUEPRINT",
    "GENERATORS",
    "QUESTION_TYPES",
    "Blueprint",
    "Exam",
    "ExamAnalysis",
    "ExamResult",
    "Feedback",
    "PracticeSession",
    "Question",
    "QuestionBank",
    "Topic",
    "analyze_responses",
    "assemble_exam",
    "check_calc",
    "draw_params",
    "exam_main",
    "load_bank",
    "load_blueprint",
    "load_exam",
    "load_responses",
    "mark",
    "register_generator",
    "render_stem",
    "simulate_responses",
    "validate_bank",
    "write_exam",
]
