"""Mock exams: blueprints, assembly (exact, deterministic, clear shortage errors), writing files, scoring, CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.certification.bank import load_bank
from crmlab.certification.exam import (
    EXAMPLE_BLUEPRINT,
    Exam,
    assemble_exam,
    exam_main,
    find_pdf_converter,
    load_blueprint,
    load_exam,
    parse_blueprint,
    write_exam,
)
from crmlab.churn import break_even_success_rate
from crmlab.value import clv_closed_form

FIXTURES = Path(__file__).parent / "fixtures" / "certification"
POINTS = {"single": 1, "multiple": 2, "judge": 1, "calc": 5, "case": 8}


@pytest.fixture(scope="module")
def bank():
    return load_bank(FIXTURES)


def _bp(counts, **extra):
    return parse_blueprint({"title": "测试卷", "time_limit_minutes": 30, "points": POINTS, "counts": counts, **extra})


FULL = {"tst01": {"single": {1: 1, 2: 1}, "multiple": 1, "judge": 1, "calc": 1, "case": 1},
        "tst02": {"single": 1, "judge": {1: 1}, "calc": {2: 1}}}


def test_blueprint_totals_and_table():
    bp = _bp(FULL)
    assert bp.total_questions == 9
    assert bp.total_points == 1 + 1 + 2 + 1 + 5 + 8 + 1 + 1 + 5      # = 25
    table = bp.table()
    assert table.loc["tst01", "单项选择题"] == 2 and table.loc["合计", "合计"] == 9
    assert bp.pass_percent == 60 and "多选、少选" in bp.instructions


@pytest.mark.parametrize(("data", "message"), [
    ({"counts": {"tst01": {"essay": 1}}}, "题型 type 无法识别"),
    ({"counts": {"tst01": {"single": {4: 1}}}}, "难度 difficulty 必须是 1、2 或 3"),
    ({"counts": {"tst01": {"single": -1}}}, "≥ 0 的整数"),
    ({"counts": {"tst01": {"single": 1.5}}}, "≥ 0 的整数"),
    ({"counts": {"tst01": {"single": 0}}}, "all counts are 0"),
    ({"counts": {}}, "非空映射"),
    ({"points": {"single": 1}, "counts": {"tst01": {"judge": 1}}}, "没有题型 judge"),
    ({"points": {"single": 0}, "counts": {"tst01": {"single": 1}}}, "points.single"),
    ({"time_limit_minutes": 0}, "time_limit_minutes"),
    ({"pass_percent": 120}, "pass_percent"),
    ({"seed": 3}, "unknown fields"),
    ({"title": ""}, "标题 title"),
])
def test_blueprint_errors_name_the_entry(data, message):
    base = {"title": "卷", "time_limit_minutes": 30, "points": POINTS, "counts": {"tst01": {"single": 1}}}
    with pytest.raises(InputError, match=message):
        parse_blueprint({**base, **data}, "bp.yml")


def test_assembly_honours_every_cell_exactly(bank):
    exam = assemble_exam(bank, _bp(FULL), seed=1)
    assert len(exam.items) == 9 and len({i.question.id for i in exam.items}) == 9
    got = Counter((i.question.topic, i.question.type, i.question.difficulty) for i in exam.items)
    assert got[("tst01", "single", 1)] == 1 and got[("tst01", "single", 2)] == 1
    assert got[("tst02", "judge", 1)] == 1 and got[("tst02", "calc", 2)] == 1
    assert [i.number for i in exam.items] == list(range(1, 10))
    types = [i.question.type for i in exam.items]
    assert types == sorted(types, key=["single", "multiple", "judge", "calc", "case"].index)   # paper order
    assert exam.total_points == 25
    assert [t for t, _ in exam.sections()] == ["single", "multiple", "judge", "calc", "case"]


def test_assembly_is_deterministic_for_a_seed(bank):
    bp = _bp({"tst01": {"single": 1, "calc": 1}, "tst02": {"calc": 1}})
    a, b = assemble_exam(bank, bp, 7), assemble_exam(bank, bp, 7)
    assert a.to_dict() == b.to_dict()
    papers = {json.dumps(assemble_exam(bank, bp, s).to_dict(), sort_keys=True) for s in range(8)}
    assert len(papers) > 1       # other seeds give other papers (other questions or other numbers)


def test_any_difficulty_cell_takes_what_the_specific_cells_left(bank):
    # tst01 has two single questions (difficulty 1 and 2): one asked at difficulty 1 plus one "any" = both
    exam = assemble_exam(bank, _bp({"tst01": {"single": 1}}), 0)
    assert len(exam.items) == 1
    both = assemble_exam(bank, parse_blueprint({"title": "卷", "time_limit_minutes": 10, "points": POINTS,
                                                "counts": {"tst01": {"single": 2}}}), 0)
    assert {i.question.id for i in both.items} == {"tst01-001", "tst01-002"}


def test_shortage_names_each_short_cell(bank):
    bp = _bp({"tst01": {"single": {1: 2}, "case": 1}, "tst02": {"multiple": 1, "single": 1}})
    with pytest.raises(InputError) as info:
        assemble_exam(bank, bp, 0)
    text = str(info.value)
    assert "题库不够组卷" in text
    assert ("考点 topic=tst01, 题型 type=single（单项选择题）, 难度 difficulty=1（易）: "
            "需要 wanted 2 题，题库只有 available 1 题") in text
    assert ("考点 topic=tst02, 题型 type=multiple（多项选择题）, 难度 difficulty=任意 any: "
            "需要 wanted 1 题，题库只有 available 0 题") in text
    assert "tst02, 题型 type=single" not in text and "type=case" not in text          # cells that can be filled
    with pytest.raises(InputError, match=r"不在题库中.*\['zzz01'\]|\['zzz01'\] 不在题库中"):
        assemble_exam(bank, _bp({"zzz01": {"single": 1}}), 0)
    with pytest.raises(InputError, match="随机种子 seed"):
        assemble_exam(bank, _bp({"tst01": {"single": 1}}), -1)


@settings(max_examples=40, deadline=None)
@given(single=st.integers(0, 3), judge=st.integers(0, 2), calc=st.integers(0, 2), seed=st.integers(0, 10**6))
def test_assembly_property_exact_or_named_shortage(single, judge, calc, seed):
    bank = load_bank(FIXTURES)
    counts = {"tst01": {"single": single, "judge": judge, "calc": calc}}
    available = {"single": 2, "judge": 1, "calc": 1}
    if single + judge + calc == 0:
        return
    bp = _bp(counts)
    wanted = {"single": single, "judge": judge, "calc": calc}
    short = [t for t in wanted if wanted[t] > available[t]]
    if short:
        with pytest.raises(InputError) as info:
            assemble_exam(bank, bp, seed)
        for t in short:
            assert f"type={t}" in str(info.value)
    else:
        exam = assemble_exam(bank, bp, seed)
        got = Counter(i.question.type for i in exam.items)
        assert all(got[t] == n for t, n in wanted.items())


def test_calc_items_carry_numbers_and_the_calculator_answer(bank):
    exam = assemble_exam(bank, _bp({"tst01": {"calc": 1}, "tst02": {"calc": 1}}), 3)
    clv_item, rate_item = exam.items
    p = clv_item.params
    assert clv_item.expected == pytest.approx(clv_closed_form(p["margin"], p["retention"], p["discount"]))
    assert f"{p['margin']} 元" in clv_item.stem
    q = rate_item.params
    assert rate_item.expected == pytest.approx(100 * break_even_success_rate(q["value_if_regained"],
                                                                             q["cost_per_contact"]))


def test_score_a_candidate(bank):
    exam = assemble_exam(bank, _bp(FULL), seed=1)
    right = {}
    for it in exam.items:
        q = it.question
        if q.type in ("single", "judge"):
            right[it.number] = q.answer
        elif q.type == "multiple":
            right[it.number] = list(q.answer)
        elif q.type == "calc":
            right[it.number] = it.expected
    full = exam.score(right, {exam.item("tst01-006").number: 8})
    assert full.score == 25 and full.percent == 100 and full.passed and full.pending == 0
    # only the two tst02 objective items wrong (single 1 + judge 1), case pending: 25 − 2 − 8 = 15
    some = dict(right)
    some[exam.item("tst02-001").number] = "A"
    some[exam.item("tst02-002").number] = False
    r = exam.score(some)
    assert r.score == 15 and r.pending == 1 and r.passed           # 15 / 25 = 60 %
    topics = r.by_topic()
    assert topics.loc["tst02", "score"] == 5 and topics.loc["tst02", "points"] == 7      # 0 + 0 + 5 of 1 + 1 + 5
    assert topics.index[0] == "tst01"                              # 10 / 18 < 5 / 7: weakest first
    assert r.by_type().loc["单项选择题", "score"] == 2
    rows = r.to_responses("S1")
    assert list(rows.columns) == ["candidate_id", "question_id", "topic", "response", "score", "max_score"]
    assert rows["score"].sum() == 15
    with pytest.raises(InputError, match="必须是一个数字"):
        exam.score({exam.item("tst01-005").number: "abc"})
    assert exam.score({exam.item("tst01-005").number: "abc"}, unreadable="blank").score == 0
    with pytest.raises(InputError, match="no such item"):
        exam.score({99: "A"})


def test_write_exam_never_overwrites_without_force(bank, tmp_path):
    exam = assemble_exam(bank, _bp(FULL), seed=5)
    files = write_exam(exam, tmp_path / "out")
    assert files.paper.name == "paper_seed5.html" and files.answer_key.name == "answer_key_seed5.html"
    paper = files.paper.read_text(encoding="utf-8")
    key = files.answer_key.read_text(encoding="utf-8")
    for it in exam.items:
        assert it.stem in paper
        assert it.question.explanation in key and it.question.explanation not in paper
    assert "一、单项选择题（共 3 题，每题 1 分，共 3 分）" in paper and "五、案例分析题" in paper
    assert "要点一" in key and "要点一" not in paper
    before = files.paper.stat().st_mtime_ns, paper
    with pytest.raises(InputError, match="文件已存在"):
        write_exam(assemble_exam(bank, _bp(FULL), seed=5), tmp_path / "out")
    assert (files.paper.stat().st_mtime_ns, files.paper.read_text(encoding="utf-8")) == before
    write_exam(exam, tmp_path / "out", force=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "answer_key_seed5.html", "exam_seed5.json", "paper_seed5.html"]              # no temporary files left
    again = load_exam(files.json)
    assert again.to_dict() == exam.to_dict()
    assert Exam.from_dict(json.loads(files.json.read_text(encoding="utf-8"))).total_points == 25


def test_load_exam_rejects_other_json(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(InputError, match="crmlab-exam/1"):
        load_exam(bad)
    with pytest.raises(InputError, match="not found"):
        load_exam(tmp_path / "missing.json")


def test_exam_main_cli(bank, tmp_path, capsys):
    bp = tmp_path / "bp.yml"
    bp.write_text(yaml.safe_dump({"title": "命令行测试", "time_limit_minutes": 20, "points": POINTS,
                                  "counts": {"tst01": {"single": 2}, "tst02": {"judge": 1}}}, allow_unicode=True),
                  encoding="utf-8")
    args = ["--blueprint", str(bp), "--seed", "4", "--out", str(tmp_path / "o"), "--bank", str(FIXTURES)]
    assert exam_main(args) == 0
    out = capsys.readouterr().out
    assert "3 题" in out and "paper_seed4.html" in out
    assert exam_main(args) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert exam_main([*args, "--force"]) == 0
    bp.write_text(bp.read_text(encoding="utf-8").replace("single: 2", "single: 3"), encoding="utf-8")
    assert exam_main([*args, "--force"]) == 2
    assert "需要 wanted 3 题，题库只有 available 2 题" in capsys.readouterr().err


def test_example_blueprint_assembles_from_the_real_bank():
    bp = load_blueprint(EXAMPLE_BLUEPRINT)
    assert bp.total_questions == 40 and bp.total_points == 100
    real = load_bank()
    for seed in range(5):
        exam = assemble_exam(real, bp, seed)
        assert len(exam.items) == 40 and exam.total_points == 100


@pytest.mark.skipif(find_pdf_converter() is None, reason="no headless Chromium to print PDF")
def test_pdf_paper_when_chromium_is_installed(bank, tmp_path):
    files = write_exam(assemble_exam(bank, _bp({"tst01": {"single": 1}}), 0), tmp_path, pdf=True)
    assert files.pdf.read_bytes().startswith(b"%PDF")
