"""Kernel registration and JupyterLab's default language."""

from __future__ import annotations

import json

import pytest

from crmlab import InputError
from crmlab.jupyter_env import KERNEL_NAME, kernel_installed, write_lab_overrides


def test_overrides_set_chinese_and_keep_other_keys(tmp_path):
    existing = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    (tmp_path / "overrides.json").write_text(json.dumps(existing))
    path = write_lab_overrides("zh_CN", tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert data["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False


def test_english_is_the_default_locale(tmp_path):
    data = json.loads(write_lab_overrides("en", tmp_path).read_text())
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "default"


def test_bad_locale_and_bad_file(tmp_path):
    with pytest.raises(InputError, match="界面语言 locale.*'fr'"):
        write_lab_overrides("fr", tmp_path)
    (tmp_path / "overrides.json").write_text("{not json")
    with pytest.raises(InputError, match="overrides.json"):
        write_lab_overrides("zh_CN", tmp_path)
    assert (tmp_path / "overrides.json").read_text() == "{not json"  # the user's file is left alone


def test_language_pack_is_installed():
    from importlib.metadata import distribution

    dist = distribution("jupyterlab-language-pack-zh-CN")
    assert any("zh_CN" in str(f) for f in dist.files or [])


def test_workbook_kernel_is_this_environment():
    # make test / make lab run `crmlab setup`, which registers it.
    assert kernel_installed(), f"kernel {KERNEL_NAME!r} is not registered for this Python"
