"""客户满意部件 chapter-8 widgets: the NPS and its confidence interval, and a Kano questionnaire.

* :func:`render_nps` / :func:`nps_explorer` — counts of promoters, passives and detractors → NPS, its interval
  (from :func:`crmlab.satisfaction.nps_from_counts`) and a chart;
* :func:`render_kano` / :func:`kano_questionnaire_explorer` — the two answers of a Kano question pair → the
  category (from :func:`crmlab.satisfaction.kano_category`), what it means, and where the pair sits in the
  evaluation table.

The widgets only wire controls to these functions; every number comes from :mod:`crmlab.satisfaction`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from ..plotting import new_figure
from ..satisfaction import KANO_ANSWERS, KANO_CATEGORIES, KANO_TABLE, NPSResult, kano_category, nps_from_counts
from .common import show_errors

__all__ = ["kano_questionnaire_explorer", "nps_explorer", "render_kano", "render_nps"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "460px"}
_GROUP_COLORS = {"贬损者": "#c0392b", "被动者": "#95a5a6", "推荐者": "#27ae60"}


def render_nps(promoters: int, passives: int, detractors: int, confidence: float = 0.95) -> NPSResult:
    """Print the NPS of the three counts with its interval and draw the shares and the interval;
    returns the :class:`~crmlab.satisfaction.NPSResult`."""
    r = nps_from_counts(promoters, passives, detractors, confidence)
    print(f"回答 {r.n} 份：推荐者 {r.promoters}（{r.promoters / r.n:.1%}），被动者 {r.passives}"
          f"（{r.passives / r.n:.1%}），贬损者 {r.detractors}（{r.detractors / r.n:.1%}）")
    print(f"净推荐值 NPS = {r.nps:.1f}；{r.confidence:.0%} 置信区间 [{r.lower:.1f}, {r.upper:.1f}]，"
          f"标准误 {r.standard_error:.1f}")
    _fig, ax = new_figure(f"NPS = {r.nps:.1f}，{r.confidence:.0%} 置信区间 [{r.lower:.1f}, {r.upper:.1f}]",
                          "净推荐值（分）/ 回答占比", "", figsize=(7.2, 2.6))
    left = -100.0
    for (label, count), color in zip((("贬损者", r.detractors), ("被动者", r.passives), ("推荐者", r.promoters)),
                                     _GROUP_COLORS.values(), strict=True):
        width = 200.0 * count / r.n
        ax.barh(1, width, left=left, color=color, height=0.5, label=f"{label} {count / r.n:.0%}")
        left += width
    ax.errorbar(r.nps, 0, xerr=[[r.nps - r.lower], [r.upper - r.nps]], fmt="o", color="black", capsize=6)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlim(-100, 100)
    ax.set_ylim(-0.6, 1.6)
    ax.set_yticks([0, 1], ["NPS 与区间", "回答构成"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, fontsize=8, frameon=False)
    plt.show()
    return r


def nps_explorer(promoters: int = 45, passives: int = 30, detractors: int = 25,
                 confidence: float = 0.95, max_count: int = 500) -> widgets.VBox:
    """净推荐值探索器: sliders for the number of promoters, passives and detractors, and the confidence level."""
    def slider(value: int, label: str) -> widgets.IntSlider:
        return widgets.IntSlider(value=value, min=0, max=max_count, step=1, description=label,
                                 continuous_update=False, style=_STYLE, layout=_LAYOUT)

    p = slider(promoters, "推荐者人数（9–10 分）")
    n = slider(passives, "被动者人数（7–8 分）")
    d = slider(detractors, "贬损者人数（0–6 分）")
    c = widgets.Dropdown(options=[("90%", 0.90), ("95%", 0.95), ("99%", 0.99)], value=confidence,
                         description="置信水平", style=_STYLE)

    @show_errors
    def render(promoters: int, passives: int, detractors: int, confidence: float) -> None:
        render_nps(promoters, passives, detractors, confidence)

    out = widgets.interactive_output(render, {"promoters": p, "passives": n, "detractors": d, "confidence": c})
    return widgets.VBox([p, n, d, c, out])


def _answer_label(a: int) -> str:
    return f"{a} {KANO_ANSWERS[a].split()[0]}"


def render_kano(functional: int, dysfunctional: int, feature: str = "这项功能") -> str:
    """Print the category of the answer pair and what it means, and show the evaluation table with the pair's
    cell marked; returns the category code."""
    cat = kano_category(functional, dysfunctional)
    zh, en, meaning = KANO_CATEGORIES[cat]
    print(f"有{feature}时：{KANO_ANSWERS[functional]}；没有{feature}时：{KANO_ANSWERS[dysfunctional]}")
    print(f"→ 类别 {cat}：{zh}（{en}）。{meaning}")
    labels = [_answer_label(a) for a in range(1, 6)]
    grid = pd.DataFrame([list(row) for row in KANO_TABLE], index=pd.Index(labels, name="正向 ＼ 反向"),
                        columns=labels)
    grid.iloc[functional - 1, dysfunctional - 1] = f"【{cat}】"
    display(grid)
    return cat


def kano_questionnaire_explorer(feature: str = "视频看菜", functional: int = 1,
                                dysfunctional: int = 3) -> widgets.VBox:
    """Kano 问卷探索器: answer the functional ("if it is there") and the dysfunctional ("if it is not there")
    question for ``feature`` on two sliders and see the category, its meaning and the table cell."""
    options = [(_answer_label(a), a) for a in range(1, 6)]
    f = widgets.SelectionSlider(options=options, value=functional, description=f"如果提供{feature}，您觉得",
                                continuous_update=False, style=_STYLE, layout=_LAYOUT)
    d = widgets.SelectionSlider(options=options, value=dysfunctional, description=f"如果没有{feature}，您觉得",
                                continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(functional: int, dysfunctional: int) -> None:
        render_kano(functional, dysfunctional, feature)

    out = widgets.interactive_output(render, {"functional": f, "dysfunctional": d})
    return widgets.VBox([f, d, out])
