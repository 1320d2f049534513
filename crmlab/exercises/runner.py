"""执行一份作业 run one submitted notebook in its own kernel, in a throw-away folder, and read its answers.

Run as ``python -m crmlab.exercises.runner JOB.json`` by the grader (one process per submission, so a
submission that hangs or kills its kernel cannot disturb the others). The job gives the notebook, the
authoritative parameters (re-injected with papermill, whatever the student did to the parameters cell), the time
limits per cell and in total, and the kernel's memory ceiling. The result JSON holds ``status``, ``reason``,
the ``answers`` (variables named ``answer_*``, read after every cell so that answers given before a crash still
count) and the cell ``errors``. Comparison with the expected answers happens in the grader, never in the
student's kernel, so redefining ``check`` in the notebook changes nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["DUMP_TEMPLATE", "decode_answers", "run_job"]

KERNEL_NAME = "crmlab-grader"

#: Runs in the student's kernel after each cell. Everything it needs is imported inside the function, so a
#: student who rebinds ``print``, ``json`` or ``globals`` in the notebook cannot break it.
DUMP_TEMPLATE = """
def __crmlab_dump_{nonce}():
    import builtins as _b
    import json as _json
    import numbers as _numbers
    import sys as _sys
    def _plain(v, depth=0):
        if v is None or v is Ellipsis:
            return None
        if _b.isinstance(v, _b.bool):
            return {{"repr": _b.repr(v)}}
        if _b.isinstance(v, _numbers.Real):
            x = _b.float(v)
            return x if x == x and x not in (_b.float("inf"), -_b.float("inf")) else {{"repr": _b.repr(x)}}
        if _b.isinstance(v, _b.str):
            return v[:500]
        if hasattr(v, "item") and getattr(v, "ndim", None) == 0:
            return _plain(v.item(), depth)
        if depth == 0 and _b.isinstance(v, (_b.list, _b.tuple, _b.set, _b.frozenset)) or (
                depth == 0 and hasattr(v, "tolist") and getattr(v, "ndim", 0) == 1):
            items = _b.list(v.tolist() if hasattr(v, "tolist") else v)[:1000]
            return {{"items": [_plain(i, 1) for i in items]}}
        return {{"repr": _b.repr(v)[:200]}}
    ns = _sys.modules["__main__"].__dict__
    out = {{}}
    for k in _b.sorted(k for k in _b.list(ns) if _b.isinstance(k, _b.str) and k.startswith("answer_")):
        try:
            out[k[7:]] = _plain(ns[k])
        except Exception as exc:
            out[k[7:]] = {{"repr": "<unreadable: " + _b.type(exc).__name__ + ">"}}
    _b.print("{nonce}" + _json.dumps(out, ensure_ascii=False))
__crmlab_dump_{nonce}()
del __crmlab_dump_{nonce}
"""


def decode_answers(raw: dict[str, Any]) -> dict[str, Any]:
    """Turn the dump's JSON back into Python values: numbers, strings, lists, or a ``<repr …>`` string."""
    def back(v: Any) -> Any:
        if isinstance(v, dict):
            if "items" in v:
                return [back(i) for i in v["items"]]
            return f"<{v.get('repr', '?')}>"
        return v

    return {k: back(v) for k, v in raw.items()}


def _write_kernelspec(root: Path, memory_mb: int) -> None:
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "crmlab.exercises.limited_kernel", "-f", "{connection_file}"],
        "display_name": "crmlab grader", "language": "python",
        "env": {"MPLBACKEND": "Agg", "CRMLAB_KERNEL_MEMORY_MB": str(memory_mb), "PYTHONHASHSEED": "0"},
    }))


