"""练习目录 the catalogue of exercises: one module per chapter in :mod:`crmlab.exercises.chapters`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from ..errors import InputError
from .spec import Exercise

__all__ = ["exercise_ids", "get_exercise", "solution_path"]


@cache
def _all() -> dict[str, Exercise]:
    from . import chapters

    found: dict[str, Exercise] = {}
    for info in sorted(pkgutil.iter_modules(chapters.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{chapters.__name__}.{info.name}")
        ex = getattr(module, "EXERCISE", None)
        if isinstance(ex, Exercise):
            found[ex.id] = ex
    return found


def exercise_ids() -> list[str]:
    """All exercise ids, in chapter order (``ch01`` …)."""
    return sorted(_all())


def get_exercise(exercise: str) -> Exercise:
    """The exercise with id ``exercise`` (``ch01``), or whose solution notebook is the path ``exercise``."""
    key = str(exercise).strip()
    if key in _all():
        return _all()[key]
    name = Path(key).name
    for ex in _all().values():
        if ex.notebook == name:
            return ex
    raise InputError(f"练习 exercise {exercise!r} 不存在 (unknown)；可选 (choose one of)：{', '.join(exercise_ids())}")


def solution_path(exercise: str | Exercise) -> Path:
    """The solution notebook of an exercise inside the workbook's ``exercises/`` folder."""
    from ..paths import project_root

    ex = exercise if isinstance(exercise, Exercise) else get_exercise(exercise)
    path = project_root() / "exercises" / ex.notebook
    if not path.is_file():
        raise InputError(f"练习 {ex.id} 的答案笔记本 solution notebook 不存在 (missing)：{path}")
    return path
