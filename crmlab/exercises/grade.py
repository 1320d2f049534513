"""批改 ``crmlab grade``: run every submission in its own kernel, score it, write the gradebook.

Each submission runs in a separate process (:mod:`crmlab.exercises.runner`) with limits per cell, in total and
on memory; several run in parallel. The expected answers come from the authoritative parameters (student id +
instructor secret), computed here in the grader. The gradebook CSV is rewritten atomically after every
submission, so an interrupted run loses nothing, and a re-run skips submissions already graded (same file
content) unless ``regrade`` is set.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, require_int, require_positive
from ..fileio import atomic_write_text
from .assign import derive_seed, get_secret
from .catalog import get_exercise
from .roster import read_roster, valid_student_id
from .spec import Exercise, compare_answer

__all__ = ["GradeRun", "GradingLimits", "grade", "read_gradebook", "submission_owner"]

STATUS_ZH = {
    "graded": "已评分",
    "graded_with_errors": "已评分（有单元格出错）",
    "timeout": "超时",
    "kernel_died": "内核退出",
    "memory_limit": "超出内存上限",
    "invalid_notebook": "无效笔记本",
    "wrong_variant": "不是本人的题目",
    "duplicate": "重复提交",
    "missing": "未提交",
    "grader_error": "评分出错",
}


@dataclass(frozen=True)
class GradingLimits:
    """评分时限 limits for one submission: seconds per cell, seconds in total, kernel memory (MB)."""

    cell_timeout: int = 60
    total_timeout: int = 300
    memory_mb: int = 3072

    def __post_init__(self) -> None:
        require_int(self.cell_timeout, "单元格时限", "cell_timeout", minimum=1)
        require_int(self.total_timeout, "总时限", "total_timeout", minimum=1)
        require_int(self.memory_mb, "内存上限", "memory_mb", minimum=256)


@dataclass
class GradeRun:
    """The outcome of :func:`grade`: the gradebook rows (one per submission or missing student), how many
    submissions were run now (``graded``) and how many were kept from an earlier run (``skipped``)."""

    gradebook: Path
    rows: list[dict[str, Any]]
    graded: int
    skipped: int
    seconds: float
    report: Path | None = None
    statuses: dict[str, int] = field(default_factory=dict)


def _columns(ex: Exercise) -> list[str]:
    cols = ["student_id", "name", "file", "status", "status_zh", "reason"]
    for q in ex.questions:
        cols += [f"{q.id}_points", f"{q.id}_answer"]
    return [*cols, "total", "max_points", "seconds", "sha256"]


def read_gradebook(path: str | Path) -> list[dict[str, str]]:
    """The rows of an existing gradebook CSV (empty list if there is none)."""
    p = Path(path)
    if not p.exists():
        return []
    with p.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_gradebook(path: Path, ex: Exercise, rows: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_columns(ex), extrasaction="ignore")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (str(r["student_id"]), str(r.get("file", "")))):
        writer.writerow(row)
    # utf-8-sig: Excel on Chinese Windows opens it with the right encoding
    atomic_write_text(path, buf.getvalue(), encoding="utf-8-sig")


def _read_notebook_meta(path: Path) -> tuple[dict[str, Any] | None, int | None]:
    """(crmlab metadata, injected seed) of a notebook, or (None, None) if it is not readable JSON."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        meta = nb.get("metadata", {}).get("crmlab", {})
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return None, None
    seed = None
    for cell in nb.get("cells", []) if isinstance(nb.get("cells"), list) else []:
        tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell, dict) else []
        if "injected-parameters" in tags:
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else str(src)
            m = re.search(r"^seed\s*=\s*(\d+)\s*$", src, re.M)
            seed = int(m.group(1)) if m else None
    return (meta if isinstance(meta, dict) else {}), seed


