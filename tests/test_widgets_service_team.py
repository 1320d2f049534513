"""Service-desk widgets: what they print and draw is what crmlab.service_metrics computes."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crmlab.service_metrics import PayScheme, faq_deflection_economics, performance_pay
from crmlab.widgets.common import show_errors
from crmlab.widgets.service_team import (
    faq_deflection_explorer,
    performance_pay_explorer,
    render_faq_deflection,
    render_performance_pay,
)

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_faq_deflection_prints_the_calculator(no_show, capsys):
    # 2,700 × 45 % × 40 % = 486 tickets; 486 × 12 元 = 5,832 元; − 1,500 = 4,332 元; 30,000 / 4,332 ≈ 6.9 months
    econ = render_faq_deflection(2700, 0.45, 0.40, 12, 30_000, 1_500, months=24)
    printed = capsys.readouterr().out
    assert econ == faq_deflection_economics(2700, 0.45, 0.40, 12, 30_000, 1_500)
    assert "每月少进线 486 张" in printed and "5,832 元" in printed and "净节省 4,332 元/月" in printed
    assert "回收期 6.9 个月" in printed and f"{-30_000 + 24 * 4332:,.0f} 元" in printed
    ax = plt.gcf().axes[0]
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == list(range(25)) and ys[0] == -30_000 and ys[24] == pytest.approx(-30_000 + 24 * 4332)


def test_render_faq_that_never_pays_back(no_show, capsys):
    render_faq_deflection(100, 0.5, 0.2, 10, 5_000, 200)
    assert "永远收不回来" in capsys.readouterr().out


def test_faq_explorer_first_slider_changes_the_result(no_show, capsys):
    box = faq_deflection_explorer(2700, 0.45, 12, deflection_rate=0.4)
    assert isinstance(box, widgets.VBox)
    first = box.children[0]
    assert isinstance(first, widgets.FloatSlider) and first.continuous_update is False and first.value == 0.4
    assert all(not s.continuous_update for s in box.children[:4])
    capsys.readouterr()
    render_faq_deflection(2700, 0.45, first.value, 12, 30_000, 1_500)
    before = capsys.readouterr().out
    first.value = 0.6
    render_faq_deflection(2700, 0.45, first.value, 12, 30_000, 1_500)
    assert capsys.readouterr().out != before
    show_errors(render_faq_deflection)(2700, 1.4, 0.4, 12, 30_000, 1_500)
    assert "可分流比例 deflectable_share" in capsys.readouterr().out


@pytest.fixture
def board():
    return pd.DataFrame({"fcr_rate": [0.72, 0.30], "satisfaction": [3.6, 4.8], "aht_minutes": [15.0, 10.0]},
                        index=pd.Index(["X", "Y"], name="agent_id"))


@pytest.fixture
def scheme():
    return PayScheme(4000, 2000, {"fcr_rate": 0.5, "satisfaction": 0.3, "aht_minutes": 0.2},
                     {"fcr_rate": 0.6, "satisfaction": 4.0, "aht_minutes": 12}, floor=0.6, cap=1.2)


def test_render_performance_pay_prints_each_agents_pay(no_show, capsys, board, scheme):
    pay = render_performance_pay(board, scheme)
    printed = capsys.readouterr().out
    pd.testing.assert_frame_equal(pay, performance_pay(board, scheme))
    # hand example (tests/test_service_metrics.py): X 6,060 元, Y 5,200 元
    assert "首次解决率 50%（目标 0.6）" in printed and "平均处理时长 20%（目标 12分钟）" in printed
    assert "6,060" in printed and "5,200" in printed and "绩效工资合计 3,260 元" in printed
    ax = plt.gcf().axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([4000, 4000, 2060, 1200])          # base bars, then bonus bars


def test_pay_explorer_first_slider_is_a_weight_and_changes_pay(no_show, capsys, board, scheme):
    box = performance_pay_explorer(board, scheme)
    assert isinstance(box, widgets.VBox)
    left, right = box.children[0].children
    first = left.children[0]
    assert first.description == "权重：首次解决率" and first.value == 0.5 and first.continuous_update is False
    assert [s.description for s in right.children] == ["目标：首次解决率", "目标：平均满意度", "目标：平均处理时长"]
    # raising the first weight from 0.5 to 0.9 (weights then scaled to sum 1) changes both agents' pay
    new = PayScheme(4000, 2000, {"fcr_rate": 0.9, "satisfaction": 0.3, "aht_minutes": 0.2},
                    {"fcr_rate": 0.6, "satisfaction": 4.0, "aht_minutes": 12}, floor=0.6, cap=1.2, normalize=True)
    first.value = 0.9
    changed = performance_pay(board, new)
    # X: (0.9×1.2 + 0.3×0.9 + 0.2×0.8) / 1.4 = 1.51 / 1.4; Y: (0 + 0.36 + 0.24) / 1.4 = 0.6 / 1.4
    assert changed["score"].tolist() == pytest.approx([1.51 / 1.4, 0.6 / 1.4])
    show_errors(lambda: PayScheme(1, 1, {"fcr_rate": 0.0}, {"fcr_rate": 0.6}, normalize=True))()
    assert "之和必须大于 0" in capsys.readouterr().out
