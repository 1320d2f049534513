"""构建工作簿 build the workbook: execute every notebook with papermill and render a static HTML site.

``crmlab build`` runs each notebook of ``notebooks/`` and ``exercises/`` in a fresh ``crmlab``
kernel (several at once, one per core), converts the executed copies to HTML with nbconvert
and writes ``build/site/index.html``, an index by chapter that links every page. Source
notebooks are never modified unless ``inplace=True`` (an author refreshing stored outputs).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .fileio import atomic_write_bytes, atomic_write_text
from .jupyter_env import KERNEL_NAME, install_kernel, kernel_installed
from .paths import project_root

__all__ = ["BuildResult", "NotebookRunError", "build_site", "discover_notebooks", "execute_notebook"]

_CHAPTER_RE = re.compile(r"ch(\d{2})")
_SUBFOLDER_SECTIONS = {
    "cases": "案例 Cases",
    "service": "客户服务实务 Service",
    "certification": "职业资格 Certification",
}


class NotebookRunError(RuntimeError):
    """笔记本运行失败 a notebook failed to execute; the message names the notebook and the cell."""


@dataclass(frozen=True)
class BuildResult:
    """One notebook's outcome: source path, HTML path (None if it failed), seconds, error message."""

    source: Path
    html: Path | None
    seconds: float
    error: str | None = None


def discover_notebooks(root: Path | None = None) -> list[Path]:
    """All workbook notebooks under ``notebooks/`` and ``exercises/`` (checkpoints excluded), sorted."""
    base = root or project_root()
    found: list[Path] = []
    for folder in ("notebooks", "exercises"):
        top = base / folder
        if top.is_dir():
            found.extend(
                p for p in top.rglob("*.ipynb")
                if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")
            )
    return sorted(found)


