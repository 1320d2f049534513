"""End to end, for every exercise: assign from a roster, let simulated students answer (right, wrong and
hostile), grade the class, and check every gradebook row's points, status and reason."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from crmlab.exercises import GradingLimits, assign, exercise_ids, get_exercise, grade
from crmlab.exercises.assign import params_for
from tests.exercise_kit.students import (
    corrupt,
    delete_answer_cell,
    fill_answers,
    insert_cell,
    plain,
    reverse_answer_cells,
    wrong_value,
)

pytestmark = pytest.mark.slow
SECRET = "教师的密钥-test"
STUDENTS = ["s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11"]
LIMITS = GradingLimits(cell_timeout=8, total_timeout=90, memory_mb=1536)


def _questions_in_cell_of(path: Path, qid: str) -> list[str]:
    import re

    import nbformat

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and f"answer_{qid}" in c.source)
    return sorted(set(re.findall(r"^answer_(q\d+)\s*=", cell.source, re.M)))


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_assign_answer_and_grade_a_class(exercise_id, tmp_path):
    ex = get_exercise(exercise_id)
    roster = tmp_path / "roster.csv"
    roster.write_text("学号,姓名\n" + "".join(f"{s},学生{s}\n" for s in STUDENTS), encoding="utf-8")
    handed_out = assign(exercise_id, roster, tmp_path / "out", secret=SECRET).notebooks
    subs = tmp_path / "subs"
    subs.mkdir()
    for s in STUDENTS[:-1]:  # s11 hands nothing in
        shutil.copy(handed_out[s], subs / handed_out[s].name)

    def f(s: str) -> Path:
        return subs / handed_out[s].name

    expected = {s: {k: plain(v) for k, v in ex.expected(params_for(exercise_id, s, SECRET)).items()}
                for s in STUDENTS}
    wrong = {s: {k: wrong_value(v) for k, v in expected[s].items()} for s in STUDENTS}
    first, second = ex.questions[0].id, ex.questions[1].id
    fill_answers(f("s01"), expected["s01"])                        # all right
    fill_answers(f("s02"), wrong["s02"])                           # all wrong
    corrupt(f("s03"))                                              # not valid JSON
    fill_answers(f("s04"), expected["s04"])                        # deletes question 2's cell, reorders the rest
    deleted = _questions_in_cell_of(f("s04"), second)
    delete_answer_cell(f("s04"), second)
    reverse_answer_cells(f("s04"))
    fill_answers(f("s05"), expected["s05"])                        # infinite loop after question 1
    insert_cell(f("s05"), "while True:\n    pass", after_answer=first)
    fill_answers(f("s06"), {first: expected["s06"][first]})        # kernel dies after question 1
    insert_cell(f("s06"), "import os\nos._exit(3)", after_answer=first)
    fill_answers(f("s07"), expected["s07"])                        # unbounded memory after question 1
    insert_cell(f("s07"), "hog = []\nwhile True:\n    hog.append(bytearray(50_000_000))", after_answer=first)
    fill_answers(f("s08"), wrong["s08"])                           # redefines the checker, answers wrong
    insert_cell(f("s08"), "def check(*args, **kwargs):\n    print('✅ 正确')\n\nex.check = check\n"
                "import crmlab.exercises.spec as spec\nspec.compare_answer = lambda *a: True", after_answer=first)
    shutil.copy(f("s01"), f("s09"))                                # s09 hands in s01's notebook
    fill_answers(f("s10"), {first: expected["s10"][first]})        # answers only question 1

    out = tmp_path / "gradebook.csv"
    run = grade(exercise_id, subs, out, secret=SECRET, roster=roster, workers=2, limits=LIMITS)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert set(rows) == set(STUDENTS)                              # nobody lost from the gradebook
    full, p1 = ex.max_points, ex.questions[0].points

    def check(s: str, status: str, total: float, reason: str = "") -> None:
        row = rows[s]
        assert (row["status"], float(row["total"])) == (status, pytest.approx(total)), (s, row)
        assert reason in row["reason"], (s, row["reason"])

    check("s01", "graded", full)
    check("s02", "graded", 0)
    check("s03", "invalid_notebook", 0, "不是有效的笔记本")
    check("s04", "graded", full - sum(ex.question(q).points for q in deleted))
    check("s05", "timeout", full, "单元格时限")       # answers given before and after the loop still count
    check("s06", "kernel_died", p1, "kernel died")
    check("s07", "memory_limit", full, "MemoryError")
    check("s08", "graded", 0)
    check("s09", "wrong_variant", 0, "s01")
    check("s10", "graded", p1)
    check("s11", "missing", 0, "no submission")
    assert rows["s04"][f"{second}_answer"] == ""
    assert run.report is not None and run.report.exists()
    assert "常见错误答案" in run.report.read_text(encoding="utf-8")

    # re-running resumes: no submission is executed again and the gradebook is unchanged
    again = grade(exercise_id, subs, out, secret=SECRET, roster=roster, workers=2, limits=LIMITS, report=False)
    assert again.graded == 0 and again.skipped == len(STUDENTS) - 1
    assert {r["student_id"]: r["total"] for r in csv.DictReader(out.open(encoding="utf-8-sig"))} == {
        s: r["total"] for s, r in rows.items()}
