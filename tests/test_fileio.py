"""Atomic writes; no overwrite unless asked."""

from __future__ import annotations

import pytest

from crmlab import InputError
from crmlab.fileio import atomic_write_bytes, atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "gradebook.csv"
    atomic_write_text(target, "学号,分数\n1,90\n")
    assert target.read_text(encoding="utf-8") == "学号,分数\n1,90\n"
    atomic_write_text(target, "v2")
    assert target.read_text() == "v2"
    assert [p.name for p in target.parent.iterdir()] == ["gradebook.csv"]  # no temp files left


def test_refuses_to_overwrite_when_told(tmp_path):
    target = tmp_path / "student.ipynb"
    target.write_text("the student's work")
    with pytest.raises(InputError, match="文件已存在 file exists.*student.ipynb"):
        atomic_write_bytes(target, b"new", overwrite=False)
    assert target.read_text() == "the student's work"


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "book.csv"
    target.write_text("old")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.csv"]


def test_place_file_never_replaces_an_existing_file_unless_asked(tmp_path):
    from crmlab.fileio import place_file

    target = tmp_path / "db.sqlite"
    target.write_text("the user's own file", encoding="utf-8")
    tmp = tmp_path / ".db.tmp"
    tmp.write_text("new", encoding="utf-8")
    with pytest.raises(InputError, match="不会覆盖"):
        place_file(tmp, target)
    assert target.read_text(encoding="utf-8") == "the user's own file" and tmp.exists()
    place_file(tmp, target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "new" and not tmp.exists()
    fresh = tmp_path / ".fresh.tmp"
    fresh.write_text("x", encoding="utf-8")
    assert place_file(fresh, tmp_path / "other.sqlite").read_text(encoding="utf-8") == "x"
    assert not fresh.exists()


def test_staged_file_places_a_finished_build_and_leaves_nothing_after_a_failed_one(tmp_path):
    from crmlab.fileio import staged_file

    target = tmp_path / "sub" / "w.db"
    with staged_file(target) as tmp:
        assert tmp.parent.parent == target.parent and not target.exists()
        tmp.write_text("built", encoding="utf-8")
        (tmp.parent / "w.db-journal").write_text("side file", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "built"
    assert sorted(p.name for p in target.parent.iterdir()) == ["w.db"]          # side files went with the folder

    ran = []
    with pytest.raises(InputError, match="不会覆盖"), staged_file(target) as tmp:
        ran.append(tmp)                                                          # refused before the build starts
    assert not ran and target.read_text(encoding="utf-8") == "built"

    with pytest.raises(RuntimeError), staged_file(target, overwrite=True) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("the build failed")
    assert target.read_text(encoding="utf-8") == "built"                        # the old file is intact
    assert sorted(p.name for p in target.parent.iterdir()) == ["w.db"]
    with pytest.raises(InputError, match="文件夹"), staged_file(tmp_path):
        pass
