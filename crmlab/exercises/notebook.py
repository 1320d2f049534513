"""学生版笔记本 making the student version of a solution notebook (the solution is the single source).

Markers in the solution notebook's code cells:

* ``### BEGIN SOLUTION`` … ``### END SOLUTION`` — the lines in between are removed from the student version;
* ``### STUDENT <code>`` — a line that is a comment in the solution and becomes ``<code>`` for the student,
  e.g. ``### STUDENT answer_q1 = ...  # 在这里作答``;
* a cell tagged ``solution`` is left out of the student version altogether.

Outputs and execution counts are cleared (an output could show an answer). The cell tagged ``parameters``
stays, so papermill can inject a student's parameters after it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import nbformat

from ..errors import InputError

__all__ = ["BEGIN", "END", "STUDENT", "make_student_version", "strip_solution"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUDENT = "### STUDENT "
_STUDENT_RE = re.compile(r"^(\s*)### STUDENT (.*)$")


def strip_solution(source: str, where: str = "cell") -> str:
    """The student version of one cell's source (see the module docstring for the markers)."""
    out: list[str] = []
    inside = False
    for n, line in enumerate(source.splitlines(), start=1):
        mark = line.strip()
        if mark == BEGIN:
            if inside:
                raise InputError(f"{where} 第 {n} 行：{BEGIN} 嵌套 (nested) 了，缺少前一个 {END}")
            inside = True
            continue
        if mark == END:
            if not inside:
                raise InputError(f"{where} 第 {n} 行：{END} 之前没有 {BEGIN} (unmatched)")
            inside = False
            continue
        if inside:
            continue
        m = _STUDENT_RE.match(line)
        out.append(f"{m.group(1)}{m.group(2)}" if m else line)
    if inside:
        raise InputError(f"{where}：{BEGIN} 没有对应的 {END} (unterminated solution region)")
    return "\n".join(out)


def make_student_version(solution: Any, exercise_id: str) -> nbformat.NotebookNode:
    """Return the student version of the solution notebook ``solution`` (a NotebookNode; not modified)."""
    nb = copy.deepcopy(solution)
    cells = []
    for i, cell in enumerate(nb.cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            continue
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source, f"练习 {exercise_id} 第 {i} 个单元格 (cell {i})")
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
            cell.metadata.pop("papermill", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["crmlab"] = {"exercise": exercise_id, "version": "student"}
    return nb
