"""Queue-simulation widget: the printed side-by-side figures are those of compare_with_erlang_c and Erlang C."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab.service import erlang_c, service_level
from crmlab.widgets.common import show_errors
from crmlab.widgets.queue import queue_explorer, render_queue

matplotlib.use("Agg")


@pytest.fixture
def no_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


def test_render_queue_prints_simulation_next_to_the_formula(no_show, capsys):
    table = render_queue(300, 240, 23, target_time=20, n_calls=20_000, seed=1)
    out = capsys.readouterr().out
    # 300 calls/h × 240 s ÷ 3600 = 20 Erlangs
    assert "= 20.00 Erlang" in out and "座席 23 名" in out
    assert table.loc["wait_probability", "erlang_c"] == pytest.approx(erlang_c(20, 23))
    assert table.loc["service_level", "erlang_c"] == pytest.approx(service_level(20, 23, 20, 240))
    assert f"Erlang C 公式 {erlang_c(20, 23):.1%}" in out
    assert f"模拟 {table.loc['service_level', 'simulated']:.1%}" in out
    assert "服务水平（20 秒内接通）" in out
    lines = plt.gcf().axes[0].get_lines()
    assert len(lines) >= 2                                    # simulated step curve and the formula


def test_render_queue_explains_an_overloaded_centre(no_show, capsys):
    table = render_queue(300, 240, 20, n_calls=5_000, seed=1)   # 20 Erlangs on 20 agents
    assert table.empty
    assert "队伍越排越长" in capsys.readouterr().out


def test_explorer_has_the_agents_slider_first(no_show, capsys):
    box = queue_explorer(n_calls=2_000)
    assert isinstance(box, widgets.VBox)
    agents, calls = box.children[0], box.children[1]
    assert isinstance(agents, widgets.IntSlider) and agents.description.startswith("座席数")
    assert agents.continuous_update is False and calls.continuous_update is False
    agents.value = 26
    assert agents.value == 26
    show_errors(render_queue)(300, -240, 23, n_calls=100)      # a bad AHT: a message, not an exception
    assert "平均处理时长 aht" in capsys.readouterr().out