def submission_owner(path: Path, exercise_id: str) -> str:
    """The student a submitted file is filed under: the id in ``<exercise>_<id>.ipynb``, else the notebook's
    ``crmlab.student_id`` metadata, else the file name without ``.ipynb``."""
    m = re.match(rf"^{re.escape(exercise_id)}_(.+)\.ipynb$", path.name)
    if m and valid_student_id(m.group(1)):
        return m.group(1)
    meta, _ = _read_notebook_meta(path)
    sid = str((meta or {}).get("student_id", "")).strip()
    return sid if sid and valid_student_id(sid) else path.stem


def _run_submission(path: Path, params: dict[str, Any], limits: GradingLimits) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="crmlab-job-") as tmp:
        job = {"notebook": str(path.resolve()), "params": params, "cell_timeout": limits.cell_timeout,
               "total_timeout": limits.total_timeout, "memory_mb": limits.memory_mb,
               "result": str(Path(tmp) / "result.json"), "pid_file": str(Path(tmp) / "kernel.pid")}
        job_file = Path(tmp) / "job.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "crmlab.exercises.runner", str(job_file)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=limits.total_timeout + 90)
        except subprocess.TimeoutExpired:
            _kill(proc, Path(job["pid_file"]))
            return {"status": "timeout", "reason": f"超过总时限 total time limit {limits.total_timeout} 秒，"
                                                   "评分进程被强制结束", "answers": {}, "errors": [],
                    "seconds": round(time.monotonic() - started, 2)}
        finally:
            _kill_pid_file(Path(job["pid_file"]))
        result_file = Path(job["result"])
        if not result_file.exists():
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            return {"status": "grader_error", "reason": f"评分进程异常退出 (runner exited {proc.returncode}) "
                    f"{' '.join(tail)[:200]}", "answers": {}, "errors": [],
                    "seconds": round(time.monotonic() - started, 2)}
        return json.loads(result_file.read_text(encoding="utf-8"))


def _kill_pid_file(pid_file: Path) -> None:
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill(proc: subprocess.Popen, pid_file: Path) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _kill_pid_file(pid_file)
    proc.communicate()


