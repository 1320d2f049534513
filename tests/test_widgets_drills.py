"""Drill widgets: the slider, “提交答案” and the feedback, exercised by calling the handlers directly."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from crmlab.drills import ChecklistDrill, Drill, OrderingDrill
from crmlab.errors import InputError
from crmlab.service_content.lxg01 import MOTIVE_DRILLS
from crmlab.service_content.lxg02 import CARD_CHECKLIST, RECEPTION_STEPS
from crmlab.widgets.drills import (
    DrillExplorer,
    checklist_drill,
    drill_explorer,
    format_result,
    ordering_drill,
    render_drill,
)

TWO = (
    Drill("w1", "第一题的情境", ("甲", "乙"), "甲", {"甲": "甲是对的", "乙": "乙不对"}),
    Drill("w2", "第二题的情境", ("丙", "丁", "戊"), ("丙", "丁"), {"丙": "对", "丁": "对", "戊": "错"}),
)


def _scenario(box: DrillExplorer) -> str:
    (shown,) = box.scenario.outputs
    return shown["data"]["text/html"]


def test_explorer_layout_slider_first_then_an_output_and_the_submit_button():
    box = drill_explorer(list(MOTIVE_DRILLS))
    assert isinstance(box, widgets.VBox)
    assert isinstance(box.children[0], widgets.IntSlider)           # the browser test moves the first slider
    assert box.slider.max == len(MOTIVE_DRILLS)
    assert isinstance(box.children[1], widgets.Output)              # … and reads the first output after it
    assert box.button.description == "提交答案"
    assert "第 1 / 8 题" in _scenario(box) and MOTIVE_DRILLS[0].prompt in _scenario(box)
    assert sorted(box.choices.options) == sorted(MOTIVE_DRILLS[0].options) and box.choices.value is None


def test_right_answer_says_correct_and_the_running_score_counts_it():
    box = drill_explorer(TWO)
    box.choices.value = "甲"
    result = box.submit()
    assert result.correct
    assert "回答正确" in box.feedback.value and "甲是对的" in box.feedback.value
    assert "累计得分 1 / 1 分（已答 1 题，共 2 题" in box.score.value


def test_wrong_answer_says_not_correct_with_the_reason_and_the_right_answer():
    box = drill_explorer(TWO)
    box.choices.value = "乙"
    box.submit()
    assert "不正确" in box.feedback.value
    assert "乙不对" in box.feedback.value and "正确答案：甲" in box.feedback.value
    assert "累计得分 0 / 1 分" in box.score.value
    box.choices.value = "甲"                                       # a second try is explained but not counted
    box.button.click()
    assert "回答正确" in box.feedback.value and "不再计入" in box.feedback.value
    assert "累计得分 0 / 1 分" in box.score.value


def test_submitting_nothing_shows_the_input_error_in_the_widget():
    box = drill_explorer(TWO)
    assert box.submit() is None
    assert "输入有误" in box.feedback.value and "还没有选择答案" in box.feedback.value


def test_moving_the_slider_shows_the_next_scenario_and_clears_the_feedback():
    box = drill_explorer(TWO)
    box.choices.value = "甲"
    box.submit()
    before = _scenario(box)
    box.slider.value = 2
    assert _scenario(box) != before and "第二题的情境" in _scenario(box) and "可多选" in _scenario(box)
    assert box.feedback.value == ""
    # the second drill has two right options: tick boxes instead of radio buttons
    assert box.choices.layout.display == "none" and len(box.ticks.children) == 3
    for tick in box.ticks.children:
        tick.value = tick.description in ("丙", "戊")
    result = box.submit()
    assert result.score == 0 and "不正确" in box.feedback.value      # 1 right − 1 wrong = 0
    box.show(1)
    assert box.slider.value == 1 and "第一题的情境" in _scenario(box)


def test_explorer_input_checks():
    with pytest.raises(InputError, match="非空"):
        drill_explorer([])
    with pytest.raises(InputError, match="第 1 项必须是选择题"):
        drill_explorer([RECEPTION_STEPS])
    single = drill_explorer(TWO[0])
    assert single.slider.disabled


def test_ordering_panel_scores_the_drop_downs():
    panel = ordering_drill(RECEPTION_STEPS)
    assert panel.button.description == "提交答案"
    assert len(panel.slots) == len(RECEPTION_STEPS.steps)
    offered = [v for _label, v in panel.slots[0].options if v is not None]
    assert sorted(offered) == sorted(RECEPTION_STEPS.steps) and offered != list(RECEPTION_STEPS.steps)
    for slot, step in zip(panel.slots, RECEPTION_STEPS.steps, strict=True):
        slot.value = step
    assert panel.submit().correct and "回答正确" in panel.feedback.value
    panel.slots[0].value, panel.slots[1].value = RECEPTION_STEPS.steps[1], RECEPTION_STEPS.steps[0]
    result = panel.submit()
    # one neighbouring swap of 7 steps: 20 of 21 pairs, 5 of 7 slots → 0.5 × 20/21 + 0.5 × 5/7
    assert result.score == pytest.approx(0.5 * 20 / 21 + 0.5 * 5 / 7)
    assert "还不对" in panel.feedback.value and "不再计入" in panel.feedback.value
    panel.slots[2].value = RECEPTION_STEPS.steps[0]                 # the same step twice
    assert panel.submit() is None
    assert "输入有误" in panel.feedback.value and "重复" in panel.feedback.value


def test_checklist_panel_scores_the_ticks():
    panel = checklist_drill(CARD_CHECKLIST)
    assert panel.button.description == "提交答案"
    assert sorted(b.description for b in panel.boxes) == sorted(CARD_CHECKLIST.items)
    for box in panel.boxes:
        box.value = box.description in CARD_CHECKLIST.required
    assert panel.submit().correct and "回答正确" in panel.feedback.value
    for box in panel.boxes:
        box.value = box.description in CARD_CHECKLIST.forbidden
    panel.submit()
    assert "不正确" in panel.feedback.value


def test_panels_refuse_the_wrong_kind_of_drill():
    with pytest.raises(InputError, match="OrderingDrill"):
        ordering_drill(CARD_CHECKLIST)
    with pytest.raises(InputError, match="ChecklistDrill"):
        checklist_drill(RECEPTION_STEPS)


def test_html_escapes_the_text():
    d = Drill("h1", "a < b & c", ("<x>", "y"), "y", {"<x>": "no", "y": "yes"}, topic="t&t")
    assert "a &lt; b &amp; c" in render_drill(d, 1, 1) and "t&amp;t" in render_drill(d, 1, 1)
    from crmlab.drills import score_choice

    assert "&lt;x&gt;" in format_result(score_choice(d, "<x>"))


def test_checklist_and_ordering_dataclasses_are_used_as_given():
    o = OrderingDrill("o1", "排序", ("一", "二"), {"一": "先", "二": "后"}, points=3)
    panel = ordering_drill(o)
    panel.slots[0].value, panel.slots[1].value = "一", "二"
    assert panel.submit().score == 3
    c = ChecklistDrill("c1", "勾选", ("对",), ("错",), {"对": "y", "错": "n"})
    cp = checklist_drill(c)
    assert cp.submit().score == 0 and "漏选了：对" in cp.feedback.value
