"""Chapter 6 widget: the pyramid explorer's printed and returned shares, computed here by sorting by hand."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from crmlab.widgets import grading_explorer, show_errors
from crmlab.widgets.grading import render_grading

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_grading_shares_match_a_hand_sort(no_show, capsys):
    rng = np.random.default_rng(6)
    profit = np.round(rng.lognormal(8, 1.2, 200) - 800, 0)   # some customers lose money
    table = render_grading(profit, 0.10, 0.25)
    ranked = np.sort(profit)[::-1]
    top, middle, bottom = ranked[:20], ranked[20:70], ranked[70:]     # 10 % and 25 % of 200 customers
    assert table["customers"].tolist() == [20, 50, 130]
    assert table["customer_share"].tolist() == pytest.approx([0.10, 0.25, 0.65])
    total = profit.sum()
    assert table["value_share"].tolist() == pytest.approx([top.sum() / total, middle.sum() / total,
                                                           bottom.sum() / total])
    printed = capsys.readouterr().out
    assert "关键客户：20 位，占客户 10.0%" in printed
    assert f"占利润 {top.sum() / total:.1%}" in printed
    ax = plt.gcf().axes[0]
    assert sorted(p.get_width() for p in ax.patches) == [20, 50, 130]   # one bar per grade, width = customers


def test_render_grading_with_empty_bottom_grade(no_show):
    table = render_grading([5.0, 4.0, 3.0, 2.0], 0.5, 0.5)
    assert table["customers"].tolist() == [2, 2, 0]
    assert table["value_share"].tolist() == pytest.approx([9 / 14, 5 / 14, 0.0])


def test_explorer_builds_and_reports_bad_cut_points(no_show, capsys):
    box = grading_explorer([3.0, 2.0, 1.0], top_share=0.3, middle_share=0.3)
    assert isinstance(box, widgets.VBox)
    top, middle = box.children[0], box.children[1]
    assert top.continuous_update is False and middle.continuous_update is False
    top.value, middle.value = 0.5, 0.5
    assert (top.value, middle.value) == (0.5, 0.5)
    show_errors(render_grading)([3.0, 2.0, 1.0], 0.5, 0.6)   # 110 %: a message instead of an exception
    assert "不能超过 100%" in capsys.readouterr().out
