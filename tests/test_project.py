"""The project's own files agree with each other: dependencies, CI, README, notebooks."""

from __future__ import annotations

import json
import re

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    extras = [r for reqs in project["optional-dependencies"].values() for r in reqs]
    wanted = {_name(r): r for r in project["dependencies"] + extras}
    env = yaml.safe_load((root / "environment.yml").read_text())
    listed: dict[str, str] = {}
    for dep in env["dependencies"]:
        for item in dep["pip"] if isinstance(dep, dict) else [dep]:
            if item.startswith("-e") or _name(item) in {"python", "pip"}:
                continue
            listed[_name(item)] = item
    assert set(listed) == set(wanted)
    for name, req in wanted.items():  # same version bounds too
        bounds = req.split(";")[0][len(name):].replace(" ", "")
        assert listed[name].replace(" ", "").lower().endswith(bounds), (name, listed[name], req)


def test_ci_runs_the_readme_test_command(root):
    ci = (root / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme


def test_every_notebook_uses_the_workbook_kernel_and_has_executed_outputs(root):
    notebooks = sorted((root / "notebooks").rglob("*.ipynb")) + sorted((root / "exercises").rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "crmlab", path
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(c["execution_count"] is not None for c in code), f"{path}: run it with crmlab build --inplace"
        assert not any(o["output_type"] == "error" for c in code for o in c["outputs"]), path
        assert not re.search(r'"/(root|home|tmp|work)/', path.read_text(encoding="utf-8")), path


def test_start_notebook_exists(root):
    from crmlab.cli import START_NOTEBOOK

    assert (root / START_NOTEBOOK).is_file()
