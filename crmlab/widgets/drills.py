"""练习部件 drill widgets: scenarios with radio buttons, step ordering with drop-downs, checklists with tick boxes.

* :func:`drill_explorer` — one :class:`~crmlab.drills.Drill` at a time: a slider (第几题) picks the scenario, radio
  buttons the answer, the button “提交答案” scores it; feedback and a running score appear at once;
* :func:`ordering_drill` — drop-downs 第 1 步 … 第 n 步 for an :class:`~crmlab.drills.OrderingDrill`;
* :func:`checklist_drill` — tick boxes for a :class:`~crmlab.drills.ChecklistDrill`.

Every score, verdict and explanation comes from :mod:`crmlab.drills`; this module only lays the widgets out and
formats the results as HTML. Feedback goes to an HTML area (so it can be read back in tests); a malformed answer
shows the :class:`~crmlab.errors.InputError` message there, as :func:`~crmlab.widgets.common.show_errors` would.
Each builder returns a ``VBox`` subclass whose ``submit()`` / ``show()`` methods are the button and slider handlers.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets

from ..drills import (
    VERDICT_RIGHT,
    ChecklistDrill,
    ChecklistResult,
    ChoiceResult,
    Drill,
    DrillScoreboard,
    OrderingDrill,
    OrderingResult,
    display_order,
    score_drill,
)
from ..errors import InputError

__all__ = ["ChecklistPanel", "DrillExplorer", "OrderingPanel", "checklist_drill", "drill_explorer", "format_result",
           "ordering_drill", "render_drill", "render_drill_text"]

SUBMIT = "提交答案"
_STYLE = {"description_width": "initial"}
_EMPTY = "（请选择）"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def render_drill(drill: Drill, number: int | None = None, of: int | None = None) -> str:
    """The scenario of ``drill`` as HTML: “第 k / n 题”, the topic and the prompt (the options are the radio
    buttons)."""
    head = f"第 {number} / {of} 题" if number is not None and of is not None else "练习"
    topic = f"　<span style='color:#666'>{_esc(drill.topic)}</span>" if drill.topic else ""
    hint = "（可多选）" if drill.multiple else ""
    return (f"<div><b>{head}</b>{topic}</div>"
            f"<div style='margin:0.4em 0 0.2em 0'>{_esc(drill.prompt)}{hint}</div>")


def format_result(result: ChoiceResult | OrderingResult | ChecklistResult, counted: bool | None = None) -> str:
    """Feedback HTML for a scored answer: the verdict, the score and one line per explanation."""
    color = "#1e8449" if result.verdict == VERDICT_RIGHT else ("#c0392b" if result.score <= 0 else "#b9770e")
    note = ""
    if counted is False:
        note = "（本题已作答过，这次不再计入累计得分）"
    lines = "".join(f"<li>{_esc(line)}</li>" for line in result.feedback)
    return (f"<div style='color:{color}'><b>{_esc(result.verdict)}</b>　得分 {result.score:.3g} / "
            f"{result.max_score:.3g}{note}</div><ul style='margin-top:0.2em'>{lines}</ul>")


def _error_html(exc: InputError) -> str:
    return f"<div style='color:#c0392b'>⚠ 输入有误 invalid input：{_esc(str(exc))}</div>"


def _set_html(out: widgets.Output, body: str) -> None:
    """Replace what ``out`` shows with ``body`` (HTML), without relying on output capture."""
    out.outputs = ({"output_type": "display_data", "data": {"text/html": body, "text/plain": body},
                    "metadata": {}},)


def _check_drills(drills: object, kind: type, zh: str) -> list:
    if isinstance(drills, kind):
        return [drills]
    if isinstance(drills, (str, bytes)) or not isinstance(drills, Sequence) or not drills:
        raise InputError(f"练习 drills 必须是非空的 {kind.__name__} 列表，收到 {drills!r}")
    for i, d in enumerate(drills):
        if not isinstance(d, kind):
            raise InputError(f"练习 drills 第 {i + 1} 项必须是{zh} {kind.__name__}，收到 {type(d).__name__}")
    return list(drills)


class DrillExplorer(widgets.VBox):
    """The widget of :func:`drill_explorer`: ``slider`` (第几题), ``scenario`` (Output), ``choices``,
    ``button`` (提交答案), ``feedback`` (HTML) and ``score`` (HTML); handlers :meth:`show` and :meth:`submit`."""

    def __init__(self, drills: Sequence[Drill]) -> None:
        self.drills = _check_drills(drills, Drill, "选择题")
        self.board = DrillScoreboard(total_drills=len(self.drills))
        n = len(self.drills)
        self.slider = widgets.IntSlider(value=1, min=1, max=n, step=1, description="第几题", style=_STYLE,
                                        continuous_update=False, disabled=n == 1, layout={"width": "360px"})
        self.scenario = widgets.Output()
        self.choices = widgets.RadioButtons(options=[], value=None, layout={"width": "auto"})
        self.ticks = widgets.VBox([])
        self.button = widgets.Button(description=SUBMIT, button_style="primary", icon="check")
        self.feedback = widgets.HTML("")
        self.score = widgets.HTML("")
        super().__init__([self.slider, self.scenario, self.choices, self.ticks, self.button, self.feedback,
                          self.score])
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        self.button.on_click(lambda _b: self.submit())
        self._update_score()
        self.show(1)

    @property
    def drill(self) -> Drill:
        """The drill on screen."""
        return self.drills[self.slider.value - 1]

    def show(self, number: int) -> None:
        """Put drill ``number`` (1-based) on screen and clear the previous feedback."""
        if number != self.slider.value:
            self.slider.value = number           # the observer calls show again
            return
        d = self.drill
        _set_html(self.scenario, render_drill(d, number, len(self.drills)))
        order = display_order(d.options, d.id)
        if d.multiple:
            self.choices.options, self.choices.value = [], None
            self.choices.layout.display = "none"
            self.ticks.children = [widgets.Checkbox(value=False, description=o, indent=False,
                                                    layout={"width": "auto"}) for o in order]
            self.ticks.layout.display = None
        else:
            self.ticks.children = []
            self.ticks.layout.display = "none"
            self.choices.options = order
            self.choices.value = None
            self.choices.layout.display = None
        self.feedback.value = ""

    def answer(self) -> str | list[str] | None:
        """The answer on screen: the chosen option, or the ticked options for a several-answer drill."""
        if self.drill.multiple:
            return [box.description for box in self.ticks.children if box.value]
        return self.choices.value

    def submit(self) -> ChoiceResult | None:
        """Score the answer on screen (the “提交答案” handler); show feedback and the running score."""
        try:
            result = score_drill(self.drill, self.answer())
        except InputError as exc:
            self.feedback.value = _error_html(exc)
            return None
        counted = self.board.record(result)
        self.feedback.value = format_result(result, counted)
        self._update_score()
        return result

    def _update_score(self) -> None:
        self.score.value = f"<div style='color:#555'>{_esc(self.board.summary())}</div>"


def drill_explorer(drills: Sequence[Drill] | Drill) -> DrillExplorer:
    """情境练习: a slider picks one of ``drills``; choose an option, press “提交答案”, read why it is right or wrong.

    The running score counts each drill's first answer (:class:`~crmlab.drills.DrillScoreboard`).
    """
    return DrillExplorer(drills)


class OrderingPanel(widgets.VBox):
    """The widget of :func:`ordering_drill`: ``prompt`` (HTML), ``slots`` (drop-downs), ``button``, ``feedback``."""

    def __init__(self, drill: OrderingDrill) -> None:
        if not isinstance(drill, OrderingDrill):
            raise InputError(f"排序练习 drill 必须是 OrderingDrill，收到 {type(drill).__name__}")
        self.drill = drill
        self.board = DrillScoreboard(total_drills=1)
        options = [(_EMPTY, None)] + [(s, s) for s in display_order(drill.steps, drill.id)]
        self.prompt = widgets.HTML(render_drill_text(drill.prompt, drill.topic))
        self.slots = [widgets.Dropdown(options=options, value=None, description=f"第 {i + 1} 步", style=_STYLE,
                                       layout={"width": "560px"}) for i in range(len(drill.steps))]
        self.button = widgets.Button(description=SUBMIT, button_style="primary", icon="check")
        self.feedback = widgets.HTML("")
        super().__init__([self.prompt, *self.slots, self.button, self.feedback])
        self.button.on_click(lambda _b: self.submit())

    def submit(self) -> OrderingResult | None:
        """Score the order in the drop-downs (the “提交答案” handler)."""
        return _submit(self, [s.value for s in self.slots])


def render_drill_text(prompt: str, topic: str = "") -> str:
    """The prompt of an ordering or checklist drill as HTML."""
    top = f"<div style='color:#666'>{_esc(topic)}</div>" if topic else ""
    return f"{top}<div style='margin:0.3em 0'><b>{_esc(prompt)}</b></div>"


def _submit(panel: OrderingPanel | ChecklistPanel, answer: object) -> OrderingResult | ChecklistResult | None:
    try:
        result = score_drill(panel.drill, answer)
    except InputError as exc:
        panel.feedback.value = _error_html(exc)
        return None
    counted = panel.board.record(result)
    panel.feedback.value = format_result(result, counted)
    return result


def ordering_drill(drill: OrderingDrill) -> OrderingPanel:
    """步骤排序练习: one drop-down per step (第 1 步 …, the steps offered in a mixed order); “提交答案” scores the
    order with :func:`crmlab.drills.score_ordering` and explains every slot."""
    return OrderingPanel(drill)


class ChecklistPanel(widgets.VBox):
    """The widget of :func:`checklist_drill`: ``prompt`` (HTML), ``boxes`` (tick boxes), ``button``, ``feedback``."""

    def __init__(self, drill: ChecklistDrill) -> None:
        if not isinstance(drill, ChecklistDrill):
            raise InputError(f"清单练习 drill 必须是 ChecklistDrill，收到 {type(drill).__name__}")
        self.drill = drill
        self.board = DrillScoreboard(total_drills=1)
        self.prompt = widgets.HTML(render_drill_text(drill.prompt, drill.topic))
        self.boxes = [widgets.Checkbox(value=False, description=item, indent=False, layout={"width": "auto"})
                      for item in display_order(drill.items, drill.id)]
        self.button = widgets.Button(description=SUBMIT, button_style="primary", icon="check")
        self.feedback = widgets.HTML("")
        super().__init__([self.prompt, *self.boxes, self.button, self.feedback])
        self.button.on_click(lambda _b: self.submit())

    def chosen(self) -> list[str]:
        """The ticked items."""
        return [b.description for b in self.boxes if b.value]

    def submit(self) -> ChecklistResult | None:
        """Score the ticked items (the “提交答案” handler)."""
        return _submit(self, self.chosen())


def checklist_drill(drill: ChecklistDrill) -> ChecklistPanel:
    """清单练习: tick what should be done; “提交答案” scores it with :func:`crmlab.drills.score_checklist`."""
    return ChecklistPanel(drill)

