"""Widgets of the customer-service notebooks (李先国 chapters 6–8): printed numbers worked out by hand, sliders
and buttons wired to the right arguments, errors shown inside the widget."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

import crmlab.widgets.complaint_handling as wc
import crmlab.widgets.service_innovation as ws
import crmlab.widgets.stress as wst
from crmlab import InputError
from crmlab.crisis_stages import CRISIS_DRILLS

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


# --- 超值服务 ---------------------------------------------------------------------------------------------------

def test_value_added_render_prints_the_hand_computed_economics(no_show, capsys):
    # M(0.8) = 8/3, M(0.85) = 3.4 at d = 0.1: CLV 266.7 → 340; extra 73,333; per-period cost 1000 × 20 × 3.4 = 68,000
    res = ws.render_value_added_service(1000, 100, 0.8, 0.05, 20, 0.10)
    out = capsys.readouterr().out
    assert "每位客户的终生价值 CLV：266.7 → 340.0 元；1,000 位客户合计增加 73,333 元" in out
    assert "68,000 元" in out and "净价值：5,333 元" in out
    assert "盈亏平衡所需的保留率提升：4.62 个百分点" in out            # 11/13 − 0.8 = 0.04615
    assert res.net_value == pytest.approx(73_333.3333 - 68_000)
    line = plt.gcf().axes[0].lines[0]
    assert line.get_ydata()[0] == pytest.approx(-1000 * 20 * 8 / 3)   # no uplift: only the cost, 20 × M(0.8) each
    assert line.get_xdata()[-1] == pytest.approx(19.0)                 # up to retention 0.99: 19 points


def test_value_added_render_that_never_pays(no_show, capsys):
    ws.render_value_added_service(100, 50, 0.5, 0.1, 60)
    assert "都收不回成本" in capsys.readouterr().out


def test_value_added_explorer_first_slider_is_the_uplift(no_show, monkeypatch):
    calls = []
    monkeypatch.setattr(ws, "render_value_added_service", lambda *args: calls.append(args))
    box = ws.value_added_service_explorer(1000, 100, 0.8, retention_uplift=0.05, cost_per_customer=20)
    uplift, cost = box.children[0], box.children[1]
    assert isinstance(uplift, widgets.FloatSlider) and uplift.continuous_update is False
    assert uplift.max == pytest.approx(0.19) and cost.max == pytest.approx(100)
    uplift.value = 0.08
    assert calls[-1][3:5] == (0.08, 20)              # (…, retention_uplift, cost_per_customer, …)
    cost.value = 35
    assert calls[-1][3:5] == (0.08, 35)


def test_value_added_explorer_shows_errors(no_show, capsys):
    ws.value_added_service_explorer(1000, 100, 0.8, discount=-1)
    assert "折现率 discount" in capsys.readouterr().out


# --- 角色扮演 ---------------------------------------------------------------------------------------------------

def test_roleplay_panel_buttons_drive_the_dialogue():
    panel = wc.complaint_roleplay_panel()
    assert [b.description for b in panel.buttons] == ["回应 a", "回应 b", "回应 c", "回应 d"]
    assert "一半都烂了" in panel.customer.value
    panel.buttons[1].click()                                       # argue: −2
    assert "本轮得分 -2" in panel.feedback.value and "违反：不争辩" in panel.feedback.value
    assert "目前得分 -2（最高可得 8 分）" in panel.header.value
    assert "这是什么态度" in panel.customer.value and len(panel.buttons) == 3
    for _ in range(4):                                             # apologise, empathise, remedy, follow up
        panel.buttons[0].click()
    assert panel.buttons == []
    assert "结局（客户留下并更加信任）" in panel.customer.value
    assert "总分 5 / 8（62%）——合格" in panel.customer.value       # −2 + 1 + 2 + 2 + 2 = 5
    assert panel.transcript.value.count("<li>") == 5
    panel.restart.click()
    assert "目前得分 +0" in panel.header.value and len(panel.buttons) == 4 and panel.transcript.value == ""


def test_roleplay_panel_shows_a_bad_key_as_an_error():
    panel = wc.complaint_roleplay_panel()
    assert panel.choose("z") is None
    assert "输入有误" in panel.feedback.value and "收到 'z'" in panel.feedback.value


# --- 处理投诉的经济账 -------------------------------------------------------------------------------------------

def test_complaint_resolution_render_by_hand(no_show, capsys):
    # 100 complaints, stay 0.3 → 0.8: 50 kept × 1,500 = 75,000; cost 100 × 100 = 10,000; break-even 0.5 × 1,500
    res = wc.render_complaint_resolution(100, 100, 1500, 0.8, 0.3)
    out = capsys.readouterr().out
    assert "多留住约 50.0 位客户" in out and "保住的客户价值：75,000 元" in out
    assert "净价值：65,000 元" in out and "每件投诉最多值得花：750 元" in out
    assert res.net_value == pytest.approx(65_000)
    line = plt.gcf().axes[0].lines[0]
    assert line.get_xdata()[-1] == pytest.approx(1500)             # 2 × max(100, 750)
    assert line.get_ydata()[0] == pytest.approx(75_000)            # free resolution keeps all the value


def test_complaint_resolution_explorer_first_slider_is_the_cost(no_show, monkeypatch):
    calls = []
    monkeypatch.setattr(wc, "render_complaint_resolution", lambda *args: calls.append(args))
    box = wc.complaint_resolution_explorer(100, 1500, stay_if_resolved=0.8, stay_if_unresolved=0.3,
                                           cost_per_resolution=100)
    cost, stay = box.children[0], box.children[1]
    assert isinstance(cost, widgets.FloatSlider) and cost.max == pytest.approx(1500)
    cost.value = 300
    assert calls[-1][:5] == (100, 300, 1500, 0.8, 0.3)
    stay.value = 0.6
    assert calls[-1][3] == 0.6


def test_complaint_resolution_explorer_shows_errors(no_show, capsys):
    wc.complaint_resolution_explorer(-3, 1500)
    assert "投诉数 complaints" in capsys.readouterr().out


# --- 危机处理 ---------------------------------------------------------------------------------------------------

def test_crisis_tabs_score_each_stage():
    tab = wc.crisis_checklists()
    assert isinstance(tab, widgets.Tab) and list(tab.titles) == ["事前", "事中", "事后"]
    during = tab.children[1]
    for box in during.boxes:
        box.value = box.description in CRISIS_DRILLS["during"].required
    during.button.click()
    assert "✔ 回答正确" in during.feedback.value and "得分 100 / 100" in during.feedback.value
    before = tab.children[0]
    for box in before.boxes:                          # one of 3 right actions and one mistake → 1/3 − 1/3 = 0
        box.value = box.description in (CRISIS_DRILLS["before"].required[0], CRISIS_DRILLS["before"].forbidden[0])
    assert before.submit().score == pytest.approx(0.0)
    for box in before.boxes:                          # one right action and a neutral one → 100 / 3
        box.value = box.description in (CRISIS_DRILLS["before"].required[0], CRISIS_DRILLS["before"].neutral[0])
    assert before.submit().score == pytest.approx(100 / 3)


# --- 知觉压力自评 -----------------------------------------------------------------------------------------------

def test_pss_render_by_hand(no_show, capsys):
    # 3+2+3 + (4−1) + (4−2) + 2 + (4−1) + (4−2) + 3+2 = 25 → 中等
    res = wst.render_pss10([3, 2, 3, 1, 2, 2, 1, 2, 3, 2])
    out = capsys.readouterr().out
    assert "知觉压力总分：25 / 40 —— 压力水平：中等" in out
    assert "4(反)=3" in out and "不是医学或心理诊断" in out
    assert res.total == 25
    bar = [p for p in plt.gcf().axes[0].patches if p.get_height() == pytest.approx(0.3)]
    assert bar and bar[0].get_width() == pytest.approx(25)


def test_pss_explorer_has_ten_sliders_and_the_first_changes_the_score(no_show, monkeypatch):
    calls = []
    monkeypatch.setattr(wst, "render_pss10", lambda answers: calls.append(answers))
    box = wst.pss10_explorer()
    sliders = [c.children[0] for c in box.children if isinstance(c, widgets.HBox)]
    assert len(sliders) == 10 and all(isinstance(s, widgets.IntSlider) for s in sliders)
    assert all((s.min, s.max, s.value) == (0, 4, 0) for s in sliders)
    sliders[0].value = 3
    assert calls[-1] == [3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    sliders[4].value = 2
    assert calls[-1] == [3, 0, 0, 0, 2, 0, 0, 0, 0, 0]


def test_pss_explorer_first_slider_moves_the_printed_total(no_show, capsys):
    box = wst.pss10_explorer()
    first = box.children[1].children[0]
    first.value = 3                                   # all zeros = 16; item 1 answered 3 → 19
    assert "知觉压力总分：19 / 40" in capsys.readouterr().out


def test_pss_explorer_refuses_bad_starting_answers():
    with pytest.raises(InputError, match="第 2 题"):
        wst.pss10_explorer([0, 9, 0, 0, 0, 0, 0, 0, 0, 0])
