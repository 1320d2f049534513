"""crmlab build: executes notebooks in parallel, writes a site, and names the failing notebook and cell."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmlab.build import NotebookRunError, build_site, discover_notebooks, execute_notebook


def _notebook(path, *codes):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "crmlab", "display_name": "Python (crmlab)", "language": "python"}
    nb.cells = [new_markdown_cell("# 测试笔记本"), *[new_code_cell(c) for c in codes]]
    nbformat.write(nb, str(path))
    return path


def test_failure_names_notebook_and_cell(tmp_path):
    src = _notebook(tmp_path / "坏的.ipynb", "x = 1", "y = 2", "1 / 0")
    with pytest.raises(NotebookRunError) as info:
        execute_notebook(src, tmp_path / "out" / "坏的.ipynb")
    msg = str(info.value)
    assert "坏的.ipynb" in msg and "第 4 个单元格" in msg and "ZeroDivisionError" in msg


def test_kernel_runs_in_the_notebook_folder(tmp_path):
    (tmp_path / "data.txt").write_text("42")
    src = _notebook(tmp_path / "cwd.ipynb", "print(open('data.txt').read())")
    out = execute_notebook(src, tmp_path / "out" / "cwd.ipynb")
    nb = json.loads(out.read_text())
    assert "".join(nb["cells"][1]["outputs"][0]["text"]) == "42\n"


def test_build_of_the_whole_workbook_links_every_notebook(tmp_path, root):
    out = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-m", "crmlab", "build", "--out", str(out), "--jobs", "2", "--timeout", "120"],
        capture_output=True, text=True, timeout=1200,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', index))
    expected = {p.relative_to(root).with_suffix(".html").as_posix() for p in discover_notebooks(root)}
    assert links == expected
    for link in links:
        page = (out / link).read_text(encoding="utf-8")
        assert "<html" in page and "jp-Notebook" in page
    assert "第 0 章" in (out / "notebooks/ch00_如何使用本工作簿.html").read_text(encoding="utf-8")


def test_one_bad_notebook_does_not_stop_the_others(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", "print('好')")
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('坏')")
    results = build_site(tmp_path / "site", jobs=2, notebooks=[good, bad])
    by_name = {r.source.name: r for r in results}
    assert by_name["good.ipynb"].error is None
    assert "ValueError" in by_name["bad.ipynb"].error


def test_a_cell_that_times_out_is_reported_not_skipped(tmp_path):
    src = _notebook(tmp_path / "slow.ipynb", "import time; time.sleep(30)", "print('never')")
    with pytest.raises(NotebookRunError, match=r"slow.ipynb.*(timed out|未在 2 秒内完成)"):
        execute_notebook(src, tmp_path / "out" / "slow.ipynb", timeout=2)
