"""Certification widgets, driven by clicking their buttons in Python: practice feedback, the exam clock and lock,
per-topic results, and the item-analysis slider."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab.certification.bank import load_bank
from crmlab.certification.exam import assemble_exam, parse_blueprint, write_exam
from crmlab.certification.simulate import simulate_responses
from crmlab.value import clv_closed_form
from crmlab.widgets.certification import (
    ExamWidget,
    exam_widget,
    item_analysis_explorer,
    practice_explorer,
    render_item_analysis,
)

matplotlib.use("Agg")
FIXTURES = Path(__file__).parent / "fixtures" / "certification"
POINTS = {"single": 1, "multiple": 2, "judge": 1, "calc": 5, "case": 8}


@pytest.fixture(scope="module")
def bank():
    return load_bank(FIXTURES)


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def _question_text(w) -> str:
    return w.question_out.outputs[0]["data"]["text/plain"]


def _fill(w, dealt, right=True):
    """Put an answer into the practice widget's input the way a student would."""
    q = dealt.question
    box = w.input_box.children[0]
    if q.type == "single":
        box.value = q.answer if right else next(k for k in q.options if k != q.answer)
    elif q.type == "judge":
        box.value = q.answer if right else not q.answer
    elif q.type == "multiple":
        for key, cb in zip(q.options, box.children, strict=True):
            cb.value = (key in q.answer) if right else key == "B"
    elif q.type == "calc":
        p = dealt.params
        box.children[0].value = f"{clv_closed_form(p['margin'], p['retention'], p['discount']):.2f}" if right else "1"
    else:
        box.value = "我的分析：第一……第二……"


def test_practice_round_by_clicking(bank):
    w = practice_explorer(bank, topics=["tst01"], count=6, seed=2)
    assert isinstance(w, widgets.VBox) and w.submit_button.description == "提交答案"
    assert "crmlab-practice-submit" in w.submit_button._dom_classes
    assert _question_text(w).startswith("第 1/6 题")
    w.submit_button.click()                                             # nothing chosen yet
    assert "请先作答" in w.feedback_html.value and w.session.answered == 0
    right = 0
    for i in range(6):
        dealt = w.session.current
        ok = i % 2 == 0 or dealt.question.type == "case"
        _fill(w, dealt, right=ok)
        w.submit_button.click()
        if dealt.question.type == "case":
            assert "评分要点" in w.guide_box.children[0].value and w.next_button.disabled
            boxes = w.guide_box.children[1:-1]
            assert [b.description for b in boxes] == ["1. 要点一", "2. 要点二", "3. 要点三", "4. 要点四"]
            boxes[0].value = boxes[1].value = True                         # 2 of 4 points
            w.guide_box.children[-1].click()                               # 完成自评
            assert "自评得分 4 / 8 分" in w.feedback_html.value
            right += 0.5
        else:
            assert ("回答正确" if ok else "回答错误") in w.feedback_html.value
            assert dealt.question.explanation in w.feedback_html.value
            right += ok
        assert w.submit_button.disabled and all(getattr(c, "disabled", True) for c in [w.input_box.children[0]])
        if i < 5:
            assert not w.next_button.disabled
            w.next_button.click()
            assert _question_text(w).startswith(f"第 {i + 2}/6 题") and w.feedback_html.value == ""
    assert w.session.finished and w.session.score == right
    assert "已答 6/6 题" in w.score_html.value
    assert "tst01 测试考点一" in w.tally_html.value


def test_count_slider_and_topics_restart_the_round(bank):
    w = practice_explorer(bank, count=3, seed=1)
    assert _question_text(w).startswith("第 1/3 题")
    w.count_slider.value = 5
    assert _question_text(w).startswith("第 1/5 题")
    w.topic_select.value = ()
    assert "至少选择一个考点" in w.question_out.outputs[0]["data"]["text/html"] and w.submit_button.disabled
    w.topic_select.value = ("tst02",)
    assert _question_text(w).startswith("第 1/3 题") and w.session.questions[0].topic == "tst02"


def _exam(bank):
    bp = parse_blueprint({"title": "部件测试卷", "time_limit_minutes": 10, "points": POINTS,
                          "counts": {"tst01": {"single": 2, "multiple": 1, "case": 1}, "tst02": {"judge": 1}}})
    return assemble_exam(bank, bp, 1)


def test_exam_widget_locks_when_time_is_up(bank):
    now = [100.0]
    w = exam_widget(_exam(bank), clock=lambda: now[0])
    assert isinstance(w, ExamWidget) and w.start_button.description == "开始考试"
    assert w.questions_box.layout.display == "none" and w.submit_button.disabled
    w.start_button.click()
    assert w.play.playing and w.questions_box.layout.display is None
    exam = w.exam
    single = [it for it in exam.items if it.question.type == "single"]
    now[0] = 160.0                                                    # one minute in
    w.inputs[single[0].number].value = single[0].question.answer      # right
    assert "09:00" in w.timer_html.value
    now[0] = 100.0 + 600.5                                            # past the 10-minute limit
    w.play.value = 3                                                  # a tick of the Play counter
    assert w.locked and w.timed_out and "时间到" in w.timer_html.value
    assert w.inputs[single[1].number].disabled and w.submit_button.disabled
    w.inputs[single[1].number].value = single[1].question.answer       # too late: not counted
    assert w.result.score == 1
    assert "成绩：1 / 13 分" in w.result_html.value and "待自评" in w.result_html.value
    assert bytes(w.chart.value).startswith(b"\x89PNG")
    case = next(it for it in exam.items if it.question.type == "case")
    w.case_inputs[case.number].value = 6
    w.self_assess_box.children[-1].click()                             # 更新成绩
    assert w.result.score == 7 and "待自评" not in w.result_html.value


def test_exam_widget_submit_and_answers_checked_on_every_interaction(bank, tmp_path):
    files = write_exam(_exam(bank), tmp_path)
    now = [0.0]
    w = exam_widget(files.json, clock=lambda: now[0])                 # from the JSON that crmlab exam writes
    w.start_button.click()
    for it in w.exam.items:
        q = it.question
        if q.type in ("single", "judge"):
            w.inputs[it.number].value = q.answer
        elif q.type == "multiple":
            for key, cb in zip(q.options, w.inputs[it.number].children, strict=True):
                cb.value = key in q.answer
    now[0] = 30.0
    w.submit_button.click()                                           # 交卷
    assert w.locked and not w.timed_out and "已交卷" in w.timer_html.value
    assert w.result.score == 5 and w.result.pending == 1               # 1 + 1 + 2 + 1, case pending
    by_topic = w.result.by_topic()
    assert by_topic.loc["tst02", "rate"] == 1
    # an answer given after the end of time, before any tick, is refused at that moment
    w2 = exam_widget(_exam(bank), clock=lambda: now[0])
    now[0] = 0.0
    w2.start_button.click()
    now[0] = 601.0
    first = w2.exam.items[0]
    w2.inputs[first.number].value = first.question.answer
    assert w2.locked and w2.result.score == 0


def test_item_analysis_explorer(bank, no_show, capsys):
    exam = _exam(bank)
    sim = simulate_responses(exam, n_candidates=40, seed=1)
    box = item_analysis_explorer(sim, bank)
    slider = box.children[0]
    assert isinstance(slider, widgets.FloatSlider) and slider.continuous_update is False
    a = render_item_analysis(sim, 0.25, bank)
    out = capsys.readouterr().out
    assert "高分组、低分组各 10 人（40 人的 25%）" in out          # round(0.25 × 40) = 10
    assert a.group == 10
