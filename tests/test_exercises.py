"""Exercise machinery: answer comparison, solution stripping, rosters, seeds, assign safety, no leaked answers."""

from __future__ import annotations

import json
import math

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.exercises import (
    Question,
    assign,
    compare_answer,
    derive_seed,
    exercise_ids,
    get_exercise,
    make_student_version,
    read_roster,
    solution_path,
    start,
    strip_solution,
)
from crmlab.exercises.assign import params_for
from crmlab.exercises.runner import DUMP_TEMPLATE, decode_answers

Q = Question("q1", "示例", lambda p, d: 0, "回看第 1 章", rel_tol=0.005, abs_tol=0.005)


def test_number_answers_accept_rounding_and_reject_the_rest():
    assert compare_answer(Q, 2.67, 2.6666667).correct          # rounded to 2 decimals
    assert compare_answer(Q, 1033.3, 1033.333).correct         # within 0.5 %
    assert not compare_answer(Q, 1040, 1033.333).correct       # 0.65 % off
    assert compare_answer(Q, 2.6, 2.6666667).status == "wrong"
    assert compare_answer(Q, ..., 1).status == "unanswered"
    assert compare_answer(Q, None, 1).status == "unanswered"
    assert compare_answer(Q, "2.67", 2.67).status == "invalid"
    assert compare_answer(Q, True, 1).status == "invalid"       # a bool is not a number here
    assert compare_answer(Q, math.nan, 1).status == "invalid"


def test_text_and_set_answers():
    text = Question("q2", "状态", lambda p, d: "", "h", kind="text")
    assert compare_answer(text, " 流失客户 ", "流失客户").correct
    assert not compare_answer(text, "老客户", "流失客户").correct
    assert compare_answer(text, 3, "流失客户").status == "invalid"
    ids = Question("q3", "名单", lambda p, d: [], "h", kind="set")
    assert compare_answer(ids, ["C2", "C1"], ("C1", "C2")).correct
    assert not compare_answer(ids, ["C1"], ("C1", "C2")).correct
    assert compare_answer(ids, "C1", ("C1",)).status == "invalid"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_a_number_is_always_right_against_itself_and_wrong_when_far_off(x):
    assert compare_answer(Q, x, x).correct
    assert not compare_answer(Q, x + 1 + abs(x) * 0.01, x).correct


def test_check_prints_feedback_and_the_hint(capsys):
    ex = start("ch01")
    ex.check("q1", 0.8 / (1 + 0.1 - 0.8))     # r / (1 + d − r) with the defaults r = 0.8, d = 0.1
    ex.check("q1", 3.0)
    out = capsys.readouterr().out
    assert "✅ 正确" in out and "还不对" in out and "教材 1.1.1 节" in out
    with pytest.raises(InputError, match="q99"):
        ex.check("q99", 1)


