"""Chapter 7 and 9 widgets: printed numbers worked out by hand, and sliders wired to the right arguments."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import crmlab.widgets.complaints as wc
import crmlab.widgets.loyalty as wl

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_programme_render_prints_the_hand_computed_economics(no_show, capsys):
    # r = 0.6 → 0.7, d = 0.1: M = 1.2 → 1.75; gain 1000 × 100 × 0.55 = 55 000; rewards 1000 × 20 × 1.75 = 35 000;
    # break-even: M(r + u) = 120 / 80 = 1.5 → r + u = 0.66 → 6 points
    res = wl.render_loyalty_programme(1000, 100, 0.6, 0.10, 20, discount=0.1)
    out = capsys.readouterr().out
    assert "多留住客户带来的毛利（现值）：55,000 元" in out
    assert "35,000 元" in out and "净价值：20,000 元" in out
    assert "盈亏平衡所需的保留率提升：6.00 个百分点" in out
    assert res.net_value == pytest.approx(20_000)
    line = plt.gcf().axes[0].lines[0]
    # at zero uplift there is no extra margin, only rewards to the members who stay: 1000 × 20 × 1.2 = 24 000
    assert line.get_ydata()[0] == pytest.approx(-24_000)
    assert line.get_xdata()[-1] == pytest.approx(30.0)            # the curve runs to 30 points of uplift


def test_programme_that_never_pays_says_so(no_show, capsys):
    wl.render_loyalty_programme(100, 50, 0.5, 0.1, 60)
    assert "无法收回成本" in capsys.readouterr().out


def test_programme_explorer_first_slider_is_the_reward_cost(no_show, monkeypatch):
    calls = []
    monkeypatch.setattr(wl, "render_loyalty_programme", lambda *args: calls.append(args))
    box = wl.loyalty_programme_explorer(1000, 100, 0.6, reward_cost=20, retention_uplift=0.05)
    assert isinstance(box, widgets.VBox)
    reward, uplift = box.children[0], box.children[1]
    assert isinstance(reward, widgets.FloatSlider) and reward.continuous_update is False
    reward.value = 30
    assert calls[-1][3:5] == (0.05, 30)              # (…, retention_uplift, reward_cost, …)
    uplift.value = 0.1
    assert calls[-1][3:5] == (0.1, 30)
    assert uplift.max == pytest.approx(0.30)


def test_programme_explorer_shows_errors_instead_of_raising(no_show, capsys):
    box = wl.loyalty_programme_explorer(1000, 100, 0.6, reward_cost=20, retention_uplift=0.05, discount=-1)
    assert isinstance(box, widgets.VBox)
    assert "折现率 discount" in capsys.readouterr().out


def test_iceberg_render_by_hand(no_show, capsys):
    # 10 complaints at 4 % → 250 unhappy, 240 silent; 80 % resolved → 2 unresolved; (240 + 2) × 10 = 2 420 told
    ice = wc.render_iceberg(10, 0.04, 10, 0.8, positive_word_of_mouth=5)
    out = capsys.readouterr().out
    assert "不满的客户约 250 人，其中沉默的 240 人（每件投诉背后约 24.0 人）" in out
    assert "约 2,420 人听到负面评价" in out
    assert "约 40 人听到正面评价" in out                 # 8 resolved × 5
    assert ice.negative_told == pytest.approx(2420)
    heights = sorted(p.get_height() for p in plt.gcf().axes[0].patches)
    assert heights == pytest.approx([-240, 10])


def test_iceberg_explorer_first_slider_is_the_voice_rate(no_show, monkeypatch):
    calls = []
    monkeypatch.setattr(wc, "render_iceberg", lambda *args: calls.append(args))
    box = wc.complaint_iceberg_explorer(435, voice_rate=0.04)
    voice = box.children[0]
    assert isinstance(voice, widgets.FloatSlider) and voice.value == pytest.approx(0.04)
    voice.value = 0.07
    assert calls[-1][:2] == (435, 0.07)
    box.children[2].value = 0.5
    assert calls[-1][3] == 0.5


def test_checklist_scores_the_chosen_plan(capsys):
    box = wc.complaint_steps_checklist()
    slots = [c for c in box.children if isinstance(c, widgets.Dropdown)]
    button = next(c for c in box.children if isinstance(c, widgets.Button))
    assert len(slots) == 4
    offered = [v for _label, v in slots[0].options if v is not None]
    assert sorted(offered) == sorted(wc.CHECKLIST_ORDER)
    assert offered[:4] != ["listen", "record", "resolve", "follow_up"]     # the answer is not given away
    for slot, key in zip(slots, ["listen", "record", "resolve", "follow_up"], strict=True):
        slot.value = key
    button.click()
    assert "得分：100 / 100" in capsys.readouterr().out
    slots[3].value = "listen"                                             # the same step twice
    button.click()
    assert "只能出现一次" in capsys.readouterr().out


def test_checklist_render_with_empty_slots_and_a_mistake(capsys):
    result = wc.render_checklist_score(["listen", None, "argue", None])
    out = capsys.readouterr().out
    # one step (12.5), no pairs, one mistake (−10) → 2.5
    assert result.score == pytest.approx(2.5)
    assert "得分：2 / 100" in out                        # 2.5 printed with no decimals (round half to even)
    assert "不宜这样做：先和客户讲清楚谁对谁错" in out
    assert np.isclose(wc.render_checklist_score([None] * 4).score, 0.0)
