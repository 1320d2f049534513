"""Every sentence in the workbook is our own: no long verbatim runs from the textbooks in ../shared/seeds.

Facts, figures, names and case titles may be used; a run of 14 or more characters (ignoring spaces) that
contains Chinese and also appears in a textbook fails the test, unless it is a case or section title listed below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

RUN = 14
ALLOWED_TITLES = (
    "出租车司机的客户关系管理",
    "客户，您是总裁——创维集团经营新观念",
    "宝洁与沃尔玛的合作实现了双赢",
    "客户关系管理的理念",
    "兴业银行家庭理财卡的客户分级",
    "劳力士的客户选择",
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _our_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":  # prose and code, not stored outputs
        text = "\n".join("".join(c.get("source", "")) for c in json.loads(text)["cells"])
    return text


def verbatim_runs(text: str, seed: str, n: int = RUN) -> list[str]:
    t = _squash(text)
    runs: list[str] = []
    i = 0
    while i <= len(t) - n:
        chunk = t[i : i + n]
        if re.search(r"[\u4e00-\u9fff]{4}", chunk) and chunk in seed:
            j = i + n
            while j < len(t) and t[i : j + 1] in seed:
                j += 1
            run = t[i:j]
            if not any(title in run or run in title for title in ALLOWED_TITLES):
                runs.append(run)
            i = j
        else:
            i += 1
    return runs


@pytest.fixture(scope="module")
def seed(root) -> str:
    folder = root.parent / "shared" / "seeds"
    files = sorted(folder.glob("*.txt"))
    if not files:
        pytest.skip("../shared/seeds is not beside the checkout")
    return _squash("".join(f.read_text(encoding="utf-8") for f in files))


def test_detector_finds_a_copied_sentence(seed):
    copied = seed[5000:5030]
    assert verbatim_runs("前言" + copied + "后记", seed)


def test_no_long_verbatim_runs_from_the_textbooks(root, seed):
    paths = [p for folder in ("crmlab", "notebooks", "exercises", "datasets", "docs")
             for p in (root / folder).rglob("*") if p.suffix in {".py", ".ipynb", ".md", ".yml", ".yaml", ".json"}]
    paths.append(root / "README.md")
    found = {str(p.relative_to(root)): runs for p in paths if (runs := verbatim_runs(_our_text(p), seed))}
    assert not found, f"text copied from the textbooks — rewrite it in your own words: {found}"
