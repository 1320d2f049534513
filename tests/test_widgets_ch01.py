"""Chapter 1 widgets: the delivered-value comparison (让渡价值) draws from crmlab.value and nothing else."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab import InputError, delivered_value
from crmlab.widgets import delivered_value_explorer
from crmlab.widgets.delivered import delivered_value_table, render_delivered_value

matplotlib.use("Agg")

OFFER_A = ({"product": 40, "service": 20, "personnel": 10, "image": 10}, {"money": 30, "time": 10, "energy": 5})
OFFER_B = ({"product": 45, "service": 10, "personnel": 5, "image": 15}, {"money": 25, "time": 20, "physical": 10})


@pytest.fixture
def no_show(monkeypatch):
    """Keep figures instead of showing them, and close them afterwards."""
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_matches_first_principles(no_show, capsys):
    table = render_delivered_value({"A": OFFER_A, "B": OFFER_B})
    # 总客户价值 and 总客户成本 are plain sums; 让渡价值 = value − cost (Kotler)
    assert table.loc["A", "总客户价值"] == 80 and table.loc["A", "总客户成本"] == 45
    assert table.loc["A", "让渡价值"] == 35
    assert table.loc["B", "总客户价值"] == 75 and table.loc["B", "总客户成本"] == 55
    assert table.loc["B", "让渡价值"] == 20
    assert table.loc["A", "价值成本比"] == pytest.approx(80 / 45)
    assert list(table.index) == ["A", "B"]
    fig = plt.gcf()
    assert fig.axes[0].get_title() == "客户让渡价值对比"
    assert len(fig.axes[0].patches) == 6  # three bars per offer


def test_table_agrees_with_calculator():
    result = delivered_value(*OFFER_B)
    table = delivered_value_table({"B": result})
    assert table.loc["B"].tolist()[:3] == [result.total_value, result.total_cost, result.delivered]


def test_bad_input_is_an_input_error(no_show):
    with pytest.raises(InputError, match="money"):
        render_delivered_value({"A": ({"product": 10}, {"money": -1})})
    with pytest.raises(InputError):
        render_delivered_value({})
    with pytest.raises(InputError):
        delivered_value_table({})


def test_explorer_has_eight_sliders(no_show):
    box = delivered_value_explorer(OFFER_A, OFFER_B)
    assert isinstance(box, widgets.VBox)
    sliders = [w for col in box.children[1].children for w in col.children]
    assert len(sliders) == 8
    assert all(isinstance(s, widgets.IntSlider) and not s.continuous_update for s in sliders)
    assert [s.value for s in sliders[:4]] == [40, 20, 10, 10]
