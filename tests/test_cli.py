"""The crmlab command line."""

from __future__ import annotations

import subprocess
import sys

from crmlab.cli import START_NOTEBOOK, lab_command, main


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "crmlab", "--help"], capture_output=True, text=True, check=True)
    for cmd in ("lab", "build", "setup"):
        assert cmd in out.stdout


def test_lab_opens_the_workbook_root_on_the_first_notebook(root):
    cmd = lab_command(["--no-browser", "--port", "8899"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={root}" in cmd
    assert f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}" in cmd
    assert cmd[-3:] == ["--no-browser", "--port", "8899"]


def test_unknown_options_rejected_outside_lab(capsys):
    try:
        main(["build", "--frobnicate"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "frobnicate" in capsys.readouterr().err


def test_missing_notebook_gives_clear_error(capsys):
    assert main(["build", "no_such_notebook.ipynb"]) == 2
    assert "笔记本 notebook 不存在" in capsys.readouterr().err
