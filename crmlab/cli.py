"""命令行 the ``crmlab`` command: ``crmlab lab | build | setup | exercises | assign | grade | exam``.

Run ``crmlab --help`` or ``crmlab COMMAND --help`` for the options. Errors are printed as one
clear line (in Chinese with the English term) and give exit status 2; a failed notebook in
``crmlab build`` gives exit status 1 after every notebook has been tried.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError

__all__ = ["main"]

START_NOTEBOOK = "notebooks/ch00_如何使用本工作簿.ipynb"


def _default_locale() -> str:
    return os.environ.get("CRMLAB_LOCALE", "zh_CN")


def cmd_setup(args: argparse.Namespace) -> int:
    from .jupyter_env import install_kernel, write_lab_overrides

    install_kernel()
    path = write_lab_overrides(args.locale)
    print(f"已注册内核 kernel 'crmlab'；JupyterLab 默认语言 locale = {args.locale}（{path}）")
    return 0


def lab_command(extra: Sequence[str] = (), root: Path | None = None) -> list[str]:
    """The ``jupyter lab`` command line that ``crmlab lab`` runs (root folder = the workbook by default)."""
    from .paths import project_root

    root = root or project_root()
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return [*cmd, *extra]


def cmd_lab(args: argparse.Namespace) -> int:
    from .jupyter_env import install_kernel, kernel_installed, write_lab_overrides

    if not kernel_installed():
        install_kernel()
    write_lab_overrides(args.locale)
    cmd = lab_command(args.jupyter_args)
    print("启动 JupyterLab starting:", " ".join(cmd), flush=True)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site

    notebooks = [Path(p).resolve() for p in args.notebooks] or None
    for nb in notebooks or []:
        if not nb.is_file():
            raise InputError(f"笔记本 notebook 不存在 (not found)：{nb}")
    results = build_site(Path(args.out) if args.out else None, jobs=args.jobs, notebooks=notebooks,
                         timeout=args.timeout, inplace=args.inplace)
    failed = [r for r in results if r.error]
    for r in results:
        status = "失败 FAILED" if r.error else "完成 ok"
        print(f"{status:10s} {r.seconds:6.1f}s  {r.source.name}")
    out = Path(args.out) if args.out else Path("build/site")
    print(f"网站 site: {out / 'index.html'}  ({len(results) - len(failed)}/{len(results)} 个笔记本 notebooks)")
    for r in failed:
        print(f"错误 error: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def cmd_exercises(args: argparse.Namespace) -> int:
    from .exercises import exercise_ids, get_exercise

    for eid in exercise_ids():
        ex = get_exercise(eid)
        size = f"{len(ex.questions)} 题 {ex.max_points:g} 分"
        print(f"{ex.id}  {ex.chapter}  《{ex.title}》  {size}  exercises/{ex.notebook}")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from .exercises import assign

    done = assign(args.exercise, args.roster, args.out, secret=args.secret, force=args.force)
    print(f"已生成 {len(done.notebooks)} 份学生笔记本 student notebooks → {done.out_dir}")
    print("评分时请使用同一个教师密钥 (grade with the same secret)。")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from .exercises import GradingLimits, grade

    limits = GradingLimits(cell_timeout=args.cell_timeout, total_timeout=args.timeout, memory_mb=args.memory_mb)

    def progress(row: dict) -> None:
        print(f"{row['student_id']:>12}  {row.get('status_zh') or row['status']:<10} {float(row['total']):5.1f} 分"
              f"  {row.get('reason', '')}", flush=True)

    run = grade(args.exercise, args.submissions, args.out, secret=args.secret, roster=args.roster,
                workers=args.workers, regrade=args.regrade, limits=limits, progress=progress)
    summary = "，".join(f"{k} {v}" for k, v in sorted(run.statuses.items()))
    print(f"成绩册 gradebook: {run.gradebook}（本次评分 {run.graded} 份，沿用上次结果 {run.skipped} 份；{summary}）")
    if run.report:
        print(f"班级报告 class report: {run.report}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmlab", description="crmlab 客户关系管理工作簿 command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("lab", help="在 JupyterLab 中打开工作簿 open the workbook in JupyterLab",
                       epilog="Other options (e.g. --no-browser, --port 8890) are passed to jupyter lab.")
    p.add_argument("--locale", default=_default_locale(), choices=["zh_CN", "en"],
                   help="界面默认语言 default UI language (default: zh_CN, or $CRMLAB_LOCALE)")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("build", help="运行全部笔记本并生成静态网站 execute every notebook, write build/site/")
    p.add_argument("notebooks", nargs="*", help="only these notebooks (default: all of notebooks/ and exercises/)")
    p.add_argument("--out", help="output folder (default: build/site under the workbook)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    p.add_argument("--inplace", action="store_true",
                   help="also write executed outputs back into the source notebooks (authors only)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("exercises", help="列出全部练习 list the exercises")
    p.set_defaults(func=cmd_exercises)

    secret_help = "教师密钥 instructor secret (default: $CRMLAB_SECRET); assign and grade need the same one"
    p = sub.add_parser("assign", help="为每名学生生成个人练习 one personal exercise notebook per student")
    p.add_argument("exercise", help="练习编号 exercise id, e.g. ch01 (see: crmlab exercises)")
    p.add_argument("--roster", required=True, help="名单 CSV with columns 学号/student_id and 姓名/name (UTF-8 or GBK)")
    p.add_argument("--out", required=True, help="输出文件夹 folder for the student notebooks")
    p.add_argument("--secret", default=None, help=secret_help)
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件 overwrite existing notebooks")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("grade", help="批改全班作业 grade every submitted notebook, write a gradebook")
    p.add_argument("exercise", help="练习编号 exercise id, e.g. ch01")
    p.add_argument("--submissions", required=True, help="收上来的作业所在文件夹 folder of submitted notebooks")
    p.add_argument("--out", required=True, help="成绩册 gradebook CSV (a _report.html/.md is written beside it)")
    p.add_argument("--roster", default=None, help="名单 CSV: names, and students who handed nothing in")
    p.add_argument("--secret", default=None, help=secret_help)
    p.add_argument("-j", "--workers", type=int, default=None, help="并行内核数 parallel kernels (default: cores)")
    p.add_argument("--regrade", action="store_true", help="重新批改已评过的作业 regrade everything")
    p.add_argument("--cell-timeout", type=int, default=60, help="每个单元格的时限（秒）seconds per cell (60)")
    p.add_argument("--timeout", type=int, default=300, help="每份作业的总时限（秒）seconds per submission (300)")
    p.add_argument("--memory-mb", type=int, default=3072, help="每个内核的内存上限 MB per kernel (3072)")
    p.set_defaults(func=cmd_grade)

    from .certification.exam import add_exam_arguments, cmd_exam

    p = sub.add_parser("exam", help="按试卷蓝图组卷 assemble a mock exam: paper, answer key, exam JSON")
    add_exam_arguments(p)
    p.set_defaults(func=cmd_exam)

    p = sub.add_parser("setup", help="注册内核并写入 JupyterLab 默认设置 register kernel, write lab defaults")
    p.add_argument("--locale", default=_default_locale(), choices=["zh_CN", "en"])
    p.set_defaults(func=cmd_setup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"无法识别的参数 unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = extra
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"crmlab: 错误 error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