def execute_notebook(
    source: Path, output: Path, *, timeout: int = 600, parameters: dict | None = None
) -> Path:
    """Execute ``source`` with papermill in the ``crmlab`` kernel, writing the executed copy to ``output``.

    The kernel's working directory is the notebook's own folder. On failure raises
    :class:`NotebookRunError` naming the notebook, the cell number and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ.setdefault("TQDM_DISABLE", "1")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".running.{output.name}")
    try:
        papermill.execute_notebook(
            str(source), str(tmp), parameters=parameters or {}, kernel_name=KERNEL_NAME,
            cwd=str(source.parent), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, execution_timeout=timeout,
            timeout_func=functools.partial(_cell_timeout, default=timeout),
        )
    except PapermillExecutionError as exc:
        raise NotebookRunError(
            f"笔记本 {source.name} 第 {exc.cell_index + 1} 个单元格 (cell #{exc.cell_index + 1}, "
            f"execution count {exc.exec_count}) 运行出错：{exc.ename}: {exc.evalue}"
        ) from None
    except Exception as exc:  # kernel death, timeout, invalid JSON …
        raise NotebookRunError(f"笔记本 {source.name} 无法运行 (could not run)：{type(exc).__name__}: {exc}") from None
    # papermill stops at a cell that times out without recording an error: catch that here
    cells = json.loads(tmp.read_text(encoding="utf-8")).get("cells", [])
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and cell.get("source") and cell.get("execution_count") is None:
            raise NotebookRunError(
                f"笔记本 {source.name} 第 {i + 1} 个单元格 (cell #{i + 1}) 未在 {timeout} 秒内完成 "
                f"(did not finish: timed out or the kernel stopped answering)"
            )
    os.replace(tmp, output)
    return output


WIDGET_CELL_TIMEOUT = 20


def _cell_timeout(cell: dict, default: int) -> int:
    """Per-cell time limit. Cells that display live widgets (tagged ``nbval-ignore-output``) get at most
    :data:`WIDGET_CELL_TIMEOUT` seconds: nbclient sometimes receives such a cell's reply only when the cell's
    time limit runs out (jupyter/nbclient#312), so a short limit keeps that stall short. They run in well
    under a second."""
    tags = cell.get("metadata", {}).get("tags", [])
    return min(default, WIDGET_CELL_TIMEOUT) if "nbval-ignore-output" in tags else default


def _strip_run_metadata(raw: bytes) -> bytes:
    """Drop papermill's timing metadata and saved widget state: a refreshed source differs only in outputs."""
    nb = json.loads(raw)
    nb.get("metadata", {}).pop("papermill", None)
    nb.get("metadata", {}).pop("widgets", None)  # live widgets are rebuilt when the cell runs
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
    return (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _title_of(nb_path: Path) -> str:
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return nb_path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell.get("source", ""))
            for line in src.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return nb_path.stem


def _render_html(executed: Path, target: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return atomic_write_text(target, body)


def _build_one(args: tuple[str, str, str, int]) -> BuildResult:
    source, root, out_dir, timeout = (Path(args[0]), Path(args[1]), Path(args[2]), args[3])
    rel = source.relative_to(root)
    start = time.perf_counter()
    executed = out_dir.parent / "executed" / rel
    try:
        try:
            execute_notebook(source, executed, timeout=timeout)
        except NotebookRunError as exc:
            if "did not finish" not in str(exc) and "could not run" not in str(exc):
                raise
            print(f"重试 retrying once: {exc}", file=sys.stderr, flush=True)
            execute_notebook(source, executed, timeout=timeout)  # a stuck or lost kernel: try once more
        page = _render_html(executed, out_dir / rel.with_suffix(".html"))
    except NotebookRunError as exc:
        return BuildResult(source, None, time.perf_counter() - start, str(exc))
    return BuildResult(source, page, time.perf_counter() - start)


def _section_of(rel: Path) -> str:
    if rel.parts[0] == "exercises":
        return "练习 Exercises"
    if len(rel.parts) > 2:
        return _SUBFOLDER_SECTIONS.get(rel.parts[1], rel.parts[1])
    m = _CHAPTER_RE.match(rel.name)
    return f"第 {int(m.group(1))} 章" if m and int(m.group(1)) > 0 else "入门 Start here"


def _write_index(results: list[BuildResult], root: Path, out_dir: Path) -> Path:
    sections: dict[str, list[str]] = {}
    for res in results:
        rel = res.source.relative_to(root)
        title = html.escape(_title_of(res.source))
        if res.html is not None:
            href = html.escape(res.html.relative_to(out_dir).as_posix())
            item = f'<li><a href="{href}">{title}</a> <small>{html.escape(rel.as_posix())}</small></li>'
        else:
            item = (f'<li class="failed">{title} <small>{html.escape(rel.as_posix())}</small> — '
                    f"运行失败 failed: {html.escape(res.error or '')}</li>")
        sections.setdefault(_section_of(rel), []).append(item)
    order = sorted(sections, key=lambda s: (s.startswith("练习"), not s.startswith("入门"), s))
    parts = [f"<h2>{html.escape(s)}</h2>\n<ul>\n" + "\n".join(sections[s]) + "\n</ul>" for s in order]
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>crmlab 客户关系管理工作簿</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}"
        "small{color:#777}.failed{color:#b00}</style></head><body>\n"
        "<h1>crmlab 客户关系管理工作簿</h1>\n"
        "<p>每一页都是刚刚运行过的笔记本。Every page is a freshly executed notebook.</p>\n"
        + "\n".join(parts) + "\n</body></html>\n"
    )
    return atomic_write_text(out_dir / "index.html", page)


def build_site(
    out_dir: Path | None = None,
    *,
    jobs: int | None = None,
    notebooks: list[Path] | None = None,
    timeout: int = 600,
    inplace: bool = False,
) -> list[BuildResult]:
    """构建静态网站 execute notebooks in parallel and write HTML pages plus ``index.html`` into ``out_dir``.

    ``jobs`` defaults to the number of cores. With ``inplace=True`` the executed notebooks also
    replace their sources (to refresh the outputs nbval compares). Returns one
    :class:`BuildResult` per notebook; failures are reported, not raised, so one broken
    notebook does not hide the others.
    """
    root = project_root()
    out = (out_dir or root / "build" / "site").resolve()
    sources = [p.resolve() for p in (notebooks or discover_notebooks(root))]
    if not all(s.is_relative_to(root) for s in sources):  # notebooks from elsewhere: mirror their layout
        root = Path(os.path.commonpath([s.parent for s in sources])) if sources else root
    if not kernel_installed():
        install_kernel()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(sources) or 1))
    tasks = [(str(s), str(root), str(out), timeout) for s in sources]
    if workers == 1:
        results = [_build_one(t) for t in tasks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_build_one, tasks))
    if inplace:
        for res in results:
            if res.error is None:
                executed = out.parent / "executed" / res.source.relative_to(root)
                atomic_write_bytes(res.source, _strip_run_metadata(executed.read_bytes()))
    _write_index(results, root, out)
    return results
