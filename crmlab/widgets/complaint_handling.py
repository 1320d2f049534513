"""投诉处理部件 widgets for 李先国 chapter 7: the complaint role-play, the economics of resolving complaints and the
three stages of crisis handling.

* :func:`complaint_roleplay_panel` — the customer's line, the replies (a, b, …) with one button each, the points
  and feedback of every choice, the transcript, and at an ending the total and verdict
  (:class:`crmlab.complaint_roleplay.Roleplay`);
* :func:`render_complaint_resolution` / :func:`complaint_resolution_explorer` — value kept vs cost of resolving
  complaints (:func:`crmlab.complaint_resolution.complaint_resolution_economics`), sliders for the cost per
  complaint (first) and the chance that a complainant whose problem was resolved stays;
* :func:`crisis_checklists` — one tab per stage (事前/事中/事后) with the checklist drills of
  :data:`crmlab.crisis_stages.CRISIS_DRILLS`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..complaint_resolution import ComplaintResolutionResult, complaint_resolution_economics
from ..complaint_roleplay import OUTCOMES, PRINCIPLES, Dialogue, Ending, Roleplay, Step
from ..crisis_stages import CRISIS_DRILLS, CRISIS_STAGES
from ..errors import InputError
from ..plotting import new_figure
from .common import show_errors
from .drills import checklist_drill

__all__ = ["RoleplayPanel", "complaint_resolution_explorer", "complaint_roleplay_panel", "crisis_checklists",
           "render_complaint_resolution"]

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "460px"}
_SHORT = {k: v.split("：")[0] for k, v in PRINCIPLES.items()}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


# --- 角色扮演 ----------------------------------------------------------------------------------------------

class RoleplayPanel(widgets.VBox):
    """The widget of :func:`complaint_roleplay_panel`: ``header`` (title and score), ``customer`` (the current
    line or the ending), ``buttons`` (one per reply), ``feedback`` (the last choice), ``transcript`` and
    ``restart``; handlers :meth:`choose` and :meth:`reset`."""

    def __init__(self, dialogue: Dialogue | None = None) -> None:
        self.roleplay = Roleplay(dialogue) if dialogue is not None else Roleplay()
        self.header = widgets.HTML("")
        self.customer = widgets.HTML("")
        self.choices = widgets.HBox([])
        self.feedback = widgets.HTML("")
        self.transcript = widgets.HTML("")
        self.restart = widgets.Button(description="重新开始", icon="refresh")
        self.restart.on_click(lambda _b: self.reset())
        super().__init__([self.header, self.customer, self.choices, self.feedback, self.transcript, self.restart])
        self.reset()

    @property
    def buttons(self) -> list[widgets.Button]:
        """The reply buttons on screen (empty at an ending)."""
        return list(self.choices.children)

    def reset(self) -> None:
        """Start the dialogue again (the “重新开始” handler)."""
        node = self.roleplay.start()
        self.feedback.value = ""
        self.transcript.value = ""
        self._show(node)

    def choose(self, key: str) -> Step | None:
        """Answer with reply ``key`` (the handler of its button); shows points, feedback and what comes next."""
        try:
            step = self.roleplay.choose(key)
        except InputError as exc:
            self.feedback.value = f"<div style='color:#c0392b'>⚠ 输入有误 invalid input：{_esc(str(exc))}</div>"
            return None
        color = "#1e8449" if step.points > 0 else ("#c0392b" if step.points < 0 else "#b9770e")
        tags = [f"✔ {_SHORT[p]}" for p in step.principles] + [f"✘ 违反：{_SHORT[p]}" for p in step.violates]
        self.feedback.value = (f"<div style='color:{color}'><b>本轮得分 {step.points:+d}</b>"
                               f"{'　' + '；'.join(tags) if tags else ''}</div><div>{_esc(step.feedback)}</div>")
        self._show(step.next)
        return step

    def _show(self, item: object) -> None:
        rp = self.roleplay
        self.header.value = (f"<h4 style='margin:0.2em 0'>{_esc(rp.dialogue.title)}</h4>"
                             f"<div style='color:#555'>目前得分 {rp.total:+d}（最高可得 {rp.best} 分）</div>")
        lines = "".join(f"<li><b>客户：</b>{_esc(t.customer)}<br><b>你（{t.option}）：</b>{_esc(t.reply)}"
                        f"　<span style='color:#555'>[{t.points:+d}]</span></li>" for t in rp.transcript)
        self.transcript.value = f"<details><summary>对话记录</summary><ol>{lines}</ol></details>" if lines else ""
        if isinstance(item, Ending):
            res = rp.result()
            self.customer.value = (f"<div style='border-left:4px solid #888;padding-left:0.6em'><b>结局（"
                                   f"{_esc(OUTCOMES[item.outcome])}）：</b>{_esc(item.text)}</div>"
                                   f"<div style='margin-top:0.4em'><b>总分 {res.total} / {res.best}"
                                   f"（{res.share:.0%}）——{_esc(res.verdict)}</b></div>")
            self.choices.children = []
            return
        options = "".join(f"<li><b>{_esc(o.key)}.</b> {_esc(o.text)}</li>" for o in item.options)
        self.customer.value = (f"<div style='border-left:4px solid #c0392b;padding-left:0.6em'><b>客户：</b>"
                               f"{_esc(item.customer)}</div><div style='margin-top:0.4em'>你怎样回应？</div>"
                               f"<ul style='list-style:none;padding-left:0.5em'>{options}</ul>")
        buttons = []
        for o in item.options:
            b = widgets.Button(description=f"回应 {o.key}", layout={"width": "auto"})
            b.on_click(lambda _b, key=o.key: self.choose(key))
            buttons.append(b)
        self.choices.children = buttons


def complaint_roleplay_panel(dialogue: Dialogue | None = None) -> RoleplayPanel:
    """投诉处理角色扮演: read the customer's line, press the button of your reply, see at once how many points it
    earned and which principles it followed or broke; at the ending, the total and verdict. ``dialogue`` defaults
    to the workbook's 鲜果园 call (:func:`crmlab.complaint_roleplay.default_dialogue`)."""
    return RoleplayPanel(dialogue)


