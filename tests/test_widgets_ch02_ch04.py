"""Chapters 2 and 4 widgets: what they print and return is what the crmlab calculators give."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab import InputError
from crmlab.acquisition import funnel, funnel_sensitivity
from crmlab.campaign import campaign_profit, gains_table, mailing_depth
from crmlab.service import agents_needed, average_speed_of_answer, service_level
from crmlab.widgets.acquisition import funnel_explorer, render_funnel
from crmlab.widgets.campaign import mailing_depth_explorer, render_mailing_depth
from crmlab.widgets.common import show_errors
from crmlab.widgets.service import erlang_staffing_explorer, render_staffing

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_staffing_prints_the_erlang_c_results(no_show, capsys):
    # The Call Centre Helper example at an hourly rate: 200 calls/h × 180 s / 3600 = 10 Erlangs → 14 agents
    row = render_staffing(200, 180, 20, 0.8, shrinkage=0.3)
    printed = capsys.readouterr().out
    assert row["traffic"] == pytest.approx(10.0) and row["agents"] == 14 == agents_needed(10, 180, 20, 0.8)
    assert row["service_level"] == pytest.approx(service_level(10, 14, 20, 180))
    assert row["asa"] == pytest.approx(average_speed_of_answer(10, 14, 180))
    assert "10.00 Erlang" in printed and "至少需要 14 名座席" in printed
    assert f"服务水平 {service_level(10, 14, 20, 180):.1%}" in printed
    assert f"ASA {average_speed_of_answer(10, 14, 180):.1f} 秒" in printed
    assert f"少 1 人（13 名）时服务水平只有 {service_level(10, 13, 20, 180):.1%}" in printed
    assert "需要排班 20 人" in printed and row["scheduled"] == 20
    ax = plt.gcf().axes[0]
    xs, ys = ax.lines[0].get_data()
    assert 14 in list(xs) and ys[list(xs).index(14)] == pytest.approx(row["service_level"])


def test_staffing_explorer_reacts_and_reports_errors(no_show, capsys):
    box = erlang_staffing_explorer(calls_per_hour=200, aht=180)
    assert isinstance(box, widgets.VBox)
    calls = box.children[0]
    assert isinstance(calls, widgets.IntSlider) and calls.continuous_update is False and calls.value == 200
    calls.value = 400
    show_errors(render_staffing)(200, -5, 20, 0.8)
    assert "平均处理时长 aht" in capsys.readouterr().out


@pytest.fixture
def scored():
    # 20 customers, scores 20 … 1; responders at ranks 1, 2, 3, 5, 8, 13
    y = [0] * 20
    for rank in (1, 2, 3, 5, 8, 13):
        y[rank - 1] = 1
    return y, list(range(20, 0, -1))


def test_render_mailing_depth_agrees_with_the_calculators(no_show, capsys, scored):
    y, s = scored
    chosen = render_mailing_depth(y, s, 0.25, 2.0, 10.0, bins=4)
    printed = capsys.readouterr().out
    # top 25 % = 5 customers, 4 responders: 40 元 − 10 元 = 30 元
    assert (chosen.contacts, chosen.responders, chosen.profit) == (5, 4.0, 30.0)
    assert chosen == campaign_profit(y, s, 0.25, 2.0, 10.0)
    best = mailing_depth(y, s, 2.0, 10.0)
    # profit: k=3 → 24, k=5 → 30, k=8 → 34, k=13 → 34; the first maximum is 8 contacts (40 %)
    assert best.best.contacts == 8 and best.profit == 34.0
    assert "前 25%（5 人）：响应 4 人，占全部响应者的 66.7%" in printed
    assert "利润 30 元" in printed and "前 40.0%（8 人），利润 34 元" in printed
    assert "盈亏平衡响应率 = 接触成本 ÷ 每个响应的毛利 = 20.00%" in printed
    gains_ax = plt.figure(plt.get_fignums()[0]).axes[0]       # the first of the two charts
    xs, ys = gains_ax.lines[1].get_data()
    # quarters of 5 customers hold 4, 1, 1, 0 responders: cumulative gains 4/6, 5/6, 1, 1
    assert list(xs) == pytest.approx([0, 0.25, 0.5, 0.75, 1.0])
    assert list(ys[1:]) == pytest.approx([4 / 6, 5 / 6, 1.0, 1.0]) == gains_table(y, s, 4)["cum_gains"].tolist()


def test_mailing_depth_explorer_builds(no_show, scored):
    y, s = scored
    box = mailing_depth_explorer(y, s, depth=0.3)
    depth = box.children[0]
    assert depth.description.startswith("投放深度") and depth.value == pytest.approx(0.3)
    depth.value = 0.5
    assert all(not c.continuous_update for c in box.children[:3])


def test_render_funnel_agrees_with_the_calculators(no_show, capsys):
    table = render_funnel(10_000, [0.2, 0.05], margin_per_buyer=300)
    printed = capsys.readouterr().out
    assert table.equals(funnel(entrants=10_000, conversion_rates=[0.2, 0.05]))
    sens = funnel_sensitivity(10_000, [0.2, 0.05], margin_per_buyer=300)
    assert sens.loc["目标客户 → 初次购买客户", "extra_buyers"] == pytest.approx(20)
    assert "目标客户：2,000 人，由上一阶段转化 20.0%" in printed and "初次购买客户：100 人" in printed
    assert "总转化率 1.00%" in printed
    assert "“目标客户 → 初次购买客户”：5.0% → 6.0%，多 20.0 位初次购买客户，多 6,000 元毛利" in printed
    ax = plt.gcf().axes[0]
    assert sorted(p.get_width() for p in ax.patches) == pytest.approx([100, 2000, 10_000])


def test_funnel_explorer_has_one_slider_per_step(no_show, capsys):
    box = funnel_explorer(800, (0.5, 0.25, 0.5), stages=["访客", "注册", "试用", "购买"])
    sliders = box.children[:-1]
    assert [s.description for s in sliders] == ["访客→注册", "注册→试用", "试用→购买"]
    assert [s.value for s in sliders] == [0.5, 0.25, 0.5]
    sliders[0].value = 0.6
    with pytest.raises(InputError):
        funnel_explorer(800, (0.5, 1.5))
