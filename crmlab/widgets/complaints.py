"""客户投诉部件 chapter-7 widgets: the complaint iceberg and a four-step complaint-handling checklist.

* :func:`render_iceberg` / :func:`complaint_iceberg_explorer` — from the complaints received to the silent
  unhappy customers below the waterline and the people they tell (:func:`crmlab.complaints.complaint_iceberg`);
* :func:`render_checklist_score` / :func:`complaint_steps_checklist` — the learner picks what to do first,
  second, third and fourth; the plan is scored by :func:`crmlab.complaints.score_complaint_handling`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..complaints import (
    COMPLAINT_DISTRACTORS,
    COMPLAINT_STEPS,
    ComplaintHandlingScore,
    IcebergResult,
    complaint_iceberg,
    score_complaint_handling,
)
from ..plotting import new_figure
from .common import show_errors

__all__ = ["complaint_iceberg_explorer", "complaint_steps_checklist", "render_checklist_score", "render_iceberg"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "440px"}


def render_iceberg(complaints: float, voice_rate: float, word_of_mouth: float, resolved_share: float,
                   positive_word_of_mouth: float = 0.0) -> IcebergResult:
    """Print the iceberg implied by ``complaints`` and draw it: complaints above the waterline, silent unhappy
    customers below it (bar lengths in customers)."""
    ice = complaint_iceberg(complaints, voice_rate, word_of_mouth, resolved_share, positive_word_of_mouth)
    print(f"收到投诉 {ice.complaints:,.0f} 件；按投诉率 {voice_rate:.1%} 推算，不满的客户约 {ice.unhappy:,.0f} 人，"
          f"其中沉默的 {ice.silent:,.0f} 人（每件投诉背后约 {ice.silent_per_complaint:,.1f} 人）")
    print(f"投诉已解决 {resolved_share:.0%}：仍然不满的客户约 {ice.still_unhappy:,.0f} 人"
          f"（沉默 {ice.silent:,.0f} + 投诉未解决 {ice.unresolved:,.0f}）")
    print(f"他们每人告诉 {word_of_mouth:g} 人：约 {ice.negative_told:,.0f} 人听到负面评价")
    if positive_word_of_mouth > 0:
        print(f"投诉得到解决的客户每人告诉 {positive_word_of_mouth:g} 人：约 {ice.positive_told:,.0f} 人听到正面评价")
    _fig, ax = new_figure("投诉冰山：企业听到的只是水面以上的部分", "", "客户数（人）", figsize=(6.4, 4.2))
    ax.bar([0], [ice.complaints], width=0.6, color="#f5f5f5", edgecolor="tab:blue", label="水面以上：投诉")
    ax.bar([0], [-ice.silent], width=0.9, color="#aed6f1", edgecolor="tab:blue", label="水面以下：沉默的不满客户")
    ax.axhline(0, color="tab:blue", linewidth=2)
    span = max(ice.complaints + ice.silent, 1.0)
    ax.text(0.55, ice.complaints + 0.02 * span, f"投诉 {ice.complaints:,.0f} 件", va="bottom", ha="left")
    ax.text(0.55, -ice.silent / 2, f"沉默的不满客户 {ice.silent:,.0f} 人", va="center", ha="left")
    ax.set_ylim(-ice.silent - 0.05 * span, ice.complaints + 0.35 * span)
    ax.set_xlim(-0.8, 2.2)
    ax.set_xticks([])
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ax.legend(loc="upper right", fontsize=9)
    plt.show()
    return ice


def complaint_iceberg_explorer(complaints: float, voice_rate: float = 0.04, word_of_mouth: float = 10.0,
                               resolved_share: float = 0.8, positive_word_of_mouth: float = 5.0) -> widgets.VBox:
    """投诉冰山探索器: sliders for the share of unhappy customers who complain, the number of people each
    still-unhappy customer tells, and the share of complaints resolved; ``complaints`` is fixed (e.g. a year's
    log)."""
    voice = widgets.FloatSlider(value=voice_rate, min=0.01, max=0.5, step=0.01, description="不满客户中投诉的比例",
                                readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    wom = widgets.FloatSlider(value=word_of_mouth, min=0.0, max=30.0, step=1.0, description="每人告诉几个人",
                              readout_format=".0f", continuous_update=False, style=_STYLE, layout=_LAYOUT)
    resolved = widgets.FloatSlider(value=resolved_share, min=0.0, max=1.0, step=0.05, description="投诉解决比例",
                                   readout_format=".0%", continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(voice_rate: float, word_of_mouth: float, resolved_share: float) -> None:
        render_iceberg(complaints, voice_rate, word_of_mouth, resolved_share, positive_word_of_mouth)

    out = widgets.interactive_output(render, {"voice_rate": voice, "word_of_mouth": wom, "resolved_share": resolved})
    return widgets.VBox([voice, wom, resolved, out])


#: The choices offered in each slot, in a fixed mixed order so the right order is not given away.
CHECKLIST_ORDER: tuple[str, ...] = ("resolve", "argue", "follow_up", "transfer", "listen", "promise", "record",
                                    "close")
_NAMES = {s.key: s.name for s in (*COMPLAINT_STEPS, *COMPLAINT_DISTRACTORS)}


def render_checklist_score(chosen: list[str | None]) -> ComplaintHandlingScore:
    """Score the plan in ``chosen`` (step keys in order; ``None`` for an empty slot) and print the score and the
    feedback of :func:`crmlab.complaints.score_complaint_handling`."""
    plan = [k for k in chosen if k is not None]
    result = score_complaint_handling(plan)
    print("你的安排：" + (" → ".join(_NAMES[k] for k in plan) if plan else "（还没有选择）"))
    print(f"得分：{result.score:.0f} / 100（四步中选对 {len(result.included)} 步，"
          f"顺序正确的步骤对 {result.pairs_in_order} / 6，误选 {len(result.wrong)} 项）")
    for line in result.feedback:
        print("· " + line)
    return result


def complaint_steps_checklist(slots: int = 4) -> widgets.VBox:
    """处理投诉四步曲练习: ``slots`` drop-downs (第 1 步 … ) offering the four steps mixed with tempting
    mistakes, and a button that scores the plan."""
    options = [("（不选）", None)] + [(_NAMES[k], k) for k in CHECKLIST_ORDER]
    boxes = [widgets.Dropdown(options=options, value=None, description=f"第 {i + 1} 步", style=_STYLE,
                              layout=_LAYOUT) for i in range(slots)]
    button = widgets.Button(description="评分", button_style="primary")
    out = widgets.Output()

    @show_errors
    def score() -> None:
        render_checklist_score([b.value for b in boxes])

    def on_click(_button: widgets.Button) -> None:
        out.clear_output()
        with out:
            score()

    button.on_click(on_click)
    return widgets.VBox([*boxes, button, out])