def test_strip_solution_markers():
    src = "x = 1\n### BEGIN SOLUTION\nanswer_q1 = x + 1\n### END SOLUTION\n### STUDENT answer_q1 = ...\nprint(x)"
    assert strip_solution(src) == "x = 1\nanswer_q1 = ...\nprint(x)"
    assert strip_solution("    ### STUDENT y = ...") == "    y = ..."
    for bad in ("### BEGIN SOLUTION\nx", "### END SOLUTION", "### BEGIN SOLUTION\n### BEGIN SOLUTION"):
        with pytest.raises(InputError, match="SOLUTION"):
            strip_solution(bad)


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_every_solution_notebook_has_a_parameters_cell_and_checks_every_question(exercise_id):
    ex = get_exercise(exercise_id)
    nb = nbformat.read(solution_path(ex), as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ex.defaults:
        assert f"{name} = " in params[0].source, name
    text = "\n".join(c.source for c in nb.cells)
    for q in ex.questions:
        assert f'ex.check("{q.id}", answer_{q.id})' in text
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert outputs.count("✅ 正确") == len(ex.questions)        # the stored solution gets full marks


def _spellings(value) -> set[str]:
    if isinstance(value, str):  # category names appear in the questions; a quoted one would be an answer
        return {f'"{value}"', f"'{value}'"}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    x = float(value)
    forms = {repr(x), f"{x:.2f}", f"{x:.3f}", f"{x:,.2f}"}
    if abs(x) >= 100:
        forms |= {f"{x:.0f}", f"{x:.1f}", f"{x:,.0f}"}
    return {f for f in forms if len(f.replace("-", "").replace(".", "")) >= 3}


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_a_student_version_contains_no_answer(exercise_id, tmp_path):
    ex = get_exercise(exercise_id)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\n2024001,甲\n2024002,乙\n", encoding="utf-8")
    written = assign(exercise_id, roster, tmp_path / "out", secret="x").notebooks
    for sid, path in written.items():
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
        assert "BEGIN SOLUTION" not in raw and nb["metadata"]["crmlab"]["student_id"] == sid
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        params = params_for(exercise_id, sid, "x")
        for qid, value in ex.expected(params).items():
            for spelled in _spellings(value):
                if ex.question(qid).kind == "number" and spelled in {str(v) for v in params.values()}:
                    continue  # the answer happens to equal a given parameter
                assert spelled not in code, (sid, qid, spelled)
        solution = nbformat.read(solution_path(ex), as_version=4)
        assert len(make_student_version(solution, ex.id).cells) == len(nb["cells"]) - 1  # + injected parameters


def test_seeds_depend_on_secret_exercise_and_student():
    a = derive_seed("k", "ch01", "2024001")
    assert a == derive_seed("k", "ch01", "2024001")
    assert len({a, derive_seed("k2", "ch01", "2024001"), derive_seed("k", "ch03", "2024001"),
                derive_seed("k", "ch01", "2024002")}) == 4
    assert 0 <= a < 2**31


def test_two_students_get_different_numbers():
    ex = get_exercise("ch01")
    a, b = (ex.expected(params_for("ch01", s, "k")) for s in ("2024001", "2024002"))
    assert a["q2"] != b["q2"]


def test_roster_accepts_utf8_bom_and_gbk(tmp_path):
    text = "学号,姓名,班级\n2024001,张三,1班\n2024002,李四,1班\n"
    for enc in ("utf-8", "utf-8-sig", "gbk"):
        p = tmp_path / f"{enc}.csv"
        p.write_bytes(text.encode(enc))
        assert [(s.student_id, s.name) for s in read_roster(p)] == [("2024001", "张三"), ("2024002", "李四")]


@pytest.mark.parametrize(("body", "match"), [
    ("学号,姓名\n2024001,张三\n2024001,李四\n", "第 3 行.*重复"),
    ("学号,姓名\n2024001,张三\n2024002,\n", "第 3 行.*姓名 name 为空"),
    ("学号,姓名\n,张三\n", "第 2 行.*学号 student_id 为空"),
    ("学号,姓名\n20/24,张三\n", "第 2 行.*只能包含"),
    ("编号,姓名\n1,张三\n", "缺少学号列"),
    ("学号,姓名\n", "没有学生"),
])
def test_roster_errors_name_the_row(tmp_path, body, match):
    p = tmp_path / "r.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_roster(p)


def test_roster_in_an_unknown_encoding_is_a_clear_error(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("学号,姓名\n1,张三\n".encode("utf-16"))
    with pytest.raises(InputError, match="编码无法识别"):
        read_roster(p)


def test_assign_never_overwrites_without_force_and_needs_a_secret(tmp_path, monkeypatch):
    roster = tmp_path / "r.csv"
    roster.write_text("student_id,name\nA1,甲\n", encoding="utf-8")
    monkeypatch.delenv("CRMLAB_SECRET", raising=False)
    with pytest.raises(InputError, match="CRMLAB_SECRET"):
        assign("ch01", roster, tmp_path / "out")
    target = tmp_path / "out" / "ch01_A1.ipynb"
    target.parent.mkdir()
    target.write_text("my own work", encoding="utf-8")
    with pytest.raises(InputError, match="不会覆盖"):
        assign("ch01", roster, tmp_path / "out", secret="k")
    assert target.read_text(encoding="utf-8") == "my own work"
    assign("ch01", roster, tmp_path / "out", secret="k", force=True)
    assert json.loads(target.read_text(encoding="utf-8"))["metadata"]["crmlab"]["student_id"] == "A1"


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(InputError, match="ch01"):
        get_exercise("ch99")


def test_answer_dump_reads_plain_values_in_a_hostile_namespace():
    ns: dict = {"answer_q1": 2.5, "answer_q2": "流失客户", "answer_q3": ("C1", "C2"), "answer_q4": ...,
                "answer_q5": {"a": 1}, "answer_q6": float("nan"), "print": None, "json": None}
    import contextlib
    import io
    import sys
    import types

    main = types.ModuleType("__main__")
    main.__dict__.update(ns)
    buf = io.StringIO()
    old = sys.modules["__main__"]
    sys.modules["__main__"] = main
    try:
        with contextlib.redirect_stdout(buf):
            exec(DUMP_TEMPLATE.format(nonce="N0NCE"), main.__dict__)
    finally:
        sys.modules["__main__"] = old
    line = buf.getvalue().strip()
    assert line.startswith("N0NCE")
    got = decode_answers(json.loads(line[5:]))
    assert got == {"q1": 2.5, "q2": "流失客户", "q3": ["C1", "C2"], "q4": None, "q5": "<{'a': 1}>",
                   "q6": "<nan>"}


def test_grade_resumes_and_regrades_on_request(tmp_path):
    from crmlab.exercises import grade

    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ch01_A1.ipynb").write_text("{ not json", encoding="utf-8")
    out = tmp_path / "gb.csv"
    first = grade("ch01", subs, out, secret="k", workers=1, report=False)
    assert (first.graded, first.skipped, first.statuses) == (1, 0, {"invalid_notebook": 1})
    assert (grade("ch01", subs, out, secret="k", report=False).graded, ) == (0, )
    assert grade("ch01", subs, out, secret="k", report=False, regrade=True).graded == 1
    (subs / "ch01_A1.ipynb").write_text("{ still not json", encoding="utf-8")   # a new version is graded again
    assert grade("ch01", subs, out, secret="k", report=False).graded == 1
    with pytest.raises(InputError, match="submissions"):
        grade("ch01", tmp_path / "nope", out, secret="k")


@pytest.mark.parametrize("exercise_id", exercise_ids())
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_every_variant_has_a_well_defined_answer(exercise_id, seed):
    ex = get_exercise(exercise_id)
    for qid, value in ex.expected(ex.variant("S1", seed)).items():
        kind = ex.question(qid).kind
        if kind == "number":
            assert value is not None and math.isfinite(float(value)), (qid, value)
        elif kind == "text":
            assert isinstance(value, str) and value.strip(), (qid, value)
