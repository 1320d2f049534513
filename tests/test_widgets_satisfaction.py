"""Chapter 8 widgets: the NPS explorer and the Kano questionnaire show what the calculators compute."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab.widgets.common import show_errors
from crmlab.widgets.satisfaction import kano_questionnaire_explorer, nps_explorer, render_kano, render_nps

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_nps_on_the_hand_sample(no_show, capsys):
    # 5 promoters, 3 passives, 2 detractors: NPS 30, 95 % interval 30 ± 48.41 (see tests/test_satisfaction.py)
    r = render_nps(5, 3, 2)
    printed = capsys.readouterr().out
    assert "净推荐值 NPS = 30.0" in printed and "[-18.4, 78.4]" in printed
    assert "推荐者 5（50.0%）" in printed and "贬损者 2（20.0%）" in printed
    assert r.nps == pytest.approx(30.0)
    ax = plt.gcf().axes[0]
    # bars on the −100…100 axis, as wide as 200 × share: detractors 40, passives 60, promoters 100
    assert [round(p.get_width(), 6) for p in ax.patches] == [40.0, 60.0, 100.0]
    assert [round(p.get_x(), 6) for p in ax.patches] == [-100.0, -60.0, 0.0]


def test_render_kano_prints_category_meaning_and_marks_the_cell(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("crmlab.widgets.satisfaction.display", shown.append)
    assert render_kano(2, 5, "冷链保温") == "M"          # must-be / dislike → M (Berger et al. 1993)
    printed = capsys.readouterr().out
    assert "类别 M：必备属性" in printed and "有冷链保温时：理所当然" in printed
    grid = shown[0]
    assert grid.iloc[1, 4] == "【M】"
    assert grid.iloc[0, 4] == "O" and grid.iloc[4, 4] == "Q"
    assert (grid.to_numpy() == "【M】").sum() == 1


def test_nps_explorer_builds_with_a_first_slider_and_reports_errors(no_show, capsys):
    box = nps_explorer(promoters=5, passives=3, detractors=2)
    assert isinstance(box, widgets.VBox)
    first = box.children[0]
    assert isinstance(first, widgets.IntSlider) and first.continuous_update is False
    assert isinstance(box.children[-1], widgets.Output)
    first.value = 8
    assert first.value == 8
    show_errors(render_nps)(0, 0, 0)        # no answers: a message instead of an exception
    assert "empty sample" in capsys.readouterr().out


def test_kano_explorer_uses_sliders_over_the_five_answers(monkeypatch):
    monkeypatch.setattr("crmlab.widgets.satisfaction.display", lambda *a, **k: None)
    box = kano_questionnaire_explorer("视频看菜", functional=1, dysfunctional=3)
    f, d = box.children[0], box.children[1]
    assert isinstance(f, widgets.SelectionSlider) and isinstance(d, widgets.SelectionSlider)
    assert list(f.options) == [("1 喜欢", 1), ("2 理所当然", 2), ("3 无所谓", 3), ("4 能忍受", 4), ("5 不喜欢", 5)]
    assert f.value == 1 and d.value == 3
    f.value, d.value = 5, 1
    assert (f.value, d.value) == (5, 1)
