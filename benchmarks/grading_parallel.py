"""Batch grading: N parallel workers against one worker, and the per-submission overhead over a bare kernel.

Usage: .venv/bin/python benchmarks/grading_parallel.py [--students 50] [--exercise ch01] [--workers N]

Makes a class of --students with ``crmlab assign``, answers half of the notebooks correctly and half wrongly (by
program), then grades the same folder with one worker and with --workers (default: all cores), each from scratch
(``regrade``). The references for the overhead, measured in the same run: a bare kernel (start a ``crmlab`` kernel,
wait until it answers, shut it down — what any notebook grader pays at least once per submission) and plain
execution of one submission with nbclient (what running the notebook costs without any grading).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_client.manager import start_new_kernel

from crmlab.exercises import GradingLimits, assign, get_exercise, grade
from crmlab.exercises.assign import params_for
from tests.exercise_kit.students import fill_answers, plain, wrong_value

SECRET = "benchmark"


def bare_kernel_seconds(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="crmlab", startup_timeout=120)
        kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda msg: None)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_execution_seconds(path: Path, params: dict, repeat: int) -> float:
    """Run one submission as any notebook runner would: papermill-injected parameters, nbclient, no grading."""
    import nbformat
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    times = []
    for _ in range(repeat):
        nb = nbformat.read(path, as_version=4)
        nb.metadata["papermill"] = {}
        for cell in nb.cells:
            cell.setdefault("metadata", {}).setdefault("tags", [])
        nb = parameterize_notebook(nb, params, kernel_name="crmlab", language="python")
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="crmlab", timeout=120).execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--exercise", default="ch01")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    ex = get_exercise(args.exercise)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ids = [f"S{i:04d}" for i in range(1, args.students + 1)]
        roster = root / "roster.csv"
        roster.write_text("学号,姓名\n" + "".join(f"{s},学生{s}\n" for s in ids), encoding="utf-8")
        handed = assign(ex.id, roster, root / "out", secret=SECRET).notebooks
        subs = root / "subs"
        subs.mkdir()
        for n, s in enumerate(ids):
            target = subs / handed[s].name
            shutil.copy(handed[s], target)
            expected = {k: plain(v) for k, v in ex.expected(params_for(ex.id, s, SECRET)).items()}
            fill_answers(target, expected if n % 2 == 0 else {k: wrong_value(v) for k, v in expected.items()})
        limits = GradingLimits()
        bare = bare_kernel_seconds(5)
        plain_run = plain_execution_seconds(subs / handed[ids[0]].name, params_for(ex.id, ids[0], SECRET), 3)
        runs = {}
        for workers in sorted({1, args.workers}):
            start = time.perf_counter()
            run = grade(ex.id, subs, root / f"gb{workers}.csv", secret=SECRET, workers=workers, regrade=True,
                        limits=limits, report=False)
            runs[workers] = (time.perf_counter() - start, run)
            assert run.statuses == {"graded": len(ids)}, run.statuses
            totals = [float(r["total"]) for r in run.rows]
            assert totals.count(ex.max_points) == (len(ids) + 1) // 2 and totals.count(0.0) == len(ids) // 2
    one = runs[1][0]
    print(f"exercise {ex.id}, {len(ids)} submissions, {os.cpu_count()} cores\n")
    print("| workers | wall s | s per submission | speed-up vs 1 worker |")
    print("|---|---|---|---|")
    for workers, (wall, _run) in sorted(runs.items()):
        print(f"| {workers} | {wall:.1f} | {wall / len(ids):.2f} | {one / wall:.2f}× |")
    per_sub = one / len(ids)
    print(f"\nbare kernel start → first reply → shutdown: {bare:.2f} s (median of 5)")
    print(f"executing one submission with nbclient, no grading: {plain_run:.2f} s (median of 3)")
    print(f"one worker, per submission: {per_sub:.2f} s → overhead over the bare kernel {per_sub - bare:.2f} s "
          f"(includes running the student's notebook); over plain execution {per_sub - plain_run:.2f} s "
          f"(a fresh process per submission, the answer read-out after every cell, scoring, the gradebook)")


if __name__ == "__main__":
    main()
