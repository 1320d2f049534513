"""班级报告 the class report written next to the gradebook: score histogram, per-question difficulty and the
most common wrong answers, in Markdown and in HTML (the chart embedded, so the HTML file stands alone)."""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from pathlib import Path
from typing import Any

from ..fileio import atomic_write_bytes, atomic_write_text
from .spec import Exercise

__all__ = ["question_stats", "write_report"]

GRADED = ("graded", "graded_with_errors", "timeout", "kernel_died", "memory_limit")


def question_stats(ex: Exercise, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per question: how many submissions were scored, the proportion that got it right (难度 difficulty
    index p), and the three most common wrong (non-empty) answers with their counts."""
    scored = [r for r in rows if r.get("status") in GRADED]
    stats = []
    for q in ex.questions:
        right = sum(float(r.get(f"{q.id}_points") or 0) > 0 for r in scored)
        wrong = Counter(str(r.get(f"{q.id}_answer", "")) for r in scored
                        if float(r.get(f"{q.id}_points") or 0) == 0 and str(r.get(f"{q.id}_answer", "")) != "")
        unanswered = sum(str(r.get(f"{q.id}_answer", "")) == "" for r in scored)
        stats.append({"question": q.id, "prompt": q.prompt, "points": q.points, "n": len(scored),
                      "p_correct": right / len(scored) if scored else float("nan"), "unanswered": unanswered,
                      "common_wrong": wrong.most_common(3)})
    return stats


def _histogram_png(totals: list[float], max_points: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from ..plotting import new_figure

    fig, ax = new_figure("成绩分布 score distribution", "总分（分）", "人数")
    bins = max(1, min(20, int(max_points) + 1))
    ax.hist(totals, bins=bins, range=(0, max_points), color="#2e86c1", edgecolor="white")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def write_report(ex: Exercise, rows: list[dict[str, Any]], gradebook: Path) -> Path:
    """Write ``<gradebook stem>_report.md``, ``_report.html`` and ``_scores.png``; return the HTML path."""
    stem = gradebook.with_suffix("")
    scored = [r for r in rows if r.get("status") in GRADED]
    totals = [float(r.get("total") or 0) for r in scored]
    statuses = Counter(str(r.get("status_zh") or r.get("status")) for r in rows)
    stats = question_stats(ex, rows)
    png = _histogram_png(totals, ex.max_points)
    png_path = Path(f"{stem}_scores.png")
    atomic_write_bytes(png_path, png)
    mean = sum(totals) / len(totals) if totals else float("nan")

    md = [f"# 班级报告：练习 {ex.id}《{ex.title}》", "",
          f"- 提交与名单：{len(rows)} 条记录，已评分 {len(scored)} 份，满分 {ex.max_points:g} 分，平均分 {mean:.1f}",
          "- 状态：" + "，".join(f"{k} {v}" for k, v in sorted(statuses.items())), "",
          f"![成绩分布]({png_path.name})", "", "## 各题情况", "",
          "| 题 | 内容 | 分值 | 答对比例 | 未作答 | 常见错误答案（次数） |", "|---|---|---|---|---|---|"]
    for s in stats:
        wrong = "；".join(f"{a[:30]}（{c}）" for a, c in s["common_wrong"]) or "—"
        md.append(f"| {s['question']} | {s['prompt']} | {s['points']:g} | {s['p_correct']:.0%} | {s['unanswered']} "
                  f"| {wrong} |")
    problems = [r for r in rows if r.get("status") not in ("graded",)]
    if problems:
        md += ["", "## 需要关注的提交", "", "| 学号 | 文件 | 状态 | 原因 |", "|---|---|---|---|"]
        for r in problems:
            md.append(f"| {r['student_id']} | {r.get('file', '')} | {r.get('status_zh') or r.get('status')} "
                      f"| {str(r.get('reason', '')).replace('|', '/')} |")
    atomic_write_text(Path(f"{stem}_report.md"), "\n".join(md) + "\n")

    esc = html.escape
    img = base64.b64encode(png).decode("ascii")
    rows_html = "".join(
        f"<tr><td>{esc(s['question'])}</td><td>{esc(s['prompt'])}</td><td>{s['points']:g}</td>"
        f"<td>{s['p_correct']:.0%}</td><td>{s['unanswered']}</td>"
        f"<td>{esc('；'.join(f'{a[:30]}（{c}）' for a, c in s['common_wrong']) or '—')}</td></tr>" for s in stats)
    prob_html = "".join(
        f"<tr><td>{esc(str(r['student_id']))}</td><td>{esc(str(r.get('file', '')))}</td>"
        f"<td>{esc(str(r.get('status_zh') or r.get('status')))}</td><td>{esc(str(r.get('reason', '')))}</td></tr>"
        for r in problems)
    page = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>班级报告 {esc(ex.id)}</title><style>body{{font-family:sans-serif;max-width:960px;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}</style></head><body>
<h1>班级报告：练习 {esc(ex.id)}《{esc(ex.title)}》</h1>
<p>{len(rows)} 条记录，已评分 {len(scored)} 份，满分 {ex.max_points:g} 分，平均分 {mean:.1f}。
状态：{esc('，'.join(f'{k} {v}' for k, v in sorted(statuses.items())))}</p>
<img alt="成绩分布" src="data:image/png;base64,{img}">
<h2>各题情况</h2><table><tr><th>题</th><th>内容</th><th>分值</th><th>答对比例</th><th>未作答</th>
<th>常见错误答案（次数）</th></tr>{rows_html}</table>
<h2>需要关注的提交</h2><table><tr><th>学号</th><th>文件</th><th>状态</th><th>原因</th></tr>{prob_html}</table>
</body></html>
"""
    return atomic_write_text(Path(f"{stem}_report.html"), page)
