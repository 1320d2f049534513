"""The crmlab command line."""

from __future__ import annotations

import subprocess
import sys

from crmlab.cli import START_NOTEBOOK, lab_command, main


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "crmlab", "--help"], capture_output=True, text=True, check=True)
    for cmd in ("lab", "build", "setup", "exercises", "assign", "grade", "exam"):
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


def test_instructor_flow_on_the_command_line(tmp_path, capsys, monkeypatch):
    """assign → a student answers → grade, through `crmlab`, as the README describes it (GBK roster from Excel)."""
    import csv

    from crmlab.exercises import get_exercise
    from crmlab.exercises.assign import params_for
    from tests.exercise_kit.students import fill_answers, plain

    monkeypatch.setenv("CRMLAB_SECRET", "班级口令")
    roster = tmp_path / "名单.csv"
    roster.write_bytes("学号,姓名\nA01,张三\nA02,李四\n".encode("gbk"))
    assert main(["assign", "ch09", "--roster", str(roster), "--out", str(tmp_path / "handout")]) == 0
    assert "2 份学生笔记本" in capsys.readouterr().out
    assert main(["assign", "ch09", "--roster", str(roster), "--out", str(tmp_path / "handout")]) == 2  # no overwrite
    assert "不会覆盖" in capsys.readouterr().err
    subs = tmp_path / "collected"
    subs.mkdir()
    answered = subs / "ch09_A01.ipynb"
    answered.write_bytes((tmp_path / "handout" / "ch09_A01.ipynb").read_bytes())
    expected = get_exercise("ch09").expected(params_for("ch09", "A01", "班级口令"))
    fill_answers(answered, {k: plain(v) for k, v in expected.items()})
    out = tmp_path / "grades" / "ch09.csv"
    assert main(["grade", "ch09", "--submissions", str(subs), "--out", str(out), "--roster", str(roster),
                 "-j", "1", "--cell-timeout", "30", "--timeout", "120"]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["A01"]["status"], float(rows["A01"]["total"])) == ("graded", 10.0)
    assert (rows["A02"]["status"], rows["A02"]["name"]) == ("missing", "李四")
    assert (tmp_path / "grades" / "ch09_report.html").exists()
    assert "班级报告 class report" in capsys.readouterr().out


def test_exam_command_writes_paper_and_key_and_never_overwrites(tmp_path, capsys, root):
    blueprint = root / "crmlab" / "certification" / "blueprints" / "example.yml"
    args = ["exam", "--blueprint", str(blueprint), "--seed", "3", "--out", str(tmp_path)]
    assert main(args) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["answer_key_seed3.html", "exam_seed3.json", "paper_seed3.html"]
    first = (tmp_path / "paper_seed3.html").read_text(encoding="utf-8")
    assert main(args) == 2 and "--force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert (tmp_path / "paper_seed3.html").read_text(encoding="utf-8") == first   # same seed, same paper