# --- 处理投诉的经济账 ---------------------------------------------------------------------------------------

def render_complaint_resolution(complaints: float, cost_per_resolution: float, customer_value: float,
                                stay_if_resolved: float, stay_if_unresolved: float, resolved_share: float = 1.0,
                                fixed_cost: float = 0.0) -> ComplaintResolutionResult:
    """Print the customers kept, the value kept, the cost and the net value of resolving complaints, and draw
    the net value (元) against the cost per complaint (0 to twice the larger of the chosen cost and the
    break-even cost), marking the chosen cost and the break-even cost."""
    res = complaint_resolution_economics(complaints, cost_per_resolution, customer_value, stay_if_resolved,
                                         stay_if_unresolved, resolved_share=resolved_share, fixed_cost=fixed_cost)
    print(f"解决 {res.resolved:,.0f} 件投诉：留存概率 {stay_if_unresolved:.0%} → {stay_if_resolved:.0%}，"
          f"多留住约 {res.extra_customers_kept:,.1f} 位客户")
    print(f"保住的客户价值：{res.value_kept:,.0f} 元（每位 {customer_value:,.0f} 元）")
    print(f"处理成本：每件 {cost_per_resolution:,.0f} 元，合计 {res.resolution_cost:,.0f} 元；"
          f"固定成本 {res.fixed_cost:,.0f} 元")
    print(f"净价值：{res.net_value:,.0f} 元 —— {'值得认真处理' if res.net_value > 0 else '入不敷出'}")
    print(f"每件投诉最多值得花：{res.break_even_cost_per_complaint:,.0f} 元（盈亏平衡）")
    top = 2.0 * max(cost_per_resolution, res.break_even_cost_per_complaint, 1.0)
    grid = np.linspace(0.0, top, 60)
    net = [complaint_resolution_economics(complaints, float(c), customer_value, stay_if_resolved, stay_if_unresolved,
                                          resolved_share=resolved_share, fixed_cost=fixed_cost).net_value
           for c in grid]
    _fig, ax = new_figure("处理投诉的净价值与每件投诉的处理成本", "每件投诉的处理成本（元）", "净价值（元）")
    ax.plot(grid, net, color="tab:blue")
    ax.axhline(0, color="grey", linewidth=1)
    ax.scatter([cost_per_resolution], [res.net_value], color="tab:red", zorder=3, label="当前设定")
    if res.break_even_cost_per_complaint > 0:
        ax.axvline(res.break_even_cost_per_complaint, color="tab:green", linestyle="--",
                   label=f"盈亏平衡：每件 {res.break_even_cost_per_complaint:,.0f} 元")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.legend(loc="upper right")
    plt.show()
    return res


def complaint_resolution_explorer(complaints: float, customer_value: float, stay_if_resolved: float = 0.8,
                                  stay_if_unresolved: float = 0.3, cost_per_resolution: float = 100.0,
                                  resolved_share: float = 1.0, fixed_cost: float = 0.0,
                                  max_cost: float | None = None) -> widgets.VBox:
    """处理投诉经济账探索器: sliders for the cost of resolving one complaint (元, up to ``max_cost``, default the
    customer value) and the chance that a complainant whose problem was resolved stays; ``complaints``,
    ``customer_value`` and ``stay_if_unresolved`` are fixed."""
    top = float(max_cost if max_cost is not None else max(customer_value, 1.0))
    cost = widgets.FloatSlider(value=min(cost_per_resolution, top), min=0.0, max=top, step=max(top / 100, 1.0),
                               description="每件投诉的处理成本（元）", readout_format=",.0f",
                               continuous_update=False, style=_STYLE, layout=_LAYOUT)
    stay = widgets.FloatSlider(value=stay_if_resolved, min=0.0, max=1.0, step=0.05,
                               description="投诉解决后客户留下的概率", readout_format=".0%",
                               continuous_update=False, style=_STYLE, layout=_LAYOUT)

    @show_errors
    def render(cost_per_resolution: float, stay_if_resolved: float) -> None:
        render_complaint_resolution(complaints, cost_per_resolution, customer_value, stay_if_resolved,
                                    stay_if_unresolved, resolved_share, fixed_cost)

    out = widgets.interactive_output(render, {"cost_per_resolution": cost, "stay_if_resolved": stay})
    return widgets.VBox([cost, stay, out])


# --- 危机处理三阶段 -----------------------------------------------------------------------------------------

def crisis_checklists() -> widgets.Tab:
    """危机处理三阶段练习: one tab per stage (事前、事中、事后), each a checklist drill
    (:func:`crmlab.widgets.drills.checklist_drill`) scored by :func:`crmlab.drills.score_checklist`."""
    panels = [checklist_drill(CRISIS_DRILLS[stage]) for stage in CRISIS_STAGES]
    tab = widgets.Tab(children=panels)
    for i, stage in enumerate(CRISIS_STAGES):
        tab.set_title(i, CRISIS_STAGES[stage].split("：")[0])
    return tab
