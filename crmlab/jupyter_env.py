"""Jupyter 环境 set-up: the workbook's kernel and JupyterLab's default settings (language).

* The kernel ``crmlab`` is the Python of the environment crmlab is installed in; notebooks name
  it in their metadata, so JupyterLab and papermill always run them with the project's packages.
* JupyterLab's defaults live in ``overrides.json`` in the environment's app-settings folder. We
  set the interface language (``zh_CN`` by default; ``en`` for English) and silence the news
  pop-up. A student can still switch language in the menu 设置 Settings → 语言 Language; that
  choice is stored in the student's own user settings and wins over these defaults.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .errors import InputError
from .fileio import atomic_write_text

__all__ = [
    "KERNEL_NAME",
    "LOCALES",
    "app_settings_dir",
    "install_kernel",
    "kernel_installed",
    "write_lab_overrides",
]

KERNEL_NAME = "crmlab"
KERNEL_DISPLAY_NAME = "Python (crmlab)"
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "TQDM_DISABLE": "1"}
LOCALES = {"zh_CN": "简体中文", "en": "English"}
_TRANSLATION = "@jupyterlab/translation-extension:plugin"
_NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def app_settings_dir() -> Path:
    """JupyterLab 应用设置目录 ``{sys.prefix}/share/jupyter/lab/settings`` of this environment."""
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def write_lab_overrides(locale: str = "zh_CN", settings_dir: str | os.PathLike[str] | None = None) -> Path:
    """写入 JupyterLab 默认设置: set the default UI language (``"zh_CN"`` or ``"en"``).

    Keeps any other keys already in ``overrides.json`` (an instructor's own defaults survive) and
    writes atomically. Returns the file's path.
    """
    if locale not in LOCALES:
        raise InputError(f"界面语言 locale 只能是 {', '.join(LOCALES)}，收到 {locale!r}")
    folder = Path(settings_dir) if settings_dir is not None else app_settings_dir()
    path = folder / "overrides.json"
    current: dict = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"设置文件 overrides.json 不是有效的 JSON (invalid JSON)：{path}：{exc}") from exc
    current.setdefault(_TRANSLATION, {})["locale"] = "default" if locale == "en" else locale
    current.setdefault(_NOTIFICATION, {}).update({"fetchNews": "false", "checkForUpdates": False})
    atomic_write_text(path, json.dumps(current, ensure_ascii=False, indent=2) + "\n")
    return path


def kernel_installed() -> bool:
    """Whether the ``crmlab`` kernel of *this* Python is registered."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return False
    # Compare the environments' bin folders, not resolved files: every venv's python links to the same base.
    same_python = bool(spec.argv) and Path(spec.argv[0]).absolute().parent == Path(sys.executable).absolute().parent
    return same_python and all(spec.env.get(k) == v for k, v in KERNEL_ENV.items())


def install_kernel() -> None:
    """注册内核 register the ``crmlab`` kernel (this environment's Python) in ``sys.prefix``."""
    from ipykernel.kernelspec import install

    # Figures always appear inline, even if the user's shell exports another MPLBACKEND (e.g. Agg).
    install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix, env=KERNEL_ENV)
