"""Question bank: the schema check rejects each kind of malformed question, naming the file and the question id;
the real bank under crmlab/certification/bank loads cleanly."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.certification.bank import KNOWN_TOPICS, QUESTION_TYPES, load_bank, validate_bank
from crmlab.certification.generators import draw_params, expected_answer, render_stem

FIXTURES = Path(__file__).parent / "fixtures" / "certification"


def _topic(questions, topic="lxg01"):
    return {"topic": topic, "title": "认识客户服务", "book": "李先国《客户服务实务》", "chapter": "第一章",
            "questions": questions}


def _single(**over):
    q = {"id": "lxg01-001", "type": "single", "difficulty": 1, "section": "第一节", "stem": "哪一项正确？",
         "options": {"A": "甲", "B": "乙", "C": "丙"}, "answer": "B", "explanation": "因为乙。"}
    q.update(over)
    return q


def _calc(**over):
    q = {"id": "lxg01-009", "type": "calc", "difficulty": 2, "section": "第二节",
         "stem": "毛利 {margin} 元，保留率 {retention}，折现率 {discount}，求 CLV。",
         "generator": "clv_closed_form",
         "params": {"margin": [100, 200, 50], "retention": [0.6, 0.8, 0.1], "discount": 0.1},
         "unit": "元", "tolerance": 0.01, "explanation": "CLV = m r / (1 + d − r)。"}
    q.update(over)
    return q


def _write(folder: Path, data, name="lxg01.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _error(tmp_path, questions, topic="lxg01", name="lxg01.yml") -> str:
    _write(tmp_path, _topic(questions, topic), name)
    with pytest.raises(InputError) as info:
        load_bank(tmp_path)
    return str(info.value)


def test_fixture_bank_loads_and_normalises_answers():
    bank = load_bank(FIXTURES)
    assert list(bank.topics) == ["tst01", "tst02"]
    assert len(bank) == 9
    assert bank["tst01-003"].answer == ("A", "C")          # [C, A] sorted
    assert bank["tst01-004"].answer is False
    assert bank["tst01-005"].params["retention"] == (0.6, 0.9, 0.05)
    assert bank["tst01-006"].points == 8.0 and len(bank["tst01-006"].marking_guide) == 4
    counts = bank.counts()
    assert counts["count"].sum() == 9
    row = counts[(counts["topic"] == "tst01") & (counts["type"] == "single") & (counts["difficulty"] == 1)]
    assert row["count"].tolist() == [1]
    summary = bank.summary().set_index("考点 topic")
    assert summary.loc["tst01", "合计"] == 6 and summary.loc["合计", "合计"] == 9
    assert [q.id for q in bank.select(["tst02"], ["judge", "calc"])] == ["tst02-002", "tst02-003"]
    with pytest.raises(InputError, match="unknown question id"):
        bank["nope-001"]


BAD_QUESTIONS = [
    (_single(answer=["A", "B"]), "单项选择题只能有一个答案"),
    (_single(answer="D"), "不在选项中"),
    (_single(explanation=""), "解析 explanation"),
    (_single(explanation="   "), "解析 explanation"),
    ({k: v for k, v in _single().items() if k != "explanation"}, "解析 explanation"),
    (_single(type="essay"), "unknown type"),
    (_single(difficulty=4), "难度 difficulty"),
    (_single(difficulty="易"), "难度 difficulty"),
    (_single(difficulty=True), "难度 difficulty"),
    (_single(id="szh01-001"), "题号 id 必须以考点 topic 开头"),
    (_single(id="lxg01-"), "题号 id 必须以考点 topic 开头"),
    (_single(options={"A": "甲"}), "2 到 6 个"),
    (_single(options={"A": "甲", "C": "丙"}), "键必须依次为 A, B"),
    (_single(options={"A": "甲", "B": "甲"}), "duplicate option text"),
    (_single(stem=""), "题干 stem"),
    (_single(section=None), "章节 section"),
    (_single(explaination="typo"), "unknown fields"),
    ({k: v for k, v in _single().items() if k != "answer"}, "缺少答案"),
    (_single(type="multiple", answer=["A"]), "至少要有两个"),
    (_single(type="multiple", answer="AB"), "必须是列表"),
    (_single(type="multiple", answer=["A", "B", "C"]), "不能是全部选项"),
    (_single(type="multiple", answer=["A", "A"]), "重复"),
    ({**{k: v for k, v in _single().items() if k != "options"}, "type": "judge", "answer": "对"}, "true 或 false"),
    ({**{k: v for k, v in _single().items() if k != "options"}, "type": "judge", "answer": 1}, "true 或 false"),
    (_single(type="judge", answer=True), r"unknown fields \['options'\]"),
    (_calc(generator="no_such"), "未知的生成器"),
    (_calc(params={"margin": 100, "retention": 0.8}), r"缺少 missing \['discount'\]"),
    (_calc(params={"margin": 100, "retention": 0.8, "discount": 0.1, "churn": 0.2}), r"多出 unknown \['churn'\]"),
    (_calc(params={"margin": [200, 100, 10], "retention": 0.8, "discount": 0.1}), "low ≤ high"),
    (_calc(params={"margin": [100, 200], "retention": 0.8, "discount": 0.1}), r"\[low, high, step\]"),
    (_calc(params={"margin": 100, "retention": [0.5, 1.0, 0.1], "discount": 0}), "不被计算器接受"),
    (_calc(stem="毛利 {margin} 元，{churn} 流失"), "占位符"),
    (_calc(answer=266.7), "不要填写答案"),
    (_calc(tolerance=0), "容差 tolerance"),
    (_calc(generator="top_share", unit="元",
           params={"v1": 1, "v2": 2, "v3": 3, "v4": 4, "v5": 5, "share": 0.2}, stem="求占比"), "比例"),
    ({**{k: v for k, v in _single().items() if k not in ("options", "answer")}, "type": "case",
      "points": 10}, "评分要点 marking_guide"),
    ({**{k: v for k, v in _single().items() if k not in ("options", "answer")}, "type": "case",
      "marking_guide": ["要点"], "points": 0}, "分值 points"),
]


@pytest.mark.parametrize(("question", "message"), BAD_QUESTIONS)
def test_malformed_question_is_rejected_naming_file_and_id(tmp_path, question, message):
    text = _error(tmp_path, [_single(id="lxg01-000", stem="另一道题"), question])
    assert "lxg01.yml" in text
    qid = question.get("id", "")
    if isinstance(qid, str) and qid.startswith("lxg01-") and len(qid) > 6:
        assert f"题目 question {qid}" in text
    assert re.search(message, text), text


def test_question_without_an_id_is_named_by_position(tmp_path):
    text = _error(tmp_path, [_single(), {k: v for k, v in _single().items() if k != "id"}])
    assert "第 2 题 (question #2)" in text


def test_every_problem_is_listed_with_its_line(tmp_path):
    text = _error(tmp_path, [_single(id="lxg01-001", answer="Z"), _single(id="lxg01-002", stem="乙", difficulty=7)])
    assert text.startswith("题库 question bank 有 2 处错误")
    assert "lxg01.yml 第 6 行 line 6: 题目 question lxg01-001" in text   # the first question starts on line 6
    assert "题目 question lxg01-002" in text


def test_duplicate_ids_within_and_across_files(tmp_path):
    text = _error(tmp_path, [_single(), _single(stem="另一个题干")])
    assert "lxg01-001: 题号 id 重复 (duplicate id)，已出现在 lxg01.yml" in text
    a = _write(tmp_path / "a", _topic([_single()]))
    b = _write(tmp_path / "b", _topic([_single(stem="不同的题干")]))
    with pytest.raises(InputError, match="lxg01-001: 题号 id 重复"):
        load_bank([a, b])


def test_duplicate_stem_is_rejected(tmp_path):
    text = _error(tmp_path, [_single(), _single(id="lxg01-002")])
    assert "lxg01-002: 题干 stem 与 lxg01-001 完全相同" in text


def test_file_level_problems(tmp_path):
    assert "必须与文件名 'lxg02' 相同" in _error(tmp_path, [_single()], name="lxg02.yml")
    (tmp_path / "lxg02.yml").unlink()
    assert "非空列表" in _error(tmp_path, [])
    (tmp_path / "lxg01.yml").write_text("topic: lxg01\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lxg01.yml 第 \d+ 行 line \d+: YAML 格式错误"):
        load_bank(tmp_path)
    text = yaml.safe_dump(_topic([_single()]), allow_unicode=True, sort_keys=False)
    (tmp_path / "lxg01.yml").write_text(text.replace("  answer: B\n", "  answer: B\n  answer: C\n"), encoding="utf-8")
    with pytest.raises(InputError, match=r"第 16 行 line 16: YAML 格式错误.*duplicate key 'answer'"):
        load_bank(tmp_path)   # the second answer: line 6 id … 11-14 options, 15 answer, 16 answer again
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="没有 .yml 文件"):
        load_bank(tmp_path / "empty")
    with pytest.raises(InputError, match="不存在"):
        load_bank(tmp_path / "missing")


def test_validate_bank_returns_the_problems_without_raising(tmp_path):
    _write(tmp_path, _topic([_single(answer="Q")]))
    problems = validate_bank(tmp_path)
    assert len(problems) == 1 and "lxg01-001" in problems[0]
    assert validate_bank(FIXTURES) == []


_junk = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(["single", "calc"]), field=st.sampled_from(
    ["id", "type", "difficulty", "section", "stem", "options", "answer", "explanation", "generator", "params",
     "unit", "tolerance", "marking_guide", "points"]), junk=_junk)
def test_any_corrupted_field_gives_input_error_or_loads(tmp_path, which, field, junk):
    q = copy.deepcopy(_single() if which == "single" else _calc())
    q[field] = junk
    _write(tmp_path, _topic([q]))
    try:
        bank = load_bank(tmp_path)
    except InputError as exc:
        assert "lxg01.yml" in str(exc)
    else:
        assert len(bank) == 1


def test_the_real_bank_loads_and_covers_both_books():
    bank = load_bank()
    assert len(bank) >= 300
    assert set(KNOWN_TOPICS) <= set(bank.topics), sorted(set(KNOWN_TOPICS) - set(bank.topics))
    assert {q.type for q in bank} == set(QUESTION_TYPES)
    for t in bank.topics.values():
        assert t.book in ("李先国《客户服务实务》", "苏朝晖《客户关系管理》"), t
    # every calc question renders and computes for many draws
    for q in bank.select(types=["calc"]):
        for seed in range(20):
            params = draw_params(q, seed)
            assert "{" not in render_stem(q, params)
            assert expected_answer(q, params) == expected_answer(q, params)


def test_check_command(tmp_path, capsys):
    from crmlab.certification.bank import main

    assert main([str(FIXTURES)]) == 0
    assert "题库检查通过 bank OK：2 个考点，9 道题" in capsys.readouterr().out
    _write(tmp_path, _topic([_single(answer="Q")]))
    assert main([str(tmp_path)]) == 1
    assert "lxg01-001" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2
