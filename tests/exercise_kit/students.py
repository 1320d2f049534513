"""Simulated students for the exercise tests: fill a student notebook's answers, or sabotage it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat


def fill_answers(path: Path, answers: dict[str, Any]) -> None:
    """Replace each ``answer_qN = ...`` placeholder line with the given value (as a Python literal)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^(\s*)answer_(q\d+)\s*=\s*\.\.\.", line)
            if m and m.group(2) in answers:
                lines[i] = f"{m.group(1)}answer_{m.group(2)} = {answers[m.group(2)]!r}"
        cell.source = "\n".join(lines)
    nbformat.write(nb, path)


def wrong_value(value: Any) -> Any:
    """A plausible but wrong answer of the same kind."""
    if isinstance(value, str):
        return value + "？"
    if isinstance(value, list | tuple):
        return list(value)[:-1] or ["X"]
    return float(value) * 1.1 + 1.0


def plain(value: Any) -> Any:
    """The expected value as a plain Python literal (numpy scalars → float, tuples/Index → list)."""
    if isinstance(value, str):
        return value
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return float(value)


def insert_cell(path: Path, source: str, *, after_answer: str | None = None, at: int | None = None) -> None:
    """Insert a code cell (after the cell that holds ``answer_<after_answer>``, or at index ``at``)."""
    nb = nbformat.read(path, as_version=4)
    index = len(nb.cells) if at is None else at
    if after_answer is not None:
        index = next(i for i, c in enumerate(nb.cells)
                     if c.cell_type == "code" and f"answer_{after_answer}" in c.source) + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


def delete_answer_cell(path: Path, qid: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or f"answer_{qid}" not in c.source]
    nbformat.write(nb, path)


def reverse_answer_cells(path: Path) -> None:
    """Reorder: the answer cells in reverse order (the rest stays in place)."""
    nb = nbformat.read(path, as_version=4)
    idx = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "answer_q" in c.source]
    cells = [nb.cells[i] for i in idx][::-1]
    for i, c in zip(idx, cells, strict=True):
        nb.cells[i] = c
    nbformat.write(nb, path)


def corrupt(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def notebook_text(path: Path) -> str:
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