def _score(ex: Exercise, params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    expected = ex.expected(params)
    row: dict[str, Any] = {}
    total = 0.0
    for q in ex.questions:
        answer = result.get("answers", {}).get(q.id)
        verdict = compare_answer(q, answer, expected[q.id])
        pts = q.points if verdict.correct else 0.0
        total += pts
        row[f"{q.id}_points"] = pts
        row[f"{q.id}_answer"] = "" if answer is None else (json.dumps(answer, ensure_ascii=False)
                                                             if isinstance(answer, list) else str(answer))
    row["total"] = total
    return row


def _zero_row(ex: Exercise) -> dict[str, Any]:
    row: dict[str, Any] = {f"{q.id}_points": 0.0 for q in ex.questions}
    row.update({f"{q.id}_answer": "" for q in ex.questions})
    row["total"] = 0.0
    return row


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grade(exercise: str, submissions: str | Path, out: str | Path, *, secret: str | None = None,
          roster: str | Path | None = None, workers: int | None = None, regrade: bool = False,
          limits: GradingLimits | None = None, report: bool = True,
          progress: Callable[[dict[str, Any]], None] | None = None) -> GradeRun:
    """Grade every ``*.ipynb`` under ``submissions`` and write the gradebook CSV ``out`` (plus a class report
    ``<out stem>_report.md/.html`` when ``report``). See the module docstring."""
    ex = get_exercise(exercise)
    key = get_secret(secret)
    limits = limits or GradingLimits()
    folder = Path(submissions)
    if not folder.is_dir():
        raise InputError(f"作业文件夹 submissions 不存在 (not a folder)：{folder}")
    n_workers = require_int(workers if workers is not None else (os.cpu_count() or 1), "并行数", "workers",
                            minimum=1)
    require_positive(n_workers, "并行数", "workers")
    out_path = Path(out)
    students = {s.student_id: s for s in read_roster(roster)} if roster else {}
    files = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)

    started = time.monotonic()
    previous = {} if regrade else {(r["student_id"], r["file"]): r for r in read_gradebook(out_path)}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    todo: list[tuple[Path, str, dict[str, Any]]] = []
    seen_owner: dict[str, str] = {}
    reused = 0
    for path in files:
        rel = str(path.relative_to(folder))
        sid = submission_owner(path, ex.id)
        name = students[sid].name if sid in students else ""
        base = {"student_id": sid, "name": name, "file": rel, "max_points": ex.max_points, "sha256": _sha256(path),
                "seconds": 0.0}
        old = previous.get((sid, rel))
        if old and old.get("sha256") == base["sha256"] and old.get("status") not in ("grader_error", "missing"):
            rows[(sid, rel)] = old
            seen_owner.setdefault(sid, rel)
            reused += 1
            continue
        if sid in seen_owner:
            rows[(sid, rel)] = {**base, **_zero_row(ex), "status": "duplicate",
                                "reason": f"学号 {sid} 已有另一份作业 {seen_owner[sid]}，本份不计分"}
            continue
        seen_owner[sid] = rel
        reasons = [] if not students or sid in students else [f"学号 {sid} 不在名单 roster 中"]
        meta, seed = _read_notebook_meta(path)
        params = ex.variant(sid, derive_seed(key, ex.id, sid))
        owner = str((meta or {}).get("student_id", "")).strip()
        if meta is not None and ((owner and owner != sid) or (seed is not None and seed != params["seed"])):
            who = owner or "另一名学生"
            rows[(sid, rel)] = {**base, **_zero_row(ex), "status": "wrong_variant",
                                "reason": "；".join([*reasons, f"这份笔记本是为 {who} 生成的题目变体，不是 {sid} 的"])}
            continue
        todo.append((path, sid, {**base, "reason": "；".join(reasons)}))

    for sid, s in students.items():
        if sid not in seen_owner:
            rows[(sid, "")] = {"student_id": sid, "name": s.name, "file": "", "status": "missing",
                               "reason": "没有找到这名学生的作业 (no submission)", "max_points": ex.max_points,
                               "seconds": 0.0, "sha256": "", **_zero_row(ex)}

    lock = threading.Lock()
    _flush = lambda: _write_gradebook(out_path, ex, list(rows.values()))  # noqa: E731
    with lock:
        _flush()

    def work(item: tuple[Path, str, dict[str, Any]]) -> dict[str, Any]:
        path, sid, base = item
        params = ex.variant(sid, derive_seed(key, ex.id, sid))
        result = _run_submission(path, params, limits)
        if result["status"] == "invalid_notebook":
            scored = _zero_row(ex)
        else:
            scored = _score(ex, params, result)
        reason = "；".join(r for r in (base["reason"], result.get("reason", "")) if r)
        return {**base, **scored, "status": result["status"], "status_zh": STATUS_ZH.get(result["status"], ""),
                "reason": reason, "seconds": result.get("seconds", 0)}

    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = [pool.submit(work, item) for item in todo]
        for fut in as_completed(futures):
            row = fut.result()
            with lock:
                rows[(row["student_id"], row["file"])] = row
                _flush()
            if progress:
                progress(row)

    final = list(rows.values())
    for row in final:
        row["status_zh"] = STATUS_ZH.get(str(row.get("status")), str(row.get("status")))
    _write_gradebook(out_path, ex, final)
    statuses: dict[str, int] = {}
    for row in final:
        statuses[str(row["status"])] = statuses.get(str(row["status"]), 0) + 1
    run = GradeRun(out_path, sorted(final, key=lambda r: str(r["student_id"])), graded=len(todo),
                   skipped=reused, seconds=time.monotonic() - started, statuses=statuses)
    if report:
        from .report import write_report

        run.report = write_report(ex, run.rows, out_path)
    return run