def _error_of(cell: Any) -> tuple[str, str] | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return str(out.get("ename", "")), str(out.get("evalue", ""))[:200]
    return None


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Execute the job's notebook and return the result dict (see the module docstring)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from papermill.parameterize import parameterize_notebook

    started = time.monotonic()
    result: dict[str, Any] = {"status": "graded", "reason": "", "answers": {}, "errors": []}
    try:
        nb = nbformat.read(job["notebook"], as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # not JSON, not a notebook, unreadable
        return {**result, "status": "invalid_notebook",
                "reason": f"不是有效的笔记本 (not a valid notebook): {type(exc).__name__}: {str(exc)[:200]}"}
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "crmlab grader", "language": "python"}
    nb.metadata["papermill"] = {}
    for cell in nb.cells:  # papermill expects every cell to have a tags list
        cell.setdefault("metadata", {}).setdefault("tags", [])
    nb = parameterize_notebook(nb, job["params"], kernel_name=KERNEL_NAME, language="python")

    with tempfile.TemporaryDirectory(prefix="crmlab-grade-") as tmp:
        work = Path(tmp)
        _write_kernelspec(work / "jupyter", int(job["memory_mb"]))
        os.environ["JUPYTER_PATH"] = str(work / "jupyter")
        nonce = "CRMLAB" + secrets.token_hex(8)
        dump = nbformat.v4.new_code_cell(DUMP_TEMPLATE.format(nonce=nonce))
        client = NotebookClient(
            nb, kernel_name=KERNEL_NAME, timeout=int(job["cell_timeout"]), allow_errors=True,
            interrupt_on_timeout=True, startup_timeout=120,
            error_on_timeout={"ename": "CellTimeoutError", "evalue": f"超过单元格时限 {job['cell_timeout']} 秒",
                              "traceback": []},
            resources={"metadata": {"path": str(work)}},
        )
        deadline = started + float(job["total_timeout"])
        timed_out_cells: list[int] = []
        try:
            with client.setup_kernel(cwd=str(work)):
                pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
                if pid and job.get("pid_file"):
                    Path(job["pid_file"]).write_text(str(pid))
                for i, cell in enumerate(nb.cells):
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    if time.monotonic() > deadline:
                        limit = job["total_timeout"]
                        result.update(status="timeout",
                                      reason=f"超过总时限 total time limit {limit} 秒，在第 {i + 1} 个单元格之前停止")
                        break
                    client.execute_cell(cell, i)
                    err = _error_of(cell)
                    if err:
                        result["errors"].append({"cell": i + 1, "ename": err[0], "evalue": err[1]})
                        if err[0] in ("CellTimeoutError", "KeyboardInterrupt"):
                            timed_out_cells.append(i + 1)
                    dump.outputs = []
                    client.execute_cell(dump, i, store_history=False)
                    for out in dump.outputs:
                        text = out.get("text", "") if out.get("output_type") == "stream" else ""
                        for line in text.splitlines():
                            if line.startswith(nonce):
                                result["answers"] = decode_answers(json.loads(line[len(nonce):]))
        except DeadKernelError:
            result.update(status="kernel_died", reason="内核在执行中退出 (kernel died)：可能调用了 os._exit、"
                                                       "崩溃或耗尽内存；退出前给出的答案仍然计分")
        except Exception as exc:
            result.update(status="grader_error", reason=f"执行失败 (execution failed): {type(exc).__name__}: "
                                                       f"{str(exc)[:200]}")
    if result["status"] == "graded":
        names = {e["ename"] for e in result["errors"]}
        if timed_out_cells:
            result.update(status="timeout", reason=f"第 {', '.join(map(str, timed_out_cells))} 个单元格超过单元格时限 "
                                                   f"{job['cell_timeout']} 秒，已被中断")
        elif "MemoryError" in names:
            cells = [str(e["cell"]) for e in result["errors"] if e["ename"] == "MemoryError"]
            result.update(status="memory_limit", reason=f"第 {', '.join(cells)} 个单元格超出内存上限 "
                                                        f"{job['memory_mb']} MB (MemoryError)")
        elif result["errors"]:
            e = result["errors"][0]
            result.update(status="graded_with_errors",
                          reason=f"{len(result['errors'])} 个单元格出错，第一个：第 {e['cell']} 个单元格 "
                                 f"{e['ename']}: {e['evalue'][:120]}")
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    job = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    result = run_job(job)
    Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
