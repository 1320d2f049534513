"""压力自评部件 widgets for 李先国 chapter 8: the PSS-10 self-assessment.

* :func:`render_pss10` — score ten answers with :func:`crmlab.stress_scale.score_pss10`, print the total, the
  band and each item's score (reversed items marked), and draw the total on the 0–40 scale with the bands;
* :func:`pss10_explorer` — one slider (0–4) per item; the score updates as the answers change.

The coping checklist uses the workbook's drill widget: ``checklist_drill(COPING_DRILL)`` from
:mod:`crmlab.widgets.drills`.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plotting import new_figure
from ..stress_scale import PSS10_ITEMS, PSS_BANDS, PSS_STEM, RESPONSE_LABELS, PssResult, score_pss10
from .common import show_errors

__all__ = ["NOT_A_DIAGNOSIS", "pss10_explorer", "render_pss10"]

NOT_A_DIAGNOSIS = ("提示：这是帮助了解自己近况的自评，不是医学或心理诊断；分段是常用的解读习惯，不是临床标准。"
                   "如果压力长期困扰你，请和信任的人谈谈，或寻求专业的心理咨询。")
_BAND_COLORS = ("#a9dfbf", "#f9e79f", "#f5b7b1")


def render_pss10(answers: Sequence[int]) -> PssResult:
    """Score ``answers`` (ten answers 0–4, in item order), print the total, band and item scores, and draw the
    total on the 0–40 scale with the three bands."""
    res = score_pss10(answers)
    print(f"知觉压力总分：{res.total} / 40 —— 压力水平：{res.band}")
    parts = [f"{item.number}{'(反)' if item.reversed else ''}={score}"
             for item, score in zip(PSS10_ITEMS, res.item_scores, strict=True)]
    print("各题得分（反向计分的题 = 4 − 回答）：" + "，".join(parts))
    print(NOT_A_DIAGNOSIS)
    _fig, ax = new_figure("你的知觉压力总分（PSS-10）", "总分（0–40）", "", figsize=(6.4, 1.9))
    for (low, high, name), color in zip(PSS_BANDS, _BAND_COLORS, strict=True):
        ax.axvspan(low - 0.5 if low else 0, high + 0.5 if high < 40 else 40, color=color, alpha=0.8)
        ax.text((low + high) / 2, 0.85, f"{name}（{low}–{high}）", ha="center", va="center", fontsize=9)
    ax.barh([0.35], [res.total], height=0.3, color="#2c3e50")
    ax.text(res.total + 0.5, 0.35, str(res.total), va="center", fontsize=10)
    ax.set_xlim(0, 40)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.grid(False)
    plt.show()
    return res


def pss10_explorer(answers: Sequence[int] | None = None) -> widgets.VBox:
    """知觉压力自评: ten sliders (0 = 从不 … 4 = 非常频繁), one per item, starting at ``answers`` (default all 0);
    the total, band and chart update when an answer changes."""
    start = list(answers) if answers is not None else [0] * 10
    score_pss10(start)                                   # bad starting answers fail here, naming the item
    legend = "，".join(f"{k} = {v}" for k, v in RESPONSE_LABELS.items())
    head = widgets.HTML(f"<b>{PSS_STEM}……</b><br><span style='color:#555'>拖动滑块作答：{legend}</span>")
    sliders = {}
    rows = []
    for item, value in zip(PSS10_ITEMS, start, strict=True):
        s = widgets.IntSlider(value=int(value), min=0, max=4, step=1, description=f"第 {item.number} 题",
                              continuous_update=False, style={"description_width": "initial"},
                              layout={"width": "240px"})
        sliders[f"a{item.number}"] = s
        rows.append(widgets.HBox([s, widgets.HTML(f"{item.number}. ……{item.text}")]))

    @show_errors
    def render(**kw: int) -> None:
        render_pss10([kw[f"a{i}"] for i in range(1, 11)])

    out = widgets.interactive_output(render, sliders)
    return widgets.VBox([head, *rows, out])
