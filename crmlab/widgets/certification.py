"""职业资格备考部件 certification widgets: practise question by question, sit a timed mock exam, read an item analysis.

* :func:`practice_explorer` — topics, number of questions (slider), one question at a time with radio buttons,
  check boxes or a text box, a 提交答案 button, feedback with the explanation and a running score; case
  questions are self-assessed against the marking guide. Logic: :class:`crmlab.certification.practice.PracticeSession`.
* :func:`exam_widget` — a mock exam from :func:`crmlab.certification.exam.assemble_exam` or its JSON: 开始考试
  starts the clock, the remaining time is shown and checked on every answer and every tick of an
  ``ipywidgets.Play`` counter (no threads), and at 交卷 or when time runs out the inputs lock and the score per
  topic is reported with a bar chart. Logic: :meth:`crmlab.certification.exam.Exam.score`.
* :func:`item_analysis_explorer` — a slider for the size of the upper/lower groups over
  :func:`crmlab.certification.analytics.analyze_responses`.

Stable hooks for browser tests: buttons read 提交答案 / 下一题 / 重新开始 / 完成自评 / 开始考试 / 交卷 and carry the
CSS classes ``crmlab-practice-submit``, ``crmlab-practice-next``, ``crmlab-practice-restart``,
``crmlab-practice-self-assess``, ``crmlab-exam-start``, ``crmlab-exam-submit``; the question, feedback and score
areas carry ``crmlab-practice-question``, ``crmlab-practice-feedback``, ``crmlab-practice-score``; the answer
inputs ``crmlab-practice-choice`` (radio buttons), ``crmlab-practice-option`` (check boxes),
``crmlab-practice-number`` and ``crmlab-practice-text``; the exam's timer and result ``crmlab-exam-timer`` and
``crmlab-exam-result``.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from ..certification.analytics import analyze_responses
from ..certification.answers import Feedback, format_number
from ..certification.bank import QuestionBank, load_bank
from ..certification.exam import Exam, ExamResult, load_exam
from ..certification.practice import DealtQuestion, PracticeSession
from ..errors import InputError
from ..plotting import new_figure
from .common import show_errors

__all__ = [
    "ExamWidget",
    "PracticeExplorer",
    "exam_widget",
    "item_analysis_explorer",
    "plot_topic_rates",
    "practice_explorer",
    "question_html",
    "render_item_analysis",
]

_STYLE = {"description_width": "initial"}


def _html_output(out: widgets.Output, html: str, text: str) -> None:
    """Show ``html`` in an Output widget by setting its outputs (works with or without a running kernel)."""
    out.outputs = ({"output_type": "display_data", "data": {"text/html": html, "text/plain": text},
                    "metadata": {}},)


def question_html(dealt: DealtQuestion) -> str:
    """The dealt question as HTML: header line and stem (the options are the input widgets' labels)."""
    return (f'<div style="color:#555;font-size:90%">{escape(dealt.header)}</div>'
            f'<div style="font-size:110%;margin:6px 0">{escape(dealt.stem)}</div>')


def _feedback_html(fb: Feedback) -> str:
    if fb.pending:
        return ('<div style="color:#8a5a00"><b>请对照评分要点自评</b>：'
                '勾选你的答案覆盖了哪些要点，再点「完成自评」。</div>'
                f'<div style="margin-top:4px"><b>解析</b>：{escape(fb.explanation)}</div>')
    colour = "#1e7b34" if fb.correct else ("#b00020" if fb.correct is False else "#1f4e8c")
    expected = "" if fb.correct is None else f"正确答案：<b>{escape(fb.expected)}</b>；"
    return (f'<div style="color:{colour};font-weight:bold">{escape(fb.verdict)}</div>'
            f"<div>{expected}你的答案：{escape(str(fb.received))}</div>"
            f'<div style="margin-top:4px"><b>解析</b>：{escape(fb.explanation)}</div>')


def _error_html(exc: Exception) -> str:
    return f'<div style="color:#b00020">⚠ {escape(str(exc))}</div>'


def plot_topic_rates(table: pd.DataFrame, title: str, rate_col: str = "rate", label_col: str = "title"):
    """各考点得分率 horizontal bars of ``table[rate_col]`` (0–1) per topic, labelled ``id title``; returns the
    figure (not shown)."""
    labels = [f"{t} {table.loc[t, label_col]}" if label_col in table.columns else str(t) for t in table.index]
    fig, ax = new_figure(title, "得分率（%）", "", figsize=(7.0, 0.9 + 0.42 * len(table)))
    rates = table[rate_col].astype(float).fillna(0.0) * 100
    ax.barh(range(len(table)), rates, color=["#c0392b" if r < 60 else "#2e86c1" for r in rates])
    ax.set_yticks(range(len(table)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.axvline(60, color="grey", linestyle="--", linewidth=1)
    for i, r in enumerate(rates):
        ax.text(min(r + 1, 92), i, f"{r:.0f}%", va="center", fontsize=9)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()


def _answer_input(question: Any, css: str = "crmlab-practice") -> tuple[widgets.Widget, Callable[[], object]]:
    """An input widget for ``question`` and a function that reads its value as a response."""
    t = question.type
    if t in ("single", "judge"):
        options = ([(f"{k}. {v}", k) for k, v in question.options.items()] if t == "single"
                   else [("正确（√）", True), ("错误（×）", False)])
        w = widgets.RadioButtons(options=options, value=None, layout={"width": "auto"})
        w.add_class(f"{css}-choice")
        return w, lambda: w.value
    if t == "multiple":
        boxes = [widgets.Checkbox(value=False, description=f"{k}. {v}", indent=False, layout={"width": "auto"})
                 for k, v in question.options.items()]
        for b in boxes:
            b.add_class(f"{css}-option")
        keys = list(question.options)
        box = widgets.VBox(boxes)
        return box, lambda: [k for k, b in zip(keys, boxes, strict=True) if b.value]
    if t == "calc":
        w = widgets.Text(value="", placeholder="输入数字", description="答案", style=_STYLE)
        w.add_class(f"{css}-number")
        unit = widgets.Label(question.unit)
        return widgets.HBox([w, unit]), lambda: w.value
    w = widgets.Textarea(value="", placeholder="分条写出你的分析和建议……", layout={"width": "95%", "height": "9em"})
    w.add_class(f"{css}-text")
    return w, lambda: w.value


def _set_disabled(widget: widgets.Widget, disabled: bool) -> None:
    if hasattr(widget, "disabled"):
        widget.disabled = disabled
    for child in getattr(widget, "children", ()):
        _set_disabled(child, disabled)


# --- practice -----------------------------------------------------------------------------------------------------

class PracticeExplorer(widgets.VBox):
    """练习模式部件; see :func:`practice_explorer`. Handlers are public so tests can drive it."""

    def __init__(self, bank: QuestionBank | None = None, topics: Iterable[str] | None = None, count: int = 10,
                 seed: int | None = None) -> None:
        self.bank = bank if bank is not None else load_bank()
        self.seed = seed
        chosen = list(topics) if topics is not None else list(self.bank.topics)
        self.topic_select = widgets.SelectMultiple(
            options=[(t.label, t.id) for t in self.bank.topics.values()], value=chosen, rows=8,
            description="考点", style=_STYLE, layout={"width": "360px"})
        self.count_slider = widgets.IntSlider(value=count, min=1, max=max(1, min(50, len(self.bank))),
                                              description="题目数量", continuous_update=False, style=_STYLE)
        self.restart_button = widgets.Button(description="重新开始", icon="refresh")
        self.restart_button.add_class("crmlab-practice-restart")
        self.question_out = widgets.Output()
        self.question_out.add_class("crmlab-practice-question")
        self.input_box = widgets.VBox()
        self.submit_button = widgets.Button(description="提交答案", button_style="primary")
        self.submit_button.add_class("crmlab-practice-submit")
        self.next_button = widgets.Button(description="下一题", disabled=True)
        self.next_button.add_class("crmlab-practice-next")
        self.guide_box = widgets.VBox()
        self.feedback_html = widgets.HTML()
        self.feedback_html.add_class("crmlab-practice-feedback")
        self.score_html = widgets.HTML()
        self.score_html.add_class("crmlab-practice-score")
        self.tally_html = widgets.HTML()
        self._read: Callable[[], object] = lambda: None
        self.session: PracticeSession | None = None
        super().__init__([
            widgets.HBox([self.topic_select, widgets.VBox([self.count_slider, self.restart_button])]),
            self.question_out, self.input_box, widgets.HBox([self.submit_button, self.next_button]),
            self.guide_box, self.feedback_html, self.score_html, self.tally_html,
        ])
        self.add_class("crmlab-practice")
        self.count_slider.observe(lambda _c: self.restart(), names="value")
        self.topic_select.observe(lambda _c: self.restart(), names="value")
        self.restart_button.on_click(lambda _b: self.restart(new_seed=True))
        self.submit_button.on_click(lambda _b: self.submit())
        self.next_button.on_click(lambda _b: self.next_question())
        self.restart()

    # handlers ------------------------------------------------------------------------------------------------------
    def restart(self, new_seed: bool = False) -> None:
        """Start a new round with the chosen topics and count (a different round when ``new_seed``)."""
        if new_seed and self.seed is not None:
            self.seed += 1
        self.feedback_html.value = self.tally_html.value = ""
        self.guide_box.children = ()
        try:
            topics = list(self.topic_select.value)
            if not topics:
                raise InputError("请至少选择一个考点 (choose at least one topic)")
            self.session = PracticeSession(self.bank, topics, self.count_slider.value, self.seed)
        except InputError as exc:
            self.session = None
            _html_output(self.question_out, _error_html(exc), str(exc))
            self.input_box.children = ()
            self.submit_button.disabled = self.next_button.disabled = True
            return
        self._show_current()

    def _show_current(self) -> None:
        s = self.session
        assert s is not None
        self.guide_box.children = ()
        self.score_html.value = f"<b>{escape(s.summary())}</b>"
        dealt = s.current
        if dealt is None:
            _html_output(self.question_out, "<b>本轮练习结束。</b>点「重新开始」再练一轮。", "本轮练习结束")
            self.input_box.children = ()
            self.submit_button.disabled = self.next_button.disabled = True
            self._show_tally()
            return
        _html_output(self.question_out, question_html(dealt), f"{dealt.header}\n{dealt.stem}")
        widget, self._read = _answer_input(dealt.question)
        self.input_box.children = (widget,)
        self.submit_button.disabled = False
        self.next_button.disabled = True

    def submit(self) -> Feedback | None:
        """提交答案: mark the current input; show feedback (or the marking guide for a case question)."""
        s = self.session
        if s is None or s.current is None:
            return None
        try:
            fb = s.answer(self._read())
        except InputError as exc:
            self.feedback_html.value = _error_html(exc)
            return None
        self.feedback_html.value = _feedback_html(fb)
        self.submit_button.disabled = True
        _set_disabled(self.input_box, True)
        if fb.pending:
            self._show_guide(fb)
        else:
            self._after_marking()
        return fb

    def _show_guide(self, fb: Feedback) -> None:
        boxes = [widgets.Checkbox(value=False, description=f"{i + 1}. {g}", indent=False, layout={"width": "auto"})
                 for i, g in enumerate(fb.marking_guide)]
        done = widgets.Button(description="完成自评", button_style="info")
        done.add_class("crmlab-practice-self-assess")
        done.on_click(lambda _b: self.self_assess([i for i, b in enumerate(boxes) if b.value]))
        self.guide_box.children = (widgets.HTML("<b>评分要点</b>（勾选你答到的要点）："), *boxes, done)

    def self_assess(self, met: Iterable[int]) -> Feedback | None:
        """完成自评: record which marking-guide points (0-based) the case answer covered."""
        s = self.session
        if s is None or not s.awaiting_self_assessment:
            return None
        fb = s.self_assess(list(met))
        self.feedback_html.value = _feedback_html(fb)
        _set_disabled(self.guide_box, True)
        self._after_marking()
        return fb

    def _after_marking(self) -> None:
        s = self.session
        assert s is not None
        self.score_html.value = f"<b>{escape(s.summary())}</b>"
        if s.finished:
            self.next_button.disabled = True
            self._show_tally()
        else:
            self.next_button.disabled = False

    def next_question(self) -> None:
        """下一题: show the next question."""
        if self.session is not None and not self.session.awaiting_self_assessment:
            self.feedback_html.value = ""
            self._show_current()

    def _show_tally(self) -> None:
        s = self.session
        assert s is not None
        t = s.tally()
        rows = "".join(f"<tr><td>{escape(r.topic)} {escape(r.title)}</td><td>{r.answered}</td>"
                       f"<td>{format_number(r.score)}</td>"
                       f"<td>{'—' if r.answered == 0 else f'{r.rate:.0%}'}</td></tr>" for r in t.itertuples())
        self.tally_html.value = ("<b>本轮分考点统计</b><table><tr><th>考点</th><th>已答</th><th>得分（题）</th>"
                                 f"<th>正确率</th></tr>{rows}</table>")


def practice_explorer(bank: QuestionBank | None = None, topics: Iterable[str] | None = None, count: int = 10,
                      seed: int | None = None) -> PracticeExplorer:
    """练习模式 practise from the question bank (default: the packaged bank): choose topics and the number of
    questions; answer one question at a time and get the key and explanation at once. ``seed`` fixes the
    round (None: a new round every time). Changing the topics or the count starts a new round."""
    return PracticeExplorer(bank, topics, count, seed)


# --- exam ------------------------------------------------------------------------------------------------------------

def _as_exam(exam: Exam | str | Path | dict) -> Exam:
    if isinstance(exam, Exam):
        return exam
    if isinstance(exam, dict):
        return Exam.from_dict(exam)
    if isinstance(exam, str) and exam.lstrip().startswith("{"):
        return Exam.from_dict(json.loads(exam))
    return load_exam(exam)


def _clock_text(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))
    return f"{s // 60:02d}:{s % 60:02d}"


class ExamWidget(widgets.VBox):
    """模拟考试部件; see :func:`exam_widget`. ``clock`` (seconds, monotonic) can be replaced in tests."""

    def __init__(self, exam: Exam | str | Path | dict, *, clock: Callable[[], float] = time.monotonic,
                 tick_ms: int = 1000) -> None:
        self.exam = _as_exam(exam)
        self.clock = clock
        self.limit = self.exam.time_limit_minutes * 60.0
        self.started_at: float | None = None
        self.locked = False
        self.timed_out = False
        self.responses: dict[int, object] = {}
        self.result: ExamResult | None = None
        e = self.exam
        info = (f"<h3>{escape(e.title)}</h3><div>共 {len(e.items)} 题，满分 {format_number(e.total_points)} 分，"
                f"考试时间 {format_number(e.time_limit_minutes)} 分钟，及格线 {format_number(e.pass_percent)}%"
                f"（试卷编号 seed {e.seed}）。点「开始考试」开始计时；时间到会自动交卷。</div>")
        self.header = widgets.HTML(info)
        self.start_button = widgets.Button(description="开始考试", button_style="primary")
        self.start_button.add_class("crmlab-exam-start")
        self.timer_html = widgets.HTML(f"剩余时间 <b>{_clock_text(self.limit)}</b>")
        self.timer_html.add_class("crmlab-exam-timer")
        self.play = widgets.Play(value=0, min=0, max=int(self.limit) + 60, step=1, interval=tick_ms,
                                 show_repeat=False, layout={"display": "none"})
        self.submit_button = widgets.Button(description="交卷", button_style="danger", disabled=True)
        self.submit_button.add_class("crmlab-exam-submit")
        self.readers: dict[int, Callable[[], object]] = {}
        self.inputs: dict[int, widgets.Widget] = {}
        blocks: list[widgets.Widget] = []
        for _qtype, items in e.sections():
            label = items[0].question.type_label
            blocks.append(widgets.HTML(f"<h4>{escape(label)}（{len(items)} 题）</h4>"))
            for it in items:
                w, read = _answer_input(it.question, css="crmlab-exam")
                self.inputs[it.number], self.readers[it.number] = w, read
                self._watch(w, it.number)
                text = widgets.HTML(f"<b>{it.number}.</b> {escape(it.stem)}"
                                    f'<span style="color:#777">（{format_number(it.points)} 分）</span>')
                blocks.append(widgets.VBox([text, w], layout={"margin": "4px 0 10px 0"}))
        self.questions_box = widgets.VBox(blocks, layout={"display": "none"})
        self.result_html = widgets.HTML()
        self.result_html.add_class("crmlab-exam-result")
        self.chart = widgets.Image(format="png", layout={"display": "none"})
        self.self_assess_box = widgets.VBox()
        self.case_inputs: dict[int, widgets.BoundedFloatText] = {}
        super().__init__([self.header, widgets.HBox([self.start_button, self.timer_html, self.play]),
                          self.questions_box, self.submit_button, self.result_html, self.chart,
                          self.self_assess_box])
        self.add_class("crmlab-exam")
        self.start_button.on_click(lambda _b: self.start())
        self.submit_button.on_click(lambda _b: self.finish())
        self.play.observe(lambda _c: self.check_time(), names="value")

    def _watch(self, widget: widgets.Widget, number: int) -> None:
        kids = getattr(widget, "children", ())
        if kids:
            for k in kids:
                self._watch(k, number)
        elif hasattr(widget, "value") and not isinstance(widget, widgets.Label):
            widget.observe(lambda _c, n=number: self._record(n), names="value")

    # timing --------------------------------------------------------------------------------------------------------
    def remaining(self) -> float:
        """剩余秒数 seconds left (the full limit before the start, 0 after the end)."""
        if self.started_at is None:
            return self.limit
        if self.locked:
            return 0.0
        return max(0.0, self.limit - (self.clock() - self.started_at))

    def check_time(self) -> bool:
        """Update the timer; lock the paper when time is up. Returns True while answers are accepted."""
        if self.started_at is None or self.locked:
            return False
        left = self.remaining()
        if left <= 0:
            self.timed_out = True
            self.finish()
            return False
        self.timer_html.value = f"剩余时间 <b>{_clock_text(left)}</b>"
        return True

    def start(self) -> None:
        """开始考试: show the questions and start the clock."""
        if self.started_at is not None:
            return
        self.started_at = self.clock()
        self.questions_box.layout.display = None
        self.start_button.disabled = True
        self.submit_button.disabled = False
        self.play.value = 0
        self.play.playing = True
        self.check_time()

    def _record(self, number: int) -> None:
        if self.check_time():
            self.responses[number] = self.readers[number]()

    # finishing -------------------------------------------------------------------------------------------------------
    def finish(self) -> ExamResult | None:
        """交卷: lock every input, mark the answers given in time, report the score per topic."""
        if self.started_at is None or self.locked:
            return self.result
        if not self.timed_out and self.remaining() <= 0:
            self.timed_out = True
        self.locked = True
        self.play.playing = False
        for w in self.inputs.values():
            _set_disabled(w, True)
        self.submit_button.disabled = True
        self.timer_html.value = "<b>时间到，已自动交卷</b>" if self.timed_out else "<b>已交卷</b>"
        cases = [it for it in self.exam.items if it.question.type == "case"]
        if cases:
            self._build_self_assessment(cases)
        return self._mark({})

    def _build_self_assessment(self, cases: list) -> None:
        boxes = {}
        rows: list[widgets.Widget] = [widgets.HTML("<b>案例分析题自评</b>：对照评分要点给自己打分，再点「更新成绩」。")]
        for it in cases:
            guide = "".join(f"<li>{escape(g)}</li>" for g in it.question.marking_guide)
            rows.append(widgets.HTML(f"<b>第 {it.number} 题</b>（{format_number(it.points)} 分）"
                                     f"评分要点：<ol>{guide}</ol>"))
            box = widgets.BoundedFloatText(value=0.0, min=0.0, max=it.points, step=0.5,
                                           description=f"第 {it.number} 题得分", style=_STYLE)
            boxes[it.number] = box
            rows.append(box)
        update = widgets.Button(description="更新成绩", button_style="info")
        update.add_class("crmlab-exam-self-assess")
        update.on_click(lambda _b: self._mark({n: b.value for n, b in boxes.items()}))
        self.case_inputs = boxes
        self.self_assess_box.children = (*rows, update)

    def _mark(self, self_scores: dict[int, float]) -> ExamResult:
        result = self.exam.score(self.responses, self_scores, unreadable="blank")
        self.result = result
        self.result_html.value = self._result_html(result)
        by_topic = result.by_topic().sort_index()
        self.chart.value = _png(plot_topic_rates(by_topic, "各考点得分率"))
        self.chart.layout.display = None
        return result

    def _result_html(self, r: ExamResult) -> str:
        verdict = "及格" if r.passed else "未及格"
        pending = f"；{r.pending} 道案例题待自评（暂计 0 分）" if r.pending else ""
        topics = "".join(f"<tr><td>{escape(t)} {escape(row.title)}</td><td>{format_number(row.score)} / "
                         f"{format_number(row.points)}</td><td>{row.rate:.0%}</td></tr>"
                         for t, row in r.by_topic().sort_index().iterrows())
        review = "".join(
            f"<li>{it.number}. {escape(fb.verdict)}"
            + ("" if fb.correct is None else f"（正确答案 {escape(fb.expected)}；你的答案 {escape(str(fb.received))}）")
            + f'<div style="color:#555">{escape(fb.explanation)}</div></li>'
            for it, fb in zip(self.exam.items, r.feedback, strict=True))
        weakest = r.by_topic().index[0]
        return (f"<h4>成绩：{format_number(r.score)} / {format_number(self.exam.total_points)} 分"
                f"（{r.percent:.1f}%），{verdict}{pending}</h4>"
                f"<div>最需要复习的考点：<b>{escape(weakest)} {escape(self.exam.topics.get(weakest, ''))}</b></div>"
                f"<table><tr><th>考点</th><th>得分</th><th>得分率</th></tr>{topics}</table>"
                f"<details><summary>逐题对照答案与解析</summary><ol style='list-style:none'>{review}</ol></details>")


def exam_widget(exam: Exam | str | Path | dict, *, clock: Callable[[], float] = time.monotonic) -> ExamWidget:
    """模拟考试 sit ``exam`` (an :class:`~crmlab.certification.exam.Exam`, its JSON file written by ``crmlab exam``,
    or the JSON data) against the clock: 开始考试 starts the timer, 交卷 or the end of time locks the paper and
    shows the score per topic (with a bar chart) and every answer with its explanation."""
    return ExamWidget(exam, clock=clock)


# --- item analysis ------------------------------------------------------------------------------------------------

def render_item_analysis(responses: pd.DataFrame, group_fraction: float, bank: QuestionBank | None = None) -> Any:
    """Print reliability and group sizes and show the item table (weakest discrimination first) for
    ``group_fraction``; returns the :class:`~crmlab.certification.analytics.ExamAnalysis`."""
    a = analyze_responses(responses, bank, group_fraction=group_fraction)
    n = len(a.candidates)
    kr = "—（含非对错题）" if a.kr20 is None else f"{a.kr20:.3f}"
    alpha = "—" if a.alpha is None else f"{a.alpha:.3f}"
    print(f"高分组、低分组各 {a.group} 人（{n} 人的 {group_fraction:.0%}）；KR-20 = {kr}，Cronbach α = {alpha}")
    flagged = a.flagged()
    print(f"负区分度的题：{', '.join(flagged.index) if len(flagged) else '无'}")
    table = a.items[["topic", "p", "p_upper", "p_lower", "D", "r_corrected", "quality"]].sort_values("D")
    display(table.head(12).style.format({"p": "{:.2f}", "p_upper": "{:.2f}", "p_lower": "{:.2f}", "D": "{:+.2f}",
                                         "r_corrected": "{:+.2f}"}, na_rep="—").set_uuid("items"))
    return a


def item_analysis_explorer(responses: pd.DataFrame, bank: QuestionBank | None = None,
                           group_fraction: float = 0.27) -> widgets.VBox:
    """试卷分析探索器: a slider for the share of candidates in the upper and lower groups (10 %–50 %)."""
    fraction = widgets.FloatSlider(value=group_fraction, min=0.10, max=0.50, step=0.01, description="高低分组比例",
                                   readout_format=".0%", continuous_update=False, style=_STYLE,
                                   layout={"width": "420px"})

    @show_errors
    def render(group_fraction: float) -> None:
        render_item_analysis(responses, group_fraction, bank)

    out = widgets.interactive_output(render, {"group_fraction": fraction})
    return widgets.VBox([fraction, out])
