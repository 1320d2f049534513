"""Chapter 3 widget: the selection-criteria weight panel ranks exactly as crmlab.selection.selection_score."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crmlab import InputError
from crmlab.selection import selection_score
from crmlab.widgets import render_selection_ranking, selection_weights_explorer

matplotlib.use("Agg")

CANDIDATES = pd.DataFrame(
    {"收入": [9, 6, 3, 7], "形象": [8, 4, 2, 9], "成本": [3, 8, 9, 5]},
    index=["甲", "乙", "丙", "丁"],
)
WEIGHTS = {"收入": 4.0, "形象": 3.0, "成本": 3.0}


@pytest.fixture
def no_show(monkeypatch):
    """Keep figures instead of showing them, and close them afterwards."""
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_ranking_equals_selection_score(no_show, capsys):
    table = render_selection_ranking(CANDIDATES, WEIGHTS)
    expected = selection_score(CANDIDATES, WEIGHTS)
    pd.testing.assert_frame_equal(table, expected)
    # and by hand: weights 0.4/0.3/0.3 → 丁 7.0, 甲 6.9, 乙 6.0, 丙 4.5
    by_hand = (CANDIDATES * pd.Series({"收入": 0.4, "形象": 0.3, "成本": 0.3})).sum(axis=1)
    assert list(table.index) == list(by_hand.sort_values(ascending=False).index) == ["丁", "甲", "乙", "丙"]
    assert table["score"].to_dict() == pytest.approx(by_hand.to_dict())
    assert table["rank"].tolist() == [1, 2, 3, 4]
    ax = plt.gcf().axes[0]
    assert ax.get_title() == "候选客户综合得分"
    assert len(ax.patches) == len(CANDIDATES) * len(WEIGHTS)  # one stacked segment per criterion


def test_other_weights_rerank(no_show):
    table = render_selection_ranking(CANDIDATES, {"收入": 0.0, "形象": 0.0, "成本": 1.0})
    assert list(table.index) == list(selection_score(CANDIDATES, {"收入": 0, "形象": 0, "成本": 1}).index)
    assert table.index[0] == "丙"


def test_bad_input_is_an_input_error(no_show):
    with pytest.raises(InputError):
        render_selection_ranking(CANDIDATES, {"收入": 0, "形象": 0, "成本": 0})
    with pytest.raises(InputError):
        render_selection_ranking(CANDIDATES, {"不存在": 1})
    with pytest.raises(InputError):
        selection_weights_explorer(CANDIDATES, {})


def test_explorer_has_one_slider_per_criterion(no_show):
    box = selection_weights_explorer(CANDIDATES, WEIGHTS)
    assert isinstance(box, widgets.VBox)
    sliders = list(box.children[1].children)
    assert [s.description for s in sliders] == list(WEIGHTS)
    assert all(isinstance(s, widgets.FloatSlider) and not s.continuous_update for s in sliders)
    assert [s.value for s in sliders] == list(WEIGHTS.values())
