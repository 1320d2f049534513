"""工作簿路径 workbook paths: where notebooks, exercises and datasets live.

Paths resolve from the installed package, never from the current working directory, so a
notebook finds its data whichever folder the kernel was started in. The workbook root is the
folder that holds ``crmlab/`` (the repository checkout that ``make lab`` installs in editable
mode); set the environment variable ``CRMLAB_HOME`` to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

__all__ = ["dataset_path", "datasets_dir", "exercises_dir", "notebooks_dir", "project_root"]


def project_root() -> Path:
    """工作簿根目录 the workbook's root folder (contains ``notebooks/``, ``exercises/``, ``datasets/``)."""
    override = os.environ.get("CRMLAB_HOME")
    if override:
        root = Path(override).expanduser().resolve()
        if not (root / "notebooks").is_dir():
            raise InputError(
                f"环境变量 CRMLAB_HOME 指向的目录没有 notebooks/ 文件夹 (not a workbook)，收到 {override!r}"
            )
        return root
    return Path(__file__).resolve().parent.parent


def notebooks_dir() -> Path:
    """章节笔记本目录 the folder of chapter notebooks."""
    return project_root() / "notebooks"


def exercises_dir() -> Path:
    """练习目录 the folder of exercise (solution) notebooks."""
    return project_root() / "exercises"


def datasets_dir() -> Path:
    """数据目录 the folder of the workbook's CSV datasets."""
    return project_root() / "datasets"


def dataset_path(name: str) -> Path:
    """数据文件路径 the absolute path of dataset ``name`` (e.g. ``"green_food/customers.csv"``).

    Raises :class:`InputError` naming the file and listing what is available when it does not exist.
    """
    if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(f"数据集名称 dataset name 必须是 datasets/ 下的相对路径，收到 {name!r}")
    path = datasets_dir() / name
    if not path.is_file():
        available = sorted(
            str(p.relative_to(datasets_dir())) for p in datasets_dir().rglob("*.csv")
        ) if datasets_dir().is_dir() else []
        raise InputError(
            f"数据集 dataset 不存在 (not found)：{name!r}；可用的数据集 available: {', '.join(available) or '无 none'}"
        )
    return path
