"""Dataset and notebook paths resolve from the package, not from the working directory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crmlab import InputError
from crmlab.paths import dataset_path, datasets_dir, notebooks_dir, project_root


def test_project_root_holds_the_workbook(root):
    assert project_root() == root
    assert notebooks_dir() == root / "notebooks"
    assert datasets_dir() == root / "datasets"


def test_paths_do_not_depend_on_cwd(tmp_path, root):
    code = "from crmlab.paths import notebooks_dir; print(notebooks_dir())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(root / "notebooks")


def test_missing_dataset_names_the_file():
    with pytest.raises(InputError, match="数据集 dataset 不存在.*no_such.csv"):
        dataset_path("no_such.csv")


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../pyproject.toml", None])
def test_dataset_name_must_be_relative(bad):
    with pytest.raises(InputError, match="dataset name"):
        dataset_path(bad)


def test_crmlab_home_override(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    with pytest.raises(InputError, match="CRMLAB_HOME"):
        project_root()
    (tmp_path / "notebooks").mkdir()
    assert project_root() == tmp_path.resolve()
