"""布置练习 ``crmlab assign``: one personal notebook per student, parameters injected by papermill.

A student's seed is derived from the student id and an instructor secret (HMAC-SHA256), so the instructor can
regenerate every variant at grading time from the roster and the secret alone, and a student cannot work out
another student's seed. Existing files are never overwritten unless ``force`` is given.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from papermill.parameterize import parameterize_notebook

from ..errors import InputError
from ..fileio import atomic_write_text
from .catalog import get_exercise, solution_path
from .notebook import make_student_version
from .roster import read_roster

__all__ = ["Assignment", "assign", "derive_seed", "get_secret", "student_notebook", "submission_name"]

SECRET_ENV = "CRMLAB_SECRET"


def get_secret(secret: str | None = None) -> str:
    """The instructor secret: ``secret`` if given, else ``$CRMLAB_SECRET``; a clear error if neither is set."""
    value = secret if secret is not None else os.environ.get(SECRET_ENV)
    if value is None or not value.strip():
        raise InputError(f"需要教师密钥 instructor secret：用 --secret 指定，或设置环境变量 {SECRET_ENV}；"
                         "布置和评分必须用同一个密钥 (the same secret for assign and grade)")
    return value.strip()


def derive_seed(secret: str, exercise_id: str, student_id: str) -> int:
    """The seed of a student's variant: HMAC-SHA256(secret, "exercise:student") reduced to 0 … 2^31 − 1."""
    digest = hmac.new(secret.encode("utf-8"), f"{exercise_id}:{student_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % (2**31)


def submission_name(exercise_id: str, student_id: str) -> str:
    """The file name of a student's notebook, e.g. ``ch01_2023001.ipynb``."""
    return f"{exercise_id}_{student_id}.ipynb"


def student_notebook(exercise: str, student_id: str, seed: int, name: str = "") -> nbformat.NotebookNode:
    """The personal notebook of one student (solution stripped, parameters injected by papermill)."""
    ex = get_exercise(exercise)
    solution = nbformat.read(solution_path(ex), as_version=4)
    base = make_student_version(solution, ex.id)
    params = ex.variant(student_id, seed)
    base.metadata["papermill"] = {}
    for cell in base.cells:  # papermill expects every cell to have a tags list
        cell.setdefault("metadata", {}).setdefault("tags", [])
    nb = parameterize_notebook(base, params, kernel_name="crmlab", language="python")
    nb.metadata.pop("papermill", None)
    nb.metadata["crmlab"] = {"exercise": ex.id, "version": "student", "student_id": student_id, "name": name}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
    return nb


@dataclass(frozen=True)
class Assignment:
    """What :func:`assign` wrote: the folder and one notebook path per student id."""

    out_dir: Path
    notebooks: dict[str, Path]


def assign(exercise: str, roster: str | Path, out_dir: str | Path, *, secret: str | None = None,
           force: bool = False) -> Assignment:
    """Write one student notebook per roster row into ``out_dir``.

    All problems (roster rows, existing files without ``force``) are found before anything is written.
    """
    ex = get_exercise(exercise)
    key = get_secret(secret)
    students = read_roster(roster)
    out = Path(out_dir)
    targets = {s.student_id: out / submission_name(ex.id, s.student_id) for s in students}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        shown = "、".join(existing[:3]) + (f" 等 {len(existing)} 个" if len(existing) > 3 else "")
        raise InputError(f"文件已存在 file exists，不会覆盖 (use --force to overwrite)：{shown}")
    written: dict[str, Path] = {}
    for s in students:
        nb = student_notebook(ex.id, s.student_id, derive_seed(key, ex.id, s.student_id), s.name)
        written[s.student_id] = atomic_write_text(targets[s.student_id], nbformat.writes(nb) + "\n", overwrite=force)
    return Assignment(out, written)


def params_for(exercise: str, student_id: str, secret: str) -> dict[str, Any]:
    """The authoritative parameters of a student's variant (used by the grader)."""
    ex = get_exercise(exercise)
    return ex.variant(student_id, derive_seed(secret, ex.id, student_id))
