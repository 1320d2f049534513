"""Chapter 5 widget: the RFM segment explorer prints and returns crmlab.rfm's numbers for its settings."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crmlab.datasets import load_green_food
from crmlab.rfm import rfm_scores, rfm_segment_summary, rfm_table
from crmlab.widgets.rfm import as_of_options, render_rfm_segments, rfm_segment_explorer

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def tx():
    return load_green_food().transactions


def test_render_prints_the_summary(no_show, capsys, tx):
    table = render_rfm_segments(tx, "2023-12-31", cut=4, method="average", window_days=365)
    expected = rfm_segment_summary(rfm_scores(rfm_table(tx, "2023-12-31", window_days=365), method="average"), cut=4)
    pd.testing.assert_frame_equal(table, expected)
    out = capsys.readouterr().out
    row = expected.iloc[0]
    assert f"{expected.index[0]}：{int(row['customers'])} 位（{row['customer_share']:.1%}）" in out
    assert out.startswith("截至 2023-12-31：")
    assert len(plt.gcf().axes[0].patches) == 16


def test_hand_example_through_the_widget(no_show, capsys):
    tx = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2024-01-01", "2024-01-31"], "amount": [10.0, 30.0]})
    table = render_rfm_segments(tx, "2024-01-31")
    # B: R 0 (best), F tie, M 30 (best) → scores 5, 1, 5 → 重要发展客户; A: R 1, F 1, M 1 → 一般挽留客户
    assert table.loc["重要发展客户", "customers"] == 1 and table.loc["一般挽留客户", "customers"] == 1
    assert table.loc["重要发展客户", "monetary_share"] == pytest.approx(0.75)
    assert "一般价值客户：0 位" in capsys.readouterr().out


def test_as_of_options_are_quarter_ends(tx):
    options = as_of_options(tx)
    assert options[0] == pd.Timestamp("2022-03-31") and options[-1] == pd.Timestamp("2024-12-31")
    assert len(options) == 12


def test_explorer_starts_one_step_before_the_end_and_reports_errors(no_show, capsys, tx):
    box = rfm_segment_explorer(tx)
    slider = box.children[0]
    assert isinstance(slider, widgets.SelectionSlider) and slider.continuous_update is False
    assert slider.value == pd.Timestamp("2024-09-30")          # the last option is 2024-12-31: room to move
    slider.value = pd.Timestamp("2024-12-31")
    cut, ties, window = box.children[1].children
    cut.value, ties.value, window.value = "mean", "first", 365
    early = rfm_segment_explorer(tx.iloc[:3], months=1)
    early.children[1].children[2].value = 365
    with pytest.raises(Exception, match="截止日期 as_of"):
        rfm_segment_explorer(tx, as_of="2024-10-15")
