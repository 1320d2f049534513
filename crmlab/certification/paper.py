"""试卷排版 the printable HTML of a paper and of its answer key (self-contained, A4, Chinese).

Only layout lives here: every number shown (drawn parameters, the calculator's answers, marks) comes from
:class:`~crmlab.certification.exam.Exam`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .answers import format_answer, format_number
from .bank import QUESTION_TYPES

if TYPE_CHECKING:
    from .exam import Exam, ExamItem

__all__ = ["answer_key_html", "paper_html"]

_NUMERALS = "一二三四五六七八九十"
_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 11pt; line-height: 1.6; color: #111; max-width: 820px; margin: 0 auto; padding: 12px; }
h1 { text-align: center; font-size: 17pt; margin-bottom: 4px; }
h2 { font-size: 13pt; margin-top: 22px; border-bottom: 1px solid #999; }
.meta { text-align: center; color: #333; }
.candidate { width: 100%; border-collapse: collapse; margin: 10px 0; }
.candidate td { border: 1px solid #666; padding: 6px 8px; }
.instructions { border: 1px dashed #888; padding: 6px 10px; white-space: pre-line; font-size: 10pt; }
.q { margin: 10px 0; page-break-inside: avoid; }
.opts { margin: 2px 0 0 2em; }
.blank { display: inline-block; min-width: 9em; border-bottom: 1px solid #333; }
.answer-area { height: 9em; border: 1px solid #bbb; margin-top: 4px; }
table.key { width: 100%; border-collapse: collapse; font-size: 10pt; }
table.key th, table.key td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
table.key th { background: #eee; }
table.key td:nth-child(1), table.key th:nth-child(1) { white-space: nowrap; }
table.key td:nth-child(3) { min-width: 7em; }
.small { color: #555; font-size: 9.5pt; }
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _section_title(k: int, qtype: str, items: list[ExamItem]) -> str:
    pts = {it.points for it in items}
    each = f"每题 {format_number(next(iter(pts)))} 分，" if len(pts) == 1 else ""
    total = format_number(sum(it.points for it in items))
    return f"{_NUMERALS[k]}、{QUESTION_TYPES[qtype]}（共 {len(items)} 题，{each}共 {total} 分）"


def _item_html(it: ExamItem) -> str:
    q = it.question
    parts = [f'<div class="q" id="q{it.number}"><b>{it.number}.</b> {escape(it.stem)}']
    if q.type in ("single", "multiple"):
        parts.append(" （　　）")
        parts.extend(f'<div class="opts">{k}. {escape(v)}</div>' for k, v in q.options.items())
    elif q.type == "judge":
        parts.append(" （　　）")
    elif q.type == "calc":
        unit = escape(q.unit)
        parts.append(f'<div class="opts">答：<span class="blank">&nbsp;</span> {unit}'
                     f'<span class="small">（允许相对误差 ±{q.tolerance:.1%}）</span></div>')
    else:
        parts.append(f'<div class="small">（本题 {format_number(it.points)} 分，请分条作答）</div>'
                     '<div class="answer-area"></div>')
    parts.append("</div>")
    return "".join(parts)


def paper_html(exam: Exam) -> str:
    """试卷 the paper: title, time and marks, candidate box, instructions, the questions by section."""
    body = [f"<h1>{escape(exam.title)}</h1>",
            f'<p class="meta">考试时间 {format_number(exam.time_limit_minutes)} 分钟 · 满分 '
            f"{format_number(exam.total_points)} 分 · 共 {len(exam.items)} 题 · 试卷编号 seed {exam.seed}</p>",
            '<table class="candidate"><tr><td>姓名：</td><td>准考证号：</td><td>得分：</td></tr></table>']
    if exam.instructions:
        body.append(f'<div class="instructions"><b>考生须知</b>\n{escape(exam.instructions)}</div>')
    for k, (qtype, items) in enumerate(exam.sections()):
        body.append(f"<h2>{_section_title(k, qtype, items)}</h2>")
        body.extend(_item_html(it) for it in items)
    return _page(exam.title, "\n".join(body))


def _key_answer(it: ExamItem) -> str:
    q = it.question
    if q.type == "calc":
        params = "，".join(f"{k} = {format_number(v, 6)}" for k, v in it.params.items())
        return (f"<b>{escape(format_answer(q, it.expected))}</b>"
                f'<div class="small">参数 {escape(params)}；生成器 {escape(q.generator or "")}；'
                f"允许相对误差 ±{q.tolerance:.1%}</div>")
    if q.type == "case":
        guide = "".join(f"<li>{escape(g)}</li>" for g in q.marking_guide)
        return f"<b>评分要点</b>（共 {format_number(it.points)} 分，按要点给分）<ol>{guide}</ol>"
    return f"<b>{escape(format_answer(q, q.answer))}</b>"


def answer_key_html(exam: Exam) -> str:
    """答案与评分标准 the key: answer (or marking guide) and explanation for every item, then the blueprint."""
    body = [f"<h1>{escape(exam.title)}　答案与评分标准</h1>",
            f'<p class="meta">试卷编号 seed {exam.seed} · 共 {len(exam.items)} 题 · 满分 '
            f"{format_number(exam.total_points)} 分 · 及格线 {format_number(exam.pass_percent)}%"
            "（仅供阅卷老师使用）</p>"]
    for k, (qtype, items) in enumerate(exam.sections()):
        body.append(f"<h2>{_section_title(k, qtype, items)}</h2>")
        body.append('<table class="key"><tr><th>题号</th><th>题目编号 · 考点</th><th>答案</th><th>解析</th></tr>')
        for it in items:
            q = it.question
            where = f"{q.id} · {exam.topics.get(q.topic, q.topic)} · {q.section} · 难度 {q.difficulty_label}"
            body.append(f"<tr><td>{it.number}</td><td>{escape(where)}</td><td>{_key_answer(it)}</td>"
                        f"<td>{escape(q.explanation)}</td></tr>")
        body.append("</table>")
    if exam.blueprint is not None:
        body.append("<h2>试卷蓝图（各考点题量）</h2>")
        body.append(exam.blueprint.table().to_html(classes="key", border=0))
    return _page(f"{exam.title} 答案", "\n".join(body))
